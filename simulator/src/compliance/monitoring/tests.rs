use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::*;
use crate::compliance::report;
use crate::compliance::rules::{RULES, Rule};
use crate::compliance::{self, Suppressions};
use crate::plan::{self, Config, Mode, Origin, Resource, unknown};

fn control(rule: &str) -> &'static Control {
    CONTROLS
        .iter()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| panic!("no control {rule}"))
}

fn rule(id: &str) -> &'static Rule {
    RULES.iter().find(|r| r.id == id).unwrap()
}

// ---------------------------------------------------------------- the data

#[test]
fn every_control_has_a_rule_and_events_that_parse() {
    for c in &CONTROLS {
        let ev = c.events().unwrap_or_else(|e| panic!("{e}"));
        assert!(!ev.events.is_empty(), "{}", c.rule);
        assert!(!ev.patterns.is_empty(), "{}", c.rule);
        assert!(!ev.broken.is_empty(), "{}: no broken variant", c.rule);
        assert_eq!(rule(c.rule).id, c.rule);
    }
    // 4.1 to 4.3 say what the alarm must not catch.
    for id in [
        "CT-ALARM-UNAUTHORIZED-API-CALLS",
        "CT-ALARM-CONSOLE-SIGNIN-WITHOUT-MFA",
        "CT-ALARM-ROOT-USAGE",
    ] {
        assert!(!control(id).events().unwrap().non_events.is_empty(), "{id}");
    }
}

#[test]
fn canonical_records_are_full_cloudtrail_records() {
    let mut ids = std::collections::BTreeSet::new();
    for c in &CONTROLS {
        let ev = c.events().unwrap();
        for e in ev.events.iter().chain(&ev.non_events) {
            let r = &e.record;
            for k in [
                "eventVersion",
                "userIdentity",
                "eventTime",
                "eventSource",
                "eventName",
                "awsRegion",
                "sourceIPAddress",
                "userAgent",
                "eventID",
                "eventType",
                "recipientAccountId",
            ] {
                assert!(r.get(k).is_some(), "{}: {} has no {k}", c.rule, e.label);
            }
            assert_eq!(r["recipientAccountId"], CANONICAL_ACCOUNT, "{}", e.label);
            assert_eq!(r["eventCategory"], "Management", "{}", e.label);
            assert_eq!(r["managementEvent"], true, "{}", e.label);
            assert!(r["userIdentity"]["type"].is_string(), "{}", e.label);
            assert!(ids.insert(r["eventID"].as_str().unwrap().to_string()));
            // The text is what CloudTrail delivers: one line of the record's JSON.
            assert!(!e.text.contains('\n'));
            assert_eq!(serde_json::from_str::<Value>(&e.text).unwrap(), *r);
        }
    }
}

#[test]
fn the_iam_and_organizations_controls_cover_every_event_name_of_the_cis_pattern() {
    let names = |rule: &str| -> Vec<String> {
        control(rule)
            .events()
            .unwrap()
            .events
            .iter()
            .map(|e| e.record["eventName"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("CT-ALARM-IAM-POLICY-CHANGES").len(), 16);
    assert_eq!(names("CT-ALARM-ORGANIZATIONS-CHANGES").len(), 18);
    assert_eq!(
        names("CT-ALARM-CLOUDTRAIL-CHANGES"),
        [
            "CreateTrail",
            "UpdateTrail",
            "DeleteTrail",
            "StartLogging",
            "StopLogging"
        ]
    );
    assert_eq!(
        names("CT-ALARM-CMK-DISABLE-OR-DELETE"),
        ["DisableKey", "ScheduleKeyDeletion"]
    );
    for e in &control("CT-ALARM-CMK-DISABLE-OR-DELETE")
        .events()
        .unwrap()
        .events
    {
        assert_eq!(e.record["eventSource"], "kms.amazonaws.com");
    }
    let mfa = &control("CT-ALARM-CONSOLE-SIGNIN-WITHOUT-MFA")
        .events()
        .unwrap()
        .events[0]
        .record;
    assert_eq!(mfa["eventName"], "ConsoleLogin");
    assert_eq!(mfa["additionalEventData"]["MFAUsed"], "No");
}

#[test]
fn every_published_pattern_matches_every_canonical_event_and_no_look_alike() {
    for c in &CONTROLS {
        let ev = c.events().unwrap();
        for p in &ev.patterns {
            let fp = FilterPattern::compile(&p.pattern)
                .unwrap_or_else(|e| panic!("{} ({}): {e}", c.rule, p.source));
            let v = judge_pattern(ev, &fp);
            assert!(v.passes(), "{} ({}): {v:?}", c.rule, p.source);
            assert_eq!(v.matched, ev.events.len());
        }
    }
}

#[test]
fn each_broken_pattern_misses_exactly_what_its_data_says() {
    for c in &CONTROLS {
        let ev = c.events().unwrap();
        for b in &ev.broken {
            let fp = FilterPattern::compile(&b.pattern).unwrap();
            let v = judge_pattern(ev, &fp);
            assert!(!v.passes(), "{}: {}", c.rule, b.pattern);
            assert_eq!(v.missing, b.missing, "{}: {}", c.rule, b.pattern);
            assert_eq!(
                v.matches_non_events, b.matches_non_events,
                "{}: {}",
                c.rule, b.pattern
            );
        }
    }
}

#[test]
fn the_remediation_quotes_the_cis_v1_4_0_pattern() {
    for c in &CONTROLS {
        let r = rule(c.rule);
        let first = &c.events().unwrap().patterns[0];
        assert!(first.source.starts_with("CIS v1.4.0"), "{}", c.rule);
        assert!(
            r.remediation.contains(&first.pattern),
            "{}: the remediation does not quote {}",
            c.rule,
            first.pattern
        );
        assert!(r.sources.iter().any(|s| s.pack == "cis"));
    }
}

// ---------------------------------------------------------------- chains, from a Config

const GROUP: &str = "aws_cloudwatch_log_group.trail";
const TOPIC: &str = "aws_sns_topic.alerts";

fn res(address: &str, attrs: Value) -> Resource {
    let rtype = address.split('.').next().unwrap_or_default().to_string();
    Resource {
        address: address.to_string(),
        mode: Mode::Managed,
        rtype,
        location: "main.tf:1".to_string(),
        attrs,
    }
}

fn reference(expr: &str, to: &str) -> Value {
    unknown(expr, "main.tf:1", Some(to))
}

/// A complete chain whose filter has `pattern`, as a plan would give it (computed ARNs are
/// references known after apply).
fn chain_config(pattern: &str) -> Vec<Resource> {
    vec![
        res(
            "aws_cloudtrail.main",
            json!({
                "name": "audit",
                "s3_bucket_name": "audit-logs",
                "is_multi_region_trail": true,
                "cloud_watch_logs_group_arn": reference("\"${aws_cloudwatch_log_group.trail.arn}:*\"", GROUP),
            }),
        ),
        res(GROUP, json!({"name": "trail-logs"})),
        res(
            "aws_cloudwatch_log_metric_filter.watch",
            json!({
                "name": "watch",
                "log_group_name": "trail-logs",
                "pattern": pattern,
                "metric_transformation": [{"name": "Watched", "namespace": "CISBenchmark", "value": "1"}],
            }),
        ),
        res(
            "aws_cloudwatch_metric_alarm.watch",
            json!({
                "alarm_name": "watch",
                "metric_name": "Watched",
                "namespace": "CISBenchmark",
                "statistic": "Sum",
                "threshold": 1,
                "comparison_operator": "GreaterThanOrEqualToThreshold",
                "alarm_actions": [reference("aws_sns_topic.alerts.arn", TOPIC)],
            }),
        ),
        res(TOPIC, json!({"name": "alerts"})),
        res(
            "aws_sns_topic_subscription.email",
            json!({
                "topic_arn": reference("aws_sns_topic.alerts.arn", TOPIC),
                "protocol": "email",
                "endpoint": "security@example.com",
            }),
        ),
    ]
}

fn model_of(resources: Vec<Resource>) -> Model {
    let config = Config {
        origin: Origin::Hcl(PathBuf::from("test")),
        resources,
        unresolved: Vec::new(),
        region: Some("us-east-1".to_string()),
    }
    .finish();
    Model::build(&config)
}

fn edit(resources: &mut [Resource], address: &str, f: impl FnOnce(&mut Value)) {
    let r = resources
        .iter_mut()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no {address}"));
    f(&mut r.attrs);
}

fn drop_resource(resources: &mut Vec<Resource>, address: &str) {
    resources.retain(|r| r.address != address);
}

fn run(c: &Control, resources: Vec<Resource>) -> Vec<Finding> {
    check(&model_of(resources), c)
}

fn statuses(f: &[Finding]) -> Vec<Status> {
    f.iter().map(|x| x.status).collect()
}

#[test]
fn each_control_passes_with_its_cis_pattern_and_fails_naming_what_a_broken_one_misses() {
    for c in &CONTROLS {
        let ev = c.events().unwrap();
        let pass = run(c, chain_config(&ev.patterns[0].pattern));
        assert_eq!(statuses(&pass), [Status::Pass], "{}: {pass:?}", c.rule);
        assert_eq!(pass[0].resource, "aws_cloudwatch_log_metric_filter.watch");
        assert!(
            pass[0].reason.contains(&format!(
                "matches all {} canonical events of {}",
                ev.events.len(),
                c.what
            )),
            "{}",
            pass[0].reason
        );
        assert!(
            pass[0]
                .reason
                .contains("alarm aws_cloudwatch_metric_alarm.watch on CISBenchmark/Watched (fires on the first matching event) notifies aws_sns_topic.alerts (1 subscription)"),
            "{}",
            pass[0].reason
        );
        for b in &ev.broken {
            let fail = run(c, chain_config(&b.pattern));
            assert!(!fail.is_empty());
            assert!(
                fail.iter().all(|f| f.status == Status::Fail),
                "{}: {fail:?}",
                c.rule
            );
            if b.missing.len() == ev.events.len() {
                // Matching none of the events, it is no filter for this control at all.
                assert_eq!(
                    fail[0].reason,
                    format!(
                        "no metric filter on log group {GROUP} matches {} (1 metric filter on the group, none matching any of its {} canonical events)",
                        c.what,
                        ev.events.len()
                    )
                );
                continue;
            }
            assert_eq!(
                fail.len(),
                b.missing.len().min(1) + b.matches_non_events.len().min(1)
            );
            let reason = &fail[0].reason;
            if !b.missing.is_empty() {
                assert!(
                    reason.contains(&format!("it misses {}", b.missing.join(", "))),
                    "{}: {reason}",
                    c.rule
                );
            }
            if !b.matches_non_events.is_empty() {
                let all: String = fail.iter().map(|f| f.reason.as_str()).collect();
                assert!(
                    all.contains(&format!("also matches {}", b.matches_non_events.join(", "))),
                    "{}: {all}",
                    c.rule
                );
            }
        }
    }
}

#[test]
fn an_over_broad_filter_is_named_for_the_look_alikes_it_would_alarm_on() {
    let c = control("CT-ALARM-ROOT-USAGE");
    let f = run(c, chain_config(r#"{ $.userIdentity.type = "Root" }"#));
    assert_eq!(statuses(&f), [Status::Fail]);
    assert_eq!(
        f[0].reason,
        "its pattern also matches a call made for the root user by an AWS service (invokedBy), an AwsServiceEvent recorded under the root identity, which are not use of the root user: the alarm would go off on ordinary activity"
    );
}

#[test]
fn a_topic_without_subscription_fails_on_the_topic() {
    let c = control("CT-ALARM-VPC-CHANGES");
    let mut r = chain_config(&c.events().unwrap().patterns[0].pattern);
    drop_resource(&mut r, "aws_sns_topic_subscription.email");
    let f = run(c, r);
    assert_eq!(statuses(&f), [Status::Fail]);
    assert_eq!(f[0].resource, TOPIC);
    assert_eq!(
        f[0].reason,
        "topic aws_sns_topic.alerts has no subscription: its alarms notify nobody"
    );
}

#[test]
fn a_subscription_pending_confirmation_reaches_nobody() {
    let c = control("CT-ALARM-VPC-CHANGES");
    let mut r = chain_config(&c.events().unwrap().patterns[0].pattern);
    edit(&mut r, "aws_sns_topic_subscription.email", |a| {
        a["pending_confirmation"] = json!(true)
    });
    let f = run(c, r);
    assert_eq!(statuses(&f), [Status::Fail]);
    assert!(
        f[0].reason.contains(
            "pending confirmation (aws_sns_topic_subscription.email (email security@example.com))"
        ),
        "{}",
        f[0].reason
    );
}

#[test]
fn an_alarm_on_another_metric_or_without_actions_does_not_count() {
    let c = control("CT-ALARM-NACL-CHANGES");
    let pattern = c.events().unwrap().patterns[0].pattern.clone();
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["namespace"] = json!("Other")
    });
    let f = run(c, r);
    assert_eq!(
        f[0].reason,
        "no aws_cloudwatch_metric_alarm watches its metric CISBenchmark/Watched"
    );
    assert_eq!(f[0].resource, "aws_cloudwatch_log_metric_filter.watch");

    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["alarm_actions"] = json!([]);
        a["actions_enabled"] = json!(false);
    });
    let f = run(c, r);
    let reasons: Vec<&str> = f.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "its actions are disabled (actions_enabled = false): it notifies nobody",
            "its alarm_actions name no SNS topic: it notifies nobody",
        ]
    );
    // An Auto Scaling action is not a notification.
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["alarm_actions"] = json!([
            "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:autoScalingGroupName/web:policyName/up"
        ]);
    });
    assert_eq!(
        run(c, r)[0].reason,
        "its alarm_actions name no SNS topic: it notifies nobody"
    );
}

#[test]
fn the_trail_must_be_multi_region_logging_and_capture_the_events() {
    let c = control("CT-ALARM-CMK-DISABLE-OR-DELETE");
    let pattern = c.events().unwrap().patterns[0].pattern.clone();
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudtrail.main", |a| {
        a["is_multi_region_trail"] = json!(false);
        a["enable_logging"] = json!(false);
        a["event_selector"] = json!([{
            "read_write_type": "All",
            "include_management_events": true,
            "exclude_management_event_sources": ["kms.amazonaws.com"],
        }]);
    });
    let f = run(c, r);
    let reasons: Vec<&str> = f.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "not a multi-Region trail: activity in other Regions never reaches its log group",
            "logging is off: no events reach its log group",
            "its event selectors leave out DisableKey, ScheduleKeyDeletion, so they never reach its log group",
        ]
    );
    assert!(f.iter().all(|x| x.resource == "aws_cloudtrail.main"));

    // A write-only trail misses the read-only calls that 4.1 and 4.3 watch.
    let c = control("CT-ALARM-ROOT-USAGE");
    let mut r = chain_config(&c.events().unwrap().patterns[0].pattern);
    edit(&mut r, "aws_cloudtrail.main", |a| {
        a["event_selector"] =
            json!([{"read_write_type": "WriteOnly", "include_management_events": true}]);
    });
    assert_eq!(
        run(c, r)[0].reason,
        "its event selectors leave out s3:ListBuckets by the root user, so they never reach its log group"
    );
}

#[test]
fn a_trail_without_a_log_group_or_a_group_without_the_filter_fails() {
    let c = control("CT-ALARM-CLOUDTRAIL-CHANGES");
    let pattern = c.events().unwrap().patterns[0].pattern.clone();
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudtrail.main", |a| {
        a.as_object_mut()
            .unwrap()
            .remove("cloud_watch_logs_group_arn");
    });
    assert_eq!(
        run(c, r)[0].reason,
        "cloud_watch_logs_group_arn is not set: its events reach no log group a metric filter could read"
    );
    // The filter is on another group.
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_log_metric_filter.watch", |a| {
        a["log_group_name"] = json!("other-logs")
    });
    let f = run(c, r);
    assert_eq!(f[0].resource, GROUP);
    assert_eq!(
        f[0].reason,
        "no metric filter on log group aws_cloudwatch_log_group.trail matches CloudTrail configuration changes"
    );
    // Another control's filter on the group does not count, and says so.
    let f = run(c, chain_config("{ $.eventName = CreateVpc }"));
    assert_eq!(
        f[0].reason,
        "no metric filter on log group aws_cloudwatch_log_group.trail matches CloudTrail configuration changes (1 metric filter on the group, none matching any of its 5 canonical events)"
    );
    assert!(
        run(c, vec![])[0]
            .reason
            .starts_with("no trail: no CloudTrail events reach CloudWatch Logs")
    );
}

#[test]
fn values_known_only_after_apply_need_runtime_facts() {
    let c = control("CT-ALARM-SECURITY-GROUP-CHANGES");
    let pattern = c.events().unwrap().patterns[0].pattern.clone();
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_log_metric_filter.watch", |a| {
        a["pattern"] = unknown("var.pattern", "main.tf:9", None)
    });
    let f = run(c, r);
    assert_eq!(statuses(&f), [Status::NeedsRuntime]);
    assert_eq!(
        f[0].reason,
        "its pattern is not known before apply: var.pattern (main.tf:9)"
    );
    // A topic named by an ARN the input does not define.
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["alarm_actions"] = json!(["arn:aws:sns:us-east-1:123456789012:central-alerts"])
    });
    let f = run(c, r);
    assert_eq!(statuses(&f), [Status::NeedsRuntime]);
    assert!(f[0].reason.contains(
        "topic arn:aws:sns:us-east-1:123456789012:central-alerts is not defined in this input"
    ));
    // ... unless a subscription of the input is to it.
    let mut r = chain_config(&pattern);
    let arn = json!("arn:aws:sns:us-east-1:123456789012:central-alerts");
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["alarm_actions"] = json!([arn.clone()])
    });
    edit(&mut r, "aws_sns_topic_subscription.email", |a| {
        a["topic_arn"] = arn.clone()
    });
    assert_eq!(statuses(&run(c, r)), [Status::Pass]);
}

/// The live loader and state files give names and ARNs, not references: the chain links
/// the same.
#[test]
fn known_names_and_arns_link_like_references() {
    let c = control("CT-ALARM-ROUTE-TABLE-CHANGES");
    let mut r = chain_config(&c.events().unwrap().patterns[1].pattern);
    let topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    edit(&mut r, "aws_cloudtrail.main", |a| {
        a["cloud_watch_logs_group_arn"] =
            json!("arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*")
    });
    edit(&mut r, TOPIC, |a| a["arn"] = json!(topic));
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["alarm_actions"] = json!([topic])
    });
    edit(&mut r, "aws_sns_topic_subscription.email", |a| {
        a["topic_arn"] = json!(topic)
    });
    let m = model_of(r.clone());
    assert_eq!(
        m.trails[0].log_group,
        Some(Target::Resource(GROUP.to_string()))
    );
    assert_eq!(statuses(&check(&m, c)), [Status::Pass]);
    // A group of the same name in another Region is another group.
    edit(&mut r, "aws_cloudtrail.main", |a| {
        a["cloud_watch_logs_group_arn"] =
            json!("arn:aws:logs:eu-west-1:123456789012:log-group:trail-logs:*")
    });
    let f = run(c, r);
    assert_eq!(
        f[0].reason,
        "no metric filter on log group trail-logs matches route table changes"
    );
}

// ---------------------------------------------------------------- the HCL fixtures

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn cis_report(name: &str) -> compliance::Report {
    let config = plan::hcl::load_dir(&fixture(name)).unwrap();
    let rules = compliance::select(&["cis".to_string()]).unwrap();
    let mut report = compliance::check(&Model::build(&config), &rules, &Suppressions::default());
    report.input = format!("HCL tests/fixtures/check/{name}");
    report
}

#[test]
fn a_full_cis_monitoring_setup_passes_every_cis_rule() {
    let report = cis_report("monitoring");
    let text = report::text(&report, false);
    assert_eq!(report.count(Status::Fail), 0, "{text}");
    assert_eq!(report.count(Status::NeedsRuntime), 0, "{text}");
    insta::assert_snapshot!("check_text_monitoring", text);
}

#[test]
fn a_broken_filter_and_a_missing_subscription_fail_with_what_to_fix() {
    let report = cis_report("monitoring-broken");
    let text = report::text(&report, false);
    let failed: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| r.rule.id)
        .collect();
    assert_eq!(failed.len(), CONTROLS.len(), "{text}");
    assert!(
        text.contains("it misses DeleteRolePolicy, PutUserPolicy"),
        "{text}"
    );
    assert!(
        text.contains(
            "topic aws_sns_topic.cis_alarms has no subscription: its alarms notify nobody"
        ),
        "{text}"
    );
    insta::assert_snapshot!("check_text_monitoring_broken", text);
}

/// The plans (made by make-plans.sh with terraform and our provider) know the topic and log
/// group ARNs only as references: the chains link the same and the findings are the same.
#[test]
fn hcl_and_its_terraform_plan_give_the_same_findings() {
    let findings = |config: &Config| -> Vec<(String, Status, String, String)> {
        let rules: Vec<&Rule> = RULES.iter().collect();
        compliance::check(&Model::build(config), &rules, &Suppressions::default())
            .results
            .iter()
            .flat_map(|r| {
                r.findings.iter().map(|f| {
                    (
                        r.rule.id.to_string(),
                        f.finding.status,
                        f.finding.resource.clone(),
                        f.finding.reason.clone(),
                    )
                })
            })
            .collect()
    };
    for name in ["monitoring", "monitoring-broken"] {
        let hcl = plan::hcl::load_dir(&fixture(name)).unwrap();
        let planned = plan::planjson::load_file(&fixture(name).join("plan.json")).unwrap();
        assert_eq!(findings(&hcl), findings(&planned), "{name}");
    }
}

#[test]
fn security_hub_controls_answer_like_their_cis_items() {
    let config = plan::hcl::load_dir(&fixture("monitoring-broken")).unwrap();
    let model = Model::build(&config);
    for n in 1..=14 {
        let id = format!("CloudWatch.{n}");
        let rules = compliance::select(std::slice::from_ref(&id)).unwrap();
        assert_eq!(rules.len(), 1, "{id}");
        let r = compliance::check(&model, &rules, &Suppressions::default());
        assert_eq!(r.results[0].status, Status::Fail, "{id}");
    }
    // v1.2.0's numbers name their controls; v1.4.0's number wins where both use it.
    let ids = |s: &str| -> Vec<&str> {
        compliance::select(&[s.to_string()])
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids("cis:4.4"), ["CT-ALARM-IAM-POLICY-CHANGES"]);
    assert_eq!(ids("cis:3.14"), ["CT-ALARM-VPC-CHANGES"]);
    assert_eq!(ids("cis:3.10"), ["CT-S3-OBJECT-WRITES"]);
    assert_eq!(ids("cis:3.1"), ["CT-MULTI-REGION"]);
    assert_eq!(ids("CloudWatch.1"), ["CT-ALARM-ROOT-USAGE"]);
}

// ---------------------------------------------------------------- live

mod live {
    use super::*;
    use crate::{CallerContext, Simulator};

    const ME: &str = "123456789012";
    const IAM_PATTERN: &str = "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }";

    fn ok(sim: &Simulator, service: &str, op: &str, req: Value) -> Value {
        let ctx = CallerContext::new(ME, "us-east-1");
        sim.invoke(&ctx, service, op, req)
            .unwrap_or_else(|e| panic!("{service} {op}: {e}"))
    }

    /// A logging multi-Region trail delivering to log group `trail`, with a metric filter
    /// for IAM policy changes and an alarm on it that notifies topic `alerts`.
    fn setup(dir: &Path) -> Simulator {
        let sim = Simulator::open(dir).unwrap();
        sim.set_time("2026-01-01T00:00:00Z".parse().unwrap())
            .unwrap();
        ok(&sim, "s3", "CreateBucket", json!({"Bucket": "logs"}));
        ok(
            &sim,
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": "logs", "Policy": crate::policy::documented_bucket_policy("logs", None, ME)}),
        );
        ok(
            &sim,
            "logs",
            "CreateLogGroup",
            json!({"logGroupName": "trail"}),
        );
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
        ok(
            &sim,
            "iam",
            "CreateRole",
            json!({"RoleName": "trail-to-logs", "AssumeRolePolicyDocument": trust.to_string()}),
        );
        let write = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": format!("arn:aws:logs:us-east-1:{ME}:log-group:trail:log-stream:*")}]});
        ok(
            &sim,
            "iam",
            "PutRolePolicy",
            json!({"RoleName": "trail-to-logs", "PolicyName": "write", "PolicyDocument": write.to_string()}),
        );
        ok(
            &sim,
            "cloudtrail",
            "CreateTrail",
            json!({"Name": "audit", "S3BucketName": "logs", "IsMultiRegionTrail": true,
                "CloudWatchLogsLogGroupArn": format!("arn:aws:logs:us-east-1:{ME}:log-group:trail:*"),
                "CloudWatchLogsRoleArn": format!("arn:aws:iam::{ME}:role/trail-to-logs")}),
        );
        ok(&sim, "cloudtrail", "StartLogging", json!({"Name": "audit"}));
        ok(
            &sim,
            "logs",
            "PutMetricFilter",
            json!({"logGroupName": "trail", "filterName": "iam-policy-changes",
                "filterPattern": IAM_PATTERN,
                "metricTransformations": [{"metricName": "IAMPolicyChanges",
                    "metricNamespace": "CISBenchmark", "metricValue": "1"}]}),
        );
        ok(&sim, "sns", "CreateTopic", json!({"Name": "alerts"}));
        ok(
            &sim,
            "cloudwatch",
            "PutMetricAlarm",
            json!({"AlarmName": "iam-policy-changes", "MetricName": "IAMPolicyChanges",
                "Namespace": "CISBenchmark", "Statistic": "Sum", "Period": 300,
                "EvaluationPeriods": 1, "Threshold": 1.0,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "AlarmActions": [format!("arn:aws:sns:us-east-1:{ME}:alerts")]}),
        );
        sim
    }

    fn iam_rule(sim: &Simulator) -> Vec<Finding> {
        let config = plan::live::load(sim).unwrap();
        check(
            &Model::build(&config),
            control("CT-ALARM-IAM-POLICY-CHANGES"),
        )
    }

    fn events(sim: &Simulator) -> u64 {
        sim.read(|db| Ok(db.event_count()?)).unwrap()
    }

    #[test]
    fn the_live_chain_passes_once_a_subscription_is_confirmed_and_reading_it_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let sim = setup(dir.path());
        let topic = format!("arn:aws:sns:us-east-1:{ME}:alerts");

        let before = events(&sim);
        let f = iam_rule(&sim);
        assert_eq!(
            events(&sim),
            before,
            "reading the live state recorded events"
        );
        assert_eq!(statuses(&f), [Status::Fail]);
        assert_eq!(
            f[0].reason,
            "topic aws_sns_topic.alerts has no subscription: its alarms notify nobody"
        );

        // An email subscription waits for the recipient's confirmation.
        ok(
            &sim,
            "sns",
            "Subscribe",
            json!({"TopicArn": topic, "Protocol": "email", "Endpoint": "security@example.com"}),
        );
        let f = iam_rule(&sim);
        assert_eq!(statuses(&f), [Status::Fail]);
        assert!(
            f[0].reason
                .contains("its only subscriptions are pending confirmation"),
            "{}",
            f[0].reason
        );

        // A queue in the same account is confirmed at once.
        ok(
            &sim,
            "sns",
            "Subscribe",
            json!({"TopicArn": topic, "Protocol": "sqs",
                "Endpoint": format!("arn:aws:sqs:us-east-1:{ME}:security-alerts")}),
        );
        let f = iam_rule(&sim);
        assert_eq!(statuses(&f), [Status::Pass], "{f:?}");
        assert_eq!(
            f[0].reason,
            "aws_cloudtrail.audit (audit) sends its events to log group aws_cloudwatch_log_group.trail, where aws_cloudwatch_log_metric_filter.iam_policy_changes matches all 16 canonical events of IAM policy changes; alarm aws_cloudwatch_metric_alarm.iam_policy_changes on CISBenchmark/IAMPolicyChanges (fires on the first matching event) notifies aws_sns_topic.alerts (1 subscription)"
        );

        let config = plan::live::load(&sim).unwrap();
        let alarm = config
            .resources
            .iter()
            .find(|r| r.rtype == "aws_cloudwatch_metric_alarm")
            .unwrap();
        assert_eq!(alarm.attrs["$runtime"]["state_value"], "INSUFFICIENT_DATA");
        assert_eq!(alarm.attrs["region"], "us-east-1");

        // Stopping the trail breaks the chain at its start.
        ok(&sim, "cloudtrail", "StopLogging", json!({"Name": "audit"}));
        let f = iam_rule(&sim);
        assert_eq!(f[0].reason, "logging is off: no events reach its log group");
    }

    #[test]
    fn a_live_filter_with_a_broken_pattern_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let sim = setup(dir.path());
        ok(
            &sim,
            "logs",
            "PutMetricFilter",
            json!({"logGroupName": "trail", "filterName": "iam-policy-changes",
                "filterPattern": "{ ($.eventName = PutRolePolicy) || ($.eventName = AttachRolePolicy) }",
                "metricTransformations": [{"metricName": "IAMPolicyChanges",
                    "metricNamespace": "CISBenchmark", "metricValue": "1"}]}),
        );
        ok(
            &sim,
            "sns",
            "Subscribe",
            json!({"TopicArn": format!("arn:aws:sns:us-east-1:{ME}:alerts"), "Protocol": "sqs",
                "Endpoint": format!("arn:aws:sqs:us-east-1:{ME}:security-alerts")}),
        );
        let f = iam_rule(&sim);
        assert_eq!(statuses(&f), [Status::Fail]);
        assert_eq!(
            f[0].resource,
            "aws_cloudwatch_log_metric_filter.iam_policy_changes"
        );
        assert!(
            f[0].reason.starts_with(
                "its pattern matches 2 of the 16 canonical events of IAM policy changes; it misses DeleteGroupPolicy, DeleteRolePolicy"
            ),
            "{}",
            f[0].reason
        );
    }
}

#[test]
fn an_alarm_that_one_event_does_not_trip_needs_runtime_facts() {
    let c = control("CT-ALARM-NACL-CHANGES");
    let pattern = c.events().unwrap().patterns[0].pattern.clone();
    let mut r = chain_config(&pattern);
    edit(&mut r, "aws_cloudwatch_metric_alarm.watch", |a| {
        a["threshold"] = json!(5);
        a["comparison_operator"] = json!("GreaterThanOrEqualToThreshold");
    });
    let f = run(c, r);
    assert_eq!(f[0].status, Status::NeedsRuntime, "{f:?}");
    assert!(
        f[0].reason.starts_with("one matching event (a data point of 1) does not cross its threshold (GreaterThanOrEqualToThreshold 5)"),
        "{}",
        f[0].reason
    );
}
