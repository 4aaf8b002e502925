//! `ctsim bench filters`: the 15 CIS AWS Foundations section 4 metric filters over delivered
//! CloudTrail events (each record's JSON text, as CloudWatch Logs receives it), against a
//! floor measured in the same run: parsing each record's JSON once with serde_json.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use chrono::{TimeZone, Utc};

use super::bench_support::{aws, median, time_ratio};
use crate::compliance::monitoring::CONTROLS;
use crate::generate::{Generator, Profile};
use crate::services::logs::filter_pattern::{CompiledMetricFilter, MetricFilterSet};

pub struct Args {
    pub events: u64,
    pub seed: u64,
    pub runs: usize,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| anyhow!("bad start"))?;
    let profile = Profile::new(args.seed, start, args.events, vec!["123456789012".into()]);
    let messages: Vec<String> = Generator::new(profile)
        .map_err(aws)?
        .map(|e| e.record)
        .collect();
    let bytes: usize = messages.iter().map(String::len).sum();
    // The patterns CIS v1.4.0 publishes, as the compliance rules keep them (the first of
    // each control's published patterns).
    let filters: Vec<CompiledMetricFilter> = CONTROLS
        .iter()
        .map(|c| -> Result<CompiledMetricFilter> {
            let events = c.events().map_err(|e| anyhow!(e))?;
            let published = events
                .patterns
                .first()
                .ok_or_else(|| anyhow!("{} has no published pattern", c.rule))?;
            CompiledMetricFilter::compile(
                &published.pattern,
                "1",
                std::iter::empty::<(&str, &str)>(),
            )
            .map_err(|e| anyhow!("{}", e.message()))
        })
        .collect::<Result<_>>()?;
    let count = filters.len();
    let mut set = MetricFilterSet::new(filters);
    println!(
        "ctsim bench filters: {} CIS metric filters over {} delivered events ({:.0} MiB of JSON), {} runs",
        count,
        messages.len(),
        bytes as f64 / (1024.0 * 1024.0),
        args.runs
    );
    let mut floor = Vec::new();
    let mut ours = Vec::new();
    let mut matches = 0u64;
    for _ in 0..args.runs.max(1) {
        let began = Instant::now();
        let mut parsed = 0usize;
        for m in &messages {
            let v: serde_json::Value = serde_json::from_str(m)?;
            parsed += usize::from(v.is_object());
        }
        floor.push(began.elapsed());
        std::hint::black_box(parsed);

        let began = Instant::now();
        let mut hits = 0u64;
        for m in &messages {
            set.evaluate(m, |_, matched| {
                std::hint::black_box(matched);
                hits += 1;
            });
        }
        ours.push(began.elapsed());
        matches = hits;
        if let (Some(f), Some(o)) = (floor.last(), ours.last()) {
            println!(
                "  run {}: floor {:.3} s, ours {:.3} s, ratio {:.2}",
                ours.len(),
                f.as_secs_f64(),
                o.as_secs_f64(),
                time_ratio(*o, *f)
            );
        }
    }
    let (floor, ours) = (median(floor), median(ours));
    let rate = |d: Duration| messages.len() as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "  floor (serde_json parse once per record): {:>8.3} s  {:>12.0} events/s",
        floor.as_secs_f64(),
        rate(floor)
    );
    println!(
        "  ours  (the 15 filters as one set):         {:>8.3} s  {:>12.0} events/s  ({matches} matches)",
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "  ratio ours/floor: {:.2} (target <= 1.5)",
        time_ratio(ours, floor)
    );
    Ok(ExitCode::SUCCESS)
}
