//! The JSON shapes of generated records, as typed values that serde writes straight to
//! text. Generating a record as a `serde_json::Value` tree cost more than everything else
//! on the way to the store (a map per object, a string per key, the tree freed again);
//! these types borrow what they can and are serialised once, in the key order CloudTrail
//! writes (and the order the generator has always written: its output is unchanged).

use serde::Serialize;

use crate::store::NewEvent;

/// An empty JSON object (`{}`), as EC2 records its empty request sets.
#[derive(Debug, Clone, Copy, Serialize)]
pub(super) struct Empty {}

/// `requestParameters`, `responseElements` and `additionalEventData` of the generated calls.
/// Untagged: each variant is written as its bare JSON object (`Null` as `null`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
pub(super) enum Body {
    Null,
    // ---- requestParameters ----
    S3Object {
        bucket_name: String,
        #[serde(rename = "Host")]
        host: String,
        key: &'static str,
    },
    LambdaInvoke {
        function_name: String,
        invocation_type: &'static str,
        log_type: &'static str,
    },
    DynamoDbGetItem {
        table_name: &'static str,
        key: ItemKey,
        consistent_read: bool,
    },
    DynamoDbPutItem {
        table_name: &'static str,
        key: ItemKey,
        item: [&'static str; 3],
    },
    DescribeInstances {
        instances_set: Empty,
        filter_set: Empty,
    },
    RunInstances {
        instances_set: Items<LaunchItem>,
        instance_type: &'static str,
        monitoring: Monitoring,
        disable_api_termination: bool,
    },
    DescribeSecurityGroups {
        security_group_set: Empty,
        security_group_id_set: Empty,
        filter_set: Empty,
    },
    UserName {
        user_name: String,
    },
    CreateBucket {
        bucket_name: String,
        #[serde(rename = "Host")]
        host: String,
        #[serde(
            rename = "CreateBucketConfiguration",
            skip_serializing_if = "Option::is_none"
        )]
        configuration: Option<BucketConfiguration>,
    },
    KmsDecrypt {
        encryption_algorithm: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        encryption_context: Option<EncryptionContext>,
    },
    KmsGenerateDataKey {
        key_id: String,
        key_spec: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        encryption_context: Option<EncryptionContext>,
    },
    PutBucketPolicy {
        bucket_name: String,
        #[serde(rename = "Host")]
        host: String,
        bucket_policy: BucketPolicy,
        policy: &'static str,
    },
    AssumeRole {
        role_arn: String,
        role_session_name: &'static str,
        duration_seconds: u32,
    },
    UpdateFunctionCode {
        function_name: &'static str,
        publish: bool,
        dry_run: bool,
    },
    CreateTable {
        table_name: String,
        attribute_definitions: [AttributeDefinition; 1],
        key_schema: [KeySchemaElement; 1],
        billing_mode: &'static str,
    },
    TableName {
        table_name: &'static str,
    },
    // ---- responseElements ----
    PutObjectResponse {
        #[serde(rename = "x-amz-server-side-encryption")]
        encryption: &'static str,
    },
    RunInstancesResponse {
        request_id: String,
        reservation_id: String,
        owner_id: String,
        group_set: Empty,
        instances_set: Items<Instance>,
    },
    CreateUserResponse {
        user: IamUser,
    },
    AssumeRoleResponse {
        credentials: Credentials,
        assumed_role_user: AssumedRoleUser,
    },
    UpdateFunctionCodeResponse {
        function_name: &'static str,
        function_arn: String,
        runtime: &'static str,
        handler: &'static str,
        code_size: u64,
        state: &'static str,
        last_update_status: &'static str,
    },
    CreateTableResponse {
        table_description: TableDescription,
    },
    ConsoleLoginResponse {
        #[serde(rename = "ConsoleLogin")]
        outcome: &'static str,
    },
    // ---- additionalEventData ----
    S3Transfer {
        #[serde(rename = "SignatureVersion")]
        signature_version: &'static str,
        #[serde(rename = "CipherSuite")]
        cipher_suite: &'static str,
        bytes_transferred_in: u64,
        #[serde(rename = "AuthenticationMethod")]
        authentication_method: &'static str,
        bytes_transferred_out: u64,
    },
    FunctionVersion {
        function_version: String,
    },
    ConsoleSignIn {
        #[serde(rename = "LoginTo")]
        login_to: &'static str,
        #[serde(rename = "MobileVersion")]
        mobile_version: &'static str,
        #[serde(rename = "MFAUsed")]
        mfa_used: &'static str,
    },
}

impl Body {
    /// The `additionalEventData` of an S3 call (bytes in and out).
    pub(super) fn s3_transfer(bytes_in: u64, bytes_out: u64) -> Body {
        Body::S3Transfer {
            signature_version: "SigV4",
            cipher_suite: "TLS_AES_128_GCM_SHA256",
            bytes_transferred_in: bytes_in,
            authentication_method: "AuthHeader",
            bytes_transferred_out: bytes_out,
        }
    }

    /// Sets the `encryptionContext` of a KMS request (no-op for other bodies).
    pub(super) fn set_encryption_context(&mut self, context: EncryptionContext) {
        if let Body::KmsDecrypt {
            encryption_context, ..
        }
        | Body::KmsGenerateDataKey {
            encryption_context, ..
        } = self
        {
            *encryption_context = Some(context);
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct ItemKey {
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct Items<T> {
    pub items: [T; 1],
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct LaunchItem {
    pub image_id: String,
    pub min_count: u32,
    pub max_count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct Monitoring {
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Instance {
    pub instance_id: String,
    pub image_id: String,
    pub instance_state: InstanceState,
    pub instance_type: &'static str,
    pub launch_time: i64,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct InstanceState {
    pub code: u32,
    pub name: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct BucketConfiguration {
    #[serde(rename = "LocationConstraint")]
    pub location_constraint: String,
    pub xmlns: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub(super) enum EncryptionContext {
    #[serde(rename = "aws:lambda:FunctionArn")]
    LambdaFunction(String),
    #[serde(rename = "aws:ebs:id")]
    EbsVolume(String),
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct BucketPolicy {
    pub version: &'static str,
    pub statement: [PolicyStatement; 1],
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyStatement {
    pub sid: &'static str,
    pub effect: &'static str,
    pub principal: &'static str,
    pub action: &'static str,
    pub resource: [String; 2],
    pub condition: SecureTransportCondition,
}

/// `{"Bool": {"aws:SecureTransport": "false"}}`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct SecureTransportCondition {
    #[serde(rename = "Bool")]
    pub bool: SecureTransport,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct SecureTransport {
    #[serde(rename = "aws:SecureTransport")]
    pub secure_transport: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AttributeDefinition {
    pub attribute_name: &'static str,
    pub attribute_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct KeySchemaElement {
    pub attribute_name: &'static str,
    pub key_type: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct IamUser {
    pub path: &'static str,
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub create_date: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Credentials {
    pub access_key_id: String,
    pub session_token: String,
    pub expiration: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AssumedRoleUser {
    pub assumed_role_id: String,
    pub arn: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TableDescription {
    pub table_name: String,
    pub table_status: &'static str,
    pub table_arn: String,
    pub table_id: String,
}

/// One entry of `resources`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Resource {
    #[serde(rename = "accountId", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "ARN")]
    pub arn: String,
}

/// `userIdentity`, for every kind of caller the generator has (absent members are not
/// written).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Identity<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_context: Option<SessionContext<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoked_by: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionContext<'a> {
    pub session_issuer: SessionIssuer<'a>,
    pub attributes: SessionAttributes<'a>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionIssuer<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub principal_id: &'a str,
    pub arn: &'a str,
    pub account_id: &'a str,
    pub user_name: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionAttributes<'a> {
    pub creation_date: &'a str,
    pub mfa_authenticated: &'a str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TlsDetails<'a> {
    pub tls_version: &'a str,
    pub cipher_suite: &'a str,
    pub client_provided_host_header: &'a str,
}

/// A whole record. API calls, console sign-ins and spike calls write the members they have,
/// in this order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Record<'a> {
    pub event_version: &'a str,
    pub user_identity: Identity<'a>,
    pub event_time: &'a str,
    pub event_source: &'a str,
    pub event_name: &'a str,
    pub aws_region: &'a str,
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: &'a str,
    pub user_agent: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<&'a str>,
    pub request_parameters: &'a Body,
    pub response_elements: &'a Body,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_event_data: Option<&'a Body>,
    #[serde(rename = "requestID", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<&'a str>,
    #[serde(rename = "eventID")]
    pub event_id: &'a str,
    pub read_only: bool,
    #[serde(skip_serializing_if = "<[Resource]>::is_empty")]
    pub resources: &'a [Resource],
    pub event_type: &'a str,
    pub management_event: bool,
    pub recipient_account_id: &'a str,
    pub event_category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_details: Option<TlsDetails<'a>>,
}

impl Record<'_> {
    /// The record as the event log stores it: its JSON text and the lookup columns
    /// (`events::new_event_from_record` would derive the same columns from the text).
    /// `event_time_ms` is the recorded eventTime (whole seconds); `username` is what
    /// LookupEvents' Username matches. The text is written into `scratch` (reused from
    /// record to record) and copied into a string of its exact size: appends hold tens of
    /// thousands of records at a time.
    pub(super) fn to_event(
        &self,
        scratch: &mut Vec<u8>,
        event_time_ms: i64,
        username: Option<&str>,
    ) -> NewEvent {
        scratch.clear();
        serde_json::to_writer(&mut *scratch, self)
            .expect("typed values with string keys always serialise into a Vec");
        NewEvent {
            event_id: self.event_id.to_string(),
            account_id: self.recipient_account_id.to_string(),
            region: self.aws_region.to_string(),
            event_time_ms,
            event_name: self.event_name.to_string(),
            event_source: self.event_source.to_string(),
            event_category: self.event_category.to_string(),
            username: username.map(str::to_string),
            read_only: self.read_only,
            access_key_id: self.user_identity.access_key_id.map(str::to_string),
            resources: self
                .resources
                .iter()
                .map(|r| (Some(r.kind.to_string()), Some(r.arn.clone())))
                .collect(),
            record: std::str::from_utf8(scratch)
                .expect("serde_json writes UTF-8 only")
                .to_string(),
        }
    }
}
