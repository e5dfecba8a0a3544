//! `azurerm_storage_share` from a Microsoft.Storage `storageAccounts/fileServices/shares` GET (api-version
//! 2023-05-01, `file.json`). `enabledProtocols` absent = SMB (a share is SMB unless created as NFS, `arm_defaults::ARM_DEFAULTS`, filled in
//! before this reader runs).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{id_or, name_or, str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_storage_share";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Storage/storageAccounts/fileServices/shares",
    path: ArmPath::Child("fileServices/default/shares"),
    api_version: super::storage_account::STORAGE_API,
    noun: "file share",
    read: |arm, r| Some(object(arm, r.name, r.path, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi file share body is tested"),
};

/// `name` and `path`: what it was requested by (a body may leave `id` and `name` out, [`name_or`]);
/// `account_id`: the storage account's resource ID.
pub(crate) fn object(arm: &Value, name: &str, path: &str, account_id: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "storage_account_id": account_id,
            "quota": arm.pointer("/properties/shareQuota").cloned().unwrap_or(Value::Null),
            "enabled_protocol":
                str_at(arm, "/properties/enabledProtocols"),
        }),
    )
}
