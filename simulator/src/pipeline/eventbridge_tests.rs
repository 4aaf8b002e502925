//! CloudTrail events on the default bus: a rule on StopLogging publishes the envelope to its
//! SNS topic, and the topic's subscriptions receive it; only while a trail logs; exactly
//! once; never events from before the rule; read-only calls only for the
//! all-management-events state; topic policies that do not let EventBridge publish make the
//! invocation fail; inputs are transformed.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::services::eventbridge::{Invocation, invocations};
use crate::services::sns;
use crate::{CallerContext, Simulator};

const ME: &str = "123456789012";
const REGION: &str = "us-east-1";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:trail-alerts";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:alerts";
const STOP_LOGGING: &str =
    r#"{"source":["aws.cloudtrail"],"detail":{"eventName":["StopLogging"]}}"#;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc) // test input
}

fn me() -> CallerContext {
    CallerContext::new(ME, REGION)
}

fn ok(sim: &Simulator, service: &str, op: &str, req: Value) -> Value {
    sim.invoke(&me(), service, op, req)
        .unwrap_or_else(|e| panic!("{service} {op}: {e}"))
}

/// The topic policy the EventBridge user guide documents for SNS targets.
fn eventbridge_topic_policy(topic: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowEventBridge", "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sns:Publish", "Resource": topic}]})
    .to_string()
}

/// A logging trail "audit", a topic EventBridge may publish to with an SQS subscription,
/// and (with `pattern`) a rule "trail-changes" targeting the topic.
fn setup(dir: &std::path::Path, pattern: Option<&str>) -> Simulator {
    let sim = Simulator::open(dir).unwrap(); // test setup
    sim.set_time(at("2026-01-01T00:00:00Z")).unwrap(); // test setup
    ok(&sim, "s3", "CreateBucket", json!({"Bucket": "logs"}));
    ok(
        &sim,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs",
               "Policy": crate::policy::documented_bucket_policy("logs", None, ME)}),
    );
    ok(
        &sim,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "audit", "S3BucketName": "logs"}),
    );
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    ok(&sim, "sns", "CreateTopic", json!({"Name": "trail-alerts"}));
    ok(
        &sim,
        "sns",
        "SetTopicAttributes",
        json!({"TopicArn": TOPIC, "AttributeName": "Policy",
               "AttributeValue": eventbridge_topic_policy(TOPIC)}),
    );
    ok(
        &sim,
        "sns",
        "Subscribe",
        json!({"TopicArn": TOPIC, "Protocol": "sqs", "Endpoint": QUEUE}),
    );
    if let Some(p) = pattern {
        put_rule(&sim, "trail-changes", p, None);
        ok(
            &sim,
            "events",
            "PutTargets",
            json!({"Rule": "trail-changes", "Targets": [{"Id": "alerts", "Arn": TOPIC}]}),
        );
    }
    sim
}

fn put_rule(sim: &Simulator, name: &str, pattern: &str, state: Option<&str>) {
    let mut req = json!({"Name": name, "EventPattern": pattern});
    if let Some(s) = state {
        req["State"] = json!(s);
    }
    ok(sim, "events", "PutRule", req);
}

fn messages(sim: &Simulator) -> Vec<sns::PublishedMessage> {
    sim.run_unrecorded(|env| sns::messages(env, TOPIC)).unwrap() // test read
}

fn all_invocations(sim: &Simulator) -> Vec<Invocation> {
    sim.run_unrecorded(|env| invocations(env, None, None))
        .unwrap() // test read
}

fn stop_logging(sim: &Simulator) {
    ok(sim, "cloudtrail", "StopLogging", json!({"Name": "audit"}));
}

#[test]
fn stop_logging_reaches_the_rules_sns_topic_and_its_subscribers() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), Some(STOP_LOGGING));
    stop_logging(&sim);
    let report = sim.deliver_due().unwrap(); // test store
    assert_eq!(report.eventbridge.matched, 1, "{report:?}");
    assert_eq!(report.eventbridge.invocations, 1);
    assert!(report.eventbridge.failed.is_empty());

    let published = messages(&sim);
    assert_eq!(published.len(), 1);
    let m = &published[0];
    assert_eq!(m.publisher, "events.amazonaws.com");
    let event: Value = serde_json::from_str(&m.message).unwrap(); // the envelope is JSON
    assert_eq!(event["source"], "aws.cloudtrail");
    assert_eq!(event["detail-type"], "AWS API Call via CloudTrail");
    assert_eq!(event["account"], ME);
    assert_eq!(event["region"], REGION);
    assert_eq!(event["detail"]["eventName"], "StopLogging");
    assert_eq!(event["detail"]["eventSource"], "cloudtrail.amazonaws.com");

    let deliveries = sim
        .run_unrecorded(|env| sns::deliveries(env, Some(TOPIC)))
        .unwrap(); // test read
    let to_queue: Vec<_> = deliveries
        .iter()
        .filter(|d| d.endpoint == QUEUE && d.message_type == "Notification")
        .collect();
    assert_eq!(to_queue.len(), 1, "{deliveries:?}");
    let body: Value = serde_json::from_str(&to_queue[0].body).unwrap(); // SNS JSON body
    assert_eq!(body["Message"], m.message);

    let inv = all_invocations(&sim);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv[0].status, "Delivered");
    assert_eq!(inv[0].message_id.as_deref(), Some(m.message_id.as_str()));
    assert_eq!(inv[0].event_id, event["id"].as_str().unwrap_or_default());

    // Exactly once: another pass, and another process on the folder, deliver nothing new.
    assert_eq!(sim.deliver_due().unwrap().eventbridge.invocations, 0); // test store
    drop(sim);
    let again = Simulator::open(dir.path()).unwrap(); // test setup
    assert_eq!(messages(&again).len(), 1);
}

#[test]
fn nothing_reaches_the_bus_without_a_logging_trail() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), Some(STOP_LOGGING));
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert_eq!(messages(&sim).len(), 1);
    // The trail is stopped now: a later StopLogging is recorded but no trail logs it.
    sim.advance_time(chrono::Duration::minutes(1)).unwrap(); // test clock
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert_eq!(messages(&sim).len(), 1);
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert_eq!(messages(&sim).len(), 2);
}

#[test]
fn rules_never_see_events_from_before_they_existed_or_were_enabled() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), None);
    stop_logging(&sim);
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    put_rule(&sim, "late", STOP_LOGGING, None);
    ok(
        &sim,
        "events",
        "PutTargets",
        json!({"Rule": "late", "Targets": [{"Id": "t", "Arn": TOPIC}]}),
    );
    sim.deliver_due().unwrap(); // test store
    assert!(messages(&sim).is_empty());
    ok(&sim, "events", "DisableRule", json!({"Name": "late"}));
    stop_logging(&sim);
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    sim.deliver_due().unwrap(); // test store
    assert!(messages(&sim).is_empty());
    ok(&sim, "events", "EnableRule", json!({"Name": "late"}));
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert_eq!(messages(&sim).len(), 1);
}

#[test]
fn a_rule_does_not_see_its_own_creation() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), None);
    let puts = r#"{"source":["aws.events"],"detail":{"eventName":["PutRule"]}}"#;
    put_rule(&sim, "watcher", puts, None);
    ok(
        &sim,
        "events",
        "PutTargets",
        json!({"Rule": "watcher", "Targets": [{"Id": "q", "Arn": QUEUE}]}),
    );
    sim.deliver_due().unwrap(); // test store
    assert!(all_invocations(&sim).is_empty());
    put_rule(&sim, "another", STOP_LOGGING, None);
    sim.deliver_due().unwrap(); // test store
    let inv = all_invocations(&sim);
    assert_eq!(inv.len(), 1);
    let event: Value = serde_json::from_str(&inv[0].input).unwrap(); // the envelope
    assert_eq!(event["detail"]["requestParameters"]["name"], "another");
}

#[test]
fn read_only_calls_reach_only_rules_with_all_management_events() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), None);
    let describe = r#"{"detail":{"eventName":["DescribeTrails"]}}"#;
    put_rule(&sim, "plain", describe, None);
    put_rule(
        &sim,
        "all",
        describe,
        Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
    );
    for rule in ["plain", "all"] {
        ok(
            &sim,
            "events",
            "PutTargets",
            json!({"Rule": rule, "Targets": [{"Id": "q", "Arn": QUEUE}]}),
        );
    }
    ok(&sim, "cloudtrail", "DescribeTrails", json!({}));
    sim.deliver_due().unwrap(); // test store
    let inv = all_invocations(&sim);
    let rules: Vec<&str> = inv.iter().map(|i| i.rule_name.as_str()).collect();
    assert_eq!(rules, ["all"]);
    assert_eq!(inv[0].target_arn, QUEUE);
    let event: Value = serde_json::from_str(&inv[0].input).unwrap(); // the envelope
    assert_eq!(event["detail"]["eventName"], "DescribeTrails");
}

#[test]
fn a_topic_policy_without_eventbridge_makes_the_invocation_fail() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), Some(STOP_LOGGING));
    // Back to AWS's default policy: the owner account only, no service principal.
    ok(
        &sim,
        "sns",
        "SetTopicAttributes",
        json!({"TopicArn": TOPIC, "AttributeName": "Policy",
               "AttributeValue": sns::topics::default_policy(TOPIC, ME)}),
    );
    stop_logging(&sim);
    let report = sim.deliver_due().unwrap(); // test store
    assert_eq!(report.eventbridge.invocations, 1);
    assert_eq!(
        report.eventbridge.failed,
        [(
            format!("arn:aws:events:{REGION}:{ME}:rule/trail-changes"),
            TOPIC.to_string(),
            "AuthorizationError".to_string()
        )]
    );
    assert!(messages(&sim).is_empty());
    let inv = all_invocations(&sim);
    assert_eq!(inv[0].status, "Failed");
    assert_eq!(inv[0].error_code.as_deref(), Some("AuthorizationError"));
}

#[test]
fn topic_policies_scoped_to_the_rule_arn_let_it_publish() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), Some(STOP_LOGGING));
    let scoped = |rule: &str| {
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sns:Publish", "Resource": TOPIC,
            "Condition": {"ArnEquals": {"aws:SourceArn":
                format!("arn:aws:events:{REGION}:{ME}:rule/{rule}")}}}]})
        .to_string()
    };
    let set = |policy: String| {
        ok(
            &sim,
            "sns",
            "SetTopicAttributes",
            json!({"TopicArn": TOPIC, "AttributeName": "Policy", "AttributeValue": policy}),
        )
    };
    set(scoped("another-rule"));
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert!(messages(&sim).is_empty());
    set(scoped("trail-changes"));
    ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    assert_eq!(messages(&sim).len(), 1);
}

#[test]
fn input_transformers_shape_what_the_topic_receives() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), None);
    put_rule(&sim, "r", STOP_LOGGING, None);
    ok(
        &sim,
        "events",
        "PutTargets",
        json!({"Rule": "r", "Targets": [{"Id": "t", "Arn": TOPIC, "InputTransformer": {
            "InputPathsMap": {"who": "$.detail.eventSource", "name": "$.detail.eventName"},
            "InputTemplate": "\"<who> called <name> (rule <aws.events.rule-name>)\""}}]}),
    );
    stop_logging(&sim);
    sim.deliver_due().unwrap(); // test store
    let published = messages(&sim);
    assert_eq!(published.len(), 1);
    assert_eq!(
        published[0].message,
        "\"cloudtrail.amazonaws.com called StopLogging (rule r)\""
    );
}

#[test]
fn without_enabled_rules_the_pass_reads_nothing() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(dir.path(), None);
    stop_logging(&sim);
    let report = sim.deliver_due().unwrap(); // test store
    assert!(report.eventbridge.is_empty());
    let cursor = sim
        .read(|db| {
            Ok(db.document(&crate::store::DocKey {
                service: "events",
                kind: super::CURSOR_KIND,
                account_id: "",
                region: "",
                id: "cloudtrail",
            })?)
        })
        .unwrap(); // test read
    assert_eq!(cursor, None);
}

#[test]
fn a_backlog_reaches_the_rules_in_bounded_passes_exactly_once() {
    use crate::generate::{Generator, Profile};
    use crate::pipeline::{PASS_EVENTS, run_due};

    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = setup(
        dir.path(),
        Some(r#"{"source":["aws.ec2"],"detail":{"eventName":["RunInstances"]}}"#),
    );
    let mut profile = Profile::new(
        4,
        at("2026-01-01T00:01:00Z"),
        u64::from(PASS_EVENTS) * 2 + 500,
        vec![ME.to_string()],
    );
    profile.regions = vec![REGION.to_string()];
    let runs = Generator::new(profile.clone())
        .unwrap() // valid profile
        .filter(|e| e.event_name == "RunInstances")
        .count() as u64;
    assert!(runs > 0);
    // Appended with no due work in between: one backlog.
    sim.run_unrecorded(|env| {
        for e in Generator::new(profile).unwrap() {
            env.db.insert_event_if_new(&e)?;
        }
        Ok(())
    })
    .unwrap(); // test setup

    let first = sim.run_unrecorded(run_due).unwrap(); // test store
    assert!(first.more && first.eventbridge.more);
    assert!(first.eventbridge.matched < runs);
    let rest = sim.deliver_due().unwrap(); // the passes left
    assert_eq!(first.eventbridge.matched + rest.eventbridge.matched, runs);
    assert_eq!(all_invocations(&sim).len() as u64, runs);
}
