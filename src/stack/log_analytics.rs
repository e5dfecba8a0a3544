//! `azurerm_log_analytics_workspace.main`: where the container app environment sends its logs.

use super::names::WorkspaceName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[log_analytics]`: the Log Analytics workspace the environment sends its logs to
/// (`azurerm_log_analytics_workspace.main`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogAnalyticsWorkspace {
    /// The workspace's name.
    pub name: WorkspaceName,
    /// Days logs are kept, 30–730; Azure's default (30) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::LOG_RETENTION_DAYS.min, max = crate::azurerm::facts::limits::LOG_RETENTION_DAYS.max))]
    pub retention_in_days: Option<u32>,
}
