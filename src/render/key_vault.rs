//! An app's secrets (`secret` blocks) and, when some are read from Key Vault,
//! `azurerm_role_assignment.key_vault_secrets_user`: "Key Vault Secrets User" on the vault for the app's identity,
//! which the app waits for like its AcrPull grant (NOTES.md §14; Microsoft Learn, "Manage secrets in Azure
//! Container Apps": the identity needs read access to the secret before the app references it).

use super::common::{r, resource, var};
use crate::stack::{ContainerApp, Secret, Stack};
use crate::terraform::{Block, Expression};

/// The address of the grant, for the app's `depends_on` and the propagation wait's triggers.
pub(super) const GRANT: &str = "azurerm_role_assignment.key_vault_secrets_user";

/// The `secret` block of `secret`: its value from a sensitive variable (it never appears in a file), or its Key
/// Vault reference read with `identity` (the provider requires `identity` with `key_vault_secret_id`: azurerm
/// 4.79.0, NOTES.md §10).
pub(super) fn secret_block(app: &ContainerApp, secret: &Secret, identity: Expression) -> Block {
    let b = Block::new("secret").attr("name", secret.name.as_str());
    match (&app.key_vault, &secret.key_vault_secret) {
        (Some(vault), Some(name)) => b
            .attr("identity", identity)
            .attr("key_vault_secret_id", vault.secret_id(name)),
        _ => b.attr("value", var(&secret.variable())),
    }
}

/// The grant, when the app reads secrets from a vault: scoped to the vault, to the app's identity.
pub(super) fn grant(stack: &Stack, app: &ContainerApp) -> Option<Block> {
    let vault = app.key_vault.as_ref()?;
    let a = vault.secrets_user(&stack.identity.name);
    Some(
        resource("azurerm_role_assignment", "key_vault_secrets_user")
            .attr("name", a.name.to_string())
            .attr("scope", vault.id.as_str())
            .attr("role_definition_name", a.role_definition_name)
            .attr("principal_id", r("azurerm_user_assigned_identity.app.principal_id"))
            // Skips the Entra lookup that fails with PrincipalNotFound for a brand-new identity.
            .attr("principal_type", "ServicePrincipal"),
    )
}

/// `depends_on` entries of the app for its secrets: the grant, when there is one.
pub(super) fn depends_on(app: &ContainerApp) -> Option<Expression> {
    app.key_vault.as_ref().map(|_| r(GRANT))
}
