//! TagResource, UntagResource and ListTagsForResource on rules, and the tag checks PutRule
//! shares. Tags live in the store's tag table under the rule ARN.

use std::collections::BTreeSet;

use super::errors::{constraint, limit_exceeded, rule_not_found, validation};
use super::model::*;
use super::rules::{self, parse_rule_arn};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// Tags per resource.
pub const MAX_TAGS: usize = 50;

/// Keys 1-128 characters, values up to 256, no `aws:` prefix, at most 50 in one request.
pub fn validate(tags: &[Tag]) -> Result<(), AwsError> {
    if tags.len() > MAX_TAGS {
        return Err(limit_exceeded());
    }
    for t in tags {
        let key_len = t.key.chars().count();
        if key_len == 0 || key_len > 128 {
            return Err(validation(constraint(
                &t.key,
                "tags.member.key",
                "Member must have length between 1 and 128",
            )));
        }
        if t.value.chars().count() > 256 {
            return Err(validation(constraint(
                &t.value,
                "tags.member.value",
                "Member must have length less than or equal to 256",
            )));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(validation(
                "Invalid tag key: keys prefixed with 'aws:' are reserved for use by AWS.",
            ));
        }
    }
    Ok(())
}

/// Adds or overwrites tags, within the per-resource limit.
pub fn add(env: &Env<'_>, arn: &str, tags: &[Tag]) -> Result<(), AwsError> {
    let mut keys: BTreeSet<String> = env.db.tags(arn)?.into_iter().map(|(k, _)| k).collect();
    keys.extend(tags.iter().map(|t| t.key.clone()));
    if keys.len() > MAX_TAGS {
        return Err(limit_exceeded());
    }
    for t in tags {
        env.db.put_tag(arn, &t.key, Some(&t.value))?;
    }
    Ok(())
}

/// Drops every tag of a deleted rule.
pub fn remove_all(env: &Env<'_>, arn: &str) -> Result<(), AwsError> {
    for (key, _) in env.db.tags(arn)? {
        env.db.remove_tag(arn, &key)?;
    }
    Ok(())
}

/// The ARN of an existing rule of the caller's account and region.
fn tagged_rule(env: &Env<'_>, ctx: &CallerContext, arn: &str) -> Result<String, AwsError> {
    if arn.is_empty() || arn.chars().count() > 1600 {
        return Err(validation(constraint(
            arn,
            "resourceARN",
            "Member must have length between 1 and 1600",
        )));
    }
    let Some((region, account, bus, name)) = parse_rule_arn(arn) else {
        return Err(validation(format!("Parameter {arn} is not valid.")));
    };
    if region != ctx.region || account != ctx.account_id {
        return Err(rule_not_found(&name, &bus));
    }
    let bus = super::buses::Bus {
        name: bus,
        account,
        region,
    };
    match rules::load(env, &bus, &name)? {
        Some(rule) => Ok(rule.arn),
        None => Err(rule_not_found(&name, &bus.name)),
    }
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<Empty, AwsError> {
    let arn = tagged_rule(env, ctx, &req.resource_arn)?;
    validate(&req.tags)?;
    add(env, &arn, &req.tags)?;
    Ok(Empty {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<Empty, AwsError> {
    let arn = tagged_rule(env, ctx, &req.resource_arn)?;
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
    let arn = tagged_rule(env, ctx, &req.resource_arn)?;
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
