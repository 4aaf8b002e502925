//! TagResource, UntagResource and ListTagsForResource on alarms (the CloudWatch resource
//! this simulator has), kept in the store's tag table under the alarm ARN.

use std::collections::BTreeSet;

use super::alarms;
use super::errors::*;
use super::model::*;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

pub const MAX_TAGS: usize = 50;

/// Keys 1-128 characters not starting with `aws:`, values up to 256, each key once, at
/// most 50.
pub fn validate(tags: &[Tag]) -> Result<(), AwsError> {
    if tags.len() > MAX_TAGS {
        return Err(too_many());
    }
    let mut keys = BTreeSet::new();
    for t in tags {
        check_length(&t.key, "tags.member.key", 1, 128)?;
        check_length(&t.value, "tags.member.value", 0, 256)?;
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid_value(format!(
                "Invalid tag key {}: keys beginning with aws: are reserved.",
                t.key
            )));
        }
        if !keys.insert(t.key.as_str()) {
            return Err(invalid_value(format!("Duplicate tag key: {}", t.key)));
        }
    }
    Ok(())
}

fn too_many() -> AwsError {
    AwsError::client(
        "LimitExceededException",
        format!("A resource can have no more than {MAX_TAGS} tags."),
    )
}

fn not_found(arn: &str) -> AwsError {
    AwsError::new(
        "ResourceNotFoundException",
        format!("The resource {arn} does not exist."),
        404,
    )
}

/// The ARN of an existing alarm of the caller's account and region.
fn tagged_alarm(
    env: &Env<'_>,
    ctx: &CallerContext,
    arn: &Option<String>,
) -> Result<String, AwsError> {
    let arn = required(arn, "ResourceARN")?;
    check_length(arn, "resourceARN", 1, 1024)?;
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let [lit, partition, service, region, account, kind, name] = parts.as_slice() else {
        return Err(bad_value(arn, "ResourceARN"));
    };
    if *lit != "arn" || !partition.starts_with("aws") || *service != "cloudwatch" {
        return Err(bad_value(arn, "ResourceARN"));
    }
    if *kind != "alarm" || *region != ctx.region || *account != ctx.account_id {
        return Err(not_found(arn));
    }
    let doc = alarms::load(env, account, region, name)?.ok_or_else(|| not_found(arn))?;
    Ok(doc.alarm.alarm_arn)
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<Empty, AwsError> {
    let tags = req.tags.clone().ok_or_else(|| missing("Tags"))?;
    let arn = tagged_alarm(env, ctx, &req.resource_arn)?;
    validate(&tags)?;
    let mut keys: BTreeSet<String> = env.db.tags(&arn)?.into_iter().map(|(k, _)| k).collect();
    keys.extend(tags.iter().map(|t| t.key.clone()));
    if keys.len() > MAX_TAGS {
        return Err(too_many());
    }
    for t in &tags {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(Empty {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<Empty, AwsError> {
    let keys = req.tag_keys.clone().ok_or_else(|| missing("TagKeys"))?;
    let arn = tagged_alarm(env, ctx, &req.resource_arn)?;
    for k in &keys {
        env.db.remove_tag(&arn, k)?;
    }
    Ok(Empty {})
}

pub fn list_tags_for_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, AwsError> {
    let arn = tagged_alarm(env, ctx, &req.resource_arn)?;
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
