//! azurerm 3.x arguments of the resource types infra judges, and their 4.x form: what `infra check` reads a
//! configuration written for azurerm 3.x with (see [`crate::terraform::providers`] for how that is known).
//!
//! Source: the provider's "4.0 Upgrade Guide", hashicorp/terraform-provider-azurerm
//! `website/docs/guides/4.0-upgrade-guide.html.markdown` (v4.0.0 and later), sections "Behaviour changes and
//! removed properties in Resources" (`azurerm_container_registry`) and "… in Data Sources"
//! (`azurerm_storage_account`: `enable_https_traffic_only` → `https_traffic_only_enabled`; the resource's 4.x
//! schema, vendored 4.79.0, has only the new name). The 3.x defaults used below (`retention_policy.days` 7,
//! `retention_policy.enabled` and `trust_policy.enabled` false) are the 3.x resource documentation's
//! (`website/docs/r/container_registry.html.markdown` at v3.117.0); the vendored NOTES.md §2 lists the same
//! 3.x-only arguments. The guide names no change of the container app or storage account arguments infra's rules
//! read other than these.

/// How one 3.x argument is written in 4.x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// An argument renamed one to one: `from` is `to` in 4.x.
    Renamed { from: &'static str, to: &'static str },
    /// A 3.x block with an `enabled` switch that is one 4.x boolean argument: `block { enabled = x }` is `to = x`
    /// (the block without `enabled`: `false`).
    SwitchBlock { block: &'static str, to: &'static str },
    /// A 3.x block with an `enabled` switch and a number that is one 4.x number argument, `0` meaning off:
    /// `block { enabled = true, days = n }` is `to = n` (`number` left out: `default`); `enabled` false or left
    /// out is `to = 0`.
    NumberBlock {
        block: &'static str,
        number: &'static str,
        default: i64,
        to: &'static str,
    },
    /// An `enabled` switch inside a block removed in 4.x, where the block's presence is the switch:
    /// `block { enabled = false … }` is no block, `enabled = true` is the block without it.
    PresenceSwitch { block: &'static str },
    /// A 3.x argument (or block, dot-separated inside blocks) with no 4.x equivalent: a resource that sets it is
    /// not judged.
    Removed { argument: &'static str },
}

/// The 3.x → 4.x changes of a resource type.
pub(crate) fn changes(resource_type: &str) -> &'static [Change] {
    match resource_type {
        "azurerm_container_registry" => &[
            Change::NumberBlock {
                block: "retention_policy",
                number: "days",
                default: 7,
                to: "retention_policy_in_days",
            },
            Change::SwitchBlock {
                block: "trust_policy",
                to: "trust_policy_enabled",
            },
            Change::PresenceSwitch { block: "encryption" },
            Change::Removed {
                argument: "network_rule_set.virtual_network",
            },
        ],
        "azurerm_storage_account" => &[Change::Renamed {
            from: "enable_https_traffic_only",
            to: "https_traffic_only_enabled",
        }],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every 4.x name the table writes is in the vendored 4.79.0 schema, and no 3.x name is.
    #[test]
    fn the_table_agrees_with_the_4x_schema() {
        for t in ["azurerm_container_registry", "azurerm_storage_account"] {
            let schema = crate::azurerm::resource_schema(t).unwrap();
            for c in changes(t) {
                let (old, new) = match *c {
                    Change::Renamed { from, to } => (from, Some(to)),
                    Change::SwitchBlock { block, to } | Change::NumberBlock { block, to, .. } => (block, Some(to)),
                    Change::PresenceSwitch { .. } => continue,
                    Change::Removed { argument } => (argument.split('.').next().unwrap(), None),
                };
                if let Some(new) = new {
                    assert!(schema.attributes.contains_key(new), "{t}: {new}");
                    assert!(
                        !schema.attributes.contains_key(old) && schema.nested(&[old]).is_none(),
                        "{t}: {old}"
                    );
                }
            }
        }
    }
}
