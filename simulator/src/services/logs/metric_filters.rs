//! Metric filters: PutMetricFilter, DescribeMetricFilters, DeleteMetricFilter and
//! TestMetricFilter, and the work they do: every event that reaches a log group (PutLogEvents,
//! CloudTrail's delivery) runs through the group's filters, and each match becomes a CloudWatch
//! data point (no API call is recorded for it, as in AWS).
//!
//! A filter is stored in its group's account and region (kind `metric-filter`, id
//! `GROUP:FILTER`; neither name may contain `:`), so deleting the group removes it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::SERVICE;
use super::filter_pattern::{CompiledMetricFilter, FilterPattern, MetricFilterSet};
use super::groups::{invalid, load_group};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::services::cloudwatch::errors::UNITS;
use crate::services::cloudwatch::metrics::record_datapoint;
use crate::services::cloudwatch::model::Dimension;
use crate::store::DocKey;

pub const FILTER_KIND: &str = "metric-filter";
/// CloudWatch Logs' quota of metric filters per log group.
pub const MAX_FILTERS_PER_GROUP: usize = 100;
/// TestMetricFilter takes 1 to 50 messages.
const MAX_TEST_MESSAGES: usize = 50;

camel_shape! {
    pub struct MetricTransformation {
        pub metric_name: String,
        pub metric_namespace: String,
        pub metric_value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub default_value: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<BTreeMap<String, String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
    }
}

camel_shape! {
    pub struct PutMetricFilterRequest {
        pub log_group_name: String,
        pub filter_name: String,
        pub filter_pattern: String,
        pub metric_transformations: Vec<MetricTransformation>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub apply_on_transformed_logs: Option<bool>,
    }
}

camel_shape! {
    /// A metric filter as stored and as DescribeMetricFilters returns it.
    pub struct MetricFilter {
        pub filter_name: String,
        pub filter_pattern: String,
        pub metric_transformations: Vec<MetricTransformation>,
        pub creation_time: i64,
        pub log_group_name: String,
        #[serde(default)]
        pub apply_on_transformed_logs: bool,
    }
}

camel_shape! {
    pub struct DescribeMetricFiltersRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub log_group_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub filter_name_prefix: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub limit: Option<i64>,
    }
}

camel_shape! {
    pub struct DescribeMetricFiltersResponse {
        pub metric_filters: Vec<MetricFilter>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

camel_shape! {
    pub struct DeleteMetricFilterRequest {
        pub log_group_name: String,
        pub filter_name: String,
    }
}

camel_shape! {
    pub struct TestMetricFilterRequest {
        pub filter_pattern: String,
        pub log_event_messages: Vec<String>,
    }
}

/// TestMetricFilter's answer (only ever serialised).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TestMetricFilterResponse {
    pub matches: Vec<super::filter_pattern::TestMatch>,
}

#[derive(Serialize, Deserialize, Debug, Default)]
pub struct Empty {}

fn filter_key<'k>(account: &'k str, region: &'k str, id: &'k str) -> DocKey<'k> {
    DocKey {
        service: SERVICE,
        kind: FILTER_KIND,
        account_id: account,
        region,
        id,
    }
}

fn check_name(value: &str, member: &str, max: usize, forbidden: &[char]) -> Result<(), AwsError> {
    if value.is_empty() || value.chars().count() > max || value.contains(forbidden) {
        return Err(invalid(format!(
            "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [^{}]* and have length between 1 and {max}",
            forbidden.iter().collect::<String>()
        )));
    }
    Ok(())
}

/// The transformation's checks; returns the compiled filter it makes with the pattern.
fn compile(pattern: &str, t: &MetricTransformation) -> Result<CompiledMetricFilter, AwsError> {
    check_name(
        &t.metric_name,
        "metricTransformations.1.member.metricName",
        255,
        &[':', '*', '$'],
    )?;
    check_name(
        &t.metric_namespace,
        "metricTransformations.1.member.metricNamespace",
        255,
        &[':', '*', '$'],
    )?;
    if t.metric_value.is_empty() || t.metric_value.chars().count() > 100 {
        return Err(invalid(
            "1 validation error detected: Value at 'metricTransformations.1.member.metricValue' failed to satisfy constraint: Member must have length less than or equal to 100",
        ));
    }
    if let Some(u) = &t.unit
        && !UNITS.contains(&u.as_str())
    {
        return Err(invalid(format!(
            "1 validation error detected: Value '{u}' at 'metricTransformations.1.member.unit' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            UNITS.join(", ")
        )));
    }
    let dims = t.dimensions.clone().unwrap_or_default();
    if !dims.is_empty() && t.default_value.is_some() {
        return Err(invalid(
            "Default value cannot be specified when dimensions are specified",
        ));
    }
    CompiledMetricFilter::compile(pattern, &t.metric_value, dims.iter())
        .map_err(|e| e.to_aws_error())
}

pub fn put_metric_filter(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutMetricFilterRequest,
) -> Result<Empty, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    check_name(&req.filter_name, "filterName", 512, &[':', '*'])?;
    if req.filter_pattern.chars().count() > 1024 {
        return Err(invalid(
            "1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024",
        ));
    }
    let [t] = req.metric_transformations.as_slice() else {
        return Err(invalid(
            "1 validation error detected: Value at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1",
        ));
    };
    compile(&req.filter_pattern, t)?;
    let (a, r) = (&ctx.account_id, &ctx.region);
    let id = format!("{}:{}", g.log_group_name, req.filter_name);
    let existing = env.db.document(&filter_key(a, r, &id))?;
    if existing.is_none() && of_group(env, a, r, &g.log_group_name)?.len() >= MAX_FILTERS_PER_GROUP
    {
        return Err(AwsError::client(
            "LimitExceededException",
            "Resource limit exceeded.",
        ));
    }
    let creation_time = existing
        .and_then(|b| b.get("creationTime").and_then(serde_json::Value::as_i64))
        .unwrap_or_else(|| clock::to_millis(env.now));
    let filter = MetricFilter {
        filter_name: req.filter_name,
        filter_pattern: req.filter_pattern,
        metric_transformations: req.metric_transformations,
        creation_time,
        log_group_name: g.log_group_name,
        apply_on_transformed_logs: req.apply_on_transformed_logs.unwrap_or(false),
    };
    let body = serde_json::to_value(&filter)
        .map_err(|e| AwsError::internal(format!("cannot store metric filter: {e}")))?;
    env.db
        .put_document(&filter_key(a, r, &id), &body, clock::to_millis(env.now))?;
    Ok(Empty {})
}

/// The filters of one group, by name.
pub fn of_group(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
) -> Result<Vec<MetricFilter>, AwsError> {
    let prefix = format!("{group}:");
    let mut out: Vec<MetricFilter> = all_in(env, account, region)?
        .into_iter()
        .filter(|f| format!("{}:", f.log_group_name) == prefix)
        .collect();
    out.sort_by(|x, y| x.filter_name.cmp(&y.filter_name));
    Ok(out)
}

fn all_in(env: &Env<'_>, account: &str, region: &str) -> Result<Vec<MetricFilter>, AwsError> {
    env.db
        .documents(SERVICE, FILTER_KIND, Some(account), Some(region))?
        .into_iter()
        .map(|d| {
            serde_json::from_value::<MetricFilter>(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt metric filter: {e}")))
        })
        .collect()
}

pub fn describe_metric_filters(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeMetricFiltersRequest,
) -> Result<DescribeMetricFiltersResponse, AwsError> {
    let (a, r) = (&ctx.account_id, &ctx.region);
    if req.filter_name_prefix.is_some() && req.log_group_name.is_none() {
        return Err(invalid(
            "If you specify filterNamePrefix, you must also specify logGroupName.",
        ));
    }
    if req.metric_name.is_some() != req.metric_namespace.is_some() {
        return Err(invalid(
            "If you specify metricName, you must also specify metricNamespace, and vice versa.",
        ));
    }
    let limit = req.limit.unwrap_or(50);
    if !(1..=50).contains(&limit) {
        return Err(invalid(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 50"
        )));
    }
    let mut filters = match &req.log_group_name {
        Some(name) => {
            let g = load_group(env, ctx, name)?;
            of_group(env, a, r, &g.log_group_name)?
        }
        None => {
            let mut all = all_in(env, a, r)?;
            all.sort_by(|x, y| {
                (&x.log_group_name, &x.filter_name).cmp(&(&y.log_group_name, &y.filter_name))
            });
            all
        }
    };
    filters.retain(|f| {
        req.filter_name_prefix
            .as_deref()
            .is_none_or(|p| f.filter_name.starts_with(p))
            && req.metric_name.as_deref().is_none_or(|m| {
                f.metric_transformations.iter().any(|t| {
                    t.metric_name == m
                        && Some(t.metric_namespace.as_str()) == req.metric_namespace.as_deref()
                })
            })
    });
    let offset = match &req.next_token {
        None => 0,
        Some(t) => t
            .strip_prefix("mf/")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid(format!("The specified nextToken is invalid: {t}")))?,
    };
    let limit = limit as usize;
    let next = (offset + limit < filters.len()).then(|| format!("mf/{}", offset + limit));
    Ok(DescribeMetricFiltersResponse {
        metric_filters: filters.into_iter().skip(offset).take(limit).collect(),
        next_token: next,
    })
}

pub fn delete_metric_filter(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteMetricFilterRequest,
) -> Result<Empty, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    let id = format!("{}:{}", g.log_group_name, req.filter_name);
    if !env
        .db
        .delete_document(&filter_key(&ctx.account_id, &ctx.region, &id))?
    {
        return Err(AwsError::client(
            "ResourceNotFoundException",
            "The specified resource does not exist.",
        ));
    }
    Ok(Empty {})
}

pub fn test_metric_filter(
    _env: &Env<'_>,
    _ctx: &CallerContext,
    req: TestMetricFilterRequest,
) -> Result<TestMetricFilterResponse, AwsError> {
    if req.log_event_messages.is_empty() || req.log_event_messages.len() > MAX_TEST_MESSAGES {
        return Err(invalid(format!(
            "1 validation error detected: Value at 'logEventMessages' failed to satisfy constraint: Member must have length between 1 and {MAX_TEST_MESSAGES}"
        )));
    }
    let pattern = FilterPattern::compile(&req.filter_pattern).map_err(|e| e.to_aws_error())?;
    Ok(TestMetricFilterResponse {
        matches: pattern.test_messages(&req.log_event_messages),
    })
}

/// What one event contributed to one filter's metric: the event's position in the batch,
/// the value, and the dimensions (`None` when the event lacks one of their fields).
struct Contribution {
    event: usize,
    value: Option<f64>,
    dimensions: Option<Vec<Dimension>>,
}

/// Runs events that reached a log group through its metric filters and records the data
/// points. `events` are (timestamp ms, message). A filter with a default value reports it
/// once for each minute of the batch in which events arrived but none matched.
///
/// The group's filters are compiled once per batch into a [`MetricFilterSet`], which reads
/// each message once for all of them; data points are then recorded filter by filter, in
/// event order.
pub fn apply(
    env: &Env<'_>,
    account: &str,
    region: &str,
    group: &str,
    events: &[(i64, &str)],
) -> Result<(), AwsError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut transformations = Vec::new();
    let mut compiled = Vec::new();
    for f in of_group(env, account, region, group)? {
        let [t] = f.metric_transformations.as_slice() else {
            continue;
        };
        // Filters were checked when put; one that no longer compiles records nothing.
        let Ok(c) = compile(&f.filter_pattern, t) else {
            continue;
        };
        compiled.push(c);
        transformations.push(t.clone());
    }
    if compiled.is_empty() {
        return Ok(());
    }
    let mut set = MetricFilterSet::new(compiled);
    let mut contributions: Vec<Vec<Contribution>> =
        transformations.iter().map(|_| Vec::new()).collect();
    for (event, (_, message)) in events.iter().enumerate() {
        set.evaluate(message, |i, m| {
            let dimensions = m
                .dimensions
                .iter()
                .map(|d| {
                    d.value.as_ref().map(|v| Dimension {
                        name: d.name.to_string(),
                        value: v.to_string(),
                    })
                })
                .collect();
            if let Some(list) = contributions.get_mut(i) {
                list.push(Contribution {
                    event,
                    value: m.value,
                    dimensions,
                });
            }
        });
    }
    for (t, matched) in transformations.iter().zip(contributions) {
        let unit = t.unit.as_deref().filter(|u| *u != "None");
        let mut matched = matched.into_iter().peekable();
        let mut minutes_without_match: BTreeMap<i64, bool> = BTreeMap::new();
        for (event, (ts, _)) in events.iter().enumerate() {
            let minute = ts.div_euclid(60_000) * 60_000;
            let hit = matched.next_if(|c| c.event == event);
            // No data point when the value or a dimension field is missing.
            if let Some(Contribution {
                value: Some(v),
                dimensions: Some(dims),
                ..
            }) = &hit
            {
                record_datapoint(
                    env,
                    account,
                    region,
                    &t.metric_namespace,
                    &t.metric_name,
                    dims,
                    *v,
                    unit,
                    clock::from_millis(*ts),
                )?;
            }
            let entry = minutes_without_match.entry(minute).or_insert(true);
            *entry &= hit.is_none();
        }
        if let Some(default) = t.default_value {
            for (minute, none_matched) in minutes_without_match {
                if none_matched {
                    record_datapoint(
                        env,
                        account,
                        region,
                        &t.metric_namespace,
                        &t.metric_name,
                        &[],
                        default,
                        unit,
                        clock::from_millis(minute),
                    )?;
                }
            }
        }
    }
    Ok(())
}
