//! Data sources. One data source, one file; like resources, they only translate between
//! Terraform values and AWS-shaped requests.

use tfplugin6::value::Value;

pub mod caller_identity;
pub mod cloudtrail_service_account;
pub mod iam_policy_document;
pub mod organizations_organization;
pub mod partition;
pub mod region;

use crate::diagnostics::Diags;
use crate::resources::Ctx;
use crate::schema::Schema;

pub trait DataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    /// Reads the data source for a configuration (computed values filled in). Called with
    /// a wholly known configuration only.
    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags>;
}

pub fn all() -> Vec<Box<dyn DataSource>> {
    vec![
        Box::new(caller_identity::CallerIdentity::new()),
        Box::new(cloudtrail_service_account::ServiceAccount::new()),
        Box::new(iam_policy_document::PolicyDocument::new()),
        Box::new(organizations_organization::OrganizationData::new()),
        Box::new(partition::Partition::new()),
        Box::new(region::Region::new()),
    ]
}
