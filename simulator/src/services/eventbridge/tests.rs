//! Behaviour of the EventBridge API through the simulator facade.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap())
        .unwrap(); // literal date, test setup
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, REGION)
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&ctx(), "events", op, req)
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

const STOP_LOGGING: &str =
    r#"{"source":["aws.cloudtrail"],"detail":{"eventName":["StopLogging"]}}"#;

fn rule_arn(name: &str) -> String {
    format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/{name}")
}

#[test]
fn put_rule_returns_the_arn_and_describe_rule_shows_it() {
    let (_d, sim) = sim();
    let r = ok(
        &sim,
        "PutRule",
        json!({"Name": "trail-changes", "EventPattern": STOP_LOGGING,
               "Description": "CIS 3.5"}),
    );
    assert_eq!(r, json!({"RuleArn": rule_arn("trail-changes")}));
    let d = ok(&sim, "DescribeRule", json!({"Name": "trail-changes"}));
    assert_eq!(
        d,
        json!({
            "Name": "trail-changes",
            "Arn": rule_arn("trail-changes"),
            "EventPattern": STOP_LOGGING,
            "State": "ENABLED",
            "Description": "CIS 3.5",
            "EventBusName": "default",
            "CreatedBy": ACCOUNT
        })
    );
}

#[test]
fn missing_rules_are_named_with_their_bus() {
    let (_d, sim) = sim();
    let e = err(&sim, "DescribeRule", json!({"Name": "nope"}));
    assert_eq!(e.code, "ResourceNotFoundException");
    assert_eq!(e.message, "Rule nope does not exist on EventBus default.");
    for op in ["EnableRule", "DisableRule"] {
        assert_eq!(
            err(&sim, op, json!({"Name": "nope"})).code,
            "ResourceNotFoundException"
        );
    }
    let e = err(
        &sim,
        "PutTargets",
        json!({"Rule": "nope", "Targets": [{"Id": "t", "Arn": "arn:aws:sns:us-east-1:123456789012:t"}]}),
    );
    assert_eq!(e.message, "Rule nope does not exist on EventBus default.");
}

#[test]
fn put_rule_validates_name_state_pattern_and_schedule() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "bad name", "EventPattern": STOP_LOGGING}),
    );
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("at 'name'"), "{}", e.message);
    let long = "x".repeat(65);
    assert!(
        err(
            &sim,
            "PutRule",
            json!({"Name": long, "EventPattern": STOP_LOGGING})
        )
        .message
        .contains("less than or equal to 64")
    );
    let e = err(&sim, "PutRule", json!({"Name": "r"}));
    assert_eq!(
        e.message,
        "Parameter(s) EventPattern or ScheduleExpression must be specified."
    );
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING, "State": "ON"}),
    );
    assert!(e.message.contains("enum value set"), "{}", e.message);
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": "{\"source\": \"aws.s3\"}"}),
    );
    assert_eq!(e.code, "InvalidEventPatternException");
    assert!(
        e.message
            .starts_with("Event pattern is not valid. Reason: ")
    );
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "r", "ScheduleExpression": "rate(5 minute)"}),
    );
    assert_eq!(e.message, "Parameter ScheduleExpression is not valid.");
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "ScheduleExpression": "rate(5 minutes)"}),
    );
    let d = ok(&sim, "DescribeRule", json!({"Name": "r"}));
    assert_eq!(d["ScheduleExpression"], "rate(5 minutes)");
    assert!(d.get("EventPattern").is_none());
}

#[test]
fn put_rule_replaces_every_setting_of_an_existing_rule() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING, "Description": "d",
               "State": "DISABLED"}),
    );
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING}),
    );
    let d = ok(&sim, "DescribeRule", json!({"Name": "r"}));
    assert_eq!(d["State"], "ENABLED");
    assert!(d.get("Description").is_none());
}

#[test]
fn enable_and_disable_switch_the_state() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING,
               "State": "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"}),
    );
    let state = |sim: &Simulator| ok(sim, "DescribeRule", json!({"Name": "r"}))["State"].clone();
    ok(&sim, "EnableRule", json!({"Name": "r"}));
    assert_eq!(state(&sim), "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    ok(&sim, "DisableRule", json!({"Name": "r"}));
    assert_eq!(state(&sim), "DISABLED");
    ok(&sim, "EnableRule", json!({"Name": "r"}));
    assert_eq!(state(&sim), "ENABLED");
}

#[test]
fn rules_with_targets_cannot_be_deleted() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING}),
    );
    let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    let r = ok(
        &sim,
        "PutTargets",
        json!({"Rule": "r", "Targets": [{"Id": "sns", "Arn": topic}]}),
    );
    assert_eq!(r, json!({"FailedEntryCount": 0, "FailedEntries": []}));
    let e = err(&sim, "DeleteRule", json!({"Name": "r"}));
    assert_eq!(e.code, "ValidationException");
    assert_eq!(e.message, "Rule can't be deleted since it has targets.");
    ok(&sim, "RemoveTargets", json!({"Rule": "r", "Ids": ["sns"]}));
    ok(&sim, "DeleteRule", json!({"Name": "r"}));
    assert_eq!(
        err(&sim, "DescribeRule", json!({"Name": "r"})).code,
        "ResourceNotFoundException"
    );
    // Deleting what is gone succeeds.
    ok(&sim, "DeleteRule", json!({"Name": "r"}));
}

#[test]
fn list_rules_filters_by_prefix_and_pages() {
    let (_d, sim) = sim();
    for name in ["cis-3-5", "cis-3-4", "other", "cis-3-6"] {
        ok(
            &sim,
            "PutRule",
            json!({"Name": name, "EventPattern": STOP_LOGGING}),
        );
    }
    let names = |v: &Value| -> Vec<String> {
        v["Rules"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r["Name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let all = ok(&sim, "ListRules", json!({}));
    assert_eq!(names(&all), ["cis-3-4", "cis-3-5", "cis-3-6", "other"]);
    assert_eq!(all["Rules"][0]["EventBusName"], "default");
    assert_eq!(all["Rules"][0]["Arn"], rule_arn("cis-3-4"));
    let first = ok(&sim, "ListRules", json!({"NamePrefix": "cis-", "Limit": 2}));
    assert_eq!(names(&first), ["cis-3-4", "cis-3-5"]);
    let token = first["NextToken"].clone();
    assert!(token.is_string());
    let second = ok(
        &sim,
        "ListRules",
        json!({"NamePrefix": "cis-", "Limit": 2, "NextToken": token}),
    );
    assert_eq!(names(&second), ["cis-3-6"]);
    assert!(second.get("NextToken").is_none());
    assert_eq!(
        err(&sim, "ListRules", json!({"NextToken": "zz"})).code,
        "ValidationException"
    );
    assert_eq!(
        err(&sim, "ListRules", json!({"Limit": 0})).code,
        "ValidationException"
    );
}

#[test]
fn targets_are_listed_replaced_and_limited_to_five() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING}),
    );
    let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    ok(
        &sim,
        "PutTargets",
        json!({"Rule": "r", "Targets": [
            {"Id": "a", "Arn": topic},
            {"Id": "b", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
             "Input": "{\"k\":1}"}
        ]}),
    );
    ok(
        &sim,
        "PutTargets",
        json!({"Rule": "r", "Targets": [{"Id": "a", "Arn": topic, "InputPath": "$.detail"}]}),
    );
    let listed = ok(&sim, "ListTargetsByRule", json!({"Rule": "r"}));
    assert_eq!(
        listed["Targets"],
        json!([
            {"Id": "a", "Arn": topic, "InputPath": "$.detail"},
            {"Id": "b", "Arn": "arn:aws:lambda:us-east-1:123456789012:function:f",
             "Input": "{\"k\":1}"}
        ])
    );
    let paged = ok(&sim, "ListTargetsByRule", json!({"Rule": "r", "Limit": 1}));
    assert_eq!(paged["Targets"][0]["Id"], "a");
    let rest = ok(
        &sim,
        "ListTargetsByRule",
        json!({"Rule": "r", "Limit": 1, "NextToken": paged["NextToken"]}),
    );
    assert_eq!(rest["Targets"][0]["Id"], "b");
    let by_target = ok(&sim, "ListRuleNamesByTarget", json!({"TargetArn": topic}));
    assert_eq!(by_target, json!({"RuleNames": ["r"]}));
    let more: Vec<Value> = (0..4)
        .map(|i| json!({"Id": format!("x{i}"), "Arn": topic}))
        .collect();
    let e = err(&sim, "PutTargets", json!({"Rule": "r", "Targets": more}));
    assert_eq!(e.code, "LimitExceededException");
    // Nothing of the refused request was kept.
    let listed = ok(&sim, "ListTargetsByRule", json!({"Rule": "r"}));
    assert_eq!(listed["Targets"].as_array().map(Vec::len), Some(2));
}

#[test]
fn put_targets_checks_arns_inputs_and_roles() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING}),
    );
    let put = |t: Value| call(&sim, "PutTargets", json!({"Rule": "r", "Targets": [t]}));
    let msg = |t: Value| match put(t) {
        Ok(v) => panic!("should fail: {v}"),
        Err(e) => (e.code, e.message),
    };
    assert_eq!(
        msg(json!({"Id": "t", "Arn": "not-an-arn"})).1,
        "Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format."
    );
    let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    assert_eq!(
        msg(json!({"Id": "t", "Arn": topic, "Input": "{}", "InputPath": "$"})).1,
        "Only one of Input, InputPath, or InputTransformer must be provided."
    );
    assert_eq!(
        msg(json!({"Id": "t", "Arn": topic, "Input": "{not json"})).0,
        "ValidationException"
    );
    assert_eq!(
        msg(json!({"Id": "t", "Arn": topic, "InputPath": "detail"})).0,
        "ValidationException"
    );
    assert_eq!(
        msg(json!({"Id": "t", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:m"})).1,
        "Parameter(s) RoleArn must be specified for target: t."
    );
    let (code, message) = msg(json!({"Arn": topic}));
    assert_eq!(code, "ValidationException");
    assert!(message.contains("'targets.1.member.id'"), "{message}");
    assert!(
        put(json!({"Id": "t", "Arn": topic,
                   "InputTransformer": {"InputPathsMap": {"n": "$.detail.eventName"},
                                        "InputTemplate": "\"<n>\""}}))
        .is_ok()
    );
}

#[test]
fn test_event_pattern_matches_and_checks_the_event() {
    let (_d, sim) = sim();
    let event = json!({
        "id": "e1", "account": ACCOUNT, "source": "aws.cloudtrail",
        "time": "2024-01-01T00:00:00Z", "region": REGION, "resources": [],
        "detail-type": "AWS API Call via CloudTrail",
        "detail": {"eventName": "StopLogging"}
    });
    let r = ok(
        &sim,
        "TestEventPattern",
        json!({"EventPattern": STOP_LOGGING, "Event": event.to_string()}),
    );
    assert_eq!(r, json!({"Result": true}));
    let mut other = event.clone();
    other["detail"]["eventName"] = json!("StartLogging");
    let r = ok(
        &sim,
        "TestEventPattern",
        json!({"EventPattern": STOP_LOGGING, "Event": other.to_string()}),
    );
    assert_eq!(r, json!({"Result": false}));
    let mut missing = event.clone();
    if let Some(m) = missing.as_object_mut() {
        m.remove("detail-type");
    }
    let e = err(
        &sim,
        "TestEventPattern",
        json!({"EventPattern": STOP_LOGGING, "Event": missing.to_string()}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ValidationException", "Parameter Event is not valid.")
    );
    let e = err(
        &sim,
        "TestEventPattern",
        json!({"EventPattern": "[]", "Event": event.to_string()}),
    );
    assert_eq!(e.code, "InvalidEventPatternException");
}

#[test]
fn tags_live_with_the_rule() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING,
               "Tags": [{"Key": "team", "Value": "sec"}]}),
    );
    let arn = rule_arn("r");
    ok(
        &sim,
        "TagResource",
        json!({"ResourceARN": arn, "Tags": [{"Key": "env", "Value": "dev"}]}),
    );
    let tags = ok(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(
        tags,
        json!({"Tags": [{"Key": "team", "Value": "sec"}, {"Key": "env", "Value": "dev"}]})
    );
    ok(
        &sim,
        "UntagResource",
        json!({"ResourceARN": arn, "TagKeys": ["team"]}),
    );
    let tags = ok(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(tags, json!({"Tags": [{"Key": "env", "Value": "dev"}]}));
    ok(&sim, "DeleteRule", json!({"Name": "r"}));
    let e = err(&sim, "ListTagsForResource", json!({"ResourceARN": arn}));
    assert_eq!(e.code, "ResourceNotFoundException");
}

#[test]
fn only_the_default_bus_and_buses_terraform_created_exist() {
    let (_d, sim) = sim();
    let d = ok(&sim, "DescribeEventBus", json!({}));
    assert_eq!(
        d,
        json!({"Name": "default", "Arn": format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/default")})
    );
    let e = err(&sim, "DescribeEventBus", json!({"Name": "orders"}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ResourceNotFoundException",
            "Event bus orders does not exist."
        )
    );
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING, "EventBusName": "orders"}),
    );
    assert_eq!(e.message, "Event bus orders does not exist.");
    // A bus the generic tier created (aws_cloudwatch_event_bus) holds rules.
    sim.run_unrecorded(|env| {
        env.db.put_document(
            &crate::store::DocKey {
                service: crate::services::generic::SERVICE,
                kind: "aws_cloudwatch_event_bus",
                account_id: ACCOUNT,
                region: REGION,
                id: "orders",
            },
            &json!({"name": "orders"}),
            0,
        )?;
        Ok(())
    })
    .unwrap(); // test setup
    let r = ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING, "EventBusName": "orders"}),
    );
    assert_eq!(
        r["RuleArn"],
        format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/orders/r")
    );
    let by_arn = ok(
        &sim,
        "DescribeRule",
        json!({"Name": "r",
               "EventBusName": format!("arn:aws:events:{REGION}:{ACCOUNT}:event-bus/orders")}),
    );
    assert_eq!(by_arn["EventBusName"], "orders");
    let e = err(
        &sim,
        "PutRule",
        json!({"Name": "s", "ScheduleExpression": "rate(1 day)", "EventBusName": "orders"}),
    );
    assert_eq!(
        e.message,
        "ScheduleExpression is supported only on the default event bus."
    );
    // The default bus does not see the custom bus's rule.
    assert_eq!(
        err(&sim, "DescribeRule", json!({"Name": "r"})).message,
        "Rule r does not exist on EventBus default."
    );
}

#[test]
fn rule_roles_must_trust_eventbridge() {
    let (_d, sim) = sim();
    let trust = |service: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
        .to_string()
    };
    for (name, service) in [
        ("events-role", "events.amazonaws.com"),
        ("lambda-role", "lambda.amazonaws.com"),
    ] {
        sim.invoke(
            &ctx(),
            "iam",
            "CreateRole",
            json!({"RoleName": name, "AssumeRolePolicyDocument": trust(service)}),
        )
        .unwrap(); // test setup
    }
    let role = |n: &str| format!("arn:aws:iam::{ACCOUNT}:role/{n}");
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING, "RoleArn": role("events-role")}),
    );
    for bad in ["lambda-role", "missing"] {
        let e = err(
            &sim,
            "PutRule",
            json!({"Name": "r", "EventPattern": STOP_LOGGING, "RoleArn": role(bad)}),
        );
        assert_eq!(
            e.message,
            format!(
                "Provided role '{}' cannot be assumed by principal 'events.amazonaws.com'.",
                role(bad)
            )
        );
    }
}

#[test]
fn calls_are_recorded_as_events_amazonaws_com() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "PutRule",
        json!({"Name": "r", "EventPattern": STOP_LOGGING}),
    );
    ok(&sim, "ListRules", json!({}));
    let records: Vec<Value> = sim
        .read(|db| Ok(db.all_event_records()?))
        .unwrap() // test store
        .iter()
        .filter_map(|r| serde_json::from_str(r).ok())
        .collect();
    let put = records
        .iter()
        .find(|r| r["eventName"] == "PutRule")
        .cloned()
        .unwrap_or_default();
    assert_eq!(put["eventSource"], "events.amazonaws.com");
    assert_eq!(put["readOnly"], false);
    assert_eq!(put["requestParameters"]["name"], "r");
    assert_eq!(put["resources"][0]["ARN"], rule_arn("r"));
    let list = records
        .iter()
        .find(|r| r["eventName"] == "ListRules")
        .cloned()
        .unwrap_or_default();
    assert_eq!(list["readOnly"], true);
}
