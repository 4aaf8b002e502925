data "aws_cloudtrail_service_account" "main" {}
