//! What EventBridge does for one target of a matching rule, and the record of it.
//!
//! An SNS topic target is published to for real (`sns::publish_internal`, as the
//! `events.amazonaws.com` service principal), provided the topic's access policy lets
//! EventBridge publish on behalf of the rule and, for an encrypted topic, the key policy
//! lets it use the key: otherwise the invocation fails silently, as in AWS, and only the
//! record shows it. Other targets (Lambda, SQS, CloudWatch Logs, ...) are not simulated
//! beyond the record: what they would have received, and when.
//!
//! Every invocation is one document (kind `invocation`, in the rule's account and region),
//! read back with [`invocations`]. None is a CloudTrail event: EventBridge's deliveries are
//! not API calls of the account.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::SERVICE;
use super::input::{RuleFacts, target_input};
use super::rules::{RuleDoc, SERVICE_PRINCIPAL};
use super::targets::arn_service;
use crate::clock;
use crate::error::AwsError;
use crate::policy::{Policy, Request, RequestPrincipal, evaluate_resource_policy};
use crate::services::{Env, kms, sns};
use crate::store::DocKey;

pub const INVOCATION_KIND: &str = "invocation";

pub const DELIVERED: &str = "Delivered";
pub const FAILED: &str = "Failed";

/// One target invocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Invocation {
    pub rule_arn: String,
    pub rule_name: String,
    pub target_id: String,
    pub target_arn: String,
    /// The EventBridge event's `id`.
    pub event_id: String,
    /// The `eventID` of the CloudTrail record the event carries, if it is one.
    pub cloud_trail_event_id: Option<String>,
    /// What the target received (the event, or its `Input` / `InputPath` /
    /// `InputTransformer` result).
    pub input: String,
    /// [`DELIVERED`] or [`FAILED`].
    pub status: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The SNS message id, for topic targets.
    pub message_id: Option<String>,
    /// When EventBridge invoked the target (ISO 8601).
    pub time: String,
}

/// Why a delivery failed: (error code, message).
type Refusal = (String, String);

fn refusal(code: &str, message: String) -> Refusal {
    (code.to_string(), message)
}

fn service_request(action: &str, resource: &str, rule: &RuleDoc) -> Request {
    Request::new(
        RequestPrincipal::service(SERVICE_PRINCIPAL),
        action,
        resource,
    )
    .with("aws:SourceArn", &rule.arn)
    .with("aws:SourceAccount", &rule.account)
    .with("aws:PrincipalIsAWSService", "true")
}

fn policy_allows(policy_text: &str, request: &Request) -> bool {
    Policy::parse_str(policy_text).is_ok_and(|p| evaluate_resource_policy(&p, request).is_allowed())
}

/// Publishes to a topic target; the SNS message id, or why EventBridge could not.
fn publish_to_topic(
    env: &Env<'_>,
    rule: &RuleDoc,
    topic_arn: &str,
    message: &str,
) -> Result<Result<String, Refusal>, AwsError> {
    let Some(topic) = sns::topic(env, topic_arn)? else {
        return Ok(Err(refusal(
            "NotFound",
            format!("Topic {topic_arn} does not exist"),
        )));
    };
    if !policy_allows(
        &topic.policy,
        &service_request("sns:Publish", &topic.arn, rule),
    ) {
        return Ok(Err(refusal(
            "AuthorizationError",
            format!(
                "The topic policy of {} does not allow {SERVICE_PRINCIPAL} to perform SNS:Publish for {}",
                topic.arn, rule.arn
            ),
        )));
    }
    if let Some(key_ref) = topic.kms_master_key_id.as_deref().filter(|k| !k.is_empty()) {
        let key = kms::resolve_key(env, &topic.owner, &topic.region, key_ref).unwrap_or(None);
        let usable = key.is_some_and(|k| {
            k.state == "Enabled"
                && ["kms:GenerateDataKey", "kms:Decrypt"]
                    .iter()
                    .all(|a| policy_allows(&k.policy, &service_request(a, &k.arn, rule)))
        });
        if !usable {
            return Ok(Err(refusal(
                "KMS.AccessDeniedException",
                format!(
                    "The key policy of {key_ref} does not let {SERVICE_PRINCIPAL} use it to publish to {}",
                    topic.arn
                ),
            )));
        }
    }
    Ok(
        match sns::publish_internal(env, &topic.arn, SERVICE_PRINCIPAL, None, message) {
            Ok(m) => Ok(m.message_id),
            Err(e) => Err((e.code, e.message)),
        },
    )
}

/// Invokes one target of a rule with an event and records the invocation.
pub fn invoke_target(
    env: &Env<'_>,
    rule: &RuleDoc,
    target: &Value,
    event: &Value,
) -> Result<Invocation, AwsError> {
    let time = clock::iso_seconds(env.now);
    let facts = RuleFacts {
        rule_arn: &rule.arn,
        rule_name: &rule.name,
        ingestion_time: &time,
    };
    let target_arn = target
        .get("Arn")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let input = target_input(target, event, &facts);
    let mut inv = Invocation {
        rule_arn: rule.arn.clone(),
        rule_name: rule.name.clone(),
        target_id: target
            .get("Id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        target_arn: target_arn.clone(),
        event_id: event
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        cloud_trail_event_id: event
            .pointer("/detail/eventID")
            .and_then(Value::as_str)
            .map(String::from),
        input,
        status: DELIVERED.to_string(),
        time,
        ..Default::default()
    };
    if arn_service(&target_arn) == Some("sns") {
        match publish_to_topic(env, rule, &target_arn, &inv.input)? {
            Ok(id) => inv.message_id = Some(id),
            Err((code, message)) => {
                inv.status = FAILED.to_string();
                inv.error_code = Some(code);
                inv.error_message = Some(message);
            }
        }
    }
    record(env, rule, &inv)?;
    Ok(inv)
}

fn record(env: &Env<'_>, rule: &RuleDoc, inv: &Invocation) -> Result<(), AwsError> {
    let n = env.db.next_counter("events-invocation")?;
    let id = format!("{n:016}");
    let body = serde_json::to_value(inv)
        .map_err(|e| AwsError::internal(format!("cannot serialise invocation: {e}")))?;
    env.db.put_document(
        &DocKey {
            service: SERVICE,
            kind: INVOCATION_KIND,
            account_id: &rule.account,
            region: &rule.region,
            id: &id,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// Every recorded invocation of an account and region (all of them with `None`), oldest
/// first.
pub fn invocations(
    env: &Env<'_>,
    account: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<Invocation>, AwsError> {
    let mut docs = env
        .db
        .documents(SERVICE, INVOCATION_KIND, account, region)?;
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    docs.into_iter()
        .map(|d| {
            serde_json::from_value::<Invocation>(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt invocation document: {e}")))
        })
        .collect()
}
