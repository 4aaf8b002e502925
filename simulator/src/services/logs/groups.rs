//! Log groups: create, delete, describe, retention, KMS association and tags.

use super::model::*;
use super::{SERVICE, group_arn, group_arn_star};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message, kms};
use crate::store::DocKey;

/// The retention periods CloudWatch Logs accepts, in days.
pub const RETENTION_DAYS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];
pub const LOG_GROUP_CLASSES: &[&str] = &["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];
pub const MAX_TAGS: usize = 50;

pub(crate) fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

pub(crate) fn group_not_found() -> AwsError {
    AwsError::client(
        "ResourceNotFoundException",
        "The specified log group does not exist.",
    )
}

/// 1-512 characters of `[\.\-_/#A-Za-z0-9]`.
pub fn validate_group_name(name: &str) -> Result<(), AwsError> {
    if name.is_empty() || name.len() > 512 {
        let c = if name.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 512"
        };
        return Err(invalid(constraint_message(name, "logGroupName", c)));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/#".contains(c))
    {
        return Err(invalid(constraint_message(
            name,
            "logGroupName",
            "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        )));
    }
    Ok(())
}

pub fn validate_retention(days: i64) -> Result<(), AwsError> {
    if RETENTION_DAYS.contains(&days) {
        return Ok(());
    }
    let set: Vec<String> = RETENTION_DAYS.iter().map(|d| d.to_string()).collect();
    Err(invalid(constraint_message(
        &days.to_string(),
        "retentionInDays",
        &format!("Member must satisfy enum value set: [{}]", set.join(", ")),
    )))
}

fn allowed_tag_char(c: char) -> bool {
    c.is_alphanumeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
}

pub fn validate_tags(tags: &Tags) -> Result<(), AwsError> {
    for (k, v) in tags {
        let n = k.chars().count();
        if n == 0 || n > 128 || !k.chars().all(allowed_tag_char) {
            return Err(invalid(constraint_message(
                k,
                "tags",
                "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]",
            )));
        }
        if k.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid(format!(
                "Tag keys beginning with aws: are reserved: {k}"
            )));
        }
        if v.chars().count() > 256 || !v.chars().all(allowed_tag_char) {
            return Err(invalid(constraint_message(
                v,
                "tags",
                "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]",
            )));
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(too_many_tags());
    }
    Ok(())
}

fn too_many_tags() -> AwsError {
    AwsError::client(
        "TooManyTagsException",
        format!("A resource can have no more than {MAX_TAGS} tags."),
    )
}

pub(crate) fn group_key<'a>(account: &'a str, region: &'a str, name: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "group",
        account_id: account,
        region,
        id: name,
    }
}

pub(crate) fn find_group(
    env: &Env<'_>,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<LogGroup>, AwsError> {
    match env.db.document(&group_key(account, region, name))? {
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt log group {name}: {e}"))),
        None => Ok(None),
    }
}

pub(crate) fn load_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    name: &str,
) -> Result<LogGroup, AwsError> {
    validate_group_name(name)?;
    find_group(env, &ctx.account_id, &ctx.region, name)?.ok_or_else(group_not_found)
}

pub(crate) fn save_group(
    env: &Env<'_>,
    account: &str,
    region: &str,
    g: &LogGroup,
) -> Result<(), AwsError> {
    let body = serde_json::to_value(g)
        .map_err(|e| AwsError::internal(format!("cannot store log group: {e}")))?;
    env.db.put_document(
        &group_key(account, region, &g.log_group_name),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// The key must exist, be enabled, and its policy must let
/// `logs.<region>.amazonaws.com` encrypt with it; otherwise AWS answers AccessDenied.
fn check_kms_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    key: &str,
    group_arn: &str,
) -> Result<(), AwsError> {
    let denied = || {
        AwsError::client(
            "AccessDeniedException",
            format!(
                "The specified KMS key does not exist or is not allowed to be used with Arn '{group_arn}'"
            ),
        )
    };
    if !key.starts_with("arn:") {
        return Err(invalid(format!(
            "Specified KMS key ID {key} is not a valid KMS key ARN."
        )));
    }
    let info = kms::resolve_key(env, &ctx.account_id, &ctx.region, key)
        .map_err(|_| denied())?
        .ok_or_else(denied)?;
    let service = format!("logs.{}.amazonaws.com", ctx.region);
    let usable = info.state == "Enabled"
        && info.region == ctx.region
        && (kms::policy_allows_service(&info.policy, &service, "kms:GenerateDataKey")
            || kms::policy_allows_service(&info.policy, &service, "kms:Encrypt"));
    if usable { Ok(()) } else { Err(denied()) }
}

pub fn create_log_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateLogGroupRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_group_name(&req.log_group_name)?;
    let class = req
        .log_group_class
        .unwrap_or_else(|| "STANDARD".to_string());
    if !LOG_GROUP_CLASSES.contains(&class.as_str()) {
        return Err(invalid(constraint_message(
            &class,
            "logGroupClass",
            "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]",
        )));
    }
    let tags = req.tags.unwrap_or_default();
    validate_tags(&tags)?;
    let name = req.log_group_name;
    if find_group(env, &ctx.account_id, &ctx.region, &name)?.is_some() {
        return Err(AwsError::client(
            "ResourceAlreadyExistsException",
            "The specified log group already exists",
        ));
    }
    let arn = group_arn(&ctx.region, &ctx.account_id, &name);
    if let Some(k) = &req.kms_key_id {
        check_kms_key(env, ctx, k, &arn)?;
    }
    let g = LogGroup {
        log_group_name: name.clone(),
        creation_time: clock::to_millis(env.now),
        retention_in_days: None,
        metric_filter_count: 0,
        arn: group_arn_star(&ctx.region, &ctx.account_id, &name),
        stored_bytes: 0,
        kms_key_id: req.kms_key_id,
        log_group_class: class,
        log_group_arn: arn.clone(),
    };
    save_group(env, &ctx.account_id, &ctx.region, &g)?;
    for (k, v) in &tags {
        env.db.put_tag(&arn, k, Some(v))?;
    }
    Ok(EmptyResponse {})
}

/// Deletes the group with its streams, events and tags.
pub fn delete_log_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: LogGroupNameRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    let prefix = format!("{}:", g.log_group_name);
    for kind in ["stream", "events", super::metric_filters::FILTER_KIND] {
        for d in env
            .db
            .documents(SERVICE, kind, Some(&ctx.account_id), Some(&ctx.region))?
        {
            if d.id.starts_with(&prefix) {
                env.db.delete_document(&DocKey {
                    service: SERVICE,
                    kind,
                    account_id: &ctx.account_id,
                    region: &ctx.region,
                    id: &d.id,
                })?;
            }
        }
    }
    for (k, _) in env.db.tags(&g.log_group_arn)? {
        env.db.remove_tag(&g.log_group_arn, &k)?;
    }
    env.db
        .delete_document(&group_key(&ctx.account_id, &ctx.region, &g.log_group_name))?;
    Ok(EmptyResponse {})
}

/// Groups by name; `nextToken` is the offset of the next page (our own token format).
pub fn describe_log_groups(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeLogGroupsRequest,
) -> Result<serde_json::Value, AwsError> {
    if req.log_group_name_prefix.is_some() && req.log_group_name_pattern.is_some() {
        return Err(invalid(
            "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.",
        ));
    }
    let limit = req.limit.unwrap_or(50);
    if !(1..=50).contains(&limit) {
        return Err(invalid(constraint_message(
            &limit.to_string(),
            "limit",
            "Member must have value less than or equal to 50",
        )));
    }
    let start: usize = match &req.next_token {
        Some(t) => t
            .parse()
            .map_err(|_| invalid(format!("The specified nextToken is invalid: {t}")))?,
        None => 0,
    };
    let mut groups = Vec::new();
    for d in env
        .db
        .documents(SERVICE, "group", Some(&ctx.account_id), Some(&ctx.region))?
    {
        let g: LogGroup = serde_json::from_value(d.body)
            .map_err(|e| AwsError::internal(format!("corrupt log group {}: {e}", d.id)))?;
        let keep = match (&req.log_group_name_prefix, &req.log_group_name_pattern) {
            (Some(p), _) => g.log_group_name.starts_with(p.as_str()),
            (_, Some(p)) => g
                .log_group_name
                .to_ascii_lowercase()
                .contains(&p.to_ascii_lowercase()),
            _ => true,
        };
        let class_ok = req
            .log_group_class
            .as_deref()
            .is_none_or(|c| c == g.log_group_class);
        if keep && class_ok {
            groups.push(g);
        }
    }
    let end = (start + limit as usize).min(groups.len());
    let mut page: Vec<LogGroup> = groups
        .get(start..end)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    for g in &mut page {
        g.metric_filter_count =
            super::metric_filters::of_group(env, &ctx.account_id, &ctx.region, &g.log_group_name)?
                .len() as i64;
    }
    let mut out =
        crate::services::to_compact_response(&DescribeLogGroupsResponse { log_groups: page })?;
    if end < groups.len() {
        out["nextToken"] = serde_json::json!(end.to_string());
    }
    Ok(out)
}

pub fn put_retention_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutRetentionPolicyRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_retention(req.retention_in_days)?;
    let mut g = load_group(env, ctx, &req.log_group_name)?;
    g.retention_in_days = Some(req.retention_in_days);
    save_group(env, &ctx.account_id, &ctx.region, &g)?;
    Ok(EmptyResponse {})
}

pub fn delete_retention_policy(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: LogGroupNameRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut g = load_group(env, ctx, &req.log_group_name)?;
    g.retention_in_days = None;
    save_group(env, &ctx.account_id, &ctx.region, &g)?;
    Ok(EmptyResponse {})
}

pub fn associate_kms_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AssociateKmsKeyRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut g = load_group(env, ctx, &req.log_group_name)?;
    check_kms_key(env, ctx, &req.kms_key_id, &g.log_group_arn)?;
    g.kms_key_id = Some(req.kms_key_id);
    save_group(env, &ctx.account_id, &ctx.region, &g)?;
    Ok(EmptyResponse {})
}

pub fn disassociate_kms_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: LogGroupNameRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut g = load_group(env, ctx, &req.log_group_name)?;
    g.kms_key_id = None;
    save_group(env, &ctx.account_id, &ctx.region, &g)?;
    Ok(EmptyResponse {})
}

// ---- tags ----

/// The log group an ARN names (with or without the trailing `:*`), in the caller's account
/// and region.
fn group_of_arn(env: &Env<'_>, ctx: &CallerContext, arn: &str) -> Result<LogGroup, AwsError> {
    let parsed = super::parse_group_arn(arn)
        .ok_or_else(|| invalid(format!("Invalid resource ARN: {arn}")))?;
    if parsed.account != ctx.account_id || parsed.region != ctx.region {
        return Err(AwsError::client(
            "ResourceNotFoundException",
            "The specified resource does not exist.",
        ));
    }
    find_group(env, &parsed.account, &parsed.region, &parsed.name)?.ok_or_else(|| {
        AwsError::client(
            "ResourceNotFoundException",
            "The specified resource does not exist.",
        )
    })
}

fn add_tags(env: &Env<'_>, arn: &str, tags: &Tags) -> Result<(), AwsError> {
    validate_tags(tags)?;
    let mut keys: std::collections::BTreeSet<String> =
        env.db.tags(arn)?.into_iter().map(|(k, _)| k).collect();
    keys.extend(tags.keys().cloned());
    if keys.len() > MAX_TAGS {
        return Err(too_many_tags());
    }
    for (k, v) in tags {
        env.db.put_tag(arn, k, Some(v))?;
    }
    Ok(())
}

fn tags_of(env: &Env<'_>, arn: &str) -> Result<TagsResponse, AwsError> {
    Ok(TagsResponse {
        tags: env
            .db
            .tags(arn)?
            .into_iter()
            .map(|(k, v)| (k, v.unwrap_or_default()))
            .collect(),
    })
}

pub fn tag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = group_of_arn(env, ctx, &req.resource_arn)?;
    add_tags(env, &g.log_group_arn, &req.tags)?;
    Ok(EmptyResponse {})
}

pub fn untag_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagResourceRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = group_of_arn(env, ctx, &req.resource_arn)?;
    for k in &req.tag_keys {
        env.db.remove_tag(&g.log_group_arn, k)?;
    }
    Ok(EmptyResponse {})
}

pub fn list_tags_for_resource(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTagsForResourceRequest,
) -> Result<TagsResponse, AwsError> {
    let g = group_of_arn(env, ctx, &req.resource_arn)?;
    tags_of(env, &g.log_group_arn)
}

/// Legacy TagLogGroup (by name).
pub fn tag_log_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TagLogGroupRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    add_tags(env, &g.log_group_arn, &req.tags)?;
    Ok(EmptyResponse {})
}

/// Legacy UntagLogGroup (by name; `tags` is the list of keys).
pub fn untag_log_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UntagLogGroupRequest,
) -> Result<EmptyResponse, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    for k in &req.tags {
        env.db.remove_tag(&g.log_group_arn, k)?;
    }
    Ok(EmptyResponse {})
}

/// Legacy ListTagsLogGroup (by name).
pub fn list_tags_log_group(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: LogGroupNameRequest,
) -> Result<TagsResponse, AwsError> {
    let g = load_group(env, ctx, &req.log_group_name)?;
    tags_of(env, &g.log_group_arn)
}
