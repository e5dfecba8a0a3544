//! `azurerm_container_registry.main`: the registry the app's image comes from, its geo-replicas and firewall.
//!
//! The SKU is an enum; what each SKU allows (NOTES.md §2, "SKU gating") is checked when the stack is validated,
//! because the provider only finds out at plan or apply time.

use super::cleanup_task::CleanupTask;
use super::names::Region;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Registry service tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RegistrySku {
    Basic,
    Standard,
    Premium,
}

impl RegistrySku {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrySku::Basic => "Basic",
            RegistrySku::Standard => "Standard",
            RegistrySku::Premium => "Premium",
        }
    }
}

impl fmt::Display for RegistrySku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[container_registry]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerRegistry {
    /// 5–50 alphanumerics, globally unique.
    pub name: super::names::RegistryName,
    pub sku: RegistrySku,
    /// The admin user (username/password). Off unless set: the app pulls with its managed identity.
    #[serde(default)]
    pub admin_enabled: bool,
    /// Unauthenticated pulls; needs Standard or Premium.
    #[serde(default)]
    pub anonymous_pull_enabled: bool,
    /// Zone redundancy of the home region; Premium only, forces replacement when changed.
    #[serde(default)]
    pub zone_redundancy_enabled: bool,
    /// Days untagged manifests are kept before deletion (1–365); Premium only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// Content trust; Premium only.
    #[serde(default)]
    pub trust_policy_enabled: bool,
    /// Quarantine pushed images until released; Premium only.
    #[serde(default)]
    pub quarantine_policy_enabled: bool,
    /// Dedicated data endpoints per region; Premium only.
    #[serde(default)]
    pub data_endpoint_enabled: bool,
    /// Public network access; turning it off needs Premium.
    #[serde(default = "yes")]
    pub public_network_access_enabled: bool,
    /// Image export; turning it off needs Premium and public network access off.
    #[serde(default = "yes")]
    pub export_policy_enabled: bool,
    /// Replicas in other regions; Premium only. Rendered sorted by location, as the provider reads them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geo_replications: Vec<GeoReplication>,
    /// The registry firewall; Premium only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_rules: Option<NetworkRules>,
    /// A scheduled `acr purge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup: Option<CleanupTask>,
}

fn yes() -> bool {
    true
}

impl ContainerRegistry {
    /// A registry with every optional feature at its default (off, public access on).
    pub fn new(name: super::names::RegistryName, sku: RegistrySku) -> Self {
        ContainerRegistry {
            name,
            sku,
            admin_enabled: false,
            anonymous_pull_enabled: false,
            zone_redundancy_enabled: false,
            retention_days: None,
            trust_policy_enabled: false,
            quarantine_policy_enabled: false,
            data_endpoint_enabled: false,
            public_network_access_enabled: true,
            export_policy_enabled: true,
            geo_replications: Vec::new(),
            network_rules: None,
            cleanup: None,
        }
    }

    /// Geo-replications sorted by location (the order the provider reads them back in).
    pub fn geo_replications_sorted(&self) -> Vec<&GeoReplication> {
        let mut v: Vec<&GeoReplication> = self.geo_replications.iter().collect();
        v.sort_by(|a, b| a.location.cmp(&b.location));
        v
    }
}

/// `[[container_registry.geo_replications]]`: a replica of the registry in another region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoReplication {
    /// Must differ from the registry's own location.
    pub location: Region,
    #[serde(default)]
    pub zone_redundancy_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_endpoint_enabled: Option<bool>,
}

/// Whether traffic not matched by a rule is let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultAction {
    Allow,
    Deny,
}

impl DefaultAction {
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultAction::Allow => "Allow",
            DefaultAction::Deny => "Deny",
        }
    }
}

/// `[container_registry.network_rules]`: the registry firewall (Premium only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkRules {
    pub default_action: DefaultAction,
    /// IPv4 addresses or CIDR ranges allowed through, e.g. `"203.0.113.0/24"`.
    #[serde(default)]
    pub ip_allow_list: Vec<String>,
}
