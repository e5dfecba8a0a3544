//! `azurerm_container_app_environment.main`: sends its logs to the workspace.

use super::common::{r, resource, resource_group_name, with_tags};
use crate::stack::Stack;
use crate::terraform::Block;

pub fn block(stack: &Stack) -> Block {
    let t = "azurerm_container_app_environment";
    let b = resource(t, "main")
        .attr("name", stack.environment.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr(
            "log_analytics_workspace_id",
            r("azurerm_log_analytics_workspace.main.id"),
        );
    with_tags(b, stack, t)
}
