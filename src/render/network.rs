//! `[network]`: the virtual network, its subnets and NSG, and the private endpoints with their private DNS zones,
//! VNet links and DNS zone groups (NOTES.md §18). With `[existing.virtual_network]` the network is read (or given
//! by ID) instead of created, its existing subnets are read with `data.azurerm_subnet.<label>`, and the subnets
//! the stack creates go into it: every reference to the network or a subnet goes through [`virtual_network`]
//! and [`subnet_id`].

use super::common::data;
use super::common::{r, resource, resource_group_name, with_tags};
use crate::stack::{Network, Stack, Subnet, FILE_DNS_ZONE, REGISTRY_DNS_ZONE};
use crate::terraform::{Block, Expression};

/// The Container Apps environment's workload profile: the serverless `Consumption` profile, which a
/// workload-profiles environment always has (Microsoft Learn, "Workload profiles in Azure Container Apps").
pub(super) const CONSUMPTION: &str = "Consumption";

/// Every block of `[network]`, in dependency order (empty without `[network]`).
pub(super) fn blocks(stack: &Stack) -> Vec<Block> {
    let Some(net) = &stack.network else {
        return Vec::new();
    };
    // Grouped by resource type (as the `.tf.json` form groups them), in dependency order.
    let mut out: Vec<Block> = created_network(stack, net).into_iter().collect();
    let subnets = [
        (ENVIRONMENT_SUBNET, Some(&net.environment_subnet)),
        ("private_endpoints", net.private_endpoint_subnet.as_ref()),
        ("runners", net.runner_subnet.as_ref()),
    ];
    for (label, subnet) in subnets {
        let Some(subnet) = subnet else { continue };
        out.push(match (subnet.created(), label) {
            (false, _) => existing_subnet(stack, label, subnet),
            (true, ENVIRONMENT_SUBNET) => environment_subnet(stack, subnet),
            // Without delegation: the private endpoints' or the runners'.
            (true, _) => created_subnet(stack, label, subnet),
        });
    }
    if let Some(nsg) = &net.network_security_group {
        out.push(with_tags(
            resource("azurerm_network_security_group", "environment")
                .attr("name", nsg.name.as_str())
                .attr("location", stack.location.as_str())
                .attr("resource_group_name", resource_group_name()),
            stack,
            "azurerm_network_security_group",
        ));
        out.push(
            resource("azurerm_subnet_network_security_group_association", "environment")
                .attr("subnet_id", r("azurerm_subnet.environment.id"))
                .attr(
                    "network_security_group_id",
                    r("azurerm_network_security_group.environment.id"),
                ),
        );
    }
    let mut links = Vec::new();
    if net.private_endpoints.registry {
        links.push(PrivateLink {
            label: "registry",
            zone: REGISTRY_DNS_ZONE,
            target: "azurerm_container_registry.main",
            subresource: "registry",
            name: format!("pe-{}", stack.registry_group_and_name().1),
        });
    }
    if net.private_endpoints.storage {
        links.push(PrivateLink {
            label: "file",
            zone: FILE_DNS_ZONE,
            target: "azurerm_storage_account.data",
            subresource: "file",
            name: format!("pe-{}-file", stack.storage.account.name),
        });
    }
    let parts: Vec<[Block; 3]> = links.iter().map(|l| private_endpoint(stack, l)).collect();
    for i in 0..3 {
        out.extend(parts.iter().map(|p| p[i].clone()));
    }
    out
}

/// The Terraform name of the environment's subnet.
const ENVIRONMENT_SUBNET: &str = "environment";

/// The stack's virtual network's `attr` (`id`, `name` or `resource_group_name`): the network the stack creates
/// (`azurerm_virtual_network.main`), the existing one's data source, or — given by ID — the ID and the group and
/// name it holds, which need no read at plan time.
pub(super) fn virtual_network(stack: &Stack, attr: &str) -> Expression {
    match &stack.existing.virtual_network {
        None if attr == "resource_group_name" => resource_group_name(),
        None => r(&format!("azurerm_virtual_network.main.{attr}")),
        Some(e) => match e.id.as_deref() {
            None => r(&format!("data.azurerm_virtual_network.main.{attr}")),
            Some(id) => {
                let (group, name) = e.id_group_and_name().unwrap_or_default();
                match attr {
                    "id" => id.into(),
                    "name" => name.into(),
                    _ => group.into(),
                }
            }
        },
    }
}

/// The ID of the subnet named `label` in Terraform: the stack's (`azurerm_subnet.<label>.id`) or an existing
/// one's (`data.azurerm_subnet.<label>.id`).
pub(super) fn subnet_id(stack: &Stack, label: &str) -> Expression {
    let net = stack.network.as_ref();
    let subnet = match label {
        ENVIRONMENT_SUBNET => net.map(|n| &n.environment_subnet),
        "private_endpoints" => net.and_then(|n| n.private_endpoint_subnet.as_ref()),
        _ => net.and_then(|n| n.runner_subnet.as_ref()),
    };
    let prefix = if subnet.is_some_and(|s| !s.created()) {
        "data."
    } else {
        ""
    };
    r(&format!("{prefix}azurerm_subnet.{label}.id"))
}

/// An existing subnet of the existing network, read by name (`azurerm_subnet` data source, azurerm 4.79.0:
/// `name`, `virtual_network_name` and `resource_group_name` required,
/// `src/azurerm/data/data-sources/azurerm_subnet.json`).
fn existing_subnet(stack: &Stack, label: &str, subnet: &Subnet) -> Block {
    data("azurerm_subnet", label)
        .attr("name", subnet.name.as_str())
        .attr("virtual_network_name", virtual_network(stack, "name"))
        .attr("resource_group_name", virtual_network(stack, "resource_group_name"))
}

/// A subnet the stack creates, in its virtual network's resource group (a subnet is a child of its network).
fn created_subnet(stack: &Stack, label: &str, subnet: &Subnet) -> Block {
    let prefixes = subnet.address_prefix.iter().map(|p| p.to_string().into()).collect();
    resource("azurerm_subnet", label)
        .attr("name", subnet.name.as_str())
        .attr("resource_group_name", virtual_network(stack, "resource_group_name"))
        .attr("virtual_network_name", virtual_network(stack, "name"))
        .attr("address_prefixes", Expression::Array(prefixes))
}

/// The virtual network, unless it is `[existing.virtual_network]`.
fn created_network(stack: &Stack, net: &Network) -> Option<Block> {
    if stack.existing.virtual_network.is_some() {
        return None;
    }
    let t = "azurerm_virtual_network";
    let b = resource(t, "main")
        .attr("name", net.name.as_ref().map_or("", |n| n.as_str()))
        .attr("location", stack.location.as_str())
        .attr("resource_group_name", resource_group_name())
        .attr(
            "address_space",
            Expression::Array(net.address_space.iter().map(|a| a.to_string().into()).collect()),
        );
    Some(with_tags(b, stack, t))
}

/// The environment's subnet, delegated to `Microsoft.App/environments` as a workload-profiles environment needs
/// (Microsoft Learn, "Networking in Azure Container Apps environment": "the subnet must be delegated to
/// Microsoft.App/environments"). Azure adds the `join/action` to the delegation itself; `actions` is not
/// computed in the provider schema, so it is written out, or every plan would show it.
fn environment_subnet(stack: &Stack, subnet: &Subnet) -> Block {
    created_subnet(stack, ENVIRONMENT_SUBNET, subnet).block(
        Block::new("delegation").attr("name", "container-apps").block(
            Block::new("service_delegation")
                .attr("name", "Microsoft.App/environments")
                .attr(
                    "actions",
                    Expression::Array(vec!["Microsoft.Network/virtualNetworks/subnets/join/action".into()]),
                ),
        ),
    )
}

struct PrivateLink {
    /// The Terraform name of the endpoint, zone and link.
    label: &'static str,
    zone: &'static str,
    /// The resource the endpoint connects to.
    target: &'static str,
    subresource: &'static str,
    name: String,
}

/// A private DNS zone, its link to the virtual network, and the private endpoint whose DNS zone group writes the
/// service's records into the zone.
fn private_endpoint(stack: &Stack, link: &PrivateLink) -> [Block; 3] {
    let zone = with_tags(
        resource("azurerm_private_dns_zone", link.label)
            .attr("name", link.zone)
            .attr("resource_group_name", resource_group_name()),
        stack,
        "azurerm_private_dns_zone",
    );
    let vnet_link = with_tags(
        resource("azurerm_private_dns_zone_virtual_network_link", link.label)
            .attr("name", format!("{}-link", link.label))
            .attr("resource_group_name", resource_group_name())
            .attr(
                "private_dns_zone_name",
                r(&format!("azurerm_private_dns_zone.{}.name", link.label)),
            )
            .attr("virtual_network_id", virtual_network(stack, "id"))
            .attr("registration_enabled", false),
        stack,
        "azurerm_private_dns_zone_virtual_network_link",
    );
    let endpoint = with_tags(
        resource("azurerm_private_endpoint", link.label)
            .attr("name", link.name.as_str())
            .attr("location", stack.location.as_str())
            .attr("resource_group_name", resource_group_name())
            .attr("subnet_id", subnet_id(stack, "private_endpoints")),
        stack,
        "azurerm_private_endpoint",
    )
    .block(
        Block::new("private_service_connection")
            .attr("name", format!("{}-{}", link.name, link.subresource))
            .attr("private_connection_resource_id", r(&format!("{}.id", link.target)))
            .attr("subresource_names", Expression::Array(vec![link.subresource.into()]))
            .attr("is_manual_connection", false),
    )
    .block(Block::new("private_dns_zone_group").attr("name", "default").attr(
        "private_dns_zone_ids",
        Expression::Array(vec![r(&format!("azurerm_private_dns_zone.{}.id", link.label))]),
    ));
    [zone, vnet_link, endpoint]
}

/// Every other resource that updates the environment's subnet, which the environment must follow: creating an
/// environment in a subnet updates the subnet too (Azure links it to the environment), and Azure refuses a second
/// concurrent update of one subnet with 409 `AnotherOperationInProgress` (Microsoft Learn, "Troubleshoot common
/// Azure deployment errors"). The NSG association (`azurerm_subnet_network_security_group_association`, a PUT of
/// the whole subnet in `internal/services/network/subnet_network_security_group_association_resource.go`,
/// azurerm v4.79.0) refers to the subnet just like the environment does, so nothing else orders the two.
pub(super) fn other_updates_of_environment_subnet(stack: &Stack) -> Vec<Expression> {
    match &stack.network {
        Some(net) if net.network_security_group.is_some() => {
            vec![r("azurerm_subnet_network_security_group_association.environment")]
        }
        _ => Vec::new(),
    }
}

/// What must exist before a resource reaches a service over its private endpoint: the endpoint (its DNS zone group
/// writes the A records) and the zone's link to the virtual network (without it the environment resolves the
/// public address, which the firewall refuses). Nothing refers to them, so Terraform cannot infer the order.
pub(super) fn private_path(stack: &Stack, label: &str) -> Vec<Expression> {
    let Some(net) = &stack.network else {
        return Vec::new();
    };
    let on = match label {
        "registry" => net.private_endpoints.registry,
        "file" => net.private_endpoints.storage,
        _ => false,
    };
    if !on {
        return Vec::new();
    }
    vec![
        r(&format!("azurerm_private_endpoint.{label}")),
        r(&format!("azurerm_private_dns_zone_virtual_network_link.{label}")),
    ]
}
