//! CloudTrail Lake ingestion, driven like delivery by `run_due`: every ENABLED event data
//! store takes, exactly once, the recorded events its scope and advanced selectors capture
//! (the one evaluator, `selectors::CompiledTrail`). Each store keeps a cursor (the last event
//! `seq` it has considered), advanced in the same transaction as the rows it writes. Stored
//! events are never changed; retention (by eventTime, on the simulator clock) removes them,
//! and a store whose 7-day restore window has passed is removed with its events.

use serde_json::Value;

use super::selectors::{CompiledTrail, EventView, TrailScope};
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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngestReport {
    /// (store, event) pairs written.
    pub ingested: u64,
    /// Events removed by retention.
    pub expired: u64,
    /// Stores removed after their restore window.
    pub purged: u64,
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

/// Ingests newly recorded events, applies retention and removes stores past their restore
/// window. Cheap when nothing is due.
pub fn ingest_due(env: &Env<'_>) -> Result<IngestReport, AwsError> {
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
            env.db.purge_eds(eds.row.n, &eds.row.arn)?;
            report.purged += 1;
            continue;
        }
        let cutoff = now_ms - eds.config.retention_period * DAY_MS;
        report.expired += env.db.expire_lake_events(eds.row.n, cutoff)?.0 as u64;
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
    while after < max_seq {
        let batch = env.db.events_after(after, BATCH)?;
        let Some(last) = batch.last().map(|e| e.seq) else {
            break;
        };
        for e in &batch {
            let Ok(v) = serde_json::from_str::<Value>(&e.record) else {
                continue; // an unreadable record cannot be selected
            };
            let view = EventView::of(&v);
            let row = lake_event(e.seq, e.event_time_ms, &v, &e.record);
            for t in targets.iter_mut() {
                if t.offer(env.db, &view, &row)? {
                    report.ingested += 1;
                }
            }
        }
        after = last;
    }
    for t in targets.iter_mut() {
        t.finish(env.db, max_seq)?;
    }
    Ok(report)
}

#[cfg(test)]
#[path = "lake_tests.rs"]
mod tests;
