//! ACR003: the registry SKU is at least Standard.

use super::registry_sku;
use crate::check::{violation, Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR003",
    title: "Registry SKU is at least Standard",
    severity: Severity::Medium,
    category: Category::Registry,
    description: "`sku` on `azurerm_container_registry` is `Standard` or `Premium`, not `Basic`.",
    why: "Basic registries have the lowest storage and throughput limits (image pulls are throttled under load) and \
          none of the network, replication or content-protection features.",
    fix: "Set `sku = \"Standard\"`, or `\"Premium\"` for production (network rules, geo-replication, zone \
          redundancy, content trust). The change is made in place.",
    checkov: &["CKV_AZURE_163"],
    psrule: &["Azure.ACR.MinSku"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter(|r| registry_sku(r) == Some("Basic"))
        .map(|r| violation(r, r.body().attribute("sku"), r.block, "the registry SKU is Basic"))
        .collect()
}
