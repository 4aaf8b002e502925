//! Condition operator semantics, following the IAM User Guide ("Condition operators" and
//! "Conditions with multiple context keys or values"):
//!
//! - a key absent from the request makes a condition false, except that negated operators
//!   (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, ...) are then true, `...IfExists` is
//!   true, `ForAllValues:` is true and `ForAnyValue:` is false; `Null` tests presence;
//! - several policy values for one key are ORed (NORed for negated operators);
//! - without a set qualifier a multivalued request key matches when any of its values
//!   matches (negated operators: when none does) — an assumption where AWS is silent;
//! - `ForAnyValue:` needs one request value to satisfy the (possibly negated) comparison,
//!   `ForAllValues:` needs every request value to.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate};

use super::eval::Context;
use super::matching::{arn_matches, compile, glob, substitute};
use super::model::{Condition, ConditionOp, SetQualifier};

/// Whether one condition of a statement holds for the request context.
pub(crate) fn condition_holds(cond: &Condition, ctx: &Context, vars: Option<&Context>) -> bool {
    let present = ctx.get(&cond.key).filter(|v| !v.is_empty());
    if cond.op == ConditionOp::Null {
        return cond.values.iter().any(|want_null| {
            if want_null.eq_ignore_ascii_case("true") {
                present.is_none()
            } else {
                present.is_some()
            }
        });
    }
    let Some(request_values) = present else {
        if cond.if_exists {
            return true;
        }
        return match cond.qualifier {
            Some(SetQualifier::ForAllValues) => true,
            Some(SetQualifier::ForAnyValue) => false,
            None => cond.negated,
        };
    };
    // One request value against all policy values, negation applied.
    let satisfies = |request_value: &str| {
        let any = cond
            .values
            .iter()
            .any(|policy_value| compare(cond.op, policy_value, request_value, vars));
        any != cond.negated
    };
    match cond.qualifier {
        Some(SetQualifier::ForAnyValue) => request_values.iter().any(|v| satisfies(v)),
        Some(SetQualifier::ForAllValues) => request_values.iter().all(|v| satisfies(v)),
        None => {
            let any_matches = request_values.iter().any(|v| {
                cond.values
                    .iter()
                    .any(|policy_value| compare(cond.op, policy_value, v, vars))
            });
            any_matches != cond.negated
        }
    }
}

/// The positive comparison of one policy value with one request value.
fn compare(op: ConditionOp, policy: &str, request: &str, vars: Option<&Context>) -> bool {
    use ConditionOp::*;
    match op {
        StringEquals => substitute(policy, vars).is_some_and(|p| p == request),
        StringEqualsIgnoreCase => {
            substitute(policy, vars).is_some_and(|p| p.to_lowercase() == request.to_lowercase())
        }
        StringLike => compile(policy, vars).is_some_and(|p| glob(&p, request, false)),
        ArnEquals | ArnLike => compile(policy, vars).is_some_and(|p| arn_matches(&p, request)),
        NumericEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => match (number(policy), number(request)) {
            (Some(p), Some(r)) => ordered(op, r.partial_cmp(&p)),
            _ => false,
        },
        DateEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => match (date_millis(policy), date_millis(request)) {
            (Some(p), Some(r)) => ordered(op, Some(r.cmp(&p))),
            _ => false,
        },
        Bool => {
            let p = policy.to_ascii_lowercase();
            (p == "true" || p == "false") && request.eq_ignore_ascii_case(&p)
        }
        BinaryEquals => policy == request,
        IpAddress => ip_in_range(policy, request),
        // Handled before any value comparison.
        Null => false,
    }
}

/// Reads `request <op> policy` from their ordering.
fn ordered(op: ConditionOp, ord: Option<std::cmp::Ordering>) -> bool {
    use ConditionOp::*;
    use std::cmp::Ordering::*;
    let Some(ord) = ord else { return false };
    match op {
        NumericEquals | DateEquals => ord == Equal,
        NumericLessThan | DateLessThan => ord == Less,
        NumericLessThanEquals | DateLessThanEquals => ord != Greater,
        NumericGreaterThan | DateGreaterThan => ord == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// ISO 8601 date-time, plain date (midnight UTC) or epoch seconds, as milliseconds.
fn date_millis(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d
            .and_hms_opt(0, 0, 0)
            .map(|dt| dt.and_utc().timestamp_millis());
    }
    s.parse::<i64>()
        .ok()
        .and_then(|secs| secs.checked_mul(1000))
}

/// `request` (an address) inside `policy` (an address or CIDR block) of the same family.
fn ip_in_range(policy: &str, request: &str) -> bool {
    let Ok(addr) = request.trim().parse::<IpAddr>() else {
        return false;
    };
    let (net, bits) = match policy.trim().split_once('/') {
        Some((net, bits)) => match bits.parse::<u32>() {
            Ok(bits) => (net, Some(bits)),
            Err(_) => return false,
        },
        None => (policy.trim(), None),
    };
    let Ok(net) = net.parse::<IpAddr>() else {
        return false;
    };
    match (net, addr) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let bits = bits.unwrap_or(32);
            bits <= 32
                && masked(u32::from(n).into(), bits, 32) == masked(u32::from(a).into(), bits, 32)
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let bits = bits.unwrap_or(128);
            bits <= 128 && masked(u128::from(n), bits, 128) == masked(u128::from(a), bits, 128)
        }
        _ => false,
    }
}

fn masked(value: u128, bits: u32, width: u32) -> u128 {
    if bits == 0 {
        0
    } else {
        value >> (width - bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_ips_compare() {
        assert!(compare(ConditionOp::NumericLessThan, "10", "9.5", None));
        assert!(!compare(ConditionOp::NumericLessThan, "10", "10", None));
        assert!(compare(
            ConditionOp::NumericGreaterThanEquals,
            "10",
            "10",
            None
        ));
        assert!(!compare(ConditionOp::NumericEquals, "ten", "10", None));
        assert!(compare(
            ConditionOp::DateLessThan,
            "2024-01-01T00:00:00Z",
            "2023-12-31",
            None
        ));
        assert!(compare(
            ConditionOp::DateEquals,
            "1700000000",
            "2023-11-14T22:13:20Z",
            None
        ));
        assert!(compare(
            ConditionOp::IpAddress,
            "10.0.0.0/8",
            "10.1.2.3",
            None
        ));
        assert!(!compare(
            ConditionOp::IpAddress,
            "10.0.0.0/8",
            "11.1.2.3",
            None
        ));
        assert!(compare(
            ConditionOp::IpAddress,
            "0.0.0.0/0",
            "1.2.3.4",
            None
        ));
        assert!(compare(
            ConditionOp::IpAddress,
            "192.0.2.7",
            "192.0.2.7",
            None
        ));
        assert!(compare(
            ConditionOp::IpAddress,
            "2001:db8::/32",
            "2001:db8::1",
            None
        ));
        assert!(!compare(
            ConditionOp::IpAddress,
            "2001:db8::/32",
            "10.0.0.1",
            None
        ));
        assert!(compare(ConditionOp::Bool, "true", "TRUE", None));
        assert!(!compare(ConditionOp::Bool, "yes", "yes", None));
    }
}
