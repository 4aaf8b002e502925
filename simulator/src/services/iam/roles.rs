//! Roles: create, read, update, delete; inline policies; attached managed policies; tags.

use super::model::*;
use super::names::{
    INLINE_ROLE_POLICY_MAX, PolicyKind, TRUST_POLICY_MAX, entity_arn, validate_description,
    validate_max_session_duration, validate_name, validate_path, validate_policy_document,
    validate_tags,
};
use super::{GLOBAL, SERVICE, policies, tags};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, next_token};
use crate::store::DocKey;

/// Managed policies attachable to one role (the default quota).
pub const MAX_ATTACHED_POLICIES: usize = 10;

fn no_such_role(name: &str) -> AwsError {
    AwsError::client(
        "NoSuchEntity",
        format!("The role with name {name} cannot be found."),
    )
}

fn role_key<'a>(account: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "role",
        account_id: account,
        region: GLOBAL,
        id,
    }
}

/// Loads a role by name (names are case-insensitive in IAM).
pub(crate) fn find_role(
    env: &Env<'_>,
    account: &str,
    name: &str,
) -> Result<Option<StoredRole>, AwsError> {
    let id = name.to_ascii_lowercase();
    match env.db.document(&role_key(account, &id))? {
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt role {name}: {e}"))),
        None => Ok(None),
    }
}

pub(crate) fn load_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    name: &str,
) -> Result<StoredRole, AwsError> {
    validate_name(name, "roleName", 64)?;
    find_role(env, &ctx.account_id, name)?.ok_or_else(|| no_such_role(name))
}

pub(crate) fn save_role(env: &Env<'_>, account: &str, r: &StoredRole) -> Result<(), AwsError> {
    let mut stored = r.clone();
    // Tags live in the tags table; RoleLastUsed is computed.
    stored.role.tags = None;
    stored.role.role_last_used = None;
    let body = serde_json::to_value(&stored)
        .map_err(|e| AwsError::internal(format!("cannot store role: {e}")))?;
    let id = r.role.role_name.to_ascii_lowercase();
    env.db
        .put_document(&role_key(account, &id), &body, clock::to_millis(env.now))?;
    Ok(())
}

/// Every role of an account, by name.
pub(crate) fn all_roles(env: &Env<'_>, account: &str) -> Result<Vec<StoredRole>, AwsError> {
    env.db
        .documents(SERVICE, "role", Some(account), Some(GLOBAL))?
        .into_iter()
        .map(|d| {
            serde_json::from_value(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt role {}: {e}", d.id)))
        })
        .collect()
}

/// The role as GetRole returns it: with its tags (if any) and `RoleLastUsed`.
fn with_tags(env: &Env<'_>, mut role: Role) -> Result<Role, AwsError> {
    role.tags = tags::tags_of(env, &role.arn)?;
    Ok(role)
}

pub fn create_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateRoleRequest,
) -> Result<RoleResponse, AwsError> {
    validate_name(&req.role_name, "roleName", 64)?;
    let path = req.path.unwrap_or_else(|| "/".to_string());
    validate_path(&path, "path")?;
    if let Some(d) = &req.description {
        validate_description(d, "description")?;
    }
    let max = req.max_session_duration.unwrap_or(3600);
    validate_max_session_duration(max)?;
    validate_policy_document(
        &req.assume_role_policy_document,
        PolicyKind::Trust,
        TRUST_POLICY_MAX,
    )?;
    let tag_list = req.tags.unwrap_or_default();
    validate_tags(&tag_list)?;
    tags::check_count(0, tag_list.len(), "TagsPerRole")?;
    if let Some(b) = &req.permissions_boundary {
        policies::resolve(env, &ctx.account_id, b)?;
    }
    if find_role(env, &ctx.account_id, &req.role_name)?.is_some() {
        return Err(AwsError::client(
            "EntityAlreadyExists",
            format!("Role with name {} already exists.", req.role_name),
        ));
    }
    let arn = entity_arn(&ctx.account_id, "role", &path, &req.role_name);
    let role = Role {
        path,
        role_name: req.role_name,
        role_id: format!("AROA{}", next_token(env, "iam-role", 17)?),
        arn: arn.clone(),
        create_date: clock::to_epoch_seconds(env.now),
        assume_role_policy_document: Some(req.assume_role_policy_document),
        description: req.description,
        max_session_duration: Some(max),
        permissions_boundary: req
            .permissions_boundary
            .map(|b| AttachedPermissionsBoundary {
                permissions_boundary_type: Some("Policy".to_string()),
                permissions_boundary_arn: Some(b),
            }),
        tags: None,
        role_last_used: None,
    };
    save_role(
        env,
        &ctx.account_id,
        &StoredRole {
            role: role.clone(),
            ..Default::default()
        },
    )?;
    for t in &tag_list {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(RoleResponse {
        role: with_tags(env, role)?,
    })
}

pub fn get_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RoleNameRequest,
) -> Result<RoleResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    let mut role = with_tags(env, r.role)?;
    role.role_last_used = Some(serde_json::json!({}));
    Ok(RoleResponse { role })
}

/// Fails with `DeleteConflict` while the role has attached or inline policies.
pub fn delete_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RoleNameRequest,
) -> Result<EmptyResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    if !r.attached_policies.is_empty() {
        return Err(AwsError::new(
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first.",
            409,
        ));
    }
    if !r.inline_policies.is_empty() {
        return Err(AwsError::new(
            "DeleteConflict",
            "Cannot delete entity, must delete policies first.",
            409,
        ));
    }
    tags::clear(env, &r.role.arn)?;
    env.db.delete_document(&role_key(
        &ctx.account_id,
        &r.role.role_name.to_ascii_lowercase(),
    ))?;
    Ok(EmptyResponse {})
}

pub fn update_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateRoleRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut r = load_role(env, ctx, &req.role_name)?;
    if let Some(d) = req.description {
        validate_description(&d, "description")?;
        r.role.description = Some(d);
    }
    if let Some(m) = req.max_session_duration {
        validate_max_session_duration(m)?;
        r.role.max_session_duration = Some(m);
    }
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

pub fn update_role_description(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateRoleDescriptionRequest,
) -> Result<RoleResponse, AwsError> {
    validate_description(&req.description, "description")?;
    let mut r = load_role(env, ctx, &req.role_name)?;
    r.role.description = Some(req.description);
    save_role(env, &ctx.account_id, &r)?;
    Ok(RoleResponse {
        role: with_tags(env, r.role)?,
    })
}

pub fn update_assume_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateAssumeRolePolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut r = load_role(env, ctx, &req.role_name)?;
    validate_policy_document(&req.policy_document, PolicyKind::Trust, TRUST_POLICY_MAX)?;
    r.role.assume_role_policy_document = Some(req.policy_document);
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

/// Roles by name; ListRoles leaves out tags and RoleLastUsed, as AWS does.
pub fn list_roles(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListRolesRequest,
) -> Result<ListRolesResponse, AwsError> {
    let prefix = req.path_prefix.unwrap_or_else(|| "/".to_string());
    let roles = all_roles(env, &ctx.account_id)?
        .into_iter()
        .map(|r| r.role)
        .filter(|r| r.path.starts_with(&prefix))
        .collect();
    Ok(ListRolesResponse {
        roles,
        is_truncated: false,
    })
}

// ---- inline policies ----

pub fn put_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutRolePolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_name(&req.policy_name, "policyName", 128)?;
    let mut r = load_role(env, ctx, &req.role_name)?;
    validate_policy_document(
        &req.policy_document,
        PolicyKind::Identity,
        INLINE_ROLE_POLICY_MAX,
    )?;
    let others: usize = r
        .inline_policies
        .iter()
        .filter(|(n, _)| **n != req.policy_name)
        .map(|(_, d)| d.chars().count())
        .sum();
    if others + req.policy_document.chars().count() > INLINE_ROLE_POLICY_MAX {
        return Err(AwsError::client(
            "LimitExceeded",
            format!(
                "Maximum policy size of {INLINE_ROLE_POLICY_MAX} bytes exceeded for role {}",
                r.role.role_name
            ),
        ));
    }
    r.inline_policies
        .insert(req.policy_name, req.policy_document);
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

fn no_such_role_policy(name: &str) -> AwsError {
    AwsError::client(
        "NoSuchEntity",
        format!("The role policy with name {name} cannot be found."),
    )
}

pub fn get_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RolePolicyRequest,
) -> Result<GetRolePolicyResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    let doc = r
        .inline_policies
        .get(&req.policy_name)
        .ok_or_else(|| no_such_role_policy(&req.policy_name))?;
    Ok(GetRolePolicyResponse {
        role_name: r.role.role_name.clone(),
        policy_name: req.policy_name,
        policy_document: doc.clone(),
    })
}

pub fn delete_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RolePolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut r = load_role(env, ctx, &req.role_name)?;
    r.inline_policies
        .remove(&req.policy_name)
        .ok_or_else(|| no_such_role_policy(&req.policy_name))?;
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

pub fn list_role_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RoleNameRequest,
) -> Result<ListPolicyNamesResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    Ok(ListPolicyNamesResponse {
        policy_names: r.inline_policies.keys().cloned().collect(),
        is_truncated: false,
    })
}

// ---- attached managed policies ----

pub fn attach_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachRolePolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut r = load_role(env, ctx, &req.role_name)?;
    let (p, _) = policies::resolve(env, &ctx.account_id, &req.policy_arn)?;
    if r.attached_policies.contains(&p.arn) {
        return Ok(EmptyResponse {});
    }
    if r.attached_policies.len() >= MAX_ATTACHED_POLICIES {
        return Err(AwsError::new(
            "LimitExceeded",
            format!("Cannot exceed quota for PoliciesPerRole: {MAX_ATTACHED_POLICIES}"),
            409,
        ));
    }
    r.attached_policies.push(p.arn);
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

pub fn detach_role_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachRolePolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut r = load_role(env, ctx, &req.role_name)?;
    super::names::parse_policy_arn(&req.policy_arn)?;
    let before = r.attached_policies.len();
    r.attached_policies.retain(|a| *a != req.policy_arn);
    if r.attached_policies.len() == before {
        return Err(AwsError::client(
            "NoSuchEntity",
            format!("Policy {} was not found.", req.policy_arn),
        ));
    }
    save_role(env, &ctx.account_id, &r)?;
    Ok(EmptyResponse {})
}

pub fn list_attached_role_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RoleNameRequest,
) -> Result<ListAttachedPoliciesResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    policies::attached_list(&r.attached_policies)
}

// ---- tags ----

pub fn tag_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagRoleRequest,
) -> Result<EmptyResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    tags::add(env, &r.role.arn, &req.tags, "TagsPerRole")?;
    Ok(EmptyResponse {})
}

pub fn untag_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagRoleRequest,
) -> Result<EmptyResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    tags::remove(env, &r.role.arn, &req.tag_keys)?;
    Ok(EmptyResponse {})
}

pub fn list_role_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RoleNameRequest,
) -> Result<ListTagsResponse, AwsError> {
    let r = load_role(env, ctx, &req.role_name)?;
    tags::list(env, &r.role.arn)
}
