//! STG002: storage accounts accept https only.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "STG002",
    title: "Storage account accepts https only",
    severity: Severity::High,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "`https_traffic_only_enabled` of `azurerm_storage_account` is not `false`.",
    why: "Plain http exposes data and shared keys or SAS tokens in transit.",
    fix: "Remove `https_traffic_only_enabled` (it defaults to `true`).",
    checkov: &["CKV_AZURE_3"],
    psrule: &["Azure.Storage.SecureTransfer"],
    check: Check::Forbidden(Forbidden {
        attribute: "https_traffic_only_enabled",
        values: &[Literal::Bool(false)],
        message: "the account accepts plain http (`https_traffic_only_enabled = false`)",
        unset_message: None,
    }),
};
