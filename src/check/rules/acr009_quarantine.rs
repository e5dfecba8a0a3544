//! ACR009: Premium registries quarantine new images.

use super::premium_requires_true;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR009",
    title: "Premium registry quarantines pushed images",
    severity: Severity::Low,
    category: Category::Registry,
    description: "A Premium `azurerm_container_registry` has `quarantine_policy_enabled = true`. Premium only.",
    why: "With quarantine, a pushed image cannot be pulled until a scanner has marked it as passed.",
    fix: "Set `quarantine_policy_enabled = true` and have your scanning pipeline release images.",
    checkov: &["CKV_AZURE_166"],
    psrule: &["Azure.ACR.Quarantine"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    premium_requires_true(
        ctx,
        "quarantine_policy_enabled",
        "quarantine is not enabled",
        "quarantine is disabled (`quarantine_policy_enabled = false`)",
    )
}
