//! `[network]`: the stack's private network — `azurerm_virtual_network.main`, the environment's subnet
//! (`azurerm_subnet.environment`, delegated to `Microsoft.App/environments`), the private endpoints' subnet
//! (`azurerm_subnet.private_endpoints`), an optional NSG on the environment's subnet, and private endpoints with their
//! private DNS zones for the registry and the storage account.
//!
//! With `[network]` the Container Apps environment is a workload-profiles environment (profile `Consumption`) in
//! the environment's subnet. Sizes and overlaps are checked in `validate.rs` (NOTES.md §18).

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

impl Cidr {
    /// Parses `a.b.c.d/n`, rejecting a malformed address, a prefix over 32 and host bits set.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let bad = || {
            format!("{text:?} is not an IPv4 network in CIDR notation\nhelp: write an address and a prefix length, e.g. \"10.20.0.0/16\"")
        };
        if !crate::azurerm::facts::names::pattern_matches(super::validate::CIDR, text) {
            return Err(bad());
        }
        let (addr, prefix) = text.split_once('/').ok_or_else(bad)?;
        let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        let cidr = Cidr { addr, prefix };
        if cidr.network() != addr {
            return Err(format!(
                "{text:?} has host bits set: it is not the first address of its network\nhelp: write \"{}/{prefix}\"",
                cidr.network()
            ));
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

/// A string with the `validate::CIDR` pattern; the host bits are checked when the stack is read.
impl schemars::JsonSchema for Cidr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cidr".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An IPv4 network in CIDR notation, e.g. \"10.20.0.0/16\": an address and a prefix length 0-32 whose host bits are zero (Azure rejects a prefix with host bits set; checked by `infra render`).",
            "pattern": super::validate::CIDR,
        })
    }
}

impl TryFrom<String> for Cidr {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
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
    /// The virtual network's name.
    pub name: NetworkName,
    /// The virtual network's address space, e.g. `"10.20.0.0/16"`.
    pub address_space: Cidr,
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
    /// environment's at least a /27, the private endpoints' at least a /29 (checked by `infra render`).
    pub address_prefix: Cidr,
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

/// The smallest subnet a workload-profiles Container Apps environment accepts (Microsoft Learn, "Networking in
/// Azure Container Apps environment", subnet sizing: "/27 minimum" for workload profiles environments).
pub(super) const ENVIRONMENT_SUBNET_MAX_PREFIX: u8 = 27;
/// The smallest subnet Azure creates: /29 (Microsoft Learn, "Azure Virtual Network FAQ": "the smallest supported
/// IPv4 subnet is /29"; Azure reserves five addresses in each subnet).
pub(super) const SUBNET_MAX_PREFIX: u8 = 29;

use super::container_registry::{DefaultAction, NetworkRules};
use super::validate::{Seg, Violation};
use super::Stack;
use crate::azurerm::facts::sku::{self, RegistryFeature};
use Seg::{Index, Key};

fn push(out: &mut Vec<Violation>, path: Vec<Seg>, message: String, help: String) {
    out.push(Violation {
        path,
        message,
        help: vec![help],
    });
}

/// Whether a registry or storage firewall lets nothing through but its rules.
fn denies(public_network_access_enabled: bool, rules: Option<&NetworkRules>) -> bool {
    !public_network_access_enabled || rules.is_some_and(|r| r.default_action == DefaultAction::Deny)
}

/// RFC 5737's documentation ranges: no CI runner has such an address.
const DOCUMENTATION: [(&str, [u8; 4], u8); 3] = [
    ("TEST-NET-1", [192, 0, 2, 0], 24),
    ("TEST-NET-2", [198, 51, 100, 0], 24),
    ("TEST-NET-3", [203, 0, 113, 0], 24),
];

fn in_range(ip: &str, base: [u8; 4], prefix: u8) -> bool {
    let addr = ip.split('/').next().unwrap_or(ip);
    let Ok(addr) = addr.parse::<Ipv4Addr>() else {
        return false;
    };
    let net = Cidr {
        addr: Ipv4Addr::from(base),
        prefix,
    };
    let (a, b) = net.range();
    (a..=b).contains(&u32::from(addr))
}

/// Rules of a firewall allow-list (`[container_registry.network_rules]`, `[storage.account.network_rules]`).
fn allow_list(out: &mut Vec<Violation>, table: &[&'static str], rules: &NetworkRules, storage: bool) {
    let field = table.join(".");
    for (i, ip) in rules.ip_allow_list.iter().enumerate() {
        let mut path: Vec<Seg> = table.iter().map(|k| Key(k)).collect();
        path.extend([Key("ip_allow_list"), Index(i)]);
        if let Some((name, _, _)) = DOCUMENTATION.iter().find(|(_, b, p)| in_range(ip, *b, *p)) {
            push(
                out,
                path,
                format!("{field}.ip_allow_list[{i}] = {ip:?} is in a documentation range ({name}, RFC 5737): no real client has it"),
                "list the public egress addresses of your CI runners (e.g. from your CI provider's published ranges)".to_string(),
            );
            continue;
        }
        if let Some((b, p)) = crate::azurerm::facts::network::RFC1918
            .iter()
            .find(|(b, p)| in_range(ip, *b, *p))
        {
            // ACR and Storage firewalls filter public addresses only (Microsoft Learn, "Configure public IP network
            // rules" for ACR; "Azure Storage firewall rules": "IP network rules aren't allowed for private address
            // ranges (as defined in RFC 1918)").
            push(
                out,
                path,
                format!(
                    "{field}.ip_allow_list[{i}] = {ip:?} is a private address ({}/{p}, RFC 1918): the firewall only filters public addresses",
                    Ipv4Addr::from(*b)
                ),
                "reach the service from inside the virtual network over its private endpoint instead ([network.private_endpoints])".to_string(),
            );
            continue;
        }
        if storage {
            if let Some((message, help)) = storage_prefix_problem(ip) {
                push(out, path, format!("{field}.ip_allow_list[{i}] = {ip:?}{message}"), help);
            }
        }
    }
}

/// What the storage firewall refuses in a range's prefix. Azure: "Small address ranges using /31 or /32 prefix
/// sizes aren't supported. Configure these ranges by using individual IP address rules." (Microsoft Learn, "Azure
/// Storage firewall rules"). The provider refuses them at plan time, and any prefix but `0`-`30` written without
/// a leading zero: `^([0-9]{1,3}\.){3}[0-9]{1,3}(/([0-9]|[1-2][0-9]|30))?$`
/// (`internal/services/storage/validate/storage_account_ip_rule.go`, `StorageAccountIpRule`, azurerm v4.79.0).
fn storage_prefix_problem(ip: &str) -> Option<(String, String)> {
    let (addr, prefix) = ip.split_once('/')?;
    let n: u32 = prefix.parse().ok()?;
    if n > u32::from(crate::azurerm::facts::network::STORAGE_IP_RULE_LONGEST_PREFIX) {
        return Some((
            ": a storage firewall takes no /31 or /32 range".to_string(),
            format!("write the address alone, e.g. \"{addr}\""),
        ));
    }
    if prefix.len() > 1 && prefix.starts_with('0') {
        return Some((
            format!(": the prefix /{prefix} has a leading zero, which the provider's IP rule validation refuses"),
            format!("write \"{addr}/{n}\""),
        ));
    }
    None
}

/// Rules of `[network]` and of everything that must be reachable from the environment.
pub(super) fn violations(stack: &Stack) -> Vec<Violation> {
    let mut out = Vec::new();
    let reg = &stack.container_registry;
    let account = &stack.storage.account;
    if let Some(rules) = &reg.network_rules {
        allow_list(&mut out, &["container_registry", "network_rules"], rules, false);
        if !reg.public_network_access_enabled {
            push(
                &mut out,
                vec![Key("container_registry"), Key("network_rules")],
                "container_registry.network_rules has no effect with public_network_access_enabled = false".to_string(),
                "remove [container_registry.network_rules], or keep public network access on behind it".to_string(),
            );
        }
    }
    if let Some(rules) = &account.network_rules {
        allow_list(&mut out, &["storage", "account", "network_rules"], rules, true);
        for (i, ip) in rules.ip_allow_list.iter().enumerate() {
            if !super::validate::is_ipv4_range(ip) {
                push(
                    &mut out,
                    vec![Key("storage"), Key("account"), Key("network_rules"), Key("ip_allow_list"), Index(i)],
                    format!("storage.account.network_rules.ip_allow_list[{i}] = {ip:?} is not an IPv4 address or CIDR range"),
                    "write an address or range such as \"20.50.2.7\" or \"20.50.2.0/24\"".to_string(),
                );
            }
        }
    }
    if let Some(period) = &account.sas_expiration_period {
        if !is_sas_period(period) {
            push(
                &mut out,
                vec![Key("storage"), Key("account"), Key("sas_expiration_period")],
                format!("storage.account.sas_expiration_period = {period:?} is not a period D.HH:MM:SS"),
                "write days.hours:minutes:seconds, e.g. \"1.00:00:00\" for one day (sas_policy.expiration_period)"
                    .to_string(),
            );
        }
    }

    let pe = stack
        .network
        .as_ref()
        .map(|n| n.private_endpoints.clone())
        .unwrap_or_default();
    // The registry firewall blocks the app: Container Apps is not a trusted service of ACR
    // (microsoft/azure-container-apps#379) and a Consumption environment has no fixed outbound address, so only a
    // private endpoint lets it pull (Microsoft Learn, "Connect privately to an Azure container registry using Azure
    // Private Link").
    if denies(reg.public_network_access_enabled, reg.network_rules.as_ref()) && !pe.registry {
        let (path, what) = if !reg.public_network_access_enabled {
            (
                vec![Key("container_registry"), Key("public_network_access_enabled")],
                "container_registry.public_network_access_enabled = false",
            )
        } else {
            (
                vec![Key("container_registry"), Key("network_rules"), Key("default_action")],
                "container_registry.network_rules.default_action = \"Deny\"",
            )
        };
        push(
            &mut out,
            path,
            format!("{what} blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed"),
            "add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access".to_string(),
        );
    }
    // The environment mounts the share over SMB from its own addresses: with the storage firewall closed it needs
    // the `file` private endpoint (Microsoft Learn, "Use private endpoints for Azure Storage").
    if denies(account.public_network_access_enabled, account.network_rules.as_ref()) && !pe.storage {
        let (path, what) = if !account.public_network_access_enabled {
            (
                vec![Key("storage"), Key("account"), Key("public_network_access_enabled")],
                "storage.account.public_network_access_enabled = false",
            )
        } else {
            (
                vec![
                    Key("storage"),
                    Key("account"),
                    Key("network_rules"),
                    Key("default_action"),
                ],
                "storage.account.network_rules.default_action = \"Deny\"",
            )
        };
        push(
            &mut out,
            path,
            format!("{what} blocks the environment's mount of the /data share"),
            "add [network] with [network.private_endpoints] storage = true, or allow public access".to_string(),
        );
    }

    let Some(net) = &stack.network else {
        return out;
    };
    let n = |k: &'static str| vec![Key("network"), Key(k)];
    if pe.registry && !sku::registry_allows(reg.sku.as_str(), RegistryFeature::PrivateEndpoint) {
        // Microsoft Learn, "Connect privately to an Azure container registry using Azure Private Link": "This feature
        // is available in the Premium container registry service tier".
        push(
            &mut out,
            vec![Key("network"), Key("private_endpoints"), Key("registry")],
            format!(
                "network.private_endpoints.registry = true needs container_registry.sku = \"Premium\", but it is \"{}\"",
                reg.sku
            ),
            "set container_registry.sku = \"Premium\", or remove registry from [network.private_endpoints]".to_string(),
        );
    }
    if (pe.registry || pe.storage) && net.private_endpoint_subnet.is_none() {
        push(
            &mut out,
            vec![Key("network"), Key("private_endpoints")],
            "[network.private_endpoints] needs a subnet for the endpoints' addresses".to_string(),
            "add [network.private_endpoint_subnet] with name and address_prefix, e.g. \"10.20.2.0/27\"".to_string(),
        );
    }
    let mut subnets: Vec<(&'static str, &Subnet, u8, &str)> = vec![(
        "environment_subnet",
        &net.environment_subnet,
        ENVIRONMENT_SUBNET_MAX_PREFIX,
        "a workload-profiles Container Apps environment needs a /27 or larger subnet (Microsoft Learn, \"Networking in Azure Container Apps environment\")",
    )];
    if let Some(s) = &net.private_endpoint_subnet {
        subnets.push((
            "private_endpoint_subnet",
            s,
            SUBNET_MAX_PREFIX,
            "the smallest Azure subnet is a /29 (Microsoft Learn, \"Azure Virtual Network FAQ\")",
        ));
    }
    if let Some(s) = &net.runner_subnet {
        subnets.push((
            "runner_subnet",
            s,
            SUBNET_MAX_PREFIX,
            "the smallest Azure subnet is a /29 (Microsoft Learn, \"Azure Virtual Network FAQ\")",
        ));
    }
    for (i, (key, subnet, max_prefix, why)) in subnets.iter().enumerate() {
        let mut path = n(key);
        path.push(Key("address_prefix"));
        let prefix = subnet.address_prefix;
        if !net.address_space.contains(prefix) {
            push(
                &mut out,
                path.clone(),
                format!(
                    "network.{key}.address_prefix = \"{prefix}\" is not inside network.address_space = \"{}\"",
                    net.address_space
                ),
                "a subnet takes its addresses from the virtual network's address space: pick a range inside it"
                    .to_string(),
            );
        }
        if prefix.prefix > *max_prefix {
            push(
                &mut out,
                path.clone(),
                format!("network.{key}.address_prefix = \"{prefix}\" is too small"),
                format!("{why}: use a /{max_prefix} or shorter prefix"),
            );
        }
        for (other_key, other, _, _) in &subnets[..i] {
            if prefix.overlaps(other.address_prefix) {
                push(
                    &mut out,
                    path.clone(),
                    format!(
                        "network.{key}.address_prefix = \"{prefix}\" overlaps network.{other_key}.address_prefix = \"{}\"",
                        other.address_prefix
                    ),
                    "subnets of a virtual network must not share addresses: pick a range after the other subnet".to_string(),
                );
            }
        }
        if let Some((other_key, _, _, _)) = subnets[..i].iter().find(|o| o.1.name == subnet.name) {
            let mut p = n(key);
            p.push(Key("name"));
            let other = match *other_key {
                "environment_subnet" => "the environment's subnet".to_string(),
                k => format!("network.{k}"),
            };
            push(
                &mut out,
                p,
                format!("network.{key}.name = \"{}\" is the name of {other}", subnet.name),
                "give each subnet its own name".to_string(),
            );
        }
    }
    out
}

/// `D.HH:MM:SS`, 1-5 digits of days, hours < 24, minutes and seconds < 60: the form of
/// `sas_policy.expiration_period` (azurerm storage_account_resource.go; Azure's `sasExpirationPeriod`). Not zero
/// either, which [`is_sas_period`] checks.
pub(super) const SAS_PERIOD: &str = r"^[0-9]{1,5}\.([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$";

/// [`SAS_PERIOD`] and not zero.
fn is_sas_period(s: &str) -> bool {
    crate::azurerm::facts::names::pattern_matches(SAS_PERIOD, s) && s.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

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
            assert!(Cidr::parse(bad).unwrap_err().contains("not an IPv4 network"), "{bad}");
        }
        let e = Cidr::parse("10.20.0.1/24").unwrap_err();
        assert!(e.contains("host bits") && e.contains("\"10.20.0.0/24\""), "{e}");
    }

    #[test]
    fn sas_periods() {
        for ok in ["1.00:00:00", "0.01:00:00", "30.12:30:00"] {
            assert!(is_sas_period(ok), "{ok}");
        }
        for bad in [
            "1",
            "1.24:00:00",
            "0.00:00:00",
            "1.00:60:00",
            "1:00:00",
            "a.00:00:00",
            "1.0:00:00",
        ] {
            assert!(!is_sas_period(bad), "{bad}");
        }
    }
}
