//! `azurerm_private_dns_zone_virtual_network_link` from a Microsoft.Network `privateDnsZones/virtualNetworkLinks`
//! list item (api-version 2024-06-01).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{str_at, tags, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_private_dns_zone_virtual_network_link";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    path: ArmPath::Child("virtualNetworkLinks"),
    api_version: super::private_dns_zone::PRIVATE_DNS_API,
    noun: "virtual network link",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: an azapi link names its zone by ID, the reader by name"),
};

/// `zone`: the name of the zone the link is in.
pub(crate) fn object(arm: &Value, zone: &str) -> LiveObject {
    let name = super::name_or(arm, "");
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": str_at(arm, "/id").unwrap_or_default(),
            "name": name,
            "private_dns_zone_name": zone,
            "virtual_network_id": str_at(arm, "/properties/virtualNetwork/id").unwrap_or_default(),
            "registration_enabled": arm.pointer("/properties/registrationEnabled"),
            "tags": tags(arm),
        }),
    )
}
