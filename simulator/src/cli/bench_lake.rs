//! `ctsim bench lake`: CloudTrail Lake at volume. Ingests N generated events into an event
//! data store (events/s), then runs two queries through Lake SQL (StartQuery and every page
//! of GetQueryResults, as a client would) and the same two queries written by hand against
//! the SQLite table in the same run (the floor), and prints the ratios.
//!
//! Ingestion is timed from the record text to the stored row, per event: parse, the one
//! selector evaluator, typed column extraction and the insert, in transactions of one batch
//! — the work `pipeline::lake::ingest_due` does for each event it reads from the event log.
//! Generating the records is not timed.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use serde_json::{Value, json};

use super::bench_support::{aws, median, ratio, temp_simulator_at_start, time_ratio};
use crate::generate::{Generator, Profile};
use crate::pipeline::lake::{Target, offer_record};
use crate::services::cloudtrail::event_data_stores::LoadedEds;

pub struct Args {
    pub events: u64,
    pub seed: u64,
    /// Runs of each query (the median is reported).
    pub runs: usize,
}

const BATCH: usize = 20_000;

pub fn run(args: &Args) -> Result<ExitCode> {
    let (_tmp, sim, t0) = temp_simulator_at_start()?;
    let ctx = sim.default_caller("us-east-1");
    let fs = |field: &str, values: &[&str]| json!({"Field": field, "Equals": values});
    let created = sim
        .invoke(
            &ctx,
            "cloudtrail",
            "CreateEventDataStore",
            json!({"Name": "bench", "AdvancedEventSelectors": [
                {"Name": "management", "FieldSelectors": [fs("eventCategory", &["Management"])]},
                {"Name": "s3", "FieldSelectors": [fs("eventCategory", &["Data"]), fs("resources.type", &["AWS::S3::Object"])]},
                {"Name": "lambda", "FieldSelectors": [fs("eventCategory", &["Data"]), fs("resources.type", &["AWS::Lambda::Function"])]},
                {"Name": "dynamodb", "FieldSelectors": [fs("eventCategory", &["Data"]), fs("resources.type", &["AWS::DynamoDB::Table"])]}
            ]}),
        )
        .map_err(aws)?;
    let arn = created["EventDataStoreArn"]
        .as_str()
        .ok_or_else(|| anyhow!("no ARN"))?
        .to_string();
    let id = arn.rsplit('/').next().unwrap_or_default().to_string();

    println!(
        "ctsim bench lake: {} generated events into one event data store (management + S3, Lambda, DynamoDB data events)",
        args.events
    );
    let mut profile = Profile::new(args.seed, t0, args.events, vec![ctx.account_id.clone()]);
    profile.rate_per_sec = 200.0;
    let mut generator = Generator::new(profile.clone()).map_err(aws)?;
    let mut ingest = Duration::ZERO;
    let mut stored = 0u64;
    let mut seq = 0i64;
    let mut user_arn: Option<String> = None;
    loop {
        let batch: Vec<String> = generator.by_ref().take(BATCH).map(|e| e.record).collect();
        if batch.is_empty() {
            break;
        }
        if user_arn.is_none() {
            let first: Value = serde_json::from_str(&batch[0])?;
            user_arn = first["userIdentity"]["arn"].as_str().map(String::from);
        }
        let began = Instant::now();
        let base = seq;
        stored += sim
            .run_unrecorded(|env| {
                let row = env
                    .db
                    .eds_by_arn(&arn)?
                    .ok_or_else(|| crate::AwsError::internal("bench store vanished"))?;
                let mut target = Target::new(env, &LoadedEds::from_row(row)?)?;
                // Rows continue after the store's cursor, as the event log's seqs would.
                let start = base + target.cursor_seq;
                let mut n = 0u64;
                let targets = std::slice::from_mut(&mut target);
                for (i, rec) in batch.iter().enumerate() {
                    n += offer_record(env.db, targets, start + i as i64 + 1, None, rec)?;
                }
                target.finish(env.db, 0)?; // volume counters; the cursor stays
                Ok(n)
            })
            .map_err(aws)?;
        seq += batch.len() as i64;
        ingest += began.elapsed();
    }
    let eps = ratio(args.events as f64, ingest.as_secs_f64());
    println!(
        "ingest: {} events considered, {} stored, {:.2} s, {:.0} events/s (target >= 100,000)",
        args.events,
        stored,
        ingest.as_secs_f64(),
        eps
    );
    let user_arn = user_arn.ok_or_else(|| anyhow!("no events generated"))?;
    let n = sim
        .read(|db| Ok(db.eds_by_arn(&arn)?.map(|r| r.n).unwrap_or_default()))
        .map_err(aws)?;

    // Warm the page cache for both sides alike (not timed).
    sim.read(|db| {
        Ok(db.lake_select(
            "SELECT COUNT(*), SUM(LENGTH(record)) FROM lake_events WHERE eds = ?1",
            &[n.into()],
        )?)
    })
    .map_err(aws)?
    .map_err(|m| anyhow!(m))?;

    let queries = [
        (
            "GROUP BY eventName",
            format!(
                "SELECT eventName, COUNT(*) AS calls FROM {id} GROUP BY eventName ORDER BY calls DESC"
            ),
            "SELECT event_name, COUNT(*) AS calls FROM lake_events WHERE eds = ?1 GROUP BY event_name ORDER BY calls DESC".to_string(),
            false,
        ),
        (
            "filter on userIdentity.arn",
            format!(
                "SELECT eventTime, eventName, eventSource, sourceIPAddress FROM {id} WHERE userIdentity.arn = '{user_arn}'"
            ),
            "SELECT strftime('%Y-%m-%d %H:%M:%f', event_time_ms / 1000.0, 'unixepoch'), event_name, event_source, source_ip FROM lake_events WHERE eds = ?1 AND user_arn = ?2".to_string(),
            true,
        ),
    ];
    println!(
        "{:<30} {:>10} {:>12} {:>12} {:>8}",
        "query (median of runs)", "rows", "floor s", "lake sql s", "ratio"
    );
    let mut worst: f64 = 0.0;
    for (label, lake_sql, floor_sql, with_arn) in &queries {
        let mut floor_times = Vec::new();
        let mut ours_times = Vec::new();
        let mut rows = (0usize, 0usize);
        for _ in 0..args.runs.max(1) {
            // Lake SQL first: StartQuery ingests what is due, then both read the same rows.
            let began = Instant::now();
            let t = super::lake::query(&sim, lake_sql, "us-east-1")?;
            ours_times.push(began.elapsed());
            rows.1 = t.rows.len();
            let mut params: Vec<rusqlite::types::Value> = vec![n.into()];
            if *with_arn {
                params.push(user_arn.clone().into());
            }
            let began = Instant::now();
            let t = sim
                .read(|db| Ok(db.lake_select(floor_sql, &params)?))
                .map_err(aws)?
                .map_err(|m| anyhow!(m))?;
            floor_times.push(began.elapsed());
            rows.0 = t.rows.len();
        }
        if rows.0 != rows.1 {
            return Err(anyhow!(
                "{label}: Lake SQL returned {} rows, the hand-written query {}",
                rows.1,
                rows.0
            ));
        }
        let (f, o) = (median(floor_times), median(ours_times));
        let ratio = time_ratio(o, f);
        worst = worst.max(ratio);
        println!(
            "{:<30} {:>10} {:>12.3} {:>12.3} {:>8.2}",
            label,
            rows.0,
            f.as_secs_f64(),
            o.as_secs_f64(),
            ratio
        );
    }
    println!("worst ratio (Lake SQL / hand-written): {worst:.2} (target <= 1.5)");
    Ok(ExitCode::SUCCESS)
}
