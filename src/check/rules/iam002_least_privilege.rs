//! IAM002: an identity that only pulls images gets AcrPull, nothing broader.

use super::{pull_identities, role_name};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::expr;
use std::collections::HashSet;

pub static RULE: Rule = Rule {
    id: "IAM002",
    title: "Pull identity gets AcrPull only",
    severity: Severity::Critical,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description: "No `azurerm_role_assignment` gives an identity that a container app pulls images with \
                  (`registry.identity`) AcrPush, Contributor, Owner or User Access Administrator.",
    why: "An app only pulls. With push rights a compromised app can replace the images every other app runs; with \
          Contributor or Owner it can change or delete the infrastructure itself.",
    fix: "Assign `role_definition_name = \"AcrPull\"` on the registry and remove the broader assignment.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

const BROAD: &[&str] = &["AcrPush", "Contributor", "Owner", "User Access Administrator"];

fn check(ctx: &Context) -> Vec<Violation> {
    let pullers: HashSet<String> = ctx
        .resources_of("azurerm_container_app")
        .flat_map(pull_identities)
        .collect();
    let mut out = Vec::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        let Some(role) = role_name(ra) else { continue };
        if !BROAD.contains(&role.as_str()) {
            continue;
        }
        let Some(p) = ra.get("principal_id") else { continue };
        if let Some(who) = expr::referenced_resources(p).into_iter().find(|r| pullers.contains(r)) {
            let attr = ra
                .body()
                .attribute("role_definition_name")
                .or_else(|| ra.body().attribute("role_definition_id"));
            out.push(violation(
                ra,
                attr,
                ra.block,
                format!("{who} pulls images for a container app but is granted {role}"),
            ));
        }
    }
    out
}
