//! aws_cloudwatch_metric_alarm: PutMetricAlarm (create and update), DescribeAlarms, tags,
//! DeleteAlarms. ID: the alarm name. The simulator evaluates the alarm on its clock, so its
//! state really moves when the metric's data points cross the threshold.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};
use tfplugin6::value::Value;

use super::support::{tag_diff, tag_values};
use super::{Ctx, Resource};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, opt_string, set_attr, string, string_map};

const WHAT: &str = "CloudWatch Metric Alarm";
const SERVICE: &str = "cloudwatch";

/// types.ComparisonOperator.
const COMPARISON_OPERATORS: &[&str] = &[
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
];
/// types.Statistic.
const STATISTICS: &[&str] = &["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
/// missingData_Values (matched case-insensitively by hashicorp/aws).
const MISSING_DATA: &[&str] = &["breaching", "notBreaching", "ignore", "missing"];

pub struct MetricAlarm {
    schema: Schema,
}

impl Default for MetricAlarm {
    fn default() -> Self {
        Self::new()
    }
}

impl MetricAlarm {
    pub fn new() -> Self {
        MetricAlarm {
            schema: Schema::resource("aws_cloudwatch_metric_alarm")
                // StringLenBetween(1, 255), ForceNew
                .attr("alarm_name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 255))
                })
                // StringLenBetween(0, 1024)
                .attr("alarm_description", |a| {
                    a.validate(Validator::LenBetween(0, 1024))
                })
                .attr("actions_enabled", |a| a.default(Value::Bool(true)))
                .attr("treat_missing_data", |a| a.default(string("missing")))
                // enum.Validate[types.ComparisonOperator]
                .attr("comparison_operator", |a| {
                    a.validate(Validator::OneOf(COMPARISON_OPERATORS))
                })
                // enum.Validate[types.Statistic]
                .attr("statistic", |a| a.validate(Validator::OneOf(STATISTICS)))
                .attr("metric_name", |a| a.validate(Validator::LenBetween(1, 255)))
                .attr("namespace", |a| a.validate(Validator::LenBetween(1, 255)))
                .attr("threshold_metric_id", |a| {
                    a.validate(Validator::LenBetween(1, 255))
                }),
        }
    }
}

fn name_of(state: &Value) -> String {
    [state.attr("id"), state.attr("alarm_name")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn strings_of(v: &Value) -> Vec<String> {
    let mut s = v.strings();
    s.sort();
    s
}

fn dimensions_request(v: &Value) -> Json {
    Json::Array(
        v.string_map()
            .into_iter()
            .map(|(k, v)| json!({"Name": k, "Value": v}))
            .collect(),
    )
}

fn dimensions_value(v: &Json) -> Value {
    let m: BTreeMap<String, String> = v
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|d| {
                    Some((
                        d["Name"].as_str()?.to_string(),
                        d["Value"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    if m.is_empty() {
        Value::Null
    } else {
        string_map(&m)
    }
}

fn query_request(q: &Value) -> Json {
    let mut m = Map::new();
    m.insert(
        "Id".into(),
        json!(q.attr("id").str_opt().unwrap_or_default()),
    );
    for (tf, aws) in [
        ("expression", "Expression"),
        ("label", "Label"),
        ("account_id", "AccountId"),
    ] {
        if let Some(s) = q.attr(tf).str_opt().filter(|s| !s.is_empty()) {
            m.insert(aws.into(), json!(s));
        }
    }
    if let Some(p) = q.attr("period").num_opt().filter(|p| *p > 0.0) {
        m.insert("Period".into(), json!(p as i64));
    }
    m.insert(
        "ReturnData".into(),
        json!(q.attr("return_data").bool_opt().unwrap_or(false)),
    );
    if let Some(metric) = q.attr("metric").items().first() {
        let mut stat = json!({
            "Metric": {
                "MetricName": metric.attr("metric_name").str_opt().unwrap_or_default(),
                "Dimensions": dimensions_request(metric.attr("dimensions")),
            },
            "Period": metric.attr("period").num_opt().unwrap_or(0.0) as i64,
            "Stat": metric.attr("stat").str_opt().unwrap_or_default(),
        });
        if let Some(ns) = metric.attr("namespace").str_opt().filter(|s| !s.is_empty()) {
            stat["Metric"]["Namespace"] = json!(ns);
        }
        if let Some(u) = metric.attr("unit").str_opt().filter(|s| !s.is_empty()) {
            stat["Unit"] = json!(u);
        }
        m.insert("MetricStat".into(), stat);
    }
    Json::Object(m)
}

fn query_value(q: &Json) -> Value {
    let metric = match q.get("MetricStat") {
        Some(ms) => Value::List(vec![object([
            ("dimensions", dimensions_value(&ms["Metric"]["Dimensions"])),
            (
                "metric_name",
                opt_string(ms["Metric"]["MetricName"].as_str()),
            ),
            ("namespace", opt_string(ms["Metric"]["Namespace"].as_str())),
            (
                "period",
                ms["Period"]
                    .as_f64()
                    .map(Value::Number)
                    .unwrap_or(Value::Null),
            ),
            ("stat", opt_string(ms["Stat"].as_str())),
            ("unit", opt_string(ms["Unit"].as_str())),
        ])]),
        None => Value::List(Vec::new()),
    };
    object([
        ("account_id", opt_string(q["AccountId"].as_str())),
        ("expression", opt_string(q["Expression"].as_str())),
        ("id", opt_string(q["Id"].as_str())),
        ("label", opt_string(q["Label"].as_str())),
        ("metric", metric),
        (
            "period",
            q["Period"]
                .as_f64()
                .map(Value::Number)
                .unwrap_or(Value::Null),
        ),
        (
            "return_data",
            Value::Bool(q["ReturnData"].as_bool().unwrap_or(false)),
        ),
    ])
}

/// `expandPutMetricAlarmInput`.
fn put_request(planned: &Value) -> Json {
    let mut m = Map::new();
    m.insert("AlarmName".into(), json!(name_of(planned)));
    m.insert(
        "ActionsEnabled".into(),
        json!(planned.attr("actions_enabled").bool_opt().unwrap_or(true)),
    );
    for (tf, aws) in [
        ("alarm_actions", "AlarmActions"),
        ("ok_actions", "OKActions"),
        ("insufficient_data_actions", "InsufficientDataActions"),
    ] {
        m.insert(aws.into(), json!(strings_of(planned.attr(tf))));
    }
    for (tf, aws) in [
        ("alarm_description", "AlarmDescription"),
        ("comparison_operator", "ComparisonOperator"),
        (
            "evaluate_low_sample_count_percentiles",
            "EvaluateLowSampleCountPercentile",
        ),
        ("extended_statistic", "ExtendedStatistic"),
        ("metric_name", "MetricName"),
        ("namespace", "Namespace"),
        ("statistic", "Statistic"),
        ("threshold_metric_id", "ThresholdMetricId"),
        ("treat_missing_data", "TreatMissingData"),
        ("unit", "Unit"),
    ] {
        if let Some(s) = planned.attr(tf).str_opt().filter(|s| !s.is_empty()) {
            m.insert(aws.into(), json!(s));
        }
    }
    for (tf, aws) in [
        ("datapoints_to_alarm", "DatapointsToAlarm"),
        ("evaluation_periods", "EvaluationPeriods"),
        ("period", "Period"),
        ("evaluation_interval", "EvaluationInterval"),
    ] {
        if let Some(n) = planned.attr(tf).num_opt().filter(|n| *n > 0.0) {
            m.insert(aws.into(), json!(n as i64));
        }
    }
    if let Some(t) = planned.attr("threshold").num_opt() {
        m.insert("Threshold".into(), json!(t));
    }
    let dims = planned.attr("dimensions").string_map();
    if !dims.is_empty() {
        m.insert(
            "Dimensions".into(),
            dimensions_request(planned.attr("dimensions")),
        );
    }
    let queries: Vec<Json> = planned
        .attr("metric_query")
        .items()
        .iter()
        .map(query_request)
        .collect();
    if !queries.is_empty() {
        m.insert("Metrics".into(), Json::Array(queries));
    }
    let tags = planned.attr("tags_all").string_map();
    if !tags.is_empty() {
        m.insert(
            "Tags".into(),
            Json::Array(
                tags.iter()
                    .map(|(k, v)| json!({"Key": k, "Value": v}))
                    .collect(),
            ),
        );
    }
    Json::Object(m)
}

fn api_diag(context: &str, op: &str, e: &ctsim::AwsError) -> Diag {
    Diag::error(format!(
        "{context}: operation error CloudWatch: {op}, {}: {}",
        e.code, e.message
    ))
}

fn set_of(v: &Json) -> Value {
    let mut items: Vec<String> = v
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    items.sort();
    Value::Set(items.into_iter().map(Value::String).collect())
}

impl MetricAlarm {
    fn find(&self, ctx: &Ctx, region: &str, name: &str) -> Result<Option<Json>, Diag> {
        let got = ctx
            .call(
                region,
                SERVICE,
                "DescribeAlarms",
                json!({"AlarmNames": [name], "AlarmTypes": ["MetricAlarm"]}),
            )
            .map_err(|e| api_diag(&format!("reading {WHAT} ({name})"), "DescribeAlarms", &e))?;
        Ok(got["MetricAlarms"]
            .as_array()
            .and_then(|l| l.iter().find(|a| a["AlarmName"] == name))
            .cloned())
    }
}

impl Resource for MetricAlarm {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_metric_alarm"
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value) -> Diags {
        let mut diags = Vec::new();
        let set = |k: &str| !config.attr(k).is_null();
        // CustomizeDiff: one of statistic / extended_statistic with metric_name.
        if set("metric_name")
            && !config.attr("metric_name").is_unknown()
            && set("statistic") == set("extended_statistic")
        {
            diags.push(Diag::error(
                "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm",
            ));
        }
        for (a, b) in [
            ("threshold", "threshold_metric_id"),
            ("statistic", "extended_statistic"),
        ] {
            if set(a) && set(b) {
                diags.push(
                    Diag::error(format!(
                        "Conflicting configuration arguments: \"{a}\": conflicts with {b}"
                    ))
                    .at(attr_path(a)),
                );
            }
        }
        if !config.attr("metric_query").is_null_or_empty() {
            for a in [
                "metric_name",
                "namespace",
                "period",
                "statistic",
                "extended_statistic",
                "dimensions",
            ] {
                if set(a) {
                    diags.push(
                        Diag::error(format!(
                            "Conflicting configuration arguments: \"{a}\": conflicts with metric_query"
                        ))
                        .at(attr_path(a)),
                    );
                }
            }
        }
        if let Some(t) = config.attr("treat_missing_data").str_opt()
            && !MISSING_DATA.iter().any(|m| m.eq_ignore_ascii_case(t))
        {
            diags.push(
                Diag::error(format!(
                    "expected treat_missing_data to be one of {MISSING_DATA:?}, got {t}"
                ))
                .at(attr_path("treat_missing_data")),
            );
        }
        if let Some(p) = config.attr("period").num_opt()
            && !(p == 10.0 || p == 20.0 || p == 30.0 || (p > 0.0 && (p as i64) % 60 == 0))
        {
            diags.push(
                Diag::error(format!(
                    "expected period to be one of [10 20 30] or divisible by 60, got {p}"
                ))
                .at(attr_path("period")),
            );
        }
        for k in ["evaluation_periods", "datapoints_to_alarm"] {
            if let Some(n) = config.attr(k).num_opt()
                && n < 1.0
            {
                diags.push(
                    Diag::error(format!("expected {k} to be at least (1), got {n}"))
                        .at(attr_path(k)),
                );
            }
        }
        diags
    }
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = name_of(planned);
        match self.find(ctx, &region, &name) {
            Ok(None) => {}
            Ok(Some(_)) => {
                return Err((
                    None,
                    vec![Diag::error(format!(
                        "CloudWatch metric alarm \"{name}\" already exists"
                    ))],
                ));
            }
            Err(d) => return Err((None, vec![d])),
        }
        ctx.call(&region, SERVICE, "PutMetricAlarm", put_request(planned))
            .map_err(|e| {
                (
                    None,
                    vec![api_diag(
                        &format!("creating {WHAT} ({name})"),
                        "PutMetricAlarm",
                        &e,
                    )],
                )
            })?;
        let mut created = planned.clone();
        set_attr(&mut created, "id", string(name.clone()));
        set_attr(&mut created, "region", string(region));
        match self.read(ctx, &created) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                Some(created),
                vec![Diag::error(format!("reading {WHAT} ({name}): not found"))],
            )),
            Err(d) => Err((Some(created), d)),
        }
    }
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let name = name_of(state);
        let Some(a) = self.find(ctx, &region, &name).map_err(|d| vec![d])? else {
            return Ok(None);
        };
        let arn = a["AlarmArn"].as_str().unwrap_or_default().to_string();
        let tags = ctx
            .call(
                &region,
                SERVICE,
                "ListTagsForResource",
                json!({"ResourceARN": arn}),
            )
            .map_err(|e| {
                vec![api_diag(
                    &format!("listing tags for {WHAT} ({arn})"),
                    "ListTagsForResource",
                    &e,
                )]
            })?;
        let all: BTreeMap<String, String> = tags["Tags"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|t| {
                        Some((
                            t["Key"].as_str()?.to_string(),
                            t["Value"].as_str()?.to_string(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (own, tags_all) = tag_values(&all, &ctx.default_tags, state.attr("tags"));
        let mut out = state.clone();
        let num = |v: &Json| v.as_f64().map(Value::Number).unwrap_or(Value::Null);
        let queries: Vec<Value> = a["Metrics"]
            .as_array()
            .map(|l| l.iter().map(query_value).collect())
            .unwrap_or_default();
        for (k, v) in [
            ("id", string(name.clone())),
            ("region", string(region)),
            ("arn", string(arn)),
            ("alarm_name", string(name)),
            (
                "actions_enabled",
                Value::Bool(a["ActionsEnabled"].as_bool().unwrap_or(true)),
            ),
            ("alarm_actions", set_of(&a["AlarmActions"])),
            ("ok_actions", set_of(&a["OKActions"])),
            (
                "insufficient_data_actions",
                set_of(&a["InsufficientDataActions"]),
            ),
            (
                "alarm_description",
                opt_string(a["AlarmDescription"].as_str()),
            ),
            (
                "comparison_operator",
                opt_string(a["ComparisonOperator"].as_str()),
            ),
            ("datapoints_to_alarm", num(&a["DatapointsToAlarm"])),
            ("dimensions", dimensions_value(&a["Dimensions"])),
            (
                "evaluate_low_sample_count_percentiles",
                opt_string(a["EvaluateLowSampleCountPercentile"].as_str()),
            ),
            ("evaluation_periods", num(&a["EvaluationPeriods"])),
            (
                "extended_statistic",
                opt_string(a["ExtendedStatistic"].as_str()),
            ),
            ("metric_name", opt_string(a["MetricName"].as_str())),
            ("namespace", opt_string(a["Namespace"].as_str())),
            ("period", num(&a["Period"])),
            ("statistic", opt_string(a["Statistic"].as_str())),
            ("threshold", num(&a["Threshold"])),
            (
                "threshold_metric_id",
                opt_string(a["ThresholdMetricId"].as_str()),
            ),
            (
                "treat_missing_data",
                string(a["TreatMissingData"].as_str().unwrap_or("missing")),
            ),
            ("unit", opt_string(a["Unit"].as_str())),
            ("tags", own),
            ("tags_all", tags_all),
        ] {
            set_attr(&mut out, k, v);
        }
        if !queries.is_empty() {
            set_attr(&mut out, "metric_query", Value::Set(queries));
        }
        if let Some(n) = a["EvaluationInterval"].as_f64() {
            set_attr(&mut out, "evaluation_interval", Value::Number(n));
        }
        Ok(Some(out))
    }
    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(prior);
        let name = name_of(prior);
        let arn = prior.attr("arn").str_opt().unwrap_or_default().to_string();
        ctx.call(&region, SERVICE, "PutMetricAlarm", put_request(planned))
            .map_err(|e| {
                (
                    None,
                    vec![api_diag(
                        &format!("updating {WHAT} ({name})"),
                        "PutMetricAlarm",
                        &e,
                    )],
                )
            })?;
        let (removed, added) = tag_diff(prior, planned);
        if !removed.is_empty() {
            ctx.call(
                &region,
                SERVICE,
                "UntagResource",
                json!({"ResourceARN": arn, "TagKeys": removed}),
            )
            .map_err(|e| {
                (
                    None,
                    vec![api_diag(
                        &format!("untagging {WHAT} ({arn})"),
                        "UntagResource",
                        &e,
                    )],
                )
            })?;
        }
        if !added.is_empty() {
            let tags: Vec<Json> = added
                .iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect();
            ctx.call(
                &region,
                SERVICE,
                "TagResource",
                json!({"ResourceARN": arn, "Tags": tags}),
            )
            .map_err(|e| {
                (
                    None,
                    vec![api_diag(
                        &format!("tagging {WHAT} ({arn})"),
                        "TagResource",
                        &e,
                    )],
                )
            })?;
        }
        match self.read(ctx, planned) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!("reading {WHAT} ({name}): not found"))],
            )),
            Err(d) => Err((Some(planned.clone()), d)),
        }
    }
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let name = name_of(state);
        match ctx.call(
            &region,
            SERVICE,
            "DeleteAlarms",
            json!({"AlarmNames": [name]}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "ResourceNotFound" || e.code == "ResourceNotFoundException" => {
                Ok(())
            }
            Err(e) => Err(vec![api_diag(
                &format!("deleting {WHAT} ({name})"),
                "DeleteAlarms",
                &e,
            )]),
        }
    }
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        Ok(object([
            ("id", string(id)),
            ("alarm_name", string(id)),
            ("region", string(ctx.region.clone())),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_overlays_name_existing_attributes() {
        assert!(MetricAlarm::new().schema.overlay_problems.is_empty());
    }

    #[test]
    fn the_request_carries_what_hashicorp_aws_sends() {
        let planned = object([
            ("alarm_name", string("root-usage")),
            ("metric_name", string("RootAccountUsage")),
            ("namespace", string("CISBenchmark")),
            ("statistic", string("Sum")),
            ("period", Value::Number(300.0)),
            ("evaluation_periods", Value::Number(1.0)),
            ("threshold", Value::Number(1.0)),
            (
                "comparison_operator",
                string("GreaterThanOrEqualToThreshold"),
            ),
            (
                "alarm_actions",
                Value::Set(vec![string("arn:aws:sns:us-east-1:123456789012:alarms")]),
            ),
            ("actions_enabled", Value::Bool(true)),
            ("treat_missing_data", string("notBreaching")),
        ]);
        let r = put_request(&planned);
        assert_eq!(r["AlarmName"], "root-usage");
        assert_eq!(r["Period"], 300);
        assert_eq!(r["Threshold"], 1.0);
        assert_eq!(
            r["AlarmActions"],
            json!(["arn:aws:sns:us-east-1:123456789012:alarms"])
        );
        assert_eq!(r["TreatMissingData"], "notBreaching");
    }
}
