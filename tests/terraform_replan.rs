//! Configurations the way people write them, each applied with the real terraform and then
//! re-planned: the second plan must be empty. Policies come as jsonencode, heredoc and
//! aws_iam_policy_document; a role gets its policies from separate resources; a bucket's
//! settings live in sub-resources next to it; optional ARNs are passed as "" and
//! `timeouts {}` blocks are set, as public modules do.

use ctsim_e2e::TfWorkspace;

const CONFIG: &str = r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

# --- a role with its policies in separate resources ------------------------------------
resource "aws_iam_role" "app" {
  name = "replan-app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "inline" {
  name = "inline"
  role = aws_iam_role.app.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["s3:GetObject"],
          "Resource": "*"
        }
      ]
    }
  EOT
}

data "aws_iam_policy_document" "managed" {
  statement {
    sid       = "Read Logs"
    actions   = ["logs:GetLogEvents", "logs:DescribeLogStreams"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "managed" {
  name   = "replan-managed"
  policy = data.aws_iam_policy_document.managed.json
}

resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.managed.arn
}

# --- a bucket configured through its sub-resources --------------------------------------
resource "aws_s3_bucket" "logs" {
  bucket        = "replan-trail-logs"
  force_destroy = true

  timeouts {
    create = "10m"
  }
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.trail.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 365
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
    ]
  })
}

# --- a KMS key with AWS's default key policy Sid, written as a heredoc ------------------
resource "aws_kms_key" "trail" {
  description             = "replan trail key"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy                  = <<-EOT
    {
      "Version": "2012-10-17",
      "Id": "key-default-1",
      "Statement": [
        {
          "Sid": "Enable IAM User Permissions",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "Allow CloudTrail to encrypt logs",
          "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"},
          "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
          "Resource": "*"
        }
      ]
    }
  EOT

  timeouts {}
}

resource "aws_kms_alias" "trail" {
  name          = "alias/replan-trail"
  target_key_id = aws_kms_key.trail.key_id
}

# --- an SNS topic whose policy comes from a data source ---------------------------------
resource "aws_sns_topic" "trail" {
  name = "replan-trail"
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AWSCloudTrailSNSPolicy"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.trail.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic_policy" "trail" {
  arn    = aws_sns_topic.trail.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_cloudwatch_log_group" "unused" {
  name              = "/replan/unused"
  retention_in_days = 30
}

# --- a trail that passes "" for the ARNs it does not use, as trail modules do ----------
resource "aws_cloudtrail" "main" {
  depends_on = [aws_s3_bucket_policy.logs, aws_sns_topic_policy.trail]

  name                          = "replan-trail"
  s3_bucket_name                = aws_s3_bucket.logs.id
  kms_key_id                    = aws_kms_key.trail.arn
  sns_topic_name                = aws_sns_topic.trail.name
  cloud_watch_logs_group_arn    = ""
  cloud_watch_logs_role_arn     = ""
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["${aws_s3_bucket.logs.arn}/"]
    }
  }

  tags = {
    Team = "security"
  }
}
"#;

#[test]
fn configurations_people_write_re_plan_empty_after_apply() {
    let ws = TfWorkspace::new(&[("main.tf", CONFIG)]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}

#[test]
fn timeouts_blocks_are_accepted_on_every_type_hashicorp_gives_them() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_account" "member" {
  depends_on = [aws_organizations_organization.org]
  name       = "member"
  email      = "member@example.com"
  timeouts {
    create = "30m"
    delete = "30m"
  }
}

resource "aws_cloudtrail_event_data_store" "lake" {
  name                           = "replan-lake"
  termination_protection_enabled = false
  timeouts {
    create = "5m"
  }
}
"#,
    )]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
