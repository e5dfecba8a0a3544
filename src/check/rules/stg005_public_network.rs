//! STG005: storage accounts are not open to every network.

use crate::azurerm::facts::network::allows_every_address;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression};

pub(super) static RULE: Rule = Rule {
    id: "STG005",
    title: "Storage account restricts public network access",
    severity: Severity::Medium,
    category: Category::Storage,
    resources: Resources::Types(&["azurerm_storage_account"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_storage_account` has `public_network_access_enabled = false`, or a `network_rules` \
                  block with `default_action = \"Deny\"` and no `ip_rules` entry that admits every address (`0.0.0.0/0`, \
                  `::/0`) (the provider defaults are public access on and every \
                  network allowed). A separate `azurerm_storage_account_network_rules` resource is not followed.",
    why: "With the firewall open, the account's endpoints answer every address on the internet: a leaked key or \
          SAS is usable from anywhere. Private endpoints and an allow-list of CI addresses keep it to the network \
          that needs it (Microsoft Learn, \"Configure Azure Storage firewalls and virtual networks\").",
    fix: "Add `[storage.account.network_rules] default_action = \"Deny\"` with the private endpoint `[network.private_endpoints] \
          storage = true`, or set `public_network_access_enabled = false` when Terraform runs inside the network.",
    checkov: &["CKV_AZURE_35", "CKV_AZURE_59"],
    psrule: &["Azure.Storage.Firewall"],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_storage_account")
        .filter_map(|sa| {
            let public = sa.body().attribute("public_network_access_enabled");
            if public.and_then(|a| expr::as_bool(&a.value)) == Some(false) {
                return None;
            }
            if public.is_some_and(|a| expr::as_bool(&a.value).is_none()) {
                return None; // not a literal: unknown
            }
            let rules = sa.body().block("network_rules");
            let action = rules.and_then(|b| b.body.attribute("default_action"));
            match action.map(|a| expr::as_str(&a.value)) {
                Some(Some(a)) if a.eq_ignore_ascii_case("deny") => {
                    let ip_rules = rules.and_then(|b| b.body.attribute("ip_rules"))?;
                    let Expression::Array(items) = &ip_rules.value else { return None };
                    let open = items.iter().filter_map(expr::as_str).find(|s| allows_every_address(s))?;
                    Some(violation(
                        sa,
                        Some(ip_rules),
                        sa.block,
                        format!("the storage firewall denies by default but its `ip_rules` entry `{open}` allows every address"),
                    ))
                }
                Some(None) => None,
                Some(Some(_)) => Some(violation(
                    sa,
                    action,
                    sa.block,
                    "the storage firewall allows every network (`network_rules.default_action = \"Allow\"`)",
                )),
                None => Some(violation(
                    sa,
                    public,
                    sa.block,
                    "public network access is on and no `network_rules` block denies by default",
                )),
            }
        })
        .collect()
}
