//! An app's or job's `key_vault` and the secrets read from it: every `key_vault_secret` has a vault (its own
//! `key_vault`, else `[existing.key_vault]` given by `id`), an own vault is read by some secret, and the vault's
//! name has no `--` (the provider's `keyvault/validate/vault_name.go`, v4.79.0).

use super::{Rules, Seg};
use crate::stack::{Deployed, KeyVault, Stack, Workload};
use Seg::{Index, Key};

/// The rules for the app or job `d`; `app` is its path (`[Key("container_app")]`, `apps.<key>`, `jobs.<key>`).
pub(super) fn check(stack: &Stack, d: &Deployed<'_>, app: &[Seg], r: &mut Rules) {
    let at = |keys: &[Seg]| -> Vec<Seg> { app.iter().chain(keys).cloned().collect() };
    let table = super::field(app);
    let own = match d.workload {
        Workload::App(a) => a.key_vault.as_ref(),
        Workload::Job(j) => j.key_vault.as_ref(),
    };
    let vault = d.key_vault(stack);
    for (i, secret) in d.secrets().iter().enumerate() {
        let Some(name) = &secret.key_vault_secret else {
            continue;
        };
        if vault.is_some() {
            continue;
        }
        let existing_by_name = stack.existing.key_vault.as_ref().is_some_and(|e| e.id.is_none());
        r.push(
            at(&[Key("secrets"), Index(i), Key("key_vault_secret")]),
            format!(
                "{table}.secrets[{i}] reads Key Vault secret {:?} but [{table}.key_vault] is not set",
                name.as_str()
            ),
            if existing_by_name {
                format!("give [existing.key_vault] by id (infra needs the vault's resource ID to grant the role), or add [{table}.key_vault] with id = \"/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>\"")
            } else {
                format!("add [{table}.key_vault] with the vault's resource ID: id = \"/subscriptions/…/providers/Microsoft.KeyVault/vaults/<vault>\" (or [existing.key_vault] with that id, for every app and job)")
            },
        );
    }
    if own.is_some() && !d.reads_key_vault() {
        r.push(
            at(&[Key("key_vault")]),
            format!("[{table}.key_vault] is set but no secret reads from it"),
            format!("set key_vault_secret = \"<name in the vault>\" on a [[{table}.secrets]], or remove [{table}.key_vault] (infra would grant the identity a role it does not use)"),
        );
    }
    if let Some(vault) = own {
        name_check(vault, at(&[Key("key_vault"), Key("id")]), &table, r);
    }
}

/// The vault's name has no consecutive hyphens.
fn name_check(vault: &KeyVault, path: Vec<Seg>, table: &str, r: &mut Rules) {
    if vault.id.vault_name().contains("--") {
        r.push(
            path,
            format!("{table}.key_vault.id names vault {:?}, which has \"--\"", vault.id.vault_name()),
            "a Key Vault name has no consecutive hyphens: copy the ID from `az keyvault show --name <vault> --query id`".to_string(),
        );
    }
}
