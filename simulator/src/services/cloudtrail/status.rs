//! StartLogging, StopLogging and GetTrailStatus.

use serde::{Deserialize, Serialize};

use super::model::*;
use super::trails::{resolve, resolve_home};
use crate::clock;
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::services::Env;

/// Delivery outcomes of a trail, filled in by the delivery pipeline (times in epoch ms).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryStatus {
    pub latest_delivery_ms: Option<i64>,
    pub latest_delivery_error: Option<String>,
    pub latest_delivery_attempt_ms: Option<i64>,
    pub latest_delivery_attempt_succeeded_ms: Option<i64>,
    pub latest_notification_ms: Option<i64>,
    pub latest_notification_error: Option<String>,
    pub latest_notification_attempt_ms: Option<i64>,
    pub latest_notification_attempt_succeeded_ms: Option<i64>,
    pub latest_cloud_watch_logs_delivery_ms: Option<i64>,
    pub latest_cloud_watch_logs_delivery_error: Option<String>,
    pub latest_digest_delivery_ms: Option<i64>,
    pub latest_digest_delivery_error: Option<String>,
}

pub fn start_logging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: StartLoggingRequest,
) -> Result<StartLoggingResponse, AwsError> {
    let t = resolve_home(env, ctx, &req.name)?;
    let mut s = env.db.status(&t.row.arn)?;
    if !s.is_logging {
        s.is_logging = true;
        s.start_logging_ms = Some(clock::to_millis(env.now));
        env.db.put_status(&t.row.arn, &s)?;
    }
    Ok(StartLoggingResponse {})
}

pub fn stop_logging(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: StopLoggingRequest,
) -> Result<StopLoggingResponse, AwsError> {
    let t = resolve_home(env, ctx, &req.name)?;
    let mut s = env.db.status(&t.row.arn)?;
    if s.is_logging || s.stop_logging_ms.is_none() {
        s.is_logging = false;
        s.stop_logging_ms = Some(clock::to_millis(env.now));
        env.db.put_status(&t.row.arn, &s)?;
    }
    Ok(StopLoggingResponse {})
}

fn secs(ms: Option<i64>) -> Option<f64> {
    ms.map(|m| clock::to_epoch_seconds(clock::from_millis(m)))
}

fn iso_or_empty(ms: Option<i64>) -> String {
    ms.map(|m| clock::iso_seconds(clock::from_millis(m)))
        .unwrap_or_default()
}

pub fn get_trail_status(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetTrailStatusRequest,
) -> Result<GetTrailStatusResponse, AwsError> {
    let t = resolve(env, ctx, &req.name)?;
    let s = env.db.status(&t.row.arn)?;
    let d: DeliveryStatus = if s.details.trim().is_empty() {
        DeliveryStatus::default()
    } else {
        serde_json::from_str(&s.details).map_err(StoreError::from)?
    };
    Ok(GetTrailStatusResponse {
        is_logging: Some(s.is_logging),
        latest_delivery_error: d.latest_delivery_error,
        latest_notification_error: d.latest_notification_error,
        latest_delivery_time: secs(d.latest_delivery_ms),
        latest_notification_time: secs(d.latest_notification_ms),
        start_logging_time: secs(s.start_logging_ms),
        stop_logging_time: secs(s.stop_logging_ms),
        latest_cloud_watch_logs_delivery_error: d.latest_cloud_watch_logs_delivery_error,
        latest_cloud_watch_logs_delivery_time: secs(d.latest_cloud_watch_logs_delivery_ms),
        latest_digest_delivery_time: secs(d.latest_digest_delivery_ms),
        latest_digest_delivery_error: d.latest_digest_delivery_error,
        latest_delivery_attempt_time: Some(iso_or_empty(d.latest_delivery_attempt_ms)),
        latest_notification_attempt_time: Some(iso_or_empty(d.latest_notification_attempt_ms)),
        latest_notification_attempt_succeeded: Some(iso_or_empty(
            d.latest_notification_attempt_succeeded_ms,
        )),
        latest_delivery_attempt_succeeded: Some(iso_or_empty(
            d.latest_delivery_attempt_succeeded_ms,
        )),
        time_logging_started: Some(iso_or_empty(s.start_logging_ms)),
        time_logging_stopped: Some(iso_or_empty(s.stop_logging_ms)),
    })
}
