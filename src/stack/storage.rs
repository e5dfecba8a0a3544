//! The Azure Files storage behind the app's `/data` volume: `azurerm_storage_account.data`,
//! `azurerm_storage_share.data` and `azurerm_container_app_environment_storage.data` (NOTES.md §9, §11, §12).
//!
//! The account is hardened (TLS 1.2, HTTPS only, no public blobs); shared-key access stays on because the
//! environment mounts the share with the account key — which is rendered as a reference to the account's
//! `primary_access_key`, never as a value.

use super::names::{EnvironmentStorageName, ShareName, StorageAccountName};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[storage]`: the Azure Files storage behind the app's volume: account, share and the environment's view of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// The storage account that holds the share.
    pub account: StorageAccount,
    /// The file share mounted as the app's volume.
    pub share: FileShare,
    /// The share as the container app environment knows it.
    pub environment_storage: EnvironmentStorage,
}

/// Redundancy of the storage account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum Replication {
    LRS,
    ZRS,
    GRS,
    RAGRS,
    GZRS,
    RAGZRS,
}

impl Replication {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Replication::LRS => "LRS",
            Replication::ZRS => "ZRS",
            Replication::GRS => "GRS",
            Replication::RAGRS => "RAGRS",
            Replication::GZRS => "GZRS",
            Replication::RAGZRS => "RAGZRS",
        }
    }
}

/// `[storage.account]`: a Standard StorageV2 account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageAccount {
    /// The account's name: 3–24 lower-case letters and digits, globally unique.
    pub name: StorageAccountName,
    /// Redundancy: `LRS`, `ZRS`, `GRS`, `RAGRS`, `GZRS` or `RAGZRS`.
    pub replication: Replication,
    /// Public network access to the account's endpoints. Off needs `[network.private_endpoints] storage = true`
    /// (the environment then mounts the share over the private endpoint), and a deploying identity inside the
    /// network for data-plane calls.
    #[serde(default = "yes")]
    pub public_network_access_enabled: bool,
    /// The storage firewall: with `default_action = "Deny"` only the listed public addresses (e.g. CI) and
    /// private endpoints get through; with `Deny`, `[network.private_endpoints] storage = true` too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_rules: Option<super::NetworkRules>,
    /// How long a SAS may be valid before its use is logged, as `D.HH:MM:SS` (e.g. `"1.00:00:00"`): the account's
    /// SAS expiration policy (`sas_policy`). Hours < 24, minutes and seconds < 60; not zero (checked by
    /// `infra render`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::azurerm::facts::limits::SAS_PERIOD))]
    pub sas_expiration_period: Option<String>,
}

fn yes() -> bool {
    true
}

impl StorageAccount {
    /// An account with public network access on, no firewall and no SAS policy.
    pub fn new(name: StorageAccountName, replication: Replication) -> Self {
        StorageAccount {
            name,
            replication,
            public_network_access_enabled: true,
            network_rules: None,
            sas_expiration_period: None,
        }
    }
}

/// `[storage.share]`: the Azure Files (SMB) share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileShare {
    /// The share's name.
    pub name: ShareName,
    /// Size limit in GiB, 1–5120 (a Standard account without large file shares).
    #[schemars(range(min = crate::azurerm::facts::limits::SHARE_QUOTA_GB.min, max = crate::azurerm::facts::limits::SHARE_QUOTA_GB.max))]
    pub quota_gb: u32,
}

/// Whether the app may write to the share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum AccessMode {
    ReadOnly,
    ReadWrite,
}

impl AccessMode {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::ReadOnly => "ReadOnly",
            AccessMode::ReadWrite => "ReadWrite",
        }
    }
}

/// `[storage.environment_storage]`: the share registered in the container app environment; app volumes name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentStorage {
    /// The name app volumes refer to (`storage_name` of `[[container_app.volumes]]`).
    pub name: EnvironmentStorageName,
    /// `ReadOnly` or `ReadWrite`.
    pub access_mode: AccessMode,
}
