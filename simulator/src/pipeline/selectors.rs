//! Whether a trail captures a CloudTrail event record: its scope (region, account,
//! organization, global service events) and its event selectors, basic or advanced.
//!
//! Validation lives in `services::cloudtrail::selectors`; this module only evaluates what
//! PutEventSelectors stored. Selectors are compiled once ([`CompiledTrail`]) so that evaluating
//! a record reads the record in place and allocates nothing.

use serde_json::Value;

use crate::error::StoreError;
use crate::services::cloudtrail::model::{
    AdvancedEventSelector, AdvancedFieldSelector, EventSelector,
};
use crate::services::cloudtrail::selectors::StoredSelectors;
use crate::store::{Db, SelectorKind};

/// A trail's selectors as stored: `Default` until PutEventSelectors.
pub type Selectors = StoredSelectors;

/// The region in which AWS records global service events (since November 2021).
pub const GLOBAL_EVENTS_REGION: &str = "us-east-1";

/// Event sources whose events are global service events when recorded in us-east-1: the
/// services CloudTrail documents as global for IncludeGlobalServiceEvents (IAM, STS through
/// its global endpoint, CloudFront, console sign-in, Route 53).
pub const GLOBAL_SERVICE_EVENT_SOURCES: &[&str] = &[
    "iam.amazonaws.com",
    "sts.amazonaws.com",
    "cloudfront.amazonaws.com",
    "signin.amazonaws.com",
    "route53.amazonaws.com",
];

/// What decides a trail's reach, independent of its selectors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrailScope {
    pub home_region: String,
    pub multi_region: bool,
    pub include_global_service_events: bool,
    /// The trail's owner account.
    pub account_id: String,
    /// Member accounts of the trail's organization; empty unless it is an organization trail.
    pub organization_accounts: Vec<String>,
}

/// Loads a trail's stored selectors (`Default` when none were put).
pub fn selectors_of(db: Db<'_>, trail_arn: &str) -> Result<Selectors, StoreError> {
    Ok(match db.event_selectors(trail_arn)? {
        None => Selectors::Default,
        Some((SelectorKind::Basic, json)) => Selectors::Basic(serde_json::from_str(&json)?),
        Some((SelectorKind::Advanced, json)) => Selectors::Advanced(serde_json::from_str(&json)?),
    })
}

/// One-off evaluation; over many records build a [`CompiledTrail`] once instead.
pub fn trail_captures(trail: &TrailScope, selectors: &Selectors, record: &Value) -> bool {
    CompiledTrail::new(trail, selectors).captures(record)
}

/// A trail's scope and selectors, prepared for evaluating many records.
#[derive(Debug, Clone)]
pub struct CompiledTrail {
    scope: TrailScope,
    selectors: CompiledSelectors,
}

impl CompiledTrail {
    pub fn new(scope: &TrailScope, selectors: &Selectors) -> Self {
        CompiledTrail {
            scope: scope.clone(),
            selectors: CompiledSelectors::new(selectors),
        }
    }

    /// Whether the trail delivers this record: in scope and selected.
    pub fn captures(&self, record: &Value) -> bool {
        self.captures_view(&EventView::of(record))
    }

    /// As [`CompiledTrail::captures`], for a record already viewed.
    pub fn captures_view(&self, r: &EventView<'_>) -> bool {
        in_scope(&self.scope, r) && self.selectors.matches(r)
    }
}

/// Region, account and global-service rules.
///
/// Global service events are recorded in us-east-1 (AWS, since 2021-11-22), so a trail sees
/// them through the ordinary region rule: a multi-region trail once, a single-region trail
/// only if its home region is us-east-1; a trail with IncludeGlobalServiceEvents=false never.
fn in_scope(scope: &TrailScope, r: &EventView<'_>) -> bool {
    let region = r.aws_region.unwrap_or_default();
    if !scope.multi_region && region != scope.home_region {
        return false;
    }
    if !scope.include_global_service_events && r.is_global_service_event() {
        return false;
    }
    // A record without recipientAccountId belongs to the account that made it: treat as own.
    match r.recipient_account {
        None => true,
        Some(acct) => {
            acct == scope.account_id || scope.organization_accounts.iter().any(|a| a == acct)
        }
    }
}

/// The fields selectors and scope look at, read once per record without copying; build it
/// once per record when several trails judge the same record.
#[derive(Debug, Clone, Copy, Default)]
/// The fields are public so that a reader that does not build a `Value` (Lake ingestion
/// parses records into borrowed fields) can fill them; booleans are "true"/"false".
pub struct EventView<'a> {
    pub event_source: Option<&'a str>,
    pub event_name: Option<&'a str>,
    pub event_category: Option<&'a str>,
    pub event_type: Option<&'a str>,
    pub error_code: Option<&'a str>,
    pub read_only: Option<&'a str>,
    pub user_arn: Option<&'a str>,
    pub console: Option<&'a str>,
    pub vpc_endpoint: Option<&'a str>,
    pub aws_region: Option<&'a str>,
    pub recipient_account: Option<&'a str>,
    pub resources: &'a [Value],
}

/// A string field, or a boolean one as "true"/"false" (how selectors compare them).
fn text(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Bool(true) => Some("true"),
        Value::Bool(false) => Some("false"),
        _ => None,
    }
}

impl<'a> EventView<'a> {
    pub fn of(record: &'a Value) -> Self {
        let g = |k: &str| text(record.get(k));
        let event_category = g("eventCategory").or_else(|| {
            // Records predating eventCategory: managementEvent says which of the two it is.
            match record.get("managementEvent") {
                Some(Value::Bool(true)) => Some("Management"),
                Some(Value::Bool(false)) => Some("Data"),
                _ => None,
            }
        });
        EventView {
            event_source: g("eventSource"),
            event_name: g("eventName"),
            event_category,
            event_type: g("eventType"),
            error_code: g("errorCode"),
            read_only: g("readOnly"),
            user_arn: record.get("userIdentity").and_then(|u| text(u.get("arn"))),
            console: g("sessionCredentialFromConsole"),
            vpc_endpoint: g("vpcEndpointId"),
            aws_region: g("awsRegion"),
            recipient_account: g("recipientAccountId"),
            resources: record
                .get("resources")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        }
    }

    fn is_global_service_event(&self) -> bool {
        self.aws_region == Some(GLOBAL_EVENTS_REGION)
            && self
                .event_source
                .is_some_and(|s| GLOBAL_SERVICE_EVENT_SOURCES.contains(&s))
    }

    fn is_read_only(&self) -> bool {
        self.read_only == Some("true")
    }
}

#[derive(Debug, Clone)]
enum CompiledSelectors {
    Basic(Vec<BasicSelector>),
    Advanced(Vec<Vec<FieldCondition>>),
}

impl CompiledSelectors {
    fn new(selectors: &Selectors) -> Self {
        match selectors {
            Selectors::Default => CompiledSelectors::Basic(vec![BasicSelector::default_trail()]),
            Selectors::Basic(list) => {
                CompiledSelectors::Basic(list.iter().map(BasicSelector::new).collect())
            }
            Selectors::Advanced(list) => {
                CompiledSelectors::Advanced(list.iter().map(compile_advanced).collect())
            }
        }
    }

    fn matches(&self, r: &EventView<'_>) -> bool {
        match self {
            CompiledSelectors::Basic(list) => list.iter().any(|s| s.matches(r)),
            CompiledSelectors::Advanced(list) => {
                list.iter().any(|conds| conds.iter().all(|c| c.matches(r)))
            }
        }
    }
}

// ---------------------------------------------------------------- basic selectors

#[derive(Debug, Clone, Copy, PartialEq)]
enum ReadWrite {
    ReadOnly,
    WriteOnly,
    All,
}

impl ReadWrite {
    fn admits(self, read_only: bool) -> bool {
        match self {
            ReadWrite::All => true,
            ReadWrite::ReadOnly => read_only,
            ReadWrite::WriteOnly => !read_only,
        }
    }
}

/// How a DataResources value selects resource ARNs.
#[derive(Debug, Clone, PartialEq)]
enum ArnPattern {
    /// Every ARN starting with this (S3 object prefixes, "all of a service" forms).
    Prefix(String),
    /// This ARN, or a qualified form of it (`ARN:qualifier`, Lambda versions and aliases).
    Exact(String),
}

impl ArnPattern {
    fn matches(&self, arn: &str) -> bool {
        match self {
            ArnPattern::Prefix(p) => arn.starts_with(p.as_str()),
            ArnPattern::Exact(e) => {
                arn == e
                    || arn
                        .strip_prefix(e.as_str())
                        .is_some_and(|rest| rest.starts_with(':'))
            }
        }
    }
}

/// `arn:aws` / `arn:aws-cn` / `arn:aws-us-gov` followed by `:SERVICE` and `tail` exactly.
fn is_service_wide(value: &str, service: &str, tails: &[&str]) -> bool {
    ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"]
        .iter()
        .any(|p| {
            value
                .strip_prefix(p)
                .and_then(|r| r.strip_prefix(service))
                .is_some_and(|t| tails.contains(&t))
        })
}

fn compile_value(ty: &str, value: &str) -> ArnPattern {
    match ty {
        // Bucket and object prefix (or the whole partition) all match by prefix.
        "AWS::S3::Object" => ArnPattern::Prefix(value.to_string()),
        "AWS::Lambda::Function" if is_service_wide(value, "lambda", &[""]) => {
            ArnPattern::Prefix(format!("{value}:"))
        }
        "AWS::DynamoDB::Table" if is_service_wide(value, "dynamodb", &[""]) => {
            ArnPattern::Prefix(format!("{value}:"))
        }
        _ => ArnPattern::Exact(value.to_string()),
    }
}

#[derive(Debug, Clone)]
struct DataSelector {
    resource_type: String,
    patterns: Vec<ArnPattern>,
}

#[derive(Debug, Clone)]
struct BasicSelector {
    read_write: ReadWrite,
    management: bool,
    excluded_sources: Vec<String>,
    data: Vec<DataSelector>,
}

impl BasicSelector {
    /// All read and write management events, no data events.
    fn default_trail() -> Self {
        BasicSelector {
            read_write: ReadWrite::All,
            management: true,
            excluded_sources: Vec::new(),
            data: Vec::new(),
        }
    }

    fn new(s: &EventSelector) -> Self {
        BasicSelector {
            read_write: match s.read_write_type.as_deref() {
                Some("ReadOnly") => ReadWrite::ReadOnly,
                Some("WriteOnly") => ReadWrite::WriteOnly,
                _ => ReadWrite::All,
            },
            management: s.include_management_events.unwrap_or(true),
            excluded_sources: s
                .exclude_management_event_sources
                .clone()
                .unwrap_or_default(),
            data: s
                .data_resources
                .iter()
                .flatten()
                .map(|d| {
                    let ty = d.r#type.clone().unwrap_or_default();
                    DataSelector {
                        patterns: d
                            .values
                            .iter()
                            .flatten()
                            .map(|v| compile_value(&ty, v))
                            .collect(),
                        resource_type: ty,
                    }
                })
                .collect(),
        }
    }

    fn matches(&self, r: &EventView<'_>) -> bool {
        if !self.read_write.admits(r.is_read_only()) {
            return false;
        }
        match r.event_category {
            Some("Management") => {
                self.management
                    && !r
                        .event_source
                        .is_some_and(|src| self.excluded_sources.iter().any(|x| x == src))
            }
            Some("Data") => r.resources.iter().any(|res| {
                let ty = text(res.get("type")).unwrap_or_default();
                let arn = text(res.get("ARN")).unwrap_or_default();
                self.data
                    .iter()
                    .any(|d| d.resource_type == ty && d.patterns.iter().any(|p| p.matches(arn)))
            }),
            // Network activity needs advanced selectors; Insights events follow insight
            // selectors, not event selectors.
            _ => false,
        }
    }
}

// ---------------------------------------------------------------- advanced selectors

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    EventCategory,
    EventSource,
    EventName,
    EventType,
    ErrorCode,
    ReadOnly,
    ResourcesType,
    ResourcesArn,
    SessionCredentialFromConsole,
    UserIdentityArn,
    VpcEndpointId,
    /// A field validation would have refused: matches nothing.
    Unknown,
}

impl Field {
    fn parse(name: &str) -> Field {
        match name {
            "eventCategory" => Field::EventCategory,
            "eventSource" => Field::EventSource,
            "eventName" => Field::EventName,
            "eventType" => Field::EventType,
            "errorCode" => Field::ErrorCode,
            "readOnly" => Field::ReadOnly,
            "resources.type" => Field::ResourcesType,
            "resources.ARN" => Field::ResourcesArn,
            "sessionCredentialFromConsole" => Field::SessionCredentialFromConsole,
            "userIdentity.arn" => Field::UserIdentityArn,
            "vpcEndpointId" => Field::VpcEndpointId,
            _ => Field::Unknown,
        }
    }
}

/// One field selector: every operator present must hold.
#[derive(Debug, Clone)]
struct FieldCondition {
    field: Field,
    equals: Option<Vec<String>>,
    starts_with: Option<Vec<String>>,
    ends_with: Option<Vec<String>>,
    not_equals: Vec<String>,
    not_starts_with: Vec<String>,
    not_ends_with: Vec<String>,
}

fn compile_advanced(s: &AdvancedEventSelector) -> Vec<FieldCondition> {
    s.field_selectors.iter().map(FieldCondition::new).collect()
}

impl FieldCondition {
    fn new(f: &AdvancedFieldSelector) -> Self {
        FieldCondition {
            field: Field::parse(&f.field),
            equals: f.equals.clone(),
            starts_with: f.starts_with.clone(),
            ends_with: f.ends_with.clone(),
            not_equals: f.not_equals.clone().unwrap_or_default(),
            not_starts_with: f.not_starts_with.clone().unwrap_or_default(),
            not_ends_with: f.not_ends_with.clone().unwrap_or_default(),
        }
    }

    /// The operators against one value; an absent field is the empty string, so positive
    /// operators (whose values are never empty) fail and negative ones hold.
    fn holds(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or_default();
        let present = value.is_some();
        self.equals
            .as_ref()
            .is_none_or(|xs| present && xs.iter().any(|x| x == v))
            && self
                .starts_with
                .as_ref()
                .is_none_or(|xs| present && xs.iter().any(|x| v.starts_with(x.as_str())))
            && self
                .ends_with
                .as_ref()
                .is_none_or(|xs| present && xs.iter().any(|x| v.ends_with(x.as_str())))
            && !(present && self.not_equals.iter().any(|x| x == v))
            && !(present
                && self
                    .not_starts_with
                    .iter()
                    .any(|x| v.starts_with(x.as_str())))
            && !(present && self.not_ends_with.iter().any(|x| v.ends_with(x.as_str())))
    }

    fn matches(&self, r: &EventView<'_>) -> bool {
        let one = match self.field {
            Field::EventCategory => r.event_category,
            Field::EventSource => r.event_source,
            Field::EventName => r.event_name,
            Field::EventType => r.event_type,
            Field::ErrorCode => r.error_code,
            Field::ReadOnly => r.read_only,
            Field::SessionCredentialFromConsole => r.console,
            Field::UserIdentityArn => r.user_arn,
            Field::VpcEndpointId => r.vpc_endpoint,
            Field::ResourcesType => return self.any_resource(r, "type"),
            Field::ResourcesArn => return self.any_resource(r, "ARN"),
            Field::Unknown => return false,
        };
        self.holds(one)
    }

    /// A resources.* condition holds when some resource of the record satisfies it; a record
    /// without resources is judged as an absent value.
    fn any_resource(&self, r: &EventView<'_>, key: &str) -> bool {
        if r.resources.is_empty() {
            return self.holds(None);
        }
        r.resources.iter().any(|res| self.holds(text(res.get(key))))
    }
}

#[cfg(test)]
#[path = "selectors_tests.rs"]
mod tests;
