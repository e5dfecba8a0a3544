//! KV002: Key Vault has purge protection.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "KV002",
    title: "Key Vault has purge protection",
    severity: Severity::Medium,
    category: Category::KeyVault,
    resources: Resources::Types(&["azurerm_key_vault"]),
    enabled_when: EnabledWhen::Always,
    description: "`purge_protection_enabled` of `azurerm_key_vault` is `true` (unset, the provider leaves it \
                  `false`: azurerm 4.79.0 `key_vault_resource.go`).",
    why: "Without purge protection a deleted vault or secret can be purged at once, before its soft-delete \
          retention ends: one mistake or compromised principal destroys every secret the apps read (Microsoft \
          Learn, \"Azure Key Vault soft-delete overview\", purge protection).",
    fix: "Set `purge_protection_enabled = true` (it cannot be turned off again; the vault then outlives \
          `terraform destroy` for its retention days).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

/// The provider leaves purge protection off when the argument is unset (azurerm 4.79.0 `key_vault_resource.go`;
/// the vendored provider notes do not cover `azurerm_key_vault`, so the default is stated here, for this rule).
fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for r in ctx.resources_of("azurerm_key_vault") {
        match r.body().attribute("purge_protection_enabled") {
            Some(a) if expr::as_bool(&a.value) == Some(false) => out.push(violation(
                r,
                Some(a),
                r.block,
                "purge protection is off (`purge_protection_enabled = false`)",
            )),
            Some(_) => {}
            None => out.push(violation(
                r,
                None,
                r.block,
                "purge protection is off (`purge_protection_enabled` is not set; it defaults to `false`)",
            )),
        }
    }
    out
}
