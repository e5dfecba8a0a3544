//! ACR007: Premium registries delete untagged manifests after a retention period.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR007",
    title: "Premium registry retains untagged manifests for a limited time",
    severity: Severity::Low,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::PremiumRegistry,
    description: "A Premium `azurerm_container_registry` sets `retention_policy_in_days` to more than 0. Premium only.",
    why: "Every push of a moving tag leaves an untagged manifest behind; without retention they accumulate forever, \
          growing storage cost and the attack surface of old, unpatched images.",
    fix: "Set `retention_policy_in_days = 7` (or another period between 1 and 365).",
    checkov: &["CKV_AZURE_167"],
    psrule: &["Azure.ACR.Retention"],
    check: Check::Forbidden(Forbidden {
        attribute: "retention_policy_in_days",
        values: &[Literal::Int(0)],
        message: "retention of untagged manifests is off (`retention_policy_in_days = 0`)",
        unset_message: Some("no retention policy for untagged manifests"),
    }),
};
