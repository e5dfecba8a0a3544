//! ACR010: Premium registries use dedicated data endpoints.

use crate::check::{Category, Check, EnabledWhen, Forbidden, Literal, Resources, Rule, Severity};

pub(super) static RULE: Rule = Rule {
    id: "ACR010",
    title: "Premium registry uses dedicated data endpoints",
    severity: Severity::Low,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::PremiumRegistry,
    description: "A Premium `azurerm_container_registry` has `data_endpoint_enabled = true`. Premium only.",
    why: "Without dedicated data endpoints, firewalls must allow the wildcard `*.blob.core.windows.net` storage \
          endpoints to let layers download — which also allows exfiltration to any storage account.",
    fix: "Set `data_endpoint_enabled = true` and allow `<registry>.<region>.data.azurecr.io` in your firewall.",
    checkov: &["CKV_AZURE_237"],
    psrule: &[],
    check: Check::Forbidden(Forbidden {
        attribute: "data_endpoint_enabled",
        values: &[Literal::Bool(false)],
        message: "dedicated data endpoints are disabled (`data_endpoint_enabled = false`)",
        unset_message: Some("dedicated data endpoints are not enabled"),
    }),
};
