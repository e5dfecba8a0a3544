//! IAM004: the container app depends on the AcrPull assignment of its pull identity.

use super::{pull_identities, role_name};
use crate::check::{violation, Category, Context, Rule, Severity, Violation};
use crate::terraform::expr;
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    id: "IAM004",
    title: "Container app depends on its AcrPull assignment",
    severity: Severity::High,
    category: Category::Identity,
    description: "When the configuration assigns AcrPull to the user-assigned identity a container app pulls with, \
                  the app lists that `azurerm_role_assignment` in `depends_on`.",
    why: "Nothing else orders them: Terraform creates the app and the assignment in parallel, the first revision \
          tries to pull before the role exists, and the first deployment fails.",
    fix: "Add `depends_on = [azurerm_role_assignment.acr_pull]` to the container app.",
    checkov: &[],
    psrule: &[],
    check,
};

fn check(ctx: &Context) -> Vec<Violation> {
    // identity address → addresses of the AcrPull assignments granting it
    let mut grants: HashMap<String, Vec<String>> = HashMap::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        if role_name(ra).as_deref() != Some("AcrPull") {
            continue;
        }
        if let Some(p) = ra.get("principal_id") {
            for who in expr::referenced_resources(p) {
                grants.entry(who).or_default().push(ra.address().to_string());
            }
        }
    }
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        let me = app.address().to_string();
        let identities: Vec<String> = pull_identities(app).into_iter().filter(|i| *i != me).collect();
        if identities.is_empty() {
            continue;
        }
        let depends: Vec<String> = app
            .get("depends_on")
            .map(expr::referenced_resources)
            .unwrap_or_default();
        let mut assignments: Vec<&String> = identities.iter().filter_map(|i| grants.get(i)).flatten().collect();
        assignments.sort();
        assignments.dedup();
        for address in assignments {
            if !depends.contains(address) {
                out.push(violation(
                    app,
                    app.body().attribute("depends_on"),
                    app.block,
                    format!("the app does not depend on {address}: the first deployment can fail to pull its image"),
                ));
            }
        }
    }
    out
}
