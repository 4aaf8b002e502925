//! STS request and response shapes as JSON, with the member names of the AWS API.
//! `Expiration` is epoch seconds.

use serde::{Deserialize, Serialize};

shape! {
    pub struct GetCallerIdentityRequest {}
}

shape! {
    pub struct GetCallerIdentityResponse {
        pub user_id: String,
        pub account: String,
        pub arn: String,
    }
}

shape! {
    pub struct Tag {
        pub key: String,
        #[serde(default)]
        pub value: String,
    }
}

shape! {
    pub struct PolicyDescriptorType {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub arn: Option<String>,
    }
}

shape! {
    pub struct AssumeRoleRequest {
        pub role_arn: String,
        pub role_session_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub duration_seconds: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub policy: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub policy_arns: Option<Vec<PolicyDescriptorType>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<Tag>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub transitive_tag_keys: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub external_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub serial_number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub token_code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source_identity: Option<String>,
    }
}

shape! {
    pub struct Credentials {
        pub access_key_id: String,
        pub secret_access_key: String,
        pub session_token: String,
        pub expiration: f64,
    }
}

shape! {
    pub struct AssumedRoleUser {
        pub assumed_role_id: String,
        pub arn: String,
    }
}

shape! {
    pub struct AssumeRoleResponse {
        pub credentials: Credentials,
        pub assumed_role_user: AssumedRoleUser,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub packed_policy_size: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source_identity: Option<String>,
    }
}
