//! Users and groups, modelled minimally: enough for `aws_iam_policy_attachment` and
//! `aws_iam_user`/`aws_iam_group` (create, read, delete, attached policies, user tags).

use serde::Deserialize;

use super::model::*;
use super::names::{entity_arn, validate_name, validate_path, validate_tags};
use super::{GLOBAL, SERVICE, policies, tags};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, next_token};
use crate::store::DocKey;

/// Managed policies attachable to one user or group (the default quota).
pub const MAX_ATTACHED_POLICIES: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Group,
}

impl Kind {
    fn doc_kind(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
        }
    }
}

fn key<'a>(kind: Kind, account: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: kind.doc_kind(),
        account_id: account,
        region: GLOBAL,
        id,
    }
}

fn find(
    env: &Env<'_>,
    kind: Kind,
    account: &str,
    name: &str,
) -> Result<Option<StoredPrincipal>, AwsError> {
    match env
        .db
        .document(&key(kind, account, &name.to_ascii_lowercase()))?
    {
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt {} {name}: {e}", kind.label()))),
        None => Ok(None),
    }
}

fn load(
    env: &Env<'_>,
    kind: Kind,
    ctx: &CallerContext,
    name: &str,
) -> Result<StoredPrincipal, AwsError> {
    let (member, max) = match kind {
        Kind::User => ("userName", 64),
        Kind::Group => ("groupName", 128),
    };
    validate_name(name, member, max)?;
    find(env, kind, &ctx.account_id, name)?.ok_or_else(|| {
        AwsError::client(
            "NoSuchEntity",
            format!("The {} with name {name} cannot be found.", kind.label()),
        )
    })
}

fn name_of(p: &StoredPrincipal) -> String {
    p.user
        .as_ref()
        .map(|u| u.user_name.clone())
        .or_else(|| p.group.as_ref().map(|g| g.group_name.clone()))
        .unwrap_or_default()
}

fn arn_of(p: &StoredPrincipal) -> String {
    p.user
        .as_ref()
        .map(|u| u.arn.clone())
        .or_else(|| p.group.as_ref().map(|g| g.arn.clone()))
        .unwrap_or_default()
}

fn save(env: &Env<'_>, kind: Kind, account: &str, p: &StoredPrincipal) -> Result<(), AwsError> {
    let mut stored = p.clone();
    if let Some(u) = &mut stored.user {
        u.tags = None;
    }
    let body = serde_json::to_value(&stored)
        .map_err(|e| AwsError::internal(format!("cannot store {}: {e}", kind.label())))?;
    let id = name_of(p).to_ascii_lowercase();
    env.db
        .put_document(&key(kind, account, &id), &body, clock::to_millis(env.now))?;
    Ok(())
}

/// Every user and group of an account.
pub(crate) fn all_principals(
    env: &Env<'_>,
    account: &str,
) -> Result<Vec<StoredPrincipal>, AwsError> {
    let mut out = Vec::new();
    for kind in ["user", "group"] {
        for d in env
            .db
            .documents(SERVICE, kind, Some(account), Some(GLOBAL))?
        {
            out.push(
                serde_json::from_value(d.body)
                    .map_err(|e| AwsError::internal(format!("corrupt {kind} {}: {e}", d.id)))?,
            );
        }
    }
    Ok(out)
}

fn delete(env: &Env<'_>, kind: Kind, ctx: &CallerContext, name: &str) -> Result<(), AwsError> {
    let p = load(env, kind, ctx, name)?;
    if !p.attached_policies.is_empty() {
        return Err(AwsError::new(
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first.",
            409,
        ));
    }
    tags::clear(env, &arn_of(&p))?;
    env.db.delete_document(&key(
        kind,
        &ctx.account_id,
        &name_of(&p).to_ascii_lowercase(),
    ))?;
    Ok(())
}

fn attach(
    env: &Env<'_>,
    kind: Kind,
    ctx: &CallerContext,
    name: &str,
    arn: &str,
) -> Result<EmptyResponse, AwsError> {
    let mut p = load(env, kind, ctx, name)?;
    let (policy, _) = policies::resolve(env, &ctx.account_id, arn)?;
    if p.attached_policies.contains(&policy.arn) {
        return Ok(EmptyResponse {});
    }
    if p.attached_policies.len() >= MAX_ATTACHED_POLICIES {
        let quota = match kind {
            Kind::User => "PoliciesPerUser",
            Kind::Group => "PoliciesPerGroup",
        };
        return Err(AwsError::new(
            "LimitExceeded",
            format!("Cannot exceed quota for {quota}: {MAX_ATTACHED_POLICIES}"),
            409,
        ));
    }
    p.attached_policies.push(policy.arn);
    save(env, kind, &ctx.account_id, &p)?;
    Ok(EmptyResponse {})
}

fn detach(
    env: &Env<'_>,
    kind: Kind,
    ctx: &CallerContext,
    name: &str,
    arn: &str,
) -> Result<EmptyResponse, AwsError> {
    let mut p = load(env, kind, ctx, name)?;
    super::names::parse_policy_arn(arn)?;
    let before = p.attached_policies.len();
    p.attached_policies.retain(|a| a != arn);
    if p.attached_policies.len() == before {
        return Err(AwsError::client(
            "NoSuchEntity",
            format!("Policy {arn} was not found."),
        ));
    }
    save(env, kind, &ctx.account_id, &p)?;
    Ok(EmptyResponse {})
}

pub fn create_user(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateUserRequest,
) -> Result<UserResponse, AwsError> {
    validate_name(&req.user_name, "userName", 64)?;
    let path = req.path.unwrap_or_else(|| "/".to_string());
    validate_path(&path, "path")?;
    let tag_list = req.tags.unwrap_or_default();
    validate_tags(&tag_list)?;
    tags::check_count(0, tag_list.len(), "TagsPerUser")?;
    if find(env, Kind::User, &ctx.account_id, &req.user_name)?.is_some() {
        return Err(AwsError::new(
            "EntityAlreadyExists",
            format!("User with name {} already exists.", req.user_name),
            409,
        ));
    }
    let arn = entity_arn(&ctx.account_id, "user", &path, &req.user_name);
    let user = User {
        path,
        user_name: req.user_name,
        user_id: format!("AIDA{}", next_token(env, "iam-user", 17)?),
        arn: arn.clone(),
        create_date: clock::to_epoch_seconds(env.now),
        tags: None,
    };
    let p = StoredPrincipal {
        user: Some(user.clone()),
        ..Default::default()
    };
    save(env, Kind::User, &ctx.account_id, &p)?;
    for t in &tag_list {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(UserResponse {
        user: User {
            tags: tags::tags_of(env, &arn)?,
            ..user
        },
    })
}

/// GetUser's `UserName` is optional: without it, the caller's own user.
#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserRequest {
    pub user_name: Option<String>,
}

pub fn get_user(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetUserRequest,
) -> Result<UserResponse, AwsError> {
    let name = match req.user_name {
        Some(n) => n,
        None => match &ctx.principal.user_name {
            Some(n) if find(env, Kind::User, &ctx.account_id, n)?.is_none() => {
                // The simulator's default caller exists without having been created.
                return Ok(UserResponse {
                    user: User {
                        path: "/".to_string(),
                        user_name: n.clone(),
                        user_id: ctx.principal.principal_id.clone(),
                        arn: ctx.principal.arn.clone(),
                        create_date: 0.0,
                        tags: None,
                    },
                });
            }
            Some(n) => n.clone(),
            None => {
                return Err(super::names::validation(
                    "Must specify userName when calling with non-User credentials".to_string(),
                ));
            }
        },
    };
    let p = load(env, Kind::User, ctx, &name)?;
    let user = p
        .user
        .ok_or_else(|| AwsError::internal("user document without user"))?;
    let tags = tags::tags_of(env, &user.arn)?;
    Ok(UserResponse {
        user: User { tags, ..user },
    })
}

pub fn delete_user(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UserNameRequest,
) -> Result<EmptyResponse, AwsError> {
    delete(env, Kind::User, ctx, &req.user_name)?;
    Ok(EmptyResponse {})
}

pub fn create_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateGroupRequest,
) -> Result<CreateGroupResponse, AwsError> {
    validate_name(&req.group_name, "groupName", 128)?;
    let path = req.path.unwrap_or_else(|| "/".to_string());
    validate_path(&path, "path")?;
    if find(env, Kind::Group, &ctx.account_id, &req.group_name)?.is_some() {
        return Err(AwsError::new(
            "EntityAlreadyExists",
            format!("Group with name {} already exists.", req.group_name),
            409,
        ));
    }
    let group = Group {
        arn: entity_arn(&ctx.account_id, "group", &path, &req.group_name),
        path,
        group_name: req.group_name,
        group_id: format!("AGPA{}", next_token(env, "iam-group", 17)?),
        create_date: clock::to_epoch_seconds(env.now),
    };
    let p = StoredPrincipal {
        group: Some(group.clone()),
        ..Default::default()
    };
    save(env, Kind::Group, &ctx.account_id, &p)?;
    Ok(CreateGroupResponse { group })
}

/// Group membership is not modelled: `Users` is always empty.
pub fn get_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GroupNameRequest,
) -> Result<GetGroupResponse, AwsError> {
    let p = load(env, Kind::Group, ctx, &req.group_name)?;
    let group = p
        .group
        .ok_or_else(|| AwsError::internal("group document without group"))?;
    Ok(GetGroupResponse {
        group,
        users: Vec::new(),
        is_truncated: false,
    })
}

pub fn delete_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GroupNameRequest,
) -> Result<EmptyResponse, AwsError> {
    delete(env, Kind::Group, ctx, &req.group_name)?;
    Ok(EmptyResponse {})
}

pub fn attach_user_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachUserPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    attach(env, Kind::User, ctx, &req.user_name, &req.policy_arn)
}

pub fn detach_user_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachUserPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    detach(env, Kind::User, ctx, &req.user_name, &req.policy_arn)
}

pub fn list_attached_user_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UserNameRequest,
) -> Result<ListAttachedPoliciesResponse, AwsError> {
    let p = load(env, Kind::User, ctx, &req.user_name)?;
    policies::attached_list(&p.attached_policies)
}

pub fn attach_group_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachGroupPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    attach(env, Kind::Group, ctx, &req.group_name, &req.policy_arn)
}

pub fn detach_group_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AttachGroupPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    detach(env, Kind::Group, ctx, &req.group_name, &req.policy_arn)
}

pub fn list_attached_group_policies(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GroupNameRequest,
) -> Result<ListAttachedPoliciesResponse, AwsError> {
    let p = load(env, Kind::Group, ctx, &req.group_name)?;
    policies::attached_list(&p.attached_policies)
}

pub fn tag_user(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagUserRequest,
) -> Result<EmptyResponse, AwsError> {
    let p = load(env, Kind::User, ctx, &req.user_name)?;
    tags::add(env, &arn_of(&p), &req.tags, "TagsPerUser")?;
    Ok(EmptyResponse {})
}

pub fn untag_user(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagUserRequest,
) -> Result<EmptyResponse, AwsError> {
    let p = load(env, Kind::User, ctx, &req.user_name)?;
    tags::remove(env, &arn_of(&p), &req.tag_keys)?;
    Ok(EmptyResponse {})
}

pub fn list_user_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UserNameRequest,
) -> Result<ListTagsResponse, AwsError> {
    let p = load(env, Kind::User, ctx, &req.user_name)?;
    tags::list(env, &arn_of(&p))
}
