//! aws_organizations_organization (data source): the organization the caller belongs to.

use tfplugin6::value::{Type, Value};

use super::DataSource;
use crate::diagnostics::{Diag, Diags};
use crate::resources::Ctx;
use crate::resources::organizations_organization::{computed_attributes, read_organization};
use crate::schema::{Attribute, Block, Schema, string_set};

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
        let mut attributes = computed_attributes();
        attributes.extend([
            Attribute::optional_computed("id", Type::String),
            Attribute::computed("aws_service_access_principals", string_set()),
            Attribute::computed("enabled_policy_types", string_set()),
            Attribute::computed("feature_set", Type::String),
        ]);
        OrganizationData {
            schema: Schema {
                version: 0,
                block: Block::new(attributes, vec![]),
            },
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
