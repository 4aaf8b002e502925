//! CloudTrail Insights for trails, driven by the simulator clock.
//!
//! For every trail with insight selectors that has started logging, the management events
//! it captures are counted per minute into *series*: one per (insight type, account,
//! region, eventSource, eventName[, errorCode]). ApiCallRateInsight counts write API calls
//! (`readOnly` false); ApiErrorRateInsight counts API calls that returned an error, one
//! series per error code. Each closed minute is evaluated exactly once (a cursor in the
//! trail's `insights-state` document, saved in the same transaction as what it produced):
//!
//! * **baseline** of a minute `m`: the mean `μ` and standard deviation `σ` of the series'
//!   per-minute counts over the 7 days (10 080 minutes) before `m`, empty minutes included;
//! * **Start** when `count(m) >= μ + max(6σ, 20)` (a significance bound with a minimum
//!   absolute excess, so sparse series need a real burst). The baseline is then frozen for
//!   the life of the insight;
//! * the insight stays **active** while minutes reach the end bound `μ + max(3σ, 10)`; it
//!   **Ends** once 5 consecutive minutes after the last active one stay below it.
//!
//! A minute is only evaluated once the trail has 7 days of history behind it (counted from
//! StartLogging) and Insights has been on; see docs/insights.md for what differs from AWS.
//! Start and End records have the AwsCloudTrailInsight shape, are appended to the event
//! history (category `Insight`, for LookupEvents) and delivered to the trail's bucket under
//! `CloudTrail-Insight/`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::delivery::{compile_trail, gzip, object_key, trail_state_key, unique_of};
use super::pass_events;
use super::selectors::CompiledTrail;
use crate::clock;
use crate::error::{AwsError, StoreError};
use crate::services::cloudtrail::insights::enabled_key;
use crate::services::cloudtrail::trails::TrailConfig;
use crate::services::cloudtrail::{destinations, model::InsightSelector};
use crate::services::{Env, s3};
use crate::store::{DocKey, InsightCount, NewEvent, StatusRow, TrailRow, TrailWithStatus};
use crate::{ids, settings};

/// Document kind of a trail's Insights progress (service "cloudtrail", id = trail ARN).
pub const STATE_KIND: &str = "insights-state";
/// Document kind of a delivered Insights file (service "cloudtrail", id = "bucket/key").
pub const INSIGHT_FILE_KIND: &str = "insight-file";
/// Minutes of baseline: the 7 days before the minute evaluated.
pub const BASELINE_MINUTES: i64 = 7 * 24 * 60;
/// Start bound: `μ + max(START_SIGMAS·σ, START_MIN_EXCESS)`.
pub const START_SIGMAS: f64 = 6.0;
pub const START_MIN_EXCESS: f64 = 20.0;
/// End bound: `μ + max(END_SIGMAS·σ, END_MIN_EXCESS)`.
pub const END_SIGMAS: f64 = 3.0;
pub const END_MIN_EXCESS: f64 = 10.0;
/// Consecutive minutes below the end bound that end an insight.
pub const END_QUIET_MINUTES: i64 = 5;
/// Values listed per attribution (insight and baseline lists each).
pub const ATTRIBUTION_TOP: usize = 5;
/// The eventVersion of Insights records for trails.
pub const INSIGHT_EVENT_VERSION: &str = "1.07";
pub const CALL_RATE: &str = "ApiCallRateInsight";
pub const ERROR_RATE: &str = "ApiErrorRateInsight";

const MINUTE_MS: i64 = 60_000;
/// Events read per query while counting.
const BATCH: u32 = 5_000;
/// Minutes evaluated per trail per pass at most (a day): a clock moved weeks ahead is
/// evaluated over several passes.
pub const EVALUATE_MINUTES: i64 = 24 * 60;

// ------------------------------------------------------------------ the pure detector

/// The mean and standard deviation of a series' per-minute counts over a baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub mean: f64,
    pub stddev: f64,
}

impl Baseline {
    /// The count at which an insight starts.
    pub fn start_bound(&self) -> f64 {
        self.mean + (START_SIGMAS * self.stddev).max(START_MIN_EXCESS)
    }

    /// The count an active insight's minutes must reach to keep it going.
    pub fn end_bound(&self) -> f64 {
        self.mean + (END_SIGMAS * self.stddev).max(END_MIN_EXCESS)
    }
}

/// One series' non-empty minutes in ascending order, with prefix sums for baselines.
#[derive(Debug, Clone, Default)]
pub struct Series {
    minutes: Vec<i64>,
    counts: Vec<u64>,
    /// prefix[i] = (Σ counts[..i], Σ counts[..i]²)
    prefix: Vec<(u128, u128)>,
}

impl Series {
    /// Builds a series from (minute, count) pairs in ascending minute order.
    pub fn new(points: impl IntoIterator<Item = (i64, u64)>) -> Series {
        let mut s = Series {
            prefix: vec![(0, 0)],
            ..Series::default()
        };
        for (m, c) in points {
            let (sum, sq) = s.prefix[s.prefix.len() - 1];
            s.minutes.push(m);
            s.counts.push(c);
            s.prefix
                .push((sum + c as u128, sq + (c as u128) * (c as u128)));
        }
        s
    }

    /// Index of the first minute >= m.
    fn index(&self, m: i64) -> usize {
        self.minutes.partition_point(|x| *x < m)
    }

    /// The baseline of minute `m`: the 10 080 minutes before it, empty ones included.
    pub fn baseline_at(&self, m: i64) -> Baseline {
        let (lo, hi) = (self.index(m - BASELINE_MINUTES), self.index(m));
        let sum = (self.prefix[hi].0 - self.prefix[lo].0) as f64;
        let sq = (self.prefix[hi].1 - self.prefix[lo].1) as f64;
        let n = BASELINE_MINUTES as f64;
        let mean = sum / n;
        let var = (sq / n - mean * mean).max(0.0);
        Baseline {
            mean,
            stddev: var.sqrt(),
        }
    }

    /// (minute, count) of the non-empty minutes in `[from, to]`.
    fn between(&self, from: i64, to: i64) -> impl Iterator<Item = (i64, u64)> + '_ {
        let (lo, hi) = (self.index(from), self.index(to.saturating_add(1)));
        (lo..hi).map(|i| (self.minutes[i], self.counts[i]))
    }
}

/// An insight that has started and not ended yet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Active {
    pub start_minute: i64,
    pub start_count: u64,
    pub baseline: Baseline,
    /// The last minute that reached the end bound.
    pub last_active: i64,
    /// Calls in `[start_minute, last_active]`.
    pub sum: u64,
    /// Calls after `last_active` (they join `sum` if the insight goes on).
    pub pending: u64,
}

impl Active {
    /// Minutes from the start to the last active minute, both included.
    pub fn duration(&self) -> i64 {
        self.last_active - self.start_minute + 1
    }
}

/// What evaluating a series produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transition {
    Start(Active),
    End(Active),
}

/// Evaluates minutes `[from, to]` of a series, continuing `open` (an insight active before
/// `from`). Minutes before `eligible_from` cannot start an insight. The result does not
/// depend on how a span of minutes is split into calls.
pub fn evaluate(
    series: &Series,
    from: i64,
    to: i64,
    eligible_from: i64,
    open: &mut Option<Active>,
) -> Vec<Transition> {
    let mut out = Vec::new();
    for (m, c) in series.between(from, to) {
        if let Some(a) = open.as_mut() {
            if m - a.last_active <= END_QUIET_MINUTES {
                if c as f64 >= a.baseline.end_bound() {
                    a.sum += a.pending + c;
                    a.pending = 0;
                    a.last_active = m;
                } else {
                    a.pending += c;
                }
                continue;
            }
            out.push(Transition::End(*a));
            *open = None;
        }
        if m < eligible_from {
            continue;
        }
        let b = series.baseline_at(m);
        if c as f64 >= b.start_bound() {
            let a = Active {
                start_minute: m,
                start_count: c,
                baseline: b,
                last_active: m,
                sum: c,
                pending: 0,
            };
            out.push(Transition::Start(a));
            *open = Some(a);
        }
    }
    if let Some(a) = *open
        && to - a.last_active >= END_QUIET_MINUTES
    {
        out.push(Transition::End(a));
        *open = None;
    }
    out
}

// ------------------------------------------------------------------ series keys

/// Identifies a series: what an Insights event is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeriesKey {
    pub insight_type: String,
    pub account_id: String,
    pub region: String,
    pub event_source: String,
    pub event_name: String,
    /// "" for ApiCallRateInsight.
    pub error_code: String,
}

impl SeriesKey {
    pub(crate) fn of(c: &InsightCount) -> SeriesKey {
        SeriesKey {
            insight_type: c.insight_type.clone(),
            account_id: c.account_id.clone(),
            region: c.region.clone(),
            event_source: c.event_source.clone(),
            event_name: c.event_name.clone(),
            error_code: c.error_code.clone(),
        }
    }

    fn label(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}",
            self.insight_type,
            self.account_id,
            self.region,
            self.event_source,
            self.event_name,
            self.error_code
        )
    }
}

/// Which insight types a trail has on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Types {
    call_rate: bool,
    error_rate: bool,
}

/// The series a captured record counts toward (for the types on).
fn series_of(record: &Value, types: Types, account: &str, region: &str) -> Vec<SeriesKey> {
    let s = |k: &str| record.get(k).and_then(Value::as_str);
    if s("eventType") != Some("AwsApiCall") {
        return Vec::new();
    }
    let (Some(source), Some(name)) = (s("eventSource"), s("eventName")) else {
        return Vec::new();
    };
    let read_only =
        matches!(record.get("readOnly"), Some(Value::Bool(true))) || s("readOnly") == Some("true");
    let key = |ty: &str, code: &str| SeriesKey {
        insight_type: ty.to_string(),
        account_id: account.to_string(),
        region: region.to_string(),
        event_source: source.to_string(),
        event_name: name.to_string(),
        error_code: code.to_string(),
    };
    let mut out = Vec::new();
    if types.call_rate && !read_only {
        out.push(key(CALL_RATE, ""));
    }
    if types.error_rate
        && let Some(code) = s("errorCode").filter(|c| !c.is_empty())
    {
        out.push(key(ERROR_RATE, code));
    }
    out
}

// ------------------------------------------------------------------ the clock-driven part

/// An insight in progress, as saved between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenInsight {
    key: SeriesKey,
    shared_event_id: String,
    active: Active,
    /// The baseline attributions computed at the start (the End record repeats them).
    baseline_attributions: Value,
}

/// A trail's Insights progress, stored as a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct State {
    /// The trail this state belongs to (a trail re-created under the same ARN starts over).
    trail_created_ms: i64,
    /// Every event with `seq <= counted_seq` has been counted (or does not count).
    counted_seq: i64,
    /// The last minute evaluated.
    evaluated_minute: Option<i64>,
    open: Vec<OpenInsight>,
}

/// What one [`detect_due`] run produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct InsightsReport {
    /// Insights records appended (Start and End), in the order produced.
    pub records: Vec<Value>,
    /// Keys of delivered Insights files.
    pub files: Vec<String>,
    /// (trail ARN, error code) of trails whose bucket refused the files.
    pub errors: Vec<(String, String)>,
    /// The pass stopped at a bound ([`pass_events()`] events examined per trail, a day of
    /// minutes evaluated) with work left.
    #[serde(skip)]
    pub more: bool,
}

/// Counts new events and evaluates the minutes that have closed, for every trail with
/// insight selectors: per trail at most [`pass_events()`] events examined and
/// [`EVALUATE_MINUTES`] minutes evaluated, minutes only once every event recorded so far
/// is counted (a later event may fall in an earlier minute). [`InsightsReport::more`] says
/// whether another pass has work. Cheap when nothing is due.
pub fn detect_due(env: &Env<'_>) -> Result<InsightsReport, AwsError> {
    let mut report = InsightsReport::default();
    let (trails, max_seq) = env.db.trails_with_status(STATE_KIND)?;
    let now_minute = clock::to_millis(env.now).div_euclid(MINUTE_MS);
    for TrailWithStatus {
        trail: row,
        status,
        document,
    } in trails
    {
        let Some(selectors) = env.db.insight_selectors(&row.arn)? else {
            if document.is_some() {
                env.db.delete_document(&trail_state_key(STATE_KIND, &row))?;
                env.db.delete_insight_counts(&row.arn)?;
            }
            continue;
        };
        let Some(start_ms) = status.start_logging_ms else {
            continue; // never logged: nothing captured
        };
        let mut state: State = match document {
            Some(d) => serde_json::from_str(&d).map_err(StoreError::from)?,
            None => State::default(),
        };
        if state.trail_created_ms != row.created_ms {
            env.db.delete_insight_counts(&row.arn)?;
            state = State {
                trail_created_ms: row.created_ms,
                ..State::default()
            };
        }
        let types = types_of(&selectors);
        let eligible_from = eligible_from(env, &row, start_ms)?;
        let from = state
            .evaluated_minute
            .map_or(eligible_from, |e| (e + 1).max(eligible_from));
        let to = now_minute - 1;
        let count_due = max_seq > state.counted_seq;
        if !count_due && from > to {
            continue;
        }
        let Ok(config) = serde_json::from_str::<TrailConfig>(&row.config) else {
            continue; // an unreadable trail cannot be analysed; the service reports it
        };
        let trail = Trail::new(env, &row, &config, &status, start_ms, types)?;
        if count_due {
            state.counted_seq = trail.count(env, state.counted_seq, max_seq)?;
        }
        if state.counted_seq < max_seq {
            report.more = true;
        } else if from <= to {
            let last = to.min(from.saturating_add(EVALUATE_MINUTES - 1));
            trail.evaluate(env, &mut state, from, last, eligible_from, &mut report)?;
            state.evaluated_minute = Some(last);
            report.more |= last < to;
        }
        let now_ms = clock::to_millis(env.now);
        let body = serde_json::to_value(&state).map_err(StoreError::from)?;
        env.db
            .put_document(&trail_state_key(STATE_KIND, &row), &body, now_ms)?;
    }
    Ok(report)
}

fn types_of(selectors_json: &str) -> Types {
    let list: Vec<InsightSelector> = serde_json::from_str(selectors_json).unwrap_or_default();
    let has = |t: &str| list.iter().any(|s| s.insight_type.as_deref() == Some(t));
    Types {
        call_rate: has(CALL_RATE),
        error_rate: has(ERROR_RATE),
    }
}

/// The first minute that may start an insight: Insights is on, and the 7 days before the
/// minute lie within what the trail has captured since StartLogging.
fn eligible_from(env: &Env<'_>, row: &TrailRow, start_logging_ms: i64) -> Result<i64, AwsError> {
    let enabled_ms = env
        .db
        .document(&enabled_key(row))?
        .and_then(|d| d.get("enabledMs").and_then(Value::as_i64))
        .filter(|ms| *ms >= row.created_ms)
        .unwrap_or(row.created_ms);
    let ceil_minute = |ms: i64| (ms + MINUTE_MS - 1).div_euclid(MINUTE_MS);
    Ok(ceil_minute(enabled_ms).max(ceil_minute(start_logging_ms) + BASELINE_MINUTES))
}

/// A trail prepared for one run.
struct Trail<'r> {
    row: &'r TrailRow,
    config: &'r TrailConfig,
    compiled: CompiledTrail,
    org_id: Option<String>,
    types: Types,
    /// What the trail captures: `[start_ms, until_ms]`.
    start_ms: i64,
    until_ms: Option<i64>,
}

impl<'r> Trail<'r> {
    fn new(
        env: &Env<'_>,
        row: &'r TrailRow,
        config: &'r TrailConfig,
        status: &StatusRow,
        start_ms: i64,
        types: Types,
    ) -> Result<Trail<'r>, AwsError> {
        let (compiled, org_id) = compile_trail(env, row, config)?;
        Ok(Trail {
            row,
            config,
            compiled,
            org_id,
            types,
            start_ms,
            until_ms: if status.is_logging {
                None
            } else {
                status.stop_logging_ms
            },
        })
    }

    /// The series a recorded management event counts toward for this trail.
    fn series_of(&self, time_ms: i64, record: &Value) -> Vec<SeriesKey> {
        let in_period = time_ms >= self.start_ms && self.until_ms.is_none_or(|u| time_ms <= u);
        if !in_period || !self.compiled.captures(record) {
            return Vec::new();
        }
        let s = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default();
        series_of(record, self.types, s("recipientAccountId"), s("awsRegion"))
    }

    /// Counts the events after `cursor` up to `max_seq`, examining at most [`pass_events()`]
    /// sequence numbers; returns the new cursor (below `max_seq` when it stopped there).
    fn count(&self, env: &Env<'_>, mut cursor: i64, max_seq: i64) -> Result<i64, AwsError> {
        let mut counts: HashMap<(SeriesKey, i64), i64> = HashMap::new();
        // Sequence numbers examined, matching or not, bound the pass.
        let mut left = i64::from(pass_events());
        while cursor < max_seq && left > 0 {
            let through = max_seq.min(cursor + left.min(i64::from(BATCH)));
            let batch = env
                .db
                .insight_scan_events(cursor, through, self.types.error_rate)?;
            left -= through - cursor;
            cursor = through;
            for e in batch {
                // Most records cannot count: data events, and read calls without an error.
                if e.event_category != "Management"
                    || (e.read_only && !(self.types.error_rate && e.record.contains("errorCode")))
                {
                    continue;
                }
                let Ok(v) = serde_json::from_str::<Value>(&e.record) else {
                    continue;
                };
                for key in self.series_of(e.event_time_ms, &v) {
                    *counts
                        .entry((key, e.event_time_ms.div_euclid(MINUTE_MS)))
                        .or_default() += 1;
                }
            }
        }
        let mut rows: Vec<InsightCount> = counts
            .into_iter()
            .map(|((k, minute), count)| InsightCount {
                insight_type: k.insight_type,
                account_id: k.account_id,
                region: k.region,
                event_source: k.event_source,
                event_name: k.event_name,
                error_code: k.error_code,
                minute,
                count,
            })
            .collect();
        rows.sort();
        env.db.add_insight_counts(&self.row.arn, &rows)?;
        Ok(cursor)
    }

    /// Evaluates minutes `[from, to]` of every series, appending and delivering the
    /// Insights records they produce.
    fn evaluate(
        &self,
        env: &Env<'_>,
        state: &mut State,
        from: i64,
        to: i64,
        eligible_from: i64,
        report: &mut InsightsReport,
    ) -> Result<(), AwsError> {
        let mut grouped: BTreeMap<SeriesKey, Vec<(i64, u64)>> = BTreeMap::new();
        for c in env
            .db
            .insight_counts(&self.row.arn, from - BASELINE_MINUTES, to)?
        {
            grouped
                .entry(SeriesKey::of(&c))
                .or_default()
                .push((c.minute, c.count.max(0) as u64));
        }
        let mut open: BTreeMap<SeriesKey, OpenInsight> = std::mem::take(&mut state.open)
            .into_iter()
            .map(|o| (o.key.clone(), o))
            .collect();
        for k in open.keys() {
            grouped.entry(k.clone()).or_default();
        }
        let mut produced: Vec<Value> = Vec::new();
        for (key, points) in grouped {
            let series = Series::new(points);
            let mut current = open.get(&key).map(|o| o.active);
            for t in evaluate(&series, from, to, eligible_from, &mut current) {
                match t {
                    Transition::Start(a) => {
                        let shared = ids::uuid_from(
                            &id_seed(env)?,
                            &format!(
                                "insight:{}:{}:{}",
                                self.row.arn,
                                key.label(),
                                a.start_minute
                            ),
                            0,
                        );
                        let baseline_from = (a.start_minute - BASELINE_MINUTES) * MINUTE_MS;
                        let start_ms = a.start_minute * MINUTE_MS;
                        let baseline = self.attributions(env, &key, baseline_from, start_ms)?;
                        let insight =
                            self.attributions(env, &key, start_ms, start_ms + MINUTE_MS)?;
                        let o = OpenInsight {
                            key: key.clone(),
                            shared_event_id: shared,
                            active: a,
                            baseline_attributions: attributions_json(&baseline, BASELINE_MINUTES),
                        };
                        produced.push(self.record(env, &o, "Start", &insight, 1)?);
                        open.insert(key.clone(), o);
                    }
                    Transition::End(a) => {
                        let Some(mut o) = open.remove(&key) else {
                            continue; // cannot happen: an End always follows a Start
                        };
                        o.active = a;
                        let start_ms = a.start_minute * MINUTE_MS;
                        let end_ms = (a.last_active + 1) * MINUTE_MS;
                        let insight = self.attributions(env, &key, start_ms, end_ms)?;
                        produced.push(self.record(env, &o, "End", &insight, a.duration())?);
                    }
                }
            }
            if let (Some(a), Some(o)) = (current, open.get_mut(&key)) {
                o.active = a;
            }
        }
        state.open = open.into_values().collect();
        if !produced.is_empty() {
            self.store_and_deliver(env, produced, report)?;
        }
        Ok(())
    }

    /// Per attribute (userIdentityArn, userAgent, errorCode): calls per value in
    /// `[from_ms, to_ms)` among those the series counts.
    fn attributions(
        &self,
        env: &Env<'_>,
        key: &SeriesKey,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<Attribution>, AwsError> {
        let mut by: Vec<Attribution> = attributes_of(key)
            .iter()
            .map(|a| (*a, BTreeMap::new()))
            .collect();
        for (t, text) in env.db.api_event_records(
            &key.account_id,
            &key.region,
            &key.event_source,
            &key.event_name,
            from_ms,
            to_ms,
        )? {
            let Ok(v) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if !self.series_of(t, &v).contains(key) {
                continue;
            }
            for (attr, counts) in by.iter_mut() {
                let value = match *attr {
                    "userIdentityArn" => v
                        .pointer("/userIdentity/arn")
                        .and_then(Value::as_str)
                        .unwrap_or("null"),
                    "userAgent" => v.get("userAgent").and_then(Value::as_str).unwrap_or("null"),
                    _ => v.get("errorCode").and_then(Value::as_str).unwrap_or("null"),
                };
                *counts.entry(value.to_string()).or_default() += 1;
            }
        }
        Ok(by)
    }

    /// One AwsCloudTrailInsight record.
    fn record(
        &self,
        env: &Env<'_>,
        o: &OpenInsight,
        state: &str,
        insight: &[Attribution],
        duration: i64,
    ) -> Result<Value, AwsError> {
        let a = &o.active;
        let (time_minute, insight_average) = if state == "Start" {
            (a.start_minute, a.start_count as f64)
        } else {
            (a.last_active + 1, a.sum as f64 / a.duration() as f64)
        };
        let key = &o.key;
        let event_id = ids::uuid_from(
            &id_seed(env)?,
            &format!("insight-event:{}:{state}", o.shared_event_id),
            0,
        );
        let insight_list = attributions_json(insight, duration);
        let attributions: Vec<Value> = insight_list
            .as_array()
            .into_iter()
            .flatten()
            .zip(o.baseline_attributions.as_array().into_iter().flatten())
            .map(|(i, b)| {
                json!({
                    "attribute": i["attribute"],
                    "insight": i["values"],
                    "baseline": b["values"],
                })
            })
            .collect();
        let mut details = Map::new();
        details.insert("state".into(), json!(state));
        details.insert("eventSource".into(), json!(key.event_source));
        details.insert("eventName".into(), json!(key.event_name));
        details.insert("insightType".into(), json!(key.insight_type));
        if key.insight_type == ERROR_RATE {
            details.insert("errorCode".into(), json!(key.error_code));
        }
        details.insert(
            "insightContext".into(),
            json!({
                "statistics": {
                    "baseline": {"average": round(a.baseline.mean)},
                    "insight": {"average": round(insight_average)},
                    "insightDuration": duration,
                    "baselineDuration": BASELINE_MINUTES,
                },
                "attributions": attributions,
            }),
        );
        let mut r = Map::new();
        r.insert("eventVersion".into(), json!(INSIGHT_EVENT_VERSION));
        r.insert(
            "eventTime".into(),
            json!(clock::iso_seconds(clock::from_millis(
                time_minute * MINUTE_MS
            ))),
        );
        r.insert("awsRegion".into(), json!(key.region));
        r.insert("eventID".into(), json!(event_id));
        r.insert("eventType".into(), json!("AwsCloudTrailInsight"));
        r.insert("recipientAccountId".into(), json!(key.account_id));
        r.insert("sharedEventID".into(), json!(o.shared_event_id));
        r.insert("insightDetails".into(), Value::Object(details));
        r.insert("eventCategory".into(), json!("Insight"));
        Ok(Value::Object(r))
    }

    /// Appends the records to the event history and writes them, one file per account and
    /// region, to the trail's bucket.
    fn store_and_deliver(
        &self,
        env: &Env<'_>,
        records: Vec<Value>,
        report: &mut InsightsReport,
    ) -> Result<(), AwsError> {
        let mut files: BTreeMap<(String, String), Vec<(i64, Value)>> = BTreeMap::new();
        for r in records {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            let d = &r["insightDetails"];
            let text = serde_json::to_string(&r).map_err(StoreError::from)?;
            let time = chrono::DateTime::parse_from_rfc3339(&s("eventTime"))
                .map(|t| clock::to_millis(t.with_timezone(&chrono::Utc)))
                .unwrap_or_default();
            let seq = env.db.insert_event(&NewEvent {
                event_id: s("eventID"),
                account_id: s("recipientAccountId"),
                region: s("awsRegion"),
                event_time_ms: time,
                event_name: d["eventName"].as_str().unwrap_or_default().to_string(),
                event_source: d["eventSource"].as_str().unwrap_or_default().to_string(),
                event_category: "Insight".to_string(),
                username: None,
                read_only: false,
                access_key_id: None,
                resources: Vec::new(),
                record: text,
            })?;
            files
                .entry((s("recipientAccountId"), s("awsRegion")))
                .or_default()
                .push((seq, r.clone()));
            report.records.push(r);
        }
        let allowed = destinations::delivery_allowed(
            env,
            &self.row.arn,
            &self.row.account_id,
            self.config,
            self.org_id.as_deref(),
        )?;
        if let Err(code) = allowed {
            report.errors.push((self.row.arn.clone(), code.to_string()));
            return Ok(());
        }
        for ((account, region), records) in files {
            let key = self.write_file(env, &account, &region, &records)?;
            report.files.push(key);
        }
        Ok(())
    }

    fn write_file(
        &self,
        env: &Env<'_>,
        account: &str,
        region: &str,
        records: &[(i64, Value)],
    ) -> Result<String, AwsError> {
        let now_ms = clock::to_millis(env.now);
        let first_seq = records.iter().map(|r| r.0).min().unwrap_or_default();
        let prefix = self
            .config
            .s3_key_prefix
            .as_deref()
            .filter(|p| !p.is_empty());
        let key = object_key(
            "CloudTrail-Insight",
            prefix,
            self.org_id.as_deref(),
            account,
            region,
            env.now,
            &unique_of(&self.row.arn, account, region, first_seq),
        );
        let list: Vec<&Value> = records.iter().map(|r| &r.1).collect();
        let body = serde_json::to_vec(&json!({ "Records": list })).map_err(StoreError::from)?;
        let gz = gzip(&body)?;
        let bucket = &self.config.s3_bucket_name;
        let sse = self
            .config
            .kms_key_id
            .as_deref()
            .map(|k| ("aws:kms", Some(k)));
        s3::put_object_internal(env, bucket, &key, &gz, "application/json", sse)?;
        let times: Vec<&str> = list
            .iter()
            .filter_map(|r| r["eventTime"].as_str())
            .collect();
        let id = format!("{bucket}/{key}");
        env.db.put_document(
            &DocKey {
                service: "cloudtrail",
                kind: INSIGHT_FILE_KIND,
                account_id: &self.row.account_id,
                region: &self.row.region,
                id: &id,
            },
            &json!({
                "trailArn": self.row.arn,
                "bucket": bucket,
                "key": key,
                "account": account,
                "region": region,
                "sha256": hex::encode(Sha256::digest(&gz)),
                "oldestEventTime": times.iter().min(),
                "newestEventTime": times.iter().max(),
                "deliveredAt": clock::iso_seconds(env.now),
                "deliveredAtMs": now_ms,
                "records": list.len(),
                "size": gz.len(),
            }),
            now_ms,
        )?;
        Ok(key)
    }
}

fn id_seed(env: &Env<'_>) -> Result<String, AwsError> {
    Ok(settings::get(env.db, settings::ID_SEED)?)
}

/// Calls per value of one attribute (userIdentityArn, userAgent or errorCode).
type Attribution = (&'static str, BTreeMap<String, u64>);

/// The attributes an Insights event is attributed by.
fn attributes_of(key: &SeriesKey) -> &'static [&'static str] {
    if key.insight_type == ERROR_RATE {
        &["userIdentityArn", "userAgent"]
    } else {
        &["userIdentityArn", "userAgent", "errorCode"]
    }
}

/// `[{"attribute", "values": [{value, average}...]}]`: the top values by calls per minute
/// over `minutes`, ties by value.
fn attributions_json(by: &[Attribution], minutes: i64) -> Value {
    let minutes = minutes.max(1) as f64;
    Value::Array(
        by.iter()
            .map(|(attr, counts)| {
                let mut top: Vec<(&String, &u64)> = counts.iter().collect();
                top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                let values: Vec<Value> = top
                    .into_iter()
                    .take(ATTRIBUTION_TOP)
                    .map(|(v, n)| json!({"value": v, "average": round(*n as f64 / minutes)}))
                    .collect();
                json!({"attribute": attr, "values": values})
            })
            .collect(),
    )
}

/// Averages as AWS prints them: at most 10 decimals.
fn round(x: f64) -> f64 {
    (x * 1e10).round() / 1e10
}

#[cfg(test)]
#[path = "insights_tests.rs"]
mod tests;
