//! TagResource, UntagResource and ListResourceTags on keys.

use super::keys::caller_key;
use super::model::*;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

pub const MAX_TAGS: usize = 50;

fn tag_error(message: String) -> AwsError {
    AwsError::client("TagException", message)
}

/// Keys 1-128 characters without the reserved `aws:` prefix, values up to 256 characters.
pub fn validate_tags(tags: &[Tag]) -> Result<(), AwsError> {
    for t in tags {
        let n = t.tag_key.chars().count();
        if n == 0 || n > 128 {
            return Err(tag_error(format!(
                "Tag key must be between 1 and 128 characters: {}",
                t.tag_key
            )));
        }
        if t.tag_key.to_ascii_lowercase().starts_with("aws:") {
            return Err(tag_error(
                "Tags beginning with aws: are reserved".to_string(),
            ));
        }
        if t.tag_value.chars().count() > 256 {
            return Err(tag_error(format!(
                "Tag value for key {} must be at most 256 characters",
                t.tag_key
            )));
        }
    }
    Ok(())
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, false)?;
    validate_tags(&req.tags)?;
    let arn = &key.key_metadata.arn;
    let mut keys: std::collections::BTreeSet<String> =
        env.db.tags(arn)?.into_iter().map(|(k, _)| k).collect();
    keys.extend(req.tags.iter().map(|t| t.tag_key.clone()));
    if keys.len() > MAX_TAGS {
        return Err(AwsError::client(
            "LimitExceededException",
            format!("The number of tags on a KMS key cannot exceed {MAX_TAGS}."),
        ));
    }
    for t in &req.tags {
        env.db.put_tag(arn, &t.tag_key, Some(&t.tag_value))?;
    }
    Ok(EmptyResponse {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, false)?;
    for k in &req.tag_keys {
        env.db.remove_tag(&key.key_metadata.arn, k)?;
    }
    Ok(EmptyResponse {})
}

pub fn list_resource_tags(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListResourceTagsRequest,
) -> Result<ListResourceTagsResponse, AwsError> {
    let key = caller_key(env, ctx, &req.key_id, false)?;
    let tags = env
        .db
        .tags(&key.key_metadata.arn)?
        .into_iter()
        .map(|(k, v)| Tag {
            tag_key: k,
            tag_value: v.unwrap_or_default(),
        })
        .collect();
    Ok(ListResourceTagsResponse {
        tags,
        truncated: false,
    })
}
