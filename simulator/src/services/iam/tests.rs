//! Behaviour of the IAM service through the simulator facade.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()) // literal date, valid
        .unwrap(); // test setup
    (dir, sim)
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&CallerContext::new(ACCOUNT, "eu-west-1"), "iam", op, req)
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

fn role(sim: &Simulator, name: &str) -> Value {
    ok(
        sim,
        "CreateRole",
        json!({"RoleName": name, "AssumeRolePolicyDocument": TRUST}),
    )["Role"]
        .clone()
}

fn policy(sim: &Simulator, name: &str) -> Value {
    ok(
        sim,
        "CreatePolicy",
        json!({"PolicyName": name, "PolicyDocument": DOC}),
    )["Policy"]
        .clone()
}

#[test]
fn create_role_returns_the_role_shape() {
    let (_d, sim) = sim();
    let r = ok(&sim, "CreateRole", json!({"RoleName": "ct", "Path": "/service-role/", "AssumeRolePolicyDocument": TRUST,
        "Description": "trail", "MaxSessionDuration": 7200, "Tags": [{"Key": "env", "Value": "dev"}]}))["Role"].clone();
    let id = r["RoleId"].as_str().unwrap_or_default();
    assert!(id.starts_with("AROA") && id.len() == 21, "{id}");
    assert_eq!(
        r,
        json!({"Path": "/service-role/", "RoleName": "ct", "RoleId": id,
               "Arn": "arn:aws:iam::123456789012:role/service-role/ct", "CreateDate": 1704067200.0,
               "AssumeRolePolicyDocument": TRUST, "Description": "trail", "MaxSessionDuration": 7200,
               "Tags": [{"Key": "env", "Value": "dev"}]})
    );
    let got = ok(&sim, "GetRole", json!({"RoleName": "ct"}))["Role"].clone();
    assert_eq!(got["RoleLastUsed"], json!({}));
    assert_eq!(got["Tags"], json!([{"Key": "env", "Value": "dev"}]));
    assert_eq!(
        ok(&sim, "GetRole", json!({"RoleName": "CT"}))["Role"]["RoleName"],
        "ct"
    );
}

#[test]
fn role_errors_table() {
    let (_d, sim) = sim();
    role(&sim, "exists");
    for (req, code) in [
        (
            json!({"RoleName": "bad name", "AssumeRolePolicyDocument": TRUST}),
            "ValidationError",
        ),
        (
            json!({"RoleName": "r".repeat(65), "AssumeRolePolicyDocument": TRUST}),
            "ValidationError",
        ),
        (
            json!({"RoleName": "x", "Path": "nopath", "AssumeRolePolicyDocument": TRUST}),
            "ValidationError",
        ),
        (
            json!({"RoleName": "x", "AssumeRolePolicyDocument": "{"}),
            "MalformedPolicyDocument",
        ),
        (
            json!({"RoleName": "x", "AssumeRolePolicyDocument": DOC}),
            "MalformedPolicyDocument",
        ),
        (
            json!({"RoleName": "x", "AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 3599}),
            "ValidationError",
        ),
        (
            json!({"RoleName": "x", "AssumeRolePolicyDocument": TRUST, "MaxSessionDuration": 43201}),
            "ValidationError",
        ),
        (
            json!({"RoleName": "EXISTS", "AssumeRolePolicyDocument": TRUST}),
            "EntityAlreadyExists",
        ),
        (json!({"RoleName": "x"}), "ValidationException"),
    ] {
        assert_eq!(err(&sim, "CreateRole", req.clone()).code, code, "{req}");
    }
    let e = err(&sim, "GetRole", json!({"RoleName": "missing"}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "NoSuchEntity",
            "The role with name missing cannot be found."
        )
    );
}

#[test]
fn update_role_and_trust_policy() {
    let (_d, sim) = sim();
    role(&sim, "r");
    ok(
        &sim,
        "UpdateRole",
        json!({"RoleName": "r", "Description": "d", "MaxSessionDuration": 43200}),
    );
    let other = TRUST.replace("cloudtrail", "logs");
    ok(
        &sim,
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "r", "PolicyDocument": other}),
    );
    let got = ok(&sim, "GetRole", json!({"RoleName": "r"}))["Role"].clone();
    assert_eq!(
        (
            got["Description"].clone(),
            got["MaxSessionDuration"].clone()
        ),
        (json!("d"), json!(43200))
    );
    assert_eq!(got["AssumeRolePolicyDocument"], other);
    assert_eq!(
        err(
            &sim,
            "UpdateAssumeRolePolicy",
            json!({"RoleName": "r", "PolicyDocument": "x"})
        )
        .code,
        "MalformedPolicyDocument"
    );
    let listed = ok(&sim, "ListRoles", json!({}));
    assert_eq!(listed["Roles"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        ok(&sim, "ListRoles", json!({"PathPrefix": "/other/"}))["Roles"],
        json!([])
    );
}

#[test]
fn inline_policies_put_get_list_delete() {
    let (_d, sim) = sim();
    role(&sim, "r");
    ok(
        &sim,
        "PutRolePolicy",
        json!({"RoleName": "r", "PolicyName": "logs", "PolicyDocument": DOC}),
    );
    assert_eq!(
        ok(
            &sim,
            "GetRolePolicy",
            json!({"RoleName": "r", "PolicyName": "logs"})
        ),
        json!({"RoleName": "r", "PolicyName": "logs", "PolicyDocument": DOC})
    );
    assert_eq!(
        ok(&sim, "ListRolePolicies", json!({"RoleName": "r"}))["PolicyNames"],
        json!(["logs"])
    );
    assert_eq!(
        err(
            &sim,
            "PutRolePolicy",
            json!({"RoleName": "r", "PolicyName": "p", "PolicyDocument": TRUST})
        )
        .code,
        "MalformedPolicyDocument"
    );
    let e = err(&sim, "DeleteRole", json!({"RoleName": "r"}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete policies first."
        )
    );
    ok(
        &sim,
        "DeleteRolePolicy",
        json!({"RoleName": "r", "PolicyName": "logs"}),
    );
    let e = err(
        &sim,
        "GetRolePolicy",
        json!({"RoleName": "r", "PolicyName": "logs"}),
    );
    assert_eq!(e.message, "The role policy with name logs cannot be found.");
    ok(&sim, "DeleteRole", json!({"RoleName": "r"}));
    assert_eq!(
        err(&sim, "GetRole", json!({"RoleName": "r"})).code,
        "NoSuchEntity"
    );
}

#[test]
fn managed_policy_lifecycle_with_versions() {
    let (_d, sim) = sim();
    let p = ok(
        &sim,
        "CreatePolicy",
        json!({"PolicyName": "ct", "Path": "/x/", "PolicyDocument": DOC, "Description": "d"}),
    )["Policy"]
        .clone();
    let id = p["PolicyId"].as_str().unwrap_or_default();
    assert!(id.starts_with("ANPA") && id.len() == 21);
    assert_eq!(
        p,
        json!({"PolicyName": "ct", "PolicyId": id, "Arn": "arn:aws:iam::123456789012:policy/x/ct", "Path": "/x/",
               "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0,
               "IsAttachable": true, "CreateDate": 1704067200.0, "UpdateDate": 1704067200.0})
    );
    let arn = p["Arn"].clone();
    assert_eq!(
        ok(&sim, "GetPolicy", json!({"PolicyArn": arn}))["Policy"]["Description"],
        "d"
    );
    assert_eq!(
        err(
            &sim,
            "CreatePolicy",
            json!({"PolicyName": "CT", "PolicyDocument": DOC})
        )
        .code,
        "EntityAlreadyExists"
    );
    let v1 = ok(
        &sim,
        "GetPolicyVersion",
        json!({"PolicyArn": arn, "VersionId": "v1"}),
    )["PolicyVersion"]
        .clone();
    assert_eq!(
        v1,
        json!({"Document": DOC, "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": 1704067200.0})
    );
    let v2 = ok(
        &sim,
        "CreatePolicyVersion",
        json!({"PolicyArn": arn, "PolicyDocument": DOC, "SetAsDefault": true}),
    );
    assert_eq!(v2["PolicyVersion"]["VersionId"], "v2");
    assert_eq!(
        ok(&sim, "GetPolicy", json!({"PolicyArn": arn}))["Policy"]["DefaultVersionId"],
        "v2"
    );
    for _ in 0..3 {
        ok(
            &sim,
            "CreatePolicyVersion",
            json!({"PolicyArn": arn, "PolicyDocument": DOC}),
        );
    }
    let e = err(
        &sim,
        "CreatePolicyVersion",
        json!({"PolicyArn": arn, "PolicyDocument": DOC}),
    );
    assert_eq!(e.code, "LimitExceeded");
    let listed = ok(&sim, "ListPolicyVersions", json!({"PolicyArn": arn}))["Versions"].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(5));
    assert_eq!(listed[0]["VersionId"], "v5");
    assert_eq!(
        err(
            &sim,
            "DeletePolicyVersion",
            json!({"PolicyArn": arn, "VersionId": "v2"})
        )
        .code,
        "DeleteConflict"
    );
    let e = err(&sim, "DeletePolicy", json!({"PolicyArn": arn}));
    assert_eq!(e.code, "DeleteConflict");
    for v in ["v1", "v3", "v4", "v5"] {
        ok(
            &sim,
            "DeletePolicyVersion",
            json!({"PolicyArn": arn, "VersionId": v}),
        );
    }
    ok(
        &sim,
        "CreatePolicyVersion",
        json!({"PolicyArn": arn, "PolicyDocument": DOC}),
    );
    assert_eq!(
        ok(&sim, "ListPolicyVersions", json!({"PolicyArn": arn}))["Versions"][0]["VersionId"],
        "v6"
    );
    ok(
        &sim,
        "DeletePolicyVersion",
        json!({"PolicyArn": arn, "VersionId": "v6"}),
    );
    ok(&sim, "DeletePolicy", json!({"PolicyArn": arn}));
    let e = err(&sim, "GetPolicy", json!({"PolicyArn": arn}));
    assert_eq!(
        e.message,
        "Policy arn:aws:iam::123456789012:policy/x/ct does not exist or is not attachable."
    );
}

#[test]
fn attach_detach_counts_and_delete_conflicts() {
    let (_d, sim) = sim();
    role(&sim, "r");
    let arn = policy(&sim, "p")["Arn"].clone();
    ok(
        &sim,
        "AttachRolePolicy",
        json!({"RoleName": "r", "PolicyArn": arn}),
    );
    ok(
        &sim,
        "AttachRolePolicy",
        json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}),
    );
    assert_eq!(
        ok(&sim, "ListAttachedRolePolicies", json!({"RoleName": "r"}))["AttachedPolicies"],
        json!([{"PolicyName": "p", "PolicyArn": arn},
               {"PolicyName": "CloudWatchLogsFullAccess", "PolicyArn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}])
    );
    assert_eq!(
        ok(&sim, "GetPolicy", json!({"PolicyArn": arn}))["Policy"]["AttachmentCount"],
        1
    );
    let e = err(&sim, "DeletePolicy", json!({"PolicyArn": arn}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "DeleteConflict",
            "Cannot delete a policy attached to entities."
        )
    );
    let e = err(&sim, "DeleteRole", json!({"RoleName": "r"}));
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first."
        )
    );
    let ents = ok(&sim, "ListEntitiesForPolicy", json!({"PolicyArn": arn}));
    assert_eq!(ents["PolicyRoles"][0]["RoleName"], "r");
    let missing = "arn:aws:iam::aws:policy/NoSuchPolicy";
    assert_eq!(
        err(
            &sim,
            "AttachRolePolicy",
            json!({"RoleName": "r", "PolicyArn": missing})
        )
        .code,
        "NoSuchEntity"
    );
    assert_eq!(
        err(
            &sim,
            "AttachRolePolicy",
            json!({"RoleName": "r", "PolicyArn": "nope"})
        )
        .code,
        "InvalidInput"
    );
    ok(
        &sim,
        "DetachRolePolicy",
        json!({"RoleName": "r", "PolicyArn": arn}),
    );
    assert_eq!(
        err(
            &sim,
            "DetachRolePolicy",
            json!({"RoleName": "r", "PolicyArn": arn})
        )
        .code,
        "NoSuchEntity"
    );
    ok(
        &sim,
        "DetachRolePolicy",
        json!({"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}),
    );
    ok(&sim, "DeleteRole", json!({"RoleName": "r"}));
    ok(&sim, "DeletePolicy", json!({"PolicyArn": arn}));
}

#[test]
fn aws_managed_policies_resolve_with_documents() {
    let (_d, sim) = sim();
    for name in [
        "AdministratorAccess",
        "ReadOnlyAccess",
        "AWSCloudTrail_FullAccess",
        "CloudWatchLogsFullAccess",
    ] {
        let arn = format!("arn:aws:iam::aws:policy/{name}");
        let p = ok(&sim, "GetPolicy", json!({"PolicyArn": arn}))["Policy"].clone();
        assert_eq!(p["PolicyName"], name);
        let v = ok(
            &sim,
            "GetPolicyVersion",
            json!({"PolicyArn": arn, "VersionId": p["DefaultVersionId"]}),
        );
        assert!(
            v["PolicyVersion"]["Document"]
                .as_str()
                .is_some_and(|d| d.contains("Statement"))
        );
        assert_eq!(
            err(&sim, "DeletePolicy", json!({"PolicyArn": arn})).code,
            "AccessDenied"
        );
    }
    let aws = ok(&sim, "ListPolicies", json!({"Scope": "AWS"}))["Policies"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!(aws >= 4);
    policy(&sim, "mine");
    assert_eq!(
        ok(&sim, "ListPolicies", json!({"Scope": "Local"}))["Policies"][0]["PolicyName"],
        "mine"
    );
}

#[test]
fn users_and_groups_attach_and_conflict() {
    let (_d, sim) = sim();
    let u = ok(&sim, "CreateUser", json!({"UserName": "alice"}))["User"].clone();
    assert!(u["UserId"].as_str().is_some_and(|i| i.starts_with("AIDA")));
    assert_eq!(u["Arn"], "arn:aws:iam::123456789012:user/alice");
    let g = ok(&sim, "CreateGroup", json!({"GroupName": "admins"}))["Group"].clone();
    assert!(g["GroupId"].as_str().is_some_and(|i| i.starts_with("AGPA")));
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    ok(
        &sim,
        "AttachUserPolicy",
        json!({"UserName": "alice", "PolicyArn": admin}),
    );
    ok(
        &sim,
        "AttachGroupPolicy",
        json!({"GroupName": "admins", "PolicyArn": admin}),
    );
    let ents = ok(&sim, "ListEntitiesForPolicy", json!({"PolicyArn": admin}));
    assert_eq!(
        (
            ents["PolicyUsers"][0]["UserName"].clone(),
            ents["PolicyGroups"][0]["GroupName"].clone()
        ),
        (json!("alice"), json!("admins"))
    );
    assert_eq!(
        ok(&sim, "GetPolicy", json!({"PolicyArn": admin}))["Policy"]["AttachmentCount"],
        2
    );
    assert_eq!(
        err(&sim, "DeleteUser", json!({"UserName": "alice"})).code,
        "DeleteConflict"
    );
    assert_eq!(
        err(&sim, "DeleteGroup", json!({"GroupName": "admins"})).code,
        "DeleteConflict"
    );
    ok(
        &sim,
        "DetachUserPolicy",
        json!({"UserName": "alice", "PolicyArn": admin}),
    );
    ok(
        &sim,
        "DetachGroupPolicy",
        json!({"GroupName": "admins", "PolicyArn": admin}),
    );
    assert_eq!(
        ok(
            &sim,
            "ListAttachedUserPolicies",
            json!({"UserName": "alice"})
        )["AttachedPolicies"],
        json!([])
    );
    ok(&sim, "DeleteUser", json!({"UserName": "alice"}));
    ok(&sim, "DeleteGroup", json!({"GroupName": "admins"}));
    assert_eq!(
        err(&sim, "GetUser", json!({"UserName": "alice"})).message,
        "The user with name alice cannot be found."
    );
    assert_eq!(
        err(&sim, "GetGroup", json!({"GroupName": "admins"})).code,
        "NoSuchEntity"
    );
    assert_eq!(ok(&sim, "GetUser", json!({}))["User"]["UserName"], "ctsim");
    ok(&sim, "CreateUser", json!({"UserName": "bob"}));
    assert_eq!(
        err(&sim, "CreateUser", json!({"UserName": "BOB"})).code,
        "EntityAlreadyExists"
    );
}

#[test]
fn role_and_policy_tags() {
    let (_d, sim) = sim();
    role(&sim, "r");
    ok(
        &sim,
        "TagRole",
        json!({"RoleName": "r", "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]}),
    );
    ok(
        &sim,
        "UntagRole",
        json!({"RoleName": "r", "TagKeys": ["a"]}),
    );
    assert_eq!(
        ok(&sim, "ListRoleTags", json!({"RoleName": "r"})),
        json!({"Tags": [{"Key": "b", "Value": "2"}], "IsTruncated": false})
    );
    assert_eq!(
        err(
            &sim,
            "TagRole",
            json!({"RoleName": "r", "Tags": [{"Key": "aws:x", "Value": "1"}]})
        )
        .code,
        "InvalidInput"
    );
    let many: Vec<Value> = (0..50)
        .map(|i| json!({"Key": format!("k{i}"), "Value": "v"}))
        .collect();
    assert_eq!(
        err(&sim, "TagRole", json!({"RoleName": "r", "Tags": many})).code,
        "LimitExceeded"
    );
    let arn = policy(&sim, "p")["Arn"].clone();
    ok(
        &sim,
        "TagPolicy",
        json!({"PolicyArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}),
    );
    assert_eq!(
        ok(&sim, "GetPolicy", json!({"PolicyArn": arn}))["Policy"]["Tags"],
        json!([{"Key": "k", "Value": "v"}])
    );
    ok(
        &sim,
        "UntagPolicy",
        json!({"PolicyArn": arn, "TagKeys": ["K"]}),
    );
    assert_eq!(
        ok(&sim, "ListPolicyTags", json!({"PolicyArn": arn}))["Tags"],
        json!([])
    );
}

#[test]
fn iam_is_global_and_recorded_in_us_east_1() {
    let (_d, sim) = sim();
    role(&sim, "r");
    let other = CallerContext::new(ACCOUNT, "ap-south-1");
    assert!(
        sim.invoke(&other, "iam", "GetRole", json!({"RoleName": "r"}))
            .is_ok()
    );
    let recs = sim.event_records().unwrap(); // test setup
    assert!(
        recs.iter()
            .all(|r| r["awsRegion"] == "us-east-1" && r["eventSource"] == "iam.amazonaws.com")
    );
}

#[test]
fn role_by_arn_gathers_policies_for_cloudtrail() {
    let (_d, sim) = sim();
    let r = ok(
        &sim,
        "CreateRole",
        json!({"RoleName": "ct", "Path": "/service-role/", "AssumeRolePolicyDocument": TRUST}),
    )["Role"]
        .clone();
    ok(
        &sim,
        "PutRolePolicy",
        json!({"RoleName": "ct", "PolicyName": "inline", "PolicyDocument": DOC}),
    );
    ok(
        &sim,
        "AttachRolePolicy",
        json!({"RoleName": "ct", "PolicyArn": "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"}),
    );
    let arn = r["Arn"].as_str().unwrap_or_default().to_string();
    let info = sim
        .run_unrecorded(|env| super::role_by_arn(env, &arn))
        .unwrap()
        .unwrap(); // role exists
    assert_eq!(
        (
            info.name.as_str(),
            info.account.as_str(),
            info.trust_policy.as_str()
        ),
        ("ct", ACCOUNT, TRUST)
    );
    assert_eq!(
        info.inline_policies,
        vec![("inline".to_string(), DOC.to_string())]
    );
    assert_eq!(info.attached_policy_documents.len(), 1);
    assert!(info.attached_policy_documents[0].contains("logs:*"));
    for missing in [
        "arn:aws:iam::123456789012:role/ct",
        "arn:aws:iam::123456789012:role/service-role/none",
        "nope",
    ] {
        assert_eq!(
            sim.run_unrecorded(|env| super::role_by_arn(env, missing))
                .unwrap(),
            None,
            "{missing}"
        ); // test setup
    }
}
