//! The CloudWatch Logs service (regional): log groups (retention, KMS key, class, tags),
//! log streams and their events. Members are camelCase, times are epoch milliseconds.

pub mod filter_pattern;
pub mod groups;
pub mod metric_filters;
pub mod model;
pub mod streams;

use serde_json::Value;

use super::{Env, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use groups::{
    associate_kms_key, create_log_group, delete_log_group, delete_retention_policy,
    describe_log_groups, disassociate_kms_key, list_tags_for_resource, list_tags_log_group,
    put_retention_policy, tag_log_group, tag_resource, untag_log_group, untag_resource,
};
pub use metric_filters::{
    delete_metric_filter, describe_metric_filters, put_metric_filter, test_metric_filter,
};
pub use streams::{
    create_log_stream, delete_log_stream, describe_log_streams, filter_log_events, get_log_events,
    put_events_internal, put_log_events,
};

pub const EVENT_SOURCE: &str = "logs.amazonaws.com";
pub(crate) const SERVICE: &str = "logs";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "AssociateKmsKey",
    "CreateLogGroup",
    "CreateLogStream",
    "DeleteLogGroup",
    "DeleteLogStream",
    "DeleteMetricFilter",
    "DeleteRetentionPolicy",
    "DescribeLogGroups",
    "DescribeLogStreams",
    "DescribeMetricFilters",
    "DisassociateKmsKey",
    "FilterLogEvents",
    "GetLogEvents",
    "ListTagsForResource",
    "ListTagsLogGroup",
    "PutLogEvents",
    "PutMetricFilter",
    "PutRetentionPolicy",
    "TagLogGroup",
    "TagResource",
    "TestMetricFilter",
    "UntagLogGroup",
    "UntagResource",
];

/// Runs one CloudWatch Logs operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    macro_rules! op {
        ($f:path) => {
            to_compact_response(&$f(env, ctx, parse_request(req)?)?)
        };
    }
    match operation {
        "AssociateKmsKey" => op!(associate_kms_key),
        "CreateLogGroup" => op!(create_log_group),
        "CreateLogStream" => op!(create_log_stream),
        "DeleteLogGroup" => op!(delete_log_group),
        "DeleteLogStream" => op!(delete_log_stream),
        "DeleteMetricFilter" => op!(delete_metric_filter),
        "DeleteRetentionPolicy" => op!(delete_retention_policy),
        "DescribeLogGroups" => op!(describe_log_groups),
        "DescribeLogStreams" => op!(describe_log_streams),
        "DescribeMetricFilters" => op!(describe_metric_filters),
        "DisassociateKmsKey" => op!(disassociate_kms_key),
        "FilterLogEvents" => op!(filter_log_events),
        "GetLogEvents" => op!(get_log_events),
        "ListTagsForResource" => op!(list_tags_for_resource),
        "ListTagsLogGroup" => op!(list_tags_log_group),
        "PutLogEvents" => op!(put_log_events),
        "PutMetricFilter" => op!(put_metric_filter),
        "PutRetentionPolicy" => op!(put_retention_policy),
        "TagLogGroup" => op!(tag_log_group),
        "TagResource" => op!(tag_resource),
        "TestMetricFilter" => op!(test_metric_filter),
        "UntagLogGroup" => op!(untag_log_group),
        "UntagResource" => op!(untag_resource),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// CloudWatch Logs' read-only operations (FilterLogEvents included).
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "Describe", "List", "Filter", "Test"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// `arn:aws:logs:R:A:log-group:NAME` (the `logGroupArn` form, used for tags).
pub fn group_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:logs:{region}:{account}:log-group:{name}")
}

/// `arn:aws:logs:R:A:log-group:NAME:*` (the `arn` form DescribeLogGroups returns, and
/// what CloudTrail's `CloudWatchLogsLogGroupArn` names).
pub fn group_arn_star(region: &str, account: &str, name: &str) -> String {
    format!("{}:*", group_arn(region, account, name))
}

/// The parts of a log group ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupArn {
    pub region: String,
    pub account: String,
    pub name: String,
}

/// Parses `arn:aws:logs:R:A:log-group:NAME` with or without a trailing `:*`.
pub fn parse_group_arn(arn: &str) -> Option<GroupArn> {
    let rest = arn.strip_prefix("arn:")?;
    let parts: Vec<&str> = rest.splitn(6, ':').collect();
    if parts.len() != 6
        || !parts[0].starts_with("aws")
        || parts[1] != "logs"
        || parts[4] != "log-group"
    {
        return None;
    }
    let name = parts[5].strip_suffix(":*").unwrap_or(parts[5]);
    if parts[2].is_empty() || parts[3].len() != 12 || name.is_empty() || name.contains(':') {
        return None;
    }
    Some(GroupArn {
        region: parts[2].to_string(),
        account: parts[3].to_string(),
        name: name.to_string(),
    })
}

/// What CloudTrail needs to know about a log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogGroupInfo {
    pub name: String,
    /// The `:*` form.
    pub arn: String,
    pub log_group_arn: String,
    pub account: String,
    pub region: String,
    pub kms_key_id: Option<String>,
    pub retention_in_days: Option<i64>,
}

/// The log group an ARN names (with or without `:*`); `Ok(None)` when the ARN is malformed
/// or the group does not exist.
pub fn log_group_by_arn(env: &Env<'_>, arn: &str) -> Result<Option<LogGroupInfo>, AwsError> {
    let Some(p) = parse_group_arn(arn) else {
        return Ok(None);
    };
    Ok(
        groups::find_group(env, &p.account, &p.region, &p.name)?.map(|g| LogGroupInfo {
            name: g.log_group_name,
            arn: g.arn,
            log_group_arn: g.log_group_arn,
            account: p.account,
            region: p.region,
            kms_key_id: g.kms_key_id,
            retention_in_days: g.retention_in_days,
        }),
    )
}

#[cfg(test)]
mod tests;
