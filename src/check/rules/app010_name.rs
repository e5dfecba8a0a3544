//! APP010: the container app name is valid.

use crate::azurerm::facts::names;
use crate::check::{str_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "APP010",
    title: "Container app name is valid",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "`name` of `azurerm_container_app` is 2 to 32 lower-case letters, digits and hyphens, starts with a \
                  letter, ends with a letter or digit, and has no `--`.",
    why: "The provider accepts longer names that Azure then rejects at apply time.",
    fix: "Rename the app (the name is force-new: the app is replaced).",
    checkov: &[],
    psrule: &["Azure.ContainerApp.Name"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_app")
        .filter_map(|app| {
            let name = str_attr(app.body(), "name")?;
            (!names::CONTAINER_APP.is_valid(name)).then(|| {
                violation(
                    app,
                    app.body().attribute("name"),
                    app.block,
                    format!("`{name}` is not a valid container app name"),
                )
            })
        })
        .collect()
}
