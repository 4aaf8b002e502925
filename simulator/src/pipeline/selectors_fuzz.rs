//! Fuzz targets for event selectors (`fuzz_*`, see docs/reliability.md): mutated basic and
//! advanced selectors are validated or refused, never a panic; whatever validates judges
//! any record, and judges it the same from the parsed record and from its text.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::fuzz::{any_json, check, mutated_json};
use crate::services::cloudtrail::selectors::{validate_advanced, validate_basic};

fn basic_seeds() -> Vec<Value> {
    vec![json!([
        {"ReadWriteType": "All", "IncludeManagementEvents": true,
         "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::b/", "arn:aws:s3"]},
                           {"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}],
         "ExcludeManagementEventSources": ["kms.amazonaws.com"]},
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": false}
    ])]
}

fn advanced_seeds() -> Vec<Value> {
    vec![
        json!([
            {"Name": "data", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Data"]},
                {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"], "NotEndsWith": [".tmp"]},
                {"Field": "readOnly", "Equals": ["false"]},
                {"Field": "eventName", "NotEquals": ["GetObject"], "NotStartsWith": ["Head"]},
                {"Field": "userIdentity.arn", "EndsWith": ["/admin"]}]},
            {"Name": "mgmt", "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
                {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}]}
        ]),
        json!([{"FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["NetworkActivity"]},
            {"Field": "eventSource", "Equals": ["cloudtrail.amazonaws.com"]},
            {"Field": "errorCode", "Equals": ["VpceAccessDenied"]},
            {"Field": "vpcEndpointId", "NotEquals": ["vpce-1"]}]}]),
        json!([{"FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Insight"]}]}]),
    ]
}

fn record_seeds() -> Vec<Value> {
    vec![
        json!({"eventVersion": "1.09", "eventSource": "s3.amazonaws.com", "eventName": "PutObject",
            "eventCategory": "Data", "readOnly": false, "awsRegion": "eu-west-1",
            "recipientAccountId": "111111111111", "managementEvent": false,
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111111111111:user/admin"},
            "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::b/x.json"},
                          {"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::b"}]}),
        json!({"eventSource": "iam.amazonaws.com", "eventName": "CreateRole", "readOnly": "false",
            "awsRegion": "us-east-1", "managementEvent": true, "sessionCredentialFromConsole": "true",
            "errorCode": "AccessDenied", "vpcEndpointId": "vpce-1"}),
    ]
}

fn scope() -> impl Strategy<Value = TrailScope> {
    (
        prop::sample::select(vec!["eu-west-1", "us-east-1", ""]),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            prop::sample::select(vec!["222222222222", "111111111111"]),
            0..2,
        ),
    )
        .prop_map(|(home, multi, global, org)| TrailScope {
            home_region: home.to_string(),
            multi_region: multi,
            include_global_service_events: global,
            account_id: "111111111111".into(),
            organization_accounts: org.into_iter().map(str::to_string).collect(),
        })
}

fn records() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(
        prop_oneof![6 => mutated_json(record_seeds()), 1 => any_json()],
        1..4,
    )
}

/// Judges `record` both ways and requires the same answer.
fn judge(trail: &CompiledTrail, record: &Value) -> Result<(), TestCaseError> {
    let from_value = trail.captures(record);
    let text = record.to_string();
    if let Some(fields) = RecordFields::parse(&text) {
        let from_text = trail.captures_view(&EventView::of_fields(&fields));
        prop_assert_eq!(
            from_value,
            from_text,
            "the parsed record and its text disagree: {}",
            text
        );
    }
    Ok(())
}

#[test]
fn fuzz_advanced_selectors_validate_and_judge_any_record() {
    let selectors = prop_oneof![6 => mutated_json(advanced_seeds()), 1 => any_json()];
    check(
        file!(),
        "advanced selectors",
        256,
        (selectors, scope(), records()),
        |(sel, scope, records)| {
            let Ok(list) = serde_json::from_value::<Vec<AdvancedEventSelector>>(sel) else {
                return Ok(());
            };
            // What validates would be stored; judge with it. What does not is still
            // compiled (a store written by an older version may hold it).
            let _ = validate_advanced(&list);
            let trail = CompiledTrail::new(&scope, &Selectors::Advanced(list));
            for r in &records {
                judge(&trail, r)?;
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_basic_selectors_validate_and_judge_any_record() {
    let selectors = prop_oneof![6 => mutated_json(basic_seeds()), 1 => any_json()];
    check(
        file!(),
        "basic selectors",
        256,
        (selectors, scope(), records()),
        |(sel, scope, records)| {
            let Ok(list) = serde_json::from_value::<Vec<EventSelector>>(sel) else {
                return Ok(());
            };
            let _ = validate_basic(&list);
            let trail = CompiledTrail::new(&scope, &Selectors::Basic(list));
            for r in &records {
                judge(&trail, r)?;
            }
            Ok(())
        },
    );
}

#[test]
fn fuzz_record_text_reading_never_panics() {
    let texts = records()
        .prop_flat_map(|rs| crate::fuzz::mutated_text(rs.iter().map(Value::to_string).collect()));
    check(file!(), "record text", 512, texts, |text| {
        if let Some(fields) = RecordFields::parse(&text) {
            let _ = EventView::of_fields(&fields);
            let _ = fields.recipient_account();
        }
        Ok(())
    });
}
