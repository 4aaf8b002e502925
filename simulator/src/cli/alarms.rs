//! `ctsim alarms`: the CloudWatch alarms of every account and region with their state, and an
//! alarm's history (state changes, actions, configuration updates). Operator views: nothing
//! here is recorded in CloudTrail.

use std::fmt::Write;

use anyhow::{Result, anyhow};
use clap::Args;
use serde_json::json;

use crate::services::cloudwatch::alarms;
use crate::services::cloudwatch::history::describe_alarm_history;
use crate::services::cloudwatch::model::{AlarmHistoryItem, DescribeAlarmHistoryRequest};
use crate::{CallerContext, Simulator};

#[derive(Args)]
pub struct AlarmsArgs {
    /// Show this alarm's history (newest first) instead of the list.
    #[arg(long)]
    pub history: Option<String>,
    /// Only alarms of this region.
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn aws(e: crate::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

fn when(epoch_seconds: f64) -> String {
    crate::clock::from_millis((epoch_seconds * 1000.0).round() as i64)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn run(sim: &Simulator, args: &AlarmsArgs) -> Result<String> {
    let list = sim
        .run_unrecorded(|env| alarms::all(env, None, args.region.as_deref()))
        .map_err(aws)?;
    if let Some(name) = &args.history {
        let Some((account, region, _)) = list.iter().find(|(_, _, a)| &a.alarm.alarm_name == name)
        else {
            return Err(anyhow!("no alarm named {name}"));
        };
        let ctx = CallerContext::new(account.clone(), region.clone());
        let items: Vec<AlarmHistoryItem> = sim
            .run_unrecorded(|env| {
                describe_alarm_history(
                    env,
                    &ctx,
                    DescribeAlarmHistoryRequest {
                        alarm_name: Some(name.clone()),
                        max_records: Some(100),
                        ..Default::default()
                    },
                )
            })
            .map_err(aws)?
            .alarm_history_items;
        if args.json {
            return Ok(format!("{}\n", serde_json::to_string_pretty(&items)?));
        }
        let mut out = String::new();
        for i in &items {
            let _ = writeln!(
                out,
                "{}  {:<20} {}",
                when(i.timestamp),
                i.history_item_type,
                i.history_summary
            );
        }
        if out.is_empty() {
            out.push_str("No history.\n");
        }
        return Ok(out);
    }
    if args.json {
        let rows: Vec<_> = list
            .iter()
            .map(|(account, region, d)| {
                json!({"AccountId": account, "Region": region, "AlarmName": d.alarm.alarm_name,
                       "StateValue": d.alarm.state_value, "StateReason": d.alarm.state_reason,
                       "StateUpdatedTimestamp": d.alarm.state_updated_timestamp,
                       "MetricName": d.alarm.metric_name, "Namespace": d.alarm.namespace})
            })
            .collect();
        return Ok(format!("{}\n", serde_json::to_string_pretty(&rows)?));
    }
    if list.is_empty() {
        return Ok("No CloudWatch alarms.\n".into());
    }
    let mut out = String::new();
    for (account, region, d) in &list {
        let a = &d.alarm;
        let metric = match (&a.namespace, &a.metric_name) {
            (Some(ns), Some(m)) => format!("{ns}/{m}"),
            _ => "(metric math)".into(),
        };
        let _ = writeln!(
            out,
            "{:<17} {:<32} {account} {region}  {metric}  since {}",
            a.state_value,
            a.alarm_name,
            when(a.state_updated_timestamp)
        );
        let _ = writeln!(out, "    {}", a.state_reason);
    }
    Ok(out)
}
