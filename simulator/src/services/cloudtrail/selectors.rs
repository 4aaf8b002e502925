//! PutEventSelectors and GetEventSelectors, with the validation rules of basic and advanced
//! event selectors. A trail uses one form or the other, never both.

use super::model::*;
use super::trails::{resolve, resolve_home};
use crate::context::CallerContext;
use crate::error::{AwsError, StoreError};
use crate::services::Env;
use crate::store::SelectorKind;

pub const MAX_EVENT_SELECTORS: usize = 5;
pub const MAX_DATA_RESOURCE_VALUES: usize = 250;
pub const MAX_ADVANCED_VALUES: usize = 500;
pub const MAX_VALUE_LENGTH: usize = 2048;
pub const MAX_SELECTOR_NAME_LENGTH: usize = 1000;

pub const READ_WRITE_TYPES: &[&str] = &["ReadOnly", "WriteOnly", "All"];
pub const BASIC_DATA_RESOURCE_TYPES: &[&str] = &[
    "AWS::S3::Object",
    "AWS::Lambda::Function",
    "AWS::DynamoDB::Table",
];
pub const EXCLUDABLE_MANAGEMENT_SOURCES: &[&str] = &["kms.amazonaws.com", "rdsdata.amazonaws.com"];

pub const ADVANCED_FIELDS: &[&str] = &[
    "eventCategory",
    "eventSource",
    "eventName",
    "eventType",
    "errorCode",
    "readOnly",
    "resources.type",
    "resources.ARN",
    "sessionCredentialFromConsole",
    "userIdentity.arn",
    "vpcEndpointId",
];
pub const MANAGEMENT_FIELDS: &[&str] = &["eventCategory", "eventSource", "readOnly"];
pub const DATA_FIELDS: &[&str] = &[
    "eventCategory",
    "eventName",
    "eventSource",
    "eventType",
    "resources.type",
    "resources.ARN",
    "readOnly",
    "sessionCredentialFromConsole",
    "userIdentity.arn",
];
pub const NETWORK_FIELDS: &[&str] = &[
    "eventCategory",
    "eventSource",
    "eventName",
    "errorCode",
    "vpcEndpointId",
    "userIdentity.arn",
];
pub const NETWORK_EVENT_SOURCES: &[&str] = &[
    "cloudtrail.amazonaws.com",
    "ec2.amazonaws.com",
    "kms.amazonaws.com",
    "s3.amazonaws.com",
    "secretsmanager.amazonaws.com",
];

/// Data event resource types accepted in `resources.type` of a trail's advanced selectors.
pub const DATA_RESOURCE_TYPES: &[&str] = &[
    "AWS::AppConfig::Configuration",
    "AWS::B2BI::Transformer",
    "AWS::Bedrock::AgentAlias",
    "AWS::Bedrock::FlowAlias",
    "AWS::Bedrock::Guardrail",
    "AWS::Bedrock::KnowledgeBase",
    "AWS::Bedrock::Model",
    "AWS::Cassandra::Table",
    "AWS::CloudFront::KeyValueStore",
    "AWS::CloudTrail::Channel",
    "AWS::CloudWatch::Metric",
    "AWS::CodeWhisperer::Customization",
    "AWS::CodeWhisperer::Profile",
    "AWS::Cognito::IdentityPool",
    "AWS::DataExchange::Asset",
    "AWS::Deadline::Fleet",
    "AWS::Deadline::Job",
    "AWS::Deadline::Queue",
    "AWS::Deadline::Worker",
    "AWS::DynamoDB::Stream",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Snapshot",
    "AWS::EMRWAL::Workspace",
    "AWS::FinSpace::Environment",
    "AWS::Glue::Table",
    "AWS::GreengrassV2::ComponentVersion",
    "AWS::GreengrassV2::Deployment",
    "AWS::GuardDuty::Detector",
    "AWS::IoT::Certificate",
    "AWS::IoT::Thing",
    "AWS::IoTSiteWise::Asset",
    "AWS::IoTSiteWise::TimeSeries",
    "AWS::IoTTwinMaker::Entity",
    "AWS::IoTTwinMaker::Workspace",
    "AWS::KendraRanking::ExecutionPlan",
    "AWS::Kinesis::Stream",
    "AWS::Kinesis::StreamConsumer",
    "AWS::KinesisVideo::Stream",
    "AWS::Lambda::Function",
    "AWS::MachineLearning::MlModel",
    "AWS::ManagedBlockchain::Network",
    "AWS::ManagedBlockchain::Node",
    "AWS::MedicalImaging::Datastore",
    "AWS::NeptuneGraph::Graph",
    "AWS::PaymentCryptography::Alias",
    "AWS::PaymentCryptography::Key",
    "AWS::PCAConnectorAD::Connector",
    "AWS::QApps::QApp",
    "AWS::QBusiness::Application",
    "AWS::QBusiness::DataSource",
    "AWS::QBusiness::Index",
    "AWS::QBusiness::WebExperience",
    "AWS::RDS::DBCluster",
    "AWS::S3::AccessPoint",
    "AWS::S3::Object",
    "AWS::S3ObjectLambda::AccessPoint",
    "AWS::S3Outposts::Object",
    "AWS::SageMaker::Endpoint",
    "AWS::SageMaker::ExperimentTrialComponent",
    "AWS::SageMaker::FeatureGroup",
    "AWS::ServiceDiscovery::Namespace",
    "AWS::ServiceDiscovery::Service",
    "AWS::SCN::Instance",
    "AWS::SNS::PlatformEndpoint",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::ManagedNode",
    "AWS::SSMMessages::ControlChannel",
    "AWS::StepFunctions::StateMachine",
    "AWS::SWF::Domain",
    "AWS::ThinClient::Device",
    "AWS::ThinClient::Environment",
    "AWS::Timestream::Database",
    "AWS::Timestream::Table",
    "AWS::VerifiedPermissions::PolicyStore",
    "AWS::XRay::Trace",
];

fn invalid(message: impl Into<String>) -> AwsError {
    AwsError::client("InvalidEventSelectorsException", message)
}

/// A trail's selectors as stored; `Default` is what a trail has until PutEventSelectors.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredSelectors {
    Default,
    Basic(Vec<EventSelector>),
    Advanced(Vec<AdvancedEventSelector>),
}

/// All read and write management events, no data events: a new trail's selector.
pub fn default_event_selector() -> EventSelector {
    EventSelector {
        read_write_type: Some("All".into()),
        include_management_events: Some(true),
        data_resources: Some(Vec::new()),
        exclude_management_event_sources: Some(Vec::new()),
    }
}

pub fn stored_selectors(env: &Env<'_>, arn: &str) -> Result<StoredSelectors, AwsError> {
    Ok(crate::pipeline::selectors::selectors_of(env.db, arn)?)
}

/// Whether the selectors log (read, write) management events.
pub fn logs_management_events(sel: &StoredSelectors) -> (bool, bool) {
    let mut reads = false;
    let mut writes = false;
    match sel {
        StoredSelectors::Default => return (true, true),
        StoredSelectors::Basic(list) => {
            for s in list
                .iter()
                .filter(|s| s.include_management_events.unwrap_or(true))
            {
                match s.read_write_type.as_deref().unwrap_or("All") {
                    "ReadOnly" => reads = true,
                    "WriteOnly" => writes = true,
                    _ => {
                        reads = true;
                        writes = true;
                    }
                }
            }
        }
        StoredSelectors::Advanced(list) => {
            for s in list {
                let is_mgmt = s.field_selectors.iter().any(|f| {
                    f.field == "eventCategory"
                        && f.equals
                            .as_ref()
                            .is_some_and(|v| v.iter().any(|x| x == "Management"))
                });
                if !is_mgmt {
                    continue;
                }
                match s
                    .field_selectors
                    .iter()
                    .find(|f| f.field == "readOnly")
                    .and_then(|f| f.equals.as_ref())
                {
                    Some(v) => {
                        reads |= v.iter().any(|x| x == "true");
                        writes |= v.iter().any(|x| x == "false");
                    }
                    None => {
                        reads = true;
                        writes = true;
                    }
                }
            }
        }
    }
    (reads, writes)
}

fn normalize_basic(s: &EventSelector) -> EventSelector {
    EventSelector {
        read_write_type: Some(s.read_write_type.clone().unwrap_or_else(|| "All".into())),
        include_management_events: Some(s.include_management_events.unwrap_or(true)),
        data_resources: Some(s.data_resources.clone().unwrap_or_default()),
        exclude_management_event_sources: Some(
            s.exclude_management_event_sources
                .clone()
                .unwrap_or_default(),
        ),
    }
}

fn is_bucket_name(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && b.starts_with(|c: char| c.is_ascii_alphanumeric())
        && b.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn is_region(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_account(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

/// `arn:PARTITION:SERVICE` and what follows; `None` when not of that service.
fn strip_service_arn<'v>(value: &'v str, service: &str) -> Option<&'v str> {
    for p in ["arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"] {
        if let Some(rest) = value.strip_prefix(p).and_then(|r| r.strip_prefix(service)) {
            return Some(rest);
        }
    }
    None
}

/// Whether a basic data resource value is valid for its type.
pub fn data_resource_value_is_valid(ty: &str, value: &str) -> bool {
    if value.contains('*') || value.len() > MAX_VALUE_LENGTH {
        return false;
    }
    match ty {
        "AWS::S3::Object" => match strip_service_arn(value, "s3") {
            Some("") | Some(":::") => true,
            Some(rest) => rest
                .strip_prefix(":::")
                .and_then(|r| r.split_once('/'))
                .is_some_and(|(bucket, _prefix)| is_bucket_name(bucket)),
            None => false,
        },
        "AWS::Lambda::Function" => match strip_service_arn(value, "lambda") {
            Some("") => true,
            Some(rest) => {
                let p: Vec<&str> = rest.trim_start_matches(':').split(':').collect();
                rest.starts_with(':')
                    && p.len() >= 4
                    && is_region(p[0])
                    && is_account(p[1])
                    && p[2] == "function"
                    && !p[3].is_empty()
            }
            None => false,
        },
        "AWS::DynamoDB::Table" => match strip_service_arn(value, "dynamodb") {
            Some("") => true,
            Some(rest) => {
                let p: Vec<&str> = rest.trim_start_matches(':').splitn(3, ':').collect();
                rest.starts_with(':')
                    && p.len() == 3
                    && is_region(p[0])
                    && is_account(p[1])
                    && p[2]
                        .strip_prefix("table/")
                        .is_some_and(|n| !n.is_empty() && !n.contains('/'))
            }
            None => false,
        },
        _ => false,
    }
}

/// Validates basic event selectors.
pub fn validate_basic(list: &[EventSelector]) -> Result<(), AwsError> {
    if list.is_empty() || list.len() > MAX_EVENT_SELECTORS {
        return Err(invalid(format!(
            "A trail can have from 1 to {MAX_EVENT_SELECTORS} event selectors; {} were specified.",
            list.len()
        )));
    }
    let mut total = 0usize;
    for s in list {
        if let Some(rw) = &s.read_write_type
            && !READ_WRITE_TYPES.contains(&rw.as_str())
        {
            return Err(invalid(format!(
                "Value {rw} for ReadWriteType is invalid. Valid values are ReadOnly, WriteOnly and All."
            )));
        }
        for src in s.exclude_management_event_sources.iter().flatten() {
            if !EXCLUDABLE_MANAGEMENT_SOURCES.contains(&src.as_str()) {
                return Err(invalid(format!(
                    "Value {src} for ExcludeManagementEventSources is invalid. Valid values are kms.amazonaws.com and rdsdata.amazonaws.com."
                )));
            }
        }
        for dr in s.data_resources.iter().flatten() {
            let ty = dr.r#type.as_deref().unwrap_or_default();
            if !BASIC_DATA_RESOURCE_TYPES.contains(&ty) {
                return Err(invalid(format!(
                    "Value {ty} for DataResources.Type is invalid. Basic event selectors support AWS::S3::Object, AWS::Lambda::Function and AWS::DynamoDB::Table; use advanced event selectors for other resource types."
                )));
            }
            let values = dr.values.as_deref().unwrap_or_default();
            if values.is_empty() {
                return Err(invalid(format!(
                    "DataResources.Values for {ty} must contain at least one value."
                )));
            }
            for v in values {
                if !data_resource_value_is_valid(ty, v) {
                    return Err(invalid(format!(
                        "Value {v} for DataResources.Values is invalid."
                    )));
                }
            }
            total += values.len();
        }
    }
    if total > MAX_DATA_RESOURCE_VALUES {
        return Err(invalid(format!(
            "A trail is limited to {MAX_DATA_RESOURCE_VALUES} data resources across all event selectors; {total} were specified."
        )));
    }
    Ok(())
}

/// (operator name, values) of a field selector, for the operators that are set.
fn operators(f: &AdvancedFieldSelector) -> Vec<(&'static str, &Vec<String>)> {
    [
        ("Equals", &f.equals),
        ("StartsWith", &f.starts_with),
        ("EndsWith", &f.ends_with),
        ("NotEquals", &f.not_equals),
        ("NotStartsWith", &f.not_starts_with),
        ("NotEndsWith", &f.not_ends_with),
    ]
    .into_iter()
    .filter_map(|(n, v)| v.as_ref().map(|v| (n, v)))
    .collect()
}

/// Validates advanced event selectors (the rules for trails).
pub fn validate_advanced(list: &[AdvancedEventSelector]) -> Result<(), AwsError> {
    if list.is_empty() {
        return Err(invalid(
            "AdvancedEventSelectors must contain at least one advanced event selector.",
        ));
    }
    let mut total = 0usize;
    for (i, sel) in list.iter().enumerate() {
        let label = sel.name.clone().unwrap_or_else(|| format!("#{}", i + 1));
        if let Some(n) = &sel.name
            && n.len() > MAX_SELECTOR_NAME_LENGTH
        {
            return Err(invalid(format!(
                "The name of advanced event selector {} exceeds {MAX_SELECTOR_NAME_LENGTH} characters.",
                i + 1
            )));
        }
        if sel.field_selectors.is_empty() {
            return Err(invalid(format!(
                "Advanced event selector {label} must contain at least one field selector."
            )));
        }
        let mut fields: Vec<&str> = Vec::new();
        for f in &sel.field_selectors {
            if f.field.is_empty() || f.field.len() > 1000 {
                return Err(invalid(format!(
                    "Advanced event selector {label} has an empty or too long Field."
                )));
            }
            if !ADVANCED_FIELDS.contains(&f.field.as_str()) {
                return Err(invalid(format!(
                    "Field {} in advanced event selector {label} is not valid. Valid fields are: {}.",
                    f.field,
                    ADVANCED_FIELDS.join(", ")
                )));
            }
            if fields.contains(&f.field.as_str()) {
                return Err(invalid(format!(
                    "Field {} is specified more than once in advanced event selector {label}.",
                    f.field
                )));
            }
            fields.push(&f.field);
            let ops = operators(f);
            if ops.is_empty() {
                return Err(invalid(format!(
                    "Field selector {} in advanced event selector {label} must have at least one operator.",
                    f.field
                )));
            }
            for (op, values) in &ops {
                if values.is_empty() {
                    return Err(invalid(format!(
                        "Operator {op} of field {} in advanced event selector {label} must have at least one value.",
                        f.field
                    )));
                }
                for v in values.iter() {
                    if v.is_empty() || v.len() > MAX_VALUE_LENGTH {
                        return Err(invalid(format!(
                            "Values of field {} must be from 1 to {MAX_VALUE_LENGTH} characters long.",
                            f.field
                        )));
                    }
                }
                total += values.len();
            }
            let equals_only = matches!(
                f.field.as_str(),
                "eventCategory" | "readOnly" | "resources.type" | "errorCode"
            );
            if equals_only && ops.iter().any(|(op, _)| *op != "Equals") {
                return Err(invalid(format!(
                    "Field {} supports only the Equals operator.",
                    f.field
                )));
            }
            if f.field == "readOnly"
                && let Some(bad) = f
                    .equals
                    .iter()
                    .flatten()
                    .find(|v| *v != "true" && *v != "false")
            {
                return Err(invalid(format!(
                    "Value {bad} for field readOnly is invalid. Valid values are true and false."
                )));
            }
            if f.field == "sessionCredentialFromConsole" {
                if ops
                    .iter()
                    .any(|(op, _)| *op != "Equals" && *op != "NotEquals")
                {
                    return Err(invalid(
                        "Field sessionCredentialFromConsole supports only the Equals and NotEquals operators.",
                    ));
                }
                if let Some(bad) = ops
                    .iter()
                    .flat_map(|(_, v)| v.iter())
                    .find(|v| *v != "true" && *v != "false")
                {
                    return Err(invalid(format!(
                        "Value {bad} for field sessionCredentialFromConsole is invalid. Valid values are true and false."
                    )));
                }
            }
        }
        let get = |name: &str| sel.field_selectors.iter().find(|f| f.field == name);
        let Some(category) = get("eventCategory") else {
            return Err(invalid(format!(
                "Advanced event selector {label} must include the eventCategory field."
            )));
        };
        let cats = category.equals.as_deref().unwrap_or_default();
        if cats.len() != 1 {
            return Err(invalid(format!(
                "The eventCategory field of advanced event selector {label} must have exactly one value."
            )));
        }
        let allowed: &[&str] = match cats[0].as_str() {
            "Management" => MANAGEMENT_FIELDS,
            "Data" => DATA_FIELDS,
            "NetworkActivity" => NETWORK_FIELDS,
            other => {
                return Err(invalid(format!(
                    "Value {other} for field eventCategory is invalid. Valid values for trails are Management, Data and NetworkActivity."
                )));
            }
        };
        if let Some(f) = sel
            .field_selectors
            .iter()
            .find(|f| !allowed.contains(&f.field.as_str()))
        {
            return Err(invalid(format!(
                "Field {} cannot be used in an advanced event selector for {} events.",
                f.field, cats[0]
            )));
        }
        match cats[0].as_str() {
            "Management" => {
                if let Some(src) = get("eventSource") {
                    let ops = operators(src);
                    if ops.iter().any(|(op, _)| *op != "NotEquals") {
                        return Err(invalid(
                            "For management events, eventSource supports only the NotEquals operator.",
                        ));
                    }
                    if let Some(bad) = src
                        .not_equals
                        .iter()
                        .flatten()
                        .find(|v| !EXCLUDABLE_MANAGEMENT_SOURCES.contains(&v.as_str()))
                    {
                        return Err(invalid(format!(
                            "Value {bad} for field eventSource is invalid. For management events, valid values are kms.amazonaws.com and rdsdata.amazonaws.com."
                        )));
                    }
                }
            }
            "Data" => {
                let Some(rt) = get("resources.type") else {
                    return Err(invalid(format!(
                        "Advanced event selector {label} for data events must include the resources.type field."
                    )));
                };
                let types = rt.equals.as_deref().unwrap_or_default();
                if types.len() != 1 {
                    return Err(invalid(format!(
                        "The resources.type field of advanced event selector {label} must have exactly one value."
                    )));
                }
                if !DATA_RESOURCE_TYPES.contains(&types[0].as_str()) {
                    return Err(invalid(format!(
                        "Value {} for field resources.type is invalid.",
                        types[0]
                    )));
                }
                if let Some(arn) = get("resources.ARN") {
                    for v in arn.equals.iter().chain(arn.not_equals.iter()).flatten() {
                        if !v.starts_with("arn:") {
                            return Err(invalid(format!(
                                "Value {v} for field resources.ARN is invalid: with Equals or NotEquals it must be the ARN of a resource of type {}.",
                                types[0]
                            )));
                        }
                    }
                }
            }
            _ => {
                let Some(src) = get("eventSource") else {
                    return Err(invalid(format!(
                        "Advanced event selector {label} for network activity events must include the eventSource field."
                    )));
                };
                let ops = operators(src);
                if ops.iter().any(|(op, _)| *op != "Equals") {
                    return Err(invalid(
                        "For network activity events, eventSource supports only the Equals operator.",
                    ));
                }
                if let Some(bad) = src
                    .equals
                    .iter()
                    .flatten()
                    .find(|v| !NETWORK_EVENT_SOURCES.contains(&v.as_str()))
                {
                    return Err(invalid(format!(
                        "Value {bad} for field eventSource is invalid for network activity events. Valid values are: {}.",
                        NETWORK_EVENT_SOURCES.join(", ")
                    )));
                }
                if let Some(ec) = get("errorCode")
                    && ec.equals.iter().flatten().any(|v| v != "VpceAccessDenied")
                {
                    return Err(invalid(
                        "The only valid value for errorCode is VpceAccessDenied.",
                    ));
                }
            }
        }
    }
    if total > MAX_ADVANCED_VALUES {
        return Err(invalid(format!(
            "A trail can have up to {MAX_ADVANCED_VALUES} values for all conditions in all advanced event selectors; {total} were specified."
        )));
    }
    Ok(())
}

pub fn put_event_selectors(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PutEventSelectorsRequest,
) -> Result<PutEventSelectorsResponse, AwsError> {
    let t = resolve_home(env, ctx, &req.trail_name)?;
    match (req.event_selectors, req.advanced_event_selectors) {
        (Some(_), Some(_)) => Err(invalid(
            "You can use either EventSelectors or AdvancedEventSelectors in a PutEventSelectors request, but not both.",
        )),
        (None, None) => Err(invalid(
            "You must specify either EventSelectors or AdvancedEventSelectors.",
        )),
        (Some(basic), None) => {
            validate_basic(&basic)?;
            let normalized: Vec<EventSelector> = basic.iter().map(normalize_basic).collect();
            let json = serde_json::to_string(&normalized).map_err(StoreError::from)?;
            env.db
                .put_event_selectors(&t.row.arn, SelectorKind::Basic, &json)?;
            Ok(PutEventSelectorsResponse {
                trail_arn: Some(t.row.arn),
                event_selectors: Some(normalized),
                advanced_event_selectors: None,
            })
        }
        (None, Some(adv)) => {
            validate_advanced(&adv)?;
            let json = serde_json::to_string(&adv).map_err(StoreError::from)?;
            env.db
                .put_event_selectors(&t.row.arn, SelectorKind::Advanced, &json)?;
            Ok(PutEventSelectorsResponse {
                trail_arn: Some(t.row.arn),
                event_selectors: None,
                advanced_event_selectors: Some(adv),
            })
        }
    }
}

pub fn get_event_selectors(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: GetEventSelectorsRequest,
) -> Result<GetEventSelectorsResponse, AwsError> {
    let t = resolve(env, ctx, &req.trail_name)?;
    let (event_selectors, advanced_event_selectors) = match stored_selectors(env, &t.row.arn)? {
        StoredSelectors::Default => (Some(vec![default_event_selector()]), None),
        StoredSelectors::Basic(b) => (Some(b), None),
        StoredSelectors::Advanced(a) => (None, Some(a)),
    };
    Ok(GetEventSelectorsResponse {
        trail_arn: Some(t.row.arn),
        event_selectors,
        advanced_event_selectors,
    })
}
