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
    /// For temporary credentials (`AssumedRole`): who issued the session, recorded as
    /// `userIdentity.sessionContext`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_context: Option<SessionContext>,
}

/// `userIdentity.sessionContext` of a role session: the role that issued it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionContext {
    /// `sessionIssuer.type`: `Role`.
    pub issuer_type: String,
    /// The role's unique id (`AROA…`).
    pub issuer_principal_id: String,
    /// The role ARN (with its path).
    pub issuer_arn: String,
    pub issuer_account_id: String,
    /// The role name.
    pub issuer_user_name: String,
    /// `attributes.creationDate`, ISO-8601 seconds.
    pub creation_date: String,
    pub mfa_authenticated: bool,
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
            session_context: None,
        }
    }

    /// A role session (`AssumedRole`): principal id `AROA…:session`, ARN
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` (the role path is not part of it).
    /// `role_arn` is `arn:aws:iam::ACCOUNT:role/[PATH/]ROLE`; `role_id` its `AROA…` id.
    pub fn assumed_role(
        role_arn: &str,
        role_id: &str,
        session_name: &str,
        access_key_id: &str,
        creation_date: &str,
    ) -> Principal {
        let account = role_arn.split(':').nth(4).unwrap_or_default().to_string();
        let role_name = role_arn.rsplit('/').next().unwrap_or_default().to_string();
        Principal {
            identity_type: "AssumedRole".to_string(),
            principal_id: format!("{role_id}:{session_name}"),
            arn: format!("arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"),
            user_name: Some(session_name.to_string()),
            access_key_id: Some(access_key_id.to_string()),
            session_context: Some(SessionContext {
                issuer_type: "Role".to_string(),
                issuer_principal_id: role_id.to_string(),
                issuer_arn: role_arn.to_string(),
                issuer_account_id: account,
                issuer_user_name: role_name,
                creation_date: creation_date.to_string(),
                mfa_authenticated: false,
            }),
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

    #[test]
    fn assumed_role_principal_drops_role_path_from_session_arn() {
        let p = Principal::assumed_role(
            "arn:aws:iam::111122223333:role/service/Deploy",
            "AROAEXAMPLEEXAMPLE123",
            "ci",
            "ASIAEXAMPLE",
            "2024-01-01T00:00:00Z",
        );
        assert_eq!(p.identity_type, "AssumedRole");
        assert_eq!(p.arn, "arn:aws:sts::111122223333:assumed-role/Deploy/ci");
        assert_eq!(p.principal_id, "AROAEXAMPLEEXAMPLE123:ci");
        let sc = p
            .session_context
            .expect("assumed roles carry a session context");
        assert_eq!(
            sc.issuer_arn,
            "arn:aws:iam::111122223333:role/service/Deploy"
        );
        assert_eq!(sc.issuer_user_name, "Deploy");
        assert_eq!(sc.issuer_account_id, "111122223333");
    }
}
