use serde_json::{Value, json};

use crate::Simulator;

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = Simulator::open(dir.path()).expect("open");
    (dir, sim)
}

fn call(sim: &Simulator, op: &str, req: Value) -> Result<Value, crate::AwsError> {
    let ctx = sim.default_caller("us-east-1");
    sim.invoke(&ctx, super::SERVICE, op, req)
}

#[test]
fn create_fills_what_the_type_computes_and_read_returns_it() {
    let (_d, sim) = sim();
    let created = call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_vpc", "Config": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "main"}}}),
    )
    .expect("create");
    let state = &created["State"];
    let id = state["id"].as_str().expect("id");
    assert!(id.starts_with("vpc-") && id.len() == 21, "{id}");
    assert_eq!(
        state["arn"],
        json!(format!("arn:aws:ec2:us-east-1:123456789012:vpc/{id}"))
    );
    assert_eq!(state["cidr_block"], "10.0.0.0/16");
    assert_eq!(state["owner_id"], "123456789012");
    let read = call(
        &sim,
        "ReadResource",
        json!({"TypeName": "aws_vpc", "Id": id}),
    )
    .expect("read");
    assert_eq!(&read["State"], state);
}

#[test]
fn a_reference_to_a_missing_object_is_refused_with_the_aws_error() {
    let (_d, sim) = sim();
    let err = call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_subnet", "Config": {"vpc_id": "vpc-0123456789abcdef0", "cidr_block": "10.0.1.0/24"}}),
    )
    .expect_err("no such vpc");
    assert_eq!(err.code, "InvalidVpcID.NotFound", "{err:?}");
    assert!(err.message.contains("vpc-0123456789abcdef0"));
}

#[test]
fn the_default_vpc_exists_without_being_created() {
    let (_d, sim) = sim();
    let vpc = super::known::default_vpc_id("123456789012", "us-east-1");
    let created = call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_subnet", "Config": {"vpc_id": vpc, "cidr_block": "172.31.96.0/20"}}),
    )
    .expect("subnet in the default vpc");
    assert!(
        created["State"]["id"]
            .as_str()
            .is_some_and(|s| s.starts_with("subnet-"))
    );
}

#[test]
fn update_keeps_identity_and_computed_values_and_delete_forgets() {
    let (_d, sim) = sim();
    let created = call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_guardduty_detector", "Config": {"enable": true}}),
    )
    .expect("create");
    let id = created["State"]["id"].as_str().expect("id").to_string();
    let updated = call(
        &sim,
        "UpdateResource",
        json!({"TypeName": "aws_guardduty_detector", "Id": id, "Config": {"enable": false}}),
    )
    .expect("update");
    assert_eq!(updated["State"]["id"], json!(id));
    assert_eq!(updated["State"]["arn"], created["State"]["arn"]);
    assert_eq!(updated["State"]["enable"], json!(false));
    call(
        &sim,
        "DeleteResource",
        json!({"TypeName": "aws_guardduty_detector", "Id": id}),
    )
    .expect("delete");
    let gone = call(
        &sim,
        "ReadResource",
        json!({"TypeName": "aws_guardduty_detector", "Id": id}),
    )
    .expect_err("deleted");
    assert_eq!(gone.code, super::not_found_code("aws_guardduty_detector"));
}

#[test]
fn every_call_is_recorded_as_the_aws_operation() {
    let (_d, sim) = sim();
    call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_vpc", "Config": {"cidr_block": "10.0.0.0/16", "enable_dns_support": true}}),
    )
    .expect("create");
    let ctx = sim.default_caller("us-east-1");
    let events = sim
        .invoke(&ctx, "cloudtrail", "LookupEvents", json!({"MaxResults": 5}))
        .expect("lookup");
    let record: Value = events["Events"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["EventName"] == "CreateVpc"))
        .and_then(|e| e["CloudTrailEvent"].as_str())
        .map(|t| serde_json::from_str(t).expect("record JSON"))
        .expect("a CreateVpc event");
    assert_eq!(record["eventSource"], "ec2.amazonaws.com");
    assert_eq!(record["readOnly"], json!(false));
    assert_eq!(record["requestParameters"]["cidrBlock"], "10.0.0.0/16");
    assert_eq!(record["requestParameters"]["enableDnsSupport"], json!(true));
}

#[test]
fn an_unknown_type_is_a_validation_error() {
    let (_d, sim) = sim();
    let err = call(
        &sim,
        "CreateResource",
        json!({"TypeName": "aws_nope", "Config": {}}),
    )
    .expect_err("unknown type");
    assert_eq!(err.code, "ValidationException", "{err:?}");
}

#[test]
fn data_sources_know_what_every_account_has() {
    let (_d, sim) = sim();
    let zones = call(
        &sim,
        "ReadDataSource",
        json!({"TypeName": "aws_availability_zones", "Config": {"state": "available"}}),
    )
    .expect("zones");
    assert_eq!(
        zones["State"]["names"],
        json!(["us-east-1a", "us-east-1b", "us-east-1c"])
    );
    let elb = call(
        &sim,
        "ReadDataSource",
        json!({"TypeName": "aws_elb_service_account", "Config": {}}),
    )
    .expect("elb account");
    assert_eq!(elb["State"]["id"], "127311923021");
}

#[test]
fn types_an_account_has_many_of_get_distinct_ids() {
    let (_d, sim) = sim();
    let ids: Vec<Value> = (0..2)
        .map(|_| {
            call(
                &sim,
                "CreateResource",
                json!({"TypeName": "aws_cloudfront_origin_access_identity", "Config": {"comment": "x"}}),
            )
            .expect("create")["State"]["id"]
                .clone()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    assert!(!super::fill::is_singleton(
        "aws_cloudfront_origin_access_identity"
    ));
    assert!(super::fill::is_singleton("aws_iam_account_password_policy"));
    assert!(super::fill::is_singleton("aws_securityhub_account"));
}

#[test]
fn data_sources_answer_from_the_simulated_services() {
    let (_d, sim) = sim();
    let ctx = sim.default_caller("us-east-1");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    sim.invoke(
        &ctx,
        "iam",
        "CreateRole",
        json!({"RoleName": "app", "AssumeRolePolicyDocument": trust}),
    )
    .expect("role");
    sim.invoke(
        &ctx,
        "logs",
        "CreateLogGroup",
        json!({"logGroupName": "/app"}),
    )
    .expect("log group");
    let role = call(
        &sim,
        "ReadDataSource",
        json!({"TypeName": "aws_iam_role", "Config": {"name": "app"}}),
    )
    .expect("role data source");
    assert_eq!(role["State"]["arn"], "arn:aws:iam::123456789012:role/app");
    assert!(
        role["State"]["assume_role_policy"]
            .as_str()
            .is_some_and(|p| p.contains("ec2.amazonaws.com"))
    );
    let group = call(
        &sim,
        "ReadDataSource",
        json!({"TypeName": "aws_cloudwatch_log_group", "Config": {"name": "/app"}}),
    )
    .expect("log group data source");
    assert_eq!(
        group["State"]["arn"],
        "arn:aws:logs:us-east-1:123456789012:log-group:/app"
    );
    let missing = call(
        &sim,
        "ReadDataSource",
        json!({"TypeName": "aws_iam_role", "Config": {"name": "nope"}}),
    )
    .expect_err("no such role");
    assert_eq!(missing.code, "NoSuchEntity");
}
