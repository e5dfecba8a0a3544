//! APP011: container app and job secret values are not written in the configuration.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "APP011",
    title: "Container app secrets are not written in the configuration",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app", "azurerm_container_app_job"]),
    enabled_when: EnabledWhen::Always,
    description: "No `secret` block of `azurerm_container_app` or `azurerm_container_app_job` has a literal string \
                  `value` (azurerm 4.79.0 schema: `secret.value`, sensitive). Values from variables, references or \
                  other expressions, and Key Vault references (`key_vault_secret_id` with `identity`), are not \
                  judged.",
    why: "A value written in the configuration lands in the repository, in every clone and in CI logs; marking the \
          argument sensitive hides it from plan output only.",
    fix: "Read it from Key Vault with the app's identity (`key_vault_secret_id` and `identity`; in a stack, \
          `key_vault_secret` with `[container_app.key_vault]`), or take it from a `sensitive = true` variable set at \
          plan time (`TF_VAR_…` from the CI secret store).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for resource_type in ["azurerm_container_app", "azurerm_container_app_job"] {
        for r in ctx.resources_of(resource_type) {
            for secret in r.body().blocks_of("secret") {
                let Some(value) = secret.body.attribute("value") else {
                    continue;
                };
                if expr::as_str(&value.value).is_some() {
                    // The name only: the value itself is never repeated.
                    let name = secret.body.get("name").and_then(expr::as_str).unwrap_or("?");
                    out.push(violation(
                        r,
                        Some(value),
                        secret,
                        format!("secret {name:?} has its value written in the configuration"),
                    ));
                }
            }
        }
    }
    out
}
