//! Completing a generic object: what the configuration leaves unset and the type computes
//! gets a value, from the type tables where they know AWS's format, else by the documented
//! derivations (docs/generic.md). Configured values are never changed; on update, computed
//! values the configuration does not set keep what the object had.

use serde_json::{Map, Value, json};

use super::tables::{self, Table, type_facts};
use super::template::{Scope, partition_of};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::reference::{RawAttribute, RawBlock};
use crate::services::{Env, id_seed};

/// Types whose one object per account (and region) is a setting, not a thing: creating
/// it again overwrites it, as the AWS "Put"/"Enable" calls behind them do.
pub fn is_singleton(type_name: &str) -> bool {
    let facts_id = type_facts(type_name).and_then(|f| f.id.as_deref());
    match facts_id {
        // An id with nothing object-specific in it (`{account}`, a constant) names the
        // account's one setting.
        Some(id) => !["{hex", "{digits", "{alnum", "{uuid", "{attr:"]
            .iter()
            .any(|p| id.contains(p)),
        // Without a table entry: an account or regional setting by its name (no required
        // argument, no name, and a name that says so); anything else can have many objects.
        None => {
            const SETTING_WORDS: &[&str] = &[
                "_account",
                "account_",
                "_by_default",
                "_default_",
                "password_policy",
                "_settings",
                "_enabler",
                "_preferences",
                "_registration",
            ];
            SETTING_WORDS.iter().any(|w| type_name.contains(w))
                && crate::reference::raw_schema(crate::reference::Kind::Resource, type_name)
                    .is_some_and(|s| {
                        !s.block.attributes.values().any(|a| a.required)
                            && !s.block.block_types.values().any(|b| b.min_items > 0)
                            && !s.block.attributes.contains_key("name")
                    })
        }
    }
}

fn scope<'a>(
    env: &Env<'_>,
    ctx: &'a CallerContext,
    type_name: &str,
    config: &'a Value,
) -> Result<Scope<'a>, AwsError> {
    let n = env.db.next_counter(&format!("generic.{type_name}"))?;
    Ok(Scope {
        account: &ctx.account_id,
        region: &ctx.region,
        partition: partition_of(&ctx.region),
        id: None,
        config,
        seed: format!("{}:{type_name}:{n}", id_seed(env)?),
    })
}

/// The complete state of a resource from its configuration (and, on update, its prior state).
pub fn complete(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    block: &RawBlock<'static>,
    config: &Value,
    prior: Option<&Value>,
) -> Result<Value, AwsError> {
    let mut state = match config {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    // Computed values the configuration leaves unset keep what the object had.
    if let Some(Value::Object(p)) = prior {
        for (name, attr) in &block.attributes {
            if attr.computed
                && state.get(*name).is_none_or(Value::is_null)
                && let Some(v) = p.get(*name)
            {
                state.insert(name.to_string(), v.clone());
            }
        }
    }
    let facts = type_facts(type_name);
    let mut with_name = Value::Object(state.clone());
    generate_name(env, block, &mut with_name, type_name)?;
    let Value::Object(mut state) = with_name else {
        return Err(AwsError::internal("state is an object"));
    };
    let config_now = Value::Object(state.clone());
    let mut scope = scope(env, ctx, type_name, &config_now)?;
    let id = match state
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(id) => id.to_string(),
        None => match facts.and_then(|f| f.id.as_deref()) {
            Some(t) => scope.render(t),
            None => derived_id(&scope, type_name, block, &config_now),
        },
    };
    state.insert("id".into(), json!(id));
    let id_for_scope = id.clone();
    scope.id = Some(&id_for_scope);
    if let Some(a) = block.attributes.get("arn")
        && a.computed
        && state.get("arn").is_none_or(Value::is_null)
    {
        let arn = match facts.and_then(|f| f.arn.as_deref()) {
            Some(t) => scope.render(t),
            None => derived_arn(&scope, type_name, &id),
        };
        state.insert("arn".into(), json!(arn));
    }
    if let Some(f) = facts {
        for (name, template) in &f.computed {
            if block
                .attributes
                .get(name.as_str())
                .is_some_and(|a| a.computed)
                && state.get(name).is_none_or(Value::is_null)
            {
                state.insert(name.clone(), json!(scope.render(template)));
            }
        }
    }
    fill_block(&scope, block, &mut state, env);
    Ok(Value::Object(state))
}

/// `name` unset with a `name_prefix` beside it: hashicorp/aws's `id.PrefixedUniqueId`
/// (the prefix, or "terraform-", then a timestamp and a counter: 26 characters).
fn generate_name(
    env: &Env<'_>,
    block: &RawBlock<'static>,
    state: &mut Value,
    type_name: &str,
) -> Result<(), AwsError> {
    let has = |n: &str| block.attributes.get(n).is_some_and(|a| a.computed);
    if !(has("name") && block.attributes.contains_key("name_prefix") && state["name"].is_null()) {
        return Ok(());
    }
    let prefix = state["name_prefix"]
        .as_str()
        .unwrap_or("terraform-")
        .to_string();
    let n = env.db.next_counter(&format!("generic.name.{type_name}"))?;
    let name = format!("{prefix}{}{n:08x}", env.now.format("%Y%m%d%H%M%S%4f"));
    state["name"] = json!(name);
    if state["name_prefix"].is_null()
        && block
            .attributes
            .get("name_prefix")
            .is_some_and(|a| a.computed)
    {
        state["name_prefix"] = json!(prefix);
    }
    Ok(())
}

/// The id of a type the tables do not describe (docs/generic.md): its name; else its one
/// required `*_name`; else, for attachments and associations, its required arguments joined
/// by "/"; else the account for account-level settings; else a UUID.
fn derived_id(
    scope: &Scope<'_>,
    type_name: &str,
    block: &RawBlock<'static>,
    config: &Value,
) -> String {
    if let Some(name) = config["name"].as_str().filter(|s| !s.is_empty()) {
        return name.to_string();
    }
    let required: Vec<&str> = block
        .attributes
        .iter()
        .filter(|(_, a)| a.required)
        .map(|(n, _)| *n)
        .collect();
    let named: Vec<&&str> = required.iter().filter(|n| n.ends_with("_name")).collect();
    if let [one] = named.as_slice()
        && let Some(v) = config[**one].as_str()
    {
        return v.to_string();
    }
    let joins = ["_attachment", "_association", "_membership", "_assignment"];
    if joins.iter().any(|j| type_name.ends_with(j)) && (1..=3).contains(&required.len()) {
        let parts: Vec<String> = required
            .iter()
            .map(|n| match &config[*n] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        return parts.join("/");
    }
    if is_singleton(type_name) {
        return scope.account.to_string();
    }
    scope.render("{uuid}")
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:kebab-noun/ID` (no region for global services).
fn derived_arn(scope: &Scope<'_>, type_name: &str, id: &str) -> String {
    let ops = tables::operations_of(Table::Resource, type_name);
    let (service, noun) = tables::service_and_noun(type_name, ops.event_source.as_deref());
    let region = if super::is_global(type_name) {
        ""
    } else {
        scope.region
    };
    let mut kebab = String::new();
    for (i, c) in noun.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            kebab.push('-');
        }
        kebab.push(c.to_ascii_lowercase());
    }
    format!(
        "arn:{}:{service}:{region}:{}:{kebab}/{id}",
        scope.partition, scope.account
    )
}

/// Fills the computed attributes still unset in one block (and its nested blocks).
fn fill_block(
    scope: &Scope<'_>,
    block: &RawBlock<'static>,
    state: &mut Map<String, Value>,
    env: &Env<'_>,
) {
    for (name, attr) in &block.attributes {
        if !attr.computed || !state.get(*name).is_none_or(Value::is_null) {
            continue;
        }
        if *name == "tags_all" || *name == "region" {
            continue; // planned by the provider from tags and the provider region
        }
        state.insert(name.to_string(), computed_value(scope, name, attr, env));
    }
    for (name, nested) in &block.block_types {
        match state.get_mut(*name) {
            Some(Value::Array(items)) => {
                for item in items.iter_mut() {
                    if let Value::Object(m) = item {
                        fill_block(scope, &nested.block, m, env);
                    }
                }
            }
            Some(Value::Object(m)) => fill_block(scope, &nested.block, m, env),
            _ => {}
        }
    }
}

/// A computed value nothing else decides: names every AWS object has, else the type's zero.
fn computed_value(scope: &Scope<'_>, name: &str, attr: &RawAttribute<'_>, env: &Env<'_>) -> Value {
    match name {
        "owner_id" | "account_id" | "owner_account_id" | "registry_id" => {
            return json!(scope.account);
        }
        "create_date" | "creation_date" | "created_at" | "created_time" | "creation_time"
        | "created_date" | "last_modified" | "last_modified_date" | "last_updated_date" => {
            return json!(env.now.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        _ => {}
    }
    zero(&serde_json::from_str(attr.ty.get()).unwrap_or_default())
}

/// The zero of a cty type: "", 0, false, empty collections, null objects.
pub fn zero(ty: &Value) -> Value {
    match ty {
        Value::String(s) => match s.as_str() {
            "string" => json!(""),
            "number" => json!(0),
            "bool" => json!(false),
            _ => Value::Null,
        },
        Value::Array(parts) => match parts.first().and_then(Value::as_str) {
            Some("list") | Some("set") => json!([]),
            Some("map") => json!({}),
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// A data source's answer: an object of the generic resource type of the same name when
/// the simulator holds one that matches the arguments; else values derived from the
/// arguments (docs/generic.md).
pub fn data_source(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    block: &RawBlock<'static>,
    config: &Value,
) -> Result<Value, AwsError> {
    let mut state = match config {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    let known = match super::simulated::answer(env, ctx, type_name, config)? {
        Some(found) => Some(found),
        None => super::known::answer(env, ctx, type_name, config)?,
    };
    if let Some(known) = known {
        for (k, v) in known {
            if block.attributes.contains_key(k.as_str()) && state.get(&k).is_none_or(Value::is_null)
            {
                state.insert(k, v);
            }
        }
    } else if let Some(stored) = matching_object(env, ctx, type_name, config)? {
        for (k, v) in stored {
            if block.attributes.get(k.as_str()).is_some_and(|a| a.computed)
                && state.get(&k).is_none_or(Value::is_null)
            {
                state.insert(k, v);
            }
        }
    }
    let config_now = Value::Object(state.clone());
    let mut scope = scope(env, ctx, type_name, &config_now)?;
    if state.get("id").is_none_or(Value::is_null) {
        let id = ["name", "arn", "id"]
            .iter()
            .find_map(|k| {
                config[*k]
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| ctx.region.clone());
        state.insert("id".into(), json!(id));
    }
    let id = state["id"].as_str().unwrap_or_default().to_string();
    scope.id = Some(&id);
    if block.attributes.get("arn").is_some_and(|a| a.computed)
        && state.get("arn").is_none_or(Value::is_null)
    {
        state.insert("arn".into(), json!(derived_arn(&scope, type_name, &id)));
    }
    fill_block(&scope, block, &mut state, env);
    Ok(Value::Object(state))
}

/// The stored generic object a data source names (by id, name or arn), or the only one of
/// its type in the region when it names none.
fn matching_object(
    env: &Env<'_>,
    ctx: &CallerContext,
    type_name: &str,
    config: &Value,
) -> Result<Option<Map<String, Value>>, AwsError> {
    if crate::reference::raw_schema(crate::reference::Kind::Resource, type_name).is_none() {
        return Ok(None);
    }
    let region = if super::is_global(type_name) {
        ""
    } else {
        ctx.region.as_str()
    };
    let docs = env.db.documents(
        super::SERVICE,
        type_name,
        Some(&ctx.account_id),
        Some(region),
    )?;
    let wanted: Vec<(&str, &str)> = ["id", "name", "arn"]
        .iter()
        .filter_map(|k| {
            config[*k]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(|v| (*k, v))
        })
        .collect();
    let found = if wanted.is_empty() {
        (docs.len() == 1).then(|| docs[0].body.clone())
    } else {
        docs.into_iter()
            .map(|d| d.body)
            .find(|b| wanted.iter().all(|(k, v)| b[*k].as_str() == Some(*v)))
    };
    Ok(found.and_then(|b| match b {
        Value::Object(m) => Some(m),
        _ => None,
    }))
}
