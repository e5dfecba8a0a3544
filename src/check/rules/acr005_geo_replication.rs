//! ACR005: Premium registries are geo-replicated.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "ACR005",
    title: "Premium registry is geo-replicated",
    severity: Severity::Low,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::PremiumRegistry,
    description: "A Premium `azurerm_container_registry` has at least one `georeplications` block. Premium only.",
    why: "A single-region registry is a single point of failure: a regional outage stops every deployment and \
          every scale-out that needs to pull an image.",
    fix: "Add `georeplications { location = \"<paired region>\" zone_redundancy_enabled = true }`.",
    checkov: &["CKV_AZURE_165"],
    psrule: &["Azure.ACR.GeoReplica"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.subjects(&RULE)
        .filter(|r| r.body().block("georeplications").is_none() && r.get("georeplications").is_none())
        .map(|r| violation(r, None, r.block, "the Premium registry has no geo-replication"))
        .collect()
}
