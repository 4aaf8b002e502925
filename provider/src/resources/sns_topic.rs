//! aws_sns_topic: an SNS topic with the hashicorp/aws v6 schema. Every topic setting is a
//! topic attribute (CreateTopic Attributes, then SetTopicAttributes one at a time); `policy`
//! is computed when unset (AWS's default policy reads back) and compared as an IAM policy;
//! the JSON settings (delivery/archive policy) compare as JSON. Import ID: the topic ARN.
//!
//! Generated names (`name_prefix`, or neither `name` nor `name_prefix`) follow the scheme of
//! aws_s3_bucket: PREFIX + 26 deterministic digits (+ ".fifo"), skipping names in use.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};
use tfplugin6::value::Value;

use super::policy_json;
use super::s3_bucket::generated_name;
use super::s3_bucket_policy::{json_diag, suppress_equivalent_policy};
use super::s3_common::{
    OpError, SNS, arn_region, call, conflict_problem, int_between_problem, json_bool, json_num,
    json_str, own_tags, tag_list, tags_from_list,
};
use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, semantically_equal, set_attr, string, string_map};

const WHAT: &str = "SNS Topic";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Str,
    /// An IAM policy document.
    Policy,
    /// A JSON document compared as JSON.
    Json,
    Bool,
    Int,
}

/// (Terraform attribute, SNS topic attribute, kind, sent in CreateTopic).
pub const ATTRIBUTES: &[(&str, &str, Kind, bool)] = &[
    (
        "application_failure_feedback_role_arn",
        "ApplicationFailureFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "application_success_feedback_role_arn",
        "ApplicationSuccessFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "application_success_feedback_sample_rate",
        "ApplicationSuccessFeedbackSampleRate",
        Kind::Int,
        false,
    ),
    ("archive_policy", "ArchivePolicy", Kind::Json, true),
    (
        "content_based_deduplication",
        "ContentBasedDeduplication",
        Kind::Bool,
        true,
    ),
    ("delivery_policy", "DeliveryPolicy", Kind::Json, true),
    ("display_name", "DisplayName", Kind::Str, true),
    (
        "fifo_throughput_scope",
        "FifoThroughputScope",
        Kind::Str,
        true,
    ),
    ("fifo_topic", "FifoTopic", Kind::Bool, true),
    (
        "firehose_failure_feedback_role_arn",
        "FirehoseFailureFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "firehose_success_feedback_role_arn",
        "FirehoseSuccessFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "firehose_success_feedback_sample_rate",
        "FirehoseSuccessFeedbackSampleRate",
        Kind::Int,
        false,
    ),
    (
        "http_failure_feedback_role_arn",
        "HTTPFailureFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "http_success_feedback_role_arn",
        "HTTPSuccessFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "http_success_feedback_sample_rate",
        "HTTPSuccessFeedbackSampleRate",
        Kind::Int,
        false,
    ),
    ("kms_master_key_id", "KmsMasterKeyId", Kind::Str, true),
    (
        "lambda_failure_feedback_role_arn",
        "LambdaFailureFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "lambda_success_feedback_role_arn",
        "LambdaSuccessFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "lambda_success_feedback_sample_rate",
        "LambdaSuccessFeedbackSampleRate",
        Kind::Int,
        false,
    ),
    ("policy", "Policy", Kind::Policy, true),
    ("signature_version", "SignatureVersion", Kind::Int, true),
    (
        "sqs_failure_feedback_role_arn",
        "SQSFailureFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "sqs_success_feedback_role_arn",
        "SQSSuccessFeedbackRoleArn",
        Kind::Str,
        false,
    ),
    (
        "sqs_success_feedback_sample_rate",
        "SQSSuccessFeedbackSampleRate",
        Kind::Int,
        false,
    ),
    ("tracing_config", "TracingConfig", Kind::Str, true),
];

pub struct Topic {
    schema: Schema,
}

impl Default for Topic {
    fn default() -> Self {
        Self::new()
    }
}

impl Topic {
    pub fn new() -> Self {
        Topic { schema: schema() }
    }
}

fn schema() -> Schema {
    let role_arns: Vec<&str> = ATTRIBUTES
        .iter()
        .map(|(tf, ..)| *tf)
        .filter(|tf| tf.ends_with("_role_arn"))
        .collect();
    Schema::resource("aws_sns_topic")
        .attrs(&["name", "name_prefix"], Attribute::force_new)
        .attr("fifo_topic", |a| a.force_new().default(Value::Bool(false)))
        .attr("content_based_deduplication", |a| {
            a.default(Value::Bool(false))
        })
        // enum.Validate[awstypes.TracingConfig]-style StringInSlice
        .attr("tracing_config", |a| {
            a.validate(Validator::OneOf(&["PassThrough", "Active"]))
        })
        .attr("fifo_throughput_scope", |a| {
            a.validate(Validator::OneOf(&["Topic", "MessageGroup"]))
        })
        // verify.ValidARN on every *_feedback_role_arn
        .attrs(&role_arns, |a| a.validate(Validator::Arn))
}

/// An attribute's planned value as the string SNS stores; None when unset.
fn attribute_text(planned: &Value, tf: &str, kind: Kind) -> Option<String> {
    let v = planned.attr(tf);
    match kind {
        Kind::Bool => v.bool_opt().map(|b| b.to_string()),
        Kind::Int => v.num_opt().map(|n| (n as i64).to_string()),
        _ => v.str_opt().filter(|s| !s.is_empty()).map(str::to_string),
    }
}

/// The CreateTopic request: the attributes CreateTopic takes, and the tags.
pub fn create_request(name: &str, planned: &Value) -> Json {
    let mut attrs = Map::new();
    for (tf, aws, kind, at_create) in ATTRIBUTES {
        if !at_create {
            continue;
        }
        let Some(text) = attribute_text(planned, tf, *kind) else {
            continue;
        };
        // false is the default of the FIFO switches: send them only when set.
        if *kind == Kind::Bool && text == "false" {
            continue;
        }
        attrs.insert((*aws).to_string(), Json::String(text));
    }
    let mut req = json!({"Name": name});
    if !attrs.is_empty() {
        req["Attributes"] = Json::Object(attrs);
    }
    let tags = planned.attr("tags_all").string_map();
    if !tags.is_empty() {
        req["Tags"] = tag_list(&tags);
    }
    req
}

/// The Terraform attributes from GetTopicAttributes' Attributes, keeping the prior
/// spelling of equivalent JSON documents.
pub fn flatten_attributes(attrs: &Json, prior: &Value) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    for (tf, aws, kind, _) in ATTRIBUTES {
        let v = &attrs[*aws];
        let value = match kind {
            Kind::Str => json_str(v),
            Kind::Bool => match json_bool(v) {
                Value::Null => Value::Bool(false),
                b => b,
            },
            Kind::Int => json_num(v),
            Kind::Policy => match v.as_str().filter(|s| !s.is_empty()) {
                Some(remote) => {
                    string(policy_json::policy_to_set(prior.attr(tf).str_opt(), remote))
                }
                None => Value::Null,
            },
            Kind::Json => match v.as_str().filter(|s| !s.is_empty()) {
                Some(remote) => string(policy_json::json_to_set(prior.attr(tf).str_opt(), remote)),
                None => Value::Null,
            },
        };
        out.push((*tf, value));
    }
    out
}

/// `create.NamePrefixFromName`: the prefix of a generated name (26 digits, then the
/// optional ".fifo"), else None.
pub fn name_prefix_from_name(name: &str) -> Option<String> {
    let base = name.strip_suffix(".fifo").unwrap_or(name);
    let n = super::s3_bucket::UNIQUE_SUFFIX_LEN;
    if base.len() < n {
        return None;
    }
    let (prefix, digits) = base.split_at(base.len() - n);
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| prefix.to_string())
}

fn topic_arn(state: &Value) -> String {
    [state.attr("arn"), state.attr("id")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn sns_diag(e: &OpError, context: String) -> Diag {
    e.diag(&context, "SNS")
}

fn valid_topic_name(name: &str, fifo: bool) -> bool {
    let base = if fifo {
        match name.strip_suffix(".fifo") {
            Some(b) => b,
            None => return false,
        }
    } else {
        name
    };
    let max = if fifo { 251 } else { 256 };
    !base.is_empty()
        && base.len() <= max
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Topic {
    fn set_attribute(
        &self,
        ctx: &Ctx,
        region: &str,
        arn: &str,
        aws: &str,
        value: &str,
    ) -> Result<(), Diag> {
        call(
            ctx,
            region,
            SNS,
            "SetTopicAttributes",
            json!({"TopicArn": arn, "AttributeName": aws, "AttributeValue": value}),
        )
        .map(|_| ())
        .map_err(|e| sns_diag(&e, format!("setting {WHAT} ({arn}) attribute ({aws})")))
    }

    fn update_tags(
        &self,
        ctx: &Ctx,
        region: &str,
        arn: &str,
        old: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
    ) -> Result<(), Diag> {
        let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
        if !removed.is_empty() {
            call(
                ctx,
                region,
                SNS,
                "UntagResource",
                json!({"ResourceArn": arn, "TagKeys": removed}),
            )
            .map_err(|e| sns_diag(&e, format!("untagging {WHAT} ({arn})")))?;
        }
        let changed: BTreeMap<String, String> = new
            .iter()
            .filter(|(k, v)| old.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !changed.is_empty() {
            call(
                ctx,
                region,
                SNS,
                "TagResource",
                json!({"ResourceArn": arn, "Tags": tag_list(&changed)}),
            )
            .map_err(|e| sns_diag(&e, format!("tagging {WHAT} ({arn})")))?;
        }
        Ok(())
    }

    fn read_after_write(&self, ctx: &Ctx, state: &Value) -> Result<Value, (Option<Value>, Diags)> {
        match self.read(ctx, state) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!(
                    "reading {WHAT} ({}): not found after write",
                    topic_arn(state)
                ))],
            )),
            Err(d) => Err((Some(state.clone()), d)),
        }
    }

    /// The name to create: configured, or generated and not yet taken in this region.
    fn choose_name(&self, ctx: &Ctx, region: &str, planned: &Value) -> String {
        let fifo = planned.attr("fifo_topic").bool_opt() == Some(true);
        if let Some(name) = planned.attr("name").str_opt().filter(|s| !s.is_empty()) {
            return name.to_string();
        }
        let prefix = planned
            .attr("name_prefix")
            .str_opt()
            .unwrap_or("terraform-")
            .to_string();
        let account = ctx.client.account_id();
        let partition = super::s3_bucket::partition(region);
        for attempt in 0..100 {
            let mut name = generated_name(&prefix, region, attempt);
            if fifo {
                name.push_str(".fifo");
            }
            let arn = format!("arn:{partition}:sns:{region}:{account}:{name}");
            match call(
                ctx,
                region,
                SNS,
                "GetTopicAttributes",
                json!({"TopicArn": arn}),
            ) {
                Err(e) if e.is(&["NotFound"]) => return name,
                _ => continue,
            }
        }
        let mut name = generated_name(&prefix, region, 100);
        if fifo {
            name.push_str(".fifo");
        }
        name
    }
}

impl Resource for Topic {
    fn type_name(&self) -> &'static str {
        "aws_sns_topic"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags: Diags = conflict_problem(config, "name", "name_prefix")
            .into_iter()
            .collect();
        let fifo = config.attr("fifo_topic").bool_opt() == Some(true);
        if let Some(name) = config.attr("name").str_opt()
            && !valid_topic_name(name, fifo)
        {
            diags.push(
                Diag::error(format!("invalid topic name: {name}"))
                    .detail("Topic names must be 1-256 alphanumeric characters, hyphens or underscores; FIFO topic names end in \".fifo\".")
                    .at(attr_path("name")),
            );
        }
        for attr in ["policy", "delivery_policy", "archive_policy"] {
            diags.extend(json_diag(config, attr));
        }
        diags.extend(int_between_problem(
            "signature_version",
            config.attr("signature_version"),
            1,
            2,
        ));
        for (tf, _, kind, _) in ATTRIBUTES {
            if *kind == Kind::Int && tf.ends_with("_sample_rate") {
                diags.extend(int_between_problem(tf, config.attr(tf), 0, 100));
            }
        }
        if config.attr("content_based_deduplication").bool_opt() == Some(true) && !fifo {
            diags.push(
                Diag::error("content-based deduplication can only be set for FIFO topics")
                    .at(attr_path("content_based_deduplication")),
            );
        }
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        if matches!(prior, Value::Null) {
            return;
        }
        suppress_equivalent_policy(prior, planned, "policy");
        for attr in ["delivery_policy", "archive_policy"] {
            if let (Some(old), Some(new)) =
                (prior.attr(attr).str_opt(), planned.attr(attr).str_opt())
                && old != new
                && policy_json::json_equivalent(old, new)
            {
                let old = old.to_string();
                set_attr(planned, attr, string(old));
            }
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = self.choose_name(ctx, &region, planned);
        let created = call(
            ctx,
            &region,
            SNS,
            "CreateTopic",
            create_request(&name, planned),
        )
        .map_err(|e| {
            (
                None,
                vec![sns_diag(&e, format!("creating {WHAT} ({name})"))],
            )
        })?;
        let Some(arn) = created["TopicArn"].as_str().map(str::to_string) else {
            return Err((None, super::missing("TopicArn")));
        };
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(arn.clone()));
        set_attr(&mut state, "arn", string(arn.clone()));
        set_attr(&mut state, "name", string(name.clone()));
        set_attr(&mut state, "region", string(region.clone()));
        let mut errors: Diags = Vec::new();
        for (tf, aws, kind, at_create) in ATTRIBUTES {
            if *at_create {
                continue;
            }
            if let Some(text) = attribute_text(planned, tf, *kind)
                && let Err(d) = self.set_attribute(ctx, &region, &arn, aws, &text)
            {
                errors.push(d);
            }
        }
        let state = self.read_after_write(ctx, &state)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let arn = topic_arn(state);
        let region = arn_region(&arn).unwrap_or_else(|| ctx.region_of(state));
        let got = match call(
            ctx,
            &region,
            SNS,
            "GetTopicAttributes",
            json!({"TopicArn": arn}),
        ) {
            Ok(g) => g,
            Err(e) if e.is(&["NotFound"]) => return Ok(None),
            Err(e) => return Err(vec![sns_diag(&e, format!("reading {WHAT} ({arn})"))]),
        };
        let attrs = &got["Attributes"];
        let tags = match call(
            ctx,
            &region,
            SNS,
            "ListTagsForResource",
            json!({"ResourceArn": arn}),
        ) {
            Ok(t) => tags_from_list(&t["Tags"]),
            Err(e) if e.is(&["NotFound"]) => return Ok(None),
            Err(e) => {
                return Err(vec![sns_diag(
                    &e,
                    format!("listing tags for {WHAT} ({arn})"),
                )]);
            }
        };
        let name = arn.rsplit(':').next().unwrap_or_default().to_string();
        let name_prefix = match state.attr("name_prefix") {
            Value::String(p) => Value::String(p.clone()),
            _ => crate::values::opt_string(name_prefix_from_name(&name)),
        };
        let mut out = object([
            ("id", string(arn.clone())),
            ("arn", string(arn)),
            (
                "beginning_archive_time",
                json_str(&attrs["BeginningArchiveTime"]),
            ),
            ("name", string(name)),
            ("name_prefix", name_prefix),
            ("owner", json_str(&attrs["Owner"])),
            ("region", string(region)),
            ("tags", own_tags(&tags, ctx, state.attr("tags"))),
            ("tags_all", string_map(&tags)),
        ]);
        for (k, v) in flatten_attributes(attrs, state) {
            set_attr(&mut out, k, v);
        }
        Ok(Some(out))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let arn = topic_arn(prior);
        let region = arn_region(&arn).unwrap_or_else(|| ctx.region_of(prior));
        let mut errors: Diags = Vec::new();
        for (tf, aws, kind, _) in ATTRIBUTES {
            if *tf == "fifo_topic" || semantically_equal(prior.attr(tf), planned.attr(tf)) {
                continue;
            }
            if planned.attr(tf).is_unknown() {
                continue;
            }
            let text = attribute_text(planned, tf, *kind).unwrap_or_default();
            if let Err(d) = self.set_attribute(ctx, &region, &arn, aws, &text) {
                errors.push(d);
            }
        }
        if !semantically_equal(prior.attr("tags_all"), planned.attr("tags_all"))
            && let Err(d) = self.update_tags(
                ctx,
                &region,
                &arn,
                &prior.attr("tags_all").string_map(),
                &planned.attr("tags_all").string_map(),
            )
        {
            errors.push(d);
        }
        let state = self.read_after_write(ctx, planned)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let arn = topic_arn(state);
        let region = arn_region(&arn).unwrap_or_else(|| ctx.region_of(state));
        match call(ctx, &region, SNS, "DeleteTopic", json!({"TopicArn": arn})) {
            Ok(_) => Ok(()),
            Err(e) if e.is(&["NotFound"]) => Ok(()),
            Err(e) => Err(vec![sns_diag(&e, format!("deleting {WHAT} ({arn})"))]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        if !id.starts_with("arn:") {
            return Err(vec![Diag::error(format!(
                "importing {WHAT}: ID ({id}) must be the topic ARN"
            ))]);
        }
        let region = arn_region(id).unwrap_or_else(|| ctx.region.clone());
        Ok(object([
            ("id", string(id)),
            ("arn", string(id)),
            ("region", string(region)),
            ("fifo_topic", Value::Bool(false)),
            ("content_based_deduplication", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::s3_common::testing::FakeClient;

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let s = schema();
        let table: &[(&str, bool, bool, bool)] = &[
            ("id", true, true, false),
            ("arn", false, true, false),
            ("owner", false, true, false),
            ("beginning_archive_time", false, true, false),
            ("name", true, true, true),
            ("name_prefix", true, true, true),
            ("policy", true, true, false),
            ("display_name", true, false, false),
            ("delivery_policy", true, false, false),
            ("kms_master_key_id", true, false, false),
            ("fifo_topic", true, false, true),
            ("content_based_deduplication", true, false, false),
            ("signature_version", true, true, false),
            ("tracing_config", true, true, false),
            ("archive_policy", true, false, false),
            ("fifo_throughput_scope", true, true, false),
            ("sqs_success_feedback_sample_rate", true, false, false),
            ("lambda_failure_feedback_role_arn", true, false, false),
            ("region", true, true, true),
            ("tags", true, false, false),
            ("tags_all", true, true, false),
        ];
        for (name, optional, computed, force_new) in table {
            let a = s
                .block
                .attribute(name)
                .unwrap_or_else(|| panic!("missing {name}"));
            assert_eq!(
                (a.optional, a.computed, a.force_new),
                (*optional, *computed, *force_new),
                "{name}"
            );
        }
        assert_eq!(
            s.block.attribute("fifo_topic").unwrap().default,
            Some(Value::Bool(false))
        );
    }

    #[test]
    fn create_request_carries_attributes_and_tags() {
        let planned = object([
            ("display_name", string("Alerts")),
            ("fifo_topic", Value::Bool(false)),
            ("content_based_deduplication", Value::Bool(false)),
            ("signature_version", Value::Number(2.0)),
            ("policy", Value::Unknown),
            ("sqs_success_feedback_sample_rate", Value::Number(50.0)),
            (
                "tags_all",
                string_map(&BTreeMap::from([("Team".to_string(), "ops".to_string())])),
            ),
        ]);
        assert_eq!(
            create_request("alerts", &planned),
            json!({"Name": "alerts",
                   "Attributes": {"DisplayName": "Alerts", "SignatureVersion": "2"},
                   "Tags": [{"Key": "Team", "Value": "ops"}]})
        );
    }

    #[test]
    fn attributes_flatten_with_types_and_kept_policy_text() {
        let configured = r#"{ "Version": "2012-10-17", "Statement": [] }"#;
        let prior = object([("policy", string(configured))]);
        let attrs = json!({
            "Policy": r#"{"Version":"2012-10-17","Statement":[]}"#,
            "DisplayName": "Alerts",
            "FifoTopic": "true",
            "SignatureVersion": "1",
            "SQSSuccessFeedbackSampleRate": "50",
        });
        let f: BTreeMap<&str, Value> = flatten_attributes(&attrs, &prior).into_iter().collect();
        assert_eq!(f["policy"], string(configured));
        assert_eq!(f["display_name"], string("Alerts"));
        assert_eq!(f["fifo_topic"], Value::Bool(true));
        assert_eq!(f["content_based_deduplication"], Value::Bool(false));
        assert_eq!(f["signature_version"], Value::Number(1.0));
        assert_eq!(f["sqs_success_feedback_sample_rate"], Value::Number(50.0));
        assert_eq!(f["kms_master_key_id"], Value::Null);
    }

    #[test]
    fn name_prefix_is_recovered_from_generated_names() {
        let generated = generated_name("alerts-", "us-east-1", 0);
        assert_eq!(
            name_prefix_from_name(&generated).as_deref(),
            Some("alerts-")
        );
        assert_eq!(
            name_prefix_from_name(&format!("{generated}.fifo")).as_deref(),
            Some("alerts-")
        );
        assert_eq!(name_prefix_from_name("alerts"), None);
    }

    #[test]
    fn generated_names_skip_topics_that_exist() {
        // The first candidate exists (GetTopicAttributes succeeds), the second does not.
        let client = FakeClient::new(vec![
            ("GetTopicAttributes", Ok(json!({"Attributes": {}}))),
            (
                "GetTopicAttributes",
                Err(("NotFound", "Topic does not exist")),
            ),
        ]);
        let planned = object([("fifo_topic", Value::Bool(true))]);
        let name = Topic::new().choose_name(&client.ctx(), "us-east-1", &planned);
        assert_eq!(
            name,
            format!("{}.fifo", generated_name("terraform-", "us-east-1", 1))
        );
    }

    #[test]
    fn topic_names_are_validated() {
        assert!(valid_topic_name("alerts_1-a", false));
        assert!(!valid_topic_name("bad name", false));
        assert!(valid_topic_name("orders.fifo", true));
        assert!(!valid_topic_name("orders", true));
    }

    #[test]
    fn import_takes_the_region_from_the_arn() {
        let client = FakeClient::new(vec![]);
        let state = Topic::new()
            .import(&client.ctx(), "arn:aws:sns:eu-west-1:123456789012:alerts")
            .unwrap();
        assert_eq!(state.attr("region").str_opt(), Some("eu-west-1"));
        assert!(Topic::new().import(&client.ctx(), "alerts").is_err());
    }
}
