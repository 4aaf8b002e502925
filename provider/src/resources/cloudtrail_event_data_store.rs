//! aws_cloudtrail_event_data_store: a CloudTrail Lake event data store, with the hashicorp/aws
//! v6 schema. The store's status, selectors and retention live in the CloudTrail service.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::s3_common::int_between_problem;
use super::support::{after_write, fail, json_str, tag_values, tags_from_list, tags_to_list};
use super::{Ctx, Resource, advanced_selectors, api_error, cloudtrail, missing};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, semantically_equal, set_attr, string};

const SERVICE: &str = "cloudtrail";
const WHAT: &str = "CloudTrail Event Data Store";

const BILLING_MODES: &[&str] = &["EXTENDABLE_RETENTION_PRICING", "FIXED_RETENTION_PRICING"];
/// hashicorp/aws's `retention_period` default and bounds (the API itself allows more on
/// extendable pricing; the provider validates the narrower range).
const RETENTION_DEFAULT: f64 = 2555.0;
const RETENTION_MIN: i64 = 7;
const RETENTION_MAX: i64 = 2555;

pub struct EventDataStore {
    schema: Schema,
}

impl Default for EventDataStore {
    fn default() -> Self {
        Self::new()
    }
}

impl EventDataStore {
    pub fn new() -> Self {
        let schema = Schema::resource("aws_cloudtrail_event_data_store")
            // enum.Validate[types.BillingMode]()
            .attr("billing_mode", |a| {
                a.default(string("EXTENDABLE_RETENTION_PRICING"))
                    .validate(Validator::OneOf(BILLING_MODES))
            })
            .attr("kms_key_id", Attribute::force_new)
            .attr("multi_region_enabled", |a| a.default(Value::Bool(true)))
            // validation.StringLenBetween(3, 128), ForceNew
            .attr("name", |a| {
                a.force_new().validate(Validator::LenBetween(3, 128))
            })
            .attr("organization_enabled", |a| a.default(Value::Bool(false)))
            .attr("retention_period", |a| {
                a.default(Value::Number(RETENTION_DEFAULT))
            })
            .attr("termination_protection_enabled", |a| {
                a.default(Value::Bool(true))
            });
        EventDataStore {
            schema: advanced_selectors::tune(schema, true),
        }
    }
}

/// The identifier the API accepts: the store's ARN (the resource ID).
fn store_id(state: &Value) -> String {
    [state.attr("id"), state.attr("arn")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

/// `nullable.TypeNullableBool`: "" is unset; otherwise Go's `strconv.ParseBool` spellings.
fn nullable_bool(v: &Value) -> Result<Option<bool>, String> {
    let Some(s) = v.str_opt() else {
        return Ok(None);
    };
    match s {
        "" => Ok(None),
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(Some(true)),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(Some(false)),
        other => Err(format!("expected suspend to be a boolean, got {other}")),
    }
}

impl EventDataStore {
    fn call(
        &self,
        ctx: &Ctx,
        region: &str,
        op: &str,
        context: &str,
        req: Json,
    ) -> Result<Json, Diag> {
        ctx.call(region, SERVICE, op, req)
            .map_err(|e| api_error(context, "CloudTrail", op, &e))
    }

    fn set_ingestion(&self, ctx: &Ctx, region: &str, arn: &str, suspend: bool) -> Result<(), Diag> {
        let (op, verb) = if suspend {
            ("StopEventDataStoreIngestion", "stopping")
        } else {
            ("StartEventDataStoreIngestion", "starting")
        };
        self.call(
            ctx,
            region,
            op,
            &format!("{verb} {WHAT} ({arn}) ingestion"),
            json!({"EventDataStore": arn}),
        )
        .map(|_| ())
    }
}

impl Resource for EventDataStore {
    fn type_name(&self) -> &'static str {
        "aws_cloudtrail_event_data_store"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut diags: Diags = int_between_problem(
            "retention_period",
            config.attr("retention_period"),
            RETENTION_MIN,
            RETENTION_MAX,
        )
        .into_iter()
        .collect();
        if let Err(message) = nullable_bool(config.attr("suspend")) {
            diags.push(Diag::error(message).at(attr_path("suspend")));
        }
        diags
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let name = planned
            .attr("name")
            .str_opt()
            .unwrap_or_default()
            .to_string();
        let mut request = json!({
            "Name": name,
            "BillingMode": planned.attr("billing_mode").str_opt(),
            "MultiRegionEnabled": planned.attr("multi_region_enabled").bool_opt().unwrap_or(true),
            "OrganizationEnabled": planned.attr("organization_enabled").bool_opt().unwrap_or(false),
            "RetentionPeriod": planned.attr("retention_period").num_opt().unwrap_or(RETENTION_DEFAULT) as i64,
            "TerminationProtectionEnabled": planned.attr("termination_protection_enabled").bool_opt().unwrap_or(true),
            "TagsList": tags_to_list(&planned.attr("tags_all").string_map(), "Key", "Value"),
        });
        if !planned.attr("advanced_event_selector").is_null_or_empty()
            && !planned.attr("advanced_event_selector").is_unknown()
        {
            request["AdvancedEventSelectors"] = advanced_selectors::expand(planned);
        }
        if let Some(key) = planned
            .attr("kms_key_id")
            .str_opt()
            .filter(|k| !k.is_empty())
        {
            request["KmsKeyId"] = json!(key);
        }
        if let Ok(Some(suspend)) = nullable_bool(planned.attr("suspend")) {
            request["StartIngestion"] = json!(!suspend);
        }
        let response = self
            .call(
                ctx,
                &region,
                "CreateEventDataStore",
                &format!("creating {WHAT} ({name})"),
                request,
            )
            .map_err(fail(None))?;
        let Some(arn) = response["EventDataStoreArn"].as_str() else {
            return Err((None, missing("EventDataStoreArn")));
        };
        let mut created = planned.clone();
        set_attr(&mut created, "id", string(arn));
        set_attr(&mut created, "region", string(region));
        after_write(self.read(ctx, &created), WHAT)
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = store_id(state);
        let store = match ctx.call(
            &region,
            SERVICE,
            "GetEventDataStore",
            json!({"EventDataStore": id}),
        ) {
            Ok(store) => store,
            Err(e) if e.code == "EventDataStoreNotFoundException" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({id})"),
                    "CloudTrail",
                    "GetEventDataStore",
                    &e,
                )]);
            }
        };
        // A store awaiting deletion is gone as far as Terraform is concerned.
        if store["Status"].as_str() == Some("PENDING_DELETION") {
            return Ok(None);
        }
        let Some(arn) = store["EventDataStoreArn"].as_str().map(str::to_string) else {
            return Err(missing("EventDataStoreArn"));
        };
        let listed = self
            .call(
                ctx,
                &region,
                "ListTags",
                &format!("listing tags for {WHAT} ({arn})"),
                json!({"ResourceIdList": [arn]}),
            )
            .map_err(|d| vec![d])?;
        let all_tags = tags_from_list(
            listed["ResourceTagList"]
                .as_array()
                .and_then(|l| l.first())
                .map_or(&Json::Null, |r| &r["TagsList"]),
            "Key",
            "Value",
        );
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        Ok(Some(object([
            ("id", string(arn.clone())),
            ("arn", string(arn)),
            (
                "advanced_event_selector",
                advanced_selectors::flatten(&store["AdvancedEventSelectors"]),
            ),
            ("billing_mode", json_str(&store["BillingMode"])),
            ("kms_key_id", json_str(&store["KmsKeyId"])),
            (
                "multi_region_enabled",
                Value::Bool(store["MultiRegionEnabled"].as_bool().unwrap_or(true)),
            ),
            ("name", json_str(&store["Name"])),
            (
                "organization_enabled",
                Value::Bool(store["OrganizationEnabled"].as_bool().unwrap_or(false)),
            ),
            ("region", string(region)),
            (
                "retention_period",
                store["RetentionPeriod"]
                    .as_f64()
                    .map_or(Value::Null, Value::Number),
            ),
            // Not part of the API's answer: kept as configured, as hashicorp/aws does.
            ("suspend", state.attr("suspend").clone()),
            ("tags", tags),
            ("tags_all", tags_all),
            (
                "termination_protection_enabled",
                Value::Bool(
                    store["TerminationProtectionEnabled"]
                        .as_bool()
                        .unwrap_or(true),
                ),
            ),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let arn = store_id(prior);
        let changed = |attr: &str| !semantically_equal(prior.attr(attr), planned.attr(attr));
        let mut request = json!({"EventDataStore": arn});
        let mut any = false;
        if changed("advanced_event_selector")
            && !planned.attr("advanced_event_selector").is_unknown()
        {
            request["AdvancedEventSelectors"] = advanced_selectors::expand(planned);
            any = true;
        }
        if changed("billing_mode") {
            request["BillingMode"] = json!(planned.attr("billing_mode").str_opt());
            any = true;
        }
        for (tf, aws) in [
            ("multi_region_enabled", "MultiRegionEnabled"),
            ("organization_enabled", "OrganizationEnabled"),
            (
                "termination_protection_enabled",
                "TerminationProtectionEnabled",
            ),
        ] {
            if changed(tf) {
                request[aws] = json!(planned.attr(tf).bool_opt().unwrap_or(false));
                any = true;
            }
        }
        if changed("retention_period") {
            request["RetentionPeriod"] = json!(
                planned
                    .attr("retention_period")
                    .num_opt()
                    .unwrap_or(RETENTION_DEFAULT) as i64
            );
            any = true;
        }
        if any {
            self.call(
                ctx,
                &region,
                "UpdateEventDataStore",
                &format!("updating {WHAT} ({arn})"),
                request,
            )
            .map_err(fail(None))?;
        }
        let mut errors: Diags = Vec::new();
        if changed("suspend")
            && let Ok(Some(suspend)) = nullable_bool(planned.attr("suspend"))
            && let Err(d) = self.set_ingestion(ctx, &region, &arn, suspend)
        {
            errors.push(d);
        }
        if changed("tags_all")
            && let Err(d) = cloudtrail::update_tags(ctx, &region, WHAT, &arn, prior, planned)
        {
            errors.push(d);
        }
        let mut state = after_write(self.read(ctx, prior), WHAT)?;
        set_attr(&mut state, "suspend", planned.attr("suspend").clone());
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let arn = store_id(state);
        match ctx.call(
            &region,
            SERVICE,
            "DeleteEventDataStore",
            json!({"EventDataStore": arn}),
        ) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "EventDataStoreNotFoundException" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({arn})"),
                "CloudTrail",
                "DeleteEventDataStore",
                &e,
            )]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let region = id
            .starts_with("arn:")
            .then(|| id.split(':').nth(3).filter(|r| !r.is_empty()))
            .flatten()
            .unwrap_or(&ctx.region)
            .to_string();
        Ok(object([("id", string(id)), ("region", string(region))]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspend_accepts_go_boolean_spellings_and_empty() {
        assert_eq!(nullable_bool(&Value::Null), Ok(None));
        assert_eq!(nullable_bool(&string("")), Ok(None));
        assert_eq!(nullable_bool(&string("true")), Ok(Some(true)));
        assert_eq!(nullable_bool(&string("0")), Ok(Some(false)));
        assert!(nullable_bool(&string("yes")).is_err());
    }

    #[test]
    fn retention_outside_the_provider_bounds_is_rejected() {
        let eds = EventDataStore::new();
        let config = object([("retention_period", Value::Number(3000.0))]);
        let diags = eds.validate(&config);
        assert_eq!(diags.len(), 1, "{diags:?}");
        let ok = object([("retention_period", Value::Number(90.0))]);
        assert!(eds.validate(&ok).is_empty());
    }

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let s = EventDataStore::new().schema;
        for attr in [
            "id",
            "arn",
            "billing_mode",
            "kms_key_id",
            "multi_region_enabled",
            "name",
            "organization_enabled",
            "retention_period",
            "suspend",
            "termination_protection_enabled",
            "tags",
            "tags_all",
            "region",
        ] {
            assert!(s.block.attribute(attr).is_some(), "missing {attr}");
        }
        assert!(
            s.block
                .block("advanced_event_selector")
                .is_some_and(|b| b.computed)
        );
    }
}
