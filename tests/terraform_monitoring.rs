//! The CIS section 4 monitoring chain through the real terraform binary
//! (examples/cis-monitoring): apply, an empty re-plan, then a root console sign-in that the
//! trail delivers to CloudWatch Logs, the root-usage metric filter counts, its alarm goes to
//! ALARM on the simulator clock and SNS POSTs the notification to a webhook on loopback; the
//! unauthorized-calls alarm stays OK until an AccessDenied event arrives.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use ctsim_e2e::TfWorkspace;
use serde_json::{Value, json};

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
fn a_root_call_fires_the_cis_alarm_and_the_webhook_receives_it() {
    let (url, rx) = webhook();
    let ws = TfWorkspace::example("cis-monitoring");
    ws.write("terraform.tfvars", &format!("webhook_url = \"{url}\"\n"));
    ws.init();
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

    // Nothing has happened yet: after the first evaluations every alarm is OK.
    sim.advance_time(chrono::Duration::minutes(10))
        .expect("clock");
    let alarms = sim
        .invoke(
            &me,
            "cloudwatch",
            "DescribeAlarms",
            json!({"AlarmNamePrefix": "cis-"}),
        )
        .expect("DescribeAlarms");
    let states: Vec<&str> = alarms["MetricAlarms"]
        .as_array()
        .expect("alarms")
        .iter()
        .filter_map(|a| a["StateValue"].as_str())
        .collect();
    assert_eq!(states.len(), 15, "{alarms}");

    // The root user signs in to the console (an ingested record, as from a real account).
    let account = me.account_id.clone();
    let now = sim.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let sign_in = |id: &str| {
        json!({
            "eventVersion": "1.11",
            "userIdentity": {"type": "Root", "principalId": account,
                             "arn": format!("arn:aws:iam::{account}:root"), "accountId": account},
            "eventTime": now, "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin",
            "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
            "userAgent": "Mozilla/5.0", "requestParameters": null,
            "responseElements": {"ConsoleLogin": "Success"},
            "additionalEventData": {"MFAUsed": "Yes", "MobileVersion": "No"},
            "eventID": id, "readOnly": false, "eventType": "AwsConsoleSignIn",
            "managementEvent": true, "recipientAccountId": account,
            "eventCategory": "Management"
        })
    };
    sim.append_records([sign_in("6f3c5d0e-1a2b-4c3d-8e9f-000000000001")])
        .expect("ingesting the sign-in");
    sim.advance_time(chrono::Duration::minutes(10))
        .expect("clock");
    let state = |name: &str| {
        let got = sim
            .invoke(
                &me,
                "cloudwatch",
                "DescribeAlarms",
                json!({"AlarmNames": [name]}),
            )
            .expect("DescribeAlarms");
        got["MetricAlarms"][0]["StateValue"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(state("cis-root-account-usage"), "ALARM");
    assert_eq!(state("cis-unauthorized-api-calls"), "OK");
    assert_eq!(state("cis-vpc-changes"), "OK");

    // An AccessDenied call moves the unauthorized-calls alarm.
    let now = sim.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    sim.append_records([json!({
        "eventVersion": "1.11",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "accountId": account,
                         "arn": format!("arn:aws:iam::{account}:user/mallory"), "userName": "mallory"},
        "eventTime": now, "eventSource": "s3.amazonaws.com", "eventName": "GetBucketPolicy",
        "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9", "userAgent": "aws-cli/2",
        "errorCode": "AccessDenied", "errorMessage": "Access Denied",
        "requestParameters": {"bucketName": "cis-trail"}, "responseElements": null,
        "eventID": "6f3c5d0e-1a2b-4c3d-8e9f-000000000002", "readOnly": true,
        "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": account,
        "eventCategory": "Management"
    })])
    .expect("ingesting the refused call");
    sim.advance_time(chrono::Duration::minutes(10))
        .expect("clock");
    assert_eq!(state("cis-unauthorized-api-calls"), "ALARM");

    let listed = ws.ctsim(&["alarms"]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("ALARM") && l.contains("cis-unauthorized-api-calls")),
        "{text}"
    );
    let history = ws.ctsim(&["alarms", "--history", "cis-root-account-usage"]);
    let text = String::from_utf8_lossy(&history.stdout);
    // The sign-in's period has passed: the alarm went back to OK, and its history says so.
    assert!(text.contains("Alarm updated from OK to ALARM"), "{text}");
    assert!(text.contains("Alarm updated from ALARM to OK"), "{text}");

    // StartLogging, recorded by the trail it starts, fires the CloudTrail-changes alarm too:
    // take the notifications until the root-usage one.
    // The same sign-in reaches the topic through the EventBridge rule, in its envelope.
    let mut alarm_message = None;
    let mut rule_message = None;
    while alarm_message.is_none() || rule_message.is_none() {
        let note = body_json(&next(&rx, "root-usage alarm and EventBridge notifications"));
        assert_eq!(note["Type"], "Notification");
        assert_eq!(note["TopicArn"], topic.as_str());
        let message: Value =
            serde_json::from_str(note["Message"].as_str().unwrap_or("")).expect("message JSON");
        if message["AlarmName"] == "cis-root-account-usage" {
            alarm_message = Some(message);
        } else if message["detail-type"] == "AWS Console Sign In via CloudTrail" {
            rule_message = Some(message);
        }
    }
    let envelope = rule_message.unwrap_or_default();
    assert_eq!(envelope["source"], "aws.signin");
    assert_eq!(envelope["detail"]["userIdentity"]["type"], "Root");
    let message = alarm_message.unwrap_or_default();
    assert_eq!(message["NewStateValue"], "ALARM");
    assert_eq!(message["Trigger"]["MetricName"], "root-account-usage");

    // What the e-mail subscriber got is listed too.
    let out = ws.ctsim(&["sns", "deliveries", "--topic", &topic]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("security@example.com"), "{text}");

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
