//! The live simulator as a configuration: every trail (with its selectors, tags and
//! GetTrailStatus facts under `$runtime`) and every bucket with its policy, public access
//! block, ACL, logging and encryption, and every CloudTrail Lake event data store of the
//! account (selectors, KMS key, scope, retention, termination protection, tags; its status
//! under `$runtime`), and the monitoring chain the CIS section 4 rules follow: the trails'
//! CloudWatch Logs groups and their metric filters, every CloudWatch alarm of the account,
//! and the SNS topics the alarms notify with their subscriptions (`pending_confirmation` as
//! SNS says). All in the Terraform attribute form the other loaders produce. Reading is not
//! recorded, like the console's own bookkeeping.

use serde_json::{Map, Value, json};

use super::{Config, LoadError, Mode, Origin, RUNTIME, Resource};
use crate::Simulator;
use crate::pipeline::selectors::{Selectors, selectors_of};
use crate::services::cloudtrail::event_data_stores::{LoadedEds, PENDING_DELETION};
use crate::services::cloudtrail::lake_model::EventDataStoreRef;
use crate::services::cloudtrail::model::{
    DescribeTrailsRequest, GetTrailStatusRequest, ListTagsRequest, ListTrailsRequest,
};
use crate::services::cloudwatch::alarms;
use crate::services::logs::{self, metric_filters};
use crate::services::sns::{subscriptions, topics};
use crate::services::{cloudtrail, s3};

/// A Terraform-style resource name from an AWS name.
fn tf_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn resource(rtype: &str, name: &str, attrs: Value) -> Resource {
    Resource {
        address: format!("{rtype}.{}", tf_name(name)),
        mode: Mode::Managed,
        rtype: rtype.to_string(),
        location: "live".to_string(),
        attrs,
    }
}

/// Stored selectors in the `aws_cloudtrail` attribute form.
pub fn selectors_attrs(sel: &Selectors, out: &mut Map<String, Value>) {
    match sel {
        Selectors::Default => {}
        Selectors::Basic(list) => {
            let v: Vec<Value> = list
                .iter()
                .map(|s| {
                    json!({
                        "read_write_type": s.read_write_type.clone().unwrap_or_else(|| "All".into()),
                        "include_management_events": s.include_management_events.unwrap_or(true),
                        "exclude_management_event_sources": s.exclude_management_event_sources.clone().unwrap_or_default(),
                        "data_resource": s.data_resources.iter().flatten().map(|d| json!({
                            "type": d.r#type,
                            "values": d.values.clone().unwrap_or_default(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            out.insert("event_selector".into(), Value::Array(v));
        }
        Selectors::Advanced(list) => {
            let v: Vec<Value> = list
                .iter()
                .map(|s| {
                    json!({
                        "name": s.name,
                        "field_selector": s.field_selectors.iter().map(|f| {
                            let mut m = Map::new();
                            m.insert("field".into(), json!(f.field));
                            for (k, x) in [
                                ("equals", &f.equals),
                                ("starts_with", &f.starts_with),
                                ("ends_with", &f.ends_with),
                                ("not_equals", &f.not_equals),
                                ("not_starts_with", &f.not_starts_with),
                                ("not_ends_with", &f.not_ends_with),
                            ] {
                                if let Some(x) = x {
                                    m.insert(k.into(), json!(x));
                                }
                            }
                            Value::Object(m)
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
            out.insert("advanced_event_selector".into(), Value::Array(v));
        }
    }
}

/// The account's event data stores in every Region, as `aws_cloudtrail_event_data_store`
/// resources. A store pending deletion is gone for Terraform (its provider reads it as
/// deleted) and captures nothing, so it is left out.
fn load_event_data_stores(
    sim: &Simulator,
    account_id: &str,
    resources: &mut Vec<Resource>,
) -> Result<(), crate::AwsError> {
    let rows = sim.read(|db| Ok(db.all_eds()?))?;
    for row in rows {
        if row.account_id != account_id || row.status == PENDING_DELETION {
            continue;
        }
        let eds = LoadedEds::from_row(row)?;
        let ctx = sim.default_caller(&eds.row.region);
        let arn = eds.row.arn.clone();
        let (d, tags) = sim.run_unrecorded(|env| {
            let d = cloudtrail::get_event_data_store(
                env,
                &ctx,
                EventDataStoreRef {
                    event_data_store: arn.clone(),
                },
            )?;
            let tags = cloudtrail::list_tags(
                env,
                &ctx,
                ListTagsRequest {
                    resource_id_list: vec![arn.clone()],
                    next_token: None,
                },
            )?
            .resource_tag_list;
            Ok((d, tags))
        })?;
        let name = d.name.clone().unwrap_or_else(|| eds.row.name.clone());
        let mut a = Map::new();
        a.insert("name".into(), json!(name));
        a.insert("arn".into(), json!(arn));
        a.insert("id".into(), json!(arn));
        a.insert("region".into(), json!(eds.row.region));
        a.insert(
            "multi_region_enabled".into(),
            json!(d.multi_region_enabled.unwrap_or(true)),
        );
        a.insert(
            "organization_enabled".into(),
            json!(d.organization_enabled.unwrap_or(false)),
        );
        a.insert("retention_period".into(), json!(d.retention_period));
        a.insert(
            "termination_protection_enabled".into(),
            json!(d.termination_protection_enabled.unwrap_or(true)),
        );
        a.insert("kms_key_id".into(), json!(d.kms_key_id));
        a.insert("billing_mode".into(), json!(d.billing_mode));
        let mut tag_map = Map::new();
        for rt in tags {
            for tag in rt.tags_list.into_iter().flatten() {
                tag_map.insert(tag.key, json!(tag.value.unwrap_or_default()));
            }
        }
        a.insert("tags".into(), Value::Object(tag_map));
        let selectors = Selectors::Advanced(d.advanced_event_selectors.unwrap_or_default());
        selectors_attrs(&selectors, &mut a);
        a.insert(RUNTIME.into(), json!({ "status": d.status }));
        let mut r = resource("aws_cloudtrail_event_data_store", &name, Value::Object(a));
        // Names are unique per account and Region only.
        if resources.iter().any(|o| o.address == r.address) {
            r.address = format!("{}_{}", r.address, tf_name(&eds.row.region));
        }
        resources.push(r);
    }
    Ok(())
}

/// Adds `r`, renaming it when its address is taken (names are unique per group, Region or
/// topic, not per account).
fn push_unique(resources: &mut Vec<Resource>, mut r: Resource) {
    let base = r.address.clone();
    let mut n = 2;
    while resources.iter().any(|o| o.address == r.address) {
        r.address = format!("{base}_{n}");
        n += 1;
    }
    resources.push(r);
}

/// The trails' log groups with their metric filters, the account's alarms, and the SNS
/// topics the alarms notify with their subscriptions.
fn load_monitoring(
    sim: &Simulator,
    account_id: &str,
    group_arns: &[String],
    resources: &mut Vec<Resource>,
) -> Result<(), crate::AwsError> {
    let found = sim.run_unrecorded(|env| {
        let mut groups = Vec::new();
        for arn in group_arns {
            if let Some(g) = logs::log_group_by_arn(env, arn)?
                && !groups
                    .iter()
                    .any(|(x, _): &(logs::LogGroupInfo, _)| x.arn == g.arn)
            {
                let filters = metric_filters::of_group(env, &g.account, &g.region, &g.name)?;
                groups.push((g, filters));
            }
        }
        let alarms = alarms::all(env, Some(account_id), None)?;
        let mut notified: Vec<String> = alarms
            .iter()
            .flat_map(|(_, _, a)| a.alarm.alarm_actions.iter().cloned())
            .filter(|a| topics::parse_topic_arn(a).is_some())
            .collect();
        notified.sort();
        notified.dedup();
        let mut found_topics = Vec::new();
        for arn in notified {
            if let Some(t) = topics::topic(env, &arn)? {
                let subs = subscriptions::of_topic(env, &arn)?;
                found_topics.push((t, subs));
            }
        }
        Ok((groups, alarms, found_topics))
    })?;
    let (groups, alarms, found_topics) = found;
    for (g, filters) in groups {
        push_unique(
            resources,
            resource(
                "aws_cloudwatch_log_group",
                &g.name,
                json!({
                    "name": g.name,
                    "arn": g.log_group_arn,
                    "region": g.region,
                    "kms_key_id": g.kms_key_id,
                    "retention_in_days": g.retention_in_days,
                }),
            ),
        );
        for f in filters {
            let transformations: Vec<Value> = f
                .metric_transformations
                .iter()
                .map(|t| {
                    json!({
                        "name": t.metric_name,
                        "namespace": t.metric_namespace,
                        "value": t.metric_value,
                        "default_value": t.default_value,
                        "dimensions": t.dimensions,
                        "unit": t.unit,
                    })
                })
                .collect();
            push_unique(
                resources,
                resource(
                    "aws_cloudwatch_log_metric_filter",
                    &f.filter_name,
                    json!({
                        "name": f.filter_name,
                        "log_group_name": f.log_group_name,
                        "pattern": f.filter_pattern,
                        "metric_transformation": transformations,
                        "region": g.region,
                    }),
                ),
            );
        }
    }
    for (_, region, doc) in alarms {
        let a = doc.alarm;
        push_unique(
            resources,
            resource(
                "aws_cloudwatch_metric_alarm",
                &a.alarm_name,
                json!({
                    "alarm_name": a.alarm_name,
                    "arn": a.alarm_arn,
                    "metric_name": a.metric_name,
                    "namespace": a.namespace,
                    "statistic": a.statistic,
                    "extended_statistic": a.extended_statistic,
                    "period": a.period,
                    "evaluation_periods": a.evaluation_periods,
                    "threshold": a.threshold,
                    "comparison_operator": a.comparison_operator,
                    "treat_missing_data": a.treat_missing_data,
                    "actions_enabled": a.actions_enabled,
                    "alarm_actions": a.alarm_actions,
                    "ok_actions": a.ok_actions,
                    "insufficient_data_actions": a.insufficient_data_actions,
                    "region": region,
                    RUNTIME: {"state_value": a.state_value},
                }),
            ),
        );
    }
    for (t, subs) in found_topics {
        push_unique(
            resources,
            resource(
                "aws_sns_topic",
                &t.name,
                json!({"name": t.name, "arn": t.arn, "region": t.region}),
            ),
        );
        for s in subs {
            let id = s.arn.rsplit(':').next().unwrap_or_default().to_string();
            push_unique(
                resources,
                resource(
                    "aws_sns_topic_subscription",
                    &format!("{}_{id}", t.name),
                    json!({
                        "arn": s.arn,
                        "topic_arn": s.topic_arn,
                        "protocol": s.protocol,
                        "endpoint": s.endpoint,
                        "pending_confirmation": s.pending,
                        "region": t.region,
                    }),
                ),
            );
        }
    }
    Ok(())
}

/// Reads the simulator.
pub fn load(sim: &Simulator) -> Result<Config, LoadError> {
    let err = |e: crate::AwsError| LoadError::Other(format!("reading the simulator: {e}"));
    let region = sim
        .setting("default.region")
        .ok()
        .flatten()
        .unwrap_or_else(|| "us-east-1".to_string());
    let ctx = sim.default_caller(&region);
    let mut resources = Vec::new();

    let mut token = None;
    let mut infos = Vec::new();
    loop {
        let page = sim
            .run_unrecorded(|env| {
                cloudtrail::list_trails(
                    env,
                    &ctx,
                    ListTrailsRequest {
                        next_token: token.clone(),
                    },
                )
            })
            .map_err(err)?;
        infos.extend(page.trails);
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => break,
        }
    }
    for info in infos {
        let Some(arn) = info.trail_arn.clone() else {
            continue;
        };
        let home = info.home_region.clone().unwrap_or_else(|| region.clone());
        let ctx = sim.default_caller(&home);
        let (trail, status, tags) = sim
            .run_unrecorded(|env| {
                let described = cloudtrail::describe_trails(
                    env,
                    &ctx,
                    DescribeTrailsRequest {
                        trail_name_list: Some(vec![arn.clone()]),
                        include_shadow_trails: Some(false),
                    },
                )?;
                let status = cloudtrail::get_trail_status(
                    env,
                    &ctx,
                    GetTrailStatusRequest { name: arn.clone() },
                )?;
                let tags = cloudtrail::list_tags(
                    env,
                    &ctx,
                    ListTagsRequest {
                        resource_id_list: vec![arn.clone()],
                        next_token: None,
                    },
                )
                .map(|t| t.resource_tag_list)
                .unwrap_or_default();
                Ok((described.trail_list.into_iter().next(), status, tags))
            })
            .map_err(err)?;
        let Some(t) = trail else { continue };
        let selectors = sim
            .read(|db| selectors_of(db, &arn).map_err(crate::AwsError::from))
            .map_err(err)?;
        let mut a = Map::new();
        let name = t.name.clone().unwrap_or_default();
        a.insert("name".into(), json!(name));
        a.insert("arn".into(), json!(arn));
        a.insert("home_region".into(), json!(t.home_region));
        a.insert("s3_bucket_name".into(), json!(t.s3_bucket_name));
        a.insert("s3_key_prefix".into(), json!(t.s3_key_prefix));
        a.insert("sns_topic_name".into(), json!(t.sns_topic_name));
        a.insert(
            "include_global_service_events".into(),
            json!(t.include_global_service_events.unwrap_or(true)),
        );
        a.insert(
            "is_multi_region_trail".into(),
            json!(t.is_multi_region_trail.unwrap_or(false)),
        );
        a.insert(
            "is_organization_trail".into(),
            json!(t.is_organization_trail.unwrap_or(false)),
        );
        a.insert(
            "enable_log_file_validation".into(),
            json!(t.log_file_validation_enabled.unwrap_or(false)),
        );
        a.insert("kms_key_id".into(), json!(t.kms_key_id));
        a.insert(
            "cloud_watch_logs_group_arn".into(),
            json!(t.cloud_watch_logs_log_group_arn),
        );
        a.insert(
            "cloud_watch_logs_role_arn".into(),
            json!(t.cloud_watch_logs_role_arn),
        );
        a.insert(
            "enable_logging".into(),
            json!(status.is_logging.unwrap_or(false)),
        );
        let mut tag_map = Map::new();
        for rt in tags {
            for tag in rt.tags_list.into_iter().flatten() {
                tag_map.insert(tag.key, json!(tag.value.unwrap_or_default()));
            }
        }
        a.insert("tags".into(), Value::Object(tag_map));
        selectors_attrs(&selectors, &mut a);
        a.insert(
            RUNTIME.into(),
            json!({
                "is_logging": status.is_logging.unwrap_or(false),
                "latest_delivery_time": status.latest_delivery_time,
                "latest_delivery_error": status.latest_delivery_error,
                "latest_cloud_watch_logs_delivery_error": status.latest_cloud_watch_logs_delivery_error,
            }),
        );
        resources.push(resource("aws_cloudtrail", &name, Value::Object(a)));
    }

    load_event_data_stores(sim, &ctx.account_id, &mut resources).map_err(err)?;
    let group_arns: Vec<String> = resources
        .iter()
        .filter(|r| r.rtype == "aws_cloudtrail")
        .filter_map(|r| r.attr("cloud_watch_logs_group_arn").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    load_monitoring(sim, &ctx.account_id, &group_arns, &mut resources).map_err(err)?;

    let buckets = sim.run_unrecorded(s3::buckets::all).map_err(err)?;
    for b in buckets {
        let name = b.name.clone();
        resources.push(resource(
            "aws_s3_bucket",
            &name,
            json!({"bucket": name, "arn": b.arn(), "region": b.region}),
        ));
        if let Some(p) = &b.policy {
            resources.push(resource(
                "aws_s3_bucket_policy",
                &name,
                json!({"bucket": name, "policy": p}),
            ));
        }
        if let Some(pab) = &b.public_access_block {
            resources.push(resource(
                "aws_s3_bucket_public_access_block",
                &name,
                json!({
                    "bucket": name,
                    "block_public_acls": pab.block_public_acls.unwrap_or(false),
                    "block_public_policy": pab.block_public_policy.unwrap_or(false),
                    "ignore_public_acls": pab.ignore_public_acls.unwrap_or(false),
                    "restrict_public_buckets": pab.restrict_public_buckets.unwrap_or(false),
                }),
            ));
        }
        if let Some(l) = &b.logging {
            resources.push(resource(
                "aws_s3_bucket_logging",
                &name,
                json!({"bucket": name, "target_bucket": l.target_bucket, "target_prefix": l.target_prefix}),
            ));
        }
        let grants: Vec<Value> = b
            .acl
            .grants
            .iter()
            .map(|g| {
                json!({
                    "permission": g.permission,
                    "grantee": [{"uri": g.grantee.uri, "id": g.grantee.id}],
                })
            })
            .collect();
        resources.push(resource(
            "aws_s3_bucket_acl",
            &name,
            json!({"bucket": name, "access_control_policy": [{"grant": grants}]}),
        ));
        let enc = b.encryption_or_default();
        let rules: Vec<Value> = enc
            .rules
            .iter()
            .map(|r| {
                json!({
                    "apply_server_side_encryption_by_default": r.apply_server_side_encryption_by_default.as_ref().map(|d| vec![json!({
                        "sse_algorithm": d.sse_algorithm,
                        "kms_master_key_id": d.kms_master_key_id,
                    })]).unwrap_or_default(),
                })
            })
            .collect();
        resources.push(resource(
            "aws_s3_bucket_server_side_encryption_configuration",
            &name,
            json!({"bucket": name, "rule": rules}),
        ));
    }
    Ok(Config {
        origin: Origin::Live,
        resources,
        unresolved: Vec::new(),
        region: Some(region),
    }
    .finish())
}
