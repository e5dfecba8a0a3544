//! `azurerm_network_security_group` from a Microsoft.Network `networkSecurityGroups` GET (api-version
//! 2024-05-01).

use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_network_security_group";

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(TYPE, arm, name, path, json!({}))
}
