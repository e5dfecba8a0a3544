//! `azurerm_resource_group` from a Microsoft.Resources `resourceGroups` GET (api-version 2021-04-01).
//!
//! Only `location` is required by the spec (`ResourceGroup` in `resources.json`); `id` and `name` are read-only
//! and may be absent (the official `ResourceGroups_Get` example body has `location` and nothing else identifying
//! in older versions), so they fall back to what was requested.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_resource_group";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Resources/resourceGroups",
    path: ArmPath::ResourceGroup,
    api_version: "2021-04-01",
    noun: "resource group",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("no rule reads a resource group"),
};

/// `name` and `path`: what the resource group was read by.
pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(TYPE, arm, name, path, json!({}))
}
