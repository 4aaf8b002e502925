//! Alarm history: the items CloudWatch writes (ConfigurationUpdate, StateUpdate, Action)
//! with its summaries and JSON `HistoryData`, and DescribeAlarmHistory. Items are kept 30
//! days, also after their alarm is deleted, as CloudWatch does.
//!
//! Each item is one document of kind `history`, its id the time and a counter, so the
//! store lists them in the order they happened.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::SERVICE;
use super::alarms::history_form;
use super::errors::*;
use super::metrics::{decode_token, encode_token};
use super::model::*;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message};
use crate::store::DocKey;

const HISTORY_KIND: &str = "history";
const RETENTION_DAYS: i64 = 30;
pub const DEFAULT_MAX_RECORDS: usize = 50;
pub const ITEM_TYPES: &[&str] = &[
    "ConfigurationUpdate",
    "StateUpdate",
    "Action",
    "AlarmContributorStateUpdate",
    "AlarmContributorAction",
];

/// An item as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    alarm_name: String,
    ms: i64,
    item_type: String,
    summary: String,
    data: String,
}

fn corrupt(e: impl std::fmt::Display) -> AwsError {
    AwsError::internal(format!("corrupt CloudWatch alarm history document: {e}"))
}

/// Appends an item at the current time.
fn append(
    env: &Env<'_>,
    account: &str,
    region: &str,
    alarm_name: &str,
    item_type: &str,
    summary: String,
    data: &Value,
) -> Result<(), AwsError> {
    let ms = clock::to_millis(env.now);
    let seq = env.db.next_counter("cloudwatch.history")?;
    let id = format!("{ms:015}/{seq:012}");
    let item = Stored {
        alarm_name: alarm_name.to_string(),
        ms,
        item_type: item_type.to_string(),
        summary,
        data: data.to_string(),
    };
    let body = serde_json::to_value(&item).map_err(corrupt)?;
    env.db.put_document(
        &DocKey {
            service: SERVICE,
            kind: HISTORY_KIND,
            account_id: account,
            region,
            id: &id,
        },
        &body,
        ms,
    )?;
    Ok(())
}

pub fn configuration_created(
    env: &Env<'_>,
    account: &str,
    region: &str,
    alarm: &MetricAlarm,
) -> Result<(), AwsError> {
    let data = json!({"version": "1.0", "type": "Create", "createdAlarm": history_form(alarm)});
    append(
        env,
        account,
        region,
        &alarm.alarm_name,
        "ConfigurationUpdate",
        format!("Alarm \"{}\" created", alarm.alarm_name),
        &data,
    )
}

/// An update: the new configuration and, under `originalUpdatedFields`, the previous
/// values of what changed.
pub fn configuration_updated(
    env: &Env<'_>,
    account: &str,
    region: &str,
    before: &MetricAlarm,
    after: &MetricAlarm,
) -> Result<(), AwsError> {
    let (old, new) = (history_form(before), history_form(after));
    let mut original = serde_json::Map::new();
    for (k, v) in &old {
        if k != "alarmConfigurationUpdatedTimestamp" && new.get(k) != Some(v) {
            original.insert(k.clone(), v.clone());
        }
    }
    for k in new.keys() {
        if !old.contains_key(k) {
            original.insert(k.clone(), Value::Null);
        }
    }
    let data = json!({
        "version": "1.0",
        "type": "Update",
        "updatedAlarm": new,
        "originalUpdatedFields": original,
    });
    append(
        env,
        account,
        region,
        &after.alarm_name,
        "ConfigurationUpdate",
        format!("Alarm \"{}\" updated", after.alarm_name),
        &data,
    )
}

pub fn configuration_deleted(
    env: &Env<'_>,
    account: &str,
    region: &str,
    alarm: &MetricAlarm,
) -> Result<(), AwsError> {
    let data = json!({"version": "1.0", "type": "Delete", "deletedAlarm": history_form(alarm)});
    append(
        env,
        account,
        region,
        &alarm.alarm_name,
        "ConfigurationUpdate",
        format!("Alarm \"{}\" deleted", alarm.alarm_name),
        &data,
    )
}

/// One side of a state change in `HistoryData`.
fn state_json(value: &str, reason: &str, data: Option<&str>) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("stateValue".into(), json!(value));
    m.insert("stateReason".into(), json!(reason));
    if let Some(d) = data.and_then(|d| serde_json::from_str::<Value>(d).ok()) {
        m.insert("stateReasonData".into(), d);
    }
    Value::Object(m)
}

#[allow(clippy::too_many_arguments)]
pub fn state_updated(
    env: &Env<'_>,
    account: &str,
    region: &str,
    alarm_name: &str,
    old: (&str, &str, Option<&str>),
    new: (&str, &str, Option<&str>),
) -> Result<(), AwsError> {
    let data = json!({
        "version": "1.0",
        "oldState": state_json(old.0, old.1, old.2),
        "newState": state_json(new.0, new.1, new.2),
    });
    append(
        env,
        account,
        region,
        alarm_name,
        "StateUpdate",
        format!("Alarm updated from {} to {}", old.0, new.0),
        &data,
    )
}

/// An action handed out to run: `Ok` when its target can receive it (SNS notifications
/// are published by the caller), else why not.
pub fn action_executed(
    env: &Env<'_>,
    action: &super::evaluate::AlarmAction,
    outcome: Result<(), String>,
) -> Result<(), AwsError> {
    let mut data = serde_json::Map::new();
    let summary = match &outcome {
        Ok(()) => {
            data.insert("actionState".into(), json!("Succeeded"));
            format!("Successfully executed action {}", action.target_arn)
        }
        Err(reason) => {
            data.insert("actionState".into(), json!("Failed"));
            format!(
                "Failed to execute action {}. Received error: \"{reason}\"",
                action.target_arn
            )
        }
    };
    data.insert("stateUpdateTimestamp".into(), json!(action.state_change_ms));
    data.insert("notificationResource".into(), json!(action.target_arn));
    data.insert("publishedMessage".into(), json!(action.message));
    if let Err(reason) = &outcome {
        data.insert("error".into(), json!(reason));
    }
    append(
        env,
        &action.account_id,
        &action.region,
        &action.alarm_name,
        "Action",
        summary,
        &Value::Object(data),
    )
}

/// Deletes items older than the retention period.
pub fn prune(env: &Env<'_>, account: &str, region: &str) -> Result<(), AwsError> {
    let cutoff = clock::to_millis(env.now - Duration::days(RETENTION_DAYS));
    for d in env
        .db
        .documents(SERVICE, HISTORY_KIND, Some(account), Some(region))?
    {
        let ms =
            d.id.split('/')
                .next()
                .and_then(|m| m.parse::<i64>().ok())
                .unwrap_or(i64::MAX);
        if ms >= cutoff {
            break;
        }
        env.db.delete_document(&DocKey {
            service: SERVICE,
            kind: HISTORY_KIND,
            account_id: account,
            region,
            id: &d.id,
        })?;
    }
    Ok(())
}

pub fn describe_alarm_history(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeAlarmHistoryRequest,
) -> Result<DescribeAlarmHistoryResponse, AwsError> {
    if let Some(n) = &req.alarm_name {
        check_length(n, "alarmName", 1, 255)?;
    }
    if let Some(t) = &req.history_item_type {
        check_enum(t, "historyItemType", ITEM_TYPES)?;
    }
    for (i, t) in req.alarm_types.iter().flatten().enumerate() {
        check_enum(
            t,
            &format!("alarmTypes.{}.member", i + 1),
            &["CompositeAlarm", "MetricAlarm", "LogAlarm"],
        )?;
    }
    let descending = match req.scan_by.as_deref() {
        None | Some("TimestampDescending") => true,
        Some("TimestampAscending") => false,
        Some(other) => {
            return Err(validation(constraint_message(
                other,
                "scanBy",
                "Member must satisfy enum value set: [TimestampDescending, TimestampAscending]",
            )));
        }
    };
    let max = match req.max_records {
        None => DEFAULT_MAX_RECORDS,
        Some(m) if (1..=100).contains(&m) => m as usize,
        Some(m) => {
            return Err(validation(constraint_message(
                &m.to_string(),
                "maxRecords",
                if m < 1 {
                    "Member must have value greater than or equal to 1"
                } else {
                    "Member must have value less than or equal to 100"
                },
            )));
        }
    };
    let start = match &req.next_token {
        Some(t) => decode_token(t)?,
        None => 0,
    };
    let metric_alarms = req
        .alarm_types
        .as_ref()
        .is_none_or(|t| t.iter().any(|x| x == "MetricAlarm"));
    let cutoff = clock::to_millis(env.now - Duration::days(RETENTION_DAYS));
    let from = req.start_date.map(clock::to_millis);
    let to = req.end_date.map(clock::to_millis);
    let mut items: Vec<Stored> = Vec::new();
    if metric_alarms && req.alarm_contributor_id.is_none() {
        for d in env.db.documents(
            SERVICE,
            HISTORY_KIND,
            Some(&ctx.account_id),
            Some(&ctx.region),
        )? {
            let s: Stored = serde_json::from_value(d.body).map_err(corrupt)?;
            if s.ms >= cutoff
                && req.alarm_name.as_ref().is_none_or(|n| *n == s.alarm_name)
                && req
                    .history_item_type
                    .as_ref()
                    .is_none_or(|t| *t == s.item_type)
                && from.is_none_or(|f| s.ms >= f)
                && to.is_none_or(|t| s.ms <= t)
            {
                items.push(s);
            }
        }
    }
    if descending {
        items.reverse();
    }
    if start > items.len() {
        return Err(invalid_next_token());
    }
    let end = (start + max).min(items.len());
    Ok(DescribeAlarmHistoryResponse {
        alarm_history_items: items[start..end]
            .iter()
            .map(|s| AlarmHistoryItem {
                alarm_name: s.alarm_name.clone(),
                alarm_type: "MetricAlarm".to_string(),
                timestamp: s.ms as f64 / 1000.0,
                history_item_type: s.item_type.clone(),
                history_summary: s.summary.clone(),
                history_data: s.data.clone(),
            })
            .collect(),
        next_token: (end < items.len()).then(|| encode_token(end)),
    })
}
