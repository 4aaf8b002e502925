//! The tfplugin6 Provider service: decodes Terraform's requests, runs the generic planner
//! and the resource's CRUD, encodes the answers. Resource logic lives in `resources`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tfplugin6::proto;
use tfplugin6::value::{Type, Value, decode_json, decode_msgpack, encode_msgpack};
use tonic::{Request, Response, Status};

use crate::client::{AwsClient, InProcess};
use crate::config::{self, ProviderConfig};
use crate::data_sources::{self, DataSource};
use crate::diagnostics::{Diag, Diags, path_to_proto, to_proto};
use crate::http_client;
use crate::plan;
use crate::resources::{self, Ctx, Resource};
use crate::schema::Schema;
use crate::values::{ValueExt, semantically_equal, set_attr, string, string_map, unknowns_to_null};

struct Configured {
    client: Arc<dyn AwsClient>,
    config: ProviderConfig,
}

pub struct ProviderServer {
    provider_schema: Schema,
    resources: Vec<Box<dyn Resource>>,
    data_sources: Vec<Box<dyn DataSource>>,
    /// Type name -> position in `resources` / `data_sources` (about 2,300 types).
    resource_index: HashMap<&'static str, usize>,
    data_source_index: HashMap<&'static str, usize>,
    /// Ephemeral resource types (all generic) and their schemas.
    ephemeral: HashMap<&'static str, Schema>,
    /// GetProviderSchema's answer, decoded on another thread from the start of the process
    /// (Terraform asks for it first, once).
    prefetched:
        std::sync::Mutex<Option<std::thread::JoinHandle<Option<crate::served_schemas::Served>>>>,
    configured: RwLock<Option<Arc<Configured>>>,
}

impl Default for ProviderServer {
    fn default() -> Self {
        Self::new()
    }
}

impl ProviderServer {
    pub fn new() -> Self {
        let prefetched = std::thread::Builder::new()
            .name("schemas".into())
            .spawn(crate::served_schemas::embedded)
            .ok();
        let resources = resources::all();
        let data_sources = data_sources::all();
        ProviderServer {
            provider_schema: config::schema(),
            resource_index: resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.type_name(), i))
                .collect(),
            data_source_index: data_sources
                .iter()
                .enumerate()
                .map(|(i, d)| (d.type_name(), i))
                .collect(),
            resources,
            data_sources,
            ephemeral: crate::reference::type_names(crate::reference::Kind::Ephemeral)
                .into_iter()
                .map(|t| (t, Schema::ephemeral(t)))
                .collect(),
            prefetched: std::sync::Mutex::new(prefetched),
            configured: RwLock::new(None),
        }
    }

    /// GetProviderSchema's answer: every served type's schema (about 2,300), decoded from
    /// the embedded answer (the first time by the thread started with the server: Terraform
    /// waits for it at every provider start); built from the dump only if that cannot be read.
    pub fn schema_response(&self) -> proto::get_provider_schema::Response {
        let prefetched = self
            .prefetched
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .and_then(|handle| handle.join().ok())
            .flatten();
        let served = prefetched
            .or_else(crate::served_schemas::embedded)
            .unwrap_or_else(crate::served_schemas::built);
        proto::get_provider_schema::Response {
            provider: Some(self.provider_schema.to_proto()),
            resource_schemas: served.resources,
            data_source_schemas: served.data_sources,
            ephemeral_resource_schemas: served.ephemeral,
            server_capabilities: Some(server_capabilities()),
            ..Default::default()
        }
    }

    /// The managed resource types served.
    pub fn resources(&self) -> impl Iterator<Item = &dyn Resource> {
        self.resources.iter().map(|r| r.as_ref())
    }

    /// The data sources served.
    pub fn data_sources(&self) -> impl Iterator<Item = &dyn DataSource> {
        self.data_sources.iter().map(|d| d.as_ref())
    }

    fn resource(&self, type_name: &str) -> Result<&dyn Resource, Status> {
        self.resource_index
            .get(type_name)
            .map(|&i| self.resources[i].as_ref())
            .ok_or_else(|| Status::not_found(format!("unknown resource type {type_name}")))
    }

    fn data_source(&self, type_name: &str) -> Result<&dyn DataSource, Status> {
        self.data_source_index
            .get(type_name)
            .map(|&i| self.data_sources[i].as_ref())
            .ok_or_else(|| Status::not_found(format!("unknown data source {type_name}")))
    }

    fn ephemeral_schema(&self, type_name: &str) -> Result<&Schema, Status> {
        self.ephemeral
            .get(type_name)
            .ok_or_else(|| Status::not_found(format!("unknown ephemeral resource {type_name}")))
    }

    fn configured(&self) -> Result<Arc<Configured>, Diags> {
        let guard = self
            .configured
            .read()
            .map_err(|_| vec![Diag::error("provider state poisoned")])?;
        guard.clone().ok_or_else(|| {
            vec![Diag::error("Provider not configured")
                .detail("The provider was called before ConfigureProvider; this is a Terraform protocol error.")]
        })
    }

    fn configure(&self, config: &Value, terraform_version: &str) -> Diags {
        let parsed = ProviderConfig::from_value(config);
        let mut diags = Vec::new();
        if !parsed.endpoints.is_empty() {
            return self.configure_http(parsed, terraform_version);
        }
        let state_dir = parsed
            .state_dir
            .clone()
            .or_else(|| std::env::var_os("CTSIM_HOME").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(".ctsim"));
        let simulator = match ctsim::Simulator::open(&state_dir) {
            Ok(sim) => Arc::new(sim),
            Err(e) => {
                let raw = format!("{}: {}: {}", state_dir.display(), e.code, e.message);
                // A full disk, a read-only folder, a damaged or newer database: say so first.
                let detail = match ctsim::error::StateProblem::of(&raw) {
                    Some(problem) => format!("{}\n({raw})", problem.advice(&state_dir)),
                    None => raw,
                };
                diags.push(
                    Diag::error("cannot open the ctsim state folder")
                        .detail(detail)
                        .at(plan::attr_path("ctsim_home")),
                );
                return diags;
            }
        };
        let mut in_process = InProcess::new(simulator, terraform_version);
        if let Some((role_arn, session_name)) = &parsed.assume_role {
            match in_process.with_assumed_role(role_arn, session_name.as_deref()) {
                Ok(c) => in_process = c,
                Err(message) => {
                    diags.push(
                        Diag::error("Invalid assume_role")
                            .detail(message)
                            .at(plan::attr_path("assume_role")),
                    );
                    return diags;
                }
            }
        }
        let client: Arc<dyn AwsClient> = Arc::new(in_process);
        match self.configured.write() {
            Ok(mut guard) => {
                *guard = Some(Arc::new(Configured {
                    client,
                    config: parsed,
                }))
            }
            Err(_) => diags.push(Diag::error("provider state poisoned")),
        }
        diags
    }
}

impl ProviderServer {
    /// HTTP mode: `endpoints {}` names a `ctsim serve`; every call goes there, signed.
    fn configure_http(&self, parsed: ProviderConfig, terraform_version: &str) -> Diags {
        let credentials = http_client::Credentials {
            access_key_id: parsed.access_key.clone(),
            secret_access_key: parsed.secret_key.clone(),
            session_token: parsed.token.clone(),
        };
        let connected = http_client::Http::connect(
            &parsed.endpoints,
            credentials,
            terraform_version,
            &parsed.region,
        )
        .and_then(|c| match &parsed.assume_role {
            Some((arn, session)) => c.assume_role(&parsed.region, arn, session.as_deref()),
            None => Ok(c),
        });
        let client: Arc<dyn AwsClient> = match connected {
            Ok(c) => Arc::new(c),
            Err(message) => {
                return vec![
                    Diag::error("cannot reach ctsim serve")
                        .detail(format!(
                            "endpoints {{}} names {:?}: {message}",
                            parsed.endpoints
                        ))
                        .at(plan::attr_path("endpoints")),
                ];
            }
        };
        match self.configured.write() {
            Ok(mut guard) => {
                *guard = Some(Arc::new(Configured {
                    client,
                    config: parsed,
                }));
                Vec::new()
            }
            Err(_) => vec![Diag::error("provider state poisoned")],
        }
    }
}

/// Runs blocking work from an RPC handler: on the multi-threaded runtime the provider
/// serves on, the worker hands its other tasks to the rest of the pool first
/// (`block_in_place`), so one slow call does not hold up the calls queued behind it.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_thread {
        tokio::task::block_in_place(f)
    } else {
        f()
    }
}

fn ctx(configured: &Configured) -> Ctx<'_> {
    Ctx {
        client: configured.client.as_ref(),
        region: configured.config.region.clone(),
        default_tags: configured.config.default_tags.clone(),
    }
}

fn decode(dv: Option<&proto::DynamicValue>, ty: &Type) -> Result<Value, Diag> {
    let Some(dv) = dv else { return Ok(Value::Null) };
    let decoded = if !dv.msgpack.is_empty() {
        decode_msgpack(&dv.msgpack, ty)
    } else if !dv.json.is_empty() {
        decode_json(&dv.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|e| Diag::error("Invalid value from Terraform").detail(e.to_string()))
}

fn encode(value: &Value, ty: &Type) -> Result<proto::DynamicValue, Status> {
    encode_msgpack(value, ty)
        .map(|msgpack| proto::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|e| Status::internal(format!("encoding value: {e}")))
}

/// After a read or an apply, keeps the reference's spelling of values that mean the same
/// (null vs empty, set order), so Terraform sees no change where there is none.
fn reconcile(new: Value, reference: &Value) -> Value {
    let empty_like = |v: &Value| v.is_null_or_empty() || v.str_opt() == Some("");
    match (new, reference) {
        (n, r) if empty_like(&n) && empty_like(r) => r.clone(),
        (Value::Object(mut fields), Value::Object(refs)) => {
            for (k, v) in fields.iter_mut() {
                if let Some(r) = refs.get(k) {
                    *v = reconcile(std::mem::replace(v, Value::Null), r);
                }
            }
            Value::Object(fields)
        }
        (Value::List(items), Value::List(refs)) if items.len() == refs.len() => Value::List(
            items
                .into_iter()
                .zip(refs)
                .map(|(v, r)| reconcile(v, r))
                .collect(),
        ),
        (n @ Value::Set(_), r @ Value::Set(_)) if semantically_equal(&n, r) => r.clone(),
        (n, _) => n,
    }
}

/// A `timeouts` block is configuration only, never read from AWS: like
/// terraform-plugin-sdk's copyTimeoutValues, the new state keeps the one it was given.
fn keep_timeouts(mut new: Value, reference: &Value) -> Value {
    if let (Value::Object(fields), Value::Object(refs)) = (&mut new, reference)
        && let Some(t) = refs.get("timeouts")
    {
        fields.insert("timeouts".to_string(), t.clone());
    }
    new
}

/// The provider-wide parts of planning every hashicorp/aws resource shares: the resource
/// region defaults to the provider's, and tags_all merges default_tags under tags.
fn plan_common(schema: &Schema, config: &Value, ctx: &Ctx, planned: &mut Value) {
    if schema.block.attribute("region").is_some() && matches!(config.attr("region"), Value::Null) {
        set_attr(planned, "region", string(ctx.region.clone()));
    }
    if schema.block.attribute("tags_all").is_some() {
        let tags = planned.attr("tags");
        if tags.is_wholly_known() {
            let mut all: BTreeMap<String, String> = ctx.default_tags.clone();
            all.extend(tags.string_map());
            // No tags at all and a null prior value (an imported resource): keep null, as
            // the read reconciled it, rather than planning a change from null to {}.
            if !(all.is_empty() && matches!(planned.attr("tags_all"), Value::Null)) {
                set_attr(planned, "tags_all", string_map(&all));
            }
        } else {
            set_attr(planned, "tags_all", Value::Unknown);
        }
    }
}

type Rpc<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl proto::provider_server::Provider for ProviderServer {
    async fn get_metadata(
        &self,
        _: Request<proto::get_metadata::Request>,
    ) -> Rpc<proto::get_metadata::Response> {
        Ok(Response::new(proto::get_metadata::Response {
            server_capabilities: Some(server_capabilities()),
            resources: self
                .resources
                .iter()
                .map(|r| proto::get_metadata::ResourceMetadata {
                    type_name: r.type_name().to_string(),
                })
                .collect(),
            data_sources: self
                .data_sources
                .iter()
                .map(|d| proto::get_metadata::DataSourceMetadata {
                    type_name: d.type_name().to_string(),
                })
                .collect(),
            ephemeral_resources: self
                .ephemeral
                .keys()
                .map(|t| proto::get_metadata::EphemeralMetadata {
                    type_name: t.to_string(),
                })
                .collect(),
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<proto::get_provider_schema::Request>,
    ) -> Rpc<proto::get_provider_schema::Response> {
        Ok(Response::new(self.schema_response()))
    }

    async fn validate_provider_config(
        &self,
        request: Request<proto::validate_provider_config::Request>,
    ) -> Rpc<proto::validate_provider_config::Response> {
        let req = request.into_inner();
        let diags = match decode(
            req.config.as_ref(),
            &self.provider_schema.block.value_type(),
        ) {
            Ok(config) => plan::validate(&self.provider_schema.block, &config)
                .into_iter()
                .map(Diag::from)
                .collect(),
            Err(d) => vec![d],
        };
        Ok(Response::new(proto::validate_provider_config::Response {
            diagnostics: to_proto(&diags),
        }))
    }

    async fn validate_resource_config(
        &self,
        request: Request<proto::validate_resource_config::Request>,
    ) -> Rpc<proto::validate_resource_config::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let schema = resource.schema();
        let diags = match decode(req.config.as_ref(), &schema.block.value_type()) {
            Ok(config) => {
                let mut diags: Diags = plan::validate(&schema.block, &config)
                    .into_iter()
                    .map(Diag::from)
                    .collect();
                diags.extend(resource.validate(&config));
                diags
            }
            Err(d) => vec![d],
        };
        Ok(Response::new(proto::validate_resource_config::Response {
            diagnostics: to_proto(&diags),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<proto::validate_data_resource_config::Request>,
    ) -> Rpc<proto::validate_data_resource_config::Response> {
        let req = request.into_inner();
        let schema = self.data_source(&req.type_name)?.schema();
        let diags: Diags = match decode(req.config.as_ref(), &schema.block.value_type()) {
            Ok(config) => plan::validate(&schema.block, &config)
                .into_iter()
                .map(Diag::from)
                .collect(),
            Err(d) => vec![d],
        };
        Ok(Response::new(
            proto::validate_data_resource_config::Response {
                diagnostics: to_proto(&diags),
            },
        ))
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<proto::upgrade_resource_state::Request>,
    ) -> Rpc<proto::upgrade_resource_state::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let ty = resource.schema().block.value_type();
        let raw = req.raw_state.map(|r| r.json).unwrap_or_default();
        let (state, diags) = match decode_json(&raw, &ty) {
            Ok(v) => (v, vec![]),
            Err(e) => (
                Value::Null,
                vec![Diag::error("Invalid stored state").detail(e.to_string())],
            ),
        };
        Ok(Response::new(proto::upgrade_resource_state::Response {
            upgraded_state: Some(encode(&state, &ty)?),
            diagnostics: to_proto(&diags),
        }))
    }

    async fn configure_provider(
        &self,
        request: Request<proto::configure_provider::Request>,
    ) -> Rpc<proto::configure_provider::Response> {
        let req = request.into_inner();
        let diags = match decode(
            req.config.as_ref(),
            &self.provider_schema.block.value_type(),
        ) {
            Ok(config) => self.configure(&config, &req.terraform_version),
            Err(d) => vec![d],
        };
        Ok(Response::new(proto::configure_provider::Response {
            diagnostics: to_proto(&diags),
        }))
    }

    async fn read_resource(
        &self,
        request: Request<proto::read_resource::Request>,
    ) -> Rpc<proto::read_resource::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let ty = resource.schema().block.value_type();
        let mut response = proto::read_resource::Response {
            private: req.private.clone(),
            ..Default::default()
        };
        let result = (|| -> Result<Value, Diags> {
            let current = decode(req.current_state.as_ref(), &ty).map_err(|d| vec![d])?;
            let configured = self.configured()?;
            let ctx = ctx(&configured);
            Ok(match resource.read(&ctx, &current)? {
                Some(new) => keep_timeouts(reconcile(new, &current), &current),
                None => Value::Null,
            })
        })();
        match result {
            Ok(state) => response.new_state = Some(encode(&state, &ty)?),
            Err(diags) => {
                response.new_state = req.current_state;
                response.diagnostics = to_proto(&diags);
            }
        }
        Ok(Response::new(response))
    }

    async fn plan_resource_change(
        &self,
        request: Request<proto::plan_resource_change::Request>,
    ) -> Rpc<proto::plan_resource_change::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let schema = resource.schema();
        let ty = schema.block.value_type();
        let decoded = (|| -> Result<(Value, Value, Value), Diag> {
            Ok((
                decode(req.prior_state.as_ref(), &ty)?,
                decode(req.proposed_new_state.as_ref(), &ty)?,
                decode(req.config.as_ref(), &ty)?,
            ))
        })();
        let (prior, proposed, config) = match decoded {
            Ok(v) => v,
            Err(d) => {
                return Ok(Response::new(proto::plan_resource_change::Response {
                    diagnostics: to_proto(&[d]),
                    ..Default::default()
                }));
            }
        };
        let mut response = proto::plan_resource_change::Response {
            planned_private: req.prior_private.clone(),
            legacy_type_system: true,
            ..Default::default()
        };
        if matches!(proposed, Value::Null) {
            // Destroy: nothing to plan.
            response.planned_state = Some(encode(&Value::Null, &ty)?);
            return Ok(Response::new(response));
        }
        let configured = match self.configured() {
            Ok(c) => c,
            Err(d) => {
                response.diagnostics = to_proto(&d);
                return Ok(Response::new(response));
            }
        };
        let ctx = ctx(&configured);
        let mut planned = plan::plan(&schema.block, &prior, &proposed, &config);
        plan_common(schema, &config, &ctx, &mut planned.state);
        resource.modify_plan(&ctx, &prior, &mut planned.state);
        if !matches!(prior, Value::Null) {
            // Region is force-new; a change found only after plan_common must be caught too.
            if schema
                .block
                .attribute("region")
                .is_some_and(|a| a.force_new)
                && !semantically_equal(prior.attr("region"), planned.state.attr("region"))
                && !planned
                    .requires_replace
                    .contains(&plan::attr_path("region"))
            {
                planned.requires_replace.push(plan::attr_path("region"));
            }
        }
        if !matches!(prior, Value::Null) {
            for path in &schema.force_new_paths {
                let top = path.split('.').next().unwrap_or(path);
                if plan::changed_at(&prior, &planned.state, path)
                    && !planned.requires_replace.contains(&plan::attr_path(top))
                {
                    planned.requires_replace.push(plan::attr_path(top));
                }
            }
        }
        response.planned_state = Some(encode(&planned.state, &ty)?);
        response.requires_replace = planned.requires_replace.iter().map(path_to_proto).collect();
        Ok(Response::new(response))
    }

    async fn apply_resource_change(
        &self,
        request: Request<proto::apply_resource_change::Request>,
    ) -> Rpc<proto::apply_resource_change::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let ty = resource.schema().block.value_type();
        let mut response = proto::apply_resource_change::Response {
            private: req.planned_private.clone(),
            legacy_type_system: true,
            ..Default::default()
        };
        let decoded = (|| -> Result<(Value, Value), Diag> {
            Ok((
                decode(req.prior_state.as_ref(), &ty)?,
                decode(req.planned_state.as_ref(), &ty)?,
            ))
        })();
        let (prior, planned) = match decoded {
            Ok(v) => v,
            Err(d) => {
                response.new_state = req.prior_state.clone();
                response.diagnostics = to_proto(&[d]);
                return Ok(Response::new(response));
            }
        };
        let configured = match self.configured() {
            Ok(c) => c,
            Err(d) => {
                response.new_state = req.prior_state.clone();
                response.diagnostics = to_proto(&d);
                return Ok(Response::new(response));
            }
        };
        let ctx = ctx(&configured);
        // An apply may wait (retries while a resource created in parallel appears): it runs
        // off the async workers so the other calls of the same apply go on meanwhile.
        let (state, diags) = blocking(|| {
            if matches!(planned, Value::Null) {
                match resource.delete(&ctx, &prior) {
                    Ok(()) => (Value::Null, vec![]),
                    Err(d) => (prior.clone(), d),
                }
            } else {
                let outcome = if matches!(prior, Value::Null) {
                    resource.create(&ctx, &planned)
                } else {
                    resource.update(&ctx, &prior, &planned)
                };
                let settle =
                    |state| unknowns_to_null(keep_timeouts(reconcile(state, &planned), &planned));
                match outcome {
                    Ok(state) => (settle(state), vec![]),
                    Err((Some(state), d)) => (settle(state), d),
                    Err((None, d)) => (prior.clone(), d),
                }
            }
        });
        response.new_state = Some(encode(&state, &ty)?);
        response.diagnostics = to_proto(&diags);
        Ok(Response::new(response))
    }

    async fn import_resource_state(
        &self,
        request: Request<proto::import_resource_state::Request>,
    ) -> Rpc<proto::import_resource_state::Response> {
        let req = request.into_inner();
        let resource = self.resource(&req.type_name)?;
        let ty = resource.schema().block.value_type();
        let result = self
            .configured()
            .and_then(|c| resource.import(&ctx(&c), &req.id));
        let mut response = proto::import_resource_state::Response::default();
        match result {
            Ok(state) => {
                response
                    .imported_resources
                    .push(proto::import_resource_state::ImportedResource {
                        type_name: req.type_name.clone(),
                        state: Some(encode(&state, &ty)?),
                        ..Default::default()
                    })
            }
            Err(d) => response.diagnostics = to_proto(&d),
        }
        Ok(Response::new(response))
    }

    async fn move_resource_state(
        &self,
        _: Request<proto::move_resource_state::Request>,
    ) -> Rpc<proto::move_resource_state::Response> {
        Ok(Response::new(proto::move_resource_state::Response {
            diagnostics: to_proto(&[Diag::error("Move Resource State Not Supported")]),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        request: Request<proto::read_data_source::Request>,
    ) -> Rpc<proto::read_data_source::Response> {
        let req = request.into_inner();
        let source = self.data_source(&req.type_name)?;
        let schema = source.schema();
        let ty = schema.block.value_type();
        let result = (|| -> Result<Value, Diags> {
            let config = decode(req.config.as_ref(), &ty).map_err(|d| vec![d])?;
            let configured = self.configured()?;
            let ctx = ctx(&configured);
            // Defaults (e.g. a policy statement's effect) fill in as they would in a plan.
            let mut config = plan::with_defaults(&schema.block, &config);
            if schema.block.attribute("region").is_some()
                && matches!(config.attr("region"), Value::Null)
            {
                set_attr(&mut config, "region", string(ctx.region.clone()));
            }
            source.read(&ctx, &config)
        })();
        let mut response = proto::read_data_source::Response::default();
        match result {
            Ok(state) => response.state = Some(encode(&state, &ty)?),
            Err(diags) => response.diagnostics = to_proto(&diags),
        }
        Ok(Response::new(response))
    }

    async fn get_functions(
        &self,
        _: Request<proto::get_functions::Request>,
    ) -> Rpc<proto::get_functions::Response> {
        Ok(Response::new(Default::default()))
    }

    async fn call_function(
        &self,
        request: Request<proto::call_function::Request>,
    ) -> Rpc<proto::call_function::Response> {
        Err(Status::unimplemented(format!(
            "no function {}",
            request.into_inner().name
        )))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<proto::validate_ephemeral_resource_config::Request>,
    ) -> Rpc<proto::validate_ephemeral_resource_config::Response> {
        let req = request.into_inner();
        let schema = self.ephemeral_schema(&req.type_name)?;
        let diags: Diags = match decode(req.config.as_ref(), &schema.block.value_type()) {
            Ok(config) => plan::validate(&schema.block, &config)
                .into_iter()
                .map(Diag::from)
                .collect(),
            Err(d) => vec![d],
        };
        Ok(Response::new(
            proto::validate_ephemeral_resource_config::Response {
                diagnostics: to_proto(&diags),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<proto::open_ephemeral_resource::Request>,
    ) -> Rpc<proto::open_ephemeral_resource::Response> {
        let req = request.into_inner();
        let schema = self.ephemeral_schema(&req.type_name)?;
        let ty = schema.block.value_type();
        let result = (|| -> Result<Value, Diags> {
            let config = decode(req.config.as_ref(), &ty).map_err(|d| vec![d])?;
            let configured = self.configured()?;
            let ctx = ctx(&configured);
            let region = ctx.region_of(&config);
            let body = serde_json::json!({
                "TypeName": req.type_name,
                "Config": crate::resources::generic::to_json(&config, &ty)?,
            });
            let response = ctx
                .call(
                    &region,
                    ctsim::services::generic::SERVICE,
                    "OpenEphemeralResource",
                    body,
                )
                .map_err(|e| {
                    vec![Diag::error(format!(
                        "opening {}: {}: {}",
                        req.type_name, e.code, e.message
                    ))]
                })?;
            crate::resources::generic::from_json(&response["Result"], &ty)
        })();
        let mut response = proto::open_ephemeral_resource::Response::default();
        match result {
            Ok(v) => response.result = Some(encode(&v, &ty)?),
            Err(d) => response.diagnostics = to_proto(&d),
        }
        Ok(Response::new(response))
    }

    async fn renew_ephemeral_resource(
        &self,
        _: Request<proto::renew_ephemeral_resource::Request>,
    ) -> Rpc<proto::renew_ephemeral_resource::Response> {
        // Nothing ctsim opens expires, so there is never a renew_at to honour.
        Ok(Response::new(Default::default()))
    }

    async fn close_ephemeral_resource(
        &self,
        _: Request<proto::close_ephemeral_resource::Request>,
    ) -> Rpc<proto::close_ephemeral_resource::Response> {
        Ok(Response::new(Default::default()))
    }

    async fn stop_provider(
        &self,
        _: Request<proto::stop_provider::Request>,
    ) -> Rpc<proto::stop_provider::Response> {
        Ok(Response::new(Default::default()))
    }
}

fn server_capabilities() -> proto::ServerCapabilities {
    proto::ServerCapabilities {
        plan_destroy: false,
        // Terraform may reuse the schemas it already has instead of asking every provider
        // process again (about 2,300 schemas).
        get_provider_schema_optional: true,
        move_resource_state: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::object;

    #[test]
    fn reconcile_keeps_null_for_empty_and_set_order() {
        let planned = object([
            ("tags", Value::Null),
            ("s", crate::values::string_set(["a", "b"])),
        ]);
        let read = object([
            ("tags", Value::Map(Default::default())),
            ("s", crate::values::string_set(["b", "a"])),
        ]);
        assert_eq!(reconcile(read, &planned), planned);
    }

    /// A client no test here calls.
    struct NoClient;

    impl crate::client::AwsClient for NoClient {
        fn call(
            &self,
            _: &str,
            _: &str,
            _: &str,
            _: serde_json::Value,
        ) -> Result<serde_json::Value, ctsim::AwsError> {
            Err(ctsim::AwsError::internal("not called"))
        }

        fn account_id(&self) -> String {
            "123456789012".to_string()
        }
    }

    #[test]
    fn empty_tags_all_stays_null_when_the_prior_state_had_null() {
        let schema = Schema::resource("aws_cloudtrail");
        let ctx = Ctx {
            client: &NoClient,
            region: "us-east-1".to_string(),
            default_tags: BTreeMap::new(),
        };
        let config = object([("tags", Value::Null), ("tags_all", Value::Null)]);
        let mut imported = config.clone();
        plan_common(&schema, &config, &ctx, &mut imported);
        assert_eq!(imported.attr("tags_all"), &Value::Null);
        let mut created = object([("tags", Value::Null), ("tags_all", Value::Unknown)]);
        plan_common(&schema, &config, &ctx, &mut created);
        assert_eq!(created.attr("tags_all"), &Value::Map(Default::default()));
    }
}

#[cfg(test)]
mod supported_types_doc {
    /// docs/terraform.md lists exactly the types the provider serves.
    #[test]
    fn docs_list_every_supported_type() {
        let doc = include_str!("../../docs/terraform.md");
        let start = doc
            .find("<!-- supported-types:start -->")
            .expect("start marker");
        let end = doc
            .find("<!-- supported-types:end -->")
            .expect("end marker");
        let section = &doc[start..end];
        let (resources_text, data_text) = section.split_once("Data sources:").expect("two lists");
        let listed = |text: &str| -> Vec<String> {
            let mut v: Vec<String> = text
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            v.sort();
            v
        };
        let mut resources: Vec<String> = crate::resources::simulated()
            .iter()
            .map(|r| r.type_name().to_string())
            .collect();
        resources.sort();
        let mut data: Vec<String> = crate::data_sources::simulated()
            .iter()
            .map(|d| d.type_name().to_string())
            .collect();
        data.sort();
        assert_eq!(listed(resources_text), resources);
        assert_eq!(listed(data_text), data);
    }
}
