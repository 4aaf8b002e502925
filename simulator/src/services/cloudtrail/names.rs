//! Trail names and trail ARNs: validation and parsing, with AWS's rules and messages.

use crate::error::AwsError;

pub const TRAIL_RESOURCE_TYPE: &str = "AWS::CloudTrail::Trail";

fn invalid_name(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidTrailNameException", message)
}

/// Checks a trail name against AWS's rules: ASCII letters, digits, `.`, `_`, `-`; starts and
/// ends with a letter or digit; 3 to 128 characters; no adjacent `.`, `_` or `-`; not in IP
/// address format.
pub fn validate_trail_name(name: &str) -> Result<(), AwsError> {
    let len = name.chars().count();
    if len < 3 {
        return Err(invalid_name(format!(
            "Trail name too short. Minimum allowed length: 3 characters. Specified name length: {len} characters."
        )));
    }
    if len > 128 {
        return Err(invalid_name(format!(
            "Trail name too long. Maximum allowed length: 128 characters. Specified name length: {len} characters."
        )));
    }
    let is_sep = |c: char| matches!(c, '.' | '_' | '-');
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || is_sep(c)) {
        return Err(invalid_name(
            "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).",
        ));
    }
    // Non-ASCII was rejected above, so the first/last char are ASCII.
    if !name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Err(invalid_name(
            "Trail name must starts with a letter or number.",
        ));
    }
    if !name
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Err(invalid_name(
            "Trail name must ends with a letter or number.",
        ));
    }
    let bytes = name.as_bytes();
    if bytes
        .windows(2)
        .any(|w| is_sep(w[0] as char) && is_sep(w[1] as char))
    {
        return Err(invalid_name(
            "Trail name cannot contain adjacent periods, underscores or dashes. Names like my-_namespace and my--namespace are not valid.",
        ));
    }
    if looks_like_ip_address(name) {
        return Err(invalid_name(
            "Trail name cannot be in IP address format (for example, 192.168.5.4).",
        ));
    }
    Ok(())
}

/// Four dot-separated decimal numbers, each 0-255.
fn looks_like_ip_address(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A parsed trail ARN: `arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailArn {
    pub partition: String,
    pub region: String,
    pub account_id: String,
    pub name: String,
}

impl TrailArn {
    pub fn new(region: &str, account_id: &str, name: &str) -> TrailArn {
        TrailArn {
            partition: partition_for(region).to_string(),
            region: region.to_string(),
            account_id: account_id.to_string(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for TrailArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "arn:{}:cloudtrail:{}:{}:trail/{}",
            self.partition, self.region, self.account_id, self.name
        )
    }
}

/// The partition of a region name.
pub fn partition_for(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

pub fn arn_invalid(arn: &str) -> AwsError {
    AwsError::client(
        "CloudTrailARNInvalidException",
        format!(
            "Invalid ARN: {arn}. The format of a trail ARN is: arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail."
        ),
    )
}

/// Parses a trail ARN, or fails with `CloudTrailARNInvalidException`.
pub fn parse_trail_arn(s: &str) -> Result<TrailArn, AwsError> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "cloudtrail" {
        return Err(arn_invalid(s));
    }
    let partition = parts[1];
    let region = parts[3];
    let account = parts[4];
    if !matches!(
        partition,
        "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b"
    ) {
        return Err(arn_invalid(s));
    }
    if region.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(arn_invalid(s));
    }
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(arn_invalid(s));
    }
    let Some(name) = parts[5].strip_prefix("trail/") else {
        return Err(arn_invalid(s));
    };
    if validate_trail_name(name).is_err() {
        return Err(arn_invalid(s));
    }
    Ok(TrailArn {
        partition: partition.to_string(),
        region: region.to_string(),
        account_id: account.to_string(),
        name: name.to_string(),
    })
}

/// How a request names a trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrailRef {
    Name(String),
    Arn(TrailArn),
}

/// A trail reference is an ARN when it starts with `arn:`, a name otherwise.
pub fn parse_trail_ref(s: &str) -> Result<TrailRef, AwsError> {
    if s.starts_with("arn:") {
        Ok(TrailRef::Arn(parse_trail_arn(s)?))
    } else {
        validate_trail_name(s)?;
        Ok(TrailRef::Name(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trail_name_rules() {
        let valid = [
            "abc",
            "my-trail",
            "My_Trail.2024",
            "a.b_c-d",
            "1trail1",
            "192.168.5.4a",
            "1.2.3",
            "1.2.3.4.5",
            "300.1.1.1",
        ];
        for n in valid {
            assert!(validate_trail_name(n).is_ok(), "{n} should be valid");
        }
        let long_ok = "a".repeat(128);
        assert!(validate_trail_name(&long_ok).is_ok());

        let invalid: &[(&str, &str)] = &[
            ("ab", "too short"),
            ("", "too short"),
            ("-abc", "must starts"),
            ("_abc", "must starts"),
            (".abc", "must starts"),
            ("abc-", "must ends"),
            ("abc.", "must ends"),
            ("my-_namespace", "adjacent"),
            ("my--namespace", "adjacent"),
            ("my..trail", "adjacent"),
            ("my._trail", "adjacent"),
            ("my trail", "can only contain"),
            ("my/trail", "can only contain"),
            ("tráil", "can only contain"),
            ("arn:aws:x", "can only contain"),
            ("192.168.5.4", "IP address"),
            ("10.0.0.1", "IP address"),
            ("255.255.255.255", "IP address"),
        ];
        for (n, why) in invalid {
            let e = validate_trail_name(n).expect_err(n);
            assert_eq!(e.code, "InvalidTrailNameException");
            assert!(
                e.message.contains(why),
                "{n}: {} should mention {why}",
                e.message
            );
        }
        let e = validate_trail_name(&"a".repeat(129)).unwrap_err(); // asserted invalid
        assert!(e.message.contains("too long") && e.message.contains("129"));
    }

    #[test]
    fn trail_arn_parsing() {
        let a = parse_trail_arn("arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail").unwrap(); // valid literal
        assert_eq!(a, TrailArn::new("us-east-2", "123456789012", "MyTrail"));
        assert_eq!(
            a.to_string(),
            "arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail"
        );
        assert_eq!(
            TrailArn::new("cn-north-1", "123456789012", "t1x").partition,
            "aws-cn"
        );

        for bad in [
            "arn:aws:cloudtrail:us-east-2:123456789012:trail/",
            "arn:aws:cloudtrail:us-east-2:12345:trail/MyTrail",
            "arn:aws:s3:us-east-2:123456789012:trail/MyTrail",
            "arn:aws:cloudtrail:us-east-2:123456789012:eventdatastore/abc",
            "arn:aws:cloudtrail::123456789012:trail/MyTrail",
            "arn:foo:cloudtrail:us-east-2:123456789012:trail/MyTrail",
            "arn:aws:cloudtrail:us-east-2:123456789012:trail/my--trail",
            "arn:aws:cloudtrail",
        ] {
            let e = parse_trail_arn(bad).expect_err(bad);
            assert_eq!(e.code, "CloudTrailARNInvalidException", "{bad}");
        }
        assert_eq!(
            parse_trail_ref("abc").unwrap(),
            TrailRef::Name("abc".into())
        ); // valid
        assert!(matches!(
            parse_trail_ref("arn:aws:cloudtrail:us-east-1:123456789012:trail/abc"),
            Ok(TrailRef::Arn(_))
        ));
        assert_eq!(
            parse_trail_ref("a b c").unwrap_err().code,
            "InvalidTrailNameException"
        ); // asserted invalid
    }
}
