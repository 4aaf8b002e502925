//! Compliance checks, coverage, diff and snapshot, end to end through the library (the
//! `ctsim` executable's exit codes are tested in provider/tests/command.rs, beside it). Fixtures: tests/fixtures/check (generate.py writes the .tf files,
//! make-plans.sh the plan.json files with the real terraform and our provider).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ctsim::compliance::report::{self, Format};
use ctsim::compliance::{self, Model, RULES, Status, Suppressions};
use ctsim::plan::{self, Config};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// The examples/ directories whose check, snapshot and diff outputs are snapshot-tested.
const EXAMPLES: &[&str] = &[
    "account-trail",
    "data-events-trail",
    "insights-trail",
    "lake-event-data-store",
    "org-trail",
    "trail-basic",
    "trail-module",
];

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn hcl(dir: &Path) -> Config {
    plan::hcl::load_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn planned(file: &Path) -> Config {
    plan::planjson::load_file(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn run(config: &Config) -> compliance::Report {
    let rules: Vec<_> = RULES.iter().collect();
    compliance::check(&Model::build(config), &rules, &Suppressions::default())
}

/// (rule, status, resource, reason) of every finding: what must match across inputs.
fn findings(r: &compliance::Report) -> Vec<(String, Status, String, String)> {
    r.results
        .iter()
        .flat_map(|x| {
            x.findings.iter().map(|f| {
                (
                    x.rule.id.to_string(),
                    f.finding.status,
                    f.finding.resource.clone(),
                    f.finding.reason.clone(),
                )
            })
        })
        .collect()
}

fn failing(r: &compliance::Report) -> BTreeSet<&'static str> {
    r.results
        .iter()
        .filter(|x| x.status == Status::Fail)
        .map(|x| x.rule.id)
        .collect()
}

/// Stands for every CIS section 4 monitoring rule (`CT-ALARM-*`) in [`EXPECTED_FAILS`].
const ALARMS: &str = "CT-ALARM-*";

/// The fixtures with the CIS section 4 monitoring chain (trail -> log group -> metric filters
/// -> alarms -> SNS topic -> subscription); the other fixtures have none, so they also fail
/// every `CT-ALARM-*` rule.
const WITH_MONITORING: &[&str] = &["monitoring", "monitoring-broken"];

fn alarm_rules() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| id.starts_with("CT-ALARM-"))
}

/// The rules a fixture fails: its own, plus the monitoring rules where it has no chain.
fn expected_fails(name: &str, fails: &[&'static str]) -> BTreeSet<&'static str> {
    let mut want: BTreeSet<&str> = fails.iter().copied().filter(|f| *f != ALARMS).collect();
    if fails.contains(&ALARMS) || !WITH_MONITORING.contains(&name) {
        want.extend(alarm_rules());
    }
    want
}

const EXPECTED_FAILS: &[(&str, &[&str])] = &[
    ("compliant", &[]),
    ("monitoring", &[]),
    // A filter pattern that misses two IAM events, and no subscription to the alarm topic.
    ("monitoring-broken", &[ALARMS]),
    (
        "single-region",
        &[
            "CT-MULTI-REGION",
            "CT-S3-OBJECT-WRITES",
            "CT-S3-OBJECT-READS",
        ],
    ),
    (
        "logging-off",
        &[
            "CT-MULTI-REGION",
            "CT-ENABLED",
            "CT-S3-OBJECT-WRITES",
            "CT-S3-OBJECT-READS",
        ],
    ),
    ("no-log-validation", &["CT-LOG-VALIDATION"]),
    ("public-bucket", &["CT-BUCKET-NOT-PUBLIC"]),
    ("no-cloudwatch", &["CT-CLOUDWATCH-LOGS"]),
    ("no-access-logging", &["CT-BUCKET-ACCESS-LOGGING"]),
    ("no-kms", &["CT-KMS-ENCRYPTION"]),
    ("no-object-reads", &["CT-S3-OBJECT-READS"]),
    ("no-object-writes", &["CT-S3-OBJECT-WRITES"]),
    ("untagged", &["CT-TAGGED"]),
    ("lake-cmk", &[]),
    ("lake-no-cmk", &["CT-LAKE-CMK"]),
];

#[test]
fn each_fixture_fails_exactly_its_rule_with_identical_findings_from_hcl_and_plan() {
    for (name, fails) in EXPECTED_FAILS {
        let dir = fixtures().join(name);
        let from_hcl = run(&hcl(&dir));
        let from_plan = run(&planned(&dir.join("plan.json")));
        assert_eq!(
            findings(&from_hcl),
            findings(&from_plan),
            "{name}: HCL and plan differ"
        );
        assert_eq!(failing(&from_hcl), expected_fails(name, fails), "{name}");
    }
}

#[test]
fn every_configuration_rule_has_a_passing_and_a_failing_fixture() {
    let mut passed = BTreeSet::new();
    let mut failed = BTreeSet::new();
    for (name, _) in EXPECTED_FAILS {
        for input in [
            hcl(&fixtures().join(name)),
            planned(&fixtures().join(name).join("plan.json")),
        ] {
            for r in run(&input).results {
                match r.status {
                    Status::Pass => passed.insert(r.rule.id),
                    Status::Fail => failed.insert(r.rule.id),
                    _ => false,
                };
            }
        }
    }
    for rule in RULES.iter().filter(|r| r.id != "CT-DELIVERING") {
        assert!(passed.contains(rule.id), "{} never passes", rule.id);
        assert!(failed.contains(rule.id), "{} never fails", rule.id);
    }
}

#[test]
fn check_reports_of_the_examples() {
    for ex in EXAMPLES {
        let config = hcl(&examples().join(ex));
        let mut report = run(&config);
        report.input = format!("HCL examples/{ex}");
        insta::assert_snapshot!(format!("check_text_{ex}"), report::text(&report, false));
    }
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sarif")
        .join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The official SARIF 2.1.0 (rtm.5) schema, and a closed subset of it that also refuses
/// members SARIF does not define on the objects ctsim writes.
#[test]
fn sarif_output_validates_against_the_sarif_schema() {
    let official = schema("sarif-schema-2.1.0.json");
    let closed = schema("sarif-2.1.0-subset.schema.json");
    let supp = Suppressions::parse(
        "[[suppress]]\nrule = \"CloudTrail.7\"\nreason = \"access logs are collected centrally\"\n",
        "test",
    )
    .unwrap();
    let mut inputs: Vec<Config> = EXAMPLES
        .iter()
        .map(|ex| hcl(&examples().join(ex)))
        .collect();
    inputs.push(planned(&fixtures().join("public-bucket/plan.json")));
    for config in inputs {
        let rules: Vec<_> = RULES.iter().collect();
        let report = compliance::check(&Model::build(&config), &rules, &supp);
        let sarif = report::sarif(&report);
        for v in [&official, &closed] {
            let errors: Vec<String> = v
                .iter_errors(&sarif)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", report.input);
        }
        assert!(
            sarif["runs"][0]["results"]
                .as_array()
                .is_some_and(|r| !r.is_empty())
        );
    }
    // The validators do reject what SARIF forbids.
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"level": "fatal", "message": {"text": "t"}}]}]});
    assert!(!official.is_valid(&bad));
    assert!(!closed.is_valid(&bad));
}

#[test]
fn junit_and_json_outputs_of_a_failing_fixture() {
    let mut report = run(&hcl(&fixtures().join("public-bucket")));
    report.input = "HCL public-bucket".into();
    insta::assert_snapshot!("junit_public_bucket", report::junit(&report));
    let json: serde_json::Value =
        serde_json::from_str(&report::render(&report, Format::Json, false)).unwrap();
    // CT-BUCKET-NOT-PUBLIC, and every monitoring rule (the fixture has no alarms).
    assert_eq!(json["summary"]["fail"], 1 + alarm_rules().count());
}

#[test]
fn a_suppression_turns_a_failure_into_a_pass_of_the_run_and_keeps_its_reason() {
    let supp = Suppressions::parse(
        "[[suppress]]\nrule = \"CT-KMS-ENCRYPTION\"\nresource = \"aws_cloudtrail.main\"\nreason = \"SSE-S3 accepted by risk review 42\"\n",
        "test",
    )
    .unwrap();
    // The fixture has no monitoring chain: leave the CT-ALARM-* rules out.
    let rules: Vec<_> = RULES
        .iter()
        .filter(|r| !r.id.starts_with("CT-ALARM-"))
        .collect();
    let report = compliance::check(
        &Model::build(&hcl(&fixtures().join("no-kms"))),
        &rules,
        &supp,
    );
    assert!(!report.failed());
    let kms = report
        .results
        .iter()
        .find(|r| r.rule.id == "CT-KMS-ENCRYPTION")
        .unwrap();
    assert_eq!(kms.findings[0].finding.status, Status::Fail);
    assert_eq!(
        kms.findings[0].suppressed.as_deref(),
        Some("SSE-S3 accepted by risk review 42")
    );
    assert!(report::text(&report, false).contains("suppressed: SSE-S3 accepted by risk review 42"));
}

#[test]
fn suppressions_need_a_reason_and_a_real_rule() {
    let no_reason =
        Suppressions::parse("[[suppress]]\nrule = \"CT-TAGGED\"\nreason = \" \"\n", "f");
    assert!(no_reason.unwrap_err().contains("empty reason"));
    let missing = Suppressions::parse("[[suppress]]\nrule = \"CT-TAGGED\"\n", "f");
    assert!(missing.is_err());
    let unknown = Suppressions::parse(
        "[[suppress]]\nrule = \"CloudTrail.8\"\nreason = \"x\"\n",
        "f",
    );
    assert!(unknown.unwrap_err().contains("names no rule"));
}

#[test]
fn rules_are_chosen_by_pack_rule_id_or_control_id() {
    let ids = |spec: &[&str]| -> Vec<&str> {
        compliance::select(&spec.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(ids(&["CloudTrail.2"]), vec!["CT-KMS-ENCRYPTION"]);
    assert_eq!(ids(&["cis:3.10"]), vec!["CT-S3-OBJECT-WRITES"]);
    assert_eq!(
        ids(&["CT-TAGGED,CloudTrail.1"]),
        vec!["CT-MULTI-REGION", "CT-TAGGED"]
    );
    assert!(!ids(&["cis"]).contains(&"CT-TAGGED"));
    assert!(ids(&["securityhub"]).contains(&"CT-LAKE-CMK"));
    assert!(compliance::select(&["nope".to_string()]).is_err());
}

#[test]
fn coverage_names_the_trails_that_capture_an_event() {
    let model = Model::build(&hcl(&fixtures().join("no-object-reads")));
    let q = |name: &str, ro: bool| compliance::coverage::EventQuery {
        event_name: Some(name.into()),
        event_source: Some("s3.amazonaws.com".into()),
        resource_arn: Some("arn:aws:s3:::some-bucket/k".into()),
        read_only: Some(ro),
        region: Some("eu-west-1".into()),
        ..Default::default()
    };
    let put = compliance::coverage::who_captures(&model, &q("PutObject", false));
    assert_eq!(put[0].captured, Some(true));
    let get = compliance::coverage::who_captures(&model, &q("GetObject", true));
    assert_eq!(get[0].captured, Some(false));
    let single = Model::build(&hcl(&fixtures().join("single-region")));
    let other_region = compliance::coverage::who_captures(&single, &q("PutObject", false));
    assert_eq!(other_region[0].captured, Some(false));
    assert!(
        other_region[0].why.contains("single-Region"),
        "{}",
        other_region[0].why
    );
}

#[test]
fn what_example_trails_capture_in_words() {
    for ex in ["data-events-trail", "trail-basic", "trail-module"] {
        let model = Model::build(&hcl(&examples().join(ex)));
        let text: String = model
            .trails
            .iter()
            .map(compliance::coverage::describe_trail)
            .collect();
        insta::assert_snapshot!(format!("coverage_trail_{ex}"), text);
    }
}

#[test]
fn snapshot_of_a_plan_is_stable_and_redacted() {
    let a = plan::snapshot::render(&planned(&fixtures().join("compliant/plan.json")));
    let b = plan::snapshot::render(&planned(&fixtures().join("compliant/plan.json")));
    assert_eq!(a, b);
    insta::assert_snapshot!("snapshot_compliant_plan", a);
}

#[test]
fn diff_between_two_plans_names_rule_and_capture_changes() {
    let a = planned(&fixtures().join("compliant/plan.json"));
    let b = planned(&fixtures().join("no-object-writes/plan.json"));
    let rules: Vec<_> = RULES.iter().collect();
    let text = plan::diff::diff(
        &a,
        &b,
        "compliant/plan.json",
        "no-object-writes/plan.json",
        &rules,
    );
    assert!(
        text.contains("CT-S3-OBJECT-WRITES (CIS v1.4.0 3.10, CIS v3.0.0 3.8, S3.22): PASS -> FAIL"),
        "{text}"
    );
    assert!(text.contains("- S3 object writes in bucket fixture-trail-logs: no longer captured by trail fixture-trail"), "{text}");
    insta::assert_snapshot!("diff_compliant_to_no_object_writes", text);
}

#[test]
fn diff_between_hcl_and_its_plan_has_no_rule_changes() {
    let a = hcl(&fixtures().join("compliant"));
    let b = planned(&fixtures().join("compliant/plan.json"));
    let rules: Vec<_> = RULES.iter().collect();
    let text = plan::diff::diff(&a, &b, "compliant", "compliant/plan.json", &rules);
    assert!(text.contains("Rule status changes:\n  none"), "{text}");
    assert!(text.contains("Event capture changes:\n  none"), "{text}");
}

mod live {
    use super::*;
    use chrono::{DateTime, Duration, Utc};
    use ctsim::{CallerContext, Simulator};
    use serde_json::{Value, json};

    const ME: &str = "123456789012";

    fn ok(sim: &Simulator, op: (&str, &str), req: Value) -> Value {
        let ctx = CallerContext::new(ME, "us-east-1");
        sim.invoke(&ctx, op.0, op.1, req)
            .unwrap_or_else(|e| panic!("{op:?}: {e}"))
    }

    /// A bucket with CloudTrail's documented policy and a multi-Region trail "audit".
    fn setup(dir: &Path) -> Simulator {
        let sim = Simulator::open(dir).unwrap();
        let t0: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        sim.set_time(t0).unwrap();
        ok(&sim, ("s3", "CreateBucket"), json!({"Bucket": "logs"}));
        ok(
            &sim,
            ("s3", "PutBucketPolicy"),
            json!({"Bucket": "logs", "Policy": ctsim::policy::documented_bucket_policy("logs", None, ME)}),
        );
        ok(
            &sim,
            ("cloudtrail", "CreateTrail"),
            json!({"Name": "audit", "S3BucketName": "logs", "IsMultiRegionTrail": true, "EnableLogFileValidation": true}),
        );
        sim
    }

    fn delivering(sim: &Simulator) -> compliance::RuleResult {
        let config = plan::live::load(sim).unwrap();
        let rules = compliance::select(&["CT-DELIVERING".to_string()]).unwrap();
        compliance::check(&Model::build(&config), &rules, &Suppressions::default())
            .results
            .remove(0)
    }

    #[test]
    fn a_trail_that_is_not_logging_fails_the_delivery_rule() {
        let dir = tempfile::tempdir().unwrap();
        let sim = setup(dir.path());
        let r = delivering(&sim);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.findings[0].finding.reason, "IsLogging is false");
    }

    #[test]
    fn a_logging_trail_that_delivered_passes_and_live_facts_reach_the_other_rules() {
        let dir = tempfile::tempdir().unwrap();
        let sim = setup(dir.path());
        ok(
            &sim,
            ("cloudtrail", "StartLogging"),
            json!({"Name": "audit"}),
        );
        let before = delivering(&sim);
        assert_eq!(before.status, Status::NeedsRuntime, "{:?}", before.findings);
        ok(&sim, ("s3", "ListBuckets"), json!({}));
        sim.advance_time(Duration::minutes(20)).unwrap();
        let after = delivering(&sim);
        assert_eq!(after.status, Status::Pass, "{:?}", after.findings);

        let config = plan::live::load(&sim).unwrap();
        let rules: Vec<_> = RULES.iter().collect();
        let report = compliance::check(&Model::build(&config), &rules, &Suppressions::default());
        let status = |id: &str| {
            report
                .results
                .iter()
                .find(|r| r.rule.id == id)
                .unwrap()
                .status
        };
        assert_eq!(status("CT-MULTI-REGION"), Status::Pass);
        assert_eq!(status("CT-LOG-VALIDATION"), Status::Pass);
        assert_eq!(status("CT-KMS-ENCRYPTION"), Status::Fail);
        // The bucket was created live with no public access block and a non-public policy.
        assert_eq!(status("CT-BUCKET-NOT-PUBLIC"), Status::Pass);
        ok(
            &sim,
            ("cloudtrail", "StopLogging"),
            json!({"Name": "audit"}),
        );
        let config = plan::live::load(&sim).unwrap();
        let report = compliance::check(&Model::build(&config), &rules, &Suppressions::default());
        let status = |id: &str| {
            report
                .results
                .iter()
                .find(|r| r.rule.id == id)
                .unwrap()
                .status
        };
        assert_eq!(status("CT-MULTI-REGION"), Status::Fail);
        assert_eq!(status("CT-ENABLED"), Status::Fail);
    }
    /// Event data stores load like trails: the Lake rule decides on them, and coverage
    /// answers for trails and stores with the one selector evaluator.
    #[test]
    fn live_event_data_stores_reach_the_lake_rule_and_coverage() {
        use ctsim::compliance::coverage::{EventQuery, who_captures};
        let dir = tempfile::tempdir().unwrap();
        let sim = setup(dir.path());
        let key = ok(&sim, ("kms", "CreateKey"), json!({}))["KeyMetadata"]["Arn"].clone();
        ok(
            &sim,
            ("cloudtrail", "CreateEventDataStore"),
            json!({"Name": "mgmt", "KmsKeyId": key, "RetentionPeriod": 90,
                   "TagsList": [{"Key": "team", "Value": "sec"}]}),
        );
        let lake_rule = |sim: &Simulator| {
            let config = plan::live::load(sim).unwrap();
            let rules = compliance::select(&["CT-LAKE-CMK".to_string()]).unwrap();
            compliance::check(&Model::build(&config), &rules, &Suppressions::default())
                .results
                .remove(0)
        };
        assert_eq!(lake_rule(&sim).status, Status::Pass);

        // A single-Region store in another Region taking S3 object writes, without a CMK.
        let west = CallerContext::new(ME, "us-west-2");
        sim.invoke(
            &west,
            "cloudtrail",
            "CreateEventDataStore",
            json!({"Name": "objects", "MultiRegionEnabled": false,
                   "TerminationProtectionEnabled": false,
                   "AdvancedEventSelectors": [{"Name": "writes", "FieldSelectors": [
                       {"Field": "eventCategory", "Equals": ["Data"]},
                       {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                       {"Field": "readOnly", "Equals": ["false"]}]}]}),
        )
        .unwrap();
        let r = lake_rule(&sim);
        assert_eq!(r.status, Status::Fail);
        let failing: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.finding.status == Status::Fail)
            .map(|f| f.finding.resource.as_str())
            .collect();
        assert_eq!(failing, ["aws_cloudtrail_event_data_store.objects"]);

        let config = plan::live::load(&sim).unwrap();
        let stores: Vec<_> = config
            .resources
            .iter()
            .filter(|r| r.rtype == "aws_cloudtrail_event_data_store")
            .collect();
        assert_eq!(stores.len(), 2);
        let mgmt = stores[0];
        assert_eq!(mgmt.attrs["retention_period"], 90);
        assert_eq!(mgmt.attrs["termination_protection_enabled"], true);
        assert_eq!(mgmt.attrs["multi_region_enabled"], true);
        assert_eq!(mgmt.attrs["tags"]["team"], "sec");
        assert_eq!(mgmt.attrs["$runtime"]["status"], "ENABLED");
        assert_eq!(stores[1].attrs["region"], "us-west-2");

        let put = |region: &str| EventQuery {
            event_source: Some("s3.amazonaws.com".into()),
            event_name: Some("PutObject".into()),
            resource_arn: Some("arn:aws:s3:::logs/k".into()),
            region: Some(region.into()),
            read_only: Some(false),
            ..EventQuery::default()
        };
        let captured = |q: &EventQuery| {
            let m = Model::build(&plan::live::load(&sim).unwrap());
            who_captures(&m, q)
                .into_iter()
                .map(|l| (l.name, l.captured))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            captured(&put("us-west-2")),
            vec![
                ("audit".to_string(), Some(false)),
                ("mgmt".to_string(), Some(false)),
                ("objects".to_string(), Some(true)),
            ]
        );
        // Single-Region in us-west-2: an object write elsewhere is not taken.
        assert_eq!(
            captured(&put("us-east-1"))[2],
            ("objects".into(), Some(false))
        );
        let create_trail = EventQuery {
            event_source: Some("cloudtrail.amazonaws.com".into()),
            event_name: Some("CreateTrail".into()),
            region: Some("eu-west-1".into()),
            read_only: Some(false),
            ..EventQuery::default()
        };
        assert_eq!(
            captured(&create_trail),
            vec![
                ("audit".to_string(), Some(true)),
                ("mgmt".to_string(), Some(true)),
                ("objects".to_string(), Some(false)),
            ]
        );
        // A store that stopped ingesting takes nothing.
        sim.invoke(
            &west,
            "cloudtrail",
            "StopEventDataStoreIngestion",
            json!({"EventDataStore": stores[1].attrs["arn"]}),
        )
        .unwrap();
        let m = Model::build(&plan::live::load(&sim).unwrap());
        let line = who_captures(&m, &put("us-west-2")).remove(2);
        assert_eq!(line.captured, Some(false));
        assert!(line.why.contains("STOPPED_INGESTION"), "{}", line.why);
    }
}

mod examples_plans {
    use super::*;

    fn plan_of(ex: &str) -> Config {
        planned(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/examples")
                .join(format!("{ex}.plan.json")),
        )
    }

    #[test]
    fn snapshots_of_the_example_plans() {
        for ex in EXAMPLES {
            insta::assert_snapshot!(
                format!("snapshot_plan_{ex}"),
                plan::snapshot::render(&plan_of(ex))
            );
        }
    }

    #[test]
    fn diffs_between_each_example_and_its_plan() {
        let rules: Vec<_> = RULES.iter().collect();
        for ex in EXAMPLES {
            let text = plan::diff::diff(
                &hcl(&examples().join(ex)),
                &plan_of(ex),
                &format!("examples/{ex}"),
                &format!("{ex}.plan.json"),
                &rules,
            );
            insta::assert_snapshot!(format!("diff_hcl_to_plan_{ex}"), text);
        }
    }

    #[test]
    fn example_plans_give_the_findings_of_their_hcl() {
        // data-events-trail and insights-trail write their bucket policy with jsonencode over a
        // computed ARN: the plan keeps only the references, so CT-BUCKET-NOT-PUBLIC needs
        // runtime facts there.
        for ex in EXAMPLES {
            let (a, b) = (run(&hcl(&examples().join(ex))), run(&plan_of(ex)));
            let statuses = |r: &compliance::Report| -> Vec<(&str, Status)> {
                r.results.iter().map(|x| (x.rule.id, x.status)).collect()
            };
            let (sa, mut sb) = (statuses(&a), statuses(&b));
            if ["data-events-trail", "insights-trail"].contains(ex) {
                for s in sb.iter_mut().filter(|s| s.0 == "CT-BUCKET-NOT-PUBLIC") {
                    assert_eq!(s.1, Status::NeedsRuntime);
                    s.1 = Status::Pass;
                }
            }
            assert_eq!(sa, sb, "{ex}");
        }
    }

    #[test]
    fn diff_between_two_example_plans_shows_what_is_no_longer_logged() {
        let rules: Vec<_> = RULES.iter().collect();
        let text = plan::diff::diff(
            &plan_of("trail-basic"),
            &plan_of("account-trail"),
            "trail-basic.plan.json",
            "account-trail.plan.json",
            &rules,
        );
        assert!(text.contains("CT-MULTI-REGION"), "{text}");
        insta::assert_snapshot!("diff_trail_basic_to_account_trail", text);
    }
}

/// `ctsim coverage --plan PLAN` with no question: every call the plan causes, as the
/// CloudTrail event AWS records for it, and the trails that capture it.
#[test]
fn coverage_of_the_calls_a_plan_causes() {
    for ex in ["trail-basic", "data-events-trail"] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/examples")
            .join(format!("{ex}.plan.json"));
        let text = std::fs::read_to_string(&file).expect("plan fixture");
        let plan: serde_json::Value = serde_json::from_str(&text).expect("plan JSON");
        let model = Model::build(&planned(&file));
        let answered: Vec<_> = compliance::coverage::planned_calls(&plan)
            .into_iter()
            .map(|c| {
                let q = compliance::coverage::EventQuery {
                    event_name: Some(c.event_name.clone()),
                    event_source: Some(c.event_source.clone()),
                    read_only: Some(false),
                    category: Some("Management".into()),
                    ..Default::default()
                };
                let lines = compliance::coverage::who_captures(&model, &q);
                (c, lines)
            })
            .collect();
        insta::assert_snapshot!(
            format!("plan_coverage_{ex}"),
            compliance::coverage::render_plan_coverage(&answered)
        );
    }
}
