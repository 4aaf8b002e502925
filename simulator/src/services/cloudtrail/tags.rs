//! AddTags, RemoveTags and ListTags on trails, with AWS's limits.

use super::model::*;
use super::names::parse_trail_arn;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::TrailRow;

pub const MAX_TAGS: usize = 50;
pub const MAX_KEY_LENGTH: usize = 128;
pub const MAX_VALUE_LENGTH: usize = 256;

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidTagParameterException", message)
}

/// Letters, separators (spaces), numbers and `_ . : / = + - @`.
fn allowed_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

/// Checks keys and values. `for_add` also refuses the reserved `aws:` prefix.
pub fn validate_tags(tags: &[Tag], for_add: bool) -> Result<(), AwsError> {
    let mut keys = std::collections::BTreeSet::new();
    for t in tags {
        let klen = t.key.chars().count();
        if klen == 0 || klen > MAX_KEY_LENGTH {
            return Err(invalid(format!(
                "Tag key must be from 1 to {MAX_KEY_LENGTH} characters long; got {klen} characters."
            )));
        }
        if !t.key.chars().all(allowed_char) {
            return Err(invalid(format!(
                "Tag key {} does not match the regular expression ^([\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*)$.",
                t.key
            )));
        }
        if for_add && t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid(format!(
                "Tag key {} uses the reserved prefix aws:.",
                t.key
            )));
        }
        if let Some(v) = &t.value {
            let vlen = v.chars().count();
            if vlen > MAX_VALUE_LENGTH {
                return Err(invalid(format!(
                    "Tag value for key {} must be at most {MAX_VALUE_LENGTH} characters long; got {vlen} characters.",
                    t.key
                )));
            }
            if !v.chars().all(allowed_char) {
                return Err(invalid(format!(
                    "Tag value for key {} does not match the regular expression ^([\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*)$.",
                    t.key
                )));
            }
        }
        if for_add && !keys.insert(t.key.as_str()) {
            return Err(invalid(format!(
                "Tag key {} is specified more than once.",
                t.key
            )));
        }
    }
    Ok(())
}

/// Fails with `TagsLimitExceededException` when `existing` plus `added` exceeds 50 keys.
pub fn check_limit(existing: &[String], added: &[Tag]) -> Result<(), AwsError> {
    let mut keys: std::collections::BTreeSet<&str> = existing.iter().map(String::as_str).collect();
    keys.extend(added.iter().map(|t| t.key.as_str()));
    if keys.len() > MAX_TAGS {
        return Err(AwsError::client(
            "TagsLimitExceededException",
            format!(
                "The number of tags per trail, event data store, or channel has exceeded the permitted amount. Currently, the limit is {MAX_TAGS}."
            ),
        ));
    }
    Ok(())
}

fn not_found(arn: &str) -> AwsError {
    AwsError::client(
        "ResourceNotFoundException",
        format!("Resource {arn} not found."),
    )
}

/// The trail a tagging call names; `home_only` for changes.
fn tagged_trail(
    env: &Env<'_>,
    ctx: &CallerContext,
    resource_id: &str,
    home_only: bool,
) -> Result<TrailRow, AwsError> {
    let arn = parse_trail_arn(resource_id)?;
    if arn.account_id != ctx.account_id {
        return Err(not_found(resource_id));
    }
    let row = env
        .db
        .trail_by_arn(&arn.to_string())?
        .ok_or_else(|| not_found(resource_id))?;
    if row.region != ctx.region {
        if !row.multi_region {
            return Err(not_found(resource_id));
        }
        if home_only {
            return Err(AwsError::client(
                "OperationNotPermittedException",
                format!(
                    "Tags of trail {} can only be changed from its home region, {}.",
                    row.arn, row.region
                ),
            ));
        }
    }
    Ok(row)
}

/// The ARN of the resource a tagging call names: a trail or an event data store.
fn tagged_arn(
    env: &Env<'_>,
    ctx: &CallerContext,
    resource_id: &str,
    home_only: bool,
) -> Result<String, AwsError> {
    if resource_id.contains(":eventdatastore/") {
        return super::event_data_stores::resolve(env, ctx, resource_id)
            .map(|e| e.row.arn)
            .map_err(|_| not_found(resource_id));
    }
    Ok(tagged_trail(env, ctx, resource_id, home_only)?.arn)
}

pub fn add_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AddTagsRequest,
) -> Result<AddTagsResponse, AwsError> {
    let arn = tagged_arn(env, ctx, &req.resource_id, true)?;
    validate_tags(&req.tags_list, true)?;
    let existing: Vec<String> = env.db.tags(&arn)?.into_iter().map(|(k, _)| k).collect();
    check_limit(&existing, &req.tags_list)?;
    for t in &req.tags_list {
        env.db.put_tag(&arn, &t.key, t.value.as_deref())?;
    }
    Ok(AddTagsResponse {})
}

pub fn remove_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RemoveTagsRequest,
) -> Result<RemoveTagsResponse, AwsError> {
    let arn = tagged_arn(env, ctx, &req.resource_id, true)?;
    validate_tags(&req.tags_list, false)?;
    for t in &req.tags_list {
        env.db.remove_tag(&arn, &t.key)?;
    }
    Ok(RemoveTagsResponse {})
}

pub fn list_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTagsRequest,
) -> Result<ListTagsResponse, AwsError> {
    if req.resource_id_list.is_empty() {
        return Err(AwsError::client(
            "InvalidParameterException",
            "ResourceIdList must contain at least one resource ARN.",
        ));
    }
    if let Some(tok) = &req.next_token
        && super::trails::decode_offset_token("tags", tok).is_none()
    {
        return Err(super::trails::invalid_next_token());
    }
    let mut out = Vec::new();
    for id in &req.resource_id_list {
        let arn = tagged_arn(env, ctx, id, false)?;
        let tags = env
            .db
            .tags(&arn)?
            .into_iter()
            .map(|(key, value)| Tag { key, value })
            .collect();
        out.push(ResourceTag {
            resource_id: Some(id.clone()),
            tags_list: Some(tags),
        });
    }
    Ok(ListTagsResponse {
        resource_tag_list: out,
        next_token: None,
    })
}
