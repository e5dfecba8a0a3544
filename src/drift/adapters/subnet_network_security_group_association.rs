//! `azurerm_subnet_network_security_group_association` from a subnet inside a Microsoft.Network
//! `virtualNetworks` GET (api-version 2024-05-01): the subnet's `networkSecurityGroup`, if it has one. azurerm
//! gives the association the subnet's ID.

use super::{str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_subnet_network_security_group_association";

/// `None` when the subnet has no network security group.
pub(crate) fn object(subnet: &Value) -> Option<LiveObject> {
    let nsg = str_at(subnet, "/properties/networkSecurityGroup/id")?;
    let id = str_at(subnet, "/id").unwrap_or_default();
    Some(LiveObject::new(
        TYPE,
        str_at(subnet, "/name").unwrap_or_default(),
        json!({ "id": id, "subnet_id": id, "network_security_group_id": nsg }),
    ))
}
