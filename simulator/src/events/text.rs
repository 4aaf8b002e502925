//! A call's record written straight to JSON text: the same bytes as serialising
//! [`super::build_record`]'s tree, without building the tree (every recorded call pays for
//! this, so it is worth not allocating a map per member).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use super::{ApiCall, EVENT_VERSION};
use crate::clock;
use crate::context::CallerContext;

/// The record's JSON text, or `None` when the request or response has keys that collide
/// once lower-cased (`Name` and `name`): the tree then decides which one is kept.
pub fn record_text(call: &ApiCall<'_>, request_id: &str, event_id: &str) -> Option<String> {
    let response = match call.outcome {
        Ok(v) if !call.read_only => Some(v),
        _ => None,
    };
    if collides(call.request) || response.is_some_and(collides) {
        return None;
    }
    let record = Record {
        call,
        response,
        request_id,
        event_id,
    };
    let mut buf = Vec::with_capacity(1024);
    serde_json::to_writer(&mut buf, &record).ok()?;
    // serde_json writes UTF-8 only.
    String::from_utf8(buf).ok()
}

struct Record<'a> {
    call: &'a ApiCall<'a>,
    response: Option<&'a Value>,
    request_id: &'a str,
    event_id: &'a str,
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let call = self.call;
        let ctx = call.ctx;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("eventVersion", EVENT_VERSION)?;
        m.serialize_entry("userIdentity", &Identity(ctx))?;
        m.serialize_entry("eventTime", &clock::iso_seconds(call.time))?;
        m.serialize_entry("eventSource", call.event_source)?;
        m.serialize_entry("eventName", call.operation)?;
        m.serialize_entry("awsRegion", &ctx.region)?;
        m.serialize_entry("sourceIPAddress", &ctx.source_ip)?;
        m.serialize_entry("userAgent", &ctx.user_agent)?;
        if let Err(e) = call.outcome {
            m.serialize_entry("errorCode", &e.code)?;
            m.serialize_entry("errorMessage", &e.message)?;
        }
        m.serialize_entry("requestParameters", &CamelOrNull(Some(call.request)))?;
        m.serialize_entry("responseElements", &CamelOrNull(self.response))?;
        m.serialize_entry("requestID", self.request_id)?;
        m.serialize_entry("eventID", self.event_id)?;
        m.serialize_entry("readOnly", &call.read_only)?;
        if call.resources.iter().any(|r| r.arn.is_some()) {
            m.serialize_entry("resources", &Resources(call))?;
        }
        m.serialize_entry("eventType", "AwsApiCall")?;
        m.serialize_entry("managementEvent", &true)?;
        m.serialize_entry("recipientAccountId", &ctx.account_id)?;
        m.serialize_entry("eventCategory", "Management")?;
        if let Some(tls) = &ctx.tls_details {
            m.serialize_entry(
                "tlsDetails",
                &Pairs(&[
                    ("tlsVersion", &tls.tls_version),
                    ("cipherSuite", &tls.cipher_suite),
                    ("clientProvidedHostHeader", &tls.client_provided_host_header),
                ]),
            )?;
        }
        m.end()
    }
}

/// String members in order.
struct Pairs<'a>(&'a [(&'a str, &'a str)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `userIdentity`, as [`super::user_identity`] builds it.
struct Identity<'a>(&'a CallerContext);

impl Serialize for Identity<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.0;
        let p = &ctx.principal;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", &p.identity_type)?;
        m.serialize_entry("principalId", &p.principal_id)?;
        m.serialize_entry("arn", &p.arn)?;
        m.serialize_entry("accountId", &ctx.account_id)?;
        if let Some(k) = &p.access_key_id {
            m.serialize_entry("accessKeyId", k)?;
        }
        if let Some(u) = &p.user_name
            && p.session_context.is_none()
        {
            m.serialize_entry("userName", u)?;
        }
        if let Some(sc) = &p.session_context {
            m.serialize_entry("sessionContext", &Session(sc))?;
        }
        m.end()
    }
}

struct Session<'a>(&'a crate::context::SessionContext);

impl Serialize for Session<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sc = self.0;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(
            "sessionIssuer",
            &Pairs(&[
                ("type", &sc.issuer_type),
                ("principalId", &sc.issuer_principal_id),
                ("arn", &sc.issuer_arn),
                ("accountId", &sc.issuer_account_id),
                ("userName", &sc.issuer_user_name),
            ]),
        )?;
        m.serialize_entry(
            "attributes",
            &Pairs(&[
                ("creationDate", &sc.creation_date),
                (
                    "mfaAuthenticated",
                    if sc.mfa_authenticated {
                        "true"
                    } else {
                        "false"
                    },
                ),
            ]),
        )?;
        m.end()
    }
}

struct Resources<'a>(&'a ApiCall<'a>);

impl Serialize for Resources<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let call = self.0;
        let mut seq = s.serialize_seq(None)?;
        for r in &call.resources {
            if let Some(arn) = &r.arn {
                let account = r.account_id.as_deref().unwrap_or(&call.ctx.account_id);
                seq.serialize_element(&Pairs(&[
                    ("accountId", account),
                    ("type", &r.resource_type),
                    ("ARN", arn),
                ]))?;
            }
        }
        seq.end()
    }
}

/// A request or response with member names as CloudTrail records them (first letter
/// lower-cased, recursively); an absent or empty object is `null`.
struct CamelOrNull<'a>(Option<&'a Value>);

impl Serialize for CamelOrNull<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(Value::Object(m)) if m.is_empty() => s.serialize_none(),
            Some(v) => Camel(v).serialize(s),
        }
    }
}

struct Camel<'a>(&'a Value);

impl Serialize for Camel<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(obj) => {
                let mut m = s.serialize_map(Some(obj.len()))?;
                for (k, v) in obj {
                    m.serialize_entry(&*lowered(k), &Camel(v))?;
                }
                m.end()
            }
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&Camel(v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

fn lowered(k: &str) -> std::borrow::Cow<'_, str> {
    match k.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => crate::services::lower_first(k).into(),
        _ => k.into(),
    }
}

/// Whether two member names of one object (at any depth) become the same once lowered.
fn collides(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| upper_twin(m, k) || collides(v)),
        Value::Array(a) => a.iter().any(collides),
        _ => false,
    }
}

fn upper_twin(m: &Map<String, Value>, k: &str) -> bool {
    matches!(k.as_bytes().first(), Some(b) if b.is_ascii_uppercase())
        && m.contains_key(&*crate::services::lower_first(k))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::context::{Principal, SessionContext, TlsDetails};
    use crate::error::AwsError;
    use crate::services::EventResource;

    fn both(call: &ApiCall<'_>) -> (Option<String>, String) {
        let tree = super::super::build_record(call, "req-1", "evt-1");
        (
            record_text(call, "req-1", "evt-1"),
            serde_json::to_string(&tree).unwrap(), // a tree of JSON values
        )
    }

    #[test]
    fn the_text_is_the_serialised_tree() {
        let plain = CallerContext::new("111111111111", "eu-west-1");
        let mut assumed = CallerContext::new("222222222222", "us-east-1");
        assumed.principal = Principal {
            session_context: Some(SessionContext {
                issuer_type: "Role".into(),
                issuer_principal_id: "AROA".into(),
                issuer_arn: "arn:aws:iam::222222222222:role/r".into(),
                issuer_account_id: "222222222222".into(),
                issuer_user_name: "r".into(),
                creation_date: "2026-01-01T00:00:00Z".into(),
                mfa_authenticated: true,
            }),
            access_key_id: Some("ASIAEXAMPLE".into()),
            ..assumed.principal.clone()
        };
        assumed.tls_details = Some(TlsDetails {
            tls_version: "TLSv1.3".into(),
            cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
            client_provided_host_header: "cloudtrail.us-east-1.amazonaws.com".into(),
        });
        let request = json!({"Name": "t", "S3BucketName": "b", "Tags": [{"Key": "k", "Value": "\"<v>\""}], "x": {}});
        let response = json!({"TrailARN": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/t", "Nested": {"A": [1, 2.5, null, true]}});
        let empty = json!({});
        let error = AwsError::client("TrailNotFoundException", "Unknown trail: \u{1F600}");
        let resources = vec![
            EventResource {
                resource_type: "AWS::CloudTrail::Trail".into(),
                resource_name: "t".into(),
                arn: Some("arn:aws:cloudtrail:eu-west-1:111111111111:trail/t".into()),
                account_id: None,
            },
            EventResource {
                resource_type: "AWS::S3::Bucket".into(),
                resource_name: "b".into(),
                arn: None,
                account_id: Some("333333333333".into()),
            },
        ];
        for ctx in [&plain, &assumed] {
            for (outcome, read_only) in [
                (Ok(&response), false),
                (Ok(&response), true),
                (Ok(&empty), false),
                (Err(&error), false),
            ] {
                for req in [&request, &empty] {
                    let call = ApiCall {
                        ctx,
                        event_source: "cloudtrail.amazonaws.com",
                        operation: "CreateTrail",
                        request: req,
                        outcome,
                        read_only,
                        resources: resources.clone(),
                        time: clock::from_millis(1_767_225_600_123),
                    };
                    let (text, tree) = both(&call);
                    assert_eq!(text.as_deref(), Some(tree.as_str()));
                }
            }
        }
    }

    #[test]
    fn colliding_member_names_are_left_to_the_tree() {
        let ctx = CallerContext::new("111111111111", "eu-west-1");
        let request = json!({"Name": "a", "name": "b"});
        let call = ApiCall {
            ctx: &ctx,
            event_source: "s3.amazonaws.com",
            operation: "X",
            request: &request,
            outcome: Ok(&request),
            read_only: true,
            resources: vec![],
            time: clock::from_millis(0),
        };
        assert_eq!(record_text(&call, "r", "e"), None);
    }
}
