//! Behaviour of the CloudWatch service: metrics through the simulator facade, alarm
//! evaluation on the simulator clock, and the pure evaluation rules.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::evaluate::{Decision, State, Treat, decide, java_double};
use super::model::Dimension;
use super::{AlarmAction, evaluate_alarms, evaluation_pending, record_datapoint};
use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alarms";

/// 3 December 2026, 10:00:00 UTC.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap() // literal date, valid
}

fn secs(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64
}

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(t0()).unwrap(); // test setup
    sim.invoke(&ctx(), "sns", "CreateTopic", json!({"Name": "alarms"}))
        .unwrap(); // the topic alarms notify
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&ctx(), "cloudwatch", op, req)
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    match call(sim, op, req) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

fn err(sim: &Simulator, op: &str, req: Value) -> AwsError {
    match call(sim, op, req) {
        Ok(v) => panic!("{op} should fail, got {v}"),
        Err(e) => e,
    }
}

/// Moves the clock without running the work that falls due, so each test decides when
/// alarms are evaluated.
fn set_time(sim: &Simulator, t: DateTime<Utc>) {
    sim.run_unrecorded(|env| Ok(env.db.set_clock(crate::clock::Clock::Fixed(t))?))
        .unwrap(); // test clock
}

fn put(sim: &Simulator, name: &str, value: f64, at: DateTime<Utc>) {
    ok(
        sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": name, "Value": value, "Timestamp": secs(at)}
        ]}),
    );
}

fn evaluate(sim: &Simulator) -> Vec<AlarmAction> {
    sim.run_unrecorded(evaluate_alarms).unwrap() // test store
}

fn alarm(sim: &Simulator, name: &str) -> Value {
    let r = ok(sim, "DescribeAlarms", json!({"AlarmNames": [name]}));
    r["MetricAlarms"][0].clone()
}

fn history(sim: &Simulator, name: &str, kind: &str) -> Vec<Value> {
    let r = ok(
        sim,
        "DescribeAlarmHistory",
        json!({"AlarmName": name, "HistoryItemType": kind, "ScanBy": "TimestampAscending"}),
    );
    r["AlarmHistoryItems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn simple_alarm(sim: &Simulator, name: &str, extra: Value) {
    let mut req = json!({
        "AlarmName": name,
        "Namespace": "App",
        "MetricName": "Errors",
        "Statistic": "Maximum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [TOPIC],
        "OKActions": [TOPIC],
    });
    if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            r.insert(k.clone(), v.clone());
        }
    }
    ok(sim, "PutMetricAlarm", req);
}

// ---- metrics ----

#[test]
fn statistics_aggregate_data_points_per_period() {
    let (_d, sim) = sim();
    for (i, v) in [1.0, 4.0, 2.0, 8.0, 5.0, 6.0].iter().enumerate() {
        put(&sim, "Latency", *v, t0() + Duration::minutes(i as i64));
    }
    set_time(&sim, t0() + Duration::minutes(10));
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "Latency", "StartTime": secs(t0()),
               "EndTime": secs(t0() + Duration::minutes(10)), "Period": 180,
               "Statistics": ["SampleCount", "Sum", "Average", "Minimum", "Maximum"]}),
    );
    assert_eq!(r["Label"], "Latency");
    assert_eq!(
        r["Datapoints"],
        json!([
            {"Timestamp": secs(t0()), "SampleCount": 3.0, "Average": 7.0 / 3.0, "Sum": 7.0,
             "Minimum": 1.0, "Maximum": 4.0, "Unit": "None"},
            {"Timestamp": secs(t0() + Duration::minutes(3)), "SampleCount": 3.0,
             "Average": 19.0 / 3.0, "Sum": 19.0, "Minimum": 5.0, "Maximum": 8.0, "Unit": "None"},
        ])
    );
}

#[test]
fn statistic_sets_and_values_with_counts_are_aggregated_together() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Size", "StatisticValues": {"SampleCount": 4, "Sum": 20, "Minimum": 2, "Maximum": 9},
             "Unit": "Bytes", "Timestamp": secs(t0())},
            {"MetricName": "Size", "Values": [1, 10], "Counts": [2, 1], "Unit": "Bytes",
             "Timestamp": secs(t0() + Duration::seconds(30))}
        ]}),
    );
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "Size", "StartTime": secs(t0()),
               "EndTime": secs(t0() + Duration::minutes(1)), "Period": 60, "Unit": "Bytes",
               "Statistics": ["SampleCount", "Sum", "Minimum", "Maximum"]}),
    );
    assert_eq!(
        r["Datapoints"][0],
        json!({"Timestamp": secs(t0()), "SampleCount": 7.0, "Sum": 32.0, "Minimum": 1.0,
               "Maximum": 10.0, "Unit": "Bytes"})
    );
}

#[test]
fn percentiles_and_trimmed_statistics_come_from_the_stored_values() {
    let (_d, sim) = sim();
    let values: Vec<f64> = (1..=100).map(f64::from).collect();
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Latency", "Values": values[..50], "Timestamp": secs(t0())},
            {"MetricName": "Latency", "Values": values[50..], "Timestamp": secs(t0() + Duration::minutes(1))}
        ]}),
    );
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "Latency", "StartTime": secs(t0()),
               "EndTime": secs(t0() + Duration::minutes(2)), "Period": 120,
               "ExtendedStatistics": ["p50", "p90", "p99", "p100", "tm90", "TC(:10)", "PR(:25)", "IQM"]}),
    );
    assert_eq!(
        r["Datapoints"][0]["ExtendedStatistics"],
        json!({"p50": 50.0, "p90": 90.0, "p99": 99.0, "p100": 100.0, "tm90": 45.5,
               "TC(:10)": 10.0, "PR(:25)": 25.0, "IQM": 50.5})
    );
}

#[test]
fn percentiles_are_unavailable_for_statistic_sets_that_hide_their_values() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Set", "StatisticValues": {"SampleCount": 3, "Sum": 6, "Minimum": 1, "Maximum": 3},
             "Timestamp": secs(t0())},
            {"MetricName": "Same", "StatisticValues": {"SampleCount": 3, "Sum": 6, "Minimum": 2, "Maximum": 2},
             "Timestamp": secs(t0())}
        ]}),
    );
    let get = |name: &str| {
        ok(
            &sim,
            "GetMetricStatistics",
            json!({"Namespace": "App", "MetricName": name, "StartTime": secs(t0()),
                   "EndTime": secs(t0() + Duration::minutes(1)), "Period": 60,
                   "ExtendedStatistics": ["p50"]}),
        )["Datapoints"][0]["ExtendedStatistics"]
            .clone()
    };
    assert_eq!(get("Set"), json!({}));
    assert_eq!(get("Same"), json!({"p50": 2.0}));
}

#[test]
fn units_are_aggregated_apart_and_filtered() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Load", "Value": 1, "Unit": "Percent", "Timestamp": secs(t0())},
            {"MetricName": "Load", "Value": 7, "Unit": "Count", "Timestamp": secs(t0())}
        ]}),
    );
    let get = |unit: Option<&str>| {
        let mut req = json!({"Namespace": "App", "MetricName": "Load", "StartTime": secs(t0()),
            "EndTime": secs(t0() + Duration::minutes(1)), "Period": 60, "Statistics": ["Sum"]});
        if let Some(u) = unit {
            req["Unit"] = json!(u);
        }
        ok(&sim, "GetMetricStatistics", req)["Datapoints"].clone()
    };
    assert_eq!(get(None).as_array().map(Vec::len), Some(2));
    assert_eq!(
        get(Some("Percent")),
        json!([{"Timestamp": secs(t0()), "Sum": 1.0, "Unit": "Percent"}])
    );
    assert_eq!(get(Some("Seconds")), json!([]));
}

#[test]
fn dimension_order_does_not_make_another_metric() {
    let (_d, sim) = sim();
    let dims_ab = json!([{"Name": "A", "Value": "1"}, {"Name": "B", "Value": "2"}]);
    let dims_ba = json!([{"Name": "B", "Value": "2"}, {"Name": "A", "Value": "1"}]);
    for dims in [&dims_ab, &dims_ba] {
        ok(
            &sim,
            "PutMetricData",
            json!({"Namespace": "App", "MetricData": [
                {"MetricName": "Hits", "Dimensions": dims, "Value": 1, "Timestamp": secs(t0())}]}),
        );
    }
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "Hits", "Dimensions": dims_ba,
               "StartTime": secs(t0()), "EndTime": secs(t0() + Duration::minutes(1)),
               "Period": 60, "Statistics": ["Sum"]}),
    );
    assert_eq!(r["Datapoints"][0]["Sum"], 2.0);
    let listed = ok(&sim, "ListMetrics", json!({"Namespace": "App"}));
    assert_eq!(
        listed["Metrics"],
        json!([{"Namespace": "App", "MetricName": "Hits", "Dimensions": dims_ab}])
    );
}

#[test]
fn list_metrics_filters_by_name_dimension_and_recent_activity() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Old", "Value": 1},
            {"MetricName": "Hits", "Dimensions": [{"Name": "Host", "Value": "a"}], "Value": 1},
            {"MetricName": "Hits", "Dimensions": [{"Name": "Host", "Value": "b"}], "Value": 1}
        ]}),
    );
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "Other", "MetricData": [{"MetricName": "Hits", "Value": 1}]}),
    );
    set_time(&sim, t0() + Duration::hours(4));
    put(&sim, "Fresh", 1.0, t0() + Duration::hours(4));
    let names = |req: Value| -> Vec<String> {
        ok(&sim, "ListMetrics", req)["Metrics"]
            .as_array()
            .unwrap() // ListMetrics answers a list
            .iter()
            .map(|m| {
                format!(
                    "{}/{}{}",
                    m["Namespace"].as_str().unwrap_or_default(),
                    m["MetricName"].as_str().unwrap_or_default(),
                    m["Dimensions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|d| format!(
                            " {}={}",
                            d["Name"].as_str().unwrap_or_default(),
                            d["Value"].as_str().unwrap_or_default()
                        ))
                        .collect::<String>()
                )
            })
            .collect()
    };
    assert_eq!(
        names(json!({})),
        [
            "App/Fresh",
            "App/Hits Host=a",
            "App/Hits Host=b",
            "App/Old",
            "Other/Hits"
        ]
    );
    assert_eq!(
        names(
            json!({"Namespace": "App", "MetricName": "Hits", "Dimensions": [{"Name": "Host", "Value": "b"}]})
        ),
        ["App/Hits Host=b"]
    );
    assert_eq!(
        names(json!({"Dimensions": [{"Name": "Host"}]})),
        ["App/Hits Host=a", "App/Hits Host=b"]
    );
    assert_eq!(names(json!({"RecentlyActive": "PT3H"})), ["App/Fresh"]);
}

#[test]
fn get_metric_data_answers_queries_expressions_and_pages() {
    let (_d, sim) = sim();
    for i in 0..4 {
        let at = t0() + Duration::minutes(i);
        ok(
            &sim,
            "PutMetricData",
            json!({"Namespace": "App", "MetricData": [
                {"MetricName": "Errors", "Value": i, "Timestamp": secs(at)},
                {"MetricName": "Requests", "Value": 10, "Timestamp": secs(at)}
            ]}),
        );
    }
    let req = json!({
        "StartTime": secs(t0()), "EndTime": secs(t0() + Duration::minutes(4)),
        "MetricDataQueries": [
            {"Id": "e", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Errors"}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "r", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Requests"}, "Period": 60, "Stat": "Sum"}},
            {"Id": "rate", "Expression": "100 * e / r", "Label": "Error rate"}
        ]
    });
    let r = ok(&sim, "GetMetricData", req.clone());
    let t = |m: i64| secs(t0() + Duration::minutes(m));
    assert_eq!(
        r["MetricDataResults"],
        json!([
            {"Id": "r", "Label": "Requests", "Timestamps": [t(3), t(2), t(1), t(0)],
             "Values": [10.0, 10.0, 10.0, 10.0], "StatusCode": "Complete"},
            {"Id": "rate", "Label": "Error rate", "Timestamps": [t(3), t(2), t(1), t(0)],
             "Values": [30.0, 20.0, 10.0, 0.0], "StatusCode": "Complete"}
        ])
    );
    let mut paged = req.clone();
    paged["MaxDatapoints"] = json!(3);
    paged["ScanBy"] = json!("TimestampAscending");
    let first = ok(&sim, "GetMetricData", paged.clone());
    assert_eq!(first["MetricDataResults"].as_array().map(Vec::len), Some(1));
    assert_eq!(first["MetricDataResults"][0]["StatusCode"], "PartialData");
    assert_eq!(
        first["MetricDataResults"][0]["Values"],
        json!([10.0, 10.0, 10.0])
    );
    paged["NextToken"] = first["NextToken"].clone();
    let second = ok(&sim, "GetMetricData", paged.clone());
    assert_eq!(second["MetricDataResults"][0]["Values"], json!([10.0]));
    assert_eq!(second["MetricDataResults"][1]["Values"], json!([0.0, 10.0]));
    assert_eq!(second["MetricDataResults"][1]["StatusCode"], "PartialData");
    paged["NextToken"] = second["NextToken"].clone();
    let third = ok(&sim, "GetMetricData", paged);
    assert_eq!(third["MetricDataResults"][0]["Values"], json!([20.0, 30.0]));
    assert!(third.get("NextToken").is_none(), "{third}");
}

#[test]
fn get_metric_data_refuses_what_it_cannot_answer() {
    let (_d, sim) = sim();
    let base = |queries: Value| {
        json!({"StartTime": secs(t0()), "EndTime": secs(t0() + Duration::minutes(5)),
               "MetricDataQueries": queries})
    };
    let e = err(
        &sim,
        "GetMetricData",
        base(json!([{"Id": "m1", "Expression": "ANOMALY_DETECTION_BAND(m2)"}])),
    );
    assert_eq!(e.code, "ValidationError");
    assert!(e.message.contains("ANOMALY_DETECTION_BAND"), "{e}");
    let e = err(
        &sim,
        "GetMetricData",
        base(json!([{"Id": "M1", "Expression": "1"}])),
    );
    assert_eq!(e.code, "ValidationError");
    let e = err(
        &sim,
        "GetMetricData",
        base(json!([{"Id": "a", "Expression": "b"}, {"Id": "b", "Expression": "a"}])),
    );
    assert_eq!(e.code, "ValidationError");
    let e = err(
        &sim,
        "GetMetricData",
        json!({"StartTime": secs(t0()), "EndTime": secs(t0()), "MetricDataQueries": [{"Id": "a", "Expression": "1"}]}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    let e = err(
        &sim,
        "GetMetricData",
        base(json!([{"Id": "a", "Expression": "1"}])).tap_next("x"),
    );
    assert_eq!(e.code, "InvalidNextToken");
}

trait TapNext {
    fn tap_next(self, token: &str) -> Value;
}

impl TapNext for Value {
    fn tap_next(mut self, token: &str) -> Value {
        self["NextToken"] = json!(token);
        self
    }
}

#[test]
fn put_metric_data_rejects_bad_data_with_cloudwatch_errors() {
    let (_d, sim) = sim();
    let put = |ns: &str, datum: Value| {
        err(
            &sim,
            "PutMetricData",
            json!({"Namespace": ns, "MetricData": [datum]}),
        )
    };
    let e = put("AWS/EC2", json!({"MetricName": "x", "Value": 1}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidParameterValue",
            "The value AWS/EC2 for parameter Namespace is invalid."
        )
    );
    let e = put(
        "App",
        json!({"MetricName": "x", "Value": 1, "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    assert_eq!(
        e.message,
        "The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both."
    );
    let dims: Vec<Value> = (0..31)
        .map(|i| json!({"Name": format!("d{i}"), "Value": "v"}))
        .collect();
    let e = put(
        "App",
        json!({"MetricName": "x", "Value": 1, "Dimensions": dims}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    assert!(e.message.contains("greater than 30"), "{e}");
    let e = put("App", json!({"MetricName": "x", "Value": "NaN"}));
    assert_eq!(e.code, "InvalidParameterValue");
    let e = put(
        "App",
        json!({"MetricName": "x", "Value": 1, "Timestamp": secs(t0() - Duration::days(15))}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    assert!(e.message.contains("Timestamp"), "{e}");
    let e = put(
        "App",
        json!({"MetricName": "x", "Values": [1, 2], "Counts": [1]}),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    let e = put(
        "App",
        json!({"MetricName": "x", "Value": 1, "StorageResolution": 5}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    let e = put(
        "App",
        json!({"MetricName": "x", "Value": 1, "Unit": "Parsecs"}),
    );
    assert_eq!(e.code, "ValidationError");
    let e = put("App", json!({"Value": 1}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "MissingParameter",
            "The parameter MetricData.member.1.MetricName is required."
        )
    );
    let e = err(
        &sim,
        "PutMetricData",
        json!({"MetricData": [{"MetricName": "x", "Value": 1}]}),
    );
    assert_eq!(e.code, "MissingParameter");
    // Nothing of a failed call is stored.
    let listed = ok(&sim, "ListMetrics", json!({}));
    assert_eq!(listed["Metrics"], json!([]));
}

#[test]
fn get_metric_statistics_limits_datapoints_and_needs_one_kind_of_statistic() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "x", "StartTime": secs(t0() - Duration::days(2)),
               "EndTime": secs(t0()), "Period": 60, "Statistics": ["Sum"]}),
    );
    assert_eq!(e.code, "InvalidParameterCombination");
    assert_eq!(
        e.message,
        "You have requested up to 2,880 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."
    );
    let e = err(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "x", "StartTime": secs(t0() - Duration::hours(1)),
               "EndTime": secs(t0()), "Period": 60, "Statistics": ["Sum"], "ExtendedStatistics": ["p90"]}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidParameterCombination",
            "Must specify either Statistics or ExtendedStatistics, but not both."
        )
    );
    let e = err(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "x", "StartTime": secs(t0() - Duration::hours(1)),
               "EndTime": secs(t0()), "Period": 90, "Statistics": ["Sum"]}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
}

#[test]
fn high_resolution_data_answers_sub_minute_periods() {
    let (_d, sim) = sim();
    for s in [0, 5, 12, 25] {
        ok(
            &sim,
            "PutMetricData",
            json!({"Namespace": "App", "MetricData": [{"MetricName": "Fast", "Value": 1,
                "StorageResolution": 1, "Timestamp": secs(t0() + Duration::seconds(s))}]}),
        );
    }
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "Fast", "StartTime": secs(t0()),
               "EndTime": secs(t0() + Duration::seconds(30)), "Period": 10, "Statistics": ["SampleCount"]}),
    );
    let counts: Vec<f64> = r["Datapoints"]
        .as_array()
        .unwrap() // a list
        .iter()
        .filter_map(|d| d["SampleCount"].as_f64())
        .collect();
    assert_eq!(counts, [2.0, 1.0, 1.0]);
}

#[test]
fn record_datapoint_stores_data_without_a_cloudtrail_event() {
    let (_d, sim) = sim();
    let before = sim.event_records().unwrap().len(); // test store
    sim.run_unrecorded(|env| {
        record_datapoint(
            env,
            ACCOUNT,
            "us-east-1",
            "AWS/Logs",
            "Matches",
            &[Dimension {
                name: "Group".into(),
                value: "trail".into(),
            }],
            3.0,
            Some("Count"),
            t0(),
        )
    })
    .unwrap(); // valid data point
    assert_eq!(sim.event_records().unwrap().len(), before); // test store
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "AWS/Logs", "MetricName": "Matches", "Dimensions": [{"Name": "Group", "Value": "trail"}],
               "StartTime": secs(t0()), "EndTime": secs(t0() + Duration::minutes(1)), "Period": 60, "Statistics": ["Sum"]}),
    );
    assert_eq!(
        r["Datapoints"],
        json!([{"Timestamp": secs(t0()), "Sum": 3.0, "Unit": "Count"}])
    );
}

#[test]
fn calls_are_recorded_with_the_monitoring_event_source() {
    let (_d, sim) = sim();
    put(&sim, "x", 1.0, t0());
    ok(&sim, "ListMetrics", json!({}));
    let records = sim.event_records().unwrap(); // test store
    let names: Vec<(String, String, bool)> = records
        .iter()
        .filter(|r| r["eventSource"] == "monitoring.amazonaws.com")
        .map(|r| {
            (
                r["eventName"].as_str().unwrap_or_default().to_string(),
                r["awsRegion"].as_str().unwrap_or_default().to_string(),
                r["readOnly"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("PutMetricData".to_string(), "us-east-1".to_string(), false),
            ("ListMetrics".to_string(), "us-east-1".to_string(), true)
        ]
    );
}

// ---- alarms ----

#[test]
fn a_new_alarm_starts_insufficient_data_and_is_described_as_put() {
    let (_d, sim) = sim();
    simple_alarm(
        &sim,
        "errors",
        json!({"AlarmDescription": "too many errors", "Dimensions": [{"Name": "Service", "Value": "api"}],
               "DatapointsToAlarm": 1, "TreatMissingData": "notBreaching", "Unit": "Count"}),
    );
    let a = alarm(&sim, "errors");
    assert_eq!(
        a,
        json!({
            "AlarmName": "errors",
            "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors",
            "AlarmDescription": "too many errors",
            "AlarmConfigurationUpdatedTimestamp": secs(t0()),
            "ActionsEnabled": true,
            "OKActions": [TOPIC],
            "AlarmActions": [TOPIC],
            "InsufficientDataActions": [],
            "StateValue": "INSUFFICIENT_DATA",
            "StateReason": "Unchecked: Initial alarm creation",
            "StateUpdatedTimestamp": secs(t0()),
            "MetricName": "Errors",
            "Namespace": "App",
            "Statistic": "Maximum",
            "Dimensions": [{"Name": "Service", "Value": "api"}],
            "Period": 60,
            "Unit": "Count",
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
            "StateTransitionedTimestamp": secs(t0()),
        })
    );
    let all = ok(&sim, "DescribeAlarms", json!({}));
    assert_eq!(all["CompositeAlarms"], json!([]));
    let created = history(&sim, "errors", "ConfigurationUpdate");
    assert_eq!(created[0]["HistorySummary"], "Alarm \"errors\" created");
    let data: Value =
        serde_json::from_str(created[0]["HistoryData"].as_str().unwrap_or_default()).unwrap(); // history data is JSON
    assert_eq!(data["type"], "Create");
    assert_eq!(data["createdAlarm"]["okactions"], json!([TOPIC]));
    assert_eq!(data["createdAlarm"]["alarmName"], "errors");
}

#[test]
fn crossing_the_threshold_moves_the_alarm_and_notifies_its_topic() {
    let (_d, sim) = sim();
    set_time(&sim, t0() - Duration::minutes(1));
    put(&sim, "Errors", 0.0, t0() - Duration::minutes(1));
    simple_alarm(
        &sim,
        "errors",
        json!({"AlarmDescription": "too many errors"}),
    );
    set_time(&sim, t0());
    let to_ok = evaluate(&sim);
    assert_eq!(alarm(&sim, "errors")["StateValue"], "OK");
    assert_eq!(
        alarm(&sim, "errors")["StateReason"],
        "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (03/12/26 09:59:00)] was not greater than or equal to the threshold (1.0) (minimum 1 datapoint for INSUFFICIENT_DATA -> OK transition)."
    );
    assert_eq!(to_ok.len(), 1);

    put(&sim, "Errors", 5.0, t0() + Duration::seconds(20));
    set_time(&sim, t0() + Duration::minutes(1));
    let actions = evaluate(&sim);
    let a = alarm(&sim, "errors");
    assert_eq!(a["StateValue"], "ALARM");
    assert_eq!(
        a["StateReason"],
        "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (03/12/26 10:00:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition)."
    );
    let data: Value =
        serde_json::from_str(a["StateReasonData"].as_str().unwrap_or_default()).unwrap(); // reason data is JSON
    assert_eq!(
        data,
        json!({"version": "1.0", "queryDate": "2026-12-03T10:01:00.000+0000",
               "startDate": "2026-12-03T09:58:00.000+0000", "statistic": "Maximum", "period": 60,
               "recentDatapoints": [0.0, 5.0], "threshold": 1.0,
               "evaluatedDatapoints": [{"timestamp": "2026-12-03T10:00:00.000+0000", "sampleCount": 1.0, "value": 5.0}]})
    );
    assert_eq!(actions.len(), 1);
    let action = &actions[0];
    assert_eq!(action.target_arn, TOPIC);
    assert!(action.is_sns_topic());
    assert_eq!(action.subject, "ALARM: \"errors\" in US East (N. Virginia)");
    let message: Value = serde_json::from_str(&action.message).unwrap(); // the message is JSON
    assert_eq!(
        message,
        json!({
            "AlarmName": "errors",
            "AlarmDescription": "too many errors",
            "AWSAccountId": ACCOUNT,
            "AlarmConfigurationUpdatedTimestamp": "2026-12-03T09:59:00.000+0000",
            "NewStateValue": "ALARM",
            "NewStateReason": a["StateReason"],
            "StateChangeTime": "2026-12-03T10:01:00.000+0000",
            "Region": "US East (N. Virginia)",
            "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors",
            "OldStateValue": "OK",
            "OKActions": [TOPIC],
            "AlarmActions": [TOPIC],
            "InsufficientDataActions": [],
            "Trigger": {
                "MetricName": "Errors", "Namespace": "App", "StatisticType": "Statistic",
                "Statistic": "MAXIMUM", "Unit": null, "Dimensions": [], "Period": 60,
                "EvaluationPeriods": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "Threshold": 1.0, "TreatMissingData": "missing", "EvaluateLowSampleCountPercentile": ""
            }
        })
    );
    let updates = history(&sim, "errors", "StateUpdate");
    assert_eq!(
        updates
            .iter()
            .map(|h| h["HistorySummary"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            "Alarm updated from INSUFFICIENT_DATA to OK",
            "Alarm updated from OK to ALARM"
        ]
    );
    let data: Value =
        serde_json::from_str(updates[1]["HistoryData"].as_str().unwrap_or_default()).unwrap(); // history data is JSON
    assert_eq!(data["oldState"]["stateValue"], "OK");
    assert_eq!(data["newState"]["stateValue"], "ALARM");
    assert_eq!(data["newState"]["stateReasonData"]["statistic"], "Maximum");
    let executed = history(&sim, "errors", "Action");
    assert_eq!(executed.len(), 2);
    assert_eq!(
        executed[1]["HistorySummary"],
        format!("Successfully executed action {TOPIC}")
    );
    let data: Value =
        serde_json::from_str(executed[1]["HistoryData"].as_str().unwrap_or_default()).unwrap(); // history data is JSON
    assert_eq!(data["actionState"], "Succeeded");
    assert_eq!(data["publishedMessage"], json!(action.message));
    // Nothing more is due until the next period boundary.
    assert!(evaluate(&sim).is_empty());
}

#[test]
fn actions_on_missing_topics_are_recorded_as_failed() {
    let (_d, sim) = sim();
    simple_alarm(
        &sim,
        "lost",
        json!({"TreatMissingData": "breaching",
               "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:deleted",
                                "arn:aws:automate:us-east-1:ec2:stop"]}),
    );
    set_time(&sim, t0() + Duration::minutes(1));
    assert_eq!(evaluate(&sim).len(), 2);
    let summaries: Vec<String> = history(&sim, "lost", "Action")
        .iter()
        .map(|h| h["HistorySummary"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        summaries,
        [
            "Failed to execute action arn:aws:sns:us-east-1:123456789012:deleted. Received error: \"Resource: arn:aws:sns:us-east-1:123456789012:deleted not found\"",
            "Failed to execute action arn:aws:automate:us-east-1:ec2:stop. Received error: \"ctsim does not run automate actions\""
        ]
    );
}

#[test]
fn m_out_of_n_alarms_need_m_breaching_datapoints() {
    let (_d, sim) = sim();
    simple_alarm(
        &sim,
        "m-of-n",
        json!({"EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Threshold": 10.0,
               "ComparisonOperator": "GreaterThanThreshold"}),
    );
    put(&sim, "Errors", 20.0, t0());
    put(&sim, "Errors", 1.0, t0() + Duration::minutes(1));
    put(&sim, "Errors", 2.0, t0() + Duration::minutes(2));
    set_time(&sim, t0() + Duration::minutes(3));
    evaluate(&sim);
    assert_eq!(alarm(&sim, "m-of-n")["StateValue"], "OK");
    put(&sim, "Errors", 30.0, t0() + Duration::minutes(3));
    set_time(&sim, t0() + Duration::minutes(4));
    evaluate(&sim);
    // 1.0, 2.0, 30.0: one breaching of the last three.
    assert_eq!(alarm(&sim, "m-of-n")["StateValue"], "OK");
    put(&sim, "Errors", 40.0, t0() + Duration::minutes(4));
    set_time(&sim, t0() + Duration::minutes(5));
    evaluate(&sim);
    let a = alarm(&sim, "m-of-n");
    assert_eq!(a["StateValue"], "ALARM");
    assert_eq!(
        a["StateReason"],
        "Threshold Crossed: 2 out of the last 3 datapoints [40.0 (03/12/26 10:04:00), 30.0 (03/12/26 10:03:00)] were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."
    );
}

fn d(points: &str) -> Vec<Option<f64>> {
    // Written oldest first as in the AWS documentation: X breaching, 0 not, - missing.
    points
        .split_whitespace()
        .rev()
        .map(|p| match p {
            "X" => Some(1.0),
            "0" => Some(0.0),
            _ => None,
        })
        .collect()
}

fn state_of(points: &str, m: usize, treat: Treat) -> Option<State> {
    decide(&d(points), 3, m, treat, &|v| v > 0.5).state
}

#[test]
fn three_of_three_alarms_follow_the_documented_missing_data_table() {
    use State::*;
    use Treat::*;
    let rows: [(&str, [Option<State>; 4]); 5] = [
        ("0 - X - X", [Some(Ok), Some(Ok), Some(Ok), Some(Ok)]),
        ("- - - - 0", [Some(Ok), Some(Ok), Some(Ok), Some(Ok)]),
        (
            "- - - - -",
            [Some(InsufficientData), None, Some(Alarm), Some(Ok)],
        ),
        (
            "0 X X - X",
            [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)],
        ),
        ("- - X - -", [Some(Alarm), None, Some(Alarm), Some(Ok)]),
    ];
    for (points, want) in rows {
        let got = [Missing, Ignore, Breaching, NotBreaching].map(|t| state_of(points, 3, t));
        assert_eq!(got, want, "{points}");
    }
}

#[test]
fn two_of_three_alarms_follow_the_documented_missing_data_table() {
    use State::*;
    use Treat::*;
    let rows: [(&str, [Option<State>; 4]); 4] = [
        (
            "0 - X - X",
            [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)],
        ),
        (
            "0 0 X 0 X",
            [Some(Alarm), Some(Alarm), Some(Alarm), Some(Alarm)],
        ),
        ("0 - X - -", [Some(Alarm), None, Some(Alarm), Some(Ok)]),
        ("- - - - 0", [Some(Ok), Some(Ok), Some(Alarm), Some(Ok)]),
    ];
    for (points, want) in rows {
        let got = [Missing, Ignore, Breaching, NotBreaching].map(|t| state_of(points, 2, t));
        assert_eq!(got, want, "{points}");
    }
}

#[test]
fn a_lone_recent_breach_does_not_alarm_prematurely() {
    // The next point may not breach: - - - - X and - - - X - stay as they are.
    assert_eq!(state_of("- - - - X", 3, Treat::Missing), None);
    assert_eq!(state_of("- - - X -", 3, Treat::Missing), None);
    assert_eq!(state_of("- - X - 0", 3, Treat::Missing), Some(State::Ok));
}

#[test]
fn filled_missing_data_is_used_as_few_times_as_possible() {
    let decision = decide(&d("- - - 0 X"), 3, 3, Treat::Breaching, &|v| v > 0.5);
    assert_eq!(
        decision,
        Decision {
            state: Some(State::Ok),
            used: vec![0, 1],
            filled: 1
        }
    );
}

#[test]
fn treat_missing_data_modes_apply_when_data_stops() {
    let (_d, sim) = sim();
    for (name, treat) in [
        ("missing", "missing"),
        ("ignore", "ignore"),
        ("breaching", "breaching"),
        ("not-breaching", "notBreaching"),
    ] {
        simple_alarm(&sim, name, json!({"TreatMissingData": treat}));
    }
    set_time(&sim, t0() + Duration::minutes(1));
    evaluate(&sim);
    let states: Vec<String> = ["missing", "ignore", "breaching", "not-breaching"]
        .iter()
        .map(|n| {
            alarm(&sim, n)["StateValue"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        states,
        ["INSUFFICIENT_DATA", "INSUFFICIENT_DATA", "ALARM", "OK"]
    );
    assert_eq!(
        alarm(&sim, "breaching")["StateReason"],
        "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]."
    );
    // Data arrives, then stops: `ignore` keeps the state it reached, `missing` falls back
    // to INSUFFICIENT_DATA once the range holds no data.
    put(&sim, "Errors", 0.0, t0() + Duration::minutes(1));
    set_time(&sim, t0() + Duration::minutes(2));
    evaluate(&sim);
    assert_eq!(alarm(&sim, "ignore")["StateValue"], "OK");
    assert_eq!(alarm(&sim, "missing")["StateValue"], "OK");
    set_time(&sim, t0() + Duration::minutes(10));
    evaluate(&sim);
    assert_eq!(alarm(&sim, "ignore")["StateValue"], "OK");
    assert_eq!(alarm(&sim, "missing")["StateValue"], "INSUFFICIENT_DATA");
    assert_eq!(
        alarm(&sim, "missing")["StateReason"],
        "Insufficient Data: 1 datapoint was unknown."
    );
    assert_eq!(alarm(&sim, "breaching")["StateValue"], "ALARM");
}

#[test]
fn percentile_alarms_ignore_low_sample_counts_when_asked() {
    let (_d, sim) = sim();
    for (name, low) in [("p99-evaluate", "evaluate"), ("p99-ignore", "ignore")] {
        ok(
            &sim,
            "PutMetricAlarm",
            json!({"AlarmName": name, "Namespace": "App", "MetricName": "Latency",
                   "ExtendedStatistic": "p99", "Period": 60, "EvaluationPeriods": 1,
                   "Threshold": 100.0, "ComparisonOperator": "GreaterThanThreshold",
                   "EvaluateLowSampleCountPercentile": low}),
        );
    }
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [{"MetricName": "Latency", "Values": [50, 500], "Timestamp": secs(t0())}]}),
    );
    set_time(&sim, t0() + Duration::minutes(1));
    evaluate(&sim);
    assert_eq!(alarm(&sim, "p99-evaluate")["StateValue"], "ALARM");
    assert_eq!(alarm(&sim, "p99-ignore")["StateValue"], "INSUFFICIENT_DATA");
}

#[test]
fn metric_math_alarms_watch_their_expression() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutMetricAlarm",
        json!({"AlarmName": "error-rate", "EvaluationPeriods": 1, "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold", "AlarmActions": [TOPIC],
        "Metrics": [
            {"Id": "e", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Errors"}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "r", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Requests"}, "Period": 60, "Stat": "Sum"}, "ReturnData": false},
            {"Id": "rate", "Expression": "100 * e / r", "Label": "Error rate", "ReturnData": true}
        ]}),
    );
    ok(
        &sim,
        "PutMetricData",
        json!({"Namespace": "App", "MetricData": [
            {"MetricName": "Errors", "Value": 3, "Timestamp": secs(t0())},
            {"MetricName": "Requests", "Value": 20, "Timestamp": secs(t0())}]}),
    );
    set_time(&sim, t0() + Duration::minutes(1));
    let actions = evaluate(&sim);
    assert_eq!(alarm(&sim, "error-rate")["StateValue"], "ALARM");
    let message: Value = serde_json::from_str(&actions[0].message).unwrap(); // JSON message
    assert_eq!(
        message["Trigger"]["Metrics"][2]["Expression"],
        "100 * e / r"
    );
}

#[test]
fn set_alarm_state_records_history_and_queues_actions_for_the_next_pass() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "manual", json!({}));
    ok(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "manual", "StateValue": "ALARM", "StateReason": "testing",
               "StateReasonData": "{\"by\":\"test\"}"}),
    );
    let a = alarm(&sim, "manual");
    assert_eq!(
        (
            a["StateValue"].as_str(),
            a["StateReason"].as_str(),
            a["StateReasonData"].as_str()
        ),
        (Some("ALARM"), Some("testing"), Some("{\"by\":\"test\"}"))
    );
    let queued = evaluate(&sim);
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].old_state, "INSUFFICIENT_DATA");
    assert_eq!(queued[0].new_state, "ALARM");
    assert!(evaluate(&sim).is_empty());
    let updates = history(&sim, "manual", "StateUpdate");
    assert_eq!(
        updates[0]["HistorySummary"],
        "Alarm updated from INSUFFICIENT_DATA to ALARM"
    );
    let e = err(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "nope", "StateValue": "OK", "StateReason": "x"}),
    );
    assert_eq!((e.code.as_str(), e.http_status), ("ResourceNotFound", 404));
    let e = err(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "manual", "StateValue": "OK", "StateReason": "x", "StateReasonData": "{"}),
    );
    assert_eq!(e.code, "InvalidFormat");
    let e = err(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "manual", "StateValue": "BROKEN", "StateReason": "x"}),
    );
    assert_eq!(e.code, "ValidationError");
}

#[test]
fn disabled_actions_change_state_without_notifying() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "quiet", json!({"TreatMissingData": "breaching"}));
    ok(
        &sim,
        "DisableAlarmActions",
        json!({"AlarmNames": ["quiet", "unknown"]}),
    );
    assert_eq!(alarm(&sim, "quiet")["ActionsEnabled"], false);
    set_time(&sim, t0() + Duration::minutes(1));
    assert!(evaluate(&sim).is_empty());
    assert_eq!(alarm(&sim, "quiet")["StateValue"], "ALARM");
    ok(&sim, "EnableAlarmActions", json!({"AlarmNames": ["quiet"]}));
    assert_eq!(alarm(&sim, "quiet")["ActionsEnabled"], true);
}

#[test]
fn evaluation_catches_up_in_bounded_passes() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "behind", json!({"TreatMissingData": "breaching"}));
    set_time(&sim, t0() + Duration::hours(5));
    evaluate(&sim);
    assert!(sim.run_unrecorded(evaluation_pending).unwrap()); // test store
    evaluate(&sim);
    evaluate(&sim);
    assert!(!sim.run_unrecorded(evaluation_pending).unwrap()); // test store
    assert_eq!(alarm(&sim, "behind")["StateValue"], "ALARM");
}

#[test]
fn put_metric_alarm_updates_keep_state_and_record_changed_fields() {
    let (_d, sim) = sim();
    simple_alarm(
        &sim,
        "edit",
        json!({"Tags": [{"Key": "team", "Value": "a"}]}),
    );
    ok(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "edit", "StateValue": "OK", "StateReason": "manual"}),
    );
    set_time(&sim, t0() + Duration::seconds(30));
    simple_alarm(
        &sim,
        "edit",
        json!({"Threshold": 9.0, "Tags": [{"Key": "team", "Value": "b"}]}),
    );
    let a = alarm(&sim, "edit");
    assert_eq!(a["StateValue"], "OK");
    assert_eq!(a["Threshold"], 9.0);
    assert_eq!(a["AlarmConfigurationUpdatedTimestamp"], secs(t0()) + 30.0);
    let updates = history(&sim, "edit", "ConfigurationUpdate");
    assert_eq!(updates[1]["HistorySummary"], "Alarm \"edit\" updated");
    let data: Value =
        serde_json::from_str(updates[1]["HistoryData"].as_str().unwrap_or_default()).unwrap(); // history data is JSON
    assert_eq!(data["originalUpdatedFields"], json!({"threshold": 1.0}));
    // Tags given on update are ignored.
    let tags = ok(
        &sim,
        "ListTagsForResource",
        json!({"ResourceARN": a["AlarmArn"]}),
    );
    assert_eq!(tags["Tags"], json!([{"Key": "team", "Value": "a"}]));
}

#[test]
fn put_metric_alarm_rejects_invalid_configurations() {
    let (_d, sim) = sim();
    let base = json!({"AlarmName": "bad", "Namespace": "App", "MetricName": "Errors",
        "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanThreshold"});
    let with = |patch: Value| {
        let mut r = base.clone();
        for (k, v) in patch.as_object().cloned().unwrap_or_default() {
            if v.is_null() {
                if let Some(o) = r.as_object_mut() {
                    o.remove(&k);
                }
            } else {
                r[k] = v;
            }
        }
        err(&sim, "PutMetricAlarm", r)
    };
    let cases: Vec<(Value, &str)> = vec![
        (json!({"Period": 45}), "ValidationError"),
        (json!({"DatapointsToAlarm": 2}), "ValidationError"),
        (
            json!({"ExtendedStatistic": "p99"}),
            "InvalidParameterCombination",
        ),
        (
            json!({"Statistic": null, "ExtendedStatistic": "p101"}),
            "InvalidParameterValue",
        ),
        (json!({"ComparisonOperator": "Above"}), "ValidationError"),
        (json!({"TreatMissingData": "sometimes"}), "ValidationError"),
        (json!({"Threshold": null}), "MissingParameter"),
        (json!({"AlarmName": null}), "MissingParameter"),
        (json!({"EvaluationPeriods": 1441}), "ValidationError"),
        (
            json!({"AlarmActions": [TOPIC, TOPIC, TOPIC, TOPIC, TOPIC, TOPIC]}),
            "ValidationError",
        ),
        (json!({"AlarmActions": ["not-an-arn"]}), "ValidationError"),
        (
            json!({"AlarmActions": ["arn:aws:sns:eu-west-1:123456789012:t"]}),
            "ValidationError",
        ),
        (
            json!({"EvaluateLowSampleCountPercentile": "ignore"}),
            "InvalidParameterCombination",
        ),
        (
            json!({"Tags": [{"Key": "aws:x", "Value": "y"}]}),
            "InvalidParameterValue",
        ),
        (
            json!({"Metrics": [{"Id": "m", "Expression": "1"}]}),
            "InvalidParameterCombination",
        ),
        (
            json!({"Namespace": null, "MetricName": null, "Statistic": null, "Period": null,
                   "Metrics": [{"Id": "a", "Expression": "1"}, {"Id": "b", "Expression": "2"}]}),
            "ValidationError",
        ),
    ];
    for (patch, code) in cases {
        let e = with(patch.clone());
        assert_eq!(e.code, code, "{patch}: {e}");
    }
    let e = with(json!({"AlarmActions": ["arn:aws:sns:eu-west-1:123456789012:t"]}));
    assert_eq!(
        e.message,
        "Invalid region eu-west-1 specified. Only us-east-1 is supported."
    );
    let e = with(
        json!({"Namespace": null, "MetricName": null, "Statistic": null, "Period": null,
        "Metrics": [{"Id": "a", "Expression": "1"}, {"Id": "b", "Expression": "2"}]}),
    );
    assert_eq!(
        e.message,
        "Exactly one element of the metrics list should return data."
    );
    assert_eq!(
        ok(&sim, "DescribeAlarms", json!({}))["MetricAlarms"],
        json!([])
    );
}

#[test]
fn describe_alarms_filters_and_pages() {
    let (_d, sim) = sim();
    for i in 0..5 {
        simple_alarm(&sim, &format!("api-{i}"), json!({}));
    }
    simple_alarm(
        &sim,
        "db",
        json!({"AlarmActions": ["arn:aws:sns:us-east-1:123456789012:db"], "OKActions": []}),
    );
    ok(
        &sim,
        "SetAlarmState",
        json!({"AlarmName": "api-3", "StateValue": "ALARM", "StateReason": "x"}),
    );
    let names = |req: Value| -> Vec<String> {
        ok(&sim, "DescribeAlarms", req)["MetricAlarms"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| a["AlarmName"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(names(json!({"AlarmNamePrefix": "api-"})).len(), 5);
    assert_eq!(names(json!({"StateValue": "ALARM"})), ["api-3"]);
    assert_eq!(
        names(json!({"ActionPrefix": "arn:aws:sns:us-east-1:123456789012:db"})),
        ["db"]
    );
    assert_eq!(names(json!({"AlarmNames": ["db", "nope"]})), ["db"]);
    assert!(names(json!({"AlarmTypes": ["CompositeAlarm"]})).is_empty());
    let first = ok(&sim, "DescribeAlarms", json!({"MaxRecords": 4}));
    assert_eq!(first["MetricAlarms"].as_array().map(Vec::len), Some(4));
    let second = ok(
        &sim,
        "DescribeAlarms",
        json!({"MaxRecords": 4, "NextToken": first["NextToken"]}),
    );
    assert_eq!(second["MetricAlarms"].as_array().map(Vec::len), Some(2));
    assert!(second.get("NextToken").is_none());
    let e = err(&sim, "DescribeAlarms", json!({"NextToken": "garbage"}));
    assert_eq!(e.code, "InvalidNextToken");
    let for_metric = ok(
        &sim,
        "DescribeAlarmsForMetric",
        json!({"Namespace": "App", "MetricName": "Errors", "Statistic": "Maximum"}),
    );
    assert_eq!(for_metric["MetricAlarms"].as_array().map(Vec::len), Some(6));
    let none = ok(
        &sim,
        "DescribeAlarmsForMetric",
        json!({"Namespace": "App", "MetricName": "Errors", "Dimensions": [{"Name": "X", "Value": "1"}]}),
    );
    assert_eq!(none["MetricAlarms"], json!([]));
}

#[test]
fn deleting_alarms_keeps_their_history_and_drops_their_tags() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "gone", json!({"Tags": [{"Key": "k", "Value": "v"}]}));
    let arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:gone";
    ok(
        &sim,
        "DeleteAlarms",
        json!({"AlarmNames": ["gone", "never-existed"]}),
    );
    assert_eq!(
        ok(&sim, "DescribeAlarms", json!({}))["MetricAlarms"],
        json!([])
    );
    let items = history(&sim, "gone", "ConfigurationUpdate");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["HistorySummary"], "Alarm \"gone\" deleted");
    let e = err(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(e.code, "ResourceNotFoundException");
    simple_alarm(&sim, "gone", json!({}));
    let tags = ok(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(tags["Tags"], json!([]));
    // History is kept 30 days.
    set_time(&sim, t0() + Duration::days(31));
    assert!(history(&sim, "gone", "ConfigurationUpdate").is_empty());
}

#[test]
fn alarms_are_tagged_untagged_and_listed() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "tagged", json!({}));
    let arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:tagged";
    ok(
        &sim,
        "TagResource",
        json!({"ResourceARN": arn, "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}),
    );
    ok(
        &sim,
        "UntagResource",
        json!({"ResourceARN": arn, "TagKeys": ["a"]}),
    );
    let tags = ok(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(tags["Tags"], json!([{"Key": "b", "Value": "2"}]));
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:nope", "Tags": []}),
    );
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("ResourceNotFoundException", 404)
    );
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceARN": "nonsense", "Tags": []}),
    );
    assert_eq!(e.code, "InvalidParameterValue");
    let many: Vec<Value> = (0..51)
        .map(|i| json!({"Key": format!("k{i}"), "Value": "v"}))
        .collect();
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceARN": arn, "Tags": many}),
    );
    assert_eq!(e.code, "LimitExceededException");
}

#[test]
fn alarm_history_is_newest_first_by_default_and_pages() {
    let (_d, sim) = sim();
    simple_alarm(&sim, "h", json!({}));
    for (i, s) in ["OK", "ALARM", "OK"].iter().enumerate() {
        set_time(&sim, t0() + Duration::seconds(i as i64 + 1));
        ok(
            &sim,
            "SetAlarmState",
            json!({"AlarmName": "h", "StateValue": s, "StateReason": "x"}),
        );
    }
    let r = ok(
        &sim,
        "DescribeAlarmHistory",
        json!({"AlarmName": "h", "MaxRecords": 2}),
    );
    let items = r["AlarmHistoryItems"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items[0]["HistorySummary"], "Alarm updated from ALARM to OK");
    assert_eq!(items[0]["AlarmType"], "MetricAlarm");
    assert_eq!(items[0]["Timestamp"], secs(t0()) + 3.0);
    let rest = ok(
        &sim,
        "DescribeAlarmHistory",
        json!({"AlarmName": "h", "NextToken": r["NextToken"]}),
    );
    let summaries: Vec<&str> = rest["AlarmHistoryItems"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["HistorySummary"].as_str())
        .collect();
    assert_eq!(
        summaries,
        [
            "Alarm updated from INSUFFICIENT_DATA to OK",
            "Alarm \"h\" created"
        ]
    );
}

#[test]
fn doubles_are_written_as_java_writes_them() {
    assert_eq!(java_double(5.0), "5.0");
    assert_eq!(java_double(0.25), "0.25");
    assert_eq!(java_double(-3.0), "-3.0");
    assert_eq!(java_double(1.0e7), "1.0E7");
    assert_eq!(java_double(1.5e-4), "1.5E-4");
}

#[test]
fn metric_math_refuses_unknown_functions_and_deep_nesting() {
    assert!(super::math::parse("METRICS()").is_err());
    assert!(super::math::parse(&"(".repeat(500)).is_err());
    assert!(super::math::parse(&format!("{}1", "-".repeat(100_000))).is_ok());
    assert!(super::math::parse("SUM([m1, m2]) / 2").is_ok());
}

#[test]
fn huge_periods_and_ranges_answer_without_overflow() {
    let (_d, sim) = sim();
    put(&sim, "x", 1.0, t0());
    let huge = i64::MAX / 60 * 60;
    let r = ok(
        &sim,
        "GetMetricStatistics",
        json!({"Namespace": "App", "MetricName": "x", "StartTime": 0,
               "EndTime": 8.0e12, "Period": huge, "Statistics": ["Sum"]}),
    );
    assert_eq!(r["Datapoints"][0]["Sum"], 1.0);
    let r = ok(
        &sim,
        "GetMetricData",
        json!({"StartTime": 0, "EndTime": 8.0e12, "MetricDataQueries": [
            {"Id": "one", "Expression": "1", "Period": huge}]}),
    );
    assert_eq!(r["MetricDataResults"][0]["Values"], json!([1.0]));
    let e = err(
        &sim,
        "PutMetricAlarm",
        json!({"AlarmName": "promql", "EvaluationCriteria": {"PromQLCriteria": {"Query": "up"}},
               "EvaluationInterval": huge}),
    );
    assert_eq!(e.code, "ValidationError");
}
