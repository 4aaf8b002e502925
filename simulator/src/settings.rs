//! Simulator settings (stored in the `settings` table): quotas and defaults. Every known key
//! has a default; unknown keys are refused so that typos do not pass silently.

use crate::error::{AwsError, StoreError};
use crate::store::Db;

/// Trails per region per account (AWS: 5, not adjustable).
pub const TRAILS_PER_REGION: &str = "quota.trails_per_region";
/// The account the default caller belongs to.
pub const DEFAULT_ACCOUNT_ID: &str = "default.account_id";
/// The region used when a client names none.
pub const DEFAULT_REGION: &str = "default.region";
/// The IAM user name of the default caller.
pub const DEFAULT_USER_NAME: &str = "default.user_name";
/// The seed of deterministic ids (eventID, requestID).
pub const ID_SEED: &str = "ids.seed";

/// (key, default, description) of every known setting.
pub const KNOWN: &[(&str, &str, &str)] = &[
    (
        TRAILS_PER_REGION,
        "5",
        "maximum number of trails per region per account",
    ),
    (
        DEFAULT_ACCOUNT_ID,
        crate::context::DEFAULT_ACCOUNT_ID,
        "account id of the default caller",
    ),
    (
        DEFAULT_REGION,
        crate::context::DEFAULT_REGION,
        "region used when none is given",
    ),
    (
        DEFAULT_USER_NAME,
        crate::context::DEFAULT_USER_NAME,
        "IAM user name of the default caller",
    ),
    (
        ID_SEED,
        "ctsim",
        "seed for deterministic event and request ids",
    ),
];

pub fn default_of(key: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(k, _, _)| *k == key).map(|(_, d, _)| *d)
}

/// Checks that `key` is known and `value` fits it.
pub fn validate(key: &str, value: &str) -> Result<(), AwsError> {
    let bad = |why: &str| {
        AwsError::client(
            "InvalidParameterException",
            format!("Invalid value {value:?} for setting {key}: {why}"),
        )
    };
    if default_of(key).is_none() {
        let keys: Vec<&str> = KNOWN.iter().map(|(k, _, _)| *k).collect();
        return Err(AwsError::client(
            "InvalidParameterException",
            format!("Unknown setting {key}. Known settings: {}", keys.join(", ")),
        ));
    }
    match key {
        TRAILS_PER_REGION => match value.parse::<u64>() {
            Ok(n) if n <= 1_000_000 => Ok(()),
            _ => Err(bad("must be a whole number from 0 to 1000000")),
        },
        DEFAULT_ACCOUNT_ID => {
            if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
                Ok(())
            } else {
                Err(bad("must be 12 digits"))
            }
        }
        DEFAULT_REGION => {
            if !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                Ok(())
            } else {
                Err(bad("must be a region name such as us-east-1"))
            }
        }
        DEFAULT_USER_NAME => {
            let ok = !value.is_empty()
                && value.len() <= 64
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            if ok {
                Ok(())
            } else {
                Err(bad("must be a valid IAM user name"))
            }
        }
        _ => {
            if value.is_empty() {
                Err(bad("must not be empty"))
            } else {
                Ok(())
            }
        }
    }
}

/// The effective value of a setting (its default when unset).
pub fn get(db: Db<'_>, key: &str) -> Result<String, StoreError> {
    Ok(match db.setting(key)? {
        Some(v) => v,
        None => default_of(key).unwrap_or_default().to_string(),
    })
}

pub fn trails_per_region(db: Db<'_>) -> Result<u64, StoreError> {
    Ok(get(db, TRAILS_PER_REGION)?.parse().unwrap_or(5))
}
