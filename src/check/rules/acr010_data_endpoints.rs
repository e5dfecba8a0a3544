//! ACR010: Premium registries use dedicated data endpoints.

use super::premium_requires_true;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR010",
    title: "Premium registry uses dedicated data endpoints",
    severity: Severity::Low,
    category: Category::Registry,
    description: "A Premium `azurerm_container_registry` has `data_endpoint_enabled = true`. Premium only.",
    why: "Without dedicated data endpoints, firewalls must allow the wildcard `*.blob.core.windows.net` storage \
          endpoints to let layers download — which also allows exfiltration to any storage account.",
    fix: "Set `data_endpoint_enabled = true` and allow `<registry>.<region>.data.azurecr.io` in your firewall.",
    checkov: &["CKV_AZURE_237"],
    psrule: &[],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    premium_requires_true(
        ctx,
        "data_endpoint_enabled",
        "dedicated data endpoints are not enabled",
        "dedicated data endpoints are disabled (`data_endpoint_enabled = false`)",
    )
}
