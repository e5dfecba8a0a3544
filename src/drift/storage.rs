//! Reading the `/data` volume's storage from Azure: the storage account (firewall, public network access, SAS
//! expiration policy, TLS, HTTPS-only, shared-key access, tier and replication), its file share (quota, protocol)
//! and the environment's storage (which account and share it mounts, and how). Each live resource is kept under
//! azurerm's attribute names ([`NetworkObject`], the same shape as the network resources), since the compare step
//! works on such objects; only what infra renders is kept.
//!
//! ARM shapes: Microsoft.Storage 2023-05-01 (`storageAccounts`, `storageAccounts/fileServices/shares`; REST spec
//! `specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json` and `file.json`),
//! Microsoft.App 2024-03-01 (`managedEnvironments/storages`, `ManagedEnvironmentsStorages.json`). Where a property
//! is absent, the value is the one the REST spec documents as its interpretation (and azurerm 4.79.0's read of it,
//! `internal/services/storage/storage_account_resource.go`): `allowSharedKeyAccess` null = true,
//! `allowBlobPublicAccess` null = false, `publicNetworkAccess` null = enabled.

use super::azure::{Azure, AzureError};
use super::network::NetworkObject;
use super::normalize;
use serde_json::{json, Map, Value};

pub const STORAGE_API: &str = "2023-05-01";
pub const CONTAINER_APPS_STORAGE_API: &str = "2024-03-01";

/// The storage a stack declares, by name (one each per stack).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageTarget {
    pub account: Option<String>,
    pub share: Option<String>,
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
            account: name("azurerm_storage_account"),
            share: name("azurerm_storage_share"),
            environment_storage: name("azurerm_container_app_environment_storage"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.account.is_none() && self.share.is_none() && self.environment_storage.is_none()
    }
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn bool_at(v: &Value, pointer: &str, absent: bool) -> bool {
    v.pointer(pointer).and_then(Value::as_bool).unwrap_or(absent)
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A `Microsoft.Storage/storageAccounts` GET under azurerm's attribute names.
pub fn account_object(account: &Value) -> NetworkObject {
    let name = str_at(account, "/name").unwrap_or_default().to_string();
    // `sku.name` is `<tier>_<replication>` (Standard_ZRS); azurerm splits it into two arguments.
    let sku = str_at(account, "/sku/name").unwrap_or_default();
    let (tier, replication) = sku.split_once('_').unwrap_or((sku, ""));
    let tier = str_at(account, "/sku/tier").unwrap_or(tier);
    let mut attributes = object(json!({
        "id": str_at(account, "/id").unwrap_or_default(),
        "name": name,
        "location": normalize::location(str_at(account, "/location").unwrap_or_default()),
        "account_kind": str_at(account, "/kind").unwrap_or_default(),
        "account_tier": tier,
        "account_replication_type": replication,
        "min_tls_version": str_at(account, "/properties/minimumTlsVersion").unwrap_or("TLS1_0"),
        "https_traffic_only_enabled": bool_at(account, "/properties/supportsHttpsTrafficOnly", true),
        "allow_nested_items_to_be_public": bool_at(account, "/properties/allowBlobPublicAccess", false),
        "shared_access_key_enabled": bool_at(account, "/properties/allowSharedKeyAccess", true),
        "public_network_access_enabled": str_at(account, "/properties/publicNetworkAccess")
            .is_none_or(normalize::enabled),
        "tags": account.get("tags").cloned().filter(Value::is_object).unwrap_or_else(|| json!({})),
    }));
    if let Some(acls) = account.pointer("/properties/networkAcls") {
        // `bypass` is one comma-separated string in ARM ("Logging, Metrics, AzureServices"), a set in azurerm.
        let bypass: Vec<String> = normalize::set(
            str_at(acls, "/bypass")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "None")
                .map(str::to_string),
        );
        let ip_rules: Vec<Value> = acls
            .get("ipRules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| str_at(rule, "/value").map(|v| Value::String(v.to_string())))
            .collect();
        let subnets: Vec<Value> = acls
            .get("virtualNetworkRules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|rule| str_at(rule, "/id").map(|v| Value::String(v.to_string())))
            .collect();
        attributes.insert(
            "network_rules".into(),
            json!([{
                "default_action": str_at(acls, "/defaultAction").unwrap_or("Allow"),
                "bypass": bypass,
                "ip_rules": ip_rules,
                "virtual_network_subnet_ids": subnets,
            }]),
        );
    }
    let sas = account
        .pointer("/properties/sasPolicy")
        .filter(|v| v.is_object())
        .map(|sas| {
            json!([{
                "expiration_period": str_at(sas, "/sasExpirationPeriod").unwrap_or_default(),
                "expiration_action": str_at(sas, "/expirationAction").unwrap_or("Log"),
            }])
        })
        .unwrap_or_else(|| json!([]));
    attributes.insert("sas_policy".into(), sas);
    NetworkObject {
        resource_type: "azurerm_storage_account",
        name,
        attributes,
    }
}

/// A `fileServices/default/shares` GET under azurerm's attribute names.
pub fn share_object(share: &Value, account_id: &str) -> NetworkObject {
    let name = str_at(share, "/name").unwrap_or_default().to_string();
    NetworkObject {
        resource_type: "azurerm_storage_share",
        name: name.clone(),
        attributes: object(json!({
            "id": str_at(share, "/id").unwrap_or_default(),
            "name": name,
            "storage_account_id": account_id,
            "quota": share.pointer("/properties/shareQuota").cloned().unwrap_or(Value::Null),
            "enabled_protocol": str_at(share, "/properties/enabledProtocols").unwrap_or("SMB"),
        })),
    }
}

/// A `managedEnvironments/storages` GET under azurerm's attribute names (the account key is never returned).
pub fn environment_storage_object(storage: &Value, environment_id: &str) -> NetworkObject {
    let name = str_at(storage, "/name").unwrap_or_default().to_string();
    NetworkObject {
        resource_type: "azurerm_container_app_environment_storage",
        name: name.clone(),
        attributes: object(json!({
            "id": str_at(storage, "/id").unwrap_or_default(),
            "name": name,
            "container_app_environment_id": environment_id,
            "account_name": str_at(storage, "/properties/azureFile/accountName").unwrap_or_default(),
            "share_name": str_at(storage, "/properties/azureFile/shareName").unwrap_or_default(),
            "access_mode": str_at(storage, "/properties/azureFile/accessMode").unwrap_or_default(),
        })),
    }
}

impl Azure {
    /// The storage the target names; missing ones are simply absent. `environment` is the environment's name
    /// (its storage is read only when it is declared).
    pub async fn read_storage(
        &self,
        rg: &str,
        target: &StorageTarget,
        environment: Option<&str>,
    ) -> Result<Vec<NetworkObject>, AzureError> {
        let base = format!("/subscriptions/{}/resourceGroups/{rg}", self.subscription_id());
        let mut out = Vec::new();
        if let Some(name) = &target.account {
            let path = format!("{base}/providers/Microsoft.Storage/storageAccounts/{name}");
            let account: Option<Value> = self
                .get_json(&path, STORAGE_API, &format!("storage account '{name}'"))
                .await?;
            if let Some(account) = account {
                let id = str_at(&account, "/id").unwrap_or(&path).to_string();
                out.push(account_object(&account));
                if let Some(share) = &target.share {
                    let share_path = format!("{path}/fileServices/default/shares/{share}");
                    let live: Option<Value> = self
                        .get_json(&share_path, STORAGE_API, &format!("file share '{share}' of '{name}'"))
                        .await?;
                    if let Some(live) = live {
                        out.push(share_object(&live, &id));
                    }
                }
            }
        }
        if let (Some(name), Some(environment)) = (&target.environment_storage, environment) {
            let env_path = format!("{base}/providers/Microsoft.App/managedEnvironments/{environment}");
            let path = format!("{env_path}/storages/{name}");
            let storage: Option<Value> = self
                .get_json(
                    &path,
                    CONTAINER_APPS_STORAGE_API,
                    &format!("storage '{name}' of container app environment '{environment}'"),
                )
                .await?;
            if let Some(storage) = storage {
                out.push(environment_storage_object(&storage, &env_path));
            }
        }
        Ok(out)
    }
}
