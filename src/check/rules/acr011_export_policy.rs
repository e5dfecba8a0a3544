//! ACR011: Premium registries disable export.

use super::premium_registries;
use crate::check::{violation, Category, Context, Rule, Severity, Violation};
use crate::terraform::expr;

pub static RULE: Rule = Rule {
    id: "ACR011",
    title: "Premium registry disables export",
    severity: Severity::Medium,
    category: Category::Registry,
    description: "A Premium `azurerm_container_registry` has `export_policy_enabled = false`. Premium only.",
    why: "With export allowed, anyone with import rights on another registry can copy every artifact out of this \
          one, bypassing network rules.",
    fix: "Set `export_policy_enabled = false`. Azure only accepts it with `public_network_access_enabled = false` \
          (private endpoints); until then waive this finding with a reason and an expiry date.",
    checkov: &[],
    psrule: &["Azure.ACR.ExportPolicy"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    premium_registries(ctx)
        .filter_map(|r| match r.body().attribute("export_policy_enabled") {
            None => Some(violation(
                r,
                None,
                r.block,
                "export is allowed (`export_policy_enabled` defaults to true)",
            )),
            Some(a) if expr::as_bool(&a.value) == Some(true) => Some(violation(
                r,
                Some(a),
                r.block,
                "export is allowed (`export_policy_enabled = true`)",
            )),
            Some(_) => None,
        })
        .collect()
}
