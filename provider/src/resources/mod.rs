//! Managed resource types. One resource, one file; each translates between Terraform
//! values and AWS-shaped requests and holds no CloudTrail rules of its own.

use std::collections::BTreeMap;

use ctsim::AwsError;
use serde_json::Value as Json;
use tfplugin6::value::Value;

use crate::client::AwsClient;
use crate::diagnostics::{Diag, Diags};
use crate::schema::Schema;

pub mod advanced_selectors;
pub mod cloudtrail;
pub mod cloudtrail_event_data_store;
pub mod cloudtrail_organization_delegated_admin_account;
pub mod cloudwatch_event_rule;
pub mod cloudwatch_event_target;
pub mod cloudwatch_log_group;
pub mod cloudwatch_log_metric_filter;
pub mod cloudwatch_metric_alarm;
pub mod generic;
pub mod iam_policy;
pub mod iam_policy_attachment;
pub mod iam_role;
pub mod iam_role_policy;
pub mod iam_role_policy_attachment;
pub mod kms_alias;
pub mod kms_key;
pub mod organizations_account;
pub mod organizations_organization;
pub mod policy_json;
pub mod s3_bucket;
pub mod s3_bucket_acl;
pub mod s3_bucket_lifecycle_configuration;
pub mod s3_bucket_logging;
pub mod s3_bucket_ownership_controls;
pub mod s3_bucket_policy;
pub mod s3_bucket_public_access_block;
pub mod s3_bucket_server_side_encryption_configuration;
pub mod s3_bucket_versioning;
pub mod s3_common;
pub mod sns_topic;
pub mod sns_topic_policy;
pub mod sns_topic_subscription;

/// What a resource operation needs from the configured provider.
pub struct Ctx<'a> {
    pub client: &'a dyn AwsClient,
    /// The provider's region; a resource's own `region` argument overrides it.
    pub region: String,
    pub default_tags: BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// The region a resource lives in: its `region` attribute, else the provider's.
    pub fn region_of(&self, state: &Value) -> String {
        use crate::values::ValueExt;
        state
            .attr("region")
            .str_opt()
            .unwrap_or(&self.region)
            .to_string()
    }

    pub fn call(&self, region: &str, service: &str, op: &str, req: Json) -> Result<Json, AwsError> {
        self.client.call(region, service, op, req)
    }
}

pub trait Resource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    /// Resource-specific planning after the generic planner (computed values that depend on
    /// other arguments). `prior` is Null on create.
    fn modify_plan(&self, _ctx: &Ctx, _prior: &Value, _planned: &mut Value) {}
    /// Checks the generic validators cannot express.
    fn validate(&self, _config: &Value) -> Diags {
        Vec::new()
    }
    /// Creates the object; on a partial failure returns the state reached so far with the error.
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)>;
    /// Reads the object; Ok(None) when it no longer exists.
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags>;
    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)>;
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags>;
    /// Turns an import ID into a minimal state that `read` can complete.
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags>;
}

/// Every resource type served: the ones simulated in depth, then every other hashicorp/aws
/// resource type with the generic tier.
pub fn all() -> Vec<Box<dyn Resource>> {
    let mut all = simulated();
    let taken: std::collections::HashSet<&str> = all.iter().map(|r| r.type_name()).collect();
    let generic: Vec<Box<dyn Resource>> =
        crate::reference::type_names(crate::reference::Kind::Resource)
            .into_iter()
            .filter(|t| !taken.contains(t))
            .map(|t| Box::new(generic::Generic::new(t)) as Box<dyn Resource>)
            .collect();
    all.extend(generic);
    all
}

/// The resource types the simulator models in depth.
pub fn simulated() -> Vec<Box<dyn Resource>> {
    use s3_common::BucketConfigResource as Cfg;
    vec![
        Box::new(cloudtrail::Trail::new()),
        Box::new(cloudtrail_event_data_store::EventDataStore::new()),
        Box::new(s3_bucket::Bucket::new()),
        Box::new(Cfg(s3_bucket_acl::BucketAcl::new())),
        Box::new(Cfg(
            s3_bucket_lifecycle_configuration::LifecycleConfiguration::new(),
        )),
        Box::new(Cfg(s3_bucket_logging::BucketLogging::new())),
        Box::new(Cfg(s3_bucket_ownership_controls::OwnershipControls::new())),
        Box::new(Cfg(s3_bucket_policy::BucketPolicy::new())),
        Box::new(Cfg(s3_bucket_public_access_block::PublicAccessBlock::new())),
        Box::new(Cfg(
            s3_bucket_server_side_encryption_configuration::ServerSideEncryption::new(),
        )),
        Box::new(Cfg(s3_bucket_versioning::Versioning::new())),
        Box::new(sns_topic::Topic::new()),
        Box::new(sns_topic_policy::TopicPolicy::new()),
        Box::new(sns_topic_subscription::TopicSubscription::new()),
        Box::new(cloudtrail_organization_delegated_admin_account::DelegatedAdminAccount::new()),
        Box::new(cloudwatch_event_rule::Rule::new()),
        Box::new(cloudwatch_event_target::Target::new()),
        Box::new(cloudwatch_log_group::LogGroup::new()),
        Box::new(cloudwatch_log_metric_filter::MetricFilter::new()),
        Box::new(cloudwatch_metric_alarm::MetricAlarm::new()),
        Box::new(iam_policy::Policy::new()),
        Box::new(iam_policy_attachment::PolicyAttachment::new()),
        Box::new(iam_role::Role::new()),
        Box::new(iam_role_policy::RolePolicy::new()),
        Box::new(iam_role_policy_attachment::RolePolicyAttachment::new()),
        Box::new(kms_alias::Alias::new()),
        Box::new(kms_key::Key::new()),
        Box::new(organizations_account::Account::new()),
        Box::new(organizations_organization::Organization::new()),
    ]
}

/// An AWS error as hashicorp/aws words it: "CONTEXT: operation error SERVICE: OP, api error CODE: MESSAGE".
pub fn api_error(context: &str, service: &str, op: &str, e: &AwsError) -> Diag {
    Diag::error(format!(
        "{context}: operation error {service}: {op}, api error {}: {}",
        e.code, e.message
    ))
}

/// An AWS JSON response field that should have been there.
pub fn missing(what: &str) -> Diags {
    vec![Diag::error(format!(
        "unexpected response from the simulator: missing {what}"
    ))]
}

/// Helpers shared by the resource files: tags, generated names, JSON accessors.
pub mod support;
