//! `azurerm_container_app_environment.main`: the Consumption environment the app runs in. It sends its logs to
//! the stack's Log Analytics workspace.

use super::names::EnvironmentName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[environment]`: the Container Apps environment the app runs in (`azurerm_container_app_environment.main`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerAppEnvironment {
    /// The Container Apps environment's name.
    pub name: EnvironmentName,
}
