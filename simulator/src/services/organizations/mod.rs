//! The AWS Organizations service (global): one organization per management account, its
//! member accounts (created with CreateAccount), trusted service access, delegated
//! administrators and policy types. Permissions follow the caller's account.

pub mod hierarchy;
pub mod model;
pub mod org;
pub mod tags;

use serde_json::Value;

use super::{Env, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use hierarchy::{list_parents, move_account};
pub use org::{
    close_account, create_account, create_organization, delete_organization,
    deregister_delegated_administrator, describe_account, describe_create_account_status,
    describe_organization, disable_aws_service_access, disable_policy_type,
    enable_aws_service_access, enable_policy_type, list_accounts,
    list_aws_service_access_for_organization, list_delegated_administrators,
    list_delegated_services_for_account, list_roots, register_delegated_administrator,
    remove_account_from_organization,
};
pub use tags::{list_tags_for_resource, tag_resource, untag_resource};

pub const EVENT_SOURCE: &str = "organizations.amazonaws.com";
pub(crate) const SERVICE: &str = "organizations";
pub(crate) const GLOBAL: &str = "";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "CloseAccount",
    "CreateAccount",
    "CreateOrganization",
    "DeleteOrganization",
    "DeregisterDelegatedAdministrator",
    "DescribeAccount",
    "DescribeCreateAccountStatus",
    "DescribeOrganization",
    "DisableAWSServiceAccess",
    "DisablePolicyType",
    "EnableAWSServiceAccess",
    "EnablePolicyType",
    "ListAWSServiceAccessForOrganization",
    "ListAccounts",
    "ListDelegatedAdministrators",
    "ListDelegatedServicesForAccount",
    "ListParents",
    "ListRoots",
    "ListTagsForResource",
    "MoveAccount",
    "RegisterDelegatedAdministrator",
    "RemoveAccountFromOrganization",
    "TagResource",
    "UntagResource",
];

/// Runs one Organizations operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    macro_rules! op {
        ($f:path) => {
            to_compact_response(&$f(env, ctx, parse_request(req)?)?)
        };
    }
    match operation {
        "CloseAccount" => op!(close_account),
        "CreateAccount" => op!(create_account),
        "CreateOrganization" => op!(create_organization),
        "DeleteOrganization" => op!(delete_organization),
        "DeregisterDelegatedAdministrator" => op!(deregister_delegated_administrator),
        "DescribeAccount" => op!(describe_account),
        "DescribeCreateAccountStatus" => op!(describe_create_account_status),
        "DescribeOrganization" => op!(describe_organization),
        "DisableAWSServiceAccess" => op!(disable_aws_service_access),
        "DisablePolicyType" => op!(disable_policy_type),
        "EnableAWSServiceAccess" => op!(enable_aws_service_access),
        "EnablePolicyType" => op!(enable_policy_type),
        "ListAWSServiceAccessForOrganization" => op!(list_aws_service_access_for_organization),
        "ListAccounts" => op!(list_accounts),
        "ListDelegatedAdministrators" => op!(list_delegated_administrators),
        "ListDelegatedServicesForAccount" => op!(list_delegated_services_for_account),
        "ListParents" => op!(list_parents),
        "ListRoots" => op!(list_roots),
        "ListTagsForResource" => op!(list_tags_for_resource),
        "MoveAccount" => op!(move_account),
        "RegisterDelegatedAdministrator" => op!(register_delegated_administrator),
        "RemoveAccountFromOrganization" => op!(remove_account_from_organization),
        "TagResource" => op!(tag_resource),
        "UntagResource" => op!(untag_resource),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// Organizations' read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Describe", "List"]
        .iter()
        .any(|p| operation.starts_with(p))
}

/// What CloudTrail needs to know about an account's organization (organization trails,
/// trusted access, delegated administrators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInfo {
    pub id: String,
    pub arn: String,
    pub management_account_id: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: String,
    /// Every account of the organization, the management account included, by id.
    pub member_accounts: Vec<String>,
    /// Service principals with trusted access (e.g. `cloudtrail.amazonaws.com`).
    pub trusted_services: Vec<String>,
    /// (account id, service principal) registrations.
    pub delegated_admins: Vec<(String, String)>,
}

/// The organization `account_id` belongs to, if any.
pub fn organization_of(env: &Env<'_>, account_id: &str) -> Result<Option<OrgInfo>, AwsError> {
    let Some(m) = org::membership(env, account_id)? else {
        return Ok(None);
    };
    let o = org::load_org(env, &m.management_account_id, &m.organization_id)?;
    let mut member_accounts: Vec<String> = org::members(env, &m.organization_id)?
        .into_iter()
        .map(|m| m.account.id)
        .collect();
    member_accounts.sort();
    Ok(Some(OrgInfo {
        id: o.organization.id,
        arn: o.organization.arn,
        management_account_id: o.organization.master_account_id,
        feature_set: o.organization.feature_set,
        member_accounts,
        trusted_services: o
            .trusted_services
            .into_iter()
            .map(|s| s.service_principal)
            .collect(),
        delegated_admins: o
            .delegations
            .into_iter()
            .map(|d| (d.account_id, d.service_principal))
            .collect(),
    }))
}

#[cfg(test)]
mod tests;
