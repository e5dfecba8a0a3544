//! `azurerm_role_assignment.acr_pull`: AcrPull on the registry for the stack's identity
//! (`azurerm_role_assignment.acr_pull_<key>` for an app's or job's own identity), and the wait after each.

use super::common::{identity, r, registry, resource};
use crate::stack::{acr_pull_label, propagation_label, RoleAssignment, Stack, SHARED};
use crate::terraform::Block;

/// AcrPull for the identity `azurerm_user_assigned_identity.<identity_label>` (named `identity_name`) on the
/// registry (the stack's or an existing one).
pub(super) fn block(stack: &Stack, identity_label: &str, identity_name: &str) -> Block {
    let a = RoleAssignment::acr_pull_for(stack, identity_name);
    // `name` is a UUIDv5 of registry scope, identity and role (see `RoleAssignment::acr_pull`): stable across
    // renders, so the assignment is never replaced by accident.
    resource("azurerm_role_assignment", &acr_pull_label(identity_label))
        .attr("name", a.name.to_string())
        .attr("scope", registry(stack, "id"))
        .attr("role_definition_name", a.role_definition_name)
        .attr("principal_id", identity(stack, identity_label, "principal_id"))
        // Skips the Entra lookup that fails with PrincipalNotFound for a brand-new identity.
        .attr("principal_type", "ServicePrincipal")
}

/// Whether the stack grants the identity `identity_label` AcrPull: an own identity always, the shared one unless
/// the platform has (`[existing.identity] acr_pull_granted_by_platform`).
pub(super) fn grants_acr_pull(stack: &Stack, identity_label: &str) -> bool {
    identity_label != SHARED || stack.grants_shared_acr_pull()
}

/// Whether the identity `identity_label` has a propagation wait: when the stack grants it AcrPull or Key Vault
/// Secrets User (the latter also where the platform grants the shared identity AcrPull).
pub(super) fn has_wait(stack: &Stack, identity_label: &str) -> bool {
    grants_acr_pull(stack, identity_label) || !super::key_vault::grants_of(stack, identity_label).is_empty()
}

/// How long the app waits after its AcrPull grant. The grant returning is not the registry honouring it: 60-120 s
/// is common (hashicorp/terraform-provider-azurerm#11434, Azure/azure-dev#7529; NOTES.md §14).
pub(super) const ACR_PULL_PROPAGATION: &str = "120s";

/// `time_sleep.acr_pull_propagation` (hashicorp/time; `…_<key>` for an own identity): waits
/// [`ACR_PULL_PROPAGATION`] after the AcrPull grant exists; what pulls with the identity depends on it. The
/// grant's id is a trigger (a reference, so Terraform orders the two, and a replaced grant waits again).
/// The Key Vault grants of what runs with the identity (`super::key_vault`) are waited for too: Azure RBAC changes
/// reach Key Vault's data plane after a delay as well (Microsoft Learn, "Azure role-based access control for Key
/// Vault data plane operations").
pub(super) fn propagation_wait(stack: &Stack, identity_label: &str) -> Block {
    let mut triggers = hcl::Object::new();
    if grants_acr_pull(stack, identity_label) {
        triggers.insert(
            hcl::ObjectKey::from("acr_pull_role_assignment_id"),
            r(&format!(
                "azurerm_role_assignment.{}.id",
                acr_pull_label(identity_label)
            )),
        );
    }
    for (name, id) in super::key_vault::grants_of(stack, identity_label) {
        triggers.insert(hcl::ObjectKey::from(name), id);
    }
    resource("time_sleep", &propagation_label(identity_label))
        .attr("create_duration", ACR_PULL_PROPAGATION)
        .attr("triggers", crate::terraform::Expression::Object(triggers))
}
