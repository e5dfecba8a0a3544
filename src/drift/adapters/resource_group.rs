//! `azurerm_resource_group` from a Microsoft.Resources `resourceGroups` GET (api-version 2021-04-01).
//!
//! Only `location` is required by the spec (`ResourceGroup` in `resources.json`); `id` and `name` are read-only
//! and may be absent (the official `ResourceGroups_Get` example body has `location` and nothing else identifying
//! in older versions), so they fall back to what was requested.

use super::{id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub const TYPE: &str = "azurerm_resource_group";

/// `name` and `path`: what the resource group was read by.
pub fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            "tags": tags(arm),
        }),
    )
}
