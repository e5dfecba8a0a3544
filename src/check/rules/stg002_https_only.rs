//! STG002: storage accounts accept https only.

use super::literal_is;
use crate::check::{Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "STG002",
    title: "Storage account accepts https only",
    severity: Severity::High,
    category: Category::Storage,
    description: "`https_traffic_only_enabled` of `azurerm_storage_account` is not `false`.",
    why: "Plain http exposes data and shared keys or SAS tokens in transit.",
    fix: "Remove `https_traffic_only_enabled` (it defaults to `true`).",
    checkov: &["CKV_AZURE_3"],
    psrule: &["Azure.Storage.SecureTransfer"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    literal_is(
        ctx,
        "azurerm_storage_account",
        "https_traffic_only_enabled",
        false,
        "the account accepts plain http (`https_traffic_only_enabled = false`)",
    )
}
