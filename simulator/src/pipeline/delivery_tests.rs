//! Log delivery: files at the real key layout once their window closes, only what the trail
//! captured while logging, exactly once across restarts, destination errors reported and
//! recovered from, CloudWatch Logs and SNS fed.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::services::{s3, sns};
use crate::{CallerContext, Simulator};

const ME: &str = "123456789012";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc) // test input
}

fn open(dir: &Path) -> Simulator {
    Simulator::open(dir).unwrap() // test setup
}

fn me() -> CallerContext {
    CallerContext::new(ME, "us-east-1")
}

fn ok(sim: &Simulator, ctx: &CallerContext, service: &str, op: &str, req: Value) -> Value {
    sim.invoke(ctx, service, op, req)
        .unwrap_or_else(|e| panic!("{service} {op}: {e}"))
}

fn good_policy(bucket: &str) -> String {
    crate::policy::documented_bucket_policy(bucket, None, ME)
}

/// A bucket "logs" with CloudTrail's documented policy and a trail "audit" (not logging)
/// created at 2026-01-01T00:00:00Z.
fn setup(dir: &Path, trail_extra: Value) -> Simulator {
    let sim = open(dir);
    sim.set_time(at("2026-01-01T00:00:00Z")).unwrap(); // test setup
    ok(&sim, &me(), "s3", "CreateBucket", json!({"Bucket": "logs"}));
    ok(
        &sim,
        &me(),
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": crate::policy::documented_bucket_policy(
            "logs",
            trail_extra["S3KeyPrefix"].as_str(),
            ME,
        )}),
    );
    let mut req = json!({"Name": "audit", "S3BucketName": "logs"});
    if let (Some(r), Some(e)) = (req.as_object_mut(), trail_extra.as_object()) {
        r.extend(e.clone());
    }
    ok(&sim, &me(), "cloudtrail", "CreateTrail", req);
    sim
}

fn start(sim: &Simulator) {
    ok(
        sim,
        &me(),
        "cloudtrail",
        "StartLogging",
        json!({"Name": "audit"}),
    );
}

fn log_files(sim: &Simulator) -> Vec<Value> {
    sim.read(|db| Ok(db.documents("cloudtrail", "log-file", None, None)?))
        .unwrap() // test read
        .into_iter()
        .map(|d| d.body)
        .collect()
}

fn file_records(sim: &Simulator, bucket: &str, key: &str) -> Vec<Value> {
    let gz = sim
        .run_unrecorded(|env| s3::object_bytes(env, bucket, key))
        .unwrap() // test read
        .unwrap_or_else(|| panic!("no object {key}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap(); // delivered files are gzip
    let v: Value = serde_json::from_str(&text).unwrap(); // delivered files are JSON
    v["Records"].as_array().cloned().unwrap_or_default()
}

fn all_records(sim: &Simulator) -> Vec<Value> {
    log_files(sim)
        .iter()
        .flat_map(|f| {
            file_records(
                sim,
                f["bucket"].as_str().unwrap_or_default(),
                f["key"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

fn names(records: &[Value]) -> BTreeSet<String> {
    records
        .iter()
        .map(|r| r["eventName"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn status(sim: &Simulator) -> Value {
    ok(
        sim,
        &me(),
        "cloudtrail",
        "GetTrailStatus",
        json!({"Name": "audit"}),
    )
}

#[test]
fn files_arrive_at_the_real_key_layout_once_their_window_closes() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({"S3KeyPrefix": "trail"}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me(), "s3", "ListBuckets", json!({}));
    sim.set_time(at("2026-01-01T00:02:30Z")).unwrap();
    ok(&sim, &me(), "cloudtrail", "DescribeTrails", json!({}));
    assert!(log_files(&sim).is_empty(), "the window is still open");

    sim.advance_time(Duration::minutes(10)).unwrap();
    let files = log_files(&sim);
    assert_eq!(files.len(), 1);
    let key = files[0]["key"].as_str().unwrap(); // stored as a string
    let prefix = "trail/AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/01/123456789012_CloudTrail_us-east-1_20260101T0005Z_";
    assert!(key.starts_with(prefix), "{key}");
    let unique = &key[prefix.len()..key.len() - ".json.gz".len()];
    assert_eq!(unique.len(), 16);
    assert!(unique.chars().all(|c| c.is_ascii_alphanumeric()));
    assert!(key.ends_with(".json.gz"));

    let records = file_records(&sim, "logs", key);
    assert_eq!(files[0]["records"], json!(records.len()));
    let events: Vec<&str> = records
        .iter()
        .map(|r| r["eventName"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(events, ["StartLogging", "ListBuckets", "DescribeTrails"]);
    insta::assert_json_snapshot!("delivered_records", records);

    let s = status(&sim);
    assert_eq!(s["LatestDeliveryTime"], json!(1767226350.0));
    assert!(s.get("LatestDeliveryError").is_none_or(Value::is_null));
    // A later window holds only what happened since (the GetTrailStatus call).
    sim.advance_time(Duration::minutes(10)).unwrap();
    assert_eq!(log_files(&sim).len(), 2);
    let all: Vec<String> = all_records(&sim)
        .iter()
        .map(|r| r["eventName"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        all,
        [
            "StartLogging",
            "ListBuckets",
            "DescribeTrails",
            "GetTrailStatus"
        ]
    );
}

#[test]
fn stopped_trails_deliver_nothing_and_a_restart_skips_the_gap() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me(), "s3", "ListBuckets", json!({}));
    sim.set_time(at("2026-01-01T00:02:00Z")).unwrap();
    ok(
        &sim,
        &me(),
        "cloudtrail",
        "StopLogging",
        json!({"Name": "audit"}),
    );
    sim.set_time(at("2026-01-01T00:03:00Z")).unwrap();
    ok(&sim, &me(), "kms", "ListKeys", json!({}));
    sim.set_time(at("2026-01-01T00:20:00Z")).unwrap();
    ok(&sim, &me(), "sns", "ListTopics", json!({}));
    let before = all_records(&sim);
    // What was captured while logging (StopLogging included) is still delivered; nothing
    // after the stop.
    assert_eq!(
        names(&before),
        ["ListBuckets", "StartLogging", "StopLogging"]
            .map(String::from)
            .into()
    );
    sim.set_time(at("2026-01-01T00:21:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me(), "sns", "ListTopics", json!({}));
    sim.advance_time(Duration::minutes(10)).unwrap();
    let after = names(&all_records(&sim));
    assert!(after.contains("ListTopics"));
    assert!(
        !after.contains("ListKeys"),
        "events while stopped: {after:?}"
    );
    let list_topics = all_records(&sim)
        .iter()
        .filter(|r| r["eventName"] == "ListTopics")
        .count();
    assert_eq!(
        list_topics, 1,
        "the ListTopics made while stopped is skipped"
    );
}

#[test]
fn a_trail_that_never_logged_delivers_nothing() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({}));
    ok(&sim, &me(), "s3", "ListBuckets", json!({}));
    sim.advance_time(Duration::hours(1)).unwrap();
    assert!(log_files(&sim).is_empty());
}

#[test]
fn events_are_delivered_exactly_once_across_a_restart() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    {
        let sim = setup(dir.path(), json!({}));
        sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
        start(&sim);
        ok(&sim, &me(), "s3", "ListBuckets", json!({}));
        sim.advance_time(Duration::minutes(10)).unwrap();
        assert_eq!(log_files(&sim).len(), 1);
        ok(&sim, &me(), "kms", "ListKeys", json!({}));
        ok(&sim, &me(), "sns", "ListTopics", json!({}));
        // Dropped with the second window still open.
    }
    let sim = open(dir.path());
    assert_eq!(log_files(&sim).len(), 1);
    sim.advance_time(Duration::minutes(10)).unwrap();
    drop(sim);
    let sim = open(dir.path());
    sim.advance_time(Duration::minutes(10)).unwrap();
    let records = all_records(&sim);
    let ids: BTreeSet<&str> = records
        .iter()
        .map(|r| r["eventID"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids.len(), records.len(), "no record delivered twice");
    assert_eq!(
        names(&records),
        ["ListBuckets", "ListKeys", "ListTopics", "StartLogging"]
            .map(String::from)
            .into()
    );
    assert_eq!(log_files(&sim).len(), 2);
}

#[test]
fn write_only_trails_get_no_read_events() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({}));
    ok(
        &sim,
        &me(),
        "cloudtrail",
        "PutEventSelectors",
        json!({"TrailName": "audit", "EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]}),
    );
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me(), "s3", "ListBuckets", json!({}));
    ok(
        &sim,
        &me(),
        "s3",
        "CreateBucket",
        json!({"Bucket": "other"}),
    );
    sim.advance_time(Duration::minutes(10)).unwrap();
    let records = all_records(&sim);
    assert_eq!(
        names(&records),
        ["CreateBucket", "StartLogging"].map(String::from).into()
    );
}

#[test]
fn organization_trails_deliver_member_events_under_the_organization_path() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = open(dir.path());
    sim.set_time(at("2026-01-01T00:00:00Z")).unwrap();
    let org = ok(
        &sim,
        &me(),
        "organizations",
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    );
    let org_id = org["Organization"]["Id"].as_str().unwrap().to_string(); // test setup
    ok(
        &sim,
        &me(),
        "organizations",
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    );
    let created = ok(
        &sim,
        &me(),
        "organizations",
        "CreateAccount",
        json!({"AccountName": "member", "Email": "m@example.com"}),
    );
    let member = created["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap()
        .to_string(); // test setup
    let mut policy: Value = serde_json::from_str(&good_policy("logs")).unwrap();
    policy["Statement"][1]["Resource"] = json!([
        format!("arn:aws:s3:::logs/AWSLogs/{ME}/*"),
        format!("arn:aws:s3:::logs/AWSLogs/{org_id}/*")
    ]);
    ok(&sim, &me(), "s3", "CreateBucket", json!({"Bucket": "logs"}));
    ok(
        &sim,
        &me(),
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy.to_string()}),
    );
    ok(
        &sim,
        &me(),
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "audit", "S3BucketName": "logs", "IsOrganizationTrail": true, "IsMultiRegionTrail": true}),
    );
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    let member_ctx = CallerContext::new(&member, "eu-west-1");
    ok(&sim, &member_ctx, "sns", "ListTopics", json!({}));
    sim.advance_time(Duration::minutes(10)).unwrap();
    let keys: Vec<String> = log_files(&sim)
        .iter()
        .map(|f| f["key"].as_str().unwrap_or_default().to_string())
        .collect();
    let member_prefix = format!(
        "AWSLogs/{org_id}/{member}/CloudTrail/eu-west-1/2026/01/01/{member}_CloudTrail_eu-west-1_20260101T0005Z_"
    );
    assert!(
        keys.iter().any(|k| k.starts_with(&member_prefix)),
        "{keys:?}"
    );
    let own_prefix = format!("AWSLogs/{org_id}/{ME}/CloudTrail/us-east-1/");
    assert!(keys.iter().any(|k| k.starts_with(&own_prefix)), "{keys:?}");
}

#[test]
fn a_removed_bucket_policy_is_a_delivery_error_until_restored() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(
        &sim,
        &me(),
        "s3",
        "DeleteBucketPolicy",
        json!({"Bucket": "logs"}),
    );
    ok(&sim, &me(), "s3", "ListBuckets", json!({}));
    sim.advance_time(Duration::minutes(10)).unwrap();
    assert!(log_files(&sim).is_empty());
    let s = status(&sim);
    assert_eq!(s["LatestDeliveryError"], json!("AccessDenied"));
    assert!(s.get("LatestDeliveryTime").is_none_or(Value::is_null));

    ok(
        &sim,
        &me(),
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": good_policy("logs")}),
    );
    sim.advance_time(Duration::minutes(10)).unwrap();
    let delivered = names(&all_records(&sim));
    assert!(delivered.contains("ListBuckets"), "{delivered:?}");
    assert!(delivered.contains("DeleteBucketPolicy"));
    let s = status(&sim);
    assert!(s.get("LatestDeliveryError").is_none_or(Value::is_null));
    assert!(s["LatestDeliveryTime"].is_number());
}

#[test]
fn a_deleted_bucket_is_reported_as_no_such_bucket() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me(), "s3", "DeleteBucket", json!({"Bucket": "logs"}));
    sim.advance_time(Duration::minutes(10)).unwrap();
    assert_eq!(status(&sim)["LatestDeliveryError"], json!("NoSuchBucket"));
}

#[test]
fn cloudwatch_logs_and_sns_receive_each_file() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = open(dir.path());
    sim.set_time(at("2026-01-01T00:00:00Z")).unwrap();
    let me = me();
    ok(&sim, &me, "s3", "CreateBucket", json!({"Bucket": "logs"}));
    ok(
        &sim,
        &me,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": good_policy("logs")}),
    );
    ok(
        &sim,
        &me,
        "logs",
        "CreateLogGroup",
        json!({"logGroupName": "trail"}),
    );
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    ok(
        &sim,
        &me,
        "iam",
        "CreateRole",
        json!({"RoleName": "trail-to-logs", "AssumeRolePolicyDocument": trust.to_string()}),
    );
    let permissions = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": format!("arn:aws:logs:us-east-1:{ME}:log-group:trail:log-stream:*")}]});
    ok(
        &sim,
        &me,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": "trail-to-logs", "PolicyName": "write", "PolicyDocument": permissions.to_string()}),
    );
    let topic_arn = format!("arn:aws:sns:us-east-1:{ME}:alerts");
    ok(&sim, &me, "sns", "CreateTopic", json!({"Name": "alerts"}));
    let topic_policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "SNS:Publish", "Resource": topic_arn}]});
    ok(
        &sim,
        &me,
        "sns",
        "SetTopicAttributes",
        json!({"TopicArn": topic_arn, "AttributeName": "Policy", "AttributeValue": topic_policy.to_string()}),
    );
    ok(
        &sim,
        &me,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "audit", "S3BucketName": "logs", "SnsTopicName": "alerts",
            "CloudWatchLogsLogGroupArn": format!("arn:aws:logs:us-east-1:{ME}:log-group:trail:*"),
            "CloudWatchLogsRoleArn": format!("arn:aws:iam::{ME}:role/trail-to-logs")}),
    );
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    ok(&sim, &me, "s3", "ListBuckets", json!({}));
    sim.advance_time(Duration::minutes(10)).unwrap();

    let files = log_files(&sim);
    assert_eq!(files.len(), 1);
    let key = files[0]["key"].as_str().unwrap_or_default().to_string();

    let events = ok(
        &sim,
        &me,
        "logs",
        "GetLogEvents",
        json!({"logGroupName": "trail", "logStreamName": format!("{ME}_CloudTrail_us-east-1"), "startFromHead": true}),
    );
    let messages: Vec<Value> = events["events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| serde_json::from_str(e["message"].as_str().unwrap_or("null")).unwrap())
        .collect();
    assert_eq!(
        names(&messages),
        ["ListBuckets", "StartLogging"].map(String::from).into()
    );
    assert_eq!(
        events["events"][0]["timestamp"],
        json!(1767225660000i64),
        "timestamp = eventTime"
    );

    let published = sim
        .run_unrecorded(|env| sns::messages(env, &topic_arn))
        .unwrap(); // test read
    assert_eq!(published.len(), 1);
    let m: Value = serde_json::from_str(&published[0].message).unwrap(); // JSON message
    assert_eq!(m, json!({"s3Bucket": "logs", "s3ObjectKey": [key]}));

    let s = status(&sim);
    assert!(s["LatestCloudWatchLogsDeliveryTime"].is_number());
    assert!(s["LatestNotificationTime"].is_number());
}

#[test]
fn generated_traffic_is_delivered_once_per_captured_event() {
    use crate::generate::{Generator, Profile};
    use crate::pipeline::selectors::{Selectors, TrailScope, trail_captures};

    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({"IsMultiRegionTrail": true}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    let profile = Profile::new(7, at("2026-01-01T00:01:00Z"), 5_000, vec![ME.to_string()]);
    let records: Vec<Value> = Generator::new(profile).unwrap().records().collect(); // valid profile
    sim.append_records(records.clone()).unwrap();
    sim.advance_time(Duration::hours(1)).unwrap();

    let scope = TrailScope {
        home_region: "us-east-1".into(),
        multi_region: true,
        include_global_service_events: true,
        account_id: ME.into(),
        organization_accounts: vec![],
    };
    let expected: BTreeSet<String> = records
        .iter()
        .filter(|r| trail_captures(&scope, &Selectors::Default, r))
        .map(|r| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect();
    let delivered = all_records(&sim);
    let ids: BTreeSet<String> = delivered
        .iter()
        .map(|r| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), delivered.len(), "no duplicates");
    assert!(expected.len() > 1_000);
    assert!(expected.is_subset(&ids), "every captured generated event");
    // Besides the generated ones, only StartLogging (the call that began logging).
    assert_eq!(ids.len(), expected.len() + 1);
    // Files are per account, region and 5-minute window, and hold their window's events.
    for f in log_files(&sim) {
        let key = f["key"].as_str().unwrap_or_default();
        let region = f["region"].as_str().unwrap_or_default();
        assert!(key.contains(&format!("/CloudTrail/{region}/")), "{key}");
    }
}

#[test]
fn a_backlog_is_delivered_in_bounded_passes_exactly_once() {
    use crate::generate::{Generator, Profile};
    use crate::pipeline::selectors::{Selectors, TrailScope, trail_captures};
    use crate::pipeline::{PASS_EVENTS, run_due};

    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), json!({"IsMultiRegionTrail": true}));
    sim.set_time(at("2026-01-01T00:01:00Z")).unwrap();
    start(&sim);
    let mut profile = Profile::new(
        3,
        at("2026-01-01T00:01:00Z"),
        u64::from(PASS_EVENTS) * 2 + 500,
        vec![ME.to_string()],
    );
    profile.rate_per_sec = 50.0;
    // Appended, and the clock moved past every window, with no due work in between.
    let records: Vec<Value> = Generator::new(profile.clone()).unwrap().records().collect(); // valid profile
    sim.run_unrecorded(|env| {
        for e in Generator::new(profile).unwrap() {
            env.db.insert_event_if_new(&e)?;
        }
        env.db
            .set_clock(crate::Clock::Fixed(at("2026-01-01T02:00:00Z")))?;
        Ok(())
    })
    .unwrap(); // test setup

    // One pass reads PASS_EVENTS events, delivers what is due among them and stops there.
    let first = sim.run_unrecorded(run_due).unwrap(); // test store
    assert!(first.more && first.delivery.more);
    let in_first: usize = first.delivery.files.iter().map(|f| f.records).sum();
    assert!(in_first > 0 && in_first <= PASS_EVENTS as usize);

    sim.run_due_work().unwrap(); // the facade runs passes until none is left
    let scope = TrailScope {
        home_region: "us-east-1".into(),
        multi_region: true,
        include_global_service_events: true,
        account_id: ME.into(),
        organization_accounts: vec![],
    };
    let expected: BTreeSet<String> = records
        .iter()
        .filter(|r| trail_captures(&scope, &Selectors::Default, r))
        .map(|r| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect();
    let delivered = all_records(&sim);
    let ids: BTreeSet<String> = delivered
        .iter()
        .map(|r| r["eventID"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), delivered.len(), "no duplicates");
    assert!(expected.is_subset(&ids), "every captured generated event");
    // Besides the generated ones, only StartLogging.
    assert_eq!(ids.len(), expected.len() + 1);
}
