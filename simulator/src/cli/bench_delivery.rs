//! `ctsim bench delivery`: generate -> record -> match 5 trails with advanced selectors ->
//! delivered gzip log files, in events/s, against a floor measured in the same run: the same
//! events serialised and gzipped once per trail they match, at the same compression level,
//! with no matching and no storage.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use super::bench_support::{
    aws, cpu_seconds, create_log_bucket, peak_rss_mib, ratio, temp_simulator_at_start,
};
use crate::Simulator;
use crate::generate::{Generator, Profile};
use crate::pipeline::delivery::COMPRESSION;
use crate::pipeline::selectors::{CompiledTrail, TrailScope, selectors_of};

pub struct Args {
    pub events: u64,
    pub seed: u64,
}

/// Five trails with advanced selectors, as a security team would split its logging.
fn trail_selectors() -> Vec<(&'static str, Value)> {
    let fs = |field: &str, op: &str, values: &[&str]| json!({"Field": field, op: values});
    vec![
        (
            "all-management",
            json!([{"FieldSelectors": [fs("eventCategory", "Equals", &["Management"])]}]),
        ),
        (
            "management-writes",
            json!([{"FieldSelectors": [
            fs("eventCategory", "Equals", &["Management"]), fs("readOnly", "Equals", &["false"])]}]),
        ),
        (
            "s3-object-writes",
            json!([{"FieldSelectors": [
            fs("eventCategory", "Equals", &["Data"]), fs("resources.type", "Equals", &["AWS::S3::Object"]),
            fs("readOnly", "Equals", &["false"])]}]),
        ),
        (
            "lambda-and-dynamodb",
            json!([
                {"FieldSelectors": [
                    fs("eventCategory", "Equals", &["Data"]),
                    fs("resources.type", "Equals", &["AWS::Lambda::Function"])]},
                {"FieldSelectors": [
                    fs("eventCategory", "Equals", &["Data"]),
                    fs("resources.type", "Equals", &["AWS::DynamoDB::Table"])]}
            ]),
        ),
        (
            "management-without-kms",
            json!([{"FieldSelectors": [
            fs("eventCategory", "Equals", &["Management"]),
            fs("eventSource", "NotEquals", &["kms.amazonaws.com", "rdsdata.amazonaws.com"])]}]),
        ),
    ]
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let (_tmp, sim, t0) = temp_simulator_at_start()?;
    let ctx = sim.default_caller("us-east-1");
    create_log_bucket(&sim, &ctx, "bench-logs", true)?;
    let mut arns = Vec::new();
    for (name, selectors) in trail_selectors() {
        let created = sim
            .invoke(
                &ctx,
                "cloudtrail",
                "CreateTrail",
                json!({"Name": name, "S3BucketName": "bench-logs", "IsMultiRegionTrail": true}),
            )
            .map_err(aws)?;
        sim.invoke(
            &ctx,
            "cloudtrail",
            "PutEventSelectors",
            json!({"TrailName": name, "AdvancedEventSelectors": selectors}),
        )
        .map_err(aws)?;
        sim.invoke(&ctx, "cloudtrail", "StartLogging", json!({"Name": name}))
            .map_err(aws)?;
        arns.push(created["TrailARN"].as_str().unwrap_or_default().to_string());
    }
    let start = t0 + chrono::Duration::seconds(1);
    let accounts = vec![ctx.account_id.clone()];
    let mut profile = Profile::new(args.seed, start, args.events, accounts);
    profile.rate_per_sec = 200.0;
    let window_end = profile.end() + chrono::Duration::minutes(10);
    let files_before = count_files(&sim)?;

    println!(
        "ctsim bench delivery: {} generated events, 5 trails with advanced selectors",
        args.events
    );
    let cpu_began = cpu_seconds();
    let began = Instant::now();
    let generator = Generator::new(profile.clone()).map_err(aws)?;
    sim.append_events(generator).map_err(aws)?;
    let recorded = began.elapsed();
    sim.set_time(window_end).map_err(aws)?; // closes every window: delivery runs
    let ours = began.elapsed();
    let ours_cpu = cpu_seconds().zip(cpu_began).map(|(b, a)| b - a);
    let peak = peak_rss_mib();
    let files = count_files(&sim)? - files_before;

    // Floor: which trail takes which event is decided up front (not timed); then only the
    // serialising and gzipping of each trail's events is timed.
    let compiled: Vec<CompiledTrail> = arns
        .iter()
        .map(|arn| -> Result<CompiledTrail> {
            let selectors = sim.read(|db| Ok(selectors_of(db, arn)?)).map_err(aws)?;
            let scope = TrailScope {
                home_region: "us-east-1".into(),
                multi_region: true,
                include_global_service_events: true,
                account_id: ctx.account_id.clone(),
                organization_accounts: Vec::new(),
            };
            Ok(CompiledTrail::new(&scope, &selectors))
        })
        .collect::<Result<_>>()?;
    let records: Vec<Value> = Generator::new(profile).map_err(aws)?.records().collect();
    let per_trail: Vec<Vec<&Value>> = compiled
        .iter()
        .map(|t| records.iter().filter(|r| t.captures(r)).collect())
        .collect();
    let matched: usize = per_trail.iter().map(Vec::len).sum();
    let cpu_began = cpu_seconds();
    let began = Instant::now();
    let mut gz_bytes = 0usize;
    for trail_records in &per_trail {
        for chunk in trail_records.chunks(1000) {
            let body = serde_json::to_vec(&json!({"Records": chunk}))?;
            let mut enc = GzEncoder::new(Vec::with_capacity(body.len() / 4), COMPRESSION);
            enc.write_all(&body)?;
            gz_bytes += enc.finish()?.len();
        }
    }
    let floor = began.elapsed();
    let floor_cpu = cpu_seconds().zip(cpu_began).map(|(b, a)| b - a);

    let eps = |d: std::time::Duration| ratio(args.events as f64, d.as_secs_f64());
    println!("{:<44} {:>10} {:>14}", "", "seconds", "events/s");
    println!(
        "{:<44} {:>10.2} {:>14.0}",
        "floor: serialise + gzip per matching trail",
        floor.as_secs_f64(),
        eps(floor)
    );
    println!(
        "{:<44} {:>10.2} {:>14.0}",
        "ctsim: generate, record, match, deliver",
        ours.as_secs_f64(),
        eps(ours)
    );
    println!(
        "ratio (ctsim / floor events/s): {:.2}",
        eps(ours) / eps(floor)
    );
    println!(
        "  of which generate + record {:.2} s, match + deliver {:.2} s",
        recorded.as_secs_f64(),
        (ours - recorded).as_secs_f64()
    );
    if let (Some(o), Some(f)) = (ours_cpu, floor_cpu) {
        println!(
            "CPU seconds (all threads): floor {f:.2}, ctsim {o:.2}; events per CPU second: floor {:.0}, ctsim {:.0}",
            ratio(args.events as f64, f),
            ratio(args.events as f64, o)
        );
    }
    println!(
        "matched (event, trail) pairs: {matched}; files delivered: {files}; floor gzip bytes: {gz_bytes}"
    );
    if let Some(mib) = peak {
        println!("peak resident memory during the ctsim run: {mib:.0} MiB");
    }
    Ok(ExitCode::SUCCESS)
}

fn count_files(sim: &Simulator) -> Result<usize> {
    sim.run_unrecorded(|env| {
        Ok(crate::services::s3::objects::list_objects(env, "bench-logs", "")?.len())
    })
    .map_err(aws)
}
