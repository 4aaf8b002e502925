//! Data sources. One data source, one file; like resources, they only translate between
//! Terraform values and AWS-shaped requests.

use tfplugin6::value::Value;

pub mod caller_identity;
pub mod cloudtrail_service_account;
pub mod generic;
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

/// Every data source served: the ones answered in depth, then every other hashicorp/aws
/// data source with the generic tier.
pub fn all() -> Vec<Box<dyn DataSource>> {
    let mut all = simulated();
    let taken: std::collections::HashSet<&str> = all.iter().map(|d| d.type_name()).collect();
    let generic: Vec<Box<dyn DataSource>> =
        crate::reference::type_names(crate::reference::Kind::DataSource)
            .into_iter()
            .filter(|t| !taken.contains(t))
            .map(|t| Box::new(generic::GenericData::new(t)) as Box<dyn DataSource>)
            .collect();
    all.extend(generic);
    all
}

/// The data sources the simulator answers in depth.
pub fn simulated() -> Vec<Box<dyn DataSource>> {
    vec![
        Box::new(caller_identity::CallerIdentity::new()),
        Box::new(cloudtrail_service_account::ServiceAccount::new()),
        Box::new(iam_policy_document::PolicyDocument::new()),
        Box::new(organizations_organization::OrganizationData::new()),
        Box::new(partition::Partition::new()),
        Box::new(region::Region::new()),
    ]
}
