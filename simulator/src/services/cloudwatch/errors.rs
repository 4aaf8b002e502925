//! CloudWatch's errors (the query-protocol codes every client sees, including over JSON
//! through `x-amzn-query-error`) and the checks several operations share: names, units,
//! statistics, periods and dimensions.

use crate::error::AwsError;
use crate::services::constraint_message;

use super::model::Dimension;

/// The units CloudWatch knows (`StandardUnit`).
pub const UNITS: &[&str] = &[
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// The simple statistics (`Statistic`).
pub const STATISTICS: &[&str] = &["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

pub const MAX_DIMENSIONS: usize = 30;

pub fn invalid_value(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterValue", message)
}

pub fn invalid_combination(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterCombination", message)
}

/// A model constraint broken (length, enum, range): the framework's `ValidationError`.
pub fn validation(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationError", message)
}

pub fn missing(parameter: &str) -> AwsError {
    AwsError::client(
        "MissingParameter",
        format!("The parameter {parameter} is required."),
    )
}

/// `The value X for parameter P is invalid.`
pub fn bad_value(value: &str, parameter: &str) -> AwsError {
    invalid_value(format!(
        "The value {value} for parameter {parameter} is invalid."
    ))
}

pub fn invalid_next_token() -> AwsError {
    AwsError::client("InvalidNextToken", "The NextToken is invalid.")
}

/// A required string member, present and non-empty.
pub fn required<'a>(value: &'a Option<String>, parameter: &str) -> Result<&'a str, AwsError> {
    match value.as_deref() {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(missing(parameter)),
    }
}

/// A string member's length, checked against the model (in characters).
pub fn check_length(value: &str, member: &str, min: usize, max: usize) -> Result<(), AwsError> {
    let n = value.chars().count();
    if n < min {
        return Err(validation(constraint_message(
            value,
            member,
            &format!("Member must have length greater than or equal to {min}"),
        )));
    }
    if n > max {
        return Err(validation(constraint_message(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        )));
    }
    Ok(())
}

fn enum_error(value: &str, member: &str, set: &[&str]) -> AwsError {
    validation(constraint_message(
        value,
        member,
        &format!("Member must satisfy enum value set: [{}]", set.join(", ")),
    ))
}

/// A member that must be one of `set`.
pub fn check_enum(value: &str, member: &str, set: &[&str]) -> Result<(), AwsError> {
    if set.contains(&value) {
        Ok(())
    } else {
        Err(enum_error(value, member, set))
    }
}

pub fn check_unit(unit: Option<&str>, member: &str) -> Result<(), AwsError> {
    match unit {
        Some(u) => check_enum(u, member, UNITS),
        None => Ok(()),
    }
}

/// A namespace: 1-255 printable ASCII characters, not starting with a colon.
pub fn check_namespace(ns: &str, member: &str) -> Result<(), AwsError> {
    check_length(ns, member, 1, 255)?;
    if ns.starts_with(':') || !ns.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return Err(validation(constraint_message(
            ns,
            member,
            "Member must satisfy regular expression pattern: [^:].*",
        )));
    }
    Ok(())
}

pub fn check_metric_name(name: &str, member: &str) -> Result<(), AwsError> {
    check_length(name, member, 1, 255)
}

/// At most 30 dimensions with names 1-255 and values 1-1024 ASCII characters (not only
/// white space, no control characters, names not starting with a colon), each name once.
/// `at` is the wire path of the list (`MetricData.member.1.Dimensions`).
pub fn check_dimensions(dims: &[Dimension], at: &str) -> Result<(), AwsError> {
    if dims.len() > MAX_DIMENSIONS {
        return Err(invalid_value(format!(
            "The collection {at} must not have a size greater than {MAX_DIMENSIONS}."
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, d) in dims.iter().enumerate() {
        let here = format!("{at}.member.{}", i + 1);
        if d.name.is_empty() {
            return Err(missing(&format!("{here}.Name")));
        }
        if d.value.is_empty() {
            return Err(missing(&format!("{here}.Value")));
        }
        let printable = |s: &str| {
            s.chars().all(|c| c.is_ascii() && !c.is_ascii_control())
                && s.chars().any(|c| !c.is_whitespace())
        };
        if d.name.chars().count() > 255 || !printable(&d.name) || d.name.starts_with(':') {
            return Err(bad_value(&d.name, &format!("{here}.Name")));
        }
        if d.value.chars().count() > 1024 || !printable(&d.value) {
            return Err(bad_value(&d.value, &format!("{here}.Value")));
        }
        if !seen.insert(d.name.as_str()) {
            return Err(invalid_value(format!(
                "No metric may have duplicate dimension names: {} appears more than once in {at}.",
                d.name
            )));
        }
    }
    Ok(())
}

/// A period for metric data: 1, 5, 10, 20, 30 or a multiple of 60.
pub fn valid_data_period(p: i64) -> bool {
    p > 0 && ([1, 5, 10, 20, 30].contains(&p) || p % 60 == 0)
}

/// A period for a metric alarm: 10, 20, 30 or a multiple of 60.
pub fn valid_alarm_period(p: i64) -> bool {
    p > 0 && ([10, 20, 30].contains(&p) || p % 60 == 0)
}
