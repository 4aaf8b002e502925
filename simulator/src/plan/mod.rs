//! Terraform configurations as data: one generic form (resources with their Terraform
//! attributes) loaded from a directory of `.tf` files ([`hcl`]), from `terraform show -json`
//! plan or state output ([`planjson`]), or from the live simulator ([`live`]). The compliance
//! model (`crate::compliance`) is built from this form, so every input is judged by the same
//! code.
//!
//! A value that cannot be known (a computed attribute, a variable without default, a data
//! source read at apply time) is never guessed: it is an *unknown* marker object
//! `{"$unknown": {"expr": ..., "at": ..., "ref": ...}}` that says which expression it came
//! from, where, and which resource it refers to when it is a reference.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value, json};

pub mod diff;
pub mod hcl;
pub mod live;
pub mod planjson;
pub mod policy_document;
pub mod snapshot;

/// The key of the unknown marker object.
pub const UNKNOWN: &str = "$unknown";
/// The key under which the live loader puts runtime facts: a trail's GetTrailStatus, an
/// event data store's status, an alarm's state.
pub const RUNTIME: &str = "$runtime";

/// Managed resource or data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// One resource instance with its attributes in Terraform form (`s3_bucket_name`,
/// `event_selector = [{...}]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// Terraform address, e.g. `module.audit.aws_cloudtrail.this` or `aws_s3_bucket.w["a"]`.
    pub address: String,
    pub mode: Mode,
    #[serde(rename = "type")]
    pub rtype: String,
    /// Where it is defined: `main.tf:12`, the plan file, or `live`.
    pub location: String,
    pub attrs: Value,
}

impl Resource {
    /// An attribute (top level).
    pub fn attr(&self, name: &str) -> Option<&Value> {
        self.attrs.get(name)
    }
}

/// A value that could not be resolved, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Unresolved {
    /// The expression as written (or the attribute path, for plan unknowns).
    pub expr: String,
    /// `file:line` (HCL), `plan` or `live`.
    pub at: String,
    pub reason: String,
}

/// What the input was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "lowercase")]
pub enum Origin {
    Hcl(PathBuf),
    Plan(PathBuf),
    Live,
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Hcl(p) => format!("HCL {}", p.display()),
            Origin::Plan(p) => format!("plan {}", p.display()),
            Origin::Live => "live simulator".to_string(),
        }
    }
}

/// A loaded configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    pub origin: Origin,
    pub resources: Vec<Resource>,
    /// Every value that could not be resolved (sorted, deduplicated).
    pub unresolved: Vec<Unresolved>,
    /// The default provider region, when the input states it.
    pub region: Option<String>,
}

impl Config {
    pub fn managed<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources
            .iter()
            .filter(move |r| r.mode == Mode::Managed && r.rtype == rtype)
    }

    pub(crate) fn finish(mut self) -> Self {
        self.resources.sort_by(|a, b| a.address.cmp(&b.address));
        self.unresolved.sort();
        self.unresolved.dedup();
        self
    }
}

/// Errors loading an input: these are usage/input errors (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{path}: HCL syntax: {message}")]
    Syntax { path: String, message: String },
    #[error("{path}: not `terraform show -json` output: {message}")]
    PlanFormat { path: String, message: String },
    #[error("{0}")]
    Other(String),
}

/// An unknown marker.
pub fn unknown(expr: &str, at: &str, reference: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("expr".into(), Value::String(expr.to_string()));
    m.insert("at".into(), Value::String(at.to_string()));
    if let Some(r) = reference {
        m.insert("ref".into(), Value::String(r.to_string()));
    }
    json!({ UNKNOWN: Value::Object(m) })
}

/// The marker's details when `v` is unknown.
pub fn as_unknown(v: &Value) -> Option<&Map<String, Value>> {
    v.as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.get(UNKNOWN))
        .and_then(Value::as_object)
}

pub fn is_unknown(v: &Value) -> bool {
    as_unknown(v).is_some()
}

/// The resource address an unknown value refers to, if it is a reference.
pub fn unknown_ref(v: &Value) -> Option<&str> {
    as_unknown(v)
        .and_then(|m| m.get("ref"))
        .and_then(Value::as_str)
}

/// Whether `v` is an unknown the configuration does not set (a provider-computed attribute).
pub fn is_computed_only(v: &Value) -> bool {
    as_unknown(v).is_some_and(|m| m.get("computed") == Some(&Value::Bool(true)))
}

/// Whether `v` contains an unknown anywhere.
pub fn contains_unknown(v: &Value) -> bool {
    match v {
        Value::Object(o) => is_unknown(v) || o.values().any(contains_unknown),
        Value::Array(a) => a.iter().any(contains_unknown),
        _ => false,
    }
}

/// The first unknown inside `v`, for reasons.
pub fn first_unknown(v: &Value) -> Option<&Value> {
    if is_unknown(v) {
        return Some(v);
    }
    match v {
        Value::Object(o) => o.values().find_map(first_unknown),
        Value::Array(a) => a.iter().find_map(first_unknown),
        _ => None,
    }
}

/// `expr (at)` of an unknown, for messages.
pub fn describe_unknown(v: &Value) -> String {
    match as_unknown(v) {
        Some(m) => {
            let expr = m.get("expr").and_then(Value::as_str).unwrap_or("?");
            let at = m.get("at").and_then(Value::as_str).unwrap_or("?");
            format!("{expr} ({at})")
        }
        None => "?".to_string(),
    }
}

/// What to load, as the command line names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Dir(PathBuf),
    Plan(PathBuf),
    Live,
}

impl InputSpec {
    /// `live`, a directory, or a file (plan/state JSON).
    pub fn parse(text: &str) -> InputSpec {
        if text == "live" {
            return InputSpec::Live;
        }
        let p = Path::new(text);
        if p.is_dir() {
            InputSpec::Dir(p.to_path_buf())
        } else {
            InputSpec::Plan(p.to_path_buf())
        }
    }
}
