//! Aliases: friendly names (`alias/x`) pointing at a key of the same account and region.

use serde_json::Value;

use super::SERVICE;
use super::keys::{alias_key, caller_key};
use super::model::*;
use super::refs::{alias_arn, validate_alias_name};
use crate::clock;
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

/// The alias's target must be a key id or key ARN, not another alias.
fn target_key(env: &Env<'_>, ctx: &CallerContext, target: &str) -> Result<String, AwsError> {
    if target.starts_with("alias/") || target.contains(":alias/") {
        return Err(AwsError::client(
            "ValidationException",
            "Aliases must refer to keys. Not aliases",
        ));
    }
    let key = caller_key(env, ctx, target, false)?;
    Ok(key.key_metadata.key_id)
}

fn load_alias(env: &Env<'_>, ctx: &CallerContext, name: &str) -> Result<AliasListEntry, AwsError> {
    let v = env
        .db
        .document(&alias_key(&ctx.account_id, &ctx.region, name))?
        .ok_or_else(|| {
            AwsError::client(
                "NotFoundException",
                format!(
                    "Alias {} is not found.",
                    alias_arn(&ctx.region, &ctx.account_id, name)
                ),
            )
        })?;
    serde_json::from_value(v).map_err(|e| AwsError::internal(format!("corrupt alias {name}: {e}")))
}

fn save_alias(env: &Env<'_>, ctx: &CallerContext, a: &AliasListEntry) -> Result<(), AwsError> {
    let body = serde_json::to_value(a)
        .map_err(|e| AwsError::internal(format!("cannot store alias: {e}")))?;
    env.db.put_document(
        &alias_key(&ctx.account_id, &ctx.region, &a.alias_name),
        &body,
        clock::to_millis(env.now),
    )?;
    Ok(())
}

pub fn create_alias(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: CreateAliasRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_alias_name(&req.alias_name)?;
    let arn = alias_arn(&ctx.region, &ctx.account_id, &req.alias_name);
    if env
        .db
        .document(&alias_key(&ctx.account_id, &ctx.region, &req.alias_name))?
        .is_some()
    {
        return Err(AwsError::client(
            "AlreadyExistsException",
            format!("An alias with the name {arn} already exists"),
        ));
    }
    let key_id = target_key(env, ctx, &req.target_key_id)?;
    let now = clock::to_epoch_seconds(env.now);
    save_alias(
        env,
        ctx,
        &AliasListEntry {
            alias_name: req.alias_name,
            alias_arn: arn,
            target_key_id: Some(key_id),
            creation_date: Some(now),
            last_updated_date: Some(now),
        },
    )?;
    Ok(EmptyResponse {})
}

pub fn update_alias(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: UpdateAliasRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_alias_name(&req.alias_name)?;
    let mut alias = load_alias(env, ctx, &req.alias_name)?;
    alias.target_key_id = Some(target_key(env, ctx, &req.target_key_id)?);
    alias.last_updated_date = Some(clock::to_epoch_seconds(env.now));
    save_alias(env, ctx, &alias)?;
    Ok(EmptyResponse {})
}

pub fn delete_alias(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: DeleteAliasRequest,
) -> Result<EmptyResponse, AwsError> {
    validate_alias_name(&req.alias_name)?;
    load_alias(env, ctx, &req.alias_name)?;
    env.db
        .delete_document(&alias_key(&ctx.account_id, &ctx.region, &req.alias_name))?;
    Ok(EmptyResponse {})
}

/// Aliases of the caller's account and region, by name; `KeyId` limits them to one key.
pub fn list_aliases(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListAliasesRequest,
) -> Result<ListAliasesResponse, AwsError> {
    let only = match &req.key_id {
        Some(k) => Some(caller_key(env, ctx, k, false)?.key_metadata.key_id),
        None => None,
    };
    let mut aliases = Vec::new();
    for d in env
        .db
        .documents(SERVICE, "alias", Some(&ctx.account_id), Some(&ctx.region))?
    {
        let target = d.body.get("TargetKeyId").and_then(Value::as_str);
        if only.as_deref().is_some_and(|k| Some(k) != target) {
            continue;
        }
        // An alias whose key was deleted meanwhile disappears with it.
        let Some(t) = target else { continue };
        if super::keys::load_key_by_id(env, &ctx.account_id, &ctx.region, t)?.is_none() {
            continue;
        }
        aliases.push(
            serde_json::from_value(d.body)
                .map_err(|e| AwsError::internal(format!("corrupt alias {}: {e}", d.id)))?,
        );
    }
    Ok(ListAliasesResponse {
        aliases,
        truncated: false,
    })
}
