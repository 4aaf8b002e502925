//! Amazon EventBridge (regional): rules with event patterns, their targets, and the
//! CloudTrail events that reach the default event bus.
//!
//! The API (`events`, AWS JSON 1.1 `AWSEvents.*`): PutRule, DescribeRule, DeleteRule,
//! ListRules, EnableRule, DisableRule, PutTargets, RemoveTargets, ListTargetsByRule,
//! ListRuleNamesByTarget, TestEventPattern, TagResource, UntagResource,
//! ListTagsForResource and DescribeEventBus. Rules (with their targets) are documents of
//! the store; see [`rules`].
//!
//! Delivery is the pipeline's: [`crate::pipeline::eventbridge`] wraps newly recorded
//! CloudTrail events in their envelope ([`envelope`]), matches them against enabled rules
//! ([`pattern`]) and invokes the targets ([`invoke`]), whose records [`invocations`] reads.

pub mod buses;
pub mod envelope;
pub mod errors;
pub mod input;
pub mod invoke;
pub mod model;
pub mod pattern;
pub mod rules;
pub mod schedule;
pub mod tags;
pub mod targets;
pub mod test_event_pattern;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use buses::{DEFAULT_BUS, describe_event_bus};
pub use invoke::{Invocation, invocations};
pub use rules::{
    RuleDoc, delete_rule, describe_rule, disable_rule, enable_rule, list_rules, put_rule,
};
pub use tags::{list_tags_for_resource, tag_resource, untag_resource};
pub use targets::{list_rule_names_by_target, list_targets_by_rule, put_targets, remove_targets};
pub use test_event_pattern::test_event_pattern;

/// The service's name in requests and in the store.
pub const SERVICE: &str = "events";
pub const EVENT_SOURCE: &str = "events.amazonaws.com";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "DeleteRule",
    "DescribeEventBus",
    "DescribeRule",
    "DisableRule",
    "EnableRule",
    "ListRuleNamesByTarget",
    "ListRules",
    "ListTagsForResource",
    "ListTargetsByRule",
    "PutRule",
    "PutTargets",
    "RemoveTargets",
    "TagResource",
    "TestEventPattern",
    "UntagResource",
];

/// Runs one EventBridge operation on a JSON request.
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
        "DeleteRule" => op!(delete_rule),
        "DescribeEventBus" => op!(describe_event_bus),
        "DescribeRule" => op!(describe_rule),
        "DisableRule" => op!(disable_rule),
        "EnableRule" => op!(enable_rule),
        "ListRuleNamesByTarget" => op!(list_rule_names_by_target),
        "ListRules" => op!(list_rules),
        "ListTagsForResource" => op!(list_tags_for_resource),
        "ListTargetsByRule" => op!(list_targets_by_rule),
        "PutRule" => op!(put_rule),
        "PutTargets" => op!(put_targets),
        "RemoveTargets" => op!(remove_targets),
        "TagResource" => op!(tag_resource),
        "TestEventPattern" => op!(test_event_pattern),
        "UntagResource" => op!(untag_resource),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// EventBridge's read-only operations (CloudTrail's `readOnly`).
pub fn is_read_only(operation: &str) -> bool {
    operation == "TestEventPattern"
        || ["Describe", "List"]
            .iter()
            .any(|p| operation.starts_with(p))
}

/// The rule a request names, as recorded in the event's `resources`.
pub fn resources(operation: &str, req: &Value, ctx: &CallerContext) -> Vec<EventResource> {
    let text = |k: &str| req.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let arn = match operation {
        "TagResource" | "UntagResource" | "ListTagsForResource" => {
            text("ResourceARN").map(String::from)
        }
        "PutRule" | "DescribeRule" | "DeleteRule" | "EnableRule" | "DisableRule" => {
            text("Name").map(|name| rule_arn_for(ctx, text("EventBusName"), name))
        }
        "PutTargets" | "RemoveTargets" | "ListTargetsByRule" => {
            text("Rule").map(|name| rule_arn_for(ctx, text("EventBusName"), name))
        }
        _ => None,
    };
    let Some(arn) = arn else {
        return Vec::new();
    };
    let parsed = rules::parse_rule_arn(&arn);
    vec![EventResource {
        resource_type: "AWS::Events::Rule".to_string(),
        resource_name: arn.clone(),
        account_id: parsed.as_ref().map(|(_, account, _, _)| account.clone()),
        arn: parsed.map(|_| arn),
    }]
}

/// A rule's ARN from a request's names (the bus as a name or an ARN).
fn rule_arn_for(ctx: &CallerContext, bus: Option<&str>, name: &str) -> String {
    let bus = bus
        .map(|b| b.rsplit_once(":event-bus/").map_or(b, |(_, n)| n))
        .unwrap_or(DEFAULT_BUS);
    rules::rule_arn(&ctx.region, &ctx.account_id, bus, name)
}

#[cfg(test)]
mod tests;
