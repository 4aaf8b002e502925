//! Every example in examples/ applies with the real terraform binary, re-plans empty and
//! destroys cleanly, leaving the simulator without trails.

use ctsim_e2e::TfWorkspace;
use serde_json::json;

fn apply_replan_destroy(example: &str, expected_trails: usize) {
    let ws = TfWorkspace::example(example);
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    assert_eq!(
        trails(&ws),
        expected_trails,
        "{example}: trails after apply"
    );
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    assert_eq!(trails(&ws), 0, "{example}: trails after destroy");
}

/// Trails of every region and account the simulator holds.
fn trails(ws: &TfWorkspace) -> usize {
    let sim = ws.simulator();
    let mut count = 0;
    for region in ["us-east-1", "us-west-2", "eu-central-1", "eu-west-1"] {
        let ctx = sim.default_caller(region);
        let listed = sim
            .invoke(
                &ctx,
                "cloudtrail",
                "DescribeTrails",
                json!({"includeShadowTrails": false}),
            )
            .expect("DescribeTrails");
        count += listed["trailList"].as_array().map(Vec::len).unwrap_or(0);
    }
    count
}

#[test]
fn trail_basic_example() {
    apply_replan_destroy("trail-basic", 1);
}

#[test]
fn account_trail_example() {
    apply_replan_destroy("account-trail", 1);
}

#[test]
fn organization_trail_example() {
    apply_replan_destroy("org-trail", 1);
}

#[test]
fn data_events_trail_example() {
    apply_replan_destroy("data-events-trail", 1);
}

#[test]
fn trail_module_example() {
    apply_replan_destroy("trail-module", 1);
}

#[test]
fn lake_event_data_store_example() {
    let ws = TfWorkspace::example("lake-event-data-store");
    ws.init();
    ws.apply();
    ws.assert_no_changes();
    let sim = ws.simulator();
    let ctx = sim.default_caller("us-east-1");
    let listed = sim
        .invoke(&ctx, "cloudtrail", "ListEventDataStores", json!({}))
        .expect("ListEventDataStores");
    let stores = listed["EventDataStores"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(stores.len(), 1, "{listed}");
    let id = ws.ok(&["output", "-raw", "event_data_store_id"]);
    assert!(
        stores[0]["EventDataStoreArn"]
            .as_str()
            .is_some_and(|arn| arn.ends_with(&format!("/{}", id.trim()))),
        "{listed} vs {id}"
    );
    ws.ok(&["destroy", "-auto-approve", "-no-color"]);
    let after = sim
        .invoke(&ctx, "cloudtrail", "ListEventDataStores", json!({}))
        .expect("ListEventDataStores");
    let left: Vec<_> = after["EventDataStores"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s["Status"] != "PENDING_DELETION")
        .collect();
    assert!(left.is_empty(), "{after}");
}
