//! STG001: storage accounts require TLS 1.2 or later.

use crate::check::{str_attr, violation, Category, Context, Rule, Severity, Violation};

pub static RULE: Rule = Rule {
    id: "STG001",
    title: "Storage account requires TLS 1.2",
    severity: Severity::High,
    category: Category::Storage,
    description: "`min_tls_version` of `azurerm_storage_account` is not `TLS1_0` or `TLS1_1` (unset means TLS1_2).",
    why: "TLS 1.0 and 1.1 have known weaknesses and are retired by Azure Storage.",
    fix: "Remove `min_tls_version` or set it to `\"TLS1_2\"`.",
    checkov: &["CKV_AZURE_44"],
    psrule: &["Azure.Storage.MinTLS"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_storage_account")
        .filter_map(|r| {
            let v = str_attr(r.body(), "min_tls_version")?;
            matches!(v, "TLS1_0" | "TLS1_1").then(|| {
                violation(
                    r,
                    r.body().attribute("min_tls_version"),
                    r.block,
                    format!("the account accepts {v}"),
                )
            })
        })
        .collect()
}
