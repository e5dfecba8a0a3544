//! APP002: the identity the app pulls with is assigned to the app.

use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression};

pub static RULE: Rule = Rule {
    id: "APP002",
    title: "Registry identity is assigned to the container app",
    severity: Severity::High,
    category: Category::ContainerApp,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "The user-assigned identity named in `registry.identity` of `azurerm_container_app` is listed in \
                  the app's `identity.identity_ids` (or, for `\"System\"`, the app has a system-assigned identity).",
    why: "Azure can only use identities assigned to the app: otherwise the revision fails to pull its image and \
          the deployment never becomes healthy.",
    fix: "Add the identity to `identity { type = \"UserAssigned\" identity_ids = [azurerm_user_assigned_identity.app.id] }`.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn mentions(ids: &Expression, wanted: &[String], literal: Option<&str>) -> Option<bool> {
    let unknown = |r: &String| {
        let root = r.split(['.', '[']).next().unwrap_or("");
        matches!(
            root,
            "var" | "local" | "each" | "count" | "module" | "path" | "terraform" | "self"
        )
    };
    if expr::references(ids).iter().any(unknown) {
        return None; // var./local./module outputs…: unknown
    }
    if let Some(lit) = literal {
        if let Expression::Array(items) = ids {
            return Some(
                items
                    .iter()
                    .any(|i| expr::as_str(i).is_some_and(|s| s.eq_ignore_ascii_case(lit))),
            );
        }
        return None;
    }
    let res = expr::referenced_resources(ids);
    Some(wanted.iter().any(|w| res.contains(w)))
}

fn check(ctx: &Context) -> Vec<Violation> {
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        let identity = app.body().block("identity");
        for reg in app.body().blocks_of("registry") {
            let Some(id) = reg.body.attribute("identity") else {
                continue;
            };
            let literal = expr::as_str(&id.value);
            if literal.is_some_and(|s| s.eq_ignore_ascii_case("system")) {
                let ok = identity
                    .and_then(|i| i.body.get("type"))
                    .is_some_and(|t| expr::as_str(t).is_none_or(|t| t.contains("SystemAssigned")));
                if !ok {
                    out.push(violation(
                        app,
                        Some(id),
                        reg,
                        "pulls with the system-assigned identity, which the app does not have",
                    ));
                }
                continue;
            }
            let wanted = expr::referenced_resources(&id.value);
            if literal.is_none() && wanted.is_empty() {
                continue; // var.x: unknown
            }
            let name = literal.map(str::to_string).unwrap_or_else(|| expr::to_hcl(&id.value));
            match identity.and_then(|i| i.body.get("identity_ids")) {
                None => out.push(violation(
                    app,
                    Some(id),
                    reg,
                    format!("pulls with {name}, but the app has no user-assigned identities"),
                )),
                Some(ids) => {
                    if mentions(ids, &wanted, literal) == Some(false) {
                        out.push(violation(
                            app,
                            Some(id),
                            reg,
                            format!("pulls with {name}, which is not in the app's `identity_ids`"),
                        ));
                    }
                }
            }
        }
    }
    out
}
