//! aws_iam_policy_document: renders an IAM policy JSON document from HCL blocks, byte for
//! byte as hashicorp/aws does (its policy model, its merge rules, and Go's encoding/json:
//! struct field order, sorted map keys, HTML-safe escaping, two-space indentation).

use serde_json::{Map, Value as Json, json};
use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, set_attr, string};

pub struct PolicyDocument {
    schema: Schema,
}

impl Default for PolicyDocument {
    fn default() -> Self {
        Self::new()
    }
}

impl PolicyDocument {
    pub fn new() -> Self {
        PolicyDocument { schema: schema() }
    }
}

fn schema() -> Schema {
    Schema::data_source("aws_iam_policy_document")
        // validation.StringInSlice([]string{"Allow", "Deny"}, false), Default "Allow"
        .attr("statement.effect", |a| {
            a.default(string("Allow"))
                .validate(Validator::OneOf(&["Allow", "Deny"]))
        })
        // validation.StringInSlice([]string{"2008-10-17", "2012-10-17"}, false)
        .attr("version", |a| {
            a.default(string("2012-10-17"))
                .validate(Validator::OneOf(&["2008-10-17", "2012-10-17"]))
        })
}

// ---------------------------------------------------------------------------------------
// The policy model (hashicorp/aws internal/service/iam/policy_model.go, re-expressed).
// ---------------------------------------------------------------------------------------

/// A string or a list of strings, as the model keeps identifiers and condition values.
#[derive(Clone, Debug, PartialEq)]
enum Strings {
    One(String),
    Many(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
struct Principal {
    kind: String,
    identifiers: Strings,
}

#[derive(Clone, Debug, PartialEq)]
struct Condition {
    test: String,
    variable: String,
    values: Strings,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Statement {
    sid: String,
    effect: String,
    /// Action, NotAction, Resource, NotResource: whatever JSON the document had (from HCL:
    /// a string or a reverse-sorted list).
    action: Option<Json>,
    not_action: Option<Json>,
    resource: Option<Json>,
    not_resource: Option<Json>,
    principals: Vec<Principal>,
    not_principals: Vec<Principal>,
    conditions: Vec<Condition>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Document {
    version: String,
    id: String,
    statements: Vec<Statement>,
}

impl Document {
    /// `IAMPolicyDoc.Merge`: adopt a non-empty Id, upgrade the Version, replace statements
    /// with the same Sid, append the others.
    fn merge(&mut self, other: Document) {
        if !other.id.is_empty() {
            self.id = other.id;
        }
        if other.version > self.version {
            self.version = other.version;
        }
        for statement in other.statements {
            if statement.sid.is_empty() {
                self.statements.push(statement);
                continue;
            }
            match self.statements.iter_mut().find(|s| s.sid == statement.sid) {
                Some(existing) => *existing = statement,
                None => self.statements.push(statement),
            }
        }
    }

    /// The document as Go marshals the model: Version, Id, Statement; empty members left out.
    fn to_json(&self) -> Json {
        let mut doc = Map::new();
        if !self.version.is_empty() {
            doc.insert("Version".into(), json!(self.version));
        }
        if !self.id.is_empty() {
            doc.insert("Id".into(), json!(self.id));
        }
        if !self.statements.is_empty() {
            doc.insert(
                "Statement".into(),
                Json::Array(self.statements.iter().map(Statement::to_json).collect()),
            );
        }
        Json::Object(doc)
    }
}

impl Statement {
    fn to_json(&self) -> Json {
        let mut s = Map::new();
        if !self.sid.is_empty() {
            s.insert("Sid".into(), json!(self.sid));
        }
        if !self.effect.is_empty() {
            s.insert("Effect".into(), json!(self.effect));
        }
        for (key, value) in [
            ("Action", &self.action),
            ("NotAction", &self.not_action),
            ("Resource", &self.resource),
            ("NotResource", &self.not_resource),
        ] {
            if let Some(v) = value.as_ref().filter(|v| !is_go_empty(v)) {
                s.insert(key.into(), v.clone());
            }
        }
        if !self.principals.is_empty() {
            s.insert("Principal".into(), principals_json(&self.principals));
        }
        if !self.not_principals.is_empty() {
            s.insert("NotPrincipal".into(), principals_json(&self.not_principals));
        }
        if !self.conditions.is_empty() {
            s.insert("Condition".into(), conditions_json(&self.conditions));
        }
        Json::Object(s)
    }
}

/// `omitempty` on an `any` field drops only nil interfaces; a decoded JSON null is nil.
fn is_go_empty(v: &Json) -> bool {
    v.is_null()
}

fn strings_json(s: &Strings) -> Json {
    match s {
        Strings::One(v) => json!(v),
        Strings::Many(v) => json!(v),
    }
}

/// `IAMPolicyStatementPrincipalSet.MarshalJSON`: `{"*": "*"}` alone renders as `"*"`; lists
/// of identifiers are sorted in reverse; types are object keys (sorted, as Go sorts maps).
fn principals_json(principals: &[Principal]) -> Json {
    if let [p] = principals
        && p.kind == "*"
    {
        let star = match &p.identifiers {
            Strings::One(s) => s == "*",
            Strings::Many(v) => v.len() == 1 && v[0] == "*",
        };
        if star {
            return json!("*");
        }
    }
    let mut raw: std::collections::BTreeMap<String, Strings> = std::collections::BTreeMap::new();
    for p in principals {
        match &p.identifiers {
            Strings::Many(ids) => {
                let mut ids = ids.clone();
                ids.sort();
                ids.reverse();
                let entry = raw
                    .entry(p.kind.clone())
                    .or_insert_with(|| Strings::Many(Vec::new()));
                if let Strings::One(existing) = entry {
                    *entry = Strings::Many(vec![existing.clone()]);
                }
                if let Strings::Many(list) = entry {
                    list.extend(ids);
                }
            }
            Strings::One(id) => match raw.get_mut(&p.kind) {
                None => {
                    raw.insert(p.kind.clone(), Strings::One(id.clone()));
                }
                Some(entry) => {
                    if let Strings::One(existing) = entry {
                        *entry = Strings::Many(vec![existing.clone()]);
                    }
                    if let Strings::Many(list) = entry {
                        list.push(id.clone());
                    }
                }
            },
        }
    }
    Json::Object(
        raw.iter()
            .map(|(k, v)| (k.clone(), strings_json(v)))
            .collect(),
    )
}

/// `IAMPolicyStatementConditionSet.MarshalJSON`: test -> variable -> values (in order),
/// a single value as a string; keys sorted as Go sorts maps.
fn conditions_json(conditions: &[Condition]) -> Json {
    use std::collections::BTreeMap;
    let mut raw: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for c in conditions {
        let values = raw
            .entry(c.test.clone())
            .or_default()
            .entry(c.variable.clone())
            .or_default();
        match &c.values {
            Strings::One(v) => values.push(v.clone()),
            Strings::Many(v) => values.extend(v.iter().cloned()),
        }
    }
    Json::Object(
        raw.into_iter()
            .map(|(test, vars)| {
                let vars: Map<String, Json> = vars
                    .into_iter()
                    .map(|(var, values)| {
                        let v = if values.len() == 1 {
                            json!(values[0])
                        } else {
                            json!(values)
                        };
                        (var, v)
                    })
                    .collect();
                (test, Json::Object(vars))
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------
// Decoding source/override documents as Go's json.Unmarshal into the model does.
// ---------------------------------------------------------------------------------------

/// The member of a JSON object whose key matches `name` case-insensitively (Go's rule;
/// an exact match wins).
fn member<'a>(obj: &'a Map<String, Json>, name: &str) -> Option<&'a Json> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn go_type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn string_member(obj: &Map<String, Json>, name: &str, owner: &str) -> Result<String, String> {
    match member(obj, name) {
        None | Some(Json::Null) => Ok(String::new()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "json: cannot unmarshal {} into Go struct field {owner}.{name} of type string",
            go_type_name(other)
        )),
    }
}

fn parse_document(text: &str) -> Result<Document, String> {
    let value: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = match value {
        Json::Object(o) => o,
        Json::Null => return Ok(Document::default()),
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type iam.IAMPolicyDoc",
                go_type_name(&other)
            ));
        }
    };
    let mut doc = Document {
        version: string_member(&obj, "Version", "IAMPolicyDoc")?,
        id: string_member(&obj, "Id", "IAMPolicyDoc")?,
        statements: Vec::new(),
    };
    match member(&obj, "Statement") {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) => {
            for item in items {
                match item {
                    Json::Object(s) => doc.statements.push(parse_statement(s)?),
                    Json::Null => doc.statements.push(Statement::default()),
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go struct field IAMPolicyDoc.Statement of type iam.IAMPolicyStatement",
                            go_type_name(other)
                        ));
                    }
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field IAMPolicyDoc.Statement of type []*iam.IAMPolicyStatement",
                go_type_name(other)
            ));
        }
    }
    Ok(doc)
}

fn parse_statement(obj: &Map<String, Json>) -> Result<Statement, String> {
    let any = |name: &str| member(obj, name).filter(|v| !v.is_null()).cloned();
    let principals = |name: &str| match member(obj, name) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(v) => parse_principals(v),
    };
    Ok(Statement {
        sid: string_member(obj, "Sid", "IAMPolicyStatement")?,
        effect: string_member(obj, "Effect", "IAMPolicyStatement")?,
        action: any("Action"),
        not_action: any("NotAction"),
        resource: any("Resource"),
        not_resource: any("NotResource"),
        principals: principals("Principal")?,
        not_principals: principals("NotPrincipal")?,
        conditions: match member(obj, "Condition") {
            None | Some(Json::Null) => Vec::new(),
            Some(v) => parse_conditions(v)?,
        },
    })
}

/// `IAMPolicyStatementPrincipalSet.UnmarshalJSON`: any string means everyone; a map's
/// lists are sorted.
fn parse_principals(v: &Json) -> Result<Vec<Principal>, String> {
    match v {
        Json::String(_) => Ok(vec![Principal {
            kind: "*".into(),
            identifiers: Strings::Many(vec!["*".into()]),
        }]),
        Json::Object(map) => {
            let mut out = Vec::new();
            for (kind, value) in map {
                let identifiers = match value {
                    Json::String(s) => Strings::One(s.clone()),
                    Json::Array(items) => {
                        let mut ids = Vec::new();
                        for (i, item) in items.iter().enumerate() {
                            let Some(s) = item.as_str() else {
                                return Err(format!(
                                    "Unsupported element type {} for IAMPolicyStatementPrincipalSet.Identifiers[{i}] (principal type \"{kind}\"): must be string",
                                    go_type_name(item)
                                ));
                            };
                            ids.push(s.to_string());
                        }
                        ids.sort();
                        Strings::Many(ids)
                    }
                    other => {
                        return Err(format!(
                            "Unsupported data type {} for IAMPolicyStatementPrincipalSet.Identifiers",
                            go_type_name(other)
                        ));
                    }
                };
                out.push(Principal {
                    kind: kind.clone(),
                    identifiers,
                });
            }
            Ok(out)
        }
        other => Err(format!(
            "Unsupported data type {} for IAMPolicyStatementPrincipalSet",
            go_type_name(other)
        )),
    }
}

/// `IAMPolicyStatementConditionSet.UnmarshalJSON`: strings and booleans become values,
/// lists keep their order; other value types are dropped, as the model drops them.
fn parse_conditions(v: &Json) -> Result<Vec<Condition>, String> {
    let Json::Object(tests) = v else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]map[string]interface {{}}",
            go_type_name(v)
        ));
    };
    let mut out = Vec::new();
    for (test, vars) in tests {
        let vars = match vars {
            Json::Object(m) => m,
            Json::Null => continue,
            other => {
                return Err(format!(
                    "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    go_type_name(other)
                ));
            }
        };
        for (variable, values) in vars {
            let values = match values {
                Json::String(s) => Strings::Many(vec![s.clone()]),
                Json::Bool(b) => Strings::One(b.to_string()),
                Json::Array(items) => {
                    let mut list = Vec::new();
                    for item in items {
                        let Some(s) = item.as_str() else {
                            return Err(format!(
                                "condition {test} {variable}: unsupported value type {}",
                                go_type_name(item)
                            ));
                        };
                        list.push(s.to_string());
                    }
                    Strings::Many(list)
                }
                _ => continue,
            };
            out.push(Condition {
                test: test.clone(),
                variable: variable.clone(),
                values,
            });
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// From the HCL configuration.
// ---------------------------------------------------------------------------------------

/// `policyDecodeConfigStrings`: one element as a string, more sorted in reverse.
fn decode_config_strings(mut items: Vec<String>) -> Strings {
    if items.len() == 1 {
        return Strings::One(items.remove(0));
    }
    items.sort();
    items.reverse();
    Strings::Many(items)
}

/// `&{` stands for `${` (Terraform would interpolate `${`); not allowed in 2008-10-17.
fn replace_vars(s: Strings, version: &str) -> Result<Strings, String> {
    let one = |v: String| {
        if version == "2008-10-17" && v.contains("&{") {
            Err(format!(
                "found &{{ sequence in ({v}), which is not supported in document version 2008-10-17"
            ))
        } else {
            Ok(v.replace("&{", "${"))
        }
    };
    Ok(match s {
        Strings::One(v) => Strings::One(one(v)?),
        Strings::Many(v) => Strings::Many(v.into_iter().map(one).collect::<Result<_, _>>()?),
    })
}

fn to_json_strings(s: Strings) -> Json {
    strings_json(&s)
}

fn config_principals(blocks: &Value, version: &str) -> Result<Vec<Principal>, String> {
    let mut out: Vec<Principal> = Vec::new();
    for block in blocks.items() {
        let identifiers = decode_config_strings(block.attr("identifiers").strings());
        out.push(Principal {
            kind: block.attr("type").str_opt().unwrap_or_default().to_string(),
            identifiers: replace_vars(identifiers, version)?,
        });
    }
    // Set elements have no order of their own; render them in a stable one.
    out.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| format!("{:?}", a.identifiers).cmp(&format!("{:?}", b.identifiers)))
    });
    Ok(out)
}

fn config_conditions(blocks: &Value, version: &str) -> Result<Vec<Condition>, String> {
    let mut out: Vec<Condition> = Vec::new();
    for block in blocks.items() {
        let values: Vec<String> = block
            .attr("values")
            .items()
            .iter()
            .map(|v| v.str_opt().unwrap_or_default().to_string())
            .collect();
        let values = match replace_vars(Strings::Many(values), version)? {
            Strings::Many(mut v) if v.len() == 1 => Strings::One(v.remove(0)),
            other => other,
        };
        out.push(Condition {
            test: block.attr("test").str_opt().unwrap_or_default().to_string(),
            variable: block
                .attr("variable")
                .str_opt()
                .unwrap_or_default()
                .to_string(),
            values,
        });
    }
    out.sort_by(|a, b| {
        (a.test.as_str(), a.variable.as_str())
            .cmp(&(b.test.as_str(), b.variable.as_str()))
            .then_with(|| format!("{:?}", a.values).cmp(&format!("{:?}", b.values)))
    });
    Ok(out)
}

fn config_string_set(block: &Value, name: &str) -> Option<Strings> {
    let items = block.attr(name).strings();
    (!items.is_empty()).then(|| decode_config_strings(items))
}

/// The merged document for a configuration, or the error hashicorp/aws reports.
fn build(config: &Value) -> Result<Document, String> {
    for name in ["override_json", "source_json"] {
        if config.attr(name).str_opt().is_some_and(|s| !s.is_empty()) {
            return Err(format!(
                "expected \"{name}\" to be an empty string (the argument is no longer used)"
            ));
        }
    }
    let mut merged = Document::default();
    let mut source_sids = std::collections::HashSet::new();
    for (index, source) in config
        .attr("source_policy_documents")
        .items()
        .iter()
        .enumerate()
    {
        let Some(text) = source.str_opt() else {
            continue;
        };
        let doc = parse_document(text).map_err(|e| {
            format!("writing IAM Policy Document: merging source document {index}: {e}")
        })?;
        for (stmt_index, stmt) in doc.statements.iter().enumerate() {
            if !stmt.sid.is_empty() && !source_sids.insert(stmt.sid.clone()) {
                return Err(format!(
                    "writing IAM Policy Document: merging source document {index}: duplicate Sid ({}) in source_policy_documents (statement {stmt_index}). Remove the Sid or ensure Sids are unique.",
                    stmt.sid
                ));
            }
        }
        merged.merge(doc);
    }

    let version = config
        .attr("version")
        .str_opt()
        .unwrap_or("2012-10-17")
        .to_string();
    let mut doc = Document {
        version: version.clone(),
        id: config
            .attr("policy_id")
            .str_opt()
            .unwrap_or_default()
            .to_string(),
        statements: Vec::new(),
    };
    let mut sids = std::collections::HashSet::new();
    for block in config.attr("statement").items() {
        let sid = block.attr("sid").str_opt().unwrap_or_default().to_string();
        // No character check: hashicorp/aws added one in 5.82 and removed it in 5.84.0
        // (AWS's own default key policy Sid is "Enable IAM User Permissions").
        if sids.contains(&sid) {
            return Err(format!(
                "writing IAM Policy Document: duplicate Sid ({sid}). Remove the Sid or ensure the Sid is unique."
            ));
        }
        if !sid.is_empty() {
            sids.insert(sid.clone());
        }
        let mut stmt = Statement {
            sid,
            effect: block
                .attr("effect")
                .str_opt()
                .unwrap_or("Allow")
                .to_string(),
            ..Default::default()
        };
        stmt.action = config_string_set(block, "actions").map(to_json_strings);
        stmt.not_action = config_string_set(block, "not_actions").map(to_json_strings);
        if let Some(r) = config_string_set(block, "resources") {
            stmt.resource = Some(to_json_strings(
                replace_vars(r, &version).map_err(|e| format!("reading resources: {e}"))?,
            ));
        }
        if let Some(r) = config_string_set(block, "not_resources") {
            stmt.not_resource = Some(to_json_strings(
                replace_vars(r, &version).map_err(|e| format!("reading not_resources: {e}"))?,
            ));
        }
        stmt.principals = config_principals(block.attr("principals"), &version)
            .map_err(|e| format!("reading principals: reading identifiers: {e}"))?;
        stmt.not_principals = config_principals(block.attr("not_principals"), &version)
            .map_err(|e| format!("reading not_principals: reading identifiers: {e}"))?;
        stmt.conditions = config_conditions(block.attr("condition"), &version)
            .map_err(|e| format!("reading condition: reading values: {e}"))?;
        doc.statements.push(stmt);
    }
    merged.merge(doc);

    for (index, source) in config
        .attr("override_policy_documents")
        .items()
        .iter()
        .enumerate()
    {
        let Some(text) = source.str_opt() else {
            continue;
        };
        let doc = parse_document(text).map_err(|e| {
            format!("writing IAM Policy Document: merging override document {index}: {e}")
        })?;
        merged.merge(doc);
    }
    Ok(merged)
}

/// The rendered document: (json, minified_json, id). The id is the CRC-32 of the JSON, as
/// `create.StringHashcode` computes it.
pub fn render(config: &Value) -> Result<(String, String, String), String> {
    let doc = build(config)?.to_json();
    let pretty = go_json(&doc, true);
    let minified = go_json(&doc, false);
    let id = crc32(pretty.as_bytes()).to_string();
    Ok((pretty, minified, id))
}

impl DataSource for PolicyDocument {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy_document"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, _ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let (pretty, minified, id) = render(config).map_err(|e| vec![Diag::error(e)])?;
        let mut out = config.clone();
        if out.attr("version").str_opt().is_none() {
            set_attr(&mut out, "version", string("2012-10-17"));
        }
        let statements: Vec<Value> = out
            .attr("statement")
            .items()
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if s.attr("effect").str_opt().is_none() {
                    set_attr(&mut s, "effect", string("Allow"));
                }
                s
            })
            .collect();
        if matches!(out.attr("statement"), Value::List(_)) {
            set_attr(&mut out, "statement", Value::List(statements));
        }
        set_attr(&mut out, "json", string(pretty));
        set_attr(&mut out, "minified_json", string(minified));
        set_attr(&mut out, "id", string(id));
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------
// Go's encoding/json output.
// ---------------------------------------------------------------------------------------

/// JSON as Go's `json.Marshal` (compact) or `json.MarshalIndent(v, "", "  ")` writes it,
/// object members in the order given: `<`, `>`, `&`, U+2028 and U+2029 escaped.
pub fn go_json(value: &Json, indent: bool) -> String {
    let mut out = String::new();
    write_value(&mut out, value, indent, 0);
    out
}

/// `structure.NormalizeJsonString`: a JSON text decoded and re-encoded by Go (object keys
/// sorted, compact). Invalid JSON is returned unchanged with the parse error.
pub fn normalize_json(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Ok(String::new());
    }
    let value: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(go_json(&sort_keys(&value), false))
}

/// A copy of the value with every object's keys in byte order (as Go marshals maps).
pub fn sort_keys(value: &Json) -> Json {
    match value {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Json::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sort_keys(&m[k])))
                    .collect(),
            )
        }
        Json::Array(a) => Json::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

fn newline(out: &mut String, indent: bool, depth: usize) {
    if indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn write_value(out: &mut String, value: &Json, indent: bool, depth: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&go_number(n)),
        Json::String(s) => write_string(out, s),
        Json::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_value(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Json::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write_string(out, k);
                out.push(':');
                if indent {
                    out.push(' ');
                }
                write_value(out, v, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// A number as Go writes a float64: integers without a fraction, exponent form outside
/// [1e-6, 1e21).
fn go_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        // Go: at least two exponent digits, with a sign.
        if let Some((mantissa, exp)) = s.split_once('e') {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
        s
    } else if f.fract() == 0.0 && abs < 1e21 {
        format!("{}", f as i128)
    } else {
        format!("{f}")
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// CRC-32 (IEEE), as Go's `hash/crc32.ChecksumIEEE`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests;
