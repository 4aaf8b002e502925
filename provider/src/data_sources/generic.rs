//! Every hashicorp/aws data source ctsim does not answer in depth: served with its
//! hashicorp/aws schema; the generic tier answers what every account has (zones, default
//! VPC, service accounts), the objects it stores, or values derived from the arguments.

use std::sync::OnceLock;

use serde_json::json;
use tfplugin6::value::Value;

use super::DataSource;
use crate::diagnostics::Diags;
use crate::resources::generic::{from_json, service_label, to_json};
use crate::resources::{Ctx, api_error};
use crate::schema::Schema;

pub struct GenericData {
    type_name: &'static str,
    schema: OnceLock<Schema>,
}

impl GenericData {
    pub fn new(type_name: &'static str) -> Self {
        GenericData {
            type_name,
            schema: OnceLock::new(),
        }
    }
}

impl DataSource for GenericData {
    fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn schema(&self) -> &Schema {
        self.schema
            .get_or_init(|| Schema::data_source(self.type_name))
    }

    fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, Diags> {
        let region = ctx.region_of(config);
        let ty = self.schema().block.value_type();
        let request = json!({"TypeName": self.type_name, "Config": to_json(config, &ty)?});
        let ops = ctsim::services::generic::operations_of(
            ctsim::services::generic::Table::DataSource,
            self.type_name,
        );
        let response = ctx
            .call(
                &region,
                ctsim::services::generic::SERVICE,
                "ReadDataSource",
                request,
            )
            .map_err(|e| {
                vec![api_error(
                    &format!("reading {}", self.type_name),
                    &service_label(&ops.event_source),
                    &ops.read.clone().unwrap_or_default(),
                    &e,
                )]
            })?;
        from_json(&response["State"], &ty)
    }
}
