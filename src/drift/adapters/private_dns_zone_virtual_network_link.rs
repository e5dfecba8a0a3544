//! `azurerm_private_dns_zone_virtual_network_link` from a Microsoft.Network `privateDnsZones/virtualNetworkLinks`
//! list item (api-version 2024-06-01).

use super::{bool_at, str_at, tags, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_private_dns_zone_virtual_network_link";

/// `zone`: the name of the zone the link is in.
pub(crate) fn object(arm: &Value, zone: &str) -> LiveObject {
    let name = str_at(arm, "/name").unwrap_or_default();
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": str_at(arm, "/id").unwrap_or_default(),
            "name": name,
            "private_dns_zone_name": zone,
            "virtual_network_id": str_at(arm, "/properties/virtualNetwork/id").unwrap_or_default(),
            "registration_enabled": bool_at(arm, "/properties/registrationEnabled", false),
            "tags": tags(arm),
        }),
    )
}
