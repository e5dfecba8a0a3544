//! ACR008: Premium registries enable content trust.

use super::premium_requires_true;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR008",
    title: "Premium registry enables content trust",
    severity: Severity::Medium,
    category: Category::Registry,
    description: "A Premium `azurerm_container_registry` has `trust_policy_enabled = true`. Premium only.",
    why: "Content trust lets consumers verify that an image was signed by its publisher and not altered.",
    fix: "Set `trust_policy_enabled = true` and sign the images you push.",
    checkov: &["CKV_AZURE_164"],
    psrule: &["Azure.ACR.ContentTrust"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    premium_requires_true(
        ctx,
        "trust_policy_enabled",
        "content trust is not enabled",
        "content trust is disabled (`trust_policy_enabled = false`)",
    )
}
