//! Bucket configuration: versioning, default encryption, lifecycle, server access logging
//! and tagging.

use std::collections::BTreeSet;

use super::buckets::{self, owned, save};
use super::errors::*;
use super::model::*;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

// ---- versioning ----

pub fn put_bucket_versioning(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketVersioningRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    let cfg = req.versioning_configuration;
    if cfg.status.is_none() && cfg.mfa_delete.is_none() {
        return Err(malformed_xml());
    }
    if let Some(s) = &cfg.status
        && !matches!(s.as_str(), "Enabled" | "Suspended")
    {
        return Err(malformed_xml());
    }
    if let Some(m) = &cfg.mfa_delete {
        if !matches!(m.as_str(), "Enabled" | "Disabled") {
            return Err(malformed_xml());
        }
        // Changing MFA delete needs the x-amz-mfa header (device serial and code).
        let previous = doc
            .versioning
            .as_ref()
            .and_then(|v| v.mfa_delete.as_deref());
        if (m == "Enabled" || previous == Some("Enabled"))
            && req
                .mfa
                .as_deref()
                .is_none_or(|v| v.split_whitespace().count() != 2)
        {
            return Err(AwsError::new(
                "AccessDenied",
                "Mfa Authentication must be used for this request",
                403,
            ));
        }
    }
    if doc.object_lock_enabled && cfg.status.as_deref() == Some("Suspended") {
        return Err(AwsError::new(
            "InvalidBucketState",
            "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
            409,
        ));
    }
    let prev = doc.versioning.clone().unwrap_or_default();
    doc.versioning = Some(VersioningConfiguration {
        status: cfg.status.or(prev.status),
        mfa_delete: cfg.mfa_delete.or(prev.mfa_delete),
    });
    save(env, &doc)?;
    Ok(Empty {})
}

/// GetBucketVersioning: empty for a bucket whose versioning was never configured.
pub fn get_bucket_versioning(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketVersioningResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    Ok(doc.versioning.unwrap_or_default())
}

/// GetObjectLockConfiguration: Object Lock is chosen at CreateBucket and never turned off;
/// ctsim keeps no default retention rule, so the answer is only the enabled flag.
pub fn get_object_lock_configuration(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetObjectLockConfigurationResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    if !doc.object_lock_enabled {
        return Err(AwsError::new(
            "ObjectLockConfigurationNotFoundError",
            "Object Lock configuration does not exist for this bucket",
            404,
        ));
    }
    Ok(GetObjectLockConfigurationResponse {
        object_lock_configuration: ObjectLockConfiguration {
            object_lock_enabled: Some("Enabled".to_string()),
        },
    })
}

// ---- default encryption ----

pub const SSE_ALGORITHMS: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

pub fn put_bucket_encryption(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketEncryptionRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    let cfg = req.server_side_encryption_configuration;
    // S3 accepts exactly one rule.
    let [rule] = cfg.rules.as_slice() else {
        return Err(malformed_xml());
    };
    let Some(default) = &rule.apply_server_side_encryption_by_default else {
        return Err(malformed_xml());
    };
    if !SSE_ALGORITHMS.contains(&default.sse_algorithm.as_str()) {
        return Err(malformed_xml());
    }
    if default.kms_master_key_id.is_some() && default.sse_algorithm == "AES256" {
        return Err(invalid_argument(
            "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
        ));
    }
    doc.encryption = Some(ServerSideEncryptionConfiguration {
        rules: vec![ServerSideEncryptionRule {
            apply_server_side_encryption_by_default: Some(default.clone()),
            bucket_key_enabled: Some(rule.bucket_key_enabled.unwrap_or(false)),
        }],
    });
    save(env, &doc)?;
    Ok(Empty {})
}

/// GetBucketEncryption: every bucket has default encryption (SSE-S3 unless configured).
pub fn get_bucket_encryption(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketEncryptionResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    Ok(GetBucketEncryptionResponse {
        server_side_encryption_configuration: doc.encryption_or_default(),
    })
}

/// DeleteBucketEncryption returns the bucket to SSE-S3.
pub fn delete_bucket_encryption(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.encryption = None;
    save(env, &doc)?;
    Ok(Empty {})
}

// ---- lifecycle ----

pub const MAX_LIFECYCLE_RULES: usize = 1000;
pub const DEFAULT_TRANSITION_MINIMUM_SIZE: &str = "all_storage_classes_128K";
const TRANSITION_STORAGE_CLASSES: &[&str] = &[
    "GLACIER",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
];

fn is_midnight_utc(secs: f64) -> bool {
    secs.fract() == 0.0 && (secs as i64).rem_euclid(86_400) == 0
}

fn check_filter(rule: &LifecycleRule) -> Result<(), AwsError> {
    if rule.prefix.is_some() && rule.filter.is_some() {
        return Err(malformed_xml());
    }
    let Some(f) = &rule.filter else {
        return Ok(());
    };
    let set = [
        f.prefix.is_some(),
        f.tag.is_some(),
        f.object_size_greater_than.is_some(),
        f.object_size_less_than.is_some(),
        f.and.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    // An empty filter `{}` applies to every object; more than one member needs `And`.
    if set > 1 {
        return Err(malformed_xml());
    }
    if let Some(and) = &f.and {
        let n = and.tags.as_ref().map_or(0, Vec::len)
            + usize::from(and.prefix.is_some())
            + usize::from(and.object_size_greater_than.is_some())
            + usize::from(and.object_size_less_than.is_some());
        // `And` combines at least two conditions.
        if n < 2 {
            return Err(malformed_xml());
        }
    }
    Ok(())
}

fn check_rule(rule: &LifecycleRule) -> Result<(), AwsError> {
    if let Some(id) = &rule.id
        && id.chars().count() > 255
    {
        return Err(invalid_argument(
            "ID length should not exceed allowed limit of 255",
        ));
    }
    if !matches!(rule.status.as_str(), "Enabled" | "Disabled") {
        return Err(malformed_xml());
    }
    check_filter(rule)?;
    let has_action = rule.expiration.is_some()
        || rule.transitions.as_ref().is_some_and(|t| !t.is_empty())
        || rule.noncurrent_version_expiration.is_some()
        || rule
            .noncurrent_version_transitions
            .as_ref()
            .is_some_and(|t| !t.is_empty())
        || rule.abort_incomplete_multipart_upload.is_some();
    if !has_action {
        return Err(invalid_request(
            "At least one action needs to be specified in a rule",
        ));
    }
    if let Some(e) = &rule.expiration {
        let n = usize::from(e.days.is_some())
            + usize::from(e.date.is_some())
            + usize::from(e.expired_object_delete_marker.is_some());
        if n != 1 {
            return Err(malformed_xml());
        }
        if let Some(d) = e.days
            && d <= 0
        {
            return Err(invalid_argument(
                "'Days' for Expiration action must be a positive integer",
            ));
        }
        if let Some(d) = e.date
            && !is_midnight_utc(d)
        {
            return Err(invalid_argument("'Date' must be at midnight GMT"));
        }
    }
    for t in rule.transitions.iter().flatten() {
        if usize::from(t.days.is_some()) + usize::from(t.date.is_some()) != 1 {
            return Err(malformed_xml());
        }
        let class = t.storage_class.as_deref().unwrap_or_default();
        if !TRANSITION_STORAGE_CLASSES.contains(&class) {
            return Err(malformed_xml());
        }
        if let Some(d) = t.days {
            if d < 0 {
                return Err(invalid_argument(
                    "'Days' in Transition action must be a non-negative integer",
                ));
            }
            if matches!(class, "STANDARD_IA" | "ONEZONE_IA") && d < 30 {
                return Err(invalid_argument(format!(
                    "'Days' in Transition action must be greater than or equal to 30 for storageClass '{class}'"
                )));
            }
        }
        if let Some(d) = t.date
            && !is_midnight_utc(d)
        {
            return Err(invalid_argument("'Date' must be at midnight GMT"));
        }
    }
    if let Some(n) = &rule.noncurrent_version_expiration
        && n.noncurrent_days.is_some_and(|d| d <= 0)
    {
        return Err(invalid_argument(
            "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
        ));
    }
    for t in rule.noncurrent_version_transitions.iter().flatten() {
        let class = t.storage_class.as_deref().unwrap_or_default();
        if !TRANSITION_STORAGE_CLASSES.contains(&class) {
            return Err(malformed_xml());
        }
        if t.noncurrent_days.is_some_and(|d| d < 0) {
            return Err(invalid_argument(
                "'NoncurrentDays' in NoncurrentVersionTransition action must be a non-negative integer",
            ));
        }
    }
    if let Some(a) = &rule.abort_incomplete_multipart_upload
        && a.days_after_initiation.is_none_or(|d| d <= 0)
    {
        return Err(invalid_argument(
            "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
        ));
    }
    Ok(())
}

/// Validates a whole lifecycle configuration as S3 does.
pub fn validate_lifecycle(cfg: &BucketLifecycleConfiguration) -> Result<(), AwsError> {
    if cfg.rules.is_empty() || cfg.rules.len() > MAX_LIFECYCLE_RULES {
        return Err(malformed_xml());
    }
    let mut ids = BTreeSet::new();
    for rule in &cfg.rules {
        check_rule(rule)?;
        if let Some(id) = &rule.id
            && !ids.insert(id.as_str())
        {
            return Err(invalid_argument(
                "Rule ID must be unique. Found same ID for more than one rule",
            ));
        }
    }
    Ok(())
}

pub fn put_bucket_lifecycle_configuration(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketLifecycleConfigurationRequest,
) -> Result<PutBucketLifecycleConfigurationResponse, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    validate_lifecycle(&req.lifecycle_configuration)?;
    let min_size = req
        .transition_default_minimum_object_size
        .unwrap_or_else(|| DEFAULT_TRANSITION_MINIMUM_SIZE.to_string());
    if !matches!(
        min_size.as_str(),
        "all_storage_classes_128K" | "varies_by_storage_class"
    ) {
        return Err(invalid_argument(
            "Invalid value for x-amz-transition-default-minimum-object-size",
        ));
    }
    doc.lifecycle = Some(GetBucketLifecycleConfigurationResponse {
        rules: req.lifecycle_configuration.rules,
        transition_default_minimum_object_size: Some(min_size.clone()),
    });
    save(env, &doc)?;
    Ok(PutBucketLifecycleConfigurationResponse {
        transition_default_minimum_object_size: Some(min_size),
    })
}

pub fn get_bucket_lifecycle_configuration(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketLifecycleConfigurationResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    doc.lifecycle.ok_or_else(|| {
        not_found(
            "NoSuchLifecycleConfiguration",
            "The lifecycle configuration does not exist",
        )
    })
}

pub fn delete_bucket_lifecycle(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    doc.lifecycle = None;
    save(env, &doc)?;
    Ok(Empty {})
}

// ---- server access logging ----

/// PutBucketLogging. An empty `BucketLoggingStatus` turns logging off. The target bucket
/// must exist, be owned by the same account and be in the same region.
pub fn put_bucket_logging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketLoggingRequest,
) -> Result<Empty, AwsError> {
    let mut doc = owned(env, ctx, &req.bucket)?;
    if let Some(le) = &req.bucket_logging_status.logging_enabled {
        let target = buckets::load(env, &le.target_bucket)?.ok_or_else(|| {
            AwsError::client(
                "InvalidTargetBucketForLogging",
                "The target bucket for logging does not exist",
            )
        })?;
        if target.owner_account_id != doc.owner_account_id {
            return Err(AwsError::client(
                "InvalidTargetBucketForLogging",
                "The owner for the bucket to be logged and the target bucket must be the same.",
            ));
        }
        if target.region != doc.region {
            return Err(AwsError::new(
                "CrossLocationLoggingProhibitted",
                "Cross S3 location logging not allowed. ",
                403,
            ));
        }
        if target.acls_disabled() && le.target_grants.as_ref().is_some_and(|g| !g.is_empty()) {
            return Err(AwsError::client(
                "InvalidTargetBucketForLogging",
                "Target grants are not supported when the target bucket has ACLs disabled.",
            ));
        }
    }
    doc.logging = req.bucket_logging_status.logging_enabled;
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn get_bucket_logging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketLoggingResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    Ok(BucketLoggingStatus {
        logging_enabled: doc.logging,
    })
}

// ---- tagging ----

pub const MAX_BUCKET_TAGS: usize = 50;

/// Checks a tag set (keys 1-128, values up to 256, unique keys, no `aws:` prefix, at most
/// 50 tags).
pub fn validate_tag_set(tags: &[Tag]) -> Result<(), AwsError> {
    if tags.len() > MAX_BUCKET_TAGS {
        return Err(invalid_tag("Bucket tag count cannot be greater than 50"));
    }
    let mut keys = BTreeSet::new();
    for t in tags {
        let klen = t.key.chars().count();
        if klen == 0 {
            return Err(invalid_tag("The TagKey you have provided is invalid"));
        }
        if klen > 128 {
            return Err(invalid_tag(
                "The TagKey you have provided is too long, max 128",
            ));
        }
        if t.value.chars().count() > 256 {
            return Err(invalid_tag(
                "The TagValue you have provided is too long, max 256",
            ));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(invalid_tag(
                "System tags cannot be added/updated by requester",
            ));
        }
        if !keys.insert(t.key.as_str()) {
            return Err(invalid_tag(
                "Cannot provide multiple Tags with the same key",
            ));
        }
    }
    Ok(())
}

/// PutBucketTagging replaces the whole tag set.
pub fn put_bucket_tagging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutBucketTaggingRequest,
) -> Result<Empty, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    validate_tag_set(&req.tagging.tag_set)?;
    let arn = doc.arn();
    for (k, _) in env.db.tags(&arn)? {
        env.db.remove_tag(&arn, &k)?;
    }
    for t in &req.tagging.tag_set {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(Empty {})
}

pub fn get_bucket_tagging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<GetBucketTaggingResponse, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    let tags = env.db.tags(&doc.arn())?;
    if tags.is_empty() {
        return Err(not_found("NoSuchTagSet", "The TagSet does not exist"));
    }
    Ok(Tagging {
        tag_set: tags
            .into_iter()
            .map(|(key, value)| Tag {
                key,
                value: value.unwrap_or_default(),
            })
            .collect(),
    })
}

pub fn delete_bucket_tagging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: BucketRequest,
) -> Result<Empty, AwsError> {
    let doc = owned(env, ctx, &req.bucket)?;
    let arn = doc.arn();
    for (k, _) in env.db.tags(&arn)? {
        env.db.remove_tag(&arn, &k)?;
    }
    Ok(Empty {})
}
