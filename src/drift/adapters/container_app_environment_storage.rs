//! `azurerm_container_app_environment_storage` from a Microsoft.App `managedEnvironments/storages` GET
//! (api-version 2024-03-01, `ManagedEnvironmentsStorages.json`). The account key is never returned.

use super::{str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_app_environment_storage";

/// `environment_id`: the environment's resource ID.
pub(crate) fn object(arm: &Value, environment_id: &str) -> LiveObject {
    let name = str_at(arm, "/name").unwrap_or_default();
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": str_at(arm, "/id").unwrap_or_default(),
            "name": name,
            "container_app_environment_id": environment_id,
            "account_name": str_at(arm, "/properties/azureFile/accountName").unwrap_or_default(),
            "share_name": str_at(arm, "/properties/azureFile/shareName").unwrap_or_default(),
            "access_mode": str_at(arm, "/properties/azureFile/accessMode").unwrap_or_default(),
        }),
    )
}
