//! What CloudTrail checks about a trail's destinations and organization when a trail is
//! created or updated: the bucket exists and its policy lets CloudTrail write, the KMS key
//! exists and lets CloudTrail encrypt, the SNS topic lets CloudTrail publish, the CloudWatch
//! Logs group exists and its role trusts CloudTrail and may write to it, and an organization
//! trail comes from an organization that allows it. Each failure is AWS's exception.

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::policy::{self, Policy};
use crate::services::organizations::{self, OrgInfo};
use crate::services::{Env, iam, kms, logs, s3, sns};

use super::trails::TrailConfig;

pub const SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";

/// Which parts of a trail a request set, so an update only re-checks what it changed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Touched {
    pub bucket: bool,
    pub kms: bool,
    pub sns: bool,
    pub cloud_watch_logs: bool,
    pub organization: bool,
}

impl Touched {
    pub fn all() -> Self {
        Touched {
            bucket: true,
            kms: true,
            sns: true,
            cloud_watch_logs: true,
            organization: true,
        }
    }
}

/// Runs the checks in the order CloudTrail reports them and fills in what the checks
/// resolve (the KMS key ARN). Returns the organization of an organization trail.
pub fn check(
    env: &Env<'_>,
    ctx: &CallerContext,
    trail_arn: &str,
    config: &mut TrailConfig,
    touched: Touched,
) -> Result<Option<OrgInfo>, AwsError> {
    let org = if config.is_organization_trail {
        let org = organization_trail_allowed(env, ctx)?;
        Some(org)
    } else {
        None
    };
    let org_id = org.as_ref().map(|o| o.id.as_str());
    // Changing the organization flag changes the key layout the bucket policy must allow.
    if touched.bucket || touched.organization {
        check_bucket(env, ctx, trail_arn, config, org_id)?;
    }
    if touched.kms {
        check_key(env, ctx, trail_arn, config)?;
    }
    if touched.sns {
        check_topic(env, ctx, trail_arn, config)?;
    }
    if touched.cloud_watch_logs {
        check_cloud_watch_logs(env, ctx, trail_arn, config)?;
    }
    Ok(org)
}

fn organization_trail_allowed(env: &Env<'_>, ctx: &CallerContext) -> Result<OrgInfo, AwsError> {
    let Some(org) = organizations::organization_of(env, &ctx.account_id)? else {
        return Err(AwsError::client(
            "OrganizationsNotInUseException",
            "This account is not a member of an organization. Organization trails can only be created by the management account of an organization.",
        ));
    };
    if org.feature_set != "ALL" {
        return Err(AwsError::client(
            "OrganizationNotInAllFeaturesModeException",
            "This organization is not in all features mode. Organization trails require all features to be enabled.",
        ));
    }
    let delegated = org
        .delegated_admins
        .iter()
        .any(|(account, service)| account == &ctx.account_id && service == SERVICE_PRINCIPAL);
    if org.management_account_id != ctx.account_id && !delegated {
        return Err(AwsError::client(
            "NotOrganizationMasterAccountException",
            format!(
                "The account {} is not the management account of organization {} nor a delegated administrator for CloudTrail.",
                ctx.account_id, org.id
            ),
        ));
    }
    if !org.trusted_services.iter().any(|s| s == SERVICE_PRINCIPAL) {
        return Err(AwsError::client(
            "CloudTrailAccessNotEnabledException",
            format!(
                "Trusted access for CloudTrail is not enabled in organization {}. Enable it with EnableAWSServiceAccess for {SERVICE_PRINCIPAL}.",
                org.id
            ),
        ));
    }
    Ok(org)
}

fn parse_policy(text: &str) -> Option<Policy> {
    Policy::parse_str(text).ok()
}

fn check_bucket(
    env: &Env<'_>,
    ctx: &CallerContext,
    trail_arn: &str,
    config: &TrailConfig,
    org_id: Option<&str>,
) -> Result<(), AwsError> {
    let name = &config.s3_bucket_name;
    let Some(bucket) = s3::bucket(env, name)? else {
        return Err(AwsError::client(
            "S3BucketDoesNotExistException",
            format!("S3 bucket {name} does not exist!"),
        ));
    };
    let insufficient = || {
        AwsError::client(
            "InsufficientS3BucketPolicyException",
            format!("Incorrect S3 bucket policy is detected for bucket: {name}"),
        )
    };
    let policy = bucket
        .policy
        .as_deref()
        .and_then(parse_policy)
        .ok_or_else(insufficient)?;
    policy::bucket_policy_allows_cloudtrail(
        &policy,
        name,
        config.s3_key_prefix.as_deref(),
        &ctx.account_id,
        trail_arn,
        org_id,
    )
    .map_err(|_| insufficient())
}

/// Resolves a KMS key reference (ID, ARN, alias) in the caller's account and region; the key
/// must exist and be enabled. `user` names what needs the key in the error message.
pub fn enabled_kms_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    key_ref: &str,
    user: &str,
) -> Result<kms::KeyInfo, AwsError> {
    let key = kms::resolve_key(env, &ctx.account_id, &ctx.region, key_ref)
        .map_err(|_| {
            AwsError::client(
                "InvalidKmsKeyIdException",
                format!("KMS key ARN {key_ref} is not valid."),
            )
        })?
        .ok_or_else(|| {
            AwsError::client(
                "KmsKeyNotFoundException",
                format!("KMS key {key_ref} does not exist."),
            )
        })?;
    if key.state != "Enabled" {
        return Err(AwsError::client(
            "KmsException",
            format!(
                "KMS key {} is {}; {user} needs an enabled key.",
                key.arn, key.state
            ),
        ));
    }
    Ok(key)
}

fn check_key(
    env: &Env<'_>,
    ctx: &CallerContext,
    trail_arn: &str,
    config: &mut TrailConfig,
) -> Result<(), AwsError> {
    let Some(key_ref) = config.kms_key_id.clone() else {
        return Ok(());
    };
    let key = enabled_kms_key(env, ctx, &key_ref, "CloudTrail")?;
    let insufficient = || {
        AwsError::client(
            "InsufficientEncryptionPolicyException",
            format!(
                "Insufficient permissions to access S3 bucket {} or KMS key {}.",
                config.s3_bucket_name, key.arn
            ),
        )
    };
    let policy = parse_policy(&key.policy).ok_or_else(insufficient)?;
    // Either CloudTrail asks KMS itself, or S3 does on its behalf while encrypting a log file
    // (kms:ViaService s3, and aws:s3:arn naming the bucket with S3 Bucket Keys, else the
    // object): a key policy written for any of these lets the trail encrypt
    // (docs/behaviour-notes.md).
    let region = crate::services::s3::buckets::bucket(env, &config.s3_bucket_name)?
        .map(|b| b.region)
        .unwrap_or_else(|| ctx.region.clone());
    let partition = crate::services::cloudtrail::names::partition_for(&region);
    let bucket_arn = format!("arn:{partition}:s3:::{}", config.s3_bucket_name);
    let object_arn = policy::cloudtrail_object_arn(
        partition,
        &config.s3_bucket_name,
        config.s3_key_prefix.as_deref(),
        &ctx.account_id,
    )
    .replace("/*", "/CloudTrail/");
    // A member account's requests carry its organization (aws:SourceOrgID).
    let org = organizations::organization_of(env, &ctx.account_id)?;
    let org_id = org.as_ref().map(|o| o.id.as_str());
    let allowed = [None, Some(bucket_arn.as_str()), Some(object_arn.as_str())]
        .into_iter()
        .any(|via| {
            policy::key_policy_allows_cloudtrail(
                &policy,
                &key.arn,
                &ctx.account_id,
                trail_arn,
                org_id,
                via.map(|arn| (region.as_str(), arn)),
            )
            .is_ok()
        });
    if !allowed {
        return Err(insufficient());
    }
    // The trail reports the key by its ARN, whatever form the request used.
    config.kms_key_id = Some(key.arn.clone());
    Ok(())
}

fn check_topic(
    env: &Env<'_>,
    ctx: &CallerContext,
    trail_arn: &str,
    config: &TrailConfig,
) -> Result<(), AwsError> {
    let Some(topic_arn) = config.sns_topic_arn.as_deref() else {
        return Ok(());
    };
    let Some(topic) = sns::topic(env, topic_arn)? else {
        return Err(AwsError::client(
            "InsufficientSnsTopicPolicyException",
            format!("SNS Topic does not exist or the topic policy is incorrect: {topic_arn}"),
        ));
    };
    let insufficient = || {
        AwsError::client(
            "InsufficientSnsTopicPolicyException",
            format!("Incorrect SNS topic policy is detected for topic: {topic_arn}"),
        )
    };
    let policy = parse_policy(&topic.policy).ok_or_else(insufficient)?;
    policy::topic_policy_allows_cloudtrail(&policy, &topic.arn, trail_arn, &ctx.account_id)
        .map_err(|_| insufficient())
}

fn check_cloud_watch_logs(
    env: &Env<'_>,
    ctx: &CallerContext,
    trail_arn: &str,
    config: &TrailConfig,
) -> Result<(), AwsError> {
    let (Some(group_arn), Some(role_arn)) = (
        config.cloud_watch_logs_log_group_arn.as_deref(),
        config.cloud_watch_logs_role_arn.as_deref(),
    ) else {
        return Ok(());
    };
    let Some(group) = logs::log_group_by_arn(env, group_arn)? else {
        return Err(AwsError::client(
            "InvalidCloudWatchLogsLogGroupArnException",
            format!(
                "Access denied. Check the permissions for your role. Log group {group_arn} does not exist."
            ),
        ));
    };
    let denied = |why: String| {
        AwsError::client(
            "InvalidCloudWatchLogsRoleArnException",
            format!("Access denied. Verify in IAM that the role has adequate permissions. {why}"),
        )
    };
    let Some(role) = iam::role_by_arn(env, role_arn)? else {
        return Err(denied(format!("Role {role_arn} does not exist.")));
    };
    let trust = parse_policy(&role.trust_policy)
        .ok_or_else(|| denied("The role's trust policy cannot be read.".to_string()))?;
    policy::role_trusts_cloudtrail(&trust, &ctx.account_id, trail_arn)
        .map_err(|e| denied(e.to_string()))?;
    let permissions: Vec<Policy> = role
        .inline_policies
        .iter()
        .map(|(_, doc)| doc.as_str())
        .chain(role.attached_policy_documents.iter().map(String::as_str))
        .filter_map(parse_policy)
        .collect();
    policy::role_can_write_log_group(&permissions, &group.arn).map_err(|e| denied(e.to_string()))
}

/// Whether log delivery may write to the trail's bucket now: the bucket exists and its
/// policy still lets CloudTrail write. `Err` carries the error code GetTrailStatus reports
/// as LatestDeliveryError (`NoSuchBucket`, `AccessDenied`).
pub(crate) fn delivery_allowed(
    env: &Env<'_>,
    trail_arn: &str,
    owner_account: &str,
    config: &TrailConfig,
    org_id: Option<&str>,
) -> Result<Result<(), &'static str>, AwsError> {
    let name = &config.s3_bucket_name;
    let Some(bucket) = s3::bucket(env, name)? else {
        return Ok(Err("NoSuchBucket"));
    };
    let Some(policy) = bucket.policy.as_deref().and_then(parse_policy) else {
        return Ok(Err("AccessDenied"));
    };
    Ok(policy::bucket_policy_allows_cloudtrail(
        &policy,
        name,
        config.s3_key_prefix.as_deref(),
        owner_account,
        trail_arn,
        org_id,
    )
    .map_err(|_| "AccessDenied"))
}
