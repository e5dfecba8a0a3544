//! `azurerm_private_endpoint` from a Microsoft.Network `privateEndpoints` GET and its `privateDnsZoneGroups`
//! list (api-version 2024-05-01).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_private_endpoint";

/// The child list of a private endpoint's DNS zone groups (read at the endpoint's api-version).
pub(crate) const ZONE_GROUPS: &str = "privateDnsZoneGroups";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Network/privateEndpoints",
    path: ArmPath::InResourceGroup,
    api_version: super::virtual_network::NETWORK_API,
    noun: "private endpoint",
    read: |arm, r| Some(object(arm, r.children, r.name, r.path)),
    azapi: Azapi::NotMapped("not mapped yet: its DNS zone groups are child resources of their own"),
};

pub(crate) fn object(arm: &Value, zone_groups: &[Value], name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    let props = arm.get("properties").unwrap_or(&Value::Null);
    let connections: Vec<Value> = ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]
        .iter()
        .flat_map(|key| {
            let manual = *key == "manualPrivateLinkServiceConnections";
            array_at(props, &format!("/{key}")).iter().map(move |c| {
                let mut connection = json!({
                    "private_connection_resource_id": str_at(c, "/properties/privateLinkServiceId").unwrap_or_default(),
                    "subresource_names": c.pointer("/properties/groupIds").cloned().unwrap_or_else(|| json!([])),
                    "is_manual_connection": manual,
                });
                // `PrivateLinkServiceConnection.name` is optional (`privateEndpoint.json` 2024-05-01) and the
                // official `PrivateEndpointGet.json` example has none: a connection without one is not read
                // by name (its declared name is listed as not compared), rather than read as "" and replaced.
                if let Some(name) = str_at(c, "/name") {
                    connection["name"] = name.into();
                }
                connection
            })
        })
        .collect();
    let groups: Vec<Value> = zone_groups
        .iter()
        .map(|g| {
            let ids: Vec<&str> = array_at(g, "/properties/privateDnsZoneConfigs")
                .iter()
                .filter_map(|c| str_at(c, "/properties/privateDnsZoneId"))
                .collect();
            json!({ "name": str_at(g, "/name").unwrap_or_default(), "private_dns_zone_ids": ids })
        })
        .collect();
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            "subnet_id": str_at(props, "/subnet/id").unwrap_or_default(),
            "tags": tags(arm),
            "private_service_connection": connections,
            "private_dns_zone_group": groups,
        }),
    )
}
