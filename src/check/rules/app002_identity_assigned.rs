//! APP002: the identity the app pulls with is assigned to the app.

use crate::check::references::Target;
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{expr, Expression, Resource};

pub(super) static RULE: Rule = Rule {
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

/// Whether the app's `identity_ids` lists the identity: `Some(false)` only when every entry is known (a literal
/// ID or a reference to a declared identity) and none is it; `None` when that cannot be known before apply.
fn mentions(ctx: &Context, app: &Resource, ids: &Expression, wanted: &[Target], literal: Option<&str>) -> Option<bool> {
    let Expression::Array(items) = ids else {
        return None; // var.ids, concat(…), a `for` expression: not known here
    };
    let mut listed = Vec::new();
    for item in items {
        if let Some(s) = expr::as_str(item) {
            listed.push(s.to_ascii_lowercase());
            continue;
        }
        let targets = ctx.targets(app, item);
        if targets.is_empty() || targets.iter().any(|t| !t.declared || !t.exact) {
            return None;
        }
        listed.extend(targets.into_iter().map(|t| t.address));
    }
    Some(match literal {
        Some(lit) => listed.contains(&lit.to_ascii_lowercase()),
        None => wanted.iter().any(|w| listed.contains(&w.address)),
    })
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
            // The identity instances the reference names; one it may name but not for certain, or a value that is
            // not a reference to a declared identity (`var.x`, an unknown dynamic block's iterator), is unknown.
            let wanted: Vec<Target> = ctx.targets(app, &id.value);
            let known = !wanted.is_empty() && wanted.iter().all(|t| t.declared && t.exact);
            let name = match literal {
                Some(s) => format!("`{s}`"),
                None if known => ctx.describe(app, &id.value),
                None => continue,
            };
            match identity.and_then(|i| i.body.get("identity_ids")) {
                None => out.push(violation(
                    app,
                    Some(id),
                    reg,
                    format!("pulls with {name}, but the app has no user-assigned identities"),
                )),
                Some(ids) => {
                    if mentions(ctx, app, ids, &wanted, literal) == Some(false) {
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
