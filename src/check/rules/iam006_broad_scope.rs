//! IAM006: no role is assigned at subscription or management-group scope.

use super::role_name;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression, Resource};

pub(super) static RULE: Rule = Rule {
    id: "IAM006",
    title: "No role assignment at subscription or management-group scope",
    severity: Severity::High,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description: "The `scope` of an `azurerm_role_assignment` is not a subscription (`/subscriptions/<id>`, \
                  `data.azurerm_subscription.x.id`) or a management group \
                  (`/providers/Microsoft.Management/managementGroups/<name>`, `azurerm_management_group.x.id`), \
                  whoever the principal is. (AcrPull at such a scope is IAM001's.)",
    why: "An assignment at subscription or management-group scope is inherited by every resource group and resource \
          below it, present and future (learn.microsoft.com/azure/role-based-access-control/scope-overview): one \
          workload's identity or one person's mistake reaches the whole estate.",
    fix: "Assign the role on the resource group or, better, the single resource the principal works with.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

/// "subscription" or "management group" when `scope` is one.
fn broad(ctx: &Context, ra: &Resource, scope: &Expression) -> Option<&'static str> {
    if ctx.refers_to_type(ra, scope, "azurerm_subscription") {
        return Some("subscription");
    }
    if ctx.refers_to_type(ra, scope, "azurerm_management_group") {
        return Some("management group");
    }
    // A literal ID, or a template (`"/subscriptions/${var.subscription_id}"`): judged on its written form, with
    // every interpolation standing for one path segment.
    let text = match expr::as_str(scope) {
        Some(s) => s.to_string(),
        None => match scope {
            Expression::TemplateExpr(t) => t.to_string(),
            _ => return None,
        },
    };
    let segments: Vec<String> = text
        .trim_matches('"')
        .trim_end_matches('/')
        .split('/')
        .map(str::to_ascii_lowercase)
        .collect();
    match segments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["", "subscriptions", _] => Some("subscription"),
        ["", "providers", "microsoft.management", "managementgroups", _] => Some("management group"),
        _ => None,
    }
}

/// The scope as the finding shows it: its text (interpolations as "known after apply"), or what it refers to.
fn shown(ctx: &Context, ra: &Resource, scope: &Expression) -> String {
    match crate::check::references::shown_text(scope) {
        Some(text) => format!("`{text}`"),
        None => ctx.describe(ra, scope),
    }
}

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        if role_name(ra).is_some_and(|r| r.eq_ignore_ascii_case("AcrPull")) {
            continue;
        }
        let Some(scope) = ra.body().attribute("scope") else {
            continue;
        };
        if let Some(what) = broad(ctx, ra, &scope.value) {
            let role = role_name(ra).unwrap_or_else(|| "a role".into());
            out.push(violation(
                ra,
                Some(scope),
                ra.block,
                format!("{role} is assigned at {what} scope ({})", shown(ctx, ra, &scope.value)),
            ));
        }
    }
    out
}
