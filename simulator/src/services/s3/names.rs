//! Bucket naming rules and the regions a `LocationConstraint` may name.

use super::errors::invalid_bucket_name;
use crate::error::AwsError;

const FORBIDDEN_PREFIXES: &[&str] = &["xn--", "sthree-", "amzn-s3-demo-"];
const FORBIDDEN_SUFFIXES: &[&str] = &["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/// Regions S3 accepts as a `LocationConstraint` (commercial, GovCloud and China).
pub const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// Why a name breaks the general purpose bucket naming rules, or `None` when it is valid.
pub fn bucket_name_problem(name: &str) -> Option<&'static str> {
    let len = name.len();
    if !(3..=63).contains(&len) {
        return Some("must be between 3 and 63 characters long");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return Some("may contain only lowercase letters, numbers, dots and hyphens");
    }
    let first = name.as_bytes()[0];
    let last = name.as_bytes()[len - 1];
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return Some("must begin and end with a letter or number");
    }
    if name.contains("..") {
        return Some("must not contain two adjacent periods");
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("must not be formatted as an IP address");
    }
    if FORBIDDEN_PREFIXES.iter().any(|p| name.starts_with(p)) {
        return Some("must not start with a reserved prefix");
    }
    if FORBIDDEN_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return Some("must not end with a reserved suffix");
    }
    None
}

/// `InvalidBucketName` unless `name` follows the naming rules.
pub fn validate_bucket_name(name: &str) -> Result<(), AwsError> {
    match bucket_name_problem(name) {
        None => Ok(()),
        Some(_) => Err(invalid_bucket_name()),
    }
}

/// The region a `LocationConstraint` names (`EU` is the legacy name of eu-west-1).
pub fn constraint_region(constraint: &str) -> Option<&'static str> {
    if constraint == "EU" {
        return Some("eu-west-1");
    }
    REGIONS.iter().copied().find(|r| *r == constraint)
}

/// The region a CreateBucket call made from `caller_region` creates its bucket in.
pub fn creation_region(
    caller_region: &str,
    constraint: Option<&str>,
) -> Result<&'static str, AwsError> {
    let incompatible = |what: &str| {
        AwsError::client(
            "IllegalLocationConstraintException",
            format!(
                "The {what} location constraint is incompatible for the region specific endpoint this request was sent to."
            ),
        )
    };
    match constraint.filter(|c| !c.is_empty()) {
        None => {
            if caller_region == "us-east-1" {
                Ok("us-east-1")
            } else {
                Err(incompatible("unspecified"))
            }
        }
        // us-east-1 is the default and may not be named explicitly.
        Some("us-east-1") => Err(invalid_location_constraint()),
        Some(c) => {
            let region = constraint_region(c).ok_or_else(invalid_location_constraint)?;
            if region == caller_region {
                Ok(region)
            } else {
                Err(incompatible(c))
            }
        }
    }
}

fn invalid_location_constraint() -> AwsError {
    AwsError::client(
        "InvalidLocationConstraint",
        "The specified location-constraint is not valid",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_name_rules_table() {
        let long = "a".repeat(63);
        let too_long = "a".repeat(64);
        let cases: &[(&str, bool)] = &[
            ("abc", true),
            ("my-bucket.logs-1", true),
            ("1bucket", true),
            (long.as_str(), true),
            ("ab", false),
            (too_long.as_str(), false),
            ("My-Bucket", false),
            ("my_bucket", false),
            ("-bucket", false),
            ("bucket-", false),
            (".bucket", false),
            ("bucket.", false),
            ("my..bucket", false),
            ("192.168.5.4", false),
            ("192.168.5.4.5", true),
            ("xn--bucket", false),
            ("sthree-bucket", false),
            ("amzn-s3-demo-bucket", false),
            ("bucket-s3alias", false),
            ("bucket--ol-s3", false),
            ("bucket.mrap", false),
            ("bucket--x-s3", false),
            ("bucket--table-s3", false),
            ("buck et", false),
        ];
        for (name, valid) in cases {
            assert_eq!(
                bucket_name_problem(name).is_none(),
                *valid,
                "{name}: {:?}",
                bucket_name_problem(name)
            );
        }
        assert_eq!(
            validate_bucket_name("ab").unwrap_err().code,
            "InvalidBucketName"
        );
    }

    #[test]
    fn creation_region_follows_the_endpoint_table() {
        let cases: &[(&str, Option<&str>, Result<&str, &str>)] = &[
            ("us-east-1", None, Ok("us-east-1")),
            ("us-east-1", Some(""), Ok("us-east-1")),
            ("eu-west-1", Some("eu-west-1"), Ok("eu-west-1")),
            ("eu-west-1", Some("EU"), Ok("eu-west-1")),
            ("eu-west-1", None, Err("IllegalLocationConstraintException")),
            (
                "us-east-1",
                Some("eu-west-1"),
                Err("IllegalLocationConstraintException"),
            ),
            (
                "us-west-2",
                Some("eu-west-1"),
                Err("IllegalLocationConstraintException"),
            ),
            (
                "us-east-1",
                Some("us-east-1"),
                Err("InvalidLocationConstraint"),
            ),
            (
                "us-east-1",
                Some("mars-1"),
                Err("InvalidLocationConstraint"),
            ),
        ];
        for (caller, c, want) in cases {
            let got = creation_region(caller, *c).map_err(|e| e.code);
            assert_eq!(got, want.map_err(String::from), "{caller} {c:?}");
        }
        let e = creation_region("eu-west-1", None).unwrap_err();
        assert_eq!(
            e.message,
            "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
        );
    }
}
