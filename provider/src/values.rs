//! Convenience accessors over cty values, and the semantic comparisons Terraform applies
//! (sets compare as sets; a null collection and an empty one mean the same to a user).

use std::collections::BTreeMap;

use tfplugin6::value::Value;

static NULL: Value = Value::Null;

pub trait ValueExt {
    /// The named attribute of an object, or null when absent or when self is not an object.
    fn attr(&self, name: &str) -> &Value;
    fn str_opt(&self) -> Option<&str>;
    fn bool_opt(&self) -> Option<bool>;
    fn num_opt(&self) -> Option<f64>;
    /// Elements of a list, set or tuple; empty for anything else.
    fn items(&self) -> &[Value];
    fn map_entries(&self) -> Option<&BTreeMap<String, Value>>;
    /// Known strings of a list/set, skipping nulls and unknowns.
    fn strings(&self) -> Vec<String>;
    fn string_map(&self) -> BTreeMap<String, String>;
    /// Null, or an empty list, set or map.
    fn is_null_or_empty(&self) -> bool;
    fn is_unknown(&self) -> bool;
    /// True when this value and everything inside it is known.
    fn is_wholly_known(&self) -> bool;
}

impl ValueExt for Value {
    fn attr(&self, name: &str) -> &Value {
        match self {
            Value::Object(fields) => fields.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
    fn str_opt(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    fn bool_opt(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn num_opt(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
    fn items(&self) -> &[Value] {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &[],
        }
    }
    fn map_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    fn strings(&self) -> Vec<String> {
        self.items()
            .iter()
            .filter_map(|v| v.str_opt().map(str::to_string))
            .collect()
    }
    fn string_map(&self) -> BTreeMap<String, String> {
        self.map_entries()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.str_opt().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
    fn is_null_or_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        }
    }
    fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }
    fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v.iter().all(Self::is_wholly_known),
            Value::Map(m) | Value::Object(m) => m.values().all(Self::is_wholly_known),
            _ => true,
        }
    }
}

pub fn string(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

/// A string value, or null for None (how the SDK stores absent optional strings).
pub fn opt_string(s: Option<impl Into<String>>) -> Value {
    s.map(|s| Value::String(s.into())).unwrap_or(Value::Null)
}

pub fn string_list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

pub fn string_set<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    Value::Set(items.into_iter().map(|s| Value::String(s.into())).collect())
}

pub fn string_map(map: &BTreeMap<String, String>) -> Value {
    Value::Map(
        map.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

pub fn object<I: IntoIterator<Item = (&'static str, Value)>>(fields: I) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Equality as Terraform sees it: set elements compare regardless of order.
pub fn semantically_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Set(x), Value::Set(y)) => {
            x.len() == y.len()
                && x.iter().all(|e| y.iter().any(|f| semantically_equal(e, f)))
                && y.iter().all(|f| x.iter().any(|e| semantically_equal(e, f)))
        }
        (Value::List(x), Value::List(y)) | (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(e, f)| semantically_equal(e, f))
        }
        (Value::Map(x), Value::Map(y)) | (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| semantically_equal(v, w)))
        }
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) | (Value::Unknown, Value::Unknown) => true,
        _ => false,
    }
}

/// Sets an attribute on an object value (no-op on non-objects).
pub fn set_attr(target: &mut Value, name: &str, value: Value) {
    if let Value::Object(fields) = target {
        fields.insert(name.to_string(), value);
    }
}

/// Replaces every unknown left in a value with null. After an apply, a computed attribute
/// the resource did not set is null, as terraform-plugin-sdk leaves it: Terraform rejects
/// unknown values in a new state.
pub fn unknowns_to_null(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.into_iter().map(unknowns_to_null).collect()),
        Value::Set(items) => Value::Set(items.into_iter().map(unknowns_to_null).collect()),
        Value::Tuple(items) => Value::Tuple(items.into_iter().map(unknowns_to_null).collect()),
        Value::Map(m) => Value::Map(
            m.into_iter()
                .map(|(k, v)| (k, unknowns_to_null(v)))
                .collect(),
        ),
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, unknowns_to_null(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_compare_regardless_of_order() {
        let a = string_set(["a", "b"]);
        let b = string_set(["b", "a"]);
        assert!(semantically_equal(&a, &b));
        assert!(!semantically_equal(
            &string_list(["a", "b"]),
            &string_list(["b", "a"])
        ));
    }

    #[test]
    fn missing_attribute_reads_as_null() {
        let obj = object([("name", string("x"))]);
        assert_eq!(obj.attr("name").str_opt(), Some("x"));
        assert!(matches!(obj.attr("other"), Value::Null));
    }
}
