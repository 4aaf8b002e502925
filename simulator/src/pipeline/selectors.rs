//! Whether a trail captures a CloudTrail event record: its scope (region, account,
//! organization, global service events) and its event selectors, basic or advanced.
//!
//! Validation lives in `services::cloudtrail::selectors`; this module only evaluates what
//! PutEventSelectors stored. Selectors are compiled once ([`CompiledTrail`]) so that evaluating
//! a record reads the record in place and allocates nothing.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
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
/// once per record when several trails judge the same record. The fields are visible to the
/// crate so that a reader that builds no `Value` (Lake ingestion parses records into borrowed
/// fields) can fill them; booleans are "true"/"false".
#[derive(Debug, Clone, Copy, Default)]
pub struct EventView<'a> {
    pub(crate) event_source: Option<&'a str>,
    pub(crate) event_name: Option<&'a str>,
    pub(crate) event_category: Option<&'a str>,
    pub(crate) event_type: Option<&'a str>,
    pub(crate) error_code: Option<&'a str>,
    pub(crate) read_only: Option<&'a str>,
    pub(crate) user_arn: Option<&'a str>,
    pub(crate) console: Option<&'a str>,
    pub(crate) vpc_endpoint: Option<&'a str>,
    pub(crate) aws_region: Option<&'a str>,
    pub(crate) recipient_account: Option<&'a str>,
    pub(crate) resources: Resources<'a>,
}

/// A record's `resources`, from a parsed JSON value or from [`RecordFields`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Resources<'a> {
    Json(&'a [Value]),
    Fields(&'a [ObjectOnly<ResourceFields<'a>>]),
}

impl Default for Resources<'_> {
    fn default() -> Self {
        Resources::Json(&[])
    }
}

impl Resources<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Resources::Json(r) => r.is_empty(),
            Resources::Fields(r) => r.is_empty(),
        }
    }

    /// Whether some resource's (type, ARN) satisfies `f`.
    fn any(&self, mut f: impl FnMut(Option<&str>, Option<&str>) -> bool) -> bool {
        match self {
            Resources::Json(r) => r
                .iter()
                .any(|res| f(text(res.get("type")), text(res.get("ARN")))),
            Resources::Fields(r) => r.iter().any(|res| f(res.0.r#type.get(), res.0.arn.get())),
        }
    }
}

/// The fields of a record that selectors and scope look at, deserialised straight from the
/// record's JSON text without building a tree (strings are borrowed unless escaped). This is
/// what log delivery parses per event; a record it cannot read (a field of an unexpected
/// shape, a duplicate key) is read as a [`Value`] instead, so the answer is always the one
/// [`EventView::of`] gives.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecordFields<'a> {
    #[serde(rename = "eventSource", borrow)]
    event_source: Text<'a>,
    #[serde(rename = "eventName", borrow)]
    event_name: Text<'a>,
    #[serde(rename = "eventCategory", borrow)]
    event_category: Text<'a>,
    #[serde(rename = "managementEvent", borrow)]
    management_event: Text<'a>,
    #[serde(rename = "eventType", borrow)]
    event_type: Text<'a>,
    #[serde(rename = "errorCode", borrow)]
    error_code: Text<'a>,
    #[serde(rename = "readOnly", borrow)]
    read_only: Text<'a>,
    #[serde(rename = "userIdentity", borrow)]
    user_identity: ObjectOnly<IdentityFields<'a>>,
    #[serde(rename = "sessionCredentialFromConsole", borrow)]
    console: Text<'a>,
    #[serde(rename = "vpcEndpointId", borrow)]
    vpc_endpoint: Text<'a>,
    #[serde(rename = "awsRegion", borrow)]
    aws_region: Text<'a>,
    #[serde(rename = "recipientAccountId", borrow)]
    recipient_account: Text<'a>,
    #[serde(borrow)]
    resources: Option<Vec<ObjectOnly<ResourceFields<'a>>>>,
}

/// A nested object read field by field; any other JSON value reads as all fields absent
/// (as `Value::get` finds nothing in it). Serde's derived structs would also accept an
/// array, positionally, which a JSON tree never does.
#[derive(Debug, Default)]
pub(crate) struct ObjectOnly<T>(T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for V<T> {
            type Value = ObjectOnly<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(a)).map(ObjectOnly)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ObjectOnly::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObjectOnly::default())
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IdentityFields<'a> {
    #[serde(borrow)]
    arn: Text<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResourceFields<'a> {
    #[serde(rename = "type", borrow)]
    r#type: Text<'a>,
    #[serde(rename = "ARN", borrow)]
    arn: Text<'a>,
}

/// A field as selectors compare it: a string, or a boolean as "true"/"false"; any other
/// JSON value (number, null, object, array) is absent. Mirrors [`text`].
#[derive(Debug, Default)]
struct Text<'a> {
    value: Option<Cow<'a, str>>,
    /// The JSON value was a boolean.
    boolean: bool,
}

impl<'a> Text<'a> {
    fn get(&self) -> Option<&str> {
        self.value.as_deref()
    }

    fn none() -> Self {
        Text::default()
    }

    fn string(value: Cow<'a, str>) -> Self {
        Text {
            value: Some(value),
            boolean: false,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text::string(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text::string(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text::string(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Text {
                    value: Some(Cow::Borrowed(if v { "true" } else { "false" })),
                    boolean: true,
                })
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Text::none())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Text::none())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Text::none())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text::none())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text::none())
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Text::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text::none())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text::none())
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'a> RecordFields<'a> {
    /// Reads the fields of a record's JSON text; `None` if it is not a JSON object of the
    /// expected shape (then judge it through [`EventView::of`] on a parsed [`Value`]).
    pub fn parse(record: &'a str) -> Option<RecordFields<'a>> {
        // Only an object: a derived struct would also read an array positionally.
        if !record.trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(record).ok()
    }

    /// The record's `recipientAccountId` when it is a string.
    pub fn recipient_account(&self) -> Option<&str> {
        let r = &self.recipient_account;
        if r.boolean { None } else { r.get() }
    }
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
            resources: Resources::Json(
                record
                    .get("resources")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            ),
        }
    }

    /// The view of a record read with [`RecordFields::parse`]: the same answers as
    /// [`EventView::of`] on the same record parsed as a [`Value`].
    pub fn of_fields<'f>(r: &'a RecordFields<'f>) -> Self
    where
        'f: 'a,
    {
        // Only a boolean managementEvent counts, as in `EventView::of`.
        let management = &r.management_event;
        let event_category = r.event_category.get().or(match management.get() {
            Some("true") if management.boolean => Some("Management"),
            Some("false") if management.boolean => Some("Data"),
            _ => None,
        });
        EventView {
            event_source: r.event_source.get(),
            event_name: r.event_name.get(),
            event_category,
            event_type: r.event_type.get(),
            error_code: r.error_code.get(),
            read_only: r.read_only.get(),
            user_arn: r.user_identity.0.arn.get(),
            console: r.console.get(),
            vpc_endpoint: r.vpc_endpoint.get(),
            aws_region: r.aws_region.get(),
            recipient_account: r.recipient_account.get(),
            resources: Resources::Fields(r.resources.as_deref().unwrap_or_default()),
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
            Some("Data") => r.resources.any(|ty, arn| {
                let (ty, arn) = (ty.unwrap_or_default(), arn.unwrap_or_default());
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
            Field::ResourcesType => return self.any_resource(r, false),
            Field::ResourcesArn => return self.any_resource(r, true),
            Field::Unknown => return false,
        };
        self.holds(one)
    }

    /// A resources.* condition holds when some resource of the record satisfies it; a record
    /// without resources is judged as an absent value.
    fn any_resource(&self, r: &EventView<'_>, arn: bool) -> bool {
        if r.resources.is_empty() {
            return self.holds(None);
        }
        r.resources
            .any(|ty, a| self.holds(if arn { a } else { ty }))
    }
}

#[cfg(test)]
#[path = "selectors_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "selectors_fuzz.rs"]
mod fuzz;
