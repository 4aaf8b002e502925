//! aws_cloudwatch_log_group: a CloudWatch Logs log group (hashicorp/aws v6 schema; the `arn`
//! attribute has no trailing `:*`).

use serde_json::json;
use tfplugin6::value::Value;

use super::support::{
    after_write, arg, fail, generated_name, json_num, json_str, name_prefix_from_name, tag_diff,
    tag_values,
};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "CloudWatch Logs Log Group";
const SERVICE: &str = "logs";

/// `retention_in_days` values CloudWatch Logs accepts (0: never expire).
pub const RETENTION_DAYS: &[i64] = &[
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

const LOG_GROUP_CLASSES: &[&str] = &["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"];

pub struct LogGroup {
    schema: Schema,
}

impl Default for LogGroup {
    fn default() -> Self {
        Self::new()
    }
}

impl LogGroup {
    pub fn new() -> Self {
        LogGroup {
            schema: Schema::resource("aws_cloudwatch_log_group")
                // enum.Validate[types.LogGroupClass](), ForceNew
                .attr("log_group_class", |a| {
                    a.force_new().validate(Validator::OneOf(LOG_GROUP_CLASSES))
                })
                // validLogGroupName / validLogGroupNamePrefix lengths, ForceNew
                .attr("name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 512))
                })
                .attr("name_prefix", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 483))
                })
                .attr("retention_in_days", |a| a.default(Value::Number(0.0)))
                .attr("skip_destroy", |a| a.default(Value::Bool(false))),
        }
    }
}

/// `trimLogGroupARNWildcardSuffix`.
pub fn trim_arn_wildcard(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

fn group_name(state: &Value) -> String {
    [state.attr("id"), state.attr("name")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn logs_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "CloudWatch Logs", op, &e)
}

fn is_delivery(v: &Value) -> bool {
    v.attr("log_group_class").str_opt() == Some("DELIVERY")
}

impl Resource for LogGroup {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_log_group"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = super::iam_policy::validate_name_conflict(config);
        if let Value::Number(n) = config.attr("retention_in_days")
            && !RETENTION_DAYS.contains(&(*n as i64))
        {
            diags.push(
                Diag::error(format!(
                    "expected retention_in_days to be one of {RETENTION_DAYS:?}, got {n}"
                ))
                .at(crate::plan::attr_path("retention_in_days")),
            );
        }
        diags
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        // DELIVERY class groups have a fixed retention: the argument's diff is suppressed.
        if !matches!(prior, Value::Null)
            && is_delivery(planned)
            && prior.attr("log_group_class") == planned.attr("log_group_class")
        {
            set_attr(
                planned,
                "retention_in_days",
                prior.attr("retention_in_days").clone(),
            );
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = generated_name(arg(planned, "name"), arg(planned, "name_prefix"));
        let mut request = json!({"logGroupName": name});
        if let Some(class) = arg(planned, "log_group_class") {
            request["logGroupClass"] = json!(class);
        }
        if let Some(key) = arg(planned, "kms_key_id") {
            request["kmsKeyId"] = json!(key);
        }
        let tags = planned.attr("tags_all").string_map();
        if !tags.is_empty() {
            request["tags"] = json!(tags);
        }
        ctx.call(&region, SERVICE, "CreateLogGroup", request)
            .map_err(logs_err(
                format!("creating {WHAT} ({name})"),
                "CreateLogGroup",
            ))
            .map_err(fail(None))?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(name.clone()));
        set_attr(&mut state, "region", string(region.clone()));
        let retention = planned.attr("retention_in_days").num_opt().unwrap_or(0.0);
        if retention > 0.0 && !is_delivery(planned) {
            ctx.call(
                &region,
                SERVICE,
                "PutRetentionPolicy",
                json!({"logGroupName": name, "retentionInDays": retention as i64}),
            )
            .map_err(logs_err(
                format!("setting {WHAT} ({name}) retention policy"),
                "PutRetentionPolicy",
            ))
            .map_err(fail(Some(state.clone())))?;
        }
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let name = group_name(state);
        let out = ctx
            .call(
                &region,
                SERVICE,
                "DescribeLogGroups",
                json!({"logGroupNamePrefix": name}),
            )
            .map_err(|e| {
                vec![logs_err(
                    format!("reading {WHAT} ({name})"),
                    "DescribeLogGroups",
                )(e)]
            })?;
        let Some(group) = out["logGroups"]
            .as_array()
            .and_then(|groups| {
                groups
                    .iter()
                    .find(|g| g["logGroupName"].as_str() == Some(&name))
            })
            .cloned()
        else {
            return Ok(None);
        };
        let arn = trim_arn_wildcard(group["arn"].as_str().unwrap_or_default()).to_string();
        let tags = ctx
            .call(
                &region,
                SERVICE,
                "ListTagsForResource",
                json!({"resourceArn": arn}),
            )
            .map_err(|e| {
                vec![logs_err(
                    format!("listing tags for {WHAT} ({arn})"),
                    "ListTagsForResource",
                )(e)]
            })?;
        let all_tags = tags["tags"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let retention = match json_num(&group["retentionInDays"]) {
            Value::Null => Value::Number(0.0),
            n => n,
        };
        Ok(Some(object([
            ("id", string(name.clone())),
            ("arn", string(arn)),
            ("kms_key_id", json_str(&group["kmsKeyId"])),
            ("log_group_class", json_str(&group["logGroupClass"])),
            ("name", string(name.clone())),
            ("name_prefix", name_prefix_from_name(&name)),
            ("retention_in_days", retention),
            (
                "skip_destroy",
                Value::Bool(state.attr("skip_destroy").bool_opt().unwrap_or(false)),
            ),
            ("region", string(region)),
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
        let name = group_name(prior);
        let changed = |a: &str| !crate::values::semantically_equal(prior.attr(a), planned.attr(a));
        if changed("retention_in_days") {
            let days = planned.attr("retention_in_days").num_opt().unwrap_or(0.0);
            if days > 0.0 {
                ctx.call(
                    &region,
                    SERVICE,
                    "PutRetentionPolicy",
                    json!({"logGroupName": name, "retentionInDays": days as i64}),
                )
                .map_err(logs_err(
                    format!("setting {WHAT} ({name}) retention policy"),
                    "PutRetentionPolicy",
                ))
                .map_err(fail(None))?;
            } else {
                ctx.call(
                    &region,
                    SERVICE,
                    "DeleteRetentionPolicy",
                    json!({"logGroupName": name}),
                )
                .map_err(logs_err(
                    format!("deleting {WHAT} ({name}) retention policy"),
                    "DeleteRetentionPolicy",
                ))
                .map_err(fail(None))?;
            }
        }
        if changed("kms_key_id") {
            if let Some(key) = arg(planned, "kms_key_id") {
                ctx.call(
                    &region,
                    SERVICE,
                    "AssociateKmsKey",
                    json!({"logGroupName": name, "kmsKeyId": key}),
                )
                .map_err(logs_err(
                    format!("associating {WHAT} ({name}) KMS key"),
                    "AssociateKmsKey",
                ))
                .map_err(fail(None))?;
            } else {
                ctx.call(
                    &region,
                    SERVICE,
                    "DisassociateKmsKey",
                    json!({"logGroupName": name}),
                )
                .map_err(logs_err(
                    format!("disassociating {WHAT} ({name}) KMS key"),
                    "DisassociateKmsKey",
                ))
                .map_err(fail(None))?;
            }
        }
        let (removed, added) = tag_diff(prior, planned);
        let arn = prior.attr("arn").str_opt().unwrap_or_default().to_string();
        if !removed.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "UntagResource",
                json!({"resourceArn": arn, "tagKeys": removed}),
            )
            .map_err(logs_err(
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
                json!({"resourceArn": arn, "tags": added}),
            )
            .map_err(logs_err(format!("tagging {WHAT} ({arn})"), "TagResource"))
            .map_err(fail(None))?;
        }
        let mut state = prior.clone();
        set_attr(
            &mut state,
            "skip_destroy",
            planned.attr("skip_destroy").clone(),
        );
        set_attr(&mut state, "tags", planned.attr("tags").clone());
        after_write(self.read(ctx, &state), &format!("{WHAT} ({name})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        if state.attr("skip_destroy").bool_opt() == Some(true) {
            return Ok(());
        }
        let region = ctx.region_of(state);
        let name = group_name(state);
        match ctx.call(
            &region,
            SERVICE,
            "DeleteLogGroup",
            json!({"logGroupName": name}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "ResourceNotFoundException" => Ok(()),
            Err(e) => Err(vec![logs_err(
                format!("deleting {WHAT} ({name})"),
                "DeleteLogGroup",
            )(e)]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Ok(object([
            ("id", string(id)),
            ("region", string(ctx.region.clone())),
            ("skip_destroy", Value::Bool(false)),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_loses_the_wildcard_suffix() {
        assert_eq!(
            trim_arn_wildcard("arn:aws:logs:us-east-1:123456789012:log-group:ct:*"),
            "arn:aws:logs:us-east-1:123456789012:log-group:ct"
        );
    }

    #[test]
    fn retention_outside_the_allowed_list_is_rejected() {
        let lg = LogGroup::new();
        let bad = object([("retention_in_days", Value::Number(2.0))]);
        assert_eq!(lg.validate(&bad).len(), 1);
        let good = object([("retention_in_days", Value::Number(365.0))]);
        assert!(lg.validate(&good).is_empty());
    }
}
