//! `azurerm_virtual_network` from a Microsoft.Network `virtualNetworks` GET (api-version 2024-05-01). Its
//! `subnets` are read by [`super::subnet`] and [`super::subnet_network_security_group_association`].

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_virtual_network";

/// The Microsoft.Network api-version drift reads virtual networks, subnets, NSGs and private endpoints at.
pub(crate) const NETWORK_API: &str = "2024-05-01";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/virtualNetworks",
    path: ArmPath::InResourceGroup,
    api_version: NETWORK_API,
    noun: "virtual network",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: its subnets would need mapping too"),
};

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(
        TYPE,
        arm,
        name,
        path,
        json!({
            "address_space": arm
                .pointer("/properties/addressSpace/addressPrefixes")
                .cloned()
                .unwrap_or_else(|| json!([])),
        }),
    )
}

/// The subnets inside a virtual network GET.
pub(crate) fn subnets(arm: &Value) -> &[Value] {
    super::array_at(arm, "/properties/subnets")
}
