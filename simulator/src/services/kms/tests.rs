//! Behaviour of the KMS service through the simulator facade.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use super::refs::{KeyRef, is_key_id, parse_key_ref, validate_alias_name};
use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()) // literal date, valid
        .unwrap(); // test setup
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&ctx(), "kms", op, req)
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

fn create(sim: &Simulator) -> Value {
    ok(sim, "CreateKey", json!({"Description": "trail key"}))["KeyMetadata"].clone()
}

#[test]
fn create_key_returns_full_metadata_with_defaults() {
    let (_d, sim) = sim();
    let m = create(&sim);
    let id = m["KeyId"].as_str().unwrap_or_default();
    assert!(is_key_id(id), "{id}");
    assert_eq!(
        m,
        json!({
            "AWSAccountId": ACCOUNT, "KeyId": id,
            "Arn": format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/{id}"),
            "CreationDate": 1704067200.0, "Enabled": true, "Description": "trail key",
            "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": "Enabled", "Origin": "AWS_KMS",
            "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
            "KeySpec": "SYMMETRIC_DEFAULT", "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
            "MultiRegion": false
        })
    );
}

#[test]
fn key_ids_are_deterministic() {
    let (_a, s1) = sim();
    let (_b, s2) = sim();
    assert_eq!(create(&s1)["KeyId"], create(&s2)["KeyId"]);
    assert_ne!(create(&s1)["KeyId"], create(&s1)["KeyId"]);
}

#[test]
fn default_key_policy_grants_root_kms_star() {
    let (_d, sim) = sim();
    let id = create(&sim)["KeyId"].clone();
    let p = ok(&sim, "GetKeyPolicy", json!({"KeyId": id}));
    assert_eq!(p["PolicyName"], "default");
    let doc: Value = serde_json::from_str(p["Policy"].as_str().unwrap_or_default()).unwrap(); // valid JSON asserted
    assert_eq!(doc["Id"], "key-default-1");
    assert_eq!(
        doc["Statement"][0]["Principal"]["AWS"],
        format!("arn:aws:iam::{ACCOUNT}:root")
    );
    assert_eq!(doc["Statement"][0]["Action"], "kms:*");
}

#[test]
fn multi_region_key_has_mrk_id_and_configuration() {
    let (_d, sim) = sim();
    let m = ok(&sim, "CreateKey", json!({"MultiRegion": true}))["KeyMetadata"].clone();
    let id = m["KeyId"].as_str().unwrap_or_default();
    assert!(id.starts_with("mrk-") && is_key_id(id), "{id}");
    assert_eq!(m["MultiRegion"], true);
    assert_eq!(
        m["MultiRegionConfiguration"]["MultiRegionKeyType"],
        "PRIMARY"
    );
}

#[test]
fn create_key_validates_spec_and_usage() {
    let (_d, sim) = sim();
    let cases = [
        (json!({"KeySpec": "RSA_1024"}), "ValidationException"),
        (json!({"KeySpec": "HMAC_256"}), "ValidationException"),
        (
            json!({"KeySpec": "HMAC_256", "KeyUsage": "ENCRYPT_DECRYPT"}),
            "ValidationException",
        ),
        (json!({"KeyUsage": "SIGN_VERIFY"}), "ValidationException"),
        (
            json!({"Policy": "{not json"}),
            "MalformedPolicyDocumentException",
        ),
        (
            json!({"Policy": "{\"Version\":\"2012-10-17\"}"}),
            "MalformedPolicyDocumentException",
        ),
        (
            json!({"Tags": [{"TagKey": "aws:x", "TagValue": "v"}]}),
            "TagException",
        ),
    ];
    for (req, code) in cases {
        assert_eq!(err(&sim, "CreateKey", req.clone()).code, code, "{req}");
    }
    let m = ok(
        &sim,
        "CreateKey",
        json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}),
    );
    assert_eq!(
        m["KeyMetadata"]["SigningAlgorithms"],
        json!(["ECDSA_SHA_256"])
    );
    assert!(m["KeyMetadata"].get("EncryptionAlgorithms").is_none());
}

#[test]
fn describe_key_accepts_id_arn_alias_and_alias_arn() {
    let (_d, sim) = sim();
    let m = create(&sim);
    let id = m["KeyId"].as_str().unwrap_or_default().to_string();
    ok(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/trail", "TargetKeyId": id}),
    );
    for r in [
        id.clone(),
        m["Arn"].as_str().unwrap_or_default().to_string(),
        "alias/trail".to_string(),
        format!("arn:aws:kms:us-east-1:{ACCOUNT}:alias/trail"),
    ] {
        let got = ok(&sim, "DescribeKey", json!({"KeyId": r}));
        assert_eq!(got["KeyMetadata"]["KeyId"], id.as_str(), "{r}");
    }
}

#[test]
fn unknown_key_references_fail_like_aws() {
    let (_d, sim) = sim();
    let cases = [
        ("nope", "NotFoundException", "Invalid keyId 'nope'"),
        (
            "11111111-2222-4333-8444-555555555555",
            "NotFoundException",
            "Key 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555' does not exist",
        ),
        (
            "alias/missing",
            "NotFoundException",
            "Alias 'arn:aws:kms:us-east-1:123456789012:alias/missing' is not found.",
        ),
        (
            "arn:aws:kms:us-east-1:1234:key/x",
            "InvalidArnException",
            "ARN arn:aws:kms:us-east-1:1234:key/x is not valid.",
        ),
    ];
    for (r, code, msg) in cases {
        let e = err(&sim, "DescribeKey", json!({"KeyId": r}));
        assert_eq!((e.code.as_str(), e.message.as_str()), (code, msg), "{r}");
    }
    assert_eq!(
        err(&sim, "DescribeKey", json!({})).code,
        "ValidationException"
    );
}

#[test]
fn key_of_another_region_is_not_found() {
    let (_d, sim) = sim();
    let arn = create(&sim)["Arn"].clone();
    let other = ctx().with_region("eu-west-1");
    let e = sim
        .invoke(&other, "kms", "DescribeKey", json!({"KeyId": arn}))
        .unwrap_err();
    assert_eq!(e.code, "NotFoundException");
}

#[test]
fn list_keys_lists_the_callers_keys() {
    let (_d, sim) = sim();
    let a = create(&sim);
    let b = create(&sim);
    let listed = ok(&sim, "ListKeys", json!({}));
    assert_eq!(listed["Truncated"], false);
    let mut ids: Vec<Value> = listed["Keys"].as_array().cloned().unwrap_or_default();
    ids.sort_by_key(|k| k["KeyId"].as_str().unwrap_or_default().to_string());
    let mut want = vec![
        json!({"KeyId": a["KeyId"], "KeyArn": a["Arn"]}),
        json!({"KeyId": b["KeyId"], "KeyArn": b["Arn"]}),
    ];
    want.sort_by_key(|k| k["KeyId"].as_str().unwrap_or_default().to_string());
    assert_eq!(ids, want);
}

#[test]
fn put_key_policy_replaces_and_validates() {
    let (_d, sim) = sim();
    let id = create(&sim)["KeyId"].clone();
    let p = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*"}]}"#;
    ok(
        &sim,
        "PutKeyPolicy",
        json!({"KeyId": id, "PolicyName": "default", "Policy": p}),
    );
    assert_eq!(ok(&sim, "GetKeyPolicy", json!({"KeyId": id}))["Policy"], p);
    let e = err(&sim, "PutKeyPolicy", json!({"KeyId": id, "Policy": "[]"}));
    assert_eq!(e.code, "MalformedPolicyDocumentException");
    let e = err(
        &sim,
        "GetKeyPolicy",
        json!({"KeyId": id, "PolicyName": "other"}),
    );
    assert_eq!(e.code, "NotFoundException");
    assert_eq!(
        ok(&sim, "ListKeyPolicies", json!({"KeyId": id}))["PolicyNames"],
        json!(["default"])
    );
}

#[test]
fn rotation_enable_disable_and_period_bounds() {
    let (_d, sim) = sim();
    let m = create(&sim);
    let id = m["KeyId"].clone();
    let st = ok(&sim, "GetKeyRotationStatus", json!({"KeyId": id}));
    assert_eq!(st, json!({"KeyRotationEnabled": false, "KeyId": m["Arn"]}));
    ok(&sim, "EnableKeyRotation", json!({"KeyId": id}));
    let st = ok(&sim, "GetKeyRotationStatus", json!({"KeyId": id}));
    assert_eq!(st["KeyRotationEnabled"], true);
    assert_eq!(st["RotationPeriodInDays"], 365);
    assert_eq!(st["NextRotationDate"], 1704067200.0 + 365.0 * 86400.0);
    ok(
        &sim,
        "EnableKeyRotation",
        json!({"KeyId": id, "RotationPeriodInDays": 90}),
    );
    assert_eq!(
        ok(&sim, "GetKeyRotationStatus", json!({"KeyId": id}))["RotationPeriodInDays"],
        90
    );
    for bad in [89, 2561] {
        let e = err(
            &sim,
            "EnableKeyRotation",
            json!({"KeyId": id, "RotationPeriodInDays": bad}),
        );
        assert_eq!(e.code, "ValidationException", "{bad}");
    }
    ok(&sim, "DisableKeyRotation", json!({"KeyId": id}));
    assert_eq!(
        ok(&sim, "GetKeyRotationStatus", json!({"KeyId": id}))["KeyRotationEnabled"],
        false
    );
    let hmac = ok(
        &sim,
        "CreateKey",
        json!({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}),
    );
    let e = err(
        &sim,
        "EnableKeyRotation",
        json!({"KeyId": hmac["KeyMetadata"]["KeyId"]}),
    );
    assert_eq!(e.code, "UnsupportedOperationException");
    ok(&sim, "DisableKey", json!({"KeyId": id}));
    assert_eq!(
        err(&sim, "EnableKeyRotation", json!({"KeyId": id})).code,
        "KMSInvalidStateException"
    );
}

#[test]
fn enable_and_disable_key_change_state() {
    let (_d, sim) = sim();
    let id = create(&sim)["KeyId"].clone();
    ok(&sim, "DisableKey", json!({"KeyId": id}));
    let m = ok(&sim, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone();
    assert_eq!(
        (m["Enabled"].clone(), m["KeyState"].clone()),
        (json!(false), json!("Disabled"))
    );
    ok(&sim, "EnableKey", json!({"KeyId": id}));
    let m = ok(&sim, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone();
    assert_eq!(
        (m["Enabled"].clone(), m["KeyState"].clone()),
        (json!(true), json!("Enabled"))
    );
}

#[test]
fn schedule_and_cancel_deletion() {
    let (_d, sim) = sim();
    let m = create(&sim);
    let id = m["KeyId"].clone();
    for bad in [6, 31] {
        let e = err(
            &sim,
            "ScheduleKeyDeletion",
            json!({"KeyId": id, "PendingWindowInDays": bad}),
        );
        assert_eq!(e.code, "ValidationException", "{bad}");
    }
    let e = err(&sim, "CancelKeyDeletion", json!({"KeyId": id}));
    assert_eq!(e.code, "KMSInvalidStateException");
    let r = ok(
        &sim,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    assert_eq!(
        r,
        json!({"KeyId": m["Arn"], "DeletionDate": 1704067200.0 + 7.0 * 86400.0,
               "KeyState": "PendingDeletion", "PendingWindowInDays": 7})
    );
    let d = ok(&sim, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone();
    assert_eq!(d["KeyState"], "PendingDeletion");
    assert_eq!(d["PendingDeletionWindowInDays"], 7);
    for (op, req) in [
        ("EnableKey", json!({"KeyId": id})),
        ("DisableKey", json!({"KeyId": id})),
        (
            "PutKeyPolicy",
            json!({"KeyId": id, "Policy": "{\"Statement\":[]}"}),
        ),
        ("ScheduleKeyDeletion", json!({"KeyId": id})),
        (
            "UpdateKeyDescription",
            json!({"KeyId": id, "Description": "x"}),
        ),
    ] {
        let e = err(&sim, op, req);
        assert_eq!(e.code, "KMSInvalidStateException", "{op}");
    }
    let c = ok(&sim, "CancelKeyDeletion", json!({"KeyId": id}));
    assert_eq!(c["KeyId"], m["Arn"]);
    let d = ok(&sim, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"].clone();
    assert_eq!(d["KeyState"], "Disabled");
    assert!(d.get("DeletionDate").is_none());
}

#[test]
fn key_is_gone_after_its_deletion_date() {
    let (_d, sim) = sim();
    let id = create(&sim)["KeyId"].clone();
    ok(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/doomed", "TargetKeyId": id}),
    );
    ok(
        &sim,
        "ScheduleKeyDeletion",
        json!({"KeyId": id, "PendingWindowInDays": 7}),
    );
    sim.advance_time(Duration::days(7)).unwrap(); // test setup
    assert_eq!(
        err(&sim, "DescribeKey", json!({"KeyId": id})).code,
        "NotFoundException"
    );
    assert_eq!(ok(&sim, "ListKeys", json!({}))["Keys"], json!([]));
    assert_eq!(ok(&sim, "ListAliases", json!({}))["Aliases"], json!([]));
}

#[test]
fn alias_lifecycle_and_errors() {
    let (_d, sim) = sim();
    let a = create(&sim)["KeyId"].clone();
    let b = create(&sim)["KeyId"].clone();
    ok(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/ct", "TargetKeyId": a}),
    );
    let e = err(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/ct", "TargetKeyId": b}),
    );
    assert_eq!(e.code, "AlreadyExistsException");
    assert_eq!(
        e.message,
        "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/ct already exists"
    );
    let listed = ok(&sim, "ListAliases", json!({}))["Aliases"].clone();
    assert_eq!(
        listed,
        json!([{"AliasName": "alias/ct", "AliasArn": "arn:aws:kms:us-east-1:123456789012:alias/ct",
                "TargetKeyId": a, "CreationDate": 1704067200.0, "LastUpdatedDate": 1704067200.0}])
    );
    ok(
        &sim,
        "UpdateAlias",
        json!({"AliasName": "alias/ct", "TargetKeyId": b}),
    );
    assert_eq!(
        ok(&sim, "DescribeKey", json!({"KeyId": "alias/ct"}))["KeyMetadata"]["KeyId"],
        b
    );
    assert_eq!(
        ok(&sim, "ListAliases", json!({"KeyId": a}))["Aliases"],
        json!([])
    );
    let e = err(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/x", "TargetKeyId": "alias/ct"}),
    );
    assert_eq!(e.code, "ValidationException");
    ok(&sim, "DeleteAlias", json!({"AliasName": "alias/ct"}));
    assert_eq!(
        err(&sim, "DeleteAlias", json!({"AliasName": "alias/ct"})).code,
        "NotFoundException"
    );
    assert_eq!(
        err(
            &sim,
            "UpdateAlias",
            json!({"AliasName": "alias/ct", "TargetKeyId": a})
        )
        .code,
        "NotFoundException"
    );
}

#[test]
fn alias_name_rules() {
    let cases = [
        ("alias/ok_name-1", None),
        ("alias/a/b", None),
        ("noprefix", Some("InvalidAliasNameException")),
        ("alias/", Some("InvalidAliasNameException")),
        ("alias/aws/s3", Some("NotAuthorizedException")),
        ("alias/with space", Some("ValidationException")),
    ];
    for (name, want) in cases {
        let got = validate_alias_name(name).err().map(|e| e.code);
        assert_eq!(got.as_deref(), want, "{name}");
    }
}

#[test]
fn parse_key_ref_table() {
    let id = "1234abcd-12ab-34cd-56ef-1234567890ab";
    assert_eq!(
        parse_key_ref(id).ok(),
        Some(KeyRef::Key {
            account: None,
            region: None,
            key_id: id.into()
        })
    );
    assert_eq!(
        parse_key_ref(&format!("arn:aws:kms:eu-west-1:111122223333:key/{id}")).ok(),
        Some(KeyRef::Key {
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            key_id: id.into()
        })
    );
    assert_eq!(
        parse_key_ref("alias/x").ok(),
        Some(KeyRef::Alias {
            account: None,
            region: None,
            name: "alias/x".into()
        })
    );
    assert!(matches!(
        parse_key_ref("arn:aws:kms:us-east-1:111122223333:alias/x"),
        Ok(KeyRef::Alias { .. })
    ));
    assert_eq!(
        parse_key_ref("arn:aws:s3:::b").unwrap_err().code,
        "InvalidArnException"
    );
    assert_eq!(parse_key_ref("xyz").unwrap_err().code, "NotFoundException");
}

#[test]
fn tags_add_overwrite_list_and_remove() {
    let (_d, sim) = sim();
    let m = ok(
        &sim,
        "CreateKey",
        json!({"Tags": [{"TagKey": "env", "TagValue": "dev"}]}),
    )["KeyMetadata"]
        .clone();
    let id = m["KeyId"].clone();
    ok(
        &sim,
        "TagResource",
        json!({"KeyId": id, "Tags": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": ""}]}),
    );
    assert_eq!(
        ok(&sim, "ListResourceTags", json!({"KeyId": id})),
        json!({"Tags": [{"TagKey": "env", "TagValue": "prod"}, {"TagKey": "team", "TagValue": ""}], "Truncated": false})
    );
    ok(
        &sim,
        "UntagResource",
        json!({"KeyId": m["Arn"], "TagKeys": ["env"]}),
    );
    assert_eq!(
        ok(&sim, "ListResourceTags", json!({"KeyId": id}))["Tags"],
        json!([{"TagKey": "team", "TagValue": ""}])
    );
    let many: Vec<Value> = (0..51)
        .map(|i| json!({"TagKey": format!("k{i}"), "TagValue": "v"}))
        .collect();
    assert_eq!(
        err(&sim, "TagResource", json!({"KeyId": id, "Tags": many})).code,
        "LimitExceededException"
    );
}

#[test]
fn update_key_description_changes_metadata() {
    let (_d, sim) = sim();
    let id = create(&sim)["KeyId"].clone();
    ok(
        &sim,
        "UpdateKeyDescription",
        json!({"KeyId": id, "Description": "new"}),
    );
    assert_eq!(
        ok(&sim, "DescribeKey", json!({"KeyId": id}))["KeyMetadata"]["Description"],
        "new"
    );
}

#[test]
fn resolve_key_finds_by_any_reference_and_reports_absence() {
    let (_d, sim) = sim();
    let m = create(&sim);
    ok(
        &sim,
        "CreateAlias",
        json!({"AliasName": "alias/r", "TargetKeyId": m["KeyId"]}),
    );
    let got = sim
        .run_unrecorded(|env| super::resolve_key(env, ACCOUNT, "us-east-1", "alias/r"))
        .unwrap() // test setup
        .unwrap(); // the alias exists
    assert_eq!(got.arn, m["Arn"].as_str().unwrap_or_default());
    assert_eq!(
        (
            got.account.as_str(),
            got.region.as_str(),
            got.state.as_str()
        ),
        (ACCOUNT, "us-east-1", "Enabled")
    );
    assert!(got.policy.contains("kms:*"));
    let none = sim
        .run_unrecorded(|env| super::resolve_key(env, ACCOUNT, "us-east-1", "alias/none"))
        .unwrap(); // test setup
    assert_eq!(none, None);
    let other = sim
        .run_unrecorded(|env| {
            super::resolve_key(
                env,
                "999999999999",
                "us-east-1",
                m["Arn"].as_str().unwrap_or_default(),
            )
        })
        .unwrap(); // test setup
    assert!(other.is_some(), "an ARN names its own account");
}

#[test]
fn key_calls_are_recorded_with_the_key_resource() {
    let (_d, sim) = sim();
    let m = create(&sim);
    ok(&sim, "DescribeKey", json!({"KeyId": m["KeyId"]}));
    let recs = sim.event_records().unwrap(); // test setup
    let last = recs.last().cloned().unwrap_or_default();
    assert_eq!(last["eventSource"], "kms.amazonaws.com");
    assert_eq!(last["readOnly"], true);
    assert_eq!(last["resources"][0]["type"], "AWS::KMS::Key");
    assert_eq!(last["resources"][0]["ARN"], m["Arn"]);
}
