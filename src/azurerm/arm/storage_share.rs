//! `azurerm_storage_share` from a Microsoft.Storage `storageAccounts/fileServices/shares` GET (api-version
//! 2023-05-01, `file.json`). `enabledProtocols` absent = SMB (a share is SMB unless created as NFS, [`arm_defaults`]).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{str_at, LiveObject};
use crate::azurerm::facts::arm_defaults;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_storage_share";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Storage/storageAccounts/fileServices/shares",
    path: ArmPath::Child("fileServices/default/shares"),
    api_version: super::storage_account::STORAGE_API,
    noun: "file share",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi file share body is tested"),
};

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
            "enabled_protocol":
                str_at(arm, "/properties/enabledProtocols").unwrap_or(arm_defaults::SHARE_ENABLED_PROTOCOLS),
        }),
    )
}
