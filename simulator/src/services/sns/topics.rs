//! Topics: the stored topic document, ARNs, attributes (with AWS's default policy and
//! delivery policy), access policy checks, CreateTopic, DeleteTopic, GetTopicAttributes,
//! SetTopicAttributes, ListTopics, and the `topic` / `topic_by_name` helpers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::model::*;
use super::tags;
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;
use crate::store::DocKey;

pub const SERVICE: &str = "sns";
pub const TOPIC_KIND: &str = "topic";
pub const PAGE_SIZE: usize = 100;

/// Attributes CreateTopic and SetTopicAttributes accept.
pub const SETTABLE: &[&str] = &[
    "ArchivePolicy",
    "ContentBasedDeduplication",
    "DeliveryPolicy",
    "DisplayName",
    "FifoThroughputScope",
    "FifoTopic",
    "KmsMasterKeyId",
    "Policy",
    "SignatureVersion",
    "TracingConfig",
];

/// The delivery policy AWS reports when none is set.
pub const DEFAULT_EFFECTIVE_DELIVERY_POLICY: &str = r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#;

pub fn invalid_parameter(what: &str) -> AwsError {
    AwsError::client("InvalidParameter", format!("Invalid parameter: {what}"))
}

pub fn not_found() -> AwsError {
    AwsError::new("NotFound", "Topic does not exist", 404)
}

/// A topic as stored: explicitly set attributes only (defaults are computed on read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TopicDoc {
    pub arn: String,
    pub name: String,
    pub owner: String,
    pub region: String,
    pub attributes: BTreeMap<String, String>,
    pub created_ms: i64,
}

impl TopicDoc {
    pub fn is_fifo(&self) -> bool {
        self.attributes.get("FifoTopic").map(String::as_str) == Some("true")
    }

    /// The access policy in force: the one set, or AWS's default.
    pub fn policy(&self) -> String {
        self.attributes
            .get("Policy")
            .cloned()
            .unwrap_or_else(|| default_policy(&self.arn, &self.owner))
    }
}

/// AWS's default topic access policy: the owner account may do everything.
pub fn default_policy(arn: &str, owner: &str) -> String {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish"
            ],
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": owner}}
        }]
    })
    .to_string()
}

/// A parsed topic ARN `arn:PARTITION:sns:REGION:ACCOUNT:NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicArn {
    pub region: String,
    pub account_id: String,
    pub name: String,
}

pub fn parse_topic_arn(arn: &str) -> Option<TopicArn> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [arn_lit, partition, service, region, account, name] = parts.as_slice() else {
        return None;
    };
    if *arn_lit != "arn"
        || !partition.starts_with("aws")
        || *service != "sns"
        || region.is_empty()
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
        || name.is_empty()
    {
        return None;
    }
    Some(TopicArn {
        region: region.to_string(),
        account_id: account.to_string(),
        name: name.to_string(),
    })
}

pub fn topic_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:sns:{region}:{account}:{name}")
}

fn doc_key<'k>(account: &'k str, region: &'k str, name: &'k str) -> DocKey<'k> {
    DocKey {
        service: SERVICE,
        kind: TOPIC_KIND,
        account_id: account,
        region,
        id: name,
    }
}

pub fn load(
    env: &Env<'_>,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<TopicDoc>, AwsError> {
    match env.db.document(&doc_key(account, region, name))? {
        None => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt topic document {name}: {e}"))),
    }
}

fn save(env: &Env<'_>, t: &TopicDoc) -> Result<(), AwsError> {
    let body = serde_json::to_value(t)
        .map_err(|e| AwsError::internal(format!("cannot serialise topic: {e}")))?;
    env.db.put_document(
        &doc_key(&t.owner, &t.region, &t.name),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// The topic a call names by ARN. A malformed ARN or one of another region is an
/// `InvalidParameter`; a missing topic `NotFound`; another account's topic needs its
/// access policy to allow `action`.
pub fn resolve(
    env: &Env<'_>,
    ctx: &CallerContext,
    arn: &str,
    member: &str,
    action: &str,
) -> Result<TopicDoc, AwsError> {
    let parsed = parse_topic_arn(arn).ok_or_else(|| invalid_parameter(member))?;
    if parsed.region != ctx.region {
        return Err(invalid_parameter(member));
    }
    let doc = load(env, &parsed.account_id, &parsed.region, &parsed.name)?.ok_or_else(not_found)?;
    if doc.owner != ctx.account_id
        && !policy_allows(&doc.policy(), &ctx.account_id, &ctx.principal.arn, action)
    {
        return Err(AwsError::new(
            "AuthorizationError",
            format!(
                "User: {} is not authorized to perform: SNS:{action} on resource: {} because no resource-based policy allows the SNS:{action} action",
                ctx.principal.arn, doc.arn
            ),
            403,
        ));
    }
    Ok(doc)
}

fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn action_matches(patterns: &[&str], action: &str) -> bool {
    let wanted = format!("sns:{}", action.to_ascii_lowercase());
    patterns.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        p == "*" || crate::services::s3::policy::wildcard_match(&p, &wanted)
    })
}

/// Whether a statement's conditions hold for a caller. Only the source-owner/account keys
/// are evaluated (what the default policy uses); other conditions are taken as met.
fn conditions_hold(st: &serde_json::Map<String, Value>, account: &str) -> bool {
    let Some(ops) = st.get("Condition").and_then(Value::as_object) else {
        return true;
    };
    ops.values().filter_map(Value::as_object).all(|keys| {
        keys.iter().all(|(k, v)| {
            let k = k.to_ascii_lowercase();
            if k == "aws:sourceowner" || k == "aws:sourceaccount" {
                strings(v).contains(&account)
            } else {
                true
            }
        })
    })
}

fn statements(policy: &str) -> Vec<serde_json::Map<String, Value>> {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else {
        return Vec::new();
    };
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().filter_map(|s| s.as_object().cloned()).collect(),
        Some(Value::Object(o)) => vec![o.clone()],
        _ => Vec::new(),
    }
}

fn evaluate(
    policy: &str,
    principal_ok: impl Fn(&Value) -> bool,
    account: &str,
    action: &str,
) -> bool {
    let mut allowed = false;
    for st in statements(policy) {
        let principal = st.get("Principal").is_some_and(&principal_ok);
        let act = st
            .get("Action")
            .is_some_and(|a| action_matches(&strings(a), action));
        if !(principal && act && conditions_hold(&st, account)) {
            continue;
        }
        match st.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return false,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    allowed
}

/// Whether a topic policy lets an IAM principal of `account` (`principal_arn`) perform
/// `action` (e.g. `Publish`).
pub fn policy_allows(policy: &str, account: &str, principal_arn: &str, action: &str) -> bool {
    let root = format!("arn:aws:iam::{account}:root");
    let principal_ok = |p: &Value| match p {
        Value::String(s) => s == "*",
        Value::Object(m) => m.get("AWS").is_some_and(|v| {
            strings(v)
                .iter()
                .any(|s| *s == "*" || *s == account || *s == root || *s == principal_arn)
        }),
        _ => false,
    };
    evaluate(policy, principal_ok, account, action)
}

/// Whether a topic policy lets an AWS service principal (e.g. `cloudtrail.amazonaws.com`)
/// perform `action` on behalf of `source_account`.
pub fn policy_allows_service(
    policy: &str,
    service: &str,
    source_account: &str,
    action: &str,
) -> bool {
    let principal_ok = |p: &Value| match p {
        Value::String(s) => s == "*",
        Value::Object(m) => {
            m.get("Service")
                .is_some_and(|v| strings(v).contains(&service))
                || m.get("AWS").is_some_and(|v| strings(v).contains(&"*"))
        }
        _ => false,
    };
    evaluate(policy, principal_ok, source_account, action)
}

/// Checks an access policy document as SNS does.
pub fn validate_policy(text: &str) -> Result<(), AwsError> {
    let bad = |why: &str| invalid_parameter(&format!("Policy Error: {why}"));
    let doc: Value = match serde_json::from_str(text) {
        Ok(v @ Value::Object(_)) => v,
        _ => return Err(bad("null")),
    };
    let list: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) if !a.is_empty() => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => return Err(bad("Statement is missing")),
    };
    for st in list {
        let Some(st) = st.as_object() else {
            return Err(bad("Statement is not well formed"));
        };
        if !matches!(
            st.get("Effect").and_then(Value::as_str),
            Some("Allow" | "Deny")
        ) {
            return Err(bad("Invalid effect"));
        }
        if st.get("Principal").is_none() && st.get("NotPrincipal").is_none() {
            return Err(bad("Missing required field Principal"));
        }
        let actions = st
            .get("Action")
            .or_else(|| st.get("NotAction"))
            .map(strings);
        match actions {
            None => return Err(bad("Missing required field Action")),
            Some(a) => {
                if a.is_empty()
                    || !a
                        .iter()
                        .all(|x| *x == "*" || x.to_ascii_lowercase().starts_with("sns:"))
                {
                    return Err(invalid_parameter(
                        "Policy statement action out of service scope!",
                    ));
                }
            }
        }
        if st.get("Resource").is_none() && st.get("NotResource").is_none() {
            return Err(bad("Missing required field Resource"));
        }
    }
    Ok(())
}

fn valid_json_object(v: &str) -> bool {
    matches!(serde_json::from_str::<Value>(v), Ok(Value::Object(_)))
}

/// Checks one attribute value; `fifo` is whether the topic is (or will be) FIFO.
pub fn validate_attribute(name: &str, value: &str, fifo: bool) -> Result<(), AwsError> {
    let reason = |why: &str| invalid_parameter(&format!("{name} Reason: {why}"));
    match name {
        "Policy" => validate_policy(value),
        "DeliveryPolicy" if !value.is_empty() && !valid_json_object(value) => {
            Err(reason("DeliveryPolicy must be valid JSON"))
        }
        "DisplayName" if value.chars().count() > 100 => {
            Err(reason("DisplayName must be at most 100 characters long"))
        }
        "FifoTopic" if !matches!(value, "true" | "false") => {
            Err(reason("FifoTopic must be true or false"))
        }
        "ContentBasedDeduplication" => {
            if !matches!(value, "true" | "false") {
                Err(reason("ContentBasedDeduplication must be true or false"))
            } else if !fifo {
                Err(reason(
                    "Content-based deduplication can only be set for FIFO topics",
                ))
            } else {
                Ok(())
            }
        }
        "SignatureVersion" if !matches!(value, "1" | "2") => {
            Err(reason("SignatureVersion must be 1 or 2"))
        }
        "TracingConfig" if !matches!(value, "PassThrough" | "Active") => {
            Err(reason("TracingConfig must be PassThrough or Active"))
        }
        "FifoThroughputScope" | "ArchivePolicy" if !fifo => {
            Err(reason(&format!("{name} can only be set for FIFO topics")))
        }
        "FifoThroughputScope" if !matches!(value, "Topic" | "MessageGroup") => {
            Err(reason("FifoThroughputScope must be Topic or MessageGroup"))
        }
        "ArchivePolicy" if !value.is_empty() && !valid_json_object(value) => {
            Err(reason("ArchivePolicy must be valid JSON"))
        }
        _ if !SETTABLE.contains(&name) => Err(invalid_parameter("AttributeName")),
        _ => Ok(()),
    }
}

/// Topic names: 1-256 letters, digits, `-` and `_`; FIFO topics end in `.fifo`.
pub fn valid_topic_name(name: &str, fifo: bool) -> bool {
    let base = if fifo {
        match name.strip_suffix(".fifo") {
            Some(b) => b,
            None => return false,
        }
    } else {
        name
    };
    !base.is_empty()
        && name.len() <= 256
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn create_topic(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateTopicRequest,
) -> Result<CreateTopicResponse, AwsError> {
    let attributes = req.attributes.clone().unwrap_or_default();
    let fifo = attributes.get("FifoTopic").map(String::as_str) == Some("true");
    if !valid_topic_name(&req.name, fifo) {
        return Err(invalid_parameter("Topic Name"));
    }
    for (k, v) in &attributes {
        validate_attribute(k, v, fifo)?;
    }
    if let Some(p) = &req.data_protection_policy
        && !valid_json_object(p)
    {
        return Err(invalid_parameter("DataProtectionPolicy"));
    }
    let tag_list = req.tags.clone().unwrap_or_default();
    tags::validate_tags(&tag_list)?;
    let arn = topic_arn(&ctx.region, &ctx.account_id, &req.name);

    if let Some(existing) = load(env, &ctx.account_id, &ctx.region, &req.name)? {
        // Idempotent for the same attributes and tags.
        let same_attrs = attributes.iter().all(|(k, v)| {
            existing
                .attributes
                .get(k)
                .map(String::as_str)
                .unwrap_or(match k.as_str() {
                    "FifoTopic" | "ContentBasedDeduplication" => "false",
                    _ => "",
                })
                == v
        });
        if !same_attrs {
            return Err(invalid_parameter(
                "Attributes Reason: Topic already exists with different attributes",
            ));
        }
        if req.tags.is_some() {
            let current: BTreeMap<String, String> = env
                .db
                .tags(&arn)?
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or_default()))
                .collect();
            let wanted: BTreeMap<String, String> = tag_list
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            if current != wanted {
                return Err(invalid_parameter(
                    "Tags Reason: Topic already exists with different tags",
                ));
            }
        }
        return Ok(CreateTopicResponse { topic_arn: arn });
    }

    let mut stored = attributes;
    // A FIFO topic always reports its deduplication setting.
    if fifo {
        stored
            .entry("ContentBasedDeduplication".into())
            .or_insert_with(|| "false".into());
    } else {
        stored.remove("FifoTopic");
    }
    let doc = TopicDoc {
        arn: arn.clone(),
        name: req.name.clone(),
        owner: ctx.account_id.clone(),
        region: ctx.region.clone(),
        attributes: stored,
        created_ms: clock::to_millis(env.now),
    };
    save(env, &doc)?;
    for t in &tag_list {
        env.db.put_tag(&arn, &t.key, Some(&t.value))?;
    }
    Ok(CreateTopicResponse { topic_arn: arn })
}

/// DeleteTopic is idempotent: deleting a topic that does not exist succeeds.
pub fn delete_topic(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TopicArnRequest,
) -> Result<Empty, AwsError> {
    let doc = match resolve(env, ctx, &req.topic_arn, "TopicArn", "DeleteTopic") {
        Ok(d) => d,
        Err(e) if e.code == "NotFound" => return Ok(Empty {}),
        Err(e) => return Err(e),
    };
    env.db
        .delete_document(&doc_key(&doc.owner, &doc.region, &doc.name))?;
    for (k, _) in env.db.tags(&doc.arn)? {
        env.db.remove_tag(&doc.arn, &k)?;
    }
    super::subscriptions::delete_all_of_topic(env, &doc.arn)?;
    Ok(Empty {})
}

/// The attribute map GetTopicAttributes returns, in AWS's order.
pub fn attribute_map(
    doc: &TopicDoc,
    (confirmed, pending): (usize, usize),
) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    let a = &doc.attributes;
    m.insert("Policy".into(), json!(doc.policy()));
    m.insert("Owner".into(), json!(doc.owner));
    m.insert("SubscriptionsPending".into(), json!(pending.to_string()));
    m.insert("TopicArn".into(), json!(doc.arn));
    m.insert(
        "EffectiveDeliveryPolicy".into(),
        json!(
            a.get("DeliveryPolicy")
                .filter(|p| !p.is_empty())
                .cloned()
                .unwrap_or_else(|| DEFAULT_EFFECTIVE_DELIVERY_POLICY.to_string())
        ),
    );
    m.insert(
        "SubscriptionsConfirmed".into(),
        json!(confirmed.to_string()),
    );
    m.insert(
        "DisplayName".into(),
        json!(a.get("DisplayName").cloned().unwrap_or_default()),
    );
    m.insert("SubscriptionsDeleted".into(), json!("0"));
    for k in [
        "DeliveryPolicy",
        "KmsMasterKeyId",
        "SignatureVersion",
        "TracingConfig",
        "FifoTopic",
        "ContentBasedDeduplication",
        "FifoThroughputScope",
        "ArchivePolicy",
    ] {
        if let Some(v) = a.get(k).filter(|v| !v.is_empty()) {
            m.insert(k.into(), json!(v));
        }
    }
    m
}

pub fn get_topic_attributes(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: TopicArnRequest,
) -> Result<GetTopicAttributesResponse, AwsError> {
    let doc = resolve(env, ctx, &req.topic_arn, "TopicArn", "GetTopicAttributes")?;
    Ok(GetTopicAttributesResponse {
        attributes: attribute_map(&doc, super::subscriptions::counts(env, &doc.arn)?),
    })
}

pub fn set_topic_attributes(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: SetTopicAttributesRequest,
) -> Result<Empty, AwsError> {
    let mut doc = resolve(env, ctx, &req.topic_arn, "TopicArn", "SetTopicAttributes")?;
    let name = req.attribute_name.as_str();
    // The topic type is fixed at creation.
    if name == "FifoTopic" || !SETTABLE.contains(&name) {
        return Err(invalid_parameter("AttributeName"));
    }
    let value = req.attribute_value.unwrap_or_default();
    validate_attribute(name, &value, doc.is_fifo())?;
    if value.is_empty() && name != "DisplayName" {
        doc.attributes.remove(name);
    } else {
        doc.attributes.insert(name.to_string(), value);
    }
    save(env, &doc)?;
    Ok(Empty {})
}

pub fn encode_offset(offset: usize) -> String {
    hex::encode(format!("topics:{offset}"))
}

fn decode_offset(token: &str) -> Option<usize> {
    let raw = String::from_utf8(hex::decode(token).ok()?).ok()?;
    raw.strip_prefix("topics:")?.parse().ok()
}

/// ListTopics: the caller's topics in the caller's region, 100 per page, by ARN.
pub fn list_topics(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTopicsRequest,
) -> Result<ListTopicsResponse, AwsError> {
    let offset = match &req.next_token {
        None => 0,
        Some(t) => decode_offset(t).ok_or_else(|| invalid_parameter("NextToken"))?,
    };
    let mut arns: Vec<String> = env
        .db
        .documents(
            SERVICE,
            TOPIC_KIND,
            Some(&ctx.account_id),
            Some(&ctx.region),
        )?
        .into_iter()
        .map(|d| topic_arn(&d.region, &d.account_id, &d.id))
        .collect();
    arns.sort();
    let page: Vec<Topic> = arns
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .map(|a| Topic {
            topic_arn: a.clone(),
        })
        .collect();
    let next = (offset + PAGE_SIZE < arns.len()).then(|| encode_offset(offset + PAGE_SIZE));
    Ok(ListTopicsResponse {
        topics: page,
        next_token: next,
    })
}

// ---- helpers for other parts of the simulator (no recording, no caller checks) ----

/// What other services need to know about a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicInfo {
    pub arn: String,
    pub name: String,
    pub owner: String,
    pub region: String,
    /// The access policy in force (AWS's default when none was set).
    pub policy: String,
    pub kms_master_key_id: Option<String>,
    pub fifo: bool,
    pub display_name: String,
}

impl From<TopicDoc> for TopicInfo {
    fn from(d: TopicDoc) -> Self {
        TopicInfo {
            policy: d.policy(),
            fifo: d.is_fifo(),
            kms_master_key_id: d.attributes.get("KmsMasterKeyId").cloned(),
            display_name: d.attributes.get("DisplayName").cloned().unwrap_or_default(),
            arn: d.arn,
            name: d.name,
            owner: d.owner,
            region: d.region,
        }
    }
}

/// The topic with this ARN, or `None` (also for a malformed ARN).
pub fn topic(env: &Env<'_>, arn: &str) -> Result<Option<TopicInfo>, AwsError> {
    let Some(p) = parse_topic_arn(arn) else {
        return Ok(None);
    };
    Ok(load(env, &p.account_id, &p.region, &p.name)?.map(TopicInfo::from))
}

/// The topic `name` of `account` in `region`, or `None`.
pub fn topic_by_name(
    env: &Env<'_>,
    account: &str,
    region: &str,
    name: &str,
) -> Result<Option<TopicInfo>, AwsError> {
    Ok(load(env, account, region, name)?.map(TopicInfo::from))
}
