//! The generic tier with the real terraform binary: a security-baseline configuration of
//! more than 25 types ctsim does not simulate in depth (VPC, Config, GuardDuty, Security
//! Hub, IAM users, account settings, DynamoDB, ECR, Lambda, EventBridge, monitoring) applies,
//! its outputs carry ids and ARNs in AWS's formats, the re-plan is empty, import by id works,
//! destroy is clean, and every call is recorded as the CloudTrail event AWS records.

use std::collections::BTreeSet;

use ctsim_e2e::TfWorkspace;
use serde_json::{Value, json};

const CONFIG: &str = r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_availability_zones" "available" {
  state = "available"
}

# --- network -------------------------------------------------------------------------
resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "baseline" }
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "app" {
  name        = "baseline-app"
  description = "application tier"
  vpc_id      = aws_vpc.main.id

  timeouts {
    create = "5m"
    delete = "10m"
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "10.20.0.0/16"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/baseline/vpc-flow"
  retention_in_days = 90
}

resource "aws_iam_role" "flow" {
  name = "baseline-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_flow_log" "vpc" {
  vpc_id          = aws_vpc.main.id
  traffic_type    = "REJECT"
  log_destination = aws_cloudwatch_log_group.flow.arn
  iam_role_arn    = aws_iam_role.flow.arn
}

# --- AWS Config ----------------------------------------------------------------------
resource "aws_s3_bucket" "config" {
  bucket        = "baseline-config-${data.aws_caller_identity.current.account_id}"
  force_destroy = true
}

resource "aws_iam_role" "config" {
  name = "baseline-config"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "config.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_config_configuration_recorder" "main" {
  name     = "default"
  role_arn = aws_iam_role.config.arn
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "main" {
  name           = "default"
  s3_bucket_name = aws_s3_bucket.config.bucket
  depends_on     = [aws_config_configuration_recorder.main]
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
  depends_on = [aws_config_delivery_channel.main]
}

resource "aws_config_config_rule" "cloudtrail_enabled" {
  name = "cloudtrail-enabled"
  source {
    owner             = "AWS"
    source_identifier = "CLOUD_TRAIL_ENABLED"
  }
  depends_on = [aws_config_configuration_recorder.main]
}

# --- detection -----------------------------------------------------------------------
resource "aws_guardduty_detector" "main" {
  enable                       = true
  finding_publishing_frequency = "SIX_HOURS"
}

resource "aws_securityhub_account" "main" {}

resource "aws_securityhub_standards_subscription" "cis" {
  standards_arn = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
  depends_on    = [aws_securityhub_account.main]
}

# --- identity and account settings ---------------------------------------------------
resource "aws_iam_user" "auditor" {
  name = "auditor"
  path = "/security/"
}

resource "aws_iam_group" "auditors" {
  name = "auditors"
}

resource "aws_iam_group_membership" "auditors" {
  name  = "auditors-membership"
  group = aws_iam_group.auditors.name
  users = [aws_iam_user.auditor.name]
}

resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length        = 14
  require_symbols                = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  allow_users_to_change_password = true
  max_password_age               = 90
  password_reuse_prevention      = 24
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}

# --- application -----------------------------------------------------------------------
resource "aws_dynamodb_table" "locks" {
  name         = "baseline-locks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"
  attribute {
    name = "LockID"
    type = "S"
  }
}

resource "aws_ecr_repository" "app" {
  name                 = "baseline/app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_iam_role" "lambda" {
  name = "baseline-remediation"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "remediate" {
  function_name = "baseline-remediate"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "remediate.zip"
}

resource "aws_cloudwatch_event_rule" "root_login" {
  name = "baseline-root-login"
  event_pattern = jsonencode({
    "detail-type" = ["AWS Console Sign In via CloudTrail"]
    detail        = { userIdentity = { type = ["Root"] } }
  })
}

resource "aws_cloudwatch_event_target" "remediate" {
  rule      = aws_cloudwatch_event_rule.root_login.name
  target_id = "remediate"
  arn       = aws_lambda_function.remediate.arn
}

resource "aws_sqs_queue" "findings" {
  name                      = "baseline-findings"
  message_retention_seconds = 1209600
}

resource "aws_sns_topic" "alerts" {
  name = "baseline-alerts"
}

resource "aws_sns_topic_subscription" "findings" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.findings.arn
}

resource "aws_cloudwatch_log_metric_filter" "unauthorized" {
  name           = "unauthorized-api-calls"
  log_group_name = aws_cloudwatch_log_group.flow.name
  pattern        = "{ ($.errorCode = \"*UnauthorizedOperation\") || ($.errorCode = \"AccessDenied*\") }"
  metric_transformation {
    name      = "UnauthorizedAPICalls"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "unauthorized" {
  alarm_name          = "unauthorized-api-calls"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "UnauthorizedAPICalls"
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

output "vpc_id" { value = aws_vpc.main.id }
output "vpc_arn" { value = aws_vpc.main.arn }
output "subnet_ids" { value = aws_subnet.private[*].id }
output "security_group_id" { value = aws_security_group.app.id }
output "detector_id" { value = aws_guardduty_detector.main.id }
output "table_arn" { value = aws_dynamodb_table.locks.arn }
output "repository_url" { value = aws_ecr_repository.app.repository_url }
output "function_arn" { value = aws_lambda_function.remediate.arn }
output "rule_arn" { value = aws_cloudwatch_event_rule.root_login.arn }
output "alarm_arn" { value = aws_cloudwatch_metric_alarm.unauthorized.arn }
output "user_arn" { value = aws_iam_user.auditor.arn }
"#;

/// (eventSource, eventName) AWS records for the calls this configuration makes.
const EXPECTED_EVENTS: &[(&str, &str)] = &[
    ("ec2.amazonaws.com", "CreateVpc"),
    ("ec2.amazonaws.com", "CreateSubnet"),
    ("ec2.amazonaws.com", "CreateInternetGateway"),
    ("ec2.amazonaws.com", "CreateRouteTable"),
    ("ec2.amazonaws.com", "AssociateRouteTable"),
    ("ec2.amazonaws.com", "CreateSecurityGroup"),
    ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"),
    ("ec2.amazonaws.com", "CreateFlowLogs"),
    ("ec2.amazonaws.com", "EnableEbsEncryptionByDefault"),
    ("ec2.amazonaws.com", "DescribeAvailabilityZones"),
    ("config.amazonaws.com", "PutConfigurationRecorder"),
    ("config.amazonaws.com", "PutDeliveryChannel"),
    ("config.amazonaws.com", "StartConfigurationRecorder"),
    ("config.amazonaws.com", "PutConfigRule"),
    ("guardduty.amazonaws.com", "CreateDetector"),
    ("securityhub.amazonaws.com", "EnableSecurityHub"),
    ("securityhub.amazonaws.com", "BatchEnableStandards"),
    ("iam.amazonaws.com", "CreateUser"),
    ("iam.amazonaws.com", "CreateGroup"),
    ("iam.amazonaws.com", "AddUserToGroup"),
    ("iam.amazonaws.com", "UpdateAccountPasswordPolicy"),
    ("s3.amazonaws.com", "PutPublicAccessBlock"),
    ("dynamodb.amazonaws.com", "CreateTable"),
    ("ecr.amazonaws.com", "CreateRepository"),
    ("lambda.amazonaws.com", "CreateFunction20150331"),
    ("events.amazonaws.com", "PutRule"),
    ("events.amazonaws.com", "PutTargets"),
    ("sqs.amazonaws.com", "CreateQueue"),
    ("sns.amazonaws.com", "Subscribe"),
    ("logs.amazonaws.com", "PutMetricFilter"),
    ("monitoring.amazonaws.com", "PutMetricAlarm"),
];

fn recorded_events(ws: &TfWorkspace) -> BTreeSet<(String, String)> {
    let sim = ws.simulator();
    let mut seen = BTreeSet::new();
    for region in ["us-east-1"] {
        let ctx = sim.default_caller(region);
        let mut token: Option<String> = None;
        loop {
            let mut req = json!({"MaxResults": 50});
            if let Some(t) = &token {
                req["NextToken"] = json!(t);
            }
            let page = sim
                .invoke(&ctx, "cloudtrail", "LookupEvents", req)
                .expect("LookupEvents");
            for e in page["Events"].as_array().into_iter().flatten() {
                let record: Value = e["CloudTrailEvent"]
                    .as_str()
                    .and_then(|t| serde_json::from_str(t).ok())
                    .unwrap_or_default();
                seen.insert((
                    record["eventSource"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    record["eventName"].as_str().unwrap_or_default().to_string(),
                ));
            }
            match page["NextToken"].as_str() {
                Some(t) => token = Some(t.to_string()),
                None => break,
            }
        }
    }
    seen
}

fn output(outputs: &Value, name: &str) -> String {
    outputs[name]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("output {name}: {}", outputs[name]))
        .to_string()
}

#[test]
fn a_security_baseline_of_generic_types_applies_replans_empty_imports_and_destroys() {
    let ws = TfWorkspace::new(&[("main.tf", CONFIG)]);
    std::fs::write(
        ws.dir.join("remediate.zip"),
        b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    )
    .expect("writing the function package");
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let outputs: Value = serde_json::from_str(&ws.ok(&["output", "-json"])).expect("output JSON");
    let vpc = output(&outputs, "vpc_id");
    assert!(vpc.starts_with("vpc-") && vpc.len() == 21, "{vpc}");
    assert_eq!(
        output(&outputs, "vpc_arn"),
        format!("arn:aws:ec2:us-east-1:123456789012:vpc/{vpc}")
    );
    for s in outputs["subnet_ids"]["value"].as_array().expect("subnets") {
        assert!(s.as_str().is_some_and(|s| s.starts_with("subnet-")), "{s}");
    }
    assert!(output(&outputs, "security_group_id").starts_with("sg-"));
    let detector = output(&outputs, "detector_id");
    assert!(
        detector.len() == 32 && detector.bytes().all(|b| b.is_ascii_hexdigit()),
        "{detector}"
    );
    assert_eq!(
        output(&outputs, "table_arn"),
        "arn:aws:dynamodb:us-east-1:123456789012:table/baseline-locks"
    );
    assert_eq!(
        output(&outputs, "repository_url"),
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/baseline/app"
    );
    assert_eq!(
        output(&outputs, "function_arn"),
        "arn:aws:lambda:us-east-1:123456789012:function:baseline-remediate"
    );
    assert_eq!(
        output(&outputs, "rule_arn"),
        "arn:aws:events:us-east-1:123456789012:rule/baseline-root-login"
    );
    assert_eq!(
        output(&outputs, "alarm_arn"),
        "arn:aws:cloudwatch:us-east-1:123456789012:alarm:unauthorized-api-calls"
    );
    assert_eq!(
        output(&outputs, "user_arn"),
        "arn:aws:iam::123456789012:user/security/auditor"
    );

    let seen = recorded_events(&ws);
    let missing: Vec<_> = EXPECTED_EVENTS
        .iter()
        .filter(|(s, n)| !seen.contains(&(s.to_string(), n.to_string())))
        .collect();
    assert!(
        missing.is_empty(),
        "not recorded: {missing:?}\nseen: {seen:?}"
    );

    // Import by the id form: forget three objects, import them back, and plan clean.
    for (address, id) in [
        ("aws_vpc.main", vpc.clone()),
        ("aws_dynamodb_table.locks", "baseline-locks".to_string()),
        ("aws_guardduty_detector.main", detector.clone()),
    ] {
        ws.ok(&["state", "rm", "-no-color", address]);
        ws.ok(&["import", "-no-color", address, &id]);
    }
    ws.assert_no_changes();

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let sim = ws.simulator();
    for kind in [
        "aws_vpc",
        "aws_subnet",
        "aws_guardduty_detector",
        "aws_dynamodb_table",
    ] {
        let left = sim
            .read(|db| Ok(db.documents("generic", kind, None, None)?))
            .expect("reading the store");
        assert!(left.is_empty(), "{kind} left after destroy: {left:?}");
    }
}

#[test]
fn a_reference_to_a_missing_object_fails_with_the_aws_error() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_subnet" "orphan" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "10.9.0.0/24"
}
"#,
    )]);
    ws.init();
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("InvalidVpcID.NotFound") && text.contains("vpc-0123456789abcdef0"),
        "{text}"
    );
}
