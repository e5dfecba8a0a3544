//! `[network]`: the stack's private network — `azurerm_virtual_network.main`, the environment's subnet
//! (`azurerm_subnet.environment`, delegated to `Microsoft.App/environments`), the private endpoints' subnet
//! (`azurerm_subnet.private_endpoints`), an optional NSG on the environment's subnet, and private endpoints with their
//! private DNS zones for the registry and the storage account.
//!
//! With `[network]` the Container Apps environment is a workload-profiles environment (profile `Consumption`) in
//! the environment's subnet. Sizes and overlaps are checked in `validate/network.rs` (NOTES.md §18).
//!
//! With `[existing.virtual_network]` the virtual network is a landing zone's: `[network]` gives no `name` or
//! `address_space`, a subnet with an `address_prefix` is created in that network (in its resource group), and a
//! subnet without one is an existing subnet of it, read with the `azurerm_subnet` data source
//! (`validate/existing.rs` says what such a stack may not do).

use super::names::NetworkName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// An IPv4 network in CIDR notation, e.g. `10.20.0.0/16`: an address and a prefix length 0–32 whose host bits are
/// zero (Azure rejects an address prefix with host bits set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr {
    /// The network address.
    pub addr: Ipv4Addr,
    /// The prefix length.
    pub prefix: u8,
}

/// Why a text is not a [`Cidr`]. Each message ends with a `help:` line the stack loader shows as help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// Not `a.b.c.d/n` with a prefix 0-32.
    #[error("{0:?} is not an IPv4 network in CIDR notation\nhelp: write an address and a prefix length, e.g. \"10.20.0.0/16\"")]
    Malformed(String),
    /// The address is not the first of its network; the network is what to write instead.
    #[error("{text:?} has host bits set: it is not the first address of its network\nhelp: write \"{network}\"")]
    HostBits {
        /// The text as written.
        text: String,
        /// The network it lies in.
        network: Cidr,
    },
}

impl Cidr {
    /// Parses `a.b.c.d/n`, rejecting a malformed address, a prefix over 32 and host bits set.
    pub fn parse(text: &str) -> Result<Cidr, CidrError> {
        let bad = || CidrError::Malformed(text.to_string());
        if !crate::azurerm::facts::names::pattern_matches(crate::azurerm::facts::limits::CIDR, text) {
            return Err(bad());
        }
        let (addr, prefix) = text.split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        let cidr = Cidr { addr, prefix };
        if cidr.network() != addr {
            return Err(CidrError::HostBits {
                text: text.to_string(),
                network: Cidr {
                    addr: cidr.network(),
                    prefix,
                },
            });
        }
        Ok(cidr)
    }

    fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix))
        }
    }

    /// The network address (the address with its host bits cleared).
    pub fn network(self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & self.mask())
    }

    /// The first and last address of the range, as numbers.
    pub fn range(self) -> (u32, u32) {
        let start = u32::from(self.addr) & self.mask();
        (start, start | !self.mask())
    }

    /// Whether `other` lies wholly inside this network.
    pub fn contains(self, other: Cidr) -> bool {
        let (a, b) = self.range();
        let (c, d) = other.range();
        a <= c && d <= b
    }

    /// Whether the two networks share an address.
    pub fn overlaps(self, other: Cidr) -> bool {
        let (a, b) = self.range();
        let (c, d) = other.range();
        a <= d && c <= b
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A string with the `limits::CIDR` pattern; the host bits are checked when the stack is read.
impl schemars::JsonSchema for Cidr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cidr".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An IPv4 network in CIDR notation, e.g. \"10.20.0.0/16\": an address and a prefix length 0-32 whose host bits are zero (Azure rejects a prefix with host bits set; checked by `infra render`).",
            "pattern": crate::azurerm::facts::limits::CIDR,
        })
    }
}

impl TryFrom<String> for Cidr {
    type Error = CidrError;
    fn try_from(text: String) -> Result<Self, CidrError> {
        Cidr::parse(&text)
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.to_string()
    }
}

/// `[network]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The virtual network's name; none with `[existing.virtual_network]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<NetworkName>,
    /// The virtual network's address space, e.g. `"10.20.0.0/16"`; none with `[existing.virtual_network]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_space: Option<Cidr>,
    /// The Container Apps environment's subnet: delegated to `Microsoft.App/environments`, at least a /27.
    pub environment_subnet: Subnet,
    /// The subnet private endpoints get their addresses from; needed by any private endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_endpoint_subnet: Option<Subnet>,
    /// A subnet for the self-hosted CI runners or build agents that push images to a registry without public
    /// network access (`azurerm_subnet.runners`, no delegation): inside the virtual network, they resolve the
    /// registry through the `privatelink` DNS zones linked to it and reach its private endpoint. At least a /29
    /// (checked by `infra render`); the runners themselves are yours to create (docs/ci.md, "Runners").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner_subnet: Option<Subnet>,
    /// A network security group on the environment's subnet (no rules: Azure's default rules apply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_security_group: Option<NetworkSecurityGroup>,
    /// Which services are reached over private endpoints, each with its `privatelink` DNS zone linked to the
    /// virtual network.
    #[serde(default, skip_serializing_if = "PrivateEndpoints::is_empty")]
    pub private_endpoints: PrivateEndpoints,
    /// The environment's apps are reached only from inside the virtual network, through an internal load balancer
    /// (`internal_load_balancer_enabled`): no public endpoint. A private DNS zone named after the environment's
    /// default domain, with a wildcard A record to its static IP and a link to the virtual network, makes the
    /// apps' names resolve there (Microsoft Learn, "Networking in Azure Container Apps environment", accessibility
    /// level; "Provide a virtual network to an internal Azure Container Apps environment", private DNS). Changing
    /// it replaces the environment and the app (provider-notes.json).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal_load_balancer: bool,
}

/// `[network.environment_subnet]`, `[network.private_endpoint_subnet]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    /// The subnet's name; the two subnets' names differ.
    pub name: NetworkName,
    /// The subnet's range: inside the virtual network's address space, overlapping no other subnet; the
    /// environment's at least a /27, the private endpoints' at least a /29 (checked by `infra render`). None for
    /// an existing subnet of `[existing.virtual_network]`, which the stack reads and does not create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_prefix: Option<Cidr>,
}

/// `[network.network_security_group]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkSecurityGroup {
    /// The network security group's name.
    pub name: NetworkName,
}

/// `[network.private_endpoints]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivateEndpoints {
    /// The registry (subresource `registry`, zone `privatelink.azurecr.io`); needs a Premium registry and
    /// `[network.private_endpoint_subnet]`.
    #[serde(default)]
    pub registry: bool,
    /// The storage account's file service (subresource `file`, zone `privatelink.file.core.windows.net`); needs
    /// `[network.private_endpoint_subnet]`.
    #[serde(default)]
    pub storage: bool,
}

impl Subnet {
    /// Whether the stack creates the subnet (it has an address prefix) rather than reading an existing one.
    pub(crate) fn created(&self) -> bool {
        self.address_prefix.is_some()
    }
}

impl PrivateEndpoints {
    fn is_empty(&self) -> bool {
        !self.registry && !self.storage
    }
}

/// The private DNS zone of the registry's private endpoint (Microsoft Learn, "Azure Private Endpoint private DNS
/// zone values": Microsoft.ContainerRegistry/registries, subresource `registry`).
pub(crate) const REGISTRY_DNS_ZONE: &str = "privatelink.azurecr.io";
/// The private DNS zone of a storage account's `file` private endpoint (same page, Microsoft.Storage/storageAccounts,
/// subresource `file`).
pub(crate) const FILE_DNS_ZONE: &str = "privatelink.file.core.windows.net";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parses_and_rejects() {
        let c = Cidr::parse("10.20.0.0/16").unwrap();
        assert_eq!(c.to_string(), "10.20.0.0/16");
        assert!(c.contains(Cidr::parse("10.20.4.0/23").unwrap()));
        assert!(!c.contains(Cidr::parse("10.21.0.0/24").unwrap()));
        assert!(Cidr::parse("10.20.0.0/23")
            .unwrap()
            .overlaps(Cidr::parse("10.20.1.0/27").unwrap()));
        assert!(!Cidr::parse("10.20.0.0/23")
            .unwrap()
            .overlaps(Cidr::parse("10.20.2.0/27").unwrap()));
        for bad in [
            "10.20.0.0",
            "10.20.0.0/33",
            "10.20.0/16",
            "10.20.0.0/+8",
            "10.20.0.0/",
            "x/8",
        ] {
            assert!(
                Cidr::parse(bad)
                    .unwrap_err()
                    .to_string()
                    .contains("not an IPv4 network"),
                "{bad}"
            );
        }
        let e = Cidr::parse("10.20.0.1/24").unwrap_err().to_string();
        assert!(e.contains("host bits") && e.contains("\"10.20.0.0/24\""), "{e}");
    }
}
