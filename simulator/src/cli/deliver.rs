//! `ctsim deliver`: run the delivery work that has come due and print what was delivered;
//! with `--follow`, keep delivering as time passes until SIGINT or SIGTERM.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, mpsc};

use anyhow::{Context, Result, anyhow};
use clap::Args;

use crate::Simulator;
use crate::pipeline::{self, DueReport};

#[derive(Args)]
pub struct DeliverArgs {
    /// Keep running, delivering as real or simulated time passes, until Ctrl-C / SIGTERM.
    #[arg(long)]
    follow: bool,
    /// With --follow: how often to look for work that has come due (e.g. 10s, 1m).
    #[arg(long, default_value = "10s", requires = "follow")]
    every: String,
    /// Print each pass as one JSON object per line.
    #[arg(long)]
    json: bool,
}

pub fn run(dir: &Path, args: &DeliverArgs) -> Result<ExitCode> {
    let sim =
        Simulator::open_deferred(dir).map_err(|e| anyhow!("opening {}: {e}", dir.display()))?;
    if !args.follow {
        let report = sim.deliver_due().map_err(|e| anyhow!("{e}"))?;
        print!("{}", render(&report, args.json, true)?);
        return Ok(ExitCode::SUCCESS);
    }
    let every = super::parse_duration(&args.every)?
        .to_std()
        .context("--every must be positive")?;
    anyhow::ensure!(!every.is_zero(), "--every must be positive");

    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("installing the SIGINT/SIGTERM handler")?;
    eprintln!(
        "ctsim deliver: delivering from {} every {}; Ctrl-C to stop",
        dir.display(),
        args.every
    );
    let json = args.json;
    let dir = dir.to_path_buf();
    let worker = pipeline::spawn_due_work_loop_with(Arc::new(sim), every, move |pass| match pass {
        Ok(report) if report.is_empty() => {}
        Ok(report) => match render(report, json, false) {
            Ok(text) => print!("{text}"),
            Err(e) => eprintln!("ctsim deliver: {e:#}"),
        },
        Err(e) => match crate::error::StateProblem::of(&e.to_string()) {
            Some(problem) => eprintln!(
                "ctsim deliver: pass failed (retrying): {}\n  ({e})",
                problem.advice(&dir)
            ),
            None => eprintln!("ctsim deliver: pass failed (retrying): {e}"),
        },
    });
    // Either a signal arrived or the handler is gone; stop in both cases.
    let _ = stop_rx.recv();
    worker.stop();
    eprintln!("ctsim deliver: stopped");
    Ok(ExitCode::SUCCESS)
}

/// One line per delivered file and refused destination, then the digest count; an empty
/// pass says so only when `say_empty`.
fn render(report: &DueReport, json: bool, say_empty: bool) -> Result<String> {
    if json {
        return Ok(format!("{}\n", serde_json::to_string(report)?));
    }
    let mut out = String::new();
    for f in &report.delivery.files {
        writeln!(
            out,
            "delivered s3://{}/{}  {} records  {} bytes  ({})",
            f.bucket, f.key, f.records, f.size, f.trail_arn
        )?;
    }
    for (trail, code) in &report.delivery.errors {
        writeln!(out, "refused {trail}: {code}")?;
    }
    if report.digests > 0 {
        writeln!(out, "digest files written: {}", report.digests)?;
    }
    for key in &report.insights.files {
        writeln!(out, "delivered Insights file {key}")?;
    }
    for (trail, code) in &report.insights.errors {
        writeln!(out, "refused Insights files for {trail}: {code}")?;
    }
    let lake = &report.lake;
    if lake.ingested + lake.expired + lake.purged > 0 {
        writeln!(
            out,
            "Lake: {} events ingested, {} expired, {} stores purged",
            lake.ingested, lake.expired, lake.purged
        )?;
    }
    for (alarm, state, topic) in &report.alarms.notified {
        writeln!(out, "alarm {alarm} is {state}: notified {topic}")?;
    }
    for (alarm, target, why) in &report.alarms.failed {
        writeln!(out, "alarm {alarm} action {target} failed: {why}")?;
    }
    let eb = &report.eventbridge;
    if eb.invocations > 0 {
        writeln!(
            out,
            "EventBridge: {} events on the default bus, {} rule matches, {} target invocations",
            eb.events, eb.matched, eb.invocations
        )?;
    }
    for (rule, target, code) in &eb.failed {
        writeln!(
            out,
            "EventBridge rule {rule} target {target} failed: {code}"
        )?;
    }
    if say_empty && report.is_empty() {
        writeln!(out, "nothing has come due")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::delivery::{DeliveredFile, DeliveryReport};

    #[test]
    fn a_pass_renders_one_line_per_file_and_refusal() {
        let report = DueReport {
            delivery: DeliveryReport {
                files: vec![DeliveredFile {
                    trail_arn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit".into(),
                    bucket: "logs".into(),
                    key: "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/x.json.gz".into(),
                    records: 3,
                    size: 512,
                }],
                errors: vec![(
                    "arn:aws:cloudtrail:us-east-1:123456789012:trail/other".into(),
                    "InsufficientS3BucketPolicyException".into(),
                )],
                ..Default::default()
            },
            digests: 1,
            lake: crate::pipeline::lake::IngestReport {
                ingested: 7,
                ..Default::default()
            },
            insights: crate::pipeline::insights::InsightsReport {
                files: vec![
                    "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2026/01/01/x.json.gz".into(),
                ],
                ..Default::default()
            },
            ..Default::default()
        };
        insta::assert_snapshot!(render(&report, false, true).unwrap());
        assert_eq!(
            render(&DueReport::default(), false, true).unwrap(),
            "nothing has come due\n"
        );
        assert_eq!(render(&DueReport::default(), false, false).unwrap(), "");
        let line = render(&report, true, true).unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap(); // one JSON line
        assert_eq!(v["delivery"]["files"][0]["records"], 3);
        assert_eq!(v["digests"], 1);
    }
}
