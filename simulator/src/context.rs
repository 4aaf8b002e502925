//! Who is calling: the account, region and principal every operation runs as, and what is
//! recorded in `userIdentity`, `sourceIPAddress` and `userAgent`.

use serde::{Deserialize, Serialize};

use crate::ids;

pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
pub const DEFAULT_REGION: &str = "us-east-1";
pub const DEFAULT_USER_NAME: &str = "ctsim";
pub const DEFAULT_USER_AGENT: &str = concat!("ctsim/", env!("CARGO_PKG_VERSION"));
pub const DEFAULT_SOURCE_IP: &str = "127.0.0.1";

/// The identity recorded as `userIdentity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// `IAMUser`, `AssumedRole`, `Root`, `AWSService`, ...
    pub identity_type: String,
    pub principal_id: String,
    pub arn: String,
    pub user_name: Option<String>,
    pub access_key_id: Option<String>,
}

impl Principal {
    /// An IAM user with a stable principal id (`AIDA…`) and access key id (`AKIA…`)
    /// derived from the account and the user name.
    pub fn iam_user(account_id: &str, user_name: &str) -> Principal {
        let basis = format!("{account_id}:{user_name}");
        Principal {
            identity_type: "IAMUser".to_string(),
            principal_id: format!("AIDA{}", ids::token_from(&format!("principal:{basis}"), 17)),
            arn: format!("arn:aws:iam::{account_id}:user/{user_name}"),
            user_name: Some(user_name.to_string()),
            access_key_id: Some(format!(
                "AKIA{}",
                ids::token_from(&format!("key:{basis}"), 16)
            )),
        }
    }
}

/// The `tlsDetails` block of a record, for calls that came over TLS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsDetails {
    pub tls_version: String,
    pub cipher_suite: String,
    pub client_provided_host_header: String,
}

/// The caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerContext {
    pub account_id: String,
    pub region: String,
    pub principal: Principal,
    pub user_agent: String,
    pub source_ip: String,
    pub tls_details: Option<TlsDetails>,
}

impl CallerContext {
    /// The default IAM user (`ctsim`) of `account_id`, calling in `region`.
    pub fn new(account_id: impl Into<String>, region: impl Into<String>) -> CallerContext {
        let account_id = account_id.into();
        CallerContext {
            principal: Principal::iam_user(&account_id, DEFAULT_USER_NAME),
            account_id,
            region: region.into(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            source_ip: DEFAULT_SOURCE_IP.to_string(),
            tls_details: None,
        }
    }

    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    pub fn with_source_ip(mut self, ip: impl Into<String>) -> Self {
        self.source_ip = ip.into();
        self
    }

    pub fn with_principal(mut self, principal: Principal) -> Self {
        self.principal = principal;
        self
    }

    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    pub fn with_tls_details(mut self, tls: TlsDetails) -> Self {
        self.tls_details = Some(tls);
        self
    }
}

impl Default for CallerContext {
    fn default() -> Self {
        CallerContext::new(DEFAULT_ACCOUNT_ID, DEFAULT_REGION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_principal_is_stable_iam_user() {
        let a = CallerContext::default();
        let b = CallerContext::new("123456789012", "us-east-1");
        assert_eq!(a, b);
        assert_eq!(a.principal.arn, "arn:aws:iam::123456789012:user/ctsim");
        let key = a.principal.access_key_id.clone().unwrap_or_default();
        assert!(key.starts_with("AKIA") && key.len() == 20, "{key}");
        assert!(
            a.principal.principal_id.starts_with("AIDA") && a.principal.principal_id.len() == 21
        );
    }
}
