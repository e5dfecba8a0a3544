//! `azurerm_private_dns_zone` from a Microsoft.Network `privateDnsZones` GET (api-version 2024-06-01).

use super::{id_or, name_or, tags, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_private_dns_zone";

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({ "id": id_or(arm, path), "name": name, "tags": tags(arm) }),
    )
}
