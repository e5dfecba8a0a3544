//! `[container_app.key_vault]` and the secrets read from it: every `key_vault_secret` has a vault, a vault is read
//! by some secret, and the vault's name has no `--` (the provider's `keyvault/validate/vault_name.go`, v4.79.0).

use super::{Rules, Seg};
use crate::stack::ContainerApp;
use Seg::{Index, Key};

/// The rules for one app; `app` is its path (`[Key("container_app")]`).
pub(super) fn check(container_app: &ContainerApp, app: &[Seg], r: &mut Rules) {
    let at = |keys: &[Seg]| -> Vec<Seg> { app.iter().chain(keys).cloned().collect() };
    let table = super::field(app);
    for (i, secret) in container_app.secrets.iter().enumerate() {
        if secret.key_vault_secret.is_some() && container_app.key_vault.is_none() {
            r.push(
                at(&[Key("secrets"), Index(i), Key("key_vault_secret")]),
                format!(
                    "{table}.secrets[{i}] reads Key Vault secret {:?} but [{table}.key_vault] is not set",
                    secret.key_vault_secret.as_ref().map(|s| s.as_str()).unwrap_or_default()
                ),
                format!("add [{table}.key_vault] with the vault's resource ID: id = \"/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>\""),
            );
        }
    }
    let Some(vault) = &container_app.key_vault else {
        return;
    };
    if !container_app.secrets.iter().any(|s| s.key_vault_secret.is_some()) {
        r.push(
            at(&[Key("key_vault")]),
            format!("[{table}.key_vault] is set but no secret reads from it"),
            format!("set key_vault_secret = \"<name in the vault>\" on a [[{table}.secrets]], or remove [{table}.key_vault] (infra would grant the app's identity a role it does not use)"),
        );
    }
    if vault.id.vault_name().contains("--") {
        r.push(
            at(&[Key("key_vault"), Key("id")]),
            format!("{table}.key_vault.id names vault {:?}, which has \"--\"", vault.id.vault_name()),
            "a Key Vault name has no consecutive hyphens: copy the ID from `az keyvault show --name <vault> --query id`".to_string(),
        );
    }
}
