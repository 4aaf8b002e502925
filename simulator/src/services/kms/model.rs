//! KMS request and response shapes, with the member names of the AWS JSON 1.1 protocol
//! (PascalCase; `AWSAccountId`). Timestamps are epoch seconds (`f64`). Absent optional
//! members are `None` and left out of responses (see `to_compact_response`).

use serde::{Deserialize, Serialize};

shape! {
    /// A KMS tag: both members are required (the value may be empty).
    pub struct Tag {
        pub tag_key: String,
        pub tag_value: String,
    }
}

shape! {
    /// The key as DescribeKey and CreateKey return it.
    pub struct KeyMetadata {
        #[serde(rename = "AWSAccountId")]
        pub aws_account_id: String,
        pub key_id: String,
        pub arn: String,
        pub creation_date: f64,
        pub enabled: bool,
        pub description: String,
        pub key_usage: String,
        pub key_state: String,
        pub deletion_date: Option<f64>,
        pub origin: String,
        pub key_manager: String,
        pub customer_master_key_spec: String,
        pub key_spec: String,
        pub encryption_algorithms: Option<Vec<String>>,
        pub signing_algorithms: Option<Vec<String>>,
        pub mac_algorithms: Option<Vec<String>>,
        pub key_agreement_algorithms: Option<Vec<String>>,
        pub multi_region: bool,
        pub multi_region_configuration: Option<serde_json::Value>,
        pub pending_deletion_window_in_days: Option<i64>,
    }
}

shape! {
    /// What the store holds for one key (document kind `key`, id = key id).
    pub struct StoredKey {
        pub key_metadata: KeyMetadata,
        pub policy: String,
        pub rotation_enabled: bool,
        pub rotation_period_in_days: Option<i64>,
        pub next_rotation_date: Option<f64>,
    }
}

shape! {
    /// What the store holds for one alias (document kind `alias`, id = alias name).
    pub struct AliasListEntry {
        pub alias_name: String,
        pub alias_arn: String,
        pub target_key_id: Option<String>,
        pub creation_date: Option<f64>,
        pub last_updated_date: Option<f64>,
    }
}

shape! {
    pub struct CreateKeyRequest {
        pub policy: Option<String>,
        pub description: Option<String>,
        pub key_usage: Option<String>,
        pub customer_master_key_spec: Option<String>,
        pub key_spec: Option<String>,
        pub origin: Option<String>,
        pub bypass_policy_lockout_safety_check: Option<bool>,
        pub tags: Option<Vec<Tag>>,
        pub multi_region: Option<bool>,
    }
}

shape! {
    pub struct KeyMetadataResponse {
        pub key_metadata: KeyMetadata,
    }
}

shape! {
    /// Requests that only name a key (DescribeKey, EnableKey, DisableKey, ...).
    pub struct KeyIdRequest {
        pub key_id: String,
    }
}

shape! {
    pub struct EmptyResponse {}
}

shape! {
    pub struct ListKeysRequest {
        pub limit: Option<i64>,
        pub marker: Option<String>,
    }
}

shape! {
    pub struct KeyListEntry {
        pub key_id: String,
        pub key_arn: String,
    }
}

shape! {
    pub struct ListKeysResponse {
        pub keys: Vec<KeyListEntry>,
        pub truncated: bool,
    }
}

shape! {
    pub struct GetKeyPolicyRequest {
        pub key_id: String,
        pub policy_name: Option<String>,
    }
}

shape! {
    pub struct GetKeyPolicyResponse {
        pub policy: String,
        pub policy_name: String,
    }
}

shape! {
    pub struct PutKeyPolicyRequest {
        pub key_id: String,
        pub policy_name: Option<String>,
        pub policy: String,
        pub bypass_policy_lockout_safety_check: Option<bool>,
    }
}

shape! {
    pub struct ListKeyPoliciesResponse {
        pub policy_names: Vec<String>,
        pub truncated: bool,
    }
}

shape! {
    pub struct EnableKeyRotationRequest {
        pub key_id: String,
        pub rotation_period_in_days: Option<i64>,
    }
}

shape! {
    pub struct GetKeyRotationStatusResponse {
        pub key_rotation_enabled: bool,
        pub key_id: String,
        pub rotation_period_in_days: Option<i64>,
        pub next_rotation_date: Option<f64>,
    }
}

shape! {
    pub struct ScheduleKeyDeletionRequest {
        pub key_id: String,
        pub pending_window_in_days: Option<i64>,
    }
}

shape! {
    pub struct ScheduleKeyDeletionResponse {
        pub key_id: String,
        pub deletion_date: f64,
        pub key_state: String,
        pub pending_window_in_days: i64,
    }
}

shape! {
    pub struct CancelKeyDeletionResponse {
        pub key_id: String,
    }
}

shape! {
    pub struct UpdateKeyDescriptionRequest {
        pub key_id: String,
        pub description: String,
    }
}

shape! {
    pub struct CreateAliasRequest {
        pub alias_name: String,
        pub target_key_id: String,
    }
}

pub type UpdateAliasRequest = CreateAliasRequest;

shape! {
    pub struct DeleteAliasRequest {
        pub alias_name: String,
    }
}

shape! {
    pub struct ListAliasesRequest {
        pub key_id: Option<String>,
        pub limit: Option<i64>,
        pub marker: Option<String>,
    }
}

shape! {
    pub struct ListAliasesResponse {
        pub aliases: Vec<AliasListEntry>,
        pub truncated: bool,
    }
}

shape! {
    pub struct TagResourceRequest {
        pub key_id: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagResourceRequest {
        pub key_id: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct ListResourceTagsRequest {
        pub key_id: String,
        pub limit: Option<i64>,
        pub marker: Option<String>,
    }
}

shape! {
    pub struct ListResourceTagsResponse {
        pub tags: Vec<Tag>,
        pub truncated: bool,
    }
}
