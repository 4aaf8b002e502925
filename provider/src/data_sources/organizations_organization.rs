//! aws_organizations_organization (data source): the organization the caller belongs to.

use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::resources::organizations_organization::read_organization;
use crate::schema::Schema;

pub struct OrganizationData {
    schema: Schema,
}

impl Default for OrganizationData {
    fn default() -> Self {
        Self::new()
    }
}

impl OrganizationData {
    pub fn new() -> Self {
        OrganizationData {
            schema: Schema::data_source("aws_organizations_organization"),
        }
    }
}

impl DataSource for OrganizationData {
    fn type_name(&self) -> &'static str {
        "aws_organizations_organization"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        match read_organization(ctx, config)? {
            Some(v) => Ok(v),
            None => Err(vec![Diag::error(
                "reading Organizations Organization: AWSOrganizationsNotInUseException: Your account is not a member of an organization.",
            )]),
        }
    }
}
