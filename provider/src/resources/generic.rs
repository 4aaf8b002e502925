//! Every hashicorp/aws resource type ctsim does not simulate in depth: served with its
//! hashicorp/aws schema and the generic tier's behaviour (`ctsim::services::generic`):
//! create stores the configuration with plausible computed values, read returns what is
//! stored, update is in place, delete forgets. Force-new attributes come from the type
//! tables where hashicorp/aws's source was read for them (docs/generic.md).

use std::sync::OnceLock;

use serde_json::{Value as Json, json};
use tfplugin6::value::{Type, Value, decode_json_value, encode_json_value};

use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::schema::Schema;
use crate::values::{ValueExt, unknowns_to_null};

const SERVICE: &str = ctsim::services::generic::SERVICE;

pub struct Generic {
    type_name: &'static str,
    schema: OnceLock<Schema>,
}

impl Generic {
    pub fn new(type_name: &'static str) -> Self {
        Generic {
            type_name,
            schema: OnceLock::new(),
        }
    }
}

/// A generic type's schema: hashicorp/aws's, with the force-new attributes the type tables
/// record from its source.
pub fn schema_of(type_name: &str) -> Schema {
    let force_new = ctsim::services::generic::type_facts(type_name)
        .map(|f| f.force_new.clone())
        .unwrap_or_default();
    force_new
        .iter()
        .fold(Schema::resource(type_name), |s, path| s.force_new_at(path))
}

/// A planned or stored value as the generic tier's JSON (unknown values are null: the
/// simulator decides them).
pub fn to_json(v: &Value, ty: &Type) -> Result<Json, Diags> {
    encode_json_value(&unknowns_to_null(v.clone()), ty)
        .map_err(|e| vec![Diag::error("cannot encode the configuration").detail(e.to_string())])
}

/// The simulator's answer as a value of the type.
pub fn from_json(j: &Json, ty: &Type) -> Result<Value, Diags> {
    decode_json_value(j, ty)
        .map_err(|e| vec![Diag::error("unexpected state from the simulator").detail(e.to_string())])
}

impl Generic {
    fn call(&self, ctx: &Ctx, region: &str, op: &str, req: Json) -> Result<Json, ctsim::AwsError> {
        ctx.call(region, SERVICE, op, req)
    }

    fn label(&self) -> String {
        let (service, noun) =
            ctsim::services::generic::tables::service_and_noun(self.type_name, None);
        format!("{} {noun}", service.to_uppercase())
    }

    fn state_of(&self, response: &Json) -> Result<Value, Diags> {
        from_json(&response["State"], &self.schema().block.value_type())
    }
}

impl Resource for Generic {
    fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn schema(&self) -> &Schema {
        self.schema.get_or_init(|| schema_of(self.type_name))
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let ty = self.schema().block.value_type();
        let config = to_json(planned, &ty).map_err(|d| (None, d))?;
        let ops = ctsim::services::generic::operations_of(
            ctsim::services::generic::Table::Resource,
            self.type_name,
        );
        let op = ops.create.unwrap_or_default();
        self.call(
            ctx,
            &region,
            "CreateResource",
            json!({"TypeName": self.type_name, "Config": config}),
        )
        .map_err(|e| {
            (
                None,
                vec![api_error(
                    &format!("creating {}", self.label()),
                    &service_label(&ops.event_source),
                    &op,
                    &e,
                )],
            )
        })
        .and_then(|r| self.state_of(&r).map_err(|d| (None, d)))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let Some(id) = state.attr("id").str_opt().filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let ops = ctsim::services::generic::operations_of(
            ctsim::services::generic::Table::Resource,
            self.type_name,
        );
        match self.call(
            ctx,
            &region,
            "ReadResource",
            json!({"TypeName": self.type_name, "Id": id}),
        ) {
            Ok(r) => self.state_of(&r).map(Some),
            Err(e) if e.code == ctsim::services::generic::not_found_code(self.type_name) => {
                Ok(None)
            }
            Err(e) => Err(vec![api_error(
                &format!("reading {} ({id})", self.label()),
                &service_label(&ops.event_source),
                &ops.read.unwrap_or_default(),
                &e,
            )]),
        }
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let id = prior.attr("id").str_opt().unwrap_or_default().to_string();
        let ty = self.schema().block.value_type();
        let config = to_json(planned, &ty).map_err(|d| (Some(prior.clone()), d))?;
        let ops = ctsim::services::generic::operations_of(
            ctsim::services::generic::Table::Resource,
            self.type_name,
        );
        self.call(
            ctx,
            &region,
            "UpdateResource",
            json!({"TypeName": self.type_name, "Id": id, "Config": config}),
        )
        .map_err(|e| {
            (
                Some(prior.clone()),
                vec![api_error(
                    &format!("updating {} ({id})", self.label()),
                    &service_label(&ops.event_source),
                    &ops.update.unwrap_or_default(),
                    &e,
                )],
            )
        })
        .and_then(|r| self.state_of(&r).map_err(|d| (Some(prior.clone()), d)))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = state.attr("id").str_opt().unwrap_or_default();
        let ops = ctsim::services::generic::operations_of(
            ctsim::services::generic::Table::Resource,
            self.type_name,
        );
        match self.call(
            ctx,
            &region,
            "DeleteResource",
            json!({"TypeName": self.type_name, "Id": id}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == ctsim::services::generic::not_found_code(self.type_name) => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {} ({id})", self.label()),
                &service_label(&ops.event_source),
                &ops.delete.unwrap_or_default(),
                &e,
            )]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let mut seed = Value::Object(Default::default());
        crate::values::set_attr(&mut seed, "id", Value::String(id.to_string()));
        match self.read(ctx, &seed)? {
            Some(state) => Ok(state),
            None => Err(vec![Diag::error("Cannot import non-existent remote object").detail(format!(
                "While attempting to import an existing object to \"{}\", the provider detected that no object exists with the given id. Only pre-existing objects can be imported; check that the id is correct and that it is associated with the provider's configured region or endpoint, or use \"terraform apply\" to create a new remote object for this resource.",
                self.type_name
            ))]),
        }
    }
}

/// The service name as hashicorp/aws's errors word it ("operation error EC2: CreateVpc").
pub fn service_label(event_source: &Option<String>) -> String {
    event_source
        .as_deref()
        .and_then(|s| s.split('.').next())
        .map(|s| s.to_uppercase())
        .unwrap_or_default()
}
