//! S3 bucket resources and SNS topics through the real terraform binary: one configuration
//! with a bucket and every bucket sub-resource plus a topic and its policy; apply, an empty
//! second plan, imports (bucket sub-resource by bucket name, topic by ARN), destroy.

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
    for bucket in ["ctsim-e2e-main", "ctsim-e2e-logs"] {
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
