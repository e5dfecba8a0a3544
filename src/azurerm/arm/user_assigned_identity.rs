//! `azurerm_user_assigned_identity` from a Microsoft.ManagedIdentity `userAssignedIdentities` GET
//! (api-version 2023-01-31). `principalId` and `clientId` are read-only GUIDs, compared lower-cased.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{str_at, tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_user_assigned_identity";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.ManagedIdentity/userAssignedIdentities",
    path: ArmPath::InResourceGroup,
    api_version: "2023-01-31",
    noun: "user-assigned identity",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: no rule reads an identity's body"),
};

/// The identity's principal ID (what role assignments name), lower-cased.
pub(crate) fn principal_id(identity: &LiveObject) -> Option<&str> {
    identity.str("principal_id").filter(|p| !p.is_empty())
}

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(
        TYPE,
        arm,
        name,
        path,
        json!({
            "principal_id": str_at(arm, "/properties/principalId").unwrap_or_default().to_ascii_lowercase(),
            "client_id": str_at(arm, "/properties/clientId").unwrap_or_default().to_ascii_lowercase(),
        }),
    )
}
