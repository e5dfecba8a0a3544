//! Azure normalises some values on write; we normalise the same way before comparing, so that what Azure did on
//! its own is never reported as drift.

/// `West Europe`, `westeurope`, `WestEurope` → `westeurope`.
pub fn location(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Resource IDs are case-insensitive in ARM (`resourcegroups` vs `resourceGroups`, names in any case): compare
/// them lower-cased, without a trailing slash.
pub fn resource_id(value: &str) -> String {
    value.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// An IP rule: a bare IPv4 address means that address alone, which Azure (and azurerm) write as `/32`.
pub fn ip_range(value: &str) -> String {
    let value = value.trim();
    if value.contains('/') || value.contains(':') {
        value.to_string()
    } else {
        format!("{value}/32")
    }
}

/// A set, in a canonical order, without duplicates.
pub fn set<I, S>(values: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut out: Vec<String> = values.into_iter().map(Into::into).collect();
    out.sort();
    out.dedup();
    out
}

/// The last segment of a resource ID (`…/roleDefinitions/<guid>` → `<guid>`), lower-cased.
pub fn last_segment(value: &str) -> String {
    resource_id(value).rsplit('/').next().unwrap_or_default().to_string()
}

/// `Enabled` / `enabled` / `ENABLED` → true; anything else false.
pub fn enabled(value: &str) -> bool {
    value.eq_ignore_ascii_case("enabled")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_compare_by_their_programmatic_name() {
        assert_eq!(location("West Europe"), "westeurope");
        assert_eq!(location("westeurope"), "westeurope");
        assert_eq!(location("North Europe"), location("northeurope"));
        assert_ne!(location("West Europe"), location("North Europe"));
    }

    #[test]
    fn resource_ids_ignore_case_and_trailing_slash() {
        assert_eq!(
            resource_id("/subscriptions/S/resourcegroups/RG/providers/Microsoft.ContainerRegistry/registries/Acr/"),
            resource_id("/subscriptions/s/resourceGroups/rg/providers/microsoft.containerregistry/registries/acr")
        );
    }

    #[test]
    fn single_ips_get_a_slash_32() {
        assert_eq!(ip_range("203.0.113.7"), "203.0.113.7/32");
        assert_eq!(ip_range("203.0.113.0/24"), "203.0.113.0/24");
        assert_eq!(ip_range(" 203.0.113.7/32 "), "203.0.113.7/32");
    }

    #[test]
    fn sets_are_ordered_and_deduplicated() {
        assert_eq!(set(["push", "delete", "push"]), vec!["delete", "push"]);
    }

    #[test]
    fn last_segment_of_a_role_definition() {
        assert_eq!(
            last_segment("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D"),
            "7f951dda-4ed3-4680-a7ca-43fe172d538d"
        );
    }
}
