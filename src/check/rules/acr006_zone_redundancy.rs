//! ACR006: Premium registries and every replica are zone redundant.

use crate::azurerm::facts::defaults::default_bool;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "ACR006",
    title: "Premium registry and its replicas are zone redundant",
    severity: Severity::Medium,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::PremiumRegistry,
    description: "A Premium `azurerm_container_registry` has `zone_redundancy_enabled = true`, and so does each of \
                  its `georeplications`. Premium only.",
    why: "Without zone redundancy a single datacenter failure takes the registry (or that replica) down. It can only \
          be chosen when the registry or replica is created: `zone_redundancy_enabled` forces replacement.",
    fix: "Set `zone_redundancy_enabled = true` on the registry and in every `georeplications` block (replacing \
          the registry or re-creating the replica).",
    checkov: &["CKV_AZURE_233"],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    // Left out, zone redundancy is the provider default (off).
    let off = |a: Option<&crate::terraform::Attribute>, path: &str| match a {
        None => default_bool("azurerm_container_registry", path) == Some(false),
        Some(a) => expr::as_bool(&a.value) == Some(false),
    };
    for r in ctx.subjects(&RULE) {
        let zr = r.body().attribute("zone_redundancy_enabled");
        if off(zr, "zone_redundancy_enabled") {
            out.push(violation(r, zr, r.block, "the registry is not zone redundant"));
        }
        for g in r.body().blocks_of("georeplications") {
            let zr = g.body.attribute("zone_redundancy_enabled");
            if off(zr, "georeplications.zone_redundancy_enabled") {
                let at = g.body.get("location").and_then(expr::as_str).unwrap_or("?");
                out.push(violation(
                    r,
                    zr,
                    g,
                    format!("the replica in {at} is not zone redundant"),
                ));
            }
        }
    }
    out
}
