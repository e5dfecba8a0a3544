//! Reading the `/data` volume's storage from Azure: the storage account (firewall, public network access, SAS
//! expiration policy, TLS, HTTPS-only, shared-key access, tier and replication), its file share (quota, protocol)
//! and the environment's storage (which account and share it mounts, and how), each through its type's adapter
//! (Microsoft.Storage 2023-05-01, Microsoft.App 2024-03-01 `managedEnvironments/storages`: paths and
//! api-versions from the ARM mapping, [`crate::azurerm::arm::registry`]).

use super::azure::{Azure, AzureError};
use crate::azurerm::arm::registry::Request;
use crate::azurerm::arm::{
    container_app_environment, container_app_environment_storage, storage_account, storage_share, LiveObject,
};
use serde_json::Value;

/// The storage a stack declares, by name (one each per stack).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageTarget {
    /// The storage account's name.
    pub account: Option<String>,
    /// The file share's name.
    pub share: Option<String>,
    /// The environment storage's name.
    pub environment_storage: Option<String>,
}

impl StorageTarget {
    /// The literal names of the storage resources in a configuration (the first of each type).
    pub fn from_config(config: &crate::terraform::Config) -> StorageTarget {
        let name = |resource_type: &str| -> Option<String> {
            config
                .resources()
                .into_iter()
                .filter(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
                .find_map(|r| {
                    r.get("name")
                        .and_then(crate::terraform::expr::as_str)
                        .map(str::to_string)
                })
        };
        StorageTarget {
            account: name(storage_account::TYPE),
            share: name(storage_share::TYPE),
            environment_storage: name(container_app_environment_storage::TYPE),
        }
    }

    /// Nothing to read.
    pub fn is_empty(&self) -> bool {
        self.account.is_none() && self.share.is_none() && self.environment_storage.is_none()
    }
}

impl Azure {
    /// The storage the target names; missing ones are simply absent. `environment` is the environment's name
    /// (its storage is read only when it is declared).
    pub(crate) async fn read_storage(
        &self,
        rg: &str,
        target: &StorageTarget,
        environment: Option<&str>,
    ) -> Result<Vec<LiveObject>, AzureError> {
        let base = self.rg_path(rg);
        let mut out = Vec::new();
        if let Some(name) = &target.account {
            if let Some((account, path)) = self.get_entry(&storage_account::ENTRY, &base, name).await? {
                let account = storage_account::ENTRY.read_body(&account, &Request::live(name, &path, ""));
                let id = account.as_ref().and_then(|a| a.str("id")).unwrap_or(&path).to_string();
                out.extend(account);
                if let Some(share) = &target.share {
                    let share_path = storage_share::ENTRY.path(&path, share);
                    let live: Option<Value> = self
                        .get_json(
                            &share_path,
                            storage_share::ENTRY.api_version,
                            &format!("file share '{share}' of '{name}'"),
                        )
                        .await?;
                    if let Some(live) = live {
                        out.extend(storage_share::ENTRY.read_body(&live, &Request::live(share, &share_path, &id)));
                    }
                }
            }
        }
        if let (Some(name), Some(environment)) = (&target.environment_storage, environment) {
            let env_path = container_app_environment::ENTRY.path(&base, environment);
            let entry = &container_app_environment_storage::ENTRY;
            let path = entry.path(&env_path, name);
            let storage: Option<Value> = self
                .get_json(
                    &path,
                    entry.api_version,
                    &format!("storage '{name}' of container app environment '{environment}'"),
                )
                .await?;
            if let Some(storage) = storage {
                out.extend(entry.read_body(&storage, &Request::live(name, &path, &env_path)));
            }
        }
        Ok(out)
    }
}
