//! Behaviour of the Organizations service through the simulator facade.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

const MGMT: &str = "123456789012";
const CT: &str = "cloudtrail.amazonaws.com";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()) // literal date, valid
        .unwrap(); // test setup
    (dir, sim)
}

fn as_(account: &str) -> CallerContext {
    CallerContext::new(account, "us-east-1")
}

fn call(sim: &Simulator, who: &str, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&as_(who), "organizations", op, req)
}

fn ok(sim: &Simulator, who: &str, op: &str, req: Value) -> Value {
    call(sim, who, op, req).unwrap_or_else(|e| panic!("{op} failed: {e}"))
}

fn err(sim: &Simulator, who: &str, op: &str, req: Value) -> AwsError {
    match call(sim, who, op, req) {
        Ok(v) => panic!("{op} should fail, got {v}"),
        Err(e) => e,
    }
}

/// An organization with one created member account; returns the member's id.
fn org_with_member(sim: &Simulator) -> String {
    ok(
        sim,
        MGMT,
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    );
    let s = ok(
        sim,
        MGMT,
        "CreateAccount",
        json!({"Email": "dev@example.org", "AccountName": "dev"}),
    );
    s["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn create_organization_returns_shape_and_root() {
    let (_d, sim) = sim();
    let o = ok(&sim, MGMT, "CreateOrganization", json!({}))["Organization"].clone();
    let id = o["Id"].as_str().unwrap_or_default();
    assert!(
        id.len() == 12
            && id.starts_with("o-")
            && id[2..]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(
        o,
        json!({"Id": id, "Arn": format!("arn:aws:organizations::{MGMT}:organization/{id}"), "FeatureSet": "ALL",
               "MasterAccountArn": format!("arn:aws:organizations::{MGMT}:account/{id}/{MGMT}"),
               "MasterAccountId": MGMT, "MasterAccountEmail": format!("{MGMT}@example.com"),
               "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]})
    );
    let roots = ok(&sim, MGMT, "ListRoots", json!({}))["Roots"].clone();
    let rid = roots[0]["Id"].as_str().unwrap_or_default();
    assert!(rid.starts_with("r-") && rid.len() == 6, "{rid}");
    assert_eq!(roots[0]["Name"], "Root");
    assert_eq!(
        roots[0]["Arn"],
        format!("arn:aws:organizations::{MGMT}:root/{id}/{rid}")
    );
    assert_eq!(
        ok(&sim, MGMT, "DescribeOrganization", json!({}))["Organization"],
        o
    );
    let e = err(&sim, MGMT, "CreateOrganization", json!({}));
    assert_eq!(e.code, "AlreadyInOrganizationException");
}

#[test]
fn not_in_an_organization() {
    let (_d, sim) = sim();
    for op in [
        "DescribeOrganization",
        "ListAccounts",
        "ListRoots",
        "DeleteOrganization",
    ] {
        let e = err(&sim, MGMT, op, json!({}));
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "AWSOrganizationsNotInUseException",
                "Your account is not a member of an organization."
            ),
            "{op}"
        );
    }
    assert_eq!(
        err(
            &sim,
            MGMT,
            "CreateOrganization",
            json!({"FeatureSet": "SOME"})
        )
        .code,
        "InvalidInputException"
    );
}

#[test]
fn create_account_makes_a_member_with_deterministic_id() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    assert!(
        member.len() == 12 && member.chars().all(|c| c.is_ascii_digit()),
        "{member}"
    );
    let (_d2, sim2) = self::sim();
    assert_eq!(
        org_with_member(&sim2),
        member,
        "same inputs, same account id"
    );
    let accts = ok(&sim, MGMT, "ListAccounts", json!({}))["Accounts"].clone();
    assert_eq!(accts.as_array().map(Vec::len), Some(2));
    assert_eq!(accts[0]["Id"], MGMT);
    assert_eq!(accts[1]["JoinedMethod"], "CREATED");
    let a = ok(&sim, MGMT, "DescribeAccount", json!({"AccountId": member}))["Account"].clone();
    assert_eq!(
        (a["Name"].clone(), a["Email"].clone(), a["Status"].clone()),
        (json!("dev"), json!("dev@example.org"), json!("ACTIVE"))
    );
    let dup = ok(
        &sim,
        MGMT,
        "CreateAccount",
        json!({"Email": "DEV@example.org", "AccountName": "again"}),
    )["CreateAccountStatus"]
        .clone();
    assert_eq!(
        (dup["State"].clone(), dup["FailureReason"].clone()),
        (json!("FAILED"), json!("EMAIL_ALREADY_EXISTS"))
    );
    let st = ok(
        &sim,
        MGMT,
        "DescribeCreateAccountStatus",
        json!({"CreateAccountRequestId": dup["Id"]}),
    );
    assert_eq!(st["CreateAccountStatus"]["State"], "FAILED");
    assert!(dup["Id"].as_str().is_some_and(|i| i.starts_with("car-")));
    assert_eq!(
        err(
            &sim,
            MGMT,
            "DescribeCreateAccountStatus",
            json!({"CreateAccountRequestId": "car-0"})
        )
        .code,
        "CreateAccountStatusNotFoundException"
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "CreateAccount",
            json!({"Email": "bad", "AccountName": "x"})
        )
        .code,
        "InvalidInputException"
    );
}

#[test]
fn member_accounts_may_describe_but_not_manage() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    let o = ok(&sim, &member, "DescribeOrganization", json!({}))["Organization"].clone();
    assert_eq!(o["MasterAccountId"], MGMT);
    for (op, req) in [
        ("ListAccounts", json!({})),
        (
            "CreateAccount",
            json!({"Email": "x@example.org", "AccountName": "x"}),
        ),
        ("EnableAWSServiceAccess", json!({"ServicePrincipal": CT})),
        (
            "RegisterDelegatedAdministrator",
            json!({"AccountId": member, "ServicePrincipal": CT}),
        ),
        ("DeleteOrganization", json!({})),
    ] {
        let e = err(&sim, &member, op, req);
        assert_eq!(e.code, "AccessDeniedException", "{op}");
    }
    assert_eq!(
        err(&sim, &member, "CreateOrganization", json!({})).code,
        "AlreadyInOrganizationException"
    );
}

#[test]
fn trusted_access_and_delegated_administrators() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    ok(
        &sim,
        MGMT,
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": CT}),
    );
    ok(
        &sim,
        MGMT,
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": CT}),
    );
    assert_eq!(
        ok(&sim, MGMT, "ListAWSServiceAccessForOrganization", json!({}))["EnabledServicePrincipals"],
        json!([{"ServicePrincipal": CT, "DateEnabled": 1704067200.0}])
    );
    let e = err(
        &sim,
        MGMT,
        "RegisterDelegatedAdministrator",
        json!({"AccountId": MGMT, "ServicePrincipal": CT}),
    );
    assert_eq!(e.code, "ConstraintViolationException");
    assert_eq!(
        err(
            &sim,
            MGMT,
            "RegisterDelegatedAdministrator",
            json!({"AccountId": "999999999999", "ServicePrincipal": CT})
        )
        .code,
        "AccountNotFoundException"
    );
    ok(
        &sim,
        MGMT,
        "RegisterDelegatedAdministrator",
        json!({"AccountId": member, "ServicePrincipal": CT}),
    );
    let e = err(
        &sim,
        MGMT,
        "RegisterDelegatedAdministrator",
        json!({"AccountId": member, "ServicePrincipal": CT}),
    );
    assert_eq!(e.code, "AccountAlreadyRegisteredException");
    let admins = ok(
        &sim,
        MGMT,
        "ListDelegatedAdministrators",
        json!({"ServicePrincipal": CT}),
    )["DelegatedAdministrators"]
        .clone();
    assert_eq!(admins[0]["Id"], member.as_str());
    assert_eq!(admins[0]["DelegationEnabledDate"], 1704067200.0);
    // A delegated administrator may read the organization's accounts.
    assert_eq!(
        ok(&sim, &member, "ListAccounts", json!({}))["Accounts"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        ok(
            &sim,
            MGMT,
            "ListDelegatedServicesForAccount",
            json!({"AccountId": member})
        )["DelegatedServices"][0]["ServicePrincipal"],
        CT
    );
    let info = sim
        .run_unrecorded(|env| super::organization_of(env, &member))
        .unwrap()
        .unwrap(); // member is in the org
    assert_eq!(info.management_account_id, MGMT);
    assert_eq!(info.trusted_services, vec![CT.to_string()]);
    assert_eq!(
        info.delegated_admins,
        vec![(member.clone(), CT.to_string())]
    );
    assert!(
        info.member_accounts.contains(&member) && info.member_accounts.contains(&MGMT.to_string())
    );
    ok(
        &sim,
        MGMT,
        "DeregisterDelegatedAdministrator",
        json!({"AccountId": member, "ServicePrincipal": CT}),
    );
    let e = err(
        &sim,
        MGMT,
        "DeregisterDelegatedAdministrator",
        json!({"AccountId": member, "ServicePrincipal": CT}),
    );
    assert_eq!(e.code, "AccountNotRegisteredException");
    ok(
        &sim,
        MGMT,
        "DisableAWSServiceAccess",
        json!({"ServicePrincipal": CT}),
    );
    assert_eq!(
        ok(&sim, MGMT, "ListAWSServiceAccessForOrganization", json!({}))["EnabledServicePrincipals"],
        json!([])
    );
}

#[test]
fn consolidated_billing_orgs_refuse_trusted_access_and_policy_types() {
    let (_d, sim) = sim();
    let o = ok(
        &sim,
        MGMT,
        "CreateOrganization",
        json!({"FeatureSet": "CONSOLIDATED_BILLING"}),
    )["Organization"]
        .clone();
    assert_eq!(o["AvailablePolicyTypes"], json!([]));
    assert_eq!(
        err(
            &sim,
            MGMT,
            "EnableAWSServiceAccess",
            json!({"ServicePrincipal": CT})
        )
        .code,
        "ConstraintViolationException"
    );
    let root = ok(&sim, MGMT, "ListRoots", json!({}))["Roots"][0]["Id"].clone();
    let e = err(
        &sim,
        MGMT,
        "EnablePolicyType",
        json!({"RootId": root, "PolicyType": "SERVICE_CONTROL_POLICY"}),
    );
    assert_eq!(e.code, "PolicyTypeNotAvailableForOrganizationException");
}

#[test]
fn policy_types_enable_and_disable() {
    let (_d, sim) = sim();
    ok(&sim, MGMT, "CreateOrganization", json!({}));
    let root = ok(&sim, MGMT, "ListRoots", json!({}))["Roots"][0]["Id"].clone();
    let r = ok(
        &sim,
        MGMT,
        "EnablePolicyType",
        json!({"RootId": root, "PolicyType": "SERVICE_CONTROL_POLICY"}),
    );
    assert_eq!(
        r["Root"]["PolicyTypes"],
        json!([{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}])
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "EnablePolicyType",
            json!({"RootId": root, "PolicyType": "SERVICE_CONTROL_POLICY"})
        )
        .code,
        "PolicyTypeAlreadyEnabledException"
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "EnablePolicyType",
            json!({"RootId": "r-zzzz", "PolicyType": "TAG_POLICY"})
        )
        .code,
        "RootNotFoundException"
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "EnablePolicyType",
            json!({"RootId": root, "PolicyType": "NOPE"})
        )
        .code,
        "InvalidInputException"
    );
    ok(
        &sim,
        MGMT,
        "DisablePolicyType",
        json!({"RootId": root, "PolicyType": "SERVICE_CONTROL_POLICY"}),
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "DisablePolicyType",
            json!({"RootId": root, "PolicyType": "SERVICE_CONTROL_POLICY"})
        )
        .code,
        "PolicyTypeNotEnabledException"
    );
}

#[test]
fn close_remove_and_delete_organization() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    assert_eq!(
        err(&sim, MGMT, "DeleteOrganization", json!({})).code,
        "OrganizationNotEmptyException"
    );
    assert_eq!(
        err(&sim, MGMT, "CloseAccount", json!({"AccountId": MGMT})).code,
        "ConstraintViolationException"
    );
    ok(&sim, MGMT, "CloseAccount", json!({"AccountId": member}));
    assert_eq!(
        ok(&sim, MGMT, "DescribeAccount", json!({"AccountId": member}))["Account"]["Status"],
        "SUSPENDED"
    );
    assert_eq!(
        err(&sim, MGMT, "CloseAccount", json!({"AccountId": member})).code,
        "AccountAlreadyClosedException"
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "RemoveAccountFromOrganization",
            json!({"AccountId": MGMT})
        )
        .code,
        "MasterCannotLeaveOrganizationException"
    );
    ok(
        &sim,
        MGMT,
        "RemoveAccountFromOrganization",
        json!({"AccountId": member}),
    );
    assert_eq!(
        err(&sim, MGMT, "DescribeAccount", json!({"AccountId": member})).code,
        "AccountNotFoundException"
    );
    assert_eq!(
        err(&sim, &member, "DescribeOrganization", json!({})).code,
        "AWSOrganizationsNotInUseException"
    );
    assert_eq!(
        err(&sim, MGMT, "DescribeAccount", json!({"AccountId": "12"})).code,
        "InvalidInputException"
    );
    ok(&sim, MGMT, "DeleteOrganization", json!({}));
    assert_eq!(
        sim.run_unrecorded(|env| super::organization_of(env, MGMT))
            .unwrap(),
        None
    ); // test setup
    ok(&sim, MGMT, "CreateOrganization", json!({}));
}

#[test]
fn organizations_events_are_recorded_in_us_east_1() {
    let (_d, sim) = sim();
    sim.invoke(
        &CallerContext::new(MGMT, "eu-central-1"),
        "organizations",
        "CreateOrganization",
        json!({}),
    )
    .unwrap(); // test setup
    let last = sim.event_records().unwrap().pop().unwrap_or_default(); // test setup
    assert_eq!(
        (last["awsRegion"].clone(), last["eventSource"].clone()),
        (json!("us-east-1"), json!("organizations.amazonaws.com"))
    );
}

#[test]
fn list_parents_names_the_root_and_move_account_has_nowhere_to_go() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    let root = ok(&sim, MGMT, "ListRoots", json!({}))["Roots"][0]["Id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        ok(&sim, MGMT, "ListParents", json!({"ChildId": member})),
        json!({"Parents": [{"Id": root, "Type": "ROOT"}]})
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "ListParents",
            json!({"ChildId": "999999999999"})
        )
        .code,
        "ChildNotFoundException"
    );
    assert_eq!(
        err(&sim, MGMT, "ListParents", json!({"ChildId": "nope"})).code,
        "InvalidInputException"
    );
    assert_eq!(
        err(&sim, &member, "ListParents", json!({"ChildId": member})).code,
        "AccessDeniedException"
    );
    let mv = |src: &str, dst: &str| {
        err(
            &sim,
            MGMT,
            "MoveAccount",
            json!({"AccountId": member, "SourceParentId": src, "DestinationParentId": dst}),
        )
        .code
    };
    assert_eq!(mv(&root, &root), "DuplicateAccountException");
    assert_eq!(
        mv("ou-ab12-abcdefgh", &root),
        "SourceParentNotFoundException"
    );
    assert_eq!(
        mv(&root, "ou-ab12-abcdefgh"),
        "DestinationParentNotFoundException"
    );
}

#[test]
fn account_tags_round_trip() {
    let (_d, sim) = sim();
    let member = org_with_member(&sim);
    let tag = |k: &str, v: &str| json!({"Key": k, "Value": v});
    ok(
        &sim,
        MGMT,
        "TagResource",
        json!({"ResourceId": member, "Tags": [tag("Team", "a"), tag("Env", "dev")]}),
    );
    ok(
        &sim,
        MGMT,
        "TagResource",
        json!({"ResourceId": member, "Tags": [tag("Team", "b")]}),
    );
    ok(
        &sim,
        MGMT,
        "UntagResource",
        json!({"ResourceId": member, "TagKeys": ["Env"]}),
    );
    assert_eq!(
        ok(
            &sim,
            MGMT,
            "ListTagsForResource",
            json!({"ResourceId": member})
        ),
        json!({"Tags": [tag("Team", "b")]})
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "ListTagsForResource",
            json!({"ResourceId": "999999999999"})
        )
        .code,
        "TargetNotFoundException"
    );
    assert_eq!(
        err(
            &sim,
            MGMT,
            "TagResource",
            json!({"ResourceId": member, "Tags": [tag("aws:x", "1")]})
        )
        .code,
        "InvalidInputException"
    );
    assert_eq!(
        err(
            &sim,
            &member,
            "TagResource",
            json!({"ResourceId": member, "Tags": [tag("a", "1")]})
        )
        .code,
        "AccessDeniedException"
    );
}

#[test]
fn create_account_tags_are_listed() {
    let (_d, sim) = sim();
    ok(&sim, MGMT, "CreateOrganization", json!({}));
    let s = ok(
        &sim,
        MGMT,
        "CreateAccount",
        json!({"Email": "a@example.org", "AccountName": "a", "Tags": [{"Key": "K", "Value": "V"}]}),
    );
    let id = s["CreateAccountStatus"]["AccountId"].clone();
    assert_eq!(
        ok(&sim, MGMT, "ListTagsForResource", json!({"ResourceId": id})),
        json!({"Tags": [{"Key": "K", "Value": "V"}]})
    );
}
