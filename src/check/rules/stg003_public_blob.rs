//! STG003: storage accounts do not allow public blob access.

use crate::check::{violation, Category, Context, Rule, Severity, Violation};
use crate::terraform::expr;

pub static RULE: Rule = Rule {
    id: "STG003",
    title: "Storage account disallows public blob access",
    severity: Severity::High,
    category: Category::Storage,
    description: "`allow_nested_items_to_be_public` of `azurerm_storage_account` is `false` (the provider default \
                  is `true`).",
    why: "While it is allowed, one container created with public access exposes its blobs to the internet without \
          any credential.",
    fix: "Set `allow_nested_items_to_be_public = false`.",
    checkov: &["CKV_AZURE_190"],
    psrule: &["Azure.Storage.BlobPublicAccess"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_storage_account")
        .filter_map(|r| match r.body().attribute("allow_nested_items_to_be_public") {
            None => Some(violation(
                r,
                None,
                r.block,
                "public blob access is allowed (`allow_nested_items_to_be_public` defaults to true)",
            )),
            Some(a) if expr::as_bool(&a.value) == Some(true) => Some(violation(
                r,
                Some(a),
                r.block,
                "public blob access is allowed (`allow_nested_items_to_be_public = true`)",
            )),
            Some(_) => None,
        })
        .collect()
}
