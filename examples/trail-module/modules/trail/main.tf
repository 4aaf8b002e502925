terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.0"
    }
  }
}

variable "name" {
  type = string
}

variable "bucket" {
  type = string
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = var.bucket
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true

  advanced_event_selector {
    name = "Management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}

output "arn" {
  value = aws_cloudtrail.this.arn
}
