//! A small catalogue of AWS managed policies (`arn:aws:iam::aws:policy/...`), the ones
//! CloudTrail set-ups attach. Documents are the real ones where short; the long ones
//! (ReadOnlyAccess, AWSCloudTrail_FullAccess) are abbreviated to their relevant statements.

use chrono::{TimeZone, Utc};

use super::model::{Policy, PolicyVersion};
use crate::clock;
use crate::ids;

/// (name, path, default version, created (y, m, d), description, document)
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    (i32, u32, u32),
    &'static str,
    &'static str,
);

const CATALOGUE: &[Entry] = &[
    (
        "AdministratorAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides full access to AWS services and resources.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides read-only access to AWS services and resources.",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyActions","Effect":"Allow","Action":["cloudtrail:Describe*","cloudtrail:Get*","cloudtrail:List*","cloudtrail:LookupEvents","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","kms:Describe*","kms:Get*","kms:List*","logs:Describe*","logs:FilterLogEvents","logs:Get*","logs:ListTagsForResource","logs:ListTagsLogGroup","logs:StartQuery","logs:StopQuery","logs:TestMetricFilter","organizations:Describe*","organizations:List*","s3:Describe*","s3:Get*","s3:List*","sns:Get*","sns:List*","sts:GetCallerIdentity"],"Resource":"*"}]}"#,
    ),
    (
        "AWSCloudTrail_FullAccess",
        "/",
        "v1",
        (2021, 2, 18),
        "Provides full access to AWS CloudTrail.",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowFullAccessToCloudTrail","Effect":"Allow","Action":"cloudtrail:*","Resource":"*"},{"Sid":"AllowS3BucketCreationAndPolicy","Effect":"Allow","Action":["s3:CreateBucket","s3:PutBucketPolicy","s3:PutBucketPublicAccessBlock","s3:PutEncryptionConfiguration","s3:ListAllMyBuckets","s3:GetBucketLocation","s3:GetBucketPolicy"],"Resource":"*"},{"Sid":"AllowSNSTopicManagement","Effect":"Allow","Action":["sns:AddPermission","sns:CreateTopic","sns:SetTopicAttributes","sns:GetTopicAttributes","sns:ListTopics"],"Resource":"*"},{"Sid":"AllowKMSAndLogs","Effect":"Allow","Action":["kms:ListKeys","kms:ListAliases","kms:CreateKey","kms:CreateAlias","kms:DescribeKey","kms:PutKeyPolicy","logs:CreateLogGroup","logs:DescribeLogGroups","iam:ListRoles","iam:GetRolePolicy","iam:GetUser","organizations:DescribeOrganization","organizations:ListAWSServiceAccessForOrganization"],"Resource":"*"},{"Sid":"AllowPassRoleToCloudTrail","Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"cloudtrail.amazonaws.com"}}}]}"#,
    ),
    (
        "AWSCloudTrail_ReadOnlyAccess",
        "/",
        "v1",
        (2021, 2, 18),
        "Provides read only access to AWS CloudTrail.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:GetBucketLocation"],"Resource":"*"},{"Effect":"Allow","Action":["cloudtrail:Get*","cloudtrail:Describe*","cloudtrail:List*","cloudtrail:LookupEvents"],"Resource":"*"}]}"#,
    ),
    (
        "CloudWatchLogsFullAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides full access to CloudWatch Logs",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"CloudWatchLogsFullAccess","Effect":"Allow","Action":["logs:*","cloudwatch:GenerateQuery"],"Resource":"*"}]}"#,
    ),
    (
        "CloudWatchLogsReadOnlyAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides read only access to CloudWatch Logs",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"CloudWatchLogsReadOnlyAccess","Effect":"Allow","Action":["logs:Describe*","logs:Get*","logs:List*","logs:StartQuery","logs:StopQuery","logs:TestMetricFilter","logs:FilterLogEvents","logs:StartLiveTail","logs:StopLiveTail","cloudwatch:GenerateQuery"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3FullAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides full access to all buckets via the AWS Management Console.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonS3ReadOnlyAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides read only access to all buckets via the AWS Management Console.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}"#,
    ),
    (
        "AmazonSNSFullAccess",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides full access to Amazon SNS via the AWS Management Console.",
        r#"{"Version":"2012-10-17","Statement":[{"Action":["sns:*"],"Effect":"Allow","Resource":"*"}]}"#,
    ),
    (
        "AWSKeyManagementServicePowerUser",
        "/",
        "v1",
        (2015, 2, 6),
        "Provides access to AWS Key Management Service (KMS).",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias","kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource","iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]}"#,
    ),
    (
        "AWSOrganizationsFullAccess",
        "/",
        "v1",
        (2018, 11, 6),
        "Provides full access to AWS Organizations.",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}"#,
    ),
];

/// The catalogue entry an ARN names, as a Policy (attachment count 0: the caller fills it)
/// and its default version.
pub fn lookup(arn: &str) -> Option<(Policy, PolicyVersion)> {
    CATALOGUE.iter().find(|e| arn_of(e) == arn).map(to_policy)
}

/// Every catalogued policy.
pub fn all() -> Vec<(Policy, PolicyVersion)> {
    CATALOGUE.iter().map(to_policy).collect()
}

fn arn_of(e: &Entry) -> String {
    format!("arn:aws:iam::aws:policy{}{}", e.1, e.0)
}

fn to_policy(e: &Entry) -> (Policy, PolicyVersion) {
    let (name, path, version, (y, m, d), description, doc) = *e;
    // Catalogue dates are literal and valid.
    let created = Utc
        .with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .map(clock::to_epoch_seconds)
        .unwrap_or_default();
    let policy = Policy {
        policy_name: name.to_string(),
        policy_id: format!(
            "ANPA{}",
            ids::token_from(&format!("aws-managed:{name}"), 17)
        ),
        arn: arn_of(e),
        path: path.to_string(),
        default_version_id: version.to_string(),
        attachment_count: 0,
        permissions_boundary_usage_count: 0,
        is_attachable: true,
        description: Some(description.to_string()),
        create_date: created,
        update_date: created,
        tags: None,
    };
    let v = PolicyVersion {
        document: Some(doc.to_string()),
        version_id: version.to_string(),
        is_default_version: true,
        create_date: created,
    };
    (policy, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_documents_are_valid_identity_policies() {
        for (p, v) in all() {
            let doc = v.document.unwrap_or_default();
            super::super::names::validate_policy_document(
                &doc,
                super::super::names::PolicyKind::Identity,
                super::super::names::MANAGED_POLICY_MAX,
            )
            .unwrap_or_else(|e| panic!("{}: {e}", p.policy_name));
        }
        assert!(lookup("arn:aws:iam::aws:policy/CloudWatchLogsFullAccess").is_some());
        assert!(lookup("arn:aws:iam::aws:policy/Nope").is_none());
    }
}
