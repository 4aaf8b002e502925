//! The generic tier: every hashicorp/aws type ctsim does not simulate in depth, served from
//! its schema (`crate::reference`). Create stores the configuration and fills what the type
//! computes with deterministic values in AWS's formats (`tables`); read returns what is
//! stored; references to other generic objects are checked with the AWS "not found" errors.
//! Each call is recorded as the CloudTrail event AWS records for the type (`facts`).
//!
//! Requests and responses carry Terraform values as JSON (an object per type, null for
//! unset or not-yet-known attributes): `{"TypeName": "aws_vpc", "Config": {...}}`.

mod fill;
pub mod known;
mod simulated;
pub mod tables;
mod template;

use serde_json::{Map, Value, json};

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::reference::{self, Kind};
use crate::services::{Env, EventResource};
use crate::store::DocKey;

pub use tables::{Table, operations_of, type_facts};

/// The name clients invoke the generic tier by.
pub const SERVICE: &str = "generic";

/// The service labels whose objects are global: stored without a region and recorded in
/// us-east-1, as AWS records IAM, Organizations, Route 53 and CloudFront.
const GLOBAL_SERVICES: &[&str] = &[
    "iam",
    "organizations",
    "route53",
    "cloudfront",
    "globalaccelerator",
    "waf",
    "shield",
];

pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    operation: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    let type_name = request["TypeName"]
        .as_str()
        .ok_or_else(|| AwsError::missing_member("typeName"))?;
    match operation {
        "CreateResource" => create(env, ctx, type_name, &request["Config"]),
        "ReadResource" => read(env, ctx, type_name, id_of(request)?),
        "UpdateResource" => update(env, ctx, type_name, id_of(request)?, &request["Config"]),
        "DeleteResource" => delete(env, ctx, type_name, id_of(request)?),
        "ReadDataSource" => read_data_source(env, ctx, type_name, &request["Config"]),
        "OpenEphemeralResource" => open_ephemeral(env, ctx, type_name, &request["Config"]),
        _ => Err(AwsError::unknown_operation(SERVICE, operation)),
    }
}

fn id_of(request: &Value) -> Result<&str, AwsError> {
    request["Id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AwsError::missing_member("id"))
}

fn schema_of(
    kind: Kind,
    type_name: &str,
) -> Result<&'static reference::RawSchema<'static>, AwsError> {
    reference::raw_schema(kind, type_name).ok_or_else(|| {
        AwsError::client(
            "ValidationException",
            format!(
                "{type_name} is not a hashicorp/aws {} type",
                reference::HASHICORP_AWS_VERSION
            ),
        )
    })
}

/// Whether a type's objects are global (no region).
pub fn is_global(type_name: &str) -> bool {
    let ops = operations_of(Table::Resource, type_name);
    let service = ops
        .event_source
        .as_deref()
        .and_then(|s| s.split('.').next())
        .unwrap_or_default()
        .to_string();
    GLOBAL_SERVICES.contains(&service.as_str())
}

fn key<'a>(ctx: &'a CallerContext, type_name: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: type_name,
        account_id: &ctx.account_id,
        region: if is_global(type_name) {
            ""
        } else {
            &ctx.region
        },
        id,
    }
}

/// The error a missing object of a type gives (its AWS not-found error where known).
pub fn not_found(type_name: &str, id: &str) -> AwsError {
    match type_facts(type_name).and_then(|f| f.not_found.as_ref()) {
        Some(nf) => {
            let message = if nf.message.is_empty() {
                format!("{id} not found")
            } else {
                nf.message.replace("{value}", id)
            };
            AwsError::client(nf.code.clone(), message)
        }
        None => AwsError::client(
            "ResourceNotFoundException",
            format!("{type_name} {id} does not exist"),
        ),
    }
}

/// The error code [`ReadResource`](dispatch) answers for a missing object of a type: a
/// client that maps "gone" from the code asks here.
pub fn not_found_code(type_name: &str) -> String {
    not_found(type_name, "").code
}

fn create(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Value, AwsError> {
    let schema = schema_of(Kind::Resource, type_name)?;
    check_references(env, ctx, type_name, config)?;
    let mut config = config.clone();
    if let Some(id) = known::adopted_id(ctx, type_name, &config) {
        config["id"] = Value::String(id);
    }
    let state = fill::complete(env, ctx, type_name, &schema.block, &config, None)?;
    let id = state["id"].as_str().unwrap_or_default().to_string();
    if id.is_empty() {
        return Err(AwsError::internal(format!(
            "{type_name}: no id could be formed"
        )));
    }
    let k = key(ctx, type_name, &id);
    if env.db.document(&k)?.is_some() && !fill::is_singleton(type_name) {
        return Err(AwsError::client(
            "ResourceAlreadyExistsException",
            format!("{type_name} {id} already exists"),
        ));
    }
    env.db
        .put_document(&k, &state, env.now.timestamp_millis())?;
    Ok(json!({ "State": state }))
}

fn read(env: &Env<'_>, ctx: &CallerContext, type_name: &str, id: &str) -> Result<Value, AwsError> {
    schema_of(Kind::Resource, type_name)?;
    match env.db.document(&key(ctx, type_name, id))? {
        Some(state) => Ok(json!({ "State": state })),
        None => Err(not_found(type_name, id)),
    }
}

fn update(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    id: &str,
    config: &Value,
) -> Result<Value, AwsError> {
    let schema = schema_of(Kind::Resource, type_name)?;
    let k = key(ctx, type_name, id);
    let Some(prior) = env.db.document(&k)? else {
        return Err(not_found(type_name, id));
    };
    check_references(env, ctx, type_name, config)?;
    let mut state = fill::complete(env, ctx, type_name, &schema.block, config, Some(&prior))?;
    // An update is in place: the object keeps its identity.
    state["id"] = Value::String(id.to_string());
    env.db
        .put_document(&k, &state, env.now.timestamp_millis())?;
    Ok(json!({ "State": state }))
}

fn delete(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    id: &str,
) -> Result<Value, AwsError> {
    schema_of(Kind::Resource, type_name)?;
    if env.db.delete_document(&key(ctx, type_name, id))? {
        Ok(json!({}))
    } else {
        Err(not_found(type_name, id))
    }
}

fn read_data_source(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Value, AwsError> {
    let schema = schema_of(Kind::DataSource, type_name)?;
    let state = fill::data_source(env, ctx, type_name, &schema.block, config)?;
    Ok(json!({ "State": state }))
}

fn open_ephemeral(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Value, AwsError> {
    let schema = schema_of(Kind::Ephemeral, type_name)?;
    let state = fill::data_source(env, ctx, type_name, &schema.block, config)?;
    Ok(json!({ "Result": state }))
}

/// Every referenced id must be an object the simulator holds (same account and region).
fn check_references(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<(), AwsError> {
    let Some(facts) = type_facts(type_name) else {
        return Ok(());
    };
    for (attr, targets) in &facts.references {
        let values: Vec<&str> = match &config[attr] {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for value in values.into_iter().filter(|v| !v.is_empty()) {
            let mut found = known::is_default_object(ctx, value);
            for target in targets {
                if found {
                    break;
                }
                found = match simulated_exists(env, ctx, target, value)? {
                    Some(exists) => exists,
                    None => env.db.document(&key(ctx, target, value))?.is_some(),
                };
            }
            if !found && let Some(first) = targets.first() {
                return Err(
                    simulated_not_found(first, value).unwrap_or_else(|| not_found(first, value))
                );
            }
        }
    }
    Ok(())
}

/// Whether an object of a type the simulator models in depth exists; None for other types.
fn simulated_exists(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    value: &str,
) -> Result<Option<bool>, AwsError> {
    let doc = |service: &str, kind: &str, account: &str, region: &str, id: &str| {
        env.db.document(&DocKey {
            service,
            kind,
            account_id: account,
            region,
            id,
        })
    };
    // A reference may be a name or an ARN; the stored key is the name.
    let name = value.rsplit([':', '/']).next().unwrap_or(value);
    Ok(Some(match type_name {
        "aws_s3_bucket" => doc(
            crate::services::s3::buckets::SERVICE,
            crate::services::s3::buckets::BUCKET_KIND,
            "",
            "",
            value.trim_start_matches("arn:aws:s3:::"),
        )?
        .is_some(),
        "aws_cloudwatch_log_group" => {
            let group = value
                .split_once(":log-group:")
                .map(|(_, g)| g.trim_end_matches(":*"))
                .unwrap_or(value);
            doc("logs", "group", &ctx.account_id, &ctx.region, group)?.is_some()
        }
        "aws_sns_topic" => doc(
            crate::services::sns::topics::SERVICE,
            crate::services::sns::topics::TOPIC_KIND,
            &ctx.account_id,
            &ctx.region,
            name,
        )?
        .is_some(),
        _ => return Ok(None),
    }))
}

/// The not-found errors of the simulated types a generic object may reference.
fn simulated_not_found(type_name: &str, value: &str) -> Option<AwsError> {
    Some(match type_name {
        "aws_s3_bucket" => AwsError::client("NoSuchBucket", "The specified bucket does not exist"),
        "aws_cloudwatch_log_group" => AwsError::client(
            "ResourceNotFoundException",
            "The specified log group does not exist.",
        ),
        "aws_sns_topic" => AwsError::client("NotFound", format!("Topic does not exist: {value}")),
        _ => return None,
    })
}

/// The recorded facts of a generic call: eventSource, eventName, readOnly, resources and
/// requestParameters as AWS records the operation hashicorp/aws makes for the type.
pub struct RecordedAs {
    pub event_source: String,
    pub event_name: String,
    pub read_only: bool,
    pub resources: Vec<EventResource>,
    pub request_parameters: Value,
    /// Global types are recorded in us-east-1.
    pub region: Option<&'static str>,
    /// False when hashicorp/aws makes no AWS call for this operation: nothing is recorded.
    pub recorded: bool,
}

pub fn recorded_as(operation: &str, request: &Value, ctx: &CallerContext) -> Option<RecordedAs> {
    let type_name = request["TypeName"].as_str()?;
    let table = match operation {
        "ReadDataSource" => Table::DataSource,
        "OpenEphemeralResource" => Table::Ephemeral,
        _ => Table::Resource,
    };
    let ops = operations_of(table, type_name);
    let (slot, event_name, read_only) = match operation {
        "CreateResource" => ("create", ops.create.clone(), false),
        "ReadResource" | "ReadDataSource" => ("read", ops.read.clone(), true),
        "UpdateResource" => ("update", ops.update.clone(), false),
        "DeleteResource" => ("delete", ops.delete.clone(), false),
        "OpenEphemeralResource" => ("open", ops.open.clone(), true),
        _ => return None,
    };
    let recorded = !ops.no_call.iter().any(|s| s == slot) && event_name.is_some();
    let event_source = ops.event_source.clone().unwrap_or_default();
    let (service, noun) = tables::service_and_noun(type_name, Some(&event_source));
    let id = request["Id"].as_str().map(str::to_string);
    let mut params = Map::new();
    match operation {
        "CreateResource" | "UpdateResource" | "ReadDataSource" | "OpenEphemeralResource" => {
            if let Value::Object(config) = &request["Config"] {
                for (k, v) in config {
                    if !v.is_null()
                        && k != "id"
                        && k != "tags_all"
                        && k != "timeouts"
                        && k != "region"
                    {
                        params.insert(camel(k), camel_keys(v));
                    }
                }
            }
            if let Some(id) = &id {
                params.insert(format!("{}Id", lower_first(&noun)), json!(id));
            }
        }
        _ => {
            if let Some(id) = &id {
                params.insert(format!("{}Id", lower_first(&noun)), json!(id));
            }
        }
    }
    let resources = id
        .map(|id| {
            vec![EventResource {
                resource_type: format!("AWS::{}::{}", pascal(&service), noun),
                resource_name: id,
                arn: None,
                account_id: Some(ctx.account_id.clone()),
            }]
        })
        .unwrap_or_default();
    let region = GLOBAL_SERVICES
        .contains(&service.as_str())
        .then_some("us-east-1");
    let event_name = event_name
        .map(|op| tables::cloudtrail_event_name(&event_source, &op))
        .unwrap_or_else(|| operation.to_string());
    Some(RecordedAs {
        recorded,
        event_source,
        event_name,
        read_only,
        resources,
        request_parameters: Value::Object(params),
        region,
    })
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn camel_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (camel(k), camel_keys(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(camel_keys).collect()),
        other => other.clone(),
    }
}

fn lower_first(s: &str) -> String {
    crate::services::lower_first(s)
}

fn pascal(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
