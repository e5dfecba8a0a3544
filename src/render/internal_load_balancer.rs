//! `[network] internal_load_balancer = true`: the environment has no public endpoint, so its apps' names must
//! resolve inside the virtual network. Microsoft Learn, "Provide a virtual network to an internal Azure Container
//! Apps environment" (private DNS): a private DNS zone named after the environment's default domain, a wildcard
//! `*` A record pointing at the environment's static IP (its internal load balancer), and a link from the zone to
//! the virtual network. The environment itself gets `internal_load_balancer_enabled = true` (environment.rs).
//!
//! Both the zone's name and the record's address are known only after the environment exists, so they are
//! references (`default_domain`, `static_ip_address`): Terraform orders the three after the environment.

use super::common::{int, r, resource, resource_group_name, with_tags};
use crate::stack::Stack;
use crate::terraform::{Block, Expression};

/// The Terraform name of the zone, its link and its record.
pub(super) const LABEL: &str = "environment";

/// Time to live of the wildcard record, in seconds (the static IP changes only when the environment is replaced,
/// which replaces the record too).
pub(super) const RECORD_TTL: u32 = 300;

/// Whether the stack asks for an internal load balancer.
pub(super) fn enabled(stack: &Stack) -> bool {
    stack.network.as_ref().is_some_and(|n| n.internal_load_balancer)
}

/// The zone, its virtual network link and the wildcard A record (empty without an internal load balancer).
pub(super) fn blocks(stack: &Stack) -> Vec<Block> {
    if !enabled(stack) {
        return Vec::new();
    }
    let zone = with_tags(
        resource("azurerm_private_dns_zone", LABEL)
            .attr("name", r("azurerm_container_app_environment.main.default_domain"))
            .attr("resource_group_name", resource_group_name()),
        stack,
        "azurerm_private_dns_zone",
    );
    let link = with_tags(
        resource("azurerm_private_dns_zone_virtual_network_link", LABEL)
            .attr("name", format!("{LABEL}-link"))
            .attr("resource_group_name", resource_group_name())
            .attr(
                "private_dns_zone_name",
                r(&format!("azurerm_private_dns_zone.{LABEL}.name")),
            )
            .attr("virtual_network_id", super::network::virtual_network(stack, "id"))
            .attr("registration_enabled", false),
        stack,
        "azurerm_private_dns_zone_virtual_network_link",
    );
    // `name` must be lower case (the provider's validate.LowerCasedString); `*` matches every app's name.
    let record = with_tags(
        resource("azurerm_private_dns_a_record", "environment_wildcard")
            .attr("name", "*")
            .attr("zone_name", r(&format!("azurerm_private_dns_zone.{LABEL}.name")))
            .attr("resource_group_name", resource_group_name())
            .attr("ttl", int(RECORD_TTL))
            .attr(
                "records",
                Expression::Array(vec![r("azurerm_container_app_environment.main.static_ip_address")]),
            ),
        stack,
        "azurerm_private_dns_a_record",
    );
    vec![zone, link, record]
}
