//! `ctsim bench console`: page loads of the console's event history over a large history
//! (1M events by default), in server time: the page as `ctsim serve` builds it (LookupEvents,
//! each record pretty-printed, the HTML), against a floor measured in the same run: the same
//! LookupEvents page through the same unrecorded read, with no rendering.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};

use super::bench_support::{aws, median, temp_simulator_at_start, time_ratio};
use crate::console::events::{Filters, PAGE_SIZE, lookup};
use crate::console::{Answer, Console, Request};
use crate::generate::{Generator, Profile};

pub struct Args {
    pub events: u64,
    pub seed: u64,
    /// Loads of each page; the median is reported.
    pub runs: usize,
}

/// The pages timed: (label, query parameters).
fn cases(token: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("first page, no filter", vec![]),
        (
            "EventName=DescribeInstances",
            vec![
                ("key", "EventName".into()),
                ("value", "DescribeInstances".into()),
            ],
        ),
        (
            "Username=alice",
            vec![("key", "Username".into()), ("value", "alice".into())],
        ),
        (
            "ReadOnly=false, one day",
            vec![
                ("key", "ReadOnly".into()),
                ("value", "false".into()),
                ("start", "2026-01-05T00:00".into()),
                ("end", "2026-01-06T00:00".into()),
            ],
        ),
        ("second page", vec![("token", token.to_string())]),
    ]
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let (_tmp, sim, t0) = temp_simulator_at_start()?;
    let ctx = sim.default_caller("us-east-1");
    // One region, a rate that keeps every event inside the 90 days of history.
    let rate = (args.events as f64 / (80.0 * 86_400.0)).max(0.05);
    let mut profile = Profile::new(args.seed, t0, args.events, vec![ctx.account_id.clone()]);
    profile.rate_per_sec = rate;
    profile.regions = vec!["us-east-1".into()];
    let end = profile.end();
    let began = Instant::now();
    sim.append_events(Generator::new(profile).map_err(aws)?)
        .map_err(aws)?;
    sim.run_unrecorded(|env| Ok(env.db.set_clock(crate::Clock::Fixed(end))?))
        .map_err(aws)?;
    println!(
        "ctsim bench console: {} events in us-east-1 over {:.0} days (generated in {:.1} s); {} loads a page",
        args.events,
        (end - t0).num_hours() as f64 / 24.0,
        began.elapsed().as_secs_f64(),
        args.runs
    );
    let first = lookup(
        &sim,
        &Filters {
            region: "us-east-1".into(),
            ..Filters::default()
        },
        PAGE_SIZE,
    )
    .map_err(|f| anyhow!(f.message))?;
    let token = first.next_token.unwrap_or_default();
    let console = Console::new();
    println!(
        "{:<30} {:>12} {:>12} {:>7} {:>7}",
        "page (50 events)", "floor ms", "page ms", "ratio", "< 200"
    );
    let mut worst = Duration::ZERO;
    for (label, params) in cases(&token) {
        let p: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let req = Request::get_of("/events", &p);
        let filters = Filters::from_request(&sim, &req);
        let (mut floor, mut ours) = (Vec::new(), Vec::new());
        for _ in 0..args.runs.max(1) {
            let t = Instant::now();
            let page = lookup(&sim, &filters, PAGE_SIZE).map_err(|f| anyhow!(f.message))?;
            floor.push(t.elapsed());
            std::hint::black_box(page);
            let t = Instant::now();
            let answer = console
                .route(&sim, &req)
                .map_err(|f| anyhow!("{label}: {}", f.message))?;
            ours.push(t.elapsed());
            if let Answer::Page { body, .. } = &answer {
                anyhow::ensure!(body.contains("<tr class=\"ev"), "{label}: no rows shown");
            }
        }
        let (floor, ours) = (median(floor), median(ours));
        worst = worst.max(ours);
        println!(
            "{:<30} {:>12.2} {:>12.2} {:>7.2} {:>7}",
            label,
            floor.as_secs_f64() * 1e3,
            ours.as_secs_f64() * 1e3,
            time_ratio(ours, floor),
            if ours < Duration::from_millis(200) {
                "yes"
            } else {
                "NO"
            }
        );
    }
    println!(
        "slowest page: {:.2} ms server time (target < 200 ms)",
        worst.as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}
