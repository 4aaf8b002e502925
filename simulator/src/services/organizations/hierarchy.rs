//! ListParents and MoveAccount. The simulated organization has a single root and no
//! organizational units, so every account's parent is the root.

use super::model::*;
use super::org::{client, invalid_input, management_only, member_of, membership, reader};
use crate::context::CallerContext;
use crate::error::AwsError;
use crate::services::Env;

fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// `ou-` ids (`ou-` + 4 to 32 root chars + `-` + 8 to 32 chars), as the model's pattern.
fn is_ou_id(id: &str) -> bool {
    id.strip_prefix("ou-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(a, b)| {
            (4..=32).contains(&a.len())
                && (8..=32).contains(&b.len())
                && a.bytes()
                    .chain(b.bytes())
                    .all(|c| c.is_ascii_alphanumeric())
        })
}

fn is_root_id(id: &str) -> bool {
    id.strip_prefix("r-").is_some_and(|r| {
        (4..=32).contains(&r.len()) && r.bytes().all(|c| c.is_ascii_alphanumeric())
    })
}

/// The parent of an account (the root); OUs do not exist here, so an OU child is not found.
pub fn list_parents(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: ListParentsRequest,
) -> Result<ListParentsResponse, AwsError> {
    if !is_account_id(&req.child_id) && !is_ou_id(&req.child_id) {
        return Err(invalid_input(format!(
            "You specified an invalid value for childId: {} (INVALID_PATTERN).",
            req.child_id
        )));
    }
    let org = reader(env, ctx)?;
    let in_org = is_account_id(&req.child_id)
        && membership(env, &req.child_id)?
            .is_some_and(|m| m.organization_id == org.organization.id);
    if !in_org {
        return Err(client(
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        ));
    }
    Ok(ListParentsResponse {
        parents: vec![Parent {
            id: org.root.id,
            r#type: "ROOT".to_string(),
        }],
    })
}

/// Moves an account between parents; with only the root there is nowhere else to go.
pub fn move_account(
    env: &Env<'_>,
    ctx: &CallerContext,
    req: MoveAccountRequest,
) -> Result<EmptyResponse, AwsError> {
    for (id, member) in [
        (&req.source_parent_id, "sourceParentId"),
        (&req.destination_parent_id, "destinationParentId"),
    ] {
        if !is_root_id(id) && !is_ou_id(id) {
            return Err(invalid_input(format!(
                "You specified an invalid value for {member}: {id} (INVALID_PATTERN)."
            )));
        }
    }
    let org = management_only(env, ctx)?;
    member_of(env, &org, &req.account_id)?;
    if req.source_parent_id != org.root.id {
        return Err(client(
            "SourceParentNotFoundException",
            "We can't find a source root or OU with the ParentId that you specified.",
        ));
    }
    if req.destination_parent_id != org.root.id {
        return Err(client(
            "DestinationParentNotFoundException",
            "We can't find the destination container (a root or OU) with the ParentId that you specified.",
        ));
    }
    Err(client(
        "DuplicateAccountException",
        "That account is already present in the specified destination.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_patterns_follow_the_model() {
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901a"));
        assert!(is_root_id("r-ab12"));
        assert!(!is_root_id("r-a"));
        assert!(is_ou_id("ou-ab12-abcdefgh"));
        assert!(!is_ou_id("ou-ab12"));
    }
}
