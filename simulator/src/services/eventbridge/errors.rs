//! EventBridge's errors, with the exception names and message wording of the API.

use crate::error::AwsError;

pub use crate::services::constraint_message as constraint;

pub fn validation(message: impl Into<String>) -> AwsError {
    AwsError::client("ValidationException", message)
}

pub fn resource_not_found(message: impl Into<String>) -> AwsError {
    AwsError::client("ResourceNotFoundException", message)
}

/// `Rule NAME does not exist on EventBus BUS.`
pub fn rule_not_found(name: &str, bus: &str) -> AwsError {
    resource_not_found(format!("Rule {name} does not exist on EventBus {bus}."))
}

/// A service quota (rules per bus, targets per rule, tags per resource) was reached.
pub fn limit_exceeded() -> AwsError {
    AwsError::client(
        "LimitExceededException",
        "The requested resource exceeds the maximum number allowed.",
    )
}

/// The message AWS gives a `NextToken` it did not issue.
pub fn invalid_next_token() -> AwsError {
    validation("The NextToken provided is invalid.")
}

/// Checks a name-like member against its length bounds and `[\.\-_A-Za-z0-9]+`, in the
/// order and words of the model's validation.
pub fn check_name(value: &str, member: &str, max: usize) -> Result<(), AwsError> {
    let chars = value.chars().count();
    if chars < 1 {
        return Err(validation(constraint(
            value,
            member,
            "Member must have length greater than or equal to 1",
        )));
    }
    if chars > max {
        return Err(validation(constraint(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        )));
    }
    let ok = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !ok {
        return Err(validation(constraint(
            value,
            member,
            "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
        )));
    }
    Ok(())
}

/// `Limit` members are 1..=100 where given.
pub fn check_limit(limit: Option<i64>) -> Result<usize, AwsError> {
    match limit {
        None => Ok(100),
        Some(n) if (1..=100).contains(&n) => Ok(n as usize),
        Some(n) if n < 1 => Err(validation(constraint(
            &n.to_string(),
            "limit",
            "Member must have value greater than or equal to 1",
        ))),
        Some(n) => Err(validation(constraint(
            &n.to_string(),
            "limit",
            "Member must have value less than or equal to 100",
        ))),
    }
}

/// A string member's maximum length in characters.
pub fn check_max_len(value: &str, member: &str, max: usize) -> Result<(), AwsError> {
    if value.chars().count() > max {
        return Err(validation(constraint(
            value,
            member,
            &format!("Member must have length less than or equal to {max}"),
        )));
    }
    Ok(())
}
