//! `azurerm_container_app_environment.main`: sends its logs to the workspace; with `[network]`, runs in the
//! stack's subnet as a workload-profiles environment.

use super::common::{resource, resource_group_name, with_tags, workspace_id};
use crate::stack::{ContainerAppEnvironment, Stack};
use crate::terraform::{Block, Expression};

pub(super) fn block(stack: &Stack, environment: &ContainerAppEnvironment) -> Block {
    let t = "azurerm_container_app_environment";
    let mut b = resource(t, "main")
        .attr("name", environment.name.as_str())
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr("log_analytics_workspace_id", workspace_id(stack));
    if stack.network.is_some() {
        // In the stack's virtual network: a workload-profiles environment (a /27 subnet is enough, where a
        // Consumption-only one needs a /23) whose apps run on the serverless Consumption profile. Changing
        // infrastructure_subnet_id forces a new environment (provider-notes.json), and with it a new app.
        b = b.attr(
            "infrastructure_subnet_id",
            super::network::subnet_id(stack, "environment"),
        );
    }
    if super::internal_load_balancer::enabled(stack) {
        // No public endpoint: the apps are reached from the virtual network (internal_load_balancer.rs renders
        // the private DNS zone that makes their names resolve there). RequiredWith infrastructure_subnet_id in
        // the provider; forces a new environment (provider-notes.json).
        b = b.attr("internal_load_balancer_enabled", true);
    }
    b = with_tags(b, stack, t);
    let readers = super::custom_domain::environment_identities(stack);
    if !readers.is_empty() {
        // The identities it reads custom domains' certificates from Key Vault with (custom_domain.rs).
        b = b.block(
            Block::new("identity")
                .attr("type", "UserAssigned")
                .attr("identity_ids", Expression::Array(readers)),
        );
    }
    if stack.network.is_some() {
        b = b.block(
            Block::new("workload_profile")
                .attr("name", super::network::CONSUMPTION)
                .attr("workload_profile_type", super::network::CONSUMPTION),
        );
    }
    let after = super::network::other_updates_of_environment_subnet(stack);
    b.attr_opt("depends_on", (!after.is_empty()).then_some(Expression::Array(after)))
}
