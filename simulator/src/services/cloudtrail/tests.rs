//! Behaviour of the CloudTrail service through the simulator facade (as clients see it).

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};

use crate::{AwsError, CallerContext, Simulator};

const ACCOUNT: &str = "123456789012";

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() // literal date, valid
}

/// A fresh state folder with the clock fixed at 2024-01-01T00:00:00Z.
fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    sim.set_time(t0()).unwrap(); // test setup
    for bucket in ["bucket-1", "audit-logs"] {
        cloudtrail_bucket(&sim, &ctx(), bucket);
    }
    (dir, sim)
}

/// A bucket whose policy lets CloudTrail deliver for the account (any key prefix, as the
/// tests change prefixes), set up without being recorded so event counts stay the tests' own.
pub(crate) fn cloudtrail_bucket(sim: &Simulator, ctx: &CallerContext, bucket: &str) {
    use crate::services::s3::{self, model};
    let policy = crate::policy::documented_bucket_policy(bucket, None, &ctx.account_id)
        .replace("AWSLogs/", "*");
    sim.run_unrecorded(|env| {
        s3::create_bucket(
            env,
            ctx,
            model::CreateBucketRequest {
                bucket: bucket.into(),
                ..Default::default()
            },
        )?;
        s3::put_bucket_policy(
            env,
            ctx,
            model::PutBucketPolicyRequest {
                bucket: bucket.into(),
                policy,
                ..Default::default()
            },
        )?;
        Ok(())
    })
    .unwrap(); // test setup
}

/// A KMS key (with an alias) and an SNS topic whose policies let CloudTrail use them, as
/// AWS documents those policies. Returns the key ARN.
fn cloudtrail_key_and_topic(sim: &Simulator, alias: &str, topic: &str) -> String {
    let key_policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Allow CloudTrail to encrypt logs", "Effect": "Allow",
             "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
             "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:aws:cloudtrail:*:{ACCOUNT}:trail/*")}}}
        ]
    });
    let key = sim
        .invoke(
            &ctx(),
            "kms",
            "CreateKey",
            json!({"Policy": key_policy.to_string()}),
        )
        .unwrap(); // test setup
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap().to_string(); // test setup
    sim.invoke(
        &ctx(),
        "kms",
        "CreateAlias",
        json!({"AliasName": format!("alias/{alias}"), "TargetKeyId": key_arn}),
    )
    .unwrap(); // test setup
    let topic_arn = format!("arn:aws:sns:us-east-1:{ACCOUNT}:{topic}");
    let topic_policy = json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AWSCloudTrailSNSPolicy", "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "SNS:Publish", "Resource": topic_arn}]
    });
    sim.invoke(
        &ctx(),
        "sns",
        "CreateTopic",
        json!({"Name": topic, "Attributes": {"Policy": topic_policy.to_string()}}),
    )
    .unwrap(); // test setup
    key_arn
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

fn create(sim: &Simulator, name: &str) -> Value {
    ok(
        sim,
        "CreateTrail",
        json!({"Name": name, "S3BucketName": "bucket-1"}),
    )
}

fn arn(name: &str) -> String {
    format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{name}")
}

#[test]
fn create_get_describe_update_delete_round_trip() {
    let (_d, sim) = sim();
    let created = create(&sim, "main");
    assert_eq!(
        created,
        json!({
            "Name": "main", "S3BucketName": "bucket-1", "IncludeGlobalServiceEvents": true,
            "IsMultiRegionTrail": false, "TrailARN": arn("main"), "LogFileValidationEnabled": false,
            "IsOrganizationTrail": false
        })
    );
    let got = ok(&sim, "GetTrail", json!({"Name": "main"}));
    assert_eq!(got["Trail"]["HomeRegion"], "us-east-1");
    assert_eq!(got["Trail"]["HasCustomEventSelectors"], false);
    assert_eq!(got["Trail"]["HasInsightSelectors"], false);
    assert_eq!(ok(&sim, "GetTrail", json!({"Name": arn("main")})), got);

    let key_arn = cloudtrail_key_and_topic(&sim, "ct", "topic");
    let updated = ok(
        &sim,
        "UpdateTrail",
        json!({"Name": "main", "S3KeyPrefix": "logs", "EnableLogFileValidation": true,
               "IsMultiRegionTrail": true, "SnsTopicName": "topic", "KmsKeyId": "alias/ct"}),
    );
    assert_eq!(updated["S3KeyPrefix"], "logs");
    assert_eq!(updated["LogFileValidationEnabled"], true);
    assert_eq!(
        updated["SnsTopicARN"],
        format!("arn:aws:sns:us-east-1:{ACCOUNT}:topic")
    );
    // The trail names its key by ARN, whatever form the request used.
    assert_eq!(updated["KmsKeyId"], key_arn);

    let described = ok(&sim, "DescribeTrails", json!({"trailNameList": ["main"]}));
    assert_eq!(described["trailList"][0]["IsMultiRegionTrail"], true);
    assert_eq!(described["trailList"][0]["S3KeyPrefix"], "logs");
    let cleared = ok(
        &sim,
        "UpdateTrail",
        json!({"Name": "main", "S3KeyPrefix": "", "KmsKeyId": ""}),
    );
    assert!(cleared.get("S3KeyPrefix").is_none() && cleared.get("KmsKeyId").is_none());

    let listed = ok(&sim, "ListTrails", json!({}));
    assert_eq!(
        listed,
        json!({"Trails": [{"TrailARN": arn("main"), "Name": "main", "HomeRegion": "us-east-1"}]})
    );

    ok(&sim, "DeleteTrail", json!({"Name": "main"}));
    let e = err(&sim, "GetTrail", json!({"Name": "main"}));
    assert_eq!(e.code, "TrailNotFoundException");
    assert_eq!(
        e.message,
        format!("Unknown trail: {} for the user: {ACCOUNT}", arn("main"))
    );
    assert_eq!(
        ok(&sim, "DescribeTrails", json!({})),
        json!({"trailList": []})
    );
}

#[test]
fn create_rejects_duplicates_bad_names_and_missing_members() {
    let (_d, sim) = sim();
    create(&sim, "dup");
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": "dup", "S3BucketName": "bucket-1"}),
    );
    assert_eq!(e.code, "TrailAlreadyExistsException");
    assert_eq!(
        err(
            &sim,
            "CreateTrail",
            json!({"Name": "my--trail", "S3BucketName": "bucket-1"})
        )
        .code,
        "InvalidTrailNameException"
    );
    assert_eq!(
        err(
            &sim,
            "CreateTrail",
            json!({"Name": "okname", "S3BucketName": ""})
        )
        .code,
        "InvalidS3BucketNameException"
    );
    let e = err(&sim, "CreateTrail", json!({"Name": "okname"}));
    assert_eq!(e.code, "ValidationException");
    assert!(e.message.contains("'s3BucketName'"), "{}", e.message);
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": 5, "S3BucketName": "bucket-1"}),
    );
    assert_eq!(e.code, "SerializationException");
    assert_eq!(
        err(&sim, "CreateTrail", json!([1])).code,
        "SerializationException"
    );
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": "org", "S3BucketName": "bucket-1", "IsOrganizationTrail": true}),
    );
    assert_eq!(e.code, "OrganizationsNotInUseException");
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": "cwtrail", "S3BucketName": "bucket-1", "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:g:*"}),
    );
    assert_eq!(e.code, "InvalidParameterCombinationException");
    assert_eq!(
        err(&sim, "NoSuchThing", json!({})).code,
        "UnknownOperationException"
    );
    assert_eq!(
        sim.invoke(&ctx(), "nosuchservice", "X", json!({}))
            .unwrap_err()
            .code,
        "UnknownOperationException"
    );
}

#[test]
fn quota_of_trails_per_region_is_enforced_and_configurable() {
    let (_d, sim) = sim();
    for i in 0..5 {
        create(&sim, &format!("trail-{i}"));
    }
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": "trail-5", "S3BucketName": "bucket-1"}),
    );
    assert_eq!(e.code, "MaximumNumberOfTrailsExceededException");
    assert_eq!(e.http_status, 403);
    assert_eq!(
        e.message,
        format!("User: {ACCOUNT} already has 5 trails in us-east-1.")
    );
    // Another region has its own quota.
    let west = CallerContext::new(ACCOUNT, "us-west-2");
    sim.invoke(
        &west,
        "cloudtrail",
        "CreateTrail",
        json!({"Name": "west", "S3BucketName": "bucket-1"}),
    )
    .unwrap(); // under quota
    sim.set_setting("quota.trails_per_region", "6").unwrap(); // valid value
    create(&sim, "trail-5");
    assert_eq!(
        sim.setting("quota.trails_per_region").unwrap().as_deref(),
        Some("6")
    );
    assert_eq!(
        sim.set_setting("quota.trails_per_region", "x")
            .unwrap_err()
            .code,
        "InvalidParameterException"
    );
    assert_eq!(
        sim.set_setting("no.such.key", "1").unwrap_err().code,
        "InvalidParameterException"
    );
}

#[test]
fn multi_region_trails_are_shadowed_in_other_regions() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTrail",
        json!({"Name": "org-wide", "S3BucketName": "bucket-1", "IsMultiRegionTrail": true}),
    );
    create(&sim, "local");
    let west = CallerContext::new(ACCOUNT, "eu-west-1");
    let w = |op: &str, req: Value| sim.invoke(&west, "cloudtrail", op, req);
    let got = w("GetTrail", json!({"Name": "org-wide"})).unwrap(); // shadow is visible
    assert_eq!(got["Trail"]["HomeRegion"], "us-east-1");
    assert_eq!(
        w("GetTrail", json!({"Name": "local"})).unwrap_err().code,
        "TrailNotFoundException"
    );
    let all = w("DescribeTrails", json!({})).unwrap(); // shadows included by default
    assert_eq!(all["trailList"].as_array().map(Vec::len), Some(1));
    let none = w("DescribeTrails", json!({"includeShadowTrails": false})).unwrap(); // excluded
    assert_eq!(none["trailList"], json!([]));
    assert_eq!(
        w("DeleteTrail", json!({"Name": "org-wide"}))
            .unwrap_err()
            .code,
        "InvalidHomeRegionException"
    );
    assert_eq!(
        w("StartLogging", json!({"Name": "org-wide"}))
            .unwrap_err()
            .code,
        "InvalidHomeRegionException"
    );
    assert!(w("GetTrailStatus", json!({"Name": "org-wide"})).is_ok());
    // Its name is taken in every region.
    let e = w(
        "CreateTrail",
        json!({"Name": "org-wide", "S3BucketName": "bucket-1"}),
    )
    .unwrap_err(); // asserted
    assert_eq!(e.code, "TrailAlreadyExistsException");
    // ListTrails shows every trail of the account.
    let listed = w("ListTrails", json!({})).unwrap(); // listing cannot fail
    assert_eq!(listed["Trails"].as_array().map(Vec::len), Some(2));
}

#[test]
fn invalid_trail_arns_are_rejected() {
    let (_d, sim) = sim();
    let e = err(
        &sim,
        "GetTrail",
        json!({"Name": "arn:aws:cloudtrail:us-east-1:123:trail/x1x"}),
    );
    assert_eq!(e.code, "CloudTrailARNInvalidException");
    let e = err(
        &sim,
        "GetTrail",
        json!({"Name": "arn:aws:cloudtrail:us-east-1:999999999999:trail/abc"}),
    );
    assert_eq!(e.code, "TrailNotFoundException");
}

#[test]
fn logging_status_times_follow_the_clock() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let s = ok(&sim, "GetTrailStatus", json!({"Name": "main"}));
    assert_eq!(s["IsLogging"], false);
    assert!(s.get("StartLoggingTime").is_none());
    assert_eq!(s["TimeLoggingStarted"], "");
    sim.advance_time(Duration::minutes(5)).unwrap(); // forward
    ok(&sim, "StartLogging", json!({"Name": "main"}));
    let started = (t0() + Duration::minutes(5)).timestamp() as f64;
    let s = ok(&sim, "GetTrailStatus", json!({"Name": arn("main")}));
    assert_eq!(s["IsLogging"], true);
    assert_eq!(s["StartLoggingTime"], json!(started));
    assert_eq!(s["TimeLoggingStarted"], "2024-01-01T00:05:00Z");
    sim.advance_time(Duration::hours(1)).unwrap(); // forward
    ok(&sim, "StopLogging", json!({"Name": "main"}));
    let s = ok(&sim, "GetTrailStatus", json!({"Name": "main"}));
    assert_eq!(s["IsLogging"], false);
    assert_eq!(s["StartLoggingTime"], json!(started));
    assert_eq!(s["StopLoggingTime"], json!(started + 3600.0));
    assert_eq!(s["TimeLoggingStopped"], "2024-01-01T01:05:00Z");
    assert_eq!(
        err(&sim, "StartLogging", json!({"Name": "nope"})).code,
        "TrailNotFoundException"
    );
}

#[test]
fn new_trail_logs_all_management_events() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let got = ok(&sim, "GetEventSelectors", json!({"TrailName": "main"}));
    assert_eq!(
        got,
        json!({"TrailARN": arn("main"), "EventSelectors": [{
            "ReadWriteType": "All", "IncludeManagementEvents": true,
            "DataResources": [], "ExcludeManagementEventSources": []}]})
    );
}

#[test]
fn basic_event_selectors_round_trip() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let put = ok(
        &sim,
        "PutEventSelectors",
        json!({"TrailName": "main", "EventSelectors": [{"ReadWriteType": "WriteOnly",
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket-1/"]}]}]}),
    );
    let expected = json!([{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket-1/"]}],
        "ExcludeManagementEventSources": []}]);
    assert_eq!(put["EventSelectors"], expected);
    let got = ok(&sim, "GetEventSelectors", json!({"TrailName": "main"}));
    assert_eq!(got["EventSelectors"], expected);
    assert!(got.get("AdvancedEventSelectors").is_none());
    assert_eq!(
        ok(&sim, "GetTrail", json!({"Name": "main"}))["Trail"]["HasCustomEventSelectors"],
        true
    );
}

fn s3(values: &[&str]) -> Value {
    json!({"Type": "AWS::S3::Object", "Values": values})
}

#[test]
fn basic_event_selector_validation() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let many: Vec<String> = (0..251)
        .map(|i| format!("arn:aws:s3:::bucket-{i}/"))
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let sel = |v: Value| json!({"TrailName": "main", "EventSelectors": v});
    let rows: Vec<(&str, Value, &str)> = vec![
        ("no selectors", sel(json!([])), "from 1 to 5"),
        (
            "six selectors",
            sel(json!([{}, {}, {}, {}, {}, {}])),
            "from 1 to 5",
        ),
        (
            "bad ReadWriteType",
            sel(json!([{"ReadWriteType": "read-only"}])),
            "ReadWriteType",
        ),
        (
            "bad type",
            sel(
                json!([{"DataResources": [{"Type": "AWS::SNS::Topic", "Values": ["arn:aws:sns"]}]}]),
            ),
            "DataResources.Type",
        ),
        (
            "s3 wildcard",
            sel(json!([{"DataResources": [s3(&["arn:aws:s3:::*"])]}])),
            "arn:aws:s3:::* for DataResources.Values is invalid",
        ),
        (
            "s3 bucket without slash",
            sel(json!([{"DataResources": [s3(&["arn:aws:s3:::bucket-1"])]}])),
            "DataResources.Values",
        ),
        (
            "lambda wildcard",
            sel(
                json!([{"DataResources": [{"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda:*"]}]}]),
            ),
            "DataResources.Values",
        ),
        (
            "dynamodb bad",
            sel(
                json!([{"DataResources": [{"Type": "AWS::DynamoDB::Table", "Values": ["arn:aws:dynamodb:us-east-1:123456789012:stream/x"]}]}]),
            ),
            "DataResources.Values",
        ),
        (
            "no values",
            sel(json!([{"DataResources": [s3(&[])]}])),
            "at least one value",
        ),
        (
            "251 values",
            sel(json!([{"DataResources": [s3(&many)]}])),
            "250",
        ),
        (
            "bad excluded source",
            sel(json!([{"ExcludeManagementEventSources": ["s3.amazonaws.com"]}])),
            "ExcludeManagementEventSources",
        ),
        (
            "both forms",
            json!({"TrailName": "main", "EventSelectors": [{}], "AdvancedEventSelectors": []}),
            "not both",
        ),
        (
            "neither form",
            json!({"TrailName": "main"}),
            "either EventSelectors or AdvancedEventSelectors",
        ),
    ];
    for (what, req, needle) in rows {
        let e = err(&sim, "PutEventSelectors", req);
        assert_eq!(e.code, "InvalidEventSelectorsException", "{what}");
        assert!(e.message.contains(needle), "{what}: {}", e.message);
    }
    // Valid forms of each resource type.
    let valid = sel(json!([
        {"DataResources": [s3(&["arn:aws:s3", "arn:aws:s3:::bucket-1/logs/"])]},
        {"DataResources": [{"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda", "arn:aws:lambda:us-east-1:123456789012:function:f"]}]},
        {"DataResources": [{"Type": "AWS::DynamoDB::Table", "Values": ["arn:aws:dynamodb", "arn:aws:dynamodb:us-east-1:123456789012:table/t"]}]},
        {"ReadWriteType": "ReadOnly", "ExcludeManagementEventSources": ["kms.amazonaws.com"]}
    ]));
    ok(&sim, "PutEventSelectors", valid);
    // A failed put leaves the previous selectors in place.
    assert_eq!(
        ok(&sim, "GetEventSelectors", json!({"TrailName": "main"}))["EventSelectors"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
}

fn fs(field: &str, op: &str, values: &[&str]) -> Value {
    json!({"Field": field, op: values})
}

#[test]
fn advanced_event_selector_validation() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let put = |selectors: Value| {
        call(
            &sim,
            "PutEventSelectors",
            json!({"TrailName": "main", "AdvancedEventSelectors": selectors}),
        )
    };
    let mgmt = fs("eventCategory", "Equals", &["Management"]);
    let data = fs("eventCategory", "Equals", &["Data"]);
    let s3obj = fs("resources.type", "Equals", &["AWS::S3::Object"]);
    let too_many: Vec<String> = (0..500).map(|i| format!("Get{i}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let rows: Vec<(&str, Value, &str)> = vec![
        (
            "empty list",
            json!([]),
            "at least one advanced event selector",
        ),
        (
            "no field selectors",
            json!([{"Name": "x", "FieldSelectors": []}]),
            "at least one field selector",
        ),
        (
            "unknown field",
            json!([{"FieldSelectors": [mgmt.clone(), fs("bogus", "Equals", &["x"])]}]),
            "Field bogus",
        ),
        (
            "no operator",
            json!([{"FieldSelectors": [mgmt.clone(), {"Field": "readOnly"}]}]),
            "at least one operator",
        ),
        (
            "empty operator",
            json!([{"FieldSelectors": [mgmt.clone(), fs("readOnly", "Equals", &[])]}]),
            "at least one value",
        ),
        (
            "duplicate field",
            json!([{"FieldSelectors": [mgmt.clone(), mgmt.clone()]}]),
            "more than once",
        ),
        (
            "missing eventCategory",
            json!([{"FieldSelectors": [fs("readOnly", "Equals", &["true"])]}]),
            "eventCategory",
        ),
        (
            "eventCategory StartsWith",
            json!([{"FieldSelectors": [fs("eventCategory", "StartsWith", &["Man"])]}]),
            "only the Equals",
        ),
        (
            "bad category",
            json!([{"FieldSelectors": [fs("eventCategory", "Equals", &["Insight"])]}]),
            "eventCategory is invalid",
        ),
        (
            "readOnly value",
            json!([{"FieldSelectors": [mgmt.clone(), fs("readOnly", "Equals", &["yes"])]}]),
            "readOnly is invalid",
        ),
        (
            "readOnly NotEquals",
            json!([{"FieldSelectors": [mgmt.clone(), fs("readOnly", "NotEquals", &["true"])]}]),
            "only the Equals",
        ),
        (
            "mgmt eventName",
            json!([{"FieldSelectors": [mgmt.clone(), fs("eventName", "Equals", &["X"])]}]),
            "cannot be used",
        ),
        (
            "mgmt eventSource Equals",
            json!([{"FieldSelectors": [mgmt.clone(), fs("eventSource", "Equals", &["kms.amazonaws.com"])]}]),
            "NotEquals",
        ),
        (
            "mgmt eventSource value",
            json!([{"FieldSelectors": [mgmt.clone(), fs("eventSource", "NotEquals", &["s3.amazonaws.com"])]}]),
            "eventSource is invalid",
        ),
        (
            "data without type",
            json!([{"FieldSelectors": [data.clone()]}]),
            "resources.type",
        ),
        (
            "data bad type",
            json!([{"FieldSelectors": [data.clone(), fs("resources.type", "Equals", &["AWS::Nope::Thing"])]}]),
            "resources.type is invalid",
        ),
        (
            "data two types",
            json!([{"FieldSelectors": [data.clone(), fs("resources.type", "Equals", &["AWS::S3::Object", "AWS::Lambda::Function"])]}]),
            "exactly one value",
        ),
        (
            "resources.ARN equals non-arn",
            json!([{"FieldSelectors": [data.clone(), s3obj.clone(), fs("resources.ARN", "Equals", &["bucket"])]}]),
            "resources.ARN",
        ),
        (
            "network without source",
            json!([{"FieldSelectors": [fs("eventCategory", "Equals", &["NetworkActivity"])]}]),
            "eventSource",
        ),
        (
            "network errorCode",
            json!([{"FieldSelectors": [fs("eventCategory", "Equals", &["NetworkActivity"]), fs("eventSource", "Equals", &["ec2.amazonaws.com"]), fs("errorCode", "Equals", &["Oops"])]}]),
            "VpceAccessDenied",
        ),
        (
            "over 500 values",
            json!([{"FieldSelectors": [data.clone(), s3obj.clone(), fs("eventName", "Equals", &too_many)]}]),
            "500",
        ),
        (
            "long value",
            json!([{"FieldSelectors": [data.clone(), s3obj.clone(), fs("eventName", "Equals", &[&"x".repeat(2049)])]}]),
            "2048",
        ),
    ];
    for (what, sel, needle) in rows {
        let e = put(sel).expect_err(what);
        assert_eq!(e.code, "InvalidEventSelectorsException", "{what}");
        assert!(e.message.contains(needle), "{what}: {}", e.message);
    }
    let good = json!([
        {"Name": "mgmt", "FieldSelectors": [mgmt, fs("readOnly", "Equals", &["false"]), fs("eventSource", "NotEquals", &["kms.amazonaws.com"])]},
        {"Name": "s3", "FieldSelectors": [data, s3obj, fs("resources.ARN", "StartsWith", &["arn:aws:s3:::bucket-1/"]), fs("eventName", "NotEquals", &["GetObject"])]},
        {"Name": "net", "FieldSelectors": [fs("eventCategory", "Equals", &["NetworkActivity"]), fs("eventSource", "Equals", &["ec2.amazonaws.com"]), fs("errorCode", "Equals", &["VpceAccessDenied"])]}
    ]);
    let r = put(good.clone()).expect("valid advanced selectors");
    assert_eq!(r["AdvancedEventSelectors"], good);
    let got = ok(&sim, "GetEventSelectors", json!({"TrailName": "main"}));
    assert_eq!(got["AdvancedEventSelectors"], good);
    assert!(got.get("EventSelectors").is_none());
    // Switching back to basic replaces the advanced selectors.
    ok(
        &sim,
        "PutEventSelectors",
        json!({"TrailName": "main", "EventSelectors": [{"ReadWriteType": "All"}]}),
    );
    let got = ok(&sim, "GetEventSelectors", json!({"TrailName": "main"}));
    assert!(got.get("AdvancedEventSelectors").is_none());
}

#[test]
fn insight_selectors() {
    let (_d, sim) = sim();
    create(&sim, "main");
    let e = err(&sim, "GetInsightSelectors", json!({"TrailName": "main"}));
    assert_eq!(e.code, "InsightNotEnabledException");
    let sel =
        json!([{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiErrorRateInsight"}]);
    let r = ok(
        &sim,
        "PutInsightSelectors",
        json!({"TrailName": "main", "InsightSelectors": sel}),
    );
    assert_eq!(r, json!({"TrailARN": arn("main"), "InsightSelectors": sel}));
    assert_eq!(
        ok(&sim, "GetInsightSelectors", json!({"TrailName": "main"})),
        r
    );
    assert_eq!(
        ok(&sim, "GetTrail", json!({"Name": "main"}))["Trail"]["HasInsightSelectors"],
        true
    );
    let bad = [
        json!([{"InsightType": "ApiCallVolume"}]),
        json!([{"InsightType": "ApiCallRateInsight"}, {"InsightType": "ApiCallRateInsight"}]),
        json!([{}]),
    ];
    for b in bad {
        let e = err(
            &sim,
            "PutInsightSelectors",
            json!({"TrailName": "main", "InsightSelectors": b}),
        );
        assert_eq!(e.code, "InvalidInsightSelectorsException", "{b}");
    }
    // Call-rate Insights need write management events.
    ok(
        &sim,
        "PutEventSelectors",
        json!({"TrailName": "main", "EventSelectors": [{"ReadWriteType": "ReadOnly"}]}),
    );
    let e = err(
        &sim,
        "PutInsightSelectors",
        json!({"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiCallRateInsight"}]}),
    );
    assert_eq!(e.code, "InvalidInsightSelectorsException");
    ok(
        &sim,
        "PutInsightSelectors",
        json!({"TrailName": "main", "InsightSelectors": [{"InsightType": "ApiErrorRateInsight"}]}),
    );
    // An empty list turns Insights off.
    ok(
        &sim,
        "PutInsightSelectors",
        json!({"TrailName": "main", "InsightSelectors": []}),
    );
    assert_eq!(
        err(&sim, "GetInsightSelectors", json!({"TrailName": "main"})).code,
        "InsightNotEnabledException"
    );
}

#[test]
fn tags_add_list_remove_and_limits() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTrail",
        json!({"Name": "main", "S3BucketName": "bucket-1", "TagsList": [{"Key": "env", "Value": "dev"}]}),
    );
    let a = arn("main");
    ok(
        &sim,
        "AddTags",
        json!({"ResourceId": a, "TagsList": [{"Key": "team", "Value": "sec"}, {"Key": "env", "Value": "prod"}, {"Key": "flag"}]}),
    );
    let l = ok(&sim, "ListTags", json!({"ResourceIdList": [a]}));
    assert_eq!(
        l,
        json!({"ResourceTagList": [{"ResourceId": a, "TagsList": [
            {"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "sec"}, {"Key": "flag"}]}]})
    );
    ok(
        &sim,
        "RemoveTags",
        json!({"ResourceId": a, "TagsList": [{"Key": "team"}]}),
    );
    let l = ok(&sim, "ListTags", json!({"ResourceIdList": [a]}));
    assert_eq!(
        l["ResourceTagList"][0]["TagsList"].as_array().map(Vec::len),
        Some(2)
    );

    let forty_eight: Vec<Value> = (0..48)
        .map(|i| json!({"Key": format!("k{i}"), "Value": "v"}))
        .collect();
    ok(
        &sim,
        "AddTags",
        json!({"ResourceId": a, "TagsList": forty_eight}),
    ); // 50 in total
    let e = err(
        &sim,
        "AddTags",
        json!({"ResourceId": a, "TagsList": [{"Key": "one-more"}]}),
    );
    assert_eq!(e.code, "TagsLimitExceededException");
    assert!(e.message.contains("50"));
    ok(
        &sim,
        "AddTags",
        json!({"ResourceId": a, "TagsList": [{"Key": "env", "Value": "overwrite-is-fine"}]}),
    );

    let rows = [
        json!([{"Key": ""}]),
        json!([{"Key": "k".repeat(129)}]),
        json!([{"Key": "ok", "Value": "v".repeat(257)}]),
        json!([{"Key": "aws:reserved"}]),
        json!([{"Key": "bad#char"}]),
    ];
    for r in rows {
        let e = err(&sim, "AddTags", json!({"ResourceId": a, "TagsList": r}));
        assert_eq!(e.code, "InvalidTagParameterException", "{r}");
    }
    let e = err(
        &sim,
        "AddTags",
        json!({"ResourceId": "main", "TagsList": []}),
    );
    assert_eq!(e.code, "CloudTrailARNInvalidException");
    let e = err(
        &sim,
        "AddTags",
        json!({"ResourceId": arn("missing"), "TagsList": []}),
    );
    assert_eq!(e.code, "ResourceNotFoundException");
    // Too many tags at creation: nothing is created.
    let fifty_one: Vec<Value> = (0..51).map(|i| json!({"Key": format!("k{i}")})).collect();
    let e = err(
        &sim,
        "CreateTrail",
        json!({"Name": "second", "S3BucketName": "bucket-1", "TagsList": fifty_one}),
    );
    assert_eq!(e.code, "TagsLimitExceededException");
    assert_eq!(
        err(&sim, "GetTrail", json!({"Name": "second"})).code,
        "TrailNotFoundException"
    );
    // Deleting the trail deletes its tags.
    ok(&sim, "DeleteTrail", json!({"Name": "main"}));
    create(&sim, "main");
    let l = ok(&sim, "ListTags", json!({"ResourceIdList": [a]}));
    assert_eq!(l["ResourceTagList"][0]["TagsList"], json!([]));
}

#[test]
fn every_call_is_recorded_including_failures() {
    let (_d, sim) = sim();
    create(&sim, "main");
    ok(&sim, "GetTrail", json!({"Name": "main"}));
    err(&sim, "GetTrail", json!({"Name": "missing"}));
    err(&sim, "CreateTrail", json!({"Name": "x"}));
    let recs = sim.event_records().unwrap(); // store is readable
    assert_eq!(recs.len(), 4);
    let names: Vec<&str> = recs
        .iter()
        .filter_map(|r| r["eventName"].as_str())
        .collect();
    assert_eq!(
        names,
        ["CreateTrail", "GetTrail", "GetTrail", "CreateTrail"]
    );

    let create_rec = &recs[0];
    assert_eq!(create_rec["eventVersion"], "1.11");
    assert_eq!(
        create_rec["requestParameters"],
        json!({"name": "main", "s3BucketName": "bucket-1"})
    );
    assert_eq!(create_rec["responseElements"]["trailARN"], arn("main"));
    assert_eq!(create_rec["readOnly"], false);
    assert!(create_rec.get("errorCode").is_none());

    let read = &recs[1];
    assert_eq!(read["readOnly"], true);
    assert_eq!(read["responseElements"], Value::Null);

    let failed = &recs[2];
    assert_eq!(failed["errorCode"], "TrailNotFoundException");
    assert!(
        failed["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("missing"))
    );
    assert_eq!(failed["responseElements"], Value::Null);
    assert_eq!(recs[3]["errorCode"], "ValidationException");
    let ids: std::collections::BTreeSet<&str> =
        recs.iter().filter_map(|r| r["eventID"].as_str()).collect();
    assert_eq!(ids.len(), 4);
}

fn lookup(sim: &Simulator, req: Value) -> Value {
    ok(sim, "LookupEvents", req)
}

/// Event names of a LookupEvents response, leaving out earlier LookupEvents calls.
fn event_names(resp: &Value) -> Vec<String> {
    resp["Events"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["EventName"].as_str().map(String::from))
                .filter(|n| n != "LookupEvents")
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lookup_events_by_each_attribute() {
    let (_d, sim) = sim();
    create(&sim, "main");
    sim.advance_time(Duration::seconds(1)).unwrap(); // forward
    ok(&sim, "StartLogging", json!({"Name": "main"}));
    sim.advance_time(Duration::seconds(1)).unwrap(); // forward
    ok(&sim, "GetTrailStatus", json!({"Name": "main"}));
    let other = CallerContext::new(ACCOUNT, "us-east-1")
        .with_principal(crate::Principal::iam_user(ACCOUNT, "alice"));
    sim.invoke(&other, "cloudtrail", "DescribeTrails", json!({}))
        .unwrap(); // read works

    let by = |k: &str, v: &str| {
        lookup(
            &sim,
            json!({"LookupAttributes": [{"AttributeKey": k, "AttributeValue": v}]}),
        )
    };
    assert_eq!(
        event_names(&by("EventName", "StartLogging")),
        ["StartLogging"]
    );
    assert_eq!(
        event_names(&by("ReadOnly", "true")),
        ["DescribeTrails", "GetTrailStatus"]
    );
    assert_eq!(
        event_names(&by("ReadOnly", "false")),
        ["StartLogging", "CreateTrail"]
    );
    assert_eq!(event_names(&by("Username", "alice")), ["DescribeTrails"]);
    assert_eq!(
        event_names(&by("ResourceType", "AWS::CloudTrail::Trail")),
        ["GetTrailStatus", "StartLogging", "CreateTrail"]
    );
    assert_eq!(
        event_names(&by("ResourceName", "main")),
        ["GetTrailStatus", "StartLogging", "CreateTrail"]
    );
    assert_eq!(
        event_names(&by("EventSource", "cloudtrail.amazonaws.com")).len(),
        4
    );
    assert_eq!(event_names(&by("EventSource", "s3.amazonaws.com")).len(), 0);
    let key = other.principal.access_key_id.clone().unwrap_or_default();
    assert_eq!(event_names(&by("AccessKeyId", &key)), ["DescribeTrails"]);

    let all = lookup(&sim, json!({}));
    let first = &all["Events"][0];
    assert_eq!(
        first["EventName"], "LookupEvents",
        "LookupEvents calls are recorded too"
    );
    let create_ev = all["Events"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["EventName"] == "CreateTrail"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(create_ev["ReadOnly"], "false");
    assert_eq!(create_ev["EventTime"], json!(t0().timestamp() as f64));
    assert_eq!(
        create_ev["Resources"],
        json!([{"ResourceType": "AWS::CloudTrail::Trail", "ResourceName": "main"}])
    );
    let record: Value =
        serde_json::from_str(create_ev["CloudTrailEvent"].as_str().unwrap_or("null"))
            .unwrap_or_default();
    assert_eq!(record["eventName"], "CreateTrail");
    let id = create_ev["EventId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(event_names(&by("EventId", &id)), ["CreateTrail"]);

    // Other regions see none of this region's history.
    let west = CallerContext::new(ACCOUNT, "us-west-2");
    let w = sim
        .invoke(&west, "cloudtrail", "LookupEvents", json!({}))
        .unwrap(); // lookup works
    assert_eq!(w["Events"], json!([]));
}

#[test]
fn lookup_events_validation() {
    let (_d, sim) = sim();
    let two = json!({"LookupAttributes": [
        {"AttributeKey": "EventName", "AttributeValue": "A"}, {"AttributeKey": "EventName", "AttributeValue": "B"}]});
    let rows: Vec<(Value, &str)> = vec![
        (two, "InvalidLookupAttributesException"),
        (
            json!({"LookupAttributes": [{"AttributeKey": "Color", "AttributeValue": "red"}]}),
            "InvalidLookupAttributesException",
        ),
        (
            json!({"LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "maybe"}]}),
            "InvalidLookupAttributesException",
        ),
        (
            json!({"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": ""}]}),
            "InvalidLookupAttributesException",
        ),
        (
            json!({"StartTime": 2000.0, "EndTime": 1000.0}),
            "InvalidTimeRangeException",
        ),
        (json!({"MaxResults": 0}), "InvalidMaxResultsException"),
        (json!({"MaxResults": 51}), "InvalidMaxResultsException"),
        (json!({"NextToken": "garbage"}), "InvalidNextTokenException"),
        (
            json!({"EventCategory": "management"}),
            "InvalidEventCategoryException",
        ),
    ];
    for (req, code) in rows {
        assert_eq!(err(&sim, "LookupEvents", req.clone()).code, code, "{req}");
    }
    assert_eq!(
        lookup(&sim, json!({"EventCategory": "insight"})),
        json!({"Events": []})
    );
}

#[test]
fn lookup_events_time_range_and_ninety_day_window() {
    let (_d, sim) = sim();
    create(&sim, "old");
    sim.advance_time(Duration::days(10)).unwrap(); // forward
    create(&sim, "newer");
    let t10 = (t0() + Duration::days(10)).timestamp() as f64;
    let only_old = lookup(
        &sim,
        json!({"EndTime": t10 - 1.0, "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateTrail"}]}),
    );
    assert_eq!(only_old["Events"].as_array().map(Vec::len), Some(1));
    assert_eq!(only_old["Events"][0]["Resources"][0]["ResourceName"], "old");
    let only_new = lookup(
        &sim,
        json!({"StartTime": t10, "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateTrail"}]}),
    );
    assert_eq!(
        only_new["Events"][0]["Resources"][0]["ResourceName"],
        "newer"
    );

    // 85 days later the first trail's creation is 95 days old: gone from history.
    sim.advance_time(Duration::days(85)).unwrap(); // forward
    let q = json!({"StartTime": 0.0, "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "CreateTrail"}]});
    let r = lookup(&sim, q);
    assert_eq!(r["Events"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["Events"][0]["Resources"][0]["ResourceName"], "newer");
}

#[test]
fn lookup_events_pages_newest_first() {
    let (_d, sim) = sim();
    for i in 0..7 {
        let _ = call(&sim, "GetTrail", json!({"Name": format!("t{i}xx")}));
    }
    let q = |tok: Option<&str>| {
        let mut req = json!({"MaxResults": 3, "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "GetTrail"}]});
        if let Some(t) = tok {
            req["NextToken"] = json!(t);
        }
        lookup(&sim, req)
    };
    let mut seen = Vec::new();
    let mut tok: Option<String> = None;
    for _ in 0..5 {
        let page = q(tok.as_deref());
        for e in page["Events"].as_array().into_iter().flatten() {
            seen.push(
                e["Resources"][0]["ResourceName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
        }
        tok = page["NextToken"].as_str().map(String::from);
        if tok.is_none() {
            break;
        }
    }
    assert_eq!(
        seen,
        ["t6xx", "t5xx", "t4xx", "t3xx", "t2xx", "t1xx", "t0xx"]
    );
    // A token only continues the query it came from.
    let page = q(None);
    let token = page["NextToken"].as_str().unwrap_or_default();
    let e = err(
        &sim,
        "LookupEvents",
        json!({"MaxResults": 3, "NextToken": token}),
    );
    assert_eq!(e.code, "InvalidNextTokenException");
}

fn scripted_session(sim: &Simulator) {
    create(sim, "main");
    ok(sim, "StartLogging", json!({"Name": "main"}));
    err(sim, "GetTrail", json!({"Name": "missing"}));
    ok(
        sim,
        "PutEventSelectors",
        json!({"TrailName": "main", "EventSelectors": [{"ReadWriteType": "All"}]}),
    );
    lookup(sim, json!({"MaxResults": 2}));
}

#[test]
fn same_calls_and_clock_give_byte_identical_records() {
    let (_a, one) = sim();
    let (_b, two) = sim();
    scripted_session(&one);
    scripted_session(&two);
    let a = one.read(|db| Ok(db.all_event_records()?)).unwrap(); // readable
    let b = two.read(|db| Ok(db.all_event_records()?)).unwrap(); // readable
    assert_eq!(a.len(), 5);
    assert_eq!(a, b);
    // A different seed gives different ids.
    let (_c, three) = sim();
    three.set_setting("ids.seed", "other").unwrap(); // valid
    scripted_session(&three);
    let c = three.read(|db| Ok(db.all_event_records()?)).unwrap(); // readable
    assert_ne!(a, c);
}

#[test]
fn records_survive_reopening_the_state_folder() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    {
        let sim = Simulator::open(dir.path()).unwrap(); // test setup
        sim.set_time(t0()).unwrap(); // test setup
        cloudtrail_bucket(&sim, &ctx(), "bucket-1");
        create(&sim, "main");
    }
    let sim = Simulator::open(dir.path()).unwrap(); // reopen
    assert_eq!(
        sim.now(),
        t0(),
        "the fixed clock is shared through the state folder"
    );
    assert_eq!(sim.event_records().unwrap().len(), 1);
    ok(&sim, "GetTrail", json!({"Name": "main"}));
}

#[test]
fn snapshot_of_a_create_trail_record() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTrail",
        json!({"Name": "main", "S3BucketName": "audit-logs", "IsMultiRegionTrail": true,
               "EnableLogFileValidation": true, "TagsList": [{"Key": "env", "Value": "dev"}]}),
    );
    err(&sim, "StartLogging", json!({"Name": "nope"}));
    let recs = sim.event_records().unwrap(); // readable
    insta::assert_json_snapshot!("create_trail_record", recs[0]);
    insta::assert_json_snapshot!("failed_start_logging_record", recs[1]);
}

#[test]
fn two_handles_on_one_state_folder_share_state() {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let a = Simulator::open(dir.path()).unwrap(); // test setup
    let b = Simulator::open(dir.path()).unwrap(); // a second "process"
    a.set_time(t0()).unwrap(); // test setup
    cloudtrail_bucket(&a, &ctx(), "bucket-1");
    assert_eq!(b.now(), t0());
    create(&a, "from-a");
    create(&b, "from-b");
    let listed = ok(&a, "ListTrails", json!({}));
    assert_eq!(listed["Trails"].as_array().map(Vec::len), Some(2));
    assert_eq!(b.event_records().unwrap().len(), 3);
}

#[test]
fn typed_calls_go_through_invoke() {
    use super::model::{
        CreateTrailRequest, CreateTrailResponse, GetTrailRequest, GetTrailResponse,
    };
    let (_d, sim) = sim();
    let req = CreateTrailRequest {
        name: "typed".into(),
        s3_bucket_name: "bucket-1".into(),
        ..Default::default()
    };
    let resp: CreateTrailResponse = sim.call(&ctx(), "cloudtrail", "CreateTrail", &req).unwrap(); // valid request
    assert_eq!(resp.trail_arn.as_deref(), Some(arn("typed").as_str()));
    let got = sim
        .run_unrecorded(|env| {
            super::get_trail(
                env,
                &ctx(),
                GetTrailRequest {
                    name: "typed".into(),
                },
            )
        })
        .unwrap(); // exists
    let expected: GetTrailResponse = sim
        .call(
            &ctx(),
            "cloudtrail",
            "GetTrail",
            &GetTrailRequest {
                name: "typed".into(),
            },
        )
        .unwrap(); // exists
    assert_eq!(got, expected);
    assert_eq!(
        sim.event_records().unwrap().len(),
        2,
        "run_unrecorded records nothing"
    );
}

#[test]
fn describe_trails_answers_the_same_json_as_its_typed_response() {
    let (_d, sim) = sim();
    ok(
        &sim,
        "CreateTrail",
        json!({"Name": "org-wide", "S3BucketName": "bucket-1", "IsMultiRegionTrail": true}),
    );
    create(&sim, "local");
    let requests = [
        json!({}),
        json!({"includeShadowTrails": false}),
        json!({"trailNameList": ["local", "org-wide", "local"]}),
        json!({"trailNameList": [format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/org-wide")]}),
        json!({"trailNameList": ["missing"]}),
    ];
    for region in ["us-east-1", "eu-west-1"] {
        let caller = CallerContext::new(ACCOUNT, region);
        for req in &requests {
            let typed = sim
                .run_unrecorded(|env| {
                    let parsed = serde_json::from_value(req.clone()).unwrap(); // test input
                    crate::services::to_response(&super::describe_trails(env, &caller, parsed)?)
                })
                .unwrap(); // test read
            let answered = sim
                .invoke(&caller, "cloudtrail", "DescribeTrails", req.clone())
                .unwrap(); // test call
            assert_eq!(answered, typed, "{region} {req}");
            assert_eq!(
                serde_json::to_string(&answered).unwrap(),
                serde_json::to_string(&typed).unwrap(),
                "member order too"
            );
        }
    }
}
