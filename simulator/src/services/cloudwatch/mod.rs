//! Amazon CloudWatch (regional): metrics and alarms.
//!
//! Metrics are stored aggregated per minute (per second for high-resolution data) with
//! their values, so every statistic, percentiles included, can be read back for any period
//! ([`metrics`], [`stats`], [`retrieve`]). Metric alarms are evaluated on the simulator
//! clock by [`evaluate_alarms`], which the caller runs as time passes and whose actions it
//! carries out (publishing the notifications to SNS).
//!
//! Helpers for other parts of the simulator (no recording): [`record_datapoint`] (what
//! CloudWatch Logs metric filters publish), [`evaluate_alarms`], [`evaluation_pending`],
//! [`next_evaluation`].

pub mod alarms;
pub mod errors;
pub mod evaluate;
pub mod history;
pub mod lenient;
pub mod math;
pub mod metrics;
pub mod model;
pub mod retrieve;
pub mod stats;
pub mod tags;

use serde_json::Value;

use super::{Env, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use alarms::{
    delete_alarms, describe_alarms, describe_alarms_for_metric, disable_alarm_actions,
    enable_alarm_actions, put_metric_alarm, set_alarm_state,
};
pub use evaluate::{AlarmAction, evaluate_alarms, evaluation_pending, next_evaluation};
pub use history::describe_alarm_history;
pub use metrics::{list_metrics, put_metric_data, record_datapoint};
pub use model::Dimension;
pub use retrieve::{get_metric_data, get_metric_statistics};
pub use tags::{list_tags_for_resource, tag_resource, untag_resource};

pub const EVENT_SOURCE: &str = "monitoring.amazonaws.com";
pub(crate) const SERVICE: &str = "cloudwatch";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "DeleteAlarms",
    "DescribeAlarmHistory",
    "DescribeAlarms",
    "DescribeAlarmsForMetric",
    "DisableAlarmActions",
    "EnableAlarmActions",
    "GetMetricData",
    "GetMetricStatistics",
    "ListMetrics",
    "ListTagsForResource",
    "PutMetricAlarm",
    "PutMetricData",
    "SetAlarmState",
    "TagResource",
    "UntagResource",
];

/// Runs one CloudWatch operation on a JSON request.
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
        "DeleteAlarms" => op!(delete_alarms),
        "DescribeAlarmHistory" => op!(describe_alarm_history),
        "DescribeAlarms" => op!(describe_alarms),
        "DescribeAlarmsForMetric" => op!(describe_alarms_for_metric),
        "DisableAlarmActions" => op!(disable_alarm_actions),
        "EnableAlarmActions" => op!(enable_alarm_actions),
        "GetMetricData" => op!(get_metric_data),
        "GetMetricStatistics" => op!(get_metric_statistics),
        "ListMetrics" => op!(list_metrics),
        "ListTagsForResource" => op!(list_tags_for_resource),
        "PutMetricAlarm" => op!(put_metric_alarm),
        "PutMetricData" => op!(put_metric_data),
        "SetAlarmState" => op!(set_alarm_state),
        "TagResource" => op!(tag_resource),
        "UntagResource" => op!(untag_resource),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// CloudWatch's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "Describe", "List"]
        .iter()
        .any(|p| operation.starts_with(p))
}

#[cfg(test)]
mod tests;
