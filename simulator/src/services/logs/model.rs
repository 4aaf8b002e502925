//! CloudWatch Logs request and response shapes. The CloudWatch Logs JSON protocol uses
//! camelCase member names (`logGroupName`, `retentionInDays`); timestamps are epoch
//! milliseconds (`creationTime`, `timestamp`), as on the real wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub type Tags = BTreeMap<String, String>;

camel_shape! {
    /// A log group as DescribeLogGroups returns it (and as the store holds it).
    pub struct LogGroup {
        pub log_group_name: String,
        pub creation_time: i64,
        pub retention_in_days: Option<i64>,
        pub metric_filter_count: i64,
        /// `arn:aws:logs:R:A:log-group:NAME:*`.
        pub arn: String,
        pub stored_bytes: i64,
        pub kms_key_id: Option<String>,
        pub log_group_class: String,
        /// The ARN without the trailing `:*`.
        pub log_group_arn: String,
    }
}

camel_shape! {
    pub struct LogStream {
        pub log_stream_name: String,
        pub creation_time: i64,
        pub first_event_timestamp: Option<i64>,
        pub last_event_timestamp: Option<i64>,
        pub last_ingestion_time: Option<i64>,
        pub upload_sequence_token: Option<String>,
        pub arn: String,
        pub stored_bytes: i64,
    }
}

camel_shape! {
    pub struct InputLogEvent {
        pub timestamp: i64,
        pub message: String,
    }
}

camel_shape! {
    pub struct OutputLogEvent {
        pub timestamp: i64,
        pub message: String,
        pub ingestion_time: i64,
    }
}

camel_shape! {
    /// The events of one stream, in the store (kind `events`).
    pub struct StoredEvents {
        pub events: Vec<OutputLogEvent>,
    }
}

camel_shape! {
    pub struct EmptyResponse {}
}

camel_shape! {
    pub struct CreateLogGroupRequest {
        pub log_group_name: String,
        pub kms_key_id: Option<String>,
        pub tags: Option<Tags>,
        pub log_group_class: Option<String>,
    }
}

camel_shape! {
    pub struct LogGroupNameRequest {
        pub log_group_name: String,
    }
}

camel_shape! {
    pub struct DescribeLogGroupsRequest {
        pub account_identifiers: Option<Vec<String>>,
        pub log_group_name_prefix: Option<String>,
        pub log_group_name_pattern: Option<String>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
        pub include_linked_accounts: Option<bool>,
        pub log_group_class: Option<String>,
    }
}

camel_shape! {
    pub struct DescribeLogGroupsResponse {
        pub log_groups: Vec<LogGroup>,
    }
}

camel_shape! {
    pub struct PutRetentionPolicyRequest {
        pub log_group_name: String,
        pub retention_in_days: i64,
    }
}

camel_shape! {
    pub struct AssociateKmsKeyRequest {
        pub log_group_name: String,
        pub kms_key_id: String,
    }
}

camel_shape! {
    pub struct CreateLogStreamRequest {
        pub log_group_name: String,
        pub log_stream_name: String,
    }
}

pub type DeleteLogStreamRequest = CreateLogStreamRequest;

camel_shape! {
    pub struct DescribeLogStreamsRequest {
        pub log_group_name: Option<String>,
        pub log_group_identifier: Option<String>,
        pub log_stream_name_prefix: Option<String>,
        pub order_by: Option<String>,
        pub descending: Option<bool>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
    }
}

camel_shape! {
    pub struct DescribeLogStreamsResponse {
        pub log_streams: Vec<LogStream>,
    }
}

camel_shape! {
    pub struct PutLogEventsRequest {
        pub log_group_name: String,
        pub log_stream_name: String,
        pub log_events: Vec<InputLogEvent>,
        pub sequence_token: Option<String>,
    }
}

camel_shape! {
    pub struct RejectedLogEventsInfo {
        pub too_new_log_event_start_index: Option<i64>,
        pub too_old_log_event_end_index: Option<i64>,
        pub expired_log_event_end_index: Option<i64>,
    }
}

camel_shape! {
    pub struct PutLogEventsResponse {
        pub next_sequence_token: String,
        pub rejected_log_events_info: Option<RejectedLogEventsInfo>,
    }
}

camel_shape! {
    pub struct GetLogEventsRequest {
        pub log_group_name: Option<String>,
        pub log_group_identifier: Option<String>,
        pub log_stream_name: String,
        pub start_time: Option<i64>,
        pub end_time: Option<i64>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
        pub start_from_head: Option<bool>,
    }
}

camel_shape! {
    pub struct GetLogEventsResponse {
        pub events: Vec<OutputLogEvent>,
        pub next_forward_token: String,
        pub next_backward_token: String,
    }
}

camel_shape! {
    pub struct FilterLogEventsRequest {
        pub log_group_name: Option<String>,
        pub log_group_identifier: Option<String>,
        pub log_stream_names: Option<Vec<String>>,
        pub log_stream_name_prefix: Option<String>,
        pub start_time: Option<i64>,
        pub end_time: Option<i64>,
        pub filter_pattern: Option<String>,
        pub next_token: Option<String>,
        pub limit: Option<i64>,
    }
}

camel_shape! {
    pub struct FilteredLogEvent {
        pub log_stream_name: String,
        pub timestamp: i64,
        pub message: String,
        pub ingestion_time: i64,
        pub event_id: String,
    }
}

camel_shape! {
    pub struct SearchedLogStream {
        pub log_stream_name: String,
        pub searched_completely: bool,
    }
}

camel_shape! {
    pub struct FilterLogEventsResponse {
        pub events: Vec<FilteredLogEvent>,
        pub searched_log_streams: Vec<SearchedLogStream>,
    }
}

camel_shape! {
    pub struct TagResourceRequest {
        pub resource_arn: String,
        pub tags: Tags,
    }
}

camel_shape! {
    pub struct UntagResourceRequest {
        pub resource_arn: String,
        pub tag_keys: Vec<String>,
    }
}

camel_shape! {
    pub struct ListTagsForResourceRequest {
        pub resource_arn: String,
    }
}

camel_shape! {
    pub struct TagsResponse {
        pub tags: Tags,
    }
}

camel_shape! {
    pub struct TagLogGroupRequest {
        pub log_group_name: String,
        pub tags: Tags,
    }
}

camel_shape! {
    pub struct UntagLogGroupRequest {
        pub log_group_name: String,
        pub tags: Vec<String>,
    }
}
