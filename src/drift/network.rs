//! Reading `[network]` from Azure: the virtual network (with its subnets and their NSG associations), network
//! security groups, private endpoints (with their DNS zone groups), private DNS zones (with their virtual network
//! links). Each live resource is kept already under azurerm's attribute names ([`NetworkObject`]), since the
//! compare step works on such objects; only what infra renders (and the IDs references resolve to) is kept.
//!
//! ARM shapes: Microsoft.Network 2024-05-01 (virtualNetworks, networkSecurityGroups, privateEndpoints,
//! privateEndpoints/privateDnsZoneGroups), Microsoft.Network privateDnsZones 2024-06-01.

use super::azure::{Azure, AzureError};
use super::normalize;
use serde::Serialize;
use serde_json::{json, Map, Value};

pub const NETWORK_API: &str = "2024-05-01";
pub const PRIVATE_DNS_API: &str = "2024-06-01";

/// The network resources a stack declares, by name (one resource group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkTarget {
    pub virtual_networks: Vec<String>,
    pub network_security_groups: Vec<String>,
    pub private_endpoints: Vec<String>,
    pub private_dns_zones: Vec<String>,
    /// A private DNS zone named after the environment's default domain (an internal environment's): its name is
    /// known once the environment is read.
    pub environment_zone: bool,
}

impl NetworkTarget {
    /// The literal names of the network resources in a configuration.
    pub fn from_config(config: &crate::terraform::Config) -> NetworkTarget {
        let names = |resource_type: &str| -> Vec<String> {
            config
                .resources()
                .into_iter()
                .filter(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
                .filter_map(|r| {
                    r.get("name")
                        .and_then(crate::terraform::expr::as_str)
                        .map(str::to_string)
                })
                .collect()
        };
        NetworkTarget {
            virtual_networks: names("azurerm_virtual_network"),
            network_security_groups: names("azurerm_network_security_group"),
            private_endpoints: names("azurerm_private_endpoint"),
            private_dns_zones: names("azurerm_private_dns_zone"),
            environment_zone: config.resources().into_iter().any(|r| {
                r.mode == crate::terraform::Mode::Managed
                    && r.resource_type == "azurerm_private_dns_zone"
                    && r.get("name").is_some_and(|name| {
                        crate::terraform::expr::to_hcl(name).starts_with("azurerm_container_app_environment.")
                            && crate::terraform::expr::to_hcl(name).ends_with(".default_domain")
                    })
            }),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.virtual_networks.is_empty()
            && self.network_security_groups.is_empty()
            && self.private_endpoints.is_empty()
            && self.private_dns_zones.is_empty()
            && !self.environment_zone
    }
}

/// One live network resource under the azurerm type it corresponds to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkObject {
    pub resource_type: &'static str,
    pub name: String,
    pub attributes: Map<String, Value>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

fn tags(v: &Value) -> Value {
    v.get("tags")
        .cloned()
        .filter(Value::is_object)
        .unwrap_or_else(|| json!({}))
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A virtual network and, from its `subnets`, each subnet and each subnet's NSG association.
fn from_virtual_network(vnet: &Value, out: &mut Vec<NetworkObject>) {
    let name = str_at(vnet, &["name"]).unwrap_or_default().to_string();
    let id = str_at(vnet, &["id"]).unwrap_or_default().to_string();
    let props = vnet.get("properties").cloned().unwrap_or(Value::Null);
    let address_space = props
        .pointer("/addressSpace/addressPrefixes")
        .cloned()
        .unwrap_or_else(|| json!([]));
    out.push(NetworkObject {
        resource_type: "azurerm_virtual_network",
        name: name.clone(),
        attributes: object(json!({
            "id": id,
            "name": name,
            "location": normalize::location(str_at(vnet, &["location"]).unwrap_or_default()),
            "address_space": address_space,
            "tags": tags(vnet),
        })),
    });
    let subnets = props
        .get("subnets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for subnet in &subnets {
        let sname = str_at(subnet, &["name"]).unwrap_or_default().to_string();
        let sid = str_at(subnet, &["id"]).unwrap_or_default().to_string();
        let sp = subnet.get("properties").cloned().unwrap_or(Value::Null);
        // ARM answers `addressPrefix` for one prefix, `addressPrefixes` for several (the provider does the same).
        let prefixes = match (sp.get("addressPrefixes"), sp.get("addressPrefix")) {
            (Some(Value::Array(a)), _) => Value::Array(a.clone()),
            (_, Some(Value::String(p))) => json!([p]),
            _ => json!([]),
        };
        let delegations: Vec<Value> = sp
            .get("delegations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|d| {
                json!({
                    "name": str_at(d, &["name"]).unwrap_or_default(),
                    "service_delegation": [{
                        "name": str_at(d, &["properties", "serviceName"]).unwrap_or_default(),
                        "actions": d.pointer("/properties/actions").cloned().unwrap_or_else(|| json!([])),
                    }],
                })
            })
            .collect();
        out.push(NetworkObject {
            resource_type: "azurerm_subnet",
            name: sname.clone(),
            attributes: object(json!({
                "id": sid,
                "name": sname,
                "virtual_network_name": name,
                "address_prefixes": prefixes,
                "delegation": delegations,
            })),
        });
        if let Some(nsg) = str_at(&sp, &["networkSecurityGroup", "id"]) {
            out.push(NetworkObject {
                resource_type: "azurerm_subnet_network_security_group_association",
                name: sname.clone(),
                attributes: object(json!({
                    "id": sid,
                    "subnet_id": sid,
                    "network_security_group_id": nsg,
                })),
            });
        }
    }
}

fn from_private_endpoint(pe: &Value, zone_groups: &[Value]) -> NetworkObject {
    let name = str_at(pe, &["name"]).unwrap_or_default().to_string();
    let props = pe.get("properties").cloned().unwrap_or(Value::Null);
    let connections: Vec<Value> = ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]
        .iter()
        .flat_map(|k| {
            let manual = *k == "manualPrivateLinkServiceConnections";
            props
                .get(*k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |c| {
                    json!({
                        "name": str_at(&c, &["name"]).unwrap_or_default(),
                        "private_connection_resource_id": str_at(&c, &["properties", "privateLinkServiceId"]).unwrap_or_default(),
                        "subresource_names": c.pointer("/properties/groupIds").cloned().unwrap_or_else(|| json!([])),
                        "is_manual_connection": manual,
                    })
                })
        })
        .collect();
    let groups: Vec<Value> = zone_groups
        .iter()
        .map(|g| {
            let ids: Vec<Value> = g
                .pointer("/properties/privateDnsZoneConfigs")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|c| str_at(c, &["properties", "privateDnsZoneId"]).map(|s| Value::String(s.to_string())))
                .collect();
            json!({ "name": str_at(g, &["name"]).unwrap_or_default(), "private_dns_zone_ids": ids })
        })
        .collect();
    NetworkObject {
        resource_type: "azurerm_private_endpoint",
        name: name.clone(),
        attributes: object(json!({
            "id": str_at(pe, &["id"]).unwrap_or_default(),
            "name": name,
            "location": normalize::location(str_at(pe, &["location"]).unwrap_or_default()),
            "subnet_id": str_at(&props, &["subnet", "id"]).unwrap_or_default(),
            "tags": tags(pe),
            "private_service_connection": connections,
            "private_dns_zone_group": groups,
        })),
    }
}

impl Azure {
    fn network_rg_path(&self, rg: &str) -> String {
        format!("/subscriptions/{}/resourceGroups/{rg}", self.subscription_id())
    }

    /// Every network resource the target names; missing ones are simply absent.
    pub async fn read_network(&self, rg: &str, target: &NetworkTarget) -> Result<Vec<NetworkObject>, AzureError> {
        let base = self.network_rg_path(rg);
        let mut out = Vec::new();
        for name in &target.virtual_networks {
            let path = format!("{base}/providers/Microsoft.Network/virtualNetworks/{name}");
            let vnet: Option<Value> = self
                .get_json(&path, NETWORK_API, &format!("virtual network '{name}'"))
                .await?;
            if let Some(vnet) = vnet {
                from_virtual_network(&vnet, &mut out);
            }
        }
        for name in &target.network_security_groups {
            let path = format!("{base}/providers/Microsoft.Network/networkSecurityGroups/{name}");
            let nsg: Option<Value> = self
                .get_json(&path, NETWORK_API, &format!("network security group '{name}'"))
                .await?;
            if let Some(nsg) = nsg {
                out.push(NetworkObject {
                    resource_type: "azurerm_network_security_group",
                    name: str_at(&nsg, &["name"]).unwrap_or(name).to_string(),
                    attributes: object(json!({
                        "id": str_at(&nsg, &["id"]).unwrap_or_default(),
                        "name": str_at(&nsg, &["name"]).unwrap_or(name),
                        "location": normalize::location(str_at(&nsg, &["location"]).unwrap_or_default()),
                        "tags": tags(&nsg),
                    })),
                });
            }
        }
        for name in &target.private_endpoints {
            let path = format!("{base}/providers/Microsoft.Network/privateEndpoints/{name}");
            let pe: Option<Value> = self
                .get_json(&path, NETWORK_API, &format!("private endpoint '{name}'"))
                .await?;
            if let Some(pe) = pe {
                let groups: Vec<Value> = self
                    .list_json(
                        &format!("{path}/privateDnsZoneGroups"),
                        NETWORK_API,
                        &[],
                        &format!("DNS zone groups of private endpoint '{name}'"),
                    )
                    .await?;
                out.push(from_private_endpoint(&pe, &groups));
            }
        }
        for name in &target.private_dns_zones {
            let path = format!("{base}/providers/Microsoft.Network/privateDnsZones/{name}");
            let zone: Option<Value> = self
                .get_json(&path, PRIVATE_DNS_API, &format!("private DNS zone '{name}'"))
                .await?;
            let Some(zone) = zone else { continue };
            let zone_name = str_at(&zone, &["name"]).unwrap_or(name).to_string();
            out.push(NetworkObject {
                resource_type: "azurerm_private_dns_zone",
                name: zone_name.clone(),
                attributes: object(json!({
                    "id": str_at(&zone, &["id"]).unwrap_or_default(),
                    "name": zone_name,
                    "tags": tags(&zone),
                })),
            });
            let links: Vec<Value> = self
                .list_json(
                    &format!("{path}/virtualNetworkLinks"),
                    PRIVATE_DNS_API,
                    &[],
                    &format!("virtual network links of private DNS zone '{name}'"),
                )
                .await?;
            for link in &links {
                let link_name = str_at(link, &["name"]).unwrap_or_default().to_string();
                out.push(NetworkObject {
                    resource_type: "azurerm_private_dns_zone_virtual_network_link",
                    name: link_name.clone(),
                    attributes: object(json!({
                        "id": str_at(link, &["id"]).unwrap_or_default(),
                        "name": link_name,
                        "private_dns_zone_name": zone_name,
                        "virtual_network_id": str_at(link, &["properties", "virtualNetwork", "id"]).unwrap_or_default(),
                        "registration_enabled": link.pointer("/properties/registrationEnabled").and_then(Value::as_bool).unwrap_or(false),
                        "tags": tags(link),
                    })),
                });
            }
        }
        Ok(out)
    }
}
