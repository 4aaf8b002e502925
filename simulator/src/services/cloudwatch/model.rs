//! CloudWatch request and response shapes with the member names of the AWS API
//! (`MetricData`, `AlarmName`, `OKActions`, `ResourceARN`). Request members are optional
//! here and checked by the operations, so a missing one gets CloudWatch's own
//! `MissingParameter` message; numbers, booleans and lists also accept the query
//! protocol's text forms ([`super::lenient`]). Timestamps in responses are epoch seconds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

shape! {
    pub struct Empty {}
}

shape! {
    /// A metric dimension. Both members are required by the API; empty ones are reported
    /// by the operation that received them.
    pub struct Dimension {
        #[serde(default)]
        pub name: String,
        #[serde(default)]
        pub value: String,
    }
}

shape! {
    /// A ListMetrics dimension filter: a name, and a value to match if given.
    pub struct DimensionFilter {
        #[serde(default)]
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub value: Option<String>,
    }
}

shape! {
    pub struct StatisticSet {
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub sample_count: Option<f64>,
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub sum: Option<f64>,
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub minimum: Option<f64>,
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub maximum: Option<f64>,
    }
}

shape! {
    pub struct MetricDatum {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<Dimension>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub timestamp: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub value: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic_values: Option<StatisticSet>,
        #[serde(default, deserialize_with = "lenient::f64_vec_opt", skip_serializing_if = "Option::is_none")]
        pub values: Option<Vec<f64>>,
        #[serde(default, deserialize_with = "lenient::f64_vec_opt", skip_serializing_if = "Option::is_none")]
        pub counts: Option<Vec<f64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub storage_resolution: Option<i64>,
    }
}

shape! {
    /// Metric data with an entity (kept as given; entities are not modelled).
    pub struct EntityMetricData {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub entity: Option<Value>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub metric_data: Option<Vec<MetricDatum>>,
    }
}

shape! {
    pub struct PutMetricDataRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub metric_data: Option<Vec<MetricDatum>>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub entity_metric_data: Option<Vec<EntityMetricData>>,
        #[serde(default, deserialize_with = "lenient::bool_opt", skip_serializing_if = "Option::is_none")]
        pub strict_entity_validation: Option<bool>,
    }
}

shape! {
    /// A metric: in ListMetrics answers and inside `MetricStat`.
    pub struct Metric {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<Dimension>>,
    }
}

shape! {
    pub struct MetricStat {
        #[serde(default)]
        pub metric: Metric,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub stat: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
    }
}

shape! {
    /// One query of GetMetricData, or one entry of an alarm's `Metrics`.
    pub struct MetricDataQuery {
        #[serde(default)]
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_stat: Option<MetricStat>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expression: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub label: Option<String>,
        #[serde(default, deserialize_with = "lenient::bool_opt", skip_serializing_if = "Option::is_none")]
        pub return_data: Option<bool>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub account_id: Option<String>,
    }
}

shape! {
    pub struct GetMetricStatisticsRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<Dimension>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub start_time: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub end_time: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub statistics: Option<Vec<String>>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub extended_statistics: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
    }
}

shape! {
    pub struct Datapoint {
        pub timestamp: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sample_count: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub average: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub sum: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub minimum: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub maximum: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
        /// `{"p99": 12.0}`, in the order requested.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub extended_statistics: Option<serde_json::Map<String, Value>>,
    }
}

shape! {
    pub struct GetMetricStatisticsResponse {
        pub label: String,
        pub datapoints: Vec<Datapoint>,
    }
}

shape! {
    pub struct GetMetricDataRequest {
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub metric_data_queries: Option<Vec<MetricDataQuery>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub start_time: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub end_time: Option<DateTime<Utc>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scan_by: Option<String>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub max_datapoints: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub label_options: Option<Value>,
    }
}

shape! {
    pub struct MessageData {
        pub code: String,
        pub value: String,
    }
}

shape! {
    pub struct MetricDataResult {
        pub id: String,
        pub label: String,
        pub timestamps: Vec<f64>,
        pub values: Vec<f64>,
        pub status_code: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub messages: Option<Vec<MessageData>>,
    }
}

shape! {
    pub struct GetMetricDataResponse {
        pub metric_data_results: Vec<MetricDataResult>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        pub messages: Vec<MessageData>,
    }
}

shape! {
    pub struct ListMetricsRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<DimensionFilter>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub recently_active: Option<String>,
        #[serde(default, deserialize_with = "lenient::bool_opt", skip_serializing_if = "Option::is_none")]
        pub include_linked_accounts: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub owning_account: Option<String>,
    }
}

shape! {
    pub struct ListMetricsResponse {
        pub metrics: Vec<Metric>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub owning_accounts: Option<Vec<String>>,
    }
}

shape! {
    pub struct Tag {
        #[serde(default)]
        pub key: String,
        #[serde(default)]
        pub value: String,
    }
}

shape! {
    pub struct PutMetricAlarmRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_description: Option<String>,
        #[serde(default, deserialize_with = "lenient::bool_opt", skip_serializing_if = "Option::is_none")]
        pub actions_enabled: Option<bool>,
        #[serde(rename = "OKActions", default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub ok_actions: Option<Vec<String>>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub alarm_actions: Option<Vec<String>>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub insufficient_data_actions: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extended_statistic: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<Dimension>>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub evaluation_periods: Option<i64>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub datapoints_to_alarm: Option<i64>,
        #[serde(default, deserialize_with = "lenient::f64_opt", skip_serializing_if = "Option::is_none")]
        pub threshold: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub comparison_operator: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub treat_missing_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluate_low_sample_count_percentile: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub metrics: Option<Vec<MetricDataQuery>>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub threshold_metric_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_window: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub warm_up_configuration: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_criteria: Option<Value>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub evaluation_interval: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub action_configuration: Option<Value>,
    }
}

shape! {
    /// A metric alarm as DescribeAlarms answers it (and as it is stored).
    pub struct MetricAlarm {
        #[serde(default)]
        pub alarm_name: String,
        #[serde(default)]
        pub alarm_arn: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_description: Option<String>,
        #[serde(default)]
        pub alarm_configuration_updated_timestamp: f64,
        #[serde(default)]
        pub actions_enabled: bool,
        #[serde(rename = "OKActions", default)]
        pub ok_actions: Vec<String>,
        #[serde(default)]
        pub alarm_actions: Vec<String>,
        #[serde(default)]
        pub insufficient_data_actions: Vec<String>,
        #[serde(default)]
        pub state_value: String,
        #[serde(default)]
        pub state_reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_reason_data: Option<String>,
        #[serde(default)]
        pub state_updated_timestamp: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extended_statistic: Option<String>,
        #[serde(default)]
        pub dimensions: Vec<Dimension>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
        #[serde(default)]
        pub evaluation_periods: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub datapoints_to_alarm: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub threshold: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub comparison_operator: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub treat_missing_data: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluate_low_sample_count_percentile: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metrics: Option<Vec<MetricDataQuery>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub threshold_metric_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_state: Option<String>,
        #[serde(default)]
        pub state_transitioned_timestamp: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_window: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub warm_up_configuration: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_criteria: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub evaluation_interval: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub action_configuration: Option<Value>,
    }
}

shape! {
    pub struct DescribeAlarmsRequest {
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub alarm_names: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_name_prefix: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub alarm_types: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub children_of_alarm_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parents_of_alarm_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_value: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub action_prefix: Option<String>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub max_records: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct DescribeAlarmsResponse {
        pub composite_alarms: Vec<Value>,
        pub metric_alarms: Vec<MetricAlarm>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct DescribeAlarmsForMetricRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub metric_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub namespace: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub statistic: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extended_statistic: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub dimensions: Option<Vec<Dimension>>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub period: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub unit: Option<String>,
    }
}

shape! {
    pub struct DescribeAlarmsForMetricResponse {
        pub metric_alarms: Vec<MetricAlarm>,
    }
}

shape! {
    /// DeleteAlarms, EnableAlarmActions and DisableAlarmActions.
    pub struct AlarmNamesRequest {
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub alarm_names: Option<Vec<String>>,
    }
}

shape! {
    pub struct SetAlarmStateRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_value: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_reason: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_reason_data: Option<String>,
    }
}

shape! {
    pub struct DescribeAlarmHistoryRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub alarm_contributor_id: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub alarm_types: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub history_item_type: Option<String>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub start_date: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::time_opt", skip_serializing_if = "Option::is_none")]
        pub end_date: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "lenient::i64_opt", skip_serializing_if = "Option::is_none")]
        pub max_records: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub scan_by: Option<String>,
    }
}

shape! {
    pub struct AlarmHistoryItem {
        pub alarm_name: String,
        pub alarm_type: String,
        pub timestamp: f64,
        pub history_item_type: String,
        pub history_summary: String,
        pub history_data: String,
    }
}

shape! {
    pub struct DescribeAlarmHistoryResponse {
        pub alarm_history_items: Vec<AlarmHistoryItem>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub next_token: Option<String>,
    }
}

shape! {
    pub struct TagResourceRequest {
        #[serde(rename = "ResourceARN", default, skip_serializing_if = "Option::is_none")]
        pub resource_arn: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct UntagResourceRequest {
        #[serde(rename = "ResourceARN", default, skip_serializing_if = "Option::is_none")]
        pub resource_arn: Option<String>,
        #[serde(default, deserialize_with = "lenient::vec_opt", skip_serializing_if = "Option::is_none")]
        pub tag_keys: Option<Vec<String>>,
    }
}

shape! {
    pub struct ListTagsForResourceRequest {
        #[serde(rename = "ResourceARN", default, skip_serializing_if = "Option::is_none")]
        pub resource_arn: Option<String>,
    }
}

shape! {
    pub struct ListTagsForResourceResponse {
        pub tags: Vec<Tag>,
    }
}
