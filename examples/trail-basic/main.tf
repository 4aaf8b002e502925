# A multi-region trail with log file validation, an S3 data-event selector and
# API call rate Insights: the shape most CloudTrail set-ups start from.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = {
      ManagedBy = "terraform"
    }
  }
}

variable "trail_name" {
  type    = string
  default = "management-events"
}

resource "aws_cloudtrail" "main" {
  name                       = var.trail_name
  s3_bucket_name             = "audit-logs-123456789012"
  s3_key_prefix              = "cloudtrail"
  is_multi_region_trail      = true
  enable_log_file_validation = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::audit-logs-123456789012/"]
    }
  }

  insight_selector {
    insight_type = "ApiCallRateInsight"
  }

  tags = {
    Team = "security"
  }
}

output "trail_arn" {
  value = aws_cloudtrail.main.arn
}

output "home_region" {
  value = aws_cloudtrail.main.home_region
}
