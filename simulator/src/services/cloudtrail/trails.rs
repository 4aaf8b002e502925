//! CreateTrail, UpdateTrail, DeleteTrail, GetTrail, DescribeTrails, ListTrails, and the
//! resolution of trail references (names, ARNs, shadow trails of multi-region trails).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

use super::destinations;
use super::model::*;
use super::names::{self, TrailArn, TrailRef};
use super::tags;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::settings;
use crate::store::TrailRow;

/// A trail's configuration as stored (the store keeps it as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrailConfig {
    pub s3_bucket_name: String,
    pub s3_key_prefix: Option<String>,
    pub sns_topic_name: Option<String>,
    pub sns_topic_arn: Option<String>,
    pub include_global_service_events: bool,
    pub is_multi_region_trail: bool,
    pub log_file_validation_enabled: bool,
    pub cloud_watch_logs_log_group_arn: Option<String>,
    pub cloud_watch_logs_role_arn: Option<String>,
    pub kms_key_id: Option<String>,
    pub is_organization_trail: bool,
}

/// A trail loaded from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedTrail {
    pub row: TrailRow,
    pub config: TrailConfig,
}

impl LoadedTrail {
    fn from_row(row: TrailRow) -> Result<LoadedTrail, AwsError> {
        let config: TrailConfig = serde_json::from_str(&row.config).map_err(|e| {
            AwsError::internal(format!("stored trail {} is unreadable: {e}", row.arn))
        })?;
        Ok(LoadedTrail { row, config })
    }
}

pub fn trail_not_found(what: &str, account_id: &str) -> AwsError {
    AwsError::new(
        "TrailNotFoundException",
        format!("Unknown trail: {what} for the user: {account_id}"),
        404,
    )
}

/// Finds the trail a request names, including shadow copies of multi-region trails whose
/// home is another region.
pub fn resolve(env: &Env<'_>, ctx: &CallerContext, given: &str) -> Result<LoadedTrail, AwsError> {
    match resolve_own(env, ctx, given) {
        Err(e) if e.code == "TrailNotFoundException" => {
            let wanted = names::parse_trail_ref(given)?;
            let found = organization_trails_of_others(env, ctx)?
                .into_iter()
                .find(|r| {
                    (r.region == ctx.region || r.multi_region)
                        && match &wanted {
                            TrailRef::Arn(a) => r.arn == a.to_string(),
                            TrailRef::Name(n) => &r.name == n,
                        }
                });
            match found {
                Some(row) => LoadedTrail::from_row(row),
                None => Err(e),
            }
        }
        other => other,
    }
}

/// A trail of the caller's own account, by name or ARN.
fn resolve_own(env: &Env<'_>, ctx: &CallerContext, given: &str) -> Result<LoadedTrail, AwsError> {
    let row = match names::parse_trail_ref(given)? {
        TrailRef::Arn(arn) => {
            let found = if arn.account_id == ctx.account_id {
                env.db.trail_by_arn(&arn.to_string())?
            } else {
                None
            };
            match found {
                Some(r) if r.region == ctx.region || r.multi_region => r,
                _ => return Err(trail_not_found(given, &ctx.account_id)),
            }
        }
        TrailRef::Name(name) => match env.db.trail_by_name(&ctx.account_id, &ctx.region, &name)? {
            Some(r) => r,
            None => env
                .db
                .trails_named(&ctx.account_id, &name)?
                .into_iter()
                .find(|r| r.multi_region)
                .ok_or_else(|| {
                    trail_not_found(
                        &TrailArn::new(&ctx.region, &ctx.account_id, &name).to_string(),
                        &ctx.account_id,
                    )
                })?,
        },
    };
    LoadedTrail::from_row(row)
}

/// Like [`resolve`], for operations that must be called from the trail's home region.
pub fn resolve_home(
    env: &Env<'_>,
    ctx: &CallerContext,
    given: &str,
) -> Result<LoadedTrail, AwsError> {
    let t = resolve(env, ctx, given)?;
    if t.row.account_id != ctx.account_id {
        return Err(AwsError::client(
            "NotOrganizationMasterAccountException",
            format!(
                "The trail {} is an organization trail of account {}; member account {} can see it but not change it.",
                t.row.arn, t.row.account_id, ctx.account_id
            ),
        ));
    }
    if t.row.region != ctx.region {
        return Err(AwsError::client(
            "InvalidHomeRegionException",
            format!(
                "This operation must be called from the trail's home region ({}). The trail {} was called from {}.",
                t.row.region, t.row.arn, ctx.region
            ),
        ));
    }
    Ok(t)
}

/// The trail as GetTrail/DescribeTrails show it.
pub fn to_model(env: &Env<'_>, t: &LoadedTrail) -> Result<Trail, AwsError> {
    let has_custom = env.db.event_selectors(&t.row.arn)?.is_some();
    let has_insights = env.db.insight_selectors(&t.row.arn)?.is_some();
    let c = &t.config;
    Ok(Trail {
        name: Some(t.row.name.clone()),
        s3_bucket_name: Some(c.s3_bucket_name.clone()),
        s3_key_prefix: c.s3_key_prefix.clone(),
        sns_topic_name: c.sns_topic_name.clone(),
        sns_topic_arn: c.sns_topic_arn.clone(),
        include_global_service_events: Some(c.include_global_service_events),
        is_multi_region_trail: Some(c.is_multi_region_trail),
        home_region: Some(t.row.region.clone()),
        trail_arn: Some(t.row.arn.clone()),
        log_file_validation_enabled: Some(c.log_file_validation_enabled),
        cloud_watch_logs_log_group_arn: c.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_logs_role_arn: c.cloud_watch_logs_role_arn.clone(),
        kms_key_id: c.kms_key_id.clone(),
        has_custom_event_selectors: Some(has_custom),
        has_insight_selectors: Some(has_insights),
        is_organization_trail: Some(c.is_organization_trail),
    })
}

fn to_create_response(name: &str, arn: &str, c: &TrailConfig) -> CreateTrailResponse {
    CreateTrailResponse {
        name: Some(name.to_string()),
        s3_bucket_name: Some(c.s3_bucket_name.clone()),
        s3_key_prefix: c.s3_key_prefix.clone(),
        sns_topic_name: c.sns_topic_name.clone(),
        sns_topic_arn: c.sns_topic_arn.clone(),
        include_global_service_events: Some(c.include_global_service_events),
        is_multi_region_trail: Some(c.is_multi_region_trail),
        trail_arn: Some(arn.to_string()),
        log_file_validation_enabled: Some(c.log_file_validation_enabled),
        cloud_watch_logs_log_group_arn: c.cloud_watch_logs_log_group_arn.clone(),
        cloud_watch_logs_role_arn: c.cloud_watch_logs_role_arn.clone(),
        kms_key_id: c.kms_key_id.clone(),
        is_organization_trail: Some(c.is_organization_trail),
    }
}

/// Settings as given by CreateTrail or UpdateTrail (`None`: unchanged / default;
/// `Some("")`: cleared).
struct Changes<'r> {
    s3_bucket_name: Option<&'r str>,
    s3_key_prefix: Option<&'r str>,
    sns_topic_name: Option<&'r str>,
    include_global_service_events: Option<bool>,
    is_multi_region_trail: Option<bool>,
    enable_log_file_validation: Option<bool>,
    cloud_watch_logs_log_group_arn: Option<&'r str>,
    cloud_watch_logs_role_arn: Option<&'r str>,
    kms_key_id: Option<&'r str>,
    is_organization_trail: Option<bool>,
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.filter(|v| !v.is_empty()).map(str::to_string)
}

/// Applies and validates changes; the result is the new configuration.
fn apply(
    ctx: &CallerContext,
    mut c: TrailConfig,
    ch: &Changes<'_>,
) -> Result<TrailConfig, AwsError> {
    if let Some(b) = ch.s3_bucket_name {
        if b.trim().is_empty() {
            return Err(AwsError::client(
                "InvalidS3BucketNameException",
                "S3 bucket name cannot be empty.",
            ));
        }
        if b.len() > 255 || b.chars().any(|ch| ch.is_whitespace() || ch == '/') {
            return Err(AwsError::client(
                "InvalidS3BucketNameException",
                format!("Bucket name {b} is not valid."),
            ));
        }
        c.s3_bucket_name = b.to_string();
    }
    if let Some(p) = ch.s3_key_prefix {
        if p.len() > 200 {
            return Err(AwsError::client(
                "InvalidS3PrefixException",
                format!(
                    "The S3 key prefix exceeds the maximum length of 200 characters: {} characters.",
                    p.len()
                ),
            ));
        }
        c.s3_key_prefix = non_empty(Some(p));
    }
    if let Some(t) = ch.sns_topic_name {
        if t.is_empty() {
            c.sns_topic_name = None;
            c.sns_topic_arn = None;
        } else if let Some(rest) = t.strip_prefix("arn:") {
            let parts: Vec<&str> = rest.split(':').collect();
            if parts.len() != 5 || parts[1] != "sns" || parts[4].is_empty() {
                return Err(AwsError::client(
                    "InvalidSnsTopicNameException",
                    format!("Topic ARN {t} is not valid."),
                ));
            }
            c.sns_topic_name = Some(parts[4].to_string());
            c.sns_topic_arn = Some(t.to_string());
        } else {
            if t.len() > 256
                || !t
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            {
                return Err(AwsError::client(
                    "InvalidSnsTopicNameException",
                    format!("Topic name {t} is not valid."),
                ));
            }
            c.sns_topic_name = Some(t.to_string());
            c.sns_topic_arn = Some(format!(
                "arn:{}:sns:{}:{}:{}",
                names::partition_for(&ctx.region),
                ctx.region,
                ctx.account_id,
                t
            ));
        }
    }
    if let Some(v) = ch.include_global_service_events {
        c.include_global_service_events = v;
    }
    if let Some(v) = ch.is_multi_region_trail {
        c.is_multi_region_trail = v;
    }
    if let Some(v) = ch.enable_log_file_validation {
        c.log_file_validation_enabled = v;
    }
    if let Some(v) = ch.is_organization_trail {
        // Whether the caller may is decided by `destinations::check`.
        c.is_organization_trail = v;
    }
    if ch.cloud_watch_logs_log_group_arn.is_some() || ch.cloud_watch_logs_role_arn.is_some() {
        let group = non_empty(ch.cloud_watch_logs_log_group_arn);
        let role = non_empty(ch.cloud_watch_logs_role_arn);
        match (&group, &role) {
            (None, None) => {}
            (Some(g), Some(r)) => {
                if !(g.starts_with("arn:") && g.contains(":logs:") && g.contains(":log-group:")) {
                    return Err(AwsError::client(
                        "InvalidCloudWatchLogsLogGroupArnException",
                        format!("CloudWatch Logs log group ARN {g} is not valid."),
                    ));
                }
                if !(r.starts_with("arn:") && r.contains(":iam::") && r.contains(":role/")) {
                    return Err(AwsError::client(
                        "InvalidCloudWatchLogsRoleArnException",
                        format!("CloudWatch Logs role ARN {r} is not valid."),
                    ));
                }
            }
            _ => {
                return Err(AwsError::client(
                    "InvalidParameterCombinationException",
                    "You must specify both a CloudWatch Logs log group ARN and a role ARN, or neither.",
                ));
            }
        }
        c.cloud_watch_logs_log_group_arn = group;
        c.cloud_watch_logs_role_arn = role;
    }
    if let Some(k) = ch.kms_key_id {
        c.kms_key_id = if k.is_empty() {
            None
        } else {
            Some(kms_key_arn(ctx, k)?)
        };
    }
    Ok(c)
}

/// CloudTrail returns the full ARN of the KMS key however it was given.
fn kms_key_arn(ctx: &CallerContext, k: &str) -> Result<String, AwsError> {
    if k.len() > 2048 || k.chars().any(char::is_whitespace) {
        return Err(AwsError::client(
            "InvalidKmsKeyIdException",
            format!("KMS key {k} is not valid."),
        ));
    }
    if k.starts_with("arn:") {
        return Ok(k.to_string());
    }
    let p = names::partition_for(&ctx.region);
    Ok(if k.starts_with("alias/") {
        format!("arn:{p}:kms:{}:{}:{k}", ctx.region, ctx.account_id)
    } else {
        format!("arn:{p}:kms:{}:{}:key/{k}", ctx.region, ctx.account_id)
    })
}

fn already_exists(name: &str, account_id: &str) -> AwsError {
    AwsError::client(
        "TrailAlreadyExistsException",
        format!("Trail {name} already exists for customer: {account_id}"),
    )
}

pub fn create_trail(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateTrailRequest,
) -> Result<CreateTrailResponse, AwsError> {
    names::validate_trail_name(&req.name)?;
    let defaults = TrailConfig {
        include_global_service_events: true,
        ..Default::default()
    };
    let config = apply(
        ctx,
        defaults,
        &Changes {
            s3_bucket_name: Some(&req.s3_bucket_name),
            s3_key_prefix: req.s3_key_prefix.as_deref(),
            sns_topic_name: req.sns_topic_name.as_deref(),
            include_global_service_events: req.include_global_service_events,
            is_multi_region_trail: req.is_multi_region_trail,
            enable_log_file_validation: req.enable_log_file_validation,
            cloud_watch_logs_log_group_arn: req.cloud_watch_logs_log_group_arn.as_deref(),
            cloud_watch_logs_role_arn: req.cloud_watch_logs_role_arn.as_deref(),
            kms_key_id: req.kms_key_id.as_deref(),
            is_organization_trail: req.is_organization_trail,
        },
    )?;
    let tags_list = req.tags_list.unwrap_or_default();
    tags::validate_tags(&tags_list, true)?;
    tags::check_limit(&[], &tags_list)?;

    // Names are unique per region; a multi-region trail also claims its name everywhere.
    let same_name = env.db.trails_named(&ctx.account_id, &req.name)?;
    if same_name
        .iter()
        .any(|t| t.region == ctx.region || t.multi_region || config.is_multi_region_trail)
    {
        return Err(already_exists(&req.name, &ctx.account_id));
    }
    let quota = settings::trails_per_region(env.db)?;
    let have = env.db.count_trails(&ctx.account_id, &ctx.region)?;
    if have >= quota {
        return Err(AwsError::new(
            "MaximumNumberOfTrailsExceededException",
            format!(
                "User: {} already has {have} trails in {}.",
                ctx.account_id, ctx.region
            ),
            403,
        ));
    }
    let arn = TrailArn::new(&ctx.region, &ctx.account_id, &req.name).to_string();
    let mut config = config;
    destinations::check(env, ctx, &arn, &mut config, destinations::Touched::all())?;
    let now = clock::to_millis(env.now);
    env.db.insert_trail(&TrailRow {
        arn: arn.clone(),
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: req.name.clone(),
        multi_region: config.is_multi_region_trail,
        config: serde_json::to_string(&config).map_err(crate::error::StoreError::from)?,
        created_ms: now,
        updated_ms: now,
    })?;
    for t in &tags_list {
        env.db.put_tag(&arn, &t.key, t.value.as_deref())?;
    }
    Ok(to_create_response(&req.name, &arn, &config))
}

pub fn update_trail(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateTrailRequest,
) -> Result<UpdateTrailResponse, AwsError> {
    let t = resolve_home(env, ctx, &req.name)?;
    let config = apply(
        ctx,
        t.config.clone(),
        &Changes {
            s3_bucket_name: req.s3_bucket_name.as_deref(),
            s3_key_prefix: req.s3_key_prefix.as_deref(),
            sns_topic_name: req.sns_topic_name.as_deref(),
            include_global_service_events: req.include_global_service_events,
            is_multi_region_trail: req.is_multi_region_trail,
            enable_log_file_validation: req.enable_log_file_validation,
            cloud_watch_logs_log_group_arn: req.cloud_watch_logs_log_group_arn.as_deref(),
            cloud_watch_logs_role_arn: req.cloud_watch_logs_role_arn.as_deref(),
            kms_key_id: req.kms_key_id.as_deref(),
            is_organization_trail: req.is_organization_trail,
        },
    )?;
    let mut config = config;
    let touched = destinations::Touched {
        bucket: req.s3_bucket_name.is_some() || req.s3_key_prefix.is_some(),
        kms: req.kms_key_id.is_some(),
        sns: req.sns_topic_name.is_some(),
        cloud_watch_logs: req.cloud_watch_logs_log_group_arn.is_some()
            || req.cloud_watch_logs_role_arn.is_some(),
        organization: req.is_organization_trail.is_some()
            && req.is_organization_trail != Some(t.config.is_organization_trail),
    };
    destinations::check(env, ctx, &t.row.arn, &mut config, touched)?;
    if config.is_multi_region_trail && !t.config.is_multi_region_trail {
        let others = env.db.trails_named(&ctx.account_id, &t.row.name)?;
        if others.iter().any(|o| o.arn != t.row.arn) {
            return Err(already_exists(&t.row.name, &ctx.account_id));
        }
    }
    let json = serde_json::to_string(&config).map_err(crate::error::StoreError::from)?;
    env.db.update_trail(
        &t.row.arn,
        config.is_multi_region_trail,
        &json,
        clock::to_millis(env.now),
    )?;
    Ok(to_create_response(&t.row.name, &t.row.arn, &config))
}

pub fn delete_trail(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteTrailRequest,
) -> Result<DeleteTrailResponse, AwsError> {
    let t = resolve_home(env, ctx, &req.name)?;
    env.db.delete_trail(&t.row.arn)?;
    Ok(DeleteTrailResponse {})
}

pub fn get_trail(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetTrailRequest,
) -> Result<GetTrailResponse, AwsError> {
    let t = resolve(env, ctx, &req.name)?;
    Ok(GetTrailResponse {
        trail: Some(to_model(env, &t)?),
    })
}

/// A trail as DescribeTrails shows it, with its stored row, and as the JSON of the answer
/// (kept with it: building that from the model was a quarter of a DescribeTrails call).
struct Shown {
    row: TrailRow,
    model: Trail,
    json: Value,
}

/// The caller's account's trails and the organization trails it sees, as shown: every
/// DescribeTrails asks for them, so they are kept until the store changes.
fn account_trails(env: &Env<'_>, ctx: &CallerContext) -> Result<Arc<Vec<Shown>>, AwsError> {
    env.db
        .memoized(&format!("cloudtrail.shown:{}", ctx.account_id), || {
            let mut rows = env.db.trails(&ctx.account_id)?;
            rows.extend(organization_trails_of_others(env, ctx)?);
            rows.into_iter()
                .map(|row| {
                    let model = to_model(env, &LoadedTrail::from_row(row.clone())?)?;
                    let json = crate::services::to_response(&model)?;
                    Ok(Shown { row, model, json })
                })
                .collect::<Result<Vec<_>, AwsError>>()
        })
}

/// The organization trails a member account sees: those of its organization's management
/// account. Members can read them; every change is refused (see [`resolve_home`]).
fn organization_trails_of_others(
    env: &Env<'_>,
    ctx: &CallerContext,
) -> Result<Vec<TrailRow>, AwsError> {
    let Some(org) = crate::services::organizations::organization_of(env, &ctx.account_id)? else {
        return Ok(Vec::new());
    };
    if org.management_account_id == ctx.account_id {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for row in env.db.trails(&org.management_account_id)? {
        if LoadedTrail::from_row(row.clone())?
            .config
            .is_organization_trail
        {
            out.push(row);
        }
    }
    Ok(out)
}

pub fn describe_trails(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeTrailsRequest,
) -> Result<DescribeTrailsResponse, AwsError> {
    let all = account_trails(env, ctx)?;
    let trail_list = described(ctx, req, &all)?
        .into_iter()
        .map(|t| t.model.clone())
        .collect();
    Ok(DescribeTrailsResponse { trail_list })
}

/// [`describe_trails`]'s answer as the JSON body, from the trails' JSON kept in memory.
pub fn describe_trails_json(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeTrailsRequest,
) -> Result<Value, AwsError> {
    let all = account_trails(env, ctx)?;
    let trail_list = described(ctx, req, &all)?
        .into_iter()
        .map(|t| t.json.clone())
        .collect();
    let mut body = serde_json::Map::new();
    body.insert("trailList".into(), Value::Array(trail_list));
    Ok(Value::Object(body))
}

/// The trails a DescribeTrails request shows, in the order AWS lists them.
fn described<'a>(
    ctx: &CallerContext,
    req: DescribeTrailsRequest,
    all: &'a [Shown],
) -> Result<Vec<&'a Shown>, AwsError> {
    let include_shadow = req.include_shadow_trails.unwrap_or(true);
    let names = req.trail_name_list.unwrap_or_default();
    let rows: Vec<&Shown> = all
        .iter()
        .filter(|t| t.row.region == ctx.region || (include_shadow && t.row.multi_region))
        .collect();
    if names.is_empty() {
        return Ok(rows);
    }
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for given in &names {
        let wanted = names::parse_trail_ref(given)?;
        let hit = rows.iter().find(|t| match &wanted {
            TrailRef::Arn(a) => t.row.arn == a.to_string(),
            TrailRef::Name(n) => &t.row.name == n && t.row.region == ctx.region,
        });
        let hit = hit.or_else(|| match &wanted {
            TrailRef::Name(n) => rows.iter().find(|t| &t.row.name == n),
            TrailRef::Arn(_) => None,
        });
        if let Some(t) = hit
            && seen.insert(t.row.arn.clone())
        {
            out.push(*t);
        }
    }
    Ok(out)
}

const LIST_PAGE: usize = 50;

pub fn list_trails(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTrailsRequest,
) -> Result<ListTrailsResponse, AwsError> {
    let rows = env.db.trails(&ctx.account_id)?;
    let start = match &req.next_token {
        None => 0,
        Some(tok) => decode_offset_token("trails", tok)
            .filter(|n| *n <= rows.len())
            .ok_or_else(invalid_next_token)?,
    };
    let page: Vec<TrailInfo> = rows
        .iter()
        .skip(start)
        .take(LIST_PAGE)
        .map(|r| TrailInfo {
            trail_arn: Some(r.arn.clone()),
            name: Some(r.name.clone()),
            home_region: Some(r.region.clone()),
        })
        .collect();
    let next = start + page.len();
    Ok(ListTrailsResponse {
        trails: page,
        next_token: (next < rows.len()).then(|| encode_offset_token("trails", next)),
    })
}

pub fn invalid_next_token() -> AwsError {
    AwsError::client(
        "InvalidNextTokenException",
        "Invalid NextToken. The token is not valid or has expired.",
    )
}

/// An opaque page token for simple offset paging.
pub fn encode_offset_token(kind: &str, offset: usize) -> String {
    hex::encode(format!("{kind}:{offset}"))
}

pub fn decode_offset_token(kind: &str, token: &str) -> Option<usize> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    raw.strip_prefix(kind)?.strip_prefix(':')?.parse().ok()
}
