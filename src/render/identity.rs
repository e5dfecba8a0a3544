//! `azurerm_user_assigned_identity.app` (the stack's) and `azurerm_user_assigned_identity.<key>` (an app's or
//! job's own): each exists before what pulls with it, so its AcrPull grant can too (NOTES.md §14).

use super::common::{resource, resource_group_name, with_tags};
use crate::stack::{Stack, UserAssignedIdentity};
use crate::terraform::Block;

/// The identity `identity` as `azurerm_user_assigned_identity.<label>`.
pub(super) fn block(stack: &Stack, label: &str, identity: &UserAssignedIdentity) -> Block {
    let t = "azurerm_user_assigned_identity";
    let b = resource(t, label)
        .attr("name", identity.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name());
    with_tags(b, stack, t)
}
