//! The rule catalogue: CIS AWS Foundations Benchmark section 3 (CloudTrail items) and
//! section 4 (monitoring: a metric filter and alarm per kind of activity, in
//! [`super::monitoring`]), the AWS Security Hub CloudTrail and CloudWatch.1-14 controls, one
//! rule per check with every control id it answers for. Each rule decides from configuration when it can and says NEEDS_RUNTIME
//! when the answer is a runtime fact (or a value only apply can know).
//!
//! Selector questions ("does some trail log S3 object writes in every bucket?") are put to
//! the one selector evaluator (`pipeline::selectors`) with probe records, so checks,
//! coverage and delivery can never disagree about what a trail captures.

use serde::Serialize;
use serde_json::{Value, json};

use super::model::{Bucket, Fact, Model, Trail};
use super::monitoring;
use crate::pipeline::selectors::{CompiledTrail, TrailScope};
use crate::plan::{contains_unknown, describe_unknown, first_unknown};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Pass,
    Fail,
    NotApplicable,
    NeedsRuntime,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::NotApplicable => "NOT_APPLICABLE",
            Status::NeedsRuntime => "NEEDS_RUNTIME",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// A control of a published standard that a rule answers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// `cis` or `securityhub`.
    pub pack: &'static str,
    /// e.g. `CIS AWS Foundations Benchmark v1.4.0` or `AWS Security Hub`.
    pub standard: &'static str,
    /// e.g. `3.1` or `CloudTrail.1`.
    pub id: &'static str,
}

const fn cis(version: &'static str, id: &'static str) -> Source {
    Source {
        pack: "cis",
        standard: version,
        id,
    }
}

const fn sh(id: &'static str) -> Source {
    Source {
        pack: "securityhub",
        standard: "AWS Security Hub",
        id,
    }
}

const CIS12: &str = "CIS AWS Foundations Benchmark v1.2.0";
const CIS14: &str = "CIS AWS Foundations Benchmark v1.4.0";
const CIS30: &str = "CIS AWS Foundations Benchmark v3.0.0";

/// One rule's decision about one resource (or the account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub status: Status,
    /// Terraform address, or `account` for account-wide rules.
    pub resource: String,
    pub location: String,
    pub reason: String,
}

fn finding(status: Status, resource: &str, location: &str, reason: impl Into<String>) -> Finding {
    Finding {
        status,
        resource: resource.to_string(),
        location: location.to_string(),
        reason: reason.into(),
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub sources: &'static [Source],
    pub severity: Severity,
    /// What the rule reads, in Terraform terms.
    pub reads: &'static str,
    pub remediation: &'static str,
    pub check: fn(&Model) -> Vec<Finding>,
}

impl Rule {
    pub fn in_pack(&self, pack: &str) -> bool {
        self.sources.iter().any(|s| s.pack == pack) || (pack == "ctsim" && self.sources.is_empty())
    }

    /// Whether `sel` (a rule id or a control id such as `CloudTrail.1` or `cis:3.1`) names it,
    /// in any version of the standard.
    pub fn named_by(&self, sel: &str) -> bool {
        self.named_in(sel, |_| true)
    }

    fn named_in(&self, sel: &str, standard: impl Fn(&Source) -> bool) -> bool {
        if sel.eq_ignore_ascii_case(self.id) {
            return true;
        }
        self.sources.iter().filter(|s| standard(s)).any(|s| {
            sel.eq_ignore_ascii_case(s.id)
                || sel
                    .split_once(':')
                    .is_some_and(|(p, i)| p.eq_ignore_ascii_case(s.pack) && i == s.id)
        })
    }
}

/// The rules `sel` names. CIS numbers are those of v1.4.0 first (the catalogue's numbering):
/// `cis:3.10` is v1.4.0's 3.10 even though v1.2.0 gives that number to another control;
/// a number only another version uses (`cis:2.1`, v1.2.0) names that version's control.
pub fn named(sel: &str) -> Vec<&'static Rule> {
    let primary: Vec<&'static Rule> = RULES
        .iter()
        .filter(|r| r.named_in(sel, |s| s.pack != "cis" || s.standard == CIS14))
        .collect();
    if !primary.is_empty() {
        return primary;
    }
    RULES.iter().filter(|r| r.named_by(sel)).collect()
}

/// What every monitoring rule reads.
const ALARM_READS: &str = "aws_cloudtrail (is_multi_region_trail, enable_logging, include_global_service_events, event selectors evaluated with the control's canonical events, cloud_watch_logs_group_arn) -> aws_cloudwatch_log_metric_filter (log_group_name, pattern run on the canonical CloudTrail records, metric_transformation name and namespace) -> aws_cloudwatch_metric_alarm (metric_name, namespace, actions_enabled, alarm_actions) -> aws_sns_topic -> aws_sns_topic_subscription (topic_arn; live: confirmed, not PendingConfirmation)";

/// A CIS section 4 monitoring rule: a metric filter with `$pattern` (CIS v1.4.0's) and an
/// alarm that notifies a subscribed SNS topic.
macro_rules! alarm_rule {
    ($id:literal, $title:literal, [$($src:expr),* $(,)?], $pattern:literal, $check:path) => {
        Rule {
            id: $id,
            title: $title,
            sources: &[$($src),*],
            severity: Severity::Low,
            reads: ALARM_READS,
            remediation: concat!(
                "On the CloudWatch Logs group of a multi-Region, logging trail (cloud_watch_logs_group_arn) add an aws_cloudwatch_log_metric_filter with pattern = ",
                $pattern,
                " (or any pattern that matches the same events), an aws_cloudwatch_metric_alarm with the filter's metric_transformation name and namespace as metric_name and namespace (statistic Sum, threshold 1, GreaterThanOrEqualToThreshold) and alarm_actions = [an aws_sns_topic ARN], and an aws_sns_topic_subscription to that topic."
            ),
            check: $check,
        }
    };
}

/// The catalogue, in the order reports list it.
pub static RULES: &[Rule] = &[
    Rule {
        id: "CT-MULTI-REGION",
        title: "At least one multi-Region trail logs read and write management events",
        sources: &[
            cis(CIS14, "3.1"),
            cis(CIS12, "2.1"),
            cis(CIS30, "3.1"),
            sh("CloudTrail.1"),
        ],
        severity: Severity::High,
        reads: "aws_cloudtrail: is_multi_region_trail, enable_logging, event_selector / advanced_event_selector (management events, read_write_type, exclude_management_event_sources); live: IsLogging",
        remediation: "Set is_multi_region_trail = true and keep enable_logging = true on one trail; log all management events (no event_selector, or read_write_type = \"All\" with include_management_events = true and no exclude_management_event_sources).",
        check: multi_region,
    },
    Rule {
        id: "CT-ENABLED",
        title: "At least one trail is enabled",
        sources: &[sh("CloudTrail.3")],
        severity: Severity::High,
        reads: "aws_cloudtrail: enable_logging; live: IsLogging",
        remediation: "Define an aws_cloudtrail resource and keep enable_logging = true.",
        check: enabled,
    },
    Rule {
        id: "CT-LOG-VALIDATION",
        title: "Log file validation is enabled",
        sources: &[
            cis(CIS14, "3.2"),
            cis(CIS12, "2.2"),
            cis(CIS30, "3.2"),
            sh("CloudTrail.4"),
        ],
        severity: Severity::Low,
        reads: "aws_cloudtrail: enable_log_file_validation",
        remediation: "Set enable_log_file_validation = true on the trail.",
        check: log_validation,
    },
    Rule {
        id: "CT-BUCKET-NOT-PUBLIC",
        title: "The S3 bucket CloudTrail logs to is not publicly accessible",
        sources: &[cis(CIS14, "3.3"), cis(CIS12, "2.3"), sh("CloudTrail.6")],
        severity: Severity::Critical,
        reads: "aws_cloudtrail.s3_bucket_name -> aws_s3_bucket (acl, policy), aws_s3_bucket_acl, aws_s3_bucket_policy, aws_s3_bucket_public_access_block, aws_s3_account_public_access_block",
        remediation: "Add an aws_s3_bucket_public_access_block with all four settings true for the log bucket; remove public-read / public-read-write / authenticated-read ACLs and bucket policy statements that Allow Principal \"*\" without conditions.",
        check: bucket_not_public,
    },
    Rule {
        id: "CT-CLOUDWATCH-LOGS",
        title: "Trails are integrated with CloudWatch Logs",
        sources: &[cis(CIS14, "3.4"), cis(CIS12, "2.4"), sh("CloudTrail.5")],
        severity: Severity::Low,
        reads: "aws_cloudtrail: cloud_watch_logs_group_arn, cloud_watch_logs_role_arn",
        remediation: "Set cloud_watch_logs_group_arn (a log group ARN ending in :*) and cloud_watch_logs_role_arn on the trail.",
        check: cloudwatch_logs,
    },
    Rule {
        id: "CT-BUCKET-ACCESS-LOGGING",
        title: "S3 server access logging is enabled on the CloudTrail bucket",
        sources: &[
            cis(CIS14, "3.6"),
            cis(CIS12, "2.6"),
            cis(CIS30, "3.4"),
            sh("CloudTrail.7"),
        ],
        severity: Severity::Low,
        reads: "aws_cloudtrail.s3_bucket_name -> aws_s3_bucket_logging (or the logging block of aws_s3_bucket)",
        remediation: "Add an aws_s3_bucket_logging resource for the log bucket with a target_bucket.",
        check: bucket_access_logging,
    },
    Rule {
        id: "CT-KMS-ENCRYPTION",
        title: "Trail log files are encrypted at rest with a KMS key",
        sources: &[
            cis(CIS14, "3.7"),
            cis(CIS12, "2.7"),
            cis(CIS30, "3.5"),
            sh("CloudTrail.2"),
        ],
        severity: Severity::Medium,
        reads: "aws_cloudtrail: kms_key_id",
        remediation: "Set kms_key_id to a customer managed aws_kms_key whose policy lets cloudtrail.amazonaws.com call kms:GenerateDataKey* and kms:DescribeKey.",
        check: kms_encryption,
    },
    Rule {
        id: "CT-S3-OBJECT-WRITES",
        title: "Object-level logging of write events is enabled for all S3 buckets",
        sources: &[cis(CIS14, "3.10"), cis(CIS30, "3.8"), sh("S3.22")],
        severity: Severity::Medium,
        reads: "aws_cloudtrail: is_multi_region_trail, enable_logging, event_selector.data_resource / advanced_event_selector (evaluated with a PutObject probe event)",
        remediation: "On a multi-Region trail add an event_selector with read_write_type = \"All\" (or \"WriteOnly\") and data_resource { type = \"AWS::S3::Object\", values = [\"arn:aws:s3\"] }, or the advanced_event_selector eventCategory = Data, resources.type = AWS::S3::Object.",
        check: s3_object_writes,
    },
    Rule {
        id: "CT-S3-OBJECT-READS",
        title: "Object-level logging of read events is enabled for all S3 buckets",
        sources: &[cis(CIS14, "3.11"), cis(CIS30, "3.9"), sh("S3.23")],
        severity: Severity::Medium,
        reads: "aws_cloudtrail: is_multi_region_trail, enable_logging, event_selector.data_resource / advanced_event_selector (evaluated with a GetObject probe event)",
        remediation: "On a multi-Region trail add an event_selector with read_write_type = \"All\" (or \"ReadOnly\") and data_resource { type = \"AWS::S3::Object\", values = [\"arn:aws:s3\"] }, or the advanced_event_selector eventCategory = Data, resources.type = AWS::S3::Object.",
        check: s3_object_reads,
    },
    Rule {
        id: "CT-TAGGED",
        title: "Trails are tagged",
        sources: &[sh("CloudTrail.9")],
        severity: Severity::Low,
        reads: "aws_cloudtrail: tags / tags_all (keys starting with aws: do not count)",
        remediation: "Add at least one tag to the trail (tags, or the provider's default_tags).",
        check: tagged,
    },
    Rule {
        id: "CT-LAKE-CMK",
        title: "CloudTrail Lake event data stores are encrypted with a customer managed KMS key",
        sources: &[sh("CloudTrail.10")],
        severity: Severity::Medium,
        reads: "aws_cloudtrail_event_data_store: kms_key_id",
        remediation: "Set kms_key_id on the event data store to a customer managed aws_kms_key (it cannot be removed later).",
        check: lake_cmk,
    },
    Rule {
        id: "CT-DELIVERING",
        title: "Trails are logging and their last delivery succeeded",
        sources: &[],
        severity: Severity::High,
        reads: "live only: GetTrailStatus IsLogging, LatestDeliveryTime, LatestDeliveryError, LatestCloudWatchLogsDeliveryError",
        remediation: "Start logging (enable_logging = true) and fix what LatestDeliveryError names, usually the bucket policy or the KMS key policy.",
        check: delivering,
    },
    alarm_rule!(
        "CT-ALARM-UNAUTHORIZED-API-CALLS",
        "A log metric filter and alarm exist for unauthorized API calls",
        [
            cis(CIS14, "4.1"),
            cis(CIS12, "3.1"),
            cis(CIS30, "4.1"),
            sh("CloudWatch.2")
        ],
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#,
        monitoring::unauthorized_api_calls
    ),
    alarm_rule!(
        "CT-ALARM-CONSOLE-SIGNIN-WITHOUT-MFA",
        "A log metric filter and alarm exist for Management Console sign-in without MFA",
        [
            cis(CIS14, "4.2"),
            cis(CIS12, "3.2"),
            cis(CIS30, "4.2"),
            sh("CloudWatch.3")
        ],
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
        monitoring::console_signin_without_mfa
    ),
    alarm_rule!(
        "CT-ALARM-ROOT-USAGE",
        "A log metric filter and alarm exist for usage of the root user",
        [
            cis(CIS14, "4.3"),
            cis(CIS12, "3.3"),
            cis(CIS30, "4.3"),
            sh("CloudWatch.1")
        ],
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        monitoring::root_usage
    ),
    alarm_rule!(
        "CT-ALARM-IAM-POLICY-CHANGES",
        "A log metric filter and alarm exist for IAM policy changes",
        [
            cis(CIS14, "4.4"),
            cis(CIS12, "3.4"),
            cis(CIS30, "4.4"),
            sh("CloudWatch.4")
        ],
        "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }",
        monitoring::iam_policy_changes
    ),
    alarm_rule!(
        "CT-ALARM-CLOUDTRAIL-CHANGES",
        "A log metric filter and alarm exist for CloudTrail configuration changes",
        [
            cis(CIS14, "4.5"),
            cis(CIS12, "3.5"),
            cis(CIS30, "4.5"),
            sh("CloudWatch.5")
        ],
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
        monitoring::cloudtrail_changes
    ),
    alarm_rule!(
        "CT-ALARM-CONSOLE-AUTH-FAILURES",
        "A log metric filter and alarm exist for AWS Management Console authentication failures",
        [
            cis(CIS14, "4.6"),
            cis(CIS12, "3.6"),
            cis(CIS30, "4.6"),
            sh("CloudWatch.6")
        ],
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
        monitoring::console_auth_failures
    ),
    alarm_rule!(
        "CT-ALARM-CMK-DISABLE-OR-DELETE",
        "A log metric filter and alarm exist for disabling or scheduled deletion of customer managed KMS keys",
        [
            cis(CIS14, "4.7"),
            cis(CIS12, "3.7"),
            cis(CIS30, "4.7"),
            sh("CloudWatch.7")
        ],
        "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }",
        monitoring::cmk_disable_or_delete
    ),
    alarm_rule!(
        "CT-ALARM-S3-BUCKET-POLICY-CHANGES",
        "A log metric filter and alarm exist for S3 bucket policy changes",
        [
            cis(CIS14, "4.8"),
            cis(CIS12, "3.8"),
            cis(CIS30, "4.8"),
            sh("CloudWatch.8")
        ],
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
        monitoring::s3_bucket_policy_changes
    ),
    alarm_rule!(
        "CT-ALARM-CONFIG-CHANGES",
        "A log metric filter and alarm exist for AWS Config configuration changes",
        [
            cis(CIS14, "4.9"),
            cis(CIS12, "3.9"),
            cis(CIS30, "4.9"),
            sh("CloudWatch.9")
        ],
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
        monitoring::config_changes
    ),
    alarm_rule!(
        "CT-ALARM-SECURITY-GROUP-CHANGES",
        "A log metric filter and alarm exist for security group changes",
        [
            cis(CIS14, "4.10"),
            cis(CIS12, "3.10"),
            cis(CIS30, "4.10"),
            sh("CloudWatch.10")
        ],
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
        monitoring::security_group_changes
    ),
    alarm_rule!(
        "CT-ALARM-NACL-CHANGES",
        "A log metric filter and alarm exist for changes to network ACLs",
        [
            cis(CIS14, "4.11"),
            cis(CIS12, "3.11"),
            cis(CIS30, "4.11"),
            sh("CloudWatch.11")
        ],
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
        monitoring::nacl_changes
    ),
    alarm_rule!(
        "CT-ALARM-NETWORK-GATEWAY-CHANGES",
        "A log metric filter and alarm exist for changes to network gateways",
        [
            cis(CIS14, "4.12"),
            cis(CIS12, "3.12"),
            cis(CIS30, "4.12"),
            sh("CloudWatch.12")
        ],
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
        monitoring::network_gateway_changes
    ),
    alarm_rule!(
        "CT-ALARM-ROUTE-TABLE-CHANGES",
        "A log metric filter and alarm exist for route table changes",
        [
            cis(CIS14, "4.13"),
            cis(CIS12, "3.13"),
            cis(CIS30, "4.13"),
            sh("CloudWatch.13")
        ],
        "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
        monitoring::route_table_changes
    ),
    alarm_rule!(
        "CT-ALARM-VPC-CHANGES",
        "A log metric filter and alarm exist for VPC changes",
        [
            cis(CIS14, "4.14"),
            cis(CIS12, "3.14"),
            cis(CIS30, "4.14"),
            sh("CloudWatch.14")
        ],
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
        monitoring::vpc_changes
    ),
    alarm_rule!(
        "CT-ALARM-ORGANIZATIONS-CHANGES",
        "A log metric filter and alarm exist for AWS Organizations changes",
        [cis(CIS14, "4.15"), cis(CIS30, "4.15")],
        r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
        monitoring::organizations_changes
    ),
];

// ---------------------------------------------------------------- helpers

/// Logging on, as the input knows it: the runtime fact when live, else the declaration.
pub(super) fn logging(t: &Trail) -> Fact<bool> {
    match &t.runtime {
        Some(rt) => Fact::Known(rt.is_logging),
        None => t.enable_logging.clone(),
    }
}

fn probe(t: &Trail, record: &Value) -> Fact<bool> {
    let Fact::Known(sel) = &t.selectors else {
        return match &t.selectors {
            Fact::Unknown(u) => Fact::Unknown(u.clone()),
            Fact::Known(_) => Fact::Unknown(String::new()),
        };
    };
    let scope = TrailScope {
        // Probes are judged in the home region: the region rule is checked on its own.
        home_region: "us-east-1".to_string(),
        multi_region: true,
        include_global_service_events: true,
        account_id: String::new(),
        organization_accounts: Vec::new(),
    };
    Fact::Known(CompiledTrail::new(&scope, sel).captures(record))
}

fn mgmt(source: &str, name: &str, read_only: bool) -> Value {
    json!({
        "eventCategory": "Management",
        "eventSource": source,
        "eventName": name,
        "readOnly": read_only,
        "awsRegion": "us-east-1",
    })
}

/// Management probes: reads and writes, including the sources a selector may exclude.
fn management_probes() -> Vec<(&'static str, Value)> {
    vec![
        (
            "write management events",
            mgmt("ec2.amazonaws.com", "RunInstances", false),
        ),
        (
            "read management events",
            mgmt("ec2.amazonaws.com", "DescribeInstances", true),
        ),
        (
            "AWS KMS management events",
            mgmt("kms.amazonaws.com", "Decrypt", true),
        ),
        (
            "RDS Data API management events",
            mgmt("rdsdata.amazonaws.com", "ExecuteStatement", false),
        ),
    ]
}

/// An S3 object data event in a bucket no configuration names: "all buckets".
pub fn s3_object_probe(name: &str, read_only: bool) -> Value {
    let bucket = "any-bucket-of-the-account";
    json!({
        "eventCategory": "Data",
        "eventSource": "s3.amazonaws.com",
        "eventName": name,
        "readOnly": read_only,
        "awsRegion": "us-east-1",
        "resources": [
            {"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/any/key")},
            {"type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")},
        ],
    })
}

/// Combines per-condition facts: a known false decides; otherwise unknowns remain.
struct Verdict {
    fails: Vec<String>,
    unknowns: Vec<String>,
}

impl Verdict {
    fn new() -> Self {
        Verdict {
            fails: Vec::new(),
            unknowns: Vec::new(),
        }
    }

    fn require(&mut self, f: Fact<bool>, fail: &str) {
        match f {
            Fact::Known(true) => {}
            Fact::Known(false) => self.fails.push(fail.to_string()),
            Fact::Unknown(u) => self.unknowns.push(u),
        }
    }

    fn status(&self) -> Status {
        if !self.fails.is_empty() {
            Status::Fail
        } else if !self.unknowns.is_empty() {
            Status::NeedsRuntime
        } else {
            Status::Pass
        }
    }

    fn reason(&self, pass: &str) -> String {
        if !self.fails.is_empty() {
            self.fails.join("; ")
        } else if !self.unknowns.is_empty() {
            format!("not known before apply: {}", self.unknowns.join(", "))
        } else {
            pass.to_string()
        }
    }
}

/// An account-wide rule: PASS if some trail qualifies, else one finding per trail.
fn account_rule(
    m: &Model,
    judge: impl Fn(&Trail) -> Verdict,
    pass: &str,
    none: &str,
) -> Vec<Finding> {
    if m.trails.is_empty() {
        return vec![finding(Status::Fail, "account", "", none)];
    }
    let verdicts: Vec<(&Trail, Verdict)> = m.trails.iter().map(|t| (t, judge(t))).collect();
    if let Some((t, _)) = verdicts.iter().find(|(_, v)| v.status() == Status::Pass) {
        return vec![finding(
            Status::Pass,
            &t.address,
            &t.location,
            format!("{}: {pass}", t.label()),
        )];
    }
    verdicts
        .into_iter()
        .map(|(t, v)| finding(v.status(), &t.address, &t.location, v.reason(pass)))
        .collect()
}

fn per_trail(m: &Model, judge: impl Fn(&Trail) -> (Status, String)) -> Vec<Finding> {
    if m.trails.is_empty() {
        return vec![finding(
            Status::NotApplicable,
            "account",
            "",
            "no aws_cloudtrail in the input",
        )];
    }
    m.trails
        .iter()
        .map(|t| {
            let (s, r) = judge(t);
            finding(s, &t.address, &t.location, r)
        })
        .collect()
}

fn simple(f: &Fact<bool>, pass: &str, fail: &str) -> (Status, String) {
    match f {
        Fact::Known(true) => (Status::Pass, pass.to_string()),
        Fact::Known(false) => (Status::Fail, fail.to_string()),
        Fact::Unknown(u) => (Status::NeedsRuntime, format!("not known before apply: {u}")),
    }
}

fn set(f: &Fact<Option<String>>) -> Fact<bool> {
    match f {
        Fact::Known(v) => Fact::Known(v.is_some()),
        Fact::Unknown(u) => Fact::Unknown(u.clone()),
    }
}

// ---------------------------------------------------------------- rules

fn multi_region(m: &Model) -> Vec<Finding> {
    account_rule(
        m,
        |t| {
            let mut v = Verdict::new();
            v.require(t.multi_region.clone(), "not a multi-Region trail");
            v.require(logging(t), "logging is off");
            for (what, rec) in management_probes() {
                v.require(probe(t, &rec), &format!("does not log {what}"));
            }
            v
        },
        "multi-Region, logging, all read and write management events",
        "no trail: nothing records management events",
    )
}

fn enabled(m: &Model) -> Vec<Finding> {
    account_rule(
        m,
        |t| {
            let mut v = Verdict::new();
            v.require(logging(t), "logging is off");
            v
        },
        "logging",
        "no trail is defined",
    )
}

fn log_validation(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| {
        simple(
            &t.log_validation,
            "log file validation is enabled",
            "enable_log_file_validation is false",
        )
    })
}

fn kms_encryption(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| {
        simple(
            &set(&t.kms_key_id),
            "log files are encrypted with a KMS key",
            "kms_key_id is not set: log files use SSE-S3 only",
        )
    })
}

fn cloudwatch_logs(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| {
        let (s, r) = simple(
            &set(&t.cloud_watch_logs_group_arn),
            "delivers to CloudWatch Logs",
            "cloud_watch_logs_group_arn is not set",
        );
        match (&t.runtime, s) {
            (Some(rt), Status::Pass) => match &rt.latest_cloud_watch_logs_delivery_error {
                Some(e) => (
                    Status::Fail,
                    format!("CloudWatch Logs delivery failed: {e}"),
                ),
                None => (s, r),
            },
            _ => (s, r),
        }
    })
}

fn tagged(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| match &t.tags {
        Fact::Known(tags) => {
            let user: Vec<&String> = tags.keys().filter(|k| !k.starts_with("aws:")).collect();
            if user.is_empty() {
                (Status::Fail, "the trail has no tags".to_string())
            } else {
                (
                    Status::Pass,
                    format!(
                        "tagged: {}",
                        user.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
        }
        Fact::Unknown(u) => (Status::NeedsRuntime, format!("not known before apply: {u}")),
    })
}

fn lake_cmk(m: &Model) -> Vec<Finding> {
    if m.stores.is_empty() {
        return vec![finding(
            Status::NotApplicable,
            "account",
            "",
            "no aws_cloudtrail_event_data_store in the input",
        )];
    }
    m.stores
        .iter()
        .map(|s| {
            let (st, r) = simple(
                &set(&s.kms_key_id),
                "encrypted with a customer managed KMS key",
                "kms_key_id is not set: the store uses a key AWS owns",
            );
            finding(st, &s.address, &s.location, r)
        })
        .collect()
}

fn s3_objects(m: &Model, event: &str, read_only: bool, what: &str) -> Vec<Finding> {
    account_rule(
        m,
        |t| {
            let mut v = Verdict::new();
            v.require(t.multi_region.clone(), "not a multi-Region trail");
            v.require(logging(t), "logging is off");
            let captured = probe(t, &s3_object_probe(event, read_only));
            match captured {
                Fact::Known(false) if !t.selector_unknowns.is_empty() => v.fails.push(format!(
                    "does not log S3 object {what} events in every bucket (selector values known only after apply: {})",
                    t.selector_unknowns.join(", ")
                )),
                other => v.require(other, &format!("does not log S3 object {what} events in every bucket")),
            }
            v
        },
        &format!("multi-Region, logging S3 object {what} events in every bucket"),
        &format!("no trail: S3 object {what} events are not logged"),
    )
}

fn s3_object_writes(m: &Model) -> Vec<Finding> {
    s3_objects(m, "PutObject", false, "write")
}

fn s3_object_reads(m: &Model) -> Vec<Finding> {
    s3_objects(m, "GetObject", true, "read")
}

/// The trail's bucket in the input, or why it cannot be judged.
fn trail_bucket<'m>(m: &'m Model, t: &Trail) -> Result<&'m Bucket, (Status, String)> {
    match t.bucket {
        Some(i) => m.buckets.get(i).ok_or((
            Status::NeedsRuntime,
            "bucket index out of range".to_string(),
        )),
        None => Err((
            Status::NeedsRuntime,
            match &t.bucket_name {
                Fact::Known(n) => format!(
                    "bucket {n} is not defined in this input; check it with --live or include its configuration"
                ),
                Fact::Unknown(u) => format!("the bucket is not known before apply: {u}"),
            },
        )),
    }
}

const PUBLIC_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GROUPS: &[&str] = &[
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// Whether a policy statement allows everyone (`Principal: "*"` or `{"AWS": "*"}`) without
/// a condition. Unknown parts make it unknown.
fn public_statement(st: &Value) -> Fact<bool> {
    let effect = st.get("Effect").cloned().unwrap_or(Value::Null);
    let principal = st.get("Principal").cloned().unwrap_or(Value::Null);
    let condition = st.get("Condition").cloned().unwrap_or(Value::Null);
    let unknown_in =
        |v: &Value| contains_unknown(v).then(|| describe_unknown(first_unknown(v).unwrap_or(v)));
    // A known part that rules the statement out decides, whatever else is unknown.
    if !contains_unknown(&effect) && effect.as_str() != Some("Allow") {
        return Fact::Known(false);
    }
    let star = |v: &Value| match v {
        Value::String(s) => s == "*",
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some("*")),
        _ => false,
    };
    let everyone = star(&principal) || principal.get("AWS").is_some_and(star);
    if !contains_unknown(&principal) && !everyone {
        return Fact::Known(false);
    }
    let known_condition = !contains_unknown(&condition);
    if known_condition
        && !(condition.is_null() || condition.as_object().is_some_and(|o| o.is_empty()))
    {
        return Fact::Known(false);
    }
    match unknown_in(&effect)
        .or_else(|| unknown_in(&principal))
        .or_else(|| unknown_in(&condition))
    {
        Some(u) => Fact::Unknown(u),
        None => Fact::Known(true),
    }
}

fn bucket_not_public(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| {
        let b = match trail_bucket(m, t) {
            Ok(b) => b,
            Err(e) => return e,
        };
        let blocks = |p: &Option<super::model::PublicAccessBlock>| {
            p.as_ref().map(|p| {
                (
                    p.ignore_public_acls.clone(),
                    p.restrict_public_buckets.clone(),
                    p.from.clone(),
                )
            })
        };
        for (ignore, restrict, from) in [
            blocks(&b.public_access_block),
            blocks(&m.account_public_access_block),
        ]
        .into_iter()
        .flatten()
        {
            if ignore == Fact::Known(true) && restrict == Fact::Known(true) {
                return (
                    Status::Pass,
                    format!(
                        "{}: {from} ignores public ACLs and restricts public bucket policies",
                        b.address
                    ),
                );
            }
        }
        let mut v = Verdict::new();
        for acl in &b.acls {
            match acl {
                Fact::Known(a) if PUBLIC_ACLS.contains(&a.as_str()) => v
                    .fails
                    .push(format!("{}: ACL {a} makes it public", b.address)),
                Fact::Known(_) => {}
                Fact::Unknown(u) => v.unknowns.push(u.clone()),
            }
        }
        for g in &b.grant_uris {
            match g {
                Fact::Known(u) if PUBLIC_GROUPS.contains(&u.as_str()) => v
                    .fails
                    .push(format!("{}: ACL grants access to {u}", b.address)),
                Fact::Known(_) => {}
                Fact::Unknown(u) => v.unknowns.push(u.clone()),
            }
        }
        for p in &b.policies {
            match p {
                Fact::Known(doc) => {
                    let statements = match doc.get("Statement") {
                        Some(Value::Array(a)) => a.clone(),
                        Some(one) => vec![one.clone()],
                        None => Vec::new(),
                    };
                    for st in statements {
                        match public_statement(&st) {
                            Fact::Known(true) => v.fails.push(format!(
                                "{}: bucket policy statement {} allows Principal \"*\" without a condition",
                                b.address,
                                st.get("Sid").and_then(Value::as_str).unwrap_or("(no Sid)")
                            )),
                            Fact::Known(false) => {}
                            Fact::Unknown(u) => v.unknowns.push(u),
                        }
                    }
                }
                Fact::Unknown(u) => v.unknowns.push(u.clone()),
            }
        }
        (
            v.status(),
            v.reason(&format!(
                "{}: no public ACL and no bucket policy statement open to everyone",
                b.address
            )),
        )
    })
}

fn bucket_access_logging(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| {
        let b = match trail_bucket(m, t) {
            Ok(b) => b,
            Err(e) => return e,
        };
        match &b.logging_target {
            Some(Fact::Known(target)) if !target.is_empty() => {
                // Name the target by its address when it is in the input, so that HCL (where
                // names are often known) and plans (where ids are computed) read the same.
                let shown = m
                    .buckets
                    .iter()
                    .find(|x| x.name.known() == Some(target))
                    .map_or(target.as_str(), |x| x.address.as_str());
                (
                    Status::Pass,
                    format!("{}: server access logs go to {shown}", b.address),
                )
            }
            Some(Fact::Unknown(u)) => {
                (Status::NeedsRuntime, format!("not known before apply: {u}"))
            }
            _ => (
                Status::Fail,
                format!("{}: server access logging is not configured", b.address),
            ),
        }
    })
}

fn delivering(m: &Model) -> Vec<Finding> {
    per_trail(m, |t| match &t.runtime {
        None => (
            Status::NeedsRuntime,
            "whether the trail is logging and delivering is a runtime fact: check with --live"
                .to_string(),
        ),
        Some(rt) if !rt.is_logging => (Status::Fail, "IsLogging is false".to_string()),
        Some(rt) => match (&rt.latest_delivery_error, rt.latest_delivery_time) {
            (Some(e), _) => (Status::Fail, format!("LatestDeliveryError: {e}")),
            (None, Some(_)) => (
                Status::Pass,
                "logging; the last delivery succeeded".to_string(),
            ),
            (None, None) => (
                Status::NeedsRuntime,
                "logging, but nothing has been delivered yet".to_string(),
            ),
        },
    })
}
