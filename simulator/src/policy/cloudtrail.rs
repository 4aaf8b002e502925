//! The permission checks CloudTrail makes at CreateTrail / UpdateTrail time, as pure
//! functions over parsed policies. Each builds the request CloudTrail's delivery would make
//! (service principal `cloudtrail.amazonaws.com`, the trail ARN as `aws:SourceArn`, the
//! owner account as `aws:SourceAccount`) and evaluates the destination's policy.
//!
//! The required policies are the ones documented in the CloudTrail User Guide: "Amazon S3
//! bucket policy for CloudTrail", "Configure AWS KMS key policies for CloudTrail", "Amazon
//! SNS topic policy for CloudTrail" and "Role policy document for CloudTrail to use
//! CloudWatch Logs for monitoring".

use std::fmt;

use super::eval::{
    Decision, Request, RequestPrincipal, StatementRef, evaluate_identity_policies,
    evaluate_resource_policy,
};
use super::model::Policy;

/// The service principal CloudTrail acts as.
pub const CLOUDTRAIL_SERVICE_PRINCIPAL: &str = "cloudtrail.amazonaws.com";

/// Which policy lacked the grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantTarget {
    BucketPolicy,
    KeyPolicy,
    TopicPolicy,
    RoleTrustPolicy,
    RolePermissionPolicies,
}

impl fmt::Display for GrantTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GrantTarget::BucketPolicy => "bucket policy",
            GrantTarget::KeyPolicy => "KMS key policy",
            GrantTarget::TopicPolicy => "SNS topic policy",
            GrantTarget::RoleTrustPolicy => "role trust policy",
            GrantTarget::RolePermissionPolicies => "role permission policies",
        })
    }
}

/// The first permission CloudTrail needs that a policy does not grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGrant {
    pub target: GrantTarget,
    /// Who needed the permission (`cloudtrail.amazonaws.com`, or `the role`).
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// The Deny statement that refused it; `None` when nothing allowed it.
    pub denied_by: Option<StatementRef>,
}

impl fmt::Display for MissingGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} does not allow {} to perform {} on {}",
            self.target, self.principal, self.action, self.resource
        )?;
        match &self.denied_by {
            Some(at) => write!(f, " (explicitly denied by {at})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for MissingGrant {}

fn partition_of(arn: &str) -> &str {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

/// A request by CloudTrail's service principal on behalf of `trail_arn`.
/// The per-region accounts CloudTrail wrote logs as before the `cloudtrail.amazonaws.com`
/// service principal existed. Bucket policies that grant these accounts (often through
/// hashicorp/aws's `aws_cloudtrail_service_account`) still work on AWS, so they work here.
pub const LEGACY_SERVICE_ACCOUNTS: &[(&str, &str)] = &[
    ("af-south-1", "525921808201"),
    ("ap-east-1", "119688915426"),
    ("ap-northeast-1", "216624486486"),
    ("ap-northeast-2", "492519147666"),
    ("ap-northeast-3", "765225791966"),
    ("ap-south-1", "977081816279"),
    ("ap-south-2", "582488909970"),
    ("ap-southeast-1", "903692715234"),
    ("ap-southeast-2", "284668455005"),
    ("ap-southeast-3", "069019280451"),
    ("ap-southeast-4", "187074758985"),
    ("ca-central-1", "819402241893"),
    ("cn-north-1", "193415116832"),
    ("cn-northwest-1", "681348832753"),
    ("eu-central-1", "035351147821"),
    ("eu-central-2", "453052556044"),
    ("eu-north-1", "829690693026"),
    ("eu-south-1", "669305197877"),
    ("eu-south-2", "757211635381"),
    ("eu-west-1", "859597730677"),
    ("eu-west-2", "282025262664"),
    ("eu-west-3", "262312530599"),
    ("il-central-1", "683224464357"),
    ("me-central-1", "585772288577"),
    ("me-south-1", "034638983726"),
    ("sa-east-1", "814480443879"),
    ("us-east-1", "086441151436"),
    ("us-east-2", "475085895292"),
    ("us-gov-east-1", "608710470296"),
    ("us-gov-west-1", "608710470296"),
    ("us-west-1", "388731089494"),
    ("us-west-2", "113285607260"),
];

/// The legacy CloudTrail account of a region, if AWS has one there.
pub fn legacy_service_account(region: &str) -> Option<&'static str> {
    LEGACY_SERVICE_ACCOUNTS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, a)| *a)
}

fn cloudtrail_request(
    action: &str,
    resource: String,
    account_id: &str,
    trail_arn: &str,
) -> Request {
    Request::new(
        RequestPrincipal::service(CLOUDTRAIL_SERVICE_PRINCIPAL),
        action,
        resource,
    )
    .with("aws:SourceArn", trail_arn)
    .with("aws:SourceAccount", account_id)
    // CloudTrail calls as a service principal: policies that deny everyone except AWS
    // services (`BoolIfExists aws:PrincipalIsAWSService false`) let it through.
    .with("aws:PrincipalIsAWSService", "true")
}

fn check_resource_policy(
    target: GrantTarget,
    policy: &Policy,
    request: &Request,
) -> Result<(), MissingGrant> {
    let evaluation = evaluate_resource_policy(policy, request);
    if evaluation.decision == Decision::Allow {
        return Ok(());
    }
    Err(MissingGrant {
        target,
        principal: request.principal.to_string(),
        action: request.action.clone(),
        resource: request.resource.clone(),
        denied_by: evaluation.statement,
    })
}

/// A bucket request is granted to the service principal, or else to the region's legacy
/// CloudTrail account.
fn check_bucket_request(
    policy: &Policy,
    request: &Request,
    legacy: Option<&RequestPrincipal>,
) -> Result<(), MissingGrant> {
    let first = check_resource_policy(GrantTarget::BucketPolicy, policy, request);
    match (first, legacy) {
        (Err(e), Some(principal)) if e.denied_by.is_none() => {
            let mut as_legacy = request.clone();
            as_legacy.principal = principal.clone();
            check_resource_policy(GrantTarget::BucketPolicy, policy, &as_legacy).map_err(|_| e)
        }
        (result, _) => result,
    }
}

/// The S3 object ARN pattern CloudTrail writes under: `bucket/[prefix/]AWSLogs/<id>/*`.
pub fn cloudtrail_object_arn(
    partition: &str,
    bucket: &str,
    key_prefix: Option<&str>,
    account_or_org_id: &str,
) -> String {
    match key_prefix.filter(|p| !p.is_empty()) {
        Some(prefix) => {
            format!("arn:{partition}:s3:::{bucket}/{prefix}/AWSLogs/{account_or_org_id}/*")
        }
        None => format!("arn:{partition}:s3:::{bucket}/AWSLogs/{account_or_org_id}/*"),
    }
}

/// Checks that a bucket policy lets CloudTrail deliver the trail's logs: `s3:GetBucketAcl`
/// on the bucket, and `s3:PutObject` with `s3:x-amz-acl = bucket-owner-full-control` on
/// `bucket/[prefix/]AWSLogs/<account>/*` (and `AWSLogs/<org id>/*` for an organization
/// trail), with `aws:SourceArn` = the trail ARN and `aws:SourceAccount` = the account.
pub fn bucket_policy_allows_cloudtrail(
    policy: &Policy,
    bucket: &str,
    key_prefix: Option<&str>,
    account_id: &str,
    trail_arn: &str,
    org_id: Option<&str>,
) -> Result<(), MissingGrant> {
    let partition = partition_of(trail_arn);
    let with_common = |request: Request| {
        let request = request.with("aws:SecureTransport", "true");
        match org_id {
            Some(org) => request.with("aws:SourceOrgID", org),
            None => request,
        }
    };
    let acl_check = with_common(cloudtrail_request(
        "s3:GetBucketAcl",
        format!("arn:{partition}:s3:::{bucket}"),
        account_id,
        trail_arn,
    ));
    let legacy = trail_arn
        .split(':')
        .nth(3)
        .and_then(legacy_service_account)
        .map(RequestPrincipal::account_root);
    check_bucket_request(policy, &acl_check, legacy.as_ref())?;
    let mut owners = vec![account_id];
    owners.extend(org_id);
    for owner in owners {
        let write = with_common(cloudtrail_request(
            "s3:PutObject",
            cloudtrail_object_arn(partition, bucket, key_prefix, owner),
            account_id,
            trail_arn,
        ))
        .with("s3:x-amz-acl", "bucket-owner-full-control");
        check_bucket_request(policy, &write, legacy.as_ref())?;
    }
    Ok(())
}

/// Checks that a key policy lets CloudTrail encrypt the trail's log files:
/// `kms:GenerateDataKey` on the key with the encryption context
/// `aws:cloudtrail:arn` = the trail ARN (so the documented
/// `StringLike kms:EncryptionContext:aws:cloudtrail:arn arn:aws:cloudtrail:*:ACCOUNT:trail/*`
/// matches) and `aws:SourceArn` = the trail ARN.
///
/// The log files are written with SSE-KMS, so S3 asks KMS on CloudTrail's behalf:
/// `via_s3` (the bucket's region and the `aws:s3:arn` S3 adds to the context: the bucket ARN
/// with S3 Bucket Keys, else the object's) sets `kms:ViaService` and that context too, so
/// key policies scoped to them pass as they do on AWS.
pub fn key_policy_allows_cloudtrail(
    policy: &Policy,
    key_arn: &str,
    account_id: &str,
    trail_arn: &str,
    org_id: Option<&str>,
    via_s3: Option<(&str, &str)>,
) -> Result<(), MissingGrant> {
    let mut request = cloudtrail_request(
        "kms:GenerateDataKey",
        key_arn.to_string(),
        account_id,
        trail_arn,
    )
    .with("kms:EncryptionContext:aws:cloudtrail:arn", trail_arn);
    if let Some(org) = org_id {
        request = request.with("aws:SourceOrgID", org);
    }
    match via_s3 {
        Some((region, s3_arn)) => {
            request = request
                .with("kms:ViaService", format!("s3.{region}.amazonaws.com"))
                .with("kms:EncryptionContext:aws:s3:arn", s3_arn)
                .with_many(
                    "kms:EncryptionContextKeys",
                    ["aws:cloudtrail:arn", "aws:s3:arn"],
                );
        }
        None => request = request.with("kms:EncryptionContextKeys", "aws:cloudtrail:arn"),
    }
    check_resource_policy(GrantTarget::KeyPolicy, policy, &request)
}

/// Checks that a topic policy lets CloudTrail publish delivery notifications (`SNS:Publish`).
pub fn topic_policy_allows_cloudtrail(
    policy: &Policy,
    topic_arn: &str,
    trail_arn: &str,
    account_id: &str,
) -> Result<(), MissingGrant> {
    let request = cloudtrail_request("sns:Publish", topic_arn.to_string(), account_id, trail_arn);
    check_resource_policy(GrantTarget::TopicPolicy, policy, &request)
}

/// Checks that a role's trust policy lets CloudTrail assume it (`sts:AssumeRole` by the
/// `cloudtrail.amazonaws.com` service principal). The trail ARN and account are offered as
/// `aws:SourceArn` / `aws:SourceAccount` so trust policies scoped with them also pass.
pub fn role_trusts_cloudtrail(
    trust_policy: &Policy,
    account_id: &str,
    trail_arn: &str,
) -> Result<(), MissingGrant> {
    let request = cloudtrail_request("sts:AssumeRole", "*".to_string(), account_id, trail_arn);
    check_resource_policy(GrantTarget::RoleTrustPolicy, trust_policy, &request)
}

/// The ARN of the log stream CloudTrail creates in a log group: streams are named
/// `<account>_CloudTrail_<region>`. Accepts the log group ARN with or without the `:*`
/// suffix CloudTrail's `CloudWatchLogsLogGroupArn` carries; `None` if it is no log group ARN.
pub fn cloudtrail_log_stream_arn(log_group_arn: &str) -> Option<String> {
    let parts: Vec<&str> = log_group_arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "logs" {
        return None;
    }
    let (region, account) = (parts[3], parts[4]);
    let name = parts[5].strip_prefix("log-group:")?;
    let name = name.strip_suffix(":*").unwrap_or(name);
    if name.is_empty() || region.is_empty() || account.is_empty() {
        return None;
    }
    Some(format!(
        "arn:{}:logs:{region}:{account}:log-group:{name}:log-stream:{account}_CloudTrail_{region}",
        parts[1]
    ))
}

/// Checks that a role's permission policies let it (as assumed by CloudTrail) create the
/// trail's log stream and put events into it: `logs:CreateLogStream` and
/// `logs:PutLogEvents` on the stream [`cloudtrail_log_stream_arn`] names.
pub fn role_can_write_log_group(
    permission_policies: &[Policy],
    log_group_arn: &str,
) -> Result<(), MissingGrant> {
    let missing = |action: &str, resource: &str, denied_by| MissingGrant {
        target: GrantTarget::RolePermissionPolicies,
        principal: "the role".to_string(),
        action: action.to_string(),
        resource: resource.to_string(),
        denied_by,
    };
    let Some(stream_arn) = cloudtrail_log_stream_arn(log_group_arn) else {
        return Err(missing("logs:CreateLogStream", log_group_arn, None));
    };
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        // Identity policies ignore the principal; the role's ARN is not needed.
        let request = Request::new(RequestPrincipal::Anonymous, action, stream_arn.clone());
        let evaluation = evaluate_identity_policies(permission_policies, &request);
        if evaluation.decision != Decision::Allow {
            return Err(missing(action, &stream_arn, evaluation.statement));
        }
    }
    Ok(())
}

/// The bucket policy AWS documents for a CloudTrail bucket (ACL check plus writes under
/// `[prefix/]AWSLogs/ACCOUNT/`), for set-ups and tests that need a working destination.
pub fn documented_bucket_policy(
    bucket: &str,
    key_prefix: Option<&str>,
    account_id: &str,
) -> String {
    let prefix = key_prefix.map(|p| format!("{p}/")).unwrap_or_default();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL_SERVICE_PRINCIPAL},
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{bucket}"),
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDTRAIL_SERVICE_PRINCIPAL},
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{bucket}/{prefix}AWSLogs/{account_id}/*"),
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
        ],
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    //! The CloudTrail User Guide's documented policies must pass; realistic mistakes fail.

    use serde_json::{Value, json};

    use super::*;
    use crate::policy::model::PolicyKind;

    const ACCOUNT: &str = "111111111111";
    const REGION: &str = "us-east-2";
    const TRAIL: &str = "arn:aws:cloudtrail:us-east-2:111111111111:trail/trailName";
    const BUCKET: &str = "amzn-s3-demo-bucket";
    const ORG: &str = "o-exampleorgid";

    fn resource(doc: Value) -> Policy {
        Policy::parse_as(&doc, PolicyKind::Resource).expect("policy parses")
    }

    /// "Amazon S3 bucket policy for CloudTrail" (with the optional key prefix).
    fn documented_bucket_policy(prefix: &str) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AWSCloudTrailAclCheck20150319",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:GetBucketAcl",
                    "Resource": format!("arn:aws:s3:::{BUCKET}"),
                    "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}}
                },
                {
                    "Sid": "AWSCloudTrailWrite20150319",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": format!("arn:aws:s3:::{BUCKET}/{prefix}AWSLogs/{ACCOUNT}/*"),
                    "Condition": {"StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": TRAIL
                    }}
                }
            ]
        })
    }

    fn bucket_check(
        doc: Value,
        prefix: Option<&str>,
        org: Option<&str>,
    ) -> Result<(), MissingGrant> {
        bucket_policy_allows_cloudtrail(&resource(doc), BUCKET, prefix, ACCOUNT, TRAIL, org)
    }

    #[test]
    fn a_key_policy_scoped_to_s3_via_service_passes_when_s3_encrypts() {
        let policy = resource(json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey", "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL,
                "kms:ViaService": "s3.us-east-2.amazonaws.com",
                "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::logs"}}}]}));
        let via = Some(("us-east-2", "arn:aws:s3:::logs"));
        assert!(key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, via).is_ok());
        let other = Some(("us-east-2", "arn:aws:s3:::logs/AWSLogs/1/CloudTrail/"));
        assert!(key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, other).is_err());
    }

    #[test]
    fn documented_bucket_policy_passes() {
        assert_eq!(
            bucket_check(documented_bucket_policy(""), None, None),
            Ok(())
        );
        assert_eq!(
            bucket_check(documented_bucket_policy("logs/"), Some("logs"), None),
            Ok(())
        );
    }

    #[test]
    fn bucket_policy_without_source_arn_condition_passes() {
        // The older documented form, and the Terraform registry example shape (bucket/*).
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
             "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:GetBucketAcl", "Resource": format!("arn:aws:s3:::{BUCKET}")},
            {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
             "Principal": {"Service": "cloudtrail.amazonaws.com"},
             "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{BUCKET}/*"),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}},
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [format!("arn:aws:s3:::{BUCKET}"), format!("arn:aws:s3:::{BUCKET}/*")],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]});
        assert_eq!(bucket_check(doc, Some("any/prefix"), None), Ok(()));
    }

    #[test]
    fn documented_organization_bucket_policy_passes_for_an_organization_trail() {
        let mut doc = documented_bucket_policy("");
        doc["Statement"].as_array_mut().unwrap().push(json!({
            "Sid": "AWSCloudTrailOrganizationWrite20150319",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": format!("arn:aws:s3:::{BUCKET}/AWSLogs/{ORG}/*"),
            "Condition": {"StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceArn": TRAIL
            }}
        }));
        assert_eq!(bucket_check(doc, None, Some(ORG)), Ok(()));
        // Without the organization statement an organization trail is refused.
        let err = bucket_check(documented_bucket_policy(""), None, Some(ORG)).unwrap_err();
        assert_eq!(
            err.resource,
            format!("arn:aws:s3:::{BUCKET}/AWSLogs/{ORG}/*")
        );
    }

    #[test]
    fn bucket_policy_missing_get_bucket_acl_fails() {
        let mut doc = documented_bucket_policy("");
        doc["Statement"].as_array_mut().unwrap().remove(0);
        let err = bucket_check(doc, None, None).unwrap_err();
        assert_eq!(err.action, "s3:GetBucketAcl");
        assert_eq!(
            err.to_string(),
            "bucket policy does not allow cloudtrail.amazonaws.com to perform s3:GetBucketAcl on arn:aws:s3:::amzn-s3-demo-bucket"
        );
    }

    #[test]
    fn bucket_policy_for_another_prefix_fails() {
        let err = bucket_check(documented_bucket_policy("logs/"), Some("other"), None).unwrap_err();
        assert_eq!(err.action, "s3:PutObject");
        assert_eq!(
            err.resource,
            "arn:aws:s3:::amzn-s3-demo-bucket/other/AWSLogs/111111111111/*"
        );
        // A prefixed policy does not cover a trail without a prefix either.
        assert!(bucket_check(documented_bucket_policy("logs/"), None, None).is_err());
    }

    #[test]
    fn bucket_policy_for_another_account_fails() {
        let doc = documented_bucket_policy("");
        let policy = resource(doc);
        let other_trail = "arn:aws:cloudtrail:us-east-2:222222222222:trail/trailName";
        let err = bucket_policy_allows_cloudtrail(
            &policy,
            BUCKET,
            None,
            "222222222222",
            other_trail,
            None,
        )
        .unwrap_err();
        assert_eq!(err.action, "s3:GetBucketAcl");
    }

    #[test]
    fn bucket_policy_with_wrong_source_arn_fails() {
        let doc = documented_bucket_policy("");
        let policy = resource(doc);
        let other = "arn:aws:cloudtrail:us-east-2:111111111111:trail/otherTrail";
        let err = bucket_policy_allows_cloudtrail(&policy, BUCKET, None, ACCOUNT, other, None)
            .unwrap_err();
        assert_eq!(err.action, "s3:GetBucketAcl");
        assert_eq!(err.denied_by, None);
    }

    #[test]
    fn bucket_policy_with_wrong_acl_value_fails() {
        let mut doc = documented_bucket_policy("");
        doc["Statement"][1]["Condition"]["StringEquals"]["s3:x-amz-acl"] =
            json!("bucket-owner-read");
        let err = bucket_check(doc, None, None).unwrap_err();
        assert_eq!(err.action, "s3:PutObject");
    }

    #[test]
    fn bucket_policy_for_another_service_fails() {
        let mut doc = documented_bucket_policy("");
        for s in doc["Statement"].as_array_mut().unwrap() {
            s["Principal"] = json!({"Service": "config.amazonaws.com"});
        }
        assert!(bucket_check(doc, None, None).is_err());
    }

    #[test]
    fn bucket_policy_explicit_deny_is_reported() {
        let mut doc = documented_bucket_policy("");
        doc["Statement"].as_array_mut().unwrap().push(json!({
            "Sid": "DenyCloudTrail", "Effect": "Deny",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{BUCKET}/*")
        }));
        let err = bucket_check(doc, None, None).unwrap_err();
        assert_eq!(
            err.denied_by.as_ref().and_then(|s| s.sid.as_deref()),
            Some("DenyCloudTrail")
        );
        assert!(
            err.to_string()
                .ends_with("(explicitly denied by statement \"DenyCloudTrail\")")
        );
    }

    /// "Configure AWS KMS key policies for CloudTrail": the default policy the console
    /// creates, with the aws:SourceArn best practice.
    fn documented_key_policy() -> Value {
        json!({
            "Version": "2012-10-17",
            "Id": "Key policy created by CloudTrail",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": [format!("arn:aws:iam::{ACCOUNT}:root")]},
                    "Action": "kms:*",
                    "Resource": "*"
                },
                {
                    "Sid": "Allow CloudTrail to encrypt logs",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "kms:GenerateDataKey*",
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"aws:SourceArn": TRAIL},
                        "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                            format!("arn:aws:cloudtrail:*:{ACCOUNT}:trail/*")}
                    }
                },
                {
                    "Sid": "Allow CloudTrail to describe key",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudtrail.amazonaws.com"},
                    "Action": "kms:DescribeKey",
                    "Resource": "*"
                },
                {
                    "Sid": "Allow principals in the account to decrypt log files",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
                    "Resource": "*",
                    "Condition": {
                        "StringEquals": {"kms:CallerAccount": ACCOUNT},
                        "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn":
                            format!("arn:aws:cloudtrail:*:{ACCOUNT}:trail/*")}
                    }
                }
            ]
        })
    }

    const KEY: &str = "arn:aws:kms:us-east-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn documented_key_policy_passes() {
        let policy = resource(documented_key_policy());
        assert_eq!(
            key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, None),
            Ok(())
        );
    }

    #[test]
    fn key_policy_without_cloudtrail_fails() {
        // The default key policy only trusts the account: not the CloudTrail service.
        let policy = resource(json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")},
            "Action": "kms:*", "Resource": "*"}]}));
        let err =
            key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, None).unwrap_err();
        assert_eq!(err.target, GrantTarget::KeyPolicy);
        assert_eq!(err.action, "kms:GenerateDataKey");
        assert_eq!(
            err.to_string(),
            format!(
                "KMS key policy does not allow cloudtrail.amazonaws.com to perform kms:GenerateDataKey on {KEY}"
            )
        );
    }

    #[test]
    fn key_policy_for_another_accounts_trails_fails() {
        let mut doc = documented_key_policy();
        doc["Statement"][1]["Condition"] = json!({"StringLike": {
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:222222222222:trail/*"}});
        let policy = resource(doc);
        assert!(key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, None).is_err());
    }

    #[test]
    fn key_policy_allowing_only_decrypt_fails() {
        let mut doc = documented_key_policy();
        doc["Statement"][1]["Action"] = json!("kms:Decrypt");
        let policy = resource(doc);
        assert!(key_policy_allows_cloudtrail(&policy, KEY, ACCOUNT, TRAIL, None, None).is_err());
    }

    /// "Amazon SNS topic policy for CloudTrail", plus the aws:SourceArn best practice.
    fn documented_topic_policy(topic: &str) -> Value {
        json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "AWSCloudTrailSNSPolicy20131101",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "SNS:Publish",
            "Resource": topic
        }]})
    }

    const TOPIC: &str = "arn:aws:sns:us-east-2:111111111111:SNSTopicName";

    #[test]
    fn documented_topic_policy_passes() {
        let policy = resource(documented_topic_policy(TOPIC));
        assert_eq!(
            topic_policy_allows_cloudtrail(&policy, TOPIC, TRAIL, ACCOUNT),
            Ok(())
        );
        let mut scoped = documented_topic_policy(TOPIC);
        scoped["Statement"][0]["Condition"] = json!({"StringEquals": {"aws:SourceArn": TRAIL}});
        let policy = resource(scoped);
        assert_eq!(
            topic_policy_allows_cloudtrail(&policy, TOPIC, TRAIL, ACCOUNT),
            Ok(())
        );
    }

    #[test]
    fn topic_policy_for_another_topic_or_trail_fails() {
        let policy = resource(documented_topic_policy(
            "arn:aws:sns:us-east-2:111111111111:Other",
        ));
        let err = topic_policy_allows_cloudtrail(&policy, TOPIC, TRAIL, ACCOUNT).unwrap_err();
        assert_eq!(
            (err.target, err.action.as_str()),
            (GrantTarget::TopicPolicy, "sns:Publish")
        );

        let mut scoped = documented_topic_policy(TOPIC);
        scoped["Statement"][0]["Condition"] = json!({"StringEquals": {
            "aws:SourceArn": "arn:aws:cloudtrail:us-east-2:111111111111:trail/other"}});
        let policy = resource(scoped);
        assert!(topic_policy_allows_cloudtrail(&policy, TOPIC, TRAIL, ACCOUNT).is_err());
    }

    #[test]
    fn default_sns_topic_policy_does_not_grant_cloudtrail() {
        // SNS's default topic policy lets the owner account publish, not CloudTrail.
        let policy = resource(json!({"Version": "2008-10-17", "Id": "__default_policy_ID",
            "Statement": [{"Sid": "__default_statement_ID", "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["SNS:GetTopicAttributes", "SNS:Publish", "SNS:Subscribe"],
                "Resource": TOPIC,
                "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]}));
        assert!(topic_policy_allows_cloudtrail(&policy, TOPIC, TRAIL, ACCOUNT).is_err());
    }

    fn trust(doc: Value) -> Policy {
        Policy::parse_as(&doc, PolicyKind::Trust).expect("trust policy parses")
    }

    #[test]
    fn cloudtrail_trust_policy_passes() {
        let policy = trust(json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}));
        assert_eq!(role_trusts_cloudtrail(&policy, ACCOUNT, TRAIL), Ok(()));
        let scoped = trust(json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]}));
        assert_eq!(role_trusts_cloudtrail(&scoped, ACCOUNT, TRAIL), Ok(()));
    }

    #[test]
    fn trust_policy_for_another_service_fails() {
        let policy = trust(json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"}]}));
        let err = role_trusts_cloudtrail(&policy, ACCOUNT, TRAIL).unwrap_err();
        assert_eq!(err.target, GrantTarget::RoleTrustPolicy);
        assert_eq!(err.action, "sts:AssumeRole");
    }

    fn identity(doc: Value) -> Policy {
        Policy::parse_as(&doc, PolicyKind::Identity).expect("identity policy parses")
    }

    const LOG_GROUP: &str = "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:*";

    #[test]
    fn log_stream_arn_follows_cloudtrail_naming() {
        assert_eq!(
            cloudtrail_log_stream_arn(LOG_GROUP).as_deref(),
            Some(
                "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:log-stream:111111111111_CloudTrail_us-east-2"
            )
        );
        assert_eq!(
            cloudtrail_log_stream_arn("arn:aws:logs:us-east-2:111111111111:log-group:g"),
            Some("arn:aws:logs:us-east-2:111111111111:log-group:g:log-stream:111111111111_CloudTrail_us-east-2".to_string())
        );
        assert_eq!(cloudtrail_log_stream_arn("arn:aws:s3:::b"), None);
        assert_eq!(cloudtrail_log_stream_arn("log_group_name"), None);
    }

    #[test]
    fn documented_cloudwatch_logs_role_policy_passes() {
        let stream = format!(
            "arn:aws:logs:{REGION}:{ACCOUNT}:log-group:log_group_name:log-stream:{ACCOUNT}_CloudTrail_{REGION}*"
        );
        let policy = identity(json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "AWSCloudTrailCreateLogStream2014110", "Effect": "Allow",
             "Action": ["logs:CreateLogStream"], "Resource": [stream]},
            {"Sid": "AWSCloudTrailPutLogEvents20141101", "Effect": "Allow",
             "Action": ["logs:PutLogEvents"], "Resource": [stream]}
        ]}));
        assert_eq!(role_can_write_log_group(&[policy], LOG_GROUP), Ok(()));
        // The usual Terraform form: the log group ARN followed by `:*`, split over policies.
        let create = identity(json!({"Statement": {"Effect": "Allow",
            "Action": "logs:CreateLogStream",
            "Resource": "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:*"}}));
        let put = identity(json!({"Statement": {"Effect": "Allow",
            "Action": "logs:PutLogEvents",
            "Resource": "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:*"}}));
        assert_eq!(role_can_write_log_group(&[create, put], LOG_GROUP), Ok(()));
    }

    #[test]
    fn role_policy_missing_put_log_events_fails() {
        let policy = identity(json!({"Statement": {"Effect": "Allow",
            "Action": "logs:CreateLogStream",
            "Resource": "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:*"}}));
        let err = role_can_write_log_group(&[policy], LOG_GROUP).unwrap_err();
        assert_eq!(err.action, "logs:PutLogEvents");
        assert_eq!(err.target, GrantTarget::RolePermissionPolicies);
    }

    #[test]
    fn role_policy_on_the_bare_log_group_arn_fails() {
        // Without `:*` the policy names the group, not its streams.
        let policy = identity(json!({"Statement": {"Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name"}}));
        assert!(role_can_write_log_group(&[policy], LOG_GROUP).is_err());
    }

    #[test]
    fn role_policy_for_another_log_group_or_no_policy_fails() {
        let policy = identity(json!({"Statement": {"Effect": "Allow",
            "Action": "logs:*",
            "Resource": "arn:aws:logs:us-east-2:111111111111:log-group:other:*"}}));
        assert!(role_can_write_log_group(&[policy], LOG_GROUP).is_err());
        assert!(role_can_write_log_group(&[], LOG_GROUP).is_err());
        let err = role_can_write_log_group(&[], "not-an-arn").unwrap_err();
        assert_eq!(err.resource, "not-an-arn");
    }
}
