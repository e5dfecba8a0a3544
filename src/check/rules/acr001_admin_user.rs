//! ACR001: the registry's admin user is disabled.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR001",
    title: "Registry admin user is disabled",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "`admin_enabled` on `azurerm_container_registry` is not `true`.",
    why: "The admin user is one shared username and password with push and pull rights on the whole registry: it \
          cannot be scoped, is not audited per caller, and cannot be rotated without breaking every consumer.",
    fix: "Remove `admin_enabled` (it defaults to `false`) and pull through a managed identity granted AcrPull.",
    checkov: &["CKV_AZURE_137"],
    psrule: &["Azure.ACR.AdminUser"],
    check: Check::Forbidden(Forbidden {
        attribute: "admin_enabled",
        values: &[Literal::Bool(true)],
        message: "the admin user is enabled (`admin_enabled = true`)",
        unset_message: None,
    }),
};
