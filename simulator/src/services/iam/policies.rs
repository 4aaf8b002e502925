//! Managed policies: customer managed policies with versions, the AWS managed catalogue,
//! attachment counts and the entities a policy is attached to.

use super::model::*;
use super::names::{
    MANAGED_POLICY_MAX, PolicyKind, entity_arn, parse_policy_arn, validate_description,
    validate_name, validate_path, validate_policy_document, validate_tags,
};
use super::{GLOBAL, SERVICE, managed, roles, tags, users};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, next_token};
use crate::store::DocKey;

pub const MAX_VERSIONS: usize = 5;

fn no_such_policy(arn: &str) -> AwsError {
    AwsError::client(
        "NoSuchEntity",
        format!("Policy {arn} does not exist or is not attachable."),
    )
}

fn policy_key<'a>(account: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "policy",
        account_id: account,
        region: GLOBAL,
        id,
    }
}

fn find_stored(env: &Env<'_>, account: &str, name: &str) -> Result<Option<StoredPolicy>, AwsError> {
    match env
        .db
        .document(&policy_key(account, &name.to_ascii_lowercase()))?
    {
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt policy {name}: {e}"))),
        None => Ok(None),
    }
}

/// The customer managed policy an ARN names in `account`.
fn load_stored(env: &Env<'_>, account: &str, arn: &str) -> Result<StoredPolicy, AwsError> {
    let (owner, _, name) = parse_policy_arn(arn)?;
    if owner != account {
        return Err(no_such_policy(arn));
    }
    match find_stored(env, account, &name)? {
        Some(p) if p.policy.arn == arn => Ok(p),
        _ => Err(no_such_policy(arn)),
    }
}

fn save_stored(env: &Env<'_>, account: &str, p: &StoredPolicy) -> Result<(), AwsError> {
    let mut stored = p.clone();
    stored.policy.tags = None;
    let body = serde_json::to_value(&stored)
        .map_err(|e| AwsError::internal(format!("cannot store policy: {e}")))?;
    let id = p.policy.policy_name.to_ascii_lowercase();
    env.db
        .put_document(&policy_key(account, &id), &body, clock::to_millis(env.now))?;
    Ok(())
}

/// The roles, users and groups a policy is attached to.
pub(crate) type Attachments = (Vec<PolicyRole>, Vec<PolicyUser>, Vec<PolicyGroup>);

/// The entities of `account` a policy is attached to.
pub(crate) fn attachments(
    env: &Env<'_>,
    account: &str,
    arn: &str,
) -> Result<Attachments, AwsError> {
    let roles = roles::all_roles(env, account)?
        .into_iter()
        .filter(|r| r.attached_policies.iter().any(|a| a == arn))
        .map(|r| PolicyRole {
            role_name: r.role.role_name,
            role_id: r.role.role_id,
        })
        .collect();
    let mut us = Vec::new();
    let mut gs = Vec::new();
    for p in users::all_principals(env, account)? {
        if !p.attached_policies.iter().any(|a| a == arn) {
            continue;
        }
        if let Some(u) = p.user {
            us.push(PolicyUser {
                user_name: u.user_name,
                user_id: u.user_id,
            });
        }
        if let Some(g) = p.group {
            gs.push(PolicyGroup {
                group_name: g.group_name,
                group_id: g.group_id,
            });
        }
    }
    Ok((roles, us, gs))
}

fn attachment_count(env: &Env<'_>, account: &str, arn: &str) -> Result<i64, AwsError> {
    let (r, u, g) = attachments(env, account, arn)?;
    Ok((r.len() + u.len() + g.len()) as i64)
}

/// A managed policy (AWS managed or customer managed in `account`) with its default
/// version and its attachment count in `account`.
pub fn resolve(
    env: &Env<'_>,
    account: &str,
    arn: &str,
) -> Result<(Policy, PolicyVersion), AwsError> {
    let (owner, _, _) = parse_policy_arn(arn)?;
    let (mut policy, version) = if owner == "aws" {
        managed::lookup(arn).ok_or_else(|| no_such_policy(arn))?
    } else {
        let p = load_stored(env, account, arn)?;
        let v = p
            .versions
            .iter()
            .find(|v| v.is_default_version)
            .cloned()
            .ok_or_else(|| AwsError::internal(format!("policy {arn} has no default version")))?;
        (p.policy, v)
    };
    policy.attachment_count = attachment_count(env, account, arn)?;
    if owner != "aws" {
        policy.tags = tags::tags_of(env, arn)?;
    }
    Ok((policy, version))
}

/// `AttachedPolicies` entries for a list of ARNs (the name is the ARN's last segment).
pub(crate) fn attached_list(arns: &[String]) -> Result<ListAttachedPoliciesResponse, AwsError> {
    let attached_policies = arns
        .iter()
        .map(|a| {
            let (_, _, name) = parse_policy_arn(a)?;
            Ok(AttachedPolicy {
                policy_name: name,
                policy_arn: a.clone(),
            })
        })
        .collect::<Result<_, AwsError>>()?;
    Ok(ListAttachedPoliciesResponse {
        attached_policies,
        is_truncated: false,
    })
}

pub fn create_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreatePolicyRequest,
) -> Result<PolicyResponse, AwsError> {
    validate_name(&req.policy_name, "policyName", 128)?;
    let path = req.path.unwrap_or_else(|| "/".to_string());
    validate_path(&path, "path")?;
    if let Some(d) = &req.description {
        validate_description(d, "description")?;
    }
    validate_policy_document(
        &req.policy_document,
        PolicyKind::Identity,
        MANAGED_POLICY_MAX,
    )?;
    let tag_list = req.tags.unwrap_or_default();
    validate_tags(&tag_list)?;
    tags::check_count(0, tag_list.len(), "TagsPerPolicy")?;
    if find_stored(env, &ctx.account_id, &req.policy_name)?.is_some() {
        return Err(AwsError::new(
            "EntityAlreadyExists",
            format!(
                "A policy called {} already exists. Duplicate names are not allowed.",
                req.policy_name
            ),
            409,
        ));
    }
    let now = clock::to_epoch_seconds(env.now);
    let arn = entity_arn(&ctx.account_id, "policy", &path, &req.policy_name);
    let policy = Policy {
        policy_name: req.policy_name,
        policy_id: format!("ANPA{}", next_token(env, "iam-policy", 17)?),
        arn: arn.clone(),
        path,
        default_version_id: "v1".to_string(),
        attachment_count: 0,
        permissions_boundary_usage_count: 0,
        is_attachable: true,
        description: req.description,
        create_date: now,
        update_date: now,
        tags: None,
    };
    let stored = StoredPolicy {
        policy: policy.clone(),
        versions: vec![PolicyVersion {
            document: Some(req.policy_document),
            version_id: "v1".to_string(),
            is_default_version: true,
            create_date: now,
        }],
        next_version: 2,
    };
    save_stored(env, &ctx.account_id, &stored)?;
    for t in &tag_list {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    // CreatePolicy's response leaves out Description (as AWS does) but includes tags.
    let mut out = policy;
    out.description = None;
    out.tags = tags::tags_of(env, &arn)?;
    Ok(PolicyResponse { policy: out })
}

pub fn get_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyArnRequest,
) -> Result<PolicyResponse, AwsError> {
    let (policy, _) = resolve(env, &ctx.account_id, &req.policy_arn)?;
    Ok(PolicyResponse { policy })
}

/// Fails with `DeleteConflict` while attached or while it has non-default versions.
pub fn delete_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyArnRequest,
) -> Result<EmptyResponse, AwsError> {
    let (owner, _, _) = parse_policy_arn(&req.policy_arn)?;
    if owner == "aws" {
        return Err(AwsError::new(
            "AccessDenied",
            format!("Cannot delete the AWS managed policy {}.", req.policy_arn),
            403,
        ));
    }
    let p = load_stored(env, &ctx.account_id, &req.policy_arn)?;
    if attachment_count(env, &ctx.account_id, &p.policy.arn)? > 0 {
        return Err(AwsError::new(
            "DeleteConflict",
            "Cannot delete a policy attached to entities.",
            409,
        ));
    }
    if p.versions.len() > 1 {
        return Err(AwsError::new(
            "DeleteConflict",
            "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
            409,
        ));
    }
    tags::clear(env, &p.policy.arn)?;
    env.db.delete_document(&policy_key(
        &ctx.account_id,
        &p.policy.policy_name.to_ascii_lowercase(),
    ))?;
    Ok(EmptyResponse {})
}

fn no_such_version(arn: &str, v: &str) -> AwsError {
    AwsError::client(
        "NoSuchEntity",
        format!("Policy {arn} version {v} does not exist or is not attachable."),
    )
}

pub fn get_policy_version(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyVersionRequest,
) -> Result<PolicyVersionResponse, AwsError> {
    let (owner, _, _) = parse_policy_arn(&req.policy_arn)?;
    let version = if owner == "aws" {
        let (_, v) =
            managed::lookup(&req.policy_arn).ok_or_else(|| no_such_policy(&req.policy_arn))?;
        (v.version_id == req.version_id).then_some(v)
    } else {
        let p = load_stored(env, &ctx.account_id, &req.policy_arn)?;
        p.versions
            .into_iter()
            .find(|v| v.version_id == req.version_id)
    };
    let policy_version =
        version.ok_or_else(|| no_such_version(&req.policy_arn, &req.version_id))?;
    Ok(PolicyVersionResponse { policy_version })
}

fn customer_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    arn: &str,
) -> Result<StoredPolicy, AwsError> {
    let (owner, _, _) = parse_policy_arn(arn)?;
    if owner == "aws" {
        return Err(AwsError::new(
            "AccessDenied",
            format!("Cannot modify the AWS managed policy {arn}."),
            403,
        ));
    }
    load_stored(env, &ctx.account_id, arn)
}

pub fn create_policy_version(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreatePolicyVersionRequest,
) -> Result<PolicyVersionResponse, AwsError> {
    let mut p = customer_policy(env, ctx, &req.policy_arn)?;
    validate_policy_document(
        &req.policy_document,
        PolicyKind::Identity,
        MANAGED_POLICY_MAX,
    )?;
    if p.versions.len() >= MAX_VERSIONS {
        return Err(AwsError::new(
            "LimitExceeded",
            "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
            409,
        ));
    }
    let now = clock::to_epoch_seconds(env.now);
    let id = format!("v{}", p.next_version);
    p.next_version += 1;
    let default = req.set_as_default.unwrap_or(false);
    if default {
        for v in &mut p.versions {
            v.is_default_version = false;
        }
        p.policy.default_version_id = id.clone();
    }
    let v = PolicyVersion {
        document: Some(req.policy_document),
        version_id: id,
        is_default_version: default,
        create_date: now,
    };
    p.versions.push(v.clone());
    p.policy.update_date = now;
    save_stored(env, &ctx.account_id, &p)?;
    // The response carries no document.
    Ok(PolicyVersionResponse {
        policy_version: PolicyVersion {
            document: None,
            ..v
        },
    })
}

pub fn delete_policy_version(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyVersionRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut p = customer_policy(env, ctx, &req.policy_arn)?;
    let Some(i) = p
        .versions
        .iter()
        .position(|v| v.version_id == req.version_id)
    else {
        return Err(no_such_version(&req.policy_arn, &req.version_id));
    };
    if p.versions[i].is_default_version {
        return Err(AwsError::new(
            "DeleteConflict",
            "Cannot delete the default version of a policy.",
            409,
        ));
    }
    p.versions.remove(i);
    save_stored(env, &ctx.account_id, &p)?;
    Ok(EmptyResponse {})
}

pub fn set_default_policy_version(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyVersionRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut p = customer_policy(env, ctx, &req.policy_arn)?;
    if !p.versions.iter().any(|v| v.version_id == req.version_id) {
        return Err(no_such_version(&req.policy_arn, &req.version_id));
    }
    for v in &mut p.versions {
        v.is_default_version = v.version_id == req.version_id;
    }
    p.policy.default_version_id = req.version_id;
    p.policy.update_date = clock::to_epoch_seconds(env.now);
    save_stored(env, &ctx.account_id, &p)?;
    Ok(EmptyResponse {})
}

/// Versions newest first, without documents (as AWS lists them).
pub fn list_policy_versions(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyArnRequest,
) -> Result<ListPolicyVersionsResponse, AwsError> {
    let (owner, _, _) = parse_policy_arn(&req.policy_arn)?;
    let mut versions = if owner == "aws" {
        let (_, v) =
            managed::lookup(&req.policy_arn).ok_or_else(|| no_such_policy(&req.policy_arn))?;
        vec![v]
    } else {
        load_stored(env, &ctx.account_id, &req.policy_arn)?.versions
    };
    versions.reverse();
    for v in &mut versions {
        v.document = None;
    }
    Ok(ListPolicyVersionsResponse {
        versions,
        is_truncated: false,
    })
}

/// `Scope` All (default), AWS or Local; `OnlyAttached`; `PathPrefix`.
pub fn list_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, AwsError> {
    let scope = req.scope.as_deref().unwrap_or("All");
    if !["All", "AWS", "Local"].contains(&scope) {
        return Err(super::names::validation(
            crate::services::constraint_message(
                scope,
                "scope",
                "Member must satisfy enum value set: [All, AWS, Local]",
            ),
        ));
    }
    let prefix = req.path_prefix.unwrap_or_else(|| "/".to_string());
    let mut out = Vec::new();
    if scope != "Local" {
        for (mut p, _) in managed::all() {
            p.attachment_count = attachment_count(env, &ctx.account_id, &p.arn)?;
            out.push(p);
        }
    }
    if scope != "AWS" {
        for d in env
            .db
            .documents(SERVICE, "policy", Some(&ctx.account_id), Some(GLOBAL))?
        {
            let sp: StoredPolicy = serde_json::from_value(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt policy {}: {e}", d.id)))?;
            let mut p = sp.policy;
            p.attachment_count = attachment_count(env, &ctx.account_id, &p.arn)?;
            out.push(p);
        }
    }
    out.retain(|p| {
        p.path.starts_with(&prefix)
            && (!req.only_attached.unwrap_or(false) || p.attachment_count > 0)
    });
    Ok(ListPoliciesResponse {
        policies: out,
        is_truncated: false,
    })
}

pub fn list_entities_for_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListEntitiesForPolicyRequest,
) -> Result<ListEntitiesForPolicyResponse, AwsError> {
    resolve(env, &ctx.account_id, &req.policy_arn)?;
    let (mut r, mut u, mut g) = attachments(env, &ctx.account_id, &req.policy_arn)?;
    match req.entity_filter.as_deref() {
        None => {}
        Some("Role") => {
            u.clear();
            g.clear();
        }
        Some("User") => {
            r.clear();
            g.clear();
        }
        Some("Group") => {
            r.clear();
            u.clear();
        }
        Some(other) => {
            return Err(super::names::validation(
                crate::services::constraint_message(
                    other,
                    "entityFilter",
                    "Member must satisfy enum value set: [LocalManagedPolicy, Group, Role, User, AWSManagedPolicy]",
                ),
            ));
        }
    }
    Ok(ListEntitiesForPolicyResponse {
        policy_groups: g,
        policy_users: u,
        policy_roles: r,
        is_truncated: false,
    })
}

pub fn tag_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let p = customer_policy(env, ctx, &req.policy_arn)?;
    tags::add(env, &p.policy.arn, &req.tags, "TagsPerPolicy")?;
    Ok(EmptyResponse {})
}

pub fn untag_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let p = customer_policy(env, ctx, &req.policy_arn)?;
    tags::remove(env, &p.policy.arn, &req.tag_keys)?;
    Ok(EmptyResponse {})
}

pub fn list_policy_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyArnRequest,
) -> Result<ListTagsResponse, AwsError> {
    let p = customer_policy(env, ctx, &req.policy_arn)?;
    tags::list(env, &p.policy.arn)
}
