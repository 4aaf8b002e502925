//! Metrics: PutMetricData, ListMetrics, [`record_datapoint`] (for other services), and how
//! data is stored and read back.
//!
//! A metric is its namespace, name and dimension set (dimensions sorted by name, so their
//! order in a request does not make another metric). Each metric has a `metric` document
//! (for ListMetrics) and its data in buckets: one document per metric, unit and minute (per
//! second for high-resolution data), holding an [`Agg`]. The buckets of one metric and UTC
//! day share a document kind (`data/<metric hash>/<day>`), so reading a time range is a few
//! indexed scans, one per day.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::SERVICE;
use super::errors::*;
use super::model::*;
use super::stats::Agg;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::DocKey;

const METRIC_KIND: &str = "metric";
/// The most metrics in one PutMetricData call.
pub const MAX_METRIC_DATA: usize = 1000;
/// The most values in one datum's `Values`.
pub const MAX_VALUES: usize = 150;
pub const LIST_PAGE: usize = 500;
/// ListMetrics leaves out metrics without data for this long.
const LIST_HORIZON_DAYS: i64 = 14;
const DAY: i64 = 86_400;

/// A metric's identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MetricKey {
    pub namespace: String,
    pub name: String,
    /// Sorted by name.
    pub dimensions: Vec<(String, String)>,
}

impl MetricKey {
    pub fn new(namespace: &str, name: &str, dims: &[Dimension]) -> MetricKey {
        let mut dimensions: Vec<(String, String)> = dims
            .iter()
            .map(|d| (d.name.clone(), d.value.clone()))
            .collect();
        dimensions.sort();
        MetricKey {
            namespace: namespace.to_string(),
            name: name.to_string(),
            dimensions,
        }
    }

    /// A short stable id: the first 32 hex digits of SHA-256 over the canonical form
    /// (separators that cannot occur in the printable ASCII names and values).
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.namespace.as_bytes());
        h.update([0x1f]);
        h.update(self.name.as_bytes());
        for (n, v) in &self.dimensions {
            h.update([0x1f]);
            h.update(n.as_bytes());
            h.update([0x1e]);
            h.update(v.as_bytes());
        }
        hex::encode(h.finalize())[..32].to_string()
    }

    pub fn dimensions(&self) -> Vec<Dimension> {
        self.dimensions
            .iter()
            .map(|(name, value)| Dimension {
                name: name.clone(),
                value: value.clone(),
            })
            .collect()
    }
}

/// The stored `metric` document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
struct MetricDoc {
    namespace: String,
    name: String,
    dimensions: Vec<Dimension>,
    /// When data was last received (not the data's timestamp), epoch ms.
    last_ms: i64,
    /// The UTC days (epoch days) that hold data, sorted: reads visit only these.
    days: Vec<i64>,
}

/// One bucket as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Bucket {
    #[serde(flatten)]
    agg: Agg,
    /// 1 for high-resolution data, else 60.
    res: i64,
}

fn day_kind(hash: &str, day: i64) -> String {
    format!("data/{hash}/{day}")
}

fn bucket_id(offset: i64, unit: &str) -> String {
    format!("{offset:05}|{unit}")
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> AwsError {
    AwsError::internal(format!("corrupt CloudWatch {what} document: {e}"))
}

/// Adds one data point (an aggregate at `ts`) to its bucket and marks the metric active.
#[allow(clippy::too_many_arguments)]
fn store_point(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key: &MetricKey,
    ts: DateTime<Utc>,
    agg: Agg,
    unit: &str,
    high_res: bool,
) -> Result<(), AwsError> {
    let hash = key.hash();
    let secs = ts.timestamp();
    let start = if high_res {
        secs
    } else {
        secs.div_euclid(60) * 60
    };
    let kind = day_kind(&hash, start.div_euclid(DAY));
    let id = bucket_id(start.rem_euclid(DAY), unit);
    let doc_key = DocKey {
        service: SERVICE,
        kind: &kind,
        account_id: account,
        region,
        id: &id,
    };
    let now_ms = clock::to_millis(env.now);
    let bucket = match env.db.document(&doc_key)? {
        Some(v) => {
            let mut b: Bucket = serde_json::from_value(v).map_err(|e| corrupt("bucket", e))?;
            b.agg.merge(&agg);
            b.res = b.res.min(if high_res { 1 } else { 60 });
            b
        }
        None => Bucket {
            agg,
            res: if high_res { 1 } else { 60 },
        },
    };
    let body = serde_json::to_value(&bucket).map_err(|e| corrupt("bucket", e))?;
    env.db.put_document(&doc_key, &body, now_ms)?;

    let metric_key = DocKey {
        service: SERVICE,
        kind: METRIC_KIND,
        account_id: account,
        region,
        id: &hash,
    };
    let mut doc = match env.db.document(&metric_key)? {
        Some(v) => serde_json::from_value(v).map_err(|e| corrupt("metric", e))?,
        None => MetricDoc {
            namespace: key.namespace.clone(),
            name: key.name.clone(),
            dimensions: key.dimensions(),
            ..MetricDoc::default()
        },
    };
    doc.last_ms = now_ms;
    let day = start.div_euclid(DAY);
    if let Err(at) = doc.days.binary_search(&day) {
        doc.days.insert(at, day);
    }
    let body = serde_json::to_value(&doc).map_err(|e| corrupt("metric", e))?;
    env.db.put_document(&metric_key, &body, now_ms)?;
    Ok(())
}

/// A value CloudWatch accepts: finite, magnitude within 2^-360..2^360 (or zero).
fn acceptable(v: f64) -> bool {
    let (max, min) = (2f64.powi(360), 2f64.powi(-360));
    v.is_finite() && (v == 0.0 || (min..=max).contains(&v.abs()))
}

/// Records one data point without an API call (nothing is recorded in CloudTrail): what
/// CloudWatch Logs metric filters and other services publish. `unit` `None` is CloudWatch's
/// `None`; `dimensions` may be in any order. The namespace may be an `AWS/` one.
#[allow(clippy::too_many_arguments)]
pub fn record_datapoint(
    env: &Env<'_>,
    account: &str,
    region: &str,
    namespace: &str,
    name: &str,
    dimensions: &[Dimension],
    value: f64,
    unit: Option<&str>,
    timestamp: DateTime<Utc>,
) -> Result<(), AwsError> {
    check_namespace(namespace, "namespace")?;
    check_metric_name(name, "metricName")?;
    check_dimensions(dimensions, "Dimensions")?;
    check_unit(unit, "unit")?;
    if !acceptable(value) {
        return Err(bad_value(&value.to_string(), "Value"));
    }
    let key = MetricKey::new(namespace, name, dimensions);
    store_point(
        env,
        account,
        region,
        &key,
        timestamp,
        Agg::of_value(value, 1.0),
        unit.unwrap_or("None"),
        false,
    )
}

/// A datum checked and turned into what is stored.
struct Point {
    key: MetricKey,
    ts: DateTime<Utc>,
    agg: Agg,
    unit: String,
    high_res: bool,
}

fn check_datum(env: &Env<'_>, ns: &str, d: &MetricDatum, at: &str) -> Result<Point, AwsError> {
    let name = required(&d.metric_name, &format!("{at}.MetricName"))?;
    check_metric_name(name, &format!("{at}.metricName"))?;
    let dims = d.dimensions.as_deref().unwrap_or_default();
    check_dimensions(dims, &format!("{at}.Dimensions"))?;
    check_unit(d.unit.as_deref(), &format!("{at}.unit"))?;
    let given: Vec<&str> = [
        d.value.map(|_| "Value"),
        d.statistic_values.as_ref().map(|_| "StatisticValues"),
        d.values.as_ref().map(|_| "Values"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if given.len() > 1 {
        return Err(invalid_combination(format!(
            "The parameters {at}.{} and {at}.{} are mutually exclusive and you have specified both.",
            given[0], given[1]
        )));
    }
    if d.counts.is_some() && d.values.is_none() {
        return Err(invalid_combination(format!(
            "The parameter {at}.Counts must be specified with {at}.Values."
        )));
    }
    let check = |v: f64, member: &str| -> Result<f64, AwsError> {
        if acceptable(v) {
            Ok(v)
        } else {
            Err(bad_value(&v.to_string(), &format!("{at}.{member}")))
        }
    };
    let agg = if let Some(v) = d.value {
        Agg::of_value(check(v, "Value")?, 1.0)
    } else if let Some(s) = &d.statistic_values {
        let get = |v: Option<f64>, m: &str| -> Result<f64, AwsError> {
            let v = v.ok_or_else(|| missing(&format!("{at}.StatisticValues.{m}")))?;
            check(v, &format!("StatisticValues.{m}"))
        };
        let (n, sum) = (get(s.sample_count, "SampleCount")?, get(s.sum, "Sum")?);
        let (min, max) = (get(s.minimum, "Minimum")?, get(s.maximum, "Maximum")?);
        if n <= 0.0 {
            return Err(bad_value(
                &n.to_string(),
                &format!("{at}.StatisticValues.SampleCount"),
            ));
        }
        if min > max {
            return Err(invalid_combination(format!(
                "The parameter {at}.StatisticValues.Maximum must be greater than or equal to {at}.StatisticValues.Minimum."
            )));
        }
        Agg::of_set(n, sum, min, max)
    } else if let Some(values) = &d.values {
        if values.len() > MAX_VALUES {
            return Err(invalid_value(format!(
                "The collection {at}.Values must not have a size greater than {MAX_VALUES}."
            )));
        }
        let counts = d.counts.clone().unwrap_or_else(|| vec![1.0; values.len()]);
        if counts.len() != values.len() {
            return Err(invalid_combination(format!(
                "The parameters {at}.Values and {at}.Counts must be of the same size."
            )));
        }
        let mut agg: Option<Agg> = None;
        for (i, (v, c)) in values.iter().zip(&counts).enumerate() {
            let v = check(*v, &format!("Values.member.{}", i + 1))?;
            if !c.is_finite() || *c < 0.0 {
                return Err(bad_value(
                    &c.to_string(),
                    &format!("{at}.Counts.member.{}", i + 1),
                ));
            }
            if *c == 0.0 {
                continue;
            }
            let one = Agg::of_value(v, *c);
            match &mut agg {
                Some(a) => a.merge(&one),
                None => agg = Some(one),
            }
        }
        match agg {
            Some(a) => a,
            None => {
                return Err(invalid_value(format!(
                    "The parameter {at}.Values must contain at least one value with a count greater than 0."
                )));
            }
        }
    } else {
        return Err(invalid_combination(format!(
            "One of the parameters {at}.Value, {at}.StatisticValues or {at}.Values must be specified."
        )));
    };
    let high_res = match d.storage_resolution {
        None | Some(60) => false,
        Some(1) => true,
        Some(r) => {
            return Err(bad_value(
                &r.to_string(),
                &format!("{at}.StorageResolution"),
            ));
        }
    };
    let ts = d.timestamp.unwrap_or(env.now);
    if ts < env.now - Duration::days(14) || ts > env.now + Duration::hours(2) {
        return Err(bad_value(
            &clock::iso_seconds(ts),
            &format!("{at}.Timestamp"),
        ));
    }
    Ok(Point {
        key: MetricKey::new(ns, name, dims),
        ts,
        agg,
        unit: d.unit.clone().unwrap_or_else(|| "None".to_string()),
        high_res,
    })
}

pub fn put_metric_data(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutMetricDataRequest,
) -> Result<Empty, AwsError> {
    let ns = required(&req.namespace, "Namespace")?;
    check_namespace(ns, "namespace")?;
    if ns.starts_with("AWS/") {
        return Err(bad_value(ns, "Namespace"));
    }
    let mut data: Vec<(String, &MetricDatum)> = req
        .metric_data
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, d)| (format!("MetricData.member.{}", i + 1), d))
        .collect();
    let entities = req.entity_metric_data.as_deref().unwrap_or_default();
    if entities.len() > 2 {
        return Err(invalid_value(
            "The collection EntityMetricData must not have a size greater than 2.",
        ));
    }
    for (e, entity) in entities.iter().enumerate() {
        for (i, d) in entity.metric_data.iter().flatten().enumerate() {
            data.push((
                format!(
                    "EntityMetricData.member.{}.MetricData.member.{}",
                    e + 1,
                    i + 1
                ),
                d,
            ));
        }
    }
    if data.is_empty() {
        return Err(missing("MetricData"));
    }
    if data.len() > MAX_METRIC_DATA {
        return Err(invalid_value(format!(
            "The collection MetricData must not have a size greater than {MAX_METRIC_DATA}."
        )));
    }
    // Every datum is checked before any is stored: a bad one fails the whole call.
    let points = data
        .iter()
        .map(|(at, d)| check_datum(env, ns, d, at))
        .collect::<Result<Vec<_>, _>>()?;
    for p in points {
        store_point(
            env,
            &ctx.account_id,
            &ctx.region,
            &p.key,
            p.ts,
            p.agg,
            &p.unit,
            p.high_res,
        )?;
    }
    Ok(Empty {})
}

/// Every metric of an account and region, sorted by namespace, name and dimensions, with
/// when it last received data (epoch ms).
fn all_metrics(
    env: &Env<'_>,
    account: &str,
    region: &str,
) -> Result<Vec<(MetricKey, i64)>, AwsError> {
    let mut out = Vec::new();
    for d in env
        .db
        .documents(SERVICE, METRIC_KIND, Some(account), Some(region))?
    {
        let m: MetricDoc = serde_json::from_value(d.body).map_err(|e| corrupt("metric", e))?;
        out.push((
            MetricKey::new(&m.namespace, &m.name, &m.dimensions),
            m.last_ms,
        ));
    }
    out.sort();
    Ok(out)
}

/// The stored document of a metric, if it has received data.
fn metric_doc(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key: &MetricKey,
) -> Result<Option<MetricDoc>, AwsError> {
    let hash = key.hash();
    match env.db.document(&DocKey {
        service: SERVICE,
        kind: METRIC_KIND,
        account_id: account,
        region,
        id: &hash,
    })? {
        Some(v) => Ok(Some(
            serde_json::from_value(v).map_err(|e| corrupt("metric", e))?,
        )),
        None => Ok(None),
    }
}

pub fn encode_token(n: usize) -> String {
    base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("ctsim:{n}"),
    )
}

pub fn decode_token(token: &str) -> Result<usize, AwsError> {
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("ctsim:").and_then(|n| n.parse().ok()))
        .ok_or_else(invalid_next_token)
}

pub fn list_metrics(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListMetricsRequest,
) -> Result<ListMetricsResponse, AwsError> {
    if let Some(ns) = &req.namespace {
        check_namespace(ns, "namespace")?;
    }
    if let Some(n) = &req.metric_name {
        check_metric_name(n, "metricName")?;
    }
    let filters = req.dimensions.as_deref().unwrap_or_default();
    if filters.len() > 10 {
        return Err(validation(
            "1 validation error detected: Value at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 10",
        ));
    }
    for (i, f) in filters.iter().enumerate() {
        if f.name.is_empty() {
            return Err(missing(&format!("Dimensions.member.{}.Name", i + 1)));
        }
    }
    if let Some(r) = &req.recently_active {
        check_enum(r, "recentlyActive", &["PT3H"])?;
    }
    let now_ms = clock::to_millis(env.now);
    let since_ms = match req.recently_active {
        Some(_) => now_ms - 3 * 3_600_000,
        None => now_ms - LIST_HORIZON_DAYS * DAY * 1000,
    };
    let start = match &req.next_token {
        Some(t) => decode_token(t)?,
        None => 0,
    };
    let matching: Vec<MetricKey> = all_metrics(env, &ctx.account_id, &ctx.region)?
        .into_iter()
        .filter(|(k, last)| {
            *last >= since_ms
                && req.namespace.as_ref().is_none_or(|n| *n == k.namespace)
                && req.metric_name.as_ref().is_none_or(|n| *n == k.name)
                && filters.iter().all(|f| {
                    k.dimensions
                        .iter()
                        .any(|(n, v)| *n == f.name && f.value.as_ref().is_none_or(|fv| fv == v))
                })
        })
        .map(|(k, _)| k)
        .collect();
    if start > matching.len() {
        return Err(invalid_next_token());
    }
    let end = (start + LIST_PAGE).min(matching.len());
    let metrics = matching[start..end]
        .iter()
        .map(|k| Metric {
            namespace: Some(k.namespace.clone()),
            metric_name: Some(k.name.clone()),
            dimensions: Some(k.dimensions()),
        })
        .collect();
    Ok(ListMetricsResponse {
        metrics,
        next_token: (end < matching.len()).then(|| encode_token(end)),
        owning_accounts: (req.include_linked_accounts == Some(true))
            .then(|| vec![ctx.account_id.clone()]),
    })
}

/// How [`read_windows`] aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Simple statistics only.
    Simple,
    /// Values too, for extended statistics.
    Values,
}

/// The data of a metric in `[start, end)` (epoch seconds) aggregated into windows of
/// `period` seconds starting at `start`, keyed by (window start, unit). `unit` keeps only
/// data of that unit.
#[allow(clippy::too_many_arguments)]
pub fn read_windows(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key: &MetricKey,
    start: i64,
    end: i64,
    period: i64,
    unit: Option<&str>,
    detail: Detail,
) -> Result<BTreeMap<(i64, String), Agg>, AwsError> {
    let mut out: BTreeMap<(i64, String), Agg> = BTreeMap::new();
    if end <= start || period <= 0 {
        return Ok(out);
    }
    let Some(doc) = metric_doc(env, account, region, key)? else {
        return Ok(out);
    };
    let hash = key.hash();
    let (first, last) = (start.div_euclid(DAY), (end - 1).div_euclid(DAY));
    for day in doc
        .days
        .iter()
        .copied()
        .filter(|d| (first..=last).contains(d))
    {
        let kind = day_kind(&hash, day);
        for d in env
            .db
            .documents(SERVICE, &kind, Some(account), Some(region))?
        {
            let Some((off, u)) = d.id.split_once('|') else {
                continue;
            };
            let Ok(off) = off.parse::<i64>() else {
                continue;
            };
            let t = day * DAY + off;
            if t < start || t >= end || unit.is_some_and(|w| w != u) {
                continue;
            }
            let b: Bucket = serde_json::from_value(d.body).map_err(|e| corrupt("bucket", e))?;
            let window = start + (t - start).div_euclid(period) * period;
            match out.get_mut(&(window, u.to_string())) {
                Some(a) if detail == Detail::Values => a.merge(&b.agg),
                Some(a) => a.merge_simple(&b.agg),
                None => {
                    let mut agg = b.agg;
                    if detail == Detail::Simple {
                        agg.vals.clear();
                        agg.exact = false;
                    }
                    out.insert((window, u.to_string()), agg);
                }
            }
        }
    }
    Ok(out)
}

/// [`read_windows`] with all units of a window combined: what alarms and GetMetricData
/// evaluate when no unit is named.
#[allow(clippy::too_many_arguments)]
pub fn read_combined(
    env: &Env<'_>,
    account: &str,
    region: &str,
    key: &MetricKey,
    start: i64,
    end: i64,
    period: i64,
    unit: Option<&str>,
    detail: Detail,
) -> Result<BTreeMap<i64, Agg>, AwsError> {
    let mut out: BTreeMap<i64, Agg> = BTreeMap::new();
    for ((t, _), agg) in read_windows(env, account, region, key, start, end, period, unit, detail)?
    {
        match out.get_mut(&t) {
            Some(a) if detail == Detail::Values => a.merge(&agg),
            Some(a) => a.merge_simple(&agg),
            None => {
                out.insert(t, agg);
            }
        }
    }
    Ok(out)
}
