//! RegisterOrganizationDelegatedAdmin and DeregisterOrganizationDelegatedAdmin: a member
//! account of the caller's organization made (or no longer) a CloudTrail delegated
//! administrator. The registration lives in Organizations (as on AWS, where CloudTrail calls
//! Organizations' EnableAWSServiceAccess and RegisterDelegatedAdministrator on the caller's
//! behalf), so ListDelegatedAdministrators sees it.

use serde::{Deserialize, Serialize};

use super::EVENT_SOURCE;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::organizations::{self, OrgInfo, model as org_model, org};
use crate::services::{Env, constraint_message};

/// How many CloudTrail delegated administrators an organization may have.
pub const MAX_DELEGATED_ADMINS: usize = 3;

#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterOrganizationDelegatedAdminRequest {
    pub member_account_id: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct DeregisterOrganizationDelegatedAdminRequest {
    pub delegated_admin_account_id: String,
}

/// Both operations answer with an empty body.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
pub struct EmptyResponse {}

fn client(code: &str, message: impl Into<String>) -> AwsError {
    AwsError::client(code, message)
}

/// The model constraint of both account id members: 12 to 16 digits.
fn validate_account_id(id: &str, member: &str) -> Result<(), AwsError> {
    let ok = (12..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(client(
            "InvalidParameterException",
            constraint_message(
                id,
                member,
                "Member must have length between 12 and 16 and satisfy regular expression pattern: \\d+",
            ),
        ))
    }
}

/// The caller's organization, which the caller must manage with all features enabled.
fn managed_org(env: &Env<'_>, ctx: &CallerContext) -> Result<OrgInfo, AwsError> {
    let Some(info) = organizations::organization_of(env, &ctx.account_id)? else {
        return Err(client(
            "OrganizationsNotInUseException",
            "This account is not a member of an organization.",
        ));
    };
    if info.management_account_id != ctx.account_id {
        return Err(client(
            "NotOrganizationManagementAccountException",
            "This operation can be performed only by the management account of an organization.",
        ));
    }
    if info.feature_set != "ALL" {
        return Err(client(
            "OrganizationNotInAllFeaturesModeException",
            "This operation requires that all features are enabled in your organization.",
        ));
    }
    Ok(info)
}

fn is_cloudtrail_admin(info: &OrgInfo, account: &str) -> bool {
    info.delegated_admins
        .iter()
        .any(|(a, sp)| a == account && sp == EVENT_SOURCE)
}

fn account_not_found(account: &str) -> AwsError {
    client(
        "AccountNotFoundException",
        format!("Account {account} is not found or not part of the organization."),
    )
}

pub fn register_organization_delegated_admin(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RegisterOrganizationDelegatedAdminRequest,
) -> Result<EmptyResponse, AwsError> {
    let account = req.member_account_id;
    validate_account_id(&account, "memberAccountId")?;
    let info = managed_org(env, ctx)?;
    if account == info.management_account_id {
        return Err(client(
            "CannotDelegateManagementAccountException",
            "You cannot delegate the management account of the organization as the CloudTrail delegated administrator.",
        ));
    }
    if !info.member_accounts.contains(&account) {
        return Err(account_not_found(&account));
    }
    if is_cloudtrail_admin(&info, &account) {
        return Err(client(
            "AccountRegisteredException",
            format!("Account {account} is already registered as a delegated administrator."),
        ));
    }
    let registered = info
        .delegated_admins
        .iter()
        .filter(|(_, sp)| sp == EVENT_SOURCE)
        .count();
    if registered >= MAX_DELEGATED_ADMINS {
        return Err(client(
            "DelegatedAdminAccountLimitExceededException",
            format!(
                "The organization already has {MAX_DELEGATED_ADMINS} CloudTrail delegated administrators."
            ),
        ));
    }
    org::enable_aws_service_access(
        env,
        ctx,
        org_model::ServicePrincipalRequest {
            service_principal: EVENT_SOURCE.to_string(),
        },
    )?;
    org::register_delegated_administrator(
        env,
        ctx,
        org_model::DelegatedAdministratorRequest {
            account_id: account,
            service_principal: EVENT_SOURCE.to_string(),
        },
    )?;
    Ok(EmptyResponse {})
}

pub fn deregister_organization_delegated_admin(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeregisterOrganizationDelegatedAdminRequest,
) -> Result<EmptyResponse, AwsError> {
    let account = req.delegated_admin_account_id;
    validate_account_id(&account, "delegatedAdminAccountId")?;
    let info = managed_org(env, ctx)?;
    if !info.member_accounts.contains(&account) {
        return Err(account_not_found(&account));
    }
    if !is_cloudtrail_admin(&info, &account) {
        return Err(client(
            "AccountNotRegisteredException",
            format!("Account {account} is not registered as a delegated administrator."),
        ));
    }
    org::deregister_delegated_administrator(
        env,
        ctx,
        org_model::DelegatedAdministratorRequest {
            account_id: account,
            service_principal: EVENT_SOURCE.to_string(),
        },
    )?;
    Ok(EmptyResponse {})
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::{Value, json};

    use crate::{AwsError, CallerContext, Simulator};

    const MGMT: &str = "123456789012";

    fn sim() -> (tempfile::TempDir, Simulator) {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        sim.set_time(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()) // literal date
            .unwrap(); // test setup
        (dir, sim)
    }

    fn call(
        sim: &Simulator,
        who: &str,
        svc: &str,
        op: &str,
        req: Value,
    ) -> Result<Value, AwsError> {
        sim.invoke(&CallerContext::new(who, "us-east-1"), svc, op, req)
    }

    fn code(r: Result<Value, AwsError>) -> String {
        match r {
            Ok(v) => panic!("should fail, got {v}"),
            Err(e) => e.code,
        }
    }

    fn register(sim: &Simulator, who: &str, account: &str) -> Result<Value, AwsError> {
        call(
            sim,
            who,
            "cloudtrail",
            "RegisterOrganizationDelegatedAdmin",
            json!({"MemberAccountId": account}),
        )
    }

    fn deregister(sim: &Simulator, who: &str, account: &str) -> Result<Value, AwsError> {
        call(
            sim,
            who,
            "cloudtrail",
            "DeregisterOrganizationDelegatedAdmin",
            json!({"DelegatedAdminAccountId": account}),
        )
    }

    /// An organization with `feature_set` and one member; returns the member's id.
    fn org(sim: &Simulator, feature_set: &str) -> String {
        call(
            sim,
            MGMT,
            "organizations",
            "CreateOrganization",
            json!({"FeatureSet": feature_set}),
        )
        .unwrap(); // test setup
        let s = call(
            sim,
            MGMT,
            "organizations",
            "CreateAccount",
            json!({"Email": "audit@example.org", "AccountName": "audit"}),
        )
        .unwrap(); // test setup
        s["CreateAccountStatus"]["AccountId"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn register_enables_trusted_access_and_records_the_delegated_admin() {
        let (_d, sim) = sim();
        let member = org(&sim, "ALL");
        assert_eq!(register(&sim, MGMT, &member).unwrap(), json!({}));
        let access = call(
            &sim,
            MGMT,
            "organizations",
            "ListAWSServiceAccessForOrganization",
            json!({}),
        )
        .unwrap();
        assert_eq!(
            access["EnabledServicePrincipals"][0]["ServicePrincipal"],
            "cloudtrail.amazonaws.com"
        );
        let admins = call(
            &sim,
            MGMT,
            "organizations",
            "ListDelegatedAdministrators",
            json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
        )
        .unwrap();
        assert_eq!(admins["DelegatedAdministrators"][0]["Id"], json!(member));
        assert_eq!(
            code(register(&sim, MGMT, &member)),
            "AccountRegisteredException"
        );
        assert_eq!(deregister(&sim, MGMT, &member).unwrap(), json!({}));
        assert_eq!(
            code(deregister(&sim, MGMT, &member)),
            "AccountNotRegisteredException"
        );
    }

    #[test]
    fn register_checks_caller_organization_and_account() {
        let (_d, sim) = sim();
        assert_eq!(
            code(register(&sim, MGMT, "222222222222")),
            "OrganizationsNotInUseException"
        );
        let member = org(&sim, "ALL");
        assert_eq!(
            code(register(&sim, &member, &member)),
            "NotOrganizationManagementAccountException"
        );
        assert_eq!(
            code(register(&sim, MGMT, "222222222222")),
            "AccountNotFoundException"
        );
        assert_eq!(
            code(register(&sim, MGMT, MGMT)),
            "CannotDelegateManagementAccountException"
        );
        assert_eq!(
            code(register(&sim, MGMT, "12ab")),
            "InvalidParameterException"
        );
        assert_eq!(
            code(deregister(&sim, MGMT, "222222222222")),
            "AccountNotFoundException"
        );
    }

    #[test]
    fn consolidated_billing_organizations_are_refused() {
        let (_d, sim) = sim();
        let member = org(&sim, "CONSOLIDATED_BILLING");
        assert_eq!(
            code(register(&sim, MGMT, &member)),
            "OrganizationNotInAllFeaturesModeException"
        );
    }
}
