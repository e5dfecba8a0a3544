//! ACR002: anonymous pull is disabled.

use super::literal_is;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR002",
    title: "Registry anonymous pull is disabled",
    severity: Severity::High,
    category: Category::Registry,
    description: "`anonymous_pull_enabled` on `azurerm_container_registry` is not `true`.",
    why: "Anonymous pull lets anyone on the internet who can reach the registry download every image in it, with \
          whatever code, configuration and secrets were baked into them.",
    fix: "Remove `anonymous_pull_enabled` or set it to `false`; give consumers an identity with AcrPull.",
    checkov: &["CKV_AZURE_138"],
    psrule: &["Azure.ACR.AnonymousAccess"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    literal_is(
        ctx,
        "azurerm_container_registry",
        "anonymous_pull_enabled",
        true,
        "anonymous pull is enabled (`anonymous_pull_enabled = true`)",
    )
}
