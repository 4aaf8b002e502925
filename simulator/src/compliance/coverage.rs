//! Coverage questions answered with the one selector evaluator
//! (`pipeline::selectors::CompiledTrail`): which trails and event data stores capture an
//! event, and, the other way round, what a trail captures, in words.

use std::fmt::Write;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::model::{Fact, Model, Trail};
use crate::pipeline::selectors::{CompiledTrail, GLOBAL_SERVICE_EVENT_SOURCES, TrailScope};
use crate::services::cloudtrail::selectors::StoredSelectors;

/// The event asked about; absent fields are absent from the probe record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    pub event_name: Option<String>,
    pub event_source: Option<String>,
    pub resource_arn: Option<String>,
    pub resource_type: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub read_only: Option<bool>,
    /// `Management` or `Data`; derived from the resource when not given.
    pub category: Option<String>,
}

/// The resource type CloudTrail reports for an ARN, for the services whose data events
/// selectors name most often.
pub fn resource_type_of(arn: &str) -> Option<&'static str> {
    let rest = arn.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let _partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let _account = parts.next()?;
    let resource = parts.next().unwrap_or_default();
    Some(match service {
        "s3" if resource.contains('/') => "AWS::S3::Object",
        "s3" => "AWS::S3::Bucket",
        "lambda" => "AWS::Lambda::Function",
        "dynamodb" => "AWS::DynamoDB::Table",
        "sns" => "AWS::SNS::Topic",
        "sqs" => "AWS::SQS::Queue",
        "kms" => "AWS::KMS::Key",
        _ => return None,
    })
}

impl EventQuery {
    /// The CloudTrail record the question describes.
    pub fn record(&self) -> Value {
        let mut r = Map::new();
        let rtype = self.resource_type.clone().or_else(|| {
            self.resource_arn
                .as_deref()
                .and_then(resource_type_of)
                .map(str::to_string)
        });
        let category = self.category.clone().unwrap_or_else(|| {
            match rtype.as_deref() {
                // Object- and function-level calls are data events; bucket-level are not.
                Some(
                    "AWS::S3::Object"
                    | "AWS::Lambda::Function"
                    | "AWS::DynamoDB::Table"
                    | "AWS::SQS::Queue"
                    | "AWS::SNS::Topic",
                ) if self.resource_arn.is_some() => "Data".to_string(),
                _ => "Management".to_string(),
            }
        });
        r.insert("eventCategory".into(), json!(category));
        if let Some(s) = &self.event_source {
            r.insert("eventSource".into(), json!(s));
        }
        if let Some(n) = &self.event_name {
            r.insert("eventName".into(), json!(n));
        }
        if let Some(ro) = self.read_only {
            r.insert("readOnly".into(), json!(ro));
        }
        if let Some(reg) = &self.region {
            r.insert("awsRegion".into(), json!(reg));
        }
        if let Some(a) = &self.account {
            r.insert("recipientAccountId".into(), json!(a));
        }
        if let Some(arn) = &self.resource_arn {
            let mut res = vec![json!({"type": rtype.clone().unwrap_or_default(), "ARN": arn})];
            // S3 object events also name their bucket, as real records do.
            if rtype.as_deref() == Some("AWS::S3::Object")
                && let Some((bucket, _)) = arn.split_once('/')
            {
                res.push(json!({"type": "AWS::S3::Bucket", "ARN": bucket}));
            }
            r.insert("resources".into(), Value::Array(res));
        }
        Value::Object(r)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageLine {
    /// `trail` or `event data store`.
    pub kind: &'static str,
    pub address: String,
    pub name: String,
    pub captured: Option<bool>,
    pub why: String,
}

fn name_of(f: &Fact<String>, address: &str) -> String {
    f.known().cloned().unwrap_or_else(|| address.to_string())
}

fn scope_of(
    multi: &Fact<bool>,
    global: &Fact<bool>,
    home: Option<&str>,
    q: &EventQuery,
) -> Result<TrailScope, String> {
    let multi = match multi {
        Fact::Known(b) => *b,
        Fact::Unknown(u) => {
            return Err(format!("multi-Region setting not known before apply: {u}"));
        }
    };
    let global = match global {
        Fact::Known(b) => *b,
        Fact::Unknown(u) => return Err(format!("global service events setting not known: {u}")),
    };
    let home = match (home, multi) {
        (Some(h), _) => h.to_string(),
        (None, true) => String::new(),
        (None, false) => return Err("the trail's home region is not known".into()),
    };
    Ok(TrailScope {
        home_region: home,
        multi_region: multi,
        include_global_service_events: global,
        // The input does not say which account owns the trail: judge the event as the
        // trail's own account's (organization trails: any member's).
        account_id: q.account.clone().unwrap_or_default(),
        organization_accounts: Vec::new(),
    })
}

fn judge(
    scope: Result<TrailScope, String>,
    selectors: &Fact<StoredSelectors>,
    unknowns: &[String],
    record: &Value,
    q: &EventQuery,
) -> (Option<bool>, String) {
    let scope = match scope {
        Ok(s) => s,
        Err(e) => return (None, e),
    };
    let sel = match selectors {
        Fact::Known(s) => s,
        Fact::Unknown(u) => return (None, format!("selectors not known before apply: {u}")),
    };
    let all_regions = TrailScope {
        multi_region: true,
        include_global_service_events: true,
        ..scope.clone()
    };
    let selected = CompiledTrail::new(&all_regions, sel).captures(record);
    let captured = CompiledTrail::new(&scope, sel).captures(record);
    if captured {
        return (Some(true), "in scope and selected".into());
    }
    if selected {
        let region = q.region.as_deref().unwrap_or("?");
        let global = q.region.as_deref() == Some(crate::pipeline::selectors::GLOBAL_EVENTS_REGION)
            && q.event_source
                .as_deref()
                .is_some_and(|s| GLOBAL_SERVICE_EVENT_SOURCES.contains(&s));
        return (
            Some(false),
            if global && !scope.include_global_service_events {
                "selected, but the trail excludes global service events".into()
            } else {
                format!(
                    "selected, but the trail is single-Region in {} and the event is in {region}",
                    scope.home_region
                )
            },
        );
    }
    if !unknowns.is_empty() {
        return (
            Some(false),
            format!(
                "no selector matches (selector values known only after apply: {})",
                unknowns.join(", ")
            ),
        );
    }
    (Some(false), "no selector matches".into())
}

/// Which trails and event data stores capture the event.
pub fn who_captures(m: &Model, q: &EventQuery) -> Vec<CoverageLine> {
    let record = q.record();
    let mut out = Vec::new();
    for t in &m.trails {
        let scope = scope_of(
            &t.multi_region,
            &t.global_events,
            t.home_region.as_deref(),
            q,
        );
        let (captured, why) = judge(scope, &t.selectors, &t.selector_unknowns, &record, q);
        out.push(CoverageLine {
            kind: "trail",
            address: t.address.clone(),
            name: name_of(&t.name, &t.address),
            captured,
            why,
        });
    }
    for s in &m.stores {
        let home = s.home_region.as_deref().or(m.region.as_deref());
        let scope = scope_of(&s.multi_region, &Fact::Known(true), home, q);
        let (mut captured, mut why) = judge(scope, &s.selectors, &s.selector_unknowns, &record, q);
        // A store that is not ingesting (live status) takes nothing, whatever it selects.
        if captured == Some(true)
            && let Some(status) = s.status.as_deref().filter(|st| *st != "ENABLED")
        {
            captured = Some(false);
            why = format!("selected, but the store is {status} and ingests nothing");
        }
        out.push(CoverageLine {
            kind: "event data store",
            address: s.address.clone(),
            name: name_of(&s.name, &s.address),
            captured,
            why,
        });
    }
    out
}

pub fn render_who(q: &EventQuery, lines: &[CoverageLine]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Event: {}", q.record());
    if lines.is_empty() {
        let _ = writeln!(
            out,
            "No trails or event data stores in the input: nothing captures it."
        );
        return out;
    }
    for l in lines {
        let mark = match l.captured {
            Some(true) => "CAPTURED",
            Some(false) => "not captured",
            None => "unknown",
        };
        let _ = writeln!(
            out,
            "  {mark:<13} {} {} ({}): {}",
            l.kind, l.name, l.address, l.why
        );
    }
    let n = lines.iter().filter(|l| l.captured == Some(true)).count();
    let _ = writeln!(out, "{n} of {} capture it.", lines.len());
    out
}

/// One AWS call a plan will cause: the resource change and the event AWS records for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedCall {
    pub address: String,
    pub action: String,
    pub event_source: String,
    pub event_name: String,
}

/// The calls the changes of a `terraform show -json` plan cause, as CloudTrail events: the
/// create, update or delete operation hashicorp/aws makes for each changed resource (the
/// generic tier's operation table, which covers every hashicorp/aws type). A replacement is
/// a delete and a create; reads (refresh, data sources) are left out.
pub fn planned_calls(plan: &Value) -> Vec<PlannedCall> {
    use crate::services::generic::{Table, operations_of, tables::cloudtrail_event_name};
    let mut out = Vec::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        if rc["mode"] != "managed" {
            continue;
        }
        let Some(ty) = rc["type"].as_str() else {
            continue;
        };
        let address = rc["address"].as_str().unwrap_or(ty).to_string();
        let ops = operations_of(Table::Resource, ty);
        let source = ops.event_source.clone().unwrap_or_default();
        for action in rc["change"]["actions"].as_array().into_iter().flatten() {
            let (slot, op) = match action.as_str() {
                Some("create") => ("create", &ops.create),
                Some("update") => ("update", &ops.update),
                Some("delete") => ("delete", &ops.delete),
                _ => continue,
            };
            let Some(op) = op
                .as_deref()
                .filter(|_| !ops.no_call.iter().any(|s| s == slot))
            else {
                continue;
            };
            out.push(PlannedCall {
                address: address.clone(),
                action: slot.to_string(),
                event_source: source.clone(),
                event_name: cloudtrail_event_name(&source, op),
            });
        }
    }
    out
}

/// Which trails and event data stores capture each call a plan causes.
pub fn render_plan_coverage(calls: &[(PlannedCall, Vec<CoverageLine>)]) -> String {
    let mut out = String::new();
    if calls.is_empty() {
        let _ = writeln!(out, "The plan changes nothing: it causes no API calls.");
        return out;
    }
    for (c, lines) in calls {
        let by: Vec<String> = lines
            .iter()
            .filter(|l| l.captured == Some(true))
            .map(|l| format!("{} {}", l.kind, l.name))
            .collect();
        let unknown = lines.iter().filter(|l| l.captured.is_none()).count();
        let verdict = if !by.is_empty() {
            format!("captured by {}", by.join(", "))
        } else if unknown > 0 {
            format!("not known before apply ({unknown} unknown)")
        } else {
            "NOT CAPTURED".to_string()
        };
        let _ = writeln!(
            out,
            "{:<7} {:<50} {} {}: {verdict}",
            c.action, c.address, c.event_source, c.event_name
        );
    }
    let captured = calls
        .iter()
        .filter(|(_, l)| l.iter().any(|x| x.captured == Some(true)))
        .count();
    let _ = writeln!(out, "{captured} of {} calls captured.", calls.len());
    out
}

/// A selector value as people read it.
fn shown(x: &str) -> String {
    if x == super::model::UNKNOWN_VALUE {
        "(a value known after apply)".to_string()
    } else {
        format!("{x:?}")
    }
}

fn list(xs: &[String]) -> String {
    xs.iter().map(|x| shown(x)).collect::<Vec<_>>().join(", ")
}

/// A trail's scope and selectors in words.
pub fn describe_trail(t: &Trail) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Trail {} ({})",
        name_of(&t.name, &t.address),
        t.address
    );
    let scope = match (&t.multi_region, t.home_region.as_deref()) {
        (Fact::Known(true), _) => "every region (multi-Region trail)".to_string(),
        (Fact::Known(false), Some(h)) => format!("only {h} (single-Region trail)"),
        (Fact::Known(false), None) => "only its home region (single-Region trail)".to_string(),
        (Fact::Unknown(u), _) => format!("regions not known before apply ({u})"),
    };
    let _ = writeln!(out, "  Regions: {scope}");
    let _ = writeln!(
        out,
        "  Global service events (IAM, STS, CloudFront, sign-in, Route 53): {}",
        match &t.global_events {
            Fact::Known(true) => "included".to_string(),
            Fact::Known(false) => "excluded".to_string(),
            Fact::Unknown(u) => format!("not known ({u})"),
        }
    );
    if t.organization == Fact::Known(true) {
        let _ = writeln!(out, "  Accounts: every account of the organization");
    }
    let _ = writeln!(out, "  Captures:");
    match &t.selectors {
        Fact::Unknown(u) => {
            let _ = writeln!(out, "    not known before apply ({u})");
        }
        Fact::Known(StoredSelectors::Default) => {
            let _ = writeln!(
                out,
                "    - all management events, read and write (the default); no data events"
            );
        }
        Fact::Known(StoredSelectors::Basic(list_)) => {
            for s in list_ {
                let rw = match s.read_write_type.as_deref() {
                    Some("ReadOnly") => "read-only",
                    Some("WriteOnly") => "write-only",
                    _ => "read and write",
                };
                if s.include_management_events.unwrap_or(true) {
                    let mut line = format!("    - {rw} management events");
                    if let Some(ex) = s
                        .exclude_management_event_sources
                        .as_ref()
                        .filter(|x| !x.is_empty())
                    {
                        let _ = write!(line, " except from {}", list(ex));
                    }
                    let _ = writeln!(out, "{line}");
                }
                for d in s.data_resources.iter().flatten() {
                    let ty = d.r#type.as_deref().unwrap_or("?");
                    let vals = d.values.clone().unwrap_or_default();
                    let which = if vals.iter().any(|v| {
                        matches!(
                            v.as_str(),
                            "arn:aws:s3" | "arn:aws:s3:::" | "arn:aws:lambda" | "arn:aws:dynamodb"
                        )
                    }) {
                        "every resource".to_string()
                    } else {
                        format!("resources matching {}", list(&vals))
                    };
                    let _ = writeln!(out, "    - {rw} data events on {ty}: {which}");
                }
                if !s.include_management_events.unwrap_or(true)
                    && s.data_resources.as_ref().is_none_or(|d| d.is_empty())
                {
                    let _ = writeln!(
                        out,
                        "    - nothing (a selector with neither management nor data events)"
                    );
                }
            }
        }
        Fact::Known(StoredSelectors::Advanced(list_)) => {
            for s in list_ {
                let conds: Vec<String> = s
                    .field_selectors
                    .iter()
                    .map(|f| {
                        let mut parts = Vec::new();
                        for (op, vals) in [
                            ("is", &f.equals),
                            ("starts with", &f.starts_with),
                            ("ends with", &f.ends_with),
                            ("is not", &f.not_equals),
                            ("does not start with", &f.not_starts_with),
                            ("does not end with", &f.not_ends_with),
                        ] {
                            if let Some(v) = vals {
                                let joiner =
                                    if op.starts_with("is not") || op.starts_with("does not") {
                                        " nor "
                                    } else {
                                        " or "
                                    };
                                parts.push(format!(
                                    "{} {op} {}",
                                    f.field,
                                    v.iter().map(|x| shown(x)).collect::<Vec<_>>().join(joiner)
                                ));
                            }
                        }
                        parts.join(" and ")
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "    - {}: events where {}",
                    s.name.as_deref().unwrap_or("(unnamed selector)"),
                    if conds.is_empty() {
                        "anything".to_string()
                    } else {
                        conds.join(", and ")
                    }
                );
            }
        }
    }
    if !t.selector_unknowns.is_empty() {
        let _ = writeln!(
            out,
            "  Selector values known only after apply: {}",
            t.selector_unknowns.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_follow_the_arn() {
        assert_eq!(
            resource_type_of("arn:aws:s3:::b/k"),
            Some("AWS::S3::Object")
        );
        assert_eq!(resource_type_of("arn:aws:s3:::b"), Some("AWS::S3::Bucket"));
        assert_eq!(
            resource_type_of("arn:aws:lambda:us-east-1:111122223333:function:f"),
            Some("AWS::Lambda::Function")
        );
        assert_eq!(resource_type_of("not an arn"), None);
    }

    #[test]
    fn an_object_arn_makes_a_data_event_naming_its_bucket() {
        let q = EventQuery {
            event_name: Some("PutObject".into()),
            resource_arn: Some("arn:aws:s3:::b/k".into()),
            read_only: Some(false),
            ..Default::default()
        };
        let r = q.record();
        assert_eq!(r["eventCategory"], "Data");
        assert_eq!(r["resources"][1]["ARN"], "arn:aws:s3:::b");
        assert_eq!(r["readOnly"], false);
    }
}
