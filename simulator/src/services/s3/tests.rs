//! Behaviour of the S3 service through the simulator facade (as clients see it).

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

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
    sim.invoke(c, "s3", op, req)
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

fn make(sim: &Simulator, name: &str) {
    ok(sim, "CreateBucket", json!({"Bucket": name}));
}

fn put(sim: &Simulator, bucket: &str, key: &str, text: &str) -> Value {
    ok(
        sim,
        "PutObject",
        json!({"Bucket": bucket, "Key": key, "BodyText": text}),
    )
}

// ---- buckets ----

#[test]
fn create_bucket_defaults_follow_aws_since_2023() {
    let (_d, sim) = sim();
    let r = ok(&sim, "CreateBucket", json!({"Bucket": "logs"}));
    assert_eq!(r, json!({"Location": "/logs"}));
    assert_eq!(
        ok(&sim, "GetPublicAccessBlock", json!({"Bucket": "logs"})),
        json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": true}})
    );
    assert_eq!(
        ok(&sim, "GetBucketEncryption", json!({"Bucket": "logs"})),
        json!({"ServerSideEncryptionConfiguration": {"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": false}]}})
    );
    assert_eq!(
        ok(
            &sim,
            "GetBucketOwnershipControls",
            json!({"Bucket": "logs"})
        ),
        json!({"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}})
    );
    assert_eq!(
        ok(&sim, "GetBucketVersioning", json!({"Bucket": "logs"})),
        json!({})
    );
    assert_eq!(
        ok(&sim, "GetBucketLocation", json!({"Bucket": "logs"})),
        json!({"LocationConstraint": null})
    );
    assert_eq!(
        ok(&sim, "HeadBucket", json!({"Bucket": "logs"})),
        json!({"BucketRegion": "us-east-1", "AccessPointAlias": false})
    );
    let acl = ok(&sim, "GetBucketAcl", json!({"Bucket": "logs"}));
    let owner = crate::services::s3::canonical_user_id(ACCOUNT);
    assert_eq!(
        acl,
        json!({"Owner": {"ID": owner}, "Grants": [
            {"Grantee": {"Type": "CanonicalUser", "ID": owner}, "Permission": "FULL_CONTROL"}]})
    );
}

#[test]
fn create_bucket_error_table() {
    let (_d, sim) = sim();
    make(&sim, "taken");
    let other = CallerContext::new(OTHER, "us-east-1");
    let eu = CallerContext::new(ACCOUNT, "eu-west-1");
    let me = ctx();
    let cases: Vec<(&CallerContext, Value, &str, u16)> = vec![
        (&me, json!({"Bucket": "Bad_Name"}), "InvalidBucketName", 400),
        (&me, json!({"Bucket": "10.0.0.1"}), "InvalidBucketName", 400),
        (
            &other,
            json!({"Bucket": "taken"}),
            "BucketAlreadyExists",
            409,
        ),
        (
            &eu,
            json!({"Bucket": "new-one"}),
            "IllegalLocationConstraintException",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
            "IllegalLocationConstraintException",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "CreateBucketConfiguration": {"LocationConstraint": "us-east-1"}}),
            "InvalidLocationConstraint",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "ACL": "public-read"}),
            "InvalidBucketAclWithObjectOwnership",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "ACL": "public-read", "ObjectOwnership": "ObjectWriter"}),
            "InvalidBucketAclWithBlockPublicAccessError",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "ACL": "nope"}),
            "InvalidArgument",
            400,
        ),
        (
            &me,
            json!({"Bucket": "new-one", "ObjectOwnership": "Mine"}),
            "InvalidArgument",
            400,
        ),
        (&me, json!({}), "ValidationException", 400),
    ];
    for (c, req, code, status) in cases {
        let e = err_as(&sim, c, "CreateBucket", req.clone());
        assert_eq!(
            (e.code.as_str(), e.http_status),
            (code, status),
            "{req}: {e}"
        );
    }
    let e = err_as(&sim, &other, "CreateBucket", json!({"Bucket": "taken"}));
    assert_eq!(
        e.message,
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."
    );
}

#[test]
fn recreating_own_bucket_succeeds_only_in_us_east_1() {
    let (_d, sim) = sim();
    make(&sim, "mine");
    assert_eq!(
        ok(&sim, "CreateBucket", json!({"Bucket": "mine"})),
        json!({"Location": "/mine"})
    );
    let eu = CallerContext::new(ACCOUNT, "eu-west-1");
    let req = json!({"Bucket": "mine-eu", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}});
    assert_eq!(
        call_as(&sim, &eu, "CreateBucket", req.clone()).unwrap(),
        json!({"Location": "http://mine-eu.s3.amazonaws.com/"})
    );
    let e = err_as(&sim, &eu, "CreateBucket", req);
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("BucketAlreadyOwnedByYou", 409)
    );
    assert_eq!(
        e.message,
        "Your previous request to create the named bucket succeeded and you already own it."
    );
}

#[test]
fn buckets_have_owner_and_region() {
    let (_d, sim) = sim();
    let eu = CallerContext::new(ACCOUNT, "eu-west-1");
    call_as(
        &sim,
        &eu,
        "CreateBucket",
        json!({"Bucket": "eu-logs", "CreateBucketConfiguration": {"LocationConstraint": "EU"}}),
    )
    .unwrap();
    make(&sim, "us-logs");
    // Other regions' endpoints redirect; GetBucketLocation answers anywhere.
    let e = err(&sim, "GetBucketPolicy", json!({"Bucket": "eu-logs"}));
    assert_eq!((e.code.as_str(), e.http_status), ("PermanentRedirect", 301));
    let e = err(&sim, "HeadBucket", json!({"Bucket": "eu-logs"}));
    assert_eq!((e.code.as_str(), e.http_status), ("MovedPermanently", 301));
    assert_eq!(
        ok(&sim, "GetBucketLocation", json!({"Bucket": "eu-logs"})),
        json!({"LocationConstraint": "EU"})
    );
    // Another account sees neither.
    let other = CallerContext::new(OTHER, "us-east-1");
    let e = err_as(&sim, &other, "GetBucketAcl", json!({"Bucket": "us-logs"}));
    assert_eq!((e.code.as_str(), e.http_status), ("AccessDenied", 403));
    let e = err_as(&sim, &other, "HeadBucket", json!({"Bucket": "us-logs"}));
    assert_eq!((e.code.as_str(), e.http_status), ("Forbidden", 403));
    let e = err(&sim, "HeadBucket", json!({"Bucket": "missing"}));
    assert_eq!((e.code.as_str(), e.http_status), ("NotFound", 404));
    let e = err(&sim, "GetBucketAcl", json!({"Bucket": "missing"}));
    assert_eq!((e.code.as_str(), e.http_status), ("NoSuchBucket", 404));
    assert_eq!(e.message, "The specified bucket does not exist");

    let info = sim
        .run_unrecorded(|env| crate::services::s3::bucket(env, "eu-logs"))
        .unwrap()
        .unwrap();
    assert_eq!(info.owner_account_id, ACCOUNT);
    assert_eq!(info.region, "eu-west-1");
    assert_eq!(info.arn, "arn:aws:s3:::eu-logs");
    assert!(
        sim.run_unrecorded(|env| crate::services::s3::bucket(env, "nope"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn list_buckets_lists_own_buckets_in_all_regions_with_paging() {
    let (_d, sim) = sim();
    make(&sim, "b-two");
    make(&sim, "a-one");
    let eu = CallerContext::new(ACCOUNT, "eu-west-1");
    call_as(
        &sim,
        &eu,
        "CreateBucket",
        json!({"Bucket": "c-three", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
    )
    .unwrap();
    let other = CallerContext::new(OTHER, "us-east-1");
    call_as(&sim, &other, "CreateBucket", json!({"Bucket": "not-mine"})).unwrap();

    let all = ok(&sim, "ListBuckets", json!({}));
    let names: Vec<&str> = all["Buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a-one", "b-two", "c-three"]);
    assert_eq!(all["Buckets"][2]["BucketRegion"], "eu-west-1");
    assert_eq!(all["Buckets"][0]["CreationDate"], 1704067200.0);
    assert_eq!(
        all["Owner"]["ID"],
        crate::services::s3::canonical_user_id(ACCOUNT)
    );

    let p1 = ok(&sim, "ListBuckets", json!({"MaxBuckets": 2}));
    assert_eq!(p1["Buckets"].as_array().unwrap().len(), 2);
    let tok = p1["ContinuationToken"].as_str().unwrap().to_string();
    let p2 = ok(
        &sim,
        "ListBuckets",
        json!({"MaxBuckets": 2, "ContinuationToken": tok}),
    );
    assert_eq!(p2["Buckets"][0]["Name"], "c-three");
    assert!(p2.get("ContinuationToken").is_none());
    let filtered = ok(&sim, "ListBuckets", json!({"Prefix": "b-"}));
    assert_eq!(filtered["Buckets"].as_array().unwrap().len(), 1);
    assert_eq!(
        err(&sim, "ListBuckets", json!({"MaxBuckets": 0})).code,
        "InvalidArgument"
    );
}

#[test]
fn delete_bucket_requires_empty_bucket_and_removes_its_folder() {
    let (d, sim) = sim();
    make(&sim, "logs");
    put(&sim, "logs", "a.txt", "x");
    let e = err(&sim, "DeleteBucket", json!({"Bucket": "logs"}));
    assert_eq!((e.code.as_str(), e.http_status), ("BucketNotEmpty", 409));
    assert_eq!(e.message, "The bucket you tried to delete is not empty");
    ok(
        &sim,
        "DeleteObject",
        json!({"Bucket": "logs", "Key": "a.txt"}),
    );
    ok(
        &sim,
        "PutBucketTagging",
        json!({"Bucket": "logs", "Tagging": {"TagSet": [{"Key": "k", "Value": "v"}]}}),
    );
    assert_eq!(
        ok(&sim, "DeleteBucket", json!({"Bucket": "logs"})),
        json!({})
    );
    assert!(!d.path().join("s3/logs").exists());
    assert_eq!(
        err(&sim, "DeleteBucket", json!({"Bucket": "logs"})).code,
        "NoSuchBucket"
    );
    // The name is free again, without the old tags.
    make(&sim, "logs");
    assert_eq!(
        err(&sim, "GetBucketTagging", json!({"Bucket": "logs"})).code,
        "NoSuchTagSet"
    );
}

// ---- policy and public access ----

fn public_policy(bucket: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/*")}]})
    .to_string()
}

fn cloudtrail_policy(bucket: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{bucket}")},
        {"Sid": "AWSCloudTrailWrite", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*"),
         "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}]})
    .to_string()
}

#[test]
fn bucket_policy_round_trip_and_errors() {
    let (_d, sim) = sim();
    make(&sim, "logs");
    let e = err(&sim, "GetBucketPolicy", json!({"Bucket": "logs"}));
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("NoSuchBucketPolicy", 404)
    );
    assert_eq!(e.message, "The bucket policy does not exist");
    let policy = cloudtrail_policy("logs");
    ok(
        &sim,
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy}),
    );
    assert_eq!(
        ok(&sim, "GetBucketPolicy", json!({"Bucket": "logs"})),
        json!({"Policy": policy})
    );
    let e = err(
        &sim,
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": "{"}),
    );
    assert_eq!(e.code, "MalformedPolicy");
    let e = err(
        &sim,
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": "{\"Version\":\"2012-10-17\"}"}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("MalformedPolicy", "Missing required field Statement")
    );
    // A failed put leaves the old policy.
    assert_eq!(
        ok(&sim, "GetBucketPolicy", json!({"Bucket": "logs"}))["Policy"],
        policy
    );
    ok(&sim, "DeleteBucketPolicy", json!({"Bucket": "logs"}));
    ok(&sim, "DeleteBucketPolicy", json!({"Bucket": "logs"}));
    assert_eq!(
        err(&sim, "GetBucketPolicy", json!({"Bucket": "logs"})).code,
        "NoSuchBucketPolicy"
    );
}

#[test]
fn public_access_block_guards_policy_and_is_public() {
    let (_d, sim) = sim();
    make(&sim, "site");
    let is_public = |sim: &Simulator| {
        sim.run_unrecorded(|env| crate::services::s3::is_public(env, "site"))
            .unwrap()
            .unwrap()
    };
    // BlockPublicPolicy refuses a public policy.
    let e = err(
        &sim,
        "PutBucketPolicy",
        json!({"Bucket": "site", "Policy": public_policy("site")}),
    );
    assert_eq!((e.code.as_str(), e.http_status), ("AccessDenied", 403));
    ok(
        &sim,
        "PutPublicAccessBlock",
        json!({"Bucket": "site", "PublicAccessBlockConfiguration":
        {"BlockPublicPolicy": false, "RestrictPublicBuckets": true}}),
    );
    assert_eq!(
        ok(&sim, "GetPublicAccessBlock", json!({"Bucket": "site"})),
        json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": false, "IgnorePublicAcls": false,
            "BlockPublicPolicy": false, "RestrictPublicBuckets": true}})
    );
    ok(
        &sim,
        "PutBucketPolicy",
        json!({"Bucket": "site", "Policy": public_policy("site")}),
    );
    // RestrictPublicBuckets neutralises the public policy.
    assert!(!is_public(&sim));
    ok(&sim, "DeletePublicAccessBlock", json!({"Bucket": "site"}));
    let e = err(&sim, "GetPublicAccessBlock", json!({"Bucket": "site"}));
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("NoSuchPublicAccessBlockConfiguration", 404)
    );
    assert_eq!(
        e.message,
        "The public access block configuration was not found"
    );
    assert!(is_public(&sim));
    ok(&sim, "DeleteBucketPolicy", json!({"Bucket": "site"}));
    assert!(!is_public(&sim));
    assert_eq!(
        sim.run_unrecorded(|env| crate::services::s3::is_public(env, "nope"))
            .unwrap(),
        None
    );
}

#[test]
fn acls_need_ownership_controls_that_allow_them() {
    let (_d, sim) = sim();
    make(&sim, "acl");
    let e = err(
        &sim,
        "PutBucketAcl",
        json!({"Bucket": "acl", "ACL": "log-delivery-write"}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "AccessControlListNotSupported",
            "The bucket does not allow ACLs"
        )
    );
    ok(
        &sim,
        "PutBucketAcl",
        json!({"Bucket": "acl", "ACL": "private"}),
    );
    ok(
        &sim,
        "PutBucketOwnershipControls",
        json!({"Bucket": "acl", "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]}}),
    );
    ok(
        &sim,
        "PutBucketAcl",
        json!({"Bucket": "acl", "ACL": "log-delivery-write"}),
    );
    let grants = ok(&sim, "GetBucketAcl", json!({"Bucket": "acl"}))["Grants"].clone();
    assert_eq!(grants.as_array().unwrap().len(), 3);
    assert_eq!(
        grants[1],
        json!({"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/s3/LogDelivery"}, "Permission": "WRITE"})
    );
    // Back to enforced is refused while the ACL grants others.
    let e = err(
        &sim,
        "PutBucketOwnershipControls",
        json!({"Bucket": "acl", "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}),
    );
    assert_eq!(e.code, "InvalidBucketAclWithObjectOwnership");
    // Public ACLs are blocked by BlockPublicAcls (on by default).
    let e = err(
        &sim,
        "PutBucketAcl",
        json!({"Bucket": "acl", "ACL": "public-read"}),
    );
    assert_eq!(e.code, "AccessDenied");
    ok(&sim, "DeletePublicAccessBlock", json!({"Bucket": "acl"}));
    ok(
        &sim,
        "PutBucketAcl",
        json!({"Bucket": "acl", "AccessControlPolicy": {"Grants": [
        {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}}),
    );
    assert_eq!(
        sim.run_unrecorded(|env| crate::services::s3::is_public(env, "acl"))
            .unwrap(),
        Some(true)
    );
    let bad_cases = [
        (json!({"Bucket": "acl"}), "MissingSecurityHeader"),
        (
            json!({"Bucket": "acl", "ACL": "private", "AccessControlPolicy": {"Grants": []}}),
            "UnexpectedContent",
        ),
        (
            json!({"Bucket": "acl", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": "Group", "URI": "http://x"}, "Permission": "READ"}]}}),
            "InvalidArgument",
        ),
        (
            json!({"Bucket": "acl", "AccessControlPolicy": {"Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "ALL"}]}}),
            "MalformedACLError",
        ),
        (
            json!({"Bucket": "acl", "GrantRead": "id=abc"}),
            "NotImplemented",
        ),
    ];
    for (req, code) in bad_cases {
        assert_eq!(err(&sim, "PutBucketAcl", req.clone()).code, code, "{req}");
    }
    ok(
        &sim,
        "DeleteBucketOwnershipControls",
        json!({"Bucket": "acl"}),
    );
    let e = err(&sim, "GetBucketOwnershipControls", json!({"Bucket": "acl"}));
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("OwnershipControlsNotFoundError", 404)
    );
    let e = err(
        &sim,
        "PutBucketOwnershipControls",
        json!({"Bucket": "acl", "OwnershipControls": {"Rules": []}}),
    );
    assert_eq!(e.code, "MalformedXML");
}

// ---- configuration ----

#[test]
fn versioning_round_trip_and_mfa_delete() {
    let (_d, sim) = sim();
    make(&sim, "versioned");
    ok(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "versioned", "VersioningConfiguration": {"Status": "Enabled"}}),
    );
    assert_eq!(
        ok(&sim, "GetBucketVersioning", json!({"Bucket": "versioned"})),
        json!({"Status": "Enabled"})
    );
    ok(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "versioned", "VersioningConfiguration": {"Status": "Suspended"}}),
    );
    assert_eq!(
        ok(&sim, "GetBucketVersioning", json!({"Bucket": "versioned"}))["Status"],
        "Suspended"
    );
    let e = err(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "versioned", "VersioningConfiguration": {"Status": "On"}}),
    );
    assert_eq!(e.code, "MalformedXML");
    let e = err(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "versioned", "VersioningConfiguration": {"Status": "Enabled", "MFADelete": "Enabled"}}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "AccessDenied",
            "Mfa Authentication must be used for this request"
        )
    );
    ok(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "versioned", "MFA": "arn:aws:iam::123456789012:mfa/root 123456",
        "VersioningConfiguration": {"Status": "Enabled", "MFADelete": "Enabled"}}),
    );
    assert_eq!(
        ok(&sim, "GetBucketVersioning", json!({"Bucket": "versioned"})),
        json!({"Status": "Enabled", "MFADelete": "Enabled"})
    );
    let info = sim
        .run_unrecorded(|env| crate::services::s3::bucket(env, "versioned"))
        .unwrap()
        .unwrap();
    assert!(info.mfa_delete);
    assert_eq!(info.versioning_status.as_deref(), Some("Enabled"));
    // Object Lock buckets are versioned and cannot be suspended.
    ok(
        &sim,
        "CreateBucket",
        json!({"Bucket": "locked", "ObjectLockEnabledForBucket": true}),
    );
    assert_eq!(
        ok(&sim, "GetBucketVersioning", json!({"Bucket": "locked"}))["Status"],
        "Enabled"
    );
    let e = err(
        &sim,
        "PutBucketVersioning",
        json!({"Bucket": "locked", "VersioningConfiguration": {"Status": "Suspended"}}),
    );
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("InvalidBucketState", 409)
    );
}

#[test]
fn object_lock_configuration_reflects_the_create_bucket_choice() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateBucket",
        json!({"Bucket": "locked", "ObjectLockEnabledForBucket": true}),
    );
    make(&sim, "plain");
    assert_eq!(
        ok(
            &sim,
            "GetObjectLockConfiguration",
            json!({"Bucket": "locked"})
        ),
        json!({"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}})
    );
    let e = err(
        &sim,
        "GetObjectLockConfiguration",
        json!({"Bucket": "plain"}),
    );
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("ObjectLockConfigurationNotFoundError", 404)
    );
    let e = err(
        &sim,
        "GetObjectLockConfiguration",
        json!({"Bucket": "nope"}),
    );
    assert_eq!(e.code, "NoSuchBucket");
}

#[test]
fn encryption_round_trip_and_reset_to_sse_s3() {
    let (_d, sim) = sim();
    make(&sim, "enc");
    let kms = json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:key/k1"}, "BucketKeyEnabled": true}]});
    ok(
        &sim,
        "PutBucketEncryption",
        json!({"Bucket": "enc", "ServerSideEncryptionConfiguration": kms}),
    );
    assert_eq!(
        ok(&sim, "GetBucketEncryption", json!({"Bucket": "enc"})),
        json!({"ServerSideEncryptionConfiguration": kms})
    );
    let info = sim
        .run_unrecorded(|env| crate::services::s3::bucket(env, "enc"))
        .unwrap()
        .unwrap();
    assert_eq!(info.sse_algorithm, "aws:kms");
    assert_eq!(
        info.kms_master_key_id.as_deref(),
        Some("arn:aws:kms:us-east-1:123456789012:key/k1")
    );
    assert!(info.bucket_key_enabled);
    let bad = [
        (json!({"Rules": []}), "MalformedXML"),
        (
            json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "DES"}}]}),
            "MalformedXML",
        ),
        (
            json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]}),
            "InvalidArgument",
        ),
    ];
    for (cfg, code) in bad {
        let e = err(
            &sim,
            "PutBucketEncryption",
            json!({"Bucket": "enc", "ServerSideEncryptionConfiguration": cfg}),
        );
        assert_eq!(e.code, code, "{cfg}");
    }
    ok(&sim, "DeleteBucketEncryption", json!({"Bucket": "enc"}));
    assert_eq!(
        ok(&sim, "GetBucketEncryption", json!({"Bucket": "enc"}))["ServerSideEncryptionConfiguration"]
            ["Rules"][0]["ApplyServerSideEncryptionByDefault"],
        json!({"SSEAlgorithm": "AES256"})
    );
}

#[test]
fn lifecycle_round_trip_and_validation_table() {
    let (_d, sim) = sim();
    make(&sim, "lifecycle-b");
    let e = err(
        &sim,
        "GetBucketLifecycleConfiguration",
        json!({"Bucket": "lifecycle-b"}),
    );
    assert_eq!(
        (e.code.as_str(), e.http_status),
        ("NoSuchLifecycleConfiguration", 404)
    );
    assert_eq!(e.message, "The lifecycle configuration does not exist");
    let rules = json!([
        {"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": "AWSLogs/"},
         "Expiration": {"Days": 365},
         "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
         "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
         "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
        {"ID": "markers", "Status": "Disabled", "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "tagged", "Value": "1"}]}},
         "Expiration": {"ExpiredObjectDeleteMarker": true}},
        {"ID": "dated", "Status": "Enabled", "Filter": {}, "Expiration": {"Date": "2025-01-01T00:00:00Z"}}
    ]);
    let put = ok(
        &sim,
        "PutBucketLifecycleConfiguration",
        json!({"Bucket": "lifecycle-b", "LifecycleConfiguration": {"Rules": rules}}),
    );
    assert_eq!(
        put,
        json!({"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K"})
    );
    let got = ok(
        &sim,
        "GetBucketLifecycleConfiguration",
        json!({"Bucket": "lifecycle-b"}),
    );
    assert_eq!(got["Rules"][0], rules[0]);
    assert_eq!(got["Rules"][2]["Expiration"], json!({"Date": 1735689600.0}));
    assert_eq!(
        got["TransitionDefaultMinimumObjectSize"],
        "all_storage_classes_128K"
    );

    let rule = |extra: Value| {
        let mut r = json!({"ID": "r", "Status": "Enabled", "Filter": {"Prefix": ""}});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        json!({"Bucket": "lifecycle-b", "LifecycleConfiguration": {"Rules": [r]}})
    };
    let cases = [
        (
            json!({}),
            "InvalidRequest",
            "At least one action needs to be specified in a rule",
        ),
        (
            json!({"Status": "On", "Expiration": {"Days": 1}}),
            "MalformedXML",
            "",
        ),
        (
            json!({"Expiration": {"Days": 0}}),
            "InvalidArgument",
            "'Days' for Expiration action must be a positive integer",
        ),
        (
            json!({"Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": true}}),
            "MalformedXML",
            "",
        ),
        (
            json!({"Expiration": {"Date": 1735689601.0}}),
            "InvalidArgument",
            "'Date' must be at midnight GMT",
        ),
        (
            json!({"Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]}),
            "InvalidArgument",
            "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'",
        ),
        (
            json!({"Transitions": [{"Days": 10, "StorageClass": "TAPE"}]}),
            "MalformedXML",
            "",
        ),
        (
            json!({"Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "versioned"}}, "Expiration": {"Days": 1}}),
            "MalformedXML",
            "",
        ),
        (
            json!({"ID": "x".repeat(256), "Expiration": {"Days": 1}}),
            "InvalidArgument",
            "ID length should not exceed allowed limit of 255",
        ),
        (
            json!({"AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 0}}),
            "InvalidArgument",
            "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
        ),
    ];
    for (extra, code, message) in cases {
        let e = err(&sim, "PutBucketLifecycleConfiguration", rule(extra.clone()));
        assert_eq!(e.code, code, "{extra}");
        if !message.is_empty() {
            assert_eq!(e.message, message, "{extra}");
        }
    }
    let dup = json!({"Bucket": "lifecycle-b", "LifecycleConfiguration": {"Rules": [
        {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
        {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 2}}]}});
    assert_eq!(
        err(&sim, "PutBucketLifecycleConfiguration", dup).message,
        "Rule ID must be unique. Found same ID for more than one rule"
    );
    ok(
        &sim,
        "DeleteBucketLifecycle",
        json!({"Bucket": "lifecycle-b"}),
    );
    assert_eq!(
        err(
            &sim,
            "GetBucketLifecycleConfiguration",
            json!({"Bucket": "lifecycle-b"})
        )
        .code,
        "NoSuchLifecycleConfiguration"
    );
}

#[test]
fn logging_targets_must_exist_in_same_account_and_region() {
    let (_d, sim) = sim();
    make(&sim, "src");
    make(&sim, "access-logs");
    assert_eq!(
        ok(&sim, "GetBucketLogging", json!({"Bucket": "src"})),
        json!({})
    );
    let status = json!({"LoggingEnabled": {"TargetBucket": "access-logs", "TargetPrefix": "src/"}});
    ok(
        &sim,
        "PutBucketLogging",
        json!({"Bucket": "src", "BucketLoggingStatus": status}),
    );
    assert_eq!(
        ok(&sim, "GetBucketLogging", json!({"Bucket": "src"})),
        status
    );
    let e = err(
        &sim,
        "PutBucketLogging",
        json!({"Bucket": "src", "BucketLoggingStatus": {"LoggingEnabled": {"TargetBucket": "nope", "TargetPrefix": ""}}}),
    );
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidTargetBucketForLogging",
            "The target bucket for logging does not exist"
        )
    );
    let eu = CallerContext::new(ACCOUNT, "eu-west-1");
    call_as(&sim, &eu, "CreateBucket", json!({"Bucket": "eu-target", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}})).unwrap();
    let e = err(
        &sim,
        "PutBucketLogging",
        json!({"Bucket": "src", "BucketLoggingStatus": {"LoggingEnabled": {"TargetBucket": "eu-target", "TargetPrefix": ""}}}),
    );
    assert_eq!(e.code, "CrossLocationLoggingProhibitted");
    let other = CallerContext::new(OTHER, "us-east-1");
    call_as(&sim, &other, "CreateBucket", json!({"Bucket": "foreign"})).unwrap();
    let e = err(
        &sim,
        "PutBucketLogging",
        json!({"Bucket": "src", "BucketLoggingStatus": {"LoggingEnabled": {"TargetBucket": "foreign", "TargetPrefix": ""}}}),
    );
    assert_eq!(e.code, "InvalidTargetBucketForLogging");
    ok(
        &sim,
        "PutBucketLogging",
        json!({"Bucket": "src", "BucketLoggingStatus": {}}),
    );
    assert_eq!(
        ok(&sim, "GetBucketLogging", json!({"Bucket": "src"})),
        json!({})
    );
}

#[test]
fn tagging_replaces_the_set_and_validates() {
    let (_d, sim) = sim();
    make(&sim, "tagged");
    let e = err(&sim, "GetBucketTagging", json!({"Bucket": "tagged"}));
    assert_eq!(
        (e.code.as_str(), e.http_status, e.message.as_str()),
        ("NoSuchTagSet", 404, "The TagSet does not exist")
    );
    ok(
        &sim,
        "PutBucketTagging",
        json!({"Bucket": "tagged", "Tagging": {"TagSet": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]}}),
    );
    ok(
        &sim,
        "PutBucketTagging",
        json!({"Bucket": "tagged", "Tagging": {"TagSet": [{"Key": "c", "Value": "3"}]}}),
    );
    assert_eq!(
        ok(&sim, "GetBucketTagging", json!({"Bucket": "tagged"})),
        json!({"TagSet": [{"Key": "c", "Value": "3"}]})
    );
    let many: Vec<Value> = (0..51)
        .map(|i| json!({"Key": format!("k{i}"), "Value": ""}))
        .collect();
    let cases = [
        (
            json!([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]),
            "Cannot provide multiple Tags with the same key",
        ),
        (
            json!([{"Key": "aws:x", "Value": "1"}]),
            "System tags cannot be added/updated by requester",
        ),
        (
            json!([{"Key": "k".repeat(129), "Value": "1"}]),
            "The TagKey you have provided is too long, max 128",
        ),
        (
            json!([{"Key": "k", "Value": "versioned".repeat(257)}]),
            "The TagValue you have provided is too long, max 256",
        ),
        (
            Value::Array(many),
            "Bucket tag count cannot be greater than 50",
        ),
    ];
    for (set, message) in cases {
        let e = err(
            &sim,
            "PutBucketTagging",
            json!({"Bucket": "tagged", "Tagging": {"TagSet": set}}),
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("InvalidTag", message)
        );
    }
    ok(&sim, "DeleteBucketTagging", json!({"Bucket": "tagged"}));
    assert_eq!(
        err(&sim, "GetBucketTagging", json!({"Bucket": "tagged"})).code,
        "NoSuchTagSet"
    );
}

// ---- objects ----

#[test]
fn objects_are_real_files_with_metadata() {
    let (d, sim) = sim();
    make(&sim, "data");
    let r = ok(
        &sim,
        "PutObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt", "Body": "aGVsbG8=",
        "ContentType": "text/plain", "Metadata": {"owner": "me"}}),
    );
    assert_eq!(
        r,
        json!({"ETag": "\"5d41402abc4b2a76b9719d911017c592\"", "ServerSideEncryption": "AES256"})
    );
    let file = d.path().join("s3/data/dir/hello.txt");
    assert_eq!(std::fs::read(&file).unwrap(), b"hello");
    // No temporary files are left behind.
    assert_eq!(
        std::fs::read_dir(d.path().join("s3/.tmp")).unwrap().count(),
        0
    );

    let got = ok(
        &sim,
        "GetObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt"}),
    );
    assert_eq!(
        got,
        json!({"Body": "aGVsbG8=", "AcceptRanges": "bytes", "ContentLength": 5, "ContentType": "text/plain",
            "ETag": "\"5d41402abc4b2a76b9719d911017c592\"", "LastModified": 1704067200.0,
            "Metadata": {"owner": "me"}, "ServerSideEncryption": "AES256"})
    );
    let head = ok(
        &sim,
        "HeadObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt"}),
    );
    assert!(head.get("Body").is_none());
    assert_eq!(head["ContentLength"], 5);
    let ranged = ok(
        &sim,
        "GetObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt", "Range": "bytes=1-3"}),
    );
    assert_eq!(
        (ranged["Body"].as_str(), ranged["ContentRange"].as_str()),
        (Some("ZWxs"), Some("bytes 1-3/5"))
    );

    // Overwrite, then delete: the file follows.
    put(&sim, "data", "dir/hello.txt", "bye");
    assert_eq!(std::fs::read(&file).unwrap(), b"bye");
    ok(
        &sim,
        "DeleteObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt"}),
    );
    assert!(!file.exists());
    ok(
        &sim,
        "DeleteObject",
        json!({"Bucket": "data", "Key": "dir/hello.txt"}),
    );
}

#[test]
fn object_error_table() {
    let (_d, sim) = sim();
    make(&sim, "data");
    put(&sim, "data", "k", "v");
    let cases: Vec<(&str, Value, &str, u16)> = vec![
        (
            "GetObject",
            json!({"Bucket": "data", "Key": "missing"}),
            "NoSuchKey",
            404,
        ),
        (
            "HeadObject",
            json!({"Bucket": "data", "Key": "missing"}),
            "NotFound",
            404,
        ),
        (
            "GetObject",
            json!({"Bucket": "nobucket", "Key": "k"}),
            "NoSuchBucket",
            404,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "x".repeat(1025)}),
            "KeyTooLongError",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": ""}),
            "ValidationException",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "Body": "not base64!"}),
            "SerializationException",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "BodyText": "x", "ContentMD5": "AAAAAAAAAAAAAAAAAAAAAA=="}),
            "BadDigest",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "ContentMD5": "nope"}),
            "InvalidDigest",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "StorageClass": "TAPE"}),
            "InvalidStorageClass",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "ServerSideEncryption": "DES"}),
            "InvalidArgument",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "SSEKMSKeyId": "k"}),
            "InvalidArgument",
            400,
        ),
        (
            "PutObject",
            json!({"Bucket": "data", "Key": "b", "ACL": "public-read"}),
            "AccessControlListNotSupported",
            400,
        ),
        (
            "GetObject",
            json!({"Bucket": "data", "Key": "k", "Range": "bytes=5-"}),
            "InvalidRange",
            416,
        ),
        (
            "GetObject",
            json!({"Bucket": "data", "Key": "k", "IfMatch": "\"abc\""}),
            "PreconditionFailed",
            412,
        ),
        (
            "GetObject",
            json!({"Bucket": "data", "Key": "k", "IfNoneMatch": "*"}),
            "NotModified",
            304,
        ),
        (
            "GetObject",
            json!({"Bucket": "data", "Key": "k", "VersionId": "v1"}),
            "NoSuchVersion",
            404,
        ),
        (
            "ListObjectsV2",
            json!({"Bucket": "data", "MaxKeys": -1}),
            "InvalidArgument",
            400,
        ),
        (
            "ListObjectsV2",
            json!({"Bucket": "data", "ContinuationToken": "garbage"}),
            "InvalidArgument",
            400,
        ),
        (
            "ListObjectsV2",
            json!({"Bucket": "data", "EncodingType": "base64"}),
            "InvalidArgument",
            400,
        ),
    ];
    for (op, req, code, status) in cases {
        let e = err(&sim, op, req.clone());
        assert_eq!(
            (e.code.as_str(), e.http_status),
            (code, status),
            "{op} {req}: {e}"
        );
    }
    assert_eq!(
        err(
            &sim,
            "GetObject",
            json!({"Bucket": "data", "Key": "missing"})
        )
        .message,
        "The specified key does not exist."
    );
    let other = CallerContext::new(OTHER, "us-east-1");
    assert_eq!(
        err_as(
            &sim,
            &other,
            "PutObject",
            json!({"Bucket": "data", "Key": "k"})
        )
        .code,
        "AccessDenied"
    );
}

#[test]
fn object_encryption_follows_request_then_bucket_default() {
    let (_d, sim) = sim();
    make(&sim, "enc");
    ok(
        &sim,
        "PutBucketEncryption",
        json!({"Bucket": "enc", "ServerSideEncryptionConfiguration": {"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/logs"}, "BucketKeyEnabled": true}]}}),
    );
    let r = put(&sim, "enc", "a", "x");
    assert_eq!(r["ServerSideEncryption"], "aws:kms");
    assert_eq!(r["SSEKMSKeyId"], "alias/logs");
    assert_eq!(r["BucketKeyEnabled"], true);
    let r = ok(
        &sim,
        "PutObject",
        json!({"Bucket": "enc", "Key": "b", "BodyText": "x", "ServerSideEncryption": "AES256"}),
    );
    assert_eq!(
        r,
        json!({"ETag": "\"9dd4e461268c8034f5c8564e155c67a6\"", "ServerSideEncryption": "AES256"})
    );
}

#[test]
fn list_objects_v2_pages_with_prefix_and_delimiter() {
    let (_d, sim) = sim();
    make(&sim, "listing");
    for k in ["a/1", "a/2", "a/3", "b/1", "c", "d/x/1", "d/y/2", "e"] {
        put(&sim, "listing", k, k);
    }
    let all = ok(&sim, "ListObjectsV2", json!({"Bucket": "listing"}));
    assert_eq!(all["KeyCount"], 8);
    assert_eq!(all["IsTruncated"], false);
    assert_eq!(all["MaxKeys"], 1000);
    assert_eq!(all["Name"], "listing");
    assert_eq!(
        all["Contents"][0],
        json!({"Key": "a/1", "LastModified": 1704067200.0,
        "ETag": crate::services::s3::objects::etag_of(b"a/1"),
        "Size": 3, "StorageClass": "STANDARD"})
    );

    // Delimiter rolls keys up into common prefixes; each counts once towards MaxKeys.
    let keys = |v: &Value| -> Vec<String> {
        let mut out: Vec<String> = v["Contents"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| o["Key"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        out.extend(
            v["CommonPrefixes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|p| p["Prefix"].as_str().unwrap().to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        );
        out
    };
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut req = json!({"Bucket": "listing", "Delimiter": "/", "MaxKeys": 2});
        if let Some(t) = &token {
            req["ContinuationToken"] = json!(t);
        }
        let page = ok(&sim, "ListObjectsV2", req);
        pages += 1;
        assert_eq!(
            page["KeyCount"].as_i64().unwrap() as usize,
            keys(&page).len()
        );
        seen.extend(keys(&page));
        if page["IsTruncated"] == true {
            token = Some(page["NextContinuationToken"].as_str().unwrap().to_string());
        } else {
            assert!(page.get("NextContinuationToken").is_none());
            break;
        }
    }
    seen.sort();
    assert_eq!(seen, ["a/", "b/", "c", "d/", "e"]);
    assert_eq!(pages, 3);

    let d = ok(
        &sim,
        "ListObjectsV2",
        json!({"Bucket": "listing", "Prefix": "d/", "Delimiter": "/"}),
    );
    assert_eq!(
        d["CommonPrefixes"],
        json!([{"Prefix": "d/x/"}, {"Prefix": "d/y/"}])
    );
    assert!(d.get("Contents").is_none());
    assert_eq!(d["Prefix"], "d/");

    let after = ok(
        &sim,
        "ListObjectsV2",
        json!({"Bucket": "listing", "StartAfter": "c"}),
    );
    assert_eq!(keys(&after), ["d/x/1", "d/y/2", "e"]);
    assert_eq!(after["StartAfter"], "c");

    let zero = ok(
        &sim,
        "ListObjectsV2",
        json!({"Bucket": "listing", "MaxKeys": 0}),
    );
    assert_eq!(
        (zero["KeyCount"].as_i64(), zero["IsTruncated"].as_bool()),
        (Some(0), Some(false))
    );

    let owner = ok(
        &sim,
        "ListObjectsV2",
        json!({"Bucket": "listing", "Prefix": "e", "FetchOwner": true}),
    );
    assert_eq!(
        owner["Contents"][0]["Owner"]["ID"],
        crate::services::s3::canonical_user_id(ACCOUNT)
    );
}

#[test]
fn list_objects_v2_url_encoding() {
    let (_d, sim) = sim();
    make(&sim, "urlenc");
    put(&sim, "urlenc", "a b/c+d", "x");
    let r = ok(
        &sim,
        "ListObjectsV2",
        json!({"Bucket": "urlenc", "EncodingType": "url"}),
    );
    assert_eq!(r["Contents"][0]["Key"], "a%20b/c%2Bd");
    assert_eq!(r["EncodingType"], "url");
}

#[test]
fn put_object_internal_writes_log_files_without_caller_checks() {
    let (d, sim) = sim();
    let other = CallerContext::new(OTHER, "eu-west-1");
    call_as(&sim, &other, "CreateBucket", json!({"Bucket": "central-logs", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}})).unwrap();
    let key = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/123456789012_CloudTrail_us-east-1_20240101T0000Z_abc.json.gz";
    let info = sim
        .run_unrecorded(|env| {
            crate::services::s3::put_object_internal(
                env,
                "central-logs",
                key,
                b"\x1f\x8bdata",
                "application/x-gzip",
                Some(("aws:kms", Some("arn:aws:kms:eu-west-1:210987654321:key/k"))),
            )
        })
        .unwrap();
    assert_eq!(info.size, 6);
    assert_eq!(info.server_side_encryption, "aws:kms");
    assert_eq!(info.path, d.path().join("s3/central-logs").join(key));
    assert_eq!(std::fs::read(&info.path).unwrap(), b"\x1f\x8bdata");
    let listed = sim
        .run_unrecorded(|env| crate::services::s3::list_objects(env, "central-logs", "AWSLogs/"))
        .unwrap();
    assert_eq!(listed.len(), 1);
    let bytes = sim
        .run_unrecorded(|env| crate::services::s3::object_bytes(env, "central-logs", key))
        .unwrap();
    assert_eq!(bytes.as_deref(), Some(&b"\x1f\x8bdata"[..]));
    let e = sim
        .run_unrecorded(|env| {
            crate::services::s3::put_object_internal(env, "nope", "k", b"", "text/plain", None)
        })
        .unwrap_err();
    assert_eq!(e.code, "NoSuchBucket");
    // Not recorded: no events.
    let names: Vec<String> = sim
        .event_records()
        .unwrap()
        .iter()
        .map(|r| r["eventName"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["CreateBucket"]);
}

#[test]
fn s3_calls_are_recorded_with_bucket_and_object_resources() {
    let (_d, sim) = sim();
    make(&sim, "rec");
    put(&sim, "rec", "k", "versioned");
    let _ = err(&sim, "GetBucketPolicy", json!({"Bucket": "rec"}));
    let records = sim.event_records().unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["eventSource"], "s3.amazonaws.com");
    assert_eq!(
        records[0]["resources"],
        json!([{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::rec"}])
    );
    assert_eq!(records[1]["resources"][0]["ARN"], "arn:aws:s3:::rec/k");
    assert_eq!(records[2]["errorCode"], "NoSuchBucketPolicy");
    assert_eq!(records[2]["readOnly"], true);
}
