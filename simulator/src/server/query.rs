//! The AWS query protocol (STS, IAM, SNS, CloudWatch): `Action=...&Version=...` form-encoded in a POST
//! body (or the query string of a GET), flattened members (`Tags.member.1.Key`,
//! `Attributes.entry.1.key`), and XML responses:
//! `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId>
//! </ResponseMetadata></XResponse>`, errors as `<ErrorResponse><Error><Type/><Code/>
//! <Message/></Error><RequestId/></ErrorResponse>`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::xml::{self, Rules};
use super::{Incoming, Protocol, Reply, Server, auth, sigv4};
use crate::error::AwsError;

pub const CONTENT_TYPE: &str = "text/xml";

/// Numeric members of the query services' requests (form values are all text).
const INT_MEMBERS: &[&str] = &["DurationSeconds", "MaxItems", "MaxSessionDuration"];
/// Boolean members of their requests.
const BOOL_MEMBERS: &[&str] = &["OnlyAttached", "SetAsDefault", "ReturnSubscriptionArn"];
/// Members whose values are maps.
const MAP_MEMBERS: &[&str] = &["Attributes"];
/// Member names deeper than this are refused (the deepest AWS shape a query service takes,
/// CloudWatch's `Metrics.member.N.MetricStat.Metric.Dimensions.member.N.Name`, has 8
/// segments); the tree of members is built and walked recursively.
pub const MAX_MEMBER_DEPTH: usize = 32;
/// IAM policy documents are URL-encoded in XML responses.
const URL_ENCODED: &[&str] = &["AssumeRolePolicyDocument", "PolicyDocument", "Document"];

fn is_timestamp(name: &str) -> bool {
    name.ends_with("Date") || name == "Expiration"
}

/// The XML namespace of a query service.
pub fn namespace(service: &str) -> &'static str {
    match service {
        "sts" => "https://sts.amazonaws.com/doc/2011-06-15/",
        "sns" => "http://sns.amazonaws.com/doc/2010-03-31/",
        "cloudwatch" => "http://monitoring.amazonaws.com/doc/2010-08-01/",
        _ => "https://iam.amazonaws.com/doc/2010-05-08/",
    }
}

const STS_ACTIONS: &[&str] = &[
    "AssumeRole",
    "AssumeRoleWithSAML",
    "AssumeRoleWithWebIdentity",
    "DecodeAuthorizationMessage",
    "GetAccessKeyInfo",
    "GetCallerIdentity",
    "GetFederationToken",
    "GetSessionToken",
];

const SNS_ACTIONS: &[&str] = &[
    "CreateTopic",
    "DeleteTopic",
    "GetTopicAttributes",
    "ListTagsForResource",
    "ListTopics",
    "Publish",
    "SetTopicAttributes",
    "Subscribe",
    "Unsubscribe",
    "ConfirmSubscription",
    "GetSubscriptionAttributes",
    "SetSubscriptionAttributes",
    "ListSubscriptions",
    "ListSubscriptionsByTopic",
    "TagResource",
    "UntagResource",
];

/// CloudWatch actions no other query service has (for unsigned requests).
const CLOUDWATCH_ACTIONS: &[&str] = &[
    "DeleteAlarms",
    "DescribeAlarmHistory",
    "DescribeAlarms",
    "DescribeAlarmsForMetric",
    "DisableAlarmActions",
    "EnableAlarmActions",
    "GetMetricData",
    "GetMetricStatistics",
    "ListMetrics",
    "PutMetricAlarm",
    "PutMetricData",
    "SetAlarmState",
];

/// A request is a query request when it posts a form to `/` or names an `Action` in the
/// query string of `/`.
pub fn is_query_request(req: &Incoming) -> bool {
    if req.raw_path != "/" && !req.raw_path.is_empty() {
        return false;
    }
    let form = req
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    (req.method == "POST" && form)
        || sigv4::query_pairs(&req.raw_query)
            .iter()
            .any(|(k, _)| k == "Action")
}

/// The service: the signature's credential scope says it; unsigned requests are placed
/// by their action.
fn service_of(req: &Incoming, action: &str) -> &'static str {
    let scoped = req
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .map(str::to_string)
        .or_else(|| {
            sigv4::query_pairs(&req.raw_query)
                .into_iter()
                .find(|(k, _)| k == "X-Amz-Credential")
                .and_then(|(_, v)| v.split('/').nth(3).map(str::to_string))
        });
    match scoped.as_deref() {
        Some("sts") => "sts",
        Some("sns") => "sns",
        Some("iam") => "iam",
        // CloudWatch signs as `monitoring`.
        Some("monitoring") => "cloudwatch",
        _ if STS_ACTIONS.contains(&action) => "sts",
        _ if SNS_ACTIONS.contains(&action) => "sns",
        _ if CLOUDWATCH_ACTIONS.contains(&action) => "cloudwatch",
        _ => "iam",
    }
}

enum Node {
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

fn insert(node: &mut BTreeMap<String, Node>, path: &[&str], value: String) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        node.insert(first.to_string(), Node::Leaf(value));
        return;
    }
    let child = node
        .entry(first.to_string())
        .or_insert_with(|| Node::Branch(BTreeMap::new()));
    if let Node::Leaf(_) = child {
        // `Tags=` (an empty list) followed by members: the members win.
        *child = Node::Branch(BTreeMap::new());
    }
    if let Node::Branch(m) = child {
        insert(m, rest, value);
    }
}

fn indexed(m: BTreeMap<String, Node>) -> Vec<Node> {
    let mut items: Vec<(u64, Node)> = m
        .into_iter()
        .filter_map(|(k, v)| k.parse::<u64>().ok().map(|n| (n, v)))
        .collect();
    items.sort_by_key(|(n, _)| *n);
    items.into_iter().map(|(_, v)| v).collect()
}

fn to_json(name: &str, node: Node) -> Value {
    match node {
        Node::Leaf(s) => coerce(name, s),
        Node::Branch(mut m) => {
            if m.len() == 1 && m.contains_key("member") {
                return match m.remove("member") {
                    Some(Node::Branch(items)) => Value::Array(
                        indexed(items)
                            .into_iter()
                            .map(|n| to_json(name, n))
                            .collect(),
                    ),
                    _ => Value::Array(Vec::new()),
                };
            }
            if m.len() == 1 && m.contains_key("entry") {
                let mut out = Map::new();
                if let Some(Node::Branch(items)) = m.remove("entry") {
                    for entry in indexed(items) {
                        if let Node::Branch(mut kv) = entry
                            && let Some(Node::Leaf(k)) = kv.remove("key")
                        {
                            let v = kv.remove("value").map(|v| to_json(&k, v));
                            out.insert(k, v.unwrap_or(Value::String(String::new())));
                        }
                    }
                }
                return Value::Object(out);
            }
            if !m.is_empty() && m.keys().all(|k| k.parse::<u64>().is_ok()) {
                return Value::Array(indexed(m).into_iter().map(|n| to_json(name, n)).collect());
            }
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| {
                        let j = to_json(&k, v);
                        (k, j)
                    })
                    .collect(),
            )
        }
    }
}

fn coerce(name: &str, s: String) -> Value {
    if INT_MEMBERS.contains(&name)
        && let Ok(n) = s.parse::<i64>()
    {
        return Value::from(n);
    }
    if BOOL_MEMBERS.contains(&name) {
        match s.as_str() {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            _ => {}
        }
    }
    Value::String(s)
}

/// Form parameters (without `Action` and `Version`) as the JSON request shape; a member
/// name nested deeper than [`MAX_MEMBER_DEPTH`] is `MalformedQueryString`.
pub fn params_to_json(params: &[(String, String)]) -> Result<Value, AwsError> {
    let mut root = BTreeMap::new();
    for (k, v) in params {
        if k == "Action" || k == "Version" || k.starts_with("X-Amz-") {
            continue;
        }
        let path: Vec<&str> = k.split('.').collect();
        if path.len() > MAX_MEMBER_DEPTH {
            let shown: String = k.chars().take(64).collect();
            return Err(AwsError::client(
                "MalformedQueryString",
                format!(
                    "Parameter {shown}... is nested more than {MAX_MEMBER_DEPTH} members deep."
                ),
            ));
        }
        insert(&mut root, &path, v.clone());
    }
    // Top-level empty lists arrive as `Name=`; an empty string is kept as given (the
    // services treat it as the value sent).
    Ok(to_json("", Node::Branch(root)))
}

pub fn error_reply(err: &AwsError, request_id: &str, service: &str) -> Reply {
    let kind = if err.is_server_fault() {
        "Receiver"
    } else {
        "Sender"
    };
    let mut body = format!(
        "<ErrorResponse xmlns=\"{}\"><Error><Type>{kind}</Type>",
        namespace(service)
    );
    xml::element(&mut body, "Code", &err.code);
    xml::element(&mut body, "Message", &err.message);
    body.push_str("</Error>");
    xml::element(&mut body, "RequestId", request_id);
    body.push_str("</ErrorResponse>");
    Reply::new(err.http_status, request_id)
        .header("content-type", CONTENT_TYPE)
        .body(body.into_bytes())
}

/// CloudWatch's response members written as text before rendering: timestamps (members
/// named `…Timestamp` and the items of `Timestamps`) in ISO 8601, and the numbers of the
/// `ExtendedStatistics` map, which the XML writer renders from text.
fn cloudwatch_text(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        (k, Value::Number(n)) if k.ends_with("Timestamp") => {
                            Value::String(xml::timestamp(n.as_f64().unwrap_or_default()))
                        }
                        ("Timestamps", Value::Array(items)) => Value::Array(
                            items
                                .iter()
                                .map(|t| {
                                    Value::String(xml::timestamp(t.as_f64().unwrap_or_default()))
                                })
                                .collect(),
                        ),
                        ("ExtendedStatistics", Value::Object(stats)) => Value::Object(
                            stats
                                .iter()
                                .map(|(s, n)| (s.clone(), Value::String(n.to_string())))
                                .collect(),
                        ),
                        (_, other) => cloudwatch_text(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(cloudwatch_text).collect()),
        other => other.clone(),
    }
}

/// The success body: `<{Action}Response><{Action}Result>…`.
pub fn render_response(action: &str, service: &str, result: &Value, request_id: &str) -> String {
    let cloudwatch = service == "cloudwatch";
    let rules = Rules {
        maps: if cloudwatch {
            &["ExtendedStatistics"]
        } else {
            MAP_MEMBERS
        },
        is_timestamp: if cloudwatch { |_| false } else { is_timestamp },
        url_encoded: if service == "iam" { URL_ENCODED } else { &[] },
    };
    let converted;
    let result = if cloudwatch {
        converted = cloudwatch_text(result);
        &converted
    } else {
        result
    };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{}\">",
        namespace(service)
    );
    out.push_str(&format!("<{action}Result>"));
    xml::render_members(&mut out, result, &rules);
    out.push_str(&format!("</{action}Result>"));
    out.push_str("<ResponseMetadata>");
    xml::element(&mut out, "RequestId", request_id);
    out.push_str(&format!("</ResponseMetadata></{action}Response>"));
    out
}

pub fn handle(server: &Server, req: &Incoming) -> Reply {
    let mut params = sigv4::query_pairs(&req.raw_query);
    if req.method == "POST" {
        let body = match super::body_of(req, server.limits.max_body_bytes) {
            Ok(b) => b,
            Err(e) => return error_reply(&e, &server.fresh_request_id(), "iam"),
        };
        params.extend(sigv4::query_pairs(&String::from_utf8_lossy(&body)));
    }
    let action = params
        .iter()
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let service = service_of(req, &action);
    if action.is_empty() {
        let err = AwsError::client("MissingAction", "Missing Action");
        return error_reply(&err, &server.fresh_request_id(), service);
    }
    let caller = match auth::authenticate(server, req, Protocol::Query) {
        Ok(c) => c,
        Err(f) => {
            return error_reply(
                &f.to_error(Protocol::Query),
                &server.fresh_request_id(),
                service,
            )
            .operation(&action);
        }
    };
    let input = match params_to_json(&params) {
        Ok(v) => v,
        Err(e) => {
            return error_reply(&e, &server.fresh_request_id(), service).operation(&action);
        }
    };
    let inv = server.invoke(caller, service, &action, input);
    let request_id = inv
        .request_id
        .clone()
        .unwrap_or_else(|| server.fresh_request_id());
    match inv.result {
        Ok(v) => Reply::new(200, &request_id)
            .header("content-type", CONTENT_TYPE)
            .body(render_response(&action, service, &v, &request_id).into_bytes())
            .operation(&action),
        Err(e) => {
            // An action AWS has and ctsim does not: NotImplemented (501); one AWS does not
            // know: InvalidAction, as AWS answers it.
            let e = match super::operations::for_wire(service, &action, e) {
                e if e.code == "UnknownOperationException" => AwsError::client(
                    "InvalidAction",
                    format!("Could not find operation {action} for version"),
                ),
                e => e,
            };
            error_reply(&e, &request_id, service).operation(&action)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flattened_members_become_lists_maps_and_typed_values() {
        let v = params_to_json(&p(&[
            ("Action", "CreateRole"),
            ("Version", "2010-05-08"),
            ("RoleName", "r"),
            ("MaxSessionDuration", "7200"),
            ("Tags.member.2.Key", "b"),
            ("Tags.member.2.Value", "2"),
            ("Tags.member.1.Key", "a"),
            ("Tags.member.1.Value", "1"),
            ("Attributes.entry.1.key", "Policy"),
            ("Attributes.entry.1.value", "{}"),
            ("OnlyAttached", "true"),
        ]))
        .unwrap();
        assert_eq!(
            v,
            json!({
                "Attributes": {"Policy": "{}"},
                "MaxSessionDuration": 7200,
                "OnlyAttached": true,
                "RoleName": "r",
                "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
            })
        );
    }

    #[test]
    fn members_that_are_not_numbers_stay_text() {
        let v = params_to_json(&p(&[("MaxItems", "lots"), ("RoleName", "123")])).unwrap();
        assert_eq!(v, json!({"MaxItems": "lots", "RoleName": "123"}));
    }

    #[test]
    fn renders_query_response_and_error_xml() {
        let body = render_response(
            "GetCallerIdentity",
            "sts",
            &json!({"UserId": "AIDA", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/ctsim"}),
            "rid",
        );
        insta::assert_snapshot!(body);
        let e = error_reply(
            &AwsError::new("NoSuchEntity", "The role with name x cannot be found.", 404),
            "rid",
            "iam",
        );
        assert_eq!(e.status, 404);
        insta::assert_snapshot!(String::from_utf8(e.body).unwrap());
    }
}
