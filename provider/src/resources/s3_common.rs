//! What the S3 and SNS resources share: JSON <-> value helpers, tag translation, the
//! `bucket[,expected_bucket_owner]` ID every bucket sub-resource uses, the `ID@region` import
//! suffix of hashicorp/aws v6, and one generic [`Resource`] for the bucket configuration
//! resources (put / get / delete of one configuration of one bucket).

use std::collections::BTreeMap;

use ctsim::AwsError;
use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::{Ctx, Resource, api_error};
use crate::diagnostics::{Diag, Diags};
use crate::plan::attr_path;
use crate::schema::{Attribute, Schema, Validator};
use crate::values::{ValueExt, object, opt_string, set_attr, string};

pub const S3: &str = "s3";
pub const SNS: &str = "sns";

/// An AWS error together with the operation that produced it.
#[derive(Debug)]
pub struct OpError {
    pub op: &'static str,
    pub err: AwsError,
}

/// Calls an operation, tagging an error with the operation's name.
pub fn call(
    ctx: &Ctx,
    region: &str,
    service: &str,
    op: &'static str,
    req: Json,
) -> Result<Json, OpError> {
    ctx.call(region, service, op, req)
        .map_err(|err| OpError { op, err })
}

impl OpError {
    pub fn diag(&self, context: &str, service_label: &str) -> Diag {
        api_error(context, service_label, self.op, &self.err)
    }
    pub fn is(&self, codes: &[&str]) -> bool {
        codes.contains(&self.err.code.as_str())
    }
}

/// A non-empty JSON string as a value, else null (the SDK stores "" for absent strings;
/// null keeps plans quiet against unset arguments).
pub fn json_str(v: &Json) -> Value {
    opt_string(v.as_str().filter(|s| !s.is_empty()))
}

/// A JSON number (or numeric string) as a value, else null.
pub fn json_num(v: &Json) -> Value {
    match v {
        Json::Number(n) => n.as_f64().map(Value::Number).unwrap_or(Value::Null),
        Json::String(s) => s.parse::<f64>().map(Value::Number).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// A JSON bool (or "true"/"false" string, as SNS attributes are) as a value, else null.
pub fn json_bool(v: &Json) -> Value {
    match v {
        Json::Bool(b) => Value::Bool(*b),
        Json::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Json::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        _ => Value::Null,
    }
}

/// Elements of a JSON array (none for anything else).
pub fn json_items(v: &Json) -> &[Json] {
    v.as_array().map(|a| a.as_slice()).unwrap_or_default()
}

/// A known whole number from a value.
pub fn int_of(v: &Value) -> Option<i64> {
    v.num_opt().map(|n| n as i64)
}

/// The single element of a MaxItems:1 list block, if present.
pub fn first(v: &Value) -> Option<&Value> {
    v.items().first()
}

/// `[{"Key","Value"}]` from a tag map.
pub fn tag_list(tags: &BTreeMap<String, String>) -> Json {
    Json::Array(
        tags.iter()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// A tag map from `[{"Key","Value"}]`.
pub fn tags_from_list(v: &Json) -> BTreeMap<String, String> {
    json_items(v)
        .iter()
        .filter_map(|t| {
            Some((
                t["Key"].as_str()?.to_string(),
                t["Value"].as_str().unwrap_or("").to_string(),
            ))
        })
        .collect()
}

/// `tags`: every tag except those only inherited from the provider's default_tags (a key
/// also set on the resource stays, as hashicorp/aws keeps it); null when none remain.
pub fn own_tags(all: &BTreeMap<String, String>, ctx: &Ctx, configured: &Value) -> Value {
    super::support::tag_values(all, &ctx.default_tags, configured).0
}

/// Splits the v6 `ID@region` import form; the region defaults to the provider's.
pub fn import_region(ctx: &Ctx, id: &str) -> (String, String) {
    match id.rsplit_once('@') {
        Some((rest, region)) if !region.is_empty() && !region.contains(':') && !rest.is_empty() => {
            (rest.to_string(), region.to_string())
        }
        _ => (id.to_string(), ctx.region.clone()),
    }
}

/// The region an ARN names (`arn:partition:service:region:...`), if any.
pub fn arn_region(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(3)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
}

/// SDK-style zero values read back where the prior state had null: a Go zero value (false,
/// 0, "") for an argument the user never set must not show as a change.
pub fn keep_prior_nulls(new: Value, prior: &Value) -> Value {
    match (new, prior) {
        (Value::Bool(false), Value::Null) => Value::Null,
        (Value::Number(0.0), Value::Null) => Value::Null,
        (Value::String(s), Value::Null) if s.is_empty() => Value::Null,
        (Value::Object(mut fields), Value::Object(prior_fields)) => {
            for (k, v) in fields.iter_mut() {
                if let Some(p) = prior_fields.get(k) {
                    *v = keep_prior_nulls(std::mem::take(v), p);
                }
            }
            Value::Object(fields)
        }
        (Value::List(items), Value::List(prior_items)) => Value::List(pair(items, prior_items)),
        (Value::Set(items), Value::Set(prior_items)) if items.len() == prior_items.len() => {
            Value::Set(pair(items, prior_items))
        }
        (n, _) => n,
    }
}

fn pair(items: Vec<Value>, prior: &[Value]) -> Vec<Value> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| match prior.get(i) {
            Some(p) => keep_prior_nulls(v, p),
            None => v,
        })
        .collect()
}

/// Checks that a value is a 12-digit AWS account ID (`verify.ValidAccountID`).
pub fn account_id_problem(attr: &str, v: &Value) -> Option<Diag> {
    let s = v.str_opt()?;
    let ok = s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| {
        Diag::error(format!(
            "\"{attr}\" doesn't look like AWS Account ID (exactly 12 digits): \"{s}\""
        ))
        .at(attr_path(attr))
    })
}

/// `validation.IntBetween` on a known number.
pub fn int_between_problem(attr: &str, v: &Value, min: i64, max: i64) -> Option<Diag> {
    let n = v.num_opt()?;
    let ok = n.fract() == 0.0 && n >= min as f64 && n <= max as f64;
    (!ok).then(|| {
        Diag::error(format!(
            "expected {attr} to be in the range ({min} - {max}), got {n}"
        ))
        .at(attr_path(attr))
    })
}

/// `validation.IntAtLeast` on a known number.
pub fn int_at_least_problem(attr: &str, v: &Value, min: i64) -> Option<Diag> {
    let n = v.num_opt()?;
    (n < min as f64).then(|| {
        Diag::error(format!("expected {attr} to be at least ({min}), got {n}")).at(attr_path(attr))
    })
}

/// `ConflictsWith` between two top-level arguments. An unknown value may still turn out
/// null, so, as terraform-plugin-sdk does, it defers the check.
pub fn conflict_problem(config: &Value, a: &str, b: &str) -> Option<Diag> {
    let set = |n: &str| !config.attr(n).is_null_or_empty() && !config.attr(n).is_unknown();
    (set(a) && set(b)).then(|| {
        Diag::error("Conflicting configuration arguments")
            .detail(format!("\"{a}\": conflicts with {b}"))
            .at(attr_path(a))
    })
}

/// A bucket configuration resource's reference schema with the behaviour they share:
/// `bucket` (validation.StringLenBetween(1, 63) where hashicorp checks it) and
/// `expected_bucket_owner` force replacement.
pub fn bucket_config_schema(type_name: &str, bucket_length_checked: bool) -> Schema {
    let schema = Schema::resource(type_name).attr("bucket", |a| {
        let a = a.force_new();
        if bucket_length_checked {
            a.validate(Validator::LenBetween(1, 63))
        } else {
            a
        }
    });
    if schema.block.attribute("expected_bucket_owner").is_some() {
        schema.attr("expected_bucket_owner", Attribute::force_new)
    } else {
        schema
    }
}

/// The `grantee` block shared by aws_s3_bucket_acl and aws_s3_bucket_logging:
/// `type` is enum.Validate[types.Type]().
pub fn tune_grantee(schema: Schema, path: &str) -> Schema {
    schema.attr(&format!("{path}.type"), |a| {
        a.validate(Validator::OneOf(&[
            "CanonicalUser",
            "AmazonCustomerByEmail",
            "Group",
        ]))
    })
}

pub fn expand_grantee(g: &Value) -> Json {
    let mut out = json!({"Type": g.attr("type").str_opt()});
    for (tf, aws) in [
        ("email_address", "EmailAddress"),
        ("id", "ID"),
        ("uri", "URI"),
    ] {
        if let Some(s) = g.attr(tf).str_opt().filter(|s| !s.is_empty()) {
            out[aws] = json!(s);
        }
    }
    out
}

pub fn flatten_grantee(g: &Json) -> Value {
    object([
        ("display_name", json_str(&g["DisplayName"])),
        ("email_address", json_str(&g["EmailAddress"])),
        ("id", json_str(&g["ID"])),
        ("type", json_str(&g["Type"])),
        ("uri", json_str(&g["URI"])),
    ])
}

/// The bucket (and optional expected owner) a bucket configuration resource manages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BucketId {
    pub bucket: String,
    pub owner: Option<String>,
}

impl BucketId {
    /// `bucket` or `bucket,expected_bucket_owner`, as `CreateResourceID` writes them.
    pub fn parse(id: &str) -> Result<Self, Diag> {
        let parts: Vec<&str> = id.split(',').collect();
        match parts.as_slice() {
            [b] if !b.is_empty() => Ok(BucketId {
                bucket: b.to_string(),
                owner: None,
            }),
            [b, o] if !b.is_empty() && !o.is_empty() => Ok(BucketId {
                bucket: b.to_string(),
                owner: Some(o.to_string()),
            }),
            _ => Err(Diag::error(format!(
                "unexpected format for ID ({id}), expected BUCKET or BUCKET,EXPECTED_BUCKET_OWNER"
            ))),
        }
    }

    /// From a state or plan: the `bucket` and `expected_bucket_owner` attributes, else `id`.
    pub fn of(state: &Value) -> Result<Self, Diag> {
        match state.attr("bucket").str_opt().filter(|s| !s.is_empty()) {
            Some(b) => Ok(BucketId {
                bucket: b.to_string(),
                owner: state
                    .attr("expected_bucket_owner")
                    .str_opt()
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            }),
            None => Self::parse(state.attr("id").str_opt().unwrap_or_default()),
        }
    }

    pub fn id(&self) -> String {
        match &self.owner {
            Some(o) => format!("{},{o}", self.bucket),
            None => self.bucket.clone(),
        }
    }

    /// The request base: `{"Bucket", "ExpectedBucketOwner"?}`.
    pub fn request(&self) -> Json {
        let mut r = json!({"Bucket": self.bucket});
        if let Some(o) = &self.owner {
            r["ExpectedBucketOwner"] = json!(o);
        }
        r
    }
}

/// Attributes a read or an import ID adds, by name.
pub type Fields = Vec<(&'static str, Value)>;

/// One configuration of one bucket (policy, versioning, encryption...): the parts that
/// differ between those resources. [`BucketConfigResource`] supplies the rest.
pub trait BucketConfig: Send + Sync {
    fn type_name(&self) -> &'static str;
    /// The noun hashicorp/aws uses in messages, e.g. "S3 Bucket Policy".
    fn what(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn validate(&self, _config: &Value) -> Diags {
        Vec::new()
    }
    fn modify_plan(&self, _prior: &Value, _planned: &mut Value) {}
    /// Error codes that mean the configuration is not there (besides NoSuchBucket).
    fn gone_codes(&self) -> &'static [&'static str];
    /// Writes the planned configuration. `prior` is Null on create.
    fn put(
        &self,
        ctx: &Ctx,
        region: &str,
        id: &BucketId,
        prior: &Value,
        planned: &Value,
    ) -> Result<(), OpError>;
    /// Reads the configuration: the resource's own attributes (the wrapper sets `id`,
    /// `bucket`, `expected_bucket_owner` and `region`); None when it does not exist.
    fn get(
        &self,
        ctx: &Ctx,
        region: &str,
        id: &BucketId,
        state: &Value,
    ) -> Result<Option<Fields>, OpError>;
    fn remove(&self, ctx: &Ctx, region: &str, id: &BucketId, state: &Value) -> Result<(), OpError>;
    /// The resource ID for a bucket; ACL adds its canned ACL.
    fn resource_id(&self, id: &BucketId, _state: &Value) -> String {
        id.id()
    }
    /// Turns an import ID into the bucket and any extra attributes it names.
    fn parse_import(&self, id: &str) -> Result<(BucketId, Fields), Diag> {
        Ok((BucketId::parse(id)?, vec![]))
    }
}

/// [`Resource`] for any [`BucketConfig`].
pub struct BucketConfigResource<T>(pub T);

impl<T: BucketConfig> BucketConfigResource<T> {
    fn write(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
        verb: &str,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region_of(planned);
        let id = BucketId::of(planned).map_err(|d| (None, vec![d]))?;
        self.0.put(ctx, &region, &id, prior, planned).map_err(|e| {
            (
                None,
                vec![e.diag(&format!("{verb} {} ({})", self.0.what(), id.bucket), "S3")],
            )
        })?;
        let mut written = planned.clone();
        set_attr(&mut written, "region", string(region));
        set_attr(&mut written, "id", string(self.0.resource_id(&id, planned)));
        match self.read(ctx, &written) {
            Ok(Some(state)) => Ok(state),
            Ok(None) => Err((
                Some(written),
                vec![Diag::error(format!(
                    "reading {} ({}): empty result after {verb}",
                    self.0.what(),
                    id.bucket
                ))],
            )),
            Err(d) => Err((Some(written), d)),
        }
    }
}

impl<T: BucketConfig> Resource for BucketConfigResource<T> {
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }
    fn schema(&self) -> &Schema {
        self.0.schema()
    }
    fn validate(&self, config: &Value) -> Diags {
        let mut diags = self.0.validate(config);
        if self
            .0
            .schema()
            .block
            .attribute("expected_bucket_owner")
            .is_some()
        {
            diags.extend(account_id_problem(
                "expected_bucket_owner",
                config.attr("expected_bucket_owner"),
            ));
        }
        diags
    }
    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        self.0.modify_plan(prior, planned);
    }
    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        self.write(ctx, &Value::Null, planned, "creating")
    }
    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = BucketId::of(state).map_err(|d| vec![d])?;
        let mut gone = vec!["NoSuchBucket"];
        gone.extend_from_slice(self.0.gone_codes());
        let fields = match self.0.get(ctx, &region, &id, state) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(None),
            Err(e) if e.is(&gone) => return Ok(None),
            Err(e) => {
                return Err(vec![
                    e.diag(&format!("reading {} ({})", self.0.what(), id.bucket), "S3"),
                ]);
            }
        };
        let mut out = object([
            ("id", string(self.0.resource_id(&id, state))),
            ("bucket", string(id.bucket.clone())),
            ("region", string(region)),
        ]);
        if self
            .0
            .schema()
            .block
            .attribute("expected_bucket_owner")
            .is_some()
        {
            set_attr(
                &mut out,
                "expected_bucket_owner",
                opt_string(id.owner.clone()),
            );
        }
        for (k, v) in fields {
            set_attr(&mut out, k, v);
        }
        // An argument with a default plans as that default, so its read-back value stays
        // even where the prior state (e.g. just after import) had null.
        let mut kept = keep_prior_nulls(out.clone(), state);
        for a in &self.0.schema().block.attributes {
            if a.default.is_some() {
                set_attr(&mut kept, a.name, out.attr(a.name).clone());
            }
        }
        Ok(Some(kept))
    }
    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        self.write(ctx, prior, planned, "updating")
    }
    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = BucketId::of(state).map_err(|d| vec![d])?;
        let mut gone = vec!["NoSuchBucket"];
        gone.extend_from_slice(self.0.gone_codes());
        match self.0.remove(ctx, &region, &id, state) {
            Ok(()) => Ok(()),
            Err(e) if e.is(&gone) => Ok(()),
            Err(e) => {
                Err(vec![e.diag(
                    &format!("deleting {} ({})", self.0.what(), id.bucket),
                    "S3",
                )])
            }
        }
    }
    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        let (id, region) = import_region(ctx, id);
        let (bucket, extra) = self.0.parse_import(&id).map_err(|d| vec![d])?;
        let mut state = object([
            ("bucket", string(bucket.bucket.clone())),
            ("region", string(region)),
        ]);
        if self
            .0
            .schema()
            .block
            .attribute("expected_bucket_owner")
            .is_some()
        {
            set_attr(
                &mut state,
                "expected_bucket_owner",
                opt_string(bucket.owner.clone()),
            );
        }
        for (k, v) in extra {
            set_attr(&mut state, k, v);
        }
        let rid = self.0.resource_id(&bucket, &state);
        set_attr(&mut state, "id", string(rid));
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_id_parses_both_forms() {
        assert_eq!(
            BucketId::parse("b").unwrap(),
            BucketId {
                bucket: "b".into(),
                owner: None
            }
        );
        let with_owner = BucketId::parse("b,123456789012").unwrap();
        assert_eq!(with_owner.owner.as_deref(), Some("123456789012"));
        assert_eq!(with_owner.id(), "b,123456789012");
        assert_eq!(
            with_owner.request(),
            json!({"Bucket": "b", "ExpectedBucketOwner": "123456789012"})
        );
        assert!(BucketId::parse("").is_err());
        assert!(BucketId::parse("a,b,c").is_err());
    }

    #[test]
    fn zero_values_read_back_stay_null_where_prior_was_null() {
        let prior = object([
            ("flag", Value::Null),
            ("set", Value::Bool(false)),
            ("n", Value::Null),
            ("rules", Value::Set(vec![object([("k", Value::Null)])])),
        ]);
        let read = object([
            ("flag", Value::Bool(false)),
            ("set", Value::Bool(false)),
            ("n", Value::Number(0.0)),
            (
                "rules",
                Value::Set(vec![object([("k", Value::Bool(false))])]),
            ),
        ]);
        let out = keep_prior_nulls(read, &prior);
        assert_eq!(out.attr("flag"), &Value::Null);
        assert_eq!(out.attr("set"), &Value::Bool(false));
        assert_eq!(out.attr("n"), &Value::Null);
        assert_eq!(out.attr("rules").items()[0].attr("k"), &Value::Null);
    }

    #[test]
    fn import_ids_take_an_optional_region_suffix() {
        let client = testing::FakeClient::new(vec![]);
        let ctx = client.ctx();
        assert_eq!(
            import_region(&ctx, "bucket@eu-west-1"),
            ("bucket".to_string(), "eu-west-1".to_string())
        );
        assert_eq!(
            import_region(&ctx, "bucket"),
            ("bucket".to_string(), "us-east-1".to_string())
        );
        assert_eq!(
            import_region(&ctx, "arn:aws:sns:us-west-2:123456789012:t").1,
            "us-east-1"
        );
    }
}

/// A scripted client for unit tests: records every request and answers from a queue.
#[cfg(test)]
pub mod testing {
    use std::sync::Mutex;

    use super::*;

    pub type Answer = Result<Json, (&'static str, &'static str)>;

    pub struct FakeClient {
        pub calls: Mutex<Vec<(String, String, Json)>>,
        answers: Mutex<Vec<(&'static str, Answer)>>,
    }

    impl FakeClient {
        /// `answers`: (operation, answer) pairs; an operation not listed answers `{}`.
        /// Each listed answer is used once, in order, for its operation.
        pub fn new(answers: Vec<(&'static str, Answer)>) -> Self {
            FakeClient {
                calls: Mutex::new(Vec::new()),
                answers: Mutex::new(answers),
            }
        }
        pub fn ctx(&self) -> Ctx<'_> {
            Ctx {
                client: self,
                region: "us-east-1".into(),
                default_tags: BTreeMap::new(),
            }
        }
        /// The requests sent to `op`, in order.
        pub fn requests(&self, op: &str) -> Vec<Json> {
            self.calls
                .lock()
                .expect("test mutex")
                .iter()
                .filter(|(_, o, _)| o == op)
                .map(|(_, _, r)| r.clone())
                .collect()
        }
        pub fn ops(&self) -> Vec<String> {
            self.calls
                .lock()
                .expect("test mutex")
                .iter()
                .map(|(_, o, _)| o.clone())
                .collect()
        }
    }

    impl crate::client::AwsClient for FakeClient {
        fn call(
            &self,
            _region: &str,
            service: &str,
            op: &str,
            req: Json,
        ) -> Result<Json, AwsError> {
            self.calls
                .lock()
                .expect("test mutex")
                .push((service.to_string(), op.to_string(), req));
            let mut answers = self.answers.lock().expect("test mutex");
            match answers.iter().position(|(o, _)| *o == op) {
                Some(i) => match answers.remove(i).1 {
                    Ok(j) => Ok(j),
                    Err((code, msg)) => Err(AwsError {
                        code: code.into(),
                        message: msg.into(),
                        http_status: 404,
                    }),
                },
                None => Ok(json!({})),
            }
        }
        fn account_id(&self) -> String {
            "123456789012".into()
        }
    }
}
