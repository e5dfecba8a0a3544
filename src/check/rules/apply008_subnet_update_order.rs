//! APPLY008: resources that update the same subnet are ordered.

use super::apply_support::{referenced_address, Order};
use crate::azurerm::facts::network::{SubnetUpdater, SUBNET_UPDATERS};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::Resource;
use std::collections::BTreeMap;

pub(super) static RULE: Rule = Rule {
    id: "APPLY008",
    title: "Two resources update the same subnet without ordering",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containerapps/container_app_environment_resource.go` \
             (Create: no subnet lock around the environment's PUT)",
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/network/subnet_network_security_group_association_resource.go` \
             (Create: `locks.ByName` on the subnet, then a PUT of the subnet — the lock only orders resources that \
             take it), `internal/services/network/private_endpoint_resource.go` (no subnet lock)",
            "Microsoft Learn, \"Troubleshoot common Azure deployment errors\" (`AnotherOperationInProgress`: another \
             operation is in progress on the resource)",
        ],
    },
    resources: Resources::Types(&[
        "azurerm_container_app_environment",
        "azurerm_subnet_network_security_group_association",
        "azurerm_subnet_route_table_association",
        "azurerm_subnet_nat_gateway_association",
        "azurerm_private_endpoint",
    ]),
    enabled_when: EnabledWhen::Always,
    description: "Two resources that update a subnet when created — an `azurerm_container_app_environment` \
                  (`infrastructure_subnet_id`), a subnet's NSG, route table or NAT gateway association, an \
                  `azurerm_private_endpoint` (`subnet_id`) — refer to the same subnet (`azurerm_subnet` or \
                  `data.azurerm_subnet`), and neither depends on the other through references or `depends_on`. \
                  Pairs the provider already serialises (both take its subnet lock) and pairs of private endpoints \
                  are not reported.",
    why: "Terraform creates unordered resources in parallel. Azure refuses a subnet update while another is in \
          progress (409 `AnotherOperationInProgress`), so the first apply fails, or not, depending on timing.",
    fix: "Order them: add `depends_on = [<the other resource>]` to the environment (e.g. the NSG association), so \
          the subnet is complete before the environment joins it.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    // subnet address → (resource, what it is) in file order
    let mut by_subnet: BTreeMap<String, Vec<(&Resource, &SubnetUpdater)>> = BTreeMap::new();
    for updater in &SUBNET_UPDATERS {
        for res in ctx.resources_of(updater.resource_type) {
            let Some(e) = res.get(updater.argument) else { continue };
            if let Some(subnet) = referenced_address(ctx, res, e, "azurerm_subnet") {
                by_subnet.entry(subnet).or_default().push((res, updater));
            }
        }
    }
    // The dependency graph of the whole configuration is built only when two resources share a subnet.
    if by_subnet.values().all(|users| users.len() < 2) {
        return Vec::new();
    }
    let order = Order::of(ctx);
    let mut out = Vec::new();
    for (subnet, users) in &by_subnet {
        for (i, (a, ua)) in users.iter().enumerate() {
            for (b, ub) in &users[i + 1..] {
                let serialised = ua.locks_subnet && ub.locks_subnet;
                let endpoints = ua.resource_type == "azurerm_private_endpoint" && ub.resource_type == ua.resource_type;
                let (a_at, b_at) = (a.address().to_string(), b.address().to_string());
                if serialised || endpoints || order.ordered(&a_at, &b_at) {
                    continue;
                }
                // Reported at the one the provider does not serialise.
                let (at, updater, other) = if ua.locks_subnet { (b, ub, a_at) } else { (a, ua, b_at) };
                out.push(violation(
                    at,
                    at.body().attribute(updater.argument),
                    at.block,
                    format!(
                        "{} also updates {subnet} and neither waits for the other: Azure can refuse one \
                         (409 AnotherOperationInProgress)",
                        other
                    ),
                ));
            }
        }
    }
    out
}
