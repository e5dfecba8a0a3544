//! `azurerm_log_analytics_workspace` from a Microsoft.OperationalInsights `workspaces` GET (api-version
//! 2022-10-01). `customerId` (azurerm's `workspace_id`) is what an environment names its workspace by.

use super::{str_at, tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_log_analytics_workspace";

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
