//! Network facts Azure checks only when a resource is created or refreshed: what a storage account's IP rules may
//! hold, how large a Container Apps environment's subnet must be and how it is delegated, and which resources
//! update a subnet when they are created. The apply-time rules of `infra check` read them here.
//!
//! Allow lists: which entries let every address in.
//!
//! The allow lists infra judges take CIDR ranges or single addresses: a registry's `network_rule_set.ip_rule.ip_range`
//! (a CIDR, `/32` appended to a bare address on read: provider-notes.json, `azurerm_container_registry`), a
//! container app's `ingress.ip_security_restriction.ip_address_range` ("CIDR or IP": provider-notes.json,
//! `azurerm_container_app`) and a storage account's `network_rules.ip_rules` (addresses or CIDR ranges:
//! hashicorp/terraform-provider-azurerm v4.79.0 `internal/services/storage/storage_account_resource.go`). None of
//! them takes a service tag or a wildcard (`*`, `Internet`, `Any` are NSG and App Service keywords), so the entry
//! that admits everyone is a range of prefix length 0: `0.0.0.0/0`, `::/0` (the host bits of a /0 are ignored, so
//! `10.0.0.0/0` is every address too).

use std::net::Ipv4Addr;

/// An IPv4 address or CIDR range, as written in an IP rule: the first address, the last address and the prefix
/// length written (`None` for a bare address). `None` when it is not IPv4 (an IPv6 rule, a typo).
pub(crate) fn ipv4_range(text: &str) -> Option<(u32, u32, Option<u8>)> {
    let text = text.trim();
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u8>().ok().filter(|p| *p <= 32)?)),
        None => (text, None),
    };
    let address = u32::from(address.parse::<Ipv4Addr>().ok()?);
    let bits = prefix.unwrap_or(32);
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
    let first = address & mask;
    Some((first, first | !mask, prefix))
}

/// The private address ranges of RFC 1918 §3 (`10/8`, `172.16/12`, `192.168/16`) as (base, prefix length), which
/// a registry's or storage account's IP rules do not accept: the one statement, read by stack validation and by
/// APPLY002.
pub(crate) const RFC1918: [([u8; 4], u8); 3] = [([10, 0, 0, 0], 8), ([172, 16, 0, 0], 12), ([192, 168, 0, 0], 16)];

/// The longest prefix a storage IP rule may write: `/31` and `/32` ranges are refused, a single address is
/// written without a prefix.
///
/// Source for this and [`storage_ip_rule_problem`]: hashicorp/terraform-provider-azurerm v4.79.0,
/// `website/docs/r/storage_account_network_rules.html.markdown` (`ip_rules`: "Private IP address ranges (as
/// defined in RFC 1918) are not allowed"; "Small address ranges using "/31" or "/32" prefix sizes are not
/// supported. These ranges should be configured using individual IP address rules without prefix specified."),
/// and Microsoft Learn, "Configure Azure Storage firewalls and virtual networks" (IP network rules).
pub(crate) const STORAGE_IP_RULE_LONGEST_PREFIX: u8 = 30;

/// Why Azure refuses `rule` as a storage account IP rule, or `None` when it accepts it (or it is not IPv4:
/// not judged).
pub(crate) fn storage_ip_rule_problem(rule: &str) -> Option<String> {
    let (first, last, prefix) = ipv4_range(rule)?;
    if let Some(p) = prefix.filter(|p| *p > STORAGE_IP_RULE_LONGEST_PREFIX) {
        return Some(format!(
            "`{rule}`: a /{p} range is refused (only /0 to /{STORAGE_IP_RULE_LONGEST_PREFIX}); write a single address without a prefix"
        ));
    }
    RFC1918.iter().find_map(|&(base, bits)| {
        let private = format!("{}/{bits}", Ipv4Addr::from(base));
        let (p_first, p_last, _) = ipv4_range(&private)?;
        (p_first <= first && last <= p_last).then(|| {
            format!("`{rule}` is in the private range {private} (RFC 1918): IP rules take public addresses only")
        })
    })
}

/// The delegation a workload-profiles environment's subnet needs.
///
/// Source for the delegation and the sizes below: Microsoft Learn, "Configure virtual networks in Azure Container
/// Apps environments" (`learn.microsoft.com/azure/container-apps/custom-virtual-networks`, "Subnet"): a workload
/// profiles environment needs a `/27` or larger subnet delegated to `Microsoft.App/environments`; a
/// Consumption-only environment needs a `/23` or larger subnet.
pub(crate) const ENVIRONMENT_DELEGATION: &str = "Microsoft.App/environments";

/// The longest subnet prefix a workload-profiles environment accepts.
pub(crate) const WORKLOAD_PROFILES_LONGEST_PREFIX: u8 = 27;

/// The longest subnet prefix a Consumption-only environment (no `workload_profile` block) accepts.
pub(crate) const CONSUMPTION_ONLY_LONGEST_PREFIX: u8 = 23;

/// A resource type whose create writes a subnet (a PUT of the subnet, or a join that Azure applies as one), the
/// argument naming the subnet, and whether the provider serialises it with its subnet lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SubnetUpdater {
    pub resource_type: &'static str,
    pub argument: &'static str,
    /// The provider takes `locks.ByName(<subnet>, "azurerm_subnet")` around the update, so two such resources
    /// wait for each other; one that does not can run while another updates the subnet, and Azure answers 409
    /// `AnotherOperationInProgress`.
    pub locks_subnet: bool,
}

/// The resources that update a subnet when created.
///
/// Sources (hashicorp/terraform-provider-azurerm v4.79.0): `internal/services/containerapps/
/// container_app_environment_resource.go` (Create: `VnetConfiguration.InfrastructureSubnetId`, a PUT of the managed
/// environment that joins and delegates-uses the subnet, with no subnet lock);
/// `internal/services/network/subnet_network_security_group_association_resource.go`,
/// `subnet_route_table_association_resource.go`, `subnet_nat_gateway_association_resource.go` (Create: `locks.ByName`
/// on the virtual network and the subnet, then `client.CreateOrUpdateThenPoll` of the subnet);
/// `internal/services/network/private_endpoint_resource.go` (Create: `client.CreateOrUpdate` of the endpoint, which
/// joins its network interface to the subnet; the only lock it takes is on Cosmos DB accounts, none on the subnet).
pub(crate) const SUBNET_UPDATERS: [SubnetUpdater; 5] = [
    SubnetUpdater {
        resource_type: "azurerm_container_app_environment",
        argument: "infrastructure_subnet_id",
        locks_subnet: false,
    },
    SubnetUpdater {
        resource_type: "azurerm_subnet_network_security_group_association",
        argument: "subnet_id",
        locks_subnet: true,
    },
    SubnetUpdater {
        resource_type: "azurerm_subnet_route_table_association",
        argument: "subnet_id",
        locks_subnet: true,
    },
    SubnetUpdater {
        resource_type: "azurerm_subnet_nat_gateway_association",
        argument: "subnet_id",
        locks_subnet: true,
    },
    SubnetUpdater {
        resource_type: "azurerm_private_endpoint",
        argument: "subnet_id",
        locks_subnet: false,
    },
];

/// True when an allow-list entry admits every IPv4 or every IPv6 address (a `/0` range).
pub(crate) fn allows_every_address(entry: &str) -> bool {
    let Some((address, prefix)) = entry.trim().split_once('/') else {
        return false;
    };
    prefix.trim().parse::<u8>() == Ok(0) && address.trim().parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_ip_rules() {
        for ok in [
            "20.50.2.7",
            "20.50.2.0/24",
            "20.50.2.4/30",
            "0.0.0.0/0",
            "2001:db8::/64",
            "8.0.0.0/6",
            "not an ip",
        ] {
            assert_eq!(storage_ip_rule_problem(ok), None, "{ok}");
        }
        for bad in [
            "20.50.2.7/32",
            "20.50.2.6/31",
            "10.1.2.3",
            "172.20.0.0/16",
            "192.168.1.0/24",
        ] {
            assert!(storage_ip_rule_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(storage_ip_rule_problem("172.32.0.1"), None);
        assert_eq!(storage_ip_rule_problem("1.2.3.4/33"), None, "not a CIDR: not judged");
    }

    #[test]
    fn ranges() {
        assert_eq!(ipv4_range("10.20.0.0/23").map(|r| r.2), Some(Some(23)));
        assert_eq!(
            ipv4_range("10.20.1.9/23").map(|r| r.0),
            ipv4_range("10.20.0.0/23").map(|r| r.0)
        );
        assert_eq!(ipv4_range("1.2.3.4").map(|r| r.0 == r.1), Some(true));
    }

    #[test]
    fn only_a_zero_prefix_is_everyone() {
        for open in ["0.0.0.0/0", "::/0", "10.0.0.0/0", " 0.0.0.0/0 "] {
            assert!(allows_every_address(open), "{open}");
        }
        for closed in [
            "0.0.0.0",
            "0.0.0.0/1",
            "203.0.113.0/24",
            "*",
            "Internet",
            "",
            "/0",
            "x/0",
        ] {
            assert!(!allows_every_address(closed), "{closed}");
        }
    }
}
