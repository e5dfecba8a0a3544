//! NET001: private endpoints register their addresses in a private DNS zone.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "NET001",
    title: "Private endpoint has a private DNS zone group",
    severity: Severity::High,
    category: Category::Network,
    resources: Resources::Types(&["azurerm_private_endpoint"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_private_endpoint` has a `private_dns_zone_group` block naming at least one private \
                  DNS zone (e.g. `privatelink.azurecr.io` for a registry, `privatelink.file.core.windows.net` for \
                  Azure Files) — or its address is written into a zone by hand: an `azurerm_private_dns_a_record` \
                  whose `records` refer to the endpoint (its `custom_dns_configs`, `private_service_connection`'s \
                  `private_ip_address`, directly or through a local), which Microsoft Learn describes as the \
                  alternative to a zone group (\"Azure Private Endpoint DNS configuration\").",
    why: "Without the zone group nothing writes the endpoint's address into DNS: clients in the network keep \
          resolving the service's public address, which a closed firewall refuses — the pull or mount fails \
          (Microsoft Learn, \"Azure Private Endpoint DNS configuration\").",
    fix: "Add `private_dns_zone_group { name = \"default\", private_dns_zone_ids = [azurerm_private_dns_zone.<zone>.id] }` \
          with the zone linked to the virtual network; infra renders it for every `[network.private_endpoints]` entry.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    // Endpoint instances whose addresses an A record takes (any of them, when the record's index is not known).
    let recorded: Vec<String> = ctx
        .resources_of("azurerm_private_dns_a_record")
        .filter_map(|r| r.get("records").map(|e| ctx.targets(r, e)))
        .flatten()
        .filter(|t| t.resource_type == "azurerm_private_endpoint")
        .map(|t| t.address)
        .collect();
    ctx.resources_of("azurerm_private_endpoint")
        .filter_map(|pe| match pe.body().block("private_dns_zone_group") {
            None if recorded.contains(&pe.address().to_string()) => None,
            None => Some(violation(
                pe,
                None,
                pe.block,
                "no private DNS zone group: the endpoint's address is not in DNS",
            )),
            Some(g) => match g.body.get("private_dns_zone_ids") {
                Some(crate::terraform::Expression::Array(ids)) if ids.is_empty() => Some(violation(
                    pe,
                    g.body.attribute("private_dns_zone_ids"),
                    pe.block,
                    "the private DNS zone group names no zone",
                )),
                _ => None,
            },
        })
        .collect()
}
