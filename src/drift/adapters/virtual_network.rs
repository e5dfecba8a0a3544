//! `azurerm_virtual_network` from a Microsoft.Network `virtualNetworks` GET (api-version 2024-05-01). Its
//! `subnets` are read by [`super::subnet`] and [`super::subnet_network_security_group_association`].

use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_virtual_network";

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
