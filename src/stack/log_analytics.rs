//! `azurerm_log_analytics_workspace.main`: where the container app environment sends its logs.

use super::names::WorkspaceName;
use serde::{Deserialize, Serialize};

/// `[log_analytics]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogAnalyticsWorkspace {
    pub name: WorkspaceName,
    /// 30–730 days; left to Azure's default (30) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_in_days: Option<u32>,
}
