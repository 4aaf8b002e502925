//! `terraform show -json` output, of a saved plan (`planned_values`, `resource_changes`,
//! `prior_state`, `configuration`) or of a state (`values`), in the generic form.
//!
//! Planned values omit what is unknown until apply; `after_unknown` says where those are,
//! and the configuration's `references` say which resource an unknown came from (the link
//! from a trail to its bucket when the bucket's id is computed). Data sources deferred to
//! apply (an `aws_iam_policy_document` whose resources are computed ARNs) are rebuilt from
//! their configuration expressions, keeping the constant parts.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::{Config, LoadError, Mode, Origin, Resource, Unresolved, policy_document, unknown};

/// Loads a plan or state JSON file.
pub fn load_file(path: &Path) -> Result<Config, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| LoadError::PlanFormat {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    from_value(&doc, path)
}

/// Builds the configuration from a parsed `terraform show -json` document.
pub fn from_value(doc: &Value, path: &Path) -> Result<Config, LoadError> {
    let bad = |m: &str| LoadError::PlanFormat {
        path: path.display().to_string(),
        message: m.to_string(),
    };
    if doc.get("format_version").and_then(Value::as_str).is_none() {
        return Err(bad("no format_version"));
    }
    let at = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "plan".into());
    let planned = doc
        .get("planned_values")
        .or_else(|| doc.get("values"))
        .and_then(|v| v.get("root_module"))
        .ok_or_else(|| bad("neither planned_values nor values"))?;
    let mut found: BTreeMap<String, Value> = BTreeMap::new();
    walk_module(planned, &mut found);
    // Data sources read during planning live in prior_state.
    if let Some(prior) = doc
        .get("prior_state")
        .and_then(|p| p.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        let mut prior_found = BTreeMap::new();
        walk_module(prior, &mut prior_found);
        for (addr, r) in prior_found {
            if r.get("mode").and_then(Value::as_str) == Some("data") {
                found.entry(addr).or_insert(r);
            }
        }
    }
    let changes: BTreeMap<&str, &Value> = doc
        .get("resource_changes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get("address")?.as_str()?, c)))
        .collect();
    let mut config_resources: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(root) = doc.get("configuration").and_then(|c| c.get("root_module")) {
        walk_config(root, "", &mut config_resources);
    }

    let mut resources = Vec::new();
    let mut unresolved = Vec::new();
    for (addr, r) in &found {
        let mode = match r.get("mode").and_then(Value::as_str) {
            Some("data") => Mode::Data,
            _ => Mode::Managed,
        };
        let rtype = r
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut attrs = r
            .get("values")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let module_prefix = module_prefix(addr);
        let cfg = config_resources.get(&config_address(addr));
        if let Some(change) = changes.get(addr.as_str())
            && let Some(au) = change.get("change").and_then(|c| c.get("after_unknown"))
        {
            overlay_unknown(&mut attrs, au, "", addr, cfg, &module_prefix, &at);
        }
        if mode == Mode::Data && rtype == "aws_iam_policy_document" {
            let known = attrs.get("json").and_then(Value::as_str).is_some();
            if !known {
                if let Some(cfg) = cfg {
                    let rebuilt = from_expressions(cfg.get("expressions"), &module_prefix, &at);
                    if let (Value::Object(o), Value::Object(e)) = (&mut attrs, rebuilt) {
                        for (k, v) in e {
                            o.insert(k, v);
                        }
                    }
                }
                let rendered = policy_document::render(&attrs);
                if let Value::Object(o) = &mut attrs {
                    o.insert("json".into(), rendered);
                }
            }
        }
        if mode == Mode::Managed {
            note_unknowns(&attrs, addr, &mut unresolved);
        }
        resources.push(Resource {
            address: addr.clone(),
            mode,
            rtype,
            location: at.clone(),
            attrs,
        });
    }
    // Deferred data sources have no planned value at all: rebuild policy documents.
    for (addr, cfg) in &config_resources {
        let is_doc = cfg.get("mode").and_then(Value::as_str) == Some("data")
            && cfg.get("type").and_then(Value::as_str) == Some("aws_iam_policy_document");
        if !is_doc || found.contains_key(addr) {
            continue;
        }
        let mut attrs = from_expressions(cfg.get("expressions"), &module_prefix(addr), &at);
        let rendered = policy_document::render(&attrs);
        if let Value::Object(o) = &mut attrs {
            o.insert("json".into(), rendered);
        }
        resources.push(Resource {
            address: addr.clone(),
            mode: Mode::Data,
            rtype: "aws_iam_policy_document".into(),
            location: at.clone(),
            attrs,
        });
    }
    let region = doc
        .pointer("/configuration/provider_config/aws/expressions/region/constant_value")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Config {
        origin: Origin::Plan(path.to_path_buf()),
        resources,
        unresolved,
        region,
    }
    .finish())
}

fn walk_module(m: &Value, out: &mut BTreeMap<String, Value>) {
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(a) = r.get("address").and_then(Value::as_str) {
            out.insert(a.to_string(), r.clone());
        }
    }
    for c in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        walk_module(c, out);
    }
}

/// Configuration resources by address (`module.a.aws_x.y`), modules expanded.
fn walk_config(m: &Value, prefix: &str, out: &mut BTreeMap<String, Value>) {
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(a) = r.get("address").and_then(Value::as_str) {
            out.insert(format!("{prefix}{a}"), r.clone());
        }
    }
    if let Some(calls) = m.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            if let Some(module) = call.get("module") {
                walk_config(module, &format!("{prefix}module.{name}."), out);
            }
        }
    }
}

/// `module.a.aws_x.y["k"]` -> `module.a.aws_x.y` (configuration addresses have no keys).
fn config_address(addr: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in addr.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `module.a.module.b.aws_x.y` -> `module.a.module.b.`
fn module_prefix(addr: &str) -> String {
    let parts: Vec<&str> = addr.split('.').collect();
    let mut out = String::new();
    let mut i = 0;
    while i + 1 < parts.len() && parts[i] == "module" {
        out.push_str("module.");
        // Strip an instance key from the module name.
        out.push_str(parts[i + 1].split('[').next().unwrap_or_default());
        out.push('.');
        i += 2;
    }
    out
}

/// The resource a configuration expression refers to (`aws_s3_bucket.logs`), if any.
fn resource_ref(expr: Option<&Value>, prefix: &str) -> Option<String> {
    let refs = expr?.get("references")?.as_array()?;
    refs.iter()
        .filter_map(Value::as_str)
        .filter(|r| !r.starts_with("var.") && !r.starts_with("local.") && !r.starts_with("each."))
        .filter(|r| !r.starts_with("count.") && !r.starts_with("path."))
        .map(|r| {
            let n = if r.starts_with("data.") { 3 } else { 2 };
            let parts: Vec<&str> = r.split('.').take(n).collect();
            format!("{prefix}{}", config_address(&parts.join(".")))
        })
        .next()
}

/// Marks unknown leaves (`after_unknown: true`) in the attributes.
fn overlay_unknown(
    attrs: &mut Value,
    au: &Value,
    path: &str,
    addr: &str,
    cfg: Option<&Value>,
    prefix: &str,
    at: &str,
) {
    match au {
        Value::Bool(true) => {
            let top = path.split(['.', '[']).next().unwrap_or_default();
            let expr = cfg
                .and_then(|c| c.get("expressions"))
                .and_then(|e| e.get(top));
            let r = resource_ref(expr, prefix);
            *attrs = unknown(&format!("{addr}.{path}"), at, r.as_deref());
            // Not in the configuration at all: a value only the provider sets.
            if cfg.is_some()
                && expr.is_none()
                && let Some(m) = attrs.get_mut(super::UNKNOWN).and_then(Value::as_object_mut)
            {
                m.insert("computed".into(), Value::Bool(true));
            }
        }
        Value::Object(o) => {
            if !attrs.is_object() {
                *attrs = Value::Object(Map::new());
            }
            for (k, v) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(slot) = attrs.as_object_mut() {
                    let child = slot.entry(k.clone()).or_insert(Value::Null);
                    overlay_unknown(child, v, &p, addr, cfg, prefix, at);
                }
            }
        }
        Value::Array(a) => {
            if !attrs.is_array() {
                *attrs = Value::Array(Vec::new());
            }
            if let Some(list) = attrs.as_array_mut() {
                while list.len() < a.len() {
                    list.push(Value::Null);
                }
                for (i, v) in a.iter().enumerate() {
                    overlay_unknown(
                        &mut list[i],
                        v,
                        &format!("{path}[{i}]"),
                        addr,
                        cfg,
                        prefix,
                        at,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Configuration `expressions` as attribute values: constants kept, references unknown.
fn from_expressions(exprs: Option<&Value>, prefix: &str, at: &str) -> Value {
    let Some(Value::Object(e)) = exprs else {
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (k, v) in e {
        out.insert(k.clone(), expression_value(v, prefix, at));
    }
    Value::Object(out)
}

fn expression_value(v: &Value, prefix: &str, at: &str) -> Value {
    match v {
        // A nested block: a list of expression maps.
        Value::Array(blocks) => Value::Array(
            blocks
                .iter()
                .map(|b| from_expressions(Some(b), prefix, at))
                .collect(),
        ),
        Value::Object(o) => {
            if let Some(c) = o.get("constant_value") {
                return c.clone();
            }
            let r = resource_ref(Some(v), prefix);
            let text = o
                .get("references")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .unwrap_or("expression");
            unknown(text, at, r.as_deref())
        }
        other => other.clone(),
    }
}

fn note_unknowns(v: &Value, path: &str, out: &mut Vec<Unresolved>) {
    if let Some(m) = super::as_unknown(v) {
        let reason = match m.get("ref").and_then(Value::as_str) {
            Some(r) => format!("{path}: known only after {r} is applied"),
            None => format!("{path}: known after apply"),
        };
        out.push(Unresolved {
            expr: m
                .get("expr")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .into(),
            at: m
                .get("at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .into(),
            reason,
        });
        return;
    }
    match v {
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| note_unknowns(x, &format!("{path}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| note_unknowns(x, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_addresses_drop_instance_keys() {
        assert_eq!(
            config_address("module.a[0].aws_s3_bucket.w[\"x.y\"]"),
            "module.a.aws_s3_bucket.w"
        );
        assert_eq!(
            module_prefix("module.a.module.b.aws_x.y"),
            "module.a.module.b."
        );
        assert_eq!(module_prefix("aws_x.y"), "");
    }

    #[test]
    fn a_document_without_format_version_is_refused() {
        let err = from_value(&serde_json::json!({"a": 1}), Path::new("p.json")).unwrap_err();
        assert!(err.to_string().contains("format_version"), "{err}");
    }
}
