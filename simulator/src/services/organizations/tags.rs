//! TagResource, UntagResource and ListTagsForResource on accounts and the root (the
//! taggable resources this simulator has), keyed in the tag store by the resource ARN.

use super::model::*;
use super::org::{account_arn, client, invalid_input, management_only, membership, reader};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// Tags a resource may carry.
pub const MAX_TAGS: usize = 50;

fn target_not_found() -> AwsError {
    client(
        "TargetNotFoundException",
        "We can't find a root, OU, account, or policy with the TargetId that you specified.",
    )
}

/// The ARN of the account or root a `ResourceId` names in the caller's organization.
fn resource_arn(
    env: &Env<'_>,
    org: &StoredOrganization,
    resource_id: &str,
) -> Result<String, AwsError> {
    let o = &org.organization;
    if resource_id.len() == 12 && resource_id.bytes().all(|b| b.is_ascii_digit()) {
        return match membership(env, resource_id)? {
            Some(m) if m.organization_id == o.id => {
                Ok(account_arn(&o.master_account_id, &o.id, resource_id))
            }
            _ => Err(target_not_found()),
        };
    }
    if resource_id == org.root.id {
        return Ok(org.root.arn.clone());
    }
    let known_prefix = ["r-", "ou-", "p-"]
        .iter()
        .any(|p| resource_id.starts_with(p));
    if known_prefix {
        Err(target_not_found())
    } else {
        Err(invalid_input(format!(
            "You specified an invalid value for resourceId: {resource_id} (INVALID_PATTERN)."
        )))
    }
}

fn validate_tag(key: &str, value: &str) -> Result<(), AwsError> {
    let key_len = key.chars().count();
    if key_len == 0 || key_len > 128 || value.chars().count() > 256 {
        return Err(invalid_input(format!(
            "You specified an invalid value for tag: {key} (INVALID_INPUT)."
        )));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(invalid_input(
            "You specified a tag key with the reserved prefix aws: (INVALID_SYSTEM_TAGS_PARAMETER).",
        ));
    }
    Ok(())
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let org = management_only(env, ctx)?;
    let arn = resource_arn(env, &org, &req.resource_id)?;
    for t in &req.tags {
        validate_tag(&t.key, &t.value)?;
    }
    let existing = env.db.tags(&arn)?;
    let new_keys = req
        .tags
        .iter()
        .filter(|t| !existing.iter().any(|(k, _)| *k == t.key))
        .count();
    if existing.len() + new_keys > MAX_TAGS {
        return Err(client(
            "TooManyTagsException",
            format!(
                "You have exceeded the maximum number of tags ({MAX_TAGS}) allowed on this resource."
            ),
        ));
    }
    for t in &req.tags {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(EmptyResponse {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let org = management_only(env, ctx)?;
    let arn = resource_arn(env, &org, &req.resource_id)?;
    for k in &req.tag_keys {
        env.db.remove_tag(&arn, k)?;
    }
    Ok(EmptyResponse {})
}

pub fn list_tags_for_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ResourceIdRequest,
) -> Result<ListTagsResponse, AwsError> {
    let org = reader(env, ctx)?;
    let arn = resource_arn(env, &org, &req.resource_id)?;
    let tags = env
        .db
        .tags(&arn)?
        .into_iter()
        .map(|(key, value)| Tag {
            key,
            value: value.unwrap_or_default(),
        })
        .collect();
    Ok(ListTagsResponse { tags })
}
