//! APP010: the container app name is valid.

use crate::check::{str_attr, violation, Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "APP010",
    title: "Container app name is valid",
    severity: Severity::High,
    category: Category::ContainerApp,
    description: "`name` of `azurerm_container_app` is 2 to 32 lower-case letters, digits and hyphens, starts with a \
                  letter, ends with a letter or digit, and has no `--`.",
    why: "The provider accepts longer names that Azure then rejects at apply time.",
    fix: "Rename the app (the name is force-new: the app is replaced).",
    checkov: &[],
    psrule: &["Azure.ContainerApp.Name"],
    check,
};

fn valid(name: &str) -> bool {
    let b = name.as_bytes();
    (2..=32).contains(&b.len())
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
        && !name.contains("--")
}

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_app")
        .filter_map(|app| {
            let name = str_attr(app.body(), "name")?;
            (!valid(name)).then(|| {
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
