//! `azurerm_role_assignment.acr_pull`: AcrPull on the registry for the app's user-assigned identity.
//!
//! Not configured in a stack file: it follows from the registry and the identity. Its `name` is a UUID derived
//! from stable stack identifiers, so every render produces the same one (the provider would otherwise pick a
//! random UUID at apply time, and replacement prediction would be guesswork).

use super::Stack;
use uuid::Uuid;

/// The built-in role the app's identity gets on the registry.
pub const ACR_PULL: &str = "AcrPull";

/// A role assignment derived from the stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    /// Deterministic assignment name.
    pub name: Uuid,
    /// Built-in role name, e.g. `AcrPull`.
    pub role_definition_name: &'static str,
}

impl RoleAssignment {
    /// AcrPull for the stack's identity on the stack's registry.
    ///
    /// `name` is UUIDv5 (URL namespace) of `infra:role-assignment:<scope>|<principal>|<role>` where scope is
    /// `resourceGroups/<resource group>/registries/<registry>`, principal is `identities/<identity name>` and role is
    /// `AcrPull`: the same inputs always give the same name; changing any of them gives a new one, just as the
    /// assignment itself is replaced.
    pub fn acr_pull(stack: &Stack) -> RoleAssignment {
        RoleAssignment::acr_pull_for(stack, stack.identity_name())
    }

    /// AcrPull for the identity `identity_name` (the stack's, or an app's or job's own) on the stack's registry
    /// (created or existing), named as
    /// [`RoleAssignment::acr_pull`] names the stack identity's.
    pub(crate) fn acr_pull_for(stack: &Stack, identity_name: &str) -> RoleAssignment {
        let (group, registry) = stack.registry_group_and_name();
        let scope = format!("resourceGroups/{group}/registries/{registry}");
        let principal = format!("identities/{identity_name}");
        let seed = format!("infra:role-assignment:{scope}|{principal}|{ACR_PULL}");
        RoleAssignment {
            name: Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes()),
            role_definition_name: ACR_PULL,
        }
    }
}
