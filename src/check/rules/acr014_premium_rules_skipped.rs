//! ACR014: a note on Basic and Standard registries that the Premium-only rules were not applied.

use super::registry_sku;
use crate::check::{violation, Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR014",
    title: "Premium-only registry rules not applicable",
    severity: Severity::Info,
    category: Category::Registry,
    description: "A note (never a failure) on each Basic or Standard registry: geo-replication, zone redundancy, \
                  retention, data endpoints and export policy (ACR005-ACR007, ACR010, ACR011) need Premium and were \
                  not checked. (ACR008 and ACR009, content trust and quarantine, apply to every SKU.)",
    why: "Those features cannot be turned on below Premium, so reporting them would be noise a team cannot act on \
          (checkov reports 9 of 10 of them on a Basic registry). One note keeps the gap visible.",
    fix: "Nothing to fix. Upgrade to Premium when the stack needs those protections; the rules then apply.",
    checkov: &[],
    psrule: &[],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter_map(|r| {
            let sku = registry_sku(r)?;
            (sku == "Basic" || sku == "Standard").then(|| {
                violation(
                    r,
                    r.body().attribute("sku"),
                    r.block,
                    format!("{sku} registry: Premium-only rules ACR005-ACR007, ACR010, ACR011 were not applied"),
                )
            })
        })
        .collect()
}
