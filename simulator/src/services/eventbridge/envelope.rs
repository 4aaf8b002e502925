//! The EventBridge event that AWS puts on the default bus for a CloudTrail record, and which
//! records get there at all.
//!
//! The record travels whole as `detail`; the envelope around it is built from the record's
//! own fields, so it is fully determined by the record and the state's id seed.

use serde_json::{Map, Value, json};

/// `detail-type` of API calls (management and data events).
pub const DETAIL_TYPE_API_CALL: &str = "AWS API Call via CloudTrail";
/// `detail-type` of console sign-in events (`ConsoleLogin` and friends). The user guide's
/// list spells it "Signin"; delivered events, and the rules written against them, use
/// "Sign In".
pub const DETAIL_TYPE_CONSOLE_SIGN_IN: &str = "AWS Console Sign In via CloudTrail";
/// `detail-type` of console actions that are not API calls.
pub const DETAIL_TYPE_CONSOLE_ACTION: &str = "AWS Console Action via CloudTrail";
/// `detail-type` of events AWS services record without a public API request.
pub const DETAIL_TYPE_SERVICE_EVENT: &str = "AWS Service Event via CloudTrail";
/// `detail-type` of CloudTrail Insights events.
pub const DETAIL_TYPE_INSIGHT: &str = "AWS Insight via CloudTrail";
/// `detail-type` of network activity events (calls through VPC endpoints).
pub const DETAIL_TYPE_NETWORK_ACTIVITY: &str = "AWS Network Activity Event via CloudTrail";

/// Which rules on the default bus get to see a CloudTrail record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Not sent to EventBridge.
    NotDelivered,
    /// Matched against every enabled rule.
    AllEnabledRules,
    /// A read-only management event: matched only against rules in state
    /// `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
    RulesWithAllManagementEvents,
}

fn str_field<'a>(record: &'a Value, key: &str) -> Option<&'a str> {
    record.get(key).and_then(Value::as_str)
}

/// The `detail-type` AWS gives a record, from its `eventType`; `None` for records CloudTrail
/// does not send to EventBridge (or that are not CloudTrail records).
pub fn detail_type(record: &Value) -> Option<&'static str> {
    match str_field(record, "eventType") {
        Some("AwsApiCall") => Some(DETAIL_TYPE_API_CALL),
        Some("AwsConsoleSignIn") => Some(DETAIL_TYPE_CONSOLE_SIGN_IN),
        Some("AwsConsoleAction") => Some(DETAIL_TYPE_CONSOLE_ACTION),
        Some("AwsServiceEvent") => Some(DETAIL_TYPE_SERVICE_EVENT),
        Some("AwsCloudTrailInsight") => Some(DETAIL_TYPE_INSIGHT),
        Some("AwsVpceEvent") => Some(DETAIL_TYPE_NETWORK_ACTIVITY),
        Some(_) => None,
        // Insights records written by hand sometimes carry only their category.
        None if str_field(record, "eventCategory") == Some("Insight") => Some(DETAIL_TYPE_INSIGHT),
        None => None,
    }
}

/// Whether a record is a management event (as opposed to a data, Insights or network
/// activity event). Records without the newer fields are management events, as all
/// CloudTrail records were before those fields existed.
fn is_management_event(record: &Value) -> bool {
    match str_field(record, "eventCategory") {
        Some(category) => category == "Management",
        None => record.get("managementEvent").and_then(Value::as_bool) != Some(false),
    }
}

/// EventBridge's reading of "read-only": the API's name starts with `Describe`, `Get` or
/// `List`, except STS's `GetFederationToken` and `GetSessionToken`, which the user guide
/// calls change events. The record's own `readOnly` flag is not consulted: the guide says
/// read-only events named otherwise (its list of `Search*`, `BatchGet*`, `Validate*`, ...
/// operations) may already reach enabled rules.
fn is_read_only_by_name(record: &Value) -> bool {
    let name = str_field(record, "eventName").unwrap_or_default();
    if str_field(record, "eventSource") == Some("sts.amazonaws.com")
        && matches!(name, "GetFederationToken" | "GetSessionToken")
    {
        return false;
    }
    ["Describe", "Get", "List"].iter().any(|verb| {
        name.strip_prefix(verb)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| c.is_ascii_uppercase()))
    })
}

/// Which rules see a record, per the EventBridge user guide ("AWS service events delivered
/// via AWS CloudTrail" and "Receiving read-only management events from AWS services"):
///
/// - every CloudTrail event type with a `detail-type` is sent (API calls, console sign-ins
///   and actions, service events, Insights, network activity);
/// - a management API call whose name reads as read-only (`Describe*`, `Get*`, `List*`,
///   STS's two token calls excepted) reaches only rules whose state is
///   `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`;
/// - data events are sent whatever their name.
///
/// The trail conditions are the caller's to check: AWS sends these only while a trail is
/// logging, data and network activity events only if that trail selects them, and Insights
/// events only if the trail has Insights enabled.
pub fn delivery(record: &Value) -> Delivery {
    let Some(kind) = detail_type(record) else {
        return Delivery::NotDelivered;
    };
    if kind == DETAIL_TYPE_API_CALL && is_management_event(record) && is_read_only_by_name(record) {
        Delivery::RulesWithAllManagementEvents
    } else {
        Delivery::AllEnabledRules
    }
}

/// Whether a record reaches rules in the ordinary `ENABLED` state (see [`delivery`] for the
/// rule and for read-only management events, which reach only the other enabled state).
pub fn delivered_to_eventbridge(record: &Value) -> bool {
    delivery(record) == Delivery::AllEnabledRules
}

/// The envelope `source` for a record's `eventSource`: `aws.` and the service prefix
/// (`iam.amazonaws.com` -> `aws.iam`, `monitoring.amazonaws.com` -> `aws.monitoring`).
pub fn source_for_event_source(event_source: &str) -> String {
    let service = event_source
        .strip_suffix(".amazonaws.com")
        .or_else(|| event_source.split('.').next())
        .unwrap_or(event_source);
    format!("aws.{service}")
}

/// The envelope `source` of a record. Insights records have no top-level `eventSource` (the
/// API they concern sits in `insightDetails`); they come from CloudTrail itself.
fn source(record: &Value) -> String {
    if detail_type(record) == Some(DETAIL_TYPE_INSIGHT) {
        return "aws.cloudtrail".to_string();
    }
    source_for_event_source(str_field(record, "eventSource").unwrap_or_default())
}

/// The envelope `id`: a UUID derived from the state's id seed and the record's `eventID`
/// (the record's full text when it has none), so that replaying the same records yields the
/// same events, while never equal to the CloudTrail `eventID` (AWS's ids differ too).
fn envelope_id(record: &Value, id_seed: &str) -> String {
    let key = match str_field(record, "eventID") {
        Some(event_id) => format!("eventbridge.cloudtrail:{event_id}"),
        None => format!("eventbridge.cloudtrail-record:{record}"),
    };
    crate::ids::uuid_from(id_seed, &key, 0)
}

/// The EventBridge event for a CloudTrail record: the record as `detail`, and `account`,
/// `time` and `region` taken from its `recipientAccountId`, `eventTime` and `awsRegion`.
/// `resources` is empty, as in the events AWS delivers from CloudTrail. Records that are not
/// delivered (see [`delivery`]) still get an envelope, with the API-call `detail-type`, so
/// `TestEventPattern`-style tooling can show what a rule would have seen.
pub fn cloudtrail_envelope(record: &Value, id_seed: &str) -> Value {
    let account = str_field(record, "recipientAccountId")
        .or_else(|| {
            record
                .pointer("/userIdentity/accountId")
                .and_then(Value::as_str)
        })
        .unwrap_or_default();
    let mut envelope = Map::new();
    envelope.insert("version".into(), json!("0"));
    envelope.insert("id".into(), json!(envelope_id(record, id_seed)));
    envelope.insert(
        "detail-type".into(),
        json!(detail_type(record).unwrap_or(DETAIL_TYPE_API_CALL)),
    );
    envelope.insert("source".into(), json!(source(record)));
    envelope.insert("account".into(), json!(account));
    envelope.insert(
        "time".into(),
        json!(str_field(record, "eventTime").unwrap_or_default()),
    );
    envelope.insert(
        "region".into(),
        json!(str_field(record, "awsRegion").unwrap_or_default()),
    );
    envelope.insert("resources".into(), json!([]));
    envelope.insert("detail".into(), record.clone());
    Value::Object(envelope)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::eventbridge::pattern::EventPattern;

    const SEED: &str = "test-seed";

    fn api_call(event_source: &str, event_name: &str) -> Value {
        json!({
            "eventVersion": "1.11",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDAEXAMPLEEXAMPLE01",
                "arn": "arn:aws:iam::123456789012:user/alice",
                "accountId": "123456789012",
                "userName": "alice"
            },
            "eventTime": "2026-01-08T10:00:00Z",
            "eventSource": event_source,
            "eventName": event_name,
            "awsRegion": "eu-west-1",
            "sourceIPAddress": "203.0.113.7",
            "userAgent": "aws-cli/2.15.0",
            "requestParameters": {"name": "management-trail"},
            "responseElements": null,
            "requestID": "b6f8a9e2-0c1d-4e5f-8a9b-0c1d2e3f4a5b",
            "eventID": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "readOnly": false,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": "123456789012",
            "eventCategory": "Management"
        })
    }

    fn console_login(identity_type: &str) -> Value {
        json!({
            "eventVersion": "1.09",
            "userIdentity": {"type": identity_type, "accountId": "123456789012"},
            "eventTime": "2026-01-08T09:00:00Z",
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.9",
            "requestParameters": null,
            "responseElements": {"ConsoleLogin": "Success"},
            "additionalEventData": {"MFAUsed": "No"},
            "eventID": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
            "readOnly": false,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": true,
            "recipientAccountId": "123456789012",
            "eventCategory": "Management"
        })
    }

    fn is_uuid(s: &str) -> bool {
        let groups: Vec<usize> = s.split('-').map(str::len).collect();
        groups == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
    }

    #[test]
    fn api_call_envelope_wraps_the_whole_record() {
        let record = api_call("cloudtrail.amazonaws.com", "StopLogging");
        let e = cloudtrail_envelope(&record, SEED);
        let keys: Vec<&str> = e
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            [
                "version",
                "id",
                "detail-type",
                "source",
                "account",
                "time",
                "region",
                "resources",
                "detail"
            ]
        );
        assert_eq!(e["version"], "0");
        assert_eq!(e["detail-type"], "AWS API Call via CloudTrail");
        assert_eq!(e["source"], "aws.cloudtrail");
        assert_eq!(e["account"], "123456789012");
        assert_eq!(e["time"], "2026-01-08T10:00:00Z");
        assert_eq!(e["region"], "eu-west-1");
        assert_eq!(e["resources"], json!([]));
        assert_eq!(e["detail"], record);
    }

    #[test]
    fn envelope_id_is_a_deterministic_uuid_distinct_from_the_event_id() {
        let record = api_call("iam.amazonaws.com", "CreateUser");
        let a = cloudtrail_envelope(&record, SEED);
        let id = a["id"].as_str().unwrap_or_default().to_string();
        assert!(is_uuid(&id), "{id}");
        assert_eq!(a, cloudtrail_envelope(&record, SEED));
        assert_ne!(Some(id.as_str()), record["eventID"].as_str());
        assert_ne!(a["id"], cloudtrail_envelope(&record, "other-seed")["id"]);
        let mut other = record.clone();
        other["eventID"] = json!("ffffffff-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        assert_ne!(a["id"], cloudtrail_envelope(&other, SEED)["id"]);
        // Without an eventID the record's text decides the id, still deterministically.
        let mut bare = record;
        if let Some(m) = bare.as_object_mut() {
            m.remove("eventID");
        }
        let b = cloudtrail_envelope(&bare, SEED);
        assert_eq!(b["id"], cloudtrail_envelope(&bare, SEED)["id"]);
        assert!(is_uuid(b["id"].as_str().unwrap_or_default()));
    }

    #[test]
    fn source_is_aws_dot_the_service_prefix() {
        for (event_source, want) in [
            ("iam.amazonaws.com", "aws.iam"),
            ("cloudtrail.amazonaws.com", "aws.cloudtrail"),
            ("cloudtrail-data.amazonaws.com", "aws.cloudtrail-data"),
            ("signin.amazonaws.com", "aws.signin"),
            ("monitoring.amazonaws.com", "aws.monitoring"),
            ("logs.amazonaws.com", "aws.logs"),
            ("s3.amazonaws.com", "aws.s3"),
            (
                "ec2-instance-connect.amazonaws.com",
                "aws.ec2-instance-connect",
            ),
            ("custom.example.net", "aws.custom"),
            ("", "aws."),
        ] {
            assert_eq!(
                source_for_event_source(event_source),
                want,
                "{event_source}"
            );
        }
    }

    #[test]
    fn console_sign_in_gets_its_own_detail_type_and_signin_source() {
        let e = cloudtrail_envelope(&console_login("Root"), SEED);
        assert_eq!(e["detail-type"], "AWS Console Sign In via CloudTrail");
        assert_eq!(e["source"], "aws.signin");
        assert_eq!(e["region"], "us-east-1");
    }

    #[test]
    fn detail_types_follow_the_event_type() {
        let with_type = |t: &str| {
            let mut r = api_call("kms.amazonaws.com", "RotateKey");
            r["eventType"] = json!(t);
            detail_type(&r)
        };
        assert_eq!(with_type("AwsApiCall"), Some(DETAIL_TYPE_API_CALL));
        assert_eq!(
            with_type("AwsServiceEvent"),
            Some(DETAIL_TYPE_SERVICE_EVENT)
        );
        assert_eq!(
            with_type("AwsConsoleAction"),
            Some(DETAIL_TYPE_CONSOLE_ACTION)
        );
        assert_eq!(
            with_type("AwsConsoleSignIn"),
            Some(DETAIL_TYPE_CONSOLE_SIGN_IN)
        );
        assert_eq!(with_type("AwsCloudTrailInsight"), Some(DETAIL_TYPE_INSIGHT));
        assert_eq!(
            with_type("AwsVpceEvent"),
            Some(DETAIL_TYPE_NETWORK_ACTIVITY)
        );
        assert_eq!(with_type("SomethingElse"), None);
        assert_eq!(detail_type(&json!({"eventName": "x"})), None);
        assert_eq!(detail_type(&json!("not a record")), None);
    }

    #[test]
    fn service_events_come_from_their_service() {
        let mut r = api_call("kms.amazonaws.com", "RotateKey");
        r["eventType"] = json!("AwsServiceEvent");
        let e = cloudtrail_envelope(&r, SEED);
        assert_eq!(e["detail-type"], "AWS Service Event via CloudTrail");
        assert_eq!(e["source"], "aws.kms");
        assert!(delivered_to_eventbridge(&r));
    }

    #[test]
    fn insights_events_come_from_cloudtrail() {
        let r = json!({"eventVersion": "1.07", "eventTime": "2026-01-08T10:00:00Z",
            "awsRegion": "us-east-1", "eventID": "e-1", "eventType": "AwsCloudTrailInsight",
            "recipientAccountId": "123456789012", "sharedEventID": "s-1",
            "insightDetails": {"state": "Start", "eventSource": "ec2.amazonaws.com",
                "eventName": "RunInstances", "insightType": "ApiCallRateInsight"},
            "eventCategory": "Insight"});
        let e = cloudtrail_envelope(&r, SEED);
        assert_eq!(e["detail-type"], "AWS Insight via CloudTrail");
        assert_eq!(e["source"], "aws.cloudtrail");
        assert_eq!(e["account"], "123456789012");
        assert_eq!(delivery(&r), Delivery::AllEnabledRules);
    }

    #[test]
    fn account_falls_back_to_the_caller_account() {
        let mut r = api_call("iam.amazonaws.com", "CreateUser");
        if let Some(m) = r.as_object_mut() {
            m.remove("recipientAccountId");
        }
        assert_eq!(cloudtrail_envelope(&r, SEED)["account"], "123456789012");
    }

    #[test]
    fn mutating_management_calls_reach_enabled_rules() {
        for name in [
            "StopLogging",
            "CreateUser",
            "PutBucketPolicy",
            "AssumeRole",
            "Getaway",
        ] {
            let r = api_call("iam.amazonaws.com", name);
            assert_eq!(delivery(&r), Delivery::AllEnabledRules, "{name}");
            assert!(delivered_to_eventbridge(&r));
        }
    }

    #[test]
    fn read_only_management_calls_need_the_all_management_events_rule_state() {
        for (source, name) in [
            ("cloudtrail.amazonaws.com", "GetTrailStatus"),
            ("cloudtrail.amazonaws.com", "DescribeTrails"),
            ("iam.amazonaws.com", "ListUsers"),
            ("kms.amazonaws.com", "DescribeKey"),
            ("sts.amazonaws.com", "GetCallerIdentity"),
            ("ec2.amazonaws.com", "Get"),
        ] {
            let r = api_call(source, name);
            assert_eq!(
                delivery(&r),
                Delivery::RulesWithAllManagementEvents,
                "{name}"
            );
            assert!(!delivered_to_eventbridge(&r), "{name}");
        }
    }

    #[test]
    fn sts_token_calls_are_change_events_despite_their_names() {
        for name in ["GetSessionToken", "GetFederationToken"] {
            assert!(delivered_to_eventbridge(&api_call(
                "sts.amazonaws.com",
                name
            )));
        }
        // Only STS's: another service's call of the same name reads as read-only.
        assert!(!delivered_to_eventbridge(&api_call(
            "example.amazonaws.com",
            "GetSessionToken"
        )));
    }

    #[test]
    fn read_only_is_judged_by_name_not_by_the_record_flag() {
        let mut r = api_call("cloudtrail.amazonaws.com", "LookupEvents");
        r["readOnly"] = json!(true);
        assert!(delivered_to_eventbridge(&r));
    }

    #[test]
    fn data_events_are_delivered_whatever_their_name() {
        let mut r = api_call("s3.amazonaws.com", "GetObject");
        r["eventCategory"] = json!("Data");
        r["managementEvent"] = json!(false);
        r["readOnly"] = json!(true);
        assert_eq!(delivery(&r), Delivery::AllEnabledRules);
        // Older records carry only managementEvent.
        if let Some(m) = r.as_object_mut() {
            m.remove("eventCategory");
        }
        assert_eq!(delivery(&r), Delivery::AllEnabledRules);
    }

    #[test]
    fn console_sign_ins_are_always_delivered() {
        assert!(delivered_to_eventbridge(&console_login("Root")));
    }

    #[test]
    fn records_without_a_known_event_type_are_not_delivered() {
        assert_eq!(
            delivery(&json!({"eventName": "CreateUser"})),
            Delivery::NotDelivered
        );
        assert_eq!(delivery(&json!(null)), Delivery::NotDelivered);
        let mut r = api_call("iam.amazonaws.com", "CreateUser");
        r["eventType"] = json!("AwsMystery");
        assert!(!delivered_to_eventbridge(&r));
        // Still wrapped, for tools that show what a rule would have seen.
        assert_eq!(
            cloudtrail_envelope(&r, SEED)["detail-type"],
            "AWS API Call via CloudTrail"
        );
    }

    #[test]
    fn cis_cloudtrail_rule_matches_the_envelope_of_stop_logging() {
        let rule = EventPattern::compile(
            r#"{"source":["aws.cloudtrail"],"detail-type":["AWS API Call via CloudTrail"],
                "detail":{"eventSource":["cloudtrail.amazonaws.com"],
                          "eventName":["StopLogging","DeleteTrail","UpdateTrail"]}}"#,
        );
        let Ok(rule) = rule else {
            panic!("the CIS pattern compiles")
        };
        let stop = api_call("cloudtrail.amazonaws.com", "StopLogging");
        assert!(delivered_to_eventbridge(&stop));
        assert!(rule.matches(&cloudtrail_envelope(&stop, SEED)));
        let start = api_call("cloudtrail.amazonaws.com", "StartLogging");
        assert!(!rule.matches(&cloudtrail_envelope(&start, SEED)));
    }

    #[test]
    fn root_login_rule_matches_the_envelope_of_a_root_console_login() {
        let rule = EventPattern::compile(
            r#"{"detail-type":["AWS Console Sign In via CloudTrail"],
                "detail":{"userIdentity":{"type":["Root"]}}}"#,
        );
        let Ok(rule) = rule else {
            panic!("the root-login pattern compiles")
        };
        assert!(rule.matches(&cloudtrail_envelope(&console_login("Root"), SEED)));
        assert!(!rule.matches(&cloudtrail_envelope(&console_login("IAMUser"), SEED)));
        let source_rule = EventPattern::compile(
            r#"{"source":["aws.signin"],"detail":{"eventName":["ConsoleLogin"]}}"#,
        );
        assert!(
            source_rule
                .is_ok_and(|r| r.matches(&cloudtrail_envelope(&console_login("IAMUser"), SEED)))
        );
    }
}
