//! aws_cloudtrail_event_data_store through the real terraform binary: create with AWS's
//! default selectors, an empty second plan, in-place updates (selectors, retention, tags,
//! suspend), import by ARN, termination protection refusing a destroy, and the destroy that
//! leaves the store pending deletion.

use ctsim::CallerContext;
use ctsim_e2e::{TfWorkspace, combined, resource_values};
use serde_json::json;

const ADDRESS: &str = "aws_cloudtrail_event_data_store.lake";

fn config(body: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region = "us-east-1"
  default_tags {{
    tags = {{ owner = "platform" }}
  }}
}}

resource "aws_cloudtrail_event_data_store" "lake" {{
  name = "audit-lake"
{body}
}}
"#
    )
}

const S3_WRITES: &str = r#"
  retention_period = 90
  tags = { team = "security" }

  advanced_event_selector {
    name = "S3 object writes"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field  = "readOnly"
      equals = ["false"]
    }
  }
"#;

fn values(ws: &TfWorkspace) -> serde_json::Value {
    let state = ws.state_json();
    resource_values(&state, ADDRESS)
        .cloned()
        .expect("the event data store in state")
}

fn get_store(ws: &TfWorkspace, arn: &str) -> serde_json::Value {
    let sim = ws.simulator();
    let ctx: CallerContext = sim.default_caller("us-east-1");
    sim.invoke(
        &ctx,
        "cloudtrail",
        "GetEventDataStore",
        json!({"EventDataStore": arn}),
    )
    .expect("GetEventDataStore")
}

#[test]
fn event_data_store_lifecycle() {
    let ws = TfWorkspace::new(&[("main.tf", &config(""))]);
    ws.init();
    ws.apply();
    ws.assert_no_changes();

    let created = values(&ws);
    let arn = created["arn"].as_str().expect("arn").to_string();
    assert!(
        arn.starts_with("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/"),
        "{arn}"
    );
    assert_eq!(created["id"], created["arn"]);
    assert_eq!(created["retention_period"], 2555);
    assert_eq!(created["termination_protection_enabled"], true);
    assert_eq!(created["multi_region_enabled"], true);
    assert_eq!(created["billing_mode"], "EXTENDABLE_RETENTION_PRICING");
    assert_eq!(created["tags_all"], json!({"owner": "platform"}));
    // No selector configured: the store's default (all management events) is read back.
    let selectors = created["advanced_event_selector"].to_string();
    assert!(selectors.contains("eventCategory"), "{selectors}");
    assert!(selectors.contains("Management"), "{selectors}");
    assert_eq!(get_store(&ws, &arn)["Status"], "ENABLED");

    // Termination protection is on by default: destroy is refused with AWS's exception.
    let refused = ws.terraform(&["destroy", "-auto-approve", "-no-color"]);
    let text = combined(&refused);
    assert!(!refused.status.success(), "destroy should fail:\n{text}");
    assert!(
        text.contains("EventDataStoreTerminationProtectedException"),
        "{text}"
    );
    ws.assert_no_changes();

    // In-place update: selectors, retention and tags.
    ws.write("main.tf", &config(S3_WRITES));
    let (code, plan) = ws.plan();
    assert_eq!(code, 2, "{plan}");
    assert!(plan.contains("1 to change"), "{plan}");
    ws.apply();
    ws.assert_no_changes();
    let updated = values(&ws);
    assert_eq!(updated["arn"].as_str(), Some(arn.as_str()));
    assert_eq!(updated["retention_period"], 90);
    assert_eq!(
        updated["tags_all"],
        json!({"owner": "platform", "team": "security"})
    );
    let store = get_store(&ws, &arn);
    assert_eq!(store["RetentionPeriod"], 90);
    assert_eq!(
        store["AdvancedEventSelectors"][0]["Name"],
        "S3 object writes"
    );

    // Import by ARN into a fresh state: the same configuration plans no change.
    ws.ok(&["state", "rm", "-no-color", ADDRESS]);
    ws.ok(&["import", "-no-color", ADDRESS, &arn]);
    ws.assert_no_changes();

    // suspend = true stops ingestion; the value is kept as configured.
    ws.write(
        "main.tf",
        &config(&format!("{S3_WRITES}\n  suspend = true\n")),
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(get_store(&ws, &arn)["Status"], "STOPPED_INGESTION");
    ws.write(
        "main.tf",
        &config(&format!("{S3_WRITES}\n  suspend = false\n")),
    );
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(get_store(&ws, &arn)["Status"], "ENABLED");

    // Lift the protection, then destroy: the store waits out its 7 days pending deletion.
    ws.write(
        "main.tf",
        &config(&format!(
            "{S3_WRITES}\n  termination_protection_enabled = false\n"
        )),
    );
    ws.apply();
    ws.assert_no_changes();
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(get_store(&ws, &arn)["Status"], "PENDING_DELETION");
}

#[test]
fn retention_period_outside_the_bounds_is_an_attribute_error() {
    let ws = TfWorkspace::new(&[(
        "main.tf",
        &config("  retention_period = 5000\n  termination_protection_enabled = false\n"),
    )]);
    ws.init();
    let out = ws.terraform(&["plan", "-no-color"]);
    let text = combined(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("expected retention_period to be in the range (7 - 2555), got 5000"),
        "{text}"
    );
}
