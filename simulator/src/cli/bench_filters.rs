//! `ctsim bench filters`: the 15 CIS AWS Foundations section 4 metric filters over delivered
//! CloudTrail events (each record's JSON text, as CloudWatch Logs receives it), against a
//! floor measured in the same run: parsing each record's JSON once with serde_json.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use chrono::{TimeZone, Utc};

use super::bench_support::{aws, median, time_ratio};
use crate::generate::{Generator, Profile};
use crate::services::logs::filter_pattern::{CompiledMetricFilter, MetricFilterSet};

pub struct Args {
    pub events: u64,
    pub seed: u64,
    pub runs: usize,
}

/// The metric filter patterns CIS AWS Foundations v1.4.0 section 4 publishes (4.1-4.15).
pub const CIS_PATTERNS: &[(&str, &str)] = &[
    (
        "4.1",
        r#"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#,
    ),
    (
        "4.2",
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#,
    ),
    (
        "4.3",
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
    ),
    (
        "4.4",
        "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    ),
    (
        "4.5",
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    ),
    (
        "4.6",
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
    ),
    (
        "4.7",
        "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    ),
    (
        "4.8",
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    ),
    (
        "4.9",
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    ),
    (
        "4.10",
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
    ),
    (
        "4.11",
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    ),
    (
        "4.12",
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    ),
    (
        "4.13",
        "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }",
    ),
    (
        "4.14",
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
    ),
    (
        "4.15",
        r#"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#,
    ),
];

pub fn run(args: &Args) -> Result<ExitCode> {
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or_else(|| anyhow!("bad start"))?;
    let profile = Profile::new(args.seed, start, args.events, vec!["123456789012".into()]);
    let messages: Vec<String> = Generator::new(profile)
        .map_err(aws)?
        .map(|r| r.to_string())
        .collect();
    let bytes: usize = messages.iter().map(String::len).sum();
    let filters: Vec<CompiledMetricFilter> = CIS_PATTERNS
        .iter()
        .map(|(_, p)| CompiledMetricFilter::compile(p, "1", std::iter::empty::<(&str, &str)>()))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("{}", e.message()))?;
    let count = filters.len();
    let mut set = MetricFilterSet::new(filters);
    println!(
        "ctsim bench filters: {} CIS metric filters over {} delivered events ({:.0} MiB of JSON), {} runs",
        count,
        messages.len(),
        bytes as f64 / (1024.0 * 1024.0),
        args.runs
    );
    let mut floor = Vec::new();
    let mut ours = Vec::new();
    let mut matches = 0u64;
    for _ in 0..args.runs.max(1) {
        let began = Instant::now();
        let mut parsed = 0usize;
        for m in &messages {
            let v: serde_json::Value = serde_json::from_str(m)?;
            parsed += usize::from(v.is_object());
        }
        floor.push(began.elapsed());
        std::hint::black_box(parsed);

        let began = Instant::now();
        let mut hits = 0u64;
        for m in &messages {
            set.evaluate(m, |_, matched| {
                std::hint::black_box(matched);
                hits += 1;
            });
        }
        ours.push(began.elapsed());
        matches = hits;
        if let (Some(f), Some(o)) = (floor.last(), ours.last()) {
            println!(
                "  run {}: floor {:.3} s, ours {:.3} s, ratio {:.2}",
                ours.len(),
                f.as_secs_f64(),
                o.as_secs_f64(),
                time_ratio(*o, *f)
            );
        }
    }
    let (floor, ours) = (median(floor), median(ours));
    let rate = |d: Duration| messages.len() as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "  floor (serde_json parse once per record): {:>8.3} s  {:>12.0} events/s",
        floor.as_secs_f64(),
        rate(floor)
    );
    println!(
        "  ours  (the 15 filters as one set):         {:>8.3} s  {:>12.0} events/s  ({matches} matches)",
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "  ratio ours/floor: {:.2} (target <= 1.5)",
        time_ratio(ours, floor)
    );
    Ok(ExitCode::SUCCESS)
}
