//! Metric alarms: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms,
//! SetAlarmState, EnableAlarmActions and DisableAlarmActions, and the stored alarm.
//!
//! An alarm is one document (kind `alarm`, id its name) holding the DescribeAlarms shape
//! plus what evaluation needs: the next period boundary to evaluate at, and the actions a
//! SetAlarmState transition triggered, which the next evaluation pass hands out.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::SERVICE;
use super::errors::*;
use super::evaluate::{self, AlarmAction, State};
use super::history;
use super::metrics::{decode_token, encode_token};
use super::model::*;
use super::retrieve::{self, QueryKind};
use super::stats::Stat;
use super::tags;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message};
use crate::store::DocKey;

const ALARM_KIND: &str = "alarm";
/// Metric alarms per account and region.
pub const MAX_ALARMS: usize = 10_000;
pub const MAX_ACTIONS: usize = 5;
pub const DEFAULT_MAX_RECORDS: usize = 50;
pub const MAX_RECORDS: i64 = 100;
pub const INITIAL_REASON: &str = "Unchecked: Initial alarm creation";

pub const COMPARISONS: &[&str] = &[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];
/// The comparison operators of anomaly detection alarms (band thresholds).
pub const BAND_COMPARISONS: &[&str] = &[
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];
pub const TREAT_MISSING: &[&str] = &["breaching", "notBreaching", "ignore", "missing"];
pub const STATES: &[&str] = &["OK", "ALARM", "INSUFFICIENT_DATA"];

/// An alarm as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlarmDoc {
    pub alarm: MetricAlarm,
    /// The next period boundary (epoch seconds) the alarm is evaluated at.
    pub next_eval: i64,
    /// Actions triggered by SetAlarmState, handed out by the next evaluation pass.
    pub pending: Vec<AlarmAction>,
}

impl AlarmDoc {
    pub fn period(&self) -> i64 {
        alarm_period(&self.alarm)
    }
}

/// The period an alarm is evaluated with: its own, or that of the query it watches (else
/// the smallest period among its metrics).
pub fn alarm_period(a: &MetricAlarm) -> i64 {
    if let Some(p) = a.period {
        return p.max(1);
    }
    let metrics = a.metrics.as_deref().unwrap_or_default();
    let watched = metrics.iter().find(|m| m.return_data.unwrap_or(true));
    watched
        .and_then(|m| m.period.or(m.metric_stat.as_ref().and_then(|s| s.period)))
        .or_else(|| {
            metrics
                .iter()
                .filter_map(|m| m.metric_stat.as_ref().and_then(|s| s.period))
                .min()
        })
        .or(a.evaluation_interval)
        .unwrap_or(60)
        .max(1)
}

pub fn alarm_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:cloudwatch:{region}:{account}:alarm:{name}")
}

fn key<'a>(account: &'a str, region: &'a str, name: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: ALARM_KIND,
        account_id: account,
        region,
        id: name,
    }
}

fn corrupt(e: impl std::fmt::Display) -> AwsError {
    AwsError::internal(format!("corrupt CloudWatch alarm document: {e}"))
}

pub fn load(
    env: &Env<'_>,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<AlarmDoc>, AwsError> {
    match env.db.document(&key(account, region, name))? {
        Some(v) => serde_json::from_value(v).map(Some).map_err(corrupt),
        None => Ok(None),
    }
}

pub fn save(env: &Env<'_>, account: &str, region: &str, doc: &AlarmDoc) -> Result<(), AwsError> {
    let body = serde_json::to_value(doc).map_err(corrupt)?;
    env.db.put_document(
        &key(account, region, &doc.alarm.alarm_name),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// Every alarm with its account and region; `None` matches any. Sorted by name.
pub fn all(
    env: &Env<'_>,
    account: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<(String, String, AlarmDoc)>, AwsError> {
    env.db
        .documents(SERVICE, ALARM_KIND, account, region)?
        .into_iter()
        .map(|d| {
            let doc: AlarmDoc = serde_json::from_value(d.body).map_err(corrupt)?;
            Ok((d.account_id, d.region, doc))
        })
        .collect()
}

/// The first period boundary at or after `now` (epoch seconds).
pub fn first_boundary(now_s: i64, period: i64) -> i64 {
    let p = period.max(1);
    now_s.div_euclid(p) * p + if now_s.rem_euclid(p) == 0 { 0 } else { p }
}

fn check_name(name: &Option<String>) -> Result<&str, AwsError> {
    let n = required(name, "AlarmName")?;
    check_length(n, "alarmName", 1, 255)?;
    if n.chars().any(|c| c.is_control()) {
        return Err(bad_value(n, "AlarmName"));
    }
    Ok(n)
}

/// Action ARNs: well-formed, SNS topics in the alarm's region.
fn check_actions(
    list: &Option<Vec<String>>,
    member: &str,
    region: &str,
) -> Result<Vec<String>, AwsError> {
    let actions = list.clone().unwrap_or_default();
    if actions.len() > MAX_ACTIONS {
        return Err(validation(format!(
            "1 validation error detected: Value '[{}]' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACTIONS}",
            actions.join(", ")
        )));
    }
    for a in &actions {
        check_length(a, &format!("{member}.member"), 1, 1024)?;
        let parts: Vec<&str> = a.splitn(6, ':').collect();
        if parts.len() < 6
            || parts[0] != "arn"
            || !parts[1].starts_with("aws")
            || parts[2].is_empty()
        {
            return Err(validation(format!("Invalid arn syntax: {a}")));
        }
        if parts[2] == "sns" && parts[3] != region {
            return Err(validation(format!(
                "Invalid region {} specified. Only {region} is supported.",
                parts[3]
            )));
        }
    }
    Ok(actions)
}

/// The alarm configuration PutMetricAlarm describes, checked.
fn configure(ctx: &CallerContext, req: &PutMetricAlarmRequest) -> Result<MetricAlarm, AwsError> {
    let name = check_name(&req.alarm_name)?;
    if let Some(d) = &req.alarm_description {
        check_length(d, "alarmDescription", 0, 1024)?;
    }
    let ok_actions = check_actions(&req.ok_actions, "oKActions", &ctx.region)?;
    let alarm_actions = check_actions(&req.alarm_actions, "alarmActions", &ctx.region)?;
    let insufficient = check_actions(
        &req.insufficient_data_actions,
        "insufficientDataActions",
        &ctx.region,
    )?;
    check_unit(req.unit.as_deref(), "unit")?;
    if let Some(t) = &req.treat_missing_data {
        check_length(t, "treatMissingData", 1, 255)?;
        if !TREAT_MISSING.contains(&t.as_str()) {
            return Err(validation(format!(
                "Option {t} is not supported. Supported options for parameter TreatMissingData are breaching, notBreaching, ignore and missing."
            )));
        }
    }
    if let Some(op) = &req.comparison_operator {
        check_enum(op, "comparisonOperator", COMPARISONS)?;
    }
    let metrics = req.metrics.as_deref().unwrap_or_default();
    let single = req.metric_name.is_some();
    let promql = req.evaluation_criteria.is_some();
    match (single, !metrics.is_empty(), promql) {
        (true, true, _) | (true, _, true) | (_, true, true) => {
            return Err(invalid_combination(
                "Exactly one of MetricName, Metrics and EvaluationCriteria must be specified.",
            ));
        }
        (false, false, false) => {
            return Err(validation(
                "One of MetricName, Metrics or EvaluationCriteria must be specified.",
            ));
        }
        _ => {}
    }
    if promql {
        if req
            .evaluation_interval
            .is_none_or(|i| !valid_alarm_period(i) || i > 3600)
        {
            return Err(validation(
                "EvaluationInterval must be 10, 20, 30 or a multiple of 60 up to 3600 for alarms with EvaluationCriteria.",
            ));
        }
    } else {
        if req.evaluation_interval.is_some() {
            return Err(invalid_combination(
                "EvaluationInterval can only be specified with EvaluationCriteria.",
            ));
        }
        let evaluation_periods = req
            .evaluation_periods
            .ok_or_else(|| missing("EvaluationPeriods"))?;
        if evaluation_periods < 1 {
            return Err(validation(constraint_message(
                &evaluation_periods.to_string(),
                "evaluationPeriods",
                "Member must have value greater than or equal to 1",
            )));
        }
        if let Some(m) = req.datapoints_to_alarm {
            if m < 1 {
                return Err(validation(constraint_message(
                    &m.to_string(),
                    "datapointsToAlarm",
                    "Member must have value greater than or equal to 1",
                )));
            }
            if m > evaluation_periods {
                return Err(validation(
                    "DatapointsToAlarm must be less than or equal to EvaluationPeriods.",
                ));
            }
        }
        let op = required(&req.comparison_operator, "ComparisonOperator")?;
        let band = BAND_COMPARISONS.contains(&op);
        match (&req.threshold_metric_id, req.threshold, band) {
            (Some(_), Some(_), _) => {
                return Err(invalid_combination(
                    "Threshold and ThresholdMetricId cannot both be specified.",
                ));
            }
            (Some(_), None, false) => {
                return Err(validation(format!(
                    "ThresholdMetricId can only be used with the comparison operators {}.",
                    BAND_COMPARISONS.join(", ")
                )));
            }
            (None, _, true) => return Err(missing("ThresholdMetricId")),
            (None, None, false) => return Err(missing("Threshold")),
            _ => {}
        }
        if single {
            let ns = required(&req.namespace, "Namespace")?;
            check_namespace(ns, "namespace")?;
            check_metric_name(req.metric_name.as_deref().unwrap_or_default(), "metricName")?;
            check_dimensions(req.dimensions.as_deref().unwrap_or_default(), "Dimensions")?;
            match (&req.statistic, &req.extended_statistic) {
                (Some(s), None) => check_enum(s, "statistic", STATISTICS)?,
                (None, Some(e)) => {
                    if super::stats::parse_extended(e).is_none() {
                        return Err(bad_value(e, "ExtendedStatistic"));
                    }
                }
                _ => {
                    return Err(invalid_combination(
                        "Exactly one of Statistic and ExtendedStatistic must be specified.",
                    ));
                }
            }
            let period = req.period.ok_or_else(|| missing("Period"))?;
            if !valid_alarm_period(period) {
                return Err(validation(format!(
                    "Invalid period {period}: the period must be 10, 20, 30 or a multiple of 60."
                )));
            }
            check_total_evaluation(period, evaluation_periods)?;
            if band {
                return Err(validation(
                    "Anomaly detection alarms must be defined with Metrics and a ThresholdMetricId.",
                ));
            }
        } else {
            let given: Vec<&str> = [
                req.namespace.as_ref().map(|_| "Namespace"),
                req.dimensions.as_ref().map(|_| "Dimensions"),
                req.period.map(|_| "Period"),
                req.unit.as_ref().map(|_| "Unit"),
                req.statistic.as_ref().map(|_| "Statistic"),
                req.extended_statistic.as_ref().map(|_| "ExtendedStatistic"),
            ]
            .into_iter()
            .flatten()
            .collect();
            if let Some(m) = given.first() {
                return Err(invalid_combination(format!(
                    "The parameter {m} cannot be specified with Metrics."
                )));
            }
            check_metrics(metrics, req)?;
        }
    }
    if let Some(e) = &req.evaluate_low_sample_count_percentile {
        check_length(e, "evaluateLowSampleCountPercentile", 1, 255)?;
        if e != "evaluate" && e != "ignore" {
            return Err(validation(format!(
                "Option {e} is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore."
            )));
        }
        let percentile = req
            .extended_statistic
            .as_deref()
            .and_then(Stat::parse)
            .is_some_and(|s| s.is_percentile());
        if !percentile {
            return Err(invalid_combination(
                "EvaluateLowSampleCountPercentile can only be specified for alarms on percentile statistics.",
            ));
        }
    }
    Ok(MetricAlarm {
        alarm_name: name.to_string(),
        alarm_arn: alarm_arn(&ctx.region, &ctx.account_id, name),
        alarm_description: req.alarm_description.clone(),
        actions_enabled: req.actions_enabled.unwrap_or(true),
        ok_actions,
        alarm_actions,
        insufficient_data_actions: insufficient,
        metric_name: req.metric_name.clone(),
        namespace: req.namespace.clone(),
        statistic: req.statistic.clone(),
        extended_statistic: req.extended_statistic.clone(),
        dimensions: req.dimensions.clone().unwrap_or_default(),
        period: req.period,
        unit: req.unit.clone(),
        evaluation_periods: req.evaluation_periods.unwrap_or_default(),
        datapoints_to_alarm: req.datapoints_to_alarm,
        threshold: req.threshold,
        comparison_operator: req.comparison_operator.clone(),
        treat_missing_data: req.treat_missing_data.clone(),
        evaluate_low_sample_count_percentile: req.evaluate_low_sample_count_percentile.clone(),
        metrics: req.metrics.clone().filter(|m| !m.is_empty()),
        threshold_metric_id: req.threshold_metric_id.clone(),
        evaluation_window: req.evaluation_window.clone(),
        warm_up_configuration: req.warm_up_configuration.clone(),
        evaluation_criteria: req.evaluation_criteria.clone(),
        evaluation_interval: req.evaluation_interval,
        action_configuration: req.action_configuration.clone(),
        ..MetricAlarm::default()
    })
}

/// Whether an expression is an anomaly detection band (stored, not evaluated).
pub fn is_band(expression: &str) -> bool {
    expression.contains("ANOMALY_DETECTION_BAND")
}

/// Period × EvaluationPeriods: at most 7 days, and 1 day for periods under an hour.
fn check_total_evaluation(period: i64, evaluation_periods: i64) -> Result<(), AwsError> {
    let total = period.saturating_mul(evaluation_periods);
    let limit = if period < 3600 { 86_400 } else { 604_800 };
    if total > limit {
        return Err(validation(format!(
            "The evaluation period of the alarm (Period * EvaluationPeriods = {total} seconds) must not be longer than {limit} seconds."
        )));
    }
    Ok(())
}

/// An alarm's `Metrics`: at most 20 (10 metrics, 10 expressions), exactly one returning
/// data, an anomaly band's id when ThresholdMetricId is used.
fn check_metrics(metrics: &[MetricDataQuery], req: &PutMetricAlarmRequest) -> Result<(), AwsError> {
    if metrics.len() > 20 {
        return Err(validation(
            "1 validation error detected: Value at 'metrics' failed to satisfy constraint: Member must have length less than or equal to 20",
        ));
    }
    // ANOMALY_DETECTION_BAND is not evaluated, but alarms on it are stored: its
    // expression stands in as a number for the checks of metric math.
    let stand_ins: Vec<MetricDataQuery> = metrics
        .iter()
        .map(|m| {
            let mut m = m.clone();
            if m.expression.as_deref().is_some_and(is_band) {
                m.expression = Some("0".to_string());
            }
            m
        })
        .collect();
    let prepared = retrieve::prepare(&stand_ins, "Metrics")?;
    let stats = prepared
        .iter()
        .filter(|p| matches!(p.kind, QueryKind::Metric { .. }))
        .count();
    if stats > 10 || prepared.len() - stats > 10 {
        return Err(validation(
            "An alarm's Metrics can contain at most 10 metrics and 10 expressions.",
        ));
    }
    let returning: Vec<&retrieve::Prepared> = prepared
        .iter()
        .filter(|p| Some(p.id.as_str()) != req.threshold_metric_id.as_deref() && p.return_data)
        .collect();
    if returning.len() != 1 {
        return Err(validation(
            "Exactly one element of the metrics list should return data.",
        ));
    }
    if let Some(id) = &req.threshold_metric_id
        && !metrics
            .iter()
            .any(|m| m.id == *id && m.expression.as_deref().is_some_and(is_band))
    {
        return Err(validation(format!(
            "ThresholdMetricId {id} must be the id of an ANOMALY_DETECTION_BAND expression in Metrics."
        )));
    }
    for (p, m) in prepared.iter().zip(metrics) {
        let period = m.period.or(m.metric_stat.as_ref().and_then(|s| s.period));
        if let Some(period) = period
            && !valid_alarm_period(period)
        {
            return Err(validation(format!(
                "Invalid period {period} for metric {}: the period must be 10, 20, 30 or a multiple of 60.",
                p.id
            )));
        }
    }
    if let Some(period) = returning[0]
        .period
        .or_else(|| prepared.iter().filter_map(|p| p.period).min())
    {
        check_total_evaluation(period, req.evaluation_periods.unwrap_or(1))?;
    }
    Ok(())
}

pub fn put_metric_alarm(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutMetricAlarmRequest,
) -> Result<Empty, AwsError> {
    let mut config = configure(ctx, &req)?;
    let (account, region) = (&ctx.account_id, &ctx.region);
    let now = clock::to_epoch_seconds(env.now);
    let doc = match load(env, account, region, &config.alarm_name)? {
        // An update replaces the configuration and keeps the state; tags are left alone.
        Some(mut doc) => {
            let before = doc.alarm.clone();
            config.state_value = before.state_value.clone();
            config.state_reason = before.state_reason.clone();
            config.state_reason_data = before.state_reason_data.clone();
            config.state_updated_timestamp = before.state_updated_timestamp;
            config.state_transitioned_timestamp = before.state_transitioned_timestamp;
            config.alarm_configuration_updated_timestamp = now;
            doc.alarm = config;
            history::configuration_updated(env, account, region, &before, &doc.alarm)?;
            doc
        }
        None => {
            if all(env, Some(account), Some(region))?.len() >= MAX_ALARMS {
                return Err(AwsError::client(
                    "LimitExceeded",
                    "The maximum number of alarms for this account has been reached.",
                ));
            }
            let tags = req.tags.clone().unwrap_or_default();
            tags::validate(&tags)?;
            // PromQL alarms start OK, every other alarm INSUFFICIENT_DATA.
            let initial = if config.evaluation_criteria.is_some() {
                State::Ok
            } else {
                State::InsufficientData
            };
            config.state_value = initial.as_str().to_string();
            config.state_reason = INITIAL_REASON.to_string();
            config.state_updated_timestamp = now;
            config.state_transitioned_timestamp = now;
            config.alarm_configuration_updated_timestamp = now;
            for t in &tags {
                env.db.put_tag(&config.alarm_arn, &t.key, Some(&t.value))?;
            }
            history::configuration_created(env, account, region, &config)?;
            AlarmDoc {
                alarm: config,
                ..AlarmDoc::default()
            }
        }
    };
    let mut doc = doc;
    doc.next_eval = first_boundary(env.now.timestamp(), doc.period());
    save(env, account, region, &doc)?;
    history::prune(env, account, region)?;
    Ok(Empty {})
}

fn check_state(s: &str) -> Result<State, AwsError> {
    check_enum(s, "stateValue", STATES)?;
    State::parse(s).ok_or_else(|| bad_value(s, "StateValue"))
}

pub fn describe_alarms(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeAlarmsRequest,
) -> Result<DescribeAlarmsResponse, AwsError> {
    let names = req.alarm_names.as_deref().unwrap_or_default();
    if names.len() > 100 {
        return Err(validation(
            "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100",
        ));
    }
    if !names.is_empty() && req.alarm_name_prefix.is_some() {
        return Err(invalid_combination(
            "AlarmNamePrefix and AlarmNames cannot be specified together.",
        ));
    }
    if let Some(p) = &req.alarm_name_prefix {
        check_length(p, "alarmNamePrefix", 1, 255)?;
    }
    if let Some(p) = &req.action_prefix {
        check_length(p, "actionPrefix", 1, 1024)?;
    }
    if let Some(s) = &req.state_value {
        check_state(s)?;
    }
    for (i, t) in req.alarm_types.iter().flatten().enumerate() {
        check_enum(
            t,
            &format!("alarmTypes.{}.member", i + 1),
            &["CompositeAlarm", "MetricAlarm", "LogAlarm"],
        )?;
    }
    let related = req.children_of_alarm_name.is_some() || req.parents_of_alarm_name.is_some();
    if related
        && (!names.is_empty()
            || req.alarm_name_prefix.is_some()
            || req.state_value.is_some()
            || req.action_prefix.is_some()
            || req.alarm_types.is_some())
    {
        return Err(validation(
            "ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other filters.",
        ));
    }
    let max = match req.max_records {
        None => DEFAULT_MAX_RECORDS,
        Some(m) if (1..=MAX_RECORDS).contains(&m) => m as usize,
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
    let metric_alarms_wanted = req
        .alarm_types
        .as_ref()
        .is_none_or(|t| t.iter().any(|x| x == "MetricAlarm"));
    // Composite alarms are not simulated: their children and parents are none.
    let matching: Vec<MetricAlarm> = if related || !metric_alarms_wanted {
        Vec::new()
    } else {
        all(env, Some(&ctx.account_id), Some(&ctx.region))?
            .into_iter()
            .map(|(_, _, d)| d.alarm)
            .filter(|a| {
                (names.is_empty() || names.contains(&a.alarm_name))
                    && req
                        .alarm_name_prefix
                        .as_ref()
                        .is_none_or(|p| a.alarm_name.starts_with(p.as_str()))
                    && req.state_value.as_ref().is_none_or(|s| *s == a.state_value)
                    && req.action_prefix.as_ref().is_none_or(|p| {
                        a.alarm_actions
                            .iter()
                            .chain(&a.ok_actions)
                            .chain(&a.insufficient_data_actions)
                            .any(|x| x.starts_with(p.as_str()))
                    })
            })
            .collect()
    };
    if start > matching.len() {
        return Err(invalid_next_token());
    }
    let end = (start + max).min(matching.len());
    Ok(DescribeAlarmsResponse {
        composite_alarms: Vec::new(),
        metric_alarms: matching[start..end].to_vec(),
        next_token: (end < matching.len()).then(|| encode_token(end)),
    })
}

fn same_dimensions(a: &[Dimension], b: &[Dimension]) -> bool {
    let sorted = |d: &[Dimension]| {
        let mut v: Vec<(String, String)> = d
            .iter()
            .map(|d| (d.name.clone(), d.value.clone()))
            .collect();
        v.sort();
        v
    };
    sorted(a) == sorted(b)
}

pub fn describe_alarms_for_metric(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeAlarmsForMetricRequest,
) -> Result<DescribeAlarmsForMetricResponse, AwsError> {
    let name = required(&req.metric_name, "MetricName")?;
    check_metric_name(name, "metricName")?;
    let ns = required(&req.namespace, "Namespace")?;
    check_namespace(ns, "namespace")?;
    if let Some(s) = &req.statistic {
        check_enum(s, "statistic", STATISTICS)?;
    }
    check_unit(req.unit.as_deref(), "unit")?;
    let dims = req.dimensions.as_deref().unwrap_or_default();
    check_dimensions(dims, "Dimensions")?;
    let metric_alarms = all(env, Some(&ctx.account_id), Some(&ctx.region))?
        .into_iter()
        .map(|(_, _, d)| d.alarm)
        .filter(|a| {
            a.metric_name.as_deref() == Some(name)
                && a.namespace.as_deref() == Some(ns)
                && same_dimensions(&a.dimensions, dims)
                && req
                    .statistic
                    .as_ref()
                    .is_none_or(|s| a.statistic.as_ref() == Some(s))
                && req
                    .extended_statistic
                    .as_ref()
                    .is_none_or(|s| a.extended_statistic.as_ref() == Some(s))
                && req.period.is_none_or(|p| a.period == Some(p))
                && req.unit.as_ref().is_none_or(|u| a.unit.as_ref() == Some(u))
        })
        .collect();
    Ok(DescribeAlarmsForMetricResponse { metric_alarms })
}

fn alarm_names(req: &AlarmNamesRequest) -> Result<Vec<String>, AwsError> {
    let names = req
        .alarm_names
        .clone()
        .ok_or_else(|| missing("AlarmNames"))?;
    if names.len() > 100 {
        return Err(validation(
            "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100",
        ));
    }
    for n in &names {
        check_length(n, "alarmNames.member", 1, 255)?;
    }
    Ok(names)
}

/// Deletes the named alarms; names of alarms that do not exist are passed over, as
/// CloudWatch does. Their history stays (CloudWatch keeps it after deletion).
pub fn delete_alarms(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AlarmNamesRequest,
) -> Result<Empty, AwsError> {
    let (account, region) = (&ctx.account_id, &ctx.region);
    for name in alarm_names(&req)? {
        if let Some(doc) = load(env, account, region, &name)? {
            env.db.delete_document(&key(account, region, &name))?;
            for (k, _) in env.db.tags(&doc.alarm.alarm_arn)? {
                env.db.remove_tag(&doc.alarm.alarm_arn, &k)?;
            }
            history::configuration_deleted(env, account, region, &doc.alarm)?;
        }
    }
    history::prune(env, account, region)?;
    Ok(Empty {})
}

fn set_actions_enabled(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AlarmNamesRequest,
    enabled: bool,
) -> Result<Empty, AwsError> {
    let (account, region) = (&ctx.account_id, &ctx.region);
    for name in alarm_names(&req)? {
        if let Some(mut doc) = load(env, account, region, &name)?
            && doc.alarm.actions_enabled != enabled
        {
            doc.alarm.actions_enabled = enabled;
            doc.alarm.alarm_configuration_updated_timestamp = clock::to_epoch_seconds(env.now);
            save(env, account, region, &doc)?;
        }
    }
    Ok(Empty {})
}

pub fn enable_alarm_actions(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AlarmNamesRequest,
) -> Result<Empty, AwsError> {
    set_actions_enabled(env, ctx, req, true)
}

pub fn disable_alarm_actions(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AlarmNamesRequest,
) -> Result<Empty, AwsError> {
    set_actions_enabled(env, ctx, req, false)
}

/// Sets an alarm's state by hand. A change of state is recorded in the history and, with
/// actions enabled, queues the new state's actions for the next evaluation pass; the
/// alarm returns to its evaluated state at its next evaluation.
pub fn set_alarm_state(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SetAlarmStateRequest,
) -> Result<Empty, AwsError> {
    let name = check_name(&req.alarm_name)?;
    let state = check_state(required(&req.state_value, "StateValue")?)?;
    let reason = req
        .state_reason
        .as_deref()
        .ok_or_else(|| missing("StateReason"))?;
    check_length(reason, "stateReason", 0, 1023)?;
    let data = match &req.state_reason_data {
        Some(d) => {
            check_length(d, "stateReasonData", 0, 4000)?;
            if serde_json::from_str::<Value>(d).is_err() {
                return Err(AwsError::client(
                    "InvalidFormat",
                    "StateReasonData must be valid JSON.",
                ));
            }
            Some(d.clone())
        }
        None => None,
    };
    let (account, region) = (&ctx.account_id, &ctx.region);
    let mut doc = load(env, account, region, name)?
        .ok_or_else(|| AwsError::new("ResourceNotFound", format!("Alarm {name} not found"), 404))?;
    let reason_data = data
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok());
    let actions = evaluate::transition(
        env,
        account,
        region,
        &mut doc,
        state,
        reason.to_string(),
        reason_data,
        data,
    )?;
    doc.pending.extend(actions);
    save(env, account, region, &doc)?;
    Ok(Empty {})
}

/// The configuration of an alarm as the history writes it: every member with its first
/// letter lower-cased (`okactions` as CloudWatch spells it), state members left out.
pub fn history_form(a: &MetricAlarm) -> Map<String, Value> {
    let mut m = Map::new();
    let Ok(Value::Object(full)) = serde_json::to_value(a) else {
        return m;
    };
    for (k, v) in full {
        if k.starts_with("State") || k == "EvaluationState" {
            continue;
        }
        let name = if k == "OKActions" {
            "okactions".to_string()
        } else {
            crate::services::lower_first(&k)
        };
        let v = if k == "AlarmConfigurationUpdatedTimestamp" {
            json!(evaluate::aws_time(a.alarm_configuration_updated_timestamp))
        } else {
            crate::events::camel_case_keys(&v)
        };
        m.insert(name, v);
    }
    m
}
