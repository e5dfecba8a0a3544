//! Reading `[network]` from Azure: the virtual network (with its subnets and their NSG associations), network
//! security groups, private endpoints (with their DNS zone groups), private DNS zones (with their virtual network
//! links), each through its type's adapter.
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
        NetworkTarget {
            virtual_networks: names(virtual_network::TYPE),
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
            && self.network_security_groups.is_empty()
            && self.private_endpoints.is_empty()
            && self.private_dns_zones.is_empty()
            && !self.environment_zone
    }
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
                let request = Request::live("", "", &network_name);
                for s in virtual_network::subnets(&vnet) {
                    out.extend(subnet::ENTRY.read_body(s, &request));
                    out.extend(subnet_network_security_group_association::ENTRY.read_body(s, &request));
                }
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
