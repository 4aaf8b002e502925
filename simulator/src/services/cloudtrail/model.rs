//! CloudTrail request and response shapes, with the member names of the AWS JSON 1.1
//! protocol (PascalCase; `TrailARN`, `SnsTopicARN`; DescribeTrails uses camelCase).
//! Timestamps are epoch seconds (`f64`), as on the wire.

use serde::{Deserialize, Serialize};

shape! {
    /// A tag on a trail. A tag may have no value.
    pub struct Tag {
        pub key: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub value: Option<String>,
    }
}

shape! {
    pub struct CreateTrailRequest {
        pub name: String,
        pub s3_bucket_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_key_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sns_topic_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub include_global_service_events: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_multi_region_trail: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub enable_log_file_validation: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_log_group_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_role_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_organization_trail: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags_list: Option<Vec<Tag>>,
    }
}

shape! {
    /// The response of CreateTrail and UpdateTrail.
    pub struct CreateTrailResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_bucket_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_key_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sns_topic_name: Option<String>,
        #[serde(rename = "SnsTopicARN", skip_serializing_if = "Option::is_none")]
        pub sns_topic_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub include_global_service_events: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_multi_region_trail: Option<bool>,
        #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
        pub trail_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub log_file_validation_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_log_group_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_role_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_organization_trail: Option<bool>,
    }
}

pub type UpdateTrailResponse = CreateTrailResponse;

shape! {
    /// UpdateTrail: `Name` is the trail name or ARN; absent members are left unchanged,
    /// an empty string clears an optional setting.
    pub struct UpdateTrailRequest {
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_bucket_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_key_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sns_topic_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub include_global_service_events: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_multi_region_trail: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub enable_log_file_validation: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_log_group_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_role_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_organization_trail: Option<bool>,
    }
}

shape! {
    pub struct DeleteTrailRequest {
        pub name: String,
    }
}

shape! {
    pub struct DeleteTrailResponse {}
}

shape! {
    /// A trail as GetTrail and DescribeTrails return it.
    pub struct Trail {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_bucket_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub s3_key_prefix: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sns_topic_name: Option<String>,
        #[serde(rename = "SnsTopicARN", skip_serializing_if = "Option::is_none")]
        pub sns_topic_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub include_global_service_events: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_multi_region_trail: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub home_region: Option<String>,
        #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
        pub trail_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub log_file_validation_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_log_group_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_watch_logs_role_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub has_custom_event_selectors: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub has_insight_selectors: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_organization_trail: Option<bool>,
    }
}

shape! {
    pub struct GetTrailRequest {
        pub name: String,
    }
}

shape! {
    pub struct GetTrailResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trail: Option<Trail>,
    }
}

/// DescribeTrails uses camelCase members on the wire.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DescribeTrailsRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trail_name_list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_shadow_trails: Option<bool>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DescribeTrailsResponse {
    #[serde(default)]
    pub trail_list: Vec<Trail>,
}

shape! {
    pub struct ListTrailsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct TrailInfo {
        #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
        pub trail_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub home_region: Option<String>,
    }
}

shape! {
    pub struct ListTrailsResponse {
        #[serde(default)]
        pub trails: Vec<TrailInfo>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct GetTrailStatusRequest {
        pub name: String,
    }
}

shape! {
    /// GetTrailStatus. Times are epoch seconds; the `*AttemptTime`/`TimeLogging*` members
    /// are strings (empty when unset), as AWS returns them.
    pub struct GetTrailStatusResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_logging: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_delivery_error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_notification_error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_delivery_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_notification_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_logging_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub stop_logging_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_cloud_watch_logs_delivery_error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_cloud_watch_logs_delivery_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_digest_delivery_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_digest_delivery_error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_delivery_attempt_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_notification_attempt_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_notification_attempt_succeeded: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub latest_delivery_attempt_succeeded: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub time_logging_started: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub time_logging_stopped: Option<String>,
    }
}

shape! {
    pub struct StartLoggingRequest {
        pub name: String,
    }
}

shape! {
    pub struct StartLoggingResponse {}
}

shape! {
    pub struct StopLoggingRequest {
        pub name: String,
    }
}

shape! {
    pub struct StopLoggingResponse {}
}

shape! {
    pub struct DataResource {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub r#type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub values: Option<Vec<String>>,
    }
}

shape! {
    /// A basic event selector.
    pub struct EventSelector {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_write_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub include_management_events: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub data_resources: Option<Vec<DataResource>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub exclude_management_event_sources: Option<Vec<String>>,
    }
}

shape! {
    /// One condition of an advanced event selector.
    pub struct AdvancedFieldSelector {
        pub field: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub equals: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub starts_with: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub ends_with: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub not_equals: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub not_starts_with: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub not_ends_with: Option<Vec<String>>,
    }
}

shape! {
    pub struct AdvancedEventSelector {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(default)]
        pub field_selectors: Vec<AdvancedFieldSelector>,
    }
}

shape! {
    pub struct PutEventSelectorsRequest {
        pub trail_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_selectors: Option<Vec<EventSelector>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    }
}

shape! {
    pub struct PutEventSelectorsResponse {
        #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
        pub trail_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_selectors: Option<Vec<EventSelector>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
    }
}

shape! {
    pub struct GetEventSelectorsRequest {
        pub trail_name: String,
    }
}

pub type GetEventSelectorsResponse = PutEventSelectorsResponse;

shape! {
    pub struct InsightSelector {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub insight_type: Option<String>,
    }
}

shape! {
    pub struct PutInsightSelectorsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trail_name: Option<String>,
        #[serde(default)]
        pub insight_selectors: Vec<InsightSelector>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub insights_destination: Option<String>,
    }
}

shape! {
    pub struct PutInsightSelectorsResponse {
        #[serde(rename = "TrailARN", skip_serializing_if = "Option::is_none")]
        pub trail_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub insight_selectors: Option<Vec<InsightSelector>>,
    }
}

shape! {
    pub struct GetInsightSelectorsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub trail_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store: Option<String>,
    }
}

pub type GetInsightSelectorsResponse = PutInsightSelectorsResponse;

shape! {
    pub struct AddTagsRequest {
        pub resource_id: String,
        #[serde(default)]
        pub tags_list: Vec<Tag>,
    }
}

shape! {
    pub struct AddTagsResponse {}
}

shape! {
    pub struct RemoveTagsRequest {
        pub resource_id: String,
        #[serde(default)]
        pub tags_list: Vec<Tag>,
    }
}

shape! {
    pub struct RemoveTagsResponse {}
}

shape! {
    pub struct ListTagsRequest {
        #[serde(default)]
        pub resource_id_list: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct ResourceTag {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub resource_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags_list: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct ListTagsResponse {
        #[serde(default)]
        pub resource_tag_list: Vec<ResourceTag>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct LookupAttribute {
        pub attribute_key: String,
        pub attribute_value: String,
    }
}

shape! {
    pub struct LookupEventsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub lookup_attributes: Option<Vec<LookupAttribute>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub end_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_category: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_results: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct Resource {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub resource_type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub resource_name: Option<String>,
    }
}

shape! {
    /// One event of LookupEvents. `ReadOnly` is the string `"true"` or `"false"`.
    pub struct Event {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub access_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_source: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub username: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub resources: Option<Vec<Resource>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub cloud_trail_event: Option<String>,
    }
}

shape! {
    pub struct LookupEventsResponse {
        #[serde(default)]
        pub events: Vec<Event>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_aws() {
        let r = CreateTrailResponse {
            trail_arn: Some("a".into()),
            sns_topic_arn: Some("b".into()),
            cloud_watch_logs_log_group_arn: Some("c".into()),
            s3_bucket_name: Some("d".into()),
            ..Default::default()
        };
        let v = serde_json::to_value(&r).unwrap(); // plain struct, cannot fail
        assert_eq!(
            v,
            serde_json::json!({"S3BucketName":"d","SnsTopicARN":"b","TrailARN":"a","CloudWatchLogsLogGroupArn":"c"})
        );
        let d = DescribeTrailsRequest {
            trail_name_list: Some(vec![]),
            include_shadow_trails: Some(true),
        };
        let v = serde_json::to_value(&d).unwrap(); // plain struct, cannot fail
        assert_eq!(
            v,
            serde_json::json!({"trailNameList": [], "includeShadowTrails": true})
        );
        let dr = DataResource {
            r#type: Some("AWS::S3::Object".into()),
            values: None,
        };
        assert_eq!(
            serde_json::to_value(&dr).unwrap(),
            serde_json::json!({"Type":"AWS::S3::Object"})
        ); // cannot fail
    }
}
