//! SNS request and response shapes as JSON, with the member names of the AWS API
//! (`TopicArn`, `Attributes`, `AttributeName`, `ResourceArn`, `TagKeys`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

shape! {
    pub struct Empty {}
}

shape! {
    /// An SNS tag; `Value` is required (may be empty).
    pub struct Tag {
        pub key: String,
        #[serde(default)]
        pub value: String,
    }
}

shape! {
    pub struct CreateTopicRequest {
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attributes: Option<BTreeMap<String, String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub data_protection_policy: Option<String>,
    }
}

shape! {
    pub struct CreateTopicResponse {
        pub topic_arn: String,
    }
}

shape! {
    pub struct TopicArnRequest {
        pub topic_arn: String,
    }
}

shape! {
    /// GetTopicAttributes: string values, in the order AWS lists them.
    pub struct GetTopicAttributesResponse {
        pub attributes: serde_json::Map<String, serde_json::Value>,
    }
}

shape! {
    pub struct SetTopicAttributesRequest {
        pub topic_arn: String,
        pub attribute_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attribute_value: Option<String>,
    }
}

shape! {
    pub struct ListTopicsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct Topic {
        pub topic_arn: String,
    }
}

shape! {
    pub struct ListTopicsResponse {
        #[serde(default)]
        pub topics: Vec<Topic>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct TagResourceRequest {
        pub resource_arn: String,
        #[serde(default)]
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagResourceRequest {
        pub resource_arn: String,
        #[serde(default)]
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct ListTagsForResourceRequest {
        pub resource_arn: String,
    }
}

shape! {
    pub struct ListTagsForResourceResponse {
        #[serde(default)]
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct PublishRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub topic_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub target_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phone_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subject: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_structure: Option<String>,
        /// `{name: {DataType, StringValue | BinaryValue}}`, kept as given.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_attributes: Option<serde_json::Map<String, serde_json::Value>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_deduplication_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_group_id: Option<String>,
    }
}

shape! {
    pub struct PublishResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sequence_number: Option<String>,
    }
}

shape! {
    /// A published message as the simulator keeps it (viewable later, e.g. CloudTrail
    /// delivery notifications).
    pub struct PublishedMessage {
        pub message_id: String,
        pub topic_arn: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub subject: Option<String>,
        pub message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_structure: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_attributes: Option<serde_json::Map<String, serde_json::Value>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_group_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message_deduplication_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sequence_number: Option<String>,
        /// Epoch seconds.
        pub timestamp: f64,
        /// The publisher's ARN (a principal or a service such as `cloudtrail.amazonaws.com`).
        pub publisher: String,
    }
}

shape! {
    pub struct SubscribeRequest {
        pub topic_arn: String,
        pub protocol: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub endpoint: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attributes: Option<BTreeMap<String, String>>,
        #[serde(default)]
        pub return_subscription_arn: bool,
    }
}

shape! {
    pub struct SubscribeResponse {
        pub subscription_arn: String,
    }
}

shape! {
    pub struct SubscriptionArnRequest {
        pub subscription_arn: String,
    }
}

shape! {
    pub struct ConfirmSubscriptionRequest {
        pub topic_arn: String,
        pub token: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub authenticate_on_unsubscribe: Option<String>,
    }
}

shape! {
    pub struct GetSubscriptionAttributesResponse {
        pub attributes: serde_json::Map<String, serde_json::Value>,
    }
}

shape! {
    pub struct SetSubscriptionAttributesRequest {
        pub subscription_arn: String,
        pub attribute_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub attribute_value: Option<String>,
    }
}

shape! {
    pub struct ListSubscriptionsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub topic_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    /// One entry of ListSubscriptions(ByTopic); `SubscriptionArn` is `PendingConfirmation`
    /// until the endpoint confirms.
    pub struct Subscription {
        pub subscription_arn: String,
        pub owner: String,
        pub protocol: String,
        pub endpoint: String,
        pub topic_arn: String,
    }
}

shape! {
    pub struct ListSubscriptionsResponse {
        #[serde(default)]
        pub subscriptions: Vec<Subscription>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    /// One message as SNS handed it to one subscription's endpoint (or would have: only
    /// `http` endpoints on loopback are really called).
    pub struct Delivery {
        pub delivery_id: String,
        pub subscription_arn: String,
        pub topic_arn: String,
        pub message_id: String,
        pub protocol: String,
        pub endpoint: String,
        /// `Notification` or `SubscriptionConfirmation`.
        pub message_type: String,
        /// The body as the endpoint receives it.
        pub body: String,
        /// Epoch seconds.
        pub timestamp: f64,
        /// `delivered`, `pending` (an HTTP POST not yet made), `recorded` (a destination
        /// ctsim does not run, such as an e-mail address or a Lambda function) or
        /// `failed: <reason>`.
        pub status: String,
    }
}
