//! Request context and policy evaluation: an explicit Deny wins, then an Allow, else the
//! request is implicitly denied.

use std::collections::BTreeMap;
use std::fmt;

use super::condition::condition_holds;
use super::matching::{action_matches, arn_matches, compile};
use super::model::{
    ActionElement, Effect, Policy, PrincipalElement, PrincipalId, Principals, ResourceElement,
    Statement, is_account_id,
};

/// Request context keys, looked up case-insensitively, each with one or many values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    keys: BTreeMap<String, Vec<String>>,
}

impl Context {
    /// Adds one value to `key` (a key given twice becomes multivalued).
    pub fn insert(&mut self, key: &str, value: impl Into<String>) {
        self.keys
            .entry(key.to_ascii_lowercase())
            .or_default()
            .push(value.into());
    }

    /// Sets `key` to exactly `values` (an empty list is treated like an absent key).
    pub fn set_many(&mut self, key: &str, values: impl IntoIterator<Item = impl Into<String>>) {
        self.keys.insert(
            key.to_ascii_lowercase(),
            values.into_iter().map(Into::into).collect(),
        );
    }

    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.keys.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPrincipal {
    /// An IAM identity by ARN: account root (`arn:aws:iam::123456789012:root`), user, role
    /// or assumed-role session (`arn:aws:sts::123456789012:assumed-role/Role/session`).
    Aws(String),
    /// A service principal such as `cloudtrail.amazonaws.com`.
    Service(String),
    Federated(String),
    CanonicalUser(String),
    Anonymous,
}

impl RequestPrincipal {
    /// The root principal of an account.
    pub fn account_root(account_id: &str) -> Self {
        RequestPrincipal::Aws(format!("arn:aws:iam::{account_id}:root"))
    }

    pub fn service(name: &str) -> Self {
        RequestPrincipal::Service(name.to_string())
    }

    /// The account an IAM principal belongs to (the ARN's account field).
    pub fn account_id(&self) -> Option<&str> {
        match self {
            RequestPrincipal::Aws(arn) => arn.split(':').nth(4).filter(|a| !a.is_empty()),
            _ => None,
        }
    }
}

impl fmt::Display for RequestPrincipal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestPrincipal::Aws(s)
            | RequestPrincipal::Service(s)
            | RequestPrincipal::Federated(s)
            | RequestPrincipal::CanonicalUser(s) => f.write_str(s),
            RequestPrincipal::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// One request to authorize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub principal: RequestPrincipal,
    /// `service:Action`, e.g. `s3:PutObject`.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    pub context: Context,
}

impl Request {
    pub fn new(
        principal: RequestPrincipal,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Self {
        Request {
            principal,
            action: action.into(),
            resource: resource.into(),
            context: Context::default(),
        }
    }

    /// Builder form of [`Context::insert`].
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.context.insert(key, value);
        self
    }

    /// Builder form of [`Context::set_many`].
    pub fn with_many(
        mut self,
        key: &str,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.context.set_many(key, values);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// Which statement decided: its position (policy in the list, statement in the policy)
/// and Sid, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub policy_index: usize,
    pub statement_index: usize,
    pub sid: Option<String>,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sid.as_deref().filter(|s| !s.is_empty()) {
            Some(sid) => write!(f, "statement \"{sid}\""),
            None => write!(f, "statement #{}", self.statement_index + 1),
        }
    }
}

/// The outcome of an evaluation. `statement` is the denying statement for `ExplicitDeny`,
/// the first allowing one for `Allow`, and `None` for `ImplicitDeny`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub statement: Option<StatementRef>,
}

impl Evaluation {
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }
}

/// Evaluates a resource-based policy (bucket, topic, key policy, role trust policy): the
/// statement's Principal / NotPrincipal must match the request's principal.
pub fn evaluate_resource_policy(policy: &Policy, request: &Request) -> Evaluation {
    evaluate(std::slice::from_ref(policy), request, true)
}

/// Evaluates the identity-based policies attached to one principal together (e.g. a role's
/// permission policies); they have no Principal element, so the principal is not matched.
pub fn evaluate_identity_policies(policies: &[Policy], request: &Request) -> Evaluation {
    evaluate(policies, request, false)
}

fn evaluate(policies: &[Policy], request: &Request, match_principal: bool) -> Evaluation {
    let mut allow: Option<StatementRef> = None;
    for (policy_index, policy) in policies.iter().enumerate() {
        let vars = policy.uses_variables().then_some(&request.context);
        for (statement_index, statement) in policy.statements.iter().enumerate() {
            if !statement_applies(statement, request, match_principal, vars) {
                continue;
            }
            let at = StatementRef {
                policy_index,
                statement_index,
                sid: statement.sid.clone(),
            };
            match statement.effect {
                Effect::Deny => {
                    return Evaluation {
                        decision: Decision::ExplicitDeny,
                        statement: Some(at),
                    };
                }
                Effect::Allow => {
                    allow.get_or_insert(at);
                }
            }
        }
    }
    match allow {
        Some(at) => Evaluation {
            decision: Decision::Allow,
            statement: Some(at),
        },
        None => Evaluation {
            decision: Decision::ImplicitDeny,
            statement: None,
        },
    }
}

fn statement_applies(
    statement: &Statement,
    request: &Request,
    match_principal: bool,
    vars: Option<&Context>,
) -> bool {
    if match_principal {
        let ok = match &statement.principal {
            Some(PrincipalElement::Principal(p)) => principals_match(p, &request.principal),
            Some(PrincipalElement::NotPrincipal(p)) => !principals_match(p, &request.principal),
            // A resource policy statement without a principal grants nobody.
            None => false,
        };
        if !ok {
            return false;
        }
    }
    let action_ok = match &statement.action {
        ActionElement::Action(list) => list.iter().any(|a| action_matches(a, &request.action)),
        ActionElement::NotAction(list) => !list.iter().any(|a| action_matches(a, &request.action)),
    };
    if !action_ok {
        return false;
    }
    let resource_matches = |pattern: &String| {
        compile(pattern, vars).is_some_and(|p| arn_matches(&p, &request.resource))
    };
    let resource_ok = match &statement.resource {
        // Trust policies have no Resource: the statement is about the role itself.
        None => true,
        Some(ResourceElement::Resource(list)) => list.iter().any(resource_matches),
        Some(ResourceElement::NotResource(list)) => !list.iter().any(resource_matches),
    };
    resource_ok
        && statement
            .conditions
            .iter()
            .all(|c| condition_holds(c, &request.context, vars))
}

fn principals_match(principals: &Principals, who: &RequestPrincipal) -> bool {
    match principals {
        Principals::Any => true,
        Principals::Ids(ids) => ids.iter().any(|id| principal_id_matches(id, who)),
    }
}

fn principal_id_matches(id: &PrincipalId, who: &RequestPrincipal) -> bool {
    match (id, who) {
        // {"AWS": "*"} is documented as equivalent to "Principal": "*".
        (PrincipalId::Aws(p), _) if p == "*" => true,
        (PrincipalId::Aws(p), RequestPrincipal::Aws(arn)) => aws_principal_matches(p, arn, who),
        (PrincipalId::Service(p), RequestPrincipal::Service(s)) => p.eq_ignore_ascii_case(s),
        (PrincipalId::Federated(p), RequestPrincipal::Federated(s)) => p == s,
        (PrincipalId::CanonicalUser(p), RequestPrincipal::CanonicalUser(s)) => p == s,
        _ => false,
    }
}

/// An account id or account root ARN stands for every IAM principal of that account; any
/// other ARN must be the caller's, except that a role ARN also covers its sessions.
fn aws_principal_matches(policy: &str, caller_arn: &str, who: &RequestPrincipal) -> bool {
    let caller_account = who.account_id();
    if is_account_id(policy) {
        return caller_account == Some(policy);
    }
    let parts: Vec<&str> = policy.splitn(6, ':').collect();
    if parts.len() == 6 && parts[2] == "iam" && parts[5] == "root" {
        return caller_account == Some(parts[4]);
    }
    if policy == caller_arn {
        return true;
    }
    // arn:aws:sts::A:assumed-role/Role/session is covered by arn:aws:iam::A:role/[path/]Role.
    let caller: Vec<&str> = caller_arn.splitn(6, ':').collect();
    if parts.len() != 6 || caller.len() != 6 || parts[2] != "iam" || caller[2] != "sts" {
        return false;
    }
    match (
        parts[5].strip_prefix("role/"),
        caller[5].strip_prefix("assumed-role/"),
    ) {
        (Some(role_path), Some(session)) => {
            let role_name = role_path.rsplit('/').next().unwrap_or(role_path);
            let session_role = session.split('/').next().unwrap_or(session);
            parts[1] == caller[1] && parts[4] == caller[4] && role_name == session_role
        }
        _ => false,
    }
}
