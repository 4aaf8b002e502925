//! Reading metrics back: GetMetricStatistics and GetMetricData (metric queries, metric math,
//! ScanBy, MaxDatapoints pagination), and [`run_queries`], which alarms on metric math use.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::errors::*;
use super::math::{self, Series};
use super::metrics::{self, Detail, MetricKey, decode_token, encode_token};
use super::model::*;
use super::stats::{Extended, Stat};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message};

/// The most datapoints GetMetricStatistics answers.
pub const MAX_STATISTICS_DATAPOINTS: i64 = 1440;
pub const MAX_QUERIES: usize = 500;
pub const DEFAULT_MAX_DATAPOINTS: i64 = 100_800;

/// `1440` -> `1,440`, as CloudWatch writes counts in messages.
fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The start of a request rounded down as CloudWatch documents it: to the period for
/// sub-minute periods, else to the minute (5 minutes beyond 15 days ago, the hour beyond
/// 63 days ago).
pub fn round_start(start: DateTime<Utc>, period: i64, now: DateTime<Utc>) -> i64 {
    let s = start.timestamp();
    let age_days = (now - start).num_days();
    let step = if period < 60 {
        period.max(1)
    } else if age_days > 63 {
        3600
    } else if age_days > 15 {
        300
    } else {
        60
    };
    s.div_euclid(step) * step
}

fn check_period(period: Option<i64>, member: &str) -> Result<i64, AwsError> {
    let p = period.ok_or_else(|| missing(member))?;
    if p < 1 {
        return Err(validation(constraint_message(
            &p.to_string(),
            &crate::services::lower_first(member),
            "Member must have value greater than or equal to 1",
        )));
    }
    if !valid_data_period(p) {
        return Err(invalid_value(format!(
            "The parameter {member} must be 1, 5, 10, 20, 30, 60, or any multiple of 60."
        )));
    }
    Ok(p)
}

fn check_range(
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), AwsError> {
    let start = start.ok_or_else(|| missing("StartTime"))?;
    let end = end.ok_or_else(|| missing("EndTime"))?;
    if start >= end {
        return Err(invalid_value(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    Ok((start, end))
}

pub fn get_metric_statistics(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetMetricStatisticsRequest,
) -> Result<GetMetricStatisticsResponse, AwsError> {
    let ns = required(&req.namespace, "Namespace")?;
    check_namespace(ns, "namespace")?;
    let name = required(&req.metric_name, "MetricName")?;
    check_metric_name(name, "metricName")?;
    let dims = req.dimensions.as_deref().unwrap_or_default();
    check_dimensions(dims, "Dimensions")?;
    let (start, end) = check_range(req.start_time, req.end_time)?;
    let period = check_period(req.period, "Period")?;
    check_unit(req.unit.as_deref(), "unit")?;
    let simple = req.statistics.as_deref().unwrap_or_default();
    let extended = req.extended_statistics.as_deref().unwrap_or_default();
    if simple.is_empty() == extended.is_empty() {
        return Err(invalid_combination(
            "Must specify either Statistics or ExtendedStatistics, but not both.",
        ));
    }
    if simple.len() > 5 || extended.len() > 10 {
        let (member, max) = if simple.len() > 5 {
            ("statistics", 5)
        } else {
            ("extendedStatistics", 10)
        };
        return Err(validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}"
        )));
    }
    for (i, s) in simple.iter().enumerate() {
        check_enum(s, &format!("statistics.{}.member", i + 1), STATISTICS)?;
    }
    let mut wanted: Vec<(String, Extended)> = Vec::new();
    for s in extended {
        match super::stats::parse_extended(s) {
            Some(e) => wanted.push((s.clone(), e)),
            None => return Err(bad_value(s, "ExtendedStatistics")),
        }
    }
    let from = round_start(start, period, env.now);
    let to = end.timestamp();
    let span = to.saturating_sub(from).max(0);
    let requested = span / period + i64::from(span % period != 0);
    if requested > MAX_STATISTICS_DATAPOINTS {
        return Err(invalid_combination(format!(
            "You have requested up to {} datapoints, which exceeds the limit of {}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
            thousands(requested),
            thousands(MAX_STATISTICS_DATAPOINTS)
        )));
    }
    let key = MetricKey::new(ns, name, dims);
    let detail = if wanted.is_empty() {
        Detail::Simple
    } else {
        Detail::Values
    };
    let windows = metrics::read_windows(
        env,
        &ctx.account_id,
        &ctx.region,
        &key,
        from,
        to,
        period,
        req.unit.as_deref(),
        detail,
    )?;
    let datapoints = windows
        .into_iter()
        .map(|((t, unit), agg)| {
            let pick = |s: &str| {
                simple
                    .iter()
                    .any(|x| x == s)
                    .then(|| agg.simple(s))
                    .flatten()
            };
            Datapoint {
                timestamp: t as f64,
                sample_count: pick("SampleCount"),
                average: pick("Average"),
                sum: pick("Sum"),
                minimum: pick("Minimum"),
                maximum: pick("Maximum"),
                unit: Some(unit),
                extended_statistics: (!wanted.is_empty()).then(|| {
                    wanted
                        .iter()
                        .filter_map(|(n, e)| {
                            agg.extended(e)
                                .and_then(serde_json::Number::from_f64)
                                .map(|v| (n.clone(), serde_json::Value::Number(v)))
                        })
                        .collect()
                }),
            }
        })
        .collect();
    Ok(GetMetricStatisticsResponse {
        label: name.to_string(),
        datapoints,
    })
}

/// A checked query, ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: String,
    pub label: String,
    pub return_data: bool,
    pub period: Option<i64>,
    pub kind: QueryKind,
}

#[derive(Debug, Clone)]
pub enum QueryKind {
    Metric {
        key: MetricKey,
        stat: Stat,
        unit: Option<String>,
    },
    Expression(math::Expr),
}

fn valid_id(id: &str) -> bool {
    let mut c = id.chars();
    c.next().is_some_and(|f| f.is_ascii_lowercase())
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// Checks queries as GetMetricData and PutMetricAlarm take them; `at` is the wire name of
/// the list (`MetricDataQueries` or `Metrics`).
pub fn prepare(queries: &[MetricDataQuery], at: &str) -> Result<Vec<Prepared>, AwsError> {
    let mut out: Vec<Prepared> = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        let here = format!("{at}.member.{}", i + 1);
        if q.id.is_empty() {
            return Err(missing(&format!("{here}.Id")));
        }
        check_length(&q.id, &format!("{here}.id"), 1, 255)?;
        if !valid_id(&q.id) {
            return Err(validation(format!(
                "Invalid metric id {}: the id must start with a lowercase letter and contain only letters, numbers and underscores.",
                q.id
            )));
        }
        if out.iter().any(|p| p.id == q.id) {
            return Err(validation(format!(
                "The value {} for parameter {here}.Id is a duplicate; metric ids must be unique.",
                q.id
            )));
        }
        if let Some(p) = q.period {
            check_period(Some(p), &format!("{here}.Period"))?;
        }
        let kind = match (&q.metric_stat, &q.expression) {
            (Some(ms), None) => {
                let ns = required(
                    &ms.metric.namespace,
                    &format!("{here}.MetricStat.Metric.Namespace"),
                )?;
                check_namespace(ns, "namespace")?;
                let name = required(
                    &ms.metric.metric_name,
                    &format!("{here}.MetricStat.Metric.MetricName"),
                )?;
                check_metric_name(name, "metricName")?;
                let dims = ms.metric.dimensions.as_deref().unwrap_or_default();
                check_dimensions(dims, &format!("{here}.MetricStat.Metric.Dimensions"))?;
                check_period(ms.period, &format!("{here}.MetricStat.Period"))?;
                let stat_text = required(&ms.stat, &format!("{here}.MetricStat.Stat"))?;
                let stat = Stat::parse(stat_text)
                    .ok_or_else(|| bad_value(stat_text, &format!("{here}.MetricStat.Stat")))?;
                check_unit(ms.unit.as_deref(), "unit")?;
                QueryKind::Metric {
                    key: MetricKey::new(ns, name, dims),
                    stat,
                    unit: ms.unit.clone(),
                }
            }
            (None, Some(e)) => {
                check_length(e, &format!("{here}.expression"), 1, 2048)?;
                QueryKind::Expression(math::parse(e)?)
            }
            _ => {
                return Err(validation(format!(
                    "Exactly one of MetricStat and Expression must be specified in {here}."
                )));
            }
        };
        let period = q.period.or(q.metric_stat.as_ref().and_then(|m| m.period));
        let label = q.label.clone().unwrap_or_else(|| match &kind {
            QueryKind::Metric { key, .. } => key.name.clone(),
            QueryKind::Expression(_) => q.id.clone(),
        });
        out.push(Prepared {
            id: q.id.clone(),
            label,
            return_data: q.return_data.unwrap_or(true),
            period,
            kind,
        });
    }
    // Expressions may only name queries that exist, and not themselves (directly or not).
    for p in &out {
        if let QueryKind::Expression(e) = &p.kind {
            let mut refs = Vec::new();
            math::references(e, &mut refs);
            for r in refs {
                if !out.iter().any(|o| o.id == r) {
                    return Err(validation(format!(
                        "The expression of {} refers to an unknown metric id: {r}",
                        p.id
                    )));
                }
            }
        }
    }
    order(&out)?;
    Ok(out)
}

/// The queries in an order where every expression follows the queries it names; a cycle
/// is a validation error.
fn order(queries: &[Prepared]) -> Result<Vec<usize>, AwsError> {
    let mut done: Vec<usize> = Vec::with_capacity(queries.len());
    let mut progress = true;
    while done.len() < queries.len() && progress {
        progress = false;
        for (i, q) in queries.iter().enumerate() {
            if done.contains(&i) {
                continue;
            }
            let ready = match &q.kind {
                QueryKind::Metric { .. } => true,
                QueryKind::Expression(e) => {
                    let mut refs = Vec::new();
                    math::references(e, &mut refs);
                    refs.iter().all(|r| {
                        queries
                            .iter()
                            .position(|o| o.id == *r)
                            .is_some_and(|j| done.contains(&j))
                    })
                }
            };
            if ready {
                done.push(i);
                progress = true;
            }
        }
    }
    if done.len() < queries.len() {
        return Err(validation(
            "Metric math expressions must not refer to themselves, directly or through other expressions.",
        ));
    }
    Ok(done)
}

/// The period of an expression: its own, else the smallest of the metrics it uses.
fn default_period(queries: &[Prepared]) -> i64 {
    queries
        .iter()
        .filter(|q| matches!(q.kind, QueryKind::Metric { .. }))
        .filter_map(|q| q.period)
        .min()
        .unwrap_or(60)
}

/// Runs queries over `[start, end)`: every query's series (windows start at `start`,
/// which callers align to the period). Used by GetMetricData and metric math alarms.
pub fn run_queries(
    env: &Env<'_>,
    account: &str,
    region: &str,
    queries: &[Prepared],
    start: i64,
    end: i64,
) -> Result<BTreeMap<String, Series>, AwsError> {
    let mut vars: BTreeMap<String, Series> = BTreeMap::new();
    let fallback = default_period(queries);
    for i in order(queries)? {
        let q = &queries[i];
        let period = q.period.unwrap_or(fallback).max(1);
        let series = match &q.kind {
            QueryKind::Metric { key, stat, unit } => {
                let detail = match stat {
                    Stat::Simple(_) => Detail::Simple,
                    Stat::Extended(_) => Detail::Values,
                };
                metrics::read_combined(
                    env,
                    account,
                    region,
                    key,
                    start,
                    end,
                    period,
                    unit.as_deref(),
                    detail,
                )?
                .into_iter()
                .filter_map(|(t, agg)| agg.statistic(stat).map(|v| (t, v)))
                .collect()
            }
            QueryKind::Expression(e) => {
                let grid: Vec<i64> = std::iter::successors(Some(start), |t| t.checked_add(period))
                    .take_while(|t| *t < end)
                    .take(DEFAULT_MAX_DATAPOINTS as usize)
                    .collect();
                math::as_series(math::eval(e, &vars, &grid)?, &grid)?
            }
        };
        vars.insert(q.id.clone(), series);
    }
    Ok(vars)
}

pub fn get_metric_data(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetMetricDataRequest,
) -> Result<GetMetricDataResponse, AwsError> {
    let queries = req
        .metric_data_queries
        .as_deref()
        .filter(|q| !q.is_empty())
        .ok_or_else(|| missing("MetricDataQueries"))?;
    if queries.len() > MAX_QUERIES {
        return Err(validation(format!(
            "The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}."
        )));
    }
    let (start, end) = check_range(req.start_time, req.end_time)?;
    let descending = match req.scan_by.as_deref() {
        None | Some("TimestampDescending") => true,
        Some("TimestampAscending") => false,
        Some(other) => {
            return Err(validation(constraint_message(
                other,
                "scanBy",
                "Member must satisfy enum value set: [TimestampDescending, TimestampAscending]",
            )));
        }
    };
    let max = req.max_datapoints.unwrap_or(DEFAULT_MAX_DATAPOINTS);
    if max < 1 {
        return Err(bad_value(&max.to_string(), "MaxDatapoints"));
    }
    let prepared = prepare(queries, "MetricDataQueries")?;
    let period = prepared.iter().filter_map(|q| q.period).min().unwrap_or(60);
    let from = round_start(start, period, env.now);
    let series = run_queries(
        env,
        &ctx.account_id,
        &ctx.region,
        &prepared,
        from,
        end.timestamp(),
    )?;
    let mut results: Vec<(MetricDataResult, usize)> = Vec::new();
    for q in prepared.iter().filter(|q| q.return_data) {
        let mut points: Vec<(i64, f64)> = series
            .get(&q.id)
            .map(|s| s.iter().map(|(t, v)| (*t, *v)).collect())
            .unwrap_or_default();
        if descending {
            points.reverse();
        }
        let n = points.len();
        results.push((
            MetricDataResult {
                id: q.id.clone(),
                label: q.label.clone(),
                timestamps: points.iter().map(|p| p.0 as f64).collect(),
                values: points.iter().map(|p| p.1).collect(),
                status_code: "Complete".to_string(),
                messages: None,
            },
            n,
        ));
    }
    // Pages cut the results, in order, into at most `max` datapoints; the token is the
    // number of datapoints already returned.
    let skip = match &req.next_token {
        Some(t) => decode_token(t)?,
        None => 0,
    };
    let total: usize = results.iter().map(|r| r.1).sum();
    if skip > total {
        return Err(invalid_next_token());
    }
    let budget = usize::try_from(max).unwrap_or(usize::MAX);
    let (mut offset, mut taken) = (0usize, 0usize);
    let mut page = Vec::new();
    for (mut r, n) in results {
        let begin = skip.saturating_sub(offset).min(n);
        offset += n;
        // Results already returned (or empty ones, after the first page) are left out.
        if (begin == n && n > 0) || (n == 0 && skip > 0) {
            continue;
        }
        let room = budget - taken;
        let end_at = (begin + room).min(n);
        if end_at < n {
            r.status_code = "PartialData".to_string();
        }
        r.timestamps = r.timestamps[begin..end_at].to_vec();
        r.values = r.values[begin..end_at].to_vec();
        taken += end_at - begin;
        page.push(r);
        if taken >= budget {
            break;
        }
    }
    let returned = skip + taken;
    Ok(GetMetricDataResponse {
        metric_data_results: page,
        next_token: (returned < total).then(|| encode_token(returned)),
        messages: Vec::new(),
    })
}
