//! `azurerm_subnet` from a subnet inside a Microsoft.Network `virtualNetworks` GET (api-version 2024-05-01).

use super::{array_at, str_at, LiveObject};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_subnet";

/// `virtual_network`: the name of the network the subnet is in.
pub(crate) fn object(arm: &Value, virtual_network: &str) -> LiveObject {
    let name = str_at(arm, "/name").unwrap_or_default();
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
