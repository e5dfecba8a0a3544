//! STG001: storage accounts require TLS 1.2 or later.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "STG001",
    title: "Storage account requires TLS 1.2",
    severity: Severity::High,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "`min_tls_version` of `azurerm_storage_account` is not `TLS1_0` or `TLS1_1` (unset means TLS1_2).",
    why: "TLS 1.0 and 1.1 have known weaknesses and are retired by Azure Storage.",
    fix: "Remove `min_tls_version` or set it to `\"TLS1_2\"`.",
    checkov: &["CKV_AZURE_44"],
    psrule: &["Azure.Storage.MinTLS"],
    check: Check::Forbidden(Forbidden {
        attribute: "min_tls_version",
        values: &[Literal::Str("TLS1_0"), Literal::Str("TLS1_1")],
        message: "the account accepts {value}",
        unset_message: None,
    }),
};
