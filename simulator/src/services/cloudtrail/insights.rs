//! PutInsightSelectors and GetInsightSelectors (trails only; event data stores come later).

use super::destinations::{self, Touched};
use super::model::*;
use super::selectors::{logs_management_events, stored_selectors};
use super::trails::{TrailConfig, resolve, resolve_home};
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::services::Env;
use crate::store::{DocKey, TrailRow};

pub const INSIGHT_TYPES: &[&str] = &["ApiCallRateInsight", "ApiErrorRateInsight"];
/// Document kind (service "cloudtrail", id = trail ARN) holding when Insights was turned on.
pub const ENABLED_KIND: &str = "insights-enabled";

/// The document that says since when a trail has had insight selectors.
pub fn enabled_key(row: &TrailRow) -> DocKey<'_> {
    DocKey {
        service: "cloudtrail",
        kind: ENABLED_KIND,
        account_id: &row.account_id,
        region: &row.region,
        id: &row.arn,
    }
}

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidInsightSelectorsException", message)
}

fn trail_name_required(trail: &Option<String>, eds: &Option<String>) -> Result<String, AwsError> {
    if eds.is_some() {
        return Err(AwsError::client(
            "InvalidParameterCombinationException",
            "Event data stores are not supported by this simulator yet; specify TrailName.",
        ));
    }
    match trail {
        Some(t) if !t.is_empty() => Ok(t.clone()),
        _ => Err(AwsError::client(
            "InvalidParameterCombinationException",
            "You must specify a TrailName or an EventDataStore.",
        )),
    }
}

pub fn put_insight_selectors(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutInsightSelectorsRequest,
) -> Result<PutInsightSelectorsResponse, AwsError> {
    let name = trail_name_required(&req.trail_name, &req.event_data_store)?;
    if req.insights_destination.is_some() {
        return Err(AwsError::client(
            "InvalidParameterCombinationException",
            "InsightsDestination applies to event data stores only; it cannot be used with TrailName.",
        ));
    }
    let t = resolve_home(env, ctx, &name)?;
    let mut seen = Vec::new();
    for s in &req.insight_selectors {
        let ty = s.insight_type.as_deref().unwrap_or_default();
        if !INSIGHT_TYPES.contains(&ty) {
            return Err(invalid(format!(
                "Insight type {ty:?} is not valid. Valid values for InsightType are ApiCallRateInsight and ApiErrorRateInsight."
            )));
        }
        if seen.contains(&ty) {
            return Err(invalid(format!(
                "Insight type {ty} is specified more than once."
            )));
        }
        seen.push(ty);
    }
    // Insights analyse management events: call-rate needs write events, error-rate read or write.
    let (reads, writes) = logs_management_events(&stored_selectors(env, &t.row.arn)?);
    if seen.contains(&"ApiCallRateInsight") && !writes {
        return Err(invalid(
            "ApiCallRateInsight requires the trail to log write management events. Update the trail's event selectors, and then try again.",
        ));
    }
    if seen.contains(&"ApiErrorRateInsight") && !(reads || writes) {
        return Err(invalid(
            "ApiErrorRateInsight requires the trail to log read or write management events. Update the trail's event selectors, and then try again.",
        ));
    }
    let stored = if req.insight_selectors.is_empty() {
        None
    } else {
        // Insights events go to the trail's bucket: it must exist and let CloudTrail write.
        let mut config: TrailConfig =
            serde_json::from_str(&t.row.config).map_err(StoreError::from)?;
        let bucket_only = Touched {
            bucket: true,
            ..Touched::default()
        };
        destinations::check(env, ctx, &t.row.arn, &mut config, bucket_only)?;
        Some(serde_json::to_string(&req.insight_selectors).map_err(StoreError::from)?)
    };
    env.db
        .put_insight_selectors(&t.row.arn, stored.as_deref())?;
    // When Insights was turned on: detection starts there (with a full baseline behind it).
    let key = enabled_key(&t.row);
    if stored.is_none() {
        env.db.delete_document(&key)?;
    } else if env
        .db
        .document(&key)?
        .and_then(|d| d.get("enabledMs").and_then(serde_json::Value::as_i64))
        // A document older than the trail belonged to a deleted trail of the same ARN.
        .is_none_or(|ms| ms < t.row.created_ms)
    {
        let now_ms = crate::clock::to_millis(env.now);
        env.db
            .put_document(&key, &serde_json::json!({"enabledMs": now_ms}), now_ms)?;
    }
    Ok(PutInsightSelectorsResponse {
        trail_arn: Some(t.row.arn),
        insight_selectors: Some(req.insight_selectors),
    })
}

pub fn get_insight_selectors(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetInsightSelectorsRequest,
) -> Result<GetInsightSelectorsResponse, AwsError> {
    let name = trail_name_required(&req.trail_name, &req.event_data_store)?;
    let t = resolve(env, ctx, &name)?;
    match env.db.insight_selectors(&t.row.arn)? {
        None => Err(AwsError::client(
            "InsightNotEnabledException",
            format!(
                "Trail {} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.",
                t.row.name
            ),
        )),
        Some(json) => {
            let sel: Vec<InsightSelector> =
                serde_json::from_str(&json).map_err(StoreError::from)?;
            Ok(GetInsightSelectorsResponse {
                trail_arn: Some(t.row.arn),
                insight_selectors: Some(sel),
            })
        }
    }
}
