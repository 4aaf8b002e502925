//! The organization, its accounts, trusted service access, delegated administrators and
//! policy types. The caller's account decides what it may do: the management account runs
//! everything; members may describe the organization; delegated administrators may also
//! read (List*/Describe*).

use sha2::{Digest, Sha256};

use super::model::*;
use super::{GLOBAL, SERVICE};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::{Env, constraint_message, id_seed, next_token, next_uuid};
use crate::store::DocKey;

pub const POLICY_TYPES: &[&str] = &[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
];

pub(super) fn client(code: &str, message: impl Into<String>) -> AwsError {
    AwsError::client(code, message)
}

fn not_in_use() -> AwsError {
    client(
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    )
}

fn access_denied() -> AwsError {
    client(
        "AccessDeniedException",
        "You don't have permissions to access this resource.",
    )
}

fn account_not_found() -> AwsError {
    client(
        "AccountNotFoundException",
        "You specified an account that doesn't exist.",
    )
}

/// `ConstraintViolationException`; AWS also returns a `Reason` member, given here in the
/// message.
fn constraint(reason: &str, message: &str) -> AwsError {
    client(
        "ConstraintViolationException",
        format!("{message} (Reason: {reason})"),
    )
}

pub(super) fn invalid_input(message: impl Into<String>) -> AwsError {
    client("InvalidInputException", message)
}

fn org_key<'a>(management: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "organization",
        account_id: management,
        region: GLOBAL,
        id,
    }
}

fn member_key(account: &str) -> DocKey<'_> {
    DocKey {
        service: SERVICE,
        kind: "account",
        account_id: account,
        region: GLOBAL,
        id: account,
    }
}

fn status_key<'a>(management: &'a str, id: &'a str) -> DocKey<'a> {
    DocKey {
        service: SERVICE,
        kind: "create-account-status",
        account_id: management,
        region: GLOBAL,
        id,
    }
}

fn parse<T: serde::de::DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T, AwsError> {
    serde_json::from_value(v).map_err(|e| AwsError::internal(format!("corrupt {what}: {e}")))
}

fn to_body<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, AwsError> {
    serde_json::to_value(v).map_err(|e| AwsError::internal(format!("cannot store: {e}")))
}

pub(crate) fn membership(
    env: &Env<'_>,
    account: &str,
) -> Result<Option<StoredMembership>, AwsError> {
    env.db
        .document(&member_key(account))?
        .map(|v| parse(v, "membership"))
        .transpose()
}

fn put_membership(env: &Env<'_>, m: &StoredMembership) -> Result<(), AwsError> {
    env.db.put_document(
        &member_key(&m.account.id),
        &to_body(m)?,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

pub(crate) fn load_org(
    env: &Env<'_>,
    management: &str,
    id: &str,
) -> Result<StoredOrganization, AwsError> {
    let v = env
        .db
        .document(&org_key(management, id))?
        .ok_or_else(|| AwsError::internal(format!("membership names missing organization {id}")))?;
    parse(v, "organization")
}

fn save_org(env: &Env<'_>, o: &StoredOrganization) -> Result<(), AwsError> {
    let org = &o.organization;
    env.db.put_document(
        &org_key(&org.master_account_id, &org.id),
        &to_body(o)?,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

/// Members of an organization (management account included), by account id.
pub(crate) fn members(env: &Env<'_>, org_id: &str) -> Result<Vec<StoredMembership>, AwsError> {
    let mut out = Vec::new();
    for d in env.db.documents(SERVICE, "account", None, Some(GLOBAL))? {
        let m: StoredMembership = parse(d.body, "membership")?;
        if m.organization_id == org_id {
            out.push(m);
        }
    }
    Ok(out)
}

/// The caller's role in its organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Management,
    DelegatedAdmin,
    Member,
}

fn caller_org(env: &Env<'_>, ctx: &CallerContext) -> Result<(StoredOrganization, Role), AwsError> {
    let m = membership(env, &ctx.account_id)?.ok_or_else(not_in_use)?;
    let org = load_org(env, &m.management_account_id, &m.organization_id)?;
    let role = if m.management_account_id == ctx.account_id {
        Role::Management
    } else if org
        .delegations
        .iter()
        .any(|d| d.account_id == ctx.account_id)
    {
        Role::DelegatedAdmin
    } else {
        Role::Member
    };
    Ok((org, role))
}

pub(super) fn management_only(
    env: &Env<'_>,
    ctx: &CallerContext,
) -> Result<StoredOrganization, AwsError> {
    match caller_org(env, ctx)? {
        (org, Role::Management) => Ok(org),
        _ => Err(access_denied()),
    }
}

/// Reads allowed to the management account and delegated administrators.
pub(super) fn reader(env: &Env<'_>, ctx: &CallerContext) -> Result<StoredOrganization, AwsError> {
    match caller_org(env, ctx)? {
        (org, Role::Management | Role::DelegatedAdmin) => Ok(org),
        _ => Err(access_denied()),
    }
}

fn lower_token(env: &Env<'_>, kind: &str, len: usize) -> Result<String, AwsError> {
    Ok(next_token(env, kind, len)?.to_ascii_lowercase())
}

fn default_email(account: &str) -> String {
    format!("{account}@example.com")
}

pub(super) fn account_arn(management: &str, org_id: &str, account: &str) -> String {
    format!("arn:aws:organizations::{management}:account/{org_id}/{account}")
}

fn validate_account_id(id: &str) -> Result<(), AwsError> {
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid_input(format!(
            "You specified an invalid value for accountId: {id} (INVALID_PATTERN)."
        )))
    }
}

fn validate_service_principal(sp: &str) -> Result<(), AwsError> {
    let ok = !sp.is_empty()
        && sp.len() <= 128
        && sp
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid_input(format!(
            "You specified an invalid value for servicePrincipal: {sp} (INVALID_PATTERN)."
        )))
    }
}

pub fn create_organization(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateOrganizationRequest,
) -> Result<OrganizationResponse, AwsError> {
    let feature_set = req.feature_set.unwrap_or_else(|| "ALL".to_string());
    if feature_set != "ALL" && feature_set != "CONSOLIDATED_BILLING" {
        return Err(invalid_input(constraint_message(
            &feature_set,
            "featureSet",
            "Member must satisfy enum value set: [ALL, CONSOLIDATED_BILLING]",
        )));
    }
    if membership(env, &ctx.account_id)?.is_some() {
        return Err(client(
            "AlreadyInOrganizationException",
            "The AWS account is already a member of an organization.",
        ));
    }
    let mgmt = ctx.account_id.clone();
    let id = format!("o-{}", lower_token(env, "org", 10)?);
    let root_id = format!("r-{}", lower_token(env, "org-root", 4)?);
    let email = default_email(&mgmt);
    let available = if feature_set == "ALL" {
        vec![PolicyTypeSummary {
            r#type: "SERVICE_CONTROL_POLICY".to_string(),
            status: "ENABLED".to_string(),
        }]
    } else {
        Vec::new()
    };
    let organization = Organization {
        arn: format!("arn:aws:organizations::{mgmt}:organization/{id}"),
        feature_set,
        master_account_arn: account_arn(&mgmt, &id, &mgmt),
        master_account_id: mgmt.clone(),
        master_account_email: email.clone(),
        available_policy_types: available,
        id: id.clone(),
    };
    let root = Root {
        arn: format!("arn:aws:organizations::{mgmt}:root/{id}/{root_id}"),
        id: root_id,
        name: "Root".to_string(),
        policy_types: Vec::new(),
    };
    save_org(
        env,
        &StoredOrganization {
            organization: organization.clone(),
            root,
            trusted_services: Vec::new(),
            delegations: Vec::new(),
        },
    )?;
    let now = clock::to_epoch_seconds(env.now);
    put_membership(
        env,
        &StoredMembership {
            organization_id: id.clone(),
            management_account_id: mgmt.clone(),
            account: Account {
                id: mgmt.clone(),
                arn: account_arn(&mgmt, &id, &mgmt),
                email,
                name: "Management account".to_string(),
                status: "ACTIVE".to_string(),
                state: "ACTIVE".to_string(),
                joined_method: "INVITED".to_string(),
                joined_timestamp: now,
            },
        },
    )?;
    Ok(OrganizationResponse { organization })
}

pub fn describe_organization(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: EmptyResponse,
) -> Result<OrganizationResponse, AwsError> {
    let (org, _) = caller_org(env, ctx)?;
    Ok(OrganizationResponse {
        organization: org.organization,
    })
}

pub fn delete_organization(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: EmptyResponse,
) -> Result<EmptyResponse, AwsError> {
    let org = management_only(env, ctx)?;
    let id = &org.organization.id;
    let ms = members(env, id)?;
    if ms.iter().any(|m| m.account.id != ctx.account_id) {
        return Err(client(
            "OrganizationNotEmptyException",
            "To delete an organization you must first remove all member accounts (except the management account).",
        ));
    }
    env.db.delete_document(&member_key(&ctx.account_id))?;
    env.db.delete_document(&org_key(&ctx.account_id, id))?;
    for d in env.db.documents(
        SERVICE,
        "create-account-status",
        Some(&ctx.account_id),
        Some(GLOBAL),
    )? {
        env.db
            .delete_document(&status_key(&ctx.account_id, &d.id))?;
    }
    Ok(EmptyResponse {})
}

pub fn list_roots(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: EmptyResponse,
) -> Result<ListRootsResponse, AwsError> {
    let org = reader(env, ctx)?;
    Ok(ListRootsResponse {
        roots: vec![org.root],
    })
}

/// A new 12-digit account id, derived from the seed and a counter, unused so far.
fn new_account_id(env: &Env<'_>) -> Result<String, AwsError> {
    let seed = id_seed(env)?;
    loop {
        let n = env.db.next_counter("id.org-account")?;
        let d = Sha256::new()
            .chain_update(format!("{seed}:account:{n}").as_bytes())
            .finalize();
        let mut x: u64 = 0;
        for b in &d[..8] {
            x = (x << 8) | u64::from(*b);
        }
        // The first digit is never 0, like most real account ids.
        let id = format!("{}", 100_000_000_000 + x % 900_000_000_000);
        if membership(env, &id)?.is_none() {
            return Ok(id);
        }
    }
}

/// Creates a member account at once (State SUCCEEDED); a duplicate email gives a FAILED
/// status with `EMAIL_ALREADY_EXISTS`, as AWS reports it (not an error).
pub fn create_account(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateAccountRequest,
) -> Result<CreateAccountStatusResponse, AwsError> {
    let org = management_only(env, ctx)?;
    let email_ok = (6..=64).contains(&req.email.len())
        && req
            .email
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'));
    if !email_ok {
        return Err(invalid_input(format!(
            "You specified an invalid value for email: {} (INVALID_EMAIL_ADDRESS_TARGET).",
            req.email
        )));
    }
    let name_len = req.account_name.chars().count();
    if name_len == 0 || name_len > 50 {
        return Err(invalid_input(format!(
            "You specified an invalid value for accountName: {} (INVALID_INPUT).",
            req.account_name
        )));
    }
    let id = format!("car-{}", next_uuid(env, "org-car")?.replace('-', ""));
    let now = clock::to_epoch_seconds(env.now);
    let org_id = org.organization.id.clone();
    let mgmt = org.organization.master_account_id.clone();
    let taken = members(env, &org_id)?
        .iter()
        .any(|m| m.account.email.eq_ignore_ascii_case(&req.email));
    let status = if taken {
        CreateAccountStatus {
            id: id.clone(),
            account_name: req.account_name,
            state: "FAILED".to_string(),
            requested_timestamp: now,
            completed_timestamp: Some(now),
            account_id: None,
            failure_reason: Some("EMAIL_ALREADY_EXISTS".to_string()),
        }
    } else {
        let account_id = new_account_id(env)?;
        put_membership(
            env,
            &StoredMembership {
                organization_id: org_id.clone(),
                management_account_id: mgmt.clone(),
                account: Account {
                    id: account_id.clone(),
                    arn: account_arn(&mgmt, &org_id, &account_id),
                    email: req.email,
                    name: req.account_name.clone(),
                    status: "ACTIVE".to_string(),
                    state: "ACTIVE".to_string(),
                    joined_method: "CREATED".to_string(),
                    joined_timestamp: now,
                },
            },
        )?;
        for t in req.tags.unwrap_or_default() {
            env.db.put_tag(
                &account_arn(&mgmt, &org_id, &account_id),
                &t.key,
                Some(&t.value),
            )?;
        }
        CreateAccountStatus {
            id: id.clone(),
            account_name: req.account_name,
            state: "SUCCEEDED".to_string(),
            requested_timestamp: now,
            completed_timestamp: Some(now),
            account_id: Some(account_id),
            failure_reason: None,
        }
    };
    env.db.put_document(
        &status_key(&mgmt, &id),
        &to_body(&status)?,
        clock::to_millis(env.now),
    )?;
    Ok(CreateAccountStatusResponse {
        create_account_status: status,
    })
}

pub fn describe_create_account_status(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DescribeCreateAccountStatusRequest,
) -> Result<CreateAccountStatusResponse, AwsError> {
    let org = reader(env, ctx)?;
    let v = env
        .db
        .document(&status_key(&org.organization.master_account_id, &req.create_account_request_id))?
        .ok_or_else(|| {
            client(
                "CreateAccountStatusNotFoundException",
                "We can't find an create account request with the CreateAccountRequestId that you specified.",
            )
        })?;
    Ok(CreateAccountStatusResponse {
        create_account_status: parse(v, "create account status")?,
    })
}

pub(super) fn member_of(
    env: &Env<'_>,
    org: &StoredOrganization,
    account: &str,
) -> Result<StoredMembership, AwsError> {
    validate_account_id(account)?;
    match membership(env, account)? {
        Some(m) if m.organization_id == org.organization.id => Ok(m),
        _ => Err(account_not_found()),
    }
}

pub fn describe_account(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AccountIdRequest,
) -> Result<AccountResponse, AwsError> {
    let org = reader(env, ctx)?;
    Ok(AccountResponse {
        account: member_of(env, &org, &req.account_id)?.account,
    })
}

/// Accounts in the order they joined (the management account first).
pub fn list_accounts(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: EmptyResponse,
) -> Result<ListAccountsResponse, AwsError> {
    let org = reader(env, ctx)?;
    let mut accounts: Vec<Account> = members(env, &org.organization.id)?
        .into_iter()
        .map(|m| m.account)
        .collect();
    let mgmt = org.organization.master_account_id.clone();
    accounts.sort_by(|a, b| {
        (a.id != mgmt, a.joined_timestamp, &a.id)
            .partial_cmp(&(b.id != mgmt, b.joined_timestamp, &b.id))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(ListAccountsResponse { accounts })
}

/// The account is suspended at once (AWS: PENDING_CLOSURE, then SUSPENDED for 90 days).
pub fn close_account(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AccountIdRequest,
) -> Result<EmptyResponse, AwsError> {
    let org = management_only(env, ctx)?;
    let mut m = member_of(env, &org, &req.account_id)?;
    if m.account.id == org.organization.master_account_id {
        return Err(constraint(
            "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
            "You can't close the management account of an organization with CloseAccount.",
        ));
    }
    if m.account.state == "SUSPENDED" || m.account.state == "CLOSED" {
        return Err(client(
            "AccountAlreadyClosedException",
            "You attempted to close an account that is already closed.",
        ));
    }
    m.account.status = "SUSPENDED".to_string();
    m.account.state = "SUSPENDED".to_string();
    put_membership(env, &m)?;
    Ok(EmptyResponse {})
}

pub fn remove_account_from_organization(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AccountIdRequest,
) -> Result<EmptyResponse, AwsError> {
    let mut org = management_only(env, ctx)?;
    let m = member_of(env, &org, &req.account_id)?;
    if m.account.id == org.organization.master_account_id {
        return Err(client(
            "MasterCannotLeaveOrganizationException",
            "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.",
        ));
    }
    env.db.delete_document(&member_key(&m.account.id))?;
    org.delegations.retain(|d| d.account_id != m.account.id);
    save_org(env, &org)?;
    Ok(EmptyResponse {})
}

pub fn enable_aws_service_access(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ServicePrincipalRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_service_principal(&req.service_principal)?;
    let mut org = management_only(env, ctx)?;
    if org.organization.feature_set != "ALL" {
        return Err(constraint(
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
            "Trusted access requires an organization with all features enabled.",
        ));
    }
    if !org
        .trusted_services
        .iter()
        .any(|s| s.service_principal == req.service_principal)
    {
        org.trusted_services.push(EnabledServicePrincipal {
            service_principal: req.service_principal,
            date_enabled: clock::to_epoch_seconds(env.now),
        });
        save_org(env, &org)?;
    }
    Ok(EmptyResponse {})
}

pub fn disable_aws_service_access(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ServicePrincipalRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_service_principal(&req.service_principal)?;
    let mut org = management_only(env, ctx)?;
    org.trusted_services
        .retain(|s| s.service_principal != req.service_principal);
    save_org(env, &org)?;
    Ok(EmptyResponse {})
}

pub fn list_aws_service_access_for_organization(
    env: &Env<'_>,
    ctx: &CallerContext,
    _req: EmptyResponse,
) -> Result<ListAwsServiceAccessResponse, AwsError> {
    let org = reader(env, ctx)?;
    Ok(ListAwsServiceAccessResponse {
        enabled_service_principals: org.trusted_services,
    })
}

pub fn register_delegated_administrator(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DelegatedAdministratorRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_service_principal(&req.service_principal)?;
    let mut org = management_only(env, ctx)?;
    let m = member_of(env, &org, &req.account_id)?;
    if m.account.id == org.organization.master_account_id {
        return Err(constraint(
            "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            "You cannot register the management account of the organization as a delegated administrator for an AWS service.",
        ));
    }
    if org
        .delegations
        .iter()
        .any(|d| d.account_id == req.account_id && d.service_principal == req.service_principal)
    {
        return Err(client(
            "AccountAlreadyRegisteredException",
            "The provided account is already a delegated administrator for your organization.",
        ));
    }
    org.delegations.push(Delegation {
        account_id: req.account_id,
        service_principal: req.service_principal,
        delegation_enabled_date: clock::to_epoch_seconds(env.now),
    });
    save_org(env, &org)?;
    Ok(EmptyResponse {})
}

pub fn deregister_delegated_administrator(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DelegatedAdministratorRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_service_principal(&req.service_principal)?;
    let mut org = management_only(env, ctx)?;
    member_of(env, &org, &req.account_id)?;
    let before = org.delegations.len();
    org.delegations.retain(|d| {
        !(d.account_id == req.account_id && d.service_principal == req.service_principal)
    });
    if org.delegations.len() == before {
        return Err(client(
            "AccountNotRegisteredException",
            "The provided account is not a registered delegated administrator for your organization.",
        ));
    }
    save_org(env, &org)?;
    Ok(EmptyResponse {})
}

/// One entry per account (its earliest delegation date), optionally for one service.
pub fn list_delegated_administrators(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListDelegatedAdministratorsRequest,
) -> Result<ListDelegatedAdministratorsResponse, AwsError> {
    let org = reader(env, ctx)?;
    let mut out: Vec<DelegatedAdministrator> = Vec::new();
    for d in &org.delegations {
        if req
            .service_principal
            .as_deref()
            .is_some_and(|sp| sp != d.service_principal)
        {
            continue;
        }
        if let Some(existing) = out.iter_mut().find(|a| a.id == d.account_id) {
            existing.delegation_enabled_date = existing
                .delegation_enabled_date
                .min(d.delegation_enabled_date);
            continue;
        }
        let Some(m) = membership(env, &d.account_id)? else {
            continue;
        };
        let a = m.account;
        out.push(DelegatedAdministrator {
            id: a.id,
            arn: a.arn,
            email: a.email,
            name: a.name,
            status: a.status,
            state: a.state,
            joined_method: a.joined_method,
            joined_timestamp: a.joined_timestamp,
            delegation_enabled_date: d.delegation_enabled_date,
        });
    }
    Ok(ListDelegatedAdministratorsResponse {
        delegated_administrators: out,
    })
}

pub fn list_delegated_services_for_account(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: AccountIdRequest,
) -> Result<ListDelegatedServicesResponse, AwsError> {
    let org = reader(env, ctx)?;
    member_of(env, &org, &req.account_id)?;
    let delegated_services: Vec<DelegatedService> = org
        .delegations
        .iter()
        .filter(|d| d.account_id == req.account_id)
        .map(|d| DelegatedService {
            service_principal: d.service_principal.clone(),
            delegation_enabled_date: d.delegation_enabled_date,
        })
        .collect();
    if delegated_services.is_empty() {
        return Err(client(
            "AccountNotRegisteredException",
            "The provided account is not a registered delegated administrator for your organization.",
        ));
    }
    Ok(ListDelegatedServicesResponse { delegated_services })
}

fn policy_type_root(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: &PolicyTypeRequest,
) -> Result<StoredOrganization, AwsError> {
    if !POLICY_TYPES.contains(&req.policy_type.as_str()) {
        return Err(invalid_input(format!(
            "You specified an invalid value for policyType: {} (INVALID_ENUM).",
            req.policy_type
        )));
    }
    let org = management_only(env, ctx)?;
    if org.root.id != req.root_id {
        return Err(client(
            "RootNotFoundException",
            "We can't find a root with the RootId that you specified.",
        ));
    }
    if org.organization.feature_set != "ALL" {
        return Err(client(
            "PolicyTypeNotAvailableForOrganizationException",
            "You can't use the specified policy type with the feature set currently enabled for this organization.",
        ));
    }
    Ok(org)
}

pub fn enable_policy_type(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyTypeRequest,
) -> Result<RootResponse, AwsError> {
    let mut org = policy_type_root(env, ctx, &req)?;
    if org
        .root
        .policy_types
        .iter()
        .any(|p| p.r#type == req.policy_type)
    {
        return Err(client(
            "PolicyTypeAlreadyEnabledException",
            "The specified policy type is already enabled.",
        ));
    }
    org.root.policy_types.push(PolicyTypeSummary {
        r#type: req.policy_type,
        status: "ENABLED".to_string(),
    });
    save_org(env, &org)?;
    Ok(RootResponse { root: org.root })
}

pub fn disable_policy_type(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: PolicyTypeRequest,
) -> Result<RootResponse, AwsError> {
    let mut org = policy_type_root(env, ctx, &req)?;
    let before = org.root.policy_types.len();
    org.root
        .policy_types
        .retain(|p| p.r#type != req.policy_type);
    if org.root.policy_types.len() == before {
        return Err(client(
            "PolicyTypeNotEnabledException",
            "This operation can be performed only for enabled policy types.",
        ));
    }
    save_org(env, &org)?;
    Ok(RootResponse { root: org.root })
}
