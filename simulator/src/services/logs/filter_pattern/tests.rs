//! Filter patterns end to end: CIS AWS Foundations monitoring filters against realistic
//! CloudTrail records, metric values and dimensions, TestMetricFilter's answer, errors,
//! and a deterministic fuzz run over garbage patterns and messages.

use serde_json::{Value, json};

use super::*;

fn compile(p: &str) -> FilterPattern {
    FilterPattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A CloudTrail record as CloudTrail writes it to CloudWatch Logs: one JSON object per
/// event, with `changes` merged over a plain IAM-user API call.
fn record(changes: Value) -> String {
    let mut base = json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEUSERID",
            "arn": "arn:aws:iam::123456789012:user/alice",
            "accountId": "123456789012",
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "userName": "alice"
        },
        "eventTime": "2024-01-01T00:00:00Z",
        "eventSource": "ec2.amazonaws.com",
        "eventName": "DescribeInstances",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.10",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"instancesSet": {}, "filterSet": {}},
        "responseElements": null,
        "requestID": "11111111-2222-3333-4444-555555555555",
        "eventID": "66666666-7777-8888-9999-000000000000",
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management"
    });
    merge(&mut base, changes);
    base.to_string()
}

fn merge(into: &mut Value, changes: Value) {
    match (into, changes) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(slot) if v.is_object() && slot.is_object() => merge(slot, v),
                    _ => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

fn remove(mut rec: Value, path: &[&str]) -> String {
    let (last, parents) = path.split_last().unwrap_or_else(|| panic!("empty path"));
    let mut at = &mut rec;
    for p in parents {
        at = at.get_mut(*p).unwrap_or_else(|| panic!("no {p}"));
    }
    if let Some(obj) = at.as_object_mut() {
        obj.remove(*last);
    }
    rec.to_string()
}

fn parsed(changes: Value) -> Value {
    serde_json::from_str(&record(changes)).unwrap_or_else(|e| panic!("{e}"))
}

const CIS_UNAUTHORIZED: &str =
    r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#;

#[test]
fn cis_unauthorized_api_calls_catch_unauthorized_and_access_denied_errors() {
    let p = compile(CIS_UNAUTHORIZED);
    assert_eq!(p.kind(), PatternKind::Json);
    let ec2 = record(json!({
        "errorCode": "Client.UnauthorizedOperation",
        "errorMessage": "You are not authorized to perform this operation."
    }));
    let s3 = record(json!({
        "eventSource": "s3.amazonaws.com",
        "eventName": "GetObject",
        "errorCode": "AccessDenied",
        "errorMessage": "Access Denied"
    }));
    let kms = record(json!({"errorCode": "AccessDeniedException"}));
    let throttled = record(json!({"errorCode": "ThrottlingException"}));
    assert!(p.matches(&ec2));
    assert!(p.matches(&s3));
    assert!(p.matches(&kms));
    assert!(!p.matches(&throttled));
    assert!(!p.matches(&record(json!({}))));
}

#[test]
fn cis_unauthorized_api_calls_newer_form_excludes_log_delivery_and_head_bucket() {
    // && binds tighter than ||: the exclusions only qualify the AccessDenied branch.
    let p = compile(
        r#"{($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket")}"#,
    );
    let denied = |ip: &str, name: &str| {
        record(json!({"errorCode": "AccessDenied", "sourceIPAddress": ip, "eventName": name}))
    };
    assert!(p.matches(&denied("203.0.113.10", "GetObject")));
    assert!(!p.matches(&denied("delivery.logs.amazonaws.com", "GetObject")));
    assert!(!p.matches(&denied("203.0.113.10", "HeadBucket")));
    let unauthorized = record(json!({
        "errorCode": "Client.UnauthorizedOperation",
        "sourceIPAddress": "delivery.logs.amazonaws.com"
    }));
    assert!(p.matches(&unauthorized));
}

const CIS_ROOT: &str = r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#;

fn root_record(changes: Value) -> Value {
    let mut rec = parsed(json!({
        "userIdentity": {
            "type": "Root",
            "principalId": "123456789012",
            "arn": "arn:aws:iam::123456789012:root",
            "accountId": "123456789012"
        },
        "eventName": "CreateAccessKey",
        "eventSource": "iam.amazonaws.com"
    }));
    if let Some(identity) = rec.get_mut("userIdentity").and_then(Value::as_object_mut) {
        identity.remove("userName");
        identity.remove("accessKeyId");
    }
    merge(&mut rec, changes);
    rec
}

#[test]
fn cis_root_usage_matches_root_calls_not_made_by_services() {
    let p = compile(CIS_ROOT);
    assert!(p.matches(&root_record(json!({})).to_string()));
    let by_service = root_record(json!({"userIdentity": {"invokedBy": "support.amazonaws.com"}}));
    assert!(!p.matches(&by_service.to_string()));
    let service_event = root_record(json!({"eventType": "AwsServiceEvent"}));
    assert!(!p.matches(&service_event.to_string()));
    assert!(!p.matches(&record(json!({}))));
    // Without eventType at all, != has no value node to compare, so the filter is false.
    let no_type = remove(root_record(json!({})), &["eventType"]);
    assert!(!p.matches(&no_type));
}

const CIS_NO_MFA: &str =
    r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#;

fn console_login(mfa: Option<&str>, outcome: &str) -> String {
    let mut extra = json!({
        "LoginTo": "https://console.aws.amazon.com/console/home",
        "MobileVersion": "No"
    });
    if let (Some(m), Some(obj)) = (mfa, extra.as_object_mut()) {
        obj.insert("MFAUsed".into(), Value::String(m.into()));
    }
    record(json!({
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "readOnly": false,
        "requestParameters": null,
        "responseElements": {"ConsoleLogin": outcome},
        "additionalEventData": extra
    }))
}

#[test]
fn cis_console_sign_in_without_mfa() {
    let p = compile(CIS_NO_MFA);
    assert!(p.matches(&console_login(Some("No"), "Success")));
    assert!(!p.matches(&console_login(Some("Yes"), "Success")));
    // A record without MFAUsed (some failed sign-ins) does not count: != needs a value.
    assert!(!p.matches(&console_login(None, "Failure")));
    assert!(!p.matches(&record(json!({"additionalEventData": {"MFAUsed": "No"}}))));
    let stricter = compile(
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
    );
    assert!(stricter.matches(&console_login(Some("No"), "Success")));
    assert!(!stricter.matches(&console_login(Some("No"), "Failure")));
}

#[test]
fn cis_console_authentication_failures() {
    let p = compile(
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    );
    let mut failed =
        parsed(json!({"eventName": "ConsoleLogin", "errorMessage": "Failed authentication"}));
    merge(
        &mut failed,
        json!({"responseElements": {"ConsoleLogin": "Failure"}}),
    );
    assert!(p.matches(&failed.to_string()));
    assert!(!p.matches(&console_login(Some("Yes"), "Success")));
}

const CIS_IAM_POLICY: &str = "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}";

#[test]
fn cis_iam_policy_changes() {
    let p = compile(CIS_IAM_POLICY);
    let iam = |name: &str, params: Value| {
        record(json!({
            "eventSource": "iam.amazonaws.com",
            "eventName": name,
            "readOnly": false,
            "requestParameters": params
        }))
    };
    let put = iam(
        "PutUserPolicy",
        json!({
            "userName": "alice",
            "policyName": "inline",
            "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
        }),
    );
    assert!(p.matches(&put));
    assert!(p.matches(&iam(
        "AttachRolePolicy",
        json!({"roleName": "r", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    )));
    assert!(p.matches(&iam("DetachGroupPolicy", json!({}))));
    assert!(!p.matches(&iam("ListPolicies", json!({}))));
    assert!(!p.matches(&iam("PutUserPolicyX", json!({}))));
}

const CIS_CLOUDTRAIL: &str = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }";

#[test]
fn cis_cloudtrail_configuration_changes() {
    let p = compile(CIS_CLOUDTRAIL);
    let trail = |name: &str| {
        record(json!({
            "eventSource": "cloudtrail.amazonaws.com",
            "eventName": name,
            "requestParameters": {"name": "arn:aws:cloudtrail:us-east-1:123456789012:trail/main"}
        }))
    };
    for name in [
        "CreateTrail",
        "UpdateTrail",
        "DeleteTrail",
        "StartLogging",
        "StopLogging",
    ] {
        assert!(p.matches(&trail(name)), "{name}");
    }
    for name in ["DescribeTrails", "GetTrailStatus", "PutEventSelectors"] {
        assert!(!p.matches(&trail(name)), "{name}");
    }
}

#[test]
fn cis_kms_key_disable_or_deletion_with_unquoted_dotted_values() {
    let p = compile(
        "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
    );
    let kms = |name: &str| record(json!({"eventSource": "kms.amazonaws.com", "eventName": name}));
    assert!(p.matches(&kms("DisableKey")));
    assert!(p.matches(&kms("ScheduleKeyDeletion")));
    assert!(!p.matches(&kms("EnableKey")));
    assert!(!p.matches(&record(json!({"eventName": "DisableKey"}))));
}

#[test]
fn cis_s3_bucket_policy_changes() {
    let p = compile(
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    );
    let s3 = |name: &str| record(json!({"eventSource": "s3.amazonaws.com", "eventName": name}));
    assert!(p.matches(&s3("PutBucketPolicy")));
    assert!(p.matches(&s3("DeleteBucketReplication")));
    assert!(!p.matches(&s3("GetBucketPolicy")));
}

#[test]
fn term_patterns_search_the_raw_record_text() {
    let p = compile("?StopLogging ?DeleteTrail");
    assert_eq!(p.kind(), PatternKind::Terms);
    assert!(p.matches(&record(json!({"eventName": "StopLogging"}))));
    assert!(!p.matches(&record(json!({}))));
}

#[test]
fn a_standalone_regex_is_a_pattern_of_its_own() {
    let p = compile(" %Task timed out after|^REPORT\\s.+\\sStatus: timeout% ");
    assert_eq!(p.kind(), PatternKind::Regex);
    assert_eq!(p.regex_count(), 1);
    assert!(p.matches("2024-01-01T00:00:00Z abc Task timed out after 3.00 seconds"));
    assert!(!p.matches("Task finished"));
}

#[test]
fn the_empty_pattern_matches_every_event() {
    for p in ["", "  \n"] {
        let f = compile(p);
        assert_eq!(f.kind(), PatternKind::MatchAll);
        assert!(f.matches(""));
        assert!(f.matches("anything at all"));
    }
}

#[test]
fn regex_counts_are_reported_for_the_per_log_group_quota() {
    assert_eq!(compile("{ $.a = %x% || $.b = %y% }").regex_count(), 2);
    assert_eq!(compile("[a = %x%, b]").regex_count(), 1);
    assert_eq!(compile("ERROR").regex_count(), 0);
}

#[test]
fn metric_values_come_from_constants_json_selectors_or_named_fields() {
    let latency = CompiledMetricFilter::compile("{ $.latency = * }", "$.latency", [("", ""); 0])
        .unwrap_or_else(|e| panic!("{e}"));
    let m = latency.evaluate(r#"{"latency": 50, "requestType": "GET"}"#);
    assert_eq!(m.map(|m| m.value), Some(Some(50.0)));
    assert!(latency.evaluate(r#"{"requestType": "GET"}"#).is_none());

    let count = CompiledMetricFilter::compile("ERROR", "1", [("", ""); 0])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        count.evaluate("ERROR boom").map(|m| m.value),
        Some(Some(1.0))
    );
    assert_eq!(count.evaluate("fine"), None);

    let bytes = CompiledMetricFilter::compile(
        "[ip, user, username, timestamp, request, status_code = 2*, bytes]",
        "$bytes",
        [("Status", "$status_code")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let line =
        r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355"#;
    let m = bytes
        .evaluate(line)
        .unwrap_or_else(|| panic!("should match"));
    assert_eq!(m.value, Some(4355.0));
    assert_eq!(
        m.dimensions,
        [DimensionValue {
            name: "Status",
            value: Some(Cow::Borrowed("200"))
        }]
    );
    let dash = line.replace("4355", "-");
    assert_eq!(bytes.evaluate(&dash).map(|m| m.value), Some(None));
}

#[test]
fn json_dimensions_are_extracted_in_name_order() {
    let f = CompiledMetricFilter::compile(
        CIS_UNAUTHORIZED,
        "1",
        [
            ("Service", "$.eventSource"),
            ("Code", "$.errorCode"),
            ("User", "$.userIdentity.userName"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let rec = record(json!({"errorCode": "AccessDenied", "eventSource": "s3.amazonaws.com"}));
    let m = f.evaluate(&rec).unwrap_or_else(|| panic!("should match"));
    let got: Vec<(&str, Option<&str>)> = m
        .dimensions
        .iter()
        .map(|d| (d.name, d.value.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("Code", Some("AccessDenied")),
            ("Service", Some("s3.amazonaws.com")),
            ("User", Some("alice"))
        ]
    );
    let escaped = CompiledMetricFilter::compile("{ $.a = * }", "1", [("A", "$.a")])
        .unwrap_or_else(|e| panic!("{e}"));
    let m = escaped
        .evaluate(r#"{"a":"x\ty"}"#)
        .unwrap_or_else(|| panic!("should match"));
    assert_eq!(m.dimensions[0].value.as_deref(), Some("x\ty"));
}

#[test]
fn metric_values_and_dimensions_must_suit_the_pattern() {
    let err = |p: &str, v: &str, dims: &[(&str, &str)]| -> FilterPatternError {
        match CompiledMetricFilter::compile(p, v, dims.iter().copied()) {
            Ok(f) => panic!("{p} / {v} should be refused: {f:?}"),
            Err(e) => e,
        }
    };
    let e = err("ERROR", "1", &[("Level", "$.level")]);
    assert_eq!(e.kind(), FilterPatternErrorKind::Dimensions);
    assert_eq!(
        e.message(),
        "The specified filter pattern does not support dimensions"
    );
    assert_eq!(e.to_aws_error().code, "InvalidParameterException");

    let e = err("ERROR", "$.latency", &[]);
    assert_eq!(e.kind(), FilterPatternErrorKind::MetricValue);
    assert!(
        e.message().starts_with("Invalid metric value: "),
        "{}",
        e.message()
    );

    for (p, v) in [
        ("{ $.a = 1 }", "latency"),
        ("{ $.a = 1 }", "$latency"),
        ("{ $.a = 1 }", "$.a b"),
        ("[a, b]", "$c"),
        ("[a, b]", "$.a"),
        ("[a, b]", ""),
    ] {
        assert_eq!(
            err(p, v, &[]).kind(),
            FilterPatternErrorKind::MetricValue,
            "{p} / {v}"
        );
    }
    let four = [("A", "$.a"), ("B", "$.b"), ("C", "$.c"), ("D", "$.d")];
    assert!(
        err("{ $.a = 1 }", "1", &four)
            .message()
            .contains("at most 3")
    );
    assert!(
        err("[a, b]", "1", &[("X", "$c")])
            .detail()
            .contains("names no field")
    );
    assert!(err("[a, b]", "1", &[("", "$a")]).detail().contains("empty"));
    assert!(
        err("[a, b]", "1", &[("X", "$a"), ("X", "$b")])
            .detail()
            .contains("twice")
    );
}

#[test]
fn test_metric_filter_answers_matches_numbered_from_one() {
    let p = compile("[..., request=*.html*, status_code=4*,]");
    let messages = vec![
        r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#
            .to_string(),
        r#"127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324"#
            .to_string(),
        r#"127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /about.html HTTP/1.0" 403 4355"#
            .to_string(),
    ];
    let got = serde_json::to_value(p.test_messages(&messages)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        json!([
            {
                "eventNumber": 1,
                "eventMessage": messages[0],
                "extractedValues": {
                    "$1": "127.0.0.1", "$2": "-", "$3": "frank",
                    "$4": "10/Oct/2000:13:25:15 -0700",
                    "$request": "GET /index.html HTTP/1.0",
                    "$status_code": "404", "$7": "1534"
                }
            },
            {
                "eventNumber": 3,
                "eventMessage": messages[2],
                "extractedValues": {
                    "$1": "127.0.0.1", "$2": "-", "$3": "frank",
                    "$4": "10/Oct/2000:13:50:35 -0700",
                    "$request": "GET /about.html HTTP/1.0",
                    "$status_code": "403", "$7": "4355"
                }
            }
        ])
    );
    let json_pattern = compile("{ $.latency > 10 }");
    let got = json_pattern.test_messages(&[r#"{"latency": 5}"#, r#"{"latency": 50}"#]);
    assert_eq!(
        got,
        [TestMatch {
            event_number: 2,
            event_message: r#"{"latency": 50}"#.into(),
            extracted_values: BTreeMap::new()
        }]
    );
}

#[test]
fn patterns_over_the_length_limit_are_refused_as_validation_errors() {
    let at_limit = format!("\"{}\"", "a".repeat(MAX_PATTERN_LENGTH - 2));
    assert!(FilterPattern::compile(&at_limit).is_ok());
    let over = "a".repeat(MAX_PATTERN_LENGTH + 1);
    let e = FilterPattern::compile(&over).expect_err("too long");
    assert_eq!(e.kind(), FilterPatternErrorKind::TooLong);
    assert_eq!(e.to_aws_error().code, "ValidationException");
    // The limit counts characters, not bytes.
    assert!(FilterPattern::compile(&"é".repeat(MAX_PATTERN_LENGTH)).is_ok());
}

#[test]
fn nesting_is_bounded_with_a_clear_error() {
    let nested = |n: usize| format!("{{ {}$.a = 1{} }}", "(".repeat(n), ")".repeat(n));
    assert!(compile(&nested(MAX_DEPTH)).matches(r#"{"a":1}"#));
    let e = FilterPattern::compile(&nested(MAX_DEPTH + 1)).expect_err("too deep");
    assert_eq!(e.kind(), FilterPatternErrorKind::TooDeep);
    assert!(
        e.message()
            .starts_with("Invalid metric filter pattern: parentheses are nested")
    );
    let e = FilterPattern::compile(&format!("[a = 1 && {}", "(".repeat(1000))).expect_err("deep");
    assert_eq!(e.kind(), FilterPatternErrorKind::TooDeep);
}

#[test]
fn syntax_errors_carry_aws_wording_and_a_position() {
    let e = FilterPattern::compile("{ status = \"401\" }").expect_err("no $");
    assert_eq!(e.kind(), FilterPatternErrorKind::Syntax);
    assert_eq!(
        e.message(),
        "Invalid metric filter pattern: expected a selector starting with '$' (such as \
         $.eventName), found 's' (at character 3)"
    );
    let aws: AwsError = e.into();
    assert_eq!(aws.code, "InvalidParameterException");
    assert!(FilterPattern::compile("%a% ERROR").is_err());
    assert!(FilterPattern::compile("{$.userIdentity.type = 'Root'}").is_err());
}

/// A small deterministic generator so the fuzz run is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "$",
    ".",
    "$.a",
    "$.a[0]",
    "$.b.c",
    "[0]",
    "a",
    "b",
    "1",
    "-1.5e3",
    "*",
    "\"",
    "\"x\"",
    "%",
    "%a|^b$%",
    "%[a-",
    "?",
    "-",
    " ",
    "  ",
    ",",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "&",
    "&&",
    "|",
    "||",
    "...",
    "\\",
    "IS",
    "NULL",
    "NOT",
    "EXISTS",
    "TRUE",
    "é",
    "\u{0}",
    "\n",
    "{2,3}",
    "+",
    "^",
    "'",
    "ERROR",
    "w1",
    "@",
    "\u{1F600}",
];

const MESSAGES: &[&str] = &[
    "",
    "ERROR WARN message",
    r#"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#,
    r#"{"a":1,"b":{"c":"x"},"arr":[1,{"d":null}]}"#,
    r#"{"a":[[[[[]]]]],"b":"\ud83d\ude00 \"q\"","c":true}"#,
    r#"{"a":1"#,
    "[unclosed \"open",
    "é 😀 \u{0}",
];

#[test]
fn no_input_makes_compilation_or_evaluation_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut compiled = 0;
    for _ in 0..20_000 {
        let n = rng.below(24);
        let pattern: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        if let Ok(p) = FilterPattern::compile(&pattern) {
            compiled += 1;
            for m in MESSAGES {
                let _ = p.matches(m);
                let _ = p.extracted_values(m);
            }
            let value = rng.pick(&["1", "$.a", "$a", "$w1", "x", "$.b.c"]);
            let dim = rng.pick(&["$.a", "$a", "$b", "x"]);
            if let Ok(f) = CompiledMetricFilter::new(p, value, [("D", dim)]) {
                for m in MESSAGES {
                    let _ = f.evaluate(m);
                }
            }
        }
    }
    // The generator should reach the evaluators, not only the error paths.
    assert!(compiled > 1_000, "only {compiled} patterns compiled");
}

#[test]
fn mangled_real_patterns_and_messages_never_panic() {
    let seeds = [
        CIS_UNAUTHORIZED,
        CIS_ROOT,
        CIS_NO_MFA,
        CIS_IAM_POLICY,
        CIS_CLOUDTRAIL,
        "[ip, user, ..., status_code = 4* && status_code != 403, bytes > 1000]",
        "?\"ERROR\" \"MainThread\" ?WARN -Deadlock",
        "%^\\d{1,3}\\.[a-z]+|x*y?z{2,}$%",
    ];
    let rec =
        record(json!({"errorCode": "AccessDenied", "additionalEventData": {"MFAUsed": "No"}}));
    let mut rng = Rng(42);
    for _ in 0..10_000 {
        let seed: Vec<char> = rng.pick(&seeds).chars().collect();
        let mut chars = seed.clone();
        for _ in 0..=rng.below(3) {
            let at = rng.below(chars.len() + 1);
            match rng.below(3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => chars.insert(at, rng.pick(PIECES).chars().next().unwrap_or('x')),
                _ => chars.truncate(at),
            }
        }
        let pattern: String = chars.into_iter().collect();
        if let Ok(p) = FilterPattern::compile(&pattern) {
            let _ = p.matches(&rec);
            // Cut the record at a random point: truncated JSON must just not match.
            let cut: String = rec.chars().take(rng.below(rec.len())).collect();
            let _ = p.matches(&cut);
            let _ = p.test_messages(&[cut.as_str(), rec.as_str()]);
        }
    }
}
