//! CloudTrail Lake request and response shapes (AWS JSON 1.1 member names). Timestamps are
//! epoch seconds (`f64`), as on the wire.

use serde::{Deserialize, Serialize};

use super::model::{AdvancedEventSelector, Tag};

shape! {
    pub struct CreateEventDataStoreRequest {
        pub name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub multi_region_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub organization_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub retention_period: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub termination_protection_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags_list: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_ingestion: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub billing_mode: Option<String>,
    }
}

shape! {
    /// An event data store as Create, Get, Update and Restore return it.
    pub struct EventDataStoreDescription {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_arn: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub multi_region_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub organization_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub retention_period: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub termination_protection_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags_list: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub created_timestamp: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub updated_timestamp: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub billing_mode: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub federation_status: Option<String>,
    }
}

shape! {
    /// Get, Delete, Restore, StartIngestion and StopIngestion name one store.
    pub struct EventDataStoreRef {
        pub event_data_store: String,
    }
}

shape! {
    pub struct UpdateEventDataStoreRequest {
        pub event_data_store: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub advanced_event_selectors: Option<Vec<AdvancedEventSelector>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub multi_region_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub organization_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub retention_period: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub termination_protection_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub kms_key_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub billing_mode: Option<String>,
    }
}

shape! {
    pub struct ListEventDataStoresRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_results: Option<i64>,
    }
}

shape! {
    pub struct ListEventDataStoresResponse {
        pub event_data_stores: Vec<EventDataStoreDescription>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    /// The empty response of Delete, StartIngestion and StopIngestion.
    pub struct EmptyResponse {}
}

shape! {
    pub struct StartQueryRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_statement: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub delivery_s3_uri: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_alias: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_parameters: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct StartQueryResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct QueryRef {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store: Option<String>,
        pub query_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct DescribeQueryRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_alias: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub refresh_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct QueryStatisticsForDescribeQuery {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub events_matched: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub events_scanned: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bytes_scanned: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub execution_time_in_millis: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub creation_time: Option<f64>,
    }
}

shape! {
    pub struct DescribeQueryResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_string: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_statistics: Option<QueryStatisticsForDescribeQuery>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_message: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub delivery_s3_uri: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub delivery_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub prompt: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct GetQueryResultsRequest {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store: Option<String>,
        pub query_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_query_results: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct QueryStatistics {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub results_count: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub total_results_count: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub bytes_scanned: Option<i64>,
    }
}

shape! {
    pub struct GetQueryResultsResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_statistics: Option<QueryStatistics>,
        pub query_result_rows: Vec<Vec<serde_json::Map<String, serde_json::Value>>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error_message: Option<String>,
    }
}

shape! {
    pub struct CancelQueryResponse {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub event_data_store_owner_account_id: Option<String>,
    }
}

shape! {
    pub struct ListQueriesRequest {
        pub event_data_store: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub max_results: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub start_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub end_time: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_status: Option<String>,
    }
}

shape! {
    pub struct QueryInfo {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub query_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub creation_time: Option<f64>,
    }
}

shape! {
    pub struct ListQueriesResponse {
        pub queries: Vec<QueryInfo>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}
