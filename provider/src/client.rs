//! The one interface through which the provider reaches the simulator. The in-process
//! implementation opens the state folder directly; an HTTP implementation (for
//! `endpoints { cloudtrail = URL }`) speaks the AWS wire protocols to `ctsim serve`.

use std::sync::Arc;

use ctsim::{AwsError, CallerContext, Simulator};
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
        }
    }

    fn context(&self, region: &str) -> CallerContext {
        let mut ctx = self.simulator.default_caller(region);
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
