//! Firewalls (`[container_registry.network_rules]`, `[storage.account.network_rules]`), what a closed firewall
//! blocks, and `[network]`: private endpoints and subnets (NOTES.md §18).

use super::{is_ipv4_range, Rules, Seg};
use crate::azurerm::facts::limits::{self, SAS_PERIOD};
use crate::azurerm::facts::names::pattern_matches;
use crate::azurerm::facts::network::{RFC1918, STORAGE_IP_RULE_LONGEST_PREFIX, WORKLOAD_PROFILES_LONGEST_PREFIX};
use crate::azurerm::facts::sku::{self, RegistryFeature};
use crate::stack::{Cidr, DefaultAction, Network, NetworkRules, PrivateEndpoints, Stack, Subnet};
use std::net::Ipv4Addr;
use Seg::{Index, Key};

pub(super) fn check(stack: &Stack, r: &mut Rules) {
    firewalls(stack, r);
    let pe = stack
        .network
        .as_ref()
        .map(|n| n.private_endpoints.clone())
        .unwrap_or_default();
    blocked(stack, &pe, r);
    let Some(net) = &stack.network else {
        return;
    };
    private_endpoints(stack, net, &pe, r);
    subnets(net, r);
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

/// The registry's and the storage account's allow lists, and the storage account's SAS period.
fn firewalls(stack: &Stack, r: &mut Rules) {
    let account = &stack.storage.account;
    if let Some((reg, rules)) = stack
        .container_registry
        .as_ref()
        .and_then(|reg| reg.network_rules.as_ref().map(|rules| (reg, rules)))
    {
        allow_list(r, &["container_registry", "network_rules"], rules, false);
        if !reg.public_network_access_enabled {
            r.push(
                vec![Key("container_registry"), Key("network_rules")],
                "container_registry.network_rules has no effect with public_network_access_enabled = false".to_string(),
                "remove [container_registry.network_rules], or keep public network access on behind it".to_string(),
            );
        }
    }
    if let Some(rules) = &account.network_rules {
        allow_list(r, &["storage", "account", "network_rules"], rules, true);
        for (i, ip) in rules.ip_allow_list.iter().enumerate() {
            if !is_ipv4_range(ip) {
                r.push(
                    vec![Key("storage"), Key("account"), Key("network_rules"), Key("ip_allow_list"), Index(i)],
                    format!("storage.account.network_rules.ip_allow_list[{i}] = {ip:?} is not an IPv4 address or CIDR range"),
                    "write an address or range such as \"20.50.2.7\" or \"20.50.2.0/24\"".to_string(),
                );
            }
        }
    }
    if let Some(period) = &account.sas_expiration_period {
        if !is_sas_period(period) {
            r.push(
                vec![Key("storage"), Key("account"), Key("sas_expiration_period")],
                format!("storage.account.sas_expiration_period = {period:?} is not a period D.HH:MM:SS"),
                "write days.hours:minutes:seconds, e.g. \"1.00:00:00\" for one day (sas_policy.expiration_period)"
                    .to_string(),
            );
        }
    }
}

/// Rules of a firewall allow-list (`[container_registry.network_rules]`, `[storage.account.network_rules]`).
fn allow_list(r: &mut Rules, table: &[&'static str], rules: &NetworkRules, storage: bool) {
    let field = table.join(".");
    for (i, ip) in rules.ip_allow_list.iter().enumerate() {
        let mut path: Vec<Seg> = table.iter().map(|k| Key(k)).collect();
        path.extend([Key("ip_allow_list"), Index(i)]);
        if let Some((name, _, _)) = DOCUMENTATION.iter().find(|(_, b, p)| in_range(ip, *b, *p)) {
            r.push(
                path,
                format!("{field}.ip_allow_list[{i}] = {ip:?} is in a documentation range ({name}, RFC 5737): no real client has it"),
                "list the public egress addresses of your CI runners (e.g. from your CI provider's published ranges)".to_string(),
            );
            continue;
        }
        if let Some((b, p)) = RFC1918.iter().find(|(b, p)| in_range(ip, *b, *p)) {
            // ACR and Storage firewalls filter public addresses only (Microsoft Learn, "Configure public IP network
            // rules" for ACR; "Azure Storage firewall rules": "IP network rules aren't allowed for private address
            // ranges (as defined in RFC 1918)").
            r.push(
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
                r.push(path, format!("{field}.ip_allow_list[{i}] = {ip:?}{message}"), help);
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
    if n > u32::from(STORAGE_IP_RULE_LONGEST_PREFIX) {
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

/// A closed registry or storage firewall without the private endpoint that gets the app or the environment
/// through it.
fn blocked(stack: &Stack, pe: &PrivateEndpoints, r: &mut Rules) {
    let account = &stack.storage.account;
    if let Some(reg) = &stack.container_registry {
        registry_blocked(reg, pe, r);
    }
    // The registry firewall blocks the app: Container Apps is not a trusted service of ACR
    // (microsoft/azure-container-apps#379) and a Consumption environment has no fixed outbound address, so only a
    // private endpoint lets it pull (Microsoft Learn, "Connect privately to an Azure container registry using Azure
    // Private Link").
    storage_blocked(account, pe, r);
}

/// A closed registry firewall without the private endpoint the app pulls through.
fn registry_blocked(reg: &crate::stack::ContainerRegistry, pe: &PrivateEndpoints, r: &mut Rules) {
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
        r.push(
            path,
            format!("{what} blocks the app's image pull: Container Apps is not a trusted service of ACR and its outbound address is not fixed"),
            "add [network] with [network.private_endpoints] registry = true (the environment pulls over the private endpoint), or allow public access".to_string(),
        );
    }
}

/// A closed storage firewall without the private endpoint the environment mounts through.
fn storage_blocked(account: &crate::stack::StorageAccount, pe: &PrivateEndpoints, r: &mut Rules) {
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
        r.push(
            path,
            format!("{what} blocks the environment's mount of the /data share"),
            "add [network] with [network.private_endpoints] storage = true, or allow public access".to_string(),
        );
    }
}

/// `[network.private_endpoints]`: a Premium registry, and a subnet for the endpoints.
fn private_endpoints(stack: &Stack, net: &Network, pe: &PrivateEndpoints, r: &mut Rules) {
    let Some(reg) = &stack.container_registry else {
        if pe.registry {
            r.push(
                vec![Key("network"), Key("private_endpoints"), Key("registry")],
                "network.private_endpoints.registry = true, but the registry is [existing.container_registry]".to_string(),
                "an existing registry's private endpoints are the platform's: remove registry from [network.private_endpoints]".to_string(),
            );
        }
        return;
    };
    if pe.registry && !sku::registry_allows(reg.sku.as_str(), RegistryFeature::PrivateEndpoint) {
        // Microsoft Learn, "Connect privately to an Azure container registry using Azure Private Link": "This feature
        // is available in the Premium container registry service tier".
        r.push(
            vec![Key("network"), Key("private_endpoints"), Key("registry")],
            format!(
                "network.private_endpoints.registry = true needs container_registry.sku = \"Premium\", but it is \"{}\"",
                reg.sku
            ),
            "set container_registry.sku = \"Premium\", or remove registry from [network.private_endpoints]".to_string(),
        );
    }
    if (pe.registry || pe.storage) && net.private_endpoint_subnet.is_none() {
        r.push(
            vec![Key("network"), Key("private_endpoints")],
            "[network.private_endpoints] needs a subnet for the endpoints' addresses".to_string(),
            "add [network.private_endpoint_subnet] with name and address_prefix, e.g. \"10.20.2.0/27\"".to_string(),
        );
    }
}

/// One subnet of `[network]`: its key, the subnet, the longest prefix it may have and why.
type SubnetRow<'a> = (&'static str, &'a Subnet, u8, &'static str);

/// The smallest Azure subnet, the reason given for [`limits::SUBNET_LONGEST_PREFIX`].
const SMALLEST_SUBNET: &str = "the smallest Azure subnet is a /29 (Microsoft Learn, \"Azure Virtual Network FAQ\")";

/// The subnets of `[network]`, each with its size rule.
fn subnet_rows(net: &Network) -> Vec<SubnetRow<'_>> {
    let mut rows: Vec<SubnetRow<'_>> = vec![(
        "environment_subnet",
        &net.environment_subnet,
        WORKLOAD_PROFILES_LONGEST_PREFIX,
        "a workload-profiles Container Apps environment needs a /27 or larger subnet (Microsoft Learn, \"Networking in Azure Container Apps environment\")",
    )];
    if let Some(s) = &net.private_endpoint_subnet {
        rows.push((
            "private_endpoint_subnet",
            s,
            limits::SUBNET_LONGEST_PREFIX,
            SMALLEST_SUBNET,
        ));
    }
    if let Some(s) = &net.runner_subnet {
        rows.push(("runner_subnet", s, limits::SUBNET_LONGEST_PREFIX, SMALLEST_SUBNET));
    }
    rows
}

/// Each subnet the stack creates inside the address space (when the stack creates the network: an existing
/// network's is not known), large enough, overlapping no earlier one; every subnet named apart from the others.
fn subnets(net: &Network, r: &mut Rules) {
    let rows = subnet_rows(net);
    for (i, (key, subnet, max_prefix, why)) in rows.iter().enumerate() {
        let path = vec![Key("network"), Key(key), Key("address_prefix")];
        let Some(prefix) = subnet.address_prefix else {
            distinct_name(&rows, i, r);
            continue;
        };
        if let Some(space) = net.address_space.filter(|space| !space.contains(prefix)) {
            r.push(
                path.clone(),
                format!(
                    "network.{key}.address_prefix = \"{prefix}\" is not inside network.address_space = \"{space}\""
                ),
                "a subnet takes its addresses from the virtual network's address space: pick a range inside it"
                    .to_string(),
            );
        }
        if prefix.prefix > *max_prefix {
            r.push(
                path.clone(),
                format!("network.{key}.address_prefix = \"{prefix}\" is too small"),
                format!("{why}: use a /{max_prefix} or shorter prefix"),
            );
        }
        for (other_key, other, _, _) in &rows[..i] {
            if let Some(other) = other.address_prefix.filter(|o| prefix.overlaps(*o)) {
                r.push(
                    path.clone(),
                    format!("network.{key}.address_prefix = \"{prefix}\" overlaps network.{other_key}.address_prefix = \"{other}\""),
                    "subnets of a virtual network must not share addresses: pick a range after the other subnet".to_string(),
                );
            }
        }
        distinct_name(&rows, i, r);
    }
}

/// The `i`th subnet's name is none of the earlier subnets'.
fn distinct_name(rows: &[SubnetRow<'_>], i: usize, r: &mut Rules) {
    let (key, subnet, _, _) = rows[i];
    if let Some((other_key, _, _, _)) = rows[..i].iter().find(|o| o.1.name == subnet.name) {
        let other = match *other_key {
            "environment_subnet" => "the environment's subnet".to_string(),
            k => format!("network.{k}"),
        };
        r.push(
            vec![Key("network"), Key(key), Key("name")],
            format!("network.{key}.name = \"{}\" is the name of {other}", subnet.name),
            "give each subnet its own name".to_string(),
        );
    }
}

/// [`SAS_PERIOD`] and not zero.
fn is_sas_period(s: &str) -> bool {
    pattern_matches(SAS_PERIOD, s) && s.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

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
