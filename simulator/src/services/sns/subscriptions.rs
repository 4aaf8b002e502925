//! Subscriptions: Subscribe, ConfirmSubscription, Unsubscribe, their attributes and lists.
//!
//! A subscription is stored in its topic's account and region (kind `subscription`). The
//! protocols that need the endpoint's consent (http, https, email, email-json) start
//! pending confirmation: SNS sends a `SubscriptionConfirmation` carrying a token, and
//! ConfirmSubscription with that token confirms. The others are confirmed at once, as AWS
//! confirms same-account queues, functions and streams.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::deliveries;
use super::model::*;
use super::topics::{self, TopicDoc, invalid_parameter, parse_topic_arn, resolve};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::ids;
use crate::services::Env;
use crate::settings;
use crate::store::DocKey;

pub const SUBSCRIPTION_KIND: &str = "subscription";
/// What ListSubscriptions shows (and Subscribe answers without `ReturnSubscriptionArn`) for a
/// subscription awaiting confirmation.
pub const PENDING_ARN: &str = "PendingConfirmation";

const PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
];

/// The attributes Subscribe and SetSubscriptionAttributes take.
const SETTABLE: &[&str] = &[
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
];

/// A subscription as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscriptionDoc {
    pub arn: String,
    pub topic_arn: String,
    /// The subscriber's account.
    pub owner: String,
    pub subscription_principal: String,
    pub protocol: String,
    pub endpoint: String,
    pub attributes: BTreeMap<String, String>,
    pub pending: bool,
    pub token: String,
    pub confirmation_was_authenticated: bool,
    pub created_ms: i64,
}

impl SubscriptionDoc {
    pub fn raw_message_delivery(&self) -> bool {
        self.attributes
            .get("RawMessageDelivery")
            .map(String::as_str)
            == Some("true")
    }

    /// The ARN as lists show it.
    fn listed_arn(&self) -> String {
        if self.pending {
            PENDING_ARN.to_string()
        } else {
            self.arn.clone()
        }
    }
}

fn doc_key<'k>(account: &'k str, region: &'k str, id: &'k str) -> DocKey<'k> {
    DocKey {
        service: topics::SERVICE,
        kind: SUBSCRIPTION_KIND,
        account_id: account,
        region,
        id,
    }
}

fn not_found() -> AwsError {
    AwsError::new("NotFound", "Subscription does not exist", 404)
}

/// `arn:aws:sns:R:A:topic:uuid` -> (topic ARN, uuid).
fn split_subscription_arn(arn: &str) -> Option<(&str, &str)> {
    let (topic, id) = arn.rsplit_once(':')?;
    (parse_topic_arn(topic).is_some() && id.len() == 36).then_some((topic, id))
}

fn save(env: &Env<'_>, s: &SubscriptionDoc) -> Result<(), AwsError> {
    let Some((topic, id)) = split_subscription_arn(&s.arn) else {
        return Err(AwsError::internal(format!(
            "malformed subscription ARN {}",
            s.arn
        )));
    };
    let t = parse_topic_arn(topic).ok_or_else(not_found)?;
    let body = serde_json::to_value(s)
        .map_err(|e| AwsError::internal(format!("cannot serialise subscription: {e}")))?;
    env.db.put_document(
        &doc_key(&t.account_id, &t.region, id),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// The subscription with this ARN, or `None`.
pub fn load(env: &Env<'_>, arn: &str) -> Result<Option<SubscriptionDoc>, AwsError> {
    let Some((topic, id)) = split_subscription_arn(arn) else {
        return Ok(None);
    };
    let Some(t) = parse_topic_arn(topic) else {
        return Ok(None);
    };
    env.db
        .document(&doc_key(&t.account_id, &t.region, id))?
        .map(|body| {
            serde_json::from_value(body)
                .map_err(|e| AwsError::internal(format!("corrupt subscription {arn}: {e}")))
        })
        .transpose()
}

/// Every subscription of a topic (pending ones included), by ARN.
pub fn of_topic(env: &Env<'_>, topic_arn: &str) -> Result<Vec<SubscriptionDoc>, AwsError> {
    let Some(t) = parse_topic_arn(topic_arn) else {
        return Ok(Vec::new());
    };
    let mut subs = all_in(env, &t.account_id, &t.region)?;
    subs.retain(|s| s.topic_arn == topic_arn);
    Ok(subs)
}

fn all_in(env: &Env<'_>, account: &str, region: &str) -> Result<Vec<SubscriptionDoc>, AwsError> {
    let mut subs = env
        .db
        .documents(
            topics::SERVICE,
            SUBSCRIPTION_KIND,
            Some(account),
            Some(region),
        )?
        .into_iter()
        .map(|d| {
            serde_json::from_value::<SubscriptionDoc>(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt subscription document: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    subs.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(subs)
}

/// (confirmed, pending) counts, for the topic's attributes.
pub fn counts(env: &Env<'_>, topic_arn: &str) -> Result<(usize, usize), AwsError> {
    let subs = of_topic(env, topic_arn)?;
    let pending = subs.iter().filter(|s| s.pending).count();
    Ok((subs.len() - pending, pending))
}

/// Removes a deleted topic's subscriptions.
pub fn delete_all_of_topic(env: &Env<'_>, topic_arn: &str) -> Result<(), AwsError> {
    for s in of_topic(env, topic_arn)? {
        if let (Some((_, id)), Some(t)) = (
            split_subscription_arn(&s.arn),
            parse_topic_arn(&s.topic_arn),
        ) {
            env.db
                .delete_document(&doc_key(&t.account_id, &t.region, id))?;
        }
    }
    Ok(())
}

fn is_arn_of(endpoint: &str, service: &str) -> bool {
    let parts: Vec<&str> = endpoint.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == service
        && !parts[5].is_empty()
}

/// AWS's checks of an endpoint for its protocol.
fn check_endpoint(protocol: &str, endpoint: &str) -> Result<(), AwsError> {
    let ok = match protocol {
        "http" => endpoint.starts_with("http://") && endpoint.len() > "http://".len(),
        "https" => endpoint.starts_with("https://") && endpoint.len() > "https://".len(),
        "email" | "email-json" => {
            let mut at = endpoint.split('@');
            matches!(
                (at.next(), at.next(), at.next()),
                (Some(local), Some(domain), None) if !local.is_empty() && domain.contains('.')
            )
        }
        "sms" => {
            let digits = endpoint.trim_start_matches('+');
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '-')
        }
        "sqs" => is_arn_of(endpoint, "sqs"),
        "lambda" => is_arn_of(endpoint, "lambda"),
        "firehose" => is_arn_of(endpoint, "firehose"),
        "application" => is_arn_of(endpoint, "sns"),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let what = match protocol {
        "sqs" => "SQS endpoint ARN",
        "lambda" => "Lambda endpoint ARN",
        "firehose" => "Firehose endpoint ARN",
        "email" | "email-json" => "Email address",
        "sms" => "SMS endpoint",
        "application" => "Application endpoint ARN",
        _ => "Endpoint",
    };
    Err(invalid_parameter(what))
}

fn needs_confirmation(protocol: &str) -> bool {
    matches!(protocol, "http" | "https" | "email" | "email-json")
}

fn valid_json_object(v: &str) -> bool {
    matches!(serde_json::from_str::<Value>(v), Ok(Value::Object(_)))
}

/// The checks of one subscription attribute (name and value).
fn check_attribute(protocol: &str, name: &str, value: &str) -> Result<(), AwsError> {
    if !SETTABLE.contains(&name) {
        return Err(invalid_parameter("AttributeName"));
    }
    let bad = |reason: &str| invalid_parameter(&format!("Attributes Reason: {reason}"));
    match name {
        "RawMessageDelivery" => {
            if !matches!(value, "true" | "false") {
                return Err(bad(&format!(
                    "RawMessageDelivery: Invalid value [{value}]. Must be true or false."
                )));
            }
            if !matches!(protocol, "http" | "https" | "sqs" | "firehose") {
                return Err(bad(&format!(
                    "Delivery protocol [{protocol}] does not support raw message delivery."
                )));
            }
        }
        "FilterPolicyScope" if !matches!(value, "MessageAttributes" | "MessageBody") => {
            return Err(bad(&format!(
                "FilterPolicyScope: Invalid value [{value}]. Please use either MessageBody or MessageAttributes"
            )));
        }
        "FilterPolicy" if !value.is_empty() => {
            deliveries::compile_filter_policy(value)
                .map_err(|reason| invalid_parameter(&format!("FilterPolicy: {reason}")))?;
        }
        "DeliveryPolicy" | "RedrivePolicy" | "ReplayPolicy" => {
            if !value.is_empty() && !valid_json_object(value) {
                return Err(bad(&format!("{name}: Invalid JSON")));
            }
            if name == "DeliveryPolicy" && !matches!(protocol, "http" | "https") {
                return Err(bad(&format!(
                    "Delivery protocol [{protocol}] does not support delivery policies."
                )));
            }
        }
        "SubscriptionRoleArn" if !value.is_empty() && !is_arn_of(value, "iam") => {
            return Err(invalid_parameter("SubscriptionRoleArn"));
        }
        _ => {}
    }
    Ok(())
}

/// FilterPolicyScope is reported as `MessageAttributes` once a filter policy is set.
fn effective_attributes(s: &SubscriptionDoc) -> BTreeMap<String, String> {
    let mut a = s.attributes.clone();
    a.retain(|_, v| !v.is_empty());
    if a.contains_key("FilterPolicy") && !a.contains_key("FilterPolicyScope") {
        a.insert("FilterPolicyScope".into(), "MessageAttributes".into());
    }
    a
}

fn subscription_token(seed: &str, n: u64) -> String {
    // AWS's tokens are long hex strings; ours are derived like every other id.
    let a = ids::uuid_from(seed, "sns-subscription-token", n).replace('-', "");
    let b = ids::uuid_from(seed, "sns-subscription-token-2", n).replace('-', "");
    format!("{a}{b}")
}

pub fn subscribe(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SubscribeRequest,
) -> Result<SubscribeResponse, AwsError> {
    let topic = resolve(env, ctx, &req.topic_arn, "TopicArn", "Subscribe")?;
    if !PROTOCOLS.contains(&req.protocol.as_str()) {
        return Err(invalid_parameter(&format!(
            "Amazon SNS does not support this protocol string: {}",
            req.protocol
        )));
    }
    let endpoint = req.endpoint.clone().unwrap_or_default();
    check_endpoint(&req.protocol, &endpoint)?;
    let attributes = req.attributes.clone().unwrap_or_default();
    for (k, v) in &attributes {
        check_attribute(&req.protocol, k, v)?;
    }
    if req.protocol == "firehose"
        && attributes
            .get("SubscriptionRoleArn")
            .is_none_or(String::is_empty)
    {
        return Err(invalid_parameter(
            "Attributes Reason: SubscriptionRoleArn is required for firehose subscriptions",
        ));
    }
    if topic.is_fifo() && !matches!(req.protocol.as_str(), "sqs" | "firehose") {
        return Err(invalid_parameter(&format!(
            "Invalid protocol type: {}",
            req.protocol
        )));
    }
    // Subscribing the same endpoint again answers the existing subscription.
    if let Some(existing) = of_topic(env, &topic.arn)?
        .into_iter()
        .find(|s| s.protocol == req.protocol && s.endpoint == endpoint)
    {
        if effective_attributes(&existing)
            != effective_attributes(&SubscriptionDoc {
                attributes: attributes.clone(),
                ..Default::default()
            })
            && !attributes.is_empty()
        {
            return Err(invalid_parameter(
                "Attributes Reason: Subscription already exists with different attributes",
            ));
        }
        return Ok(SubscribeResponse {
            subscription_arn: if existing.pending && !req.return_subscription_arn {
                "pending confirmation".into()
            } else {
                existing.arn
            },
        });
    }
    let seed = settings::get(env.db, settings::ID_SEED)?;
    let n = env.db.next_counter("sns-subscription")?;
    let sub = SubscriptionDoc {
        arn: format!(
            "{}:{}",
            topic.arn,
            ids::uuid_from(&seed, "sns-subscription", n)
        ),
        topic_arn: topic.arn.clone(),
        owner: ctx.account_id.clone(),
        subscription_principal: ctx.principal.arn.clone(),
        protocol: req.protocol.clone(),
        endpoint,
        attributes,
        pending: needs_confirmation(&req.protocol),
        token: subscription_token(&seed, n),
        confirmation_was_authenticated: !needs_confirmation(&req.protocol),
        created_ms: clock::to_millis(env.now),
    };
    save(env, &sub)?;
    if sub.pending {
        deliveries::send_confirmation(env, &topic, &sub)?;
    }
    Ok(SubscribeResponse {
        subscription_arn: if sub.pending && !req.return_subscription_arn {
            "pending confirmation".into()
        } else {
            sub.arn
        },
    })
}

pub fn confirm_subscription(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ConfirmSubscriptionRequest,
) -> Result<SubscribeResponse, AwsError> {
    let topic = resolve(env, ctx, &req.topic_arn, "TopicArn", "ConfirmSubscription")?;
    let Some(mut sub) = of_topic(env, &topic.arn)?
        .into_iter()
        .find(|s| s.token == req.token)
    else {
        return Err(invalid_parameter("Token"));
    };
    if sub.pending {
        sub.pending = false;
        sub.confirmation_was_authenticated =
            req.authenticate_on_unsubscribe.as_deref() == Some("true");
        save(env, &sub)?;
    }
    Ok(SubscribeResponse {
        subscription_arn: sub.arn,
    })
}

/// The subscription a request names, if the caller may see it (its owner or the topic's).
fn resolve_subscription(
    env: &Env<'_>,
    ctx: &CallerContext,
    arn: &str,
) -> Result<SubscriptionDoc, AwsError> {
    if split_subscription_arn(arn).is_none() {
        return Err(invalid_parameter("SubscriptionArn"));
    }
    let sub = load(env, arn)?.ok_or_else(not_found)?;
    let topic_owner = parse_topic_arn(&sub.topic_arn).map(|t| t.account_id);
    if sub.owner != ctx.account_id && topic_owner.as_deref() != Some(ctx.account_id.as_str()) {
        return Err(not_found());
    }
    Ok(sub)
}

pub fn unsubscribe(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SubscriptionArnRequest,
) -> Result<Empty, AwsError> {
    let sub = resolve_subscription(env, ctx, &req.subscription_arn)?;
    if sub.pending {
        return Err(invalid_parameter(
            "Cannot unsubscribe a subscription that is pending confirmation",
        ));
    }
    if let (Some((_, id)), Some(t)) = (
        split_subscription_arn(&sub.arn),
        parse_topic_arn(&sub.topic_arn),
    ) {
        env.db
            .delete_document(&doc_key(&t.account_id, &t.region, id))?;
    }
    Ok(Empty {})
}

/// GetSubscriptionAttributes: the stored attributes plus the ones AWS derives.
pub fn attribute_map(s: &SubscriptionDoc) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert(
        "ConfirmationWasAuthenticated".into(),
        json!(s.confirmation_was_authenticated.to_string()),
    );
    m.insert("PendingConfirmation".into(), json!(s.pending.to_string()));
    m.insert("Owner".into(), json!(s.owner));
    m.insert(
        "RawMessageDelivery".into(),
        json!(s.raw_message_delivery().to_string()),
    );
    m.insert("SubscriptionArn".into(), json!(s.arn));
    m.insert("TopicArn".into(), json!(s.topic_arn));
    m.insert("Endpoint".into(), json!(s.endpoint));
    m.insert("Protocol".into(), json!(s.protocol));
    m.insert(
        "SubscriptionPrincipal".into(),
        json!(s.subscription_principal),
    );
    if matches!(s.protocol.as_str(), "http" | "https") {
        m.insert(
            "EffectiveDeliveryPolicy".into(),
            json!(
                s.attributes
                    .get("DeliveryPolicy")
                    .filter(|p| !p.is_empty())
                    .cloned()
                    .unwrap_or_else(|| topics::DEFAULT_EFFECTIVE_DELIVERY_POLICY.to_string())
            ),
        );
    }
    for (k, v) in effective_attributes(s) {
        if k != "RawMessageDelivery" {
            m.insert(k, json!(v));
        }
    }
    m
}

pub fn get_subscription_attributes(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SubscriptionArnRequest,
) -> Result<GetSubscriptionAttributesResponse, AwsError> {
    let sub = resolve_subscription(env, ctx, &req.subscription_arn)?;
    Ok(GetSubscriptionAttributesResponse {
        attributes: attribute_map(&sub),
    })
}

pub fn set_subscription_attributes(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SetSubscriptionAttributesRequest,
) -> Result<Empty, AwsError> {
    let mut sub = resolve_subscription(env, ctx, &req.subscription_arn)?;
    let value = req.attribute_value.clone().unwrap_or_default();
    check_attribute(&sub.protocol, &req.attribute_name, &value)?;
    // An empty filter policy (or `{}`) removes it.
    if value.is_empty() || (req.attribute_name == "FilterPolicy" && value.trim() == "{}") {
        sub.attributes.remove(&req.attribute_name);
    } else {
        sub.attributes.insert(req.attribute_name, value);
    }
    save(env, &sub)?;
    Ok(Empty {})
}

fn encode_offset(offset: usize) -> String {
    hex::encode(format!("subscriptions:{offset}"))
}

fn decode_offset(token: &str) -> Option<usize> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    raw.strip_prefix("subscriptions:")?.parse().ok()
}

fn page(
    subs: Vec<SubscriptionDoc>,
    next_token: Option<&str>,
) -> Result<ListSubscriptionsResponse, AwsError> {
    let offset = match next_token {
        None => 0,
        Some(t) => decode_offset(t).ok_or_else(|| invalid_parameter("NextToken"))?,
    };
    let total = subs.len();
    let subscriptions = subs
        .into_iter()
        .skip(offset)
        .take(topics::PAGE_SIZE)
        .map(|s| Subscription {
            subscription_arn: s.listed_arn(),
            owner: s.owner,
            protocol: s.protocol,
            endpoint: s.endpoint,
            topic_arn: s.topic_arn,
        })
        .collect();
    Ok(ListSubscriptionsResponse {
        subscriptions,
        next_token: (offset + topics::PAGE_SIZE < total)
            .then(|| encode_offset(offset + topics::PAGE_SIZE)),
    })
}

/// ListSubscriptions: the subscriptions to the caller's topics in the caller's region.
pub fn list_subscriptions(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListSubscriptionsRequest,
) -> Result<ListSubscriptionsResponse, AwsError> {
    let subs = all_in(env, &ctx.account_id, &ctx.region)?;
    page(subs, req.next_token.as_deref())
}

pub fn list_subscriptions_by_topic(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListSubscriptionsRequest,
) -> Result<ListSubscriptionsResponse, AwsError> {
    let arn = req
        .topic_arn
        .clone()
        .ok_or_else(|| AwsError::missing_member("TopicArn"))?;
    let topic: TopicDoc = resolve(env, ctx, &arn, "TopicArn", "ListSubscriptionsByTopic")?;
    page(of_topic(env, &topic.arn)?, req.next_token.as_deref())
}
