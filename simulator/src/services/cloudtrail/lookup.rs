//! LookupEvents: the event history of the caller's account and region, newest first, for
//! the last 90 days, filtered by at most one attribute, paged with an opaque token.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::model::*;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::{EventFilter, EventQuery};

pub const HISTORY_DAYS: i64 = 90;
pub const DEFAULT_MAX_RESULTS: i64 = 50;
pub const MAX_RESULTS: i64 = 50;
pub const ATTRIBUTE_KEYS: &[&str] = &[
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
];

fn invalid_attributes(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidLookupAttributesException", message)
}

#[derive(Serialize, Deserialize)]
struct Token {
    t: i64,
    s: i64,
    q: String,
}

/// A digest of the parameters a token belongs to: a token only continues the same query.
fn query_digest(req: &LookupEventsRequest) -> String {
    let mut h = Sha256::new();
    for a in req.lookup_attributes.iter().flatten() {
        h.update(a.attribute_key.as_bytes());
        h.update([0]);
        h.update(a.attribute_value.as_bytes());
        h.update([0]);
    }
    h.update(
        format!(
            "{:?}|{:?}|{:?}",
            req.start_time, req.end_time, req.event_category
        )
        .as_bytes(),
    );
    hex::encode(&h.finalize()[..8])
}

fn parse_filter(attrs: &[LookupAttribute]) -> Result<Option<EventFilter>, AwsError> {
    if attrs.len() > 1 {
        return Err(invalid_attributes(
            "You can specify only one lookup attribute.",
        ));
    }
    let Some(a) = attrs.first() else {
        return Ok(None);
    };
    let v = a.attribute_value.clone();
    if v.is_empty() || v.chars().count() > 2000 {
        return Err(invalid_attributes(format!(
            "The value of lookup attribute {} must be from 1 to 2000 characters long.",
            a.attribute_key
        )));
    }
    Ok(Some(match a.attribute_key.as_str() {
        "EventId" => EventFilter::EventId(v),
        "EventName" => EventFilter::EventName(v),
        "ReadOnly" => match v.as_str() {
            "true" => EventFilter::ReadOnly(true),
            "false" => EventFilter::ReadOnly(false),
            _ => {
                return Err(invalid_attributes(format!(
                    "Value {v} for lookup attribute ReadOnly is invalid. Valid values are true and false."
                )));
            }
        },
        "Username" => EventFilter::Username(v),
        "ResourceType" => EventFilter::ResourceType(v),
        "ResourceName" => EventFilter::ResourceName(v),
        "EventSource" => EventFilter::EventSource(v),
        "AccessKeyId" => EventFilter::AccessKeyId(v),
        other => {
            return Err(invalid_attributes(format!(
                "Lookup attribute key {other} is not valid. Valid keys are: {}.",
                ATTRIBUTE_KEYS.join(", ")
            )));
        }
    }))
}

pub fn lookup_events(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: LookupEventsRequest,
) -> Result<LookupEventsResponse, AwsError> {
    let filter = parse_filter(req.lookup_attributes.as_deref().unwrap_or_default())?;
    let max = req.max_results.unwrap_or(DEFAULT_MAX_RESULTS);
    if !(1..=MAX_RESULTS).contains(&max) {
        return Err(AwsError::client(
            "InvalidMaxResultsException",
            format!("MaxResults must be from 1 to {MAX_RESULTS}; {max} was specified."),
        ));
    }
    let time = |v: Option<f64>, what: &str| -> Result<Option<i64>, AwsError> {
        match v {
            None => Ok(None),
            Some(s) => clock::from_epoch_seconds(s)
                .map(|t| Some(clock::to_millis(t)))
                .ok_or_else(|| {
                    AwsError::client(
                        "InvalidTimeRangeException",
                        format!("{what} {s} is not a valid time."),
                    )
                }),
        }
    };
    let start = time(req.start_time, "StartTime")?;
    let end = time(req.end_time, "EndTime")?;
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        return Err(AwsError::client(
            "InvalidTimeRangeException",
            "The start time must be before or equal to the end time.",
        ));
    }
    let before = match &req.next_token {
        None => None,
        Some(tok) => {
            let t: Token = hex::decode(tok)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .ok_or_else(super::trails::invalid_next_token)?;
            if t.q != query_digest(&req) {
                return Err(super::trails::invalid_next_token());
            }
            Some((t.t, t.s))
        }
    };
    // Without EventCategory, LookupEvents returns management events only; `insight`
    // returns the Insights events of trails with insight selectors.
    let insights = match req.event_category.as_deref() {
        None => false,
        Some("insight") => true,
        Some(other) => {
            return Err(AwsError::client(
                "InvalidEventCategoryException",
                format!("EventCategory {other} is not valid. The only valid value is insight."),
            ));
        }
    };
    let now_ms = clock::to_millis(env.now);
    let window_start = env
        .now
        .checked_sub_signed(Duration::days(HISTORY_DAYS))
        .map_or(i64::MIN, clock::to_millis);
    let q = EventQuery {
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        start_ms: start.unwrap_or(window_start).max(window_start),
        end_ms: end.unwrap_or(now_ms),
        filter,
        before,
        limit: max as u32 + 1,
        insights,
    };
    let mut rows = env.db.lookup_events(&q)?;
    let more = rows.len() > max as usize;
    rows.truncate(max as usize);
    let next_token = match (more, rows.last()) {
        (true, Some(last)) => {
            let tok = Token {
                t: last.event_time_ms,
                s: last.seq,
                q: query_digest(&req),
            };
            Some(hex::encode(
                serde_json::to_vec(&tok).map_err(crate::error::StoreError::from)?,
            ))
        }
        _ => None,
    };
    let events = rows
        .into_iter()
        .map(|e| Event {
            event_id: Some(e.event_id),
            event_name: Some(e.event_name),
            read_only: Some(e.read_only.to_string()),
            access_key_id: e.access_key_id,
            event_time: Some(clock::to_epoch_seconds(clock::from_millis(e.event_time_ms))),
            event_source: Some(e.event_source),
            username: e.username,
            resources: Some(
                e.resources
                    .into_iter()
                    .map(|(t, n)| Resource {
                        resource_type: t,
                        resource_name: n,
                    })
                    .collect(),
            ),
            cloud_trail_event: Some(e.record),
        })
        .collect();
    Ok(LookupEventsResponse { events, next_token })
}
