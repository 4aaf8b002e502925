//! Behaviour of the STS service through the simulator facade.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::context::Principal;
use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";
const ROLE: &str = "arn:aws:iam::123456789012:role/ops/Deployer";

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
    sim.invoke(c, "sts", op, req)
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    match call_as(sim, &ctx(), op, req) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

#[test]
fn get_caller_identity_reports_the_iam_user() {
    let (_d, sim) = sim();
    let c = ctx();
    assert_eq!(
        ok(&sim, "GetCallerIdentity", json!({})),
        json!({"UserId": c.principal.principal_id, "Account": ACCOUNT,
            "Arn": "arn:aws:iam::123456789012:user/ctsim"})
    );
    let root = CallerContext::new(ACCOUNT, "us-east-1").with_principal(Principal {
        identity_type: "Root".into(),
        principal_id: ACCOUNT.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        user_name: None,
        access_key_id: None,
        session_context: None,
    });
    let r = call_as(&sim, &root, "GetCallerIdentity", json!(null)).unwrap();
    assert_eq!(r["UserId"], ACCOUNT);
    assert_eq!(r["Arn"], format!("arn:aws:iam::{ACCOUNT}:root"));
}

#[test]
fn assume_role_issues_deterministic_credentials() {
    let (_d, sim) = sim();
    let r = ok(
        &sim,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ci"}),
    );
    let creds = &r["Credentials"];
    let akid = creds["AccessKeyId"].as_str().unwrap();
    assert!(akid.starts_with("ASIA") && akid.len() == 20, "{akid}");
    assert_eq!(creds["SecretAccessKey"].as_str().unwrap().len(), 40);
    assert!(creds["SessionToken"].as_str().unwrap().len() > 100);
    assert_eq!(creds["Expiration"], 1704067200.0 + 3600.0);
    let role_id = crate::services::sts::role_id_for(ROLE);
    assert!(role_id.starts_with("AROA") && role_id.len() == 21);
    assert_eq!(
        r["AssumedRoleUser"],
        json!({"AssumedRoleId": format!("{role_id}:ci"),
            "Arn": "arn:aws:sts::123456789012:assumed-role/Deployer/ci"})
    );
    assert!(r.get("PackedPolicySize").is_none());

    // The same inputs in a fresh state give the same bytes; a second session differs.
    let (_d2, sim2) = self::sim();
    let again = ok(
        &sim2,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ci"}),
    );
    assert_eq!(again, r);
    let second = ok(
        &sim,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ci"}),
    );
    assert_ne!(
        second["Credentials"]["AccessKeyId"],
        r["Credentials"]["AccessKeyId"]
    );
}

#[test]
fn assume_role_validation_table() {
    let (_d, sim) = sim();
    let chained = CallerContext::new(ACCOUNT, "us-east-1").with_principal(Principal::assumed_role(
        ROLE,
        "AROAAAAAAAAAAAAAAAAAA",
        "first",
        "ASIAAAAAAAAAAAAAAAAA",
        "2024-01-01T00:00:00Z",
    ));
    let root = CallerContext::new(ACCOUNT, "us-east-1").with_principal(Principal {
        identity_type: "Root".into(),
        principal_id: ACCOUNT.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        user_name: None,
        access_key_id: None,
        session_context: None,
    });
    let me = ctx();
    let cases: Vec<(&CallerContext, Value, &str, &str)> = vec![
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "x"}),
            "ValidationError",
            "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
        ),
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "has space"}),
            "ValidationError",
            "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        ),
        (
            &me,
            json!({"RoleArn": "arn:aws:iam::1", "RoleSessionName": "ok"}),
            "ValidationError",
            "1 validation error detected: Value 'arn:aws:iam::1' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
        ),
        (
            &me,
            json!({"RoleArn": "arn:aws:iam::123456789012:user/bob", "RoleSessionName": "ok"}),
            "ValidationError",
            "arn:aws:iam::123456789012:user/bob is invalid",
        ),
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok", "DurationSeconds": 899}),
            "ValidationError",
            "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
        ),
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok", "DurationSeconds": 43201}),
            "ValidationError",
            "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
        ),
        (
            &chained,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok", "DurationSeconds": 7200}),
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
        ),
        (
            &root,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok"}),
            "AccessDenied",
            "Roles may not be assumed by root accounts.",
        ),
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok", "Policy": "{"}),
            "MalformedPolicyDocument",
            "The policy is not in the valid JSON format.",
        ),
        (
            &me,
            json!({"RoleArn": ROLE, "RoleSessionName": "ok", "SerialNumber": "arn:aws:iam::123456789012:mfa/me", "TokenCode": "12"}),
            "AccessDenied",
            "MultiFactorAuthentication failed, unable to validate MFA code.",
        ),
        (
            &me,
            json!({"RoleArn": ROLE}),
            "ValidationException",
            "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
        ),
    ];
    for (c, req, code, message) in cases {
        let e = call_as(&sim, c, "AssumeRole", req.clone()).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (code, message),
            "{req}"
        );
    }
    let big = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "x".repeat(3000)}]});
    let e = call_as(
        &sim,
        &me,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ok", "Policy": big.to_string()}),
    )
    .unwrap_err();
    assert_eq!(e.code, "PackedPolicyTooLarge");
    let small = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]});
    let r = call_as(
        &sim,
        &me,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ok", "Policy": small.to_string()}),
    )
    .unwrap();
    assert!(r["PackedPolicySize"].as_i64().unwrap() > 0);
    // Chained sessions up to an hour are fine.
    call_as(
        &sim,
        &chained,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "second"}),
    )
    .unwrap();
}

#[test]
fn session_credentials_act_as_the_assumed_role_in_events() {
    let (_d, sim) = sim();
    let r = ok(
        &sim,
        "AssumeRole",
        json!({"RoleArn": ROLE, "RoleSessionName": "ci"}),
    );
    let akid = r["Credentials"]["AccessKeyId"]
        .as_str()
        .unwrap()
        .to_string();
    let caller = sim
        .run_unrecorded(|env| crate::services::sts::caller_for_access_key(env, &akid, "eu-west-1"))
        .unwrap()
        .expect("session is live");
    assert_eq!(caller.account_id, ACCOUNT);
    assert_eq!(caller.region, "eu-west-1");
    let who = call_as(&sim, &caller, "GetCallerIdentity", json!({})).unwrap();
    let role_id = crate::services::sts::role_id_for(ROLE);
    assert_eq!(
        who,
        json!({"UserId": format!("{role_id}:ci"), "Account": ACCOUNT,
            "Arn": "arn:aws:sts::123456789012:assumed-role/Deployer/ci"})
    );
    let records = sim.event_records().unwrap();
    let assume = &records[0];
    assert_eq!(assume["eventSource"], "sts.amazonaws.com");
    assert_eq!(assume["readOnly"], true);
    assert_eq!(
        assume["resources"],
        json!([{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": ROLE}])
    );
    let ident = &records[1]["userIdentity"];
    assert_eq!(
        *ident,
        json!({"type": "AssumedRole", "principalId": format!("{role_id}:ci"),
            "arn": "arn:aws:sts::123456789012:assumed-role/Deployer/ci", "accountId": ACCOUNT,
            "accessKeyId": akid,
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": role_id, "arn": ROLE,
                    "accountId": ACCOUNT, "userName": "Deployer"},
                "attributes": {"creationDate": "2024-01-01T00:00:00Z", "mfaAuthenticated": "false"}}})
    );
    // Expired sessions no longer resolve.
    sim.advance_time(chrono::Duration::seconds(3601)).unwrap();
    assert!(
        sim.run_unrecorded(|env| crate::services::sts::caller_for_access_key(
            env,
            &akid,
            "us-east-1"
        ))
        .unwrap()
        .is_none()
    );
    let s = sim
        .run_unrecorded(|env| crate::services::sts::session(env, &akid))
        .unwrap()
        .unwrap();
    assert_eq!(s.assumed_by, "arn:aws:iam::123456789012:user/ctsim");
}
