//! IAM002: an identity that only pulls images gets AcrPull, nothing broader.

use super::{privileged_assignments, pull_identities};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use std::collections::HashSet;

pub(super) static RULE: Rule = Rule {
    id: "IAM002",
    title: "Pull identity gets AcrPull only",
    severity: Severity::Critical,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description: "No `azurerm_role_assignment` gives an identity that a container app pulls images with \
                  (`registry.identity`) a privileged role: AcrPush, Owner, Contributor, User Access Administrator \
                  or Role Based Access Control Administrator.",
    why: "An app only pulls. With push rights a compromised app can replace the images every other app runs; with \
          Contributor or Owner it can change or delete the infrastructure itself.",
    fix: "Assign `role_definition_name = \"AcrPull\"` on the registry and remove the broader assignment.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    let pullers: HashSet<String> = ctx
        .resources_of("azurerm_container_app")
        .flat_map(|app| pull_identities(ctx, app))
        .collect();
    let mut out = Vec::new();
    for (ra, role, named_by) in privileged_assignments(ctx) {
        let Some(p) = ra.get("principal_id") else { continue };
        if let Some(who) = ctx.target_addresses(ra, p).into_iter().find(|r| pullers.contains(r)) {
            out.push(violation(
                ra,
                named_by,
                ra.block,
                format!("{who} pulls images for a container app but is granted {role}"),
            ));
        }
    }
    out
}
