//! The IAM, KMS, CloudWatch Logs and Organizations resources and their data sources through
//! the real terraform binary: apply, empty second plan, import of each importable resource
//! (followed by an empty plan), destroy.

use ctsim_e2e::{TfWorkspace, resource_values};
use serde_json::json;

const SUPPORT: &str = r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_cloudtrail_service_account" "main" {}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "EnableRootPermissions"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "AllowCloudTrailEncrypt"
    actions   = ["kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:aws:cloudtrail:*:${data.aws_caller_identity.current.account_id}:trail/*"]
    }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.trail.arn}:log-stream:*"]
  }
}

resource "aws_kms_key" "trail" {
  description             = "CloudTrail logs"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.key.json
  tags = {
    Team = "security"
  }
}

resource "aws_kms_alias" "trail" {
  name          = "alias/cloudtrail"
  target_key_id = aws_kms_key.trail.key_id
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "cloudtrail/management"
  retention_in_days = 365
  tags = {
    Team = "security"
  }
}

resource "aws_iam_role" "trail" {
  name               = "cloudtrail-to-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "logs" {
  name   = "cloudtrail-logs"
  role   = aws_iam_role.trail.id
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_policy" "read" {
  name        = "read-trails"
  description = "Read CloudTrail"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["cloudtrail:Describe*", "cloudtrail:Get*"], Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.trail.name
  policy_arn = aws_iam_policy.read.arn
}

output "service_account" {
  value = data.aws_cloudtrail_service_account.main.arn
}

output "region" {
  value = data.aws_region.current.region
}
"#;

fn values(ws: &TfWorkspace, address: &str) -> serde_json::Value {
    let state = ws.state_json();
    resource_values(&state, address)
        .cloned()
        .unwrap_or_else(|| panic!("{address} in state"))
}

/// `terraform state rm` then `terraform import`, and the plan stays empty.
fn reimport(ws: &TfWorkspace, address: &str, id: &str) {
    ws.ok(&["state", "rm", address]);
    ws.ok(&["import", "-no-color", address, id]);
    ws.assert_no_changes();
}

#[test]
fn iam_kms_and_log_group_apply_import_and_destroy() {
    let ws = TfWorkspace::new(&[("main.tf", SUPPORT)]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let key = values(&ws, "aws_kms_key.trail");
    let key_id = key["key_id"].as_str().expect("key_id").to_string();
    assert_eq!(key["id"], json!(key_id));
    assert_eq!(key["enable_key_rotation"], true);
    assert_eq!(key["tags"], json!({"Team": "security"}));
    let alias = values(&ws, "aws_kms_alias.trail");
    assert_eq!(alias["target_key_arn"], key["arn"]);

    let group = values(&ws, "aws_cloudwatch_log_group.trail");
    assert_eq!(
        group["arn"],
        "arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail/management"
    );
    assert_eq!(group["retention_in_days"], 365);

    let role = values(&ws, "aws_iam_role.trail");
    assert_eq!(
        role["arn"],
        "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch"
    );
    assert_eq!(role["max_session_duration"], 3600);
    assert_eq!(role["path"], "/");
    let policy = values(&ws, "aws_iam_policy.read");
    assert_eq!(
        role["managed_policy_arns"],
        json!([]),
        "the role was read when it was created, before the attachment existed"
    );
    // Refreshing reads the attachment made after the role (no plan step writes state).
    ws.ok(&["apply", "-refresh-only", "-auto-approve", "-no-color"]);
    ws.assert_no_changes();
    let role = values(&ws, "aws_iam_role.trail");
    let policy_arn = policy["arn"].as_str().expect("policy arn").to_string();
    assert_eq!(policy_arn, "arn:aws:iam::123456789012:policy/read-trails");
    assert_eq!(
        role["managed_policy_arns"],
        json!([policy_arn.clone()]),
        "managed_policy_arns is computed from the attachments"
    );

    let state = ws.state_json();
    assert_eq!(
        state["values"]["outputs"]["service_account"]["value"],
        "arn:aws:iam::086441151436:root"
    );
    assert_eq!(state["values"]["outputs"]["region"]["value"], "us-east-1");

    // In place: retention and tags.
    let main = std::fs::read_to_string(ws.dir.join("main.tf")).unwrap();
    ws.write(
        "main.tf",
        &main.replace("retention_in_days = 365", "retention_in_days = 90"),
    );
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("updated in-place"), "{plan}");
    ws.apply();
    ws.assert_no_changes();

    // deletion_window_in_days is not readable from AWS: after an import it comes from the
    // configuration on the next apply (hashicorp/aws lists it as import-ignored).
    ws.ok(&["state", "rm", "aws_kms_key.trail"]);
    ws.ok(&["import", "-no-color", "aws_kms_key.trail", &key_id]);
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("deletion_window_in_days"), "{plan}");
    ws.apply();
    ws.assert_no_changes();
    reimport(&ws, "aws_kms_alias.trail", "alias/cloudtrail");
    reimport(
        &ws,
        "aws_cloudwatch_log_group.trail",
        "cloudtrail/management",
    );
    reimport(&ws, "aws_iam_role.trail", "cloudtrail-to-cloudwatch");
    reimport(
        &ws,
        "aws_iam_role_policy.logs",
        "cloudtrail-to-cloudwatch:cloudtrail-logs",
    );
    reimport(&ws, "aws_iam_policy.read", &policy_arn);
    reimport(
        &ws,
        "aws_iam_role_policy_attachment.read",
        &format!("cloudtrail-to-cloudwatch/{policy_arn}"),
    );

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let sim = ws.simulator();
    let ctx = sim.default_caller("us-east-1");
    let err = sim
        .invoke(
            &ctx,
            "iam",
            "GetRole",
            json!({"RoleName": "cloudtrail-to-cloudwatch"}),
        )
        .expect_err("the role is gone");
    assert_eq!(err.code, "NoSuchEntity");
    let described = sim
        .invoke(&ctx, "kms", "DescribeKey", json!({"KeyId": key_id}))
        .expect("a scheduled key is still described");
    assert_eq!(described["KeyMetadata"]["KeyState"], "PendingDeletion");
}

#[test]
fn exclusive_policy_attachment_applies_and_destroys() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "a" {
  name_prefix        = "ctsim-"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_policy" "p" {
  name_prefix = "ctsim-"
  policy      = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:ListBucket", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "p" {
  name       = "exclusive"
  policy_arn = aws_iam_policy.p.arn
  roles      = [aws_iam_role.a.name]
}
"#,
    )]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    let role = values(&ws, "aws_iam_role.a");
    assert_eq!(role["name_prefix"], "ctsim-");
    assert!(role["name"].as_str().unwrap().starts_with("ctsim-"));
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}

#[test]
fn organization_account_and_delegated_admin_apply_import_and_destroy() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_organizations_organization" "org" {
  feature_set                   = "ALL"
  aws_service_access_principals = ["cloudtrail.amazonaws.com"]
}

resource "aws_organizations_account" "audit" {
  name  = "audit"
  email = "audit@example.com"
  tags = {
    Purpose = "logs"
  }
  depends_on = [aws_organizations_organization.org]
}

resource "aws_cloudtrail_organization_delegated_admin_account" "audit" {
  account_id = aws_organizations_account.audit.id
}
"#,
    )]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let org = values(&ws, "aws_organizations_organization.org");
    let org_id = org["id"].as_str().expect("org id").to_string();
    assert_eq!(org["master_account_id"], "123456789012");
    assert_eq!(
        org["aws_service_access_principals"],
        json!(["cloudtrail.amazonaws.com"])
    );
    let account = values(&ws, "aws_organizations_account.audit");
    let account_id = account["id"].as_str().expect("account id").to_string();
    assert_eq!(account["status"], "ACTIVE");
    let admin = values(
        &ws,
        "aws_cloudtrail_organization_delegated_admin_account.audit",
    );
    assert_eq!(admin["service_principal"], "cloudtrail.amazonaws.com");
    assert_eq!(admin["email"], "audit@example.com");

    // The data source sees the new account too.
    ws.write(
        "data.tf",
        "data \"aws_organizations_organization\" \"current\" {}\noutput \"members\" {\n  value = length(data.aws_organizations_organization.current.non_master_accounts)\n}\n",
    );
    ws.apply();
    assert_eq!(ws.state_json()["values"]["outputs"]["members"]["value"], 1);

    reimport(&ws, "aws_organizations_organization.org", &org_id);
    reimport(&ws, "aws_organizations_account.audit", &account_id);
    reimport(
        &ws,
        "aws_cloudtrail_organization_delegated_admin_account.audit",
        &account_id,
    );

    std::fs::remove_file(ws.dir.join("data.tf")).unwrap();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let sim = ws.simulator();
    let ctx = sim.default_caller("us-east-1");
    let err = sim
        .invoke(&ctx, "organizations", "DescribeOrganization", json!({}))
        .expect_err("the organization is gone");
    assert_eq!(err.code, "AWSOrganizationsNotInUseException");
}

#[test]
fn assume_role_calls_run_as_the_role_account() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn     = "arn:aws:iam::222222222222:role/deploy"
    session_name = "terraform"
  }
}

data "aws_caller_identity" "current" {}

output "account" {
  value = data.aws_caller_identity.current.account_id
}

output "arn" {
  value = data.aws_caller_identity.current.arn
}
"#,
    )]);
    ws.init();
    ws.apply();
    let outputs = &ws.state_json()["values"]["outputs"];
    assert_eq!(outputs["account"]["value"], "222222222222");
    assert_eq!(
        outputs["arn"]["value"],
        "arn:aws:sts::222222222222:assumed-role/deploy/terraform"
    );
}

/// `terraform apply` that must fail; returns its output.
fn apply_fails(ws: &TfWorkspace) -> String {
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "apply should fail:\n{text}");
    text
}

#[test]
fn role_with_malformed_trust_policy_fails_with_the_iam_error() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_role" "bad" {
  name = "no-principal"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole" }]
  })
}
"#,
    )]);
    ws.init();
    let text = apply_fails(&ws);
    assert!(text.contains("creating IAM Role (no-principal)"), "{text}");
    assert!(text.contains("MalformedPolicyDocument"), "{text}");
    assert!(text.contains("Missing required field Principal"), "{text}");
    let sim = ws.simulator();
    let err = sim
        .invoke(
            &sim.default_caller("us-east-1"),
            "iam",
            "GetRole",
            json!({"RoleName": "no-principal"}),
        )
        .expect_err("no role was created");
    assert_eq!(err.code, "NoSuchEntity");
}

#[test]
fn log_group_with_unsupported_retention_is_rejected_at_the_attribute() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudwatch_log_group" "bad" {
  name              = "bad-retention"
  retention_in_days = 42
}
"#,
    )]);
    ws.init();
    let out = ws.terraform(&["plan", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "plan should fail:\n{text}");
    assert!(
        text.contains("expected retention_in_days to be one of"),
        "{text}"
    );
    // The diagnostic points at the attribute, so terraform quotes its line.
    assert!(text.contains("retention_in_days = 42"), "{text}");
    let text = apply_fails(&ws);
    assert!(text.contains("got 42"), "{text}");
    let sim = ws.simulator();
    let groups = sim
        .invoke(
            &sim.default_caller("us-east-1"),
            "logs",
            "DescribeLogGroups",
            json!({}),
        )
        .expect("DescribeLogGroups");
    assert_eq!(groups["logGroups"], json!([]), "nothing was created");
}

#[test]
fn second_organization_from_the_same_account_fails() {
    let first = r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_organizations_organization" "a" {
  feature_set = "ALL"
}
"#;
    let ws = TfWorkspace::new(&[("main.tf", first)]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    ws.write(
        "second.tf",
        "resource \"aws_organizations_organization\" \"b\" {\n  feature_set = \"ALL\"\n}\n",
    );
    let text = apply_fails(&ws);
    assert!(
        text.contains("creating Organizations Organization"),
        "{text}"
    );
    assert!(text.contains("AlreadyInOrganizationException"), "{text}");
    assert!(text.contains("aws_organizations_organization.b"), "{text}");
    // The first organization is untouched.
    std::fs::remove_file(ws.dir.join("second.tf")).unwrap();
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
