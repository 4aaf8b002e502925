//! AWS Organizations request and response shapes (AWS JSON 1.1, PascalCase members,
//! timestamps as epoch seconds).

use serde::{Deserialize, Serialize};

shape! {
    pub struct Tag {
        pub key: String,
        pub value: String,
    }
}

shape! {
    pub struct PolicyTypeSummary {
        pub r#type: String,
        pub status: String,
    }
}

shape! {
    pub struct Organization {
        pub id: String,
        pub arn: String,
        pub feature_set: String,
        pub master_account_arn: String,
        pub master_account_id: String,
        pub master_account_email: String,
        pub available_policy_types: Vec<PolicyTypeSummary>,
    }
}

shape! {
    pub struct Root {
        pub id: String,
        pub arn: String,
        pub name: String,
        pub policy_types: Vec<PolicyTypeSummary>,
    }
}

shape! {
    pub struct Account {
        pub id: String,
        pub arn: String,
        pub email: String,
        pub name: String,
        pub status: String,
        pub state: String,
        pub joined_method: String,
        pub joined_timestamp: f64,
    }
}

shape! {
    pub struct EnabledServicePrincipal {
        pub service_principal: String,
        pub date_enabled: f64,
    }
}

shape! {
    pub struct DelegatedService {
        pub service_principal: String,
        pub delegation_enabled_date: f64,
    }
}

shape! {
    /// One registration: an account is delegated administrator for a service.
    pub struct Delegation {
        pub account_id: String,
        pub service_principal: String,
        pub delegation_enabled_date: f64,
    }
}

shape! {
    /// The organization in the store (kind `organization`, account = management account).
    pub struct StoredOrganization {
        pub organization: Organization,
        pub root: Root,
        pub trusted_services: Vec<EnabledServicePrincipal>,
        pub delegations: Vec<Delegation>,
    }
}

shape! {
    /// An account's membership (kind `account`, account = the member, id = the member).
    pub struct StoredMembership {
        pub organization_id: String,
        pub management_account_id: String,
        pub account: Account,
    }
}

shape! {
    pub struct CreateAccountStatus {
        pub id: String,
        pub account_name: String,
        pub state: String,
        pub requested_timestamp: f64,
        pub completed_timestamp: Option<f64>,
        pub account_id: Option<String>,
        pub failure_reason: Option<String>,
    }
}

shape! {
    pub struct EmptyResponse {}
}

shape! {
    pub struct CreateOrganizationRequest {
        pub feature_set: Option<String>,
    }
}

shape! {
    pub struct OrganizationResponse {
        pub organization: Organization,
    }
}

shape! {
    pub struct ListRootsResponse {
        pub roots: Vec<Root>,
    }
}

shape! {
    pub struct CreateAccountRequest {
        pub email: String,
        pub account_name: String,
        pub role_name: Option<String>,
        pub iam_user_access_to_billing: Option<String>,
        pub tags: Option<Vec<Tag>>,
    }
}

shape! {
    pub struct CreateAccountStatusResponse {
        pub create_account_status: CreateAccountStatus,
    }
}

shape! {
    pub struct DescribeCreateAccountStatusRequest {
        pub create_account_request_id: String,
    }
}

shape! {
    pub struct AccountIdRequest {
        pub account_id: String,
    }
}

shape! {
    pub struct AccountResponse {
        pub account: Account,
    }
}

shape! {
    pub struct ListAccountsResponse {
        pub accounts: Vec<Account>,
    }
}

shape! {
    pub struct ServicePrincipalRequest {
        pub service_principal: String,
    }
}

shape! {
    pub struct ListAwsServiceAccessResponse {
        pub enabled_service_principals: Vec<EnabledServicePrincipal>,
    }
}

shape! {
    pub struct DelegatedAdministratorRequest {
        pub account_id: String,
        pub service_principal: String,
    }
}

shape! {
    pub struct ListDelegatedAdministratorsRequest {
        pub service_principal: Option<String>,
    }
}

shape! {
    pub struct DelegatedAdministrator {
        pub id: String,
        pub arn: String,
        pub email: String,
        pub name: String,
        pub status: String,
        pub state: String,
        pub joined_method: String,
        pub joined_timestamp: f64,
        pub delegation_enabled_date: f64,
    }
}

shape! {
    pub struct ListDelegatedAdministratorsResponse {
        pub delegated_administrators: Vec<DelegatedAdministrator>,
    }
}

shape! {
    pub struct ListDelegatedServicesResponse {
        pub delegated_services: Vec<DelegatedService>,
    }
}

shape! {
    pub struct PolicyTypeRequest {
        pub root_id: String,
        pub policy_type: String,
    }
}

shape! {
    pub struct RootResponse {
        pub root: Root,
    }
}

shape! {
    pub struct ListParentsRequest {
        pub child_id: String,
    }
}

shape! {
    pub struct Parent {
        pub id: String,
        /// `ROOT` or `ORGANIZATIONAL_UNIT`.
        pub r#type: String,
    }
}

shape! {
    pub struct ListParentsResponse {
        pub parents: Vec<Parent>,
    }
}

shape! {
    pub struct MoveAccountRequest {
        pub account_id: String,
        pub source_parent_id: String,
        pub destination_parent_id: String,
    }
}

shape! {
    pub struct TagResourceRequest {
        pub resource_id: String,
        pub tags: Vec<Tag>,
    }
}

shape! {
    pub struct UntagResourceRequest {
        pub resource_id: String,
        pub tag_keys: Vec<String>,
    }
}

shape! {
    pub struct ResourceIdRequest {
        pub resource_id: String,
    }
}

shape! {
    pub struct ListTagsResponse {
        pub tags: Vec<Tag>,
    }
}
