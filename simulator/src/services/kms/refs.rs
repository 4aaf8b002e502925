//! Key references as KMS accepts them: a key id (`1234abcd-…` or `mrk-…`), a key ARN, an
//! alias name (`alias/x`) or an alias ARN. Parsing is pure; lookup is in `keys`.

use crate::error::AwsError;

/// A parsed key reference. Account and region are `None` when the reference does not name
/// them (key ids and alias names mean the caller's account and region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRef {
    Key {
        account: Option<String>,
        region: Option<String>,
        key_id: String,
    },
    Alias {
        account: Option<String>,
        region: Option<String>,
        name: String,
    },
}

pub fn key_arn(region: &str, account: &str, key_id: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:key/{key_id}")
}

pub fn alias_arn(region: &str, account: &str, alias_name: &str) -> String {
    format!("arn:aws:kms:{region}:{account}:{alias_name}")
}

fn invalid_arn(given: &str) -> AwsError {
    AwsError::client("InvalidArnException", format!("ARN {given} is not valid."))
}

/// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex) and `mrk-` + 32 hex digits.
pub fn is_key_id(s: &str) -> bool {
    if let Some(hex) = s.strip_prefix("mrk-") {
        return hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Parses a key reference. A malformed ARN is `InvalidArnException`; a string that is
/// neither an ARN, an alias nor a key id is `NotFoundException` ("Invalid keyId").
pub fn parse_key_ref(given: &str) -> Result<KeyRef, AwsError> {
    if given.is_empty() {
        return Err(AwsError::client(
            "ValidationException",
            super::super::constraint_message(
                given,
                "keyId",
                "Member must have length greater than or equal to 1",
            ),
        ));
    }
    if let Some(rest) = given.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if parts.len() != 5
            || !parts[0].starts_with("aws")
            || parts[1] != "kms"
            || parts[2].is_empty()
            || parts[3].len() != 12
            || !parts[3].chars().all(|c| c.is_ascii_digit())
        {
            return Err(invalid_arn(given));
        }
        let (account, region) = (Some(parts[3].to_string()), Some(parts[2].to_string()));
        let resource = parts[4];
        if let Some(id) = resource.strip_prefix("key/") {
            if id.is_empty() {
                return Err(invalid_arn(given));
            }
            return Ok(KeyRef::Key {
                account,
                region,
                key_id: id.to_string(),
            });
        }
        if resource.starts_with("alias/") && resource.len() > "alias/".len() {
            return Ok(KeyRef::Alias {
                account,
                region,
                name: resource.to_string(),
            });
        }
        return Err(invalid_arn(given));
    }
    if given.starts_with("alias/") {
        return Ok(KeyRef::Alias {
            account: None,
            region: None,
            name: given.to_string(),
        });
    }
    if is_key_id(given) {
        return Ok(KeyRef::Key {
            account: None,
            region: None,
            key_id: given.to_string(),
        });
    }
    Err(AwsError::client(
        "NotFoundException",
        format!("Invalid keyId '{given}'"),
    ))
}

/// Checks an alias name for CreateAlias/UpdateAlias/DeleteAlias.
pub fn validate_alias_name(name: &str) -> Result<(), AwsError> {
    let len = name.chars().count();
    if len == 0 || len > 256 {
        return Err(AwsError::client(
            "ValidationException",
            super::super::constraint_message(
                name,
                "aliasName",
                "Member must have length less than or equal to 256",
            ),
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ":/_-".contains(c))
    {
        return Err(AwsError::client(
            "ValidationException",
            super::super::constraint_message(
                name,
                "aliasName",
                "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
            ),
        ));
    }
    if !name.starts_with("alias/") || name.len() == "alias/".len() {
        return Err(AwsError::client(
            "InvalidAliasNameException",
            "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
        ));
    }
    if name.starts_with("alias/aws/") {
        return Err(AwsError::client(
            "NotAuthorizedException",
            "Cannot create, update or delete an alias with the reserved prefix \"alias/aws/\".",
        ));
    }
    Ok(())
}
