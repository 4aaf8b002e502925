//! CloudTrail Lake ingestion, driven like delivery by `run_due`: every ENABLED event data
//! store takes, exactly once, the recorded events its scope and advanced selectors capture
//! (the one evaluator, `selectors::CompiledTrail`). Each store keeps a cursor (the last event
//! `seq` it has considered), advanced in the same transaction as the rows it writes. Stored
//! events are never changed; retention (by eventTime, on the simulator clock) removes them,
//! and a store whose 7-day restore window has passed is removed with its events.

use serde::Deserialize;
use serde_json::Value;

use super::pass_events;
use super::selectors::{CompiledTrail, EventView, Resources, TrailScope};
use crate::clock;
use crate::error::AwsError;
use crate::services::Env;
use crate::services::cloudtrail::event_data_stores::{DAY_MS, ENABLED, LoadedEds};
use crate::services::cloudtrail::model::{AdvancedEventSelector, EventSelector};
use crate::services::cloudtrail::selectors::StoredSelectors;
use crate::services::organizations;
use crate::store::{Db, LakeEvent};

/// Events read per query while ingesting.
const BATCH: u32 = 5_000;

/// What one [`ingest_due`] run did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IngestReport {
    /// (store, event) pairs written.
    pub ingested: u64,
    /// Events removed by retention.
    pub expired: u64,
    /// Stores removed after their restore window.
    pub purged: u64,
    /// The pass stopped at its bound with work left.
    #[serde(skip)]
    pub more: bool,
}

/// One store ready to judge records.
pub struct Target {
    pub n: i64,
    pub cursor_seq: i64,
    compiled: CompiledTrail,
    events: i64,
    bytes: i64,
}

impl Target {
    /// Compiles a store's scope and selectors.
    pub fn new(env: &Env<'_>, eds: &LoadedEds) -> Result<Target, AwsError> {
        let organization_accounts = if eds.config.organization_enabled {
            organizations::organization_of(env, &eds.row.account_id)?
                .map(|o| o.member_accounts)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let scope = TrailScope {
            home_region: eds.row.region.clone(),
            multi_region: eds.config.multi_region_enabled,
            include_global_service_events: true,
            account_id: eds.row.account_id.clone(),
            organization_accounts,
        };
        let selectors = selectors_for(&eds.config.advanced_event_selectors);
        Ok(Target {
            n: eds.row.n,
            cursor_seq: eds.row.cursor_seq,
            compiled: CompiledTrail::new(&scope, &selectors),
            events: 0,
            bytes: 0,
        })
    }

    /// Stores the record if this store captures it. `seq` must be above the cursor.
    pub fn offer(
        &mut self,
        db: Db<'_>,
        view: &EventView<'_>,
        row: &LakeEvent<'_>,
    ) -> Result<bool, AwsError> {
        if row.seq <= self.cursor_seq || !self.compiled.captures_view(view) {
            return Ok(false);
        }
        db.insert_lake_event(self.n, row)?;
        self.events += 1;
        self.bytes += row.record.len() as i64;
        Ok(true)
    }

    /// Writes the cursor and the volume counters.
    pub fn finish(&mut self, db: Db<'_>, cursor_seq: i64) -> Result<(), AwsError> {
        if cursor_seq > self.cursor_seq {
            db.set_eds_cursor(self.n, cursor_seq)?;
            self.cursor_seq = cursor_seq;
        }
        if self.events != 0 || self.bytes != 0 {
            db.add_eds_volume(self.n, self.events, self.bytes)?;
            self.events = 0;
            self.bytes = 0;
        }
        Ok(())
    }
}

/// A store's selectors for the one evaluator. Stores always have advanced selectors.
fn selectors_for(list: &[AdvancedEventSelector]) -> StoredSelectors {
    if list.is_empty() {
        StoredSelectors::Basic(Vec::<EventSelector>::new())
    } else {
        StoredSelectors::Advanced(list.to_vec())
    }
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

fn flag(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// The typed columns of a record (`event_time_ms` as recorded in the event log).
pub fn lake_event<'r>(
    seq: i64,
    event_time_ms: i64,
    v: &'r Value,
    record: &'r str,
) -> LakeEvent<'r> {
    let g = |k: &str| text(v.get(k));
    let ui = v.get("userIdentity");
    let u = |k: &str| text(ui.and_then(|u| u.get(k)));
    let issuer = ui
        .and_then(|u| u.get("sessionContext"))
        .and_then(|s| s.get("sessionIssuer"));
    LakeEvent {
        seq,
        event_time_ms,
        event_id: g("eventID"),
        event_version: g("eventVersion"),
        event_name: g("eventName"),
        event_source: g("eventSource"),
        event_type: g("eventType"),
        event_category: g("eventCategory"),
        aws_region: g("awsRegion"),
        recipient_account_id: g("recipientAccountId"),
        user_type: u("type"),
        user_arn: u("arn"),
        user_principal_id: u("principalId"),
        user_account_id: u("accountId"),
        user_access_key_id: u("accessKeyId"),
        user_name: u("userName"),
        issuer_user_name: text(issuer.and_then(|i| i.get("userName"))),
        issuer_arn: text(issuer.and_then(|i| i.get("arn"))),
        source_ip: g("sourceIPAddress"),
        user_agent: g("userAgent"),
        error_code: g("errorCode"),
        error_message: g("errorMessage"),
        read_only: flag(v.get("readOnly")),
        management_event: flag(v.get("managementEvent")),
        request_id: g("requestID"),
        record,
    }
}

/// The fields of a record that ingestion reads, borrowed from the record text: parsing
/// these skips everything else without building a `Value`. Records whose strings carry JSON
/// escapes in these fields cannot be borrowed; [`offer_record`] then reads a full `Value`.
#[derive(Debug, Default, Deserialize)]
pub struct LiteRecord<'a> {
    #[serde(rename = "eventVersion", borrow, default)]
    event_version: Option<&'a str>,
    #[serde(rename = "eventTime", borrow, default)]
    event_time: Option<&'a str>,
    #[serde(rename = "eventID", borrow, default)]
    event_id: Option<&'a str>,
    #[serde(rename = "eventName", borrow, default)]
    event_name: Option<&'a str>,
    #[serde(rename = "eventSource", borrow, default)]
    event_source: Option<&'a str>,
    #[serde(rename = "eventType", borrow, default)]
    event_type: Option<&'a str>,
    #[serde(rename = "eventCategory", borrow, default)]
    event_category: Option<&'a str>,
    #[serde(rename = "awsRegion", borrow, default)]
    aws_region: Option<&'a str>,
    #[serde(rename = "recipientAccountId", borrow, default)]
    recipient_account_id: Option<&'a str>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip: Option<&'a str>,
    #[serde(rename = "userAgent", borrow, default)]
    user_agent: Option<&'a str>,
    #[serde(rename = "errorCode", borrow, default)]
    error_code: Option<&'a str>,
    #[serde(rename = "errorMessage", borrow, default)]
    error_message: Option<&'a str>,
    #[serde(rename = "requestID", borrow, default)]
    request_id: Option<&'a str>,
    #[serde(rename = "vpcEndpointId", borrow, default)]
    vpc_endpoint_id: Option<&'a str>,
    #[serde(rename = "readOnly", default)]
    read_only: Option<Value>,
    #[serde(rename = "managementEvent", default)]
    management_event: Option<Value>,
    #[serde(rename = "sessionCredentialFromConsole", default)]
    console: Option<Value>,
    #[serde(rename = "userIdentity", borrow, default)]
    user: Option<LiteUser<'a>>,
    #[serde(default)]
    resources: Option<Vec<Value>>,
}

#[derive(Debug, Default, Deserialize)]
struct LiteUser<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<&'a str>,
    #[serde(rename = "principalId", borrow, default)]
    principal_id: Option<&'a str>,
    #[serde(borrow, default)]
    arn: Option<&'a str>,
    #[serde(rename = "accountId", borrow, default)]
    account_id: Option<&'a str>,
    #[serde(rename = "accessKeyId", borrow, default)]
    access_key_id: Option<&'a str>,
    #[serde(rename = "userName", borrow, default)]
    user_name: Option<&'a str>,
    #[serde(rename = "sessionContext", borrow, default)]
    session: Option<LiteSession<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct LiteSession<'a> {
    #[serde(rename = "sessionIssuer", borrow, default)]
    issuer: Option<LiteIssuer<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct LiteIssuer<'a> {
    #[serde(rename = "userName", borrow, default)]
    user_name: Option<&'a str>,
    #[serde(borrow, default)]
    arn: Option<&'a str>,
}

fn flag_text(v: &Option<Value>) -> Option<&'static str> {
    match flag(v.as_ref())? {
        true => Some("true"),
        false => Some("false"),
    }
}

impl<'a> LiteRecord<'a> {
    pub fn parse(record: &'a str) -> Option<LiteRecord<'a>> {
        serde_json::from_str(record).ok()
    }

    /// The record's eventTime in epoch ms, if it has a valid one.
    pub fn event_time_ms(&self) -> Option<i64> {
        self.event_time
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis())
    }

    /// What the selector evaluator reads (as `EventView::of` would from the full record).
    pub fn view(&self) -> EventView<'_> {
        let event_category = self
            .event_category
            .or(match flag(self.management_event.as_ref()) {
                Some(true) => Some("Management"),
                Some(false) => Some("Data"),
                None => None,
            });
        EventView {
            event_source: self.event_source,
            event_name: self.event_name,
            event_category,
            event_type: self.event_type,
            error_code: self.error_code,
            read_only: flag_text(&self.read_only),
            user_arn: self.user.as_ref().and_then(|u| u.arn),
            console: flag_text(&self.console),
            vpc_endpoint: self.vpc_endpoint_id,
            aws_region: self.aws_region,
            recipient_account: self.recipient_account_id,
            resources: Resources::Json(self.resources.as_deref().unwrap_or_default()),
        }
    }

    /// The typed columns, as [`lake_event`] computes them from a `Value`.
    pub fn lake_event(&self, seq: i64, event_time_ms: i64, record: &'a str) -> LakeEvent<'_> {
        let u = self.user.as_ref();
        let issuer = u
            .and_then(|u| u.session.as_ref())
            .and_then(|s| s.issuer.as_ref());
        LakeEvent {
            seq,
            event_time_ms,
            event_id: self.event_id,
            event_version: self.event_version,
            event_name: self.event_name,
            event_source: self.event_source,
            event_type: self.event_type,
            event_category: self.event_category,
            aws_region: self.aws_region,
            recipient_account_id: self.recipient_account_id,
            user_type: u.and_then(|u| u.kind),
            user_arn: u.and_then(|u| u.arn),
            user_principal_id: u.and_then(|u| u.principal_id),
            user_account_id: u.and_then(|u| u.account_id),
            user_access_key_id: u.and_then(|u| u.access_key_id),
            user_name: u.and_then(|u| u.user_name),
            issuer_user_name: issuer.and_then(|i| i.user_name),
            issuer_arn: issuer.and_then(|i| i.arn),
            source_ip: self.source_ip,
            user_agent: self.user_agent,
            error_code: self.error_code,
            error_message: self.error_message,
            read_only: flag(self.read_only.as_ref()),
            management_event: flag(self.management_event.as_ref()),
            request_id: self.request_id,
            record,
        }
    }
}

/// Offers one recorded event (its text) to every target; returns how many stored it.
/// `event_time_ms` is the time the event log indexed it by (`None`: read from the record).
pub fn offer_record(
    db: Db<'_>,
    targets: &mut [Target],
    seq: i64,
    event_time_ms: Option<i64>,
    record: &str,
) -> Result<u64, AwsError> {
    let mut n = 0;
    if let Some(lite) = LiteRecord::parse(record) {
        let ms = event_time_ms.or(lite.event_time_ms()).unwrap_or_default();
        let view = lite.view();
        let row = lite.lake_event(seq, ms, record);
        for t in targets.iter_mut() {
            n += t.offer(db, &view, &row)? as u64;
        }
        return Ok(n);
    }
    // Strings with escapes: read the full record.
    let Ok(v) = serde_json::from_str::<Value>(record) else {
        return Ok(0); // an unreadable record cannot be selected
    };
    let ms = event_time_ms
        .or_else(|| {
            v.get("eventTime")
                .and_then(Value::as_str)
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_millis())
        })
        .unwrap_or_default();
    let view = EventView::of(&v);
    let row = lake_event(seq, ms, &v, record);
    for t in targets.iter_mut() {
        n += t.offer(db, &view, &row)? as u64;
    }
    Ok(n)
}

/// Ingests newly recorded events, applies retention and removes stores past their restore
/// window, reading at most [`pass_events()`] events and deleting at most as many rows: the
/// cursors stay where the pass stopped and [`IngestReport::more`] says whether another pass
/// has work. Cheap when nothing is due.
pub fn ingest_due(env: &Env<'_>) -> Result<IngestReport, AwsError> {
    ingest(env, Some(pass_events()))
}

/// Ingests everything recorded so far, in the caller's transaction: for the calls whose
/// answer must include every event recorded before them (StartQuery, and
/// StopEventDataStoreIngestion, which keeps what was recorded before the stop). Memory stays
/// bounded (events are read in batches); the time is that of the backlog.
pub fn ingest_all(env: &Env<'_>) -> Result<IngestReport, AwsError> {
    let mut report = ingest(env, None)?;
    while report.more {
        // Retention and purges are bounded even here; ingestion is not.
        let next = ingest(env, None)?;
        report.ingested += next.ingested;
        report.expired += next.expired;
        report.purged += next.purged;
        report.more = next.more;
    }
    Ok(report)
}

/// One pass; `limit` bounds the events read (`None`: up to the last recorded event).
fn ingest(env: &Env<'_>, limit: Option<u32>) -> Result<IngestReport, AwsError> {
    let mut report = IngestReport::default();
    let now_ms = clock::to_millis(env.now);
    let stores = env.db.all_eds()?;
    if stores.is_empty() {
        return Ok(report);
    }
    let max_seq = env.db.max_event_seq()?;
    let mut targets = Vec::new();
    for row in stores {
        let eds = LoadedEds::from_row(row)?;
        if eds.is_gone(now_ms) {
            let deleted = env.db.delete_lake_events(eds.row.n, pass_events())?;
            if deleted < u64::from(pass_events()) {
                env.db.purge_eds(eds.row.n, &eds.row.arn)?;
                report.purged += 1;
            } else {
                report.more = true;
            }
            continue;
        }
        let cutoff = now_ms - eds.config.retention_period * DAY_MS;
        let (expired, _) = env
            .db
            .expire_lake_events(eds.row.n, cutoff, pass_events())?;
        report.expired += expired as u64;
        report.more |= expired >= i64::from(pass_events());
        if eds.row.status == ENABLED && eds.row.cursor_seq < max_seq {
            targets.push(Target::new(env, &eds)?);
        }
    }
    if targets.is_empty() {
        return Ok(report);
    }
    let mut after = targets
        .iter()
        .map(|t| t.cursor_seq)
        .min()
        .unwrap_or(max_seq);
    let mut left = limit.map(u64::from);
    let mut stopped = false;
    while after < max_seq {
        let want = left.map_or(BATCH, |l| l.min(u64::from(BATCH)) as u32);
        if want == 0 {
            stopped = true;
            break;
        }
        let batch = env.db.events_after(after, want)?;
        let Some(last) = batch.last().map(|e| e.seq) else {
            break;
        };
        for e in &batch {
            report.ingested += offer_record(
                env.db,
                &mut targets,
                e.seq,
                Some(e.event_time_ms),
                &e.record,
            )?;
        }
        after = last;
        if let Some(l) = left.as_mut() {
            *l = l.saturating_sub(batch.len() as u64);
        }
    }
    // Every target has considered every event up to here.
    let considered = if stopped { after } else { max_seq };
    report.more |= stopped;
    for t in targets.iter_mut() {
        t.finish(env.db, considered)?;
    }
    Ok(report)
}

#[cfg(test)]
#[path = "lake_tests.rs"]
mod tests;
