//! IAM003: role assignments to managed identities say `principal_type = "ServicePrincipal"`.

use crate::check::{str_attr, violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;

pub(super) static RULE: Rule = Rule {
    id: "IAM003",
    title: "Role assignments to managed identities set principal_type",
    severity: Severity::Medium,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description: "An `azurerm_role_assignment` whose `principal_id` is a managed identity's \
                  (`azurerm_user_assigned_identity.x.principal_id`, `….identity[0].principal_id`) sets \
                  `principal_type = \"ServicePrincipal\"`.",
    why: "A new identity takes a while to replicate in Entra ID; without the principal type Azure looks it up and \
          the assignment fails intermittently with PrincipalNotFound.",
    fix: "Add `principal_type = \"ServicePrincipal\"`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        let Some(p) = ra.get("principal_id") else { continue };
        let managed = expr::references(p)
            .iter()
            .any(|r| r.starts_with("azurerm_user_assigned_identity.") || r.contains(".identity[0].principal_id"));
        if !managed {
            continue;
        }
        match ra.body().attribute("principal_type") {
            None => out.push(violation(
                ra,
                None,
                ra.block,
                "the principal is a managed identity but `principal_type` is not set",
            )),
            Some(a) => {
                if let Some(t) = str_attr(ra.body(), "principal_type").filter(|t| *t != "ServicePrincipal") {
                    out.push(violation(
                        ra,
                        Some(a),
                        ra.block,
                        format!("the principal is a managed identity but `principal_type = \"{t}\"`"),
                    ));
                }
            }
        }
    }
    out
}
