//! aws_cloudwatch_event_target: PutTargets / ListTargetsByRule / RemoveTargets for one target
//! of one rule. ID, as hashicorp/aws builds it (`targetCreateResourceID`): `RULE-TARGETID`
//! on the default bus, `BUS-RULE-TARGETID` on another. Import takes `RULE/TARGETID` or
//! `BUS/RULE/TARGETID` (`targetParseImportID`), since `-` may appear in both names.
//!
//! The target's parameter blocks are translated both ways as hashicorp/aws's
//! `expandPutTargetsInput` and `flatten*` functions do; an absent block reads back empty.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json, json};
use tfplugin6::value::Value;

use super::cloudwatch_event_rule::{DEFAULT_BUS, bus_problem, name_problems};
use super::policy_json;
use super::s3_common::{conflict_problem, import_region, json_bool, json_num, json_str};
use super::support::{after_write, arg, generated_name};
use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::plan::{PathStep, attr_path};
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string, string_list, string_map, string_set};

const WHAT: &str = "EventBridge Target";
const SERVICE: &str = "events";
const LABEL: &str = "EventBridge";

/// `targetInputTransformerMaxInputPaths`.
const MAX_INPUT_PATHS: usize = 100;

pub struct Target {
    schema: Schema,
}

impl Default for Target {
    fn default() -> Self {
        Self::new()
    }
}

impl Target {
    pub fn new() -> Self {
        let len = |min, max| move |a: Attribute| a.validate(Validator::LenBetween(min, max));
        Target {
            schema: Schema::resource("aws_cloudwatch_event_target")
                .attr("arn", |a| a.validate(Validator::Arn))
                // validBusNameOrARN (checked in validate), ForceNew, Default "default"
                .attr("event_bus_name", |a| {
                    a.force_new().default(Value::String(DEFAULT_BUS.into()))
                })
                .attr("force_destroy", |a| a.default(Value::Bool(false)))
                // validation.StringIsJSON (checked in validate), StringLenBetween(0, 8192)
                .attr("input", len(0, 8192))
                .attr("input_path", len(0, 256))
                .attr("role_arn", |a| a.validate(Validator::Arn))
                // validateRuleName / validateTargetID (checked in validate), ForceNew
                .attr("rule", Attribute::force_new)
                .attr("target_id", Attribute::force_new)
                .nested("input_transformer", |n| {
                    n.conflicts_with(&["input", "input_path"])
                })
                .attr("input_transformer.input_template", len(1, 8192))
                .attr("appsync_target.graphql_operation", len(1, 1_048_576))
                .attr("dead_letter_config.arn", |a| a.validate(Validator::Arn))
                .attr("ecs_target.enable_ecs_managed_tags", |a| {
                    a.default(Value::Bool(false))
                })
                .attr("ecs_target.enable_execute_command", |a| {
                    a.default(Value::Bool(false))
                })
                .attr("ecs_target.group", len(1, 255))
                .attr("ecs_target.launch_type", |a| {
                    a.validate(Validator::OneOf(&["EC2", "FARGATE", "EXTERNAL"]))
                })
                .attr("ecs_target.network_configuration.assign_public_ip", |a| {
                    a.default(Value::Bool(false))
                })
                .attr("ecs_target.ordered_placement_strategy.field", len(0, 255))
                .attr("ecs_target.ordered_placement_strategy.type", |a| {
                    a.validate(Validator::OneOf(&["random", "spread", "binpack"]))
                })
                .attr("ecs_target.placement_constraint.type", |a| {
                    a.validate(Validator::OneOf(&["distinctInstance", "memberOf"]))
                })
                .attr("ecs_target.platform_version", len(0, 1600))
                .attr("ecs_target.propagate_tags", |a| {
                    a.validate(Validator::OneOf(&["TASK_DEFINITION"]))
                })
                .attr("ecs_target.task_count", |a| a.default(Value::Number(1.0)))
                .attr("ecs_target.task_definition_arn", |a| {
                    a.validate(Validator::Arn)
                })
                .attr("kinesis_target.partition_key_path", len(1, 256))
                .attr("redshift_target.database", len(1, 64))
                .attr("redshift_target.db_user", len(1, 128))
                .attr("redshift_target.secrets_manager_arn", |a| {
                    a.validate(Validator::Arn)
                })
                .attr("redshift_target.sql", len(1, 100_000))
                .attr("redshift_target.statement_name", len(1, 500))
                .attr("run_command_targets.key", len(1, 128))
                .attr("run_command_targets.values", |a| {
                    a.max_items(50).validate(Validator::LenBetween(1, 256))
                }),
        }
    }
}

/// `targetCreateResourceID`: `RULE-TARGETID`, or `BUS-RULE-TARGETID` off the default bus.
pub fn target_resource_id(bus: &str, rule: &str, target_id: &str) -> String {
    if bus.is_empty() || bus == DEFAULT_BUS {
        format!("{rule}-{target_id}")
    } else {
        format!("{bus}-{rule}-{target_id}")
    }
}

/// `targetParseImportID`: (bus, rule, target id) from `RULE/TARGETID` or
/// `BUS/RULE/TARGETID` (the bus may be an ARN, which holds a `/` itself).
pub fn parse_import_id(id: &str) -> Result<(String, String, String), Diag> {
    let parts: Vec<&str> = id.split('/').collect();
    match parts.as_slice() {
        [rule, target] if !rule.is_empty() && !target.is_empty() => {
            return Ok((DEFAULT_BUS.into(), rule.to_string(), target.to_string()));
        }
        [bus, rule, target] if !bus.is_empty() && !rule.is_empty() && !target.is_empty() => {
            return Ok((bus.to_string(), rule.to_string(), target.to_string()));
        }
        _ => {}
    }
    if parts.len() > 3
        && let Some((rest, target)) = id.rsplit_once('/')
        && let Some((bus, rule)) = rest.rsplit_once('/')
        && !rule.is_empty()
        && !target.is_empty()
        && (bus.contains(":event-bus/") || bus.starts_with("aws.partner/"))
    {
        return Ok((bus.to_string(), rule.to_string(), target.to_string()));
    }
    Err(Diag::error(format!(
        "unexpected format for ID ({id}), expected EVENTBUSNAME/RULENAME/TARGETID or RULENAME/TARGETID"
    )))
}

fn events_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, LABEL, op, &e)
}

// ---- Terraform -> PutTargets ------------------------------------------------------------

/// The first (only) element of a MaxItems:1 block.
fn block<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    v.attr(name).items().first().filter(|b| !b.is_null())
}

fn put_str(out: &mut Map<String, Json>, key: &str, v: &Value) {
    if let Some(s) = v.str_opt().filter(|s| !s.is_empty()) {
        out.insert(key.into(), json!(s));
    }
}

fn put_num(out: &mut Map<String, Json>, key: &str, v: &Value) {
    if let Some(n) = v.num_opt() {
        out.insert(key.into(), json!(n as i64));
    }
}

fn put_map(out: &mut Map<String, Json>, key: &str, v: &Value) {
    let m = v.string_map();
    if !m.is_empty() {
        out.insert(key.into(), json!(m));
    }
}

fn expand_ecs(e: &Value) -> Json {
    let mut out = Map::new();
    let strategy: Vec<Json> = e
        .attr("capacity_provider_strategy")
        .items()
        .iter()
        .map(|s| {
            let mut m = Map::new();
            put_str(&mut m, "capacityProvider", s.attr("capacity_provider"));
            m.insert(
                "weight".into(),
                json!(s.attr("weight").num_opt().unwrap_or(0.0) as i64),
            );
            m.insert(
                "base".into(),
                json!(s.attr("base").num_opt().unwrap_or(0.0) as i64),
            );
            Json::Object(m)
        })
        .collect();
    if !strategy.is_empty() {
        out.insert("CapacityProviderStrategy".into(), Json::Array(strategy));
    }
    put_str(&mut out, "Group", e.attr("group"));
    put_str(&mut out, "LaunchType", e.attr("launch_type"));
    if let Some(nc) = block(e, "network_configuration") {
        let mut vpc = Map::new();
        vpc.insert("Subnets".into(), json!(nc.attr("subnets").strings()));
        let groups = nc.attr("security_groups").strings();
        if !groups.is_empty() {
            vpc.insert("SecurityGroups".into(), json!(groups));
        }
        let public = nc.attr("assign_public_ip").bool_opt() == Some(true);
        vpc.insert(
            "AssignPublicIp".into(),
            json!(if public { "ENABLED" } else { "DISABLED" }),
        );
        out.insert(
            "NetworkConfiguration".into(),
            json!({"awsvpcConfiguration": vpc}),
        );
    }
    put_str(&mut out, "PlatformVersion", e.attr("platform_version"));
    let constraints: Vec<Json> = e
        .attr("placement_constraint")
        .items()
        .iter()
        .map(|c| {
            let mut m = Map::new();
            put_str(&mut m, "type", c.attr("type"));
            put_str(&mut m, "expression", c.attr("expression"));
            Json::Object(m)
        })
        .collect();
    if !constraints.is_empty() {
        out.insert("PlacementConstraints".into(), Json::Array(constraints));
    }
    let strategies: Vec<Json> = e
        .attr("ordered_placement_strategy")
        .items()
        .iter()
        .map(|s| {
            let mut m = Map::new();
            put_str(&mut m, "type", s.attr("type"));
            put_str(&mut m, "field", s.attr("field"));
            Json::Object(m)
        })
        .collect();
    if !strategies.is_empty() {
        out.insert("PlacementStrategy".into(), Json::Array(strategies));
    }
    put_str(&mut out, "PropagateTags", e.attr("propagate_tags"));
    let tags = e.attr("tags").string_map();
    if !tags.is_empty() {
        out.insert(
            "Tags".into(),
            super::support::tags_to_list(&tags, "Key", "Value"),
        );
    }
    out.insert(
        "EnableExecuteCommand".into(),
        json!(e.attr("enable_execute_command").bool_opt() == Some(true)),
    );
    out.insert(
        "EnableECSManagedTags".into(),
        json!(e.attr("enable_ecs_managed_tags").bool_opt() == Some(true)),
    );
    out.insert(
        "TaskCount".into(),
        json!(e.attr("task_count").num_opt().unwrap_or(1.0) as i64),
    );
    put_str(&mut out, "TaskDefinitionArn", e.attr("task_definition_arn"));
    Json::Object(out)
}

/// `expandPutTargetsInput`: the one target this resource manages.
pub fn expand_target(planned: &Value, target_id: &str) -> Json {
    let mut t = Map::new();
    put_str(&mut t, "Arn", planned.attr("arn"));
    t.insert("Id".into(), json!(target_id));
    put_str(&mut t, "Input", planned.attr("input"));
    put_str(&mut t, "InputPath", planned.attr("input_path"));
    put_str(&mut t, "RoleArn", planned.attr("role_arn"));
    let commands: Vec<Json> = planned
        .attr("run_command_targets")
        .items()
        .iter()
        .map(|c| json!({"Key": c.attr("key").str_opt().unwrap_or_default(), "Values": c.attr("values").strings()}))
        .collect();
    if !commands.is_empty() {
        t.insert(
            "RunCommandParameters".into(),
            json!({"RunCommandTargets": commands}),
        );
    }
    if let Some(e) = block(planned, "ecs_target") {
        t.insert("EcsParameters".into(), expand_ecs(e));
    }
    if let Some(r) = block(planned, "redshift_target") {
        let mut m = Map::new();
        put_str(&mut m, "Database", r.attr("database"));
        put_str(&mut m, "Sql", r.attr("sql"));
        if let Some(w) = r.attr("with_event").bool_opt() {
            m.insert("WithEvent".into(), json!(w));
        }
        put_str(&mut m, "StatementName", r.attr("statement_name"));
        put_str(&mut m, "SecretManagerArn", r.attr("secrets_manager_arn"));
        put_str(&mut m, "DbUser", r.attr("db_user"));
        t.insert("RedshiftDataParameters".into(), Json::Object(m));
    }
    if let Some(h) = block(planned, "http_target") {
        let mut m = Map::new();
        put_map(&mut m, "HeaderParameters", h.attr("header_parameters"));
        let path = h.attr("path_parameter_values").strings();
        if !path.is_empty() {
            m.insert("PathParameterValues".into(), json!(path));
        }
        put_map(
            &mut m,
            "QueryStringParameters",
            h.attr("query_string_parameters"),
        );
        t.insert("HttpParameters".into(), Json::Object(m));
    }
    if let Some(b) = block(planned, "batch_target") {
        let mut m = Map::new();
        put_str(&mut m, "JobDefinition", b.attr("job_definition"));
        put_str(&mut m, "JobName", b.attr("job_name"));
        if let Some(n) = b
            .attr("array_size")
            .num_opt()
            .filter(|n| (2.0..=10000.0).contains(n))
        {
            m.insert("ArrayProperties".into(), json!({"Size": n as i64}));
        }
        if let Some(n) = b
            .attr("job_attempts")
            .num_opt()
            .filter(|n| (1.0..=10.0).contains(n))
        {
            m.insert("RetryStrategy".into(), json!({"Attempts": n as i64}));
        }
        t.insert("BatchParameters".into(), Json::Object(m));
    }
    if let Some(k) = block(planned, "kinesis_target") {
        let mut m = Map::new();
        put_str(&mut m, "PartitionKeyPath", k.attr("partition_key_path"));
        t.insert("KinesisParameters".into(), Json::Object(m));
    }
    if let Some(s) = block(planned, "sqs_target") {
        let mut m = Map::new();
        put_str(&mut m, "MessageGroupId", s.attr("message_group_id"));
        t.insert("SqsParameters".into(), Json::Object(m));
    }
    if let Some(s) = block(planned, "sagemaker_pipeline_target") {
        let params: Vec<Json> = s
            .attr("pipeline_parameter_list")
            .items()
            .iter()
            .map(|p| json!({"Name": p.attr("name").str_opt().unwrap_or_default(), "Value": p.attr("value").str_opt().unwrap_or_default()}))
            .collect();
        let mut m = Map::new();
        if !params.is_empty() {
            m.insert("PipelineParameterList".into(), Json::Array(params));
        }
        t.insert("SageMakerPipelineParameters".into(), Json::Object(m));
    }
    if let Some(i) = block(planned, "input_transformer") {
        t.insert(
            "InputTransformer".into(),
            json!({
                "InputPathsMap": i.attr("input_paths").string_map(),
                "InputTemplate": i.attr("input_template").str_opt().unwrap_or_default(),
            }),
        );
    }
    if let Some(r) = block(planned, "retry_policy") {
        let mut m = Map::new();
        put_num(
            &mut m,
            "MaximumEventAgeInSeconds",
            r.attr("maximum_event_age_in_seconds"),
        );
        put_num(
            &mut m,
            "MaximumRetryAttempts",
            r.attr("maximum_retry_attempts"),
        );
        t.insert("RetryPolicy".into(), Json::Object(m));
    }
    if let Some(d) = block(planned, "dead_letter_config") {
        let mut m = Map::new();
        put_str(&mut m, "Arn", d.attr("arn"));
        t.insert("DeadLetterConfig".into(), Json::Object(m));
    }
    if let Some(a) = block(planned, "appsync_target") {
        let mut m = Map::new();
        put_str(&mut m, "GraphQLOperation", a.attr("graphql_operation"));
        t.insert("AppSyncParameters".into(), Json::Object(m));
    }
    Json::Object(t)
}

// ---- ListTargetsByRule -> Terraform -----------------------------------------------------

fn one(fields: Vec<(&'static str, Value)>) -> Value {
    Value::List(vec![object(fields)])
}

fn none() -> Value {
    Value::List(Vec::new())
}

fn json_strings(v: &Json) -> Vec<String> {
    super::support::json_strings(v)
}

/// A JSON string map (`HeaderParameters`, `InputPathsMap`) as a Terraform map; null when
/// absent or empty.
fn json_map(v: &Json) -> Value {
    let m: BTreeMap<String, String> = v
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    if m.is_empty() {
        Value::Null
    } else {
        string_map(&m)
    }
}

fn flatten_ecs(e: &Json) -> Value {
    let strategy: Vec<Value> = e["CapacityProviderStrategy"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    object([
                        ("base", Value::Number(s["base"].as_f64().unwrap_or(0.0))),
                        ("capacity_provider", json_str(&s["capacityProvider"])),
                        ("weight", Value::Number(s["weight"].as_f64().unwrap_or(0.0))),
                    ])
                })
                .collect()
        })
        .unwrap_or_default();
    let vpc = &e["NetworkConfiguration"]["awsvpcConfiguration"];
    let network = if vpc.is_object() {
        one(vec![
            (
                "assign_public_ip",
                Value::Bool(vpc["AssignPublicIp"].as_str() == Some("ENABLED")),
            ),
            ("security_groups", {
                let g = json_strings(&vpc["SecurityGroups"]);
                if g.is_empty() {
                    Value::Null
                } else {
                    string_set(g)
                }
            }),
            ("subnets", string_set(json_strings(&vpc["Subnets"]))),
        ])
    } else {
        none()
    };
    let list = |key: &str| -> Vec<Value> {
        e[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| {
                        let second = if key == "PlacementConstraints" {
                            ("expression", json_str(&c["expression"]))
                        } else {
                            ("field", json_str(&c["field"]))
                        };
                        object([second, ("type", json_str(&c["type"]))])
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let tags = super::support::tags_from_list(&e["Tags"], "Key", "Value");
    one(vec![
        ("capacity_provider_strategy", Value::Set(strategy)),
        (
            "enable_ecs_managed_tags",
            Value::Bool(e["EnableECSManagedTags"].as_bool().unwrap_or(false)),
        ),
        (
            "enable_execute_command",
            Value::Bool(e["EnableExecuteCommand"].as_bool().unwrap_or(false)),
        ),
        ("group", json_str(&e["Group"])),
        ("launch_type", json_str(&e["LaunchType"])),
        ("network_configuration", network),
        (
            "ordered_placement_strategy",
            Value::List(list("PlacementStrategy")),
        ),
        (
            "placement_constraint",
            Value::Set(list("PlacementConstraints")),
        ),
        ("platform_version", json_str(&e["PlatformVersion"])),
        ("propagate_tags", json_str(&e["PropagateTags"])),
        (
            "tags",
            if tags.is_empty() {
                Value::Null
            } else {
                string_map(&tags)
            },
        ),
        (
            "task_count",
            Value::Number(e["TaskCount"].as_f64().unwrap_or(1.0)),
        ),
        ("task_definition_arn", json_str(&e["TaskDefinitionArn"])),
    ])
}

/// The Terraform attributes of a target as ListTargetsByRule returns it.
fn flatten_target(t: &Json) -> Vec<(&'static str, Value)> {
    let block_of = |key: &str, f: &dyn Fn(&Json) -> Value| -> Value {
        if t[key].is_object() {
            f(&t[key])
        } else {
            none()
        }
    };
    vec![
        ("arn", json_str(&t["Arn"])),
        ("input", json_str(&t["Input"])),
        ("input_path", json_str(&t["InputPath"])),
        ("role_arn", json_str(&t["RoleArn"])),
        ("target_id", json_str(&t["Id"])),
        (
            "run_command_targets",
            Value::List(
                t["RunCommandParameters"]["RunCommandTargets"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|c| {
                                object([
                                    ("key", json_str(&c["Key"])),
                                    ("values", string_list(json_strings(&c["Values"]))),
                                ])
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        ),
        (
            "http_target",
            block_of("HttpParameters", &|h| {
                one(vec![
                    ("header_parameters", json_map(&h["HeaderParameters"])),
                    ("path_parameter_values", {
                        let p = json_strings(&h["PathParameterValues"]);
                        if p.is_empty() {
                            Value::Null
                        } else {
                            string_list(p)
                        }
                    }),
                    (
                        "query_string_parameters",
                        json_map(&h["QueryStringParameters"]),
                    ),
                ])
            }),
        ),
        (
            "redshift_target",
            block_of("RedshiftDataParameters", &|r| {
                one(vec![
                    ("database", json_str(&r["Database"])),
                    ("db_user", json_str(&r["DbUser"])),
                    ("secrets_manager_arn", json_str(&r["SecretManagerArn"])),
                    ("sql", json_str(&r["Sql"])),
                    ("statement_name", json_str(&r["StatementName"])),
                    ("with_event", json_bool(&r["WithEvent"])),
                ])
            }),
        ),
        ("ecs_target", block_of("EcsParameters", &flatten_ecs)),
        (
            "batch_target",
            block_of("BatchParameters", &|b| {
                one(vec![
                    ("array_size", json_num(&b["ArrayProperties"]["Size"])),
                    ("job_attempts", json_num(&b["RetryStrategy"]["Attempts"])),
                    ("job_definition", json_str(&b["JobDefinition"])),
                    ("job_name", json_str(&b["JobName"])),
                ])
            }),
        ),
        (
            "kinesis_target",
            block_of("KinesisParameters", &|k| {
                one(vec![(
                    "partition_key_path",
                    json_str(&k["PartitionKeyPath"]),
                )])
            }),
        ),
        (
            "sqs_target",
            block_of("SqsParameters", &|s| {
                one(vec![("message_group_id", json_str(&s["MessageGroupId"]))])
            }),
        ),
        (
            "sagemaker_pipeline_target",
            block_of("SageMakerPipelineParameters", &|s| {
                let params: Vec<Value> = s["PipelineParameterList"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|p| {
                                object([
                                    ("name", json_str(&p["Name"])),
                                    ("value", json_str(&p["Value"])),
                                ])
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                one(vec![("pipeline_parameter_list", Value::Set(params))])
            }),
        ),
        (
            "input_transformer",
            block_of("InputTransformer", &|i| {
                one(vec![
                    ("input_paths", json_map(&i["InputPathsMap"])),
                    ("input_template", json_str(&i["InputTemplate"])),
                ])
            }),
        ),
        (
            "retry_policy",
            block_of("RetryPolicy", &|r| {
                one(vec![
                    (
                        "maximum_event_age_in_seconds",
                        json_num(&r["MaximumEventAgeInSeconds"]),
                    ),
                    (
                        "maximum_retry_attempts",
                        json_num(&r["MaximumRetryAttempts"]),
                    ),
                ])
            }),
        ),
        (
            "dead_letter_config",
            block_of("DeadLetterConfig", &|d| {
                one(vec![("arn", json_str(&d["Arn"]))])
            }),
        ),
        (
            "appsync_target",
            block_of("AppSyncParameters", &|a| {
                one(vec![(
                    "graphql_operation",
                    json_str(&a["GraphQLOperation"]),
                )])
            }),
        ),
    ]
}

// ---- validation -------------------------------------------------------------------------

/// `validation.IntBetween` on an attribute of a block's elements.
fn ints_between(config: &Value, path: &[&str], attr: &str, min: f64, max: f64, out: &mut Diags) {
    fn walk(
        v: &Value,
        path: &[&str],
        attr: &str,
        at: &mut Vec<PathStep>,
        range: (f64, f64),
        out: &mut Diags,
    ) {
        let Some((first, rest)) = path.split_first() else {
            if let Some(n) = v.attr(attr).num_opt()
                && (n.fract() != 0.0 || n < range.0 || n > range.1)
            {
                let mut p = at.clone();
                p.push(PathStep::Attr(attr.to_string()));
                out.push(
                    Diag::error(format!(
                        "expected {attr} to be in the range ({} - {}), got {n}",
                        range.0, range.1
                    ))
                    .at(p),
                );
            }
            return;
        };
        let items = v.attr(first);
        let list = matches!(items, Value::List(_));
        for (i, item) in items.items().iter().enumerate() {
            at.push(PathStep::Attr(first.to_string()));
            if list {
                at.push(PathStep::Index(i as i64));
            }
            walk(item, rest, attr, at, range, out);
            if list {
                at.pop();
            }
            at.pop();
        }
    }
    walk(config, path, attr, &mut Vec::new(), (min, max), out);
}

impl Resource for Target {
    fn type_name(&self) -> &'static str {
        "aws_cloudwatch_event_target"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags = Vec::new();
        for attr in ["rule", "target_id"] {
            if let Some(v) = config.attr(attr).str_opt() {
                diags.extend(name_problems(attr, v));
            }
        }
        if let Some(bus) = config.attr("event_bus_name").str_opt() {
            diags.extend(bus_problem("event_bus_name", bus));
        }
        if let Some(input) = config.attr("input").str_opt()
            && let Some(problem) = policy_json::json_problem("input", input)
        {
            diags.push(Diag::error(problem).at(attr_path("input")));
        }
        for (a, b) in [
            ("input", "input_path"),
            ("input", "input_transformer"),
            ("input_path", "input"),
            ("input_path", "input_transformer"),
        ] {
            diags.extend(conflict_problem(config, a, b));
        }
        for (i, t) in config.attr("input_transformer").items().iter().enumerate() {
            let Some(paths) = t.attr("input_paths").map_entries() else {
                continue;
            };
            let at = vec![
                PathStep::Attr("input_transformer".into()),
                PathStep::Index(i as i64),
                PathStep::Attr("input_paths".into()),
            ];
            if paths.len() > MAX_INPUT_PATHS {
                diags.push(
                    Diag::error(format!(
                        "input_paths: map must contain at most {MAX_INPUT_PATHS} elements, got {}",
                        paths.len()
                    ))
                    .at(at.clone()),
                );
            }
            for key in paths.keys().filter(|k| k.starts_with("AWS")) {
                diags.push(
                    Diag::error(format!(
                        "input_paths: key \"{key}\" must not start with \"AWS\""
                    ))
                    .at(at.clone()),
                );
            }
        }
        let int = |path: &[&str], attr: &str, min: f64, max: f64, out: &mut Diags| {
            ints_between(config, path, attr, min, max, out)
        };
        int(&["batch_target"], "array_size", 2.0, 10000.0, &mut diags);
        int(&["batch_target"], "job_attempts", 1.0, 10.0, &mut diags);
        int(
            &["ecs_target"],
            "task_count",
            1.0,
            2_147_483_647.0,
            &mut diags,
        );
        int(
            &["ecs_target", "capacity_provider_strategy"],
            "base",
            0.0,
            100_000.0,
            &mut diags,
        );
        int(
            &["ecs_target", "capacity_provider_strategy"],
            "weight",
            0.0,
            1000.0,
            &mut diags,
        );
        int(
            &["retry_policy"],
            "maximum_event_age_in_seconds",
            0.0,
            86400.0,
            &mut diags,
        );
        int(
            &["retry_policy"],
            "maximum_retry_attempts",
            0.0,
            185.0,
            &mut diags,
        );
        diags
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let rule = arg(planned, "rule").unwrap_or_default().to_string();
        let bus = arg(planned, "event_bus_name")
            .unwrap_or(DEFAULT_BUS)
            .to_string();
        // id.UniqueId(): "terraform-" and a timestamp-and-counter suffix.
        let target_id = generated_name(arg(planned, "target_id"), None);
        let id = target_resource_id(&bus, &rule, &target_id);
        self.put(ctx, &region, planned, &target_id).map_err(|d| {
            (
                None,
                vec![d.with_context(&format!("creating {WHAT} ({id})"))],
            )
        })?;
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(id.clone()));
        set_attr(&mut state, "target_id", string(target_id));
        set_attr(&mut state, "region", string(region));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let rule = arg(state, "rule").unwrap_or_default().to_string();
        let bus = arg(state, "event_bus_name")
            .unwrap_or(DEFAULT_BUS)
            .to_string();
        let target_id = arg(state, "target_id").unwrap_or_default().to_string();
        let mut token: Option<String> = None;
        let found = loop {
            let mut req = json!({"Rule": rule, "EventBusName": bus, "Limit": 100});
            if let Some(t) = &token {
                req["NextToken"] = json!(t);
            }
            let page = match ctx.call(&region, SERVICE, "ListTargetsByRule", req) {
                Ok(p) => p,
                Err(e)
                    if matches!(
                        e.code.as_str(),
                        "ValidationException" | "ResourceNotFoundException"
                    ) || e.message.ends_with(" not found") =>
                {
                    return Ok(None);
                }
                Err(e) => {
                    return Err(vec![events_err(
                        format!("reading {WHAT} ({id})"),
                        "ListTargetsByRule",
                    )(e)]);
                }
            };
            if let Some(t) = page["Targets"]
                .as_array()
                .and_then(|a| a.iter().find(|t| t["Id"].as_str() == Some(&target_id)))
            {
                break t.clone();
            }
            match page["NextToken"].as_str() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(None),
            }
        };
        let mut out = object(flatten_target(&found));
        for (attr, value) in [
            (
                "id",
                string(if id.is_empty() {
                    target_resource_id(&bus, &rule, &target_id)
                } else {
                    id
                }),
            ),
            ("event_bus_name", string(bus)),
            ("rule", string(rule)),
            ("region", string(region)),
            (
                "force_destroy",
                Value::Bool(state.attr("force_destroy").bool_opt().unwrap_or(false)),
            ),
        ] {
            set_attr(&mut out, attr, value);
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
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        let target_id = arg(prior, "target_id").unwrap_or_default().to_string();
        let without_force = |v: &Value| {
            let mut v = v.clone();
            set_attr(&mut v, "force_destroy", Value::Null);
            v
        };
        if !crate::values::semantically_equal(&without_force(prior), &without_force(planned)) {
            self.put(ctx, &region, planned, &target_id).map_err(|d| {
                (
                    None,
                    vec![d.with_context(&format!("updating {WHAT} ({id})"))],
                )
            })?;
        }
        let mut state = prior.clone();
        set_attr(
            &mut state,
            "force_destroy",
            planned.attr("force_destroy").clone(),
        );
        after_write(self.read(ctx, &state), &format!("{WHAT} ({id})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = state.attr("id").str_opt().unwrap_or_default().to_string();
        let mut req = json!({
            "Ids": [arg(state, "target_id").unwrap_or_default()],
            "Rule": arg(state, "rule").unwrap_or_default(),
        });
        if let Some(bus) = arg(state, "event_bus_name") {
            req["EventBusName"] = json!(bus);
        }
        if state.attr("force_destroy").bool_opt() == Some(true) {
            req["Force"] = json!(true);
        }
        match ctx.call(&region, SERVICE, "RemoveTargets", req) {
            Ok(out) => match failed_entries(&out) {
                None => Ok(()),
                Some(why) => Err(vec![Diag::error(format!("deleting {WHAT} ({id}): {why}"))]),
            },
            Err(e) if e.code == "ResourceNotFoundException" => Ok(()),
            Err(e) => Err(vec![events_err(
                format!("deleting {WHAT} ({id})"),
                "RemoveTargets",
            )(e)]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let (id, region) = import_region(ctx, id);
        let (bus, rule, target_id) = parse_import_id(&id).map_err(|d| vec![d])?;
        Ok(object([
            ("id", string(target_resource_id(&bus, &rule, &target_id))),
            ("target_id", string(target_id)),
            ("rule", string(rule)),
            ("event_bus_name", string(bus)),
            ("region", string(region)),
            ("force_destroy", Value::Bool(false)),
        ]))
    }
}

/// `putTargetsError` / `removeTargetsError`: every failed entry as `ID: CODE: MESSAGE`.
fn failed_entries(out: &Json) -> Option<String> {
    let entries = out["FailedEntries"].as_array().filter(|a| !a.is_empty())?;
    Some(
        entries
            .iter()
            .map(|e| {
                format!(
                    "{}: {}: {}",
                    e["TargetId"].as_str().unwrap_or_default(),
                    e["ErrorCode"].as_str().unwrap_or_default(),
                    e["ErrorMessage"].as_str().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// What went wrong in a PutTargets, before the caller names the resource.
enum PutError {
    Api(ctsim::AwsError),
    Failed(String),
}

impl PutError {
    fn with_context(self, context: &str) -> Diag {
        match self {
            PutError::Api(e) => api_error(context, LABEL, "PutTargets", &e),
            PutError::Failed(why) => Diag::error(format!("{context}: {why}")),
        }
    }
}

impl Target {
    fn put(
        &self,
        ctx: &Ctx,
        region: &str,
        planned: &Value,
        target_id: &str,
    ) -> Result<(), PutError> {
        let mut req = json!({
            "Rule": arg(planned, "rule").unwrap_or_default(),
            "Targets": [expand_target(planned, target_id)],
        });
        if let Some(bus) = arg(planned, "event_bus_name") {
            req["EventBusName"] = json!(bus);
        }
        let out = ctx
            .call(region, SERVICE, "PutTargets", req)
            .map_err(PutError::Api)?;
        match failed_entries(&out) {
            None => Ok(()),
            Some(why) => Err(PutError::Failed(why)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_join_with_dashes_and_imports_split_on_slashes() {
        assert_eq!(target_resource_id("default", "r", "t"), "r-t");
        assert_eq!(target_resource_id("orders", "r", "t"), "orders-r-t");
        let parse = |id: &str| parse_import_id(id).ok();
        assert_eq!(
            parse("my-rule/my-target"),
            Some(("default".into(), "my-rule".into(), "my-target".into()))
        );
        assert_eq!(
            parse("orders/r/t"),
            Some(("orders".into(), "r".into(), "t".into()))
        );
        let arn = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
        assert_eq!(
            parse(&format!("{arn}/r/t")),
            Some((arn.into(), "r".into(), "t".into()))
        );
        for bad in ["r-t", "r/", "/t", "a/b/c/d"] {
            assert!(parse_import_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn schema_overlays_name_existing_attributes() {
        let t = Target::new();
        assert!(
            t.schema.overlay_problems.is_empty(),
            "{:?}",
            t.schema.overlay_problems
        );
        let rule = t.schema.block.attribute("rule").unwrap(); // test schema
        assert!(rule.required && rule.force_new);
    }

    #[test]
    fn targets_expand_and_flatten_back() {
        let planned = object([
            ("arn", string("arn:aws:sns:us-east-1:123456789012:alerts")),
            ("rule", string("r")),
            (
                "input_transformer",
                Value::List(vec![object([
                    (
                        "input_paths",
                        string_map(&BTreeMap::from([(
                            "name".to_string(),
                            "$.detail.eventName".to_string(),
                        )])),
                    ),
                    ("input_template", string("\"<name>\"")),
                ])]),
            ),
            (
                "ecs_target",
                Value::List(vec![object([
                    (
                        "task_definition_arn",
                        string("arn:aws:ecs:us-east-1:123456789012:task-definition/t:1"),
                    ),
                    ("task_count", Value::Number(2.0)),
                    ("launch_type", string("FARGATE")),
                    (
                        "network_configuration",
                        Value::List(vec![object([
                            ("subnets", string_set(["subnet-1"])),
                            ("assign_public_ip", Value::Bool(true)),
                        ])]),
                    ),
                ])]),
            ),
        ]);
        let t = expand_target(&planned, "alerts");
        assert_eq!(t["Id"], "alerts");
        assert_eq!(
            t["InputTransformer"],
            json!({"InputPathsMap": {"name": "$.detail.eventName"}, "InputTemplate": "\"<name>\""})
        );
        assert_eq!(t["EcsParameters"]["TaskCount"], 2);
        assert_eq!(
            t["EcsParameters"]["NetworkConfiguration"],
            json!({"awsvpcConfiguration": {"Subnets": ["subnet-1"], "AssignPublicIp": "ENABLED"}})
        );
        let back = object(flatten_target(&t));
        assert_eq!(back.attr("target_id").str_opt(), Some("alerts"));
        assert_eq!(
            back.attr("input_transformer"),
            planned.attr("input_transformer")
        );
        let ecs = &back.attr("ecs_target").items()[0];
        assert_eq!(ecs.attr("task_count"), &Value::Number(2.0));
        assert_eq!(ecs.attr("launch_type").str_opt(), Some("FARGATE"));
        assert_eq!(back.attr("kinesis_target"), &Value::List(vec![]));
    }

    #[test]
    fn validation_mirrors_hashicorp() {
        let t = Target::new();
        let diags = t.validate(&object([
            ("rule", string("bad rule")),
            ("input", string("{")),
            ("input_path", string("$.detail")),
            (
                "batch_target",
                Value::List(vec![object([("array_size", Value::Number(1.0))])]),
            ),
        ]));
        let summaries: Vec<&str> = diags.iter().map(|d| d.summary.as_str()).collect();
        assert!(
            summaries.iter().any(|s| s.contains("doesn't comply")),
            "{summaries:?}"
        );
        assert!(
            summaries.iter().any(|s| s.contains("invalid JSON")),
            "{summaries:?}"
        );
        assert_eq!(
            summaries
                .iter()
                .filter(|s| **s == "Conflicting configuration arguments")
                .count(),
            2
        );
        assert!(
            summaries
                .iter()
                .any(|s| s.contains("expected array_size to be in the range (2 - 10000)")),
            "{summaries:?}"
        );
    }
}
