# A CloudTrail Lake event data store for one account: every management event, plus writes
# to S3 objects, kept for a year. Query it with `ctsim lake query`.

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

resource "aws_cloudtrail_event_data_store" "audit" {
  name                 = "audit-lake"
  retention_period     = 365
  multi_region_enabled = true

  # Off so that `terraform destroy` works in a sandbox; leave it on (the default) in production.
  termination_protection_enabled = false

  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  advanced_event_selector {
    name = "S3 object writes"
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
  }

  tags = {
    purpose = "audit"
  }
}

output "event_data_store_id" {
  description = "The table name to use in Lake SQL: the last part of the ARN."
  value       = element(split("/", aws_cloudtrail_event_data_store.audit.arn), 1)
}
