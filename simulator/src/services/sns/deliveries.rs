//! What SNS hands to each subscription: the message in the format of the subscription's
//! protocol (the JSON notification, the raw message, the Lambda event, the e-mail text),
//! filtered by the subscription's filter policy, kept as a `delivery` document so it can be
//! inspected (`ctsim sns deliveries`).
//!
//! Only `http` endpoints on loopback are really called: the POST is made after the call's
//! transaction commits (see [`super::http_push`]); until then the delivery is `pending`.
//! Every other destination (an e-mail address, a Lambda function, an SQS queue) is `recorded`:
//! ctsim runs none of them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};

use super::model::{Delivery, PublishedMessage};
use super::subscriptions::{self, SubscriptionDoc};
use super::topics::{self, TopicDoc};
use crate::clock;
use crate::error::AwsError;
use crate::services::Env;
use crate::services::cloudtrail::public_keys::digest_key;
use crate::services::eventbridge::pattern::EventPattern;
use crate::store::DocKey;

pub const DELIVERY_KIND: &str = "delivery";
/// Deliveries whose HTTP POST is still to be made (same id as the delivery).
pub const PENDING_HTTP_KIND: &str = "delivery-pending-http";

/// A compiled filter policy. SNS filter policies use the EventBridge pattern language (exact
/// values, prefix, suffix, anything-but, numeric, exists, cidr, `$or`), applied either to the
/// message attributes or to the JSON message body.
pub fn compile_filter_policy(text: &str) -> Result<EventPattern, String> {
    EventPattern::compile(text).map_err(|e| e.reason().to_string())
}

/// The message attributes as a filter policy sees them: `{name: value}`, numbers as
/// numbers and `String.Array` values as arrays.
fn attributes_view(msg: &PublishedMessage) -> Value {
    let mut out = Map::new();
    for (name, attr) in msg.message_attributes.iter().flatten() {
        let data_type = attr.get("DataType").and_then(Value::as_str).unwrap_or("");
        let Some(text) = attr.get("StringValue").and_then(Value::as_str) else {
            continue;
        };
        let value = if data_type.starts_with("Number") {
            serde_json::from_str::<Value>(text).unwrap_or_else(|_| json!(text))
        } else if data_type == "String.Array" {
            serde_json::from_str::<Value>(text).unwrap_or_else(|_| json!(text))
        } else {
            json!(text)
        };
        out.insert(name.clone(), value);
    }
    Value::Object(out)
}

/// Whether the subscription's filter policy (if any) lets the message through.
fn passes_filter(sub: &SubscriptionDoc, msg: &PublishedMessage) -> bool {
    let Some(policy) = sub.attributes.get("FilterPolicy").filter(|p| !p.is_empty()) else {
        return true;
    };
    let Ok(pattern) = compile_filter_policy(policy) else {
        // Policies are checked when set; one that no longer compiles filters everything.
        return false;
    };
    match sub.attributes.get("FilterPolicyScope").map(String::as_str) {
        Some("MessageBody") => serde_json::from_str::<Value>(&msg.message)
            .map(|body| pattern.matches(&body))
            .unwrap_or(false),
        _ => pattern.matches(&attributes_view(msg)),
    }
}

/// The message text for a protocol: with `MessageStructure=json`, the protocol's entry or
/// `default`.
fn message_for(protocol: &str, msg: &PublishedMessage) -> String {
    if msg.message_structure.as_deref() != Some("json") {
        return msg.message.clone();
    }
    let parsed: Map<String, Value> = serde_json::from_str(&msg.message).unwrap_or_default();
    parsed
        .get(protocol)
        .or_else(|| parsed.get("default"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn timestamp(epoch_seconds: f64) -> String {
    clock::from_millis((epoch_seconds * 1000.0).round() as i64)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn endpoint_host(region: &str) -> String {
    format!("https://sns.{region}.amazonaws.com")
}

fn signing_cert_url(region: &str, fingerprint: &str) -> String {
    format!(
        "{}/SimpleNotificationService-{fingerprint}.pem",
        endpoint_host(region)
    )
}

/// `Signature` over SNS's canonical string (each present field name and value, one per
/// line, in AWS's order).
fn signature(
    env: &Env<'_>,
    region: &str,
    fields: &[(&str, &str)],
) -> Result<(String, String), AwsError> {
    let mut canonical = String::new();
    for (k, v) in fields {
        canonical.push_str(k);
        canonical.push('\n');
        canonical.push_str(v);
        canonical.push('\n');
    }
    let key = digest_key(env, region)?;
    let sig = key.sign_sha256(canonical.as_bytes())?;
    Ok((B64.encode(sig), signing_cert_url(region, &key.fingerprint)))
}

fn message_attributes_json(msg: &PublishedMessage) -> Option<Value> {
    let attrs = msg.message_attributes.as_ref()?;
    let mut out = Map::new();
    for (name, attr) in attrs {
        let data_type = attr
            .get("DataType")
            .and_then(Value::as_str)
            .unwrap_or("String");
        let value = attr
            .get("StringValue")
            .or_else(|| attr.get("BinaryValue"))
            .cloned()
            .unwrap_or(Value::Null);
        let kind = if data_type.starts_with("Binary") {
            "Binary"
        } else if data_type.starts_with("Number") {
            "Number"
        } else {
            data_type
        };
        out.insert(name.clone(), json!({"Type": kind, "Value": value}));
    }
    Some(Value::Object(out))
}

/// The JSON document SNS sends to http/https/email-json/sqs/firehose endpoints.
fn notification(
    env: &Env<'_>,
    topic: &TopicDoc,
    sub: &SubscriptionDoc,
    msg: &PublishedMessage,
    text: &str,
) -> Result<Map<String, Value>, AwsError> {
    let ts = timestamp(msg.timestamp);
    let mut fields: Vec<(&str, &str)> = vec![("Message", text), ("MessageId", &msg.message_id)];
    if let Some(s) = &msg.subject {
        fields.push(("Subject", s));
    }
    fields.extend([
        ("Timestamp", ts.as_str()),
        ("TopicArn", topic.arn.as_str()),
        ("Type", "Notification"),
    ]);
    let (sig, cert) = signature(env, &topic.region, &fields)?;
    let mut m = Map::new();
    m.insert("Type".into(), json!("Notification"));
    m.insert("MessageId".into(), json!(msg.message_id));
    if let Some(seq) = &msg.sequence_number {
        m.insert("SequenceNumber".into(), json!(seq));
    }
    m.insert("TopicArn".into(), json!(topic.arn));
    if let Some(s) = &msg.subject {
        m.insert("Subject".into(), json!(s));
    }
    m.insert("Message".into(), json!(text));
    m.insert("Timestamp".into(), json!(ts));
    m.insert(
        "SignatureVersion".into(),
        json!(
            topic
                .attributes
                .get("SignatureVersion")
                .map_or("1", String::as_str)
        ),
    );
    m.insert("Signature".into(), json!(sig));
    m.insert("SigningCertURL".into(), json!(cert));
    m.insert(
        "UnsubscribeURL".into(),
        json!(format!(
            "{}/?Action=Unsubscribe&SubscriptionArn={}",
            endpoint_host(&topic.region),
            sub.arn
        )),
    );
    if let Some(a) = message_attributes_json(msg) {
        m.insert("MessageAttributes".into(), a);
    }
    Ok(m)
}

/// The event a Lambda function subscribed to the topic receives.
fn lambda_event(sub: &SubscriptionDoc, note: Map<String, Value>) -> Value {
    let mut sns = Map::new();
    for (k, v) in note {
        let k = match k.as_str() {
            "SigningCertURL" => "SigningCertUrl".to_string(),
            "UnsubscribeURL" => "UnsubscribeUrl".to_string(),
            _ => k,
        };
        sns.insert(k, v);
    }
    sns.entry("Subject").or_insert(Value::Null);
    sns.entry("MessageAttributes").or_insert(json!({}));
    json!({"Records": [{
        "EventSource": "aws:sns",
        "EventVersion": "1.0",
        "EventSubscriptionArn": sub.arn,
        "Sns": sns,
    }]})
}

fn email_text(topic: &TopicDoc, sub: &SubscriptionDoc, text: &str) -> String {
    format!(
        "{text}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n{}/unsubscribe.html?SubscriptionArn={}&Endpoint={}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support\n",
        endpoint_host(&topic.region),
        sub.arn,
        sub.endpoint
    )
}

/// Whether an endpoint is an `http://` URL on this machine (the only ones ctsim calls).
pub fn is_loopback_http(endpoint: &str) -> bool {
    let Some(rest) = endpoint.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

fn store(env: &Env<'_>, topic: &TopicDoc, mut d: Delivery) -> Result<Delivery, AwsError> {
    let n = env.db.next_counter("sns-delivery")?;
    d.delivery_id = format!("{n:016}");
    let now_ms = clock::to_millis(env.now);
    if matches!(d.protocol.as_str(), "http" | "https") {
        if is_loopback_http(&d.endpoint) {
            d.status = "pending".into();
            env.db.put_document(
                &key(PENDING_HTTP_KIND, topic, &d.delivery_id),
                &json!({}),
                now_ms,
            )?;
            super::http_push::note_pending();
        } else {
            d.status = "failed: ctsim only calls http:// endpoints on loopback".into();
        }
    } else {
        d.status = "recorded".into();
    }
    let body = serde_json::to_value(&d)
        .map_err(|e| AwsError::internal(format!("cannot serialise delivery: {e}")))?;
    env.db
        .put_document(&key(DELIVERY_KIND, topic, &d.delivery_id), &body, now_ms)?;
    Ok(d)
}

fn key<'k>(kind: &'static str, topic: &'k TopicDoc, id: &'k str) -> DocKey<'k> {
    DocKey {
        service: topics::SERVICE,
        kind,
        account_id: &topic.owner,
        region: &topic.region,
        id,
    }
}

/// Hands a published message to every confirmed subscription of its topic whose filter
/// policy lets it through; returns how many deliveries were made.
pub fn fan_out(env: &Env<'_>, topic: &TopicDoc, msg: &PublishedMessage) -> Result<usize, AwsError> {
    let mut made = 0;
    for sub in subscriptions::of_topic(env, &topic.arn)? {
        if sub.pending || !passes_filter(&sub, msg) {
            continue;
        }
        let text = message_for(&sub.protocol, msg);
        let body = match sub.protocol.as_str() {
            "email" | "sms" | "application" => {
                if sub.protocol == "email" {
                    email_text(topic, &sub, &text)
                } else {
                    text
                }
            }
            "lambda" => lambda_event(&sub, notification(env, topic, &sub, msg, &text)?).to_string(),
            _ if sub.raw_message_delivery() => text,
            _ => Value::Object(notification(env, topic, &sub, msg, &text)?).to_string(),
        };
        store(
            env,
            topic,
            Delivery {
                subscription_arn: sub.arn.clone(),
                topic_arn: topic.arn.clone(),
                message_id: msg.message_id.clone(),
                protocol: sub.protocol.clone(),
                endpoint: sub.endpoint.clone(),
                message_type: "Notification".into(),
                body,
                timestamp: msg.timestamp,
                ..Default::default()
            },
        )?;
        made += 1;
    }
    Ok(made)
}

/// The `SubscriptionConfirmation` SNS sends to an endpoint that must confirm.
pub fn send_confirmation(
    env: &Env<'_>,
    topic: &TopicDoc,
    sub: &SubscriptionDoc,
) -> Result<(), AwsError> {
    let n = env.db.next_counter("sns-message")?;
    let seed = crate::settings::get(env.db, crate::settings::ID_SEED)?;
    let message_id = crate::ids::uuid_from(&seed, "sns-message", n);
    let ts = timestamp(clock::to_epoch_seconds(env.now));
    let subscribe_url = format!(
        "{}/?Action=ConfirmSubscription&TopicArn={}&Token={}",
        endpoint_host(&topic.region),
        topic.arn,
        sub.token
    );
    let text = format!(
        "You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        topic.arn
    );
    let body = if sub.protocol == "email" {
        format!(
            "You have chosen to subscribe to the topic:\n{}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n{subscribe_url}\n",
            topic.arn
        )
    } else {
        let (sig, cert) = signature(
            env,
            &topic.region,
            &[
                ("Message", &text),
                ("MessageId", &message_id),
                ("SubscribeURL", &subscribe_url),
                ("Timestamp", &ts),
                ("Token", &sub.token),
                ("TopicArn", &topic.arn),
                ("Type", "SubscriptionConfirmation"),
            ],
        )?;
        json!({
            "Type": "SubscriptionConfirmation",
            "MessageId": message_id,
            "Token": sub.token,
            "TopicArn": topic.arn,
            "Message": text,
            "SubscribeURL": subscribe_url,
            "Timestamp": ts,
            "SignatureVersion": topic.attributes.get("SignatureVersion").map_or("1", String::as_str),
            "Signature": sig,
            "SigningCertURL": cert,
        })
        .to_string()
    };
    store(
        env,
        topic,
        Delivery {
            subscription_arn: sub.arn.clone(),
            topic_arn: topic.arn.clone(),
            message_id,
            protocol: sub.protocol.clone(),
            endpoint: sub.endpoint.clone(),
            message_type: "SubscriptionConfirmation".into(),
            body,
            timestamp: clock::to_epoch_seconds(env.now),
            ..Default::default()
        },
    )?;
    Ok(())
}

fn parse(body: Value) -> Result<Delivery, AwsError> {
    serde_json::from_value(body)
        .map_err(|e| AwsError::internal(format!("corrupt delivery document: {e}")))
}

/// Every delivery (optionally of one topic), oldest first.
pub fn deliveries(env: &Env<'_>, topic_arn: Option<&str>) -> Result<Vec<Delivery>, AwsError> {
    let scope = topic_arn.and_then(topics::parse_topic_arn);
    let docs = env.db.documents(
        topics::SERVICE,
        DELIVERY_KIND,
        scope.as_ref().map(|t| t.account_id.as_str()),
        scope.as_ref().map(|t| t.region.as_str()),
    )?;
    let mut out = Vec::with_capacity(docs.len());
    for d in docs {
        let d = parse(d.body)?;
        if topic_arn.is_none_or(|t| d.topic_arn == t) {
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.delivery_id.cmp(&b.delivery_id));
    Ok(out)
}

/// Takes the deliveries waiting for their HTTP POST off the pending list (marking them
/// `sending`), so that of several processes on one state folder exactly one makes each POST.
pub fn claim_pending_http(env: &Env<'_>) -> Result<Vec<Delivery>, AwsError> {
    let mut out = Vec::new();
    for p in env
        .db
        .documents(topics::SERVICE, PENDING_HTTP_KIND, None, None)?
    {
        let pending = DocKey {
            service: topics::SERVICE,
            kind: PENDING_HTTP_KIND,
            account_id: &p.account_id,
            region: &p.region,
            id: &p.id,
        };
        env.db.delete_document(&pending)?;
        let key = DocKey {
            kind: DELIVERY_KIND,
            ..pending
        };
        if let Some(body) = env.db.document(&key)? {
            let mut d = parse(body)?;
            d.status = "sending".into();
            write(env, &d)?;
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.delivery_id.cmp(&b.delivery_id));
    Ok(out)
}

fn write(env: &Env<'_>, d: &Delivery) -> Result<(), AwsError> {
    let Some(t) = topics::parse_topic_arn(&d.topic_arn) else {
        return Ok(());
    };
    let body = serde_json::to_value(d)
        .map_err(|e| AwsError::internal(format!("cannot serialise delivery: {e}")))?;
    env.db.put_document(
        &DocKey {
            service: topics::SERVICE,
            kind: DELIVERY_KIND,
            account_id: &t.account_id,
            region: &t.region,
            id: &d.delivery_id,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// Records the outcome of a claimed delivery's POST.
pub fn settle(env: &Env<'_>, delivery: &Delivery, status: &str) -> Result<(), AwsError> {
    let mut d = delivery.clone();
    d.status = status.to_string();
    write(env, &d)
}
