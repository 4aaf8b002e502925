//! The one resource model the rules read: trails with their bucket (policy, public access
//! block, ACL, access logging), KMS key, log group, selectors and runtime status,
//! CloudTrail Lake event data stores, and the monitoring chain downstream of the trails
//! (metric filters, alarms, SNS topics and subscriptions; see [`Monitoring`]). Built from a
//! [`Config`] whatever its origin.

use std::collections::BTreeMap;

use serde_json::Value;

use super::monitoring::model::{Monitoring, Target, group_target};
use crate::plan::{
    Config, Mode, Origin, RUNTIME, Resource, Unresolved, as_unknown, contains_unknown,
    describe_unknown, first_unknown, is_computed_only, is_unknown, unknown_ref,
};
use crate::services::cloudtrail::model::{
    AdvancedEventSelector, AdvancedFieldSelector, DataResource, EventSelector,
};
use crate::services::cloudtrail::selectors::StoredSelectors;

/// A value as far as the input knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact<T> {
    Known(T),
    /// Not known before apply: the expression and where it is.
    Unknown(String),
}

impl<T> Fact<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(v) => Some(v),
            Fact::Unknown(_) => None,
        }
    }
}

/// Stands for a selector value known only after apply: it matches no real value, so an
/// unknown value selects nothing we can name.
pub const UNKNOWN_VALUE: &str = "\u{1}known after apply";

/// What GetTrailStatus says (live input only).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runtime {
    pub is_logging: bool,
    pub latest_delivery_time: Option<f64>,
    pub latest_delivery_error: Option<String>,
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Trail {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    /// The region the trail is created in (live: HomeRegion; else the provider's region).
    pub home_region: Option<String>,
    pub multi_region: Fact<bool>,
    pub global_events: Fact<bool>,
    pub organization: Fact<bool>,
    pub log_validation: Fact<bool>,
    /// `enable_logging` as declared (Terraform starts/stops logging to match it).
    pub enable_logging: Fact<bool>,
    pub kms_key_id: Fact<Option<String>>,
    pub cloud_watch_logs_group_arn: Fact<Option<String>>,
    /// The log group `cloud_watch_logs_group_arn` names, linked to the input's
    /// `aws_cloudwatch_log_group` when it is one.
    pub log_group: Option<Target>,
    pub bucket_name: Fact<String>,
    /// Index into [`Model::buckets`] when the bucket is in the input.
    pub bucket: Option<usize>,
    pub selectors: Fact<StoredSelectors>,
    /// Selector values not known before apply (they match nothing when evaluated).
    pub selector_unknowns: Vec<String>,
    pub tags: Fact<BTreeMap<String, String>>,
    pub runtime: Option<Runtime>,
}

impl Trail {
    pub fn label(&self) -> String {
        match &self.name {
            Fact::Known(n) => format!("{} ({n})", self.address),
            Fact::Unknown(_) => self.address.clone(),
        }
    }
}

/// S3 Block Public Access settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicAccessBlock {
    pub block_public_acls: Fact<bool>,
    pub block_public_policy: Fact<bool>,
    pub ignore_public_acls: Fact<bool>,
    pub restrict_public_buckets: Fact<bool>,
    pub from: String,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    pub public_access_block: Option<PublicAccessBlock>,
    /// Canned ACLs (`acl = "public-read"`) and grantee URIs of explicit grants.
    pub acls: Vec<Fact<String>>,
    pub grant_uris: Vec<Fact<String>>,
    /// Bucket policies (parsed documents; unknown parts stay unknown markers).
    pub policies: Vec<Fact<Value>>,
    /// Server access logging: the target bucket, when configured.
    pub logging_target: Option<Fact<String>>,
}

#[derive(Debug, Clone)]
pub struct EventDataStore {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    pub kms_key_id: Fact<Option<String>>,
    pub multi_region: Fact<bool>,
    pub organization: Fact<bool>,
    pub selectors: Fact<StoredSelectors>,
    pub selector_unknowns: Vec<String>,
    /// The store's Region when the input states it (live state; `region` in a plan).
    pub home_region: Option<String>,
    /// The store's status (`ENABLED`, `STOPPED_INGESTION`, ...): live input only.
    pub status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub origin: Origin,
    pub trails: Vec<Trail>,
    pub buckets: Vec<Bucket>,
    pub stores: Vec<EventDataStore>,
    /// The account-wide S3 Block Public Access (`aws_s3_account_public_access_block`).
    pub account_public_access_block: Option<PublicAccessBlock>,
    pub unresolved: Vec<Unresolved>,
    /// The default provider region, when the input states it.
    pub region: Option<String>,
    /// Log groups, metric filters, alarms, SNS topics and subscriptions.
    pub monitoring: Monitoring,
}

fn fact_bool(r: &Resource, key: &str, default: bool) -> Fact<bool> {
    match r.attr(key) {
        None | Some(Value::Null) => Fact::Known(default),
        Some(Value::Bool(b)) => Fact::Known(*b),
        Some(Value::String(s)) if s == "true" => Fact::Known(true),
        Some(Value::String(s)) if s == "false" => Fact::Known(false),
        Some(v) => Fact::Unknown(unknown_text(v, r, key)),
    }
}

fn unknown_text(v: &Value, r: &Resource, key: &str) -> String {
    if is_unknown(v) {
        describe_unknown(v)
    } else {
        format!("{}.{key} ({})", r.address, r.location)
    }
}

fn fact_str(r: &Resource, key: &str) -> Fact<Option<String>> {
    match r.attr(key) {
        None | Some(Value::Null) => Fact::Known(None),
        Some(Value::String(s)) if s.is_empty() => Fact::Known(None),
        Some(Value::String(s)) => Fact::Known(Some(s.clone())),
        Some(v) => Fact::Unknown(unknown_text(v, r, key)),
    }
}

/// An attribute that is set, known or not (a reference to a computed key ARN is "set").
fn fact_set(r: &Resource, key: &str) -> Fact<Option<String>> {
    match r.attr(key) {
        Some(v) if is_unknown(v) && unknown_ref(v).is_some() => Fact::Known(Some(format!(
            "{} (known after apply)",
            unknown_ref(v).unwrap_or_default()
        ))),
        _ => fact_str(r, key),
    }
}

fn fact_name(r: &Resource, key: &str) -> Fact<String> {
    match r.attr(key) {
        Some(Value::String(s)) => Fact::Known(s.clone()),
        Some(v) => Fact::Unknown(unknown_text(v, r, key)),
        None => Fact::Unknown(format!("{}.{key} (not set)", r.address)),
    }
}

fn strings(v: Option<&Value>, unknowns: &mut Vec<String>) -> Option<Vec<String>> {
    let v = v?;
    if v.is_null() {
        return None;
    }
    let list = match v {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    };
    Some(
        list.iter()
            .map(|x| match x {
                Value::String(s) => s.clone(),
                other => {
                    unknowns.push(describe_unknown(first_unknown(other).unwrap_or(other)));
                    UNKNOWN_VALUE.to_string()
                }
            })
            .collect(),
    )
}

fn blocks(v: Option<&Value>) -> Vec<&Value> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

/// `event_selector` / `advanced_event_selector` blocks as PutEventSelectors stores them.
pub fn selectors_of(r: &Resource) -> (Fact<StoredSelectors>, Vec<String>) {
    let mut unknowns = Vec::new();
    for key in ["advanced_event_selector", "event_selector"] {
        if let Some(v) = r.attr(key)
            && is_unknown(v)
        {
            return (Fact::Unknown(describe_unknown(v)), unknowns);
        }
    }
    let adv = blocks(r.attr("advanced_event_selector"));
    if !adv.is_empty() {
        let list = adv
            .iter()
            .map(|s| AdvancedEventSelector {
                name: s.get("name").and_then(Value::as_str).map(str::to_string),
                field_selectors: blocks(s.get("field_selector"))
                    .iter()
                    .map(|f| AdvancedFieldSelector {
                        field: f
                            .get("field")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        equals: strings(f.get("equals"), &mut unknowns),
                        starts_with: strings(f.get("starts_with"), &mut unknowns),
                        ends_with: strings(f.get("ends_with"), &mut unknowns),
                        not_equals: strings(f.get("not_equals"), &mut unknowns),
                        not_starts_with: strings(f.get("not_starts_with"), &mut unknowns),
                        not_ends_with: strings(f.get("not_ends_with"), &mut unknowns),
                    })
                    // Terraform sends empty operator lists as absent.
                    .map(|mut f| {
                        for o in [
                            &mut f.equals,
                            &mut f.starts_with,
                            &mut f.ends_with,
                            &mut f.not_equals,
                            &mut f.not_starts_with,
                            &mut f.not_ends_with,
                        ] {
                            if o.as_ref().is_some_and(Vec::is_empty) {
                                *o = None;
                            }
                        }
                        f
                    })
                    .collect(),
            })
            .collect();
        return (Fact::Known(StoredSelectors::Advanced(list)), unknowns);
    }
    let basic = blocks(r.attr("event_selector"));
    if basic.is_empty() {
        return (Fact::Known(StoredSelectors::Default), unknowns);
    }
    let mut list = Vec::new();
    for s in basic {
        let rw = match s.get("read_write_type") {
            None | Some(Value::Null) => None,
            Some(Value::String(x)) => Some(x.clone()),
            Some(v) => return (Fact::Unknown(describe_unknown(v)), unknowns),
        };
        let mgmt = match s.get("include_management_events") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => return (Fact::Unknown(describe_unknown(v)), unknowns),
        };
        let data: Vec<DataResource> = blocks(s.get("data_resource"))
            .iter()
            .map(|d| DataResource {
                r#type: d.get("type").and_then(Value::as_str).map(str::to_string),
                values: strings(d.get("values"), &mut unknowns),
            })
            .collect();
        let excluded = strings(s.get("exclude_management_event_sources"), &mut unknowns)
            .filter(|l| !l.is_empty());
        list.push(EventSelector {
            read_write_type: rw,
            include_management_events: mgmt,
            data_resources: if data.is_empty() { None } else { Some(data) },
            exclude_management_event_sources: excluded,
        });
    }
    (Fact::Known(StoredSelectors::Basic(list)), unknowns)
}

fn tags_of(r: &Resource) -> Fact<BTreeMap<String, String>> {
    let v = r
        .attr("tags_all")
        .filter(|v| !v.is_null())
        .or_else(|| r.attr("tags"));
    match v {
        None | Some(Value::Null) => Fact::Known(BTreeMap::new()),
        Some(v) if is_unknown(v) => Fact::Unknown(describe_unknown(v)),
        Some(Value::Object(o)) => Fact::Known(
            o.iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        x.as_str().map_or_else(|| x.to_string(), str::to_string),
                    )
                })
                .collect(),
        ),
        Some(v) => Fact::Unknown(unknown_text(v, r, "tags")),
    }
}

fn pab_of(r: &Resource) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: fact_bool(r, "block_public_acls", false),
        block_public_policy: fact_bool(r, "block_public_policy", false),
        ignore_public_acls: fact_bool(r, "ignore_public_acls", false),
        restrict_public_buckets: fact_bool(r, "restrict_public_buckets", false),
        from: r.address.clone(),
    }
}

/// A policy attribute as a document: a JSON string parsed, a structure kept.
fn policy_fact(v: &Value, config: &Config) -> Fact<Value> {
    match v {
        Value::String(s) => match serde_json::from_str(s) {
            Ok(doc) => Fact::Known(doc),
            Err(e) => Fact::Unknown(format!("policy is not JSON: {e}")),
        },
        Value::Object(_) if is_unknown(v) => {
            // A policy rendered by a data source deferred to apply: use its rendering.
            let target = unknown_ref(v).and_then(|r| {
                config
                    .resources
                    .iter()
                    .find(|x| x.address == r && x.rtype == "aws_iam_policy_document")
            });
            match target.and_then(|t| t.attr("json")) {
                Some(j) if !is_unknown(j) => policy_fact(j, config),
                _ => Fact::Unknown(describe_unknown(v)),
            }
        }
        Value::Object(_) => Fact::Known(v.clone()),
        Value::Null => Fact::Known(Value::Null),
        other => Fact::Unknown(format!("policy {other}")),
    }
}

impl Model {
    pub fn build(config: &Config) -> Model {
        let mut buckets: Vec<Bucket> = config
            .managed("aws_s3_bucket")
            .map(|r| Bucket {
                address: r.address.clone(),
                location: r.location.clone(),
                name: fact_name(r, "bucket"),
                public_access_block: None,
                acls: Vec::new(),
                grant_uris: Vec::new(),
                policies: Vec::new(),
                logging_target: None,
            })
            .collect();
        // Inline (legacy) settings on aws_s3_bucket itself.
        for (i, r) in config.managed("aws_s3_bucket").enumerate() {
            let b = &mut buckets[i];
            match r.attr("acl") {
                // The provider reports what aws_s3_bucket_acl / _policy set: not a setting.
                Some(v) if is_computed_only(v) => {}
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => b.acls.push(Fact::Known(s.clone())),
                Some(v) => b.acls.push(Fact::Unknown(describe_unknown(v))),
            }
            if let Some(p) = r
                .attr("policy")
                .filter(|p| !p.is_null() && !is_computed_only(p))
            {
                let f = policy_fact(p, config);
                if f != Fact::Known(Value::Null) {
                    b.policies.push(f);
                }
            }
            if let Some(l) = blocks(r.attr("logging")).first() {
                b.logging_target = Some(match l.get("target_bucket") {
                    Some(Value::String(s)) => Fact::Known(s.clone()),
                    Some(v) => Fact::Known(
                        unknown_ref(v)
                            .map(str::to_string)
                            .unwrap_or_else(|| describe_unknown(v)),
                    ),
                    None => Fact::Known(String::new()),
                });
            }
        }
        // Separate bucket resources, linked by their `bucket` argument.
        for r in config.resources.iter().filter(|r| r.mode == Mode::Managed) {
            let Some(i) = r.attr("bucket").and_then(|v| link_bucket(v, &buckets)) else {
                continue;
            };
            let b = &mut buckets[i];
            match r.rtype.as_str() {
                "aws_s3_bucket_public_access_block" => b.public_access_block = Some(pab_of(r)),
                "aws_s3_bucket_policy" => {
                    if let Some(p) = r.attr("policy") {
                        b.policies.push(policy_fact(p, config));
                    }
                }
                "aws_s3_bucket_logging" => {
                    b.logging_target = Some(match r.attr("target_bucket") {
                        Some(Value::String(s)) => Fact::Known(s.clone()),
                        Some(v) if is_unknown(v) => Fact::Known(
                            unknown_ref(v)
                                .map(str::to_string)
                                .unwrap_or_else(|| describe_unknown(v)),
                        ),
                        _ => Fact::Known(String::new()),
                    });
                }
                "aws_s3_bucket_acl" => {
                    match r.attr("acl") {
                        None | Some(Value::Null) => {}
                        Some(Value::String(s)) => b.acls.push(Fact::Known(s.clone())),
                        Some(v) => b.acls.push(Fact::Unknown(describe_unknown(v))),
                    }
                    for acp in blocks(r.attr("access_control_policy")) {
                        for g in blocks(acp.get("grant")) {
                            for ge in blocks(g.get("grantee")) {
                                match ge.get("uri") {
                                    Some(Value::String(u)) => {
                                        b.grant_uris.push(Fact::Known(u.clone()))
                                    }
                                    Some(v) if is_unknown(v) => {
                                        b.grant_uris.push(Fact::Unknown(describe_unknown(v)))
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let account_public_access_block = config
            .managed("aws_s3_account_public_access_block")
            .next()
            .map(pab_of);

        let monitoring = Monitoring::build(config);
        let trails = config
            .managed("aws_cloudtrail")
            .map(|r| {
                let (selectors, selector_unknowns) = selectors_of(r);
                let bucket_attr = r.attr("s3_bucket_name").cloned().unwrap_or(Value::Null);
                let home_region = r
                    .attr("home_region")
                    .or_else(|| r.attr("region"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| config.region.clone());
                Trail {
                    address: r.address.clone(),
                    location: r.location.clone(),
                    name: fact_name(r, "name"),
                    log_group: group_target(
                        r.attr("cloud_watch_logs_group_arn"),
                        home_region.as_deref(),
                        &monitoring.log_groups,
                    ),
                    home_region,
                    multi_region: fact_bool(r, "is_multi_region_trail", false),
                    global_events: fact_bool(r, "include_global_service_events", true),
                    organization: fact_bool(r, "is_organization_trail", false),
                    log_validation: fact_bool(r, "enable_log_file_validation", false),
                    enable_logging: fact_bool(r, "enable_logging", true),
                    kms_key_id: fact_set(r, "kms_key_id"),
                    cloud_watch_logs_group_arn: fact_set(r, "cloud_watch_logs_group_arn"),
                    bucket_name: fact_name(r, "s3_bucket_name"),
                    bucket: link_bucket(&bucket_attr, &buckets),
                    selectors,
                    selector_unknowns,
                    tags: tags_of(r),
                    runtime: r.attr(RUNTIME).map(|rt| Runtime {
                        is_logging: rt
                            .get("is_logging")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        latest_delivery_time: rt
                            .get("latest_delivery_time")
                            .and_then(Value::as_f64),
                        latest_delivery_error: rt
                            .get("latest_delivery_error")
                            .and_then(Value::as_str)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                        latest_cloud_watch_logs_delivery_error: rt
                            .get("latest_cloud_watch_logs_delivery_error")
                            .and_then(Value::as_str)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                    }),
                }
            })
            .collect();
        let stores = config
            .managed("aws_cloudtrail_event_data_store")
            .map(|r| {
                let (selectors, selector_unknowns) = selectors_of(r);
                EventDataStore {
                    address: r.address.clone(),
                    location: r.location.clone(),
                    name: fact_name(r, "name"),
                    kms_key_id: fact_set(r, "kms_key_id"),
                    multi_region: fact_bool(r, "multi_region_enabled", true),
                    organization: fact_bool(r, "organization_enabled", false),
                    selectors,
                    selector_unknowns,
                    home_region: r
                        .attr("region")
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    status: r
                        .attr(RUNTIME)
                        .and_then(|rt| rt.get("status"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                }
            })
            .collect();
        Model {
            origin: config.origin.clone(),
            trails,
            buckets,
            stores,
            account_public_access_block,
            unresolved: config.unresolved.clone(),
            region: config.region.clone(),
            monitoring,
        }
    }
}

/// The bucket a `bucket` / `s3_bucket_name` value names: by name when known, else by the
/// resource its unknown value refers to.
fn link_bucket(v: &Value, buckets: &[Bucket]) -> Option<usize> {
    match v {
        Value::String(s) => buckets
            .iter()
            .position(|b| b.name.known() == Some(s))
            .or_else(|| buckets.iter().position(|b| &b.address == s)),
        other => {
            let r = as_unknown(other)
                .and_then(|m| m.get("ref"))
                .and_then(Value::as_str)?;
            buckets.iter().position(|b| b.address == r)
        }
    }
}

/// Whether a value has unknown parts (re-exported for rules).
pub fn has_unknown(v: &Value) -> bool {
    contains_unknown(v)
}
