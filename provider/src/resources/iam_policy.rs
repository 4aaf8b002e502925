//! aws_iam_policy: a customer managed IAM policy. Also holds the planning and read-back of
//! policy arguments the IAM and KMS resources share (`verify.PolicyToSet`), on top of the
//! equivalence in [`super::policy_json`].

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::support::{
    after_write, arg, fail, generated_name, json_num, json_str, name_prefix_from_name, tag_diff,
    tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, api_error, missing, policy_json};
use crate::data_sources::iam_policy_document::normalize_json;
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{ValueExt, object, set_attr, string};

const WHAT: &str = "IAM Policy";

/// `verify.PolicyToSet`: keep the value in state when AWS returned an equivalent document,
/// else the AWS document, normalized.
pub fn policy_to_set(existing: &Value, remote: &str) -> Value {
    if let Some(prior) = existing.str_opt().filter(|s| !s.is_empty())
        && policy_json::equivalent(prior, remote)
    {
        return string(prior);
    }
    if remote.is_empty() {
        return Value::Null;
    }
    string(normalize_json(remote).unwrap_or_else(|_| remote.to_string()))
}

/// Plans a policy argument as the SDK does with `StateFunc: NormalizeJsonString` and
/// `DiffSuppressFunc: SuppressEquivalentPolicyDiffs`: the prior value stays when the new
/// one is equivalent; otherwise the new one is stored normalized.
pub fn plan_policy(prior: &Value, planned: &mut Value, attr: &str) {
    let Some(new) = planned.attr(attr).str_opt().map(str::to_string) else {
        return;
    };
    if let Some(old) = prior.attr(attr).str_opt()
        && policy_json::equivalent(old, &new)
    {
        set_attr(planned, attr, string(old));
        return;
    }
    if let Ok(normalized) = normalize_json(&new) {
        set_attr(planned, attr, string(normalized));
    }
}

/// IAM returns policy documents URL-encoded (RFC 3986); the simulator may return them
/// plain. Decodes `%XX` when the text is not JSON as is.
pub fn decode_document(text: &str) -> String {
    if serde_json::from_str::<Json>(text).is_ok() {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// `verify.ValidIAMPolicyJSON` in short: the document must be a JSON object.
pub fn validate_policy_json(config: &Value, attr: &str) -> Diags {
    let Some(text) = config.attr(attr).str_opt() else {
        return Vec::new();
    };
    let trimmed = text.trim_start();
    if trimmed.is_empty() || !trimmed.starts_with('{') {
        return vec![
            Diag::error(format!(
                "\"{attr}\" contains an invalid JSON policy: not a JSON object"
            ))
            .at(crate::plan::attr_path(attr)),
        ];
    }
    match serde_json::from_str::<Json>(text) {
        Ok(_) => Vec::new(),
        Err(e) => vec![
            Diag::error(format!("\"{attr}\" contains an invalid JSON policy: {e}"))
                .at(crate::plan::attr_path(attr)),
        ],
    }
}

/// Name / name_prefix conflict, as `ConflictsWith` reports it.
pub fn validate_name_conflict(config: &Value) -> Diags {
    if config.attr("name").str_opt().is_some() && config.attr("name_prefix").str_opt().is_some() {
        return vec![
            Diag::error("Conflicting configuration arguments")
                .detail("\"name\": conflicts with name_prefix")
                .at(crate::plan::attr_path("name")),
        ];
    }
    Vec::new()
}

// ---------------------------------------------------------------------------------------
// aws_iam_policy
// ---------------------------------------------------------------------------------------

pub struct Policy {
    schema: Schema,
}

impl Default for Policy {
    fn default() -> Self {
        Self::new()
    }
}

impl Policy {
    pub fn new() -> Self {
        Policy {
            schema: Schema::resource("aws_iam_policy")
                .attr("delay_after_policy_creation_in_ms", |a| {
                    a.default(Value::Number(11000.0))
                })
                // validation.StringLenBetween(0, 1000), ForceNew
                .attr("description", |a| {
                    a.force_new().validate(Validator::LenBetween(0, 1000))
                })
                // validResourceName(policyNameMaxLen) / (policyNamePrefixMaxLen), ForceNew
                .attr("name", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 128))
                })
                .attr("name_prefix", |a| {
                    a.force_new().validate(Validator::LenBetween(1, 102))
                })
                // validation.StringLenBetween(1, 512), Default "/", ForceNew
                .attr("path", |a| {
                    a.default(string("/"))
                        .force_new()
                        .validate(Validator::LenBetween(1, 512))
                }),
        }
    }
}

fn policy_arn(state: &Value) -> String {
    [state.attr("id"), state.attr("arn")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn iam_err(context: String, op: &'static str) -> impl Fn(ctsim::AwsError) -> Diag {
    move |e| api_error(&context, "IAM", op, &e)
}

impl Policy {
    /// Makes room for a new version (IAM keeps at most five) and sets it as default.
    fn put_version(&self, ctx: &Ctx, region: &str, arn: &str, document: &str) -> Result<(), Diag> {
        let listed = ctx
            .call(
                region,
                "iam",
                "ListPolicyVersions",
                json!({"PolicyArn": arn}),
            )
            .map_err(iam_err(
                format!("reading {WHAT} ({arn}) versions"),
                "ListPolicyVersions",
            ))?;
        let versions = listed["Versions"].as_array().cloned().unwrap_or_default();
        if versions.len() >= 5 {
            let oldest = versions
                .iter()
                .filter(|v| v["IsDefaultVersion"].as_bool() != Some(true))
                .min_by(|a, b| {
                    a["CreateDate"]
                        .as_f64()
                        .unwrap_or(0.0)
                        .total_cmp(&b["CreateDate"].as_f64().unwrap_or(0.0))
                });
            if let Some(v) = oldest.and_then(|v| v["VersionId"].as_str()) {
                ctx.call(
                    region,
                    "iam",
                    "DeletePolicyVersion",
                    json!({"PolicyArn": arn, "VersionId": v}),
                )
                .map_err(iam_err(
                    format!("deleting {WHAT} ({arn}) version ({v})"),
                    "DeletePolicyVersion",
                ))?;
            }
        }
        ctx.call(
            region,
            "iam",
            "CreatePolicyVersion",
            json!({"PolicyArn": arn, "PolicyDocument": document, "SetAsDefault": true}),
        )
        .map(|_| ())
        .map_err(iam_err(
            format!("updating {WHAT} ({arn})"),
            "CreatePolicyVersion",
        ))
    }
}

impl Resource for Policy {
    fn type_name(&self) -> &'static str {
        "aws_iam_policy"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn validate(&self, config: &Value) -> Diags {
        let mut d = validate_policy_json(config, "policy");
        d.extend(validate_name_conflict(config));
        d
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        plan_policy(prior, planned, "policy");
        if matches!(prior, Value::Null)
            && let Some(name) = arg(planned, "name")
        {
            let prefix = name_prefix_from_name(name);
            set_attr(planned, "name_prefix", prefix);
        }
    }

    fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region.clone();
        let name = generated_name(arg(planned, "name"), arg(planned, "name_prefix"));
        let document = planned.attr("policy").str_opt().unwrap_or_default();
        let mut request = json!({
            "PolicyName": name,
            "Path": planned.attr("path").str_opt().unwrap_or("/"),
            "PolicyDocument": document,
        });
        if let Some(d) = arg(planned, "description") {
            request["Description"] = json!(d);
        }
        let tags = planned.attr("tags_all").string_map();
        if !tags.is_empty() {
            request["Tags"] = tags_to_list(&tags, "Key", "Value");
        }
        let out = ctx
            .call(&region, "iam", "CreatePolicy", request)
            .map_err(iam_err(format!("creating {WHAT} ({name})"), "CreatePolicy"))
            .map_err(fail(None))?;
        let Some(arn) = out["Policy"]["Arn"].as_str() else {
            return Err((None, missing("Policy.Arn")));
        };
        let mut state = planned.clone();
        set_attr(&mut state, "id", string(arn));
        after_write(self.read(ctx, &state), &format!("{WHAT} ({arn})"))
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region.clone();
        let arn = policy_arn(state);
        let policy = match ctx.call(&region, "iam", "GetPolicy", json!({"PolicyArn": arn})) {
            Ok(out) => out["Policy"].clone(),
            Err(e) if e.code == "NoSuchEntity" => return Ok(None),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({arn})"),
                    "IAM",
                    "GetPolicy",
                    &e,
                )]);
            }
        };
        let version_id = policy["DefaultVersionId"].as_str().unwrap_or("v1");
        let version = ctx
            .call(
                &region,
                "iam",
                "GetPolicyVersion",
                json!({"PolicyArn": arn, "VersionId": version_id}),
            )
            .map_err(|e| {
                vec![api_error(
                    &format!("reading {WHAT} ({arn}) version ({version_id})"),
                    "IAM",
                    "GetPolicyVersion",
                    &e,
                )]
            })?;
        let document = decode_document(version["PolicyVersion"]["Document"].as_str().unwrap_or(""));
        let all_tags = tags_from_list(&policy["Tags"], "Key", "Value");
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));
        let name = policy["PolicyName"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let delay = match state.attr("delay_after_policy_creation_in_ms") {
            Value::Number(n) => Value::Number(*n),
            _ => Value::Number(11000.0),
        };
        Ok(Some(object([
            ("id", string(arn.clone())),
            ("arn", json_str(&policy["Arn"])),
            ("attachment_count", json_num(&policy["AttachmentCount"])),
            ("delay_after_policy_creation_in_ms", delay),
            ("description", json_str(&policy["Description"])),
            ("name", string(name.clone())),
            ("name_prefix", name_prefix_from_name(&name)),
            ("path", json_str(&policy["Path"])),
            ("policy", policy_to_set(state.attr("policy"), &document)),
            ("policy_id", json_str(&policy["PolicyId"])),
            ("tags", tags),
            ("tags_all", tags_all),
        ])))
    }

    fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, (Option<Value>, Diags)> {
        let region = ctx.region.clone();
        let arn = policy_arn(prior);
        let old = prior.attr("policy").str_opt().unwrap_or_default();
        let new = planned.attr("policy").str_opt().unwrap_or_default();
        if !policy_json::equivalent(old, new) {
            self.put_version(ctx, &region, &arn, new)
                .map_err(fail(None))?;
        }
        let (removed, changed) = tag_diff(prior, planned);
        if !removed.is_empty() {
            ctx.call(
                &region,
                "iam",
                "UntagPolicy",
                json!({"PolicyArn": arn, "TagKeys": removed}),
            )
            .map_err(iam_err(format!("untagging {WHAT} ({arn})"), "UntagPolicy"))
            .map_err(fail(None))?;
        }
        if !changed.is_empty() {
            ctx.call(
                &region,
                "iam",
                "TagPolicy",
                json!({"PolicyArn": arn, "Tags": tags_to_list(&changed, "Key", "Value")}),
            )
            .map_err(iam_err(format!("tagging {WHAT} ({arn})"), "TagPolicy"))
            .map_err(fail(None))?;
        }
        let mut state = prior.clone();
        set_attr(&mut state, "policy", planned.attr("policy").clone());
        set_attr(&mut state, "tags", planned.attr("tags").clone());
        set_attr(
            &mut state,
            "delay_after_policy_creation_in_ms",
            planned.attr("delay_after_policy_creation_in_ms").clone(),
        );
        after_write(self.read(ctx, &state), &format!("{WHAT} ({arn})"))
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region.clone();
        let arn = policy_arn(state);
        match ctx.call(
            &region,
            "iam",
            "ListPolicyVersions",
            json!({"PolicyArn": arn}),
        ) {
            Ok(listed) => {
                for v in listed["Versions"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    if v["IsDefaultVersion"].as_bool() == Some(true) {
                        continue;
                    }
                    let Some(id) = v["VersionId"].as_str() else {
                        continue;
                    };
                    match ctx.call(
                        &region,
                        "iam",
                        "DeletePolicyVersion",
                        json!({"PolicyArn": arn, "VersionId": id}),
                    ) {
                        Ok(_) => {}
                        Err(e) if e.code == "NoSuchEntity" => {}
                        Err(e) => {
                            return Err(vec![api_error(
                                &format!("deleting {WHAT} ({arn}) version ({id})"),
                                "IAM",
                                "DeletePolicyVersion",
                                &e,
                            )]);
                        }
                    }
                }
            }
            Err(e) if e.code == "NoSuchEntity" => return Ok(()),
            Err(e) => {
                return Err(vec![api_error(
                    &format!("reading {WHAT} ({arn}) versions"),
                    "IAM",
                    "ListPolicyVersions",
                    &e,
                )]);
            }
        }
        match ctx.call(&region, "iam", "DeletePolicy", json!({"PolicyArn": arn})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "NoSuchEntity" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({arn})"),
                "IAM",
                "DeletePolicy",
                &e,
            )]),
        }
    }

    fn import(&self, _ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        if !id.starts_with("arn:") {
            return Err(vec![Diag::error(format!(
                "importing {WHAT} ({id}): the import ID is the policy ARN"
            ))]);
        }
        Ok(object([("id", string(id))]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalent_documents_differ_only_in_form() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:B","s3:A"],"Resource":"*","Principal":"*"}]}"#;
        let b = r#"{"Statement":{"Principal":{"AWS":"*"},"Resource":["*"],"Action":["s3:A","s3:B"],"Effect":"Allow"},"Version":"2012-10-17"}"#;
        assert!(policy_json::equivalent(a, b));
        let c = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:A","Resource":"*"}]}"#;
        assert!(!policy_json::equivalent(a, c));
    }

    #[test]
    fn account_ids_equal_root_arns_in_aws_principals() {
        let a = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}"#;
        let b = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;
        assert!(policy_json::equivalent(a, b));
    }

    #[test]
    fn policy_to_set_keeps_the_prior_spelling_when_equivalent() {
        let prior = string("{\n  \"Version\": \"2012-10-17\", \"Statement\": []\n}");
        let remote = r#"{"Statement":[],"Version":"2012-10-17"}"#;
        assert_eq!(policy_to_set(&prior, remote), prior);
        let other = r#"{"Version":"2008-10-17","Statement":[]}"#;
        assert_eq!(
            policy_to_set(&prior, other),
            string(r#"{"Statement":[],"Version":"2008-10-17"}"#)
        );
    }

    #[test]
    fn planning_normalizes_new_documents_and_keeps_equivalent_ones() {
        let mut planned = object([("policy", string("{ \"b\": 1, \"a\": 2 }"))]);
        plan_policy(&Value::Null, &mut planned, "policy");
        assert_eq!(planned.attr("policy"), &string(r#"{"a":2,"b":1}"#));
    }

    #[test]
    fn url_encoded_documents_are_decoded() {
        assert_eq!(decode_document("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(decode_document("{\"a\":\"%20\"}"), "{\"a\":\"%20\"}");
    }

    #[test]
    fn schema_matches_hashicorp_aws() {
        let s = Policy::new();
        let b = &s.schema().block;
        assert!(b.attribute("policy").is_some_and(|a| a.required));
        assert!(
            b.attribute("path")
                .is_some_and(|a| a.force_new && a.default == Some(string("/")))
        );
        assert!(b.attribute("description").is_some_and(|a| a.force_new));
        for a in ["arn", "attachment_count", "policy_id", "tags_all"] {
            assert!(b.attribute(a).is_some_and(|a| a.computed), "{a}");
        }
    }
}
