//! ACR013: the registry name is valid.

use crate::azurerm::facts::names;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "ACR013",
    title: "Registry name is valid",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "`name` of `azurerm_container_registry` is 5 to 50 ASCII letters and digits.",
    why: "Azure rejects other names when the registry is created, after the plan looked fine; the name is also \
          the DNS label `<name>.azurecr.io`.",
    fix: "Use 5 to 50 letters and digits, no hyphens or dots (e.g. `contosoprodacr`).",
    checkov: &[],
    psrule: &["Azure.ACR.Name"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter_map(|r| {
            let a = r.body().attribute("name")?;
            let name = expr::as_str(&a.value)?;
            (!names::REGISTRY.is_valid(name)).then(|| {
                violation(
                    r,
                    Some(a),
                    r.block,
                    format!("`{name}` is not a valid registry name (5-50 letters and digits)"),
                )
            })
        })
        .collect()
}
