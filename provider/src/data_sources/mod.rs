//! Data sources. One data source, one file; like resources, they only translate between
//! Terraform values and AWS-shaped requests.

use tfplugin6::value::Value;

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
    vec![]
}
