//! The one interface through which the provider reaches the simulator. The in-process
//! implementation opens the state folder directly; an HTTP implementation (for
//! `endpoints { cloudtrail = URL }`) speaks the AWS wire protocols to `ctsim serve`.

use std::sync::Arc;

use ctsim::{AwsError, CallerContext, Principal, Simulator};
use serde_json::Value as Json;

/// Sends AWS-shaped JSON requests (the AWS JSON 1.1 body) and returns AWS-shaped responses.
pub trait AwsClient: Send + Sync {
    fn call(
        &self,
        region: &str,
        service: &str,
        operation: &str,
        request: Json,
    ) -> Result<Json, AwsError>;

    /// The account the caller's credentials belong to.
    fn account_id(&self) -> String;
}

/// Calls the simulator in this process, on the state folder the provider was configured with.
pub struct InProcess {
    simulator: Arc<Simulator>,
    user_agent: String,
    /// `assume_role { role_arn }`: every call runs as this account and assumed-role session.
    assumed: Option<(String, Principal)>,
}

/// The account and assumed-role session (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`)
/// that `assume_role { role_arn, session_name }` gives, with stable AROA/ASIA ids.
pub fn assumed_role_principal(
    role_arn: &str,
    session_name: Option<&str>,
    creation_date: &str,
) -> Result<(String, Principal), String> {
    let parts: Vec<&str> = role_arn.splitn(6, ':').collect();
    let role = parts
        .get(5)
        .and_then(|r| r.strip_prefix("role/"))
        .map(|r| r.rsplit('/').next().unwrap_or(r));
    let (Some(account), Some(role)) = (parts.get(4).filter(|a| a.len() == 12), role) else {
        return Err(format!(
            "assume_role.role_arn ({role_arn}) is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
        ));
    };
    let partition = parts.get(1).copied().unwrap_or("aws");
    let session = session_name
        .filter(|s| !s.is_empty())
        .unwrap_or("aws-go-sdk-session")
        .to_string();
    let role_arn = format!("arn:{partition}:iam::{account}:role/{role}");
    let role_id = ctsim::services::sts::role_id_for(&role_arn);
    let access_key_id = format!(
        "ASIA{}",
        ctsim::ids::token_from(&format!("session:{account}:{role}:{session}"), 16)
    );
    Ok((
        account.to_string(),
        Principal::assumed_role(&role_arn, &role_id, &session, &access_key_id, creation_date),
    ))
}

impl InProcess {
    pub fn new(simulator: Arc<Simulator>, terraform_version: &str) -> Self {
        let user_agent = format!(
            "APN/1.0 HashiCorp/1.0 Terraform/{terraform_version} (+https://www.terraform.io) terraform-provider-aws/{} (ctsim)",
            crate::PROVIDER_VERSION
        );
        InProcess {
            simulator,
            user_agent,
            assumed: None,
        }
    }

    /// Calls made as the session `assume_role { role_arn, session_name }` yields.
    pub fn with_assumed_role(
        mut self,
        role_arn: &str,
        session_name: Option<&str>,
    ) -> Result<Self, String> {
        let created = self
            .simulator
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.assumed = Some(assumed_role_principal(role_arn, session_name, &created)?);
        Ok(self)
    }

    fn context(&self, region: &str) -> CallerContext {
        let mut ctx = self.simulator.default_caller(region);
        if let Some((account, principal)) = &self.assumed {
            ctx.account_id = account.clone();
            ctx.principal = principal.clone();
        }
        ctx.user_agent = self.user_agent.clone();
        ctx
    }
}

impl AwsClient for InProcess {
    fn call(
        &self,
        region: &str,
        service: &str,
        operation: &str,
        request: Json,
    ) -> Result<Json, AwsError> {
        self.simulator
            .invoke(&self.context(region), service, operation, request)
    }

    fn account_id(&self) -> String {
        self.context("us-east-1").account_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assumed_role_sessions_run_in_the_role_account() {
        let (account, p) = assumed_role_principal(
            "arn:aws:iam::222222222222:role/x",
            Some("tf"),
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
        assert_eq!(account, "222222222222");
        assert_eq!(p.identity_type, "AssumedRole");
        assert_eq!(p.arn, "arn:aws:sts::222222222222:assumed-role/x/tf");
        assert!(p.principal_id.starts_with("AROA") && p.principal_id.ends_with(":tf"));
        assert!(assumed_role_principal("arn:aws:iam::222222222222:user/x", None, "").is_err());
    }
}
