//! `azurerm_log_analytics_workspace.main`.

use super::common::{int, resource, resource_group_name, with_tags};
use crate::stack::{LogAnalyticsWorkspace, Stack};
use crate::terraform::Block;

pub(super) fn block(stack: &Stack, w: &LogAnalyticsWorkspace) -> Block {
    let t = "azurerm_log_analytics_workspace";
    let b = resource(t, "main")
        .attr("name", w.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("sku", "PerGB2018")
        // O+C: only when the stack sets it.
        .attr_opt("retention_in_days", w.retention_in_days.map(int));
    with_tags(b, stack, t)
}
