//! `azurerm_user_assigned_identity` from a Microsoft.ManagedIdentity `userAssignedIdentities` GET
//! (api-version 2023-01-31). `principalId` and `clientId` are read-only GUIDs, compared lower-cased.

use super::{str_at, tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_user_assigned_identity";

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
