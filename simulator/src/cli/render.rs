//! Operator views of the simulator for `ctsim events` and `ctsim trails`: tables for people,
//! JSON for machines. They read through the service functions without being recorded, so
//! looking does not change what there is to see.

use std::fmt::Write;

use anyhow::{Result, anyhow};
use clap::Args;
use serde_json::{Value, json};

use crate::Simulator;
use crate::cloudtrail::{self, model};

#[derive(Args, Default, Clone)]
pub struct EventsArgs {
    /// Only events with this event name (LookupAttribute EventName).
    #[arg(long)]
    pub name: Option<String>,
    /// Any lookup attribute, KEY=VALUE (EventId, EventName, ReadOnly, Username,
    /// ResourceType, ResourceName, EventSource, AccessKeyId).
    #[arg(long, conflicts_with = "name")]
    pub lookup: Option<String>,
    /// Region whose event history to read (default: the simulator's default region).
    #[arg(long)]
    pub region: Option<String>,
    /// How many events at most.
    #[arg(long, default_value_t = 20)]
    pub max: usize,
    /// Print the CloudTrail records as JSON.
    #[arg(long)]
    pub json: bool,
    /// CloudTrail Insights events instead of management events (EventCategory=insight).
    #[arg(long)]
    pub insights: bool,
}

fn aws(e: crate::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

/// The events matching `args`, newest first, as (lookup entry, parsed record).
fn lookup(sim: &Simulator, args: &EventsArgs) -> Result<Vec<(model::Event, Value)>> {
    let region = args.region.clone().unwrap_or_else(|| sim.default_region());
    let ctx = sim.default_caller(&region);
    let attribute = match (&args.name, &args.lookup) {
        (Some(name), _) => Some(model::LookupAttribute {
            attribute_key: "EventName".into(),
            attribute_value: name.clone(),
        }),
        (None, Some(kv)) => {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| anyhow!("--lookup takes KEY=VALUE, e.g. Username=ctsim"))?;
            Some(model::LookupAttribute {
                attribute_key: k.into(),
                attribute_value: v.into(),
            })
        }
        (None, None) => None,
    };
    let mut out = Vec::new();
    let mut token = None;
    while out.len() < args.max {
        let request = model::LookupEventsRequest {
            lookup_attributes: attribute.clone().map(|a| vec![a]),
            max_results: Some((args.max - out.len()).min(50) as i64),
            next_token: token.take(),
            event_category: args.insights.then(|| "insight".to_string()),
            ..Default::default()
        };
        let page = sim
            .run_unrecorded(|env| cloudtrail::lookup_events(env, &ctx, request))
            .map_err(aws)?;
        for event in page.events {
            let record = event
                .cloud_trail_event
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(Value::Null);
            out.push((event, record));
        }
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    Ok(out)
}

pub fn events(sim: &Simulator, args: &EventsArgs) -> Result<String> {
    let found = lookup(sim, args)?;
    if args.json {
        let records: Vec<Value> = found.into_iter().map(|(_, r)| r).collect();
        return Ok(serde_json::to_string_pretty(&records)? + "\n");
    }
    let rows: Vec<[String; 5]> = found
        .iter()
        .map(|(event, record)| {
            let insight = &record["insightDetails"];
            let outcome = match (record["errorCode"].as_str(), insight["state"].as_str()) {
                (Some(code), _) => code.to_string(),
                // Insights events: "Start ApiCallRateInsight".
                (None, Some(state)) => {
                    format!("{state} {}", insight["insightType"].as_str().unwrap_or("-"))
                }
                (None, None) => "ok".to_string(),
            };
            [
                record["eventTime"].as_str().unwrap_or_default().to_string(),
                event.event_name.clone().unwrap_or_default(),
                event.username.clone().unwrap_or_default(),
                event.event_source.clone().unwrap_or_default(),
                outcome,
            ]
        })
        .collect();
    if rows.is_empty() {
        return Ok("No events.\n".to_string());
    }
    Ok(table(
        &["EVENT TIME", "EVENT NAME", "USER", "EVENT SOURCE", "RESULT"],
        &rows,
    ))
}

pub fn trails(sim: &Simulator, as_json: bool) -> Result<String> {
    let trails = sim.trails_with_status().map_err(aws)?;
    if as_json {
        let list: Vec<Value> = trails
            .iter()
            .map(|(t, s)| json!({"Trail": t, "Status": s}))
            .collect();
        return Ok(serde_json::to_string_pretty(&list)? + "\n");
    }
    if trails.is_empty() {
        return Ok("No trails.\n".to_string());
    }
    let yes_no = |b: Option<bool>| if b == Some(true) { "yes" } else { "no" }.to_string();
    let rows: Vec<[String; 6]> = trails
        .iter()
        .map(|(t, s)| {
            [
                t.name.clone().unwrap_or_default(),
                t.home_region.clone().unwrap_or_default(),
                yes_no(t.is_multi_region_trail),
                yes_no(s.is_logging),
                t.s3_bucket_name.clone().unwrap_or_default(),
                t.trail_arn.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Ok(table(
        &[
            "NAME",
            "HOME REGION",
            "MULTI-REGION",
            "LOGGING",
            "S3 BUCKET",
            "ARN",
        ],
        &rows,
    ))
}

/// A plain, aligned text table (no colour, so it snapshots the same everywhere).
pub fn table<const N: usize>(headers: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let text: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(out, "{}", text.join("  ").trim_end());
    };
    line(headers.to_vec(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn events_insights_lists_only_insights_events() {
        let (_dir, sim) = seeded();
        let account = sim.default_caller("us-east-1").account_id;
        let record = json!({"eventVersion": "1.07", "eventTime": "2026-01-01T12:00:00Z",
            "awsRegion": "us-east-1", "eventID": "0a1b2c3d-0000-4000-8000-000000000001",
            "eventType": "AwsCloudTrailInsight", "recipientAccountId": account,
            "sharedEventID": "0a1b2c3d-0000-4000-8000-000000000002",
            "insightDetails": {"state": "Start", "eventSource": "ec2.amazonaws.com",
                "eventName": "RunInstances", "insightType": "ApiCallRateInsight"},
            "eventCategory": "Insight"});
        sim.append_records([record]).unwrap(); // a valid record
        let args = EventsArgs {
            insights: true,
            max: 20,
            ..Default::default()
        };
        let text = events(&sim, &args).unwrap(); // test read
        assert!(text.contains("RunInstances"), "{text}");
        assert!(text.contains("Start ApiCallRateInsight"), "{text}");
        assert!(!text.contains("CreateTrail"), "{text}");
        let plain = events(
            &sim,
            &EventsArgs {
                max: 20,
                ..Default::default()
            },
        )
        .unwrap(); // test read
        assert!(!plain.contains("RunInstances"), "{plain}");
    }

    fn seeded() -> (tempfile::TempDir, Simulator) {
        let dir = tempfile::tempdir().unwrap();
        let sim = Simulator::open(dir.path()).unwrap();
        sim.set_time(chrono::Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap())
            .unwrap();
        let ctx = sim.default_caller("us-east-1");
        let policy = crate::policy::documented_bucket_policy("logs", None, &ctx.account_id);
        sim.invoke(&ctx, "s3", "CreateBucket", json!({"Bucket": "logs"}))
            .unwrap();
        sim.invoke(
            &ctx,
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": "logs", "Policy": policy}),
        )
        .unwrap();
        sim.invoke(
            &ctx,
            "cloudtrail",
            "CreateTrail",
            json!({"Name": "audit", "S3BucketName": "logs", "IsMultiRegionTrail": true}),
        )
        .unwrap();
        sim.advance_time(chrono::Duration::seconds(5)).unwrap();
        sim.invoke(&ctx, "cloudtrail", "StartLogging", json!({"Name": "audit"}))
            .unwrap();
        sim.advance_time(chrono::Duration::seconds(5)).unwrap();
        let failed = sim.invoke(
            &ctx,
            "cloudtrail",
            "CreateTrail",
            json!({"Name": "a", "S3BucketName": "logs"}),
        );
        assert!(failed.is_err());
        (dir, sim)
    }

    #[test]
    fn events_table_lists_newest_first_with_errors() {
        let (_dir, sim) = seeded();
        insta::assert_snapshot!(
            events(
                &sim,
                &EventsArgs {
                    max: 20,
                    ..Default::default()
                }
            )
            .unwrap()
        );
    }

    #[test]
    fn events_json_prints_full_records() {
        let (_dir, sim) = seeded();
        let args = EventsArgs {
            max: 1,
            json: true,
            name: Some("StartLogging".into()),
            ..Default::default()
        };
        insta::assert_snapshot!(events(&sim, &args).unwrap());
    }

    #[test]
    fn trails_table_shows_logging_state() {
        let (_dir, sim) = seeded();
        insta::assert_snapshot!(trails(&sim, false).unwrap());
    }

    #[test]
    fn viewing_events_records_nothing() {
        let (_dir, sim) = seeded();
        let before = sim.event_records().unwrap().len();
        events(
            &sim,
            &EventsArgs {
                max: 5,
                ..Default::default()
            },
        )
        .unwrap();
        trails(&sim, true).unwrap();
        assert_eq!(sim.event_records().unwrap().len(), before);
    }
}
