//! The provider's HTTP mode: every call goes to `ctsim serve` (named in the provider's
//! `endpoints {}` block), signed with SigV4 using the provider's credentials.
//!
//! Wire protocol: AWS JSON 1.1 for every service. CloudTrail, CloudWatch Logs, KMS and
//! Organizations use their real `X-Amz-Target` prefixes; S3, IAM, SNS and STS use
//! `ctsim.<service>.<Operation>`, an extension of `ctsim serve` that takes the same JSON
//! shapes the simulator uses in-process (so no per-service XML codec lives here).
//!
//! The client is blocking (the trait is): one short-lived HTTP/1.1 connection per call on
//! loopback, which keeps it free of any async runtime.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use ctsim::AwsError;
use ctsim::server::sigv4;
use serde_json::Value as Json;

use crate::client::AwsClient;

/// How long a call may take before it fails.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest response body read.
const MAX_RESPONSE: usize = 256 * 1024 * 1024;

/// Access key, secret and optional session token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

/// One endpoint: `http://host:port` (HTTPS is not offered by `ctsim serve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `host:port` for the connection and the `Host` header.
    pub authority: String,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint, String> {
        let rest = url.trim().strip_prefix("http://").ok_or_else(|| {
            format!("endpoint {url:?}: ctsim serve speaks plain http://HOST:PORT")
        })?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() {
            return Err(format!("endpoint {url:?} names no host"));
        }
        let authority = if authority
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        Ok(Endpoint { authority })
    }
}

/// The provider's client over HTTP.
pub struct Http {
    /// Service (`cloudtrail`, `s3`, ...) -> endpoint; `default` for the rest.
    endpoints: BTreeMap<String, Endpoint>,
    default: Endpoint,
    credentials: Credentials,
    user_agent: String,
    account_id: String,
}

/// The JSON 1.1 target of an operation.
pub fn target(service: &str, operation: &str) -> String {
    match service {
        "cloudtrail" => {
            format!("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.{operation}")
        }
        "logs" => format!("Logs_20140328.{operation}"),
        "kms" => format!("TrentService.{operation}"),
        "organizations" => format!("AWSOrganizationsV20161128.{operation}"),
        other => format!("ctsim.{other}.{operation}"),
    }
}

fn transport_error(message: String) -> AwsError {
    AwsError::new("RequestError", message, 503)
}

impl Http {
    /// A client for `endpoints` (service -> URL, at least one). `region` is used for the
    /// GetCallerIdentity call that learns the account.
    pub fn connect(
        endpoints: &BTreeMap<String, String>,
        credentials: Credentials,
        terraform_version: &str,
        region: &str,
    ) -> Result<Http, String> {
        let mut parsed = BTreeMap::new();
        for (service, url) in endpoints {
            let service = match service.as_str() {
                "cloudwatchlogs" => "logs",
                s => s,
            };
            parsed.insert(service.to_string(), Endpoint::parse(url)?);
        }
        let default = parsed
            .get("cloudtrail")
            .or_else(|| parsed.values().next())
            .cloned()
            .ok_or_else(|| "no endpoint given".to_string())?;
        let mut client = Http {
            endpoints: parsed,
            default,
            credentials,
            user_agent: format!(
                "APN/1.0 HashiCorp/1.0 Terraform/{terraform_version} (+https://www.terraform.io) terraform-provider-aws/{} (ctsim; http)",
                crate::PROVIDER_VERSION
            ),
            account_id: String::new(),
        };
        let who = client
            .call(
                region,
                "sts",
                "GetCallerIdentity",
                Json::Object(Default::default()),
            )
            .map_err(|e| format!("GetCallerIdentity: {}: {}", e.code, e.message))?;
        client.account_id = who["Account"].as_str().unwrap_or_default().to_string();
        Ok(client)
    }

    /// Calls continue as the session `AssumeRole` gives (`assume_role { role_arn }`).
    pub fn assume_role(
        mut self,
        region: &str,
        role_arn: &str,
        session_name: Option<&str>,
    ) -> Result<Http, String> {
        let out = self
            .call(
                region,
                "sts",
                "AssumeRole",
                serde_json::json!({
                    "RoleArn": role_arn,
                    "RoleSessionName": session_name.filter(|s| !s.is_empty()).unwrap_or("aws-go-sdk-session"),
                }),
            )
            .map_err(|e| format!("AssumeRole: {}: {}", e.code, e.message))?;
        let c = &out["Credentials"];
        let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
        self.credentials = Credentials {
            access_key_id: text("AccessKeyId"),
            secret_access_key: text("SecretAccessKey"),
            session_token: Some(text("SessionToken")),
        };
        self.account_id = role_arn.split(':').nth(4).unwrap_or_default().to_string();
        Ok(self)
    }

    fn endpoint(&self, service: &str) -> &Endpoint {
        self.endpoints.get(service).unwrap_or(&self.default)
    }
}

/// A parsed HTTP response.
struct HttpResponse {
    status: u16,
    body: Vec<u8>,
}

fn post(
    endpoint: &Endpoint,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<HttpResponse, String> {
    let addr = endpoint
        .authority
        .to_socket_addrs()
        .map_err(|e| format!("resolving {}: {e}", endpoint.authority))?
        .next()
        .ok_or_else(|| format!("{} resolves to no address", endpoint.authority))?;
    let mut stream = TcpStream::connect_timeout(&addr, CALL_TIMEOUT)
        .map_err(|e| format!("connecting to {}: {e}", endpoint.authority))?;
    stream
        .set_read_timeout(Some(CALL_TIMEOUT))
        .and_then(|_| stream.set_write_timeout(Some(CALL_TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let mut req = String::from("POST / HTTP/1.1\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    stream
        .write_all(req.as_bytes())
        .and_then(|_| stream.write_all(body))
        .map_err(|e| format!("sending to {}: {e}", endpoint.authority))?;
    let mut raw = Vec::new();
    stream
        .take(MAX_RESPONSE as u64)
        .read_to_end(&mut raw)
        .map_err(|e| format!("reading from {}: {e}", endpoint.authority))?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<HttpResponse, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("truncated HTTP response")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or("malformed HTTP status line")?;
    let mut body = raw[split + 4..].to_vec();
    let length = lines.find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())
            .flatten()
    });
    if let Some(n) = length {
        if body.len() < n {
            return Err("HTTP response body shorter than its content-length".into());
        }
        body.truncate(n);
    }
    Ok(HttpResponse { status, body })
}

impl AwsClient for Http {
    fn call(
        &self,
        region: &str,
        service: &str,
        operation: &str,
        request: Json,
    ) -> Result<Json, AwsError> {
        let endpoint = self.endpoint(service);
        let body = request.to_string().into_bytes();
        let x_amz_target = target(service, operation);
        let call = sigv4::JsonCall {
            host: &endpoint.authority,
            target: &x_amz_target,
            user_agent: Some(&self.user_agent),
            region,
            service,
            access_key_id: &self.credentials.access_key_id,
            secret: &self.credentials.secret_access_key,
            session_token: self.credentials.session_token.as_deref(),
        };
        let headers = sigv4::sign_json_call(&call, &body, chrono::Utc::now());
        let resp = post(endpoint, &headers, &body).map_err(transport_error)?;
        let parsed: Json = if resp.body.is_empty() {
            Json::Object(Default::default())
        } else {
            serde_json::from_slice(&resp.body).map_err(|e| {
                transport_error(format!("response of {operation} is not JSON ({e})"))
            })?
        };
        if resp.status / 100 == 2 {
            return Ok(parsed);
        }
        let code = parsed["__type"]
            .as_str()
            .map(|t| t.rsplit('#').next().unwrap_or(t).to_string())
            .unwrap_or_else(|| format!("HTTP{}", resp.status));
        let message = parsed["message"]
            .as_str()
            .or_else(|| parsed["Message"].as_str())
            .unwrap_or_default()
            .to_string();
        Err(AwsError::new(code, message, resp.status))
    }

    fn account_id(&self) -> String {
        self.account_id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_parse_to_authorities() {
        assert_eq!(
            Endpoint::parse("http://127.0.0.1:4566").unwrap().authority,
            "127.0.0.1:4566"
        );
        assert_eq!(
            Endpoint::parse("http://localhost/").unwrap().authority,
            "localhost:80"
        );
        assert!(Endpoint::parse("https://x:1").is_err());
        assert!(Endpoint::parse("http://").is_err());
    }

    #[test]
    fn targets_use_real_prefixes_where_aws_has_json() {
        assert_eq!(
            target("cloudtrail", "GetTrail"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrail"
        );
        assert_eq!(target("kms", "CreateKey"), "TrentService.CreateKey");
        assert_eq!(target("s3", "CreateBucket"), "ctsim.s3.CreateBucket");
    }

    #[test]
    fn responses_parse_with_content_length() {
        let r =
            parse_response(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}xx").unwrap();
        assert_eq!(r.status, 400);
        assert_eq!(r.body, b"{}");
        assert!(parse_response(b"HTTP/1.1 200 OK\r\n").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n{}").is_err());
    }
}
