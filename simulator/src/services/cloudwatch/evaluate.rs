//! Alarm evaluation on the simulator clock: [`evaluate_alarms`] evaluates every alarm at
//! each of its period boundaries that has come due, moves its state, writes the history
//! and returns the actions to run (SNS notifications in the message format CloudWatch
//! publishes).
//!
//! At a boundary `T` an alarm with period `P` and `N` evaluation periods looks at the
//! evaluation range: the `N + 2` periods before `T` (the newest is `[T-P, T)`). As
//! "Configuring how CloudWatch alarms treat missing data" describes:
//! - with at least `N` real data points in the range, the newest `N` are evaluated and
//!   TreatMissingData plays no part;
//! - with fewer, `breaching`/`notBreaching` fill the missing ones (as few as needed to make
//!   `N`); `missing` and `ignore` evaluate the real points only: `M` breaching ones (or the
//!   "premature alarm" rule: the oldest breaching point among the last `N` is at least `M`
//!   periods old and every newer point is breaching or missing) give ALARM, points that
//!   make `M` breaching impossible give OK, anything else keeps the state; `ignore` also
//!   keeps the state while the newest point is missing;
//! - with none, `missing` gives INSUFFICIENT_DATA, `ignore` keeps the state, `breaching`
//!   ALARM and `notBreaching` OK.
//!
//! Each pass evaluates at most [`MAX_STEPS`] boundaries per alarm; an alarm further behind
//! carries on at the next pass ([`evaluation_pending`] says whether one is due).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::alarms::{self, AlarmDoc, is_band};
use super::history;
use super::math::Series;
use super::metrics::{self, Detail, MetricKey};
use super::model::MetricAlarm;
use super::retrieve;
use super::stats::{self, Stat};
use crate::clock;
use crate::error::AwsError;
use crate::services::Env;

/// The most boundaries one alarm is evaluated at in one pass.
pub const MAX_STEPS: i64 = 120;
/// Periods in the evaluation range beyond the alarm's evaluation periods.
pub const EXTRA_RANGE: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Ok,
    Alarm,
    InsufficientData,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Alarm => "ALARM",
            State::InsufficientData => "INSUFFICIENT_DATA",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        match s {
            "OK" => Some(State::Ok),
            "ALARM" => Some(State::Alarm),
            "INSUFFICIENT_DATA" => Some(State::InsufficientData),
            _ => None,
        }
    }
}

/// How an alarm treats missing data points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treat {
    Missing,
    Ignore,
    Breaching,
    NotBreaching,
}

impl Treat {
    pub fn parse(s: Option<&str>) -> Treat {
        match s {
            Some("ignore") => Treat::Ignore,
            Some("breaching") => Treat::Breaching,
            Some("notBreaching") => Treat::NotBreaching,
            _ => Treat::Missing,
        }
    }
}

/// An action an alarm's state change triggers: the target (an SNS topic ARN for
/// notifications; other kinds of action are handed out as configured, for the caller to run
/// or skip) and the notification CloudWatch would publish to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmAction {
    pub account_id: String,
    pub region: String,
    pub alarm_name: String,
    pub alarm_arn: String,
    pub target_arn: String,
    pub old_state: String,
    pub new_state: String,
    /// When the state changed, epoch milliseconds.
    pub state_change_ms: i64,
    /// The SNS subject: `ALARM: "name" in US East (N. Virginia)`.
    pub subject: String,
    /// The SNS message: the alarm notification JSON.
    pub message: String,
}

impl AlarmAction {
    /// Whether the target is an SNS topic (`arn:<partition>:sns:...`).
    pub fn is_sns_topic(&self) -> bool {
        self.target_arn.split(':').nth(2) == Some("sns")
    }
}

/// What one evaluation decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `None`: the state stays as it is.
    pub state: Option<State>,
    /// The real data points the decision rests on: indices into the range, newest first.
    pub used: Vec<usize>,
    /// Missing points filled in as TreatMissingData says.
    pub filled: usize,
}

/// Decides an alarm's state from the data points of its evaluation range (`points`, newest
/// first, `None` where missing): `n` evaluation periods, `m` data points to alarm.
pub fn decide(
    points: &[Option<f64>],
    n: usize,
    m: usize,
    treat: Treat,
    breaches: &dyn Fn(f64) -> bool,
) -> Decision {
    let n = n.max(1);
    let m = m.clamp(1, n);
    let real: Vec<usize> = (0..points.len()).filter(|i| points[*i].is_some()).collect();
    let is_breaching = |i: &usize| points[*i].is_some_and(breaches);
    let verdict = |b: usize| {
        if b >= m { State::Alarm } else { State::Ok }
    };
    if real.len() >= n {
        let used: Vec<usize> = real[..n].to_vec();
        let b = used.iter().filter(|i| is_breaching(i)).count();
        return Decision {
            state: Some(verdict(b)),
            used,
            filled: 0,
        };
    }
    let b = real.iter().filter(|i| is_breaching(i)).count();
    match treat {
        Treat::Breaching | Treat::NotBreaching => {
            let filled = n - real.len();
            let extra = if treat == Treat::Breaching { filled } else { 0 };
            Decision {
                state: Some(verdict(b + extra)),
                used: real,
                filled,
            }
        }
        Treat::Missing | Treat::Ignore if real.is_empty() => Decision {
            state: (treat == Treat::Missing).then_some(State::InsufficientData),
            used: Vec::new(),
            filled: 0,
        },
        Treat::Missing | Treat::Ignore => {
            let keep = Decision {
                state: None,
                used: Vec::new(),
                filled: 0,
            };
            if treat == Treat::Ignore && points.first().is_none_or(|p| p.is_none()) {
                return keep;
            }
            if b >= m || premature_alarm(points, n, m, breaches) {
                let used = real.into_iter().filter(|i| *i < n).collect();
                return Decision {
                    state: Some(State::Alarm),
                    used,
                    filled: 0,
                };
            }
            let not_breaching = real.len() - b;
            if b == 0 || not_breaching > n - m {
                return Decision {
                    state: Some(State::Ok),
                    used: real,
                    filled: 0,
                };
            }
            keep
        }
    }
}

/// The "premature alarm state" rule: among the newest `n` points, the oldest breaching one
/// is at least `m` periods old and every newer point is breaching or missing.
fn premature_alarm(
    points: &[Option<f64>],
    n: usize,
    m: usize,
    breaches: &dyn Fn(f64) -> bool,
) -> bool {
    let window = &points[..n.min(points.len())];
    let Some(oldest) = window.iter().rposition(|p| p.is_some_and(breaches)) else {
        return false;
    };
    oldest + 1 >= m && window[..oldest].iter().all(|p| p.is_none_or(breaches))
}

/// Whether `v` breaches the threshold under a comparison operator.
pub fn breaches(op: &str, v: f64, threshold: f64) -> bool {
    match op {
        "GreaterThanOrEqualToThreshold" => v >= threshold,
        "GreaterThanThreshold" => v > threshold,
        "LessThanThreshold" => v < threshold,
        "LessThanOrEqualToThreshold" => v <= threshold,
        _ => false,
    }
}

fn op_phrase(op: &str) -> &'static str {
    match op {
        "GreaterThanOrEqualToThreshold" => "greater than or equal to",
        "GreaterThanThreshold" => "greater than",
        "LessThanThreshold" => "less than",
        "LessThanOrEqualToThreshold" => "less than or equal to",
        _ => "compared to",
    }
}

/// A double as Java prints it (CloudWatch's texts do): `5.0`, `0.25`, `1.0E7`, `1.0E-4`.
pub fn java_double(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let a = v.abs();
    if v == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{v}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{v:e}");
    match s.split_once('e') {
        Some((mant, exp)) if mant.contains('.') => format!("{mant}E{exp}"),
        Some((mant, exp)) => format!("{mant}.0E{exp}"),
        None => s,
    }
}

/// `dd/MM/yy HH:mm:ss`, the time form of CloudWatch's state reasons.
fn reason_time(t: i64) -> String {
    clock::from_millis(t * 1000)
        .format("%d/%m/%y %H:%M:%S")
        .to_string()
}

/// `2026-03-12T10:00:00.000+0000`, the time form of CloudWatch's JSON documents.
pub fn aws_time(epoch_seconds: f64) -> String {
    clock::from_millis((epoch_seconds * 1000.0).round() as i64)
        .format("%Y-%m-%dT%H:%M:%S%.3f+0000")
        .to_string()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn was_were(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

/// A data point of the evaluation range: period start, value, sample count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub start: i64,
    pub value: f64,
    pub samples: Option<f64>,
}

/// The state reason CloudWatch writes for a decision.
#[allow(clippy::too_many_arguments)]
pub fn reason_text(
    d: &Decision,
    range: &[Option<Point>],
    n: usize,
    m: usize,
    treat: Treat,
    op: &str,
    threshold: f64,
    old: State,
    new: State,
) -> String {
    if new == State::InsufficientData {
        return format!(
            "Insufficient Data: {} {} unknown.",
            plural(n, "datapoint"),
            was_were(n)
        );
    }
    let fill_kind = if treat == Treat::Breaching {
        "Breaching"
    } else {
        "NonBreaching"
    };
    let used: Vec<Point> = d
        .used
        .iter()
        .filter_map(|i| range.get(*i).copied().flatten())
        .collect();
    if used.is_empty() {
        return format!(
            "Threshold Crossed: no datapoints were received for {} and {} missing {} {} treated as [{fill_kind}].",
            plural(d.filled, "period"),
            d.filled,
            if d.filled == 1 {
                "datapoint"
            } else {
                "datapoints"
            },
            was_were(d.filled),
        );
    }
    let alarm = new == State::Alarm;
    let mut listed: Vec<Point> = used
        .iter()
        .copied()
        .filter(|p| breaches(op, p.value, threshold) == alarm)
        .collect();
    if listed.is_empty() {
        listed = used.clone();
    }
    let list: Vec<String> = listed
        .iter()
        .map(|p| format!("{} ({})", java_double(p.value), reason_time(p.start)))
        .collect();
    let phrase = if alarm {
        op_phrase(op).to_string()
    } else {
        format!("not {}", op_phrase(op))
    };
    let minimum = if alarm { m } else { n - m.min(n) + 1 };
    let mut text = format!(
        "Threshold Crossed: {} out of the last {} datapoints [{}] {} {phrase} the threshold ({})",
        listed.len(),
        used.len(),
        list.join(", "),
        was_were(listed.len()),
        java_double(threshold),
    );
    if d.filled > 0 {
        text.push_str(&format!(
            " and {} missing {} {} treated as [{fill_kind}]",
            d.filled,
            if d.filled == 1 {
                "datapoint"
            } else {
                "datapoints"
            },
            was_were(d.filled)
        ));
    }
    text.push_str(&format!(
        " (minimum {} for {} -> {} transition).",
        plural(minimum, "datapoint"),
        old.as_str(),
        new.as_str()
    ));
    text
}

/// The long name of a region, as alarm notifications name it.
pub fn region_name(region: &str) -> String {
    let name = match region {
        "af-south-1" => "Africa (Cape Town)",
        "ap-east-1" => "Asia Pacific (Hong Kong)",
        "ap-east-2" => "Asia Pacific (Taipei)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-northeast-3" => "Asia Pacific (Osaka)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "ap-south-2" => "Asia Pacific (Hyderabad)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-southeast-3" => "Asia Pacific (Jakarta)",
        "ap-southeast-4" => "Asia Pacific (Melbourne)",
        "ap-southeast-5" => "Asia Pacific (Malaysia)",
        "ap-southeast-6" => "Asia Pacific (New Zealand)",
        "ap-southeast-7" => "Asia Pacific (Thailand)",
        "ca-central-1" => "Canada (Central)",
        "ca-west-1" => "Canada West (Calgary)",
        "eu-central-1" => "EU (Frankfurt)",
        "eu-central-2" => "EU (Zurich)",
        "eu-north-1" => "EU (Stockholm)",
        "eu-south-1" => "EU (Milan)",
        "eu-south-2" => "EU (Spain)",
        "eu-west-1" => "EU (Ireland)",
        "eu-west-2" => "EU (London)",
        "eu-west-3" => "EU (Paris)",
        "il-central-1" => "Israel (Tel Aviv)",
        "me-central-1" => "Middle East (UAE)",
        "me-south-1" => "Middle East (Bahrain)",
        "mx-central-1" => "Mexico (Central)",
        "sa-east-1" => "South America (Sao Paulo)",
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "cn-north-1" => "China (Beijing)",
        "cn-northwest-1" => "China (Ningxia)",
        "us-gov-east-1" => "AWS GovCloud (US-East)",
        "us-gov-west-1" => "AWS GovCloud (US-West)",
        other => return other.to_string(),
    };
    name.to_string()
}

/// `Average` -> `AVERAGE`, `SampleCount` -> `SAMPLE_COUNT`: the Trigger's spelling.
fn trigger_statistic(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The `Trigger` of an alarm notification.
fn trigger(a: &MetricAlarm) -> Value {
    let mut t = Map::new();
    if let Some(metrics) = &a.metrics {
        t.insert("Period".into(), json!(alarms::alarm_period(a)));
        t.insert("EvaluationPeriods".into(), json!(a.evaluation_periods));
        if let Some(m) = a.datapoints_to_alarm {
            t.insert("DatapointsToAlarm".into(), json!(m));
        }
        t.insert("ComparisonOperator".into(), json!(a.comparison_operator));
        if let Some(th) = a.threshold {
            t.insert("Threshold".into(), json!(th));
        }
        if let Some(id) = &a.threshold_metric_id {
            t.insert("ThresholdMetricId".into(), json!(id));
        }
        t.insert(
            "TreatMissingData".into(),
            json!(a.treat_missing_data.as_deref().unwrap_or("missing")),
        );
        t.insert(
            "EvaluateLowSampleCountPercentile".into(),
            json!(
                a.evaluate_low_sample_count_percentile
                    .as_deref()
                    .unwrap_or("")
            ),
        );
        t.insert(
            "Metrics".into(),
            serde_json::to_value(metrics).unwrap_or(Value::Null),
        );
        return Value::Object(t);
    }
    t.insert("MetricName".into(), json!(a.metric_name));
    t.insert("Namespace".into(), json!(a.namespace));
    match (&a.statistic, &a.extended_statistic) {
        (Some(s), _) => {
            t.insert("StatisticType".into(), json!("Statistic"));
            t.insert("Statistic".into(), json!(trigger_statistic(s)));
        }
        (None, Some(e)) => {
            t.insert("StatisticType".into(), json!("ExtendedStatistic"));
            t.insert("ExtendedStatistic".into(), json!(e));
        }
        (None, None) => {}
    }
    t.insert("Unit".into(), json!(a.unit));
    t.insert(
        "Dimensions".into(),
        Value::Array(
            a.dimensions
                .iter()
                .map(|d| json!({"value": d.value, "name": d.name}))
                .collect(),
        ),
    );
    t.insert("Period".into(), json!(a.period.unwrap_or_default()));
    t.insert("EvaluationPeriods".into(), json!(a.evaluation_periods));
    if let Some(m) = a.datapoints_to_alarm {
        t.insert("DatapointsToAlarm".into(), json!(m));
    }
    t.insert("ComparisonOperator".into(), json!(a.comparison_operator));
    t.insert("Threshold".into(), json!(a.threshold.unwrap_or_default()));
    t.insert(
        "TreatMissingData".into(),
        json!(a.treat_missing_data.as_deref().unwrap_or("missing")),
    );
    t.insert(
        "EvaluateLowSampleCountPercentile".into(),
        json!(
            a.evaluate_low_sample_count_percentile
                .as_deref()
                .unwrap_or("")
        ),
    );
    Value::Object(t)
}

/// The notification CloudWatch publishes to an alarm's SNS topics.
pub fn notification(
    account: &str,
    region: &str,
    a: &MetricAlarm,
    old: &str,
    change_s: f64,
) -> String {
    json!({
        "AlarmName": a.alarm_name,
        "AlarmDescription": a.alarm_description,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": aws_time(a.alarm_configuration_updated_timestamp),
        "NewStateValue": a.state_value,
        "NewStateReason": a.state_reason,
        "StateChangeTime": aws_time(change_s),
        "Region": region_name(region),
        "AlarmArn": a.alarm_arn,
        "OldStateValue": old,
        "OKActions": a.ok_actions,
        "AlarmActions": a.alarm_actions,
        "InsufficientDataActions": a.insufficient_data_actions,
        "Trigger": trigger(a),
    })
    .to_string()
}

/// `ALARM: "name" in US East (N. Virginia)`, at most the 100 characters SNS allows.
fn subject(state: &str, name: &str, region: &str) -> String {
    let s = format!("{state}: \"{name}\" in {}", region_name(region));
    if s.chars().count() <= 100 {
        s
    } else {
        s.chars().take(100).collect()
    }
}

/// Moves an alarm to `state`: records the change in the history and returns the actions
/// the new state triggers (none when actions are disabled). A call that does not change
/// the state only updates the reason.
#[allow(clippy::too_many_arguments)]
pub fn transition(
    env: &Env<'_>,
    account: &str,
    region: &str,
    doc: &mut AlarmDoc,
    state: State,
    reason: String,
    reason_data: Option<Value>,
    reason_data_text: Option<String>,
) -> Result<Vec<AlarmAction>, AwsError> {
    let now = clock::to_epoch_seconds(env.now);
    let data_text = reason_data_text.or_else(|| reason_data.as_ref().map(Value::to_string));
    let a = &mut doc.alarm;
    let old = a.state_value.clone();
    let old_reason = a.state_reason.clone();
    let old_data = a.state_reason_data.clone();
    a.state_reason = reason;
    a.state_reason_data = data_text;
    a.state_updated_timestamp = now;
    if old == state.as_str() {
        return Ok(Vec::new());
    }
    a.state_value = state.as_str().to_string();
    a.state_transitioned_timestamp = now;
    history::state_updated(
        env,
        account,
        region,
        &a.alarm_name,
        (&old, &old_reason, old_data.as_deref()),
        (
            &a.state_value,
            &a.state_reason,
            a.state_reason_data.as_deref(),
        ),
    )?;
    if !a.actions_enabled {
        return Ok(Vec::new());
    }
    let targets = match state {
        State::Ok => &a.ok_actions,
        State::Alarm => &a.alarm_actions,
        State::InsufficientData => &a.insufficient_data_actions,
    };
    let message = notification(account, region, a, &old, now);
    Ok(targets
        .iter()
        .map(|t| AlarmAction {
            account_id: account.to_string(),
            region: region.to_string(),
            alarm_name: a.alarm_name.clone(),
            alarm_arn: a.alarm_arn.clone(),
            target_arn: t.clone(),
            old_state: old.clone(),
            new_state: a.state_value.clone(),
            state_change_ms: clock::to_millis(env.now),
            subject: subject(&a.state_value, &a.alarm_name, region),
            message: message.clone(),
        })
        .collect())
}

/// Why an alarm cannot be evaluated by this simulator (it is then left in its state).
fn unsupported(a: &MetricAlarm) -> bool {
    a.evaluation_criteria.is_some()
        || a.threshold_metric_id.is_some()
        || a.comparison_operator
            .as_deref()
            .is_none_or(|op| alarms::BAND_COMPARISONS.contains(&op))
        || a.threshold.is_none()
        || a.metrics
            .iter()
            .flatten()
            .any(|m| m.expression.as_deref().is_some_and(is_band))
}

/// An alarm's data by period start: value and sample count (unknown for metric math).
type Points = std::collections::BTreeMap<i64, (f64, Option<f64>)>;

/// The data points of an alarm over `[start, end)`; `None` when they cannot be computed.
fn alarm_points(
    env: &Env<'_>,
    account: &str,
    region: &str,
    a: &MetricAlarm,
    period: i64,
    start: i64,
    end: i64,
) -> Result<Option<Points>, AwsError> {
    if let Some(metrics) = &a.metrics {
        let Ok(prepared) = retrieve::prepare(metrics, "Metrics") else {
            return Ok(None);
        };
        let Some(watched) = prepared.iter().find(|p| p.return_data) else {
            return Ok(None);
        };
        let Ok(series) = retrieve::run_queries(env, account, region, &prepared, start, end) else {
            return Ok(None);
        };
        let s: Series = series.get(&watched.id).cloned().unwrap_or_default();
        return Ok(Some(s.into_iter().map(|(t, v)| (t, (v, None))).collect()));
    }
    let (Some(ns), Some(name)) = (&a.namespace, &a.metric_name) else {
        return Ok(None);
    };
    let Some(stat) = a
        .statistic
        .as_deref()
        .or(a.extended_statistic.as_deref())
        .and_then(Stat::parse)
    else {
        return Ok(None);
    };
    let key = MetricKey::new(ns, name, &a.dimensions);
    let detail = match stat {
        Stat::Simple(_) => Detail::Simple,
        Stat::Extended(_) => Detail::Values,
    };
    let windows = metrics::read_combined(
        env,
        account,
        region,
        &key,
        start,
        end,
        period,
        a.unit.as_deref(),
        detail,
    )?;
    Ok(Some(
        windows
            .into_iter()
            .filter_map(|(t, agg)| agg.statistic(&stat).map(|v| (t, (v, Some(agg.count)))))
            .collect(),
    ))
}

/// StateReasonData for a decision.
#[allow(clippy::too_many_arguments)]
fn reason_data(
    a: &MetricAlarm,
    at: i64,
    period: i64,
    range: &[Option<Point>],
    d: &Decision,
    state: State,
) -> Value {
    let mut m = Map::new();
    m.insert("version".into(), json!("1.0"));
    m.insert("queryDate".into(), json!(aws_time(at as f64)));
    m.insert(
        "startDate".into(),
        json!(aws_time((at - period * range.len() as i64) as f64)),
    );
    if let Some(s) = &a.statistic {
        m.insert("statistic".into(), json!(s));
    }
    if let Some(s) = &a.extended_statistic {
        m.insert("extendedStatistic".into(), json!(s));
    }
    if let Some(u) = &a.unit {
        m.insert("unit".into(), json!(u));
    }
    m.insert("period".into(), json!(period));
    let recent: Vec<f64> = if state == State::InsufficientData {
        Vec::new()
    } else {
        range.iter().rev().flatten().map(|p| p.value).collect()
    };
    m.insert("recentDatapoints".into(), json!(recent));
    m.insert("threshold".into(), json!(a.threshold.unwrap_or_default()));
    if state != State::InsufficientData && !d.used.is_empty() {
        let evaluated: Vec<Value> = d
            .used
            .iter()
            .filter_map(|i| range.get(*i).copied().flatten())
            .map(|p| {
                let mut e = Map::new();
                e.insert("timestamp".into(), json!(aws_time(p.start as f64)));
                if let Some(n) = p.samples {
                    e.insert("sampleCount".into(), json!(n));
                }
                e.insert("value".into(), json!(p.value));
                Value::Object(e)
            })
            .collect();
        m.insert("evaluatedDatapoints".into(), Value::Array(evaluated));
    }
    Value::Object(m)
}

/// Evaluates one alarm at its due boundaries (at most [`MAX_STEPS`]); returns the actions.
fn evaluate_alarm(
    env: &Env<'_>,
    account: &str,
    region: &str,
    doc: &mut AlarmDoc,
    now_s: i64,
) -> Result<Vec<AlarmAction>, AwsError> {
    let period = doc.period();
    let first = doc.next_eval;
    let due = now_s.div_euclid(period) * period;
    let last = due.min(first.saturating_add((MAX_STEPS - 1).saturating_mul(period)));
    doc.next_eval = last.saturating_add(period);
    if unsupported(&doc.alarm) {
        return Ok(Vec::new());
    }
    let a = doc.alarm.clone();
    let n = usize::try_from(a.evaluation_periods.max(1)).unwrap_or(1);
    let m = a
        .datapoints_to_alarm
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(n);
    let range_len = n + EXTRA_RANGE;
    let span = period * range_len as i64;
    let Some(points) = alarm_points(env, account, region, &a, period, first - span, last)? else {
        return Ok(Vec::new());
    };
    let threshold = a.threshold.unwrap_or_default();
    let op = a.comparison_operator.clone().unwrap_or_default();
    // Alarms on AWS/DynamoDB metrics always ignore missing data.
    let treat = if a.namespace.as_deref() == Some("AWS/DynamoDB") {
        Treat::Ignore
    } else {
        Treat::parse(a.treat_missing_data.as_deref())
    };
    let low_samples = a
        .extended_statistic
        .as_deref()
        .and_then(Stat::parse)
        .and_then(|s| s.percentile_fraction())
        .filter(|_| a.evaluate_low_sample_count_percentile.as_deref() == Some("ignore"));
    let cmp = |v: f64| breaches(&op, v, threshold);
    let mut actions = Vec::new();
    let mut at = first;
    while at <= last {
        let range: Vec<Option<Point>> = (1..=range_len as i64)
            .map(|k| {
                let start = at - k * period;
                points.get(&start).map(|(value, samples)| Point {
                    start,
                    value: *value,
                    samples: *samples,
                })
            })
            .collect();
        let values: Vec<Option<f64>> = range.iter().map(|p| p.map(|p| p.value)).collect();
        let d = decide(&values, n, m, treat, &cmp);
        let too_few = low_samples.is_some_and(|p| {
            d.used.iter().any(|i| {
                range[*i].is_some_and(|pt| stats::too_few_samples(p, pt.samples.unwrap_or(0.0)))
            })
        });
        let current = State::parse(&doc.alarm.state_value).unwrap_or(State::InsufficientData);
        if let Some(state) = d.state.filter(|s| *s != current && !too_few) {
            let reason = reason_text(&d, &range, n, m, treat, &op, threshold, current, state);
            let data = reason_data(&a, at, period, &range, &d, state);
            // The change is stamped with the boundary it was decided at.
            let at_env = Env {
                now: clock::from_millis(at * 1000),
                ..*env
            };
            actions.extend(transition(
                &at_env,
                account,
                region,
                doc,
                state,
                reason,
                Some(data),
                None,
            )?);
        }
        at += period;
    }
    Ok(actions)
}

/// Whether an action can be carried out: SNS topics that exist can be published to; the
/// simulator runs no other kind of action.
fn action_outcome(env: &Env<'_>, a: &AlarmAction) -> Result<Result<(), String>, AwsError> {
    if !a.is_sns_topic() {
        return Ok(Err(format!(
            "ctsim does not run {} actions",
            a.target_arn.split(':').nth(2).unwrap_or("these")
        )));
    }
    Ok(match crate::services::sns::topic(env, &a.target_arn)? {
        Some(_) => Ok(()),
        None => Err(format!("Resource: {} not found", a.target_arn)),
    })
}

/// Evaluates every alarm (all accounts and regions) whose evaluation has come due by
/// `env.now`, and hands out the actions to run: those of the state changes just made and
/// those SetAlarmState queued, oldest first. Each action handed out is recorded in the
/// alarm's history: executed when its target is an existing SNS topic, failed otherwise
/// (a missing topic, or a kind of action the simulator does not run). Records no
/// CloudTrail event.
pub fn evaluate_alarms(env: &Env<'_>) -> Result<Vec<AlarmAction>, AwsError> {
    let now_s = env.now.timestamp();
    let mut out = Vec::new();
    for (account, region, mut doc) in alarms::all(env, None, None)? {
        let mut actions = std::mem::take(&mut doc.pending);
        let mut changed = !actions.is_empty();
        if doc.next_eval <= now_s {
            actions.extend(evaluate_alarm(env, &account, &region, &mut doc, now_s)?);
            changed = true;
        }
        if changed {
            alarms::save(env, &account, &region, &doc)?;
        }
        for a in &actions {
            history::action_executed(env, a, action_outcome(env, a)?)?;
        }
        out.extend(actions);
    }
    out.sort_by_key(|a| a.state_change_ms);
    Ok(out)
}

/// Whether some alarm still has evaluation due at `env.now` (a pass stopped at
/// [`MAX_STEPS`]) or queued actions: the caller may run another pass.
pub fn evaluation_pending(env: &Env<'_>) -> Result<bool, AwsError> {
    let now_s = env.now.timestamp();
    Ok(alarms::all(env, None, None)?
        .iter()
        .any(|(_, _, d)| d.next_eval <= now_s || !d.pending.is_empty()))
}

/// When the next alarm evaluation falls due (for a caller that schedules passes).
pub fn next_evaluation(env: &Env<'_>) -> Result<Option<DateTime<Utc>>, AwsError> {
    Ok(alarms::all(env, None, None)?
        .iter()
        .map(|(_, _, d)| d.next_eval)
        .min()
        .map(|s| clock::from_millis(s.saturating_mul(1000))))
}
