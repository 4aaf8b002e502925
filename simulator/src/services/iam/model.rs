//! IAM request and response shapes. IAM's real wire protocol is the query protocol with XML
//! responses; here, as for every service, the JSON form uses the API member names
//! (PascalCase). Policy documents are plain JSON text, not URL-encoded. Timestamps are epoch
//! seconds (`f64`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

shape! {
    pub struct Tag {
        pub key: String,
        pub value: String,
    }
}

shape! {
    pub struct AttachedPermissionsBoundary {
        pub permissions_boundary_type: Option<String>,
        pub permissions_boundary_arn: Option<String>,
    }
}

shape! {
    pub struct Role {
        pub path: String,
        pub role_name: String,
        pub role_id: String,
        pub arn: String,
        pub create_date: f64,
        pub assume_role_policy_document: Option<String>,
        pub description: Option<String>,
        pub max_session_duration: Option<i64>,
        pub permissions_boundary: Option<AttachedPermissionsBoundary>,
        pub tags: Option<Vec<Tag>>,
        pub role_last_used: Option<serde_json::Value>,
    }
}

shape! {
    /// A role in the store (kind `role`, id = lower-cased name).
    pub struct StoredRole {
        pub role: Role,
        /// Inline policies: name -> document.
        pub inline_policies: BTreeMap<String, String>,
        /// ARNs of attached managed policies, in attachment order.
        pub attached_policies: Vec<String>,
    }
}

shape! {
    pub struct Policy {
        pub policy_name: String,
        pub policy_id: String,
        pub arn: String,
        pub path: String,
        pub default_version_id: String,
        pub attachment_count: i64,
        pub permissions_boundary_usage_count: i64,
        pub is_attachable: bool,
        pub description: Option<String>,
        pub create_date: f64,
        pub update_date: f64,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct PolicyVersion {
        pub document: Option<String>,
        pub version_id: String,
        pub is_default_version: bool,
        pub create_date: f64,
    }
}

shape! {
    /// A customer managed policy in the store (kind `policy`, id = lower-cased name).
    pub struct StoredPolicy {
        pub policy: Policy,
        pub versions: Vec<PolicyVersion>,
        /// The number of the next version (`v<n>`): version ids are never reused.
        pub next_version: u32,
    }
}

shape! {
    pub struct User {
        pub path: String,
        pub user_name: String,
        pub user_id: String,
        pub arn: String,
        pub create_date: f64,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct Group {
        pub path: String,
        pub group_name: String,
        pub group_id: String,
        pub arn: String,
        pub create_date: f64,
    }
}

shape! {
    /// A user or group in the store, with its attached managed policies.
    pub struct StoredPrincipal {
        pub user: Option<User>,
        pub group: Option<Group>,
        pub attached_policies: Vec<String>,
    }
}

shape! {
    pub struct EmptyResponse {}
}

shape! {
    pub struct CreateRoleRequest {
        pub path: Option<String>,
        pub role_name: String,
        pub assume_role_policy_document: String,
        pub description: Option<String>,
        pub max_session_duration: Option<i64>,
        pub permissions_boundary: Option<String>,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct RoleResponse {
        pub role: Role,
    }
}

shape! {
    pub struct RoleNameRequest {
        pub role_name: String,
    }
}

shape! {
    pub struct UpdateRoleRequest {
        pub role_name: String,
        pub description: Option<String>,
        pub max_session_duration: Option<i64>,
    }
}

shape! {
    pub struct UpdateRoleDescriptionRequest {
        pub role_name: String,
        pub description: String,
    }
}

shape! {
    pub struct UpdateAssumeRolePolicyRequest {
        pub role_name: String,
        pub policy_document: String,
    }
}

shape! {
    pub struct ListRolesRequest {
        pub path_prefix: Option<String>,
        pub marker: Option<String>,
        pub max_items: Option<i64>,
    }
}

shape! {
    pub struct ListRolesResponse {
        pub roles: Vec<Role>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct PutRolePolicyRequest {
        pub role_name: String,
        pub policy_name: String,
        pub policy_document: String,
    }
}

shape! {
    pub struct RolePolicyRequest {
        pub role_name: String,
        pub policy_name: String,
    }
}

shape! {
    pub struct GetRolePolicyResponse {
        pub role_name: String,
        pub policy_name: String,
        pub policy_document: String,
    }
}

shape! {
    pub struct ListPolicyNamesResponse {
        pub policy_names: Vec<String>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct CreatePolicyRequest {
        pub policy_name: String,
        pub path: Option<String>,
        pub policy_document: String,
        pub description: Option<String>,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct PolicyResponse {
        pub policy: Policy,
    }
}

shape! {
    pub struct PolicyArnRequest {
        pub policy_arn: String,
    }
}

shape! {
    pub struct PolicyVersionRequest {
        pub policy_arn: String,
        pub version_id: String,
    }
}

shape! {
    pub struct PolicyVersionResponse {
        pub policy_version: PolicyVersion,
    }
}

shape! {
    pub struct CreatePolicyVersionRequest {
        pub policy_arn: String,
        pub policy_document: String,
        pub set_as_default: Option<bool>,
    }
}

shape! {
    pub struct ListPolicyVersionsResponse {
        pub versions: Vec<PolicyVersion>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct ListPoliciesRequest {
        pub scope: Option<String>,
        pub only_attached: Option<bool>,
        pub path_prefix: Option<String>,
        pub marker: Option<String>,
        pub max_items: Option<i64>,
    }
}

shape! {
    pub struct ListPoliciesResponse {
        pub policies: Vec<Policy>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct AttachedPolicy {
        pub policy_name: String,
        pub policy_arn: String,
    }
}

shape! {
    pub struct ListAttachedPoliciesResponse {
        pub attached_policies: Vec<AttachedPolicy>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct AttachRolePolicyRequest {
        pub role_name: String,
        pub policy_arn: String,
    }
}

shape! {
    pub struct AttachUserPolicyRequest {
        pub user_name: String,
        pub policy_arn: String,
    }
}

shape! {
    pub struct AttachGroupPolicyRequest {
        pub group_name: String,
        pub policy_arn: String,
    }
}

shape! {
    pub struct ListEntitiesForPolicyRequest {
        pub policy_arn: String,
        pub entity_filter: Option<String>,
        pub path_prefix: Option<String>,
        pub marker: Option<String>,
        pub max_items: Option<i64>,
    }
}

shape! {
    pub struct PolicyRole {
        pub role_name: String,
        pub role_id: String,
    }
}

shape! {
    pub struct PolicyUser {
        pub user_name: String,
        pub user_id: String,
    }
}

shape! {
    pub struct PolicyGroup {
        pub group_name: String,
        pub group_id: String,
    }
}

shape! {
    pub struct ListEntitiesForPolicyResponse {
        pub policy_groups: Vec<PolicyGroup>,
        pub policy_users: Vec<PolicyUser>,
        pub policy_roles: Vec<PolicyRole>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct CreateUserRequest {
        pub path: Option<String>,
        pub user_name: String,
        pub permissions_boundary: Option<String>,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct UserNameRequest {
        pub user_name: String,
    }
}

shape! {
    pub struct UserResponse {
        pub user: User,
    }
}

shape! {
    pub struct CreateGroupRequest {
        pub path: Option<String>,
        pub group_name: String,
    }
}

shape! {
    pub struct GroupNameRequest {
        pub group_name: String,
    }
}

shape! {
    pub struct CreateGroupResponse {
        pub group: Group,
    }
}

shape! {
    pub struct GetGroupResponse {
        pub group: Group,
        pub users: Vec<User>,
        pub is_truncated: bool,
    }
}

shape! {
    pub struct TagRoleRequest {
        pub role_name: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagRoleRequest {
        pub role_name: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct TagPolicyRequest {
        pub policy_arn: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagPolicyRequest {
        pub policy_arn: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct TagUserRequest {
        pub user_name: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagUserRequest {
        pub user_name: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct ListTagsResponse {
        pub tags: Vec<Tag>,
        pub is_truncated: bool,
    }
}
