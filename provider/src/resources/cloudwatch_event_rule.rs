//! aws_cloudwatch_event_rule: PutRule / DescribeRule / DeleteRule and the rule's tags. ID:
//! the rule name on the default bus, `BUS/NAME` on another bus (hashicorp/aws's
//! `ruleCreateResourceID`); import takes the same.
//!
//! As hashicorp/aws does: `event_pattern` is kept normalized (keys sorted, compact; its
//! StateFunc), so equivalent JSON never shows as a change; a `state` left out of the
//! configuration keeps what AWS has, and `is_enabled` (deprecated) only matters when set.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_common::import_region;
use super::support::{
    after_write, arg, fail, generated_name, json_str, name_prefix_from_name, retry_when, tag_diff,
    tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "EventBridge Rule";
const SERVICE: &str = "events";
const LABEL: &str = "EventBridge";
pub const DEFAULT_BUS: &str = "default";

/// `types.RuleState` values.
const STATES: &[&str] = &[
    "DISABLED",
    "ENABLED",
    "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
];

/// The longest normalized `event_pattern` hashicorp/aws accepts.
const MAX_PATTERN_LENGTH: usize = 4096;

pub struct Rule {
    schema: Schema,
}

impl Default for Rule {
    fn default() -> Self {
        Self::new()
    }
}

impl Rule {
    pub fn new() -> Self {
        Rule {
            schema: Schema::resource("aws_cloudwatch_event_rule")
                // validation.StringLenBetween(0, 512)
                .attr("description", |a| a.validate(Validator::LenBetween(0, 512)))
                // validBusNameOrARN (checked in validate), ForceNew, Default "default"
                .attr("event_bus_name", |a| {
                    a.force_new().default(Value::String(DEFAULT_BUS.into()))
                })
                .attr("force_destroy", |a| a.default(Value::Bool(false)))
                // validateRuleName (checked in validate), ForceNew
                .attr("name", Attribute::force_new)
                .attr("name_prefix", Attribute::force_new)
                // verify.ValidARN
                .attr("role_arn", |a| a.validate(Validator::Arn))
                // validation.StringLenBetween(0, 256)
                .attr("schedule_expression", |a| {
                    a.validate(Validator::LenBetween(0, 256))
                })
                // enum.Validate[types.RuleState]()
                .attr("state", |a| a.validate(Validator::OneOf(STATES))),
        }
    }
}

/// `ruleCreateResourceID`: the name alone on the default bus.
pub fn rule_id(bus: &str, name: &str) -> String {
    if bus.is_empty() || bus == DEFAULT_BUS {
        name.to_string()
    } else {
        format!("{bus}/{name}")
    }
}

/// `^[0-9A-Za-z_.-]+$` (rule names and target IDs).
fn name_chars_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// `eventBusARNPattern`: `arn:aws*:events:REGION:ACCOUNT:event-bus/NAME`.
fn is_bus_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "events", region, account, resource] => {
            partition.starts_with("aws")
                && region.len() > 3
                && account.len() == 12
                && account.bytes().all(|b| b.is_ascii_digit())
                && resource
                    .strip_prefix("event-bus/")
                    .is_some_and(name_chars_ok)
        }
        _ => false,
    }
}

/// `partnerEventBusPattern`: `[ARN-prefix]aws.partner/x/y...`.
fn is_partner_bus(s: &str) -> bool {
    let name = s.rsplit_once(":event-bus/").map_or(s, |(_, n)| n);
    name.strip_prefix("aws.partner")
        .is_some_and(|rest| rest.split('/').skip(1).filter(|p| name_chars_ok(p)).count() >= 2)
}

/// `ruleParseResourceID`: (bus, name).
pub fn parse_rule_id(id: &str) -> Result<(String, String), Diag> {
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        [name] if !name.is_empty() => return Ok((DEFAULT_BUS.to_string(), name.to_string())),
        [bus, name] if !bus.is_empty() && !name.is_empty() => {
            return Ok((bus.to_string(), name.to_string()));
        }
        _ => {}
    }
    if parts.len() > 2
        && let Some((bus, name)) = id.rsplit_once('/')
        && !name.is_empty()
        && (is_bus_arn(bus) || is_partner_bus(bus))
    {
        return Ok((bus.to_string(), name.to_string()));
    }
    Err(Diag::error(format!(
        "unexpected format for ID ({id}), expected EVENTBUSNAME/RULENAME or RULENAME"
    )))
}

/// `validateRuleName` (also `validateTargetID`), in its words.
pub fn name_problems(attr: &str, value: &str) -> Vec<Diag> {
    let mut out = Vec::new();
    if value.len() > 64 {
        out.push(
            Diag::error(format!(
                "\"{attr}\" cannot be longer than 64 characters: \"{value}\""
            ))
            .at(attr_path(attr)),
        );
    }
    if !name_chars_ok(value) {
        out.push(
            Diag::error(format!(
                "\"{attr}\" doesn't comply with restrictions (\"^[0-9A-Za-z_.-]+$\"): \"{value}\""
            ))
            .at(attr_path(attr)),
        );
    }
    out
}

/// `validBusNameOrARN`: 1-1600 characters, an event bus ARN or `[/\.\-_A-Za-z0-9]+`.
pub fn bus_problem(attr: &str, value: &str) -> Option<Diag> {
    let len = value.len();
    if !(1..=1600).contains(&len) {
        return Some(
            Diag::error(format!(
                "expected length of {attr} to be in the range (1 - 1600), got {value}"
            ))
            .at(attr_path(attr)),
        );
    }
    let name_ok = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'));
    if name_ok || is_bus_arn(value) {
        return None;
    }
    Some(
        Diag::error(format!(
            "expected value of {attr} to match regular expression \"^[/\\\\.\\\\-_A-Za-z0-9]+$\", got {value}"
        ))
        .at(attr_path(attr)),
    )
}

/// `ruleEventPatternJSONDecoder`: compact JSON with keys sorted and `<`, `>`, `&` left as
/// they are; the text unchanged when it is not JSON.
pub fn normalize_pattern(text: &str) -> String {
    policy_json::normalize(text)
}

fn events_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, LABEL, op, &e)
}

/// The `State` PutRule is given: `state` when configured, else `is_enabled` when
/// configured (hashicorp/aws reads both from the raw configuration). A `state` or
/// `is_enabled` the plan only kept from the prior state is re-sent as it is.
fn requested_state<'v>(prior: &Value, planned: &'v Value) -> Option<&'v str> {
    let is_enabled = planned.attr("is_enabled").bool_opt();
    let enabled_changed = is_enabled.is_some() && prior.attr("is_enabled").bool_opt() != is_enabled;
    if enabled_changed || (arg(planned, "state").is_none() && is_enabled.is_some()) {
        return Some(if is_enabled == Some(true) {
            "ENABLED"
        } else {
            "DISABLED"
        });
    }
    arg(planned, "state")
}

impl Rule {
    fn put_rule(
        &self,
        ctx: &Ctx,
        region: &str,
        name: &str,
        prior: &Value,
        planned: &Value,
    ) -> Result<String, ctsim::AwsError> {
        let mut req = json!({"Name": name});
        if let Some(d) = arg(planned, "description") {
            req["Description"] = json!(d);
        }
        if let Some(b) = arg(planned, "event_bus_name") {
            req["EventBusName"] = json!(b);
        }
        if let Some(p) = arg(planned, "event_pattern") {
            req["EventPattern"] = json!(normalize_pattern(p));
        }
        if let Some(r) = arg(planned, "role_arn") {
            req["RoleArn"] = json!(r);
        }
        if let Some(s) = arg(planned, "schedule_expression") {
            req["ScheduleExpression"] = json!(s);
        }
        if let Some(s) = requested_state(prior, planned) {
            req["State"] = json!(s);
        }
        let tags = planned.attr("tags_all").string_map();
        if !tags.is_empty() {
            req["Tags"] = tags_to_list(&tags, "Key", "Value");
        }
        // retryPutRule: IAM may not have propagated the role yet.
        let out = retry_when(
            |e| {
                e.code == "ValidationException"
                    && e.message.contains("cannot be assumed by principal")
            },
            || ctx.call(region, SERVICE, "PutRule", req.clone()),
        )?;
        Ok(out["RuleArn"].as_str().unwrap_or_default().to_string())
    }
}

impl Resource for Rule {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_event_rule"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = super::iam_policy::validate_name_conflict(config);
        for attr in ["name", "name_prefix"] {
            if let Some(v) = config.attr(attr).str_opt() {
                diags.extend(name_problems(attr, v));
            }
        }
        if let Some(bus) = config.attr("event_bus_name").str_opt() {
            diags.extend(bus_problem("event_bus_name", bus));
        }
        if let Some(p) = config.attr("event_pattern").str_opt() {
            match policy_json::parse(p) {
                Err(e) => diags.push(
                    Diag::error(format!("\"event_pattern\" contains an invalid JSON: {e}"))
                        .at(attr_path("event_pattern")),
                ),
                Ok(_) => {
                    let normalized = normalize_pattern(p);
                    if normalized.len() > MAX_PATTERN_LENGTH {
                        diags.push(
                            Diag::error(format!(
                                "\"event_pattern\" cannot be longer than {MAX_PATTERN_LENGTH} characters: \"{normalized}\""
                            ))
                            .at(attr_path("event_pattern")),
                        );
                    }
                }
            }
        }
        // AtLeastOneOf: schedule_expression, event_pattern.
        let unset = |a: &str| matches!(config.attr(a), Value::Null);
        if unset("event_pattern") && unset("schedule_expression") {
            for attr in ["event_pattern", "schedule_expression"] {
                diags.push(
                    Diag::error("Missing required argument")
                        .detail(format!(
                            "\"{attr}\": one of `event_pattern,schedule_expression` must be specified"
                        ))
                        .at(attr_path(attr)),
                );
            }
        }
        // ConflictsWith, both ways.
        diags.extend(super::s3_common::conflict_problem(
            config,
            "is_enabled",
            "state",
        ));
        diags.extend(super::s3_common::conflict_problem(
            config,
            "state",
            "is_enabled",
        ));
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        // StateFunc: the pattern is stored normalized.
        if let Some(p) = planned.attr("event_pattern").str_opt() {
            let normalized = normalize_pattern(p);
            set_attr(planned, "event_pattern", string(normalized));
        }
        // DiffSuppressFunc: leaving `state` (or `is_enabled`) out keeps what is there.
        for attr in ["state", "is_enabled"] {
            let kept = prior.attr(attr);
            if matches!(planned.attr(attr), Value::Null)
                && !matches!(kept, Value::Null)
                && kept.str_opt() != Some("")
            {
                let kept = kept.clone();
                set_attr(planned, attr, kept);
            }
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = generated_name(arg(planned, "name"), arg(planned, "name_prefix"));
        let bus = arg(planned, "event_bus_name")
            .unwrap_or(DEFAULT_BUS)
            .to_string();
        self.put_rule(ctx, &region, &name, &Value::Null, planned)
            .map_err(events_err(format!("creating {WHAT} ({name})"), "PutRule"))
            .map_err(fail(None))?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(rule_id(&bus, &name)));
        set_attr(&mut state, "name", string(name.clone()));
        set_attr(&mut state, "region", string(region));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let (bus, name) = parse_rule_id(&id).map_err(|d| vec![d])?;
        let got = match ctx.call(
            &region,
            SERVICE,
            "DescribeRule",
            json!({"Name": name, "EventBusName": bus}),
        ) {
            Ok(g) => g,
            Err(e) if e.code == "ResourceNotFoundException" => return Ok(None),
            Err(e) => {
                return Err(vec![events_err(
                    format!("reading {WHAT} ({id})"),
                    "DescribeRule",
                )(e)]);
            }
        };
        let arn = got["Arn"].as_str().unwrap_or_default().to_string();
        let listed = ctx
            .call(
                &region,
                SERVICE,
                "ListTagsForResource",
                json!({"ResourceARN": arn}),
            )
            .map_err(|e| {
                vec![events_err(
                    format!("listing tags for {WHAT} ({arn})"),
                    "ListTagsForResource",
                )(e)]
            })?;
        let all_tags = tags_from_list(&listed["Tags"], "Key", "Value");
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let rule_state = got["State"].as_str().unwrap_or_default().to_string();
        let pattern = match got["EventPattern"].as_str() {
            Some(p) => string(normalize_pattern(p)),
            None => Value::Null,
        };
        let name = got["Name"].as_str().unwrap_or(&name).to_string();
        Ok(Some(object([
            ("id", string(id.clone())),
            ("arn", string(arn)),
            ("description", json_str(&got["Description"])),
            ("event_bus_name", string(bus)),
            ("event_pattern", pattern),
            (
                "force_destroy",
                Value::Bool(state.attr("force_destroy").bool_opt().unwrap_or(false)),
            ),
            (
                "is_enabled",
                Value::Bool(matches!(
                    rule_state.as_str(),
                    "ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
                )),
            ),
            ("name_prefix", name_prefix_from_name(&name)),
            ("name", string(name)),
            ("region", string(region)),
            ("role_arn", json_str(&got["RoleArn"])),
            ("schedule_expression", json_str(&got["ScheduleExpression"])),
            ("state", string(rule_state)),
            ("tags", tags),
            ("tags_all", tags_all),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(prior);
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        let (_, name) = parse_rule_id(&id).map_err(|d| (None, vec![d]))?;
        let unchanged = |a: &str| crate::values::semantically_equal(prior.attr(a), planned.attr(a));
        let only_tags = [
            "description",
            "event_pattern",
            "is_enabled",
            "role_arn",
            "schedule_expression",
            "state",
        ]
        .iter()
        .all(|a| unchanged(a));
        if !only_tags {
            self.put_rule(ctx, &region, &name, prior, planned)
                .map_err(events_err(format!("updating {WHAT} ({id})"), "PutRule"))
                .map_err(fail(None))?;
        }
        let (removed, added) = tag_diff(prior, planned);
        let arn = prior.attr("arn").str_opt().unwrap_or_default().to_string();
        if !removed.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "UntagResource",
                json!({"ResourceARN": arn, "TagKeys": removed}),
            )
            .map_err(events_err(
                format!("untagging {WHAT} ({arn})"),
                "UntagResource",
            ))
            .map_err(fail(None))?;
        }
        if !added.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "TagResource",
                json!({"ResourceARN": arn, "Tags": tags_to_list(&added, "Key", "Value")}),
            )
            .map_err(events_err(format!("tagging {WHAT} ({arn})"), "TagResource"))
            .map_err(fail(None))?;
        }
        let mut state = prior.clone();
        for attr in ["force_destroy", "tags"] {
            set_attr(&mut state, attr, planned.attr(attr).clone());
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let (bus, name) = parse_rule_id(&id).map_err(|d| vec![d])?;
        let mut req = json!({"Name": name, "EventBusName": bus});
        if state.attr("force_destroy").bool_opt() == Some(true) {
            req["Force"] = Json::Bool(true);
        }
        // Targets being removed in parallel may still be there for a moment.
        let result = retry_when(
            |e| {
                e.code == "ValidationException"
                    && e.message
                        .contains("Rule can't be deleted since it has targets")
            },
            || ctx.call(&region, SERVICE, "DeleteRule", req.clone()),
        );
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.code == "ResourceNotFoundException" => Ok(()),
            Err(e) => Err(vec![events_err(
                format!("deleting {WHAT} ({id})"),
                "DeleteRule",
            )(e)]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let (id, region) = import_region(ctx, id);
        parse_rule_id(&id).map_err(|d| vec![d])?;
        Ok(object([
            ("id", string(id)),
            ("region", string(region)),
            ("force_destroy", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_name_on_the_default_bus_and_bus_slash_name_elsewhere() {
        assert_eq!(rule_id("default", "r"), "r");
        assert_eq!(rule_id("", "r"), "r");
        assert_eq!(rule_id("orders", "r"), "orders/r");
        let parse = |id: &str| parse_rule_id(id).ok();
        assert_eq!(parse("r"), Some(("default".into(), "r".into())));
        assert_eq!(parse("orders/r"), Some(("orders".into(), "r".into())));
        let arn = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
        assert_eq!(parse(&format!("{arn}/r")), Some((arn.into(), "r".into())));
        assert_eq!(
            parse("aws.partner/example.com/123/r"),
            Some(("aws.partner/example.com/123".into(), "r".into()))
        );
        for bad in ["", "/r", "orders/", "a/b/c"] {
            assert!(parse_rule_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn equivalent_patterns_normalize_to_the_same_text() {
        let a = r#"{ "source": ["aws.cloudtrail"], "detail": {"eventName": ["StopLogging"]} }"#;
        let b = r#"{"detail":{"eventName":["StopLogging"]},"source":["aws.cloudtrail"]}"#;
        assert_eq!(normalize_pattern(a), normalize_pattern(b));
        assert_eq!(normalize_pattern(a), b);
        assert_eq!(normalize_pattern(r#"{"a":["<&>"]}"#), r#"{"a":["<&>"]}"#);
    }

    #[test]
    fn validation_mirrors_hashicorp() {
        let r = Rule::new();
        assert!(
            r.schema.overlay_problems.is_empty(),
            "{:?}",
            r.schema.overlay_problems
        );
        let config = |pairs: Vec<(&'static str, Value)>| object(pairs);
        let missing = r.validate(&config(vec![("name", string("r"))]));
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0].summary, "Missing required argument");
        let ok = r.validate(&config(vec![
            ("name", string("r")),
            ("event_pattern", string(r#"{"source":["aws.s3"]}"#)),
        ]));
        assert!(ok.is_empty(), "{ok:?}");
        let bad_name = r.validate(&config(vec![
            ("name", string("bad name")),
            ("schedule_expression", string("rate(1 day)")),
        ]));
        assert_eq!(bad_name.len(), 1);
        let bad_json = r.validate(&config(vec![("event_pattern", string("{"))]));
        assert!(bad_json[0].summary.contains("contains an invalid JSON"));
        let conflict = r.validate(&config(vec![
            ("event_pattern", string("{}")),
            ("is_enabled", Value::Bool(true)),
            ("state", string("ENABLED")),
        ]));
        assert_eq!(conflict.len(), 2);
        assert!(bus_problem("event_bus_name", "bad bus").is_some());
        assert!(bus_problem("event_bus_name", "orders").is_none());
        assert!(
            bus_problem(
                "event_bus_name",
                "arn:aws:events:us-east-1:123456789012:event-bus/orders"
            )
            .is_none()
        );
    }

    #[test]
    fn state_follows_state_then_is_enabled() {
        let planned =
            |state: Value, enabled: Value| object([("state", state), ("is_enabled", enabled)]);
        let none = Value::Null;
        assert_eq!(
            requested_state(&none, &planned(string("DISABLED"), Value::Null)),
            Some("DISABLED")
        );
        assert_eq!(
            requested_state(&none, &planned(Value::Null, Value::Bool(false))),
            Some("DISABLED")
        );
        assert_eq!(
            requested_state(&none, &planned(Value::Null, Value::Null)),
            None
        );
        // is_enabled changed while `state` was only kept from the prior state.
        let prior = planned(string("ENABLED"), Value::Bool(true));
        assert_eq!(
            requested_state(&prior, &planned(string("ENABLED"), Value::Bool(false))),
            Some("DISABLED")
        );
        assert_eq!(
            requested_state(
                &prior,
                &planned(
                    string("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
                    Value::Bool(true)
                )
            ),
            Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")
        );
    }
}
