//! `azurerm_network_security_group` from a Microsoft.Network `networkSecurityGroups` GET (api-version
//! 2024-05-01).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{tracked, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_network_security_group";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/networkSecurityGroups",
    path: ArmPath::InResourceGroup,
    api_version: super::virtual_network::NETWORK_API,
    noun: "network security group",
    read: |arm, r| Some(object(arm, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: no rule reads an NSG's body"),
};

pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    tracked(TYPE, arm, name, path, json!({}))
}
