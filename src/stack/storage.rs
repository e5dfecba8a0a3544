//! The Azure Files storage behind the app's `/data` volume: `azurerm_storage_account.data`,
//! `azurerm_storage_share.data` and `azurerm_container_app_environment_storage.data` (NOTES.md §9, §11, §12).
//!
//! The account is hardened (TLS 1.2, HTTPS only, no public blobs); shared-key access stays on because the
//! environment mounts the share with the account key — which is rendered as a reference to the account's
//! `primary_access_key`, never as a value.

use super::names::{EnvironmentStorageName, ShareName, StorageAccountName};
use serde::{Deserialize, Serialize};

/// `[storage]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub account: StorageAccount,
    pub share: FileShare,
    pub environment_storage: EnvironmentStorage,
}

/// Redundancy of the storage account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Replication {
    LRS,
    ZRS,
    GRS,
    RAGRS,
    GZRS,
    RAGZRS,
}

impl Replication {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageAccount {
    /// 3–24 lower-case alphanumerics, globally unique.
    pub name: StorageAccountName,
    pub replication: Replication,
    /// Public network access to the account's endpoints. Off needs `[network.private_endpoints] storage = true`
    /// (the environment then mounts the share over the private endpoint), and a deploying identity inside the
    /// network for data-plane calls.
    #[serde(default = "yes")]
    pub public_network_access_enabled: bool,
    /// The storage firewall: with `default_action = "Deny"` only the listed public addresses (e.g. CI) and
    /// private endpoints get through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_rules: Option<super::NetworkRules>,
    /// How long a SAS may be valid before its use is logged, as `D.HH:MM:SS` (e.g. `"1.00:00:00"`): the account's
    /// SAS expiration policy (`sas_policy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileShare {
    pub name: ShareName,
    /// Size limit in GiB, 1–5120 (a Standard account without large file shares).
    pub quota_gb: u32,
}

/// Whether the app may write to the share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessMode {
    ReadOnly,
    ReadWrite,
}

impl AccessMode {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::ReadOnly => "ReadOnly",
            AccessMode::ReadWrite => "ReadWrite",
        }
    }
}

/// `[storage.environment_storage]`: the share registered in the container app environment; app volumes name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentStorage {
    pub name: EnvironmentStorageName,
    pub access_mode: AccessMode,
}
