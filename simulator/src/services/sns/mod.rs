//! Amazon SNS: regional topics with attributes (AWS's default access policy and delivery
//! policy), tags, and Publish, whose messages are kept so deliveries can be inspected.
//!
//! Helpers for other parts of the simulator (no recording): [`topic`], [`topic_by_name`],
//! [`publish_internal`], [`messages`], [`topics::policy_allows_service`].

pub mod deliveries;
pub mod http_push;
pub mod model;
pub mod publish;
pub mod subscriptions;
pub mod tags;
pub mod topics;

use serde_json::Value;

use super::{Env, EventResource, parse_request, to_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use deliveries::deliveries;
pub use model::{Delivery, PublishedMessage};
pub use publish::{messages, publish, publish_internal};
pub use subscriptions::{
    confirm_subscription, get_subscription_attributes, list_subscriptions,
    list_subscriptions_by_topic, set_subscription_attributes, subscribe, unsubscribe,
};
pub use tags::{list_tags_for_resource, tag_resource, untag_resource};
pub use topics::{
    TopicInfo, create_topic, delete_topic, get_topic_attributes, list_topics, set_topic_attributes,
    topic, topic_by_name,
};

pub const EVENT_SOURCE: &str = "sns.amazonaws.com";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "ConfirmSubscription",
    "CreateTopic",
    "DeleteTopic",
    "GetSubscriptionAttributes",
    "GetTopicAttributes",
    "ListSubscriptions",
    "ListSubscriptionsByTopic",
    "ListTagsForResource",
    "ListTopics",
    "Publish",
    "SetSubscriptionAttributes",
    "SetTopicAttributes",
    "Subscribe",
    "TagResource",
    "Unsubscribe",
    "UntagResource",
];

/// Runs one SNS operation on a JSON request.
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
        "ConfirmSubscription" => op!(confirm_subscription),
        "CreateTopic" => op!(create_topic),
        "GetSubscriptionAttributes" => op!(get_subscription_attributes),
        "ListSubscriptions" => op!(list_subscriptions),
        "ListSubscriptionsByTopic" => op!(list_subscriptions_by_topic),
        "SetSubscriptionAttributes" => op!(set_subscription_attributes),
        "Subscribe" => op!(subscribe),
        "Unsubscribe" => op!(unsubscribe),
        "DeleteTopic" => op!(delete_topic),
        "GetTopicAttributes" => op!(get_topic_attributes),
        "ListTagsForResource" => op!(list_tags_for_resource),
        "ListTopics" => op!(list_topics),
        "Publish" => op!(publish),
        "SetTopicAttributes" => op!(set_topic_attributes),
        "TagResource" => op!(tag_resource),
        "UntagResource" => op!(untag_resource),
        _ => Err(AwsError::unknown_operation("sns", operation)),
    }
}

/// SNS's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List"].iter().any(|p| operation.starts_with(p))
}

/// The topic a request names.
pub fn resources(operation: &str, req: &Value, ctx: &CallerContext) -> Vec<EventResource> {
    let arn = match operation {
        "CreateTopic" => req
            .get("Name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(|n| topics::topic_arn(&ctx.region, &ctx.account_id, n)),
        "TagResource" | "UntagResource" | "ListTagsForResource" => req
            .get("ResourceArn")
            .and_then(Value::as_str)
            .map(String::from),
        "Publish" => req
            .get("TopicArn")
            .or_else(|| req.get("TargetArn"))
            .and_then(Value::as_str)
            .map(String::from),
        _ => req
            .get("TopicArn")
            .and_then(Value::as_str)
            .map(String::from),
    };
    let Some(arn) = arn else {
        return Vec::new();
    };
    let parsed = topics::parse_topic_arn(&arn);
    vec![EventResource {
        resource_type: "AWS::SNS::Topic".to_string(),
        resource_name: arn.clone(),
        account_id: parsed.as_ref().map(|p| p.account_id.clone()),
        arn: parsed.map(|_| arn),
    }]
}

#[cfg(test)]
mod tests;
