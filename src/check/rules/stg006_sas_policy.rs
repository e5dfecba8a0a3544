//! STG006: storage accounts have a SAS expiration policy.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "STG006",
    title: "Storage account has a SAS expiration policy",
    severity: Severity::Medium,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_storage_account` has a `sas_policy` block (`expiration_period`, e.g. `1.00:00:00`).",
    why: "Without a policy a shared access signature can be signed to be valid for years, and nothing records its \
          use. With one, Azure logs (or blocks) every SAS valid for longer than the period (Microsoft Learn, \
          \"Configure an expiration policy for shared access signatures\").",
    fix: "Set `sas_expiration_period = \"1.00:00:00\"` in `[storage.account]` (or add `sas_policy { \
          expiration_period = \"1.00:00:00\" }`).",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_storage_account")
        .filter(|sa| sa.body().block("sas_policy").is_none())
        .map(|sa| violation(sa, None, sa.block, "no SAS expiration policy (`sas_policy`)"))
        .collect()
}
