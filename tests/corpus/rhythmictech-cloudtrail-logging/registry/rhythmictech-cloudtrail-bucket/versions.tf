
terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = ">= 5"
  }
}
