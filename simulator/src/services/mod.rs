//! The AWS services. Each operation is one function taking the environment (store handle
//! inside a transaction, and the current time), the caller and the AWS-shaped request; it
//! returns the AWS-shaped response or an [`AwsError`]. Services know nothing of HTTP,
//! Terraform or recording: [`crate::Simulator::invoke`] records every call, in one place.

/// A request or response shape with the AWS member names: serde, PascalCase as most AWS
/// JSON protocols spell them. Defined before the service modules so they all share it.
macro_rules! shape {
    ($(#[$m:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$m])*
        #[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name { $($body)* }
    };
}

/// [`shape!`] for services whose JSON members are camelCase (CloudWatch Logs).
macro_rules! camel_shape {
    ($(#[$m:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$m])*
        #[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq)]
        #[serde(rename_all = "camelCase")]
        pub struct $name { $($body)* }
    };
}

pub mod cloudtrail;
pub mod cloudwatch;
pub mod eventbridge;
pub mod generic;
pub mod iam;
pub mod kms;
pub mod logs;
pub mod organizations;
pub mod s3;
pub mod sns;
pub mod sts;

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::context::CallerContext;
use crate::error::AwsError;
use crate::store::Db;

/// What an operation runs against: the store (inside the call's transaction), "now" and the
/// state folder (for real files such as S3 object bodies).
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub db: Db<'a>,
    pub now: DateTime<Utc>,
    pub state_dir: &'a Path,
}

/// A resource a call touched, as recorded in the event (`resources`) and used by lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventResource {
    pub resource_type: String,
    /// The name as the request gave it (a name or an ARN).
    pub resource_name: String,
    pub arn: Option<String>,
    pub account_id: Option<String>,
}

/// The services the simulator knows, by the name clients use (`cloudtrail`).
pub const SERVICES: &[&str] = &[
    "cloudtrail",
    "cloudwatch",
    eventbridge::SERVICE,
    generic::SERVICE,
    "iam",
    "kms",
    "logs",
    "organizations",
    "s3",
    "sns",
    "sts",
];

/// The `eventSource` of a service.
pub fn event_source(service: &str) -> Option<&'static str> {
    match service {
        "cloudtrail" => Some("cloudtrail.amazonaws.com"),
        "cloudwatch" => Some(cloudwatch::EVENT_SOURCE),
        eventbridge::SERVICE => Some(eventbridge::EVENT_SOURCE),
        "s3" => Some(s3::EVENT_SOURCE),
        "sns" => Some(sns::EVENT_SOURCE),
        "sts" => Some(sts::EVENT_SOURCE),
        "iam" => Some(iam::EVENT_SOURCE),
        "kms" => Some(kms::EVENT_SOURCE),
        "logs" => Some(logs::EVENT_SOURCE),
        "organizations" => Some(organizations::EVENT_SOURCE),
        _ => None,
    }
}

/// Runs one operation. Unknown operations fail with `UnknownOperationException`.
pub fn dispatch(
    env: &Env<'_>,
    ctx: &CallerContext,
    service: &str,
    operation: &str,
    request: &Value,
) -> Result<Value, AwsError> {
    match service {
        "cloudtrail" => cloudtrail::dispatch(env, ctx, operation, request),
        "cloudwatch" => cloudwatch::dispatch(env, ctx, operation, request),
        eventbridge::SERVICE => eventbridge::dispatch(env, ctx, operation, request),
        "s3" => s3::dispatch(env, ctx, operation, request),
        "sns" => sns::dispatch(env, ctx, operation, request),
        "sts" => sts::dispatch(env, ctx, operation, request),
        "iam" => iam::dispatch(env, ctx, operation, request),
        "kms" => kms::dispatch(env, ctx, operation, request),
        "logs" => logs::dispatch(env, ctx, operation, request),
        "organizations" => organizations::dispatch(env, ctx, operation, request),
        generic::SERVICE => generic::dispatch(env, ctx, operation, request),
        _ => Err(AwsError::unknown_operation(service, operation)),
    }
}

/// Whether an operation only reads (CloudTrail's `readOnly`).
pub fn is_read_only(service: &str, operation: &str) -> bool {
    match service {
        "cloudtrail" => cloudtrail::is_read_only(operation),
        "cloudwatch" => cloudwatch::is_read_only(operation),
        eventbridge::SERVICE => eventbridge::is_read_only(operation),
        "s3" => s3::is_read_only(operation),
        "sns" => sns::is_read_only(operation),
        "sts" => sts::is_read_only(operation),
        "iam" => iam::is_read_only(operation),
        "kms" => kms::is_read_only(operation),
        "logs" => logs::is_read_only(operation),
        "organizations" => organizations::is_read_only(operation),
        _ => ["Get", "Describe", "List", "Lookup"]
            .iter()
            .any(|p| operation.starts_with(p)),
    }
}

/// The resources a call names (computed from the request, so failed calls have them too).
pub fn resources(
    service: &str,
    operation: &str,
    request: &Value,
    ctx: &CallerContext,
) -> Vec<EventResource> {
    match service {
        "cloudtrail" => cloudtrail::resources(operation, request, ctx),
        eventbridge::SERVICE => eventbridge::resources(operation, request, ctx),
        "s3" => s3::resources(operation, request, ctx),
        "sns" => sns::resources(operation, request, ctx),
        "sts" => sts::resources(operation, request, ctx),
        "kms" => kms::resources(operation, request, ctx),
        _ => Vec::new(),
    }
}

/// Deserialises a request body. `null` is an empty request; a missing required member is a
/// `ValidationException`; anything else malformed is a `SerializationException`.
pub fn parse_request<T: DeserializeOwned>(request: &Value) -> Result<T, AwsError> {
    let v = match request {
        Value::Null => Value::Object(Default::default()),
        Value::Object(_) => request.clone(),
        _ => {
            return Err(AwsError::serialization(
                "Start of structure or map found where not expected.",
            ));
        }
    };
    serde_json::from_value(v).map_err(|e| {
        let msg = e.to_string();
        if let Some(rest) = msg.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            AwsError::missing_member(&lower_first(field))
        } else {
            AwsError::serialization(msg)
        }
    })
}

/// Serialises a response body.
pub fn to_response<T: Serialize>(response: &T) -> Result<Value, AwsError> {
    serde_json::to_value(response)
        .map_err(|e| AwsError::internal(format!("cannot serialise response: {e}")))
}

/// `TrailName` -> `trailName`; `SnsTopicARN` -> `snsTopicARN`.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The region a global service's calls are recorded in (`awsRegion`): IAM and
/// Organizations events are recorded in us-east-1 whatever region the client named.
pub fn recorded_region(service: &str) -> Option<&'static str> {
    match service {
        "iam" | "organizations" => Some("us-east-1"),
        _ => None,
    }
}

/// Like [`to_response`], dropping `null` members at every level: optional members that are
/// absent are left out of AWS responses, not sent as `null`.
pub fn to_compact_response<T: Serialize>(response: &T) -> Result<Value, AwsError> {
    Ok(strip_nulls(to_response(response)?))
}

/// Removes `null` object members recursively (array elements are kept).
pub fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// The seed of deterministic ids (setting `ids.seed`).
pub fn id_seed(env: &Env<'_>) -> Result<String, AwsError> {
    Ok(crate::settings::get(env.db, crate::settings::ID_SEED)?)
}

/// A fresh deterministic UUID for resources of `kind` (a counter per kind).
pub fn next_uuid(env: &Env<'_>, kind: &str) -> Result<String, AwsError> {
    let seed = id_seed(env)?;
    let n = env.db.next_counter(&format!("id.{kind}"))?;
    Ok(crate::ids::uuid_from(&seed, kind, n))
}

/// A fresh deterministic upper-case token (`AROA…` role ids and the like).
pub fn next_token(env: &Env<'_>, kind: &str, len: usize) -> Result<String, AwsError> {
    let seed = id_seed(env)?;
    let n = env.db.next_counter(&format!("id.{kind}"))?;
    Ok(crate::ids::token_from(&format!("{seed}:{kind}:{n}"), len))
}

/// A `ValidationException`-style message for a member that breaks a model constraint, as
/// AWS words it (`1 validation error detected: Value 'x' at 'member' failed to satisfy
/// constraint: ...`).
pub fn constraint_message(value: &str, member: &str, constraint: &str) -> String {
    format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    )
}
