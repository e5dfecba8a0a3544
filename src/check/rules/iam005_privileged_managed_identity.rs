//! IAM005: no managed identity holds a privileged role, whoever uses it.

use super::{privileged_assignments, pull_identities};
use crate::check::{violation, Category, Check, Context, EnabledWhen, Resources, Rule, Severity, Violation};
use crate::terraform::{Expression, Resource};
use std::collections::HashSet;

pub(super) static RULE: Rule = Rule {
    id: "IAM005",
    title: "No privileged role for a managed identity",
    severity: Severity::Critical,
    category: Category::Identity,
    resources: Resources::Types(&["azurerm_role_assignment"]),
    enabled_when: EnabledWhen::Always,
    description:
        "No `azurerm_role_assignment` grants Owner, Contributor, User Access Administrator, Role Based Access \
                  Control Administrator or AcrPush to a managed identity: a user-assigned identity \
                  (`azurerm_user_assigned_identity.x.principal_id`, resource or data source) or a resource's \
                  system-assigned identity (`x.identity[0].principal_id`). (An identity a container app pulls images \
                  with is IAM002's.)",
    why: "A managed identity's token is available to any code running on the resource it is attached to: a \
          compromised workload holds whatever the identity holds. Owner, Contributor, User Access Administrator and \
          Role Based Access Control Administrator are Azure's privileged roles (they manage resources or grant \
          access; learn.microsoft.com/azure/role-based-access-control/built-in-roles/privileged), and AcrPush \
          lets it replace the images other apps run.",
    fix: "Grant the narrowest built-in role that the workload needs (AcrPull, Storage Blob Data Reader, …) on the \
          single resource it uses; keep privileged roles for people, through Privileged Identity Management.",
    checkov: &[],
    psrule: &[],
    check: Check::Custom(check),
};

/// The managed identity `principal_id` refers to, if it refers to one: (the instance, whether it is the
/// resource's system-assigned identity — `x.identity[0].principal_id`).
fn managed_identity(ctx: &Context, ra: &Resource, principal_id: &Expression) -> Option<(String, bool)> {
    ctx.targets(ra, principal_id).into_iter().find_map(|t| {
        let system_assigned = t.attribute.starts_with("identity[") && t.attribute.ends_with("].principal_id")
            || t.attribute == "identity.0.principal_id";
        (system_assigned || t.resource_type == "azurerm_user_assigned_identity").then_some((t.address, system_assigned))
    })
}

fn check(ctx: &Context) -> Vec<Violation> {
    let pullers: HashSet<String> = ctx
        .resources_of("azurerm_container_app")
        .flat_map(|app| pull_identities(ctx, app))
        .collect();
    let mut out = Vec::new();
    for (ra, role, named_by) in privileged_assignments(ctx) {
        let Some((who, system_assigned)) = ra.get("principal_id").and_then(|p| managed_identity(ctx, ra, p)) else {
            continue;
        };
        if pullers.contains(&who) {
            continue;
        }
        out.push(violation(
            ra,
            named_by,
            ra.block,
            if system_assigned {
                format!("the system-assigned identity of {who} is granted {role}, a privileged role")
            } else {
                format!("managed identity {who} is granted {role}, a privileged role")
            },
        ));
    }
    out
}
