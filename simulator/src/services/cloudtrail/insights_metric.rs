//! ListInsightsMetricData: the per-period call or error counts of one API in the caller's
//! account and region, computed from the recorded events (the series CloudTrail Insights
//! analyses), as parallel `Timestamps` / `Values` lists.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::services::Env;
use crate::store::{MetricFilter, MetricQuery};

shape! {
    pub struct ListInsightsMetricDataRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_source: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub insight_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub end_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub data_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_results: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct ListInsightsMetricDataResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_source: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub insight_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_code: Option<String>,
        #[serde(default)]
        pub timestamps: Vec<f64>,
        #[serde(default)]
        pub values: Vec<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

/// Periods (seconds) and how many days back each is available.
pub const PERIODS: &[(i64, i64)] = &[(60, 15), (300, 63), (3600, 90)];
pub const DEFAULT_PERIOD: i64 = 3600;
pub const MAX_RESULTS: i64 = 21_600;
pub const MAX_EVENT_NAME: usize = 128;
pub const MAX_EVENT_SOURCE: usize = 256;
pub const MAX_ERROR_CODE: usize = 128;

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

#[derive(Serialize, Deserialize)]
struct Token {
    /// The first bucket of the next page (ms).
    b: i64,
    q: String,
}

/// A digest of the parameters a token belongs to: a token only continues the same query.
fn query_digest(req: &ListInsightsMetricDataRequest) -> String {
    let text = format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        req.event_source,
        req.event_name,
        req.insight_type,
        req.error_code,
        req.start_time,
        req.end_time,
        req.period,
        req.data_type
    );
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

fn required<'a>(v: &'a Option<String>, member: &str, max: usize) -> Result<&'a str, AwsError> {
    match v.as_deref() {
        None | Some("") => Err(invalid(format!("{member} is required."))),
        Some(s) if s.chars().count() > max => Err(invalid(format!(
            "{member} must be at most {max} characters long."
        ))),
        Some(s) => Ok(s),
    }
}

pub fn list_insights_metric_data(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListInsightsMetricDataRequest,
) -> Result<ListInsightsMetricDataResponse, AwsError> {
    let source = required(&req.event_source, "EventSource", MAX_EVENT_SOURCE)?;
    let name = required(&req.event_name, "EventName", MAX_EVENT_NAME)?;
    let insight_type = req.insight_type.as_deref().unwrap_or_default();
    let filter = match insight_type {
        "ApiCallRateInsight" => MetricFilter::WriteCalls,
        "ApiErrorRateInsight" => {
            let code = required(&req.error_code, "ErrorCode", MAX_ERROR_CODE).map_err(|_| {
                invalid(format!(
                    "ErrorCode is required when InsightType is ApiErrorRateInsight, at most {MAX_ERROR_CODE} characters."
                ))
            })?;
            // AWS's pattern: ^[\w\d\s_.,\-:\[\]]+$
            let allowed =
                |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.,-:[]".contains(c);
            if !code.chars().all(allowed) {
                return Err(invalid(format!(
                    "ErrorCode {code:?} is not valid: use letters, digits, spaces and _.,-:[] only."
                )));
            }
            MetricFilter::Errors(code.to_string())
        }
        "" => return Err(invalid("InsightType is required.")),
        other => {
            return Err(invalid(format!(
                "InsightType {other} is not valid. Valid values are ApiCallRateInsight and ApiErrorRateInsight."
            )));
        }
    };
    let period = req.period.unwrap_or(DEFAULT_PERIOD);
    let Some(&(_, days)) = PERIODS.iter().find(|(p, _)| *p == period) else {
        return Err(invalid(format!(
            "Period {period} is not valid. Valid values are 60, 300 and 3600."
        )));
    };
    let fill = match req.data_type.as_deref() {
        None | Some("NonZeroData") => false,
        Some("FillWithZeros") => true,
        Some(other) => {
            return Err(invalid(format!(
                "DataType {other} is not valid. Valid values are FillWithZeros and NonZeroData."
            )));
        }
    };
    let max = req.max_results.unwrap_or(MAX_RESULTS);
    if !(1..=MAX_RESULTS).contains(&max) {
        return Err(invalid(format!(
            "MaxResults must be from 1 to {MAX_RESULTS}; {max} was specified."
        )));
    }
    let time = |v: Option<f64>, what: &str| -> Result<Option<i64>, AwsError> {
        v.map(|s| {
            clock::from_epoch_seconds(s)
                .map(clock::to_millis)
                .ok_or_else(|| invalid(format!("{what} {s} is not a valid time.")))
        })
        .transpose()
    };
    let now_ms = clock::to_millis(env.now);
    let period_ms = period * 1000;
    // Data points of each period are kept for a limited time.
    let kept_from = env
        .now
        .checked_sub_signed(Duration::days(days))
        .map_or(i64::MIN, clock::to_millis);
    let end_ms = time(req.end_time, "EndTime")?.unwrap_or(now_ms);
    let start_ms = time(req.start_time, "StartTime")?.unwrap_or(
        env.now
            .checked_sub_signed(Duration::days(90))
            .map_or(i64::MIN, clock::to_millis),
    );
    if start_ms > end_ms {
        return Err(invalid("StartTime must be before EndTime."));
    }
    // Buckets are aligned to the period; the first is the one holding the start.
    let mut first = start_ms.max(kept_from).div_euclid(period_ms) * period_ms;
    if let Some(tok) = &req.next_token {
        let t: Token = hex::decode(tok)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|t: &Token| t.q == query_digest(&req))
            .ok_or_else(|| invalid("The NextToken is not valid for this request."))?;
        first = first.max(t.b);
    }
    let q = MetricQuery {
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        event_source: source.to_string(),
        event_name: name.to_string(),
        filter,
        start_ms: first.max(start_ms),
        end_ms,
        period_ms,
    };
    let rows = if first < end_ms {
        env.db.insight_metric(&q)?
    } else {
        Vec::new()
    };
    let points: Box<dyn Iterator<Item = (i64, i64)>> = if fill {
        let mut counts = rows.into_iter().peekable();
        let buckets = (0..)
            .map(move |i| first + i * period_ms)
            .take_while(move |b| *b < end_ms);
        Box::new(
            buckets.map(move |b| match counts.next_if(|(rb, _)| *rb == b) {
                Some((_, n)) => (b, n),
                None => (b, 0),
            }),
        )
    } else {
        Box::new(rows.into_iter())
    };
    let mut page: Vec<(i64, i64)> = points.take(max as usize + 1).collect();
    let next_token = if page.len() > max as usize {
        let next = page[max as usize].0;
        page.truncate(max as usize);
        let tok = Token {
            b: next,
            q: query_digest(&req),
        };
        Some(hex::encode(
            serde_json::to_vec(&tok).map_err(StoreError::from)?,
        ))
    } else {
        None
    };
    Ok(ListInsightsMetricDataResponse {
        event_source: Some(source.to_string()),
        event_name: Some(name.to_string()),
        insight_type: Some(insight_type.to_string()),
        error_code: match &q.filter {
            MetricFilter::Errors(c) => Some(c.clone()),
            MetricFilter::WriteCalls => None,
        },
        timestamps: page
            .iter()
            .map(|(b, _)| clock::to_epoch_seconds(clock::from_millis(*b)))
            .collect(),
        values: page.iter().map(|(_, n)| *n as f64).collect(),
        next_token,
    })
}
