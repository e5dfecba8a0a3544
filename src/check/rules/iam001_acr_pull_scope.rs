//! IAM001: AcrPull is assigned on the registry, not its resource group or subscription.

use super::role_name;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "IAM001",
    title: "AcrPull is scoped to the registry",
    severity: Severity::High,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description: "The `scope` of an `azurerm_role_assignment` granting AcrPull is a container registry \
                  (`azurerm_container_registry.x.id`, or a literal `…/providers/Microsoft.ContainerRegistry/registries/…` \
                  ID), not a resource group or subscription.",
    why: "A role assigned on a resource group or subscription applies to every registry in it, present and future.",
    fix: "Set `scope = azurerm_container_registry.main.id`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        if role_name(ra).as_deref() != Some("AcrPull") {
            continue;
        }
        let Some(scope) = ra.body().attribute("scope") else {
            continue;
        };
        let e = &scope.value;
        let refers_to_type = |t: &str| ctx.refers_to_type(ra, e, t);
        let bad = if refers_to_type("azurerm_container_registry") {
            None
        } else if let Some(s) = expr::as_str(e) {
            (!s.to_ascii_lowercase()
                .contains("/providers/microsoft.containerregistry/registries/"))
            .then(|| format!("`{s}`"))
        } else if [
            "azurerm_resource_group",
            "azurerm_subscription",
            "azurerm_client_config",
        ]
        .iter()
        .any(|t| refers_to_type(t))
        {
            Some(ctx.describe(ra, e))
        } else {
            None
        };
        if let Some(what) = bad {
            out.push(violation(
                ra,
                Some(scope),
                ra.block,
                format!("AcrPull is assigned at {what}, wider than the registry"),
            ));
        }
    }
    out
}
