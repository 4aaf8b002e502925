//! Log streams and their events: create, describe, put, get and filter.

use chrono::Duration;

use super::SERVICE;
use super::filter_pattern::FilterPattern;
use super::groups::{find_group, group_not_found, invalid, load_group, save_group};
use super::model::*;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message};
use crate::store::DocKey;

/// Bytes CloudWatch Logs counts per event on top of the message.
pub const EVENT_OVERHEAD_BYTES: i64 = 26;
pub const MAX_BATCH_EVENTS: usize = 10_000;

fn stream_not_found() -> AwsError {
    AwsError::client(
        "ResourceNotFoundException",
        "The specified log stream does not exist.",
    )
}

/// 1-512 characters, no `:` or `*`.
pub fn validate_stream_name(name: &str) -> Result<(), AwsError> {
    if name.is_empty() || name.len() > 512 {
        return Err(invalid(constraint_message(
            name,
            "logStreamName",
            "Member must have length less than or equal to 512",
        )));
    }
    if name.contains(':') || name.contains('*') {
        return Err(invalid(constraint_message(
            name,
            "logStreamName",
            "Member must satisfy regular expression pattern: [^:*]*",
        )));
    }
    Ok(())
}

fn stream_id(group: &str, stream: &str) -> String {
    format!("{group}:{stream}")
}

fn key<'a>(kind: &'a str, account: &'a str, region: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind,
        account_id: account,
        region,
        id,
    }
}

fn find_stream(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
    stream: &str,
) -> Result<Option<LogStream>, AwsError> {
    let id = stream_id(group, stream);
    match env.db.document(&key("stream", account, region, &id))? {
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt log stream {id}: {e}"))),
        None => Ok(None),
    }
}

fn save_stream(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
    s: &LogStream,
) -> Result<(), AwsError> {
    let id = stream_id(group, &s.log_stream_name);
    let body = serde_json::to_value(s)
        .map_err(|e| AwsError::internal(format!("cannot store log stream: {e}")))?;
    env.db.put_document(
        &key("stream", account, region, &id),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

fn load_events(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
    stream: &str,
) -> Result<StoredEvents, AwsError> {
    let id = stream_id(group, stream);
    match env.db.document(&key("events", account, region, &id))? {
        Some(v) => serde_json::from_value(v)
            .map_err(|e| AwsError::internal(format!("corrupt log events {id}: {e}"))),
        None => Ok(StoredEvents::default()),
    }
}

fn new_stream(region: &str, account: &str, group: &str, name: &str, now_ms: i64) -> LogStream {
    LogStream {
        log_stream_name: name.to_string(),
        creation_time: now_ms,
        arn: format!("arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{name}"),
        ..Default::default()
    }
}

pub fn create_log_stream(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateLogStreamRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_stream_name(&req.log_stream_name)?;
    let g = load_group(env, ctx, &req.log_group_name)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    if find_stream(env, a, r, &g.log_group_name, &req.log_stream_name)?.is_some() {
        return Err(AwsError::client(
            "ResourceAlreadyExistsException",
            "The specified log stream already exists",
        ));
    }
    let s = new_stream(
        r,
        a,
        &g.log_group_name,
        &req.log_stream_name,
        clock::to_millis(env.now),
    );
    save_stream(env, a, r, &g.log_group_name, &s)?;
    Ok(EmptyResponse {})
}

pub fn delete_log_stream(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteLogStreamRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    let s = find_stream(env, a, r, &g.log_group_name, &req.log_stream_name)?
        .ok_or_else(stream_not_found)?;
    let id = stream_id(&g.log_group_name, &s.log_stream_name);
    env.db.delete_document(&key("stream", a, r, &id))?;
    env.db.delete_document(&key("events", a, r, &id))?;
    Ok(EmptyResponse {})
}

/// The group a request names by `logGroupName` or `logGroupIdentifier` (name or ARN).
fn named_group(name: Option<&str>, identifier: Option<&str>) -> Result<String, AwsError> {
    match (name, identifier) {
        (Some(_), Some(_)) => Err(invalid(
            "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
        )),
        (Some(n), None) => Ok(n.to_string()),
        (None, Some(i)) if i.starts_with("arn:") => super::parse_group_arn(i)
            .map(|p| p.name)
            .ok_or_else(|| invalid(format!("Invalid log group identifier: {i}"))),
        (None, Some(i)) => Ok(i.to_string()),
        (None, None) => Err(invalid(
            "Should provide either name or ARN of the log group.",
        )),
    }
}

fn streams_of(env: &Env<'_>, ctx: &CallerContext, group: &str) -> Result<Vec<LogStream>, AwsError> {
    let prefix = format!("{group}:");
    let mut out = Vec::new();
    for d in env
        .db
        .documents(SERVICE, "stream", Some(&ctx.account_id), Some(&ctx.region))?
    {
        if d.id.starts_with(&prefix) {
            out.push(
                serde_json::from_value(d.body)
                    .map_err(|e| AwsError::internal(format!("corrupt log stream {}: {e}", d.id)))?,
            );
        }
    }
    Ok(out)
}

pub fn describe_log_streams(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeLogStreamsRequest,
) -> Result<DescribeLogStreamsResponse, AwsError> {
    let name = named_group(
        req.log_group_name.as_deref(),
        req.log_group_identifier.as_deref(),
    )?;
    let g = load_group(env, ctx, &name)?;
    let order = req.order_by.as_deref().unwrap_or("LogStreamName");
    if order == "LastEventTime" && req.log_stream_name_prefix.is_some() {
        return Err(invalid(
            "Cannot order by LastEventTime with a logStreamNamePrefix.",
        ));
    }
    if order != "LogStreamName" && order != "LastEventTime" {
        return Err(invalid(constraint_message(
            order,
            "orderBy",
            "Member must satisfy enum value set: [LogStreamName, LastEventTime]",
        )));
    }
    let mut streams: Vec<LogStream> = streams_of(env, ctx, &g.log_group_name)?
        .into_iter()
        .filter(|s| {
            req.log_stream_name_prefix
                .as_deref()
                .is_none_or(|p| s.log_stream_name.starts_with(p))
        })
        .collect();
    if order == "LastEventTime" {
        streams.sort_by_key(|s| {
            (
                s.last_event_timestamp.unwrap_or(0),
                s.log_stream_name.clone(),
            )
        });
    } else {
        streams.sort_by(|a, b| a.log_stream_name.cmp(&b.log_stream_name));
    }
    if req.descending.unwrap_or(false) {
        streams.reverse();
    }
    streams.truncate(req.limit.unwrap_or(50).clamp(1, 50) as usize);
    Ok(DescribeLogStreamsResponse {
        log_streams: streams,
    })
}

/// Appends events to a stream of an existing group, creating the stream if needed (how
/// CloudTrail delivery writes). Applies PutLogEvents' rules: chronological order, at most
/// 24 hours per batch, events older than 14 days (or the retention) or more than 2 hours
/// ahead are rejected and reported.
pub fn put_events_internal(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
    stream: &str,
    events: &[InputLogEvent],
) -> Result<PutLogEventsResponse, AwsError> {
    let mut g = find_group(env, account, region, group)?.ok_or_else(group_not_found)?;
    let now_ms = clock::to_millis(env.now);
    let mut s = match find_stream(env, account, region, group, stream)? {
        Some(s) => s,
        None => new_stream(region, account, group, stream, now_ms),
    };
    put_into(env, account, region, &mut g, &mut s, events)
}

fn put_into(
    env: &Env<'_>,
    account: &str,
    region: &str,
    g: &mut LogGroup,
    s: &mut LogStream,
    events: &[InputLogEvent],
) -> Result<PutLogEventsResponse, AwsError> {
    if events.is_empty() {
        return Err(invalid(constraint_message(
            "[]",
            "logEvents",
            "Member must have length greater than or equal to 1",
        )));
    }
    if events.len() > MAX_BATCH_EVENTS {
        return Err(invalid(constraint_message(
            "...",
            "logEvents",
            "Member must have length less than or equal to 10000",
        )));
    }
    if events.windows(2).any(|w| w[1].timestamp < w[0].timestamp) {
        return Err(invalid(
            "Log events in a single PutLogEvents request must be in chronological order.",
        ));
    }
    // Non-empty: checked above.
    let (first, last) = (events[0].timestamp, events[events.len() - 1].timestamp);
    if last - first > Duration::hours(24).num_milliseconds() {
        return Err(invalid(
            "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
        ));
    }
    let now_ms = clock::to_millis(env.now);
    let too_old = now_ms - Duration::days(14).num_milliseconds();
    let too_new = now_ms + Duration::hours(2).num_milliseconds();
    let expired = g
        .retention_in_days
        .map(|d| now_ms - Duration::days(d).num_milliseconds());
    let mut info = RejectedLogEventsInfo::default();
    let mut stored = load_events(env, account, region, &g.log_group_name, &s.log_stream_name)?;
    let mut added_bytes = 0;
    let mut accepted: Vec<(i64, &str)> = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let i = i as i64;
        if expired.is_some_and(|x| e.timestamp < x) {
            info.expired_log_event_end_index = Some(i);
            continue;
        }
        if e.timestamp < too_old {
            info.too_old_log_event_end_index = Some(i);
            continue;
        }
        if e.timestamp > too_new {
            info.too_new_log_event_start_index.get_or_insert(i);
            continue;
        }
        added_bytes += e.message.len() as i64 + EVENT_OVERHEAD_BYTES;
        s.first_event_timestamp = Some(
            s.first_event_timestamp
                .map_or(e.timestamp, |f| f.min(e.timestamp)),
        );
        s.last_event_timestamp = Some(
            s.last_event_timestamp
                .map_or(e.timestamp, |l| l.max(e.timestamp)),
        );
        stored.events.push(OutputLogEvent {
            timestamp: e.timestamp,
            message: e.message.clone(),
            ingestion_time: now_ms,
        });
        accepted.push((e.timestamp, e.message.as_str()));
    }
    // Events of separate batches may interleave in time; keep the stream in time order.
    stored.events.sort_by_key(|e| e.timestamp);
    s.last_ingestion_time = Some(now_ms);
    s.stored_bytes += added_bytes;
    let n = env.db.next_counter("logs.sequence")?;
    let token = format!("{n:056}");
    s.upload_sequence_token = Some(token.clone());
    g.stored_bytes += added_bytes;
    let id = stream_id(&g.log_group_name, &s.log_stream_name);
    let body = serde_json::to_value(&stored)
        .map_err(|e| AwsError::internal(format!("cannot store log events: {e}")))?;
    env.db
        .put_document(&key("events", account, region, &id), &body, now_ms)?;
    save_stream(env, account, region, &g.log_group_name, s)?;
    save_group(env, account, region, g)?;
    super::metric_filters::apply(env, account, region, &g.log_group_name, &accepted)?;
    let rejected = (info != RejectedLogEventsInfo::default()).then_some(info);
    Ok(PutLogEventsResponse {
        next_sequence_token: token,
        rejected_log_events_info: rejected,
    })
}

/// The sequence token is accepted and ignored, as AWS has done since 2023.
pub fn put_log_events(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutLogEventsRequest,
) -> Result<PutLogEventsResponse, AwsError> {
    let mut g = load_group(env, ctx, &req.log_group_name)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    let mut s = find_stream(env, a, r, &g.log_group_name, &req.log_stream_name)?
        .ok_or_else(stream_not_found)?;
    put_into(env, a, r, &mut g, &mut s, &req.log_events)
}

fn parse_token(t: &str) -> Result<(char, usize), AwsError> {
    let bad = || invalid(format!("The specified nextToken is invalid: {t}"));
    let (dir, n) = t.split_once('/').ok_or_else(bad)?;
    let n: usize = n.parse().map_err(|_| bad())?;
    match dir {
        "f" => Ok(('f', n)),
        "b" => Ok(('b', n)),
        _ => Err(bad()),
    }
}

/// Events in `[startTime, endTime)`. Without a token: the newest `limit` events, or the
/// oldest with `startFromHead`. Tokens are `f/<index>` and `b/<index>` (56-digit padded).
pub fn get_log_events(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetLogEventsRequest,
) -> Result<GetLogEventsResponse, AwsError> {
    let name = named_group(
        req.log_group_name.as_deref(),
        req.log_group_identifier.as_deref(),
    )?;
    let g = load_group(env, ctx, &name)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    find_stream(env, a, r, &g.log_group_name, &req.log_stream_name)?
        .ok_or_else(stream_not_found)?;
    let all: Vec<OutputLogEvent> = load_events(env, a, r, &g.log_group_name, &req.log_stream_name)?
        .events
        .into_iter()
        .filter(|e| req.start_time.is_none_or(|t| e.timestamp >= t))
        .filter(|e| req.end_time.is_none_or(|t| e.timestamp < t))
        .collect();
    let limit = req.limit.unwrap_or(10_000).clamp(1, 10_000) as usize;
    let (from, to) = match req.next_token.as_deref().map(parse_token).transpose()? {
        Some(('f', n)) => (n.min(all.len()), (n + limit).min(all.len())),
        Some((_, n)) => (n.min(all.len()).saturating_sub(limit), n.min(all.len())),
        None if req.start_from_head.unwrap_or(false) => (0, limit.min(all.len())),
        None => (all.len().saturating_sub(limit), all.len()),
    };
    Ok(GetLogEventsResponse {
        events: all[from..to].to_vec(),
        next_forward_token: format!("f/{to:056}"),
        next_backward_token: format!("b/{from:056}"),
    })
}

pub fn filter_log_events(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: FilterLogEventsRequest,
) -> Result<FilterLogEventsResponse, AwsError> {
    let name = named_group(
        req.log_group_name.as_deref(),
        req.log_group_identifier.as_deref(),
    )?;
    if req.log_stream_names.is_some() && req.log_stream_name_prefix.is_some() {
        return Err(invalid(
            "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
        ));
    }
    // The same language as metric filters; AWS words the error "Invalid filter pattern".
    let pattern = FilterPattern::compile(req.filter_pattern.as_deref().unwrap_or_default())
        .map_err(|e| invalid(format!("Invalid filter pattern: {}", e.detail())))?;
    let g = load_group(env, ctx, &name)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    let streams: Vec<LogStream> = streams_of(env, ctx, &g.log_group_name)?
        .into_iter()
        .filter(|s| {
            req.log_stream_names
                .as_ref()
                .is_none_or(|n| n.contains(&s.log_stream_name))
                && req
                    .log_stream_name_prefix
                    .as_deref()
                    .is_none_or(|p| s.log_stream_name.starts_with(p))
        })
        .collect();
    let mut events = Vec::new();
    let mut searched = Vec::new();
    for (si, s) in streams.iter().enumerate() {
        let stored = load_events(env, a, r, &g.log_group_name, &s.log_stream_name)?;
        for (ei, e) in stored.events.into_iter().enumerate() {
            let in_range = req.start_time.is_none_or(|t| e.timestamp >= t)
                && req.end_time.is_none_or(|t| e.timestamp <= t);
            if in_range && pattern.matches(&e.message) {
                events.push(FilteredLogEvent {
                    log_stream_name: s.log_stream_name.clone(),
                    timestamp: e.timestamp,
                    message: e.message,
                    ingestion_time: e.ingestion_time,
                    event_id: format!("{si:028}{ei:028}"),
                });
            }
        }
        searched.push(SearchedLogStream {
            log_stream_name: s.log_stream_name.clone(),
            searched_completely: true,
        });
    }
    events.sort_by(|x, y| (x.timestamp, &x.event_id).cmp(&(y.timestamp, &y.event_id)));
    events.truncate(req.limit.unwrap_or(10_000).clamp(1, 10_000) as usize);
    Ok(FilterLogEventsResponse {
        events,
        searched_log_streams: searched,
    })
}
