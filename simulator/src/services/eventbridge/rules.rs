//! Rules: the stored rule document (with its targets), rule ARNs, and PutRule,
//! DescribeRule, DeleteRule, ListRules, EnableRule, DisableRule.
//!
//! A rule is one document (service `events`, kind `rule`, id `BUS/NAME`) in its account
//! and region. It remembers the last event sequence number recorded when it was created or
//! enabled, so the delivery pass ([`crate::pipeline::eventbridge`]) never hands it events
//! that happened before it could see them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::buses::{self, Bus};
use super::errors::{
    check_limit, check_max_len, check_name, constraint, invalid_next_token, limit_exceeded,
    rule_not_found, validation,
};
use super::model::*;
use super::pattern::EventPattern;
use super::{SERVICE, schedule, tags};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::policy::{Policy, Request, RequestPrincipal, evaluate_resource_policy};
use crate::services::cloudtrail::names::partition_for;
use crate::services::{Env, iam};
use crate::store::DocKey;

pub const RULE_KIND: &str = "rule";

pub const ENABLED: &str = "ENABLED";
pub const DISABLED: &str = "DISABLED";
pub const ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS: &str =
    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
const STATES: [&str; 3] = [
    ENABLED,
    DISABLED,
    ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS,
];

/// EventBridge's default quota of rules per event bus.
pub const MAX_RULES_PER_BUS: usize = 300;

/// The principal EventBridge acts as when it assumes a rule's or a target's role and when
/// it delivers to a target.
pub const SERVICE_PRINCIPAL: &str = "events.amazonaws.com";

/// A rule as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RuleDoc {
    pub name: String,
    pub bus: String,
    pub arn: String,
    pub account: String,
    pub region: String,
    pub event_pattern: Option<String>,
    pub schedule_expression: Option<String>,
    pub state: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    /// The targets as PutTargets accepted them (AWS member names), in the order added.
    pub targets: Vec<Value>,
    /// Events with a sequence number up to this one were recorded before the rule was
    /// created or last enabled: it never sees them.
    pub since_seq: i64,
    pub created_ms: i64,
}

impl RuleDoc {
    /// Enabled in either of the two enabled states.
    pub fn is_enabled(&self) -> bool {
        self.state != DISABLED
    }

    pub fn is_on_default_bus(&self) -> bool {
        self.bus == buses::DEFAULT_BUS
    }

    fn summary(&self) -> RuleSummary {
        RuleSummary {
            name: self.name.clone(),
            arn: self.arn.clone(),
            event_pattern: self.event_pattern.clone(),
            state: self.state.clone(),
            description: self.description.clone(),
            schedule_expression: self.schedule_expression.clone(),
            role_arn: self.role_arn.clone(),
            managed_by: None,
            event_bus_name: self.bus.clone(),
        }
    }
}

/// `arn:aws:events:REGION:ACCOUNT:rule/NAME`, with `BUS/` before the name off the default bus.
pub fn rule_arn(region: &str, account: &str, bus: &str, name: &str) -> String {
    let partition = partition_for(region);
    if bus == buses::DEFAULT_BUS {
        format!("arn:{partition}:events:{region}:{account}:rule/{name}")
    } else {
        format!("arn:{partition}:events:{region}:{account}:rule/{bus}/{name}")
    }
}

/// (region, account, bus, name) of a rule ARN; `None` for anything else.
pub fn parse_rule_arn(arn: &str) -> Option<(String, String, String, String)> {
    let rest = arn.strip_prefix("arn:")?;
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [partition, "events", region, account, resource] = parts.as_slice() else {
        return None;
    };
    if !partition.starts_with("aws") || region.is_empty() || account.len() != 12 {
        return None;
    }
    let path = resource.strip_prefix("rule/")?;
    let (bus, name) = match path.rsplit_once('/') {
        Some((bus, name)) => (bus, name),
        None => (buses::DEFAULT_BUS, path),
    };
    if name.is_empty() || bus.is_empty() {
        return None;
    }
    Some((
        region.to_string(),
        account.to_string(),
        bus.to_string(),
        name.to_string(),
    ))
}

fn doc_id(bus: &str, name: &str) -> String {
    format!("{bus}/{name}")
}

pub fn load(env: &Env<'_>, bus: &Bus, name: &str) -> Result<Option<RuleDoc>, AwsError> {
    let id = doc_id(&bus.name, name);
    let key = DocKey {
        service: SERVICE,
        kind: RULE_KIND,
        account_id: &bus.account,
        region: &bus.region,
        id: &id,
    };
    match env.db.document(&key)? {
        None => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| AwsError::internal(format!("corrupt rule document {id}: {e}"))),
    }
}

pub fn save(env: &Env<'_>, rule: &RuleDoc) -> Result<(), AwsError> {
    let id = doc_id(&rule.bus, &rule.name);
    let body = serde_json::to_value(rule)
        .map_err(|e| AwsError::internal(format!("cannot serialise rule: {e}")))?;
    env.db.put_document(
        &DocKey {
            service: SERVICE,
            kind: RULE_KIND,
            account_id: &rule.account,
            region: &rule.region,
            id: &id,
        },
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

fn remove(env: &Env<'_>, rule: &RuleDoc) -> Result<(), AwsError> {
    let id = doc_id(&rule.bus, &rule.name);
    env.db.delete_document(&DocKey {
        service: SERVICE,
        kind: RULE_KIND,
        account_id: &rule.account,
        region: &rule.region,
        id: &id,
    })?;
    Ok(())
}

/// Every rule of an account and region (all buses, or every account and region with
/// `None`), ordered by bus then name.
pub fn rules(
    env: &Env<'_>,
    account: Option<&str>,
    region: Option<&str>,
) -> Result<Vec<RuleDoc>, AwsError> {
    env.db
        .documents(SERVICE, RULE_KIND, account, region)?
        .into_iter()
        .map(|d| {
            serde_json::from_value::<RuleDoc>(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt rule document {}: {e}", d.id)))
        })
        .collect()
}

/// The rules of one bus, ordered by name.
pub fn rules_on_bus(env: &Env<'_>, bus: &Bus) -> Result<Vec<RuleDoc>, AwsError> {
    let mut out: Vec<RuleDoc> = rules(env, Some(&bus.account), Some(&bus.region))?
        .into_iter()
        .filter(|r| r.bus == bus.name)
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The existing rule a request names, with its bus.
pub fn find(
    env: &Env<'_>,
    ctx: &CallerContext,
    name: &str,
    bus: Option<&str>,
    name_member: &str,
) -> Result<(Bus, RuleDoc), AwsError> {
    check_name(name, name_member, 64)?;
    let bus = buses::resolve(env, ctx, bus, "eventBusName")?;
    match load(env, &bus, name)? {
        Some(rule) => Ok((bus, rule)),
        None => Err(rule_not_found(name, &bus.name)),
    }
}

/// A page of `items` (sorted by their key) after the key a `NextToken` carries.
pub fn page<T>(
    items: Vec<(String, T)>,
    token: Option<&str>,
    limit: usize,
) -> Result<(Vec<T>, Option<String>), AwsError> {
    let after = match token {
        None => None,
        Some(t) => {
            let bytes = hex::decode(t).map_err(|_| invalid_next_token())?;
            Some(String::from_utf8(bytes).map_err(|_| invalid_next_token())?)
        }
    };
    let mut rest: Vec<(String, T)> = items
        .into_iter()
        .filter(|(k, _)| after.as_ref().is_none_or(|a| k > a))
        .collect();
    let next = if rest.len() > limit {
        rest.truncate(limit);
        rest.last().map(|(k, _)| hex::encode(k))
    } else {
        None
    };
    Ok((rest.into_iter().map(|(_, v)| v).collect(), next))
}

/// The `since_seq` of a rule created or enabled now: every event recorded so far, and the
/// record of this very call (appended next, in the same transaction), happened before the
/// rule could see them.
fn first_unseen_seq(env: &Env<'_>) -> Result<i64, AwsError> {
    Ok(env.db.max_event_seq()? + 1)
}

/// The role a rule names must let EventBridge assume it (hashicorp/aws retries PutRule
/// while it does not, for IAM's propagation). Roles of other accounts cannot be checked
/// here and are taken as given.
fn check_role(
    env: &Env<'_>,
    ctx: &CallerContext,
    role_arn: &str,
    rule_arn: &str,
) -> Result<(), AwsError> {
    check_max_len(role_arn, "roleArn", 1600)?;
    let refused = || {
        validation(format!(
            "Provided role '{role_arn}' cannot be assumed by principal '{SERVICE_PRINCIPAL}'."
        ))
    };
    let account = role_arn.split(':').nth(4).unwrap_or_default();
    if !role_arn.starts_with("arn:") || !role_arn.contains(":role/") {
        return Err(refused());
    }
    if account != ctx.account_id {
        return Ok(());
    }
    let Some(role) = iam::role_by_arn(env, role_arn)? else {
        return Err(refused());
    };
    let Ok(trust) = Policy::parse_str(&role.trust_policy) else {
        return Err(refused());
    };
    let request = Request::new(
        RequestPrincipal::service(SERVICE_PRINCIPAL),
        "sts:AssumeRole",
        role_arn,
    )
    .with("aws:SourceArn", rule_arn)
    .with("aws:SourceAccount", &ctx.account_id)
    .with("aws:PrincipalIsAWSService", "true");
    if evaluate_resource_policy(&trust, &request).is_allowed() {
        Ok(())
    } else {
        Err(refused())
    }
}

fn check_state(state: &str) -> Result<(), AwsError> {
    if STATES.contains(&state) {
        return Ok(());
    }
    Err(validation(constraint(
        state,
        "state",
        "Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]",
    )))
}

/// Compiles a rule's pattern under EventBridge's default size quota (2048 characters; the
/// API takes up to 4096 once the quota is raised, which the simulator does not model).
pub fn compile_pattern(text: &str) -> Result<EventPattern, AwsError> {
    check_max_len(text, "eventPattern", 4096)?;
    EventPattern::compile(text).map_err(|e| {
        AwsError::client(
            super::pattern::PatternError::ERROR_CODE,
            e.message().to_string(),
        )
    })
}

pub fn put_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutRuleRequest,
) -> Result<PutRuleResponse, AwsError> {
    check_name(&req.name, "name", 64)?;
    if let Some(s) = &req.state {
        check_state(s)?;
    }
    if let Some(d) = &req.description {
        check_max_len(d, "description", 512)?;
    }
    if let Some(s) = &req.schedule_expression {
        check_max_len(s, "scheduleExpression", 256)?;
    }
    let bus = buses::resolve(env, ctx, req.event_bus_name.as_deref(), "eventBusName")?;
    let pattern = req.event_pattern.clone().filter(|p| !p.is_empty());
    let schedule = req.schedule_expression.clone().filter(|s| !s.is_empty());
    if pattern.is_none() && schedule.is_none() {
        return Err(validation(
            "Parameter(s) EventPattern or ScheduleExpression must be specified.",
        ));
    }
    if let Some(s) = &schedule {
        if !bus.is_default() {
            return Err(validation(
                "ScheduleExpression is supported only on the default event bus.",
            ));
        }
        schedule::check(s)?;
    }
    if let Some(p) = &pattern {
        compile_pattern(p)?;
    }
    let arn = rule_arn(&bus.region, &bus.account, &bus.name, &req.name);
    if let Some(role) = &req.role_arn {
        check_role(env, ctx, role, &arn)?;
    }
    if let Some(t) = &req.tags {
        tags::validate(t)?;
    }
    let state = req.state.clone().unwrap_or_else(|| ENABLED.to_string());
    let existing = load(env, &bus, &req.name)?;
    let since_seq = match &existing {
        // Still enabled: it keeps seeing events from where it was.
        Some(old) if old.is_enabled() => old.since_seq,
        _ => first_unseen_seq(env)?,
    };
    if existing.is_none() && rules_on_bus(env, &bus)?.len() >= MAX_RULES_PER_BUS {
        return Err(limit_exceeded());
    }
    let (targets, created_ms) = match existing {
        Some(old) => (old.targets, old.created_ms),
        None => (Vec::new(), clock::to_millis(env.now)),
    };
    // Every setting is replaced; what the request leaves out is cleared, as AWS does.
    let rule = RuleDoc {
        name: req.name.clone(),
        bus: bus.name.clone(),
        arn: arn.clone(),
        account: bus.account.clone(),
        region: bus.region.clone(),
        event_pattern: pattern,
        schedule_expression: schedule,
        state,
        description: req.description.clone().filter(|d| !d.is_empty()),
        role_arn: req.role_arn.clone().filter(|r| !r.is_empty()),
        targets,
        since_seq,
        created_ms,
    };
    save(env, &rule)?;
    if let Some(t) = &req.tags {
        tags::add(env, &arn, t)?;
    }
    Ok(PutRuleResponse { rule_arn: arn })
}

pub fn describe_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RuleNameRequest,
) -> Result<DescribeRuleResponse, AwsError> {
    let (_, rule) = find(env, ctx, &req.name, req.event_bus_name.as_deref(), "name")?;
    Ok(DescribeRuleResponse {
        name: rule.name.clone(),
        arn: rule.arn.clone(),
        event_pattern: rule.event_pattern.clone(),
        schedule_expression: rule.schedule_expression.clone(),
        state: rule.state.clone(),
        description: rule.description.clone(),
        role_arn: rule.role_arn.clone(),
        managed_by: None,
        event_bus_name: rule.bus.clone(),
        created_by: rule.account.clone(),
    })
}

/// Deletes a rule that has no targets. A rule that does not exist is already deleted.
/// `Force` concerns rules managed by AWS services, which the simulator has none of.
pub fn delete_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteRuleRequest,
) -> Result<Empty, AwsError> {
    check_name(&req.name, "name", 64)?;
    let bus = buses::resolve(env, ctx, req.event_bus_name.as_deref(), "eventBusName")?;
    let Some(rule) = load(env, &bus, &req.name)? else {
        return Ok(Empty {});
    };
    if !rule.targets.is_empty() {
        return Err(validation("Rule can't be deleted since it has targets."));
    }
    remove(env, &rule)?;
    tags::remove_all(env, &rule.arn)?;
    Ok(Empty {})
}

pub fn list_rules(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListRulesRequest,
) -> Result<ListRulesResponse, AwsError> {
    if let Some(p) = &req.name_prefix {
        check_name(p, "namePrefix", 64)?;
    }
    let limit = check_limit(req.limit)?;
    let bus = buses::resolve(env, ctx, req.event_bus_name.as_deref(), "eventBusName")?;
    let items = rules_on_bus(env, &bus)?
        .into_iter()
        .filter(|r| {
            req.name_prefix
                .as_deref()
                .is_none_or(|p| r.name.starts_with(p))
        })
        .map(|r| (r.name.clone(), r.summary()))
        .collect();
    let (rules, next_token) = page(items, req.next_token.as_deref(), limit)?;
    Ok(ListRulesResponse { rules, next_token })
}

fn set_state(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RuleNameRequest,
    enable: bool,
) -> Result<Empty, AwsError> {
    let (_, mut rule) = find(env, ctx, &req.name, req.event_bus_name.as_deref(), "name")?;
    match (enable, rule.is_enabled()) {
        // Enabling an enabled rule keeps its state (and the events it has been seeing).
        (true, true) | (false, false) => return Ok(Empty {}),
        (true, false) => {
            rule.state = ENABLED.to_string();
            rule.since_seq = first_unseen_seq(env)?;
        }
        (false, true) => rule.state = DISABLED.to_string(),
    }
    save(env, &rule)?;
    Ok(Empty {})
}

pub fn enable_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RuleNameRequest,
) -> Result<Empty, AwsError> {
    set_state(env, ctx, req, true)
}

pub fn disable_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RuleNameRequest,
) -> Result<Empty, AwsError> {
    set_state(env, ctx, req, false)
}
