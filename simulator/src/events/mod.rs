//! CloudTrail event records. Every service call, successful or failed, becomes one record in
//! the real JSON record format (eventVersion 1.11) and is appended to the event history.
//! [`record_call`] is the one place that records; [`crate::Simulator::invoke`] calls it.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::clock;
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::ids;
use crate::services::{EventResource, lower_first};
use crate::settings;
use crate::store::{Db, NewEvent};

mod text;

pub const EVENT_VERSION: &str = "1.11";

/// One API call to record.
#[derive(Debug, Clone)]
pub struct ApiCall<'a> {
    pub ctx: &'a CallerContext,
    pub event_source: &'a str,
    pub operation: &'a str,
    pub request: &'a Value,
    pub outcome: Result<&'a Value, &'a AwsError>,
    pub read_only: bool,
    pub resources: Vec<EventResource>,
    pub time: DateTime<Utc>,
}

/// The ids a recorded call was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub event_id: String,
    pub request_id: String,
}

/// Keys as CloudTrail records request parameters and response elements: the first letter
/// of every member name lower-cased (`TrailName` -> `trailName`, `SnsTopicARN` ->
/// `snsTopicARN`), recursively.
pub fn camel_case_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (lower_first(k), camel_case_keys(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel_case_keys).collect()),
        other => other.clone(),
    }
}

fn empty_to_null(v: Value) -> Value {
    match v {
        Value::Object(m) if m.is_empty() => Value::Null,
        other => other,
    }
}

/// The `userIdentity` block of the caller.
pub fn user_identity(ctx: &CallerContext) -> Value {
    let p = &ctx.principal;
    let mut m = Map::new();
    m.insert("type".into(), json!(p.identity_type));
    m.insert("principalId".into(), json!(p.principal_id));
    m.insert("arn".into(), json!(p.arn));
    m.insert("accountId".into(), json!(ctx.account_id));
    if let Some(k) = &p.access_key_id {
        m.insert("accessKeyId".into(), json!(k));
    }
    // A role session's name is in its ARN; CloudTrail records no `userName` for it.
    if let Some(u) = &p.user_name
        && p.session_context.is_none()
    {
        m.insert("userName".into(), json!(u));
    }
    if let Some(sc) = &p.session_context {
        m.insert(
            "sessionContext".into(),
            json!({
                "sessionIssuer": {
                    "type": sc.issuer_type,
                    "principalId": sc.issuer_principal_id,
                    "arn": sc.issuer_arn,
                    "accountId": sc.issuer_account_id,
                    "userName": sc.issuer_user_name,
                },
                "attributes": {
                    "creationDate": sc.creation_date,
                    "mfaAuthenticated": if sc.mfa_authenticated { "true" } else { "false" },
                },
            }),
        );
    }
    Value::Object(m)
}

/// Builds the record of a call with the given ids (pure: no store access).
pub fn build_record(call: &ApiCall<'_>, request_id: &str, event_id: &str) -> Value {
    let ctx = call.ctx;
    let mut r = Map::new();
    r.insert("eventVersion".into(), json!(EVENT_VERSION));
    r.insert("userIdentity".into(), user_identity(ctx));
    r.insert("eventTime".into(), json!(clock::iso_seconds(call.time)));
    r.insert("eventSource".into(), json!(call.event_source));
    r.insert("eventName".into(), json!(call.operation));
    r.insert("awsRegion".into(), json!(ctx.region));
    r.insert("sourceIPAddress".into(), json!(ctx.source_ip));
    r.insert("userAgent".into(), json!(ctx.user_agent));
    if let Err(e) = call.outcome {
        r.insert("errorCode".into(), json!(e.code));
        r.insert("errorMessage".into(), json!(e.message));
    }
    r.insert(
        "requestParameters".into(),
        empty_to_null(camel_case_keys(call.request)),
    );
    let response = match call.outcome {
        Ok(v) if !call.read_only => empty_to_null(camel_case_keys(v)),
        _ => Value::Null,
    };
    r.insert("responseElements".into(), response);
    r.insert("requestID".into(), json!(request_id));
    r.insert("eventID".into(), json!(event_id));
    r.insert("readOnly".into(), json!(call.read_only));
    let resources: Vec<Value> = call
        .resources
        .iter()
        .filter_map(|res| {
            res.arn.as_ref().map(|arn| {
                let mut m = Map::new();
                m.insert(
                    "accountId".into(),
                    json!(
                        res.account_id
                            .clone()
                            .unwrap_or_else(|| ctx.account_id.clone())
                    ),
                );
                m.insert("type".into(), json!(res.resource_type));
                m.insert("ARN".into(), json!(arn));
                Value::Object(m)
            })
        })
        .collect();
    if !resources.is_empty() {
        r.insert("resources".into(), Value::Array(resources));
    }
    r.insert("eventType".into(), json!("AwsApiCall"));
    r.insert("managementEvent".into(), json!(true));
    r.insert("recipientAccountId".into(), json!(ctx.account_id));
    r.insert("eventCategory".into(), json!("Management"));
    if let Some(tls) = &ctx.tls_details {
        r.insert(
            "tlsDetails".into(),
            json!({
                "tlsVersion": tls.tls_version,
                "cipherSuite": tls.cipher_suite,
                "clientProvidedHostHeader": tls.client_provided_host_header,
            }),
        );
    }
    Value::Object(r)
}

/// Assigns deterministic ids, builds the record and appends it to the history.
pub fn record_call(db: Db<'_>, call: &ApiCall<'_>) -> Result<Recorded, StoreError> {
    let seed = settings::get(db, settings::ID_SEED)?;
    let request_id = ids::uuid_from(&seed, "request", db.next_counter("request")?);
    let event_id = ids::event_id(&seed, "event", db.next_counter("event")?);
    let text = match text::record_text(call, &request_id, &event_id) {
        Some(t) => t,
        None => serde_json::to_string(&build_record(call, &request_id, &event_id))?,
    };
    db.insert_event(&NewEvent {
        event_id: event_id.clone(),
        account_id: call.ctx.account_id.clone(),
        region: call.ctx.region.clone(),
        event_time_ms: clock::to_millis(call.time),
        event_name: call.operation.to_string(),
        event_source: call.event_source.to_string(),
        event_category: "Management".to_string(),
        username: call.ctx.principal.user_name.clone(),
        read_only: call.read_only,
        access_key_id: call.ctx.principal.access_key_id.clone(),
        resources: call
            .resources
            .iter()
            .map(|r| (Some(r.resource_type.clone()), Some(r.resource_name.clone())))
            .collect(),
        record: text,
    })?;
    Ok(Recorded {
        event_id,
        request_id,
    })
}

/// The lookup columns of a CloudTrail record from anywhere (generated, or read from a real
/// log file). Requires `eventTime` (ISO 8601), `eventSource`, `eventName` and `eventID`;
/// anything else missing gets a neutral value. The record itself is stored as given.
pub fn new_event_from_record(record: &Value) -> Result<NewEvent, String> {
    let obj = record
        .as_object()
        .ok_or_else(|| "a record must be a JSON object".to_string())?;
    let text = |k: &str| -> Result<String, String> {
        match obj.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(format!("{k} must be a non-empty string")),
            None => Err(format!("{k} is missing")),
        }
    };
    // Insights records name their API inside insightDetails.
    let insight = |k: &str| {
        obj.get("insightDetails")
            .and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty() && !obj.contains_key(k))
            .map(str::to_string)
    };
    let event_id = text("eventID")?;
    let event_name = insight("eventName").map_or_else(|| text("eventName"), Ok)?;
    let event_source = insight("eventSource").map_or_else(|| text("eventSource"), Ok)?;
    let time = text("eventTime")?;
    let event_time = DateTime::parse_from_rfc3339(&time)
        .map_err(|_| format!("eventTime {time:?} is not an ISO 8601 instant"))?
        .with_timezone(&Utc);
    let identity = obj.get("userIdentity");
    let id_str = |k: &str| identity.and_then(|u| u.get(k)).and_then(Value::as_str);
    let account_id = obj
        .get("recipientAccountId")
        .and_then(Value::as_str)
        .or_else(|| id_str("accountId"))
        .unwrap_or_default()
        .to_string();
    // LookupEvents' Username: the user name, a role session's name, or `root`.
    let username = match id_str("type") {
        Some("AssumedRole") => id_str("arn").and_then(|a| a.rsplit('/').next()),
        Some("Root") => Some("root"),
        _ => id_str("userName"),
    }
    .map(str::to_string);
    let read_only = match obj.get("readOnly") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    };
    let resources = obj
        .get("resources")
        .and_then(Value::as_array)
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    let f = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
                    (f("type"), f("ARN"))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(NewEvent {
        event_id,
        account_id,
        region: obj
            .get("awsRegion")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        event_time_ms: clock::to_millis(event_time),
        event_name,
        event_source,
        event_category: obj
            .get("eventCategory")
            .and_then(Value::as_str)
            .unwrap_or("Management")
            .to_string(),
        username,
        read_only,
        access_key_id: id_str("accessKeyId").map(str::to_string),
        resources,
        record: record_text(record)?,
    })
}

/// A record's JSON text, written into a buffer sized for a typical record (1-2 KB) so that
/// bulk appends do not regrow it several times per record.
fn record_text(record: &Value) -> Result<String, String> {
    let mut buf = Vec::with_capacity(2048);
    serde_json::to_writer(&mut buf, record).map_err(|e| e.to_string())?;
    // serde_json writes UTF-8 only.
    String::from_utf8(buf).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insights_records_are_looked_up_by_their_api() {
        let r = json!({"eventVersion": "1.07", "eventTime": "2026-01-08T10:00:00Z",
            "awsRegion": "us-east-1", "eventID": "e", "eventType": "AwsCloudTrailInsight",
            "recipientAccountId": "123456789012", "sharedEventID": "s",
            "insightDetails": {"state": "Start", "eventSource": "ec2.amazonaws.com",
                "eventName": "RunInstances", "insightType": "ApiCallRateInsight"},
            "eventCategory": "Insight"});
        let e = new_event_from_record(&r).unwrap(); // a complete Insights record
        assert_eq!(
            (
                e.event_name.as_str(),
                e.event_source.as_str(),
                e.event_category.as_str()
            ),
            ("RunInstances", "ec2.amazonaws.com", "Insight")
        );
        let mut bare = r.clone();
        bare["insightDetails"] = json!({});
        assert!(new_event_from_record(&bare).is_err());
    }

    #[test]
    fn camel_case_lowers_first_letter_recursively() {
        let v = json!({"TrailName": "t", "EventSelectors": [{"ReadWriteType": "All", "DataResources": [{"Type": "x"}]}], "SnsTopicARN": "a"});
        assert_eq!(
            camel_case_keys(&v),
            json!({"trailName": "t", "eventSelectors": [{"readWriteType": "All", "dataResources": [{"type": "x"}]}], "snsTopicARN": "a"})
        );
    }
}
