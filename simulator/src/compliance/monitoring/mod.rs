//! CIS AWS Foundations 4.1-4.15 (v1.2.0 3.1-3.14) and Security Hub CloudWatch.1-14: for each
//! kind of activity, a log metric filter and an alarm that notifies someone.
//!
//! A control passes when one chain is complete: a multi-Region trail that is logging and
//! captures the control's events delivers them to a CloudWatch Logs group; a metric filter on
//! that group matches them; an alarm watches the filter's metric (same name and namespace);
//! the alarm's `alarm_actions` name an SNS topic; the topic has a subscription.
//!
//! A filter is judged by running the control's canonical CloudTrail records (full records, as
//! CloudTrail delivers them to CloudWatch Logs; kept as data in `events/`, one file per
//! control) through the CloudWatch Logs filter pattern engine, the one that runs metric
//! filters in the simulator. It must match every canonical event, and for 4.1-4.3 none of the
//! look-alikes an alarm must stay quiet on. So a pattern written differently from the
//! published one passes when it catches the same events, and a pattern that misses an event
//! fails naming it. Whether the trail captures the events is put to the one selector
//! evaluator (`pipeline::selectors`).

pub mod model;

use std::cmp::Reverse;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use super::model::{Fact, Model, Trail};
use super::rules::{Finding, Status, logging};
use crate::pipeline::selectors::{CompiledTrail, TrailScope};
use crate::services::logs::filter_pattern::FilterPattern;
use model::{Alarm, MetricFilter, Target, regions_agree, same};

/// The account the canonical records are recorded in (their `recipientAccountId`).
pub const CANONICAL_ACCOUNT: &str = "123456789012";

/// One monitoring control: the rule that answers for it and its canonical events.
pub struct Control {
    pub rule: &'static str,
    /// What the alarm is for, as findings say it: "IAM policy changes".
    pub what: &'static str,
    data: &'static str,
}

/// A published filter pattern for the control.
#[derive(Debug, Clone, Deserialize)]
pub struct Published {
    pub source: String,
    pub pattern: String,
}

/// A canonical CloudTrail record and the label findings name it by.
#[derive(Debug, Clone, Deserialize)]
pub struct Canonical {
    pub label: String,
    pub record: Value,
    /// The record as one line of JSON: the log event CloudTrail delivers.
    #[serde(skip)]
    pub text: String,
}

/// A pattern the tests expect to fail, and how.
#[derive(Debug, Clone, Deserialize)]
pub struct Broken {
    pub pattern: String,
    pub missing: Vec<String>,
    pub matches_non_events: Vec<String>,
}

/// A control's data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    pub patterns: Vec<Published>,
    pub events: Vec<Canonical>,
    pub non_events: Vec<Canonical>,
    pub broken: Vec<Broken>,
}

macro_rules! control {
    ($rule:literal, $what:literal, $file:literal) => {
        Control {
            rule: $rule,
            what: $what,
            data: include_str!(concat!("events/", $file, ".json")),
        }
    };
}

/// The controls, in CIS v1.4.0 order (4.1 to 4.15).
pub static CONTROLS: [Control; 15] = [
    control!(
        "CT-ALARM-UNAUTHORIZED-API-CALLS",
        "unauthorized API calls",
        "unauthorized_api_calls"
    ),
    control!(
        "CT-ALARM-CONSOLE-SIGNIN-WITHOUT-MFA",
        "console sign-in without MFA",
        "console_signin_without_mfa"
    ),
    control!("CT-ALARM-ROOT-USAGE", "use of the root user", "root_usage"),
    control!(
        "CT-ALARM-IAM-POLICY-CHANGES",
        "IAM policy changes",
        "iam_policy_changes"
    ),
    control!(
        "CT-ALARM-CLOUDTRAIL-CHANGES",
        "CloudTrail configuration changes",
        "cloudtrail_changes"
    ),
    control!(
        "CT-ALARM-CONSOLE-AUTH-FAILURES",
        "console authentication failures",
        "console_auth_failures"
    ),
    control!(
        "CT-ALARM-CMK-DISABLE-OR-DELETE",
        "disabling or scheduled deletion of customer managed keys",
        "cmk_disable_or_delete"
    ),
    control!(
        "CT-ALARM-S3-BUCKET-POLICY-CHANGES",
        "S3 bucket policy changes",
        "s3_bucket_policy_changes"
    ),
    control!(
        "CT-ALARM-CONFIG-CHANGES",
        "AWS Config configuration changes",
        "config_changes"
    ),
    control!(
        "CT-ALARM-SECURITY-GROUP-CHANGES",
        "security group changes",
        "security_group_changes"
    ),
    control!(
        "CT-ALARM-NACL-CHANGES",
        "network ACL changes",
        "nacl_changes"
    ),
    control!(
        "CT-ALARM-NETWORK-GATEWAY-CHANGES",
        "network gateway changes",
        "network_gateway_changes"
    ),
    control!(
        "CT-ALARM-ROUTE-TABLE-CHANGES",
        "route table changes",
        "route_table_changes"
    ),
    control!("CT-ALARM-VPC-CHANGES", "VPC changes", "vpc_changes"),
    control!(
        "CT-ALARM-ORGANIZATIONS-CHANGES",
        "AWS Organizations changes",
        "organizations_changes"
    ),
];

fn parse(data: &str) -> Result<Events, String> {
    let mut e: Events = serde_json::from_str(data).map_err(|e| e.to_string())?;
    for c in e.events.iter_mut().chain(e.non_events.iter_mut()) {
        c.text = serde_json::to_string(&c.record).map_err(|e| e.to_string())?;
    }
    Ok(e)
}

/// Parsed once per process; the data is embedded, so an error is a build mistake the tests
/// catch, reported as a finding rather than a panic.
static PARSED: LazyLock<Vec<Result<Events, String>>> =
    LazyLock::new(|| CONTROLS.iter().map(|c| parse(c.data)).collect());

impl Control {
    pub fn events(&self) -> Result<&'static Events, String> {
        let i = CONTROLS
            .iter()
            .position(|c| c.rule == self.rule)
            .ok_or_else(|| format!("{} is not a monitoring control", self.rule))?;
        match PARSED.get(i) {
            Some(Ok(e)) => Ok(e),
            Some(Err(e)) => Err(format!(
                "the canonical events of {} do not parse: {e}",
                self.rule
            )),
            None => Err(format!("no canonical events for {}", self.rule)),
        }
    }
}

macro_rules! checks {
    ($($f:ident = $i:literal),* $(,)?) => {
        $(
            #[doc = concat!("The rule check of `CONTROLS[", stringify!($i), "]`.")]
            pub fn $f(m: &Model) -> Vec<Finding> {
                check(m, &CONTROLS[$i])
            }
        )*
    };
}

checks!(
    unauthorized_api_calls = 0,
    console_signin_without_mfa = 1,
    root_usage = 2,
    iam_policy_changes = 3,
    cloudtrail_changes = 4,
    console_auth_failures = 5,
    cmk_disable_or_delete = 6,
    s3_bucket_policy_changes = 7,
    config_changes = 8,
    security_group_changes = 9,
    nacl_changes = 10,
    network_gateway_changes = 11,
    route_table_changes = 12,
    vpc_changes = 13,
    organizations_changes = 14,
);

/// What a pattern does with a control's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternVerdict {
    pub matched: usize,
    pub missing: Vec<String>,
    pub matches_non_events: Vec<String>,
}

impl PatternVerdict {
    pub fn passes(&self) -> bool {
        self.missing.is_empty() && self.matches_non_events.is_empty()
    }
}

/// Runs the control's canonical events (and look-alikes) through a compiled pattern.
pub fn judge_pattern(events: &Events, pattern: &FilterPattern) -> PatternVerdict {
    let mut v = PatternVerdict {
        matched: 0,
        missing: Vec::new(),
        matches_non_events: Vec::new(),
    };
    for e in &events.events {
        if pattern.matches(&e.text) {
            v.matched += 1;
        } else {
            v.missing.push(e.label.clone());
        }
    }
    v.matches_non_events = events
        .non_events
        .iter()
        .filter(|e| pattern.matches(&e.text))
        .map(|e| e.label.clone())
        .collect();
    v
}

// ---------------------------------------------------------------- chains

#[derive(Debug, Clone)]
struct Problem {
    status: Status,
    resource: String,
    location: String,
    reason: String,
}

fn problem(status: Status, resource: &str, location: &str, reason: String) -> Problem {
    Problem {
        status,
        resource: resource.to_string(),
        location: location.to_string(),
        reason,
    }
}

/// One candidate path from a trail towards a subscriber, with what breaks it.
#[derive(Debug, Clone)]
struct Chain {
    problems: Vec<Problem>,
    /// How far it got: 0 no filter, 1 filter, 2 alarm, 3 topic.
    depth: u8,
    /// Canonical events its filter matches.
    matched: usize,
    /// Where a passing chain is reported, and how.
    at: (String, String),
    described: String,
}

impl Chain {
    fn count(&self, s: Status) -> usize {
        self.problems.iter().filter(|p| p.status == s).count()
    }

    /// Fewest failures, then fewest unknowns, then the furthest along.
    fn rank(&self) -> (usize, usize, Reverse<u8>, Reverse<usize>) {
        (
            self.count(Status::Fail),
            self.count(Status::NeedsRuntime),
            Reverse(self.depth),
            Reverse(self.matched),
        )
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What keeps the trail's own part of the chain from working.
fn trail_problems(t: &Trail, ev: &Events) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut at =
        |status, reason: String| out.push(problem(status, &t.address, &t.location, reason));
    let unknown = |u: &str| format!("not known before apply: {u}");
    match &t.multi_region {
        Fact::Known(true) => {}
        Fact::Known(false) => at(
            Status::Fail,
            "not a multi-Region trail: activity in other Regions never reaches its log group"
                .to_string(),
        ),
        Fact::Unknown(u) => at(Status::NeedsRuntime, unknown(u)),
    }
    match logging(t) {
        Fact::Known(true) => {}
        Fact::Known(false) => at(
            Status::Fail,
            "logging is off: no events reach its log group".to_string(),
        ),
        Fact::Unknown(u) => at(Status::NeedsRuntime, unknown(&u)),
    }
    let global = match &t.global_events {
        Fact::Known(g) => *g,
        Fact::Unknown(u) => {
            at(Status::NeedsRuntime, unknown(u));
            true
        }
    };
    match &t.selectors {
        Fact::Unknown(u) => at(Status::NeedsRuntime, unknown(u)),
        Fact::Known(sel) => {
            let scope = TrailScope {
                // Reach across Regions is judged above, on its own.
                home_region: "us-east-1".to_string(),
                multi_region: true,
                include_global_service_events: global,
                account_id: CANONICAL_ACCOUNT.to_string(),
                organization_accounts: Vec::new(),
            };
            let compiled = CompiledTrail::new(&scope, sel);
            let left_out: Vec<String> = ev
                .events
                .iter()
                .filter(|e| !compiled.captures(&e.record))
                .map(|e| e.label.clone())
                .collect();
            if !left_out.is_empty() {
                at(
                    Status::Fail,
                    format!(
                        "its event selectors leave out {}, so they never reach its log group",
                        list(&left_out)
                    ),
                );
            }
        }
    }
    out
}

/// Runs one control on the model.
pub fn check(m: &Model, c: &Control) -> Vec<Finding> {
    let ev = match c.events() {
        Ok(e) => e,
        Err(e) => {
            return vec![Finding {
                status: Status::Fail,
                resource: "account".to_string(),
                location: String::new(),
                reason: format!("internal error: {e}"),
            }];
        }
    };
    if m.trails.is_empty() {
        return vec![Finding {
            status: Status::Fail,
            resource: "account".to_string(),
            location: String::new(),
            reason: format!(
                "no trail: no CloudTrail events reach CloudWatch Logs, so nothing alarms on {}",
                c.what
            ),
        }];
    }
    let mut best: Vec<Chain> = Vec::new();
    for t in &m.trails {
        let chains = chains_of(m, t, c, ev);
        if let Some(pass) = chains.iter().find(|ch| ch.problems.is_empty()) {
            return vec![Finding {
                status: Status::Pass,
                resource: pass.at.0.clone(),
                location: pass.at.1.clone(),
                reason: pass.described.clone(),
            }];
        }
        if let Some(b) = chains.into_iter().min_by_key(Chain::rank) {
            best.push(b);
        }
    }
    // A chain held back only by values known after apply may still pass: say what to check
    // rather than fail on another trail's account.
    let hopeful: Vec<&Chain> = best.iter().filter(|b| b.count(Status::Fail) == 0).collect();
    let shown: Vec<&Chain> = if hopeful.is_empty() {
        best.iter().collect()
    } else {
        hopeful
    };
    let mut out: Vec<Finding> = Vec::new();
    for p in shown.iter().flat_map(|ch| &ch.problems) {
        if out
            .iter()
            .any(|f| f.resource == p.resource && f.reason == p.reason)
        {
            continue;
        }
        out.push(Finding {
            status: p.status,
            resource: p.resource.clone(),
            location: p.location.clone(),
            reason: p.reason.clone(),
        });
    }
    out
}

/// Where findings about a target are reported: the resource when it is in the input.
fn place_of<'a>(
    target: &Target,
    resources: impl Iterator<Item = (&'a String, &'a String)>,
    fallback: (&'a str, &'a str),
) -> (String, String) {
    if let Target::Resource(a) = target {
        for (addr, loc) in resources {
            if addr == a {
                return (addr.clone(), loc.clone());
            }
        }
    }
    (fallback.0.to_string(), fallback.1.to_string())
}

fn chains_of(m: &Model, t: &Trail, c: &Control, ev: &'static Events) -> Vec<Chain> {
    let base = trail_problems(t, ev);
    let lone = |mut problems: Vec<Problem>, status: Status, reason: String| {
        problems.push(problem(status, &t.address, &t.location, reason));
        vec![Chain {
            problems,
            depth: 0,
            matched: 0,
            at: (t.address.clone(), t.location.clone()),
            described: String::new(),
        }]
    };
    let group = match &t.log_group {
        None => {
            return lone(
                base,
                Status::Fail,
                "cloud_watch_logs_group_arn is not set: its events reach no log group a metric filter could read"
                    .to_string(),
            );
        }
        Some(Target::Unknown(u)) => {
            return lone(
                base,
                Status::NeedsRuntime,
                format!("its log group is not known before apply: {u}"),
            );
        }
        Some(g) => g,
    };
    let mon = &m.monitoring;
    let group_shown = group.shown();
    let mut chains = Vec::new();
    let mut on_group = 0;
    let mut invalid: Vec<String> = Vec::new();
    for f in &mon.filters {
        let Some(fg) = &f.group else { continue };
        let mut problems = base.clone();
        match same(fg, group) {
            Fact::Known(false) => continue,
            Fact::Known(true) => on_group += 1,
            Fact::Unknown(u) => problems.push(problem(
                Status::NeedsRuntime,
                &f.address,
                &f.location,
                format!("whether it is on log group {group_shown} is not known before apply: {u}"),
            )),
        }
        let matched = match &f.pattern {
            Fact::Unknown(u) => {
                problems.push(problem(
                    Status::NeedsRuntime,
                    &f.address,
                    &f.location,
                    format!("its pattern is not known before apply: {u}"),
                ));
                0
            }
            Fact::Known(p) => match FilterPattern::compile(p) {
                Err(e) => {
                    invalid.push(format!("{} ({})", f.address, e.detail()));
                    continue;
                }
                Ok(fp) => {
                    let v = judge_pattern(ev, &fp);
                    // A filter that matches none of the events is another control's filter.
                    if v.matched == 0 {
                        continue;
                    }
                    if !v.missing.is_empty() {
                        problems.push(problem(
                            Status::Fail,
                            &f.address,
                            &f.location,
                            format!(
                                "its pattern matches {} of the {} canonical events of {}; it misses {}",
                                v.matched,
                                ev.events.len(),
                                c.what,
                                list(&v.missing)
                            ),
                        ));
                    }
                    if !v.matches_non_events.is_empty() {
                        problems.push(problem(
                            Status::Fail,
                            &f.address,
                            &f.location,
                            format!(
                                "its pattern also matches {}, which {} not {}: the alarm would go off on ordinary activity",
                                list(&v.matches_non_events),
                                if v.matches_non_events.len() == 1 { "is" } else { "are" },
                                c.what
                            ),
                        ));
                    }
                    v.matched
                }
            },
        };
        let described = format!(
            "{} sends its events to log group {group_shown}, where {} matches {}",
            t.label(),
            f.address,
            if matched == ev.events.len() {
                format!("all {} canonical events of {}", ev.events.len(), c.what)
            } else {
                format!("{matched} of the {} canonical events", ev.events.len())
            }
        );
        chains.extend(alarm_chains(m, f, problems, matched, described));
    }
    if chains.is_empty() {
        let place = place_of(
            group,
            mon.log_groups.iter().map(|g| (&g.address, &g.location)),
            (&t.address, &t.location),
        );
        let mut reason = format!(
            "no metric filter on log group {group_shown} matches {}",
            c.what
        );
        if on_group > 0 {
            reason.push_str(&format!(
                " ({} on the group, none matching any of its {} canonical events)",
                plural(on_group, "metric filter", "metric filters"),
                ev.events.len()
            ));
        }
        if !invalid.is_empty() {
            reason.push_str(&format!(
                "; patterns that do not compile: {}",
                list(&invalid)
            ));
        }
        let mut problems = base;
        problems.push(problem(Status::Fail, &place.0, &place.1, reason));
        return vec![Chain {
            problems,
            depth: 0,
            matched: 0,
            at: place,
            described: String::new(),
        }];
    }
    chains
}

/// Whether an alarm watches the filter's metric.
fn watches(a: &Alarm, f: &MetricFilter, name: &str, namespace: &str) -> Fact<bool> {
    match (&a.metric_name, &a.namespace) {
        (Fact::Unknown(u), _) | (_, Fact::Unknown(u)) => Fact::Unknown(u.clone()),
        (Fact::Known(Some(n)), Fact::Known(Some(ns))) => Fact::Known(
            n == name && ns == namespace && regions_agree(a.region.as_deref(), f.region.as_deref()),
        ),
        _ => Fact::Known(false),
    }
}

/// Whether one matching event (a metric filter's data point of 1, as the CIS filters emit)
/// crosses the alarm's threshold: `Some(true/false)` when the alarm's statistic, threshold
/// and operator are known, `None` otherwise (metric math, values known after apply).
fn fires_on_one_event(a: &Alarm) -> Option<bool> {
    let (Fact::Known(Some(t)), Fact::Known(Some(op))) = (&a.threshold, &a.comparison_operator)
    else {
        return None;
    };
    // Sum, SampleCount, Minimum, Maximum and Average of one data point of 1 are all 1.
    let v = 1.0;
    match op.as_str() {
        "GreaterThanOrEqualToThreshold" => Some(v >= *t),
        "GreaterThanThreshold" => Some(v > *t),
        "LessThanThreshold" => Some(v < *t),
        "LessThanOrEqualToThreshold" => Some(v <= *t),
        _ => None,
    }
}

fn alarm_chains(
    m: &Model,
    f: &MetricFilter,
    mut problems: Vec<Problem>,
    matched: usize,
    described: String,
) -> Vec<Chain> {
    let chain = |problems: Vec<Problem>, depth: u8, described: String| Chain {
        problems,
        depth,
        matched,
        at: (f.address.clone(), f.location.clone()),
        described,
    };
    let (name, namespace) = match (&f.metric_name, &f.metric_namespace) {
        (Fact::Known(n), Fact::Known(ns)) => (n, ns),
        (Fact::Unknown(u), _) | (_, Fact::Unknown(u)) => {
            problems.push(problem(
                Status::NeedsRuntime,
                &f.address,
                &f.location,
                format!("its metric is not known before apply: {u}"),
            ));
            return vec![chain(problems, 1, described)];
        }
    };
    let metric = format!("{namespace}/{name}");
    let mut out = Vec::new();
    for a in &m.monitoring.alarms {
        let mut p = problems.clone();
        match watches(a, f, name, namespace) {
            Fact::Known(false) => continue,
            Fact::Known(true) => {}
            Fact::Unknown(u) => p.push(problem(
                Status::NeedsRuntime,
                &a.address,
                &a.location,
                format!("whether it watches metric {metric} is not known before apply: {u}"),
            )),
        }
        match &a.actions_enabled {
            Fact::Known(true) => {}
            Fact::Known(false) => p.push(problem(
                Status::Fail,
                &a.address,
                &a.location,
                "its actions are disabled (actions_enabled = false): it notifies nobody"
                    .to_string(),
            )),
            Fact::Unknown(u) => p.push(problem(
                Status::NeedsRuntime,
                &a.address,
                &a.location,
                format!("not known before apply: {u}"),
            )),
        }
        let fires = fires_on_one_event(a);
        if fires == Some(false) {
            let threshold = a.threshold.known().copied().flatten().unwrap_or_default();
            let op = a
                .comparison_operator
                .known()
                .cloned()
                .flatten()
                .unwrap_or_default();
            p.push(problem(
                Status::NeedsRuntime,
                &a.address,
                &a.location,
                format!(
                    "one matching event (a data point of 1) does not cross its threshold ({op} {threshold}): it fires only when more events arrive in one period"
                ),
            ));
        }
        let described = format!(
            "{described}; alarm {} on {metric}{}",
            a.address,
            if fires == Some(true) {
                " (fires on the first matching event)"
            } else {
                ""
            }
        );
        match &a.topics {
            Fact::Unknown(u) => {
                p.push(problem(
                    Status::NeedsRuntime,
                    &a.address,
                    &a.location,
                    format!("its alarm_actions are not known before apply: {u}"),
                ));
                out.push(chain(p, 2, described));
            }
            Fact::Known(topics) if topics.is_empty() => {
                p.push(problem(
                    Status::Fail,
                    &a.address,
                    &a.location,
                    "its alarm_actions name no SNS topic: it notifies nobody".to_string(),
                ));
                out.push(chain(p, 2, described));
            }
            Fact::Known(topics) => {
                for topic in topics {
                    let mut q = p.clone();
                    let subscribers = topic_problems(m, a, topic, &mut q);
                    out.push(chain(
                        q,
                        3,
                        format!(
                            "{described} notifies {} ({})",
                            topic.shown(),
                            plural(subscribers, "subscription", "subscriptions")
                        ),
                    ));
                }
            }
        }
    }
    if out.is_empty() {
        problems.push(problem(
            Status::Fail,
            &f.address,
            &f.location,
            format!("no aws_cloudwatch_metric_alarm watches its metric {metric}"),
        ));
        out.push(chain(problems, 1, described));
    }
    out
}

/// Adds what keeps the topic from reaching anyone; returns its confirmed subscriptions.
fn topic_problems(m: &Model, a: &Alarm, topic: &Target, out: &mut Vec<Problem>) -> usize {
    let mon = &m.monitoring;
    if let Target::Unknown(u) = topic {
        out.push(problem(
            Status::NeedsRuntime,
            &a.address,
            &a.location,
            format!("the SNS topic it notifies is not known before apply: {u}"),
        ));
        return 0;
    }
    let place = place_of(
        topic,
        mon.topics.iter().map(|t| (&t.address, &t.location)),
        (&a.address, &a.location),
    );
    let mut confirmed = 0;
    let mut pending = Vec::new();
    let mut maybe = Vec::new();
    for s in &mon.subscriptions {
        let Some(st) = &s.topic else { continue };
        match same(st, topic) {
            Fact::Known(false) => {}
            Fact::Known(true) if s.pending == Some(true) => pending.push(format!(
                "{} ({} {})",
                s.address,
                s.protocol.known().map_or("?", String::as_str),
                s.endpoint
                    .known()
                    .map_or("(endpoint known after apply)", String::as_str)
            )),
            Fact::Known(true) => confirmed += 1,
            Fact::Unknown(u) => maybe.push(format!("{}: {u}", s.address)),
        }
    }
    if confirmed > 0 {
        return confirmed;
    }
    let shown = topic.shown();
    let (status, reason) = if !maybe.is_empty() {
        (
            Status::NeedsRuntime,
            format!(
                "whether its subscriptions are to topic {shown} is not known before apply: {}",
                list(&maybe)
            ),
        )
    } else if !pending.is_empty() {
        (
            Status::Fail,
            format!(
                "its only subscriptions are pending confirmation ({}): alarms on {shown} reach nobody",
                list(&pending)
            ),
        )
    } else if matches!(topic, Target::External { .. }) {
        (
            Status::NeedsRuntime,
            format!(
                "topic {shown} is not defined in this input: whether anyone subscribes to it is a fact of the account; check it with --live"
            ),
        )
    } else {
        (
            Status::Fail,
            format!("topic {shown} has no subscription: its alarms notify nobody"),
        )
    };
    out.push(problem(status, &place.0, &place.1, reason));
    0
}

#[cfg(test)]
mod tests;
