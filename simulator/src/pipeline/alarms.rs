//! The alarm pass of the due work: evaluates every CloudWatch alarm whose period boundary
//! has come on the simulator clock and publishes the notifications of its state changes to
//! SNS, as CloudWatch does (the topic's subscriptions then receive them).
//!
//! Actions other than SNS topics (Auto Scaling, EC2, Systems Manager) are kept in the
//! alarm's history, not run.

use serde::Serialize;

use crate::error::AwsError;
use crate::services::Env;
use crate::services::cloudwatch::evaluate::evaluate_alarms;
use crate::services::sns;

/// The principal CloudWatch publishes as.
pub const PUBLISHER: &str = "cloudwatch.amazonaws.com";

/// What one alarm pass did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlarmReport {
    /// Notifications published: (alarm ARN, new state, topic ARN).
    pub notified: Vec<(String, String, String)>,
    /// Actions that could not run: (alarm ARN, target, why).
    pub failed: Vec<(String, String, String)>,
}

impl AlarmReport {
    pub fn is_empty(&self) -> bool {
        self.notified.is_empty() && self.failed.is_empty()
    }
}

/// Evaluates the alarms that have come due and publishes their notifications.
pub fn evaluate_due(env: &Env<'_>) -> Result<AlarmReport, AwsError> {
    let mut report = AlarmReport::default();
    for action in evaluate_alarms(env)? {
        if !action.is_sns_topic() {
            report.failed.push((
                action.alarm_arn,
                action.target_arn,
                "only SNS actions are run by the simulator".into(),
            ));
            continue;
        }
        match sns::publish_internal(
            env,
            &action.target_arn,
            PUBLISHER,
            Some(&action.subject),
            &action.message,
        ) {
            Ok(_) => report
                .notified
                .push((action.alarm_arn, action.new_state, action.target_arn)),
            // A deleted topic (or a refused message) fails the action, as in AWS, where the
            // alarm history shows the failed action and nothing else changes.
            Err(e) => report.failed.push((
                action.alarm_arn,
                action.target_arn,
                format!("{}: {}", e.code, e.message),
            )),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use serde_json::{Value, json};

    use crate::{CallerContext, Simulator};

    const ME: &str = "123456789012";

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap() // literal timestamps
    }

    fn ok(sim: &Simulator, service: &str, op: &str, req: Value) -> Value {
        sim.invoke(&CallerContext::new(ME, "us-east-1"), service, op, req)
            .unwrap_or_else(|e| panic!("{op}: {e}"))
    }

    #[test]
    fn a_matching_log_event_moves_the_alarm_and_notifies_the_subscribers() {
        let dir = tempfile::tempdir().unwrap(); // test setup
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        sim.set_time(at("2026-01-01T00:00:00Z")).unwrap(); // test clock
        ok(
            &sim,
            "logs",
            "CreateLogGroup",
            json!({"logGroupName": "trail"}),
        );
        ok(
            &sim,
            "logs",
            "CreateLogStream",
            json!({"logGroupName": "trail", "logStreamName": "s"}),
        );
        ok(
            &sim,
            "logs",
            "PutMetricFilter",
            json!({"logGroupName": "trail", "filterName": "root",
                   "filterPattern": "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }",
                   "metricTransformations": [{"metricName": "RootAccountUsage",
                       "metricNamespace": "CISBenchmark", "metricValue": "1"}]}),
        );
        ok(&sim, "sns", "CreateTopic", json!({"Name": "alarms"}));
        let topic = format!("arn:aws:sns:us-east-1:{ME}:alarms");
        ok(
            &sim,
            "sns",
            "Subscribe",
            json!({"TopicArn": topic, "Protocol": "sqs",
                   "Endpoint": format!("arn:aws:sqs:us-east-1:{ME}:security")}),
        );
        ok(
            &sim,
            "cloudwatch",
            "PutMetricAlarm",
            json!({"AlarmName": "root-usage", "MetricName": "RootAccountUsage",
                   "Namespace": "CISBenchmark", "Statistic": "Sum", "Period": 300,
                   "EvaluationPeriods": 1, "Threshold": 1.0,
                   "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                   "TreatMissingData": "notBreaching", "AlarmActions": [topic]}),
        );
        let t = at("2026-01-01T00:01:00Z");
        sim.set_time(t).unwrap(); // test clock
        let record = json!({"eventVersion": "1.11", "eventType": "AwsApiCall",
            "userIdentity": {"type": "Root", "arn": format!("arn:aws:iam::{ME}:root")},
            "eventName": "CreateAccessKey", "eventSource": "iam.amazonaws.com"});
        ok(
            &sim,
            "logs",
            "PutLogEvents",
            json!({"logGroupName": "trail", "logStreamName": "s",
                   "logEvents": [{"timestamp": t.timestamp_millis(), "message": record.to_string()}]}),
        );
        sim.set_time(t + Duration::minutes(10)).unwrap(); // runs the due work
        let alarms = ok(
            &sim,
            "cloudwatch",
            "DescribeAlarms",
            json!({"AlarmNames": ["root-usage"]}),
        );
        assert_eq!(alarms["MetricAlarms"][0]["StateValue"], "ALARM", "{alarms}");
        let deliveries = sim
            .run_unrecorded(|env| crate::services::sns::deliveries(env, Some(&topic)))
            .unwrap(); // test store
        let note = deliveries
            .iter()
            .find(|d| d.message_type == "Notification")
            .expect("the subscriber got the alarm notification");
        let envelope: Value = serde_json::from_str(&note.body).unwrap(); // JSON notification
        assert!(
            envelope["Subject"]
                .as_str()
                .unwrap_or("")
                .starts_with("ALARM: \"root-usage\"")
        );
        let message: Value = serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap(); // alarm JSON
        assert_eq!(message["NewStateValue"], "ALARM");
        assert_eq!(message["AlarmName"], "root-usage");
    }
}
