//! ACR007: Premium registries delete untagged manifests after a retention period.

use super::premium_registries;
use crate::check::{violation, Category, Context, Rule, Severity, Violation};
use crate::terraform::expr;

pub static RULE: Rule = Rule {
    id: "ACR007",
    title: "Premium registry retains untagged manifests for a limited time",
    severity: Severity::Low,
    category: Category::Registry,
    description: "A Premium `azurerm_container_registry` sets `retention_policy_in_days` to more than 0. Premium only.",
    why: "Every push of a moving tag leaves an untagged manifest behind; without retention they accumulate forever, \
          growing storage cost and the attack surface of old, unpatched images.",
    fix: "Set `retention_policy_in_days = 7` (or another period between 1 and 365).",
    checkov: &["CKV_AZURE_167"],
    psrule: &["Azure.ACR.Retention"],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    premium_registries(ctx)
        .filter_map(|r| match r.body().attribute("retention_policy_in_days") {
            None => Some(violation(
                r,
                None,
                r.block,
                "no retention policy for untagged manifests",
            )),
            Some(a) if expr::as_f64(&a.value) == Some(0.0) => Some(violation(
                r,
                Some(a),
                r.block,
                "retention of untagged manifests is off (`retention_policy_in_days = 0`)",
            )),
            Some(_) => None,
        })
        .collect()
}
