//! Event data store management through the simulator facade.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(); // literal date, valid
    sim.set_time(t0).unwrap(); // test setup
    (dir, sim)
}

fn ctx() -> CallerContext {
    CallerContext::new(ACCOUNT, "us-east-1")
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, AwsError> {
    sim.invoke(&ctx(), "cloudtrail", op, req)
}

fn ok(sim: &Simulator, op: &str, req: Value) -> Value {
    match call(sim, op, req) {
        Ok(v) => v,
        Err(e) => panic!("{op} failed: {e}"),
    }
}

fn err(sim: &Simulator, op: &str, req: Value) -> AwsError {
    match call(sim, op, req) {
        Ok(v) => panic!("{op} should fail, got {v}"),
        Err(e) => e,
    }
}

fn create(sim: &Simulator, req: Value) -> String {
    ok(sim, "CreateEventDataStore", req)["EventDataStoreArn"]
        .as_str()
        .unwrap() // Create always answers the ARN
        .to_string()
}

#[test]
fn create_applies_aws_defaults_and_answers_created() {
    let (_d, sim) = sim();
    let r = ok(&sim, "CreateEventDataStore", json!({"Name": "my-eds"}));
    let arn = r["EventDataStoreArn"].as_str().unwrap(); // asserted below
    assert!(arn.starts_with("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/"));
    assert_eq!(r["Status"], "CREATED");
    assert_eq!(r["MultiRegionEnabled"], true);
    assert_eq!(r["OrganizationEnabled"], false);
    assert_eq!(r["RetentionPeriod"], 2557);
    assert_eq!(r["TerminationProtectionEnabled"], true);
    assert_eq!(r["BillingMode"], "EXTENDABLE_RETENTION_PRICING");
    assert_eq!(
        r["AdvancedEventSelectors"],
        json!([{"Name": "Default management events",
                "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}])
    );
    let got = ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}));
    assert_eq!(got["Status"], "ENABLED");
    assert_eq!(got["Name"], "my-eds");
    // The id part of the ARN names the store too.
    let id = arn.rsplit('/').next().unwrap(); // ARN has a slash
    let by_id = ok(&sim, "GetEventDataStore", json!({"EventDataStore": id}));
    assert_eq!(by_id["EventDataStoreArn"], arn);
}

#[test]
fn ids_are_deterministic_per_state() {
    let (_d1, a) = sim();
    let (_d2, b) = sim();
    let x = create(&a, json!({"Name": "one"}));
    let y = create(&b, json!({"Name": "one"}));
    // Same inputs, same ids: the id comes from the state's seed and a counter.
    let id = x.rsplit('/').next().unwrap(); // ARN has a slash
    assert_eq!(id.len(), 36);
    assert_eq!(x, y);
    let z = create(&a, json!({"Name": "two"}));
    assert_ne!(x, z);
}

#[test]
fn retention_limits_follow_the_billing_mode() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "a-eds", "RetentionPeriod": 6}),
    );
    assert_eq!(e.code, "ValidationException");
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "a-eds", "RetentionPeriod": 3654}),
    );
    assert_eq!(e.code, "ValidationException");
    create(&sim, json!({"Name": "ext", "RetentionPeriod": 3653}));
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "fixed", "RetentionPeriod": 2558, "BillingMode": "FIXED_RETENTION_PRICING"}),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let arn = create(
        &sim,
        json!({"Name": "fixed", "RetentionPeriod": 2557, "BillingMode": "FIXED_RETENTION_PRICING"}),
    );
    // Fixed -> extendable is allowed and lifts the limit; extendable -> fixed is not.
    let r = ok(
        &sim,
        "UpdateEventDataStore",
        json!({"EventDataStore": arn, "BillingMode": "EXTENDABLE_RETENTION_PRICING", "RetentionPeriod": 3000}),
    );
    assert_eq!(r["RetentionPeriod"], 3000);
    let e = err(
        &sim,
        "UpdateEventDataStore",
        json!({"EventDataStore": arn, "BillingMode": "FIXED_RETENTION_PRICING"}),
    );
    assert_eq!(e.code, "InvalidParameterException");
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "bad-mode", "BillingMode": "CHEAP"}),
    );
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn names_are_unique_and_validated() {
    let (_d, sim) = sim();
    create(&sim, json!({"Name": "dup"}));
    let e = err(&sim, "CreateEventDataStore", json!({"Name": "dup"}));
    assert_eq!(e.code, "EventDataStoreAlreadyExistsException");
    let e = err(&sim, "CreateEventDataStore", json!({"Name": "ab"}));
    assert_eq!(e.code, "ValidationException");
    let e = err(&sim, "CreateEventDataStore", json!({"Name": "bad name"}));
    assert_eq!(e.code, "ValidationException");
}

#[test]
fn at_most_ten_stores_per_region() {
    let (_d, sim) = sim();
    for i in 0..10 {
        create(&sim, json!({"Name": format!("eds-{i}")}));
    }
    let e = err(&sim, "CreateEventDataStore", json!({"Name": "eds-10"}));
    assert_eq!(e.code, "EventDataStoreMaxLimitExceededException");
}

#[test]
fn selectors_are_validated_with_lake_categories() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "x-eds", "AdvancedEventSelectors": [
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Bogus"]}]}]}),
    );
    assert_eq!(e.code, "InvalidEventSelectorsException");
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "x-eds", "AdvancedEventSelectors": [
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["ConfigurationItem"]}]},
            {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]}),
    );
    assert_eq!(e.code, "InvalidEventSelectorsException");
    let arn = create(
        &sim,
        json!({"Name": "config-eds", "AdvancedEventSelectors": [
            {"Name": "Config", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["ConfigurationItem"]}]}]}),
    );
    let e = err(
        &sim,
        "StopEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(e.code, "InvalidEventDataStoreCategoryException");
    let six: Vec<Value> = (0..6)
        .map(|_| json!({"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}))
        .collect();
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "six", "AdvancedEventSelectors": six}),
    );
    assert_eq!(e.code, "InvalidEventSelectorsException");
}

#[test]
fn termination_protection_blocks_delete_until_turned_off() {
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "protected"}));
    let e = err(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    assert_eq!(e.code, "EventDataStoreTerminationProtectedException");
    assert_eq!(
        ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}))["Status"],
        "ENABLED"
    );
    ok(
        &sim,
        "UpdateEventDataStore",
        json!({"EventDataStore": arn, "TerminationProtectionEnabled": false}),
    );
    ok(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    assert_eq!(
        ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}))["Status"],
        "PENDING_DELETION"
    );
}

#[test]
fn deleted_store_is_restorable_for_seven_days_then_gone() {
    let (_d, sim) = sim();
    let arn = create(
        &sim,
        json!({"Name": "short-lived", "TerminationProtectionEnabled": false}),
    );
    ok(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    let e = err(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    assert_eq!(e.code, "InvalidEventDataStoreStatusException");
    sim.advance_time(Duration::days(6)).unwrap(); // test setup
    let r = ok(
        &sim,
        "RestoreEventDataStore",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(r["Status"], "ENABLED");
    let e = err(
        &sim,
        "RestoreEventDataStore",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(e.code, "InvalidEventDataStoreStatusException");

    ok(&sim, "DeleteEventDataStore", json!({"EventDataStore": arn}));
    sim.advance_time(Duration::days(7)).unwrap(); // test setup
    let e = err(
        &sim,
        "RestoreEventDataStore",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(e.code, "EventDataStoreNotFoundException");
    let listed = ok(&sim, "ListEventDataStores", json!({}));
    assert_eq!(listed["EventDataStores"], json!([]));
    // The name is free again.
    create(&sim, json!({"Name": "short-lived"}));
}

#[test]
fn ingestion_stops_and_starts_with_status_checks() {
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "ingest", "StartIngestion": false}));
    assert_eq!(
        ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}))["Status"],
        "STOPPED_INGESTION"
    );
    let e = err(
        &sim,
        "StopEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(e.code, "InvalidEventDataStoreStatusException");
    ok(
        &sim,
        "StartEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(
        ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}))["Status"],
        "ENABLED"
    );
    let e = err(
        &sim,
        "StartEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(e.code, "InvalidEventDataStoreStatusException");
    ok(
        &sim,
        "StopEventDataStoreIngestion",
        json!({"EventDataStore": arn}),
    );
    assert_eq!(
        ok(&sim, "GetEventDataStore", json!({"EventDataStore": arn}))["Status"],
        "STOPPED_INGESTION"
    );
}

#[test]
fn unknown_and_malformed_references() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "GetEventDataStore",
        json!({"EventDataStore": "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/0000aaaa-0000-4000-8000-000000000000"}),
    );
    assert_eq!(e.code, "EventDataStoreNotFoundException");
    let e = err(
        &sim,
        "GetEventDataStore",
        json!({"EventDataStore": "arn:aws:s3:::bucket"}),
    );
    assert_eq!(e.code, "EventDataStoreARNInvalidException");
    let e = err(&sim, "GetEventDataStore", json!({}));
    assert_eq!(e.code, "ValidationException");
    // Another region's store is not visible.
    let arn = create(&sim, json!({"Name": "home"}));
    let west = CallerContext::new(ACCOUNT, "us-west-2");
    let e = sim
        .invoke(
            &west,
            "cloudtrail",
            "GetEventDataStore",
            json!({"EventDataStore": arn}),
        )
        .unwrap_err();
    assert_eq!(e.code, "EventDataStoreNotFoundException");
}

#[test]
fn update_changes_settings_and_requires_one() {
    let (_d, sim) = sim();
    let arn = create(&sim, json!({"Name": "upd"}));
    let e = err(&sim, "UpdateEventDataStore", json!({"EventDataStore": arn}));
    assert_eq!(e.code, "InvalidParameterException");
    let r = ok(
        &sim,
        "UpdateEventDataStore",
        json!({"EventDataStore": arn, "Name": "renamed", "MultiRegionEnabled": false,
               "AdvancedEventSelectors": [{"Name": "writes", "FieldSelectors": [
                   {"Field": "eventCategory", "Equals": ["Management"]},
                   {"Field": "readOnly", "Equals": ["false"]}]}]}),
    );
    assert_eq!(r["Name"], "renamed");
    assert_eq!(r["MultiRegionEnabled"], false);
    assert_eq!(r["AdvancedEventSelectors"][0]["Name"], "writes");
}

#[test]
fn organization_store_needs_the_management_account() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "org-eds", "OrganizationEnabled": true}),
    );
    assert_eq!(e.code, "OrganizationsNotInUseException");
}

#[test]
fn kms_key_must_exist() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "kms-eds", "KmsKeyId": "alias/missing"}),
    );
    assert_eq!(e.code, "KmsKeyNotFoundException");
    let key = sim.invoke(&ctx(), "kms", "CreateKey", json!({})).unwrap(); // test setup
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap(); // CreateKey answers it
    let r = ok(
        &sim,
        "CreateEventDataStore",
        json!({"Name": "kms-eds", "KmsKeyId": key_id}),
    );
    assert_eq!(r["KmsKeyId"], key["KeyMetadata"]["Arn"]);
}

#[test]
fn tags_work_on_event_data_store_arns() {
    let (_d, sim) = sim();
    let arn = create(
        &sim,
        json!({"Name": "tagged", "TagsList": [{"Key": "team", "Value": "sec"}]}),
    );
    ok(
        &sim,
        "AddTags",
        json!({"ResourceId": arn, "TagsList": [{"Key": "env", "Value": "prod"}]}),
    );
    ok(
        &sim,
        "RemoveTags",
        json!({"ResourceId": arn, "TagsList": [{"Key": "team"}]}),
    );
    let r = ok(&sim, "ListTags", json!({"ResourceIdList": [arn]}));
    assert_eq!(
        r["ResourceTagList"][0]["TagsList"],
        json!([{"Key": "env", "Value": "prod"}])
    );
}

#[test]
fn list_pages_with_max_results() {
    let (_d, sim) = sim();
    for i in 0..3 {
        create(&sim, json!({"Name": format!("page-{i}")}));
    }
    let first = ok(&sim, "ListEventDataStores", json!({"MaxResults": 2}));
    assert_eq!(first["EventDataStores"].as_array().map(Vec::len), Some(2));
    let tok = first["NextToken"].clone();
    let second = ok(
        &sim,
        "ListEventDataStores",
        json!({"MaxResults": 2, "NextToken": tok}),
    );
    assert_eq!(second["EventDataStores"][0]["Name"], "page-2");
    assert!(second.get("NextToken").is_none());
}
