//! CreateTrail / UpdateTrail fail exactly where AWS does when a destination does not let
//! CloudTrail in, and organization trails follow the organization's rules.

use serde_json::{Value, json};

use crate::{CallerContext, Simulator};

const MANAGEMENT: &str = "123456789012";

fn sim() -> (tempfile::TempDir, Simulator) {
    let dir = tempfile::tempdir().unwrap(); // test setup
    let sim = Simulator::open(dir.path()).unwrap(); // test setup
    (dir, sim)
}

fn as_account(account: &str) -> CallerContext {
    CallerContext::new(account, "us-east-1")
}

fn call(
    sim: &Simulator,
    ctx: &CallerContext,
    service: &str,
    op: &str,
    req: Value,
) -> Result<Value, String> {
    sim.invoke(ctx, service, op, req).map_err(|e| e.code)
}

fn setup(sim: &Simulator, service: &str, op: &str, req: Value) -> Value {
    sim.invoke(&as_account(MANAGEMENT), service, op, req)
        .unwrap_or_else(|e| panic!("{service} {op}: {e}"))
}

fn bucket(sim: &Simulator, name: &str, policy: Option<String>) {
    setup(sim, "s3", "CreateBucket", json!({"Bucket": name}));
    if let Some(policy) = policy {
        setup(
            sim,
            "s3",
            "PutBucketPolicy",
            json!({"Bucket": name, "Policy": policy}),
        );
    }
}

fn good_bucket(sim: &Simulator, name: &str) {
    bucket(
        sim,
        name,
        Some(crate::policy::documented_bucket_policy(
            name, None, MANAGEMENT,
        )),
    );
}

fn create_trail(sim: &Simulator, ctx: &CallerContext, extra: Value) -> Result<Value, String> {
    let mut req = json!({"Name": "audit", "S3BucketName": "logs"});
    if let (Some(r), Some(e)) = (req.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    call(sim, ctx, "cloudtrail", "CreateTrail", req)
}

#[test]
fn bucket_must_exist_and_let_cloudtrail_write() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    assert_eq!(
        create_trail(&sim, &me, json!({})),
        Err("S3BucketDoesNotExistException".into())
    );
    bucket(&sim, "logs", None);
    assert_eq!(
        create_trail(&sim, &me, json!({})),
        Err("InsufficientS3BucketPolicyException".into())
    );
    // A policy for another prefix does not cover the trail's prefix.
    let policy = crate::policy::documented_bucket_policy("logs", Some("elsewhere"), MANAGEMENT);
    setup(
        &sim,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": policy}),
    );
    assert_eq!(
        create_trail(&sim, &me, json!({})),
        Err("InsufficientS3BucketPolicyException".into())
    );
    assert!(create_trail(&sim, &me, json!({"S3KeyPrefix": "elsewhere"})).is_ok());
    // Moving the trail to a prefix the policy does not cover fails on update too.
    assert_eq!(
        call(
            &sim,
            &me,
            "cloudtrail",
            "UpdateTrail",
            json!({"Name": "audit", "S3KeyPrefix": "other"})
        ),
        Err("InsufficientS3BucketPolicyException".into())
    );
}

#[test]
fn kms_key_must_exist_and_its_policy_must_allow_cloudtrail() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    good_bucket(&sim, "logs");
    let missing =
        format!("arn:aws:kms:us-east-1:{MANAGEMENT}:key/00000000-0000-0000-0000-000000000000");
    assert_eq!(
        create_trail(&sim, &me, json!({"KmsKeyId": missing})),
        Err("KmsKeyNotFoundException".into())
    );
    // The default key policy only trusts the account: CloudTrail cannot encrypt with it.
    let key = setup(&sim, "kms", "CreateKey", json!({}));
    let key_arn = key["KeyMetadata"]["Arn"].as_str().unwrap().to_string(); // test setup
    assert_eq!(
        create_trail(&sim, &me, json!({"KmsKeyId": key_arn})),
        Err("InsufficientEncryptionPolicyException".into())
    );
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MANAGEMENT}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
         "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": format!("arn:aws:cloudtrail:*:{MANAGEMENT}:trail/*")}}}
    ]});
    setup(
        &sim,
        "kms",
        "PutKeyPolicy",
        json!({"KeyId": key_arn, "PolicyName": "default", "Policy": policy.to_string()}),
    );
    let created = create_trail(&sim, &me, json!({"KmsKeyId": key_arn})).unwrap(); // allowed now
    assert_eq!(created["KmsKeyId"], json!(key_arn));
}

#[test]
fn sns_topic_policy_must_let_cloudtrail_publish() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    good_bucket(&sim, "logs");
    assert_eq!(
        create_trail(&sim, &me, json!({"SnsTopicName": "nowhere"})),
        Err("InsufficientSnsTopicPolicyException".into())
    );
    // A topic with AWS's default policy only lets the owner account publish.
    setup(&sim, "sns", "CreateTopic", json!({"Name": "alerts"}));
    assert_eq!(
        create_trail(&sim, &me, json!({"SnsTopicName": "alerts"})),
        Err("InsufficientSnsTopicPolicyException".into())
    );
    let topic_arn = format!("arn:aws:sns:us-east-1:{MANAGEMENT}:alerts");
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "SNS:Publish", "Resource": topic_arn}]});
    setup(
        &sim,
        "sns",
        "SetTopicAttributes",
        json!({"TopicArn": topic_arn, "AttributeName": "Policy", "AttributeValue": policy.to_string()}),
    );
    assert!(create_trail(&sim, &me, json!({"SnsTopicName": "alerts"})).is_ok());
}

#[test]
fn cloudwatch_logs_role_must_trust_cloudtrail_and_write_the_group() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    good_bucket(&sim, "logs");
    let group_arn = format!("arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:trail:*");
    let role_arn = format!("arn:aws:iam::{MANAGEMENT}:role/trail-to-logs");
    let with_logs =
        json!({"CloudWatchLogsLogGroupArn": group_arn, "CloudWatchLogsRoleArn": role_arn});
    assert_eq!(
        create_trail(&sim, &me, with_logs.clone()),
        Err("InvalidCloudWatchLogsLogGroupArnException".into())
    );
    setup(
        &sim,
        "logs",
        "CreateLogGroup",
        json!({"logGroupName": "trail"}),
    );
    assert_eq!(
        create_trail(&sim, &me, with_logs.clone()),
        Err("InvalidCloudWatchLogsRoleArnException".into())
    );
    // A role CloudTrail cannot assume.
    let trust_for = |service: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
        .to_string()
    };
    setup(
        &sim,
        "iam",
        "CreateRole",
        json!({"RoleName": "trail-to-logs", "AssumeRolePolicyDocument": trust_for("lambda.amazonaws.com")}),
    );
    assert_eq!(
        create_trail(&sim, &me, with_logs.clone()),
        Err("InvalidCloudWatchLogsRoleArnException".into())
    );
    // Trusted, but without permission to write the log group.
    setup(
        &sim,
        "iam",
        "UpdateAssumeRolePolicy",
        json!({"RoleName": "trail-to-logs", "PolicyDocument": trust_for("cloudtrail.amazonaws.com")}),
    );
    assert_eq!(
        create_trail(&sim, &me, with_logs.clone()),
        Err("InvalidCloudWatchLogsRoleArnException".into())
    );
    let permissions = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": format!("arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:trail:log-stream:*")}]});
    setup(
        &sim,
        "iam",
        "PutRolePolicy",
        json!({"RoleName": "trail-to-logs", "PolicyName": "write", "PolicyDocument": permissions.to_string()}),
    );
    assert!(create_trail(&sim, &me, with_logs).is_ok());
}

#[test]
fn organization_trails_follow_the_organization() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    let org_trail = json!({"IsOrganizationTrail": true});
    assert_eq!(
        create_trail(&sim, &me, org_trail.clone()),
        Err("OrganizationsNotInUseException".into())
    );

    let org = setup(
        &sim,
        "organizations",
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    );
    let org_id = org["Organization"]["Id"].as_str().unwrap().to_string(); // test setup
    let created = setup(
        &sim,
        "organizations",
        "CreateAccount",
        json!({"AccountName": "member", "Email": "member@example.com"}),
    );
    let member = created["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap()
        .to_string(); // test setup

    // The bucket policy allows the organization's log path too.
    let mut policy: Value = serde_json::from_str(&crate::policy::documented_bucket_policy(
        "logs", None, MANAGEMENT,
    ))
    .unwrap();
    policy["Statement"][1]["Resource"] = json!([
        format!("arn:aws:s3:::logs/AWSLogs/{MANAGEMENT}/*"),
        format!("arn:aws:s3:::logs/AWSLogs/{org_id}/*")
    ]);
    bucket(&sim, "logs", Some(policy.to_string()));

    assert_eq!(
        create_trail(&sim, &me, org_trail.clone()),
        Err("CloudTrailAccessNotEnabledException".into())
    );
    setup(
        &sim,
        "organizations",
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    );
    assert_eq!(
        create_trail(&sim, &as_account(&member), org_trail.clone()),
        Err("NotOrganizationMasterAccountException".into())
    );
    let trail = create_trail(&sim, &me, org_trail).unwrap(); // management account may
    assert_eq!(trail["IsOrganizationTrail"], true);
}

#[test]
fn member_accounts_see_the_organization_trail_but_cannot_change_it() {
    let (_d, sim) = sim();
    let me = as_account(MANAGEMENT);
    let org = setup(
        &sim,
        "organizations",
        "CreateOrganization",
        json!({"FeatureSet": "ALL"}),
    );
    let org_id = org["Organization"]["Id"].as_str().unwrap().to_string(); // test setup
    setup(
        &sim,
        "organizations",
        "EnableAWSServiceAccess",
        json!({"ServicePrincipal": "cloudtrail.amazonaws.com"}),
    );
    let created = setup(
        &sim,
        "organizations",
        "CreateAccount",
        json!({"AccountName": "member", "Email": "m@example.com"}),
    );
    let member = as_account(
        created["CreateAccountStatus"]["AccountId"]
            .as_str()
            .unwrap(),
    ); // test setup
    let mut policy: Value = serde_json::from_str(&crate::policy::documented_bucket_policy(
        "logs", None, MANAGEMENT,
    ))
    .unwrap();
    policy["Statement"][1]["Resource"] = json!([
        format!("arn:aws:s3:::logs/AWSLogs/{MANAGEMENT}/*"),
        format!("arn:aws:s3:::logs/AWSLogs/{org_id}/*")
    ]);
    bucket(&sim, "logs", Some(policy.to_string()));
    let trail = create_trail(
        &sim,
        &me,
        json!({"IsOrganizationTrail": true, "IsMultiRegionTrail": true}),
    )
    .unwrap();
    let arn = trail["TrailARN"].as_str().unwrap().to_string(); // created above

    let seen = call(&sim, &member, "cloudtrail", "DescribeTrails", json!({})).unwrap();
    assert_eq!(seen["trailList"][0]["TrailARN"], json!(arn));
    assert!(
        call(
            &sim,
            &member,
            "cloudtrail",
            "GetTrailStatus",
            json!({"Name": arn})
        )
        .is_ok()
    );
    for (op, req) in [
        ("StopLogging", json!({"Name": arn})),
        ("DeleteTrail", json!({"Name": arn})),
        (
            "UpdateTrail",
            json!({"Name": arn, "IncludeGlobalServiceEvents": false}),
        ),
        (
            "PutEventSelectors",
            json!({"TrailName": arn, "EventSelectors": [{"ReadWriteType": "WriteOnly"}]}),
        ),
    ] {
        assert_eq!(
            call(&sim, &member, "cloudtrail", op, req),
            Err("NotOrganizationMasterAccountException".into()),
            "{op}"
        );
    }
    // An account outside the organization sees nothing.
    let outsider = as_account("999999999999");
    let none = call(&sim, &outsider, "cloudtrail", "DescribeTrails", json!({})).unwrap();
    assert_eq!(none["trailList"], json!([]));
}

#[test]
fn bucket_policies_granting_the_legacy_cloudtrail_account_still_work() {
    let (_d, sim) = sim();
    // What `data "aws_cloudtrail_service_account"` based configurations write for us-east-1.
    let legacy = "arn:aws:iam::086441151436:root";
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": legacy}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::logs"},
        {"Effect": "Allow", "Principal": {"AWS": legacy}, "Action": "s3:PutObject",
         "Resource": format!("arn:aws:s3:::logs/AWSLogs/{MANAGEMENT}/*")}
    ]});
    bucket(&sim, "logs", Some(policy.to_string()));
    assert!(create_trail(&sim, &as_account(MANAGEMENT), json!({})).is_ok());
    // Another region's legacy account is not CloudTrail in us-east-1.
    let other = policy.to_string().replace("086441151436", "113285607260");
    setup(
        &sim,
        "s3",
        "PutBucketPolicy",
        json!({"Bucket": "logs", "Policy": other}),
    );
    assert_eq!(
        call(
            &sim,
            &as_account(MANAGEMENT),
            "cloudtrail",
            "CreateTrail",
            json!({"Name": "second", "S3BucketName": "logs"})
        ),
        Err("InsufficientS3BucketPolicyException".into())
    );
}
