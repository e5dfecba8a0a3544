//! `azurerm_storage_share` from a Microsoft.Storage `storageAccounts/fileServices/shares` GET (api-version
//! 2023-05-01, `file.json`). `enabledProtocols` absent = SMB (the spec's default).

use super::{str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_storage_share";

/// `account_id`: the storage account's resource ID.
pub(crate) fn object(arm: &Value, account_id: &str) -> LiveObject {
    let name = str_at(arm, "/name").unwrap_or_default();
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": str_at(arm, "/id").unwrap_or_default(),
            "name": name,
            "storage_account_id": account_id,
            "quota": arm.pointer("/properties/shareQuota").cloned().unwrap_or(Value::Null),
            "enabled_protocol": str_at(arm, "/properties/enabledProtocols").unwrap_or("SMB"),
        }),
    )
}
