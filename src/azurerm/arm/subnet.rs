//! `azurerm_subnet` from a subnet inside a Microsoft.Network `virtualNetworks` GET (api-version 2024-05-01).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_subnet";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/virtualNetworks/subnets",
    path: ArmPath::InParent("/properties/subnets"),
    api_version: super::virtual_network::NETWORK_API,
    noun: "subnet",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: an azapi subnet names its network by ID, the reader by name"),
};

/// `virtual_network`: the name of the network the subnet is in.
pub(crate) fn object(arm: &Value, virtual_network: &str) -> LiveObject {
    let name = super::name_or(arm, "");
    let props = arm.get("properties").unwrap_or(&Value::Null);
    // ARM answers `addressPrefix` for one prefix, `addressPrefixes` for several (the provider does the same).
    let prefixes = match (props.get("addressPrefixes"), props.get("addressPrefix")) {
        (Some(Value::Array(a)), _) => Value::Array(a.clone()),
        (_, Some(Value::String(p))) => json!([p]),
        _ => json!([]),
    };
    let delegations: Vec<Value> = array_at(props, "/delegations")
        .iter()
        .map(|d| {
            json!({
                "name": str_at(d, "/name").unwrap_or_default(),
                "service_delegation": [{
                    "name": str_at(d, "/properties/serviceName").unwrap_or_default(),
                    "actions": d.pointer("/properties/actions").cloned().unwrap_or_else(|| json!([])),
                }],
            })
        })
        .collect();
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": str_at(arm, "/id").unwrap_or_default(),
            "name": name,
            "virtual_network_name": virtual_network,
            "address_prefixes": prefixes,
            "delegation": delegations,
        }),
    )
}
