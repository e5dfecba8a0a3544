//! Container registry service tiers and what each allows (NOTES.md §2, "SKU gating": enforced by the provider's
//! CustomizeDiff or by Azure at apply time, so a stack is checked before). Stack validation, the Premium-only rules
//! of `infra check` (and ACR014's note) read them here.

/// The SKU names, lowest tier first (case-sensitive, as the provider validates them).
pub(crate) const REGISTRY_SKUS: [&str; 3] = ["Basic", "Standard", "Premium"];

/// The tier every Premium-only feature needs.
pub(crate) const PREMIUM: &str = "Premium";

/// A registry feature whose availability depends on the SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegistryFeature {
    /// `anonymous_pull_enabled = true`.
    AnonymousPull,
    /// `georeplications`.
    GeoReplication,
    /// `zone_redundancy_enabled = true`.
    ZoneRedundancy,
    /// `retention_policy_in_days > 0`.
    Retention,
    /// `data_endpoint_enabled = true`.
    DataEndpoint,
    /// `network_rule_set`.
    NetworkRules,
    /// `public_network_access_enabled = false`.
    PublicNetworkAccessOff,
    /// `export_policy_enabled = false`.
    ExportPolicyOff,
    /// `quarantine_policy_enabled = true`.
    Quarantine,
    /// An `encryption` block (customer-managed key).
    Encryption,
    /// A private endpoint for the registry (Microsoft Learn, "Connect privately to an Azure container registry
    /// using Azure Private Link": "available in the Premium container registry service tier").
    PrivateEndpoint,
}

impl RegistryFeature {
    /// The lowest SKU that allows the feature.
    pub(crate) fn minimum_sku(self) -> &'static str {
        match self {
            RegistryFeature::AnonymousPull => "Standard",
            _ => PREMIUM,
        }
    }
}

/// Whether a registry of `sku` allows `feature`. An unknown SKU allows nothing.
pub(crate) fn registry_allows(sku: &str, feature: RegistryFeature) -> bool {
    let rank = |s: &str| REGISTRY_SKUS.iter().position(|k| *k == s);
    matches!((rank(sku), rank(feature.minimum_sku())), (Some(have), Some(need)) if have >= need)
}

/// Whether `sku` is the Premium tier (what Premium-only rules apply to).
pub(crate) fn is_premium(sku: &str) -> bool {
    sku == PREMIUM
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers() {
        assert!(registry_allows("Standard", RegistryFeature::AnonymousPull));
        assert!(!registry_allows("Basic", RegistryFeature::AnonymousPull));
        assert!(!registry_allows("Standard", RegistryFeature::GeoReplication));
        assert!(registry_allows("Premium", RegistryFeature::NetworkRules));
        assert!(!registry_allows("premium", RegistryFeature::NetworkRules));
        // The SKU names are the provider's.
        let notes = crate::azurerm::ProviderNotes::of("azurerm_container_registry").unwrap();
        let sku_rule = notes.validation["sku"].as_str().unwrap();
        assert!(REGISTRY_SKUS.iter().all(|s| sku_rule.contains(s)));
    }
}
