//! AWS JSON 1.1 and 1.0: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON
//! body; errors are `{"__type": "...", "message": "..."}` with the HTTP status of the error.
//!
//! CloudTrail (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`), CloudWatch Logs
//! (`Logs_20140328`), KMS (`TrentService`) and Organizations (`AWSOrganizationsV20161128`)
//! speak JSON 1.1 for real; CloudWatch (`GraniteServiceVersion20100801`) speaks JSON 1.0 with
//! AWS's query compatibility: the error code clients use is the query protocol's, sent in
//! `x-amzn-query-error`, and `__type` names the error shape. A gzip-compressed body
//! (`Content-Encoding: gzip`, as botocore sends large PutMetricData calls) is accepted.
//!
//! As a ctsim extension, `X-Amz-Target: ctsim.<service>.<Operation>` reaches every other
//! service (S3, IAM, SNS, STS) with the same JSON shapes the simulator uses in-process; the
//! provider's HTTP mode uses it.

use serde_json::{Value, json};

use super::{Incoming, Protocol, Reply, Server, auth};
use crate::error::AwsError;
use crate::services;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
pub const CONTENT_TYPE_1_0: &str = "application/x-amz-json-1.0";

/// The service a target prefix names.
pub fn service_for_target(prefix: &str) -> Option<&'static str> {
    let last = prefix.rsplit('.').next().unwrap_or(prefix);
    match last {
        "CloudTrail_20131101" => Some("cloudtrail"),
        "Logs_20140328" => Some("logs"),
        "TrentService" => Some("kms"),
        "AWSOrganizationsV20161128" => Some("organizations"),
        "AWSEvents" => Some("events"),
        "GraniteServiceVersion20100801" => Some("cloudwatch"),
        _ => prefix
            .strip_prefix("ctsim.")
            .and_then(|s| services::SERVICES.iter().find(|n| **n == s).copied()),
    }
}

/// Splits `X-Amz-Target` into (service, operation).
pub fn parse_target(target: &str) -> Option<(&'static str, &str)> {
    let (prefix, op) = target.rsplit_once('.')?;
    if op.is_empty() {
        return None;
    }
    Some((service_for_target(prefix)?, op))
}

pub fn error_reply(err: &AwsError, request_id: &str) -> Reply {
    error_reply_for(err, request_id, None)
}

/// The error shape CloudWatch's JSON protocol names in `__type` for a query error code.
fn cloudwatch_error_shape(code: &str) -> String {
    let shape = match code {
        "InvalidParameterValue" => "InvalidParameterValueException",
        "MissingParameter" => "MissingRequiredParameterException",
        "InvalidParameterCombination" => "InvalidParameterCombinationException",
        "LimitExceeded" => "LimitExceededFault",
        "InvalidFormat" => "InvalidFormatFault",
        "InternalServiceError" | "InternalFailure" => "InternalServiceFault",
        other => other,
    };
    format!("com.amazonaws.cloudwatch#{shape}")
}

/// An error reply; `service` (when known) picks the JSON version and the `__type` form.
pub fn error_reply_for(err: &AwsError, request_id: &str, service: Option<&str>) -> Reply {
    let cloudwatch = service == Some("cloudwatch");
    let kind = if cloudwatch {
        cloudwatch_error_shape(&err.code)
    } else {
        err.code.clone()
    };
    let fault = if err.is_server_fault() {
        "Receiver"
    } else {
        "Sender"
    };
    let body = json!({"__type": kind, "message": err.message});
    Reply::new(err.http_status, request_id)
        .header("content-type", content_type(service))
        .header("x-amzn-query-error", &format!("{};{fault}", err.code))
        .body(body.to_string().into_bytes())
}

/// JSON 1.0 for CloudWatch, 1.1 for the others.
fn content_type(service: Option<&str>) -> &'static str {
    if service == Some("cloudwatch") {
        CONTENT_TYPE_1_0
    } else {
        CONTENT_TYPE
    }
}

pub fn handle(server: &Server, req: &Incoming, target: &str) -> Reply {
    match prepare(server, req, target) {
        Ok(call) => {
            let (service, operation) = (call.service, call.operation.clone());
            let inv = server.invoke(call.ctx, service, &operation, call.request);
            finish(server, service, &operation, inv)
        }
        Err(reply) => reply,
    }
}

/// A request that has passed authentication and parsing, ready for the simulator.
pub struct Prepared {
    pub service: &'static str,
    pub operation: String,
    pub ctx: crate::context::CallerContext,
    pub request: Value,
}

/// Everything before the simulator: target, method, signature, body. An error is the
/// finished reply.
pub fn prepare(server: &Server, req: &Incoming, target: &str) -> Result<Prepared, Reply> {
    let Some((service, operation)) = parse_target(target) else {
        let err = AwsError::client(
            "UnknownOperationException",
            format!("Unknown target {target}"),
        );
        return Err(error_reply(&err, &server.fresh_request_id()).operation(target));
    };
    let fail = |err: &AwsError| {
        error_reply_for(err, &server.fresh_request_id(), Some(service)).operation(operation)
    };
    if req.method != "POST" {
        let err = AwsError::new(
            "UnknownOperationException",
            "Only POST is accepted by this service",
            405,
        );
        return Err(fail(&err));
    }
    let caller = match auth::authenticate(server, req, Protocol::Json) {
        Ok(c) => c,
        Err(f) => return Err(fail(&f.to_error(Protocol::Json))),
    };
    let body = super::body_of(req, server.limits.max_body_bytes).map_err(|e| fail(&e))?;
    let input: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            fail(&AwsError::serialization(format!(
                "Malformed JSON body: {e}"
            )))
        })?
    };
    Ok(Prepared {
        service,
        operation: operation.to_string(),
        ctx: caller,
        request: input,
    })
}

/// The reply to a call the simulator has answered.
pub fn finish(
    server: &Server,
    service: &str,
    operation: &str,
    inv: crate::simulator::Invocation,
) -> Reply {
    let request_id = inv
        .request_id
        .clone()
        .unwrap_or_else(|| server.fresh_request_id());
    match inv.result {
        Ok(v) => Reply::new(200, &request_id)
            .header("content-type", content_type(Some(service)))
            .body(serde_json::to_vec(&v).unwrap_or_default())
            .operation(operation),
        Err(e) => {
            let e = super::operations::for_wire(service, operation, e);
            error_reply_for(&e, &request_id, Some(service)).operation(operation)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_services_and_operations() {
        assert_eq!(
            parse_target("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails"),
            Some(("cloudtrail", "DescribeTrails"))
        );
        assert_eq!(
            parse_target("Logs_20140328.CreateLogGroup"),
            Some(("logs", "CreateLogGroup"))
        );
        assert_eq!(
            parse_target("TrentService.CreateKey"),
            Some(("kms", "CreateKey"))
        );
        assert_eq!(
            parse_target("AWSOrganizationsV20161128.DescribeOrganization"),
            Some(("organizations", "DescribeOrganization"))
        );
        assert_eq!(
            parse_target("ctsim.s3.CreateBucket"),
            Some(("s3", "CreateBucket"))
        );
        assert_eq!(
            parse_target("GraniteServiceVersion20100801.PutMetricData"),
            Some(("cloudwatch", "PutMetricData"))
        );
        assert_eq!(
            parse_target("AWSEvents.PutRule"),
            Some(("events", "PutRule"))
        );
        assert_eq!(parse_target("ctsim.nope.X"), None);
        assert_eq!(parse_target("DescribeTrails"), None);
        assert_eq!(parse_target("TrentService."), None);
    }

    #[test]
    fn cloudwatch_errors_name_their_shape_and_carry_the_query_code() {
        let e = AwsError::client("InvalidParameterValue", "bad");
        let r = error_reply_for(&e, "rid", Some("cloudwatch"));
        let body: Value = serde_json::from_slice(&r.body).unwrap(); // JSON body
        assert_eq!(
            body,
            json!({"__type": "com.amazonaws.cloudwatch#InvalidParameterValueException", "message": "bad"})
        );
        let header = |name: &str| {
            r.headers
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            header("x-amzn-query-error").as_deref(),
            Some("InvalidParameterValue;Sender")
        );
        assert_eq!(header("content-type").as_deref(), Some(CONTENT_TYPE_1_0));
    }
}
