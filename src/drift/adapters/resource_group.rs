//! `azurerm_resource_group` from a Microsoft.Resources `resourceGroups` GET (api-version 2021-04-01).
//!
//! Only `location` is required by the spec (`ResourceGroup` in `resources.json`); `id` and `name` are read-only
//! and may be absent (the official `ResourceGroups_Get` example body has `location` and nothing else identifying
//! in older versions), so they fall back to what was requested.

use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_resource_group";

/// `name` and `path`: what the resource group was read by.
pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(TYPE, arm, name, path, json!({}))
}
