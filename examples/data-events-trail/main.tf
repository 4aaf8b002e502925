# A data-event trail with advanced event selectors (S3 object writes in chosen buckets, all
# Lambda invocations) that notifies an SNS topic of each delivered log file.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

variable "watched_buckets" {
  type    = set(string)
  default = ["payments-data", "customer-exports"]
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.region
  name       = "data-events"
  trail_arn  = "arn:aws:cloudtrail:${local.region}:${local.account_id}:trail/${local.name}"
}

resource "aws_s3_bucket" "watched" {
  for_each = var.watched_buckets
  bucket   = "${each.key}-${local.account_id}"
}

resource "aws_s3_bucket" "logs" {
  bucket        = "${local.name}-logs-${local.account_id}"
  force_destroy = true
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
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/${local.account_id}/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = local.trail_arn
          }
        }
      },
    ]
  })
}

resource "aws_sns_topic" "deliveries" {
  name = "${local.name}-deliveries"
}

data "aws_iam_policy_document" "deliveries" {
  statement {
    sid       = "AWSCloudTrailSNSPolicy"
    actions   = ["SNS:Publish"]
    resources = [aws_sns_topic.deliveries.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_sns_topic_policy" "deliveries" {
  arn    = aws_sns_topic.deliveries.arn
  policy = data.aws_iam_policy_document.deliveries.json
}

resource "aws_cloudtrail" "data" {
  depends_on = [aws_s3_bucket_policy.logs, aws_sns_topic_policy.deliveries]

  name           = local.name
  s3_bucket_name = aws_s3_bucket.logs.id
  sns_topic_name = aws_sns_topic.deliveries.name

  advanced_event_selector {
    name = "S3 object writes in watched buckets"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }

    field_selector {
      field  = "readOnly"
      equals = ["false"]
    }

    field_selector {
      field       = "resources.ARN"
      starts_with = [for b in aws_s3_bucket.watched : "${b.arn}/"]
    }
  }

  advanced_event_selector {
    name = "All Lambda invocations"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}

output "trail_arn" {
  value = aws_cloudtrail.data.arn
}

output "sns_topic_arn" {
  value = aws_cloudtrail.data.sns_topic_arn
}
