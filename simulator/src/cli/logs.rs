//! `ctsim logs`: the CloudTrail log files delivered into simulated buckets. Reading goes
//! through the S3 helpers, so what is shown is what S3 GetObject would return.

use std::fmt::Write;

use anyhow::{Result, anyhow};
use clap::Subcommand;
use serde_json::Value;

use crate::Simulator;
use crate::pipeline::delivered;
use crate::services::Env;

#[derive(Subcommand)]
pub enum LogsCommand {
    /// Delivered log files in delivery order: bucket, key, records, size, delivery time.
    List {
        /// Only files of this trail (name or ARN).
        #[arg(long)]
        trail: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print one delivered log file (gunzipped, pretty JSON). KEY is the object key, or
    /// BUCKET/KEY.
    Print { key: String },
}

fn aws(e: crate::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

pub fn run(sim: &Simulator, cmd: LogsCommand) -> Result<String> {
    match cmd {
        LogsCommand::List { trail, json } => {
            let files = delivered(sim, trail.as_deref())?;
            Ok(if json {
                let mut s = serde_json::to_string_pretty(&Value::Array(files))?;
                s.push('\n');
                s
            } else {
                list_text(&files)
            })
        }
        LogsCommand::Print { key } => print(sim, &key),
    }
}

/// The log-file documents (optionally of one trail), by delivery window.
fn delivered(sim: &Simulator, trail: Option<&str>) -> Result<Vec<Value>> {
    let now = sim.now();
    sim.read(|db| {
        delivered::list(
            &Env {
                db,
                now,
                state_dir: sim.state_dir(),
            },
            trail,
        )
    })
    .map_err(aws)
}

/// A table for people.
pub fn list_text(files: &[Value]) -> String {
    if files.is_empty() {
        return "No log files delivered yet.\n".to_string();
    }
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "{:<20}  {:>7}  {:>8}  {:<20}  KEY",
        "DELIVERED AT", "RECORDS", "SIZE", "BUCKET"
    );
    for f in files {
        let _ = writeln!(
            out,
            "{:<20}  {:>7}  {:>8}  {:<20}  {}",
            f["deliveredAt"].as_str().unwrap_or("-"),
            f["records"].as_u64().unwrap_or(0),
            f["size"].as_u64().unwrap_or(0),
            f["bucket"].as_str().unwrap_or("-"),
            f["key"].as_str().unwrap_or("-"),
        );
    }
    out
}

fn print(sim: &Simulator, wanted: &str) -> Result<String> {
    let files = delivered(sim, None)?;
    let file = files
        .iter()
        .find(|f| {
            let (b, k) = (
                f["bucket"].as_str().unwrap_or_default(),
                f["key"].as_str().unwrap_or_default(),
            );
            k == wanted || format!("{b}/{k}") == wanted
        })
        .ok_or_else(|| anyhow!("no delivered log file {wanted} (see `ctsim logs list`)"))?;
    let (bucket, key) = (
        file["bucket"].as_str().unwrap_or_default(),
        file["key"].as_str().unwrap_or_default(),
    );
    let now = sim.now();
    let v = sim
        .read(|db| {
            delivered::read_json(
                &Env {
                    db,
                    now,
                    state_dir: sim.state_dir(),
                },
                bucket,
                key,
            )
        })
        .map_err(aws)?;
    let mut s = serde_json::to_string_pretty(&v)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::insights::INSIGHT_FILE_KIND;
    use crate::testing::LoggingTrail;
    use serde_json::json;

    #[test]
    fn list_renders_one_line_per_file() {
        let files = [
            json!({"trailArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit",
            "bucket": "logs", "key": "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/123456789012_CloudTrail_us-east-1_20260101T0005Z_AbCdEfGhIjKlMnOp.json.gz",
            "records": 3, "size": 812, "deliveredAt": "2026-01-01T00:12:30Z"}),
        ];
        insta::assert_snapshot!(list_text(&files));
        assert_eq!(list_text(&[]), "No log files delivered yet.\n");
    }

    #[test]
    fn list_includes_insights_files() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        let key = "AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2026/01/09/123456789012_CloudTrail-Insight_us-east-1_20260109T0000Z_AbCdEfGhIjKlMnOp.json.gz";
        sim.run_unrecorded(|env| {
            let doc = json!({"trailArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit",
                "bucket": "logs", "key": key, "records": 2, "size": 900,
                "deliveredAt": "2026-01-09T00:00:00Z"});
            let id = format!("logs/{key}");
            env.db.put_document(
                &crate::store::DocKey {
                    service: "cloudtrail",
                    kind: INSIGHT_FILE_KIND,
                    account_id: "123456789012",
                    region: "us-east-1",
                    id: &id,
                },
                &doc,
                0,
            )?;
            Ok(())
        })
        .unwrap(); // test setup
        let listed = delivered(&sim, Some("audit")).unwrap(); // test read
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["key"], key);
    }

    #[test]
    fn print_shows_a_delivered_file_and_list_filters_by_trail() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        let t0 = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap() // literal
            .with_timezone(&chrono::Utc);
        sim.set_time(t0).unwrap(); // test setup
        let me = crate::CallerContext::new("123456789012", "us-east-1");
        LoggingTrail::default().create(&sim, &me).unwrap(); // test setup
        sim.advance_time(chrono::Duration::minutes(10)).unwrap(); // test setup
        let listed = delivered(&sim, Some("audit")).unwrap(); // test read
        assert_eq!(listed.len(), 1);
        assert!(delivered(&sim, Some("other")).unwrap().is_empty()); // test read
        let key = listed[0]["key"].as_str().unwrap().to_string(); // stored as a string
        let printed = run(
            &sim,
            LogsCommand::Print {
                key: format!("logs/{key}"),
            },
        )
        .unwrap();
        let v: Value = serde_json::from_str(&printed).unwrap(); // printed JSON
        // Every call happened at the instant logging started, so all are delivered.
        let names: Vec<&str> = v["Records"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["eventName"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "CreateBucket",
                "PutBucketPolicy",
                "CreateTrail",
                "StartLogging"
            ]
        );
        assert!(run(&sim, LogsCommand::Print { key: "nope".into() }).is_err());
    }
}
