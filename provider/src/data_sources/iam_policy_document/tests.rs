//! Renderings of aws_iam_policy_document, byte for byte as hashicorp/aws writes them.

use super::*;
use crate::values::{object, string_list, string_set};

fn principal(kind: &str, ids: &[&str]) -> Value {
    object([
        ("type", string(kind)),
        ("identifiers", string_set(ids.iter().copied())),
    ])
}

fn condition(test: &str, variable: &str, values: &[&str]) -> Value {
    object([
        ("test", string(test)),
        ("variable", string(variable)),
        ("values", string_list(values.iter().copied())),
    ])
}

/// A statement block; `fields` are its attributes and nested blocks.
fn statement(fields: Vec<(&'static str, Value)>) -> Value {
    object(fields)
}

fn doc(statements: Vec<Value>) -> Value {
    object([("statement", Value::List(statements))])
}

fn json_of(config: &Value) -> String {
    render(config).expect("renders").0
}

#[test]
fn cloudtrail_bucket_policy_renders_like_hashicorp_aws() {
    let config = doc(vec![
        statement(vec![
            ("sid", string("AWSCloudTrailAclCheck")),
            ("actions", string_set(["s3:GetBucketAcl"])),
            ("resources", string_set(["arn:aws:s3:::ct-logs"])),
            (
                "principals",
                Value::Set(vec![principal("Service", &["cloudtrail.amazonaws.com"])]),
            ),
            (
                "condition",
                Value::Set(vec![condition(
                    "StringEquals",
                    "aws:SourceArn",
                    &["arn:aws:cloudtrail:us-east-1:123456789012:trail/main"],
                )]),
            ),
        ]),
        statement(vec![
            ("sid", string("AWSCloudTrailWrite")),
            ("actions", string_set(["s3:PutObject"])),
            (
                "resources",
                string_set(["arn:aws:s3:::ct-logs/AWSLogs/123456789012/*"]),
            ),
            (
                "principals",
                Value::Set(vec![principal("Service", &["cloudtrail.amazonaws.com"])]),
            ),
            (
                "condition",
                Value::Set(vec![
                    condition(
                        "StringEquals",
                        "s3:x-amz-acl",
                        &["bucket-owner-full-control"],
                    ),
                    condition(
                        "StringEquals",
                        "aws:SourceArn",
                        &["arn:aws:cloudtrail:us-east-1:123456789012:trail/main"],
                    ),
                ]),
            ),
        ]),
    ]);
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn kms_key_policy_for_cloudtrail_renders_like_hashicorp_aws() {
    let config = doc(vec![
        statement(vec![
            ("sid", string("EnableRootPermissions")),
            ("actions", string_set(["kms:*"])),
            ("resources", string_set(["*"])),
            (
                "principals",
                Value::Set(vec![principal("AWS", &["arn:aws:iam::123456789012:root"])]),
            ),
        ]),
        statement(vec![
            ("sid", string("AllowCloudTrailEncrypt")),
            (
                "actions",
                string_set(["kms:GenerateDataKey*", "kms:DescribeKey", "kms:Decrypt"]),
            ),
            ("resources", string_set(["*"])),
            (
                "principals",
                Value::Set(vec![principal("Service", &["cloudtrail.amazonaws.com"])]),
            ),
            (
                "condition",
                Value::Set(vec![condition(
                    "StringLike",
                    "kms:EncryptionContext:aws:cloudtrail:arn",
                    &["arn:aws:cloudtrail:*:123456789012:trail/*"],
                )]),
            ),
        ]),
    ]);
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn trust_policy_with_several_principal_types_renders_like_hashicorp_aws() {
    let config = doc(vec![statement(vec![
        ("actions", string_set(["sts:AssumeRole"])),
        (
            "principals",
            Value::Set(vec![
                principal(
                    "Service",
                    &["cloudtrail.amazonaws.com", "logs.amazonaws.com"],
                ),
                principal("AWS", &["arn:aws:iam::222222222222:root"]),
            ]),
        ),
    ])]);
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn condition_with_several_values_keeps_their_order() {
    let config = doc(vec![statement(vec![
        ("effect", string("Deny")),
        ("actions", string_set(["s3:*"])),
        (
            "resources",
            string_set(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
        ),
        ("principals", Value::Set(vec![principal("*", &["*"])])),
        (
            "condition",
            Value::Set(vec![
                condition("Bool", "aws:SecureTransport", &["false"]),
                condition(
                    "StringNotEquals",
                    "aws:SourceVpce",
                    &["vpce-2", "vpce-1", "vpce-3"],
                ),
            ]),
        ),
    ])]);
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn everyone_principal_renders_as_a_star_but_aws_star_stays_a_map() {
    let star = doc(vec![statement(vec![
        ("actions", string_set(["sns:Publish"])),
        ("principals", Value::Set(vec![principal("*", &["*"])])),
    ])]);
    let aws_star = doc(vec![statement(vec![
        ("actions", string_set(["sns:Publish"])),
        ("principals", Value::Set(vec![principal("AWS", &["*"])])),
    ])]);
    insta::assert_snapshot!(format!("{}\n---\n{}", json_of(&star), json_of(&aws_star)));
}

#[test]
fn not_actions_not_resources_and_not_principals_render_in_struct_order() {
    let config = doc(vec![statement(vec![
        ("sid", string("DenyAllButIam")),
        ("effect", string("Deny")),
        (
            "not_actions",
            string_set(["iam:*", "sts:*", "organizations:*"]),
        ),
        ("not_resources", string_set(["arn:aws:iam::*:role/admin"])),
        (
            "not_principals",
            Value::Set(vec![principal(
                "AWS",
                &[
                    "arn:aws:iam::123456789012:root",
                    "arn:aws:iam::123456789012:role/admin",
                ],
            )]),
        ),
    ])]);
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn source_and_override_documents_merge_by_sid() {
    let source = r#"{
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "Keep", "Effect": "Allow", "Action": ["b:Two", "a:One"], "Resource": "*"},
        {"Sid": "Replace", "Effect": "Allow", "Action": "x:Old", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Principal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"]},
         "Condition": {"Bool": {"aws:SecureTransport": true}}}
      ]
    }"#;
    let overriding = r#"{"Id": "override-id", "Statement": [{"Sid": "Replace", "Effect": "Deny", "Action": "x:New", "Resource": "*"}]}"#;
    let mut config = doc(vec![statement(vec![
        ("sid", string("Local")),
        ("actions", string_set(["logs:PutLogEvents"])),
        (
            "resources",
            string_set(["arn:aws:logs:*:*:log-group:&{aws:username}"]),
        ),
    ])]);
    set_attr(
        &mut config,
        "source_policy_documents",
        string_list([source]),
    );
    set_attr(
        &mut config,
        "override_policy_documents",
        string_list([overriding]),
    );
    set_attr(&mut config, "policy_id", string("local-id"));
    insta::assert_snapshot!(json_of(&config));
}

#[test]
fn html_characters_are_escaped_as_go_does() {
    let config = doc(vec![statement(vec![
        ("actions", string_set(["s3:GetObject"])),
        ("resources", string_set(["arn:aws:s3:::b/<a>&b"])),
    ])]);
    let (pretty, minified, _) = render(&config).unwrap();
    insta::assert_snapshot!(format!("{pretty}\n---\n{minified}"));
}

#[test]
fn empty_document_has_only_the_version() {
    let (pretty, minified, id) = render(&object([])).unwrap();
    assert_eq!(pretty, "{\n  \"Version\": \"2012-10-17\"\n}");
    assert_eq!(minified, "{\"Version\":\"2012-10-17\"}");
    assert_eq!(id, crc32(pretty.as_bytes()).to_string());
}

#[test]
fn single_values_render_as_strings_and_sets_sort_in_reverse() {
    let config = doc(vec![statement(vec![
        ("actions", string_set(["a:A", "c:C", "b:B"])),
        ("resources", string_set(["*"])),
    ])]);
    let (_, minified, _) = render(&config).unwrap();
    assert_eq!(
        minified,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["c:C","b:B","a:A"],"Resource":"*"}]}"#
    );
}

#[test]
fn duplicate_sids_are_an_error() {
    let config = doc(vec![
        statement(vec![("sid", string("A"))]),
        statement(vec![("sid", string("A"))]),
    ]);
    let err = render(&config).unwrap_err();
    assert!(err.contains("duplicate Sid (A)"), "{err}");
}

/// AWS's default key policy Sid has spaces; hashicorp/aws v6 accepts any Sid text.
#[test]
fn a_sid_with_spaces_renders() {
    let config = doc(vec![statement(vec![(
        "sid",
        string("Enable IAM User Permissions"),
    )])]);
    let (json, _, _) = render(&config).expect("renders");
    assert!(
        json.contains("\"Sid\": \"Enable IAM User Permissions\""),
        "{json}"
    );
}

#[test]
fn ampersand_variables_are_refused_in_the_2008_version() {
    let mut config = doc(vec![statement(vec![(
        "resources",
        string_set(["arn:aws:s3:::b/&{aws:username}"]),
    )])]);
    set_attr(&mut config, "version", string("2008-10-17"));
    assert!(render(&config).unwrap_err().contains("2008-10-17"));
}

#[test]
fn crc32_matches_the_ieee_check_value() {
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
}

#[test]
fn normalize_json_sorts_keys_and_compacts_like_go() {
    let text = "{\n \"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a\", \"N\": 1.0}]}";
    assert_eq!(
        normalize_json(text).unwrap(),
        r#"{"Statement":[{"Action":"a","Effect":"Allow","N":1}],"Version":"2012-10-17"}"#
    );
}
