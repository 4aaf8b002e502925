//! CloudTrail events on the EventBridge default bus, driven like delivery by `run_due`:
//! each newly recorded event that EventBridge would receive is wrapped in its envelope
//! (`eventbridge::envelope`), matched against the enabled rules of its account and region,
//! and every target of a matching rule is invoked (`eventbridge::invoke`).
//!
//! Which events get there follows the EventBridge user guide: "To record events with a
//! detail-type value of AWS API Call via CloudTrail, a CloudTrail trail with logging
//! enabled is required", and data events only reach it when a trail logs them. So an event
//! is put on the bus when some trail was logging at its `eventTime` and captures it (the
//! one selector evaluator, `selectors::CompiledTrail`); Insights events come from a trail
//! with Insights enabled and always qualify. Read-only management calls reach only rules
//! in state `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` (`envelope::delivery`).
//!
//! Exactly once: one cursor (the last event `seq` considered) is kept as a document and
//! advanced in the same transaction as the invocations. A rule never sees events recorded
//! before it was created or enabled (`RuleDoc::since_seq`), so with no enabled rule there
//! is nothing to read and the pass costs one query.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::delivery::compile_trail;
use super::pass_events;
use super::selectors::{CompiledTrail, EventView};
use crate::clock;
use crate::error::{AwsError, StoreError};
use crate::services::cloudtrail::trails::TrailConfig;
use crate::services::eventbridge::envelope::{self, Delivery};
use crate::services::eventbridge::invoke::{FAILED, invoke_target};
use crate::services::eventbridge::pattern::EventPattern;
use crate::services::eventbridge::rules::{
    self, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, RuleDoc,
};
use crate::services::eventbridge::{DEFAULT_BUS, SERVICE};
use crate::services::{Env, id_seed};
use crate::store::DocKey;

/// Document kind of the cursor (service `events`, id [`CURSOR_ID`]).
pub const CURSOR_KIND: &str = "delivery-cursor";
const CURSOR_ID: &str = "cloudtrail";
/// Events read per query.
const BATCH: u32 = 5_000;
/// Failures listed in a report at most (the invocation records keep them all).
const MAX_REPORTED_FAILURES: usize = 100;

/// What one [`deliver_due`] pass did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventBridgeReport {
    /// CloudTrail events put on a default bus with an enabled rule to see them.
    pub events: u64,
    /// (event, rule) matches.
    pub matched: u64,
    /// Target invocations made, failed ones included.
    pub invocations: u64,
    /// (rule ARN, target ARN, error code) of failed invocations, the first
    /// [`MAX_REPORTED_FAILURES`].
    pub failed: Vec<(String, String, String)>,
    /// The pass stopped at its bound ([`pass_events()`] events read) with events left.
    #[serde(skip)]
    pub more: bool,
}

impl EventBridgeReport {
    pub fn is_empty(&self) -> bool {
        self.events == 0 && self.invocations == 0
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct Cursor {
    /// Every event with `seq <= cursor_seq` has been considered.
    cursor_seq: i64,
}

fn cursor_key() -> DocKey<'static> {
    DocKey {
        service: SERVICE,
        kind: CURSOR_KIND,
        account_id: "",
        region: "",
        id: CURSOR_ID,
    }
}

/// An enabled rule of a default bus with an event pattern, compiled.
struct LiveRule {
    doc: RuleDoc,
    pattern: EventPattern,
    all_management_events: bool,
}

/// A trail and the span of event times it logged (from its last StartLogging to its
/// StopLogging, or on).
struct Gate {
    compiled: CompiledTrail,
    start_ms: i64,
    until_ms: Option<i64>,
}

impl Gate {
    fn records(&self, view: &EventView<'_>, time_ms: i64) -> bool {
        time_ms >= self.start_ms
            && self.until_ms.is_none_or(|u| time_ms <= u)
            && self.compiled.captures_view(view)
    }
}

/// Every trail that has ever logged, compiled once per pass.
fn gates(env: &Env<'_>) -> Result<Vec<Gate>, AwsError> {
    let mut out = Vec::new();
    for row in env.db.all_trails()? {
        let status = env.db.status(&row.arn)?;
        let Some(start_ms) = status.start_logging_ms else {
            continue;
        };
        let Ok(config) = serde_json::from_str::<TrailConfig>(&row.config) else {
            continue; // an unreadable trail records nothing
        };
        let (compiled, _) = compile_trail(env, &row, &config)?;
        out.push(Gate {
            compiled,
            start_ms,
            until_ms: if status.is_logging {
                None
            } else {
                status.stop_logging_ms
            },
        });
    }
    Ok(out)
}

/// The enabled rules of every default bus that can match events. A stored pattern that no
/// longer compiles matches nothing.
fn live_rules(env: &Env<'_>) -> Result<Vec<LiveRule>, AwsError> {
    Ok(rules::rules(env, None, None)?
        .into_iter()
        .filter(|r| r.is_enabled() && r.bus == DEFAULT_BUS)
        .filter_map(|doc| {
            let pattern = EventPattern::compile(doc.event_pattern.as_deref()?).ok()?;
            let all_management_events = doc.state == ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS;
            Some(LiveRule {
                doc,
                pattern,
                all_management_events,
            })
        })
        .collect())
}

/// Puts the CloudTrail events recorded since the last pass on the default buses and
/// invokes the targets of the rules they match, reading at most [`pass_events()`] events (the
/// cursor stays where the pass stopped; [`EventBridgeReport::more`] says whether another
/// pass has work). Cheap when no rule is enabled.
pub fn deliver_due(env: &Env<'_>) -> Result<EventBridgeReport, AwsError> {
    let mut report = EventBridgeReport::default();
    let live = live_rules(env)?;
    if live.is_empty() {
        return Ok(report);
    }
    let cursor: Cursor = match env.db.document(&cursor_key())? {
        Some(v) => serde_json::from_value(v).map_err(StoreError::from)?,
        None => Cursor::default(),
    };
    let max_seq = env.db.max_event_seq()?;
    let earliest = live
        .iter()
        .map(|r| r.doc.since_seq)
        .min()
        .unwrap_or(max_seq);
    let mut after = cursor.cursor_seq.max(earliest);
    if after >= max_seq {
        return Ok(report);
    }
    let scopes: BTreeSet<(&str, &str)> = live
        .iter()
        .map(|r| (r.doc.account.as_str(), r.doc.region.as_str()))
        .collect();
    let gates = gates(env)?;
    let seed = id_seed(env)?;
    let mut left = pass_events();
    while after < max_seq {
        if left == 0 {
            report.more = true;
            break;
        }
        let batch = env.db.events_after(after, BATCH.min(left))?;
        left -= batch.len() as u32;
        let Some(last) = batch.last().map(|e| e.seq) else {
            break;
        };
        for ev in &batch {
            if !scopes.contains(&(ev.account_id.as_str(), ev.region.as_str())) {
                continue;
            }
            let Ok(record) = serde_json::from_str::<Value>(&ev.record) else {
                continue; // an unreadable record reaches no bus
            };
            let delivery = envelope::delivery(&record);
            let candidates: Vec<&LiveRule> = live
                .iter()
                .filter(|r| {
                    r.doc.since_seq < ev.seq
                        && r.doc.account == ev.account_id
                        && r.doc.region == ev.region
                        && match delivery {
                            Delivery::NotDelivered => false,
                            Delivery::AllEnabledRules => true,
                            Delivery::RulesWithAllManagementEvents => r.all_management_events,
                        }
                })
                .collect();
            if candidates.is_empty() {
                continue;
            }
            let insight = envelope::detail_type(&record) == Some(envelope::DETAIL_TYPE_INSIGHT);
            let view = EventView::of(&record);
            if !insight && !gates.iter().any(|g| g.records(&view, ev.event_time_ms)) {
                continue;
            }
            let event = envelope::cloudtrail_envelope(&record, &seed);
            report.events += 1;
            for rule in candidates {
                if !rule.pattern.matches(&event) {
                    continue;
                }
                report.matched += 1;
                for target in &rule.doc.targets {
                    let inv = invoke_target(env, &rule.doc, target, &event)?;
                    report.invocations += 1;
                    if inv.status == FAILED && report.failed.len() < MAX_REPORTED_FAILURES {
                        report.failed.push((
                            inv.rule_arn,
                            inv.target_arn,
                            inv.error_code.unwrap_or_default(),
                        ));
                    }
                }
            }
        }
        after = last;
    }
    let body = serde_json::to_value(Cursor {
        cursor_seq: after.max(cursor.cursor_seq),
    })
    .map_err(StoreError::from)?;
    env.db
        .put_document(&cursor_key(), &body, clock::to_millis(env.now))?;
    Ok(report)
}

#[cfg(test)]
#[path = "eventbridge_tests.rs"]
mod tests;
