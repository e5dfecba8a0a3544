//! APPLY004: no geo-replica in the registry's own region.

use crate::azurerm::facts::normalize;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "APPLY004",
    title: "Registry geo-replica in the registry's own region",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `internal/services/containers/container_registry_resource.go` \
             (CustomizeDiff: \"the `georeplications` list cannot contain the location where the Container Registry \
             exists\")",
        ],
    },
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "No `georeplications` block of an `azurerm_container_registry` names the registry's own `location` \
                  (compared as Azure does: `West Europe` = `westeurope`).",
    why: "The home region is always a replica; the provider refuses a second one there when planning.",
    fix: "Remove that `georeplications` block, or move it to another region (the paired region, e.g. northeurope \
          for westeurope).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in ctx.resources_of("azurerm_container_registry") {
        let Some(home) = r.get("location").and_then(expr::as_str) else {
            continue;
        };
        for g in r.body().blocks_of("georeplications") {
            let at = g.body.attribute("location");
            if at
                .and_then(|a| expr::as_str(&a.value))
                .is_some_and(|l| normalize::location(l) == normalize::location(home))
            {
                out.push(violation(
                    r,
                    at,
                    g,
                    format!("a geo-replica in {home}, the registry's own region: the provider refuses the plan"),
                ));
            }
        }
    }
    out
}
