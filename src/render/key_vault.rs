//! An app's or job's secrets (`secret` blocks) and, when some are read from Key Vault, its "Key Vault Secrets User"
//! grant on the vault for the identity it runs with — `azurerm_role_assignment.key_vault_secrets_user` for
//! `[container_app]`, `…_<key>` for `[apps.<key>]` / `[jobs.<key>]` — which it waits for like its AcrPull grant
//! (NOTES.md §14; Microsoft Learn, "Manage secrets in Azure Container Apps": the identity needs read access to the
//! secret before the app references it).

use super::common::{identity, r, resource, var};
use crate::stack::{Deployed, KeyVault, Secret, Stack};
use crate::terraform::{Block, Expression};

/// The `secret` block of `secret` of `d`: its value from a sensitive variable (it never appears in a file), or its
/// Key Vault reference in `vault` read with `identity` (the provider requires `identity` with
/// `key_vault_secret_id`: azurerm 4.79.0, NOTES.md §10).
pub(super) fn secret_block(d: &Deployed<'_>, vault: Option<&KeyVault>, secret: &Secret, identity: Expression) -> Block {
    let b = Block::new("secret").attr("name", secret.name.as_str());
    match (vault, &secret.key_vault_secret) {
        (Some(vault), Some(name)) => b
            .attr("identity", identity)
            .attr("key_vault_secret_id", vault.secret_id(name)),
        _ => b.attr("value", var(&d.secret_variable(secret))),
    }
}

/// The vault `d` reads secrets from, when it reads any.
fn vault(stack: &Stack, d: &Deployed<'_>) -> Option<KeyVault> {
    d.reads_key_vault().then(|| d.key_vault(stack)).flatten()
}

/// The grant, when `d` reads secrets from a vault: scoped to the vault, to the identity `d` runs with.
pub(super) fn grant(stack: &Stack, d: &Deployed<'_>) -> Option<Block> {
    let vault = vault(stack, d)?;
    let identity_name = d
        .own_identity()
        .map_or_else(|| stack.identity_name(), |i| i.name.as_str());
    let a = vault.secrets_user(identity_name);
    Some(
        resource("azurerm_role_assignment", &d.key_vault_grant_label())
            .attr("name", a.name.to_string())
            .attr("scope", vault.id.as_str())
            .attr("role_definition_name", a.role_definition_name)
            .attr("principal_id", identity(stack, d.identity_label(), "principal_id"))
            // Skips the Entra lookup that fails with PrincipalNotFound for a brand-new identity.
            .attr("principal_type", "ServicePrincipal"),
    )
}

/// The `time_sleep` triggers (name, grant id) of the Key Vault grants of what runs with the identity
/// `identity_label`: its propagation wait waits for them too.
pub(super) fn grants_of(stack: &Stack, identity_label: &str) -> Vec<(String, Expression)> {
    stack
        .deployed()
        .iter()
        .filter(|d| d.identity_label() == identity_label && vault(stack, d).is_some())
        .map(|d| {
            let label = d.key_vault_grant_label();
            (
                format!("{label}_role_assignment_id"),
                r(&format!("azurerm_role_assignment.{label}.id")),
            )
        })
        .collect()
}

/// The `depends_on` entry of `d` for its secrets: its grant, when there is one.
pub(super) fn depends_on(stack: &Stack, d: &Deployed<'_>) -> Option<Expression> {
    vault(stack, d).map(|_| r(&format!("azurerm_role_assignment.{}", d.key_vault_grant_label())))
}
