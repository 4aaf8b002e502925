//! The generic planner and config validator, with the semantics of terraform-plugin-sdk v2:
//! defaults fill unset arguments, computed values are unknown until known, force-new
//! arguments that change require replacement.

use tfplugin6::value::Value;

use crate::schema::{Block, Nesting};
use crate::values::{ValueExt, semantically_equal};

/// One step of an attribute path, as diagnostics and RequiresReplace carry them.
#[derive(Clone, Debug, PartialEq)]
pub enum PathStep {
    Attr(String),
    Index(i64),
    Key(String),
}

pub type Path = Vec<PathStep>;

pub fn attr_path(name: &str) -> Path {
    vec![PathStep::Attr(name.to_string())]
}

/// The result of planning one resource change.
pub struct Planned {
    pub state: Value,
    pub requires_replace: Vec<Path>,
}

/// Plans a create or update. `prior` is Null for a create. Destroys never reach here.
pub fn plan(block: &Block, prior: &Value, proposed: &Value, config: &Value) -> Planned {
    let creating = matches!(prior, Value::Null);
    let mut state = plan_block(block, creating, proposed, config);
    for nested in block.blocks.iter().filter(|b| b.computed) {
        if config.attr(nested.name).is_null_or_empty() && !config.attr(nested.name).is_unknown() {
            let kept = if creating {
                Value::Unknown
            } else {
                prior.attr(nested.name).clone()
            };
            crate::values::set_attr(&mut state, nested.name, kept);
        }
    }
    let mut requires_replace = Vec::new();
    if !creating {
        for attr in block.attributes.iter().filter(|a| a.force_new) {
            let before = prior.attr(attr.name);
            let after = state.attr(attr.name);
            if !semantically_equal(before, after) {
                requires_replace.push(attr_path(attr.name));
            }
        }
        if !requires_replace.is_empty() {
            // A replacement is a new object: everything only the provider sets is unknown again.
            for attr in block
                .attributes
                .iter()
                .filter(|a| a.computed && !a.optional)
            {
                crate::values::set_attr(&mut state, attr.name, Value::Unknown);
            }
        }
    }
    Planned {
        state,
        requires_replace,
    }
}

/// Every value at a dotted path, through lists, sets and single blocks (for force-new paths
/// inside nested blocks).
pub fn values_at<'v>(v: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut current = vec![v];
    for seg in path.split('.') {
        let mut next = Vec::new();
        for c in current {
            match c.attr(seg) {
                Value::List(items) | Value::Set(items) => next.extend(items.iter()),
                other => next.push(other),
            }
        }
        current = next;
    }
    current
}

/// Whether a force-new path changed between two states.
pub fn changed_at(prior: &Value, planned: &Value, path: &str) -> bool {
    let (a, b) = (values_at(prior, path), values_at(planned, path));
    a.len() != b.len()
        || a.iter()
            .zip(&b)
            .any(|(x, y)| !y.is_unknown() && !semantically_equal(x, y))
}

/// Fills unset arguments with their defaults and nothing else (data source reads).
pub fn with_defaults(block: &Block, config: &Value) -> Value {
    plan_block(block, false, config, config)
}

fn plan_block(block: &Block, creating: bool, proposed: &Value, config: &Value) -> Value {
    let mut out = match proposed {
        Value::Object(_) => proposed.clone(),
        other => return other.clone(),
    };
    for attr in &block.attributes {
        let configured = config.attr(attr.name);
        if !matches!(configured, Value::Null) {
            continue;
        }
        if let Some(default) = &attr.default {
            crate::values::set_attr(&mut out, attr.name, default.clone());
        } else if attr.computed && creating {
            crate::values::set_attr(&mut out, attr.name, Value::Unknown);
        }
    }
    for nested in &block.blocks {
        // Set elements carry no identity to pair them with their configuration, so
        // set-nested blocks are planned as proposed (none of ours has defaults).
        if nested.nesting == Nesting::Set {
            continue;
        }
        let proposed_items = proposed.attr(nested.name);
        let config_items = config.attr(nested.name);
        if nested.nesting == Nesting::Single {
            if let Value::Object(_) = proposed_items {
                let planned = plan_block(&nested.block, creating, proposed_items, config_items);
                crate::values::set_attr(&mut out, nested.name, planned);
            }
            continue;
        }
        if let Value::List(items) = proposed_items {
            let planned: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let cfg = config_items.items().get(i).unwrap_or(&Value::Null);
                    plan_block(&nested.block, creating, item, cfg)
                })
                .collect();
            crate::values::set_attr(&mut out, nested.name, Value::List(planned));
        }
    }
    out
}

/// A config validation problem at an attribute path.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: Path,
    pub summary: String,
    pub detail: String,
}

/// Runs the schema's validators, item limits and conflicts over a configuration.
pub fn validate(block: &Block, config: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    validate_block(block, config, &mut Vec::new(), &mut problems);
    problems
}

fn validate_block(block: &Block, config: &Value, path: &mut Path, out: &mut Vec<Problem>) {
    for attr in &block.attributes {
        let value = config.attr(attr.name);
        path.push(PathStep::Attr(attr.name.to_string()));
        if let Value::List(items) | Value::Set(items) = value {
            if let Some(max) = attr.max_items
                && items.len() > max
            {
                out.push(Problem {
                    path: path.clone(),
                    summary: format!("Too many {} items", attr.name),
                    detail: format!(
                        "Attribute {} supports {max} item maximum, but config has {} declared.",
                        attr.name,
                        items.len()
                    ),
                });
            }
            if let Some(min) = attr.min_items
                && items.len() < min
            {
                out.push(Problem {
                    path: path.clone(),
                    summary: format!("Not enough {} items", attr.name),
                    detail: format!(
                        "Attribute {} requires {min} item minimum, but config has only {} declared.",
                        attr.name,
                        items.len()
                    ),
                });
            }
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = item.str_opt() {
                    for v in &attr.validators {
                        if let Some(msg) = v.check(attr.name, s) {
                            let mut p = path.clone();
                            if matches!(value, Value::List(_)) {
                                p.push(PathStep::Index(i as i64));
                            }
                            out.push(Problem {
                                path: p,
                                summary: msg,
                                detail: String::new(),
                            });
                        }
                    }
                }
            }
        } else if let Some(s) = value.str_opt() {
            for v in &attr.validators {
                if let Some(msg) = v.check(attr.name, s) {
                    out.push(Problem {
                        path: path.clone(),
                        summary: msg,
                        detail: String::new(),
                    });
                }
            }
        }
        path.pop();
    }
    for nested in &block.blocks {
        let value = config.attr(nested.name);
        path.push(PathStep::Attr(nested.name.to_string()));
        if !value.is_null_or_empty() && !value.is_unknown() {
            for other in &nested.conflicts_with {
                let sibling = config.attr(other);
                // An unknown sibling may turn out null: the SDK defers the check.
                if !sibling.is_null_or_empty() && !sibling.is_unknown() {
                    out.push(Problem {
                        path: path.clone(),
                        summary: "Conflicting configuration arguments".to_string(),
                        detail: format!("\"{}\": conflicts with {other}", nested.name),
                    });
                }
            }
        }
        if nested.nesting == Nesting::Single {
            if let Value::Object(_) = value {
                validate_block(&nested.block, value, path, out);
            }
            path.pop();
            continue;
        }
        for (i, item) in value.items().iter().enumerate() {
            if nested.nesting == Nesting::List {
                path.push(PathStep::Index(i as i64));
                validate_block(&nested.block, item, path, out);
                path.pop();
            } else {
                validate_block(&nested.block, item, path, out);
            }
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Attribute, NestedBlock, Validator};
    use crate::values::{object, string};
    use tfplugin6::value::Type;

    fn schema() -> Block {
        Block::new(
            vec![
                Attribute::required("name", Type::String).force_new(),
                Attribute::optional("flag", Type::Bool).default(Value::Bool(true)),
                Attribute::computed("arn", Type::String),
            ],
            vec![NestedBlock::list(
                "selector",
                Block::new(
                    vec![
                        Attribute::optional("mode", Type::String)
                            .default(string("All"))
                            .validate(Validator::OneOf(&["All", "ReadOnly"])),
                    ],
                    vec![],
                ),
            )],
        )
    }

    #[test]
    fn create_fills_defaults_and_marks_computed_unknown() {
        let config = object([
            ("name", string("a")),
            ("flag", Value::Null),
            ("arn", Value::Null),
            (
                "selector",
                Value::List(vec![object([("mode", Value::Null)])]),
            ),
        ]);
        let planned = plan(&schema(), &Value::Null, &config, &config);
        assert_eq!(planned.state.attr("flag"), &Value::Bool(true));
        assert_eq!(planned.state.attr("arn"), &Value::Unknown);
        assert_eq!(
            planned.state.attr("selector").items()[0].attr("mode"),
            &string("All")
        );
        assert!(planned.requires_replace.is_empty());
    }

    #[test]
    fn changing_a_force_new_argument_requires_replacement() {
        let prior = object([
            ("name", string("a")),
            ("flag", Value::Bool(true)),
            ("arn", string("arn:x")),
            ("selector", Value::List(vec![])),
        ]);
        let config = object([
            ("name", string("b")),
            ("flag", Value::Null),
            ("arn", Value::Null),
            ("selector", Value::List(vec![])),
        ]);
        let mut proposed = config.clone();
        crate::values::set_attr(&mut proposed, "arn", string("arn:x"));
        let planned = plan(&schema(), &prior, &proposed, &config);
        assert_eq!(planned.requires_replace, vec![attr_path("name")]);
        assert_eq!(planned.state.attr("arn"), &Value::Unknown);
    }

    #[test]
    fn unchanged_update_keeps_computed_values() {
        let prior = object([
            ("name", string("a")),
            ("flag", Value::Bool(true)),
            ("arn", string("arn:x")),
            ("selector", Value::List(vec![])),
        ]);
        let config = object([
            ("name", string("a")),
            ("flag", Value::Null),
            ("arn", Value::Null),
            ("selector", Value::List(vec![])),
        ]);
        let mut proposed = config.clone();
        crate::values::set_attr(&mut proposed, "arn", string("arn:x"));
        let planned = plan(&schema(), &prior, &proposed, &config);
        assert!(semantically_equal(&planned.state, &prior));
        assert!(planned.requires_replace.is_empty());
    }

    #[test]
    fn computed_value_that_stayed_null_is_not_replanned() {
        let prior = object([
            ("name", string("a")),
            ("flag", Value::Bool(true)),
            ("arn", Value::Null),
            ("selector", Value::List(vec![])),
        ]);
        let config = object([
            ("name", string("a")),
            ("flag", Value::Null),
            ("arn", Value::Null),
            ("selector", Value::List(vec![])),
        ]);
        let planned = plan(&schema(), &prior, &config, &config);
        assert_eq!(planned.state.attr("arn"), &Value::Null);
    }

    #[test]
    fn unconfigured_computed_block_is_unknown_on_create_and_kept_on_update() {
        let block = Block::new(
            vec![Attribute::required("name", Type::String)],
            vec![
                NestedBlock::list(
                    "selector",
                    Block::new(vec![Attribute::optional("mode", Type::String)], vec![]),
                )
                .computed(),
            ],
        );
        let config = object([("name", string("a")), ("selector", Value::List(vec![]))]);
        let created = plan(&block, &Value::Null, &config, &config);
        assert_eq!(created.state.attr("selector"), &Value::Unknown);

        let service_default = Value::List(vec![object([("mode", string("All"))])]);
        let prior = object([("name", string("a")), ("selector", service_default.clone())]);
        let updated = plan(&block, &prior, &config, &config);
        assert_eq!(updated.state.attr("selector"), &service_default);
    }

    #[test]
    fn validation_reports_the_attribute_path() {
        let config = object([
            ("name", string("a")),
            (
                "selector",
                Value::List(vec![object([("mode", string("Bogus"))])]),
            ),
        ]);
        let problems = validate(&schema(), &config);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].path,
            vec![
                PathStep::Attr("selector".into()),
                PathStep::Index(0),
                PathStep::Attr("mode".into())
            ]
        );
    }
}
