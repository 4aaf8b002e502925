# A trail defined in a local module, with the version constraint style of a repository
# still on the 5.x provider: `terraform init` must work offline with modules.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region  = "eu-west-1"
  profile = "audit-admin"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/terraform"
    session_name = "ci"
  }
}

module "audit" {
  source = "./modules/trail"

  name   = "org-audit"
  bucket = "org-audit-logs"
}

output "trail_arn" {
  value = module.audit.arn
}
