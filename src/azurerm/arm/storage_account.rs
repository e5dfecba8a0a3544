//! `azurerm_storage_account` from a Microsoft.Storage `storageAccounts` GET (api-version 2023-05-01; REST spec
//! `specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json`). Where a property
//! is absent, the value is the one the REST spec documents as its interpretation (filled in from
//! `arm_defaults::ARM_DEFAULTS` before this reader runs, `super::registry::ArmResource::read_body`; and azurerm
//! 4.79.0's read of it, `internal/services/storage/storage_account_resource.go`): `allowSharedKeyAccess` null =
//! true, `allowBlobPublicAccess` null = false, `publicNetworkAccess` null = enabled, TLS 1.0, HTTPS only.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_storage_account";

/// The Microsoft.Storage api-version (accounts and file shares).
pub(crate) const STORAGE_API: &str = "2023-05-01";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Storage/storageAccounts",
    path: ArmPath::InResourceGroup,
    api_version: STORAGE_API,
    noun: "storage account",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi storage account body is tested"),
};

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    // `sku.name` is `<tier>_<replication>` (Standard_ZRS); azurerm splits it into two arguments.
    let sku = str_at(arm, "/sku/name").unwrap_or_default();
    let (tier, replication) = sku.split_once('_').unwrap_or((sku, ""));
    let tier = str_at(arm, "/sku/tier").unwrap_or(tier);
    let mut attributes = json!({
        "id": id_or(arm, path),
        "name": name,
        "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
        "account_kind": str_at(arm, "/kind").unwrap_or_default(),
        "account_tier": tier,
        "account_replication_type": replication,
        "min_tls_version": str_at(arm, "/properties/minimumTlsVersion"),
        "https_traffic_only_enabled": arm.pointer("/properties/supportsHttpsTrafficOnly"),
        "allow_nested_items_to_be_public": arm.pointer("/properties/allowBlobPublicAccess"),
        "shared_access_key_enabled": arm.pointer("/properties/allowSharedKeyAccess"),
        "public_network_access_enabled": str_at(arm, "/properties/publicNetworkAccess").map(normalize::enabled),
        "tags": tags(arm),
    });
    if let Some(acls) = arm.pointer("/properties/networkAcls").filter(|v| v.is_object()) {
        // `bypass` is one comma-separated string in ARM ("Logging, Metrics, AzureServices"), a set in azurerm.
        let bypass = normalize::set(
            str_at(acls, "/bypass")
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "None")
                .map(str::to_string),
        );
        let ip_rules: Vec<&str> = array_at(acls, "/ipRules")
            .iter()
            .filter_map(|r| str_at(r, "/value"))
            .collect();
        let subnets: Vec<&str> = array_at(acls, "/virtualNetworkRules")
            .iter()
            .filter_map(|r| str_at(r, "/id"))
            .collect();
        attributes["network_rules"] = json!([{
            "default_action": str_at(acls, "/defaultAction"),
            "bypass": bypass,
            "ip_rules": ip_rules,
            "virtual_network_subnet_ids": subnets,
        }]);
    }
    attributes["sas_policy"] = arm
        .pointer("/properties/sasPolicy")
        .filter(|v| v.is_object())
        .map(|sas| {
            json!([{
                "expiration_period": str_at(sas, "/sasExpirationPeriod").unwrap_or_default(),
                "expiration_action": str_at(sas, "/expirationAction"),
            }])
        })
        .unwrap_or_else(|| json!([]));
    LiveObject::new(TYPE, name, attributes)
}
