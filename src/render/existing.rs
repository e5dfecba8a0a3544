//! `[existing]`: the data sources that read what the stack refers to instead of creating (azurerm 4.79.0; each
//! takes `name` and `resource_group_name`: `src/azurerm/data/data-sources/<type>.json`). A reference by `id` needs
//! no data source: the ID is written where it is used (`common::environment_id`, `common::workspace_id`).

use super::common::data;
use crate::stack::{ExistingResource, Stack, SHARED};
use crate::terraform::Block;

/// The data sources of the stack's references, in the order their resources would be created.
pub(super) fn blocks(stack: &Stack) -> Vec<Block> {
    let e = &stack.existing;
    let by_name = |data_type: &str, label: &str, reference: Option<&ExistingResource>| {
        let reference = reference.filter(|x| x.id.is_none())?;
        Some(
            data(data_type, label)
                .attr("name", reference.name().unwrap_or_default())
                .attr(
                    "resource_group_name",
                    reference.resource_group_name.as_ref().map_or("", |g| g.as_str()),
                ),
        )
    };
    let identity = e.identity.as_ref().map(|i| {
        data("azurerm_user_assigned_identity", SHARED)
            .attr("name", i.name.as_str())
            .attr("resource_group_name", i.resource_group_name.as_str())
    });
    [
        by_name("azurerm_log_analytics_workspace", "main", e.log_analytics.as_ref()),
        by_name("azurerm_container_registry", "main", e.container_registry.as_ref()),
        identity,
        by_name("azurerm_container_app_environment", "main", e.environment.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect()
}
