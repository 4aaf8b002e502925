//! The IAM service (global: documents are stored with region "" and calls are recorded in
//! us-east-1): roles with trust and inline policies, customer managed policies with
//! versions, a catalogue of AWS managed policies, minimal users and groups, and tags.

pub mod managed;
pub mod model;
pub mod names;
pub mod policies;
pub mod roles;
pub mod tags;
pub mod users;

use serde_json::Value;

use super::{Env, parse_request, to_compact_response};
use crate::context::CallerContext;
use crate::error::AwsError;

pub use policies::{
    create_policy, create_policy_version, delete_policy, delete_policy_version, get_policy,
    get_policy_version, list_entities_for_policy, list_policies, list_policy_tags,
    list_policy_versions, set_default_policy_version, tag_policy, untag_policy,
};
pub use roles::{
    attach_role_policy, create_role, delete_role, delete_role_policy, detach_role_policy, get_role,
    get_role_policy, list_attached_role_policies, list_role_policies, list_role_tags, list_roles,
    put_role_policy, tag_role, untag_role, update_assume_role_policy, update_role,
    update_role_description,
};
pub use users::{
    attach_group_policy, attach_user_policy, create_group, create_user, delete_group, delete_user,
    detach_group_policy, detach_user_policy, get_group, get_user, list_attached_group_policies,
    list_attached_user_policies, list_user_tags, tag_user, untag_user,
};

pub const EVENT_SOURCE: &str = "iam.amazonaws.com";
pub(crate) const SERVICE: &str = "iam";
/// IAM is global: its documents have no region.
pub(crate) const GLOBAL: &str = "";

/// The operations this simulator implements.
pub const OPERATIONS: &[&str] = &[
    "AttachGroupPolicy",
    "AttachRolePolicy",
    "AttachUserPolicy",
    "CreateGroup",
    "CreatePolicy",
    "CreatePolicyVersion",
    "CreateRole",
    "CreateUser",
    "DeleteGroup",
    "DeletePolicy",
    "DeletePolicyVersion",
    "DeleteRole",
    "DeleteRolePolicy",
    "DeleteUser",
    "DetachGroupPolicy",
    "DetachRolePolicy",
    "DetachUserPolicy",
    "GetGroup",
    "GetPolicy",
    "GetPolicyVersion",
    "GetRole",
    "GetRolePolicy",
    "GetUser",
    "ListAttachedGroupPolicies",
    "ListAttachedRolePolicies",
    "ListAttachedUserPolicies",
    "ListEntitiesForPolicy",
    "ListPolicies",
    "ListPolicyTags",
    "ListPolicyVersions",
    "ListRolePolicies",
    "ListRoleTags",
    "ListRoles",
    "ListUserTags",
    "PutRolePolicy",
    "SetDefaultPolicyVersion",
    "TagPolicy",
    "TagRole",
    "TagUser",
    "UntagPolicy",
    "UntagRole",
    "UntagUser",
    "UpdateAssumeRolePolicy",
    "UpdateRole",
    "UpdateRoleDescription",
];

/// Runs one IAM operation on a JSON request.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    req: &Value,
) -> Result<Value, AwsError> {
    // IAM answers NoSuchEntity with HTTP 404 (the IAM API reference's status for it).
    dispatch_op(env, ctx, operation, req).map_err(|mut e| {
        if e.code == "NoSuchEntity" {
            e.http_status = 404;
        }
        e
    })
}

fn dispatch_op(
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
        "AttachGroupPolicy" => op!(attach_group_policy),
        "AttachRolePolicy" => op!(attach_role_policy),
        "AttachUserPolicy" => op!(attach_user_policy),
        "CreateGroup" => op!(create_group),
        "CreatePolicy" => op!(create_policy),
        "CreatePolicyVersion" => op!(create_policy_version),
        "CreateRole" => op!(create_role),
        "CreateUser" => op!(create_user),
        "DeleteGroup" => op!(delete_group),
        "DeletePolicy" => op!(delete_policy),
        "DeletePolicyVersion" => op!(delete_policy_version),
        "DeleteRole" => op!(delete_role),
        "DeleteRolePolicy" => op!(delete_role_policy),
        "DeleteUser" => op!(delete_user),
        "DetachGroupPolicy" => op!(detach_group_policy),
        "DetachRolePolicy" => op!(detach_role_policy),
        "DetachUserPolicy" => op!(detach_user_policy),
        "GetGroup" => op!(get_group),
        "GetPolicy" => op!(get_policy),
        "GetPolicyVersion" => op!(get_policy_version),
        "GetRole" => op!(get_role),
        "GetRolePolicy" => op!(get_role_policy),
        "GetUser" => op!(get_user),
        "ListAttachedGroupPolicies" => op!(list_attached_group_policies),
        "ListAttachedRolePolicies" => op!(list_attached_role_policies),
        "ListAttachedUserPolicies" => op!(list_attached_user_policies),
        "ListEntitiesForPolicy" => op!(list_entities_for_policy),
        "ListPolicies" => op!(list_policies),
        "ListPolicyTags" => op!(list_policy_tags),
        "ListPolicyVersions" => op!(list_policy_versions),
        "ListRolePolicies" => op!(list_role_policies),
        "ListRoleTags" => op!(list_role_tags),
        "ListRoles" => op!(list_roles),
        "ListUserTags" => op!(list_user_tags),
        "PutRolePolicy" => op!(put_role_policy),
        "SetDefaultPolicyVersion" => op!(set_default_policy_version),
        "TagPolicy" => op!(tag_policy),
        "TagRole" => op!(tag_role),
        "TagUser" => op!(tag_user),
        "UntagPolicy" => op!(untag_policy),
        "UntagRole" => op!(untag_role),
        "UntagUser" => op!(untag_user),
        "UpdateAssumeRolePolicy" => op!(update_assume_role_policy),
        "UpdateRole" => op!(update_role),
        "UpdateRoleDescription" => op!(update_role_description),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

/// IAM's read-only operations.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List"].iter().any(|p| operation.starts_with(p))
}

/// What CloudTrail needs to know about a role (its check of the CloudWatch Logs role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    pub arn: String,
    pub name: String,
    pub account: String,
    /// The trust (assume role) policy document, JSON text.
    pub trust_policy: String,
    /// Inline policies: (name, document).
    pub inline_policies: Vec<(String, String)>,
    /// The default version documents of the attached managed policies.
    pub attached_policy_documents: Vec<String>,
}

/// The role an ARN (`arn:aws:iam::A:role/path/name`) names; `Ok(None)` when the ARN is not a
/// role ARN or no such role exists (the path must match too).
pub fn role_by_arn(env: &Env<'_>, arn: &str) -> Result<Option<RoleInfo>, AwsError> {
    let Some(rest) = arn.strip_prefix("arn:") else {
        return Ok(None);
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    if parts.len() != 5 || !parts[0].starts_with("aws") || parts[1] != "iam" || !parts[2].is_empty()
    {
        return Ok(None);
    }
    let account = parts[3];
    let Some(res) = parts[4].strip_prefix("role/") else {
        return Ok(None);
    };
    let name = res.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return Ok(None);
    }
    let Some(r) = roles::find_role(env, account, name)? else {
        return Ok(None);
    };
    if r.role.arn != arn {
        return Ok(None);
    }
    let mut docs = Vec::new();
    for a in &r.attached_policies {
        // A policy deleted meanwhile contributes nothing.
        if let Ok((_, v)) = policies::resolve(env, account, a) {
            docs.extend(v.document);
        }
    }
    Ok(Some(RoleInfo {
        arn: r.role.arn,
        name: r.role.role_name,
        account: account.to_string(),
        trust_policy: r.role.assume_role_policy_document.unwrap_or_default(),
        inline_policies: r.inline_policies.into_iter().collect(),
        attached_policy_documents: docs,
    }))
}

#[cfg(test)]
mod tests;
