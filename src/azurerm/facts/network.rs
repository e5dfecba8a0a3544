//! Network allow lists: which entries let every address in.
//!
//! The allow lists infra judges take CIDR ranges or single addresses: a registry's `network_rule_set.ip_rule.ip_range`
//! (a CIDR, `/32` appended to a bare address on read: provider-notes.json, `azurerm_container_registry`), a
//! container app's `ingress.ip_security_restriction.ip_address_range` ("CIDR or IP": provider-notes.json,
//! `azurerm_container_app`) and a storage account's `network_rules.ip_rules` (addresses or CIDR ranges:
//! hashicorp/terraform-provider-azurerm v4.79.0 `internal/services/storage/storage_account_resource.go`). None of
//! them takes a service tag or a wildcard (`*`, `Internet`, `Any` are NSG and App Service keywords), so the entry
//! that admits everyone is a range of prefix length 0: `0.0.0.0/0`, `::/0` (the host bits of a /0 are ignored, so
//! `10.0.0.0/0` is every address too).

/// True when an allow-list entry admits every IPv4 or every IPv6 address (a `/0` range).
pub fn allows_every_address(entry: &str) -> bool {
    let Some((address, prefix)) = entry.trim().split_once('/') else {
        return false;
    };
    prefix.trim().parse::<u8>() == Ok(0) && address.trim().parse::<std::net::IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
