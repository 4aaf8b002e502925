//! AWS JSON 1.1: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body;
//! errors are `{"__type": "...", "message": "..."}` with the HTTP status of the error.
//!
//! CloudTrail (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`), CloudWatch Logs
//! (`Logs_20140328`), KMS (`TrentService`) and Organizations (`AWSOrganizationsV20161128`)
//! speak it for real. As a ctsim extension, `X-Amz-Target: ctsim.<service>.<Operation>`
//! reaches every other service (S3, IAM, SNS, STS) with the same JSON shapes the simulator
//! uses in-process; the provider's HTTP mode uses it.

use serde_json::{Value, json};

use super::{Incoming, Protocol, Reply, Server, auth};
use crate::error::AwsError;
use crate::services;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The service a target prefix names.
pub fn service_for_target(prefix: &str) -> Option<&'static str> {
    let last = prefix.rsplit('.').next().unwrap_or(prefix);
    match last {
        "CloudTrail_20131101" => Some("cloudtrail"),
        "Logs_20140328" => Some("logs"),
        "TrentService" => Some("kms"),
        "AWSOrganizationsV20161128" => Some("organizations"),
        "AWSEvents" => Some("events"),
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
    let body = json!({"__type": err.code, "message": err.message});
    Reply::new(err.http_status, request_id)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-query-error", &format!("{};Sender", err.code))
        .body(body.to_string().into_bytes())
}

pub fn handle(server: &Server, req: &Incoming, target: &str) -> Reply {
    let Some((service, operation)) = parse_target(target) else {
        let err = AwsError::client(
            "UnknownOperationException",
            format!("Unknown target {target}"),
        );
        return error_reply(&err, &server.fresh_request_id()).operation(target);
    };
    if req.method != "POST" {
        let err = AwsError::new(
            "UnknownOperationException",
            "Only POST is accepted by this service",
            405,
        );
        return error_reply(&err, &server.fresh_request_id()).operation(operation);
    }
    let caller = match auth::authenticate(server, req, Protocol::Json) {
        Ok(c) => c,
        Err(f) => {
            return error_reply(&f.to_error(Protocol::Json), &server.fresh_request_id())
                .operation(operation);
        }
    };
    let input: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                let err = AwsError::serialization(format!("Malformed JSON body: {e}"));
                return error_reply(&err, &server.fresh_request_id()).operation(operation);
            }
        }
    };
    let inv = server.invoke(caller, service, operation, input);
    let request_id = inv
        .request_id
        .clone()
        .unwrap_or_else(|| server.fresh_request_id());
    match inv.result {
        Ok(v) => Reply::new(200, &request_id)
            .header("content-type", CONTENT_TYPE)
            .body(v.to_string().into_bytes())
            .operation(operation),
        Err(e) => error_reply(&e, &request_id).operation(operation),
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
            parse_target("AWSEvents.PutRule"),
            Some(("events", "PutRule"))
        );
        assert_eq!(parse_target("ctsim.nope.X"), None);
        assert_eq!(parse_target("DescribeTrails"), None);
        assert_eq!(parse_target("TrentService."), None);
    }
}
