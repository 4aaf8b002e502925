locals {
  associated_resource_name = "${var.account_name}-cloudtrail"
  trail_name               = "${var.account_name}-trail"
}

