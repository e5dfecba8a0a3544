//! `azurerm_container_app_environment_storage` from a Microsoft.App `managedEnvironments/storages` GET
//! (api-version 2024-03-01, `ManagedEnvironmentsStorages.json`). The account key is never returned.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{id_or, name_or, str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_app_environment_storage";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.App/managedEnvironments/storages",
    path: ArmPath::Child("storages"),
    api_version: super::container_app_environment::CONTAINER_APPS_API,
    noun: "storage",
    read: |arm, r| Some(object(arm, r.name, r.path, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi environment storage body is tested"),
};

/// `name` and `path`: what it was requested by (a body may leave `id` and `name` out, [`name_or`]);
/// `environment_id`: the environment's resource ID.
pub(crate) fn object(arm: &Value, name: &str, path: &str, environment_id: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "container_app_environment_id": environment_id,
            "account_name": str_at(arm, "/properties/azureFile/accountName").unwrap_or_default(),
            "share_name": str_at(arm, "/properties/azureFile/shareName").unwrap_or_default(),
            "access_mode": str_at(arm, "/properties/azureFile/accessMode").unwrap_or_default(),
        }),
    )
}
