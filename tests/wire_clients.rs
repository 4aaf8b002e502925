//! The real AWS CLI and boto3 against `ctsim serve`: a CloudTrail set-up from bucket to
//! delivered log file, and the errors AWS gives.

use ctsim_e2e::wire::{Served, error_code};

const ACCOUNT: &str = "123456789012";

fn bucket_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AWSCloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": format!("arn:aws:s3:::{bucket}")
            },
            {
                "Sid": "AWSCloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": format!("arn:aws:s3:::{bucket}/AWSLogs/{ACCOUNT}/*"),
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}
            }
        ]
    })
    .to_string()
}

#[test]
fn aws_cli_sets_up_a_trail_and_downloads_its_delivered_log_file() {
    let s = Served::start();
    let bucket = "ct-logs-wire";
    let eds = s.aws_json(&[
        "cloudtrail",
        "create-event-data-store",
        "--name",
        "lake",
        "--retention-period",
        "30",
    ]);
    let eds_arn = eds["EventDataStoreArn"]
        .as_str()
        .expect("EventDataStoreArn")
        .to_string();
    s.aws_json(&["s3api", "create-bucket", "--bucket", bucket]);
    s.aws_json(&[
        "s3api",
        "put-bucket-policy",
        "--bucket",
        bucket,
        "--policy",
        &bucket_policy(bucket),
    ]);
    let policy = s.aws_json(&["s3api", "get-bucket-policy", "--bucket", bucket]);
    assert!(
        policy["Policy"]
            .as_str()
            .unwrap_or_default()
            .contains("AWSCloudTrailWrite")
    );

    let trail = s.aws_json(&[
        "cloudtrail",
        "create-trail",
        "--name",
        "main",
        "--s3-bucket-name",
        bucket,
        "--is-multi-region-trail",
        "--enable-log-file-validation",
    ]);
    let arn = trail["TrailARN"].as_str().expect("TrailARN").to_string();
    assert_eq!(
        arn,
        format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main")
    );
    assert_eq!(trail["LogFileValidationEnabled"], true);

    let sel = s.aws_json(&[
        "cloudtrail",
        "put-event-selectors",
        "--trail-name",
        "main",
        "--event-selectors",
        r#"[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]"#,
    ]);
    assert_eq!(sel["EventSelectors"][0]["ReadWriteType"], "All");
    let ins = s.aws_json(&[
        "cloudtrail",
        "put-insight-selectors",
        "--trail-name",
        "main",
        "--insight-selectors",
        r#"[{"InsightType":"ApiCallRateInsight"}]"#,
    ]);
    assert_eq!(
        ins["InsightSelectors"][0]["InsightType"],
        "ApiCallRateInsight"
    );
    s.aws_json(&[
        "cloudtrail",
        "add-tags",
        "--resource-id",
        &arn,
        "--tags-list",
        "Key=team,Value=security",
    ]);
    let tags = s.aws_json(&["cloudtrail", "list-tags", "--resource-id-list", &arn]);
    assert_eq!(tags["ResourceTagList"][0]["TagsList"][0]["Key"], "team");

    s.aws_json(&["cloudtrail", "start-logging", "--name", "main"]);
    let status = s.aws_json(&["cloudtrail", "get-trail-status", "--name", "main"]);
    assert_eq!(status["IsLogging"], true);
    let who = s.aws_json(&["sts", "get-caller-identity"]);
    assert_eq!(who["Arn"], format!("arn:aws:iam::{ACCOUNT}:user/ctsim"));

    // The recorded event names the caller, the peer address and the CLI's user agent.
    let found = s.aws_json(&[
        "cloudtrail",
        "lookup-events",
        "--lookup-attributes",
        "AttributeKey=EventName,AttributeValue=CreateTrail",
    ]);
    let events = found["Events"].as_array().expect("Events");
    assert_eq!(events.len(), 1, "{found}");
    assert_eq!(events[0]["Username"], "ctsim");
    let record: serde_json::Value = serde_json::from_str(
        events[0]["CloudTrailEvent"]
            .as_str()
            .expect("CloudTrailEvent"),
    )
    .expect("event JSON");
    assert_eq!(record["sourceIPAddress"], "127.0.0.1");
    assert!(
        record["userAgent"]
            .as_str()
            .unwrap_or_default()
            .starts_with("aws-cli/"),
        "{record}"
    );
    assert_eq!(record["userIdentity"]["accessKeyId"], "test");

    // CloudTrail Lake over the wire: the event data store took the CreateTrail call.
    let eds_id = eds_arn.rsplit('/').next().unwrap_or_default();
    let started = s.aws_json(&[
        "cloudtrail",
        "start-query",
        "--query-statement",
        &format!(
            "SELECT eventName, userIdentity.arn FROM {eds_id} WHERE eventName = 'CreateTrail'"
        ),
    ]);
    let query_id = started["QueryId"].as_str().expect("QueryId").to_string();
    let results = s.aws_json(&["cloudtrail", "get-query-results", "--query-id", &query_id]);
    assert_eq!(results["QueryStatus"], "FINISHED", "{results}");
    assert_eq!(
        results["QueryResultRows"][0][0]["eventName"], "CreateTrail",
        "{results}"
    );

    // Another process moves the clock on the same state folder: the log file is delivered.
    let adv = s.ctsim(&["clock", "advance", "10m"]);
    assert!(
        adv.status.success(),
        "{}",
        String::from_utf8_lossy(&adv.stderr)
    );
    let ls = s.aws(&[
        "s3",
        "ls",
        &format!("s3://{bucket}/AWSLogs/"),
        "--recursive",
    ]);
    assert!(
        ls.status.success(),
        "{}",
        String::from_utf8_lossy(&ls.stderr)
    );
    let listing = String::from_utf8_lossy(&ls.stdout).to_string();
    let key = listing
        .lines()
        .filter_map(|l| l.split_whitespace().nth(3))
        .find(|k| k.contains("/CloudTrail/") && k.ends_with(".json.gz"))
        .unwrap_or_else(|| panic!("no delivered log file in:\n{listing}"))
        .to_string();
    let tmp = tempfile::tempdir().expect("tmp");
    let local = tmp.path().join("log.json.gz");
    let cp = s.aws(&[
        "s3",
        "cp",
        &format!("s3://{bucket}/{key}"),
        local.to_str().expect("utf-8 path"),
    ]);
    assert!(
        cp.status.success(),
        "{}",
        String::from_utf8_lossy(&cp.stderr)
    );
    let gz = std::fs::read(&local).expect("downloaded file");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text)
        .expect("gzip log file");
    let log: serde_json::Value = serde_json::from_str(&text).expect("log file JSON");
    let names: Vec<&str> = log["Records"]
        .as_array()
        .expect("Records")
        .iter()
        .filter_map(|r| r["eventName"].as_str())
        .collect();
    assert!(names.contains(&"StartLogging"), "{names:?}");

    // Delimited listing with the CLI's paginator.
    let prefixes = s.aws_json(&[
        "s3api",
        "list-objects-v2",
        "--bucket",
        bucket,
        "--prefix",
        &format!("AWSLogs/{ACCOUNT}/"),
        "--delimiter",
        "/",
    ]);
    let common: Vec<&str> = prefixes["CommonPrefixes"]
        .as_array()
        .expect("CommonPrefixes")
        .iter()
        .filter_map(|p| p["Prefix"].as_str())
        .collect();
    // CloudTrail-Digest/ appears too once an hour boundary has passed.
    assert!(
        common.contains(&format!("AWSLogs/{ACCOUNT}/CloudTrail/").as_str()),
        "{common:?}"
    );

    s.aws_json(&["cloudtrail", "stop-logging", "--name", "main"]);
    let status = s.aws_json(&["cloudtrail", "get-trail-status", "--name", "main"]);
    assert_eq!(status["IsLogging"], false);
}

#[test]
fn aws_cli_gets_the_error_codes_aws_gives() {
    let s = Served::start();
    let cases: &[(&[&str], &str)] = &[
        (
            &["cloudtrail", "get-trail-status", "--name", "nope"],
            "TrailNotFoundException",
        ),
        (
            &[
                "cloudtrail",
                "create-trail",
                "--name",
                "trail-x",
                "--s3-bucket-name",
                "no-such-bucket-x",
            ],
            "S3BucketDoesNotExistException",
        ),
        (
            &[
                "s3api",
                "get-object",
                "--bucket",
                "no-such-bucket-x",
                "--key",
                "k",
                "/dev/null",
            ],
            "NoSuchBucket",
        ),
        (&["iam", "get-role", "--role-name", "nope"], "NoSuchEntity"),
        (
            &["logs", "delete-log-group", "--log-group-name", "nope"],
            "ResourceNotFoundException",
        ),
    ];
    for (args, code) in cases {
        let out = s.aws(args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(&error_code(&out), code, "{args:?}");
    }
    let bad_secret = s.aws_as("test", "wrong", &["cloudtrail", "describe-trails"]);
    assert_eq!(error_code(&bad_secret), "InvalidSignatureException");
    let unknown = s.aws_as("AKIAUNKNOWNKEY", "x", &["cloudtrail", "describe-trails"]);
    assert_eq!(error_code(&unknown), "UnrecognizedClientException");
    let unknown = s.aws_as("AKIAUNKNOWNKEY", "x", &["sts", "get-caller-identity"]);
    assert_eq!(error_code(&unknown), "InvalidClientTokenId");
    let bad = s.aws_as("test", "wrong", &["iam", "list-roles"]);
    assert_eq!(error_code(&bad), "SignatureDoesNotMatch");
    let unknown = s.aws_as("AKIAUNKNOWNKEY", "x", &["s3api", "list-buckets"]);
    assert_eq!(error_code(&unknown), "InvalidAccessKeyId");
    let bad = s.aws_as("test", "wrong", &["s3api", "list-buckets"]);
    assert_eq!(error_code(&bad), "SignatureDoesNotMatch");
}

#[test]
fn boto3_uses_every_protocol_and_temporary_credentials() {
    let s = Served::start();
    let script = r#"
import json, os, boto3, botocore
from botocore.config import Config
ep = os.environ["ENDPOINT"]
out = {}
s3 = boto3.client("s3", endpoint_url=ep, config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="boto-bucket")
for i in range(5):
    s3.put_object(Bucket="boto-bucket", Key=f"dir/k{i}.txt", Body=f"body {i}".encode())
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", Prefix="dir/", PaginationConfig={"PageSize": 2})
out["keys"] = [o["Key"] for p in pages for o in p.get("Contents", [])]
out["pages"] = len(list(s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", PaginationConfig={"PageSize": 2})))
out["body"] = s3.get_object(Bucket="boto-bucket", Key="dir/k3.txt")["Body"].read().decode()
out["head_len"] = s3.head_object(Bucket="boto-bucket", Key="dir/k3.txt")["ContentLength"]
import urllib.request, urllib.error
s3v4 = boto3.client("s3", endpoint_url=ep, config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
url = s3v4.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "dir/k1.txt"}, ExpiresIn=60)
out["presigned"] = urllib.request.urlopen(url).read().decode()
try:
    urllib.request.urlopen(url.replace("Signature=", "Signature=0"))
except urllib.error.HTTPError as e:
    out["presigned_tampered"] = e.code
try:
    s3.head_bucket(Bucket="no-such-boto-bucket")
except botocore.exceptions.ClientError as e:
    out["head_missing"] = e.response["Error"]["Code"]
try:
    s3.get_object(Bucket="boto-bucket", Key="missing")
except botocore.exceptions.ClientError as e:
    out["get_missing"] = e.response["Error"]["Code"]
logs = boto3.client("logs", endpoint_url=ep)
logs.create_log_group(logGroupName="/ct/boto")
out["groups"] = [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]
kms = boto3.client("kms", endpoint_url=ep)
out["key_state"] = kms.create_key(Description="boto")["KeyMetadata"]["KeyState"]
sns = boto3.client("sns", endpoint_url=ep)
arn = sns.create_topic(Name="boto-topic")["TopicArn"]
out["topic_attrs"] = sorted(sns.get_topic_attributes(TopicArn=arn)["Attributes"].keys())[:3]
iam = boto3.client("iam", endpoint_url=ep)
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=trust, Tags=[{"Key": "a", "Value": "b"}])["Role"]
out["role_trust"] = role["AssumeRolePolicyDocument"]["Statement"][0]["Effect"]
out["role_tags"] = iam.list_role_tags(RoleName="deployer")["Tags"]
sts = boto3.client("sts", endpoint_url=ep)
creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ci")["Credentials"]
session = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], region_name="us-east-1")
out["assumed_arn"] = session.client("sts", endpoint_url=ep).get_caller_identity()["Arn"]
ct = session.client("cloudtrail", endpoint_url=ep)
out["trails"] = ct.describe_trails()["trailList"]
try:
    boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], region_name="us-east-1").client("cloudtrail", endpoint_url=ep).describe_trails()
except botocore.exceptions.ClientError as e:
    out["no_token"] = e.response["Error"]["Code"]
try:
    boto3.client("cloudtrail", endpoint_url=ep).get_trail(Name="nope")
except botocore.exceptions.ClientError as e:
    out["trail_missing"] = e.response["Error"]["Code"]
    out["status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
print(json.dumps(out))
"#;
    let run = s.python(script);
    assert!(
        run.status.success(),
        "boto3 script failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out: serde_json::Value = serde_json::from_slice(&run.stdout).expect("script prints JSON");
    assert_eq!(
        out["keys"],
        serde_json::json!([
            "dir/k0.txt",
            "dir/k1.txt",
            "dir/k2.txt",
            "dir/k3.txt",
            "dir/k4.txt"
        ])
    );
    assert_eq!(out["pages"], 3);
    assert_eq!(out["body"], "body 3");
    assert_eq!(out["head_len"], 6);
    assert_eq!(out["presigned"], "body 1");
    assert_eq!(out["presigned_tampered"], 403);
    assert_eq!(out["head_missing"], "404");
    assert_eq!(out["get_missing"], "NoSuchKey");
    assert_eq!(out["groups"], serde_json::json!(["/ct/boto"]));
    assert_eq!(out["key_state"], "Enabled");
    assert_eq!(out["role_trust"], "Allow");
    assert_eq!(
        out["role_tags"],
        serde_json::json!([{"Key": "a", "Value": "b"}])
    );
    assert_eq!(
        out["assumed_arn"],
        "arn:aws:sts::123456789012:assumed-role/deployer/ci"
    );
    assert_eq!(out["trails"], serde_json::json!([]));
    assert_eq!(out["no_token"], "UnrecognizedClientException");
    assert_eq!(out["trail_missing"], "TrailNotFoundException");
    // The status the service gives (CloudTrail documents 404 for TrailNotFoundException).
    assert_eq!(out["status"], 404);

    // The assumed-role call was recorded as that session.
    let sim = ctsim::Simulator::open(&s.state).expect("state");
    let records = sim.event_records().expect("records");
    let dt = records
        .iter()
        .rev()
        .find(|r| r["eventName"] == "DescribeTrails")
        .expect("DescribeTrails recorded");
    assert_eq!(dt["userIdentity"]["type"], "AssumedRole");
    assert!(
        dt["userAgent"]
            .as_str()
            .unwrap_or_default()
            .contains("Boto3"),
        "{dt}"
    );
}

#[test]
fn aws_cli_publishes_metrics_and_watches_them_with_a_cloudwatch_alarm() {
    let s = Served::start();
    let set = s.ctsim(&["clock", "set", "2026-01-01T00:00:30Z"]);
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    s.aws_json(&[
        "cloudwatch",
        "put-metric-data",
        "--namespace",
        "App",
        "--metric-name",
        "Errors",
        "--dimensions",
        "Service=api",
        "--value",
        "5",
        "--unit",
        "Count",
    ]);
    let metrics = s.aws_json(&["cloudwatch", "list-metrics", "--namespace", "App"]);
    assert_eq!(
        metrics["Metrics"],
        serde_json::json!([{"Namespace": "App", "MetricName": "Errors",
            "Dimensions": [{"Name": "Service", "Value": "api"}]}])
    );
    s.aws_json(&[
        "cloudwatch",
        "put-metric-alarm",
        "--alarm-name",
        "api-errors",
        "--namespace",
        "App",
        "--metric-name",
        "Errors",
        "--dimensions",
        "Name=Service,Value=api",
        "--statistic",
        "Sum",
        "--period",
        "60",
        "--evaluation-periods",
        "1",
        "--threshold",
        "1",
        "--comparison-operator",
        "GreaterThanOrEqualToThreshold",
        "--treat-missing-data",
        "notBreaching",
    ]);
    let alarms = s.aws_json(&[
        "cloudwatch",
        "describe-alarms",
        "--alarm-names",
        "api-errors",
    ]);
    let alarm = &alarms["MetricAlarms"][0];
    assert_eq!(
        alarm["AlarmArn"],
        format!("arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:api-errors")
    );
    assert_eq!(alarm["StateValue"], "INSUFFICIENT_DATA");
    assert_eq!(alarm["StateReason"], "Unchecked: Initial alarm creation");

    // The data point is read back with the statistics asked for.
    let stats = s.aws_json(&[
        "cloudwatch",
        "get-metric-statistics",
        "--namespace",
        "App",
        "--metric-name",
        "Errors",
        "--dimensions",
        "Name=Service,Value=api",
        "--start-time",
        "2025-12-31T23:50:00Z",
        "--end-time",
        "2026-01-01T00:10:00Z",
        "--period",
        "60",
        "--statistics",
        "Sum",
        "SampleCount",
    ]);
    assert_eq!(stats["Label"], "Errors");
    assert_eq!(stats["Datapoints"][0]["Sum"], 5.0, "{stats}");
    assert_eq!(stats["Datapoints"][0]["SampleCount"], 1.0, "{stats}");
    assert_eq!(stats["Datapoints"][0]["Unit"], "Count", "{stats}");

    // Time passes on the simulator clock: the alarm is evaluated and fires.
    let adv = s.ctsim(&["clock", "advance", "2m"]);
    assert!(
        adv.status.success(),
        "{}",
        String::from_utf8_lossy(&adv.stderr)
    );
    let alarms = s.aws_json(&["cloudwatch", "describe-alarms", "--state-value", "ALARM"]);
    assert_eq!(
        alarms["MetricAlarms"][0]["AlarmName"], "api-errors",
        "{alarms}"
    );
    let reason = alarms["MetricAlarms"][0]["StateReason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        reason.starts_with(
            "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (01/01/26 00:00:00)] was greater than or equal to the threshold (1.0)"
        ),
        "{reason}"
    );
    let history = s.aws_json(&[
        "cloudwatch",
        "describe-alarm-history",
        "--alarm-name",
        "api-errors",
        "--history-item-type",
        "StateUpdate",
    ]);
    assert_eq!(
        history["AlarmHistoryItems"][0]["HistorySummary"],
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
        "{history}"
    );

    // CloudWatch's error codes reach the CLI over JSON through x-amzn-query-error.
    let out = s.aws(&[
        "cloudwatch",
        "put-metric-data",
        "--namespace",
        "AWS/EC2",
        "--metric-name",
        "x",
        "--value",
        "1",
    ]);
    assert_eq!(error_code(&out), "InvalidParameterValue");
    let out = s.aws(&[
        "cloudwatch",
        "set-alarm-state",
        "--alarm-name",
        "nope",
        "--state-value",
        "OK",
        "--state-reason",
        "x",
    ]);
    assert_eq!(error_code(&out), "ResourceNotFound");

    // The calls were recorded as CloudWatch events.
    let found = s.aws_json(&[
        "cloudtrail",
        "lookup-events",
        "--lookup-attributes",
        "AttributeKey=EventSource,AttributeValue=monitoring.amazonaws.com",
    ]);
    let names: Vec<&str> = found["Events"]
        .as_array()
        .expect("Events")
        .iter()
        .filter_map(|e| e["EventName"].as_str())
        .collect();
    assert!(names.contains(&"PutMetricAlarm"), "{names:?}");
    assert!(names.contains(&"PutMetricData"), "{names:?}");
}

#[test]
fn boto3_speaks_cloudwatch_json_compressed_and_query() {
    let s = Served::start();
    let script = r#"
import datetime, gzip, json, os, tempfile
import boto3, botocore
from botocore.config import Config
ep = os.environ["ENDPOINT"]
out = {}
now = datetime.datetime.now(datetime.timezone.utc)
# PutMetricData bodies over the threshold are gzip-compressed by botocore.
cw = boto3.client("cloudwatch", endpoint_url=ep, config=Config(request_min_compression_size_bytes=1))
out["protocol"] = cw.meta.service_model.resolved_protocol
cw.put_metric_data(Namespace="Shop", MetricData=[
    {"MetricName": "Latency", "Values": [float(v) for v in range(1, 101)], "Unit": "Milliseconds"},
    {"MetricName": "Orders", "Value": 3.0},
])
stats = cw.get_metric_statistics(Namespace="Shop", MetricName="Latency",
    StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=5),
    Period=600, ExtendedStatistics=["p90", "p99"], Unit="Milliseconds")
out["percentiles"] = stats["Datapoints"][0]["ExtendedStatistics"]
pages = cw.get_paginator("get_metric_data").paginate(
    MetricDataQueries=[
        {"Id": "o", "MetricStat": {"Metric": {"Namespace": "Shop", "MetricName": "Orders"}, "Period": 60, "Stat": "Sum"}},
        {"Id": "doubled", "Expression": "o * 2"},
    ],
    StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=5))
out["data"] = {r["Id"]: r["Values"] for p in pages for r in p["MetricDataResults"]}
cw.put_metric_alarm(AlarmName="slow", Namespace="Shop", MetricName="Latency", ExtendedStatistic="p99",
    Period=60, EvaluationPeriods=3, DatapointsToAlarm=2, Threshold=50.0,
    ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "team", "Value": "shop"}])
alarm = cw.describe_alarms(AlarmNames=["slow"])["MetricAlarms"][0]
out["alarm"] = [alarm["ExtendedStatistic"], alarm["DatapointsToAlarm"], alarm["StateValue"]]
out["tags"] = cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
try:
    cw.put_metric_alarm(AlarmName="bad", Namespace="Shop", MetricName="Latency", Statistic="Sum",
        Period=45, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
except botocore.exceptions.ClientError as e:
    out["bad_period"] = e.response["Error"]["Code"]
try:
    cw.get_metric_statistics(Namespace="Shop", MetricName="Latency", StartTime=now,
        EndTime=now + datetime.timedelta(days=3), Period=60, Statistics=["Sum"])
except cw.exceptions.InvalidParameterCombinationException as e:
    out["too_many"] = e.response["Error"]["Code"]
# The same calls over the query protocol, which older SDKs speak.
model = json.load(gzip.open(os.path.join(os.path.dirname(botocore.__file__), "data", "cloudwatch", "2010-08-01", "service-2.json.gz")))
model["metadata"]["protocol"] = "query"
model["metadata"]["protocols"] = ["query"]
data = tempfile.mkdtemp()
os.makedirs(os.path.join(data, "cloudwatch", "2010-08-01"))
with open(os.path.join(data, "cloudwatch", "2010-08-01", "service-2.json"), "w") as f:
    json.dump(model, f)
os.environ["AWS_DATA_PATH"] = data
q = boto3.session.Session().client("cloudwatch", endpoint_url=ep)
out["query_protocol"] = q.meta.service_model.resolved_protocol
q.put_metric_data(Namespace="Shop", MetricData=[{"MetricName": "Orders", "Value": 4.0, "Dimensions": [{"Name": "Store", "Value": "x"}]}])
out["query_metrics"] = sorted(m["MetricName"] + str(len(m["Dimensions"])) for m in q.list_metrics(Namespace="Shop")["Metrics"])
out["query_alarm"] = q.describe_alarms(AlarmNamePrefix="sl")["MetricAlarms"][0]["AlarmName"]
out["query_history"] = q.describe_alarm_history(AlarmName="slow")["AlarmHistoryItems"][0]["HistorySummary"]
try:
    q.set_alarm_state(AlarmName="nope", StateValue="OK", StateReason="x")
except botocore.exceptions.ClientError as e:
    out["query_missing"] = e.response["Error"]["Code"]
print(json.dumps(out))
"#;
    let run = s.python(script);
    assert!(
        run.status.success(),
        "boto3 script failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out: serde_json::Value = serde_json::from_slice(&run.stdout).expect("script prints JSON");
    assert_eq!(out["protocol"], "json");
    assert_eq!(
        out["percentiles"],
        serde_json::json!({"p90": 90.0, "p99": 99.0})
    );
    assert_eq!(
        out["data"],
        serde_json::json!({"o": [3.0], "doubled": [6.0]})
    );
    assert_eq!(
        out["alarm"],
        serde_json::json!(["p99", 2, "INSUFFICIENT_DATA"])
    );
    assert_eq!(
        out["tags"],
        serde_json::json!([{"Key": "team", "Value": "shop"}])
    );
    assert_eq!(out["bad_period"], "ValidationError");
    assert_eq!(out["too_many"], "InvalidParameterCombination");
    assert_eq!(out["query_protocol"], "query");
    assert_eq!(
        out["query_metrics"],
        serde_json::json!(["Latency0", "Orders0", "Orders1"])
    );
    assert_eq!(out["query_alarm"], "slow");
    assert_eq!(out["query_history"], "Alarm \"slow\" created");
    assert_eq!(out["query_missing"], "ResourceNotFound");
}

#[test]
fn aws_cli_puts_an_eventbridge_rule_with_a_target_and_tests_patterns() {
    let s = Served::start();
    let pattern = r#"{"source":["aws.cloudtrail"],"detail":{"eventName":["StopLogging"]}}"#;
    let rule = s.aws_json(&[
        "events",
        "put-rule",
        "--name",
        "trail-changes",
        "--event-pattern",
        pattern,
        "--description",
        "CIS 3.5",
    ]);
    assert_eq!(
        rule["RuleArn"],
        format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/trail-changes")
    );
    s.aws_json(&["sns", "create-topic", "--name", "alerts"]);
    let topic = format!("arn:aws:sns:us-east-1:{ACCOUNT}:alerts");
    let put = s.aws_json(&[
        "events",
        "put-targets",
        "--rule",
        "trail-changes",
        "--targets",
        &format!(r#"[{{"Id":"alerts","Arn":"{topic}"}}]"#),
    ]);
    assert_eq!(put["FailedEntryCount"], 0, "{put}");
    let rules = s.aws_json(&["events", "list-rules", "--name-prefix", "trail"]);
    assert_eq!(rules["Rules"].as_array().map(Vec::len), Some(1), "{rules}");
    assert_eq!(rules["Rules"][0]["Name"], "trail-changes");
    assert_eq!(rules["Rules"][0]["State"], "ENABLED");
    assert_eq!(rules["Rules"][0]["EventPattern"], pattern);
    let targets = s.aws_json(&["events", "list-targets-by-rule", "--rule", "trail-changes"]);
    assert_eq!(targets["Targets"][0]["Arn"], topic.as_str());

    let event = |name: &str| {
        serde_json::json!({
            "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": "AWS API Call via CloudTrail",
            "source": "aws.cloudtrail",
            "account": ACCOUNT,
            "time": "2026-01-01T00:00:00Z",
            "region": "us-east-1",
            "resources": [],
            "detail": {"eventSource": "cloudtrail.amazonaws.com", "eventName": name}
        })
        .to_string()
    };
    for (name, expected) in [("StopLogging", true), ("StartLogging", false)] {
        let r = s.aws_json(&[
            "events",
            "test-event-pattern",
            "--event-pattern",
            pattern,
            "--event",
            &event(name),
        ]);
        assert_eq!(r["Result"], expected, "{name}: {r}");
    }

    let cases: &[(&[&str], &str)] = &[
        (
            &["events", "describe-rule", "--name", "nope"],
            "ResourceNotFoundException",
        ),
        (
            &["events", "delete-rule", "--name", "trail-changes"],
            "ValidationException",
        ),
        (
            &[
                "events",
                "put-rule",
                "--name",
                "bad",
                "--event-pattern",
                r#"{"source":"aws.s3"}"#,
            ],
            "InvalidEventPatternException",
        ),
        (
            &[
                "events",
                "test-event-pattern",
                "--event-pattern",
                pattern,
                "--event",
                "{}",
            ],
            "ValidationException",
        ),
    ];
    for (args, code) in cases {
        let out = s.aws(args);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(&error_code(&out), code, "{args:?}");
    }
}

#[test]
fn aws_cli_puts_and_tests_cloudwatch_logs_metric_filters() {
    let s = Served::start();
    let pattern =
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#;
    let tested = s.aws_json(&[
        "logs",
        "test-metric-filter",
        "--filter-pattern",
        pattern,
        "--log-event-messages",
        r#"{"eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation"}"#,
        r#"{"eventName":"ListBuckets"}"#,
        r#"{"eventName":"GetObject","errorCode":"AccessDenied"}"#,
    ]);
    let numbers: Vec<i64> = tested["matches"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["eventNumber"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(numbers, vec![1, 3], "{tested}");

    s.aws_json(&[
        "logs",
        "create-log-group",
        "--log-group-name",
        "/aws/cloudtrail/main",
    ]);
    s.aws_json(&[
        "logs",
        "put-metric-filter",
        "--log-group-name",
        "/aws/cloudtrail/main",
        "--filter-name",
        "unauthorized-api-calls",
        "--filter-pattern",
        pattern,
        "--metric-transformations",
        "metricName=UnauthorizedAPICalls,metricNamespace=CISBenchmark,metricValue=1",
    ]);
    let described = s.aws_json(&[
        "logs",
        "describe-metric-filters",
        "--log-group-name",
        "/aws/cloudtrail/main",
    ]);
    assert_eq!(
        described["metricFilters"][0]["filterName"], "unauthorized-api-calls",
        "{described}"
    );
    assert_eq!(described["metricFilters"][0]["filterPattern"], pattern);

    // A pattern that does not compile is the InvalidParameterException AWS answers.
    let out = s.aws(&[
        "logs",
        "test-metric-filter",
        "--filter-pattern",
        "{ $.errorCode = ",
        "--log-event-messages",
        "x",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("InvalidParameterException"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
