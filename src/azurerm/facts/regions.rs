//! Which Azure regions have availability zones: zone redundancy (a zone-redundant registry, replica or Container
//! Apps environment, zone-redundant storage) can only be asked for in those.
//!
//! Source: Microsoft Learn, "Azure regions list" (`learn.microsoft.com/azure/reliability/regions-list`,
//! MicrosoftDocs/reliability-docs `articles/reliability/regions-list.md`, ms.date 09/23/2025), column
//! "Availability zone support". Regions the page does not list (new, sovereign or restricted ones missing from it)
//! are in neither table and are not judged.

use super::normalize;

/// Regions with availability zones (programmatic names).
pub(crate) const WITH_ZONES: &[&str] = &[
    "australiaeast",
    "austriaeast",
    "belgiumcentral",
    "brazilsouth",
    "canadacentral",
    "centralindia",
    "centralus",
    "chilecentral",
    "denmarkeast",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "indonesiacentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "malaysiawest",
    "mexicocentral",
    "newzealandnorth",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "westeurope",
    "westus2",
    "westus3",
];

/// Regions without availability zones (programmatic names).
pub(crate) const WITHOUT_ZONES: &[&str] = &[
    "australiacentral",
    "australiacentral2",
    "australiasoutheast",
    "brazilsoutheast",
    "canadaeast",
    "francesouth",
    "germanynorth",
    "koreasouth",
    "northcentralus",
    "norwaywest",
    "southafricawest",
    "southindia",
    "switzerlandwest",
    "uaecentral",
    "ukwest",
    "westcentralus",
    "westindia",
    "westus",
];

/// Whether `region` (any spelling: `West Europe`, `westeurope`) has availability zones; `None` when the table
/// does not list it.
pub(crate) fn has_availability_zones(region: &str) -> Option<bool> {
    let region = normalize::location(region);
    if WITH_ZONES.contains(&region.as_str()) {
        Some(true)
    } else if WITHOUT_ZONES.contains(&region.as_str()) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_disjoint_sorted_and_normalised() {
        for table in [WITH_ZONES, WITHOUT_ZONES] {
            let mut sorted = table.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted, table);
            assert!(table.iter().all(|r| normalize::location(r) == *r));
        }
        assert!(WITH_ZONES.iter().all(|r| !WITHOUT_ZONES.contains(r)));
        assert_eq!(has_availability_zones("West Europe"), Some(true));
        assert_eq!(has_availability_zones("West US"), Some(false));
        assert_eq!(has_availability_zones("mars"), None);
    }
}
