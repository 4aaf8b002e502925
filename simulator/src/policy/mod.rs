//! A small IAM policy engine: parses policy documents (identity, resource and trust
//! policies) and evaluates requests against them the way AWS does, so services can validate
//! what they store and CloudTrail can check, at CreateTrail / UpdateTrail time, that the
//! bucket, key, topic and role it is given grant what it needs.
//!
//! - [`Policy::parse`] / [`Policy::parse_as`]: JSON in, typed model out, [`PolicyError`] for
//!   malformed documents (the services map it to their `MalformedPolicy*` errors).
//! - [`evaluate_resource_policy`] / [`evaluate_identity_policies`]: explicit Deny, then
//!   Allow, else implicit deny, with the deciding statement.
//! - [`cloudtrail`]: the checks CloudTrail makes on its destinations.
//!
//! Not modelled: permission boundaries, SCPs, session policies, ACLs; cross-account rules
//! (a resource policy alone decides here). Policy variables (`${aws:username}`,
//! `${key, 'default'}`, `${*}`) are substituted from the request context in Version
//! 2012-10-17 documents and taken literally otherwise.

pub mod cloudtrail;
mod condition;
pub mod eval;
mod matching;
pub mod model;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

pub use cloudtrail::{
    CLOUDTRAIL_SERVICE_PRINCIPAL, GrantTarget, MissingGrant, bucket_policy_allows_cloudtrail,
    cloudtrail_log_stream_arn, cloudtrail_object_arn, documented_bucket_policy,
    key_policy_allows_cloudtrail, role_can_write_log_group, role_trusts_cloudtrail,
    topic_policy_allows_cloudtrail,
};
pub use eval::{
    Context, Decision, Evaluation, Request, RequestPrincipal, StatementRef,
    evaluate_identity_policies, evaluate_resource_policy,
};
pub use model::{
    ActionElement, Condition, ConditionOp, Effect, Policy, PolicyError, PolicyKind,
    PrincipalElement, PrincipalId, Principals, ResourceElement, SetQualifier, Statement,
};
