//! `azurerm_private_dns_zone` from a Microsoft.Network `privateDnsZones` GET (api-version 2024-06-01).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{id_or, name_or, tags, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_private_dns_zone";

/// The Microsoft.Network `privateDnsZones` api-version (zones and their virtual network links).
pub(crate) const PRIVATE_DNS_API: &str = "2024-06-01";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/privateDnsZones",
    path: ArmPath::InResourceGroup,
    api_version: PRIVATE_DNS_API,
    noun: "private DNS zone",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: no rule reads a zone's body"),
};

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({ "id": id_or(arm, path), "name": name, "tags": tags(arm) }),
    )
}
