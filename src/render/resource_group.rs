//! `azurerm_resource_group.main`.

use super::common::{resource, with_tags};
use crate::stack::Stack;
use crate::terraform::Block;

pub(super) fn block(stack: &Stack) -> Block {
    let t = "azurerm_resource_group";
    let b = resource(t, "main")
        .attr("name", stack.resource_group.name.as_str())
        .attr("location", stack.location.as_str());
    with_tags(b, stack, t)
}
