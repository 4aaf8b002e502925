//! PutTargets, RemoveTargets, ListTargetsByRule and ListRuleNamesByTarget. A rule keeps its
//! targets inside its own document, as PutTargets accepted them.

use serde_json::{Map, Value};

use super::buses;
use super::errors::{
    check_limit, check_max_len, check_name, constraint, limit_exceeded, validation,
};
use super::input::Path;
use super::model::*;
use super::rules::{self, page};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, strip_nulls};

/// EventBridge's quota of targets per rule.
pub const MAX_TARGETS_PER_RULE: usize = 5;
/// Variables an input transformer may define.
pub const MAX_INPUT_PATHS: usize = 100;

/// Services whose targets EventBridge can only reach through a role it assumes.
const NEEDS_ROLE: &[&str] = &[
    "kinesis",
    "firehose",
    "states",
    "ecs",
    "batch",
    "ssm",
    "codebuild",
    "codepipeline",
    "sagemaker",
    "redshift",
    "redshift-serverless",
    "inspector",
];

fn member(i: usize, name: &str) -> String {
    format!("targets.{}.member.{name}", i + 1)
}

fn required_string<'t>(
    t: &'t Map<String, Value>,
    key: &str,
    i: usize,
    field: &str,
) -> Result<&'t str, AwsError> {
    match t.get(key) {
        None | Some(Value::Null) => Err(AwsError::missing_member(&member(i, field))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(AwsError::serialization(format!(
            "Unexpected value for {key}: expected a string"
        ))),
    }
}

fn optional_string<'t>(t: &'t Map<String, Value>, key: &str) -> Result<Option<&'t str>, AwsError> {
    match t.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(AwsError::serialization(format!(
            "Unexpected value for {key}: expected a string"
        ))),
    }
}

/// The service of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), if it is one.
pub fn arn_service(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, _region, _account, resource]
            if partition.starts_with("aws") && !service.is_empty() && !resource.is_empty() =>
        {
            Some(service)
        }
        _ => None,
    }
}

/// Checks one target as PutTargets does and returns it as stored (nulls dropped).
fn check_target(i: usize, raw: &Value) -> Result<Value, AwsError> {
    let Some(t) = raw.as_object() else {
        return Err(AwsError::serialization(
            "Unexpected value for Targets: expected a list of structures",
        ));
    };
    let id = required_string(t, "Id", i, "id")?;
    check_name(id, &member(i, "id"), 64)?;
    let arn = required_string(t, "Arn", i, "arn")?;
    if arn.is_empty() {
        return Err(validation(constraint(
            arn,
            &member(i, "arn"),
            "Member must have length greater than or equal to 1",
        )));
    }
    check_max_len(arn, &member(i, "arn"), 1600)?;
    let Some(service) = arn_service(arn) else {
        return Err(validation(format!(
            "Parameter {arn} is not valid. Reason: Provided Arn is not in correct format."
        )));
    };
    let input = optional_string(t, "Input")?;
    let input_path = optional_string(t, "InputPath")?;
    let transformer = t.get("InputTransformer").filter(|v| !v.is_null());
    let given = [input.is_some(), input_path.is_some(), transformer.is_some()];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(validation(
            "Only one of Input, InputPath, or InputTransformer must be provided.",
        ));
    }
    if let Some(text) = input {
        check_max_len(text, &member(i, "input"), 8192)?;
        if serde_json::from_str::<Value>(text).is_err() {
            return Err(validation(format!(
                "Input for target {id} is not valid JSON."
            )));
        }
    }
    if let Some(path) = input_path {
        check_max_len(path, &member(i, "inputPath"), 256)?;
        if Path::parse(path).is_none() {
            return Err(validation(format!("Invalid InputPath for target {id}.")));
        }
    }
    if let Some(tr) = transformer {
        check_transformer(i, id, tr)?;
    }
    if let Some(role) = optional_string(t, "RoleArn")? {
        check_max_len(role, &member(i, "roleArn"), 1600)?;
    }
    let has = |k: &str| t.get(k).is_some_and(|v| !v.is_null());
    if NEEDS_ROLE.contains(&service) && !has("RoleArn") {
        return Err(validation(format!(
            "Parameter(s) RoleArn must be specified for target: {id}."
        )));
    }
    if service == "ecs" && !has("EcsParameters") {
        return Err(validation(format!(
            "Parameter(s) EcsParameters must be specified for target: {id}."
        )));
    }
    if service == "sqs" && arn.ends_with(".fifo") && !has("SqsParameters") {
        return Err(validation(format!(
            "Parameter(s) SqsParameters must be specified for target: {id}."
        )));
    }
    Ok(strip_nulls(raw.clone()))
}

fn check_transformer(i: usize, id: &str, tr: &Value) -> Result<(), AwsError> {
    let Some(tr) = tr.as_object() else {
        return Err(AwsError::serialization(
            "Unexpected value for InputTransformer: expected a structure",
        ));
    };
    let template_member = member(i, "inputTransformer.inputTemplate");
    let template = match tr.get("InputTemplate") {
        Some(Value::String(s)) => s,
        None | Some(Value::Null) => return Err(AwsError::missing_member(&template_member)),
        Some(_) => {
            return Err(AwsError::serialization(
                "Unexpected value for InputTemplate: expected a string",
            ));
        }
    };
    if template.is_empty() {
        return Err(validation(constraint(
            template,
            &template_member,
            "Member must have length greater than or equal to 1",
        )));
    }
    check_max_len(template, &template_member, 8192)?;
    let Some(paths) = tr.get("InputPathsMap").filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let Some(paths) = paths.as_object() else {
        return Err(AwsError::serialization(
            "Unexpected value for InputPathsMap: expected a map",
        ));
    };
    if paths.len() > MAX_INPUT_PATHS {
        return Err(validation(constraint(
            "{...}",
            &member(i, "inputTransformer.inputPathsMap"),
            "Member must have length less than or equal to 100",
        )));
    }
    for (key, path) in paths {
        let key_ok = !key.is_empty()
            && key.chars().count() <= 256
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
        if !key_ok {
            return Err(validation(format!(
                "InputTransformer for target {id} has an invalid InputPathsMap key: {key}."
            )));
        }
        let valid = path
            .as_str()
            .is_some_and(|p| p.chars().count() <= 256 && Path::parse(p).is_some());
        if !valid {
            return Err(validation(format!(
                "Invalid InputPathsMap value for target {id}: {path}."
            )));
        }
    }
    Ok(())
}

fn target_id(t: &Value) -> &str {
    t.get("Id").and_then(Value::as_str).unwrap_or_default()
}

pub fn put_targets(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutTargetsRequest,
) -> Result<FailedEntriesResponse, AwsError> {
    check_name(&req.rule, "rule", 64)?;
    if req.targets.is_empty() {
        return Err(validation(constraint(
            "[]",
            "targets",
            "Member must have length greater than or equal to 1",
        )));
    }
    if req.targets.len() > 100 {
        return Err(validation(constraint(
            "[...]",
            "targets",
            "Member must have length less than or equal to 100",
        )));
    }
    let checked = req
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| check_target(i, t))
        .collect::<Result<Vec<Value>, AwsError>>()?;
    let (_, mut rule) = rules::find(env, ctx, &req.rule, req.event_bus_name.as_deref(), "rule")?;
    for target in checked {
        let id = target_id(&target).to_string();
        match rule.targets.iter_mut().find(|t| target_id(t) == id) {
            Some(slot) => *slot = target,
            None => rule.targets.push(target),
        }
    }
    if rule.targets.len() > MAX_TARGETS_PER_RULE {
        return Err(limit_exceeded());
    }
    rules::save(env, &rule)?;
    Ok(FailedEntriesResponse::default())
}

pub fn remove_targets(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: RemoveTargetsRequest,
) -> Result<FailedEntriesResponse, AwsError> {
    check_name(&req.rule, "rule", 64)?;
    if req.ids.is_empty() || req.ids.len() > 100 {
        return Err(validation(constraint(
            &format!("{:?}", req.ids),
            "ids",
            "Member must have length between 1 and 100",
        )));
    }
    for (i, id) in req.ids.iter().enumerate() {
        check_name(id, &format!("ids.{}.member", i + 1), 64)?;
    }
    let (_, mut rule) = rules::find(env, ctx, &req.rule, req.event_bus_name.as_deref(), "rule")?;
    let before = rule.targets.len();
    rule.targets
        .retain(|t| !req.ids.iter().any(|id| id == target_id(t)));
    if rule.targets.len() != before {
        rules::save(env, &rule)?;
    }
    Ok(FailedEntriesResponse::default())
}

pub fn list_targets_by_rule(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListTargetsByRuleRequest,
) -> Result<ListTargetsByRuleResponse, AwsError> {
    check_name(&req.rule, "rule", 64)?;
    let limit = check_limit(req.limit)?;
    let (_, rule) = rules::find(env, ctx, &req.rule, req.event_bus_name.as_deref(), "rule")?;
    // Keys keep the order the targets were added in.
    let items = rule
        .targets
        .into_iter()
        .enumerate()
        .map(|(i, t)| (format!("{i:08}"), t))
        .collect();
    let (targets, next_token) = page(items, req.next_token.as_deref(), limit)?;
    Ok(ListTargetsByRuleResponse {
        targets,
        next_token,
    })
}

pub fn list_rule_names_by_target(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListRuleNamesByTargetRequest,
) -> Result<ListRuleNamesByTargetResponse, AwsError> {
    if req.target_arn.is_empty() {
        return Err(validation(constraint(
            "",
            "targetArn",
            "Member must have length greater than or equal to 1",
        )));
    }
    check_max_len(&req.target_arn, "targetArn", 1600)?;
    let limit = check_limit(req.limit)?;
    let bus = buses::resolve(env, ctx, req.event_bus_name.as_deref(), "eventBusName")?;
    let items = rules::rules_on_bus(env, &bus)?
        .into_iter()
        .filter(|r| {
            r.targets
                .iter()
                .any(|t| t.get("Arn").and_then(Value::as_str) == Some(req.target_arn.as_str()))
        })
        .map(|r| (r.name.clone(), r.name))
        .collect();
    let (rule_names, next_token) = page(items, req.next_token.as_deref(), limit)?;
    Ok(ListRuleNamesByTargetResponse {
        rule_names,
        next_token,
    })
}
