//! EventBridge request and response shapes as JSON, with the member names of the AWS API
//! (`Name`, `EventPattern`, `EventBusName`, `Targets`, `ResourceARN`). Targets travel as
//! JSON objects: the API has a dozen target parameter blocks and EventBridge keeps whatever
//! it accepted, so they are stored and returned as given once [`super::targets`] checked
//! the members it understands.

use serde::{Deserialize, Serialize};
use serde_json::Value;

shape! {
    pub struct Empty {}
}

shape! {
    /// An EventBridge tag; both members are required.
    pub struct Tag {
        pub key: String,
        pub value: String,
    }
}

shape! {
    pub struct PutRuleRequest {
        pub name: String,
        pub schedule_expression: Option<String>,
        pub event_pattern: Option<String>,
        pub state: Option<String>,
        pub description: Option<String>,
        pub role_arn: Option<String>,
        pub tags: Option<Vec<Tag>>,
        pub event_bus_name: Option<String>,
    }
}

shape! {
    pub struct PutRuleResponse {
        pub rule_arn: String,
    }
}

shape! {
    /// DescribeRule, EnableRule and DisableRule name one rule.
    pub struct RuleNameRequest {
        pub name: String,
        pub event_bus_name: Option<String>,
    }
}

shape! {
    pub struct DescribeRuleResponse {
        pub name: String,
        pub arn: String,
        pub event_pattern: Option<String>,
        pub schedule_expression: Option<String>,
        pub state: String,
        pub description: Option<String>,
        pub role_arn: Option<String>,
        pub managed_by: Option<String>,
        pub event_bus_name: String,
        pub created_by: String,
    }
}

shape! {
    pub struct DeleteRuleRequest {
        pub name: String,
        pub event_bus_name: Option<String>,
        pub force: Option<bool>,
    }
}

shape! {
    pub struct ListRulesRequest {
        pub name_prefix: Option<String>,
        pub event_bus_name: Option<String>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
    }
}

shape! {
    /// One rule as ListRules shows it.
    pub struct RuleSummary {
        pub name: String,
        pub arn: String,
        pub event_pattern: Option<String>,
        pub state: String,
        pub description: Option<String>,
        pub schedule_expression: Option<String>,
        pub role_arn: Option<String>,
        pub managed_by: Option<String>,
        pub event_bus_name: String,
    }
}

shape! {
    pub struct ListRulesResponse {
        pub rules: Vec<RuleSummary>,
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct PutTargetsRequest {
        pub rule: String,
        pub event_bus_name: Option<String>,
        pub targets: Vec<Value>,
    }
}

shape! {
    /// A target PutTargets or RemoveTargets could not handle.
    pub struct FailedEntry {
        pub target_id: Option<String>,
        pub error_code: Option<String>,
        pub error_message: Option<String>,
    }
}

shape! {
    pub struct FailedEntriesResponse {
        pub failed_entry_count: i64,
        pub failed_entries: Vec<FailedEntry>,
    }
}

shape! {
    pub struct RemoveTargetsRequest {
        pub rule: String,
        pub event_bus_name: Option<String>,
        pub ids: Vec<String>,
        pub force: Option<bool>,
    }
}

shape! {
    pub struct ListTargetsByRuleRequest {
        pub rule: String,
        pub event_bus_name: Option<String>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
    }
}

shape! {
    pub struct ListTargetsByRuleResponse {
        pub targets: Vec<Value>,
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct ListRuleNamesByTargetRequest {
        pub target_arn: String,
        pub event_bus_name: Option<String>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
    }
}

shape! {
    pub struct ListRuleNamesByTargetResponse {
        pub rule_names: Vec<String>,
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct TestEventPatternRequest {
        pub event_pattern: String,
        pub event: String,
    }
}

shape! {
    pub struct TestEventPatternResponse {
        pub result: bool,
    }
}

shape! {
    pub struct TagResourceRequest {
        #[serde(rename = "ResourceARN")]
        pub resource_arn: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagResourceRequest {
        #[serde(rename = "ResourceARN")]
        pub resource_arn: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct ListTagsForResourceRequest {
        #[serde(rename = "ResourceARN")]
        pub resource_arn: String,
    }
}

shape! {
    pub struct ListTagsForResourceResponse {
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct DescribeEventBusRequest {
        pub name: Option<String>,
    }
}

shape! {
    pub struct DescribeEventBusResponse {
        pub name: String,
        pub arn: String,
        pub description: Option<String>,
        pub policy: Option<String>,
        pub creation_time: Option<f64>,
        pub last_modified_time: Option<f64>,
    }
}
