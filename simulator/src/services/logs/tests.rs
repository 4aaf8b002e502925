//! Behaviour of the CloudWatch Logs service through the simulator facade.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::filter_pattern::FilterPattern;
use super::groups::{validate_group_name, validate_retention};
use super::model::InputLogEvent;
use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";
const T0_MS: i64 = 1_704_067_200_000;
const ARN: &str = "arn:aws:logs:us-east-1:123456789012:log-group:trail-logs";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()) // literal date, valid
        .unwrap(); // test setup
    (dir, sim)
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&CallerContext::new(ACCOUNT, "us-east-1"), "logs", op, req)
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    call(sim, op, req).unwrap_or_else(|e| panic!("{op} failed: {e}"))
}

fn err(sim: &Simulator, op: &str, req: Value) -> AwsError {
    match call(sim, op, req) {
        Ok(v) => panic!("{op} should fail, got {v}"),
        Err(e) => e,
    }
}

fn group(sim: &Simulator) {
    ok(sim, "CreateLogGroup", json!({"logGroupName": "trail-logs"}));
}

#[test]
fn create_and_describe_log_group() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateLogGroup",
        json!({"logGroupName": "trail-logs", "tags": {"env": "dev"}}),
    );
    ok(&sim, "CreateLogGroup", json!({"logGroupName": "other"}));
    let got = ok(
        &sim,
        "DescribeLogGroups",
        json!({"logGroupNamePrefix": "trail"}),
    );
    assert_eq!(
        got,
        json!({"logGroups": [{
            "logGroupName": "trail-logs", "creationTime": T0_MS, "metricFilterCount": 0,
            "arn": format!("{ARN}:*"), "storedBytes": 0, "logGroupClass": "STANDARD",
            "logGroupArn": ARN
        }]})
    );
    assert_eq!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        ok(&sim, "ListTagsForResource", json!({"resourceArn": ARN}))["tags"],
        json!({"env": "dev"})
    );
    let e = err(
        &sim,
        "CreateLogGroup",
        json!({"logGroupName": "trail-logs"}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceAlreadyExistsException",
            "The specified log group already exists"
        )
    );
}

#[test]
fn describe_log_groups_pages_with_next_token() {
    let (_d, sim) = sim();
    for i in 0..3 {
        ok(
            &sim,
            "CreateLogGroup",
            json!({"logGroupName": format!("g{i}")}),
        );
    }
    let p1 = ok(&sim, "DescribeLogGroups", json!({"limit": 2}));
    assert_eq!(p1["logGroups"].as_array().map(Vec::len), Some(2));
    let p2 = ok(
        &sim,
        "DescribeLogGroups",
        json!({"limit": 2, "nextToken": p1["nextToken"]}),
    );
    assert_eq!(p2["logGroups"][0]["logGroupName"], "g2");
    assert!(p2.get("nextToken").is_none());
}

#[test]
fn log_group_name_rules() {
    for (name, valid) in [
        ("a", true),
        ("/aws/cloudtrail/org-trail_1.x#y", true),
        ("", false),
        ("has space", false),
        ("colon:no", false),
        (&"x".repeat(512), true),
        (&"x".repeat(513), false),
    ] {
        assert_eq!(validate_group_name(name).is_ok(), valid, "{name}");
    }
    let (_d, sim) = sim();
    let e = err(&sim, "CreateLogGroup", json!({"logGroupName": "bad name"}));
    assert_eq!(e.code, "InvalidParameterException");
    assert!(e.message.contains("[\\.\\-_/#A-Za-z0-9]+"), "{}", e.message);
    assert_eq!(
        err(
            &sim,
            "CreateLogGroup",
            json!({"logGroupName": "x", "logGroupClass": "COLD"})
        )
        .code,
        "InvalidParameterException"
    );
}

#[test]
fn retention_values_are_the_aws_set() {
    for d in [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288, 3653,
    ] {
        assert!(validate_retention(d).is_ok(), "{d}");
    }
    for d in [0, 2, 4, 366, 3654, -1] {
        assert_eq!(
            validate_retention(d).unwrap_err().code,
            "InvalidParameterException",
            "{d}"
        );
    }
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "PutRetentionPolicy",
        json!({"logGroupName": "trail-logs", "retentionInDays": 90}),
    );
    assert_eq!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"][0]["retentionInDays"],
        90
    );
    let e = err(
        &sim,
        "PutRetentionPolicy",
        json!({"logGroupName": "trail-logs", "retentionInDays": 2}),
    );
    assert!(
        e.message
            .contains("Member must satisfy enum value set: [1, 3, 5"),
        "{}",
        e.message
    );
    ok(
        &sim,
        "DeleteRetentionPolicy",
        json!({"logGroupName": "trail-logs"}),
    );
    assert!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"][0]
            .get("retentionInDays")
            .is_none()
    );
}

#[test]
fn missing_group_is_resource_not_found() {
    let (_d, sim) = sim();
    for (op, req) in [
        ("DeleteLogGroup", json!({"logGroupName": "none"})),
        (
            "PutRetentionPolicy",
            json!({"logGroupName": "none", "retentionInDays": 1}),
        ),
        (
            "CreateLogStream",
            json!({"logGroupName": "none", "logStreamName": "s"}),
        ),
        ("ListTagsLogGroup", json!({"logGroupName": "none"})),
        (
            "ListTagsForResource",
            json!({"resourceArn": "arn:aws:logs:us-east-1:123456789012:log-group:none"}),
        ),
    ] {
        assert_eq!(err(&sim, op, req).code, "ResourceNotFoundException", "{op}");
    }
    assert_eq!(
        err(&sim, "DeleteLogGroup", json!({"logGroupName": "none"})).message,
        "The specified log group does not exist."
    );
}

#[test]
fn delete_log_group_removes_streams_events_and_tags() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateLogGroup",
        json!({"logGroupName": "trail-logs", "tags": {"a": "b"}}),
    );
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "s"}),
    );
    ok(
        &sim,
        "DeleteLogGroup",
        json!({"logGroupName": "trail-logs"}),
    );
    group(&sim);
    assert_eq!(
        ok(
            &sim,
            "DescribeLogStreams",
            json!({"logGroupName": "trail-logs"})
        )["logStreams"],
        json!([])
    );
    assert_eq!(
        ok(
            &sim,
            "ListTagsLogGroup",
            json!({"logGroupName": "trail-logs"})
        )["tags"],
        json!({})
    );
}

#[test]
fn kms_key_must_exist_and_allow_the_logs_service() {
    let (_d, sim) = sim();
    let c = CallerContext::new(ACCOUNT, "us-east-1");
    let plain =
        sim.invoke(&c, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"].clone(); // test setup
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"}, "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"}
    ]}).to_string();
    let usable = sim
        .invoke(&c, "kms", "CreateKey", json!({"Policy": policy}))
        .unwrap()["KeyMetadata"]["Arn"]
        .clone(); // test setup
    let e = err(
        &sim,
        "CreateLogGroup",
        json!({"logGroupName": "enc", "kmsKeyId": plain}),
    );
    assert_eq!(e.code, "AccessDeniedException");
    assert_eq!(
        e.message,
        "The specified KMS key does not exist or is not allowed to be used with Arn 'arn:aws:logs:us-east-1:123456789012:log-group:enc'"
    );
    ok(
        &sim,
        "CreateLogGroup",
        json!({"logGroupName": "enc", "kmsKeyId": usable}),
    );
    assert_eq!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"][0]["kmsKeyId"],
        usable
    );
    ok(&sim, "DisassociateKmsKey", json!({"logGroupName": "enc"}));
    assert!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"][0]
            .get("kmsKeyId")
            .is_none()
    );
    assert_eq!(
        err(
            &sim,
            "AssociateKmsKey",
            json!({"logGroupName": "enc", "kmsKeyId": plain})
        )
        .code,
        "AccessDeniedException"
    );
    ok(
        &sim,
        "AssociateKmsKey",
        json!({"logGroupName": "enc", "kmsKeyId": usable}),
    );
    let missing = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
    assert_eq!(
        err(
            &sim,
            "AssociateKmsKey",
            json!({"logGroupName": "enc", "kmsKeyId": missing})
        )
        .code,
        "AccessDeniedException"
    );
}

#[test]
fn streams_create_describe_and_conflicts() {
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "b"}),
    );
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "a"}),
    );
    let e = err(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "a"}),
    );
    assert_eq!(e.code, "ResourceAlreadyExistsException");
    assert_eq!(
        err(
            &sim,
            "CreateLogStream",
            json!({"logGroupName": "trail-logs", "logStreamName": "x:y"})
        )
        .code,
        "InvalidParameterException"
    );
    let got = ok(
        &sim,
        "DescribeLogStreams",
        json!({"logGroupName": "trail-logs"}),
    );
    assert_eq!(
        got["logStreams"][0],
        json!({"logStreamName": "a", "creationTime": T0_MS, "arn": format!("{ARN}:log-stream:a"), "storedBytes": 0})
    );
    let desc = ok(
        &sim,
        "DescribeLogStreams",
        json!({"logGroupIdentifier": ARN, "descending": true}),
    );
    assert_eq!(desc["logStreams"][0]["logStreamName"], "b");
}

#[test]
fn put_and_get_log_events() {
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "s"}),
    );
    let r = ok(
        &sim,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": T0_MS - 1000, "message": "one"}, {"timestamp": T0_MS, "message": "two"}]}),
    );
    assert_eq!(r["nextSequenceToken"].as_str().map(str::len), Some(56));
    assert!(r.get("rejectedLogEventsInfo").is_none());
    let got = ok(
        &sim,
        "GetLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s", "startFromHead": true}),
    );
    assert_eq!(
        got["events"],
        json!([{"timestamp": T0_MS - 1000, "message": "one", "ingestionTime": T0_MS},
               {"timestamp": T0_MS, "message": "two", "ingestionTime": T0_MS}])
    );
    let page = ok(
        &sim,
        "GetLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s", "startFromHead": true, "limit": 1}),
    );
    assert_eq!(page["events"][0]["message"], "one");
    let next = ok(
        &sim,
        "GetLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s", "nextToken": page["nextForwardToken"]}),
    );
    assert_eq!(next["events"][0]["message"], "two");
    let s = ok(
        &sim,
        "DescribeLogStreams",
        json!({"logGroupName": "trail-logs"}),
    )["logStreams"][0]
        .clone();
    assert_eq!(
        (
            s["firstEventTimestamp"].clone(),
            s["lastEventTimestamp"].clone()
        ),
        (json!(T0_MS - 1000), json!(T0_MS))
    );
    assert_eq!(s["storedBytes"], 3 + 3 + 2 * 26);
    assert_eq!(
        ok(&sim, "DescribeLogGroups", json!({}))["logGroups"][0]["storedBytes"],
        58
    );
}

#[test]
fn put_log_events_rejects_out_of_window_and_unordered_events() {
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "s"}),
    );
    let sim2 = &sim;
    let edge_old = T0_MS - Duration::days(14).num_milliseconds() - 1;
    let edge_new = T0_MS + Duration::hours(2).num_milliseconds() + 1;
    let r = ok(
        sim2,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": edge_old - 1, "message": "old"}, {"timestamp": edge_old, "message": "old"}]}),
    );
    assert_eq!(
        r["rejectedLogEventsInfo"],
        json!({"tooOldLogEventEndIndex": 1})
    );
    let r = ok(
        sim2,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": T0_MS, "message": "ok"}, {"timestamp": edge_new, "message": "new"}]}),
    );
    assert_eq!(
        r["rejectedLogEventsInfo"],
        json!({"tooNewLogEventStartIndex": 1})
    );
    ok(
        sim2,
        "PutRetentionPolicy",
        json!({"logGroupName": "trail-logs", "retentionInDays": 1}),
    );
    let r = ok(
        sim2,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": T0_MS - Duration::days(2).num_milliseconds(), "message": "x"}]}),
    );
    assert_eq!(
        r["rejectedLogEventsInfo"],
        json!({"expiredLogEventEndIndex": 0})
    );
    let e = err(
        sim2,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": T0_MS, "message": "b"}, {"timestamp": T0_MS - 1, "message": "a"}]}),
    );
    assert_eq!(
        e.message,
        "Log events in a single PutLogEvents request must be in chronological order."
    );
    let e = err(
        sim2,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "none", "logEvents": [{"timestamp": T0_MS, "message": "a"}]}),
    );
    assert_eq!(e.message, "The specified log stream does not exist.");
    assert_eq!(
        err(
            sim2,
            "PutLogEvents",
            json!({"logGroupName": "trail-logs", "logStreamName": "s", "logEvents": []})
        )
        .code,
        "InvalidParameterException"
    );
}

#[test]
fn batch_spanning_more_than_a_day_is_refused() {
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "s"}),
    );
    let e = err(
        &sim,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s",
        "logEvents": [{"timestamp": T0_MS - Duration::hours(25).num_milliseconds(), "message": "a"}, {"timestamp": T0_MS, "message": "b"}]}),
    );
    assert!(
        e.message.contains("cannot span more than 24 hours"),
        "{}",
        e.message
    );
}

#[test]
fn filter_log_events_matches_terms_across_streams() {
    let (_d, sim) = sim();
    group(&sim);
    for (s, msgs) in [
        ("a", ["ERROR disk full", "INFO ok"]),
        ("b", ["ERROR \"net down\"", "WARN slow"]),
    ] {
        ok(
            &sim,
            "CreateLogStream",
            json!({"logGroupName": "trail-logs", "logStreamName": s}),
        );
        let evs: Vec<Value> = msgs
            .iter()
            .enumerate()
            .map(|(i, m)| json!({"timestamp": T0_MS + i as i64, "message": m}))
            .collect();
        ok(
            &sim,
            "PutLogEvents",
            json!({"logGroupName": "trail-logs", "logStreamName": s, "logEvents": evs}),
        );
    }
    let got = ok(
        &sim,
        "FilterLogEvents",
        json!({"logGroupName": "trail-logs", "filterPattern": "ERROR"}),
    );
    let msgs: Vec<&str> = got["events"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["message"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(msgs, vec!["ERROR disk full", "ERROR \"net down\""]);
    assert_eq!(got["searchedLogStreams"].as_array().map(Vec::len), Some(2));
    let only_b = ok(
        &sim,
        "FilterLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamNames": ["b"]}),
    );
    assert_eq!(only_b["events"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        err(
            &sim,
            "FilterLogEvents",
            json!({"logGroupName": "trail-logs", "filterPattern": "{ $.x = "})
        )
        .code,
        "InvalidParameterException"
    );
}

#[test]
fn filter_pattern_terms_table() {
    for (p, m, want) in [
        ("", "anything", true),
        ("ERROR", "an ERROR here", true),
        ("ERROR disk", "ERROR net", false),
        ("\"disk full\"", "ERROR disk full", true),
        ("?ERROR ?WARN", "WARN x", true),
        ("?ERROR ?WARN", "INFO x", false),
    ] {
        let pattern = FilterPattern::compile(p).unwrap(); // literal patterns
        assert_eq!(pattern.matches(m), want, "{p} / {m}");
    }
}

#[test]
fn tags_by_arn_and_legacy_by_name() {
    let (_d, sim) = sim();
    group(&sim);
    ok(
        &sim,
        "TagResource",
        json!({"resourceArn": ARN, "tags": {"a": "1", "b": "2"}}),
    );
    ok(
        &sim,
        "UntagResource",
        json!({"resourceArn": format!("{ARN}:*"), "tagKeys": ["a"]}),
    );
    ok(
        &sim,
        "TagLogGroup",
        json!({"logGroupName": "trail-logs", "tags": {"c": "3"}}),
    );
    assert_eq!(
        ok(
            &sim,
            "ListTagsLogGroup",
            json!({"logGroupName": "trail-logs"})
        )["tags"],
        json!({"b": "2", "c": "3"})
    );
    ok(
        &sim,
        "UntagLogGroup",
        json!({"logGroupName": "trail-logs", "tags": ["c"]}),
    );
    assert_eq!(
        ok(&sim, "ListTagsForResource", json!({"resourceArn": ARN}))["tags"],
        json!({"b": "2"})
    );
    assert_eq!(
        err(
            &sim,
            "TagResource",
            json!({"resourceArn": ARN, "tags": {"aws:x": "1"}})
        )
        .code,
        "InvalidParameterException"
    );
    assert_eq!(
        err(
            &sim,
            "TagResource",
            json!({"resourceArn": "not-an-arn", "tags": {}})
        )
        .code,
        "InvalidParameterException"
    );
    let many: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
    assert_eq!(
        err(
            &sim,
            "TagResource",
            json!({"resourceArn": ARN, "tags": many})
        )
        .code,
        "TooManyTagsException"
    );
}

#[test]
fn helpers_for_cloudtrail_delivery() {
    let (_d, sim) = sim();
    group(&sim);
    let info = sim
        .run_unrecorded(|env| super::log_group_by_arn(env, &format!("{ARN}:*")))
        .unwrap() // test setup
        .unwrap(); // the group exists
    assert_eq!(
        (info.name.as_str(), info.log_group_arn.as_str()),
        ("trail-logs", ARN)
    );
    assert_eq!(info.arn, format!("{ARN}:*"));
    let none = sim
        .run_unrecorded(|env| {
            super::log_group_by_arn(env, "arn:aws:logs:us-east-1:123456789012:log-group:x")
        })
        .unwrap(); // test setup
    assert_eq!(none, None);
    let stream = format!("{ACCOUNT}_CloudTrail_us-east-1");
    sim.run_unrecorded(|env| {
        super::put_events_internal(
            env,
            ACCOUNT,
            "us-east-1",
            "trail-logs",
            &stream,
            &[InputLogEvent {
                timestamp: T0_MS,
                message: "{}".into(),
            }],
        )
    })
    .unwrap(); // test setup
    let got = ok(
        &sim,
        "GetLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": stream}),
    );
    assert_eq!(got["events"][0]["message"], "{}");
    let e = sim
        .run_unrecorded(|env| {
            super::put_events_internal(
                env,
                ACCOUNT,
                "us-east-1",
                "nope",
                "s",
                &[InputLogEvent {
                    timestamp: T0_MS,
                    message: "x".into(),
                }],
            )
        })
        .unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
}

// ---- metric filters ----

const UNAUTHORIZED: &str =
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#;

fn unauthorized_filter(sim: &Simulator) {
    ok(
        sim,
        "PutMetricFilter",
        json!({"logGroupName": "trail-logs", "filterName": "unauthorized",
               "filterPattern": UNAUTHORIZED,
               "metricTransformations": [{"metricName": "UnauthorizedAPICalls",
                   "metricNamespace": "CISBenchmark", "metricValue": "1"}]}),
    );
}

#[test]
fn metric_filters_are_put_described_and_deleted() {
    let (_d, sim) = sim();
    group(&sim);
    unauthorized_filter(&sim);
    let got = ok(
        &sim,
        "DescribeMetricFilters",
        json!({"logGroupName": "trail-logs"}),
    );
    assert_eq!(got["metricFilters"][0]["filterName"], "unauthorized");
    assert_eq!(got["metricFilters"][0]["filterPattern"], UNAUTHORIZED);
    assert_eq!(got["metricFilters"][0]["creationTime"], T0_MS);
    let groups = ok(&sim, "DescribeLogGroups", json!({}));
    assert_eq!(groups["logGroups"][0]["metricFilterCount"], 1);
    let by_metric = ok(
        &sim,
        "DescribeMetricFilters",
        json!({"metricName": "UnauthorizedAPICalls", "metricNamespace": "CISBenchmark"}),
    );
    assert_eq!(by_metric["metricFilters"].as_array().map(Vec::len), Some(1));
    ok(
        &sim,
        "DeleteMetricFilter",
        json!({"logGroupName": "trail-logs", "filterName": "unauthorized"}),
    );
    let e = err(
        &sim,
        "DeleteMetricFilter",
        json!({"logGroupName": "trail-logs", "filterName": "unauthorized"}),
    );
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn metric_filter_errors_name_the_problem() {
    let (_d, sim) = sim();
    group(&sim);
    let put = |pattern: &str, value: &str| {
        call(
            &sim,
            "PutMetricFilter",
            json!({"logGroupName": "trail-logs", "filterName": "f", "filterPattern": pattern,
                   "metricTransformations": [{"metricName": "M", "metricNamespace": "N",
                                              "metricValue": value}]}),
        )
    };
    assert_eq!(
        put("{ $.a = ", "1").unwrap_err().code,
        "InvalidParameterException"
    );
    assert_eq!(
        put("ERROR", "$.nope").unwrap_err().code,
        "InvalidParameterException"
    );
    let e = call(
        &sim,
        "PutMetricFilter",
        json!({"logGroupName": "missing", "filterName": "f", "filterPattern": "",
               "metricTransformations": [{"metricName": "M", "metricNamespace": "N",
                                          "metricValue": "1"}]}),
    )
    .unwrap_err();
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn test_metric_filter_reports_matches_with_extracted_values() {
    let (_d, sim) = sim();
    let got = ok(
        &sim,
        "TestMetricFilter",
        json!({"filterPattern": "{ $.eventName = \"ConsoleLogin\" }",
               "logEventMessages": ["{\"eventName\":\"ConsoleLogin\"}", "{\"eventName\":\"x\"}"]}),
    );
    assert_eq!(got["matches"].as_array().map(Vec::len), Some(1));
    assert_eq!(got["matches"][0]["eventNumber"], 1);
}

#[test]
fn events_reaching_a_group_become_metric_data_points() {
    let (_d, sim) = sim();
    group(&sim);
    unauthorized_filter(&sim);
    ok(
        &sim,
        "CreateLogStream",
        json!({"logGroupName": "trail-logs", "logStreamName": "s"}),
    );
    let events: Vec<Value> = [
        r#"{"eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation"}"#,
        r#"{"eventName":"GetObject","errorCode":"AccessDenied"}"#,
        r#"{"eventName":"ListBuckets"}"#,
    ]
    .iter()
    .enumerate()
    .map(|(i, m)| json!({"timestamp": T0_MS + i as i64 * 1000, "message": m}))
    .collect();
    ok(
        &sim,
        "PutLogEvents",
        json!({"logGroupName": "trail-logs", "logStreamName": "s", "logEvents": events}),
    );
    let stats = sim
        .invoke(
            &CallerContext::new(ACCOUNT, "us-east-1"),
            "cloudwatch",
            "GetMetricStatistics",
            json!({"Namespace": "CISBenchmark", "MetricName": "UnauthorizedAPICalls",
                   "StartTime": (T0_MS / 1000) as f64, "EndTime": (T0_MS / 1000 + 3600) as f64,
                   "Period": 300, "Statistics": ["Sum", "SampleCount"]}),
        )
        .unwrap(); // the metric exists
    assert_eq!(stats["Datapoints"][0]["Sum"], 2.0, "{stats}");
    assert_eq!(stats["Datapoints"][0]["SampleCount"], 2.0, "{stats}");
}
