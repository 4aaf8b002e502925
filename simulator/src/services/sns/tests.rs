//! Behaviour of the SNS service through the simulator facade.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::services::sns::Delivery;
use crate::{AwsError, CallerContext, Simulator};

trait ReadDeliveries {
    fn read_deliveries(&self, topic: Option<&str>) -> Vec<Delivery>;
}

impl ReadDeliveries for Simulator {
    fn read_deliveries(&self, topic: Option<&str>) -> Vec<Delivery> {
        self.run_unrecorded(|env| crate::services::sns::deliveries(env, topic))
            .unwrap() // test store
    }
}

const ACCOUNT: &str = "123456789012";
const OTHER: &str = "210987654321";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
        .unwrap(); // literal date, test setup
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn call_as(sim: &Simulator, c: &CallerContext, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(c, "sns", op, req)
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    match call_as(sim, &ctx(), op, req) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

fn err(sim: &Simulator, op: &str, req: Value) -> AwsError {
    err_as(sim, &ctx(), op, req)
}

fn err_as(sim: &Simulator, c: &CallerContext, op: &str, req: Value) -> AwsError {
    match call_as(sim, c, op, req) {
        Ok(v) => panic!("{op} should fail, got {v}"),
        Err(e) => e,
    }
}

fn arn(name: &str) -> String {
    format!("arn:aws:sns:us-east-1:{ACCOUNT}:{name}")
}

#[test]
fn create_topic_returns_arn_and_default_attributes() {
    let (_d, sim) = sim();
    let r = ok(&sim, "CreateTopic", json!({"Name": "trail-events"}));
    assert_eq!(r, json!({"TopicArn": arn("trail-events")}));
    let attrs = ok(
        &sim,
        "GetTopicAttributes",
        json!({"TopicArn": arn("trail-events")}),
    )["Attributes"]
        .clone();
    let keys: Vec<&str> = attrs
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "Policy",
            "Owner",
            "SubscriptionsPending",
            "TopicArn",
            "EffectiveDeliveryPolicy",
            "SubscriptionsConfirmed",
            "DisplayName",
            "SubscriptionsDeleted"
        ]
    );
    assert_eq!(attrs["Owner"], ACCOUNT);
    assert_eq!(attrs["DisplayName"], "");
    assert_eq!(attrs["SubscriptionsConfirmed"], "0");
    let policy: Value = serde_json::from_str(attrs["Policy"].as_str().unwrap()).unwrap();
    assert_eq!(
        policy,
        json!({"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
            "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": arn("trail-events"),
            "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]})
    );
    let edp: Value =
        serde_json::from_str(attrs["EffectiveDeliveryPolicy"].as_str().unwrap()).unwrap();
    assert_eq!(edp["http"]["defaultHealthyRetryPolicy"]["numRetries"], 3);
}

#[test]
fn create_topic_is_idempotent_for_same_attributes_and_tags() {
    let (_d, sim) = sim();
    let req = json!({"Name": "t1", "Attributes": {"DisplayName": "ct"}, "Tags": [{"Key": "env", "Value": "dev"}]});
    let a = ok(&sim, "CreateTopic", req.clone());
    assert_eq!(ok(&sim, "CreateTopic", req), a);
    assert_eq!(ok(&sim, "CreateTopic", json!({"Name": "t1"})), a);
    let e = err(
        &sim,
        "CreateTopic",
        json!({"Name": "t1", "Attributes": {"DisplayName": "other"}}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidParameter",
            "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
        )
    );
    let e = err(
        &sim,
        "CreateTopic",
        json!({"Name": "t1", "Tags": [{"Key": "env", "Value": "prod"}]}),
    );
    assert_eq!(
        e.message,
        "Invalid parameter: Tags Reason: Topic already exists with different tags"
    );
    assert_eq!(
        ok(&sim, "ListTopics", json!({}))["Topics"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn topic_name_rules_table() {
    let (_d, sim) = sim();
    let long_ok = "a".repeat(256);
    let too_long = "a".repeat(257);
    let fifo_long = format!("{}.fifo", "a".repeat(251));
    let cases: Vec<(Value, bool)> = vec![
        (json!({"Name": "ok-name_1"}), true),
        (json!({"Name": long_ok}), true),
        (json!({"Name": too_long}), false),
        (json!({"Name": ""}), false),
        (json!({"Name": "has space"}), false),
        (json!({"Name": "dot.name"}), false),
        (json!({"Name": "x.fifo"}), false),
        (
            json!({"Name": "x.fifo", "Attributes": {"FifoTopic": "true"}}),
            true,
        ),
        (
            json!({"Name": fifo_long, "Attributes": {"FifoTopic": "true"}}),
            true,
        ),
        (
            json!({"Name": "x", "Attributes": {"FifoTopic": "true"}}),
            false,
        ),
        (
            json!({"Name": ".fifo", "Attributes": {"FifoTopic": "true"}}),
            false,
        ),
    ];
    for (req, valid) in cases {
        match call_as(&sim, &ctx(), "CreateTopic", req.clone()) {
            Ok(_) => assert!(valid, "{req} should be refused"),
            Err(e) => {
                assert!(!valid, "{req}: {e}");
                assert_eq!(
                    (e.code.as_str(), e.message.as_str()),
                    ("InvalidParameter", "Invalid parameter: Topic Name")
                );
            }
        }
    }
}

#[test]
fn attribute_validation_table() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "std"}));
    let set = |name: &str, value: &str| {
        call_as(
            &sim,
            &ctx(),
            "SetTopicAttributes",
            json!({"TopicArn": arn("std"), "AttributeName": name, "AttributeValue": value}),
        )
    };
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("DisplayName", "Trail alerts", None),
        ("KmsMasterKeyId", "alias/aws/sns", None),
        ("SignatureVersion", "2", None),
        ("TracingConfig", "Active", None),
        ("DeliveryPolicy", r#"{"http":{}}"#, None),
        (
            "Policy",
            "not json",
            Some("Invalid parameter: Policy Error: null"),
        ),
        (
            "Policy",
            r#"{"Version":"2012-10-17"}"#,
            Some("Invalid parameter: Policy Error: Statement is missing"),
        ),
        (
            "Policy",
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
            Some("Invalid parameter: Policy statement action out of service scope!"),
        ),
        (
            "FifoTopic",
            "true",
            Some("Invalid parameter: AttributeName"),
        ),
        ("Bogus", "x", Some("Invalid parameter: AttributeName")),
        (
            "SignatureVersion",
            "3",
            Some("Invalid parameter: SignatureVersion Reason: SignatureVersion must be 1 or 2"),
        ),
        (
            "ContentBasedDeduplication",
            "true",
            Some(
                "Invalid parameter: ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics",
            ),
        ),
    ];
    for (name, value, want) in cases {
        match (set(name, value), want) {
            (Ok(_), None) => {}
            (Err(e), Some(m)) => assert_eq!(
                (e.code.as_str(), e.message.as_str()),
                ("InvalidParameter", *m),
                "{name}"
            ),
            (got, _) => panic!("{name}={value}: {got:?}"),
        }
    }
    let attrs =
        ok(&sim, "GetTopicAttributes", json!({"TopicArn": arn("std")}))["Attributes"].clone();
    assert_eq!(attrs["DisplayName"], "Trail alerts");
    assert_eq!(attrs["KmsMasterKeyId"], "alias/aws/sns");
    assert_eq!(attrs["EffectiveDeliveryPolicy"], r#"{"http":{}}"#);
    // An empty KmsMasterKeyId turns encryption off.
    set("KmsMasterKeyId", "").unwrap();
    let attrs =
        ok(&sim, "GetTopicAttributes", json!({"TopicArn": arn("std")}))["Attributes"].clone();
    assert!(attrs.get("KmsMasterKeyId").is_none());

    let policy = json!({"Version": "2012-10-17", "Statement": [{"Sid": "AWSCloudTrailSNSPolicy", "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "SNS:Publish", "Resource": arn("std")}]}).to_string();
    set("Policy", &policy).unwrap();
    let info = sim
        .run_unrecorded(|env| crate::services::sns::topic(env, &arn("std")))
        .unwrap()
        .unwrap();
    assert_eq!(info.policy, policy);
    assert!(crate::services::sns::topics::policy_allows_service(
        &info.policy,
        "cloudtrail.amazonaws.com",
        ACCOUNT,
        "Publish"
    ));
    assert!(!crate::services::sns::topics::policy_allows_service(
        &info.policy,
        "s3.amazonaws.com",
        ACCOUNT,
        "Publish"
    ));
}

#[test]
fn topic_errors_table() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "mine"}));
    let west = CallerContext::new(ACCOUNT, "us-west-2");
    let other = CallerContext::new(OTHER, "us-east-1");
    let me = ctx();
    let cases: Vec<(&CallerContext, &str, Value, &str, u16)> = vec![
        (
            &me,
            "GetTopicAttributes",
            json!({"TopicArn": arn("missing")}),
            "NotFound",
            404,
        ),
        (
            &me,
            "GetTopicAttributes",
            json!({"TopicArn": "not-an-arn"}),
            "InvalidParameter",
            400,
        ),
        (
            &west,
            "GetTopicAttributes",
            json!({"TopicArn": arn("mine")}),
            "InvalidParameter",
            400,
        ),
        (
            &other,
            "GetTopicAttributes",
            json!({"TopicArn": arn("mine")}),
            "AuthorizationError",
            403,
        ),
        (
            &other,
            "Publish",
            json!({"TopicArn": arn("mine"), "Message": "hi"}),
            "AuthorizationError",
            403,
        ),
        (
            &me,
            "SetTopicAttributes",
            json!({"TopicArn": arn("missing"), "AttributeName": "DisplayName", "AttributeValue": "x"}),
            "NotFound",
            404,
        ),
        (
            &me,
            "ListTopics",
            json!({"NextToken": "zz"}),
            "InvalidParameter",
            400,
        ),
    ];
    for (c, op, req, code, status) in cases {
        let e = err_as(&sim, c, op, req.clone());
        assert_eq!(
            (e.code.as_str(), e.http_status),
            (code, status),
            "{op} {req}: {e}"
        );
    }
    assert_eq!(
        err(
            &sim,
            "GetTopicAttributes",
            json!({"TopicArn": arn("missing")})
        )
        .message,
        "Topic does not exist"
    );
    // DeleteTopic is idempotent.
    assert_eq!(
        ok(&sim, "DeleteTopic", json!({"TopicArn": arn("missing")})),
        json!({})
    );
}

#[test]
fn cross_account_access_follows_the_topic_policy() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "shared"}));
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{OTHER}:root")}, "Action": ["SNS:Publish"], "Resource": arn("shared")}]});
    ok(
        &sim,
        "SetTopicAttributes",
        json!({"TopicArn": arn("shared"), "AttributeName": "Policy", "AttributeValue": policy.to_string()}),
    );
    let other = CallerContext::new(OTHER, "us-east-1");
    call_as(
        &sim,
        &other,
        "Publish",
        json!({"TopicArn": arn("shared"), "Message": "from afar"}),
    )
    .unwrap();
    assert_eq!(
        err_as(
            &sim,
            &other,
            "DeleteTopic",
            json!({"TopicArn": arn("shared")})
        )
        .code,
        "AuthorizationError"
    );
}

#[test]
fn list_topics_pages_by_100_in_the_callers_region() {
    let (_d, sim) = sim();
    for i in 0..105 {
        ok(&sim, "CreateTopic", json!({"Name": format!("t{i:03}")}));
    }
    let west = CallerContext::new(ACCOUNT, "us-west-2");
    call_as(&sim, &west, "CreateTopic", json!({"Name": "west"})).unwrap();
    let p1 = ok(&sim, "ListTopics", json!({}));
    assert_eq!(p1["Topics"].as_array().unwrap().len(), 100);
    assert_eq!(p1["Topics"][0], json!({"TopicArn": arn("t000")}));
    let p2 = ok(&sim, "ListTopics", json!({"NextToken": p1["NextToken"]}));
    assert_eq!(p2["Topics"].as_array().unwrap().len(), 5);
    assert!(p2.get("NextToken").is_none());
    let w = call_as(&sim, &west, "ListTopics", json!({})).unwrap();
    assert_eq!(
        w["Topics"],
        json!([{"TopicArn": format!("arn:aws:sns:us-west-2:{ACCOUNT}:west")}])
    );
}

#[test]
fn delete_topic_removes_topic_and_tags() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTopic",
        json!({"Name": "gone", "Tags": [{"Key": "a", "Value": "1"}]}),
    );
    ok(&sim, "DeleteTopic", json!({"TopicArn": arn("gone")}));
    assert_eq!(
        err(&sim, "GetTopicAttributes", json!({"TopicArn": arn("gone")})).code,
        "NotFound"
    );
    ok(&sim, "CreateTopic", json!({"Name": "gone"}));
    assert_eq!(
        ok(
            &sim,
            "ListTagsForResource",
            json!({"ResourceArn": arn("gone")})
        ),
        json!({"Tags": []})
    );
}

#[test]
fn tagging_round_trip_and_errors() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTopic",
        json!({"Name": "tagged", "Tags": [{"Key": "a", "Value": "1"}]}),
    );
    ok(
        &sim,
        "TagResource",
        json!({"ResourceArn": arn("tagged"), "Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "9"}]}),
    );
    assert_eq!(
        ok(
            &sim,
            "ListTagsForResource",
            json!({"ResourceArn": arn("tagged")})
        ),
        json!({"Tags": [{"Key": "a", "Value": "9"}, {"Key": "b", "Value": "2"}]})
    );
    ok(
        &sim,
        "UntagResource",
        json!({"ResourceArn": arn("tagged"), "TagKeys": ["a"]}),
    );
    assert_eq!(
        ok(
            &sim,
            "ListTagsForResource",
            json!({"ResourceArn": arn("tagged")})
        )["Tags"],
        json!([{"Key": "b", "Value": "2"}])
    );
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceArn": arn("nope"), "Tags": [{"Key": "a", "Value": "1"}]}),
    );
    assert_eq!((e.code.as_str(), e.http_status), ("ResourceNotFound", 404));
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceArn": arn("tagged"), "Tags": [{"Key": "aws:x", "Value": "1"}]}),
    );
    assert_eq!(e.code, "InvalidParameter");
    let many: Vec<Value> = (0..50)
        .map(|i| json!({"Key": format!("k{i}"), "Value": ""}))
        .collect();
    let e = err(
        &sim,
        "TagResource",
        json!({"ResourceArn": arn("tagged"), "Tags": many}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "TagLimitExceeded",
            "Could not complete request: tag quota of per resource exceeded"
        )
    );
}

#[test]
fn publish_keeps_messages_and_validates() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "pub"}));
    let r = ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("pub"), "Subject": "hello", "Message": "world"}),
    );
    let id = r["MessageId"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert!(r.get("SequenceNumber").is_none());
    ok(
        &sim,
        "Publish",
        json!({"TargetArn": arn("pub"), "MessageStructure": "json", "Message": "{\"default\":\"d\"}"}),
    );
    let msgs = sim
        .run_unrecorded(|env| crate::services::sns::messages(env, &arn("pub")))
        .unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].message_id, id);
    assert_eq!(
        (msgs[0].subject.as_deref(), msgs[0].message.as_str()),
        (Some("hello"), "world")
    );
    assert_eq!(
        msgs[0].publisher,
        format!("arn:aws:iam::{ACCOUNT}:user/ctsim")
    );
    assert_eq!(msgs[0].timestamp, 1704067200.0);

    let cases = [
        (
            json!({"TopicArn": arn("pub")}),
            "Invalid parameter: Empty message",
        ),
        (
            json!({"TopicArn": arn("pub"), "Message": "x".repeat(262_145)}),
            "Invalid parameter: Message too long",
        ),
        (
            json!({"TopicArn": arn("pub"), "Message": "m", "Subject": "line\nbreak"}),
            "Invalid parameter: Subject",
        ),
        (
            json!({"TopicArn": arn("pub"), "Message": "{\"email\":\"x\"}", "MessageStructure": "json"}),
            "Invalid parameter: Message Structure - No default entry in JSON message body",
        ),
        (
            json!({"TopicArn": arn("pub"), "Message": "nope", "MessageStructure": "json"}),
            "Invalid parameter: Message Structure - JSON message body failed to parse",
        ),
        (
            json!({"Message": "m"}),
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
        ),
        (
            json!({"TopicArn": arn("pub"), "Message": "m", "MessageDeduplicationId": "d"}),
            "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
        ),
    ];
    for (req, message) in cases {
        let e = err(&sim, "Publish", req.clone());
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InvalidParameter", message),
            "{req}"
        );
    }
    assert_eq!(
        err(
            &sim,
            "Publish",
            json!({"TopicArn": arn("missing"), "Message": "m"})
        )
        .code,
        "NotFound"
    );
}

#[test]
fn fifo_topics_need_group_and_deduplication() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTopic",
        json!({"Name": "q.fifo", "Attributes": {"FifoTopic": "true"}}),
    );
    let attrs = ok(
        &sim,
        "GetTopicAttributes",
        json!({"TopicArn": arn("q.fifo")}),
    )["Attributes"]
        .clone();
    assert_eq!(
        (
            attrs["FifoTopic"].as_str(),
            attrs["ContentBasedDeduplication"].as_str()
        ),
        (Some("true"), Some("false"))
    );
    let e = err(
        &sim,
        "Publish",
        json!({"TopicArn": arn("q.fifo"), "Message": "m"}),
    );
    assert_eq!(
        e.message,
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    );
    let e = err(
        &sim,
        "Publish",
        json!({"TopicArn": arn("q.fifo"), "Message": "m", "MessageGroupId": "g"}),
    );
    assert_eq!(
        e.message,
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
    );
    let r = ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("q.fifo"), "Message": "m", "MessageGroupId": "g", "MessageDeduplicationId": "d"}),
    );
    assert_eq!(r["SequenceNumber"].as_str().unwrap().len(), 20);
    ok(
        &sim,
        "SetTopicAttributes",
        json!({"TopicArn": arn("q.fifo"), "AttributeName": "ContentBasedDeduplication", "AttributeValue": "true"}),
    );
    ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("q.fifo"), "Message": "m", "MessageGroupId": "g"}),
    );
}

#[test]
fn helpers_find_topics_and_publish_internally_without_recording() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "ct"}));
    let by_name = sim
        .run_unrecorded(|env| crate::services::sns::topic_by_name(env, ACCOUNT, "us-east-1", "ct"))
        .unwrap()
        .unwrap();
    assert_eq!(by_name.arn, arn("ct"));
    assert_eq!(by_name.owner, ACCOUNT);
    assert_eq!(by_name.region, "us-east-1");
    assert!(by_name.policy.contains("__default_statement_ID"));
    assert!(
        sim.run_unrecorded(|env| crate::services::sns::topic_by_name(
            env,
            ACCOUNT,
            "eu-west-1",
            "ct"
        ))
        .unwrap()
        .is_none()
    );
    assert!(
        sim.run_unrecorded(|env| crate::services::sns::topic(env, "garbage"))
            .unwrap()
            .is_none()
    );
    let m = sim
        .run_unrecorded(|env| {
            crate::services::sns::publish_internal(
                env,
                &arn("ct"),
                "cloudtrail.amazonaws.com",
                None,
                r#"{"s3Bucket":"logs","s3ObjectKey":["AWSLogs/x.json.gz"]}"#,
            )
        })
        .unwrap();
    assert_eq!(m.publisher, "cloudtrail.amazonaws.com");
    assert_eq!(
        sim.run_unrecorded(|env| crate::services::sns::messages(env, &arn("ct")))
            .unwrap()
            .len(),
        1
    );
    let records = sim.event_records().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["eventSource"], "sns.amazonaws.com");
    assert_eq!(
        records[0]["resources"],
        json!([{"accountId": ACCOUNT, "type": "AWS::SNS::Topic", "ARN": arn("ct")}])
    );
    assert_eq!(
        records[0]["responseElements"],
        json!({"topicArn": arn("ct")})
    );
}

// ---- subscriptions and deliveries ----

fn subscribe(sim: &Simulator, protocol: &str, endpoint: &str) -> String {
    ok(
        sim,
        "Subscribe",
        json!({"TopicArn": arn("alarms"), "Protocol": protocol, "Endpoint": endpoint,
               "ReturnSubscriptionArn": true}),
    )["SubscriptionArn"]
        .as_str()
        .unwrap() // Subscribe answers a string
        .to_string()
}

#[test]
fn queue_subscriptions_are_confirmed_and_email_ones_wait_for_their_token() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let queue = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:q");
    assert!(queue.starts_with(&format!("{}:", arn("alarms"))));
    let attrs = ok(
        &sim,
        "GetSubscriptionAttributes",
        json!({"SubscriptionArn": queue}),
    );
    assert_eq!(attrs["Attributes"]["PendingConfirmation"], "false");
    assert_eq!(attrs["Attributes"]["Protocol"], "sqs");

    // Without ReturnSubscriptionArn a pending subscription answers "pending confirmation".
    let r = ok(
        &sim,
        "Subscribe",
        json!({"TopicArn": arn("alarms"), "Protocol": "email", "Endpoint": "sec@example.com"}),
    );
    assert_eq!(r["SubscriptionArn"], "pending confirmation");
    let listed = ok(
        &sim,
        "ListSubscriptionsByTopic",
        json!({"TopicArn": arn("alarms")}),
    );
    let arns: Vec<&str> = listed["Subscriptions"]
        .as_array()
        .unwrap() // a list
        .iter()
        .map(|s| s["SubscriptionArn"].as_str().unwrap_or(""))
        .collect();
    assert!(arns.contains(&"PendingConfirmation"), "{listed}");
    let topic = ok(
        &sim,
        "GetTopicAttributes",
        json!({"TopicArn": arn("alarms")}),
    );
    assert_eq!(topic["Attributes"]["SubscriptionsConfirmed"], "1");
    assert_eq!(topic["Attributes"]["SubscriptionsPending"], "1");

    // The confirmation e-mail carries the token ConfirmSubscription takes.
    let deliveries = sim.read_deliveries(Some(&arn("alarms")));
    let confirmation = deliveries
        .iter()
        .find(|d| d.message_type == "SubscriptionConfirmation")
        .expect("a confirmation was sent");
    let token = confirmation
        .body
        .split("Token=")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .expect("the link carries the token");
    let confirmed = ok(
        &sim,
        "ConfirmSubscription",
        json!({"TopicArn": arn("alarms"), "Token": token}),
    );
    let topic = ok(
        &sim,
        "GetTopicAttributes",
        json!({"TopicArn": arn("alarms")}),
    );
    assert_eq!(topic["Attributes"]["SubscriptionsConfirmed"], "2");
    let e = err(
        &sim,
        "ConfirmSubscription",
        json!({"TopicArn": arn("alarms"), "Token": "nope"}),
    );
    assert_eq!(e.code, "InvalidParameter");
    ok(
        &sim,
        "Unsubscribe",
        json!({"SubscriptionArn": confirmed["SubscriptionArn"]}),
    );
    let e = err(
        &sim,
        "GetSubscriptionAttributes",
        json!({"SubscriptionArn": confirmed["SubscriptionArn"]}),
    );
    assert_eq!(e.code, "NotFound");
}

#[test]
fn subscribe_checks_protocol_endpoint_and_attributes() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let bad = |protocol: &str, endpoint: &str, attrs: Value| {
        err(
            &sim,
            "Subscribe",
            json!({"TopicArn": arn("alarms"), "Protocol": protocol, "Endpoint": endpoint,
                   "Attributes": attrs}),
        )
    };
    assert_eq!(
        bad("carrier-pigeon", "x", json!({})).code,
        "InvalidParameter"
    );
    assert_eq!(
        bad("sqs", "not-an-arn", json!({})).message,
        "Invalid parameter: SQS endpoint ARN"
    );
    assert_eq!(bad("email", "nobody", json!({})).code, "InvalidParameter");
    let raw = bad(
        "email",
        "a@example.com",
        json!({"RawMessageDelivery": "true"}),
    );
    assert!(
        raw.message
            .contains("does not support raw message delivery"),
        "{raw}"
    );
    assert_eq!(
        bad(
            "sqs",
            "arn:aws:sqs:us-east-1:123456789012:q",
            json!({"FilterPolicy": "[1]"})
        )
        .code,
        "InvalidParameter"
    );
    let e = err(
        &sim,
        "Subscribe",
        json!({"TopicArn": arn("missing"), "Protocol": "sqs",
               "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q"}),
    );
    assert_eq!(e.code, "NotFound");
}

#[test]
fn published_messages_reach_each_confirmed_subscription_in_its_protocol_format() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let queue = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:q");
    let raw = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:raw");
    ok(
        &sim,
        "SetSubscriptionAttributes",
        json!({"SubscriptionArn": raw, "AttributeName": "RawMessageDelivery", "AttributeValue": "true"}),
    );
    let function = subscribe(
        &sim,
        "lambda",
        "arn:aws:lambda:us-east-1:123456789012:function:f",
    );
    subscribe(&sim, "email", "pending@example.com");
    ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("alarms"), "Subject": "ALARM", "Message": "{\"AlarmName\":\"x\"}"}),
    );
    let notes: Vec<Delivery> = sim
        .read_deliveries(Some(&arn("alarms")))
        .into_iter()
        .filter(|d| d.message_type == "Notification")
        .collect();
    assert_eq!(
        notes.len(),
        3,
        "the pending e-mail subscription gets nothing: {notes:?}"
    );
    let by = |sub: &str| notes.iter().find(|d| d.subscription_arn == sub).unwrap(); // present
    let envelope: Value = serde_json::from_str(&by(&queue).body).unwrap(); // JSON notification
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["Subject"], "ALARM");
    assert_eq!(envelope["Message"], "{\"AlarmName\":\"x\"}");
    assert_eq!(envelope["TopicArn"], arn("alarms"));
    assert!(
        envelope["Signature"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(by(&raw).body, "{\"AlarmName\":\"x\"}");
    let event: Value = serde_json::from_str(&by(&function).body).unwrap(); // Lambda event
    assert_eq!(event["Records"][0]["EventSource"], "aws:sns");
    assert_eq!(event["Records"][0]["Sns"]["Subject"], "ALARM");
    assert!(notes.iter().all(|d| d.status == "recorded"));
}

#[test]
fn loopback_http_endpoints_receive_a_real_post() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap(); // test listener
    let port = listener.local_addr().unwrap().port(); // bound above
    let server = std::thread::spawn(move || {
        let mut requests = Vec::new();
        for _ in 0..2 {
            let (mut s, _) = listener.accept().unwrap(); // the simulator connects
            let mut buf = vec![0u8; 65536];
            let mut got = 0;
            loop {
                let n = s.read(&mut buf[got..]).unwrap(); // test socket
                got += n;
                let text = String::from_utf8_lossy(&buf[..got]).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if body.len() >= len {
                        requests.push(text);
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                .unwrap(); // answer
        }
        requests
    });
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let endpoint = format!("http://127.0.0.1:{port}/hook");
    let sub = subscribe(&sim, "http", &endpoint);
    let token = sim
        .read_deliveries(None)
        .iter()
        .find_map(|d| {
            serde_json::from_str::<Value>(&d.body).ok()?["Token"]
                .as_str()
                .map(String::from)
        })
        .expect("the confirmation carries a token");
    ok(
        &sim,
        "ConfirmSubscription",
        json!({"TopicArn": arn("alarms"), "Token": token}),
    );
    ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("alarms"), "Message": "hello"}),
    );
    sim.deliver_due().unwrap(); // makes any POST another test's push took over
    let requests = server.join().unwrap(); // the listener thread
    assert!(requests[0].starts_with("POST /hook HTTP/1.1"));
    assert!(requests[0].contains("x-amz-sns-message-type: SubscriptionConfirmation"));
    assert!(requests[1].contains("x-amz-sns-message-type: Notification"));
    assert!(requests[1].contains(&format!("x-amz-sns-subscription-arn: {sub}")));
    assert!(requests[1].contains("\"Message\":\"hello\""));
    let statuses: Vec<String> = sim
        .read_deliveries(None)
        .into_iter()
        .map(|d| d.status)
        .collect();
    assert_eq!(statuses, ["delivered (HTTP 200)", "delivered (HTTP 200)"]);
}

#[test]
fn deleting_a_topic_removes_its_subscriptions() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let s = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:q");
    ok(&sim, "DeleteTopic", json!({"TopicArn": arn("alarms")}));
    assert_eq!(
        err(
            &sim,
            "GetSubscriptionAttributes",
            json!({"SubscriptionArn": s})
        )
        .code,
        "NotFound"
    );
    assert_eq!(
        ok(&sim, "ListSubscriptions", json!({}))["Subscriptions"],
        json!([])
    );
}

#[test]
fn filter_policies_select_messages_by_attributes_or_body() {
    let (_d, sim) = sim();
    ok(&sim, "CreateTopic", json!({"Name": "alarms"}));
    let by_attr = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:attr");
    ok(
        &sim,
        "SetSubscriptionAttributes",
        json!({"SubscriptionArn": by_attr, "AttributeName": "FilterPolicy",
               "AttributeValue": "{\"severity\": [\"high\"]}"}),
    );
    let by_body = subscribe(&sim, "sqs", "arn:aws:sqs:us-east-1:123456789012:body");
    ok(
        &sim,
        "SetSubscriptionAttributes",
        json!({"SubscriptionArn": by_body, "AttributeName": "FilterPolicyScope",
               "AttributeValue": "MessageBody"}),
    );
    ok(
        &sim,
        "SetSubscriptionAttributes",
        json!({"SubscriptionArn": by_body, "AttributeName": "FilterPolicy",
               "AttributeValue": "{\"NewStateValue\": [\"ALARM\"]}"}),
    );
    let attrs = ok(
        &sim,
        "GetSubscriptionAttributes",
        json!({"SubscriptionArn": by_attr}),
    );
    assert_eq!(
        attrs["Attributes"]["FilterPolicyScope"],
        "MessageAttributes"
    );
    ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("alarms"), "Message": "{\"NewStateValue\":\"OK\"}",
               "MessageAttributes": {"severity": {"DataType": "String", "StringValue": "high"}}}),
    );
    ok(
        &sim,
        "Publish",
        json!({"TopicArn": arn("alarms"), "Message": "{\"NewStateValue\":\"ALARM\"}"}),
    );
    let got: Vec<(String, String)> = sim
        .read_deliveries(None)
        .into_iter()
        .map(|d| (d.subscription_arn, d.message_id))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, by_attr);
    assert_eq!(got[1].0, by_body);
    let e = err(
        &sim,
        "SetSubscriptionAttributes",
        json!({"SubscriptionArn": by_attr, "AttributeName": "FilterPolicy",
               "AttributeValue": "{\"a\": \"not a list\"}"}),
    );
    assert_eq!(e.code, "InvalidParameter");
}
