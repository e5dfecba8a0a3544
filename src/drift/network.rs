//! Reading `[network]` from Azure: the virtual network (with its subnets and their NSG associations), network
//! security groups, private endpoints (with their DNS zone groups), private DNS zones (with their virtual network
//! links), each through its type's adapter. A virtual network the configuration reads rather than declares (a
//! landing zone's, `[existing.virtual_network]`) is read for its subnets only: those the stack creates in it.
//!
//! Paths and api-versions are the ARM mapping's ([`crate::azurerm::arm::registry`]): Microsoft.Network
//! 2024-05-01 (virtualNetworks, networkSecurityGroups, privateEndpoints and their privateDnsZoneGroups),
//! Microsoft.Network privateDnsZones 2024-06-01.

use super::azure::{Azure, AzureError};
use crate::azurerm::arm::registry::Request;
use crate::azurerm::arm::{
    network_security_group, private_dns_zone, private_dns_zone_virtual_network_link, private_endpoint, subnet,
    subnet_network_security_group_association, virtual_network, LiveObject,
};
use serde_json::Value;

/// The network resources a stack declares, by name (one resource group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkTarget {
    /// Virtual networks to read, by name.
    pub virtual_networks: Vec<String>,
    /// Virtual networks the configuration reads instead of declaring (`data "azurerm_virtual_network"` with a
    /// literal name and resource group, or the literal network of a subnet it creates), as (resource group, name):
    /// only their subnets are read, so that a subnet the stack creates in a landing zone's network is compared.
    pub existing_virtual_networks: Vec<(String, String)>,
    /// Network security groups to read, by name.
    pub network_security_groups: Vec<String>,
    /// Private endpoints to read, by name.
    pub private_endpoints: Vec<String>,
    /// Private DNS zones to read, by name.
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
        let virtual_networks = names(virtual_network::TYPE);
        NetworkTarget {
            existing_virtual_networks: existing_networks(config, &virtual_networks),
            virtual_networks,
            network_security_groups: names(network_security_group::TYPE),
            private_endpoints: names(private_endpoint::TYPE),
            private_dns_zones: names(private_dns_zone::TYPE),
            environment_zone: config.resources().into_iter().any(|r| {
                r.mode == crate::terraform::Mode::Managed
                    && r.resource_type == private_dns_zone::TYPE
                    && r.get("name").is_some_and(|name| {
                        crate::terraform::expr::to_hcl(name).starts_with("azurerm_container_app_environment.")
                            && crate::terraform::expr::to_hcl(name).ends_with(".default_domain")
                    })
            }),
        }
    }

    /// Nothing to read.
    pub fn is_empty(&self) -> bool {
        self.virtual_networks.is_empty()
            && self.existing_virtual_networks.is_empty()
            && self.network_security_groups.is_empty()
            && self.private_endpoints.is_empty()
            && self.private_dns_zones.is_empty()
            && !self.environment_zone
    }
}

/// The networks a configuration reads, not declares: see [`NetworkTarget::existing_virtual_networks`].
fn existing_networks(config: &crate::terraform::Config, declared: &[String]) -> Vec<(String, String)> {
    use crate::terraform::Mode;
    let mut out: Vec<(String, String)> = Vec::new();
    for r in config.resources() {
        let literal = |attr: &str| r.get(attr).and_then(crate::terraform::expr::as_str).map(str::to_string);
        let network = match (r.mode, r.resource_type) {
            (Mode::Data, virtual_network::TYPE) => literal("resource_group_name").zip(literal("name")),
            (Mode::Managed, subnet::TYPE) => literal("resource_group_name").zip(literal("virtual_network_name")),
            _ => None,
        };
        if let Some(network) = network.filter(|(_, name)| !declared.contains(name)) {
            if !out.contains(&network) {
                out.push(network);
            }
        }
    }
    out
}

/// The subnets of a live virtual network and their NSG associations.
fn subnets(vnet: &Value, network_name: &str) -> Vec<LiveObject> {
    let request = Request::live("", "", network_name);
    virtual_network::subnets(vnet)
        .iter()
        .flat_map(|s| {
            [
                subnet::ENTRY.read_body(s, &request),
                subnet_network_security_group_association::ENTRY.read_body(s, &request),
            ]
        })
        .flatten()
        .collect()
}

impl Azure {
    /// Every network resource the target names; missing ones are simply absent.
    pub(crate) async fn read_network(&self, rg: &str, target: &NetworkTarget) -> Result<Vec<LiveObject>, AzureError> {
        let base = self.rg_path(rg);
        let mut out = Vec::new();
        for name in &target.virtual_networks {
            if let Some((vnet, path)) = self.get_entry(&virtual_network::ENTRY, &base, name).await? {
                let Some(network) = virtual_network::ENTRY.read_body(&vnet, &Request::live(name, &path, "")) else {
                    continue;
                };
                let network_name = network.name.clone();
                out.push(network);
                out.extend(subnets(&vnet, &network_name));
            }
        }
        for (group, name) in &target.existing_virtual_networks {
            if let Some((vnet, _)) = self
                .get_entry(&virtual_network::ENTRY, &self.rg_path(group), name)
                .await?
            {
                out.extend(subnets(&vnet, name));
            }
        }
        for name in &target.network_security_groups {
            if let Some((nsg, path)) = self.get_entry(&network_security_group::ENTRY, &base, name).await? {
                out.extend(network_security_group::ENTRY.read_body(&nsg, &Request::live(name, &path, "")));
            }
        }
        for name in &target.private_endpoints {
            if let Some((pe, path)) = self.get_entry(&private_endpoint::ENTRY, &base, name).await? {
                let groups: Vec<Value> = self
                    .list_json(
                        &format!("{path}/{}", private_endpoint::ZONE_GROUPS),
                        private_endpoint::ENTRY.api_version,
                        &[],
                        &format!("DNS zone groups of private endpoint '{name}'"),
                    )
                    .await?;
                let request = Request {
                    children: &groups,
                    ..Request::live(name, &path, "")
                };
                out.extend(private_endpoint::ENTRY.read_body(&pe, &request));
            }
        }
        for name in &target.private_dns_zones {
            out.extend(self.read_private_dns_zone(&base, name).await?);
        }
        Ok(out)
    }

    /// A private DNS zone and its virtual network links (none when the zone does not exist).
    async fn read_private_dns_zone(&self, base: &str, name: &str) -> Result<Vec<LiveObject>, AzureError> {
        let Some((zone, path)) = self.get_entry(&private_dns_zone::ENTRY, base, name).await? else {
            return Ok(Vec::new());
        };
        let Some(zone) = private_dns_zone::ENTRY.read_body(&zone, &Request::live(name, &path, "")) else {
            return Ok(Vec::new());
        };
        let zone_name = zone.name.clone();
        let links = &private_dns_zone_virtual_network_link::ENTRY;
        let list: Vec<Value> = self
            .list_json(
                &links.list_path(&path),
                links.api_version,
                &[],
                &format!("virtual network links of private DNS zone '{name}'"),
            )
            .await?;
        let mut out = vec![zone];
        let request = Request::live("", "", &zone_name);
        out.extend(list.iter().filter_map(|link| links.read_body(link, &request)));
        Ok(out)
    }
}
