//! CloudTrail Lake event data stores: CreateEventDataStore, GetEventDataStore,
//! ListEventDataStores, UpdateEventDataStore, DeleteEventDataStore, RestoreEventDataStore,
//! StartEventDataStoreIngestion and StopEventDataStoreIngestion. Ingestion itself is
//! `pipeline::lake`; tags go through AddTags/RemoveTags/ListTags (`tags.rs`).

use serde::{Deserialize, Serialize};

use super::lake_model::*;
use super::model::{AdvancedEventSelector, AdvancedFieldSelector, Tag};
use super::selectors::validate_advanced;
use super::tags;
use super::{destinations, names};
use crate::clock;
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::services::{Env, constraint_message, next_uuid, organizations};
use crate::store::EdsRow;

/// Event data stores per account and region (AWS quota).
pub const MAX_EVENT_DATA_STORES: usize = 10;
/// Advanced event selectors per event data store.
pub const MAX_SELECTORS: usize = 5;
/// How long a deleted store waits in PENDING_DELETION (restorable) before it is gone.
pub const DELETION_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
pub const DAY_MS: i64 = 24 * 3600 * 1000;

pub const EXTENDABLE: &str = "EXTENDABLE_RETENTION_PRICING";
pub const FIXED: &str = "FIXED_RETENTION_PRICING";
pub const MIN_RETENTION: i64 = 7;
pub const MAX_RETENTION_EXTENDABLE: i64 = 3653;
pub const MAX_RETENTION_FIXED: i64 = 2557;
pub const DEFAULT_RETENTION: i64 = 2557;

pub const ENABLED: &str = "ENABLED";
pub const CREATED: &str = "CREATED";
pub const PENDING_DELETION: &str = "PENDING_DELETION";
pub const STOPPED_INGESTION: &str = "STOPPED_INGESTION";

/// The ARN resource type of event data stores.
pub const RESOURCE_TYPE: &str = "eventdatastore";

/// Event categories that are not CloudTrail events: such a store takes only that category.
pub const NON_CLOUDTRAIL_CATEGORIES: &[&str] =
    &["ConfigurationItem", "ActivityAuditLog", "Insight"];

/// A store's configuration as stored (JSON in the store row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdsConfig {
    pub advanced_event_selectors: Vec<AdvancedEventSelector>,
    pub multi_region_enabled: bool,
    pub organization_enabled: bool,
    pub retention_period: i64,
    pub termination_protection_enabled: bool,
    pub kms_key_id: Option<String>,
    pub billing_mode: String,
    /// The status to return to when a deleted store is restored.
    #[serde(default)]
    pub status_before_deletion: Option<String>,
}

/// A store loaded from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedEds {
    pub row: EdsRow,
    pub config: EdsConfig,
}

impl LoadedEds {
    pub fn from_row(row: EdsRow) -> Result<LoadedEds, AwsError> {
        let config = serde_json::from_str(&row.config).map_err(|e| {
            AwsError::internal(format!(
                "stored event data store {} is unreadable: {e}",
                row.arn
            ))
        })?;
        Ok(LoadedEds { row, config })
    }

    fn save(&self, env: &Env<'_>) -> Result<(), AwsError> {
        let mut row = self.row.clone();
        row.config = serde_json::to_string(&self.config).map_err(StoreError::from)?;
        env.db.save_eds(&row)?;
        Ok(())
    }

    /// Whether the 7-day restore window of a deleted store has passed.
    pub fn is_gone(&self, now_ms: i64) -> bool {
        self.row.status == PENDING_DELETION
            && self
                .row
                .deleted_ms
                .is_some_and(|d| now_ms >= d + DELETION_WINDOW_MS)
    }
}

/// The selector a store gets when the request names none, as AWS returns it.
pub fn default_selectors() -> Vec<AdvancedEventSelector> {
    vec![AdvancedEventSelector {
        name: Some("Default management events".into()),
        field_selectors: vec![AdvancedFieldSelector {
            field: "eventCategory".into(),
            equals: Some(vec!["Management".into()]),
            ..Default::default()
        }],
    }]
}

fn invalid_selectors(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidEventSelectorsException", message)
}

fn invalid_parameter(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidParameterException", message)
}

pub(super) fn validation(value: &str, member: &str, constraint: &str) -> AwsError {
    AwsError::client(
        "ValidationException",
        constraint_message(value, member, constraint),
    )
}

/// The page size a CloudTrail Lake list call asks for in `member`: 1 to 1000, 1000 when
/// not given.
pub(super) fn page_size(given: Option<i64>, member: &str) -> Result<i64, AwsError> {
    let max = given.unwrap_or(LIST_MAX);
    if !(1..=LIST_MAX).contains(&max) {
        return Err(validation(
            &max.to_string(),
            member,
            "Member must have value between 1 and 1000",
        ));
    }
    Ok(max)
}

fn not_found() -> AwsError {
    AwsError::client(
        "EventDataStoreNotFoundException",
        "The specified event data store was not found.",
    )
}

fn invalid_status(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidEventDataStoreStatusException", message)
}

/// The first `eventCategory` Equals value of a selector.
fn category_of(sel: &AdvancedEventSelector) -> Option<&str> {
    sel.field_selectors
        .iter()
        .find(|f| f.field == "eventCategory")
        .and_then(|f| f.equals.as_ref())
        .and_then(|v| v.first())
        .map(String::as_str)
}

/// Validates a store's advanced selectors: CloudTrail events (management, data, network
/// activity) by the trail rules of the one validator; Config configuration items, integration
/// activity logs and Insights events as stores of that category alone.
pub fn validate_selectors(list: &[AdvancedEventSelector]) -> Result<(), AwsError> {
    if list.is_empty() || list.len() > MAX_SELECTORS {
        return Err(invalid_selectors(format!(
            "An event data store can have from 1 to {MAX_SELECTORS} advanced event selectors; {} were specified.",
            list.len()
        )));
    }
    let special: Vec<&str> = list
        .iter()
        .filter_map(category_of)
        .filter(|c| NON_CLOUDTRAIL_CATEGORIES.contains(c))
        .collect();
    if special.is_empty() {
        return validate_advanced(list);
    }
    if special.len() != list.len() || special.iter().any(|c| *c != special[0]) {
        return Err(invalid_selectors(format!(
            "An event data store that collects {} events cannot collect other event categories.",
            special[0]
        )));
    }
    for sel in list {
        if sel.field_selectors.len() != 1
            || sel.field_selectors[0]
                .equals
                .as_ref()
                .is_none_or(|v| v.len() != 1)
        {
            return Err(invalid_selectors(format!(
                "Advanced event selectors for {} events support only the eventCategory field with one Equals value.",
                special[0]
            )));
        }
    }
    Ok(())
}

fn validate_name(name: &str, member: &str) -> Result<(), AwsError> {
    let len = name.chars().count();
    if !(3..=128).contains(&len) {
        return Err(validation(
            name,
            member,
            "Member must have length between 3 and 128",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(validation(
            name,
            member,
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9._\\-]+$",
        ));
    }
    Ok(())
}

fn validate_billing(mode: &str) -> Result<(), AwsError> {
    if mode != EXTENDABLE && mode != FIXED {
        return Err(validation(
            mode,
            "billingMode",
            "Member must satisfy enum value set: [EXTENDABLE_RETENTION_PRICING, FIXED_RETENTION_PRICING]",
        ));
    }
    Ok(())
}

fn validate_retention(days: i64, billing_mode: &str) -> Result<(), AwsError> {
    if !(MIN_RETENTION..=MAX_RETENTION_EXTENDABLE).contains(&days) {
        return Err(validation(
            &days.to_string(),
            "retentionPeriod",
            "Member must have value between 7 and 3653",
        ));
    }
    if billing_mode == FIXED && days > MAX_RETENTION_FIXED {
        return Err(invalid_parameter(format!(
            "The retention period of an event data store with billing mode FIXED_RETENTION_PRICING must be between {MIN_RETENTION} and {MAX_RETENTION_FIXED} days; {days} was specified."
        )));
    }
    Ok(())
}

/// Whether the caller may create or turn on an organization store.
fn check_organization(env: &Env<'_>, ctx: &CallerContext) -> Result<(), AwsError> {
    let Some(org) = organizations::organization_of(env, &ctx.account_id)? else {
        return Err(AwsError::client(
            "OrganizationsNotInUseException",
            "This account is not a member of an organization.",
        ));
    };
    if org.management_account_id != ctx.account_id {
        return Err(AwsError::client(
            "NotOrganizationMasterAccountException",
            format!(
                "The account {} is not the management account of organization {}; only the management account can create an organization event data store.",
                ctx.account_id, org.id
            ),
        ));
    }
    if org.feature_set != "ALL" {
        return Err(AwsError::client(
            "OrganizationNotInAllFeaturesModeException",
            format!(
                "Organization {} does not have all features enabled.",
                org.id
            ),
        ));
    }
    Ok(())
}

/// Resolves a KMS key reference to the key's ARN; the key must exist and be enabled.
fn check_kms_key(env: &Env<'_>, ctx: &CallerContext, key_ref: &str) -> Result<String, AwsError> {
    let key = destinations::enabled_kms_key(env, ctx, key_ref, "CloudTrail Lake")?;
    if key.region != ctx.region {
        return Err(AwsError::client(
            "InvalidKmsKeyIdException",
            format!(
                "KMS key {} is in region {}; an event data store needs a key in its own region, {}.",
                key.arn, key.region, ctx.region
            ),
        ));
    }
    Ok(key.arn)
}

/// The id part of an event data store ARN (or the id itself), checked for shape.
pub fn parse_ref(given: &str) -> Result<(Option<(String, String)>, String), AwsError> {
    let bad = || {
        AwsError::client(
            "EventDataStoreARNInvalidException",
            "The specified event data store ARN is not valid or does not map to an event data store in your account.",
        )
    };
    if given.len() < 3 || given.len() > 256 {
        return Err(bad());
    }
    if let Some(rest) = given.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        if parts.len() != 5 || parts[1] != "cloudtrail" {
            return Err(bad());
        }
        let Some(id) = parts[4].strip_prefix("eventdatastore/") else {
            return Err(bad());
        };
        if id.is_empty() || id.contains('/') {
            return Err(bad());
        }
        return Ok((
            Some((parts[2].to_string(), parts[3].to_string())),
            id.to_string(),
        ));
    }
    if !given.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(bad());
    }
    Ok((None, given.to_string()))
}

/// The store a request names (ARN or id), in the caller's account and region. Stores whose
/// restore window has passed are gone even before the pipeline removes them.
pub fn resolve(env: &Env<'_>, ctx: &CallerContext, given: &str) -> Result<LoadedEds, AwsError> {
    let (scope, id) = parse_ref(given)?;
    if let Some((region, account)) = &scope
        && (region != &ctx.region || account != &ctx.account_id)
    {
        return Err(not_found());
    }
    let row = env.db.eds_by_id(&id)?.ok_or_else(not_found)?;
    if row.account_id != ctx.account_id || row.region != ctx.region {
        return Err(not_found());
    }
    let eds = LoadedEds::from_row(row)?;
    if eds.is_gone(clock::to_millis(env.now)) {
        return Err(not_found());
    }
    Ok(eds)
}

fn secs(ms: i64) -> f64 {
    clock::to_epoch_seconds(clock::from_millis(ms))
}

/// The store as Get/Update/Restore describe it.
pub fn describe(
    eds: &LoadedEds,
    status: &str,
    tags: Option<Vec<Tag>>,
) -> EventDataStoreDescription {
    let c = &eds.config;
    EventDataStoreDescription {
        event_data_store_arn: Some(eds.row.arn.clone()),
        name: Some(eds.row.name.clone()),
        status: Some(status.to_string()),
        advanced_event_selectors: Some(c.advanced_event_selectors.clone()),
        multi_region_enabled: Some(c.multi_region_enabled),
        organization_enabled: Some(c.organization_enabled),
        retention_period: Some(c.retention_period),
        termination_protection_enabled: Some(c.termination_protection_enabled),
        tags_list: tags,
        created_timestamp: Some(secs(eds.row.created_ms)),
        updated_timestamp: Some(secs(eds.row.updated_ms)),
        kms_key_id: c.kms_key_id.clone(),
        billing_mode: Some(c.billing_mode.clone()),
        federation_status: Some("DISABLED".into()),
    }
}

pub fn create_event_data_store(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateEventDataStoreRequest,
) -> Result<EventDataStoreDescription, AwsError> {
    validate_name(&req.name, "name")?;
    let billing_mode = req
        .billing_mode
        .clone()
        .unwrap_or_else(|| EXTENDABLE.into());
    validate_billing(&billing_mode)?;
    let retention_period = req.retention_period.unwrap_or(DEFAULT_RETENTION);
    validate_retention(retention_period, &billing_mode)?;
    let selectors = req
        .advanced_event_selectors
        .clone()
        .unwrap_or_else(default_selectors);
    validate_selectors(&selectors)?;
    let tags_list = req.tags_list.clone().unwrap_or_default();
    tags::validate_tags(&tags_list, true)?;
    tags::check_limit(&[], &tags_list)?;
    let organization_enabled = req.organization_enabled.unwrap_or(false);
    if organization_enabled {
        check_organization(env, ctx)?;
    }
    let kms_key_id = match req.kms_key_id.as_deref() {
        None | Some("") => None,
        Some(k) => Some(check_kms_key(env, ctx, k)?),
    };
    let existing = env.db.eds_list(&ctx.account_id, &ctx.region)?;
    let now_ms = clock::to_millis(env.now);
    let live: Vec<LoadedEds> = existing
        .into_iter()
        .map(LoadedEds::from_row)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|e| !e.is_gone(now_ms))
        .collect();
    if live.iter().any(|e| e.row.name == req.name) {
        return Err(AwsError::client(
            "EventDataStoreAlreadyExistsException",
            format!(
                "An event data store with the name {} already exists in this account and Region.",
                req.name
            ),
        ));
    }
    if live.len() >= MAX_EVENT_DATA_STORES {
        return Err(AwsError::client(
            "EventDataStoreMaxLimitExceededException",
            format!(
                "Your account has reached the maximum number of event data stores ({MAX_EVENT_DATA_STORES}) in {}.",
                ctx.region
            ),
        ));
    }
    let id = next_uuid(env, "eventdatastore")?;
    let arn = format!(
        "arn:{}:cloudtrail:{}:{}:{RESOURCE_TYPE}/{id}",
        names::partition_for(&ctx.region),
        ctx.region,
        ctx.account_id
    );
    let start = req.start_ingestion.unwrap_or(true);
    let config = EdsConfig {
        advanced_event_selectors: selectors,
        multi_region_enabled: req.multi_region_enabled.unwrap_or(true),
        organization_enabled,
        retention_period,
        termination_protection_enabled: req.termination_protection_enabled.unwrap_or(true),
        kms_key_id,
        billing_mode,
        status_before_deletion: None,
    };
    let mut row = EdsRow {
        n: 0,
        arn: arn.clone(),
        id,
        account_id: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: req.name.clone(),
        status: if start { ENABLED } else { STOPPED_INGESTION }.to_string(),
        config: serde_json::to_string(&config).map_err(StoreError::from)?,
        created_ms: now_ms,
        updated_ms: now_ms,
        deleted_ms: None,
        // A store takes what is recorded from its creation on.
        cursor_seq: env.db.max_event_seq()?,
        events: 0,
        bytes: 0,
    };
    row.n = env.db.insert_eds(&row)?;
    for t in &tags_list {
        env.db.put_tag(&arn, &t.key, t.value.as_deref())?;
    }
    let eds = LoadedEds { row, config };
    // AWS answers CREATED; the store is ENABLED (or STOPPED_INGESTION) as soon as it is read.
    Ok(describe(&eds, CREATED, Some(tags_list)))
}

pub fn get_event_data_store(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EventDataStoreRef,
) -> Result<EventDataStoreDescription, AwsError> {
    let eds = resolve(env, ctx, &req.event_data_store)?;
    Ok(describe(&eds, &eds.row.status, None))
}

const LIST_MAX: i64 = 1000;

/// The caller's event data stores in its region that have not yet gone for good (those
/// pending deletion included), in storage order.
pub fn visible_stores(env: &Env<'_>, ctx: &CallerContext) -> Result<Vec<LoadedEds>, AwsError> {
    let now_ms = clock::to_millis(env.now);
    let loaded = env
        .db
        .eds_list(&ctx.account_id, &ctx.region)?
        .into_iter()
        .map(LoadedEds::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(loaded.into_iter().filter(|e| !e.is_gone(now_ms)).collect())
}

pub fn list_event_data_stores(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListEventDataStoresRequest,
) -> Result<ListEventDataStoresResponse, AwsError> {
    let max = page_size(req.max_results, "maxResults")?;
    let all = visible_stores(env, ctx)?;
    let start = match &req.next_token {
        None => 0,
        Some(tok) => super::trails::decode_offset_token("eventdatastores", tok)
            .filter(|n| *n <= all.len())
            .ok_or_else(super::trails::invalid_next_token)?,
    };
    let page: Vec<EventDataStoreDescription> = all
        .iter()
        .skip(start)
        .take(max as usize)
        .map(|e| {
            let mut d = describe(e, &e.row.status, None);
            d.kms_key_id = None;
            d.federation_status = None;
            d
        })
        .collect();
    let next = start + page.len();
    Ok(ListEventDataStoresResponse {
        event_data_stores: page,
        next_token: (next < all.len())
            .then(|| super::trails::encode_offset_token("eventdatastores", next)),
    })
}

pub fn update_event_data_store(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateEventDataStoreRequest,
) -> Result<EventDataStoreDescription, AwsError> {
    let mut eds = resolve(env, ctx, &req.event_data_store)?;
    if eds.row.status == PENDING_DELETION {
        return Err(invalid_status(format!(
            "Event data store {} is pending deletion and cannot be updated.",
            eds.row.arn
        )));
    }
    let nothing = req.name.is_none()
        && req.advanced_event_selectors.is_none()
        && req.multi_region_enabled.is_none()
        && req.organization_enabled.is_none()
        && req.retention_period.is_none()
        && req.termination_protection_enabled.is_none()
        && req.kms_key_id.is_none()
        && req.billing_mode.is_none();
    if nothing {
        return Err(invalid_parameter(
            "At least one parameter other than EventDataStore must be specified.",
        ));
    }
    if let Some(name) = &req.name {
        validate_name(name, "name")?;
        if name != &eds.row.name {
            let now_ms = clock::to_millis(env.now);
            for other in env.db.eds_list(&ctx.account_id, &ctx.region)? {
                let other = LoadedEds::from_row(other)?;
                if other.row.n != eds.row.n && &other.row.name == name && !other.is_gone(now_ms) {
                    return Err(AwsError::client(
                        "EventDataStoreAlreadyExistsException",
                        format!(
                            "An event data store with the name {name} already exists in this account and Region."
                        ),
                    ));
                }
            }
            eds.row.name = name.clone();
        }
    }
    if let Some(mode) = &req.billing_mode {
        validate_billing(mode)?;
        if eds.config.billing_mode == EXTENDABLE && mode == FIXED {
            return Err(invalid_parameter(
                "You cannot change the billing mode from EXTENDABLE_RETENTION_PRICING to FIXED_RETENTION_PRICING.",
            ));
        }
        eds.config.billing_mode = mode.clone();
    }
    let retention = req.retention_period.unwrap_or(eds.config.retention_period);
    validate_retention(retention, &eds.config.billing_mode)?;
    eds.config.retention_period = retention;
    if let Some(sel) = &req.advanced_event_selectors {
        validate_selectors(sel)?;
        eds.config.advanced_event_selectors = sel.clone();
    }
    if let Some(v) = req.multi_region_enabled {
        eds.config.multi_region_enabled = v;
    }
    if let Some(v) = req.organization_enabled {
        if v && !eds.config.organization_enabled {
            check_organization(env, ctx)?;
        }
        eds.config.organization_enabled = v;
    }
    if let Some(v) = req.termination_protection_enabled {
        eds.config.termination_protection_enabled = v;
    }
    if let Some(k) = req.kms_key_id.as_deref() {
        if k.is_empty() {
            if eds.config.kms_key_id.is_some() {
                return Err(invalid_parameter(
                    "You cannot remove the KMS key of an event data store that is encrypted with one.",
                ));
            }
        } else {
            let arn = check_kms_key(env, ctx, k)?;
            if eds
                .config
                .kms_key_id
                .as_ref()
                .is_some_and(|old| old != &arn)
            {
                return Err(invalid_parameter(
                    "You cannot change the KMS key of an event data store once it is set.",
                ));
            }
            eds.config.kms_key_id = Some(arn);
        }
    }
    eds.row.updated_ms = clock::to_millis(env.now);
    eds.save(env)?;
    Ok(describe(&eds, &eds.row.status, None))
}

pub fn delete_event_data_store(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EventDataStoreRef,
) -> Result<EmptyResponse, AwsError> {
    let mut eds = resolve(env, ctx, &req.event_data_store)?;
    if eds.config.termination_protection_enabled {
        return Err(AwsError::client(
            "EventDataStoreTerminationProtectedException",
            format!(
                "Event data store {} cannot be deleted because termination protection is enabled.",
                eds.row.arn
            ),
        ));
    }
    if eds.row.status == PENDING_DELETION {
        return Err(invalid_status(format!(
            "Event data store {} is already pending deletion.",
            eds.row.arn
        )));
    }
    let now_ms = clock::to_millis(env.now);
    eds.config.status_before_deletion = Some(eds.row.status.clone());
    eds.row.status = PENDING_DELETION.into();
    eds.row.deleted_ms = Some(now_ms);
    eds.row.updated_ms = now_ms;
    eds.save(env)?;
    Ok(EmptyResponse {})
}

pub fn restore_event_data_store(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EventDataStoreRef,
) -> Result<EventDataStoreDescription, AwsError> {
    let mut eds = resolve(env, ctx, &req.event_data_store)?;
    if eds.row.status != PENDING_DELETION {
        return Err(invalid_status(format!(
            "Event data store {} is not pending deletion; only a deleted event data store can be restored.",
            eds.row.arn
        )));
    }
    let live = env
        .db
        .eds_list(&ctx.account_id, &ctx.region)?
        .into_iter()
        .filter(|r| r.status != PENDING_DELETION)
        .count();
    if live >= MAX_EVENT_DATA_STORES {
        return Err(AwsError::client(
            "EventDataStoreMaxLimitExceededException",
            format!(
                "Your account has reached the maximum number of event data stores ({MAX_EVENT_DATA_STORES}) in {}.",
                ctx.region
            ),
        ));
    }
    let back = eds
        .config
        .status_before_deletion
        .take()
        .unwrap_or_else(|| ENABLED.into());
    eds.row.status = back;
    eds.row.deleted_ms = None;
    eds.row.updated_ms = clock::to_millis(env.now);
    // Nothing recorded while the store was deleted is ingested.
    eds.row.cursor_seq = env.db.max_event_seq()?;
    eds.save(env)?;
    Ok(describe(&eds, &eds.row.status, None))
}

fn check_cloudtrail_store(eds: &LoadedEds) -> Result<(), AwsError> {
    let special = eds
        .config
        .advanced_event_selectors
        .iter()
        .filter_map(category_of)
        .any(|c| NON_CLOUDTRAIL_CATEGORIES.contains(&c));
    if special {
        return Err(AwsError::client(
            "InvalidEventDataStoreCategoryException",
            "This operation applies only to event data stores that collect CloudTrail events.",
        ));
    }
    Ok(())
}

pub fn start_event_data_store_ingestion(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EventDataStoreRef,
) -> Result<EmptyResponse, AwsError> {
    let mut eds = resolve(env, ctx, &req.event_data_store)?;
    check_cloudtrail_store(&eds)?;
    if eds.row.status != STOPPED_INGESTION {
        return Err(invalid_status(format!(
            "Event data store {} is {}; ingestion can be started only when it is STOPPED_INGESTION.",
            eds.row.arn, eds.row.status
        )));
    }
    eds.row.status = ENABLED.into();
    eds.row.updated_ms = clock::to_millis(env.now);
    // Ingestion resumes with what is recorded from now on.
    eds.row.cursor_seq = env.db.max_event_seq()?;
    eds.save(env)?;
    Ok(EmptyResponse {})
}

pub fn stop_event_data_store_ingestion(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: EventDataStoreRef,
) -> Result<EmptyResponse, AwsError> {
    let mut eds = resolve(env, ctx, &req.event_data_store)?;
    check_cloudtrail_store(&eds)?;
    if eds.row.status != ENABLED {
        return Err(invalid_status(format!(
            "Event data store {} is {}; ingestion can be stopped only when it is ENABLED.",
            eds.row.arn, eds.row.status
        )));
    }
    // What was recorded before the stop is still taken.
    crate::pipeline::lake::ingest_all(env)?;
    let mut reloaded = resolve(env, ctx, &req.event_data_store)?;
    reloaded.row.status = STOPPED_INGESTION.into();
    reloaded.row.updated_ms = clock::to_millis(env.now);
    eds.row = reloaded.row;
    eds.save(env)?;
    Ok(EmptyResponse {})
}

/// The store a request names, as an event resource (`AWS::CloudTrail::EventDataStore`).
pub fn event_resources(
    req: &serde_json::Value,
    ctx: &CallerContext,
) -> Vec<crate::services::EventResource> {
    let Some(given) = req
        .get("EventDataStore")
        .and_then(serde_json::Value::as_str)
    else {
        return Vec::new();
    };
    let Ok((scope, id)) = parse_ref(given) else {
        return Vec::new();
    };
    let (region, account) = scope.unwrap_or_else(|| (ctx.region.clone(), ctx.account_id.clone()));
    vec![crate::services::EventResource {
        resource_type: "AWS::CloudTrail::EventDataStore".into(),
        resource_name: given.to_string(),
        arn: Some(format!(
            "arn:{}:cloudtrail:{region}:{account}:{RESOURCE_TYPE}/{id}",
            names::partition_for(&region)
        )),
        account_id: Some(account),
    }]
}

#[cfg(test)]
#[path = "event_data_stores_tests.rs"]
mod tests;
