//! GetCallerIdentity: who the caller is, from the caller context.

use super::model::*;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// `UserId` is the principal id (`AIDA…` for users, `AROA…:session` for role sessions,
/// the account id for the root user).
pub fn get_caller_identity(
    _env: &Env<'_>,
    ctx: &CallerContext,
    _req: GetCallerIdentityRequest,
) -> Result<GetCallerIdentityResponse, AwsError> {
    let p = &ctx.principal;
    let user_id = if p.identity_type == "Root" || p.principal_id.is_empty() {
        ctx.account_id.clone()
    } else {
        p.principal_id.clone()
    };
    Ok(GetCallerIdentityResponse {
        user_id,
        account: ctx.account_id.clone(),
        arn: p.arn.clone(),
    })
}
