//! The typed policy model and its parser from JSON (`serde_json::Value`).
//!
//! Parsing is strict the way IAM, S3, SNS and KMS are: unknown elements, wrong types, empty
//! Action/Resource lists, unknown condition operators and bad principals are errors whose
//! message the calling service wraps in its own exception (`MalformedPolicy`,
//! `MalformedPolicyDocument`, `MalformedPolicyDocumentException`, `InvalidParameter`).

use std::fmt;

use serde_json::{Map, Value};

/// Why a policy document was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub message: String,
}

impl PolicyError {
    fn new(message: impl Into<String>) -> Self {
        PolicyError {
            message: message.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PolicyError {}

/// Which kind of policy a document is, for the element rules that differ between kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// Identity-based (IAM user/role/group permission policy): no Principal, Resource required.
    Identity,
    /// Resource-based (S3 bucket, SNS topic, KMS key policy): Principal and Resource required.
    Resource,
    /// IAM role trust policy: Principal required, Resource prohibited.
    Trust,
}

/// The two policy language versions IAM accepts.
pub const VERSION_2012: &str = "2012-10-17";
pub const VERSION_2008: &str = "2008-10-17";

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `None` when absent (IAM then assumes 2008-10-17, without policy variables).
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One principal identifier in a `Principal` / `NotPrincipal` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalId {
    /// `"AWS"`: `*`, a 12-digit account id or an IAM/STS ARN.
    Aws(String),
    /// `"Service"`: a service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    Federated(String),
    CanonicalUser(String),
}

/// The value of `Principal` / `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"*"`: everyone, anonymous included.
    Any,
    Ids(Vec<PrincipalId>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalElement {
    Principal(Principals),
    NotPrincipal(Principals),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionElement {
    Action(Vec<String>),
    NotAction(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceElement {
    Resource(Vec<String>),
    NotResource(Vec<String>),
}

/// The comparison a condition operator performs, before negation / IfExists / set qualifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionOp {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnEquals,
    ArnLike,
    Null,
}

/// `ForAnyValue:` / `ForAllValues:` prefixes for multivalued context keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

/// One `operator: { key: values }` pair of a statement's Condition block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written, e.g. `ForAnyValue:StringNotLikeIfExists`.
    pub operator_name: String,
    pub op: ConditionOp,
    /// A "Not" operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, ...).
    pub negated: bool,
    pub if_exists: bool,
    pub qualifier: Option<SetQualifier>,
    /// The condition key as written; looked up case-insensitively.
    pub key: String,
    /// Policy values; numbers and booleans are kept in their JSON text form.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalElement>,
    pub action: ActionElement,
    /// `None` only in trust policies, where the statement applies to the role itself.
    pub resource: Option<ResourceElement>,
    pub conditions: Vec<Condition>,
}

/// Operator names: (name, comparison, negated).
const OPERATORS: &[(&str, ConditionOp, bool)] = &[
    ("StringEquals", ConditionOp::StringEquals, false),
    ("StringNotEquals", ConditionOp::StringEquals, true),
    (
        "StringEqualsIgnoreCase",
        ConditionOp::StringEqualsIgnoreCase,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        ConditionOp::StringEqualsIgnoreCase,
        true,
    ),
    ("StringLike", ConditionOp::StringLike, false),
    ("StringNotLike", ConditionOp::StringLike, true),
    ("NumericEquals", ConditionOp::NumericEquals, false),
    ("NumericNotEquals", ConditionOp::NumericEquals, true),
    ("NumericLessThan", ConditionOp::NumericLessThan, false),
    (
        "NumericLessThanEquals",
        ConditionOp::NumericLessThanEquals,
        false,
    ),
    ("NumericGreaterThan", ConditionOp::NumericGreaterThan, false),
    (
        "NumericGreaterThanEquals",
        ConditionOp::NumericGreaterThanEquals,
        false,
    ),
    ("DateEquals", ConditionOp::DateEquals, false),
    ("DateNotEquals", ConditionOp::DateEquals, true),
    ("DateLessThan", ConditionOp::DateLessThan, false),
    ("DateLessThanEquals", ConditionOp::DateLessThanEquals, false),
    ("DateGreaterThan", ConditionOp::DateGreaterThan, false),
    (
        "DateGreaterThanEquals",
        ConditionOp::DateGreaterThanEquals,
        false,
    ),
    ("Bool", ConditionOp::Bool, false),
    ("BinaryEquals", ConditionOp::BinaryEquals, false),
    ("IpAddress", ConditionOp::IpAddress, false),
    ("NotIpAddress", ConditionOp::IpAddress, true),
    ("ArnEquals", ConditionOp::ArnEquals, false),
    ("ArnNotEquals", ConditionOp::ArnEquals, true),
    ("ArnLike", ConditionOp::ArnLike, false),
    ("ArnNotLike", ConditionOp::ArnLike, true),
    ("Null", ConditionOp::Null, false),
];

impl Policy {
    /// Parses a policy from its JSON text, as the services receive it.
    pub fn parse_str(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| PolicyError::new(format!("Policy document is not valid JSON: {e}")))?;
        Policy::parse(&value)
    }

    /// Parses the structure common to every policy kind.
    pub fn parse(value: &Value) -> Result<Policy, PolicyError> {
        let doc = value
            .as_object()
            .ok_or_else(|| PolicyError::new("Policy document must be a JSON object"))?;
        for key in doc.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return Err(PolicyError::new(format!(
                    "Policy document has unknown field {key}"
                )));
            }
        }
        let version = match doc.get("Version") {
            None => None,
            Some(Value::String(v)) if v == VERSION_2012 || v == VERSION_2008 => Some(v.clone()),
            Some(other) => {
                return Err(PolicyError::new(format!(
                    "Invalid policy Version {}: must be \"{VERSION_2012}\" or \"{VERSION_2008}\"",
                    text_of(other)
                )));
            }
        };
        let id = optional_string(doc, "Id", "Policy Id")?;
        let statements = match doc.get("Statement") {
            None => return Err(PolicyError::new("Missing required field Statement")),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, s)| parse_statement(s, i))
                .collect::<Result<Vec<_>, _>>()?,
            Some(s @ Value::Object(_)) => vec![parse_statement(s, 0)?],
            Some(_) => {
                return Err(PolicyError::new(
                    "Statement must be an object or an array of objects",
                ));
            }
        };
        if statements.is_empty() {
            return Err(PolicyError::new(
                "Policy document must contain at least one Statement",
            ));
        }
        Ok(Policy {
            version,
            id,
            statements,
        })
    }

    /// Parses and applies the element rules of `kind`.
    pub fn parse_as(value: &Value, kind: PolicyKind) -> Result<Policy, PolicyError> {
        let policy = Policy::parse(value)?;
        policy.validate_kind(kind)?;
        Ok(policy)
    }

    /// [`Policy::parse_str`] followed by the element rules of `kind`.
    pub fn parse_str_as(text: &str, kind: PolicyKind) -> Result<Policy, PolicyError> {
        let policy = Policy::parse_str(text)?;
        policy.validate_kind(kind)?;
        Ok(policy)
    }

    /// Checks the Principal / Resource rules that depend on where the policy is attached.
    pub fn validate_kind(&self, kind: PolicyKind) -> Result<(), PolicyError> {
        // IAM rejects duplicate Sids; S3 accepts them (the CloudTrail console itself has
        // generated bucket policies with two statements of the same Sid).
        if kind != PolicyKind::Resource {
            let mut seen = std::collections::BTreeSet::new();
            for s in &self.statements {
                if let Some(sid) = s.sid.as_deref().filter(|s| !s.is_empty())
                    && !seen.insert(sid)
                {
                    return Err(PolicyError::new(format!(
                        "Statement IDs (SID) in a single policy must be unique: {sid}"
                    )));
                }
            }
        }
        for s in &self.statements {
            match kind {
                PolicyKind::Identity => {
                    if s.principal.is_some() {
                        return Err(PolicyError::new(
                            "Policy document should not specify a principal.",
                        ));
                    }
                    if s.resource.is_none() {
                        return Err(PolicyError::new("Policy statement must contain resources."));
                    }
                }
                PolicyKind::Resource => {
                    if s.principal.is_none() {
                        return Err(PolicyError::new("Missing required field Principal"));
                    }
                    if s.resource.is_none() {
                        return Err(PolicyError::new("Missing required field Resource"));
                    }
                }
                PolicyKind::Trust => {
                    if s.principal.is_none() {
                        return Err(PolicyError::new("Missing required field Principal"));
                    }
                    if s.resource.is_some() {
                        return Err(PolicyError::new("Has prohibited field Resource"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The policy as a JSON document: what [`Policy::parse`] reads back as the same policy
    /// (single values stay lists, principals are grouped by kind, condition values are
    /// strings).
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        if let Some(v) = &self.version {
            doc.insert("Version".into(), Value::String(v.clone()));
        }
        if let Some(id) = &self.id {
            doc.insert("Id".into(), Value::String(id.clone()));
        }
        let statements = self.statements.iter().map(Statement::to_json).collect();
        doc.insert("Statement".into(), Value::Array(statements));
        Value::Object(doc)
    }

    /// Whether `${...}` policy variables are interpreted (only in Version 2012-10-17).
    pub fn uses_variables(&self) -> bool {
        self.version.as_deref() == Some(VERSION_2012)
    }
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().cloned().map(Value::String).collect())
}

impl Principals {
    fn to_json(&self) -> Value {
        match self {
            Principals::Any => Value::String("*".into()),
            Principals::Ids(ids) => {
                let mut by_kind: Map<String, Value> = Map::new();
                for id in ids {
                    let (kind, v) = match id {
                        PrincipalId::Aws(v) => ("AWS", v),
                        PrincipalId::Service(v) => ("Service", v),
                        PrincipalId::Federated(v) => ("Federated", v),
                        PrincipalId::CanonicalUser(v) => ("CanonicalUser", v),
                    };
                    if let Value::Array(list) = by_kind
                        .entry(kind)
                        .or_insert_with(|| Value::Array(Vec::new()))
                    {
                        list.push(Value::String(v.clone()));
                    }
                }
                Value::Object(by_kind)
            }
        }
    }
}

impl Statement {
    fn to_json(&self) -> Value {
        let mut s = Map::new();
        if let Some(sid) = &self.sid {
            s.insert("Sid".into(), Value::String(sid.clone()));
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        s.insert("Effect".into(), Value::String(effect.into()));
        match &self.principal {
            Some(PrincipalElement::Principal(p)) => {
                s.insert("Principal".into(), p.to_json());
            }
            Some(PrincipalElement::NotPrincipal(p)) => {
                s.insert("NotPrincipal".into(), p.to_json());
            }
            None => {}
        }
        match &self.action {
            ActionElement::Action(a) => s.insert("Action".into(), strings(a)),
            ActionElement::NotAction(a) => s.insert("NotAction".into(), strings(a)),
        };
        match &self.resource {
            Some(ResourceElement::Resource(r)) => {
                s.insert("Resource".into(), strings(r));
            }
            Some(ResourceElement::NotResource(r)) => {
                s.insert("NotResource".into(), strings(r));
            }
            None => {}
        }
        if !self.conditions.is_empty() {
            let mut block: Map<String, Value> = Map::new();
            for c in &self.conditions {
                if let Value::Object(keys) = block
                    .entry(c.operator_name.clone())
                    .or_insert_with(|| Value::Object(Map::new()))
                {
                    keys.insert(c.key.clone(), strings(&c.values));
                }
            }
            s.insert("Condition".into(), Value::Object(block));
        }
        Value::Object(s)
    }
}

fn text_of(v: &Value) -> String {
    v.to_string()
}

fn optional_string(
    obj: &Map<String, Value>,
    key: &str,
    what: &str,
) -> Result<Option<String>, PolicyError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(PolicyError::new(format!("{what} must be a string"))),
    }
}

/// A string or a non-empty list of strings (Action, Resource, principal ids).
fn string_or_list(v: &Value, what: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => {
            if items.is_empty() {
                return Err(PolicyError::new(format!(
                    "{what} must not be an empty list"
                )));
            }
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(PolicyError::new(format!(
                        "{what} must be a string or a list of strings"
                    ))),
                })
                .collect()
        }
        _ => Err(PolicyError::new(format!(
            "{what} must be a string or a list of strings"
        ))),
    }
}

fn parse_statement(value: &Value, index: usize) -> Result<Statement, PolicyError> {
    let obj = value
        .as_object()
        .ok_or_else(|| PolicyError::new(format!("Statement {index} must be a JSON object")))?;
    for key in obj.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Principal"
                | "NotPrincipal"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Condition"
        ) {
            return Err(PolicyError::new(format!(
                "Statement {index} has unknown field {key}"
            )));
        }
    }
    let sid = optional_string(obj, "Sid", "Sid")?;
    let effect = match obj.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(other) => {
            return Err(PolicyError::new(format!(
                "Invalid effect {}: must be \"Allow\" or \"Deny\"",
                text_of(other)
            )));
        }
        None => return Err(PolicyError::new("Missing required field Effect")),
    };
    let principal = match (obj.get("Principal"), obj.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(
                "Statement cannot have both Principal and NotPrincipal",
            ));
        }
        (Some(p), None) => Some(PrincipalElement::Principal(parse_principals(p)?)),
        (None, Some(p)) => Some(PrincipalElement::NotPrincipal(parse_principals(p)?)),
        (None, None) => None,
    };
    let action = match (obj.get("Action"), obj.get("NotAction")) {
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(
                "Statement cannot have both Action and NotAction",
            ));
        }
        (Some(a), None) => ActionElement::Action(parse_actions(a, "Action")?),
        (None, Some(a)) => ActionElement::NotAction(parse_actions(a, "NotAction")?),
        (None, None) => return Err(PolicyError::new("Policy statement must contain actions.")),
    };
    let resource = match (obj.get("Resource"), obj.get("NotResource")) {
        (Some(_), Some(_)) => {
            return Err(PolicyError::new(
                "Statement cannot have both Resource and NotResource",
            ));
        }
        (Some(r), None) => Some(ResourceElement::Resource(parse_resources(r, "Resource")?)),
        (None, Some(r)) => Some(ResourceElement::NotResource(parse_resources(
            r,
            "NotResource",
        )?)),
        (None, None) => None,
    };
    let conditions = match obj.get("Condition") {
        None => Vec::new(),
        Some(c) => parse_conditions(c)?,
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}

fn parse_principals(v: &Value) -> Result<Principals, PolicyError> {
    match v {
        Value::String(s) if s == "*" => Ok(Principals::Any),
        Value::Object(map) => {
            if map.is_empty() {
                return Err(PolicyError::new("Invalid principal in policy: {}"));
            }
            let mut ids = Vec::new();
            for (kind, values) in map {
                let values = string_or_list(values, &format!("Principal {kind}"))?;
                for id in values {
                    if id.is_empty() {
                        return Err(PolicyError::new(format!(
                            "Invalid principal in policy: empty {kind} principal"
                        )));
                    }
                    ids.push(match kind.as_str() {
                        "AWS" => {
                            if !(id == "*" || is_account_id(&id) || id.starts_with("arn:")) {
                                return Err(PolicyError::new(format!(
                                    "Invalid principal in policy: \"AWS\" : \"{id}\""
                                )));
                            }
                            PrincipalId::Aws(id)
                        }
                        "Service" => PrincipalId::Service(id),
                        "Federated" => PrincipalId::Federated(id),
                        "CanonicalUser" => PrincipalId::CanonicalUser(id),
                        other => {
                            return Err(PolicyError::new(format!(
                                "Invalid principal in policy: unknown principal type {other}"
                            )));
                        }
                    });
                }
            }
            Ok(Principals::Ids(ids))
        }
        other => Err(PolicyError::new(format!(
            "Invalid principal in policy: {}",
            text_of(other)
        ))),
    }
}

pub(crate) fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_actions(v: &Value, what: &str) -> Result<Vec<String>, PolicyError> {
    let actions = string_or_list(v, what)?;
    for a in &actions {
        if a == "*" {
            continue;
        }
        match a.split_once(':') {
            Some((service, name)) if !service.is_empty() && !name.is_empty() => {}
            _ => {
                return Err(PolicyError::new(format!(
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.: {a}"
                )));
            }
        }
    }
    Ok(actions)
}

fn parse_resources(v: &Value, what: &str) -> Result<Vec<String>, PolicyError> {
    let resources = string_or_list(v, what)?;
    for r in &resources {
        if r != "*" && !r.starts_with("arn:") {
            return Err(PolicyError::new(format!(
                "Resource {r} must be in ARN format or \"*\"."
            )));
        }
    }
    Ok(resources)
}

fn parse_conditions(v: &Value) -> Result<Vec<Condition>, PolicyError> {
    let block = v
        .as_object()
        .ok_or_else(|| PolicyError::new("Condition must be a JSON object"))?;
    let mut out = Vec::new();
    for (operator_name, keys) in block {
        let (op, negated, if_exists, qualifier) = parse_operator(operator_name)?;
        let keys = keys.as_object().ok_or_else(|| {
            PolicyError::new(format!(
                "Condition operator {operator_name} must map condition keys to values"
            ))
        })?;
        if keys.is_empty() {
            return Err(PolicyError::new(format!(
                "Condition operator {operator_name} has no condition keys"
            )));
        }
        for (key, values) in keys {
            if key.is_empty() {
                return Err(PolicyError::new("Condition key must not be empty"));
            }
            let values = condition_values(values).ok_or_else(|| {
                PolicyError::new(format!(
                    "Condition {operator_name} {key}: values must be strings, numbers, booleans or a list of them"
                ))
            })?;
            if op == ConditionOp::Null
                && values
                    .iter()
                    .any(|v| !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false"))
            {
                return Err(PolicyError::new(format!(
                    "Null condition {key} must be \"true\" or \"false\""
                )));
            }
            out.push(Condition {
                operator_name: operator_name.clone(),
                op,
                negated,
                if_exists,
                qualifier,
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

fn condition_values(v: &Value) -> Option<Vec<String>> {
    fn scalar(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    match v {
        Value::Array(items) => items.iter().map(scalar).collect(),
        other => scalar(other).map(|s| vec![s]),
    }
}

/// Splits `ForAnyValue:StringNotLikeIfExists` into its parts. Operator names are matched
/// case-insensitively (an assumption: AWS documents them in this casing only).
fn parse_operator(
    name: &str,
) -> Result<(ConditionOp, bool, bool, Option<SetQualifier>), PolicyError> {
    let invalid = || PolicyError::new(format!("Invalid Condition type : {name}"));
    let mut rest = name;
    let mut qualifier = None;
    if let Some((prefix, tail)) = name.split_once(':') {
        qualifier = Some(if prefix.eq_ignore_ascii_case("ForAnyValue") {
            SetQualifier::ForAnyValue
        } else if prefix.eq_ignore_ascii_case("ForAllValues") {
            SetQualifier::ForAllValues
        } else {
            return Err(invalid());
        });
        rest = tail;
    }
    let mut if_exists = false;
    // `get` rather than indexing: a multi-byte character must not make the split panic.
    let split = rest.len().saturating_sub("IfExists".len());
    if split > 0
        && let (Some(head), Some(tail)) = (rest.get(..split), rest.get(split..))
        && tail.eq_ignore_ascii_case("IfExists")
    {
        if_exists = true;
        rest = head;
    }
    let &(_, op, negated) = OPERATORS
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(rest))
        .ok_or_else(invalid)?;
    if op == ConditionOp::Null && (if_exists || qualifier.is_some()) {
        return Err(invalid());
    }
    Ok((op, negated, if_exists, qualifier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        Policy::parse(&v).unwrap_err().message
    }

    #[test]
    fn statement_may_be_object_or_array() {
        let one = Policy::parse(&json!({"Version": "2012-10-17", "Statement":
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}))
        .unwrap();
        assert_eq!(one.statements.len(), 1);
        let two = Policy::parse(&json!({"Id": "x", "Statement": [
            {"Sid": "a", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"},
            {"Sid": "b", "Effect": "Deny", "NotAction": "s3:*", "NotResource": ["arn:aws:s3:::b"]}
        ]}))
        .unwrap();
        assert_eq!(two.version, None);
        assert_eq!(two.id.as_deref(), Some("x"));
        assert_eq!(
            two.statements[1].action,
            ActionElement::NotAction(vec!["s3:*".into()])
        );
    }

    #[test]
    fn principals_parse_every_form() {
        let p = Policy::parse(&json!({"Statement": [{"Effect": "Allow", "Action": "s3:*",
            "Resource": "*", "Principal": {"AWS": ["123456789012", "arn:aws:iam::1:role/r"],
            "Service": "cloudtrail.amazonaws.com", "Federated": "cognito-identity.amazonaws.com",
            "CanonicalUser": "abc"}}]}))
        .unwrap();
        let Some(PrincipalElement::Principal(Principals::Ids(ids))) = &p.statements[0].principal
        else {
            panic!("expected principal ids");
        };
        assert_eq!(ids.len(), 5);
        assert!(ids.contains(&PrincipalId::Service("cloudtrail.amazonaws.com".into())));
    }

    #[test]
    fn condition_operators_parse_with_qualifiers_and_if_exists() {
        let p = Policy::parse(&json!({"Statement": {"Effect": "Allow", "Action": "*",
            "Resource": "*", "Condition": {
                "ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": ["a*", "b"]},
                "NumericLessThan": {"s3:max-keys": 10},
                "Bool": {"aws:SecureTransport": true}}}}))
        .unwrap();
        let c = &p.statements[0].conditions;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].op, ConditionOp::StringLike);
        assert!(c[0].negated && c[0].if_exists);
        assert_eq!(c[0].qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(c[1].values, vec!["10"]);
        assert_eq!(c[2].values, vec!["true"]);
    }

    #[test]
    fn malformed_documents_are_rejected_with_clear_messages() {
        let cases: Vec<(Value, &str)> = vec![
            (json!([]), "must be a JSON object"),
            (
                json!({"Version": "2012-10-17"}),
                "Missing required field Statement",
            ),
            (
                json!({"Version": "2020-01-01", "Statement": []}),
                "Invalid policy Version",
            ),
            (json!({"Statement": []}), "at least one Statement"),
            (json!({"Statement": "x"}), "Statement must be an object"),
            (json!({"Statement": {}, "Extra": 1}), "unknown field Extra"),
            (
                json!({"Statement": {"Action": "s3:*", "Resource": "*"}}),
                "Missing required field Effect",
            ),
            (
                json!({"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}),
                "Invalid effect",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Resource": "*"}}),
                "must contain actions",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:*"}}),
                "both Action and NotAction",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "PutObject", "Resource": "*"}}),
                "prefaced by a vendor",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}),
                "empty list",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": [1], "Resource": "*"}}),
                "list of strings",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "bucket"}}),
                "ARN format",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "me"}}),
                "Invalid principal",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {"AWS": "bob"}}}),
                "Invalid principal",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": {"Robot": "x"}}}),
                "unknown principal type",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*", "NotPrincipal": "*"}}),
                "both Principal and NotPrincipal",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualz": {"a": "b"}}}}),
                "Invalid Condition type : StringEqualz",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"a": "b"}}}}),
                "Invalid Condition type",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals€€€": {"a": "b"}}}}),
                "Invalid Condition type",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"a": "true"}}}}),
                "Invalid Condition type",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"a": {"b": 1}}}}}),
                "values must be",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": "x"}}}),
                "must map condition keys",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Null": {"a": "maybe"}}}}),
                "\"true\" or \"false\"",
            ),
        ];
        for (doc, expected) in cases {
            let message = err(doc.clone());
            assert!(
                message.contains(expected),
                "{doc}: got {message:?}, expected it to contain {expected:?}"
            );
        }
        assert!(
            Policy::parse_str("{not json")
                .unwrap_err()
                .message
                .contains("not valid JSON")
        );
    }

    #[test]
    fn duplicate_sids_are_rejected_by_iam_but_not_resource_policies() {
        let doc = json!({"Statement": [
            {"Sid": "a", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Sid": "a", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]});
        assert!(
            Policy::parse_as(&doc, PolicyKind::Identity)
                .unwrap_err()
                .message
                .contains("must be unique")
        );
        let mut resource = doc.clone();
        for s in resource["Statement"].as_array_mut().unwrap() {
            s["Principal"] = json!("*");
        }
        assert!(Policy::parse_as(&resource, PolicyKind::Resource).is_ok());
    }

    #[test]
    fn kind_rules_apply_to_principal_and_resource() {
        let with_principal = json!({"Statement": {"Effect": "Allow", "Action": "s3:*",
            "Resource": "*", "Principal": "*"}});
        let no_principal =
            json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}});
        let trust = json!({"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "cloudtrail.amazonaws.com"}}});
        assert!(Policy::parse_as(&with_principal, PolicyKind::Resource).is_ok());
        assert!(Policy::parse_as(&no_principal, PolicyKind::Identity).is_ok());
        assert!(Policy::parse_as(&trust, PolicyKind::Trust).is_ok());
        assert_eq!(
            Policy::parse_as(&with_principal, PolicyKind::Identity)
                .unwrap_err()
                .message,
            "Policy document should not specify a principal."
        );
        assert_eq!(
            Policy::parse_as(&no_principal, PolicyKind::Resource)
                .unwrap_err()
                .message,
            "Missing required field Principal"
        );
        assert_eq!(
            Policy::parse_as(&with_principal, PolicyKind::Trust)
                .unwrap_err()
                .message,
            "Has prohibited field Resource"
        );
        assert_eq!(
            Policy::parse_as(&trust, PolicyKind::Identity)
                .unwrap_err()
                .message,
            "Policy document should not specify a principal."
        );
    }
}
