//! The monitoring chain downstream of a trail, as the CIS 4.x / CloudWatch.x rules read it:
//! CloudWatch Logs groups, the metric filters on them, the alarms on the filters' metrics, the
//! SNS topics the alarms notify and the topics' subscriptions.
//!
//! Links between them are resolved to the resource they name whatever form the input gives:
//! a known name or ARN (HCL with literal names, the live simulator, a state file) or only a
//! reference known after apply (`"${aws_cloudwatch_log_group.x.arn}:*"`, a plan's
//! `aws_sns_topic.t.arn`). So HCL, plans and the live simulator link the same resources.

use serde_json::Value;

use super::super::model::Fact;
use crate::plan::{Config, Resource, describe_unknown, is_unknown, unknown_ref};
use crate::services::logs::parse_group_arn;
use crate::services::sns::topics::parse_topic_arn;

/// What a reference-valued attribute points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A resource of the input, by Terraform address.
    Resource(String),
    /// A name or ARN no resource of the input has (a log group name, a topic ARN), with
    /// the region it is in when the input says.
    External {
        name: String,
        region: Option<String>,
    },
    /// Not known before apply, and not a reference to a resource we can follow.
    Unknown(String),
}

impl Target {
    /// How findings name it.
    pub fn shown(&self) -> String {
        match self {
            Target::Resource(a) => a.clone(),
            Target::External { name, .. } => name.clone(),
            Target::Unknown(u) => format!("(not known before apply: {u})"),
        }
    }
}

/// Whether two targets are the same resource: unknown when either side is.
pub fn same(a: &Target, b: &Target) -> Fact<bool> {
    match (a, b) {
        (Target::Unknown(u), _) | (_, Target::Unknown(u)) => Fact::Unknown(u.clone()),
        (Target::Resource(x), Target::Resource(y)) => Fact::Known(x == y),
        (
            Target::External {
                name: n1,
                region: r1,
            },
            Target::External {
                name: n2,
                region: r2,
            },
        ) => Fact::Known(n1 == n2 && regions_agree(r1.as_deref(), r2.as_deref())),
        // A name no resource has is not that resource (resolution already tried the names).
        _ => Fact::Known(false),
    }
}

/// Two regions name the same place unless both are known and differ.
pub fn regions_agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

#[derive(Debug, Clone)]
pub struct LogGroup {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MetricFilter {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    /// The group it is on (`log_group_name`).
    pub group: Option<Target>,
    pub pattern: Fact<String>,
    /// `metric_transformation` name and namespace.
    pub metric_name: Fact<String>,
    pub metric_namespace: Fact<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Alarm {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    /// `None` for alarms on metric math (`metric_query`) or anomaly bands.
    pub metric_name: Fact<Option<String>>,
    pub namespace: Fact<Option<String>>,
    pub statistic: Fact<Option<String>>,
    pub threshold: Fact<Option<f64>>,
    pub comparison_operator: Fact<Option<String>>,
    pub actions_enabled: Fact<bool>,
    /// The SNS topics among `alarm_actions` (other actions, such as Auto Scaling policies or
    /// EC2 actions, notify nobody and are left out).
    pub topics: Fact<Vec<Target>>,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub address: String,
    pub location: String,
    pub name: Fact<String>,
    /// The ARN when the input knows it.
    pub arn: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub address: String,
    pub location: String,
    pub topic: Option<Target>,
    pub protocol: Fact<String>,
    pub endpoint: Fact<String>,
    /// `pending_confirmation` when the input states it (live, state files): a subscription
    /// awaiting confirmation delivers nothing.
    pub pending: Option<bool>,
}

/// Every resource of the monitoring chain in the input.
#[derive(Debug, Clone, Default)]
pub struct Monitoring {
    pub log_groups: Vec<LogGroup>,
    pub filters: Vec<MetricFilter>,
    pub alarms: Vec<Alarm>,
    pub topics: Vec<Topic>,
    pub subscriptions: Vec<Subscription>,
}

/// The region a resource is in: its own `region` argument, else the provider's.
fn region_of(r: &Resource, config: &Config) -> Option<String> {
    r.attr("region")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| config.region.clone())
}

fn unknown_text(v: &Value, r: &Resource, key: &str) -> String {
    if is_unknown(v) {
        describe_unknown(v)
    } else {
        format!("{}.{key} ({})", r.address, r.location)
    }
}

fn string_fact(v: Option<&Value>, r: &Resource, key: &str) -> Fact<Option<String>> {
    match v {
        None | Some(Value::Null) => Fact::Known(None),
        Some(Value::String(s)) if s.is_empty() => Fact::Known(None),
        Some(Value::String(s)) => Fact::Known(Some(s.clone())),
        Some(other) => Fact::Unknown(unknown_text(other, r, key)),
    }
}

/// A string the resource must have: unset is "not set".
fn required(v: Option<&Value>, r: &Resource, key: &str) -> Fact<String> {
    match string_fact(v, r, key) {
        Fact::Known(Some(s)) => Fact::Known(s),
        Fact::Known(None) => Fact::Unknown(format!("{}.{key} (not set)", r.address)),
        Fact::Unknown(u) => Fact::Unknown(u),
    }
}

fn number_fact(v: Option<&Value>, r: &Resource, key: &str) -> Fact<Option<f64>> {
    match v {
        None | Some(Value::Null) => Fact::Known(None),
        Some(Value::Number(n)) => Fact::Known(n.as_f64()),
        Some(Value::String(s)) => match s.parse::<f64>() {
            Ok(n) => Fact::Known(Some(n)),
            Err(_) => Fact::Unknown(format!("{}.{key} ({s:?})", r.address)),
        },
        Some(other) => Fact::Unknown(unknown_text(other, r, key)),
    }
}

fn bool_fact(v: Option<&Value>, r: &Resource, key: &str, default: bool) -> Fact<bool> {
    match v {
        None | Some(Value::Null) => Fact::Known(default),
        Some(Value::Bool(b)) => Fact::Known(*b),
        Some(Value::String(s)) if s == "true" => Fact::Known(true),
        Some(Value::String(s)) if s == "false" => Fact::Known(false),
        Some(other) => Fact::Unknown(unknown_text(other, r, key)),
    }
}

/// The log group a `log_group_name` or `cloud_watch_logs_group_arn` value names.
pub fn group_target(
    v: Option<&Value>,
    region: Option<&str>,
    groups: &[LogGroup],
) -> Option<Target> {
    match v? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => {
            let (name, region) = match parse_group_arn(s) {
                Some(g) => (g.name, Some(g.region)),
                None => (s.clone(), region.map(str::to_string)),
            };
            Some(
                groups
                    .iter()
                    .find(|g| {
                        g.name.known() == Some(&name)
                            && regions_agree(g.region.as_deref(), region.as_deref())
                    })
                    .map(|g| Target::Resource(g.address.clone()))
                    .unwrap_or(Target::External { name, region }),
            )
        }
        other => Some(follow(other, |a| groups.iter().any(|g| g.address == a))),
    }
}

/// The topic a `topic_arn` or alarm action names; `None` for an action that is not an SNS
/// topic (an Auto Scaling policy, an EC2 action, a Systems Manager incident).
pub fn topic_target(v: &Value, region: Option<&str>, topics: &[Topic]) -> Option<Target> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => {
            let parsed = parse_topic_arn(s);
            if parsed.is_none() && s.starts_with("arn:") {
                return None;
            }
            let (name, region) = match &parsed {
                Some(p) => (p.name.clone(), Some(p.region.clone())),
                None => (s.clone(), region.map(str::to_string)),
            };
            Some(
                topics
                    .iter()
                    .find(|t| {
                        t.arn.as_deref() == Some(s.as_str())
                            || (t.name.known() == Some(&name)
                                && regions_agree(t.region.as_deref(), region.as_deref()))
                    })
                    .map(|t| Target::Resource(t.address.clone()))
                    .unwrap_or(Target::External {
                        name: s.clone(),
                        region,
                    }),
            )
        }
        other => Some(follow(other, |a| topics.iter().any(|t| t.address == a))),
    }
}

/// An unknown value: the resource it refers to when that is one of ours.
fn follow(v: &Value, ours: impl Fn(&str) -> bool) -> Target {
    match unknown_ref(v) {
        Some(r) if ours(r) => Target::Resource(r.to_string()),
        _ => Target::Unknown(if is_unknown(v) {
            describe_unknown(v)
        } else {
            v.to_string()
        }),
    }
}

/// The first `metric_transformation` block.
fn transformation(r: &Resource) -> Option<&Value> {
    match r.attr("metric_transformation")? {
        Value::Array(a) => a.first(),
        other => Some(other),
    }
}

impl Monitoring {
    pub fn build(config: &Config) -> Monitoring {
        let log_groups: Vec<LogGroup> = config
            .managed("aws_cloudwatch_log_group")
            .map(|r| LogGroup {
                address: r.address.clone(),
                location: r.location.clone(),
                name: required(r.attr("name"), r, "name"),
                region: region_of(r, config),
            })
            .collect();
        let topics: Vec<Topic> = config
            .managed("aws_sns_topic")
            .map(|r| Topic {
                address: r.address.clone(),
                location: r.location.clone(),
                name: required(r.attr("name"), r, "name"),
                arn: r
                    .attr("arn")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
                region: region_of(r, config),
            })
            .collect();
        let filters = config
            .managed("aws_cloudwatch_log_metric_filter")
            .map(|r| {
                let region = region_of(r, config);
                let t = transformation(r);
                MetricFilter {
                    address: r.address.clone(),
                    location: r.location.clone(),
                    name: required(r.attr("name"), r, "name"),
                    group: group_target(r.attr("log_group_name"), region.as_deref(), &log_groups),
                    pattern: match r.attr("pattern") {
                        // The empty pattern is a pattern: it matches every event.
                        Some(Value::String(s)) => Fact::Known(s.clone()),
                        None | Some(Value::Null) => Fact::Known(String::new()),
                        Some(other) => Fact::Unknown(unknown_text(other, r, "pattern")),
                    },
                    metric_name: required(
                        t.and_then(|t| t.get("name")),
                        r,
                        "metric_transformation.name",
                    ),
                    metric_namespace: required(
                        t.and_then(|t| t.get("namespace")),
                        r,
                        "metric_transformation.namespace",
                    ),
                    region,
                }
            })
            .collect();
        let alarms = config
            .managed("aws_cloudwatch_metric_alarm")
            .map(|r| {
                let region = region_of(r, config);
                let actions = match r.attr("alarm_actions") {
                    None | Some(Value::Null) => Fact::Known(Vec::new()),
                    Some(v) if is_unknown(v) => Fact::Unknown(describe_unknown(v)),
                    Some(Value::Array(a)) => Fact::Known(
                        a.iter()
                            .filter_map(|x| topic_target(x, region.as_deref(), &topics))
                            .collect(),
                    ),
                    Some(other) => Fact::Known(
                        topic_target(other, region.as_deref(), &topics)
                            .into_iter()
                            .collect(),
                    ),
                };
                Alarm {
                    address: r.address.clone(),
                    location: r.location.clone(),
                    name: required(r.attr("alarm_name"), r, "alarm_name"),
                    metric_name: string_fact(r.attr("metric_name"), r, "metric_name"),
                    namespace: string_fact(r.attr("namespace"), r, "namespace"),
                    statistic: string_fact(r.attr("statistic"), r, "statistic"),
                    threshold: number_fact(r.attr("threshold"), r, "threshold"),
                    comparison_operator: string_fact(
                        r.attr("comparison_operator"),
                        r,
                        "comparison_operator",
                    ),
                    actions_enabled: bool_fact(
                        r.attr("actions_enabled"),
                        r,
                        "actions_enabled",
                        true,
                    ),
                    topics: actions,
                    region,
                }
            })
            .collect();
        let subscriptions = config
            .managed("aws_sns_topic_subscription")
            .map(|r| {
                let region = region_of(r, config);
                Subscription {
                    address: r.address.clone(),
                    location: r.location.clone(),
                    topic: r
                        .attr("topic_arn")
                        .and_then(|v| topic_target(v, region.as_deref(), &topics)),
                    protocol: required(r.attr("protocol"), r, "protocol"),
                    endpoint: required(r.attr("endpoint"), r, "endpoint"),
                    pending: r.attr("pending_confirmation").and_then(Value::as_bool),
                }
            })
            .collect();
        Monitoring {
            log_groups,
            filters,
            alarms,
            topics,
            subscriptions,
        }
    }
}
