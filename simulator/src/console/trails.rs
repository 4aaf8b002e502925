//! Trails: every trail with its status and last delivery; a trail's configuration, its
//! selectors in words (the coverage explainer, `compliance::coverage::describe_trail`), its
//! status and delivery errors, and its delivered files; a viewer for one file; and the
//! validation of its log files against their digests (`pipeline::validate`, as
//! `ctsim validate-logs`).

use std::fmt::Write;

use serde_json::Value;

use super::html::{self, esc};
use super::{Answer, Failure, Outcome, Request};
use crate::Simulator;
use crate::compliance::Model;
use crate::compliance::coverage::describe_trail;
use crate::services::cloudtrail::model;

/// A trail with its status, as DescribeTrails and GetTrailStatus answer.
pub struct TrailView {
    pub trail: model::Trail,
    pub status: model::GetTrailStatusResponse,
}

/// Every trail of the default account, each described in its home region.
pub fn all(sim: &Simulator) -> Result<Vec<TrailView>, Failure> {
    Ok(sim
        .trails_with_status()?
        .into_iter()
        .map(|(trail, status)| TrailView { trail, status })
        .collect())
}

fn yes_no(b: Option<bool>) -> String {
    if b == Some(true) { "yes" } else { "no" }.to_string()
}

fn detail_link(arn: &str) -> String {
    html::link("/console/trails/detail", &[("arn", arn)])
}

pub fn list(sim: &Simulator) -> Outcome {
    let trails = all(sim)?;
    let mut body = String::new();
    if trails.is_empty() {
        body.push_str("<p class=\"empty\">No trails. Create one with terraform apply, the AWS CLI or boto3.</p>");
    }
    let rows: Vec<Vec<String>> = trails
        .iter()
        .map(|v| {
            let t = &v.trail;
            let s = &v.status;
            let arn = t.trail_arn.as_deref().unwrap_or_default();
            let logging = if s.is_logging == Some(true) {
                "<span class=\"ok\">Logging</span>"
            } else {
                "<span class=\"bad\">Off</span>"
            };
            let error = s
                .latest_delivery_error
                .as_deref()
                .or(s.latest_digest_delivery_error.as_deref())
                .or(s.latest_cloud_watch_logs_delivery_error.as_deref())
                .unwrap_or_default();
            vec![
                html::a(&detail_link(arn), t.name.as_deref().unwrap_or_default()),
                esc(t.home_region.as_deref().unwrap_or_default()),
                esc(&yes_no(t.is_multi_region_trail)),
                logging.to_string(),
                esc(t.s3_bucket_name.as_deref().unwrap_or_default()),
                esc(&html::when(s.latest_delivery_time)),
                esc(&html::when(s.latest_digest_delivery_time)),
                if error.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"bad\">{}</span>", esc(error))
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        body.push_str(&html::table(
            "trails",
            &[
                "Name",
                "Home region",
                "Multi-region",
                "Status",
                "S3 bucket",
                "Last delivery",
                "Last digest",
                "Delivery error",
            ],
            &rows,
        ));
    }
    Ok(Answer::page("Trails", html::Nav::Trails, body))
}

fn find(sim: &Simulator, arn: &str) -> Result<TrailView, Failure> {
    all(sim)?
        .into_iter()
        .find(|v| v.trail.trail_arn.as_deref() == Some(arn) || v.trail.name.as_deref() == Some(arn))
        .ok_or_else(|| Failure::not_found(format!("There is no trail {arn:?}.")))
}

/// The selectors in words, from the compliance model of the live state (one explainer for
/// `ctsim coverage --trail`, the checks and this page).
fn selectors_in_words(sim: &Simulator, name: &str) -> String {
    let config = match crate::plan::live::load(sim) {
        Ok(c) => c,
        Err(e) => return format!("(cannot read the trail's selectors: {e})"),
    };
    let model = Model::build(&config);
    model
        .trails
        .iter()
        .find(|t| t.name.known().is_some_and(|n| n == name))
        .map(describe_trail)
        .unwrap_or_else(|| "(no selectors found)".to_string())
}

pub fn detail(sim: &Simulator, req: &Request) -> Outcome {
    let arn = req.get("arn");
    if arn.is_empty() {
        return Err(Failure::bad_request("Say which trail: ?arn=TRAIL_ARN."));
    }
    let v = find(sim, arn)?;
    let t = &v.trail;
    let s = &v.status;
    let name = t.name.clone().unwrap_or_default();
    let trail_arn = t.trail_arn.clone().unwrap_or_default();
    let mut body = String::new();
    let _ = write!(
        body,
        "<p>{} · {}</p><div class=\"cols\"><section><h2>Configuration</h2>",
        html::a(
            &html::link("/console/trails/validate", &[("arn", &trail_arn)]),
            "Validate log files"
        ),
        html::a(
            &html::link(
                "/console/events",
                &[("key", "ResourceName"), ("value", &name)]
            ),
            "Events about this trail"
        ),
    );
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    body.push_str(&html::properties(&[
        ("Name", name.clone()),
        ("ARN", trail_arn.clone()),
        ("Home region", opt(&t.home_region)),
        ("Multi-region", yes_no(t.is_multi_region_trail)),
        ("Organization trail", yes_no(t.is_organization_trail)),
        (
            "Global service events",
            yes_no(t.include_global_service_events),
        ),
        ("S3 bucket", opt(&t.s3_bucket_name)),
        ("S3 key prefix", opt(&t.s3_key_prefix)),
        ("Log file validation", yes_no(t.log_file_validation_enabled)),
        ("KMS key", opt(&t.kms_key_id)),
        (
            "CloudWatch Logs group",
            opt(&t.cloud_watch_logs_log_group_arn),
        ),
        ("SNS topic", opt(&t.sns_topic_arn)),
        ("Insight selectors", yes_no(t.has_insight_selectors)),
    ]));
    body.push_str("</section><section><h2>Status</h2>");
    let err = |o: &Option<String>| o.clone().unwrap_or_else(|| "none".into());
    body.push_str(&html::properties(&[
        (
            "Logging",
            if s.is_logging == Some(true) {
                "on".into()
            } else {
                "off".into()
            },
        ),
        ("Started logging", html::when(s.start_logging_time)),
        ("Stopped logging", html::when(s.stop_logging_time)),
        ("Last delivery", html::when(s.latest_delivery_time)),
        ("Last delivery error", err(&s.latest_delivery_error)),
        ("Last digest", html::when(s.latest_digest_delivery_time)),
        ("Last digest error", err(&s.latest_digest_delivery_error)),
        (
            "Last CloudWatch Logs delivery",
            html::when(s.latest_cloud_watch_logs_delivery_time),
        ),
        (
            "Last CloudWatch Logs error",
            err(&s.latest_cloud_watch_logs_delivery_error),
        ),
        ("Last notification", html::when(s.latest_notification_time)),
        ("Last notification error", err(&s.latest_notification_error)),
    ]));
    let _ = write!(
        body,
        "</section></div><h2>What it captures</h2><pre class=\"words\">{}</pre>",
        esc(&selectors_in_words(sim, &name))
    );
    let files =
        sim.read_unrecorded(|env| crate::pipeline::delivered::list(env, Some(&trail_arn)))?;
    let _ = write!(body, "<h2>Delivered files ({})</h2>", files.len());
    if files.is_empty() {
        body.push_str("<p class=\"empty\">No files delivered yet: files come every 5 minutes of simulator time while the trail logs.</p>");
    } else {
        // Newest first; the last 200.
        let rows: Vec<Vec<String>> = files
            .iter()
            .rev()
            .take(200)
            .map(|f| {
                let bucket = f["bucket"].as_str().unwrap_or_default();
                let key = f["key"].as_str().unwrap_or_default();
                vec![
                    esc(f["deliveredAt"].as_str().unwrap_or("-")),
                    esc(&f["records"].to_string()),
                    esc(&f["size"].to_string()),
                    esc(bucket),
                    html::a(
                        &html::link("/console/trails/file", &[("bucket", bucket), ("key", key)]),
                        key,
                    ),
                ]
            })
            .collect();
        body.push_str(&html::table(
            "files",
            &["Delivered at", "Records", "Bytes", "Bucket", "Key"],
            &rows,
        ));
    }
    Ok(Answer::page(
        format!("Trail {name}"),
        html::Nav::Trails,
        body,
    ))
}

pub fn file(sim: &Simulator, req: &Request) -> Outcome {
    let (bucket, key) = (req.get("bucket"), req.get("key"));
    if bucket.is_empty() || key.is_empty() {
        return Err(Failure::bad_request("Say which file: ?bucket=B&key=K."));
    }
    let value: Value =
        sim.read_unrecorded(|env| crate::pipeline::delivered::read_json(env, bucket, key))?;
    let records = value["Records"].as_array().map_or(0, Vec::len);
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"mono\">s3://{}/{}</p><p>{records} records</p>{}",
        esc(bucket),
        esc(key),
        html::json_block(&value)
    );
    Ok(Answer::page("Log file", html::Nav::Trails, body))
}

pub fn validate(sim: &Simulator, req: &Request) -> Outcome {
    let arn = req.get("arn");
    if arn.is_empty() {
        return Err(Failure::bad_request("Say which trail: ?arn=TRAIL_ARN."));
    }
    let report = sim.read_unrecorded(|env| {
        crate::pipeline::validate::validate_logs(env, arn, chrono::DateTime::UNIX_EPOCH, env.now)
    })?;
    let mut body = String::new();
    let valid = report.all_valid();
    let _ = write!(
        body,
        "<p>{} · digests {} · log files {} · <span class=\"{}\">{}</span></p>",
        html::a(&detail_link(arn), "Back to the trail"),
        report.digests.len(),
        report.log_files.len(),
        if valid { "ok" } else { "bad" },
        if valid {
            "every file is valid"
        } else {
            "some files are INVALID"
        }
    );
    let rows: Vec<Vec<String>> = report
        .checked
        .iter()
        .map(|(kind, f)| {
            let class = if f.status == crate::pipeline::validate::FileStatus::Valid {
                "ok"
            } else {
                "bad"
            };
            vec![
                esc(kind),
                format!("<span class=\"{class}\">{}</span>", esc(f.status.text())),
                esc(&f.bucket),
                html::a(
                    &html::link(
                        "/console/trails/file",
                        &[("bucket", &f.bucket), ("key", &f.key)],
                    ),
                    &f.key,
                ),
            ]
        })
        .collect();
    if rows.is_empty() {
        body.push_str("<p class=\"empty\">No digest files yet: the first comes an hour after logging starts (with log file validation on).</p>");
    } else {
        body.push_str(&html::table(
            "validation",
            &["File", "Result", "Bucket", "Key"],
            &rows,
        ));
    }
    body.push_str("<h2>As validate-logs prints it</h2>");
    let _ = write!(
        body,
        "<pre class=\"words\">{}</pre>",
        esc(&report.render(false))
    );
    Ok(Answer::page("Log file validation", html::Nav::Trails, body))
}
