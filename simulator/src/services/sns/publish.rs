//! Publish, and the published-message log: every accepted message is kept as a document
//! (kind `message`, in the topic's account and region) so deliveries can be inspected.

use serde_json::Value;

use super::model::*;
use super::topics::{TopicDoc, invalid_parameter, parse_topic_arn, resolve};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::ids;
use crate::services::Env;
use crate::settings;
use crate::store::DocKey;

pub const MESSAGE_KIND: &str = "message";
/// 256 KiB, SNS's message size limit.
pub const MAX_MESSAGE_BYTES: usize = 262_144;

fn check_subject(subject: &str) -> Result<(), AwsError> {
    let ok = !subject.is_empty()
        && subject.chars().count() <= 100
        && subject
            .chars()
            .all(|c| c.is_ascii() && !c.is_ascii_control());
    if ok {
        Ok(())
    } else {
        Err(invalid_parameter("Subject"))
    }
}

fn check_message(message: &str, structure: Option<&str>) -> Result<(), AwsError> {
    if message.is_empty() {
        return Err(invalid_parameter("Empty message"));
    }
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(invalid_parameter("Message too long"));
    }
    match structure {
        None => Ok(()),
        Some("json") => match serde_json::from_str::<Value>(message) {
            Ok(Value::Object(m)) if m.get("default").is_some_and(Value::is_string) => Ok(()),
            Ok(Value::Object(_)) => Err(invalid_parameter(
                "Message Structure - No default entry in JSON message body",
            )),
            _ => Err(invalid_parameter(
                "Message Structure - JSON message body failed to parse",
            )),
        },
        Some(_) => Err(invalid_parameter("MessageStructure")),
    }
}

/// FIFO topics need a group id and a deduplication id (or content-based deduplication);
/// standard topics take neither.
fn check_fifo(topic: &TopicDoc, req: &PublishRequest) -> Result<(), AwsError> {
    if topic.is_fifo() {
        if req.message_group_id.as_deref().is_none_or(str::is_empty) {
            return Err(invalid_parameter(
                "The MessageGroupId parameter is required for FIFO topics",
            ));
        }
        let content_dedup = topic
            .attributes
            .get("ContentBasedDeduplication")
            .map(String::as_str)
            == Some("true");
        if req.message_deduplication_id.is_none() && !content_dedup {
            return Err(invalid_parameter(
                "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
            ));
        }
    } else if req.message_deduplication_id.is_some() {
        return Err(invalid_parameter(
            "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
        ));
    }
    Ok(())
}

/// Stores one message and returns it.
fn record(
    env: &Env<'_>,
    topic: &TopicDoc,
    mut msg: PublishedMessage,
) -> Result<PublishedMessage, AwsError> {
    let seed = settings::get(env.db, settings::ID_SEED)?;
    let n = env.db.next_counter("sns-message")?;
    msg.message_id = ids::uuid_from(&seed, "sns-message", n);
    if topic.is_fifo() {
        msg.sequence_number = Some(format!(
            "{:020}",
            10_000_000_000_000_000_000u128 + u128::from(n)
        ));
    }
    let id = format!("{n:016}");
    let body = serde_json::to_value(&msg)
        .map_err(|e| AwsError::internal(format!("cannot serialise message: {e}")))?;
    env.db.put_document(
        &DocKey {
            service: super::topics::SERVICE,
            kind: MESSAGE_KIND,
            account_id: &topic.owner,
            region: &topic.region,
            id: &id,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    super::deliveries::fan_out(env, topic, &msg)?;
    Ok(msg)
}

pub fn publish(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PublishRequest,
) -> Result<PublishResponse, AwsError> {
    let (arn, member) = match (&req.topic_arn, &req.target_arn, &req.phone_number) {
        (Some(t), None, None) => (t, "TopicArn"),
        (None, Some(t), None) => (t, "TargetArn"),
        (None, None, Some(_)) => {
            return Err(invalid_parameter(
                "PhoneNumber Reason: SMS delivery is not simulated",
            ));
        }
        (None, None, None) => {
            return Err(invalid_parameter(
                "TopicArn or TargetArn Reason: no value for required parameter",
            ));
        }
        _ => {
            return Err(invalid_parameter(
                "TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified",
            ));
        }
    };
    let topic = resolve(env, ctx, arn, member, "Publish")?;
    let message = req.message.clone().unwrap_or_default();
    check_message(&message, req.message_structure.as_deref())?;
    if let Some(s) = &req.subject {
        check_subject(s)?;
    }
    check_fifo(&topic, &req)?;
    let stored = record(
        env,
        &topic,
        PublishedMessage {
            message_id: String::new(),
            topic_arn: topic.arn.clone(),
            subject: req.subject,
            message,
            message_structure: req.message_structure,
            message_attributes: req.message_attributes,
            message_group_id: req.message_group_id,
            message_deduplication_id: req.message_deduplication_id,
            sequence_number: None,
            timestamp: clock::to_epoch_seconds(env.now),
            publisher: ctx.principal.arn.clone(),
        },
    )?;
    Ok(PublishResponse {
        message_id: Some(stored.message_id),
        sequence_number: stored.sequence_number,
    })
}

// ---- helpers for other parts of the simulator (no recording, no caller checks) ----

/// Publishes as an AWS service would (e.g. `cloudtrail.amazonaws.com` announcing a log
/// file): no access check; the caller decides whether the topic policy allows it.
pub fn publish_internal(
    env: &Env<'_>,
    topic_arn: &str,
    publisher: &str,
    subject: Option<&str>,
    message: &str,
) -> Result<PublishedMessage, AwsError> {
    let p = parse_topic_arn(topic_arn).ok_or_else(|| invalid_parameter("TopicArn"))?;
    let topic = super::topics::load(env, &p.account_id, &p.region, &p.name)?
        .ok_or_else(super::topics::not_found)?;
    check_message(message, None)?;
    record(
        env,
        &topic,
        PublishedMessage {
            topic_arn: topic.arn.clone(),
            subject: subject.map(String::from),
            message: message.to_string(),
            timestamp: clock::to_epoch_seconds(env.now),
            publisher: publisher.to_string(),
            message_group_id: topic.is_fifo().then(|| "ctsim".to_string()),
            ..Default::default()
        },
    )
}

/// Every message published to a topic, oldest first.
pub fn messages(env: &Env<'_>, topic_arn: &str) -> Result<Vec<PublishedMessage>, AwsError> {
    let Some(p) = parse_topic_arn(topic_arn) else {
        return Ok(Vec::new());
    };
    env.db
        .documents(
            super::topics::SERVICE,
            MESSAGE_KIND,
            Some(&p.account_id),
            Some(&p.region),
        )?
        .into_iter()
        .map(|d| {
            serde_json::from_value::<PublishedMessage>(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt message document: {e}")))
        })
        .filter(|m| m.as_ref().map_or(true, |m| m.topic_arn == topic_arn))
        .collect()
}
