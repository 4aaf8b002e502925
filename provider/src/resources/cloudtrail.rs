//! aws_cloudtrail: a CloudTrail trail, with the hashicorp/aws v6 schema.

use serde_json::{Value as Json, json};
use tfplugin6::value::Value;

use super::support::{
    json_str, json_strings, retry_when, tag_diff, tag_values, tags_from_list, tags_to_list,
};
use super::{Ctx, Resource, advanced_selectors, api_error, missing};
use crate::diagnostics::{Diag, Diags};
use crate::schema::{Schema, Validator};
use crate::values::{
    ValueExt, object, opt_string, semantically_equal, string, string_list as list_value,
    string_set as set_value,
};

const SERVICE: &str = "cloudtrail";
const WHAT: &str = "CloudTrail Trail";

const DATA_RESOURCE_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
];
const READ_WRITE_TYPES: &[&str] = &["ReadOnly", "WriteOnly", "All"];
const INSIGHT_TYPES: &[&str] = &["ApiCallRateInsight", "ApiErrorRateInsight"];

pub struct Trail {
    schema: Schema,
}

impl Default for Trail {
    fn default() -> Self {
        Self::new()
    }
}

impl Trail {
    pub fn new() -> Self {
        Trail { schema: schema() }
    }
}

fn schema() -> Schema {
    let schema = Schema::resource("aws_cloudtrail")
        // verify.ValidARN
        .attrs(
            &[
                "cloud_watch_logs_group_arn",
                "cloud_watch_logs_role_arn",
                "kms_key_id",
            ],
            |a| a.validate(Validator::Arn),
        )
        .attrs(
            &[
                "enable_log_file_validation",
                "is_multi_region_trail",
                "is_organization_trail",
            ],
            |a| a.default(Value::Bool(false)),
        )
        .attrs(&["enable_logging", "include_global_service_events"], |a| {
            a.default(Value::Bool(true))
        })
        // validation.StringLenBetween(3, 128), ForceNew
        .attr("name", |a| {
            a.force_new().validate(Validator::LenBetween(3, 128))
        })
        // validation.StringLenBetween(0, 2000)
        .attr("s3_key_prefix", |a| {
            a.validate(Validator::LenBetween(0, 2000))
        })
        .nested("event_selector", |b| {
            b.conflicts_with(&["advanced_event_selector"])
        })
        // validation.StringInSlice(resourceType_Values(), false); MaxItems: 250
        .attr("event_selector.data_resource.type", |a| {
            a.validate(Validator::OneOf(DATA_RESOURCE_TYPES))
        })
        .attr("event_selector.data_resource.values", |a| a.max_items(250))
        .attr("event_selector.include_management_events", |a| {
            a.default(Value::Bool(true))
        })
        // enum.Validate[types.ReadWriteType]()
        .attr("event_selector.read_write_type", |a| {
            a.default(string("All"))
                .validate(Validator::OneOf(READ_WRITE_TYPES))
        })
        // enum.Validate[types.InsightType]()
        .attr("insight_selector.insight_type", |a| {
            a.validate(Validator::OneOf(INSIGHT_TYPES))
        });
    advanced_selectors::tune(schema, false).nested("advanced_event_selector", |b| {
        b.conflicts_with(&["event_selector"])
    })
}

/// The CloudWatch Logs role or group is not usable yet: hashicorp/aws retries CreateTrail
/// and UpdateTrail on these "Access denied." errors while IAM catches up.
fn role_not_ready(e: &ctsim::AwsError) -> bool {
    matches!(
        e.code.as_str(),
        "InvalidCloudWatchLogsRoleArnException" | "InvalidCloudWatchLogsLogGroupArnException"
    ) && e.message.contains("Access denied.")
}

/// The identifier the API accepts for this trail: its ARN (the v6 `id`), else its name.
fn trail_id(state: &Value) -> String {
    [state.attr("id"), state.attr("arn"), state.attr("name")]
        .into_iter()
        .find_map(|v| v.str_opt().filter(|s| !s.is_empty()))
        .unwrap_or_default()
        .to_string()
}

fn expand_event_selectors(planned: &Value) -> Json {
    let mut selectors: Vec<Json> = planned
        .attr("event_selector")
        .items()
        .iter()
        .map(|sel| {
            let data: Vec<Json> = sel
                .attr("data_resource")
                .items()
                .iter()
                .map(|d| json!({"Type": d.attr("type").str_opt(), "Values": d.attr("values").strings()}))
                .collect();
            let mut out = json!({
                "ReadWriteType": sel.attr("read_write_type").str_opt().unwrap_or("All"),
                "IncludeManagementEvents": sel.attr("include_management_events").bool_opt().unwrap_or(true),
                "DataResources": data,
            });
            let excluded = sel.attr("exclude_management_event_sources").strings();
            if !excluded.is_empty() {
                out["ExcludeManagementEventSources"] = json!(excluded);
            }
            out
        })
        .collect();
    if selectors.is_empty() {
        // No selectors configured: back to the single default selector, as hashicorp/aws does.
        selectors.push(
            json!({"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": []}),
        );
    }
    Json::Array(selectors)
}

fn expand_insight_selectors(planned: &Value) -> Json {
    Json::Array(
        planned
            .attr("insight_selector")
            .items()
            .iter()
            .map(|s| json!({"InsightType": s.attr("insight_type").str_opt()}))
            .collect(),
    )
}

/// `flattenEventSelector`: the single default selector reads as no selector at all.
fn flatten_event_selectors(selectors: &Json) -> Value {
    let list = selectors.as_array().cloned().unwrap_or_default();
    let is_default = |s: &Json| {
        s["DataResources"].as_array().is_none_or(|a| a.is_empty())
            && s["ReadWriteType"].as_str().unwrap_or("All") == "All"
            && s["ExcludeManagementEventSources"]
                .as_array()
                .is_none_or(|a| a.is_empty())
    };
    if list.len() == 1 && is_default(&list[0]) {
        return Value::List(vec![]);
    }
    Value::List(
        list.iter()
            .map(|s| {
                let excluded = json_strings(&s["ExcludeManagementEventSources"]);
                object([
                    (
                        "data_resource",
                        Value::List(
                            s["DataResources"]
                                .as_array()
                                .map(|a| a.as_slice())
                                .unwrap_or_default()
                                .iter()
                                .map(|d| {
                                    object([
                                        ("type", json_str(&d["Type"])),
                                        ("values", list_value(json_strings(&d["Values"]))),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                    (
                        "exclude_management_event_sources",
                        if excluded.is_empty() {
                            Value::Null
                        } else {
                            set_value(excluded)
                        },
                    ),
                    (
                        "include_management_events",
                        Value::Bool(s["IncludeManagementEvents"].as_bool().unwrap_or(true)),
                    ),
                    ("read_write_type", json_str(&s["ReadWriteType"])),
                ])
            })
            .collect(),
    )
}

impl Trail {
    fn set_logging(&self, ctx: &Ctx, region: &str, id: &str, enabled: bool) -> Result<(), Diag> {
        let op = if enabled {
            "StartLogging"
        } else {
            "StopLogging"
        };
        ctx.call(region, SERVICE, op, json!({"Name": id}))
            .map(|_| ())
            .map_err(|e| {
                let verb = if enabled { "starting" } else { "stopping" };
                api_error(
                    &format!("{verb} {WHAT} ({id}) logging"),
                    "CloudTrail",
                    op,
                    &e,
                )
            })
    }

    fn put_event_selectors(
        &self,
        ctx: &Ctx,
        region: &str,
        id: &str,
        planned: &Value,
    ) -> Result<(), Diag> {
        let request = if !planned.attr("advanced_event_selector").is_null_or_empty() {
            json!({"TrailName": id, "AdvancedEventSelectors": advanced_selectors::expand(planned)})
        } else {
            json!({"TrailName": id, "EventSelectors": expand_event_selectors(planned)})
        };
        ctx.call(region, SERVICE, "PutEventSelectors", request)
            .map(|_| ())
            .map_err(|e| {
                api_error(
                    &format!("setting {WHAT} ({id}) event selectors"),
                    "CloudTrail",
                    "PutEventSelectors",
                    &e,
                )
            })
    }

    fn put_insight_selectors(
        &self,
        ctx: &Ctx,
        region: &str,
        id: &str,
        planned: &Value,
    ) -> Result<(), Diag> {
        let request =
            json!({"TrailName": id, "InsightSelectors": expand_insight_selectors(planned)});
        ctx.call(region, SERVICE, "PutInsightSelectors", request)
            .map(|_| ())
            .map_err(|e| {
                api_error(
                    &format!("setting {WHAT} ({id}) insight selectors"),
                    "CloudTrail",
                    "PutInsightSelectors",
                    &e,
                )
            })
    }

    /// Reads back after create/update; a vanished trail at that point is an error.
    fn read_after_write(&self, ctx: &Ctx, state: &Value) -> Result<Value, (Option<Value>, Diags)> {
        match self.read(ctx, state) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err((
                None,
                vec![Diag::error(format!(
                    "reading {WHAT} ({}): not found after write",
                    trail_id(state)
                ))],
            )),
            Err(d) => Err((None, d)),
        }
    }
}

/// Applies the change from `prior` to `planned` tags of a CloudTrail resource (trail, event
/// data store, channel) with RemoveTags then AddTags; `what` names the resource in errors.
pub fn update_tags(
    ctx: &Ctx,
    region: &str,
    what: &str,
    arn: &str,
    prior: &Value,
    planned: &Value,
) -> Result<(), Diag> {
    let (removed, changed) = tag_diff(prior, planned);
    let call = |op: &str, verb: &str, tags: Json| {
        ctx.call(
            region,
            SERVICE,
            op,
            json!({"ResourceId": arn, "TagsList": tags}),
        )
        .map(|_| ())
        .map_err(|e| api_error(&format!("{verb} {what} ({arn})"), "CloudTrail", op, &e))
    };
    if !removed.is_empty() {
        let keys: Vec<Json> = removed.iter().map(|k| json!({"Key": k})).collect();
        call("RemoveTags", "untagging", Json::Array(keys))?;
    }
    if !changed.is_empty() {
        call("AddTags", "tagging", tags_to_list(&changed, "Key", "Value"))?;
    }
    Ok(())
}

impl Resource for Trail {
    fn type_name(&self) -> &'static str {
        "aws_cloudtrail"
    }

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn modify_plan(&self, _ctx: &Ctx, prior: &Value, planned: &mut Value) {
        if matches!(prior, Value::Null) {
            return;
        }
        if !semantically_equal(prior.attr("sns_topic_name"), planned.attr("sns_topic_name")) {
            crate::values::set_attr(planned, "sns_topic_arn", Value::Unknown);
        }
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
            "S3BucketName": planned.attr("s3_bucket_name").str_opt(),
            "IncludeGlobalServiceEvents": planned.attr("include_global_service_events").bool_opt().unwrap_or(true),
            "TagsList": tags_to_list(&planned.attr("tags_all").string_map(), "Key", "Value"),
        });
        for (tf, aws) in [
            ("cloud_watch_logs_group_arn", "CloudWatchLogsLogGroupArn"),
            ("cloud_watch_logs_role_arn", "CloudWatchLogsRoleArn"),
            ("kms_key_id", "KmsKeyId"),
            ("s3_key_prefix", "S3KeyPrefix"),
            ("sns_topic_name", "SnsTopicName"),
        ] {
            if let Some(v) = planned.attr(tf).str_opt().filter(|s| !s.is_empty()) {
                request[aws] = json!(v);
            }
        }
        for (tf, aws) in [
            ("enable_log_file_validation", "EnableLogFileValidation"),
            ("is_multi_region_trail", "IsMultiRegionTrail"),
            ("is_organization_trail", "IsOrganizationTrail"),
        ] {
            if planned.attr(tf).bool_opt() == Some(true) {
                request[aws] = json!(true);
            }
        }
        let response = retry_when(role_not_ready, || {
            ctx.call(&region, SERVICE, "CreateTrail", request.clone())
        })
        .map_err(|e| {
            (
                None,
                vec![api_error(
                    &format!("creating {WHAT} ({name})"),
                    "CloudTrail",
                    "CreateTrail",
                    &e,
                )],
            )
        })?;
        let Some(arn) = response["TrailARN"].as_str().map(str::to_string) else {
            return Err((None, missing("TrailARN")));
        };
        let mut created = planned.clone();
        crate::values::set_attr(&mut created, "id", string(arn.clone()));
        crate::values::set_attr(&mut created, "region", string(region.clone()));

        let mut steps: Vec<Result<(), Diag>> = Vec::new();
        if planned.attr("enable_logging").bool_opt().unwrap_or(true) {
            steps.push(self.set_logging(ctx, &region, &arn, true));
        }
        if !planned.attr("event_selector").is_null_or_empty()
            || !planned.attr("advanced_event_selector").is_null_or_empty()
        {
            steps.push(self.put_event_selectors(ctx, &region, &arn, planned));
        }
        if !planned.attr("insight_selector").is_null_or_empty() {
            steps.push(self.put_insight_selectors(ctx, &region, &arn, planned));
        }
        let errors: Diags = steps.into_iter().filter_map(Result::err).collect();
        let state = self.read_after_write(ctx, &created)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn read(&self, ctx: &Ctx, state: &Value) -> Result<Option<Value>, Diags> {
        let region = ctx.region_of(state);
        let id = trail_id(state);
        let described = ctx
            .call(
                &region,
                SERVICE,
                "DescribeTrails",
                json!({"trailNameList": [id]}),
            )
            .map_err(|e| {
                vec![api_error(
                    &format!("reading {WHAT} ({id})"),
                    "CloudTrail",
                    "DescribeTrails",
                    &e,
                )]
            })?;
        let Some(trail) = described["trailList"]
            .as_array()
            .and_then(|l| l.first())
            .cloned()
        else {
            return Ok(None);
        };
        let arn = trail["TrailARN"].as_str().unwrap_or_default().to_string();
        let home_region = trail["HomeRegion"].as_str().unwrap_or(&region).to_string();

        let status = ctx
            .call(&region, SERVICE, "GetTrailStatus", json!({"Name": arn}))
            .map_err(|e| {
                vec![api_error(
                    &format!("reading {WHAT} ({arn}) status"),
                    "CloudTrail",
                    "GetTrailStatus",
                    &e,
                )]
            })?;

        let (mut event_selector, mut advanced) = (Value::List(vec![]), Value::List(vec![]));
        if trail["HasCustomEventSelectors"].as_bool() == Some(true) {
            let selectors = ctx
                .call(
                    &region,
                    SERVICE,
                    "GetEventSelectors",
                    json!({"TrailName": arn}),
                )
                .map_err(|e| {
                    vec![api_error(
                        &format!("reading {WHAT} ({arn}) event selectors"),
                        "CloudTrail",
                        "GetEventSelectors",
                        &e,
                    )]
                })?;
            event_selector = flatten_event_selectors(&selectors["EventSelectors"]);
            advanced = advanced_selectors::flatten(&selectors["AdvancedEventSelectors"]);
        }
        let mut insight = Value::Set(vec![]);
        if trail["HasInsightSelectors"].as_bool() == Some(true) {
            match ctx.call(
                &region,
                SERVICE,
                "GetInsightSelectors",
                json!({"TrailName": arn}),
            ) {
                Ok(r) => {
                    insight = Value::Set(
                        r["InsightSelectors"]
                            .as_array()
                            .map(|a| a.as_slice())
                            .unwrap_or_default()
                            .iter()
                            .map(|s| object([("insight_type", json_str(&s["InsightType"]))]))
                            .collect(),
                    )
                }
                Err(e) if e.code == "InsightNotEnabledException" => {}
                Err(e) => {
                    return Err(vec![api_error(
                        &format!("reading {WHAT} ({arn}) insight selectors"),
                        "CloudTrail",
                        "GetInsightSelectors",
                        &e,
                    )]);
                }
            }
        }

        let listed = ctx
            .call(
                &region,
                SERVICE,
                "ListTags",
                json!({"ResourceIdList": [arn]}),
            )
            .map_err(|e| {
                vec![api_error(
                    &format!("listing tags for {WHAT} ({arn})"),
                    "CloudTrail",
                    "ListTags",
                    &e,
                )]
            })?;
        let all_tags = tags_from_list(
            listed["ResourceTagList"]
                .as_array()
                .and_then(|l| l.first())
                .map_or(&Json::Null, |r| &r["TagsList"]),
            "Key",
            "Value",
        );
        let (tags, tags_all) = tag_values(&all_tags, &ctx.default_tags, state.attr("tags"));

        // sns_topic_name reads back as the name when the topic is in the trail's account and
        // home region, and as the full ARN otherwise (hashicorp/aws behaviour).
        let sns_topic_arn = trail["SnsTopicARN"].as_str().map(str::to_string);
        let sns_topic_name = sns_topic_arn.as_ref().map(|topic| {
            let parts: Vec<&str> = topic.splitn(6, ':').collect();
            if parts.len() == 6 && parts[3] == home_region && parts[4] == ctx.client.account_id() {
                parts[5].to_string()
            } else {
                topic.clone()
            }
        });

        Ok(Some(object([
            ("id", string(arn.clone())),
            ("arn", string(arn)),
            ("advanced_event_selector", advanced),
            (
                "cloud_watch_logs_group_arn",
                json_str(&trail["CloudWatchLogsLogGroupArn"]),
            ),
            (
                "cloud_watch_logs_role_arn",
                json_str(&trail["CloudWatchLogsRoleArn"]),
            ),
            (
                "enable_log_file_validation",
                Value::Bool(trail["LogFileValidationEnabled"].as_bool().unwrap_or(false)),
            ),
            (
                "enable_logging",
                Value::Bool(status["IsLogging"].as_bool().unwrap_or(false)),
            ),
            ("event_selector", event_selector),
            ("home_region", string(home_region)),
            (
                "include_global_service_events",
                Value::Bool(
                    trail["IncludeGlobalServiceEvents"]
                        .as_bool()
                        .unwrap_or(true),
                ),
            ),
            ("insight_selector", insight),
            (
                "is_multi_region_trail",
                Value::Bool(trail["IsMultiRegionTrail"].as_bool().unwrap_or(false)),
            ),
            (
                "is_organization_trail",
                Value::Bool(trail["IsOrganizationTrail"].as_bool().unwrap_or(false)),
            ),
            ("kms_key_id", json_str(&trail["KmsKeyId"])),
            ("name", json_str(&trail["Name"])),
            ("region", string(region)),
            ("s3_bucket_name", json_str(&trail["S3BucketName"])),
            ("s3_key_prefix", json_str(&trail["S3KeyPrefix"])),
            ("sns_topic_arn", opt_string(sns_topic_arn)),
            ("sns_topic_name", opt_string(sns_topic_name)),
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
        let region = ctx.region_of(planned);
        let id = trail_id(prior);
        let changed = |attr: &str| !semantically_equal(prior.attr(attr), planned.attr(attr));
        let mut request = json!({"Name": id});
        let mut any = false;
        if changed("cloud_watch_logs_group_arn") || changed("cloud_watch_logs_role_arn") {
            // The API wants both together.
            request["CloudWatchLogsLogGroupArn"] = json!(
                planned
                    .attr("cloud_watch_logs_group_arn")
                    .str_opt()
                    .unwrap_or("")
            );
            request["CloudWatchLogsRoleArn"] = json!(
                planned
                    .attr("cloud_watch_logs_role_arn")
                    .str_opt()
                    .unwrap_or("")
            );
            any = true;
        }
        for (tf, aws) in [
            ("enable_log_file_validation", "EnableLogFileValidation"),
            (
                "include_global_service_events",
                "IncludeGlobalServiceEvents",
            ),
            ("is_multi_region_trail", "IsMultiRegionTrail"),
            ("is_organization_trail", "IsOrganizationTrail"),
        ] {
            if changed(tf) {
                request[aws] = json!(planned.attr(tf).bool_opt().unwrap_or(false));
                any = true;
            }
        }
        for (tf, aws) in [
            ("kms_key_id", "KmsKeyId"),
            ("s3_bucket_name", "S3BucketName"),
            ("s3_key_prefix", "S3KeyPrefix"),
            ("sns_topic_name", "SnsTopicName"),
        ] {
            if changed(tf) {
                request[aws] = json!(planned.attr(tf).str_opt().unwrap_or(""));
                any = true;
            }
        }
        if any {
            retry_when(role_not_ready, || {
                ctx.call(&region, SERVICE, "UpdateTrail", request.clone())
            })
            .map_err(|e| {
                (
                    None,
                    vec![api_error(
                        &format!("updating {WHAT} ({id})"),
                        "CloudTrail",
                        "UpdateTrail",
                        &e,
                    )],
                )
            })?;
        }
        let mut steps: Vec<Result<(), Diag>> = Vec::new();
        if changed("enable_logging") {
            steps.push(self.set_logging(
                ctx,
                &region,
                &id,
                planned.attr("enable_logging").bool_opt().unwrap_or(true),
            ));
        }
        if changed("event_selector") || changed("advanced_event_selector") {
            steps.push(self.put_event_selectors(ctx, &region, &id, planned));
        }
        if changed("insight_selector") {
            steps.push(self.put_insight_selectors(ctx, &region, &id, planned));
        }
        if changed("tags_all") {
            steps.push(update_tags(ctx, &region, WHAT, &id, prior, planned));
        }
        let errors: Diags = steps.into_iter().filter_map(Result::err).collect();
        let state = self.read_after_write(ctx, prior)?;
        if errors.is_empty() {
            Ok(state)
        } else {
            Err((Some(state), errors))
        }
    }

    fn delete(&self, ctx: &Ctx, state: &Value) -> Result<(), Diags> {
        let region = ctx.region_of(state);
        let id = trail_id(state);
        match ctx.call(&region, SERVICE, "DeleteTrail", json!({"Name": id})) {
            Ok(_) => Ok(()),
            Err(e) if e.code == "TrailNotFoundException" => Ok(()),
            Err(e) => Err(vec![api_error(
                &format!("deleting {WHAT} ({id})"),
                "CloudTrail",
                "DeleteTrail",
                &e,
            )]),
        }
    }

    fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, Diags> {
        // An ARN names its region; a bare name is looked up in the provider's region.
        let (region, arn) = if id.starts_with("arn:") {
            let region = id
                .split(':')
                .nth(3)
                .filter(|r| !r.is_empty())
                .unwrap_or(&ctx.region);
            (region.to_string(), id.to_string())
        } else {
            let region = ctx.region.clone();
            let found = ctx
                .call(&region, SERVICE, "GetTrail", json!({"Name": id}))
                .map_err(|e| {
                    vec![api_error(
                        &format!("importing {WHAT} ({id})"),
                        "CloudTrail",
                        "GetTrail",
                        &e,
                    )]
                })?;
            let Some(arn) = found["Trail"]["TrailARN"].as_str() else {
                return Err(missing("Trail.TrailARN"));
            };
            (region, arn.to_string())
        };
        Ok(object([("id", string(arn)), ("region", string(region))]))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::values::string_map;

    #[test]
    fn default_selector_reads_as_no_selector() {
        let aws =
            json!([{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": []}]);
        assert_eq!(flatten_event_selectors(&aws), Value::List(vec![]));
    }

    #[test]
    fn no_configured_selector_puts_the_default_one() {
        let planned = object([("event_selector", Value::List(vec![]))]);
        let out = expand_event_selectors(&planned);
        assert_eq!(
            out,
            json!([{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": []}])
        );
    }

    #[test]
    fn default_tags_are_not_resource_tags_unless_configured() {
        let all = BTreeMap::from([
            ("env".to_string(), "dev".to_string()),
            ("team".to_string(), "sec".to_string()),
        ]);
        let defaults = BTreeMap::from([("env".to_string(), "dev".to_string())]);
        let (own, _) = tag_values(&all, &defaults, &Value::Null);
        assert_eq!(own.string_map().keys().collect::<Vec<_>>(), vec!["team"]);
        let configured = string_map(&BTreeMap::from([("env".to_string(), "dev".to_string())]));
        assert_eq!(
            tag_values(&all, &defaults, &configured)
                .0
                .string_map()
                .len(),
            2
        );
    }

    #[test]
    fn schema_has_the_hashicorp_aws_attributes() {
        let s = schema();
        for attr in [
            "id",
            "arn",
            "name",
            "s3_bucket_name",
            "s3_key_prefix",
            "include_global_service_events",
            "is_multi_region_trail",
            "is_organization_trail",
            "enable_log_file_validation",
            "enable_logging",
            "kms_key_id",
            "cloud_watch_logs_group_arn",
            "cloud_watch_logs_role_arn",
            "sns_topic_name",
            "sns_topic_arn",
            "home_region",
            "tags",
            "tags_all",
            "region",
        ] {
            assert!(s.block.attribute(attr).is_some(), "missing {attr}");
        }
        for block in [
            "event_selector",
            "advanced_event_selector",
            "insight_selector",
        ] {
            assert!(s.block.block(block).is_some(), "missing block {block}");
        }
    }
}
