//! `azurerm_role_assignment.acr_pull`: AcrPull on the registry for the app's identity.

use super::common::{r, resource};
use crate::stack::Stack;
use crate::terraform::Block;

pub(super) fn block(stack: &Stack) -> Block {
    let a = stack.acr_pull();
    // `name` is a UUIDv5 of registry scope, identity and role (see `RoleAssignment::acr_pull`): stable across
    // renders, so the assignment is never replaced by accident.
    resource("azurerm_role_assignment", "acr_pull")
        .attr("name", a.name.to_string())
        .attr("scope", r("azurerm_container_registry.main.id"))
        .attr("role_definition_name", a.role_definition_name)
        .attr("principal_id", r("azurerm_user_assigned_identity.app.principal_id"))
        // Skips the Entra lookup that fails with PrincipalNotFound for a brand-new identity.
        .attr("principal_type", "ServicePrincipal")
}

/// How long the app waits after its AcrPull grant. The grant returning is not the registry honouring it: 60-120 s
/// is common (hashicorp/terraform-provider-azurerm#11434, Azure/azure-dev#7529; NOTES.md §14).
pub(super) const ACR_PULL_PROPAGATION: &str = "120s";

/// `time_sleep.acr_pull_propagation` (hashicorp/time): waits [`ACR_PULL_PROPAGATION`] after the AcrPull grant
/// exists; the app depends on it. The grant's id is a trigger (a reference, so Terraform orders the two, and a
/// replaced grant waits again).
/// A Key Vault grant (`super::key_vault`) is waited for too: Azure RBAC changes reach Key Vault's data plane after
/// a delay as well (Microsoft Learn, "Azure role-based access control for Key Vault data plane operations").
pub(super) fn propagation_wait(stack: &Stack) -> Block {
    let mut triggers = hcl::Object::new();
    triggers.insert(
        hcl::ObjectKey::from("acr_pull_role_assignment_id"),
        r("azurerm_role_assignment.acr_pull.id"),
    );
    if stack.container_app.key_vault.is_some() {
        triggers.insert(
            hcl::ObjectKey::from("key_vault_secrets_user_role_assignment_id"),
            r(&format!("{}.id", super::key_vault::GRANT)),
        );
    }
    resource("time_sleep", "acr_pull_propagation")
        .attr("create_duration", ACR_PULL_PROPAGATION)
        .attr("triggers", crate::terraform::Expression::Object(triggers))
}
