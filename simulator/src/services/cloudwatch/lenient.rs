//! Deserialisers for members that arrive typed in JSON (AWS JSON 1.0) but as text in the
//! query protocol (`Period=60`, `ActionsEnabled=true`, `AlarmActions=` for an empty list),
//! so one request shape serves both wire forms. Timestamps are epoch seconds (JSON) or
//! ISO 8601 text (query).

use chrono::{DateTime, Utc};
use serde::de::{DeserializeOwned, Error};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// A double sent as a number or as text. NaN and infinities written as text stay as
/// such, so the service can reject them with its own message.
pub fn f64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => number(&v)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a number, got {v}"))),
    }
}

/// An integer sent as a number or as text.
pub fn i64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64()),
        Value::String(s) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().parse().ok()),
        v => Err(D::Error::custom(format!("expected an integer, got {v}"))),
    }
}

/// A boolean sent as `true`/`false` or as that text.
pub fn bool_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        v => Err(D::Error::custom(format!("expected a boolean, got {v}"))),
    }
}

/// A list; the query protocol sends an empty list as an empty string.
pub fn vec_opt<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(Some(Vec::new())),
        v @ Value::Array(_) => serde_json::from_value(v)
            .map(Some)
            .map_err(D::Error::custom),
        v => Err(D::Error::custom(format!("expected a list, got {v}"))),
    }
}

/// A list of doubles (`Values`, `Counts`), each a number or text.
pub fn f64_vec_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(Some(Vec::new())),
        Value::Array(items) => items
            .iter()
            .map(|v| {
                number(v).ok_or_else(|| D::Error::custom(format!("expected a number, got {v}")))
            })
            .collect::<Result<Vec<f64>, _>>()
            .map(Some),
        v => Err(D::Error::custom(format!("expected a list, got {v}"))),
    }
}

/// Parses a timestamp in either wire form.
pub fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => n.as_f64().and_then(crate::clock::from_epoch_seconds),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(secs) = s.parse::<f64>() {
                return crate::clock::from_epoch_seconds(secs);
            }
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    // `2024-01-01T00:00:00` without a zone is UTC, as the CLI sends it.
                    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                        .ok()
                        .map(|n| n.and_utc())
                })
        }
        _ => None,
    }
}

/// A timestamp: epoch seconds (number or text) or ISO 8601.
pub fn time_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => parse_time(&v)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a timestamp, got {v}"))),
    }
}
