//! Fuzz targets for SigV4 and the three wire protocols (`fuzz_*`, see docs/reliability.md):
//! hostile and near-valid requests in, an answer in the protocol's own shape out, never a
//! panic; limits on nesting and size answered with the protocol's error.

use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

use super::credentials::Credentials;
use super::sigv4::{self, Placement, SignedRequest, TimeCheck};
use super::*;
use crate::fuzz::{any_json, check, mutated_json, mutated_text, nasty_string};

struct Fixture {
    _dir: tempfile::TempDir,
    server: Server,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let sim = Arc::new(Simulator::open(dir.path()).unwrap());
    let creds = Credentials::load(None, "123456789012", "ctsim").unwrap();
    Fixture {
        server: Server::new(sim, creds, Limits::default()),
        _dir: dir,
    }
}

/// A request signed now with the default `test`/`test` keys.
fn signed(
    method: &str,
    path: &str,
    query: &str,
    mut headers: Vec<(String, String)>,
    body: &[u8],
    service: &str,
) -> Incoming {
    headers.push(("host".into(), "127.0.0.1:4566".into()));
    let added = sigv4::sign(
        method,
        path,
        query,
        &headers,
        body,
        "test",
        "test",
        None,
        "us-east-1",
        service,
        Utc::now(),
    );
    headers.extend(added);
    Incoming {
        method: method.into(),
        raw_path: path.into(),
        raw_query: query.into(),
        headers,
        body: Bytes::copy_from_slice(body),
        peer: IpAddr::from([127, 0, 0, 1]),
    }
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(body).unwrap();
    e.finish().unwrap()
}

/// The reply is one the protocol could give: a status, and for an error the protocol's
/// error document with a code. A 500 means a bug reached the client as an internal error.
fn in_shape(protocol: Protocol, reply: &Reply, head: bool) -> Result<(), TestCaseError> {
    let body = String::from_utf8_lossy(&reply.body);
    prop_assert!(
        (200..600).contains(&reply.status),
        "status {}",
        reply.status
    );
    prop_assert!(
        reply.status != 500,
        "internal error reached the client: {body}"
    );
    if reply.status < 300 {
        return Ok(());
    }
    match protocol {
        Protocol::Json => {
            let v: Value = serde_json::from_slice(&reply.body)
                .map_err(|e| TestCaseError::fail(format!("error body is not JSON: {e}: {body}")))?;
            prop_assert!(v["__type"].is_string(), "no __type: {body}");
            prop_assert!(v["message"].is_string(), "no message: {body}");
        }
        Protocol::Query => {
            prop_assert!(body.starts_with("<ErrorResponse"), "{body}");
            prop_assert!(body.contains("<Code>"), "{body}");
        }
        Protocol::S3 => {
            if head {
                prop_assert!(reply.body.is_empty(), "HEAD error with a body");
            } else {
                prop_assert!(body.contains("<Error><Code>"), "{body}");
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// SigV4
// ---------------------------------------------------------------------------------------

const GOOD_AUTH: &str = "AWS4-HMAC-SHA256 Credential=test/20260102/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const GOOD_PRESIGN: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260102%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=00ff";

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "authorization",
            "Authorization",
            "x-amz-date",
            "X-Amz-Date",
            "date",
            "x-amz-security-token",
            "x-amz-content-sha256",
            "host",
            "content-type",
            "content-encoding",
            "x-amz-target",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z-]{1,12}",
    ]
}

fn hostile_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let value = prop_oneof![
        3 => mutated_text(vec![GOOD_AUTH.to_string()]),
        2 => mutated_text(vec![
            "20260102T030405Z".to_string(),
            "Fri, 02 Jan 2026 03:04:05 GMT".to_string(),
            "+2621431231T235959Z".to_string(),
        ]),
        1 => nasty_string(),
    ];
    prop::collection::vec((header_name(), value), 0..6)
}

#[test]
fn fuzz_sigv4_parse_and_check_never_panic() {
    let now = Utc::now();
    let strategy = (
        hostile_headers(),
        mutated_text(vec![GOOD_PRESIGN.to_string(), String::new()]),
        mutated_text(vec!["/".to_string(), "/b/a%20b/../c".to_string()]),
    );
    check(
        file!(),
        "sigv4 parse",
        256,
        strategy,
        |(headers, query, path)| {
            let req = SignedRequest {
                method: "GET",
                raw_path: &path,
                raw_query: &query,
                headers: &headers,
            };
            if let Ok(sig) = sigv4::parse(&req) {
                let _ = sigv4::check_time(&sig, now);
                for s3 in [false, true] {
                    let creq = sigv4::canonical_request(&req, &sig, sigv4::UNSIGNED_PAYLOAD, s3);
                    let sts = sigv4::string_to_sign(&sig, &creq);
                    let _ = sigv4::compute("test", &sig, &sts);
                }
            }
            Ok(())
        },
    );
}

/// The latest time SigV4 can name (`%Y` reads four digits) plus the longest presigned
/// expiry stays inside chrono's range.
#[test]
fn presigned_expiry_at_the_end_of_year_9999_is_expired_not_a_panic() {
    let sig = sigv4::Signature {
        access_key_id: "test".into(),
        date: "99991231".into(),
        region: "us-east-1".into(),
        service: "s3".into(),
        signed_headers: vec!["host".into()],
        signature: String::new(),
        amz_date: "99991231T235959Z".into(),
        session_token: None,
        placement: Placement::Query,
        expires: Some(i64::MAX),
    };
    assert!(matches!(
        sigv4::check_time(&sig, Utc::now()),
        TimeCheck::Skewed { .. }
    ));
}

type Pairs = Vec<(String, String)>;

/// Parts of a request a client may sign: method, path, query pairs, extra headers, body.
fn request_parts() -> impl Strategy<Value = (String, String, Pairs, Pairs, Vec<u8>)> {
    (
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "HEAD"]).prop_map(str::to_string),
        prop::collection::vec("[a-zA-Z0-9 ._~%:=é-]{0,8}", 0..4).prop_map(|segs| {
            let encoded: Vec<String> = segs.iter().map(|s| sigv4::uri_encode(s, false)).collect();
            format!("/{}", encoded.join("/"))
        }),
        prop::collection::vec((nasty_string(), nasty_string()), 0..4),
        prop::collection::vec(("x-[a-z]{1,8}", "[ -~]{0,16}"), 0..3),
        prop::collection::vec(any::<u8>(), 0..64),
    )
}

#[test]
fn fuzz_sigv4_sign_then_verify_round_trips() {
    let strategy = (
        request_parts(),
        "[a-zA-Z0-9/+]{1,40}",
        prop::sample::select(vec!["cloudtrail", "s3", "iam", "monitoring"]),
        0i64..2_000_000_000,
    );
    check(
        file!(),
        "sigv4 round trip",
        256,
        strategy,
        |((method, path, pairs, extra, body), secret, service, t)| {
            let now = Utc.timestamp_opt(t, 0).unwrap();
            let query = pairs
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        sigv4::uri_encode(k, false),
                        sigv4::uri_encode(v, false)
                    )
                })
                .collect::<Vec<_>>()
                .join("&");
            let mut headers = vec![("host".to_string(), "127.0.0.1:4566".to_string())];
            headers.extend(extra);
            let added = sigv4::sign(
                &method,
                &path,
                &query,
                &headers,
                &body,
                "AKID",
                &secret,
                None,
                "us-east-1",
                service,
                now,
            );
            headers.extend(added);
            let req = SignedRequest {
                method: &method,
                raw_path: &path,
                raw_query: &query,
                headers: &headers,
            };
            let sig = sigv4::parse(&req).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(sigv4::check_time(&sig, now), TimeCheck::Ok);
            let s3 = service == "s3";
            let verify = |payload: &[u8], secret: &str| {
                let creq = sigv4::canonical_request(&req, &sig, &sigv4::sha256_hex(payload), s3);
                sigv4::constant_time_eq(
                    &sigv4::compute(secret, &sig, &sigv4::string_to_sign(&sig, &creq)),
                    &sig.signature,
                )
            };
            prop_assert!(verify(&body, &secret), "a signed request must verify");
            let mut tampered = body.clone();
            tampered.push(b'x');
            prop_assert!(
                !verify(&tampered, &secret),
                "a changed body must not verify"
            );
            prop_assert!(
                !verify(&body, &format!("{secret}x")),
                "another secret must not verify"
            );
            Ok(())
        },
    );
}

#[test]
fn fuzz_sigv4_percent_decoding_inverts_uri_encoding() {
    check(
        file!(),
        "sigv4 uri encoding",
        512,
        (nasty_string(), any::<bool>()),
        |(s, keep_slash)| {
            let encoded = sigv4::uri_encode(&s, keep_slash);
            prop_assert!(encoded.is_ascii());
            prop_assert_eq!(sigv4::percent_decode(&encoded, false), s);
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// JSON 1.1 / 1.0
// ---------------------------------------------------------------------------------------

const CT: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";

fn policy_text() -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "a", "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
        "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}]})
    .to_string()
}

/// Valid JSON-protocol calls (target, body) that reach deep into their services.
fn json_seeds() -> Vec<(String, Value)> {
    let ct = |op: &str| format!("{CT}.{op}");
    vec![
        (
            ct("CreateTrail"),
            json!({"Name": "t", "S3BucketName": "b", "IsMultiRegionTrail": true,
            "IncludeGlobalServiceEvents": true, "KmsKeyId": "alias/k", "SnsTopicName": "s",
            "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:g:*",
            "CloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/r",
            "TagsList": [{"Key": "k", "Value": "v"}]}),
        ),
        (
            ct("PutEventSelectors"),
            json!({"TrailName": "t", "AdvancedEventSelectors": [
            {"Name": "n", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
            {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"]}]}]}),
        ),
        (
            ct("PutEventSelectors"),
            json!({"TrailName": "t", "EventSelectors": [
            {"ReadWriteType": "All", "IncludeManagementEvents": true,
             "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::b/"]}],
             "ExcludeManagementEventSources": ["kms.amazonaws.com"]}]}),
        ),
        (
            ct("PutInsightSelectors"),
            json!({"TrailName": "t", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}),
        ),
        (
            ct("LookupEvents"),
            json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateTrail"}],
            "StartTime": 1700000000, "EndTime": 1800000000.5, "MaxResults": 5, "NextToken": "abc"}),
        ),
        (
            ct("CreateEventDataStore"),
            json!({"Name": "eds", "RetentionPeriod": 7,
            "AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]}),
        ),
        (
            ct("StartQuery"),
            json!({"QueryStatement": "SELECT eventName, count(*) FROM 00000000-0000-0000-0000-000000000000 WHERE eventTime > '2024-01-01 00:00:00' GROUP BY 1"}),
        ),
        (
            ct("DescribeTrails"),
            json!({"trailNameList": ["t", "arn:aws:cloudtrail:us-east-1:123456789012:trail/t"], "includeShadowTrails": true}),
        ),
        (
            ct("AddTags"),
            json!({"ResourceId": "t", "TagsList": [{"Key": "a", "Value": "b"}]}),
        ),
        (
            "Logs_20140328.CreateLogGroup".into(),
            json!({"logGroupName": "g", "tags": {"a": "b"}}),
        ),
        (
            "Logs_20140328.PutMetricFilter".into(),
            json!({"logGroupName": "g", "filterName": "f",
            "filterPattern": "{ ($.eventName = \"ConsoleLogin\") && ($.errorMessage = \"Failed*\") }",
            "metricTransformations": [{"metricName": "m", "metricNamespace": "n", "metricValue": "1"}]}),
        ),
        (
            "Logs_20140328.PutLogEvents".into(),
            json!({"logGroupName": "g", "logStreamName": "s",
            "logEvents": [{"timestamp": 1700000000000i64, "message": "{\"eventName\":\"x\"}"}]}),
        ),
        (
            "TrentService.CreateKey".into(),
            json!({"Policy": policy_text(), "Description": "d", "KeyUsage": "ENCRYPT_DECRYPT"}),
        ),
        (
            "TrentService.CreateAlias".into(),
            json!({"AliasName": "alias/k", "TargetKeyId": "k"}),
        ),
        (
            "AWSOrganizationsV20161128.CreateOrganization".into(),
            json!({"FeatureSet": "ALL"}),
        ),
        (
            "GraniteServiceVersion20100801.PutMetricAlarm".into(),
            json!({"AlarmName": "a", "MetricName": "m",
            "Namespace": "n", "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold", "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:s"],
            "Dimensions": [{"Name": "d", "Value": "v"}]}),
        ),
        (
            "GraniteServiceVersion20100801.PutMetricData".into(),
            json!({"Namespace": "n",
            "MetricData": [{"MetricName": "m", "Value": 1.5, "Timestamp": 1700000000, "Unit": "Count"}]}),
        ),
        (
            "AWSEvents.PutRule".into(),
            json!({"Name": "r", "EventPattern": "{\"source\":[\"aws.s3\"],\"detail\":{\"eventName\":[{\"prefix\":\"Put\"}]}}"}),
        ),
        ("ctsim.s3.CreateBucket".into(), json!({"Bucket": "b"})),
        (
            "ctsim.s3.PutBucketPolicy".into(),
            json!({"Bucket": "b", "Policy": policy_text()}),
        ),
        (
            "ctsim.iam.CreateRole".into(),
            json!({"RoleName": "r", "AssumeRolePolicyDocument": policy_text(), "Tags": [{"Key": "k", "Value": "v"}]}),
        ),
        (
            "ctsim.sns.CreateTopic".into(),
            json!({"Name": "s", "Attributes": {"Policy": policy_text()}}),
        ),
        (
            "ctsim.sns.Subscribe".into(),
            json!({"TopicArn": "arn:aws:sns:us-east-1:123456789012:s", "Protocol": "http",
            "Endpoint": "http://127.0.0.1:9/x", "Attributes": {"FilterPolicy": "{\"a\":[\"b\"]}"}}),
        ),
        (
            "ctsim.sts.AssumeRole".into(),
            json!({"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "s", "DurationSeconds": 900}),
        ),
        (
            "ctsim.generic.CreateResource".into(),
            json!({"TypeName": "aws_vpc", "Config": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "v"}}}),
        ),
        (
            "ctsim.generic.ReadDataSource".into(),
            json!({"TypeName": "aws_caller_identity", "Config": {}}),
        ),
    ]
}

/// A body as sent: the JSON text, sometimes gzipped or cut short.
#[derive(Debug, Clone)]
enum Encoding {
    Plain,
    Gzip,
    Truncated(prop::sample::Index),
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        6 => Just(Encoding::Plain),
        1 => Just(Encoding::Gzip),
        1 => any::<prop::sample::Index>().prop_map(Encoding::Truncated),
    ]
}

#[test]
fn fuzz_json_protocol_answers_hostile_calls_in_shape() {
    let f = fixture();
    let seeds = json_seeds();
    let targets: Vec<String> = seeds.iter().map(|(t, _)| t.clone()).collect();
    let bodies: Vec<Value> = seeds.into_iter().map(|(_, b)| b).collect();
    let target = prop_oneof![
        8 => prop::sample::select(targets),
        1 => mutated_text(vec![format!("{CT}.CreateTrail"), "ctsim.generic.CreateResource".into()]),
    ];
    let strategy = (target, mutated_json(bodies), encoding());
    check(
        file!(),
        "json protocol",
        96,
        strategy,
        |(target, body, enc)| {
            let text = body.to_string().into_bytes();
            let mut headers = vec![
                ("content-type".to_string(), json11::CONTENT_TYPE.to_string()),
                ("x-amz-target".to_string(), target.clone()),
            ];
            let body = match enc {
                Encoding::Plain => text,
                Encoding::Gzip => {
                    headers.push(("content-encoding".into(), "gzip".into()));
                    gzip(&text)
                }
                Encoding::Truncated(i) => text[..i.index(text.len() + 1)].to_vec(),
            };
            let req = signed("POST", "/", "", headers, &body, "cloudtrail");
            let reply = f.server.handle(&req);
            in_shape(Protocol::Json, &reply, false)
        },
    );
}

#[test]
fn fuzz_json_protocol_answers_unsigned_and_garbled_requests_in_shape() {
    let f = fixture();
    let strategy = (
        hostile_headers(),
        mutated_text(vec![
            format!("{CT}.DescribeTrails"),
            "Logs_20140328.DescribeLogGroups".into(),
        ]),
        prop::collection::vec(any::<u8>(), 0..256),
        prop::sample::select(vec!["POST", "GET", "PUT"]),
    );
    check(
        file!(),
        "json protocol unsigned",
        128,
        strategy,
        |(mut headers, target, body, method)| {
            headers.push(("x-amz-target".into(), target));
            let req = Incoming {
                method: method.into(),
                raw_path: "/".into(),
                raw_query: String::new(),
                headers,
                body: Bytes::from(body),
                peer: IpAddr::from([127, 0, 0, 1]),
            };
            in_shape(Protocol::Json, &f.server.handle(&req), false)
        },
    );
}

/// Nesting past serde_json's limit is a SerializationException, and nesting just inside
/// it reaches every service without exhausting a 2 MiB stack (the size of the threads
/// that serve requests).
#[test]
fn deep_json_bodies_get_serialization_exception_or_an_answer() {
    let f = fixture();
    let too_deep = crate::fuzz::nested_arrays(100_000);
    let req = signed(
        "POST",
        "/",
        "",
        vec![("x-amz-target".into(), format!("{CT}.DescribeTrails"))],
        too_deep.as_bytes(),
        "cloudtrail",
    );
    let reply = f.server.handle(&req);
    assert_eq!(reply.status, 400);
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(body["__type"], "SerializationException", "{body}");
    for (target, seed) in json_seeds() {
        // Each member of the seed replaced by a value nested as deep as the parser allows.
        for key in seed.as_object().unwrap().keys() {
            let mut v = seed.clone();
            let deep: Value = serde_json::from_str(&crate::fuzz::nested_objects_text(120)).unwrap();
            v[key] = deep;
            let req = signed(
                "POST",
                "/",
                "",
                vec![("x-amz-target".into(), target.clone())],
                v.to_string().as_bytes(),
                "cloudtrail",
            );
            let reply = handle_on_2mib_stack(&f.server, &req);
            in_shape(Protocol::Json, &reply, false).unwrap();
        }
    }
}

/// `server.handle(req)` on a thread with the 2 MiB stack of tokio's blocking pool.
fn handle_on_2mib_stack(server: &Server, req: &Incoming) -> Reply {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn_scoped(s, || server.handle(req))
            .unwrap()
            .join()
            .unwrap()
    })
}

// ---------------------------------------------------------------------------------------
// Query protocol
// ---------------------------------------------------------------------------------------

fn query_seeds() -> Vec<(String, Vec<(String, String)>)> {
    let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let doc = policy_text();
    vec![
        (
            "iam".into(),
            p(&[
                ("Action", "CreateRole"),
                ("Version", "2010-05-08"),
                ("RoleName", "r"),
                ("AssumeRolePolicyDocument", &doc),
                ("MaxSessionDuration", "3600"),
                ("Tags.member.1.Key", "k"),
                ("Tags.member.1.Value", "v"),
            ]),
        ),
        (
            "iam".into(),
            p(&[
                ("Action", "PutRolePolicy"),
                ("RoleName", "r"),
                ("PolicyName", "p"),
                ("PolicyDocument", &doc),
            ]),
        ),
        (
            "iam".into(),
            p(&[("Action", "ListRoles"), ("MaxItems", "5")]),
        ),
        (
            "sts".into(),
            p(&[
                ("Action", "AssumeRole"),
                ("RoleArn", "arn:aws:iam::123456789012:role/r"),
                ("RoleSessionName", "s"),
                ("DurationSeconds", "900"),
            ]),
        ),
        ("sts".into(), p(&[("Action", "GetCallerIdentity")])),
        (
            "sns".into(),
            p(&[
                ("Action", "CreateTopic"),
                ("Name", "s"),
                ("Attributes.entry.1.key", "Policy"),
                ("Attributes.entry.1.value", &doc),
            ]),
        ),
        (
            "sns".into(),
            p(&[
                ("Action", "Publish"),
                ("TopicArn", "arn:aws:sns:us-east-1:123456789012:s"),
                ("Message", "m"),
                ("MessageAttributes.entry.1.Name", "a"),
                ("MessageAttributes.entry.1.Value.DataType", "String"),
                ("MessageAttributes.entry.1.Value.StringValue", "b"),
            ]),
        ),
        (
            "monitoring".into(),
            p(&[
                ("Action", "PutMetricAlarm"),
                ("AlarmName", "a"),
                ("MetricName", "m"),
                ("Namespace", "n"),
                ("Statistic", "Sum"),
                ("Period", "60"),
                ("EvaluationPeriods", "1"),
                ("Threshold", "1"),
                ("ComparisonOperator", "GreaterThanThreshold"),
                ("Dimensions.member.1.Name", "d"),
                ("Dimensions.member.1.Value", "v"),
                ("Metrics.member.1.Id", "m1"),
                (
                    "Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name",
                    "x",
                ),
            ]),
        ),
        (
            "monitoring".into(),
            p(&[
                ("Action", "PutMetricData"),
                ("Namespace", "n"),
                ("MetricData.member.1.MetricName", "m"),
                ("MetricData.member.1.Value", "1.5"),
                ("MetricData.member.1.Timestamp", "2024-01-01T00:00:00Z"),
            ]),
        ),
    ]
}

fn member_segment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["member", "entry", "key", "value", "Tags", "Attributes",
            "1", "2", "0", "18446744073709551616", "-1", "Key", "Value", "Name", ""])
            .prop_map(str::to_string),
        1 => nasty_string(),
    ]
}

/// A flattened member name: a seed's with segments added, changed or dropped.
fn member_name() -> impl Strategy<Value = String> {
    prop::collection::vec(member_segment(), 1..8).prop_map(|segs| segs.join("."))
}

fn form(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                sigv4::uri_encode(k, false),
                sigv4::uri_encode(v, false)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn fuzz_query_protocol_answers_hostile_forms_in_shape() {
    let f = fixture();
    let seeds = query_seeds();
    let strategy = (
        prop::sample::select(seeds),
        prop::collection::vec((member_name(), nasty_string()), 0..6),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        prop::collection::vec((any::<prop::sample::Index>(), nasty_string()), 0..3),
        any::<bool>(),
    );
    check(
        file!(),
        "query protocol",
        96,
        strategy,
        |((scope, mut pairs), added, removed, changed, in_query)| {
            for i in removed {
                if !pairs.is_empty() {
                    pairs.remove(i.index(pairs.len()));
                }
            }
            for (i, v) in changed {
                if !pairs.is_empty() {
                    let n = i.index(pairs.len());
                    pairs[n].1 = v;
                }
            }
            pairs.extend(added);
            let text = form(&pairs);
            let req = if in_query {
                signed("GET", "/", &text, vec![], b"", &scope)
            } else {
                signed(
                    "POST",
                    "/",
                    "",
                    vec![(
                        "content-type".into(),
                        "application/x-www-form-urlencoded; charset=utf-8".into(),
                    )],
                    text.as_bytes(),
                    &scope,
                )
            };
            if Server::protocol_of(&req) != Protocol::Query {
                // Without an Action in the query string a GET is an S3 request.
                return Ok(());
            }
            in_shape(Protocol::Query, &f.server.handle(&req), false)
        },
    );
}

#[test]
fn fuzz_query_params_to_json_never_panics() {
    check(
        file!(),
        "query params",
        512,
        prop::collection::vec((member_name(), nasty_string()), 0..12),
        |pairs| {
            if let Ok(v) = query::params_to_json(&pairs) {
                prop_assert!(v.is_object() || v.is_array());
            }
            Ok(())
        },
    );
}

/// A member name nested past any AWS shape is refused with the query protocol's
/// MalformedQueryString, not followed down (found: `a.a.a...` 100,000 deep overflowed the
/// stack).
#[test]
fn deeply_nested_member_names_get_malformed_query_string() {
    let f = fixture();
    let deep = vec!["a"; 100_000].join(".");
    let body = format!("Action=ListRoles&Version=2010-05-08&{deep}=1");
    let req = signed(
        "POST",
        "/",
        "",
        vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body.as_bytes(),
        "iam",
    );
    let reply = f.server.handle(&req);
    assert_eq!(reply.status, 400);
    let text = String::from_utf8(reply.body).unwrap();
    assert!(text.contains("<Code>MalformedQueryString</Code>"), "{text}");
    // The deepest real shapes (CloudWatch metric math dimensions) are still accepted.
    let ok = query::params_to_json(&[(
        "Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name".to_string(),
        "x".to_string(),
    )]);
    assert!(ok.is_ok());
}

// ---------------------------------------------------------------------------------------
// S3 REST-XML
// ---------------------------------------------------------------------------------------

fn s3_key() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-zA-Z0-9/._-]{1,24}",
        1 => nasty_string().prop_map(|k| sigv4::uri_encode(&k, true)),
        1 => prop::sample::select(vec!["..", "../../x", "%2e%2e/%2e%2e/x", "a/../../b", "/abs", "%00", "a%2Fb",
            "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/x.json.gz"])
            .prop_map(str::to_string),
        1 => (1usize..3000).prop_map(|n| "k".repeat(n)),
    ]
}

fn s3_query() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => prop::sample::select(vec!["policy", "location", "list-type=2&prefix=AWSLogs/&delimiter=/",
            "max-keys=abc", "max-keys=99999999999999999999", "acl", "versioning", "marker=x&fetch-owner=true",
            "continuation-token=%%%", "uploads", "tagging"])
            .prop_map(str::to_string),
        1 => mutated_text(vec!["list-type=2&max-keys=5&start-after=a".into()]),
    ]
}

fn chunked(body: &[u8], sizes: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    for &n in sizes {
        let n = n.min(rest.len());
        out.extend_from_slice(format!("{n:x};chunk-signature=00\r\n").as_bytes());
        out.extend_from_slice(&rest[..n]);
        out.extend_from_slice(b"\r\n");
        rest = &rest[n..];
    }
    out.extend_from_slice(b"0;chunk-signature=00\r\n\r\n");
    out
}

fn s3_body() -> impl Strategy<Value = (Vec<u8>, bool)> {
    let cfg = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>".to_string();
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..64).prop_map(|b| (b, false)),
        1 => mutated_text(vec![cfg, policy_text()]).prop_map(|t| (t.into_bytes(), false)),
        1 => (prop::collection::vec(any::<u8>(), 0..64), prop::collection::vec(0usize..70, 0..4))
            .prop_map(|(b, sizes)| (chunked(&b, &sizes), true)),
        1 => mutated_text(vec!["5;chunk-signature=ab\r\nhello\r\n0\r\n\r\n".to_string()])
            .prop_map(|t| (t.into_bytes(), true)),
    ]
}

#[test]
fn fuzz_s3_protocol_answers_hostile_requests_in_shape() {
    let f = fixture();
    // A bucket to reach object operations.
    let create = signed("PUT", "/fuzz-bucket", "", vec![], b"", "s3");
    assert_eq!(f.server.handle(&create).status, 200);
    let strategy = (
        prop::sample::select(vec!["GET", "PUT", "HEAD", "DELETE", "POST", "PATCH"]),
        prop::sample::select(vec![
            "fuzz-bucket",
            "nope-bucket",
            "b",
            "B..",
            "xn--a",
            "b.b",
            "a..b",
        ]),
        prop::option::of(s3_key()),
        s3_query(),
        s3_body(),
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "range",
                    "x-amz-meta-a",
                    "if-match",
                    "x-amz-copy-source",
                    "content-md5",
                    "x-amz-acl",
                    "x-amz-server-side-encryption",
                    "x-amz-tagging",
                    "content-type",
                    "x-amz-server-side-encryption-bucket-key-enabled",
                ]),
                mutated_text(vec![
                    "bytes=0-3".into(),
                    "bytes=-1".into(),
                    "aws:kms".into(),
                ]),
            ),
            0..3,
        ),
    );
    check(
        file!(),
        "s3 protocol",
        96,
        strategy,
        |(method, bucket, key, query, (body, is_chunked), extra)| {
            let path = match &key {
                Some(k) => format!("/{bucket}/{k}"),
                None => format!("/{bucket}"),
            };
            let mut headers: Vec<(String, String)> =
                extra.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            if is_chunked {
                headers.push(("content-encoding".into(), "aws-chunked".into()));
            }
            let req = signed(method, &path, &query, headers, &body, "s3");
            if Server::protocol_of(&req) != Protocol::S3 {
                return Ok(());
            }
            in_shape(Protocol::S3, &f.server.handle(&req), method == "HEAD")
        },
    );
}

#[test]
fn fuzz_s3_chunked_bodies_decode_or_fail_cleanly() {
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..128),
        mutated_text(vec![
            "5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\n\r\n".to_string(),
            "ffffffffffffffff\r\nx\r\n".to_string(),
        ])
        .prop_map(String::into_bytes),
    ];
    check(file!(), "s3 aws-chunked", 1024, strategy, |body| {
        if let Ok(out) = s3::decode_aws_chunked(&body) {
            prop_assert!(out.len() <= body.len());
        }
        Ok(())
    });
}

/// A chunk size near `usize::MAX` is a malformed body, not an overflow (found by
/// `fuzz_s3_chunked_bodies_decode_or_fail_cleanly`).
#[test]
fn chunk_sizes_past_the_body_are_incomplete_body() {
    for body in [
        &b"ffffffffffffffff\r\nx\r\n"[..],
        b"fffffffffffffffe\r\n",
        b"10000000000000000\r\n",
    ] {
        let err = s3::decode_aws_chunked(body).unwrap_err();
        assert_eq!(err.code, "IncompleteBody");
    }
}

#[test]
fn fuzz_s3_addressing_and_xml_reading_never_panic() {
    let strategy = (
        nasty_string(),
        mutated_text(vec!["/b/AWSLogs/1/a%20b.json.gz".into(), "/".into()]),
        mutated_text(vec![
            "<?xml version=\"1.0\"?><CreateBucketConfiguration><LocationConstraint>eu&amp;west&#x31;</LocationConstraint></CreateBucketConfiguration>".into(),
        ]),
    );
    check(
        file!(),
        "s3 addressing",
        1024,
        strategy,
        |(host, path, body)| {
            let _ = s3::bucket_from_host(&host);
            let req = Incoming {
                method: "GET".into(),
                raw_path: path,
                raw_query: String::new(),
                headers: vec![("host".into(), host)],
                body: Bytes::new(),
                peer: IpAddr::from([127, 0, 0, 1]),
            };
            let _ = s3::address(&req);
            let _ = xml::first_text(&body, "LocationConstraint");
            let _ = xml::unescape(&body);
            prop_assert_eq!(xml::unescape(&xml::escape(&body)), body);
            Ok(())
        },
    );
}

#[test]
fn fuzz_every_protocol_answers_any_json_body_in_shape() {
    // Arbitrary JSON under valid signatures, for each protocol's entry point.
    let f = fixture();
    let strategy = (any_json(), prop::sample::select(vec![0u8, 1, 2]));
    check(file!(), "any body", 64, strategy, |(body, which)| {
        let text = body.to_string();
        let (req, protocol) = match which {
            0 => (
                signed(
                    "POST",
                    "/",
                    "",
                    vec![("x-amz-target".into(), format!("{CT}.CreateTrail"))],
                    text.as_bytes(),
                    "cloudtrail",
                ),
                Protocol::Json,
            ),
            1 => (
                signed(
                    "POST",
                    "/",
                    "",
                    vec![(
                        "content-type".into(),
                        "application/x-www-form-urlencoded".into(),
                    )],
                    format!(
                        "Action=CreateRole&RoleName=r&AssumeRolePolicyDocument={}",
                        sigv4::uri_encode(&text, false)
                    )
                    .as_bytes(),
                    "iam",
                ),
                Protocol::Query,
            ),
            _ => (
                signed(
                    "PUT",
                    "/fuzz-bucket",
                    "policy",
                    vec![],
                    text.as_bytes(),
                    "s3",
                ),
                Protocol::S3,
            ),
        };
        in_shape(protocol, &f.server.handle(&req), false)
    });
}
