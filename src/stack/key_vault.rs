//! `[container_app.key_vault]`, `[apps.<key>.key_vault]`, `[jobs.<key>.key_vault]`: an existing Key Vault an app or
//! job reads secrets from with its identity (without one, `[existing.key_vault]` given by `id` is that vault).
//!
//! A secret with `key_vault_secret` is rendered as a `secret` block with `key_vault_secret_id` and `identity`
//! (azurerm 4.79.0 `azurerm_container_app` schema: both optional, the provider requires them together; NOTES.md
//! §10), and the identity gets the built-in role "Key Vault Secrets User" on the vault
//! (`azurerm_role_assignment.key_vault_secrets_user`), which the app waits for like its AcrPull grant. The vault is
//! not managed by the stack: it is named by its resource ID and must use Azure RBAC authorization (Microsoft Learn,
//! "Manage secrets in Azure Container Apps", Key Vault references; "Azure RBAC for Key Vault data plane").

use super::names::{KeyVaultId, KeyVaultSecretName};
use super::role_assignment::RoleAssignment;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The built-in role the app's identity gets on the vault: read secret contents (Microsoft Learn, "Azure built-in
/// roles", Security; its ID is `azurerm::facts::roles::KEY_VAULT_SECRETS_USER`).
pub const KEY_VAULT_SECRETS_USER: &str = "Key Vault Secrets User";

/// The DNS suffix of Key Vault in Azure's public cloud: a secret's identifier is
/// `https://<vault>.vault.azure.net/secrets/<name>` (Microsoft Learn, "About keys, secrets, and certificates",
/// Object identifiers). Without a version the app reads the latest one and picks up a new version within 30
/// minutes (Microsoft Learn, "Manage secrets in Azure Container Apps").
const KEY_VAULT_DNS_SUFFIX: &str = "vault.azure.net";

/// `[container_app.key_vault]`: an existing Key Vault, with Azure RBAC authorization, that secrets with
/// `key_vault_secret` are read from by the app's identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyVault {
    /// The vault's resource ID (`az keyvault show --name <vault> --query id`); the app's identity is granted "Key
    /// Vault Secrets User" on it.
    pub id: KeyVaultId,
}

impl KeyVault {
    /// The versionless identifier of the vault's secret `name`, as `key_vault_secret_id` takes it.
    pub fn secret_id(&self, name: &KeyVaultSecretName) -> String {
        format!("https://{}.{KEY_VAULT_DNS_SUFFIX}/secrets/{name}", self.id.vault_name())
    }

    /// "Key Vault Secrets User" for `identity` on the vault. Its `name` is UUIDv5 (URL namespace) of
    /// `infra:role-assignment:<vault ID, lower case>|identities/<identity>|Key Vault Secrets User`: stable across
    /// renders, new when the vault or the identity changes (as the assignment itself is replaced).
    pub fn secrets_user(&self, identity: &str) -> RoleAssignment {
        let seed = format!(
            "infra:role-assignment:{}|identities/{identity}|{KEY_VAULT_SECRETS_USER}",
            self.id.as_str().to_ascii_lowercase()
        );
        RoleAssignment {
            name: Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes()),
            role_definition_name: KEY_VAULT_SECRETS_USER,
        }
    }
}
