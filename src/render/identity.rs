//! `azurerm_user_assigned_identity.app`: exists before the app, so its AcrPull grant can too (NOTES.md §14).

use super::common::{resource, resource_group_name, with_tags};
use crate::stack::Stack;
use crate::terraform::Block;

pub(super) fn block(stack: &Stack) -> Block {
    let t = "azurerm_user_assigned_identity";
    let b = resource(t, "app")
        .attr("name", stack.identity.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name());
    with_tags(b, stack, t)
}
