//! One row per AWS rule: (name, trail scope, selectors, record, captured?).

use super::*;
use crate::services::cloudtrail::model::DataResource;
use serde_json::json;

const ACCOUNT: &str = "111111111111";
const MEMBER: &str = "222222222222";
const OUTSIDER: &str = "333333333333";

fn scope() -> TrailScope {
    TrailScope {
        home_region: "eu-west-1".into(),
        multi_region: false,
        include_global_service_events: true,
        account_id: ACCOUNT.into(),
        organization_accounts: Vec::new(),
    }
}

fn multi() -> TrailScope {
    TrailScope {
        multi_region: true,
        ..scope()
    }
}

fn mgmt(source: &str, name: &str, read_only: bool) -> Value {
    json!({
        "eventSource": source, "eventName": name, "readOnly": read_only,
        "eventCategory": "Management", "eventType": "AwsApiCall", "managementEvent": true,
        "awsRegion": "eu-west-1", "recipientAccountId": ACCOUNT,
        "userIdentity": {"arn": "arn:aws:iam::111111111111:user/alice"},
    })
}

fn data(source: &str, name: &str, read_only: bool, ty: &str, arn: &str) -> Value {
    json!({
        "eventSource": source, "eventName": name, "readOnly": read_only,
        "eventCategory": "Data", "eventType": "AwsApiCall", "managementEvent": false,
        "awsRegion": "eu-west-1", "recipientAccountId": ACCOUNT,
        "userIdentity": {"arn": "arn:aws:iam::111111111111:user/alice"},
        "resources": [{"type": ty, "ARN": arn, "accountId": ACCOUNT}],
    })
}

fn get_object(arn: &str) -> Value {
    data(
        "s3.amazonaws.com",
        "GetObject",
        true,
        "AWS::S3::Object",
        arn,
    )
}

fn put_object(arn: &str) -> Value {
    data(
        "s3.amazonaws.com",
        "PutObject",
        false,
        "AWS::S3::Object",
        arn,
    )
}

fn invoke(arn: &str) -> Value {
    data(
        "lambda.amazonaws.com",
        "Invoke",
        false,
        "AWS::Lambda::Function",
        arn,
    )
}

fn get_item(arn: &str) -> Value {
    data(
        "dynamodb.amazonaws.com",
        "GetItem",
        true,
        "AWS::DynamoDB::Table",
        arn,
    )
}

fn with(mut record: Value, key: &str, value: Value) -> Value {
    record[key] = value;
    record
}

fn basic(rw: &str, mgmt: bool, exclude: &[&str], resources: &[(&str, &[&str])]) -> Selectors {
    Selectors::Basic(vec![EventSelector {
        read_write_type: Some(rw.into()),
        include_management_events: Some(mgmt),
        exclude_management_event_sources: Some(exclude.iter().map(|s| s.to_string()).collect()),
        data_resources: Some(
            resources
                .iter()
                .map(|(ty, vals)| DataResource {
                    r#type: Some(ty.to_string()),
                    values: Some(vals.iter().map(|s| s.to_string()).collect()),
                })
                .collect(),
        ),
    }])
}

fn s3_data(values: &[&str]) -> Selectors {
    basic("All", false, &[], &[("AWS::S3::Object", values)])
}

/// `(field, operator, values)` conditions of one advanced selector.
type Cond<'a> = (&'a str, &'a str, &'a [&'a str]);

fn adv_selector(conds: &[Cond<'_>]) -> AdvancedEventSelector {
    let mut fields: Vec<AdvancedFieldSelector> = Vec::new();
    for (field, op, values) in conds {
        let i = match fields.iter().position(|f| f.field == *field) {
            Some(i) => i,
            None => {
                fields.push(AdvancedFieldSelector {
                    field: field.to_string(),
                    ..Default::default()
                });
                fields.len() - 1
            }
        };
        let v = Some(values.iter().map(|s| s.to_string()).collect());
        let f = &mut fields[i];
        match *op {
            "Equals" => f.equals = v,
            "StartsWith" => f.starts_with = v,
            "EndsWith" => f.ends_with = v,
            "NotEquals" => f.not_equals = v,
            "NotStartsWith" => f.not_starts_with = v,
            "NotEndsWith" => f.not_ends_with = v,
            other => panic!("unknown operator {other}"),
        }
    }
    AdvancedEventSelector {
        name: None,
        field_selectors: fields,
    }
}

fn adv(conds: &[Cond<'_>]) -> Selectors {
    Selectors::Advanced(vec![adv_selector(conds)])
}

const S3_DATA: Cond<'static> = ("eventCategory", "Equals", &["Data"]);
const S3_TYPE: Cond<'static> = ("resources.type", "Equals", &["AWS::S3::Object"]);
const MGMT: Cond<'static> = ("eventCategory", "Equals", &["Management"]);
const NET: Cond<'static> = ("eventCategory", "Equals", &["NetworkActivity"]);

const OBJ: &str = "arn:aws:s3:::bucket-1/logs/2024/a.txt";
const FN: &str = "arn:aws:lambda:eu-west-1:111111111111:function:f";
const TABLE: &str = "arn:aws:dynamodb:eu-west-1:111111111111:table/t";

fn network(source: &str, error: Option<&str>) -> Value {
    let mut r = json!({
        "eventSource": source, "eventName": "GetObject", "eventCategory": "NetworkActivity",
        "eventType": "AwsVpceEvent", "managementEvent": false, "readOnly": true,
        "awsRegion": "eu-west-1", "recipientAccountId": ACCOUNT, "vpcEndpointId": "vpce-123",
        "userIdentity": {"arn": "arn:aws:iam::111111111111:user/alice"},
    });
    if let Some(e) = error {
        r["errorCode"] = json!(e);
    }
    r
}

#[test]
fn selector_rules_table() {
    let iam_global = with(
        mgmt("iam.amazonaws.com", "CreateUser", false),
        "awsRegion",
        json!("us-east-1"),
    );
    let us_east = TrailScope {
        home_region: "us-east-1".into(),
        ..scope()
    };
    let rows: Vec<(&str, TrailScope, Selectors, Value, bool)> = vec![
        // Default selector.
        (
            "default logs management writes",
            scope(),
            Selectors::Default,
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            true,
        ),
        (
            "default logs management reads",
            scope(),
            Selectors::Default,
            mgmt("ec2.amazonaws.com", "DescribeInstances", true),
            true,
        ),
        (
            "default logs no data events",
            scope(),
            Selectors::Default,
            get_object(OBJ),
            false,
        ),
        (
            "default logs no network activity",
            scope(),
            Selectors::Default,
            network("s3.amazonaws.com", None),
            false,
        ),
        (
            "default logs no insights events",
            scope(),
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "eventCategory",
                json!("Insight"),
            ),
            false,
        ),
        // Basic management.
        (
            "ReadOnly keeps reads",
            scope(),
            basic("ReadOnly", true, &[], &[]),
            mgmt("ec2.amazonaws.com", "DescribeInstances", true),
            true,
        ),
        (
            "ReadOnly drops writes",
            scope(),
            basic("ReadOnly", true, &[], &[]),
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            false,
        ),
        (
            "WriteOnly keeps writes",
            scope(),
            basic("WriteOnly", true, &[], &[]),
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            true,
        ),
        (
            "WriteOnly drops reads",
            scope(),
            basic("WriteOnly", true, &[], &[]),
            mgmt("ec2.amazonaws.com", "DescribeInstances", true),
            false,
        ),
        (
            "IncludeManagementEvents false drops management",
            scope(),
            basic("All", false, &[], &[]),
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            false,
        ),
        (
            "excluded kms source dropped",
            scope(),
            basic("All", true, &["kms.amazonaws.com"], &[]),
            mgmt("kms.amazonaws.com", "Decrypt", true),
            false,
        ),
        (
            "excluded rdsdata source dropped",
            scope(),
            basic("All", true, &["rdsdata.amazonaws.com"], &[]),
            mgmt("rdsdata.amazonaws.com", "ExecuteStatement", false),
            false,
        ),
        (
            "exclusion keeps other sources",
            scope(),
            basic("All", true, &["kms.amazonaws.com"], &[]),
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            true,
        ),
        (
            "data-only selector drops management",
            scope(),
            s3_data(&["arn:aws:s3"]),
            mgmt("s3.amazonaws.com", "CreateBucket", false),
            false,
        ),
        // Basic S3 data resources.
        (
            "s3 partition form logs all buckets",
            scope(),
            s3_data(&["arn:aws:s3"]),
            get_object(OBJ),
            true,
        ),
        (
            "s3 ::: form logs all buckets",
            scope(),
            s3_data(&["arn:aws:s3:::"]),
            get_object(OBJ),
            true,
        ),
        (
            "s3 bucket/ logs the bucket",
            scope(),
            s3_data(&["arn:aws:s3:::bucket-1/"]),
            get_object(OBJ),
            true,
        ),
        (
            "s3 bucket/ excludes other buckets",
            scope(),
            s3_data(&["arn:aws:s3:::bucket-2/"]),
            get_object(OBJ),
            false,
        ),
        (
            "s3 bucket/ does not match a longer bucket name",
            scope(),
            s3_data(&["arn:aws:s3:::bucket/"]),
            get_object("arn:aws:s3:::bucket-1/x"),
            false,
        ),
        (
            "s3 object prefix matches",
            scope(),
            s3_data(&["arn:aws:s3:::bucket-1/logs/20"]),
            get_object(OBJ),
            true,
        ),
        (
            "s3 object prefix excludes others",
            scope(),
            s3_data(&["arn:aws:s3:::bucket-1/tmp/"]),
            get_object(OBJ),
            false,
        ),
        (
            "s3 any of several values",
            scope(),
            s3_data(&["arn:aws:s3:::x/", "arn:aws:s3:::bucket-1/"]),
            get_object(OBJ),
            true,
        ),
        (
            "s3 prefix is case-sensitive",
            scope(),
            s3_data(&["arn:aws:s3:::bucket-1/Logs/"]),
            get_object(OBJ),
            false,
        ),
        (
            "data resource type must match",
            scope(),
            basic(
                "All",
                false,
                &[],
                &[("AWS::Lambda::Function", &["arn:aws:lambda"])],
            ),
            get_object(OBJ),
            false,
        ),
        (
            "ReadOnly data selector keeps GetObject",
            scope(),
            basic(
                "ReadOnly",
                false,
                &[],
                &[("AWS::S3::Object", &["arn:aws:s3"])],
            ),
            get_object(OBJ),
            true,
        ),
        (
            "ReadOnly data selector drops PutObject",
            scope(),
            basic(
                "ReadOnly",
                false,
                &[],
                &[("AWS::S3::Object", &["arn:aws:s3"])],
            ),
            put_object(OBJ),
            false,
        ),
        (
            "WriteOnly data selector keeps PutObject",
            scope(),
            basic(
                "WriteOnly",
                false,
                &[],
                &[("AWS::S3::Object", &["arn:aws:s3"])],
            ),
            put_object(OBJ),
            true,
        ),
        // Basic Lambda and DynamoDB.
        (
            "lambda partition form logs all functions",
            scope(),
            basic(
                "All",
                false,
                &[],
                &[("AWS::Lambda::Function", &["arn:aws:lambda"])],
            ),
            invoke(FN),
            true,
        ),
        (
            "lambda function ARN logs that function",
            scope(),
            basic("All", false, &[], &[("AWS::Lambda::Function", &[FN])]),
            invoke(FN),
            true,
        ),
        (
            "lambda function ARN logs its qualified versions",
            scope(),
            basic("All", false, &[], &[("AWS::Lambda::Function", &[FN])]),
            invoke(&format!("{FN}:3")),
            true,
        ),
        (
            "lambda function ARN is not a prefix of other functions",
            scope(),
            basic("All", false, &[], &[("AWS::Lambda::Function", &[FN])]),
            invoke(&format!("{FN}2")),
            false,
        ),
        (
            "dynamodb partition form logs all tables",
            scope(),
            basic(
                "All",
                false,
                &[],
                &[("AWS::DynamoDB::Table", &["arn:aws:dynamodb"])],
            ),
            get_item(TABLE),
            true,
        ),
        (
            "dynamodb table ARN logs that table",
            scope(),
            basic("All", false, &[], &[("AWS::DynamoDB::Table", &[TABLE])]),
            get_item(TABLE),
            true,
        ),
        (
            "dynamodb table ARN excludes other tables",
            scope(),
            basic("All", false, &[], &[("AWS::DynamoDB::Table", &[TABLE])]),
            get_item(&format!("{TABLE}2")),
            false,
        ),
        // Advanced: operators.
        (
            "adv Equals any value",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("eventName", "Equals", &["PutObject", "GetObject"]),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv Equals none",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "Equals", &["PutObject"])]),
            get_object(OBJ),
            false,
        ),
        (
            "adv Equals is case-sensitive",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "Equals", &["getobject"])]),
            get_object(OBJ),
            false,
        ),
        (
            "adv StartsWith",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "StartsWith", &["Get"])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv StartsWith miss",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "StartsWith", &["Put"])]),
            get_object(OBJ),
            false,
        ),
        (
            "adv EndsWith",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("resources.ARN", "EndsWith", &[".txt"])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv EndsWith miss",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("resources.ARN", "EndsWith", &[".csv"])]),
            get_object(OBJ),
            false,
        ),
        (
            "adv NotEquals holds",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "NotEquals", &["PutObject"])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv NotEquals excludes",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventName", "NotEquals", &["GetObject"])]),
            get_object(OBJ),
            false,
        ),
        (
            "adv NotEquals several values must all differ",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("eventName", "NotEquals", &["PutObject", "GetObject"]),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv NotEquals several values all differ",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("eventName", "NotEquals", &["PutObject", "DeleteObject"]),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv NotStartsWith excludes",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                (
                    "resources.ARN",
                    "NotStartsWith",
                    &["arn:aws:s3:::bucket-1/"],
                ),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv NotStartsWith holds",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                (
                    "resources.ARN",
                    "NotStartsWith",
                    &["arn:aws:s3:::bucket-2/"],
                ),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv NotEndsWith excludes",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("resources.ARN", "NotEndsWith", &[".csv", ".txt"]),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv NotEndsWith holds",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("resources.ARN", "NotEndsWith", &[".csv"]),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv operators of one field all hold",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("resources.ARN", "StartsWith", &["arn:aws:s3:::bucket-1/"]),
                ("resources.ARN", "NotEndsWith", &[".txt"]),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv all field selectors must hold",
            scope(),
            adv(&[
                S3_DATA,
                ("resources.type", "Equals", &["AWS::Lambda::Function"]),
            ]),
            get_object(OBJ),
            false,
        ),
        // Advanced: fields.
        (
            "adv eventCategory Data skips management",
            scope(),
            adv(&[S3_DATA, S3_TYPE]),
            mgmt("s3.amazonaws.com", "CreateBucket", false),
            false,
        ),
        (
            "adv resources.ARN Equals exact object",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("resources.ARN", "Equals", &[OBJ])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv resources.ARN StartsWith bucket",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                (
                    "resources.ARN",
                    "StartsWith",
                    &["arn:aws:s3:::bucket-1/logs/"],
                ),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv readOnly true keeps reads",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("readOnly", "Equals", &["true"])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv readOnly true drops writes",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("readOnly", "Equals", &["true"])]),
            put_object(OBJ),
            false,
        ),
        (
            "adv readOnly false keeps writes",
            scope(),
            adv(&[MGMT, ("readOnly", "Equals", &["false"])]),
            mgmt("ec2.amazonaws.com", "RunInstances", false),
            true,
        ),
        (
            "adv management all",
            scope(),
            adv(&[MGMT]),
            mgmt("ec2.amazonaws.com", "DescribeInstances", true),
            true,
        ),
        (
            "adv management eventSource NotEquals kms",
            scope(),
            adv(&[MGMT, ("eventSource", "NotEquals", &["kms.amazonaws.com"])]),
            mgmt("kms.amazonaws.com", "Decrypt", true),
            false,
        ),
        (
            "adv management eventSource NotEquals rdsdata keeps others",
            scope(),
            adv(&[
                MGMT,
                ("eventSource", "NotEquals", &["rdsdata.amazonaws.com"]),
            ]),
            mgmt("kms.amazonaws.com", "Decrypt", true),
            true,
        ),
        (
            "adv eventType",
            scope(),
            adv(&[S3_DATA, S3_TYPE, ("eventType", "Equals", &["AwsApiCall"])]),
            get_object(OBJ),
            true,
        ),
        (
            "adv userIdentity.arn NotStartsWith role",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                (
                    "userIdentity.arn",
                    "NotStartsWith",
                    &["arn:aws:iam::111111111111:user/"],
                ),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv userIdentity.arn Equals",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                (
                    "userIdentity.arn",
                    "Equals",
                    &["arn:aws:iam::111111111111:user/alice"],
                ),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv sessionCredentialFromConsole Equals true",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("sessionCredentialFromConsole", "Equals", &["true"]),
            ]),
            with(
                get_object(OBJ),
                "sessionCredentialFromConsole",
                json!("true"),
            ),
            true,
        ),
        (
            "adv sessionCredentialFromConsole absent fails Equals",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("sessionCredentialFromConsole", "Equals", &["true"]),
            ]),
            get_object(OBJ),
            false,
        ),
        (
            "adv sessionCredentialFromConsole absent holds NotEquals",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("sessionCredentialFromConsole", "NotEquals", &["true"]),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv network activity by source",
            scope(),
            adv(&[NET, ("eventSource", "Equals", &["s3.amazonaws.com"])]),
            network("s3.amazonaws.com", None),
            true,
        ),
        (
            "adv network activity other source",
            scope(),
            adv(&[NET, ("eventSource", "Equals", &["kms.amazonaws.com"])]),
            network("s3.amazonaws.com", None),
            false,
        ),
        (
            "adv errorCode VpceAccessDenied keeps denied",
            scope(),
            adv(&[
                NET,
                ("eventSource", "Equals", &["s3.amazonaws.com"]),
                ("errorCode", "Equals", &["VpceAccessDenied"]),
            ]),
            network("s3.amazonaws.com", Some("VpceAccessDenied")),
            true,
        ),
        (
            "adv errorCode Equals drops events without errorCode",
            scope(),
            adv(&[
                NET,
                ("eventSource", "Equals", &["s3.amazonaws.com"]),
                ("errorCode", "Equals", &["VpceAccessDenied"]),
            ]),
            network("s3.amazonaws.com", None),
            false,
        ),
        (
            "adv vpcEndpointId Equals",
            scope(),
            adv(&[
                NET,
                ("eventSource", "Equals", &["s3.amazonaws.com"]),
                ("vpcEndpointId", "Equals", &["vpce-123"]),
            ]),
            network("s3.amazonaws.com", None),
            true,
        ),
        (
            "adv vpcEndpointId NotEquals",
            scope(),
            adv(&[
                NET,
                ("eventSource", "Equals", &["s3.amazonaws.com"]),
                ("vpcEndpointId", "NotEquals", &["vpce-123"]),
            ]),
            network("s3.amazonaws.com", None),
            false,
        ),
        (
            "adv any selector of several",
            scope(),
            Selectors::Advanced(vec![
                adv_selector(&[MGMT]),
                adv_selector(&[S3_DATA, S3_TYPE]),
            ]),
            get_object(OBJ),
            true,
        ),
        (
            "adv resources.ARN matches any resource",
            scope(),
            adv(&[
                S3_DATA,
                S3_TYPE,
                ("resources.ARN", "Equals", &["arn:aws:s3:::b2/k"]),
            ]),
            with(
                get_object(OBJ),
                "resources",
                json!([{"type": "AWS::S3::Object", "ARN": OBJ}, {"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::b2/k"}]),
            ),
            true,
        ),
        // Global service events.
        (
            "global event in us-east-1 trail with include true",
            us_east.clone(),
            Selectors::Default,
            iam_global.clone(),
            true,
        ),
        (
            "global event dropped with include false",
            TrailScope {
                include_global_service_events: false,
                ..us_east.clone()
            },
            Selectors::Default,
            iam_global.clone(),
            false,
        ),
        (
            "global event dropped by multi-region trail with include false",
            TrailScope {
                include_global_service_events: false,
                ..multi()
            },
            Selectors::Default,
            iam_global.clone(),
            false,
        ),
        (
            "global event reaches multi-region trail homed elsewhere",
            multi(),
            Selectors::Default,
            iam_global.clone(),
            true,
        ),
        (
            "global event not in single-region trail homed elsewhere",
            scope(),
            Selectors::Default,
            iam_global.clone(),
            false,
        ),
        (
            "regional STS endpoint event is not global",
            TrailScope {
                include_global_service_events: false,
                ..scope()
            },
            Selectors::Default,
            mgmt("sts.amazonaws.com", "GetCallerIdentity", true),
            true,
        ),
        // Region scope.
        (
            "single-region trail drops other regions",
            scope(),
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "awsRegion",
                json!("us-west-2"),
            ),
            false,
        ),
        (
            "multi-region trail keeps other regions",
            multi(),
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "awsRegion",
                json!("us-west-2"),
            ),
            true,
        ),
        // Account and organization scope.
        (
            "other account's event not captured",
            scope(),
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "recipientAccountId",
                json!(MEMBER),
            ),
            false,
        ),
        (
            "organization trail captures member events",
            TrailScope {
                organization_accounts: vec![ACCOUNT.into(), MEMBER.into()],
                ..multi()
            },
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "recipientAccountId",
                json!(MEMBER),
            ),
            true,
        ),
        (
            "organization trail drops non-member events",
            TrailScope {
                organization_accounts: vec![ACCOUNT.into(), MEMBER.into()],
                ..multi()
            },
            Selectors::Default,
            with(
                mgmt("ec2.amazonaws.com", "RunInstances", false),
                "recipientAccountId",
                json!(OUTSIDER),
            ),
            false,
        ),
    ];
    let failures: Vec<String> = rows
        .iter()
        .filter(|(_, scope, sel, record, expected)| trail_captures(scope, sel, record) != *expected)
        .map(|(name, _, _, _, expected)| format!("{name}: expected {expected}"))
        .collect();
    assert!(failures.is_empty(), "failed rows:\n{}", failures.join("\n"));
}

#[test]
fn compiled_trail_agrees_with_one_off_evaluation() {
    let sel = s3_data(&["arn:aws:s3:::bucket-1/"]);
    let trail = CompiledTrail::new(&scope(), &sel);
    for record in [
        get_object(OBJ),
        get_object("arn:aws:s3:::other/x"),
        mgmt("ec2.amazonaws.com", "RunInstances", false),
    ] {
        assert_eq!(
            trail.captures(&record),
            trail_captures(&scope(), &sel, &record)
        );
    }
}

#[test]
fn selectors_of_reads_what_put_event_selectors_stored() {
    use crate::{CallerContext, Simulator};
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    let ctx = CallerContext::new(ACCOUNT, "us-east-1");
    crate::services::cloudtrail::tests::cloudtrail_bucket(&sim, &ctx, "bucket-1");
    let created = sim
        .invoke(
            &ctx,
            "cloudtrail",
            "CreateTrail",
            json!({"Name": "sel-trail", "S3BucketName": "bucket-1"}),
        )
        .unwrap(); // test setup
    let arn = created["TrailARN"].as_str().unwrap().to_string(); // CreateTrail returns it
    let load = |arn: &str| {
        sim.run_unrecorded(|env| Ok(selectors_of(env.db, arn)?))
            .unwrap() // test read
    };
    assert_eq!(load(&arn), Selectors::Default);
    sim.invoke(
        &ctx,
        "cloudtrail",
        "PutEventSelectors",
        json!({"TrailName": "sel-trail", "EventSelectors": [{"ReadWriteType": "ReadOnly",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket-1/"]}]}]}),
    )
    .unwrap(); // test setup
    let Selectors::Basic(list) = load(&arn) else {
        panic!("expected basic selectors");
    };
    assert_eq!(list[0].read_write_type.as_deref(), Some("ReadOnly"));
    let trail = CompiledTrail::new(&multi(), &Selectors::Basic(list));
    assert!(trail.captures(&get_object(OBJ)));
    assert!(!trail.captures(&put_object(OBJ)));
    assert!(trail.captures(&mgmt("ec2.amazonaws.com", "DescribeInstances", true)));
}

/// Every field of a view, owned, so two views can be compared.
fn view_fields(v: &EventView<'_>) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = [
        v.event_source,
        v.event_name,
        v.event_category,
        v.event_type,
        v.error_code,
        v.read_only,
        v.user_arn,
        v.console,
        v.vpc_endpoint,
        v.aws_region,
        v.recipient_account,
    ]
    .iter()
    .map(|f| f.map(str::to_string))
    .collect();
    out.push(Some(format!("resources empty: {}", v.resources.is_empty())));
    v.resources.any(|ty, arn| {
        out.push(ty.map(str::to_string));
        out.push(arn.map(str::to_string));
        false
    });
    out
}

#[test]
fn record_fields_read_a_record_as_its_json_tree_does() {
    let profile = crate::generate::Profile::new(
        7,
        chrono::DateTime::UNIX_EPOCH,
        400,
        vec![ACCOUNT.into(), MEMBER.into()],
    );
    let mut records: Vec<Value> = crate::generate::Generator::new(profile)
        .unwrap() // a valid profile
        .records()
        .collect();
    // Shapes a real log file may hold: booleans as strings, escapes, numbers, nulls, objects
    // where strings are expected, no eventCategory (only managementEvent).
    records.extend([
        json!({"eventSource": "s3.amazonaws.com", "readOnly": "true", "managementEvent": "false",
               "resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::b/k\"q\n\u{e9}"}]}),
        json!({"eventSource": 42, "eventName": null, "errorCode": {"a": [1, 2]},
               "userIdentity": null, "resources": null, "managementEvent": false}),
        json!({"eventCategory": ["Data"], "managementEvent": true, "vpcEndpointId": true,
               "userIdentity": {"arn": "arn:aws:sts::1:assumed-role/r/s", "type": "AssumedRole"},
               "resources": [{"ARN": 5}, {}], "recipientAccountId": false}),
        json!({"userIdentity": ["arn:aws:iam::1:user/a"], "resources": [["AWS::S3::Object"], "x", 1]}),
        json!({}),
    ]);
    for r in &records {
        let text = serde_json::to_string(r).unwrap(); // a JSON value
        let fields = RecordFields::parse(&text).expect("an object of the expected shape");
        assert_eq!(
            view_fields(&EventView::of_fields(&fields)),
            view_fields(&EventView::of(r)),
            "{text}"
        );
        assert_eq!(
            fields.recipient_account(),
            r.get("recipientAccountId").and_then(Value::as_str)
        );
    }
    // Shapes the fast reader refuses; delivery then judges the record as a JSON tree.
    for odd in [
        r#"{"resources": "all"}"#,
        r#"{"eventName": "A", "eventName": "B"}"#,
        r#"[1, 2]"#,
        "not json",
    ] {
        assert!(RecordFields::parse(odd).is_none(), "{odd}");
    }
}
