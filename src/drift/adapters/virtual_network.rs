//! `azurerm_virtual_network` from a Microsoft.Network `virtualNetworks` GET (api-version 2024-05-01). Its
//! `subnets` are read by [`super::subnet`] and [`super::subnet_network_security_group_association`].

use super::{id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub const TYPE: &str = "azurerm_virtual_network";

pub fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            "address_space": arm
                .pointer("/properties/addressSpace/addressPrefixes")
                .cloned()
                .unwrap_or_else(|| json!([])),
            "tags": tags(arm),
        }),
    )
}

/// The subnets inside a virtual network GET.
pub fn subnets(arm: &Value) -> &[Value] {
    super::array_at(arm, "/properties/subnets")
}
