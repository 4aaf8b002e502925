//! TagResource, UntagResource and ListTagsForResource on topics, with SNS's limits.

use std::collections::BTreeSet;

use super::model::*;
use super::topics::{invalid_parameter, parse_topic_arn};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

pub const MAX_TAGS: usize = 50;

fn resource_not_found() -> AwsError {
    AwsError::new("ResourceNotFound", "Resource does not exist", 404)
}

/// Keys 1-128 characters, values up to 256, no `aws:` prefix, no duplicates, at most 50.
pub fn validate_tags(tags: &[Tag]) -> Result<(), AwsError> {
    if tags.len() > MAX_TAGS {
        return Err(tag_limit());
    }
    let mut keys = BTreeSet::new();
    for t in tags {
        let klen = t.key.chars().count();
        if klen == 0 || klen > 128 || t.value.chars().count() > 256 {
            return Err(invalid_parameter("Tags"));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid_parameter(
                "Tags Reason: Tag keys must not start with aws:",
            ));
        }
        if !keys.insert(t.key.as_str()) {
            return Err(invalid_parameter("Tags Reason: Duplicate tag keys"));
        }
    }
    Ok(())
}

fn tag_limit() -> AwsError {
    AwsError::client(
        "TagLimitExceeded",
        "Could not complete request: tag quota of per resource exceeded",
    )
}

/// The ARN of an existing topic of the caller's account and region.
fn tagged_topic(env: &Env<'_>, ctx: &CallerContext, arn: &str) -> Result<String, AwsError> {
    let p = parse_topic_arn(arn).ok_or_else(|| invalid_parameter("ResourceArn"))?;
    if p.region != ctx.region {
        return Err(invalid_parameter("ResourceArn"));
    }
    if p.account_id != ctx.account_id {
        return Err(AwsError::new(
            "AuthorizationError",
            format!(
                "User: {} is not authorized to perform: SNS:TagResource on resource: {arn}",
                ctx.principal.arn
            ),
            403,
        ));
    }
    let doc = super::topics::load(env, &p.account_id, &p.region, &p.name)?
        .ok_or_else(resource_not_found)?;
    Ok(doc.arn)
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<Empty, AwsError> {
    let arn = tagged_topic(env, ctx, &req.resource_arn)?;
    validate_tags(&req.tags)?;
    let mut keys: BTreeSet<String> = env.db.tags(&arn)?.into_iter().map(|(k, _)| k).collect();
    keys.extend(req.tags.iter().map(|t| t.key.clone()));
    if keys.len() > MAX_TAGS {
        return Err(tag_limit());
    }
    for t in &req.tags {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(Empty {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<Empty, AwsError> {
    let arn = tagged_topic(env, ctx, &req.resource_arn)?;
    for k in &req.tag_keys {
        env.db.remove_tag(&arn, k)?;
    }
    Ok(Empty {})
}

pub fn list_tags_for_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, AwsError> {
    let arn = tagged_topic(env, ctx, &req.resource_arn)?;
    Ok(ListTagsForResourceResponse {
        tags: env
            .db
            .tags(&arn)?
            .into_iter()
            .map(|(key, value)| Tag {
                key,
                value: value.unwrap_or_default(),
            })
            .collect(),
    })
}
