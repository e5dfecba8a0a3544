//! ACR009: quarantine only with a release path (turned around: it used to require quarantine).
//!
//! With `quarantine_policy_enabled = true` a pushed image cannot be pulled until something with
//! `AcrQuarantineWriter` marks it Passed, and AcrPull cannot pull a quarantined image (Azure/acr#210). Without a
//! release step the app never gets its image.

use super::role_name;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "ACR009",
    title: "Quarantine has a release path",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_container_registry` with `quarantine_policy_enabled = true` has an \
                  `azurerm_role_assignment` of `AcrQuarantineWriter` scoped to it (the scanner that releases images). \
                  (Until infra 0.x this rule required quarantine.)",
    why: "A quarantined image cannot be pulled with AcrPull until a scanner marks it Passed (Azure/acr#210): without \
          a release step every deployment of a new image fails to pull.",
    fix: "Turn quarantine off (`quarantine_policy_enabled = false`) and scan in CI before pushing, or grant a scanner \
          `AcrQuarantineWriter` on the registry and have it release images.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let releasers: Vec<String> = ctx
        .resources_of("azurerm_role_assignment")
        .filter(|ra| role_name(ra).as_deref() == Some("AcrQuarantineWriter"))
        .filter_map(|ra| ra.get("scope").map(|s| ctx.target_addresses(ra, s)))
        .flatten()
        .collect();
    ctx.resources_of("azurerm_container_registry")
        .filter_map(|r| {
            let a = r.body().attribute("quarantine_policy_enabled")?;
            let on = expr::as_bool(&a.value) == Some(true);
            (on && !releasers.contains(&r.address().to_string())).then(|| {
                violation(
                    r,
                    Some(a),
                    r.block,
                    "quarantine is enabled but nothing is granted AcrQuarantineWriter on the registry to release images: AcrPull cannot pull them",
                )
            })
        })
        .collect()
}
