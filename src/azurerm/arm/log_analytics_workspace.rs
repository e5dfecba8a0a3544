//! `azurerm_log_analytics_workspace` from a Microsoft.OperationalInsights `workspaces` GET (api-version
//! 2022-10-01). `customerId` (azurerm's `workspace_id`) is what an environment names its workspace by.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{str_at, tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_log_analytics_workspace";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.OperationalInsights/workspaces",
    path: ArmPath::InResourceGroup,
    api_version: "2022-10-01",
    noun: "Log Analytics workspace",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi workspace body is tested"),
};

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(
        TYPE,
        arm,
        name,
        path,
        json!({
            "sku": str_at(arm, "/properties/sku/name").unwrap_or_default(),
            "retention_in_days": arm.pointer("/properties/retentionInDays").and_then(Value::as_i64),
            "workspace_id": str_at(arm, "/properties/customerId").unwrap_or_default().to_ascii_lowercase(),
        }),
    )
}
