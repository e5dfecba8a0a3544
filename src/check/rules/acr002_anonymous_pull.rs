//! ACR002: anonymous pull is disabled.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR002",
    title: "Registry anonymous pull is disabled",
    severity: Severity::High,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "`anonymous_pull_enabled` on `azurerm_container_registry` is not `true`.",
    why: "Anonymous pull lets anyone on the internet who can reach the registry download every image in it, with \
          whatever code, configuration and secrets were baked into them.",
    fix: "Remove `anonymous_pull_enabled` or set it to `false`; give consumers an identity with AcrPull.",
    checkov: &["CKV_AZURE_138"],
    psrule: &["Azure.ACR.AnonymousAccess"],
    check: Check::Forbidden(Forbidden {
        attribute: "anonymous_pull_enabled",
        values: &[Literal::Bool(true)],
        message: "anonymous pull is enabled (`anonymous_pull_enabled = true`)",
        unset_message: None,
    }),
};
