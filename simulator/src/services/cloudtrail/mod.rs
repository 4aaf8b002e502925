//! The CloudTrail service: trails, selectors, Insights selectors, tags, logging status and
//! event history lookup. Split by concern; `dispatch` maps operation names to functions.

pub mod delegated_admin;
pub mod destinations;
#[cfg(test)]
mod destinations_tests;
pub mod event_data_stores;
pub mod insights;
pub mod insights_metric;
pub mod lake_model;
pub mod lake_queries;
pub mod lookup;
pub mod model;
pub mod names;
pub mod public_keys;
pub mod selectors;
pub mod status;
pub mod tags;
pub mod trails;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use delegated_admin::{
    deregister_organization_delegated_admin, register_organization_delegated_admin,
};
pub use event_data_stores::{
    create_event_data_store, delete_event_data_store, get_event_data_store, list_event_data_stores,
    restore_event_data_store, start_event_data_store_ingestion, stop_event_data_store_ingestion,
    update_event_data_store,
};
pub use insights::{get_insight_selectors, put_insight_selectors};
pub use insights_metric::list_insights_metric_data;
pub use lake_queries::{
    cancel_query, describe_query, get_query_results, list_queries, start_query,
};
pub use lookup::lookup_events;
pub use public_keys::list_public_keys;
pub use selectors::{get_event_selectors, put_event_selectors};
pub use status::{get_trail_status, start_logging, stop_logging};
pub use tags::{add_tags, list_tags, remove_tags};
pub use trails::{
    create_trail, delete_trail, describe_trails, describe_trails_json, get_trail, list_trails,
    update_trail,
};

pub const EVENT_SOURCE: &str = "cloudtrail.amazonaws.com";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "AddTags",
    "CancelQuery",
    "CreateEventDataStore",
    "CreateTrail",
    "DeleteEventDataStore",
    "DeleteTrail",
    "DeregisterOrganizationDelegatedAdmin",
    "DescribeQuery",
    "DescribeTrails",
    "GetEventDataStore",
    "GetEventSelectors",
    "GetInsightSelectors",
    "GetQueryResults",
    "GetTrail",
    "GetTrailStatus",
    "ListEventDataStores",
    "ListInsightsMetricData",
    "ListPublicKeys",
    "ListQueries",
    "ListTags",
    "ListTrails",
    "LookupEvents",
    "PutEventSelectors",
    "PutInsightSelectors",
    "RegisterOrganizationDelegatedAdmin",
    "RemoveTags",
    "RestoreEventDataStore",
    "StartEventDataStoreIngestion",
    "StartLogging",
    "StartQuery",
    "StopEventDataStoreIngestion",
    "StopLogging",
    "UpdateEventDataStore",
    "UpdateTrail",
];

/// Runs one CloudTrail operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    macro_rules! op {
        ($f:path) => {
            to_response(&$f(env, ctx, parse_request(req)?)?)
        };
    }
    match operation {
        "AddTags" => op!(add_tags),
        "CreateEventDataStore" => op!(create_event_data_store),
        "GetEventDataStore" => op!(get_event_data_store),
        "ListEventDataStores" => op!(list_event_data_stores),
        "UpdateEventDataStore" => op!(update_event_data_store),
        "DeleteEventDataStore" => op!(delete_event_data_store),
        "RestoreEventDataStore" => op!(restore_event_data_store),
        "StartEventDataStoreIngestion" => op!(start_event_data_store_ingestion),
        "StopEventDataStoreIngestion" => op!(stop_event_data_store_ingestion),
        "StartQuery" => op!(start_query),
        "DescribeQuery" => op!(describe_query),
        "GetQueryResults" => lake_queries::get_query_results_json(env, ctx, parse_request(req)?),
        "CancelQuery" => op!(cancel_query),
        "ListQueries" => op!(list_queries),
        "CreateTrail" => op!(create_trail),
        "DeleteTrail" => op!(delete_trail),
        "DeregisterOrganizationDelegatedAdmin" => op!(deregister_organization_delegated_admin),
        "DescribeTrails" => describe_trails_json(env, ctx, parse_request(req)?),
        "GetEventSelectors" => op!(get_event_selectors),
        "GetInsightSelectors" => op!(get_insight_selectors),
        "GetTrail" => op!(get_trail),
        "GetTrailStatus" => op!(get_trail_status),
        "ListInsightsMetricData" => op!(list_insights_metric_data),
        "ListPublicKeys" => op!(list_public_keys),
        "ListTags" => op!(list_tags),
        "ListTrails" => op!(list_trails),
        "LookupEvents" => op!(lookup_events),
        "PutEventSelectors" => op!(put_event_selectors),
        "PutInsightSelectors" => op!(put_insight_selectors),
        "RegisterOrganizationDelegatedAdmin" => op!(register_organization_delegated_admin),
        "RemoveTags" => op!(remove_tags),
        "StartLogging" => op!(start_logging),
        "StopLogging" => op!(stop_logging),
        "UpdateTrail" => op!(update_trail),
        _ => Err(AwsError::unknown_operation("cloudtrail", operation)),
    }
}

/// CloudTrail's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "Describe", "List", "Lookup"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// The trail a request names (by `Name`, `TrailName` or `ResourceId`), as an event resource.
pub fn resources(operation: &str, req: &Value, ctx: &CallerContext) -> Vec<EventResource> {
    if operation.ends_with("EventDataStore") || operation.ends_with("EventDataStoreIngestion") {
        return event_data_stores::event_resources(req, ctx);
    }
    let member = match operation {
        "CreateTrail" | "UpdateTrail" | "DeleteTrail" | "GetTrail" | "GetTrailStatus"
        | "StartLogging" | "StopLogging" => "Name",
        "PutEventSelectors"
        | "GetEventSelectors"
        | "PutInsightSelectors"
        | "GetInsightSelectors" => "TrailName",
        "AddTags" | "RemoveTags" => "ResourceId",
        _ => return Vec::new(),
    };
    let Some(given) = req.get(member).and_then(Value::as_str) else {
        return Vec::new();
    };
    if given.is_empty() {
        return Vec::new();
    }
    let (arn, account) = match names::parse_trail_ref(given) {
        Ok(names::TrailRef::Arn(a)) => (Some(a.to_string()), Some(a.account_id)),
        Ok(names::TrailRef::Name(n)) => (
            Some(names::TrailArn::new(&ctx.region, &ctx.account_id, &n).to_string()),
            Some(ctx.account_id.clone()),
        ),
        Err(_) => (None, None),
    };
    vec![EventResource {
        resource_type: names::TRAIL_RESOURCE_TYPE.to_string(),
        resource_name: given.to_string(),
        arn,
        account_id: account,
    }]
}

#[cfg(test)]
pub(crate) mod tests;
