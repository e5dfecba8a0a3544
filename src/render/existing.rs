//! `[existing]`: the data sources that read what the stack refers to instead of creating (azurerm 4.79.0; each
//! takes `name` and `resource_group_name`: `src/azurerm/data/data-sources/<type>.json`). A reference by `id` needs
//! no data source: the ID is written where it is used (`common::environment_id`, `common::workspace_id`,
//! `network::virtual_network`). A registry in another subscription is read through the aliased provider
//! [`REGISTRY_PROVIDER`] (`files::providers`).

use super::common::{data, r};
use crate::stack::{ExistingResource, Stack, SHARED};
use crate::terraform::Block;

/// The alias of the provider block that reads `[existing.container_registry]` in its `subscription_id`.
pub(super) const REGISTRY_PROVIDER: &str = "registry";

/// The subscription of `[existing.container_registry]`, when it is not the provider's.
pub(super) fn registry_subscription(stack: &Stack) -> Option<&str> {
    let registry = stack.existing.container_registry.as_ref()?;
    registry.subscription_id.as_ref().map(|s| s.as_str())
}

/// The data sources of the stack's references, in the order their resources would be created.
pub(super) fn blocks(stack: &Stack) -> Vec<Block> {
    let e = &stack.existing;
    let by_name = |data_type: &str, label: &str, reference: Option<&ExistingResource>| {
        let reference = reference.filter(|x| x.id.is_none())?;
        // A data source reads in its provider's subscription: one in another goes through the aliased provider.
        let provider = reference
            .subscription_id
            .as_ref()
            .map(|_| r(&format!("azurerm.{REGISTRY_PROVIDER}")));
        Some(
            data(data_type, label)
                .attr_opt("provider", provider)
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
        by_name("azurerm_virtual_network", "main", e.virtual_network.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect()
}
