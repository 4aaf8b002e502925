//! aws_cloudtrail through the real terraform binary: init, apply, empty second plan,
//! in-place update, replacement, import (CLI and `import {}`), drift, destroy, and a
//! configuration error pinned to its attribute.

use ctsim::CallerContext;
use ctsim_e2e::{TfWorkspace, resource_values};
use serde_json::json;

const ADDRESS: &str = "aws_cloudtrail.main";

fn trail_values(ws: &TfWorkspace) -> serde_json::Value {
    let state = ws.state_json();
    resource_values(&state, ADDRESS)
        .cloned()
        .expect("aws_cloudtrail.main in state")
}

fn call(
    ws: &TfWorkspace,
    op: &str,
    request: serde_json::Value,
) -> Result<serde_json::Value, ctsim::AwsError> {
    let sim = ws.simulator();
    let ctx: CallerContext = sim.default_caller("us-east-1");
    sim.invoke(&ctx, "cloudtrail", op, request)
}

fn trail_names(ws: &TfWorkspace) -> Vec<String> {
    let listed = call(ws, "ListTrails", json!({})).expect("ListTrails");
    listed["Trails"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|t| t["Name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn apply_update_replace_and_destroy_a_trail() {
    let ws = TfWorkspace::example("trail-basic");
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let values = trail_values(&ws);
    let arn = values["arn"].as_str().expect("arn").to_string();
    assert_eq!(
        arn,
        "arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events"
    );
    assert_eq!(values["id"], json!(arn), "hashicorp/aws v6: id is the ARN");
    assert_eq!(values["home_region"], "us-east-1");
    assert_eq!(values["enable_logging"], true);
    assert_eq!(values["include_global_service_events"], true);
    assert_eq!(
        values["tags_all"],
        json!({"ManagedBy": "terraform", "Team": "security"})
    );
    assert_eq!(values["tags"], json!({"Team": "security"}));
    let status = call(&ws, "GetTrailStatus", json!({"Name": arn})).expect("status");
    assert_eq!(status["IsLogging"], true);

    // The calls Terraform made are in event history.
    let created = call(
        &ws,
        "LookupEvents",
        json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateTrail"}]}),
    )
    .expect("LookupEvents");
    assert_eq!(created["Events"].as_array().map(Vec::len), Some(1));

    // In place: tags and selectors.
    let main = std::fs::read_to_string(ws.dir.join("main.tf")).unwrap();
    let updated = main
        .replace(
            "Team = \"security\"",
            "Team = \"platform\"\n    Cost = \"audit\"",
        )
        .replace(
            "read_write_type           = \"All\"",
            "read_write_type           = \"WriteOnly\"",
        );
    ws.write("main.tf", &updated);
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("updated in-place"), "{plan}");
    assert!(!plan.contains("must be replaced"), "{plan}");
    ws.apply();
    ws.assert_no_changes();
    let values = trail_values(&ws);
    assert_eq!(
        values["id"],
        json!(arn),
        "an in-place update keeps the trail"
    );
    assert_eq!(values["event_selector"][0]["read_write_type"], "WriteOnly");
    assert_eq!(values["tags"], json!({"Team": "platform", "Cost": "audit"}));

    // Replacement: the name forces a new trail.
    ws.write(
        "rename.auto.tfvars",
        "trail_name = \"management-events-v2\"\n",
    );
    let (code, plan) = ws.plan();
    assert_eq!(code, 2);
    assert!(plan.contains("must be replaced"), "{plan}");
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(trail_names(&ws), vec!["management-events-v2".to_string()]);

    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert!(trail_names(&ws).is_empty());
}

#[test]
fn drift_behind_terraforms_back_shows_in_the_plan() {
    let ws = TfWorkspace::example("trail-basic");
    ws.init();
    ws.apply();
    let arn = trail_values(&ws)["arn"].as_str().unwrap().to_string();

    call(&ws, "StopLogging", json!({"Name": arn})).expect("StopLogging");
    call(
        &ws,
        "UpdateTrail",
        json!({"Name": arn, "IncludeGlobalServiceEvents": false}),
    )
    .expect("UpdateTrail");
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("enable_logging"), "{plan}");
    assert!(
        plan.contains("include_global_service_events = false -> true"),
        "{plan}"
    );
    ws.apply();
    ws.assert_no_changes();

    // Deleted behind Terraform's back: removed from state, planned for creation.
    call(&ws, "DeleteTrail", json!({"Name": arn})).expect("DeleteTrail");
    let (code, plan) = ws.plan();
    assert_eq!(code, 2);
    assert!(plan.contains("will be created"), "{plan}");
}

#[test]
fn import_by_arn_and_by_name() {
    let ws = TfWorkspace::example("trail-basic");
    ws.init();
    ws.apply();
    let arn = trail_values(&ws)["arn"].as_str().unwrap().to_string();

    ws.ok(&["state", "rm", ADDRESS]);
    ws.ok(&["import", "-no-color", ADDRESS, &arn]);
    ws.assert_no_changes();

    ws.ok(&["state", "rm", ADDRESS]);
    ws.write(
        "import.tf",
        "import {\n  to = aws_cloudtrail.main\n  id = \"management-events\"\n}\n",
    );
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(
        plan.contains("1 to import, 0 to add, 0 to change, 0 to destroy"),
        "{plan}"
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(trail_values(&ws)["id"], json!(arn));
}

#[test]
fn invalid_argument_is_reported_at_its_attribute() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudtrail" "bad" {
  name           = "bad-trail"
  s3_bucket_name = "bucket"

  event_selector {
    read_write_type = "Bogus"
  }
}
"#,
    )]);
    ws.init();
    let out = ws.terraform(&["validate", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("expected read_write_type to be one of"),
        "{text}"
    );
    // The diagnostic points at the attribute in the source.
    assert!(text.contains("read_write_type = \"Bogus\""), "{text}");
}

#[test]
fn service_errors_surface_with_the_aws_exception_name() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        r#"
provider "aws" {
  region = "us-east-1"
}

resource "aws_cloudtrail" "bad" {
  name           = "bad--name"
  s3_bucket_name = "bucket"
}
"#,
    )]);
    ws.init();
    let out = ws.terraform(&["apply", "-auto-approve", "-no-color"]);
    let text = ctsim_e2e::combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("InvalidTrailNameException"), "{text}");
}
