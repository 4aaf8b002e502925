//! CloudTrail log delivery, driven by the simulator clock: for each trail, the events it
//! captures are grouped per (recipient account, region, 5-minute window of eventTime) and,
//! once a window has closed, written as a gzip `{"Records":[...]}` file into the trail's
//! bucket at the real key layout, mirrored to CloudWatch Logs and announced on SNS.
//!
//! Exactly once per trail: each trail keeps a cursor (the last event `seq` it has
//! considered) in a `delivery-state` document, advanced in the same transaction as the
//! writes. Events are considered in `seq` order; the first captured event whose window has
//! not closed yet stops the scan, so the cursor never skips an undelivered event.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Datelike, Timelike, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::selectors::{CompiledTrail, TrailScope, selectors_of};
use crate::clock;
use crate::error::{AwsError, StoreError};
use crate::services::cloudtrail::destinations::{self, SERVICE_PRINCIPAL};
use crate::services::cloudtrail::status::DeliveryStatus;
use crate::services::cloudtrail::trails::TrailConfig;
use crate::services::logs::model::InputLogEvent;
use crate::services::{Env, logs, organizations, s3, sns};
use crate::store::{DeliveryEvent, DocKey, StatusRow, TrailRow, TrailWithStatus};

/// The length of a delivery window (AWS delivers about every 5 minutes).
pub const WINDOW_MS: i64 = 5 * 60 * 1000;
/// Document kind of a trail's delivery cursor (service "cloudtrail", id = trail ARN).
pub const STATE_KIND: &str = "delivery-state";
/// Document kind of a delivered log file (service "cloudtrail", id = "bucket/key").
pub const LOG_FILE_KIND: &str = "log-file";
/// Events read per query while scanning.
const BATCH: u32 = 5_000;
/// Due records held before files are written mid-scan.
const FLUSH_AT: usize = 50_000;
/// PutLogEvents accepts at most this many events per call.
const CWL_BATCH: usize = 10_000;

/// A trail's delivery progress, stored as a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeliveryState {
    /// Every event with `seq <= cursor_seq` has been delivered or is not for this trail.
    pub cursor_seq: i64,
    /// The highest `seq` the last scan saw; no scan is needed until new events arrive...
    pub scanned_seq: i64,
    /// ...or until this instant (the end of the window of the first pending event).
    pub next_due_ms: Option<i64>,
    /// The StopLoggingTime whose pending events have all been delivered (a stopped trail
    /// still delivers what it captured while logging, then goes quiet).
    pub drained_stop_ms: Option<i64>,
}

/// One delivered log file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveredFile {
    pub trail_arn: String,
    pub bucket: String,
    pub key: String,
    pub records: usize,
    pub size: usize,
}

/// What one [`deliver_due`] run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeliveryReport {
    pub files: Vec<DeliveredFile>,
    /// (trail ARN, error code) of trails whose destination refused delivery.
    pub errors: Vec<(String, String)>,
}

/// Delivers every closed window of every trail. Cheap when nothing is due: one query.
pub fn deliver_due(env: &Env<'_>) -> Result<DeliveryReport, AwsError> {
    let mut report = DeliveryReport::default();
    let (trails, max_seq) = env.db.trails_with_status(STATE_KIND)?;
    let now_ms = clock::to_millis(env.now);
    for TrailWithStatus {
        trail: row,
        status,
        document: state,
    } in trails
    {
        let state: DeliveryState = match state {
            Some(s) => serde_json::from_str(&s).map_err(StoreError::from)?,
            None => DeliveryState::default(),
        };
        let Some(start_ms) = status.start_logging_ms else {
            continue; // never logged
        };
        // The end of what the trail captures: now while logging, else its StopLoggingTime.
        let until_ms = if status.is_logging {
            None
        } else {
            match status.stop_logging_ms {
                Some(stop) if state.drained_stop_ms != Some(stop) => Some(stop),
                _ => continue,
            }
        };
        let nothing_new = max_seq <= state.scanned_seq;
        if nothing_new && state.next_due_ms.is_none_or(|d| now_ms < d) {
            continue;
        }
        deliver_trail(
            env,
            &row,
            &status,
            state,
            (start_ms, until_ms),
            max_seq,
            &mut report,
        )?;
    }
    Ok(report)
}

/// (window end ms, recipient account, region): one log file.
type FileGroup = (i64, String, String);
/// (event time ms, seq, record JSON) of an event waiting in a file group.
type Pending = (i64, i64, String);

/// Where a trail's files go.
struct Destination {
    bucket: String,
    prefix: Option<String>,
    org_id: Option<String>,
    kms_key_id: Option<String>,
}

fn deliver_trail(
    env: &Env<'_>,
    row: &TrailRow,
    status: &StatusRow,
    mut state: DeliveryState,
    (start_ms, until_ms): (i64, Option<i64>),
    max_seq: i64,
    report: &mut DeliveryReport,
) -> Result<(), AwsError> {
    let Ok(config) = serde_json::from_str::<TrailConfig>(&row.config) else {
        return Ok(()); // an unreadable trail cannot deliver; the service reports it on read
    };
    let now_ms = clock::to_millis(env.now);
    let org = if config.is_organization_trail {
        organizations::organization_of(env, &row.account_id)?
    } else {
        None
    };
    let scope = TrailScope {
        home_region: row.region.clone(),
        multi_region: row.multi_region,
        include_global_service_events: config.include_global_service_events,
        account_id: row.account_id.clone(),
        organization_accounts: org
            .as_ref()
            .map(|o| o.member_accounts.clone())
            .unwrap_or_default(),
    };
    let compiled = CompiledTrail::new(&scope, &selectors_of(env.db, &row.arn)?);

    let dest = Destination {
        bucket: config.s3_bucket_name.clone(),
        prefix: config.s3_key_prefix.clone().filter(|p| !p.is_empty()),
        org_id: org.as_ref().map(|o| o.id.clone()),
        kms_key_id: config.kms_key_id.clone(),
    };
    let mut out = Writer {
        env,
        row,
        config: &config,
        dest,
        details: delivery_status(status)?,
        checked: false,
        wrote: false,
        report,
    };

    // Scan in seq order up to the first captured event whose window is still open, writing
    // files every FLUSH_AT records so memory stays bounded on large backlogs.
    let mut due: BTreeMap<FileGroup, Vec<Pending>> = BTreeMap::new();
    let mut held = 0usize;
    let mut cursor = state.cursor_seq;
    let mut blocked_until = None;
    'scan: loop {
        let batch = env.db.events_after(cursor, BATCH)?;
        if batch.is_empty() {
            break;
        }
        for DeliveryEvent {
            seq,
            account_id: account,
            region,
            event_time_ms: time_ms,
            record,
        } in batch
        {
            let in_period = time_ms >= start_ms && until_ms.is_none_or(|u| time_ms <= u);
            let parsed = if in_period {
                serde_json::from_str::<Value>(&record)
                    .ok()
                    .filter(|v| compiled.captures(v))
            } else {
                None
            };
            if let Some(v) = parsed {
                let window_end = (time_ms.div_euclid(WINDOW_MS) + 1) * WINDOW_MS;
                if window_end > now_ms {
                    blocked_until = Some(window_end);
                    break 'scan;
                }
                let recipient = v
                    .get("recipientAccountId")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .unwrap_or(account);
                due.entry((window_end, recipient, region))
                    .or_default()
                    .push((time_ms, seq, record));
                held += 1;
            }
            cursor = seq;
        }
        if held >= FLUSH_AT {
            if !out.flush(std::mem::take(&mut due))? {
                return out.refused(status);
            }
            held = 0;
        }
    }
    if !due.is_empty() && !out.flush(due)? {
        return out.refused(status);
    }
    if out.wrote {
        save_status(env, row, status, &out.details)?;
    }

    state.cursor_seq = cursor;
    state.next_due_ms = blocked_until;
    // With a pending event the scan stopped early: the events after it are not seen yet.
    state.scanned_seq = if blocked_until.is_some() {
        state.scanned_seq.max(cursor)
    } else {
        max_seq
    };
    if blocked_until.is_none() {
        state.drained_stop_ms = until_ms;
    }
    let body = serde_json::to_value(&state).map_err(StoreError::from)?;
    env.db.put_document(&state_key(row), &body, now_ms)?;
    Ok(())
}

/// Writes a trail's files and keeps its delivery status up to date.
struct Writer<'e, 'a> {
    env: &'e Env<'a>,
    row: &'e TrailRow,
    config: &'e TrailConfig,
    dest: Destination,
    details: DeliveryStatus,
    /// The destination was checked in this run (once per run).
    checked: bool,
    wrote: bool,
    report: &'e mut DeliveryReport,
}

impl Writer<'_, '_> {
    /// Writes one file per group; false when the destination refuses delivery (nothing is
    /// written then: the check happens before the first file).
    fn flush(&mut self, due: BTreeMap<FileGroup, Vec<Pending>>) -> Result<bool, AwsError> {
        if due.is_empty() {
            return Ok(true);
        }
        let (env, row, config) = (self.env, self.row, self.config);
        let now_ms = clock::to_millis(env.now);
        if !self.checked {
            self.checked = true;
            self.details.latest_delivery_attempt_ms = Some(now_ms);
            let allowed = destinations::delivery_allowed(
                env,
                &row.arn,
                &row.account_id,
                config,
                self.dest.org_id.as_deref(),
            )?;
            if let Err(code) = allowed {
                self.details.latest_delivery_error = Some(code.to_string());
                self.report.errors.push((row.arn.clone(), code.to_string()));
                return Ok(false);
            }
        }
        let details = &mut self.details;
        for ((window_end, account, region), mut records) in due {
            records.sort_by_key(|(t, seq, _)| (*t, *seq));
            let file = write_file(
                env, row, &self.dest, window_end, &account, &region, &records,
            )?;
            self.wrote = true;
            details.latest_delivery_ms = Some(now_ms);
            details.latest_delivery_attempt_succeeded_ms = Some(now_ms);
            details.latest_delivery_error = None;
            if let (Some(group), Some(_role)) = (
                config.cloud_watch_logs_log_group_arn.as_deref(),
                config.cloud_watch_logs_role_arn.as_deref(),
            ) {
                match put_cloud_watch_logs(env, group, &account, &region, &records) {
                    Ok(()) => {
                        details.latest_cloud_watch_logs_delivery_ms = Some(now_ms);
                        details.latest_cloud_watch_logs_delivery_error = None;
                    }
                    Err(e) => details.latest_cloud_watch_logs_delivery_error = Some(e.code),
                }
            }
            if let Some(topic) = config.sns_topic_arn.as_deref() {
                details.latest_notification_attempt_ms = Some(now_ms);
                let message = json!({"s3Bucket": file.bucket, "s3ObjectKey": [file.key]});
                match sns::publish_internal(
                    env,
                    topic,
                    SERVICE_PRINCIPAL,
                    None,
                    &message.to_string(),
                ) {
                    Ok(_) => {
                        details.latest_notification_ms = Some(now_ms);
                        details.latest_notification_attempt_succeeded_ms = Some(now_ms);
                        details.latest_notification_error = None;
                    }
                    Err(e) => details.latest_notification_error = Some(e.code),
                }
            }
            self.report.files.push(file);
        }
        Ok(true)
    }

    /// Records a refused delivery. The cursor stays where it was: the events wait for the
    /// destination to be fixed.
    fn refused(self, status: &StatusRow) -> Result<(), AwsError> {
        save_status(self.env, self.row, status, &self.details)
    }
}

fn state_key(row: &TrailRow) -> DocKey<'_> {
    DocKey {
        service: "cloudtrail",
        kind: STATE_KIND,
        account_id: &row.account_id,
        region: &row.region,
        id: &row.arn,
    }
}

fn delivery_status(status: &StatusRow) -> Result<DeliveryStatus, AwsError> {
    if status.details.trim().is_empty() {
        return Ok(DeliveryStatus::default());
    }
    Ok(serde_json::from_str(&status.details).map_err(StoreError::from)?)
}

fn save_status(
    env: &Env<'_>,
    row: &TrailRow,
    status: &StatusRow,
    details: &DeliveryStatus,
) -> Result<(), AwsError> {
    // Merge into the stored JSON so fields other parts of the pipeline keep survive.
    let mut merged: Value = if status.details.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(&status.details).map_err(StoreError::from)?
    };
    let ours = serde_json::to_value(details).map_err(StoreError::from)?;
    if let (Some(m), Value::Object(o)) = (merged.as_object_mut(), ours) {
        m.extend(o);
    }
    let mut s = status.clone();
    s.details = merged.to_string();
    env.db.put_status(&row.arn, &s)?;
    Ok(())
}

/// `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz` under
/// `[prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`.
pub fn log_file_key(
    prefix: Option<&str>,
    org_id: Option<&str>,
    account: &str,
    region: &str,
    at: DateTime<Utc>,
    unique: &str,
) -> String {
    object_key("CloudTrail", prefix, org_id, account, region, at, unique)
}

/// The key of a delivered file of `kind` (`CloudTrail`, `CloudTrail-Insight`):
/// `[prefix/]AWSLogs/[o-org/]ACCOUNT/KIND/REGION/YYYY/MM/DD/ACCOUNT_KIND_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
pub(crate) fn object_key(
    kind: &str,
    prefix: Option<&str>,
    org_id: Option<&str>,
    account: &str,
    region: &str,
    at: DateTime<Utc>,
    unique: &str,
) -> String {
    let mut key = String::new();
    if let Some(p) = prefix.filter(|p| !p.is_empty()) {
        key.push_str(p.trim_end_matches('/'));
        key.push('/');
    }
    key.push_str("AWSLogs/");
    if let Some(o) = org_id {
        key.push_str(o);
        key.push('/');
    }
    key.push_str(&format!(
        "{account}/{kind}/{region}/{:04}/{:02}/{:02}/{account}_{kind}_{region}_{:04}{:02}{:02}T{:02}{:02}Z_{unique}.json.gz",
        at.year(),
        at.month(),
        at.day(),
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
    ));
    key
}

/// 16 alphanumeric characters derived from the trail and the file's first event.
pub(crate) fn unique_of(trail_arn: &str, account: &str, region: &str, first_seq: i64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let d = Sha256::new()
        .chain_update(trail_arn.as_bytes())
        .chain_update([0])
        .chain_update(account.as_bytes())
        .chain_update([0])
        .chain_update(region.as_bytes())
        .chain_update(first_seq.to_be_bytes())
        .finalize();
    d.iter()
        .take(16)
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
}

pub(crate) fn gzip(bytes: &[u8]) -> Result<Vec<u8>, AwsError> {
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::default());
    enc.write_all(bytes)
        .and_then(|_| enc.finish())
        .map_err(|e| AwsError::internal(format!("cannot compress a log file: {e}")))
}

#[allow(clippy::too_many_arguments)]
fn write_file(
    env: &Env<'_>,
    row: &TrailRow,
    dest: &Destination,
    window_end: i64,
    account: &str,
    region: &str,
    records: &[Pending],
) -> Result<DeliveredFile, AwsError> {
    let now_ms = clock::to_millis(env.now);
    let first_seq = records.iter().map(|r| r.1).min().unwrap_or_default();
    let key = log_file_key(
        dest.prefix.as_deref(),
        dest.org_id.as_deref(),
        account,
        region,
        clock::from_millis(window_end),
        &unique_of(&row.arn, account, region, first_seq),
    );
    let mut body = String::from("{\"Records\":[");
    for (i, (_, _, r)) in records.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(r);
    }
    body.push_str("]}");
    let gz = gzip(body.as_bytes())?;
    let sse = dest.kms_key_id.as_deref().map(|k| ("aws:kms", Some(k)));
    s3::put_object_internal(env, &dest.bucket, &key, &gz, "application/json", sse)?;
    let (oldest, newest) = (records[0].0, records[records.len() - 1].0);
    let id = format!("{}/{key}", dest.bucket);
    env.db.put_document(
        &DocKey {
            service: "cloudtrail",
            kind: LOG_FILE_KIND,
            account_id: &row.account_id,
            region: &row.region,
            id: &id,
        },
        &json!({
            "trailArn": row.arn,
            "bucket": dest.bucket,
            "key": key,
            "account": account,
            "region": region,
            "sha256": hex::encode(Sha256::digest(&gz)),
            "oldestEventTime": clock::iso_seconds(clock::from_millis(oldest)),
            "newestEventTime": clock::iso_seconds(clock::from_millis(newest)),
            "deliveredAt": clock::iso_seconds(env.now),
            "deliveredAtMs": now_ms,
            "records": records.len(),
            "size": gz.len(),
        }),
        now_ms,
    )?;
    Ok(DeliveredFile {
        trail_arn: row.arn.clone(),
        bucket: dest.bucket.clone(),
        key,
        records: records.len(),
        size: gz.len(),
    })
}

/// Mirrors a file's records to the trail's log group, stream `ACCOUNT_CloudTrail_REGION`.
fn put_cloud_watch_logs(
    env: &Env<'_>,
    group_arn: &str,
    account: &str,
    region: &str,
    records: &[Pending],
) -> Result<(), AwsError> {
    let g = logs::parse_group_arn(group_arn).ok_or_else(|| {
        AwsError::client("ResourceNotFoundException", "The log group does not exist.")
    })?;
    let stream = format!("{account}_CloudTrail_{region}");
    let events: Vec<InputLogEvent> = records
        .iter()
        .map(|(t, _, r)| InputLogEvent {
            timestamp: *t,
            message: r.clone(),
        })
        .collect();
    for chunk in events.chunks(CWL_BATCH) {
        logs::put_events_internal(env, &g.account, &g.region, &g.name, &stream, chunk)?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod tests;
