//! aws_sns_topic_subscription: Subscribe / GetSubscriptionAttributes / SetSubscriptionAttributes
//! / Unsubscribe. ID: the subscription ARN (Subscribe is asked for it even while the
//! subscription awaits confirmation).
//!
//! As hashicorp/aws does, create waits for the subscription to be confirmed, except for
//! e-mail and for http(s) endpoints that do not declare `endpoint_auto_confirms`.

use std::time::{Duration, Instant};

use serde_json::{Map, Value as Json, json};
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_bucket_policy::json_diag;
use super::s3_common::{OpError, SNS, arn_region, call, json_bool, json_str};
use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "SNS Topic Subscription";

/// `subscriptionProtocol_Values`.
const PROTOCOLS: &[&str] = &[
    "application",
    "firehose",
    "lambda",
    "sms",
    "sqs",
    "email",
    "email-json",
    "http",
    "https",
];

/// Terraform attribute, SNS attribute, how the value is kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Json,
    Bool,
}

const SETTABLE: &[(&str, &str, Kind)] = &[
    ("delivery_policy", "DeliveryPolicy", Kind::Json),
    ("filter_policy", "FilterPolicy", Kind::Json),
    ("filter_policy_scope", "FilterPolicyScope", Kind::Str),
    ("raw_message_delivery", "RawMessageDelivery", Kind::Bool),
    ("redrive_policy", "RedrivePolicy", Kind::Json),
    ("replay_policy", "ReplayPolicy", Kind::Json),
    ("subscription_role_arn", "SubscriptionRoleArn", Kind::Str),
];

pub struct TopicSubscription {
    schema: Schema,
}

impl Default for TopicSubscription {
    fn default() -> Self {
        Self::new()
    }
}

impl TopicSubscription {
    pub fn new() -> Self {
        TopicSubscription {
            schema: Schema::resource("aws_sns_topic_subscription")
                // Required, ForceNew
                .attr("endpoint", Attribute::force_new)
                // StringInSlice(subscriptionProtocol_Values()), ForceNew
                .attr("protocol", |a| {
                    a.force_new().validate(Validator::OneOf(PROTOCOLS))
                })
                // verify.ValidARN, ForceNew
                .attr("topic_arn", |a| a.force_new().validate(Validator::Arn))
                // verify.ValidARN
                .attr("subscription_role_arn", |a| a.validate(Validator::Arn))
                // StringInSlice(subscriptionFilterPolicyScope_Values())
                .attr("filter_policy_scope", |a| {
                    a.validate(Validator::OneOf(&["MessageAttributes", "MessageBody"]))
                })
                .attr("confirmation_timeout_in_minutes", |a| {
                    a.default(Value::Number(1.0))
                })
                .attr("endpoint_auto_confirms", |a| a.default(Value::Bool(false)))
                .attr("raw_message_delivery", |a| a.default(Value::Bool(false))),
        }
    }
}

fn arn_of(state: &Value) -> String {
    [state.attr("arn"), state.attr("id")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

/// The SNS value of one attribute as configured; None when unset (false for the switch).
fn attribute_text(planned: &Value, tf: &str, kind: Kind) -> Option<String> {
    let v = planned.attr(tf);
    match kind {
        Kind::Bool => v.bool_opt().filter(|b| *b).map(|b| b.to_string()),
        _ => v.str_opt().filter(|s| !s.is_empty()).map(str::to_string),
    }
}

fn sns_diag(e: &OpError, context: String) -> Diag {
    e.diag(&context, "SNS")
}

/// Whether create waits for confirmation (`resourceTopicSubscriptionCreate`).
fn waits_for_confirmation(protocol: &str, auto_confirms: bool) -> bool {
    !(protocol.contains("email") || (protocol.contains("http") && !auto_confirms))
}

impl TopicSubscription {
    fn wait_confirmed(
        &self,
        ctx: &Ctx,
        region: &str,
        arn: &str,
        timeout: Duration,
    ) -> Result<(), Diag> {
        let started = Instant::now();
        loop {
            let got = call(
                ctx,
                region,
                SNS,
                "GetSubscriptionAttributes",
                json!({"SubscriptionArn": arn}),
            )
            .map_err(|e| sns_diag(&e, format!("waiting for {WHAT} ({arn}) confirmation")))?;
            let pending = got["Attributes"]["PendingConfirmation"]
                .as_str()
                .unwrap_or("false");
            if pending == "false" {
                return Ok(());
            }
            if started.elapsed() >= timeout {
                return Err(Diag::error(format!(
                    "waiting for {WHAT} ({arn}) confirmation: timeout while waiting for state to become 'false' (last state: 'true', timeout: {}m0s)",
                    timeout.as_secs() / 60
                )));
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn set_attribute(
        &self,
        ctx: &Ctx,
        region: &str,
        arn: &str,
        name: &str,
        value: &str,
    ) -> Result<(), Diag> {
        // An empty filter policy is removed with "{}"; an empty redrive policy with no value.
        let mut req = json!({"SubscriptionArn": arn, "AttributeName": name});
        match (name, value) {
            ("FilterPolicy", "") => req["AttributeValue"] = json!("{}"),
            ("RedrivePolicy", "") => {}
            _ => req["AttributeValue"] = json!(value),
        }
        call(ctx, region, SNS, "SetSubscriptionAttributes", req)
            .map(|_| ())
            .map_err(|e| sns_diag(&e, format!("setting {WHAT} ({arn}) attribute ({name})")))
    }
}

impl Resource for TopicSubscription {
    fn type_name(&self) -> &'static str {
        "aws_sns_topic_subscription"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        [
            "delivery_policy",
            "filter_policy",
            "redrive_policy",
            "replay_policy",
        ]
        .into_iter()
        .filter_map(|a| json_diag(config, a))
        .collect()
    }
    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        // DiffSuppressFunc: equivalent JSON keeps the prior text.
        for (tf, _, kind) in SETTABLE {
            if *kind != Kind::Json {
                continue;
            }
            if let (Some(old), Some(new)) = (prior.attr(tf).str_opt(), planned.attr(tf).str_opt())
                && old != new
                && policy_json::json_to_set(Some(old), new) == old
            {
                let old = old.to_string();
                set_attr(planned, tf, string(old));
            }
        }
    }
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let topic_arn = planned.attr("topic_arn").str_opt().unwrap_or_default();
        let protocol = planned.attr("protocol").str_opt().unwrap_or_default();
        let mut attributes = Map::new();
        for (tf, aws, kind) in SETTABLE {
            if let Some(text) = attribute_text(planned, tf, *kind) {
                attributes.insert((*aws).to_string(), Json::String(text));
            }
        }
        let mut req = json!({
            "TopicArn": topic_arn,
            "Protocol": protocol,
            "Endpoint": planned.attr("endpoint").str_opt().unwrap_or_default(),
            "ReturnSubscriptionArn": true,
        });
        if !attributes.is_empty() {
            req["Attributes"] = Json::Object(attributes);
        }
        let got = call(ctx, &region, SNS, "Subscribe", req)
            .map_err(|e| (None, vec![sns_diag(&e, format!("creating {WHAT}"))]))?;
        let arn = got["SubscriptionArn"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let mut created = planned.clone();
        set_attr(&mut created, "id", string(arn.clone()));
        set_attr(&mut created, "arn", string(arn.clone()));
        set_attr(&mut created, "region", string(region.clone()));
        let auto = planned.attr("endpoint_auto_confirms").bool_opt() == Some(true);
        if waits_for_confirmation(protocol, auto) {
            let minutes = if protocol.contains("http") {
                planned
                    .attr("confirmation_timeout_in_minutes")
                    .num_opt()
                    .unwrap_or(1.0)
                    .max(0.0) as u64
            } else {
                2
            };
            if let Err(d) =
                self.wait_confirmed(ctx, &region, &arn, Duration::from_secs(minutes * 60))
            {
                return Err((Some(created), vec![d]));
            }
        }
        match self.read(ctx, &created) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                Some(created),
                vec![Diag::error(format!(
                    "reading {WHAT} ({arn}): not found after creation"
                ))],
            )),
            Err(d) => Err((Some(created), d)),
        }
    }
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let arn = arn_of(state);
        let region = ctx.region_of(state);
        let got = match call(
            ctx,
            &region,
            SNS,
            "GetSubscriptionAttributes",
            json!({"SubscriptionArn": arn}),
        ) {
            Ok(g) => g,
            Err(e) if e.is(&["NotFound"]) => return Ok(None),
            Err(e) => return Err(vec![sns_diag(&e, format!("reading {WHAT} ({arn})"))]),
        };
        let a = &got["Attributes"];
        let mut out = state.clone();
        set_attr(&mut out, "id", string(arn.clone()));
        set_attr(&mut out, "region", string(region));
        for (tf, src) in [
            ("arn", "SubscriptionArn"),
            ("endpoint", "Endpoint"),
            ("owner_id", "Owner"),
            ("protocol", "Protocol"),
            ("topic_arn", "TopicArn"),
        ] {
            set_attr(&mut out, tf, json_str(&a[src]));
        }
        for (tf, src) in [
            (
                "confirmation_was_authenticated",
                "ConfirmationWasAuthenticated",
            ),
            ("pending_confirmation", "PendingConfirmation"),
        ] {
            set_attr(&mut out, tf, json_bool(&a[src]));
        }
        for (tf, aws, kind) in SETTABLE {
            let v = &a[*aws];
            let value = match kind {
                Kind::Bool => match json_bool(v) {
                    Value::Null => Value::Bool(false),
                    b => b,
                },
                Kind::Str => json_str(v),
                Kind::Json => match v.as_str().filter(|s| !s.is_empty()) {
                    Some(remote) => {
                        string(policy_json::json_to_set(state.attr(tf).str_opt(), remote))
                    }
                    None => Value::Null,
                },
            };
            set_attr(&mut out, tf, value);
        }
        for (tf, default) in [
            ("confirmation_timeout_in_minutes", Value::Number(1.0)),
            ("endpoint_auto_confirms", Value::Bool(false)),
        ] {
            if out.attr(tf).is_null() {
                set_attr(&mut out, tf, default);
            }
        }
        Ok(Some(out))
    }
    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let arn = arn_of(prior);
        let region = ctx.region_of(prior);
        let changed = |tf: &str, kind: Kind| {
            attribute_text(prior, tf, kind) != attribute_text(planned, tf, kind)
        };
        let text = |tf: &str, kind: Kind| match kind {
            Kind::Bool => planned.attr(tf).bool_opt().unwrap_or(false).to_string(),
            _ => attribute_text(planned, tf, kind).unwrap_or_default(),
        };
        // putSubscriptionAttributes: a MessageBody scope goes first, MessageAttributes last.
        let scope_changed = changed("filter_policy_scope", Kind::Str);
        let scope = text("filter_policy_scope", Kind::Str);
        let mut steps: Vec<(&str, String)> = Vec::new();
        if scope_changed && scope == "MessageBody" {
            steps.push(("FilterPolicyScope", scope.clone()));
        }
        for (tf, aws, kind) in SETTABLE {
            if *tf != "filter_policy_scope" && changed(tf, *kind) {
                steps.push((aws, text(tf, *kind)));
            }
        }
        if scope_changed && scope != "MessageBody" && !scope.is_empty() {
            steps.push(("FilterPolicyScope", scope));
        }
        for (name, value) in steps {
            self.set_attribute(ctx, &region, &arn, name, &value)
                .map_err(|d| (Some(prior.clone()), vec![d]))?;
        }
        match self.read(ctx, planned) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!("reading {WHAT} ({arn}): not found"))],
            )),
            Err(d) => Err((Some(planned.clone()), d)),
        }
    }
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let arn = arn_of(state);
        let region = ctx.region_of(state);
        match call(
            ctx,
            &region,
            SNS,
            "Unsubscribe",
            json!({"SubscriptionArn": arn}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.is(&["NotFound"]) => Ok(()),
            Err(e)
                if e.err
                    .message
                    .contains("Cannot unsubscribe a subscription that is pending confirmation") =>
            {
                Ok(())
            }
            Err(e) => Err(vec![sns_diag(&e, format!("deleting {WHAT} ({arn})"))]),
        }
    }
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        if !id.starts_with("arn:") {
            return Err(vec![Diag::error(format!(
                "importing {WHAT}: ID ({id}) must be the subscription ARN"
            ))]);
        }
        let region = arn_region(id).unwrap_or_else(|| ctx.region.clone());
        Ok(object([
            ("id", string(id)),
            ("arn", string(id)),
            ("region", string(region)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_waits_except_for_email_and_unconfirming_http() {
        assert!(waits_for_confirmation("sqs", false));
        assert!(waits_for_confirmation("lambda", false));
        assert!(waits_for_confirmation("https", true));
        assert!(!waits_for_confirmation("https", false));
        assert!(!waits_for_confirmation("email", true));
        assert!(!waits_for_confirmation("email-json", false));
    }

    #[test]
    fn schema_overlays_name_existing_attributes() {
        let r = TopicSubscription::new();
        assert!(r.schema.block.attribute("endpoint_auto_confirms").is_some());
        assert!(r.schema.overlay_problems.is_empty());
    }
}
