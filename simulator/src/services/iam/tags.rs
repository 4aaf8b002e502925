//! Tags of roles, users and managed policies (kept in the shared tags table by ARN).

use super::model::{ListTagsResponse, Tag};
use super::names::{MAX_TAGS, validate_tags};
use crate::error::AwsError;
use crate::services::Env;

/// The tags of a resource, `None` when it has none (IAM leaves `Tags` out then).
pub fn tags_of(env: &Env<'_>, arn: &str) -> Result<Option<Vec<Tag>>, AwsError> {
    let t: Vec<Tag> = env
        .db
        .tags(arn)?
        .into_iter()
        .map(|(key, v)| Tag {
            key,
            value: v.unwrap_or_default(),
        })
        .collect();
    Ok((!t.is_empty()).then_some(t))
}

pub fn check_count(existing: usize, added: usize, quota: &str) -> Result<(), AwsError> {
    if existing + added > MAX_TAGS {
        return Err(AwsError::new(
            "LimitExceeded",
            format!("Cannot exceed quota for {quota}: {MAX_TAGS}."),
            409,
        ));
    }
    Ok(())
}

pub fn add(env: &Env<'_>, arn: &str, tags: &[Tag], quota: &str) -> Result<(), AwsError> {
    validate_tags(tags)?;
    let existing: Vec<String> = env.db.tags(arn)?.into_iter().map(|(k, _)| k).collect();
    let new = tags
        .iter()
        .filter(|t| !existing.iter().any(|k| k.eq_ignore_ascii_case(&t.key)))
        .count();
    check_count(existing.len(), new, quota)?;
    for t in tags {
        // Keys are case-insensitive: an existing key keeps its spelling.
        let key = existing
            .iter()
            .find(|k| k.eq_ignore_ascii_case(&t.key))
            .cloned()
            .unwrap_or_else(|| t.key.clone());
        env.db.put_tag(arn, &key, Some(&t.value))?;
    }
    Ok(())
}

pub fn remove(env: &Env<'_>, arn: &str, keys: &[String]) -> Result<(), AwsError> {
    for (k, _) in env.db.tags(arn)? {
        if keys.iter().any(|r| r.eq_ignore_ascii_case(&k)) {
            env.db.remove_tag(arn, &k)?;
        }
    }
    Ok(())
}

pub fn clear(env: &Env<'_>, arn: &str) -> Result<(), AwsError> {
    for (k, _) in env.db.tags(arn)? {
        env.db.remove_tag(arn, &k)?;
    }
    Ok(())
}

pub fn list(env: &Env<'_>, arn: &str) -> Result<ListTagsResponse, AwsError> {
    Ok(ListTagsResponse {
        tags: tags_of(env, arn)?.unwrap_or_default(),
        is_truncated: false,
    })
}
