//! S3 bucket resources and SNS topics through the real terraform binary: one configuration
//! with a bucket and every bucket sub-resource plus a topic and its policy; apply, an empty
//! second plan, in-place updates, drift made behind Terraform's back (seen, then restored),
//! imports (bucket sub-resource by bucket name, topic by ARN), destroy; and CreateBucket
//! failures surfacing the AWS error name.

use ctsim_e2e::{TfWorkspace, resource_values};
use serde_json::json;

const CONFIG: &str = r#"
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      ManagedBy = "terraform"
    }
  }
}

resource "aws_s3_bucket" "logs" {
  bucket        = "ctsim-e2e-logs"
  force_destroy = true
}

resource "aws_s3_bucket" "main" {
  bucket = "ctsim-e2e-main"
  tags = {
    Team = "data"
  }
}

# Object Lock is chosen at creation and read back through GetObjectLockConfiguration.
resource "aws_s3_bucket" "locked" {
  bucket              = "ctsim-e2e-locked"
  object_lock_enabled = true
}

resource "aws_s3_bucket_policy" "main" {
  bucket = aws_s3_bucket.main.id
  # Hand-formatted on purpose: the stored text must survive a read-back.
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "DenyInsecureTransport",
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:*",
          "Resource": ["${aws_s3_bucket.main.arn}", "${aws_s3_bucket.main.arn}/*"],
          "Condition": { "Bool": { "aws:SecureTransport": "false" } }
        }
      ]
    }
  JSON
}

resource "aws_s3_bucket_public_access_block" "main" {
  bucket                  = aws_s3_bucket.main.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "main" {
  bucket = aws_s3_bucket.main.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "main" {
  bucket = aws_s3_bucket.main.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "main" {
  bucket = aws_s3_bucket.main.id
  rule {
    id     = "expire-tmp"
    status = "Enabled"
    filter {
      prefix = "tmp/"
    }
    expiration {
      days = 90
    }
    # S3 refuses transitions to STANDARD_IA before 30 days.
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "logs" {
  depends_on = [aws_s3_bucket_ownership_controls.logs]
  bucket     = aws_s3_bucket.logs.id
  acl        = "log-delivery-write"
}

resource "aws_s3_bucket_logging" "main" {
  bucket        = aws_s3_bucket.main.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "access/"
}

resource "aws_sns_topic" "alerts" {
  name         = "ctsim-e2e-alerts"
  display_name = "Alerts"
  tags = {
    Team = "ops"
  }
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowEventsPublish"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
    }]
  })
}
"#;

fn call(
    ws: &TfWorkspace,
    service: &str,
    op: &str,
    request: serde_json::Value,
) -> Result<serde_json::Value, ctsim::AwsError> {
    let sim = ws.simulator();
    let ctx = sim.default_caller("us-east-1");
    sim.invoke(&ctx, service, op, request)
}

/// `CONFIG` with `from` replaced by `to` (which must occur).
fn edited(config: &str, edits: &[(&str, &str)]) -> String {
    let mut text = config.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} not in the configuration");
        text = text.replace(from, to);
    }
    text
}

fn values(ws: &TfWorkspace, address: &str) -> serde_json::Value {
    let state = ws.state_json();
    resource_values(&state, address)
        .cloned()
        .unwrap_or_else(|| panic!("{address} in state"))
}

#[test]
fn s3_bucket_resources_and_sns_topic_apply_import_and_destroy() {
    let ws = TfWorkspace::new(&[("main.tf", CONFIG)]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    // The bucket's computed attributes.
    let bucket = values(&ws, "aws_s3_bucket.main");
    assert_eq!(bucket["id"], "ctsim-e2e-main");
    assert_eq!(bucket["arn"], "arn:aws:s3:::ctsim-e2e-main");
    assert_eq!(
        bucket["bucket_domain_name"],
        "ctsim-e2e-main.s3.amazonaws.com"
    );
    assert_eq!(bucket["bucket_region"], "us-east-1");
    assert_eq!(bucket["hosted_zone_id"], "Z3AQBSTGFYJSTF");
    assert_eq!(bucket["force_destroy"], false);
    assert_eq!(bucket["tags"], json!({"Team": "data"}));
    assert_eq!(
        bucket["tags_all"],
        json!({"Team": "data", "ManagedBy": "terraform"})
    );

    assert_eq!(
        values(&ws, "aws_s3_bucket.locked")["object_lock_enabled"],
        true
    );

    // The configured policy text is kept in state (it only differs in spelling).
    let policy = values(&ws, "aws_s3_bucket_policy.main");
    assert!(
        policy["policy"].as_str().unwrap().contains("\n"),
        "{policy}"
    );

    // What the simulator holds.
    let versioning = call(
        &ws,
        "s3",
        "GetBucketVersioning",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketVersioning");
    assert_eq!(versioning["Status"], "Enabled");
    let pab = call(
        &ws,
        "s3",
        "GetPublicAccessBlock",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetPublicAccessBlock");
    assert_eq!(
        pab["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
        true
    );
    let logging = call(
        &ws,
        "s3",
        "GetBucketLogging",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketLogging");
    assert_eq!(logging["LoggingEnabled"]["TargetBucket"], "ctsim-e2e-logs");

    let topic = values(&ws, "aws_sns_topic.alerts");
    let topic_arn = topic["arn"].as_str().expect("topic arn").to_string();
    assert_eq!(
        topic_arn,
        "arn:aws:sns:us-east-1:123456789012:ctsim-e2e-alerts"
    );
    assert_eq!(topic["owner"], "123456789012");
    assert_eq!(topic["display_name"], "Alerts");
    let attrs = call(
        &ws,
        "sns",
        "GetTopicAttributes",
        json!({"TopicArn": topic_arn}),
    )
    .expect("GetTopicAttributes");
    assert!(
        attrs["Attributes"]["Policy"]
            .as_str()
            .unwrap()
            .contains("AllowEventsPublish")
    );

    // In-place updates: versioning suspended, a lifecycle rule changed, the topic renamed
    // for display, a bucket tag added; then nothing left to do.
    let updated = edited(
        CONFIG,
        &[
            ("status = \"Enabled\"\n  }", "status = \"Suspended\"\n  }"),
            ("days = 90", "days = 120"),
            ("display_name = \"Alerts\"", "display_name = \"Alerts v2\""),
            ("Team = \"data\"", "Team = \"data\"\n    Tier = \"gold\""),
        ],
    );
    ws.write("main.tf", &updated);
    let (code, text) = ws.plan();
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("0 to add, 4 to change, 0 to destroy"),
        "{text}"
    );
    ws.apply();
    ws.assert_no_changes();
    let versioning = call(
        &ws,
        "s3",
        "GetBucketVersioning",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketVersioning");
    assert_eq!(versioning["Status"], "Suspended");
    let lifecycle = call(
        &ws,
        "s3",
        "GetBucketLifecycleConfiguration",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketLifecycleConfiguration");
    assert_eq!(lifecycle["Rules"][0]["Expiration"]["Days"], 120);
    let tagging = call(
        &ws,
        "s3",
        "GetBucketTagging",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketTagging");
    assert!(
        tagging["TagSet"]
            .as_array()
            .expect("TagSet")
            .contains(&json!({"Key": "Tier", "Value": "gold"})),
        "{tagging}"
    );
    let attrs = call(
        &ws,
        "sns",
        "GetTopicAttributes",
        json!({"TopicArn": topic_arn}),
    )
    .expect("GetTopicAttributes");
    assert_eq!(attrs["Attributes"]["DisplayName"], "Alerts v2");

    // Drift: the bucket policy and the topic's display name changed outside Terraform. The
    // plan shows both, apply puts the configuration back, and the plan is empty again.
    call(
        &ws,
        "s3",
        "PutBucketPolicy",
        json!({
            "Bucket": "ctsim-e2e-main",
            "Policy": json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "Tampered",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:DeleteBucket",
                    "Resource": "arn:aws:s3:::ctsim-e2e-main"
                }]
            })
            .to_string()
        }),
    )
    .expect("PutBucketPolicy");
    call(
        &ws,
        "sns",
        "SetTopicAttributes",
        json!({"TopicArn": topic_arn, "AttributeName": "DisplayName", "AttributeValue": "Tampered"}),
    )
    .expect("SetTopicAttributes");
    let (code, text) = ws.plan();
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("aws_s3_bucket_policy.main will be updated in-place"),
        "{text}"
    );
    assert!(text.contains("\"Tampered\" -> \"Alerts v2\""), "{text}");
    assert!(
        text.contains("0 to add, 2 to change, 0 to destroy"),
        "{text}"
    );
    ws.apply();
    ws.assert_no_changes();
    let policy = call(
        &ws,
        "s3",
        "GetBucketPolicy",
        json!({"Bucket": "ctsim-e2e-main"}),
    )
    .expect("GetBucketPolicy");
    assert!(
        policy["Policy"]
            .as_str()
            .expect("Policy")
            .contains("DenyInsecureTransport"),
        "{policy}"
    );
    let attrs = call(
        &ws,
        "sns",
        "GetTopicAttributes",
        json!({"TopicArn": topic_arn}),
    )
    .expect("GetTopicAttributes");
    assert_eq!(attrs["Attributes"]["DisplayName"], "Alerts v2");

    // Import a bucket sub-resource by bucket name and the topic by ARN: no changes after.
    ws.ok(&["state", "rm", "aws_s3_bucket_versioning.main"]);
    ws.ok(&[
        "import",
        "-no-color",
        "aws_s3_bucket_versioning.main",
        "ctsim-e2e-main",
    ]);
    ws.ok(&["state", "rm", "aws_sns_topic.alerts"]);
    ws.ok(&["import", "-no-color", "aws_sns_topic.alerts", &topic_arn]);
    ws.assert_no_changes();

    // Objects in the log bucket: force_destroy empties it first.
    call(
        &ws,
        "s3",
        "PutObject",
        json!({"Bucket": "ctsim-e2e-logs", "Key": "access/2024-01-01", "BodyText": "log line"}),
    )
    .expect("PutObject");

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    for bucket in ["ctsim-e2e-main", "ctsim-e2e-logs", "ctsim-e2e-locked"] {
        let err =
            call(&ws, "s3", "HeadBucket", json!({"Bucket": bucket})).expect_err("bucket deleted");
        assert!(
            err.code == "NoSuchBucket" || err.code == "NotFound",
            "{err:?}"
        );
    }
    let err = call(
        &ws,
        "sns",
        "GetTopicAttributes",
        json!({"TopicArn": topic_arn}),
    )
    .expect_err("topic deleted");
    assert_eq!(err.code, "NotFound");
}

#[test]
fn create_bucket_failures_name_the_aws_error() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

# Owned by another account (created below through the simulator).
resource "aws_s3_bucket" "taken" {
  bucket = "ctsim-e2e-taken"
}

# hashicorp/aws leaves us-east-1 names to S3, which refuses this one.
resource "aws_s3_bucket" "invalid" {
  bucket = "Invalid_Bucket_Name"
}
"#,
    )]);
    ws.init();
    {
        let sim = ws.simulator();
        let other = ctsim::CallerContext::new("210987654321", "us-east-1");
        sim.invoke(
            &other,
            "s3",
            "CreateBucket",
            json!({"Bucket": "ctsim-e2e-taken"}),
        )
        .expect("CreateBucket in the other account");
    }
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("creating S3 Bucket (ctsim-e2e-taken)")
            && text.contains("BucketAlreadyExists"),
        "{text}"
    );
    assert!(
        text.contains("creating S3 Bucket (Invalid_Bucket_Name)")
            && text.contains("InvalidBucketName"),
        "{text}"
    );
    // Nothing of either bucket reached the state.
    let (code, text) = ws.plan();
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("2 to add"), "{text}");
}
