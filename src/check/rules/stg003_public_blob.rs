//! STG003: storage accounts do not allow public blob access.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "STG003",
    title: "Storage account disallows public blob access",
    severity: Severity::High,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "`allow_nested_items_to_be_public` of `azurerm_storage_account` is `false` (the provider default \
                  is `true`).",
    why: "While it is allowed, one container created with public access exposes its blobs to the internet without \
          any credential.",
    fix: "Set `allow_nested_items_to_be_public = false`.",
    checkov: &["CKV_AZURE_190"],
    psrule: &["Azure.Storage.BlobPublicAccess"],
    check: Check::Forbidden(Forbidden {
        attribute: "allow_nested_items_to_be_public",
        values: &[Literal::Bool(true)],
        message: "public blob access is allowed (`allow_nested_items_to_be_public = true`)",
        unset_message: Some("public blob access is allowed (`allow_nested_items_to_be_public` defaults to true)"),
    }),
};
