//! Fuzz targets for IAM policy documents (`fuzz_*`, see docs/reliability.md): mutated
//! real policies and arbitrary JSON parse or fail with a PolicyError, never a panic; what
//! parses renders back to the same policy and evaluates against any request.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::cloudtrail::{
    bucket_policy_allows_cloudtrail, key_policy_allows_cloudtrail, role_trusts_cloudtrail,
    topic_policy_allows_cloudtrail,
};
use super::*;
use crate::fuzz::{any_json, check, mutated_json, mutated_text, nasty_string};

/// Policies in the shapes the services take: bucket, key, topic and trust policies, with
/// every condition operator family and policy variables.
fn seeds() -> Vec<Value> {
    vec![
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
             "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl",
             "Resource": "arn:aws:s3:::b",
             "Condition": {"StringEquals": {"aws:SourceArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/t"}}},
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
             "Principal": {"Service": ["cloudtrail.amazonaws.com"]}, "Action": ["s3:PutObject"],
             "Resource": "arn:aws:s3:::b/AWSLogs/123456789012/*",
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"},
                           "ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:123456789012:trail/*"}}}]}),
        json!({"Version": "2012-10-17", "Id": "key-policy", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
             "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*"},
                           "ForAnyValue:StringEqualsIfExists": {"aws:SourceAccount": ["123456789012", "210987654321"]}}}]}),
        json!({"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": ["123456789012", "*"]},
            "NotAction": "sns:Publish", "NotResource": ["arn:aws:sns:us-east-1:123456789012:s"],
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": 10},
                          "DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"},
                          "Bool": {"aws:SecureTransport": false},
                          "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                          "NotIpAddress": {"aws:SourceIp": "192.0.2.7"},
                          "Null": {"aws:TokenIssueTime": "true"},
                          "BinaryEquals": {"x": "AAEC"}}}}),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
                          "CanonicalUser": "abc"},
            "Action": "sts:AssumeRole",
            "Condition": {"ForAllValues:StringNotLike": {"aws:TagKeys": ["${aws:username}-*", "${*}x"]},
                          "StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team, 'none'}"}}}]}),
        json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
            "Action": "*", "Resource": ["arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:*"]}]}),
    ]
}

fn document() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => mutated_json(seeds()),
        1 => any_json(),
    ]
}

fn principal() -> impl Strategy<Value = RequestPrincipal> {
    prop_oneof![
        nasty_string().prop_map(RequestPrincipal::Aws),
        Just(RequestPrincipal::account_root("123456789012")),
        Just(RequestPrincipal::Aws(
            "arn:aws:sts::123456789012:assumed-role/r/s".into()
        )),
        Just(RequestPrincipal::service("cloudtrail.amazonaws.com")),
        nasty_string().prop_map(RequestPrincipal::Federated),
        Just(RequestPrincipal::Anonymous),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    let key = prop_oneof![
        prop::sample::select(vec![
            "aws:SourceArn",
            "aws:SourceAccount",
            "s3:x-amz-acl",
            "aws:SourceIp",
            "aws:CurrentTime",
            "aws:SecureTransport",
            "aws:username",
            "aws:TagKeys",
            "aws:PrincipalTag/team",
            "s3:max-keys",
            "x",
        ])
        .prop_map(str::to_string),
        nasty_string(),
    ];
    (
        principal(),
        mutated_text(vec!["s3:PutObject".into(), "kms:GenerateDataKey".into()]),
        mutated_text(vec![
            "arn:aws:s3:::b/AWSLogs/123456789012/x".into(),
            "arn:aws:sns:us-east-1:123456789012:s".into(),
        ]),
        prop::collection::vec((key, prop::collection::vec(nasty_string(), 0..3)), 0..5),
    )
        .prop_map(|(p, action, resource, ctx)| {
            let mut r = Request::new(p, action, resource);
            for (k, vs) in ctx {
                r = r.with_many(&k, vs);
            }
            r
        })
}

#[test]
fn fuzz_policy_documents_parse_render_and_evaluate() {
    let strategy = (document(), prop::collection::vec(request(), 1..4));
    check(
        file!(),
        "policy documents",
        512,
        strategy,
        |(doc, requests)| {
            let Ok(policy) = Policy::parse(&doc) else {
                return Ok(());
            };
            // Render, parse again: the same policy, and a fixed point of the rendering.
            let rendered = policy.to_json();
            let again = Policy::parse(&rendered).map_err(|e| {
                TestCaseError::fail(format!("rendered policy rejected: {e}: {rendered}"))
            })?;
            prop_assert_eq!(&again, &policy);
            prop_assert_eq!(again.to_json(), rendered);
            for kind in [
                PolicyKind::Identity,
                PolicyKind::Resource,
                PolicyKind::Trust,
            ] {
                let _ = policy.validate_kind(kind);
            }
            for r in &requests {
                // The rendered policy decides as the original; a policy twice as once.
                let once = evaluate_resource_policy(&policy, r);
                prop_assert_eq!(once.decision, evaluate_resource_policy(&again, r).decision);
                let identity = evaluate_identity_policies(std::slice::from_ref(&policy), r);
                let twice = evaluate_identity_policies(&[policy.clone(), again.clone()], r);
                prop_assert_eq!(identity.decision, twice.decision);
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_policy_text_parses_or_fails_cleanly() {
    let texts: Vec<String> = seeds().iter().map(Value::to_string).collect();
    check(file!(), "policy text", 512, mutated_text(texts), |text| {
        if let Ok(p) = Policy::parse_str(&text) {
            let _ = p.validate_kind(PolicyKind::Resource);
        }
        Ok(())
    });
}

#[test]
fn fuzz_cloudtrail_destination_checks_never_panic() {
    check(
        file!(),
        "policy destination checks",
        256,
        (document(), nasty_string()),
        |(doc, name)| {
            if let Ok(p) = Policy::parse(&doc) {
                let arn = format!("arn:aws:cloudtrail:us-east-1:123456789012:trail/{name}");
                let key = "arn:aws:kms:us-east-1:123456789012:key/k";
                let _ = bucket_policy_allows_cloudtrail(
                    &p,
                    &name,
                    Some(&name),
                    "123456789012",
                    &arn,
                    Some("o-abc"),
                );
                let _ = key_policy_allows_cloudtrail(
                    &p,
                    key,
                    "123456789012",
                    &arn,
                    None,
                    Some((&name, &name)),
                );
                let _ = topic_policy_allows_cloudtrail(&p, &name, &arn, "123456789012");
                let _ = role_trusts_cloudtrail(&p, "123456789012", &arn);
            }
            Ok(())
        },
    );
}

/// A document nested past serde_json's limit is "not valid JSON", not a stack overflow.
#[test]
fn deeply_nested_policy_text_is_malformed() {
    let text = format!("{{\"Statement\": {}}}", crate::fuzz::nested_arrays(100_000));
    let err = Policy::parse_str(&text).unwrap_err();
    assert!(err.message.contains("not valid JSON"), "{err}");
}
