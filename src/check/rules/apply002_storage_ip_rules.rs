//! APPLY002: storage IP rules are public addresses and ranges Azure accepts.

use super::apply_support::literal_strings;
use crate::azurerm::facts::network::storage_ip_rule_problem;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{Attribute, Block, Resource};

pub(super) static RULE: Rule = Rule {
    id: "APPLY002",
    title: "Storage IP rule Azure refuses (/31, /32 or a private range)",
    severity: Severity::High,
    category: Category::ApplyTime {
        sources: &[
            "hashicorp/terraform-provider-azurerm v4.79.0, `website/docs/r/storage_account_network_rules.html.markdown` \
             (`ip_rules`: no RFC 1918 private ranges; \"/31\" and \"/32\" ranges are not supported)",
            "Microsoft Learn, \"Configure Azure Storage firewalls and virtual networks\" (IP network rules: public \
             addresses only; small ranges of /31 or /32 are not supported)",
        ],
    },
    resources: Resources::Types(&["azurerm_storage_account", "azurerm_storage_account_network_rules"]),
    enabled_when: EnabledWhen::Always,
    description: "Every literal entry of `network_rules.ip_rules` (`azurerm_storage_account`) or `ip_rules` \
                  (`azurerm_storage_account_network_rules`) is a public IPv4 address, or a range of prefix /0 to /30, \
                  outside the RFC 1918 private ranges (10/8, 172.16/12, 192.168/16).",
    why: "Azure refuses `/31` and `/32` ranges and private addresses in a storage firewall: the apply that writes the \
          rule fails. A private address would never match anyway: the storage firewall sees clients inside Azure \
          by their virtual network, not by IP.",
    fix: "Write a single address without a prefix (`20.50.2.7`, not `20.50.2.7/32`); reach the account from private \
          networks through a private endpoint or `virtual_network_subnet_ids`, not IP rules.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for sa in ctx.resources_of("azurerm_storage_account") {
        for rules in sa.body().blocks_of("network_rules") {
            judge(sa, rules, rules.body.attribute("ip_rules"), &mut out);
        }
    }
    for r in ctx.resources_of("azurerm_storage_account_network_rules") {
        judge(r, r.block, r.body().attribute("ip_rules"), &mut out);
    }
    out
}

fn judge(res: &Resource, block: &Block, ip_rules: Option<&Attribute>, out: &mut Vec<Violation>) {
    let Some(a) = ip_rules else { return };
    let Some(rules) = literal_strings(&a.value) else { return };
    for rule in rules {
        if let Some(problem) = storage_ip_rule_problem(rule) {
            out.push(violation(res, Some(a), block, format!("storage IP rule {problem}")));
        }
    }
}
