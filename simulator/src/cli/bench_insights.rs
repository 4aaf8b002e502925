//! `ctsim bench insights`: CloudTrail Insights detection (count every captured management
//! call per minute, then evaluate every minute of the last day against its 7-day baseline)
//! over days of generated traffic with one spike, against a floor measured in the same run:
//! one SQL GROUP BY that counts the same write calls per API and minute, with no JSON, no
//! selectors and no evaluation.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, anyhow};
use serde_json::json;

use super::bench_support::{aws, create_log_bucket, ratio, temp_simulator_at_start, time_ratio};
use crate::generate::spike::Spike;
use crate::generate::{Generator, Profile};
use crate::pipeline::insights;
use crate::services::Env;

pub struct Args {
    pub days: u64,
    /// Generated events per second.
    pub rate: f64,
    pub seed: u64,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        args.days >= 8,
        "--days must be at least 8 (7 days of baseline + 1)"
    );
    let (_tmp, sim, t0) = temp_simulator_at_start()?;
    let ctx = sim.default_caller("us-east-1");
    create_log_bucket(&sim, &ctx, "bench-logs", false)?;
    let trail = json!({"Name": "bench", "S3BucketName": "bench-logs", "IsMultiRegionTrail": true});
    sim.invoke(&ctx, "cloudtrail", "CreateTrail", trail)
        .map_err(aws)?;
    sim.invoke(&ctx, "cloudtrail", "StartLogging", json!({"Name": "bench"}))
        .map_err(aws)?;

    // The traffic is appended while the clock stays at its start, so nothing is due yet.
    let count = (args.days as f64 * 86_400.0 * args.rate) as u64;
    let mut profile = Profile::new(args.seed, t0, count, vec![ctx.account_id.clone()]);
    profile.rate_per_sec = args.rate;
    let end = profile.end();
    let spike_at = t0 + chrono::Duration::days(args.days as i64 - 1) + chrono::Duration::hours(10);
    let spike = Spike::parse(&format!(
        "ec2.amazonaws.com:RunInstances@{}/15m x60",
        crate::clock::iso_seconds(spike_at)
    ))
    .map_err(|m| anyhow!(m))?;
    let region = profile.regions[0].clone();
    sim.append_events(Generator::new(profile).map_err(aws)?)
        .map_err(aws)?;
    sim.append_events(spike.events(args.seed, &ctx.account_id, &region))
        .map_err(aws)?;
    let selectors = json!({"TrailName": "bench", "InsightSelectors": [
        {"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]});
    sim.invoke(&ctx, "cloudtrail", "PutInsightSelectors", selectors)
        .map_err(aws)?;
    println!(
        "ctsim bench insights: {count} generated events over {} days + a 15-minute spike; 1 trail, both insight types",
        args.days
    );

    // Detection runs in bounded passes (each its own transaction) until it has caught up;
    // all of them are timed. The clock moves in the first one, without the other due work.
    let began = Instant::now();
    let mut report = sim
        .run_unrecorded(|env| {
            env.db.set_clock(crate::Clock::Fixed(end))?;
            insights::detect_due(&Env { now: end, ..*env })
        })
        .map_err(aws)?;
    let mut passes = 1;
    while report.more {
        let next = sim.run_unrecorded(insights::detect_due).map_err(aws)?;
        report.records.extend(next.records);
        report.more = next.more;
        passes += 1;
    }
    let ours = began.elapsed();

    let began = Instant::now();
    let groups = sim
        .read(|db| Ok(db.write_call_minute_groups()?))
        .map_err(aws)?;
    let floor = began.elapsed();

    println!("{:<52} {:>10}", "", "seconds");
    println!(
        "{:<52} {:>10.2}",
        "floor: SQL GROUP BY write calls per API and minute",
        floor.as_secs_f64()
    );
    println!(
        "{:<52} {:>10.2}",
        "ctsim: count (selectors, JSON) + evaluate last day",
        ours.as_secs_f64()
    );
    println!("ratio (ctsim / floor time): {:.2}", time_ratio(ours, floor));
    println!(
        "floor groups: {groups}; Insights records: {}; detection passes: {passes}; events/s counted: {:.0}",
        report.records.len(),
        ratio(count as f64, ours.as_secs_f64())
    );
    Ok(ExitCode::SUCCESS)
}
