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
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Datelike, Timelike, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::pass_events;
use super::selectors::{CompiledTrail, EventView, RecordFields, TrailScope, selectors_of};
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
/// Due (record, trail) pairs held, across all trails, before files are written mid-scan:
/// bounds the memory of a large backlog (records are shared between trails).
const FLUSH_AT: usize = 20_000;
/// Threads compressing log files at most (capped by the machine's cores).
const COMPRESS_THREADS: usize = 4;
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
    /// The pass stopped at its bound ([`pass_events()`] events read) with events left.
    #[serde(skip)]
    pub more: bool,
}

/// Delivers the closed windows of every trail, reading at most [`pass_events()`] events:
/// each trail's cursor stays where the pass stopped and [`DeliveryReport::more`] says
/// whether another pass has work. Cheap when nothing is due: one query.
///
/// The trails with work share one scan of the event history: each record is read and parsed
/// once ([`RecordFields`], no JSON tree) and judged by every trail, and its stored text is
/// what goes into the files (never re-serialised).
pub fn deliver_due(env: &Env<'_>) -> Result<DeliveryReport, AwsError> {
    let mut report = DeliveryReport::default();
    let (trails, max_seq) = env.db.trails_with_status(STATE_KIND)?;
    let now_ms = clock::to_millis(env.now);
    let mut jobs = Vec::new();
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
        if let Some(job) = TrailJob::new(env, row, status, state, (start_ms, until_ms))? {
            jobs.push(job);
        }
    }
    if jobs.is_empty() {
        return Ok(report);
    }
    let complete = scan(env, &mut jobs, &mut report)?;
    flush(&mut jobs, &mut report)?;
    for job in jobs {
        job.finish(max_seq, complete)?;
    }
    report.more = !complete;
    Ok(report)
}

/// (window end ms, recipient account, region): one log file.
type FileGroup = (i64, String, String);
/// (event time ms, seq, record JSON) of an event waiting in a file group; the text is shared
/// by every trail that captured the event.
type Pending = (i64, i64, Arc<str>);

/// Where a trail's files go.
struct Destination {
    bucket: String,
    prefix: Option<String>,
    org_id: Option<String>,
    kms_key_id: Option<String>,
}

/// One trail's part in a delivery run: what it captures and what it has collected so far.
struct TrailJob<'e, 'a> {
    out: Writer<'e, 'a>,
    status: StatusRow,
    state: DeliveryState,
    compiled: CompiledTrail,
    start_ms: i64,
    until_ms: Option<i64>,
    due: BTreeMap<FileGroup, Vec<Pending>>,
    /// Every event up to here has been judged for this trail.
    cursor: i64,
    /// The end of the window of the first captured event that is not due yet.
    blocked_until: Option<i64>,
    /// The destination refused delivery: nothing is written and the cursor stays.
    refused: bool,
}

impl<'e, 'a> TrailJob<'e, 'a> {
    fn new(
        env: &'e Env<'a>,
        row: TrailRow,
        status: StatusRow,
        state: DeliveryState,
        (start_ms, until_ms): (i64, Option<i64>),
    ) -> Result<Option<Self>, AwsError> {
        let Ok(config) = serde_json::from_str::<TrailConfig>(&row.config) else {
            return Ok(None); // an unreadable trail cannot deliver; the service reports it on read
        };
        let (compiled, org_id) = compile_trail(env, &row, &config)?;
        let dest = Destination {
            bucket: config.s3_bucket_name.clone(),
            prefix: config.s3_key_prefix.clone().filter(|p| !p.is_empty()),
            org_id,
            kms_key_id: config.kms_key_id.clone(),
        };
        let details = delivery_status(&status)?;
        Ok(Some(TrailJob {
            out: Writer {
                env,
                row,
                config,
                dest,
                details,
                checked: false,
                wrote: false,
            },
            status,
            cursor: state.cursor_seq,
            state,
            compiled,
            start_ms,
            until_ms,
            due: BTreeMap::new(),
            blocked_until: None,
            refused: false,
        }))
    }

    /// Still judging events (not stopped by a pending window or a refused destination).
    fn active(&self) -> bool {
        self.blocked_until.is_none() && !self.refused
    }

    fn wants(&self, seq: i64, time_ms: i64) -> bool {
        self.active()
            && seq > self.cursor
            && time_ms >= self.start_ms
            && self.until_ms.is_none_or(|u| time_ms <= u)
    }

    /// Saves the trail's status and cursor (its files are written: [`flush`]). `complete`:
    /// the scan read every event up to `max_seq` (it did not stop at its bound).
    fn finish(self, max_seq: i64, complete: bool) -> Result<(), AwsError> {
        let (env, row) = (self.out.env, &self.out.row);
        if self.refused {
            // The cursor stays where it was: the events wait for the destination to be fixed.
            return save_status(env, row, &self.status, &self.out.details);
        }
        if self.out.wrote {
            save_status(env, row, &self.status, &self.out.details)?;
        }
        let mut state = self.state;
        state.cursor_seq = self.cursor;
        state.next_due_ms = self.blocked_until;
        // With a pending event, or at the pass's bound, the scan stopped early: the events
        // after the cursor are not seen yet.
        let drained = self.blocked_until.is_none() && complete;
        state.scanned_seq = if drained {
            max_seq
        } else {
            state.scanned_seq.max(self.cursor)
        };
        if drained {
            state.drained_stop_ms = self.until_ms;
        }
        let body = serde_json::to_value(&state).map_err(StoreError::from)?;
        env.db.put_document(
            &trail_state_key(STATE_KIND, row),
            &body,
            clock::to_millis(env.now),
        )?;
        Ok(())
    }
}

/// One pass over the events after the lowest cursor, in `seq` order, feeding every trail;
/// files are written every [`FLUSH_AT`] captured records so memory stays bounded. Reads at
/// most [`pass_events()`] events; returns false when it stopped there with trails still
/// judging.
fn scan(
    env: &Env<'_>,
    jobs: &mut [TrailJob<'_, '_>],
    report: &mut DeliveryReport,
) -> Result<bool, AwsError> {
    let now_ms = clock::to_millis(env.now);
    let mut after = jobs.iter().map(|j| j.cursor).min().unwrap_or_default();
    let mut held = 0usize;
    let mut left = pass_events();
    while jobs.iter().any(TrailJob::active) {
        if left == 0 {
            return Ok(false);
        }
        let batch = env.db.events_after(after, BATCH.min(left))?;
        left -= batch.len() as u32;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.seq;
        // What the trails make of each record is worked out first, on several threads;
        // then the events are taken in order, as the trails' cursors and windows require.
        let wanted: Vec<bool> = batch
            .iter()
            .map(|ev| jobs.iter().any(|j| j.wants(ev.seq, ev.event_time_ms)))
            .collect();
        let compiled: Vec<&CompiledTrail> = jobs.iter().map(|j| &j.compiled).collect();
        let judged = judge_all(&compiled, &batch, &wanted);
        let n = jobs.len();
        for (i, ev) in batch.iter().enumerate() {
            if !wanted[i] {
                for j in jobs.iter_mut().filter(|j| j.active() && ev.seq > j.cursor) {
                    j.cursor = ev.seq;
                }
                continue;
            }
            let recipient = judged.recipients[i].as_deref();
            let mut text: Option<Arc<str>> = None;
            for (j, job) in jobs.iter_mut().enumerate() {
                if !job.active() || ev.seq <= job.cursor {
                    continue;
                }
                let captured = job.wants(ev.seq, ev.event_time_ms) && judged.captures[i * n + j];
                if captured {
                    let window_end = (ev.event_time_ms.div_euclid(WINDOW_MS) + 1) * WINDOW_MS;
                    if window_end > now_ms {
                        job.blocked_until = Some(window_end);
                        continue;
                    }
                    let record = text.get_or_insert_with(|| Arc::from(ev.record.as_str()));
                    let recipient = recipient.unwrap_or(&ev.account_id).to_string();
                    job.due
                        .entry((window_end, recipient, ev.region.clone()))
                        .or_default()
                        .push((ev.event_time_ms, ev.seq, Arc::clone(record)));
                    held += 1;
                }
                job.cursor = ev.seq;
            }
        }
        if held >= FLUSH_AT {
            flush(jobs, report)?;
            held = 0;
        }
    }
    Ok(true)
}

/// Which trails capture each event of a batch, and its recipient account: the scope and
/// selectors only (what does not depend on the order events are taken in).
struct Judged {
    /// `captures[i * trails + j]`: trail `j` captures event `i`.
    captures: Vec<bool>,
    recipients: Vec<Option<String>>,
}

/// Judges the `wanted` events of `events` for every trail. Each record is read once for
/// every trail; a record of unexpected shape is read as a JSON tree, which judges it
/// exactly as before; unreadable JSON is captured by no trail.
fn judge(trails: &[&CompiledTrail], events: &[DeliveryEvent], wanted: &[bool]) -> Judged {
    let n = trails.len();
    let mut captures = vec![false; events.len() * n];
    let mut recipients = Vec::with_capacity(events.len());
    for (i, (ev, wanted)) in events.iter().zip(wanted).enumerate() {
        if !wanted {
            recipients.push(None);
            continue;
        }
        let fields = RecordFields::parse(&ev.record);
        let tree = match fields {
            Some(_) => None,
            None => serde_json::from_str::<Value>(&ev.record).ok(),
        };
        let (view, recipient) = match (&fields, &tree) {
            (Some(f), _) => (Some(EventView::of_fields(f)), f.recipient_account()),
            (None, Some(v)) => (
                Some(EventView::of(v)),
                v.get("recipientAccountId").and_then(Value::as_str),
            ),
            (None, None) => (None, None),
        };
        if let Some(v) = &view {
            for (j, t) in trails.iter().enumerate() {
                captures[i * n + j] = t.captures_view(v);
            }
        }
        recipients.push(recipient.map(str::to_string));
    }
    Judged {
        captures,
        recipients,
    }
}

/// [`judge`] with the batch split over the machine's cores (up to [`COMPRESS_THREADS`]):
/// reading records is most of a scan, and the results do not depend on the split.
fn judge_all(trails: &[&CompiledTrail], events: &[DeliveryEvent], wanted: &[bool]) -> Judged {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(COMPRESS_THREADS);
    // Below a few hundred records a thread costs more than it saves.
    if threads <= 1 || events.len() < 512 {
        return judge(trails, events, wanted);
    }
    let chunk = events.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = events
            .chunks(chunk)
            .zip(wanted.chunks(chunk))
            .skip(1)
            .map(|(e, w)| scope.spawn(move || judge(trails, e, w)))
            .collect();
        let first = events.len().min(chunk);
        let mut all = judge(trails, &events[..first], &wanted[..first]);
        for w in workers {
            // A panic in a worker is the same bug on this thread: let it unwind here.
            let part = w.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            all.captures.extend(part.captures);
            all.recipients.extend(part.recipients);
        }
        all
    })
}

/// Writes a trail's files and keeps its delivery status up to date.
struct Writer<'e, 'a> {
    env: &'e Env<'a>,
    row: TrailRow,
    config: TrailConfig,
    dest: Destination,
    details: DeliveryStatus,
    /// The destination was checked in this run (once per run).
    checked: bool,
    wrote: bool,
}

impl Writer<'_, '_> {
    /// Checks the destination once per run (before the first file); false when it refuses
    /// delivery (nothing is written then, and the refusal is reported).
    fn check(&mut self, report: &mut DeliveryReport) -> Result<bool, AwsError> {
        if self.checked {
            return Ok(true);
        }
        self.checked = true;
        let (env, row, config) = (self.env, &self.row, &self.config);
        self.details.latest_delivery_attempt_ms = Some(clock::to_millis(env.now));
        let allowed = destinations::delivery_allowed(
            env,
            &row.arn,
            &row.account_id,
            config,
            self.dest.org_id.as_deref(),
        )?;
        if let Err(code) = allowed {
            self.details.latest_delivery_error = Some(code.to_string());
            report.errors.push((row.arn.clone(), code.to_string()));
            return Ok(false);
        }
        Ok(true)
    }

    /// Writes one file (its gzip bytes made already), mirrors its records to CloudWatch
    /// Logs, announces it on SNS and keeps the delivery status up to date.
    fn write_group(
        &mut self,
        (window_end, account, region): &FileGroup,
        records: &[Pending],
        gz: Vec<u8>,
        report: &mut DeliveryReport,
    ) -> Result<(), AwsError> {
        let (env, row, config) = (self.env, &self.row, &self.config);
        let now_ms = clock::to_millis(env.now);
        let file = write_file(
            env,
            row,
            &self.dest,
            *window_end,
            account,
            region,
            records,
            gz,
        )?;
        self.wrote = true;
        let details = &mut self.details;
        details.latest_delivery_ms = Some(now_ms);
        details.latest_delivery_attempt_succeeded_ms = Some(now_ms);
        details.latest_delivery_error = None;
        if let (Some(group), Some(_role)) = (
            config.cloud_watch_logs_log_group_arn.as_deref(),
            config.cloud_watch_logs_role_arn.as_deref(),
        ) {
            match put_cloud_watch_logs(env, group, account, region, records) {
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
            match sns::publish_internal(env, topic, SERVICE_PRINCIPAL, None, &message.to_string()) {
                Ok(_) => {
                    details.latest_notification_ms = Some(now_ms);
                    details.latest_notification_attempt_succeeded_ms = Some(now_ms);
                    details.latest_notification_error = None;
                }
                Err(e) => details.latest_notification_error = Some(e.code),
            }
        }
        report.files.push(file);
        Ok(())
    }
}

/// Writes the files of every trail's due groups, trail by trail and group by group. A trail
/// whose destination refuses delivery writes nothing and stops taking events. Compressing
/// is most of the work and each file is independent: the files are compressed on up to
/// [`COMPRESS_THREADS`] threads while this thread writes each one as soon as it and those
/// before it are ready, so the bytes and their order do not depend on the scheduling.
fn flush(jobs: &mut [TrailJob<'_, '_>], report: &mut DeliveryReport) -> Result<(), AwsError> {
    let mut work: Vec<(usize, FileGroup, Vec<Pending>)> = Vec::new();
    for (j, job) in jobs.iter_mut().enumerate() {
        if job.refused || job.due.is_empty() {
            continue;
        }
        if !job.out.check(report)? {
            job.refused = true;
            job.due.clear();
            continue;
        }
        for (group, mut records) in std::mem::take(&mut job.due) {
            records.sort_by_key(|(t, seq, _)| (*t, *seq));
            work.push((j, group, records));
        }
    }
    compress_in_order(&work, |i, gz| {
        let (j, group, records) = &work[i];
        jobs[*j].out.write_group(group, records, gz?, report)
    })
}

/// A stored trail's matcher and, for an organization trail, its organization's ID: what
/// both log delivery and Insights need to pick the trail's events.
pub fn compile_trail(
    env: &Env<'_>,
    row: &TrailRow,
    config: &TrailConfig,
) -> Result<(CompiledTrail, Option<String>), AwsError> {
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
    Ok((compiled, org.map(|o| o.id)))
}

/// Where a pipeline stage keeps its per-trail progress: a document of `kind` named by the
/// trail's ARN.
pub fn trail_state_key<'r>(kind: &'static str, row: &'r TrailRow) -> DocKey<'r> {
    DocKey {
        service: "cloudtrail",
        kind,
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
    let mut enc = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), COMPRESSION);
    enc.write_all(bytes)
        .and_then(|_| enc.finish())
        .map_err(|e| AwsError::internal(format!("cannot compress a log file: {e}")))
}

/// The gzip level of log files, shared with `ctsim bench delivery`'s floor. Level 1 (zlib's
/// "fastest"): JSON records still shrink about 6x and the files are ordinary gzip; level 6
/// would make them ~1.8x smaller at roughly 2.5x the CPU on every delivery.
pub const COMPRESSION: Compression = Compression::fast();

/// The gzip bytes of `{"Records":[r1,r2,...]}` for record texts already serialised, written
/// straight into the compressor (no intermediate copy of the body).
pub fn gzip_records<'r>(
    records: impl IntoIterator<Item = &'r str>,
    size_hint: usize,
) -> Result<Vec<u8>, AwsError> {
    let fail = |e: std::io::Error| AwsError::internal(format!("cannot compress a log file: {e}"));
    let mut enc = GzEncoder::new(Vec::with_capacity(size_hint / 5 + 64), COMPRESSION);
    enc.write_all(b"{\"Records\":[").map_err(fail)?;
    for (i, r) in records.into_iter().enumerate() {
        if i > 0 {
            enc.write_all(b",").map_err(fail)?;
        }
        enc.write_all(r.as_bytes()).map_err(fail)?;
    }
    enc.write_all(b"]}").map_err(fail)?;
    enc.finish().map_err(fail)
}

/// Compresses each group's records into a gzip file on up to [`COMPRESS_THREADS`] threads
/// and hands every file to `write`, in group order, as soon as it and all before it are
/// ready. Stops at the first error `write` returns.
fn compress_in_order<G: Sync>(
    groups: &[(usize, G, Vec<Pending>)],
    mut write: impl FnMut(usize, Result<Vec<u8>, AwsError>) -> Result<(), AwsError>,
) -> Result<(), AwsError> {
    let gzip = |records: &[Pending]| {
        let size: usize = records.iter().map(|r| r.2.len() + 1).sum();
        gzip_records(records.iter().map(|r| &*r.2), size)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(COMPRESS_THREADS)
        .min(groups.len());
    if threads <= 1 {
        for (i, (_, _, records)) in groups.iter().enumerate() {
            write(i, gzip(records))?;
        }
        return Ok(());
    }
    // Workers take the next group in turn and send it back compressed; files that arrive
    // early wait here for those before them.
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (tx, next) = (tx.clone(), &next);
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((_, _, records)) = groups.get(i) else {
                            return;
                        };
                        // The receiver is gone when writing failed: stop.
                        if tx.send((i, gzip(records))).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let mut early = BTreeMap::new();
        let mut written = 0;
        let mut outcome = Ok(());
        for (i, gz) in &rx {
            early.insert(i, gz);
            while let Some(gz) = early.remove(&written) {
                outcome = write(written, gz);
                written += 1;
                if outcome.is_err() {
                    break;
                }
            }
            if outcome.is_err() {
                break;
            }
        }
        drop(rx);
        // A worker that panicked leaves its group unwritten, reported below.
        let panicked = workers.into_iter().any(|w| w.join().is_err());
        outcome?;
        if panicked || written < groups.len() {
            return Err(AwsError::internal("a log file could not be compressed"));
        }
        Ok(())
    })
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
    gz: Vec<u8>,
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
            message: r.to_string(),
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
