//! `azurerm_resource_group.main`: the resource group every resource of the stack lives in.

use super::names::ResourceGroupName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[resource_group]`: the resource group every resource of the stack lives in (`azurerm_resource_group.main`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceGroup {
    /// The resource group's name.
    pub name: ResourceGroupName,
}
