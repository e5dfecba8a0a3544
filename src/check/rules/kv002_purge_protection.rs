//! KV002: Key Vault has purge protection.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "KV002",
    title: "Key Vault has purge protection",
    severity: Severity::Medium,
    category: Category::KeyVault,
    resources: Resources::Types(&["azurerm_key_vault"]),
    enabled_when: EnabledWhen::Always,
    description: "`purge_protection_enabled` of `azurerm_key_vault` is `true` (unset, the provider leaves it \
                  `false`: azurerm 4.79.0 `key_vault_resource.go`, in the provider notes' defaults).",
    why: "Without purge protection a deleted vault or secret can be purged at once, before its soft-delete \
          retention ends: one mistake or compromised principal destroys every secret the apps read (Microsoft \
          Learn, \"Azure Key Vault soft-delete overview\", purge protection).",
    fix: "Set `purge_protection_enabled = true` (it cannot be turned off again; the vault then outlives \
          `terraform destroy` for its retention days).",
    checkov: &[],
    psrule: &[],
    check: Check::Forbidden(Forbidden {
        attribute: "purge_protection_enabled",
        values: &[Literal::Bool(false)],
        message: "purge protection is off (`purge_protection_enabled = false`)",
        unset_message: Some("purge protection is off (`purge_protection_enabled` is not set; it defaults to `false`)"),
    }),
};
