//! The access keys `ctsim serve` accepts, and who they belong to.
//!
//! - `test` / `test` (the LocalStack-style pair the AWS CLI and SDKs are usually given
//!   locally): the default account's default IAM user (settings `default.account_id`,
//!   `default.user_name`).
//! - an access key id of 12 digits with the secret `test`: the IAM user `ctsim` of that
//!   account (so a second account needs no set-up, e.g. an organization member).
//! - every entry of `credentials.json` in the state folder (or the file named by
//!   `ctsim serve --credentials`):
//!   `{"Credentials": [{"AccessKeyId": "...", "SecretAccessKey": "...", "AccountId":
//!   "111111111111", "UserName": "alice"}]}`.
//! - temporary credentials issued by STS AssumeRole (`ASIA…`), until they expire; the
//!   request must carry their session token.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::context::{CallerContext, Principal};
use crate::services::{Env, sts};
use crate::simulator::Simulator;

/// The default access key id and secret.
pub const DEFAULT_ACCESS_KEY_ID: &str = "test";
pub const DEFAULT_SECRET: &str = "test";
/// The credentials file in the state folder.
pub const FILE_NAME: &str = "credentials.json";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Entry {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub account_id: String,
    #[serde(default)]
    pub user_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct File {
    #[serde(default)]
    credentials: Vec<Entry>,
}

/// What a key resolves to.
#[derive(Debug, Clone)]
pub enum Lookup {
    Known {
        secret: String,
        caller: Box<CallerContext>,
        /// Temporary credentials: the token the request must carry.
        session_token: Option<String>,
    },
    /// STS credentials past their expiration.
    Expired,
    Unknown,
}

/// Long-term keys (loaded once at start) plus STS sessions (looked up in the store).
#[derive(Debug, Clone)]
pub struct Credentials {
    keys: HashMap<String, Entry>,
    default_account: String,
    default_user: String,
}

impl Credentials {
    /// The built-in pair plus `file` (if it exists).
    pub fn load(
        file: Option<&Path>,
        default_account: &str,
        default_user: &str,
    ) -> Result<Credentials, String> {
        let mut keys = HashMap::new();
        keys.insert(
            DEFAULT_ACCESS_KEY_ID.to_string(),
            Entry {
                access_key_id: DEFAULT_ACCESS_KEY_ID.into(),
                secret_access_key: DEFAULT_SECRET.into(),
                account_id: default_account.into(),
                user_name: Some(default_user.into()),
            },
        );
        if let Some(path) = file.filter(|p| p.exists()) {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let parsed: File = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a credentials file: {e}", path.display()))?;
            for e in parsed.credentials {
                if e.account_id.len() != 12 || !e.account_id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!(
                        "{}: AccountId {:?} of {} must be 12 digits",
                        path.display(),
                        e.account_id,
                        e.access_key_id
                    ));
                }
                keys.insert(e.access_key_id.clone(), e);
            }
        }
        Ok(Credentials {
            keys,
            default_account: default_account.into(),
            default_user: default_user.into(),
        })
    }

    /// The default file location in a state folder.
    pub fn default_file(state_dir: &Path) -> PathBuf {
        state_dir.join(FILE_NAME)
    }

    /// Whom `access_key_id` belongs to, calling in `region`.
    pub fn lookup(&self, sim: &Simulator, access_key_id: &str, region: &str) -> Lookup {
        if let Some(e) = self.keys.get(access_key_id) {
            let user = e.user_name.as_deref().unwrap_or(&self.default_user);
            let mut principal = Principal::iam_user(&e.account_id, user);
            // The key recorded in userIdentity.accessKeyId is the one the caller used.
            principal.access_key_id = Some(access_key_id.to_string());
            return Lookup::Known {
                secret: e.secret_access_key.clone(),
                caller: Box::new(
                    CallerContext::new(e.account_id.clone(), region).with_principal(principal),
                ),
                session_token: None,
            };
        }
        if access_key_id.len() == 12 && access_key_id.bytes().all(|b| b.is_ascii_digit()) {
            let mut principal = Principal::iam_user(access_key_id, &self.default_user);
            principal.access_key_id = Some(access_key_id.to_string());
            return Lookup::Known {
                secret: DEFAULT_SECRET.into(),
                caller: Box::new(
                    CallerContext::new(access_key_id, region).with_principal(principal),
                ),
                session_token: None,
            };
        }
        if access_key_id.starts_with("ASIA") {
            let found = sim.read(|db| {
                let now = db.clock()?.now();
                let env = Env {
                    db,
                    now,
                    state_dir: sim.state_dir(),
                };
                Ok(sts::assume::session(&env, access_key_id)?.map(|s| (s, now)))
            });
            if let Ok(Some((s, now))) = found {
                // Sessions expire on the simulator's clock, the one that issued them.
                if s.expiration_ms <= crate::clock::to_millis(now) {
                    return Lookup::Expired;
                }
                if s.secret_access_key.is_empty() {
                    // Issued by an older ctsim that did not keep the secret.
                    return Lookup::Unknown;
                }
                return Lookup::Known {
                    secret: s.secret_access_key.clone(),
                    caller: Box::new(s.caller(region)),
                    session_token: Some(s.session_token.clone()),
                };
            }
        }
        Lookup::Unknown
    }

    /// The default account (for `ctsim serve`'s start-up banner).
    pub fn default_account(&self) -> &str {
        &self.default_account
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_and_account_keys_resolve_to_iam_users() {
        let dir = tempfile::tempdir().unwrap();
        let sim = Simulator::open(dir.path()).unwrap();
        let c = Credentials::load(None, "123456789012", "ctsim").unwrap();
        match c.lookup(&sim, "test", "eu-west-1") {
            Lookup::Known { secret, caller, .. } => {
                assert_eq!(secret, "test");
                assert_eq!(caller.account_id, "123456789012");
                assert_eq!(caller.region, "eu-west-1");
                assert_eq!(caller.principal.arn, "arn:aws:iam::123456789012:user/ctsim");
            }
            other => panic!("{other:?}"),
        }
        match c.lookup(&sim, "222222222222", "us-east-1") {
            Lookup::Known { caller, .. } => assert_eq!(caller.account_id, "222222222222"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            c.lookup(&sim, "AKIANOPE", "us-east-1"),
            Lookup::Unknown
        ));
        assert!(matches!(
            c.lookup(&sim, "ASIANOPE", "us-east-1"),
            Lookup::Unknown
        ));
    }

    #[test]
    fn credentials_file_adds_keys_and_rejects_bad_accounts() {
        let dir = tempfile::tempdir().unwrap();
        let sim = Simulator::open(dir.path()).unwrap();
        let f = dir.path().join(FILE_NAME);
        std::fs::write(
            &f,
            r#"{"Credentials":[{"AccessKeyId":"AKIAALICE","SecretAccessKey":"s3cret","AccountId":"111111111111","UserName":"alice"}]}"#,
        )
        .unwrap();
        let c = Credentials::load(Some(&f), "123456789012", "ctsim").unwrap();
        match c.lookup(&sim, "AKIAALICE", "us-east-1") {
            Lookup::Known { secret, caller, .. } => {
                assert_eq!(secret, "s3cret");
                assert_eq!(caller.principal.arn, "arn:aws:iam::111111111111:user/alice");
                assert_eq!(caller.principal.access_key_id.as_deref(), Some("AKIAALICE"));
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(
            &f,
            r#"{"Credentials":[{"AccessKeyId":"A","SecretAccessKey":"s","AccountId":"12"}]}"#,
        )
        .unwrap();
        assert!(Credentials::load(Some(&f), "123456789012", "ctsim").is_err());
        std::fs::write(&f, "not json").unwrap();
        assert!(Credentials::load(Some(&f), "123456789012", "ctsim").is_err());
    }

    #[test]
    fn assumed_role_sessions_verify_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let sim = Simulator::open(dir.path()).unwrap();
        sim.set_time(chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap())
            .unwrap();
        let out = sim
            .invoke(
                &sim.default_caller("us-east-1"),
                "sts",
                "AssumeRole",
                serde_json::json!({"RoleArn": "arn:aws:iam::123456789012:role/r", "RoleSessionName": "ci"}),
            )
            .unwrap();
        let key = out["Credentials"]["AccessKeyId"]
            .as_str()
            .unwrap()
            .to_string();
        let secret = out["Credentials"]["SecretAccessKey"].as_str().unwrap();
        let c = Credentials::load(None, "123456789012", "ctsim").unwrap();
        match c.lookup(&sim, &key, "us-east-1") {
            Lookup::Known {
                secret: s,
                caller,
                session_token,
            } => {
                assert_eq!(s, secret);
                assert_eq!(caller.principal.identity_type, "AssumedRole");
                assert_eq!(
                    session_token.as_deref(),
                    out["Credentials"]["SessionToken"].as_str()
                );
            }
            other => panic!("{other:?}"),
        }
        sim.advance_time(chrono::Duration::hours(2)).unwrap();
        assert!(matches!(c.lookup(&sim, &key, "us-east-1"), Lookup::Expired));
    }
}
