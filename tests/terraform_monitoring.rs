//! The CIS section 4 monitoring chain through the real terraform binary
//! (examples/cis-monitoring): apply, an empty re-plan, then a root API call that the trail
//! delivers to CloudWatch Logs, the root-usage metric filter counts, its alarm goes to ALARM
//! on the simulator clock and SNS POSTs the notification to a webhook on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use ctsim::{CallerContext, Principal};
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

    // The root user calls an API.
    let account = me.account_id.clone();
    let root = CallerContext::new(&account, "us-east-1").with_principal(Principal {
        identity_type: "Root".into(),
        principal_id: account.clone(),
        arn: format!("arn:aws:iam::{account}:root"),
        user_name: None,
        access_key_id: Some("ASIAROOTEXAMPLE00001".into()),
        session_context: None,
    });
    sim.invoke(&root, "iam", "ListRoles", json!({}))
        .expect("ListRoles as root");
    sim.advance_time(chrono::Duration::minutes(15))
        .expect("clock");

    let alarm = sim
        .invoke(
            &me,
            "cloudwatch",
            "DescribeAlarms",
            json!({"AlarmNames": ["cis-root-account-usage"]}),
        )
        .expect("DescribeAlarms");
    assert_eq!(alarm["MetricAlarms"][0]["StateValue"], "ALARM", "{alarm}");
    let quiet = sim
        .invoke(
            &me,
            "cloudwatch",
            "DescribeAlarms",
            json!({"AlarmNames": ["cis-vpc-changes"]}),
        )
        .expect("DescribeAlarms");
    assert_eq!(quiet["MetricAlarms"][0]["StateValue"], "OK", "{quiet}");

    // StartLogging, recorded by the trail it starts, fires the CloudTrail-changes alarm too:
    // take the notifications until the root-usage one.
    let message = loop {
        let note = body_json(&next(&rx, "root-usage alarm notification"));
        assert_eq!(note["Type"], "Notification");
        assert_eq!(note["TopicArn"], topic.as_str());
        let message: Value =
            serde_json::from_str(note["Message"].as_str().unwrap_or("")).expect("alarm JSON");
        if message["AlarmName"] == "cis-root-account-usage" {
            break message;
        }
    };
    assert_eq!(message["NewStateValue"], "ALARM");
    assert_eq!(message["Trigger"]["MetricName"], "root-account-usage");

    // What the e-mail subscriber got is listed too.
    let out = ws.ctsim(&["sns", "deliveries", "--topic", &topic]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("security@example.com"), "{text}");

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
}
