//! IAM004: the container app waits for the AcrPull assignment of its pull identity to propagate.
//!
//! The assignment's create returning is not the registry honouring it: 60-120 s is common
//! (hashicorp/terraform-provider-azurerm#11434, Azure/azure-dev#7529; NOTES.md §14), so `depends_on` on the
//! assignment alone is not enough. The app depends on a `time_sleep` (hashicorp/time) that refers to the assignment
//! (in `triggers` or `depends_on`) and sets a `create_duration`.

use super::{pull_identities, role_name};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use std::collections::HashMap;

pub(super) static RULE: Rule = Rule {
    id: "IAM004",
    title: "Container app waits for its AcrPull assignment",
    severity: Severity::High,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_container_app"]),
    enabled_when: EnabledWhen::Always,
    description: "When the configuration assigns AcrPull to the user-assigned identity a container app pulls with, \
                  the app's `depends_on` lists a `time_sleep` with a `create_duration` that refers to that \
                  `azurerm_role_assignment` (in `triggers` or `depends_on`).",
    why: "Nothing else orders them: Terraform creates the app and the assignment in parallel, the first revision \
          tries to pull before the role exists, and the first deployment fails. Even after the assignment exists \
          the registry takes 60-120 s to honour it (terraform-provider-azurerm#11434), so `depends_on` on the \
          assignment alone still fails intermittently.",
    fix: "Add `resource \"time_sleep\" \"acr_pull_propagation\" { create_duration = \"120s\" triggers = { id = \
          azurerm_role_assignment.acr_pull.id } }` (hashicorp/time) and `depends_on = \
          [time_sleep.acr_pull_propagation]` to the container app.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

fn check(ctx: &Context) -> Vec<Violation> {
    // identity address → addresses of the AcrPull assignments granting it
    let mut grants: HashMap<String, Vec<String>> = HashMap::new();
    for ra in ctx.resources_of("azurerm_role_assignment") {
        if role_name(ra).as_deref() != Some("AcrPull") {
            continue;
        }
        if let Some(p) = ra.get("principal_id") {
            for who in ctx.target_addresses(ra, p) {
                grants.entry(who).or_default().push(ra.address().to_string());
            }
        }
    }
    // time_sleep address → the resources it waits after (only sleeps that actually wait on create).
    let mut waits: HashMap<String, Vec<String>> = HashMap::new();
    for sleep in ctx.resources_of("time_sleep") {
        if sleep.get("create_duration").is_none() {
            continue;
        }
        let mut after = Vec::new();
        for attr in ["triggers", "depends_on"] {
            if let Some(e) = sleep.get(attr) {
                after.extend(ctx.target_addresses(sleep, e));
            }
        }
        waits.insert(sleep.address().to_string(), after);
    }
    let mut out = Vec::new();
    for app in ctx.resources_of("azurerm_container_app") {
        let me = app.address().to_string();
        let identities: Vec<String> = pull_identities(ctx, app).into_iter().filter(|i| *i != me).collect();
        if identities.is_empty() {
            continue;
        }
        let depends: Vec<String> = app
            .get("depends_on")
            .map(|e| ctx.target_addresses(app, e))
            .unwrap_or_default();
        let mut assignments: Vec<&String> = identities.iter().filter_map(|i| grants.get(i)).flatten().collect();
        assignments.sort();
        assignments.dedup();
        for address in assignments {
            let waited = depends
                .iter()
                .any(|d| waits.get(d).is_some_and(|after| after.contains(address)));
            if waited {
                continue;
            }
            let message = if depends.contains(address) {
                format!(
                    "the app depends on {address} but does not wait for it to propagate (60-120 s): the first deployment can fail to pull its image"
                )
            } else {
                format!("the app does not depend on {address}: the first deployment can fail to pull its image")
            };
            out.push(violation(app, app.body().attribute("depends_on"), app.block, message));
        }
    }
    out
}
