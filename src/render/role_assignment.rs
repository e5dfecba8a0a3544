//! `azurerm_role_assignment.acr_pull`: AcrPull on the registry for the app's identity.

use super::common::{r, resource};
use crate::stack::Stack;
use crate::terraform::Block;

pub fn block(stack: &Stack) -> Block {
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
