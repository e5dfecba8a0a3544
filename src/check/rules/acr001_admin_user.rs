//! ACR001: the registry's admin user is disabled.

use super::literal_is;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "ACR001",
    title: "Registry admin user is disabled",
    severity: Severity::High,
    category: Category::Registry,
    description: "`admin_enabled` on `azurerm_container_registry` is not `true`.",
    why: "The admin user is one shared username and password with push and pull rights on the whole registry: it \
          cannot be scoped, is not audited per caller, and cannot be rotated without breaking every consumer.",
    fix: "Remove `admin_enabled` (it defaults to `false`) and pull through a managed identity granted AcrPull.",
    checkov: &["CKV_AZURE_137"],
    psrule: &["Azure.ACR.AdminUser"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    literal_is(
        ctx,
        "azurerm_container_registry",
        "admin_enabled",
        true,
        "the admin user is enabled (`admin_enabled = true`)",
    )
}
