//! `azurerm_network_security_group` from a Microsoft.Network `networkSecurityGroups` GET (api-version
//! 2024-05-01).

use super::{id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub const TYPE: &str = "azurerm_network_security_group";

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
