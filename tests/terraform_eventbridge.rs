//! EventBridge with the real terraform: a CIS 3.5-style rule on CloudTrail configuration
//! changes, its SNS topic (with the policy that lets EventBridge publish) and an `http`
//! subscription to a webhook on loopback. Applied, re-planned empty, imported back; then a
//! StopLogging on the trail reaches the webhook as an SNS notification whose Message is the
//! EventBridge event.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use ctsim_e2e::TfWorkspace;
use serde_json::{Value, json};

const CONFIG: &str = r#"
provider "aws" {
  region = "us-east-1"
}

variable "webhook_url" {
  type = string
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket        = "eventbridge-trail-logs"
  force_destroy = true
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.logs.arn
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.logs.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
    ]
  })
}

resource "aws_cloudtrail" "main" {
  depends_on     = [aws_s3_bucket_policy.logs]
  name           = "main"
  s3_bucket_name = aws_s3_bucket.logs.id
}

resource "aws_sns_topic" "alerts" {
  name = "trail-alerts"
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowEventBridge"
      Effect    = "Allow"
      Principal = { Service = "events.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
    }]
  })
}

resource "aws_sns_topic_subscription" "hook" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "http"
  endpoint  = var.webhook_url
}

resource "aws_cloudwatch_event_rule" "trail_changes" {
  name        = "cloudtrail-changes"
  description = "CIS 3.5: CloudTrail configuration changes"
  event_pattern = jsonencode({
    source      = ["aws.cloudtrail"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["cloudtrail.amazonaws.com"]
      eventName   = ["StopLogging", "DeleteTrail", "UpdateTrail"]
    }
  })
  tags = {
    cis = "3.5"
  }
}

resource "aws_cloudwatch_event_target" "alerts" {
  rule      = aws_cloudwatch_event_rule.trail_changes.name
  target_id = "alerts"
  arn       = aws_sns_topic.alerts.arn
}

# Written as a heredoc, keys in another order, disabled, with a generated name.
resource "aws_cloudwatch_event_rule" "console" {
  name_prefix = "console-"
  state       = "DISABLED"
  event_pattern = <<-EOT
    {
      "detail": { "userIdentity": { "type": ["Root"] } },
      "detail-type": ["AWS Console Sign In via CloudTrail"]
    }
  EOT
}

resource "aws_cloudwatch_event_target" "console" {
  rule = aws_cloudwatch_event_rule.console.name
  arn  = "arn:aws:sqs:us-east-1:${data.aws_caller_identity.current.account_id}:root-logins"
  input_transformer {
    input_paths = {
      who = "$.detail.userIdentity.arn"
    }
    input_template = "\"Root sign-in: <who>\""
  }
}
"#;

/// A webhook that answers 200 to every POST and hands each request (head and body) over.
fn webhook() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding the webhook");
    let port = listener.local_addr().expect("webhook address").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            let request = loop {
                let n = s.read(&mut chunk).unwrap_or(0);
                buf.extend_from_slice(&chunk[..n]);
                let text = String::from_utf8_lossy(&buf).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if body.len() >= len {
                        break text;
                    }
                }
                if n == 0 {
                    break text;
                }
            };
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            if tx.send(request).is_err() {
                return;
            }
        }
    });
    (format!("http://127.0.0.1:{port}/hook"), rx)
}

fn body_json(request: &str) -> Value {
    let body = request.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or(Value::Null)
}

fn next(rx: &mpsc::Receiver<String>, what: &str) -> String {
    rx.recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("the webhook received no {what}"))
}

#[test]
fn stop_logging_reaches_the_webhook_through_the_rule_and_its_topic() {
    let (url, rx) = webhook();
    let ws = TfWorkspace::new(&[("main.tf", CONFIG)]);
    ws.write("terraform.tfvars", &format!("webhook_url = \"{url}\"\n"));
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let state = ws.state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let values = |address: &str| {
        resources
            .iter()
            .find(|r| r["address"] == address)
            .map(|r| r["values"].clone())
            .unwrap_or_else(|| panic!("{address} is in the state"))
    };
    let rule = values("aws_cloudwatch_event_rule.trail_changes");
    assert_eq!(rule["id"], "cloudtrail-changes");
    assert_eq!(rule["state"], "ENABLED");
    assert_eq!(rule["is_enabled"], true);
    assert!(
        rule["arn"]
            .as_str()
            .unwrap_or_default()
            .ends_with(":rule/cloudtrail-changes")
    );
    let console = values("aws_cloudwatch_event_rule.console");
    assert_eq!(console["state"], "DISABLED");
    assert_eq!(console["name_prefix"], "console-");
    assert_eq!(
        console["event_pattern"],
        r#"{"detail":{"userIdentity":{"type":["Root"]}},"detail-type":["AWS Console Sign In via CloudTrail"]}"#
    );
    let target = values("aws_cloudwatch_event_target.alerts");
    assert_eq!(target["id"], "cloudtrail-changes-alerts");
    let generated = values("aws_cloudwatch_event_target.console");
    assert!(
        generated["target_id"]
            .as_str()
            .unwrap_or_default()
            .starts_with("terraform-"),
        "{generated}"
    );

    // Both types import by hashicorp/aws's IDs and plan empty afterwards.
    for (address, id) in [
        (
            "aws_cloudwatch_event_rule.trail_changes",
            "cloudtrail-changes",
        ),
        (
            "aws_cloudwatch_event_target.alerts",
            "cloudtrail-changes/alerts",
        ),
    ] {
        ws.ok(&["state", "rm", address]);
        ws.ok(&["import", "-no-color", address, id]);
    }
    ws.assert_no_changes();

    // The same pattern spelled differently is no change; a new state is applied in place.
    let respelled = CONFIG
        .replace(
            r#"  event_pattern = jsonencode({
    source      = ["aws.cloudtrail"]"#,
            r#"  event_pattern = jsonencode({
    "source"    = ["aws.cloudtrail"]"#,
        )
        .replace(
            r#"      "detail-type": ["AWS Console Sign In via CloudTrail"]
    }"#,
            r#"      "detail-type": [ "AWS Console Sign In via CloudTrail" ]
    }"#,
        );
    assert_ne!(respelled, CONFIG);
    ws.write("main.tf", &respelled);
    ws.assert_no_changes();
    ws.write(
        "main.tf",
        &respelled.replace(r#"state       = "DISABLED""#, r#"state       = "ENABLED""#),
    );
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("1 to change"), "{plan}");
    ws.apply();
    ws.assert_no_changes();

    // The http subscription is confirmed with the token SNS POSTed to the webhook.
    let confirmation = body_json(&next(&rx, "SubscriptionConfirmation"));
    assert_eq!(confirmation["Type"], "SubscriptionConfirmation");
    let sim = ws.simulator();
    let me = sim.default_caller("us-east-1");
    let topic = confirmation["TopicArn"]
        .as_str()
        .expect("TopicArn")
        .to_string();
    sim.invoke(
        &me,
        "sns",
        "ConfirmSubscription",
        json!({"TopicArn": topic, "Token": confirmation["Token"]}),
    )
    .expect("ConfirmSubscription");

    // Someone stops the trail; EventBridge sees the call and the topic tells the webhook.
    sim.invoke(&me, "cloudtrail", "StopLogging", json!({"Name": "main"}))
        .expect("StopLogging");
    let report = sim.deliver_due().expect("the due work");
    assert_eq!(report.eventbridge.invocations, 1, "{report:?}");

    let note = body_json(&next(&rx, "EventBridge notification"));
    assert_eq!(note["Type"], "Notification");
    assert_eq!(note["TopicArn"], topic.as_str());
    let event: Value =
        serde_json::from_str(note["Message"].as_str().unwrap_or("")).expect("event JSON");
    assert_eq!(event["source"], "aws.cloudtrail");
    assert_eq!(event["detail-type"], "AWS API Call via CloudTrail");
    assert_eq!(event["account"], me.account_id.as_str());
    assert_eq!(event["region"], "us-east-1");
    assert_eq!(event["detail"]["eventName"], "StopLogging");
    assert_eq!(event["detail"]["requestParameters"]["name"], "main");
    drop(sim);

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
