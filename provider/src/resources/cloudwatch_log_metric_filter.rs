//! aws_cloudwatch_log_metric_filter: PutMetricFilter (create and update alike),
//! DescribeMetricFilters, DeleteMetricFilter. ID: the filter name; import as
//! `LOG_GROUP_NAME:FILTER_NAME`.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string, string_map};
use ctsim::services::cloudwatch::errors::UNITS;

const WHAT: &str = "CloudWatch Logs Metric Filter";
const SERVICE: &str = "logs";

pub struct MetricFilter {
    schema: Schema,
}

impl Default for MetricFilter {
    fn default() -> Self {
        Self::new()
    }
}

impl MetricFilter {
    pub fn new() -> Self {
        MetricFilter {
            schema: Schema::resource("aws_cloudwatch_log_metric_filter")
                // validLogGroupName (checked in validate), ForceNew
                .attr("log_group_name", Attribute::force_new)
                // validLogMetricFilterName (checked in validate), ForceNew
                .attr("name", Attribute::force_new)
                // Default StandardUnitNone, enum.Validate[StandardUnit]
                .attr("metric_transformation.unit", |a| {
                    a.default(string("None")).validate(Validator::OneOf(UNITS))
                })
                // validation.StringLenBetween(0, 100)
                .attr("metric_transformation.value", |a| {
                    a.validate(Validator::LenBetween(0, 100))
                }),
        }
    }
}

/// `validLogGroupName`: 1-512 of `[.\-_/#A-Za-z0-9]`.
fn log_group_name_problem(v: &str) -> Option<String> {
    if v.is_empty() || v.len() > 512 {
        return Some(format!(
            "\"log_group_name\" cannot be longer than 512 characters and must not be empty: {v:?}"
        ));
    }
    (!v.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-_/#".contains(&b)))
    .then(|| {
        format!(
            "Only alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed in \"log_group_name\": {v:?}"
        )
    })
}

/// `validLogMetricFilterName` / `validLogMetricFilterTransformationName`.
fn name_problem(attr: &str, v: &str, max: usize, forbidden: &[char]) -> Option<String> {
    if v.chars().count() > max {
        return Some(format!(
            "\"{attr}\" cannot be longer than {max} characters: {v:?}"
        ));
    }
    v.contains(forbidden).then(|| {
        format!(
            "\"{attr}\" cannot contain any of the characters {}: {v:?}",
            forbidden.iter().collect::<String>()
        )
    })
}

fn transformation(v: &Value) -> Option<&Value> {
    v.attr("metric_transformation").items().first()
}

fn transformation_request(t: &Value) -> Json {
    let mut m = json!({
        "metricName": t.attr("name").str_opt().unwrap_or_default(),
        "metricNamespace": t.attr("namespace").str_opt().unwrap_or_default(),
        "metricValue": t.attr("value").str_opt().unwrap_or_default(),
        "unit": t.attr("unit").str_opt().unwrap_or("None"),
    });
    if let Some(d) = t
        .attr("default_value")
        .str_opt()
        .and_then(|s| s.trim().parse::<f64>().ok())
    {
        m["defaultValue"] = json!(d);
    }
    let dims = t.attr("dimensions").string_map();
    if !dims.is_empty() {
        m["dimensions"] = json!(dims);
    }
    m
}

/// `flex.Float64ToStringValue`: Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
fn float_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn flatten_transformation(t: &Json) -> Value {
    let dims: BTreeMap<String, String> = t["dimensions"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default();
    object([
        (
            "default_value",
            t["defaultValue"]
                .as_f64()
                .map(|v| string(float_text(v)))
                .unwrap_or(Value::Null),
        ),
        (
            "dimensions",
            if dims.is_empty() {
                Value::Null
            } else {
                string_map(&dims)
            },
        ),
        ("name", string(t["metricName"].as_str().unwrap_or_default())),
        (
            "namespace",
            string(t["metricNamespace"].as_str().unwrap_or_default()),
        ),
        ("unit", string(t["unit"].as_str().unwrap_or("None"))),
        (
            "value",
            string(t["metricValue"].as_str().unwrap_or_default()),
        ),
    ])
}

impl MetricFilter {
    fn put(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = planned.attr("name").str_opt().unwrap_or_default();
        let group = planned.attr("log_group_name").str_opt().unwrap_or_default();
        let mut req = json!({
            "filterName": name,
            "filterPattern": planned.attr("pattern").str_opt().unwrap_or_default().trim(),
            "logGroupName": group,
            "metricTransformations": transformation(planned).map(transformation_request).into_iter().collect::<Vec<_>>(),
        });
        if let Some(b) = planned.attr("apply_on_transformed_logs").bool_opt() {
            req["applyOnTransformedLogs"] = json!(b);
        }
        ctx.call(&region, SERVICE, "PutMetricFilter", req)
            .map_err(|e| {
                (
                    None,
                    vec![Diag::error(format!(
                        "putting {WHAT} ({name}): operation error CloudWatch Logs: PutMetricFilter, {}: {}",
                        e.code, e.message
                    ))],
                )
            })?;
        let mut written = planned.clone();
        set_attr(&mut written, "id", string(name));
        set_attr(&mut written, "region", string(region));
        match self.read(ctx, &written) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!(
                    "reading {WHAT} ({name}): couldn't find resource"
                ))],
            )),
            Err(d) => Err((Some(written), d)),
        }
    }
}

impl Resource for MetricFilter {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_log_metric_filter"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        let mut diags = Vec::new();
        let mut push = |attr: &str, problem: Option<String>| {
            if let Some(p) = problem {
                diags.push(Diag::error(p).at(attr_path(attr)));
            }
        };
        if let Some(v) = config.attr("log_group_name").str_opt() {
            push("log_group_name", log_group_name_problem(v));
        }
        if let Some(v) = config.attr("name").str_opt() {
            push("name", name_problem("name", v, 512, &[':', '*']));
        }
        if let Some(v) = config.attr("pattern").str_opt()
            && v.chars().count() > 1024
        {
            push(
                "pattern",
                Some(format!(
                    "expected length of pattern to be in the range (0 - 1024), got {v}"
                )),
            );
        }
        if let Some(t) = transformation(config) {
            for key in ["name", "namespace"] {
                if let Some(v) = t.attr(key).str_opt() {
                    push(key, name_problem(key, v, 255, &[':', '*', '$']));
                }
            }
            if let Some(v) = t.attr("default_value").str_opt()
                && !v.is_empty()
                && v.trim().parse::<f64>().is_err()
            {
                push(
                    "metric_transformation",
                    Some(format!("default_value: cannot parse '{v}' as float")),
                );
            }
        }
        diags
    }
    fn modify_plan(&self, _ctx: &Ctx, _prior: &Value, planned: &mut Value) {
        // StateFunc TrimSpace: the stored pattern is trimmed.
        if let Some(p) = planned.attr("pattern").str_opt()
            && p.trim() != p
        {
            let t = p.trim().to_string();
            set_attr(planned, "pattern", string(t));
        }
    }
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        self.put(ctx, planned)
    }
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let name = [state.attr("id"), state.attr("name")]
            .into_iter()
            .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
            .unwrap_or_default()
            .to_string();
        let group = state.attr("log_group_name").str_opt().unwrap_or_default();
        let got = match ctx.call(
            &region,
            SERVICE,
            "DescribeMetricFilters",
            json!({"filterNamePrefix": name, "logGroupName": group}),
        ) {
            Ok(g) => g,
            Err(e) if e.code == "ResourceNotFoundException" => return Ok(None),
            Err(e) => {
                return Err(vec![Diag::error(format!(
                    "reading {WHAT} ({name}): operation error CloudWatch Logs: DescribeMetricFilters, {}: {}",
                    e.code, e.message
                ))]);
            }
        };
        let Some(f) = got["metricFilters"]
            .as_array()
            .and_then(|l| l.iter().find(|f| f["filterName"] == name.as_str()))
        else {
            return Ok(None);
        };
        let mut out = state.clone();
        set_attr(&mut out, "id", string(name.clone()));
        set_attr(&mut out, "region", string(region));
        set_attr(&mut out, "name", string(name));
        set_attr(
            &mut out,
            "log_group_name",
            string(f["logGroupName"].as_str().unwrap_or_default()),
        );
        set_attr(
            &mut out,
            "pattern",
            string(f["filterPattern"].as_str().unwrap_or_default()),
        );
        set_attr(
            &mut out,
            "apply_on_transformed_logs",
            Value::Bool(f["applyOnTransformedLogs"].as_bool().unwrap_or(false)),
        );
        let ts: Vec<Value> = f["metricTransformations"]
            .as_array()
            .map(|l| l.iter().map(flatten_transformation).collect())
            .unwrap_or_default();
        set_attr(&mut out, "metric_transformation", Value::List(ts));
        Ok(Some(out))
    }
    fn update(
        &self,
        ctx: &Ctx,
        _prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        self.put(ctx, planned)
    }
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let name = state.attr("id").str_opt().unwrap_or_default();
        let group = state.attr("log_group_name").str_opt().unwrap_or_default();
        match ctx.call(
            &region,
            SERVICE,
            "DeleteMetricFilter",
            json!({"filterName": name, "logGroupName": group}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "ResourceNotFoundException" => Ok(()),
            Err(e) => Err(vec![Diag::error(format!(
                "deleting {WHAT} ({name}): operation error CloudWatch Logs: DeleteMetricFilter, {}: {}",
                e.code, e.message
            ))]),
        }
    }
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let parts: Vec<&str> = id.split(':').collect();
        let [group, name] = parts.as_slice() else {
            return Err(vec![Diag::error(format!(
                "unexpected format for ID ({id}), expected log-group-name:filter-name"
            ))]);
        };
        if group.is_empty() || name.is_empty() {
            return Err(vec![Diag::error(format!(
                "unexpected format for ID ({id}), expected log-group-name:filter-name"
            ))]);
        }
        Ok(object([
            ("id", string(*name)),
            ("name", string(*name)),
            ("log_group_name", string(*group)),
            ("region", string(ctx.region.clone())),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_as_hashicorp_aws_checks_them() {
        assert!(log_group_name_problem("/aws/cloudtrail#1").is_none());
        assert!(log_group_name_problem("bad name").is_some());
        assert!(name_problem("name", "ok-name", 512, &[':', '*']).is_none());
        assert!(name_problem("name", "a:b", 512, &[':', '*']).is_some());
    }

    #[test]
    fn default_values_are_written_as_go_formats_floats() {
        assert_eq!(float_text(0.0), "0");
        assert_eq!(float_text(1.5), "1.5");
    }

    #[test]
    fn schema_overlays_name_existing_attributes() {
        assert!(MetricFilter::new().schema.overlay_problems.is_empty());
    }
}
