//! Configurations that AWS refuses are refused by ctsim at the same step, with AWS's
//! exception name in the Terraform diagnostic.

use ctsim_e2e::{TfWorkspace, combined};

const PROVIDER: &str = r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
"#;

/// A bucket with the CloudTrail policy AWS documents (for account and organization paths).
fn good_bucket(name: &str, extra_prefixes: &str) -> String {
    format!(
        r#"
resource "aws_s3_bucket" "logs" {{
  bucket        = "{name}"
  force_destroy = true
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      }},
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:PutObject"
        Resource  = concat(["${{aws_s3_bucket.logs.arn}}/AWSLogs/${{data.aws_caller_identity.current.account_id}}/*"], [{extra_prefixes}])
        Condition = {{ StringEquals = {{ "s3:x-amz-acl" = "bucket-owner-full-control" }} }}
      }},
    ]
  }})
}}
"#
    )
}

/// Applies and expects a failure naming `exception`.
fn apply_fails_with(ws: &TfWorkspace, exception: &str) -> String {
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    let text = combined(&out);
    assert!(
        !out.status.success(),
        "apply should fail with {exception}:\n{text}"
    );
    assert!(text.contains(exception), "expected {exception} in:\n{text}");
    text
}

#[test]
fn bucket_policy_without_the_cloudtrail_grant() {
    let hcl = format!(
        r#"{PROVIDER}
resource "aws_s3_bucket" "logs" {{
  bucket = "no-cloudtrail-grant"
}}

resource "aws_s3_bucket_policy" "logs" {{
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = "arn:aws:iam::${{data.aws_caller_identity.current.account_id}}:root" }}
      Action    = "s3:GetObject"
      Resource  = "${{aws_s3_bucket.logs.arn}}/*"
    }}]
  }})
}}

resource "aws_cloudtrail" "t" {{
  depends_on     = [aws_s3_bucket_policy.logs]
  name           = "denied-trail"
  s3_bucket_name = aws_s3_bucket.logs.id
}}
"#
    );
    let ws = TfWorkspace::new(&[("main.tf", &hcl)]);
    ws.init();
    let text = apply_fails_with(&ws, "InsufficientS3BucketPolicyException");
    assert!(
        text.contains("creating CloudTrail Trail (denied-trail)"),
        "{text}"
    );
}

#[test]
fn key_policy_without_cloudtrail() {
    let hcl = format!(
        r#"{PROVIDER}{bucket}
resource "aws_kms_key" "k" {{
  description             = "default policy: CloudTrail may not use it"
  deletion_window_in_days = 7
}}

resource "aws_cloudtrail" "t" {{
  depends_on     = [aws_s3_bucket_policy.logs]
  name           = "denied-trail"
  s3_bucket_name = aws_s3_bucket.logs.id
  kms_key_id     = aws_kms_key.k.arn
}}
"#,
        bucket = good_bucket("key-policy-test", "")
    );
    let ws = TfWorkspace::new(&[("main.tf", &hcl)]);
    ws.init();
    apply_fails_with(&ws, "InsufficientEncryptionPolicyException");
}

#[test]
fn log_group_role_that_cloudtrail_cannot_assume() {
    let hcl = format!(
        r#"{PROVIDER}{bucket}
resource "aws_cloudwatch_log_group" "g" {{
  name = "trail"
}}

resource "aws_iam_role" "r" {{
  name = "lambda-only"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "lambda.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_iam_role_policy" "p" {{
  name = "write"
  role = aws_iam_role.r.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "${{aws_cloudwatch_log_group.g.arn}}:log-stream:*"
    }}]
  }})
}}

resource "aws_cloudtrail" "t" {{
  depends_on                 = [aws_s3_bucket_policy.logs, aws_iam_role_policy.p]
  name                       = "denied-trail"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.g.arn}}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.r.arn
}}
"#,
        bucket = good_bucket("log-role-test", "")
    );
    let mut ws = TfWorkspace::new(&[("main.tf", &hcl)]);
    // The role never gets the permissions: no need to wait hashicorp/aws's two minutes.
    ws.env
        .push(("CTSIM_PROPAGATION_TIMEOUT".into(), "3".into()));
    ws.init();
    apply_fails_with(&ws, "InvalidCloudWatchLogsRoleArnException");
}

#[test]
fn organization_trail_without_an_organization() {
    let hcl = format!(
        r#"{PROVIDER}{bucket}
resource "aws_cloudtrail" "t" {{
  depends_on            = [aws_s3_bucket_policy.logs]
  name                  = "denied-trail"
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_organization_trail = true
}}
"#,
        bucket = good_bucket("no-org-test", "")
    );
    let ws = TfWorkspace::new(&[("main.tf", &hcl)]);
    ws.init();
    apply_fails_with(&ws, "OrganizationsNotInUseException");
}

#[test]
fn organization_trail_from_a_member_account() {
    // Step 1, management account: the organization, trusted access, one member account.
    let org = format!(
        r#"{PROVIDER}
resource "aws_organizations_organization" "o" {{
  feature_set                   = "ALL"
  aws_service_access_principals = ["cloudtrail.amazonaws.com"]
}}

resource "aws_organizations_account" "member" {{
  depends_on = [aws_organizations_organization.o]
  name       = "workload"
  email      = "workload@example.com"
}}

output "member" {{
  value = aws_organizations_account.member.id
}}
"#
    );
    let ws = TfWorkspace::new(&[("main.tf", &org)]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    let member = String::from_utf8_lossy(&ws.terraform(&["output", "-raw", "member"]).stdout)
        .trim()
        .to_string();
    assert_eq!(member.len(), 12, "member account id: {member:?}");

    // Step 2, the member account (through its organization access role) tries an
    // organization trail.
    let member_hcl = format!(
        r#"
provider "aws" {{
  alias  = "member"
  region = "us-east-1"
  assume_role {{
    role_arn = "arn:aws:iam::{member}:role/OrganizationAccountAccessRole"
  }}
}}

resource "aws_s3_bucket" "member_logs" {{
  provider = aws.member
  bucket   = "member-trail-logs"
}}

resource "aws_s3_bucket_policy" "member_logs" {{
  provider = aws.member
  bucket   = aws_s3_bucket.member_logs.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.member_logs.arn
      }},
      {{
        Effect    = "Allow"
        Principal = {{ Service = "cloudtrail.amazonaws.com" }}
        Action    = "s3:PutObject"
        Resource  = "${{aws_s3_bucket.member_logs.arn}}/AWSLogs/*"
        Condition = {{ StringEquals = {{ "s3:x-amz-acl" = "bucket-owner-full-control" }} }}
      }},
    ]
  }})
}}

resource "aws_cloudtrail" "from_member" {{
  provider              = aws.member
  depends_on            = [aws_s3_bucket_policy.member_logs]
  name                  = "from-member"
  s3_bucket_name        = aws_s3_bucket.member_logs.id
  is_organization_trail = true
}}
"#
    );
    ws.write("member.tf", &member_hcl);
    apply_fails_with(&ws, "NotOrganizationMasterAccountException");
}
