# A trail with CloudTrail Insights on (API call rate and API error rate), delivering to a
# bucket with the policy CloudTrail needs. Insights analyses the trail's management events;
# with `ctsim generate --spike ...` there is something unusual to detect (docs/insights.md).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "name" {
  type    = string
  default = "insights-trail"
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  bucket     = "${var.name}-${local.account_id}"
}

resource "aws_s3_bucket" "logs" {
  bucket        = local.bucket
  force_destroy = true # delivered log and Insights files go with the bucket on destroy
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
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "this" {
  depends_on = [aws_s3_bucket_policy.logs]

  name           = var.name
  s3_bucket_name = aws_s3_bucket.logs.id

  insight_selector {
    insight_type = "ApiCallRateInsight"
  }

  insight_selector {
    insight_type = "ApiErrorRateInsight"
  }
}

output "trail_arn" {
  value = aws_cloudtrail.this.arn
}
