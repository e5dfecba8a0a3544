//! ACR014: a note on Basic and Standard registries that the Premium-only rules were not applied.

use super::registry_sku;
use crate::azurerm::facts::sku::{is_premium, REGISTRY_SKUS};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};

pub(super) static RULE: Rule = Rule {
    id: "ACR014",
    title: "Premium-only registry rules not applicable",
    severity: Severity::Info,
    category: Category::Registry,
    resources: Resources::Types(&["azurerm_container_registry"]),
    enabled_when: EnabledWhen::Always,
    description: "A note (never a failure) on each Basic or Standard registry: geo-replication, zone redundancy, \
                  retention, data endpoints and export policy (ACR005-ACR007, ACR010, ACR011) need Premium and were \
                  not checked. (ACR008 and ACR009, content trust and quarantine, apply to every SKU.)",
    why: "Those features cannot be turned on below Premium, so reporting them would be noise a team cannot act on \
          (checkov reports 9 of 10 of them on a Basic registry). One note keeps the gap visible.",
    fix: "Nothing to fix. Upgrade to Premium when the stack needs those protections; the rules then apply.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    ctx.resources_of("azurerm_container_registry")
        .filter_map(|r| {
            let sku = registry_sku(r)?;
            (REGISTRY_SKUS.contains(&sku) && !is_premium(sku)).then(|| {
                violation(
                    r,
                    r.body().attribute("sku"),
                    r.block,
                    format!(
                        "{sku} registry: Premium-only rules {} were not applied",
                        premium_only_rules()
                    ),
                )
            })
        })
        .collect()
}

/// The rules enabled only for Premium registries, consecutive IDs as ranges: `ACR005-ACR007, ACR010, ACR011`.
fn premium_only_rules() -> String {
    let ids: Vec<&str> = super::ALL
        .iter()
        .filter(|r| r.enabled_when == EnabledWhen::PremiumRegistry)
        .map(|r| r.id)
        .collect();
    let number = |id: &str| id[3..].parse::<u32>().ok();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for id in ids {
        match runs.last_mut() {
            Some(run)
                if number(run[run.len() - 1])
                    .zip(number(id))
                    .is_some_and(|(a, b)| b == a + 1) =>
            {
                run.push(id)
            }
            _ => runs.push(vec![id]),
        }
    }
    runs.iter()
        .flat_map(|run| match run.len() {
            1 | 2 => run.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
            _ => vec![format!("{}-{}", run[0], run[run.len() - 1])],
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_note_and_the_description_name_the_premium_only_rules() {
        let listed = super::premium_only_rules();
        assert_eq!(listed, "ACR005-ACR007, ACR010, ACR011");
        assert!(super::RULE.description.contains(&format!("({listed})")));
    }
}
