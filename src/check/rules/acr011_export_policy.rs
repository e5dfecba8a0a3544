//! ACR011: Premium registries disable export.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR011",
    title: "Premium registry disables export",
    severity: Severity::Medium,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::PremiumRegistry,
    description: "A Premium `azurerm_container_registry` has `export_policy_enabled = false`. Premium only.",
    why: "With export allowed, anyone with import rights on another registry can copy every artifact out of this \
          one, bypassing network rules.",
    fix: "Set `export_policy_enabled = false`. Azure only accepts it with `public_network_access_enabled = false` \
          (private endpoints); until then waive this finding with a reason and an expiry date.",
    checkov: &[],
    psrule: &["Azure.ACR.ExportPolicy"],
    check: Check::Forbidden(Forbidden {
        attribute: "export_policy_enabled",
        values: &[Literal::Bool(true)],
        message: "export is allowed (`export_policy_enabled = true`)",
        unset_message: Some("export is allowed (`export_policy_enabled` defaults to true)"),
    }),
};
