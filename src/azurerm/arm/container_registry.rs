//! `azurerm_container_registry` from a Microsoft.ContainerRegistry `registries` GET (api-version 2023-07-01) and
//! its `replications` list.
//!
//! Absent properties read as the REST spec's defaults ([`default`]: policies export enabled, quarantine / trust /
//! retention disabled, public network access enabled, …), as azurerm 4.79.0 reads them too
//! (`internal/services/containers/container_registry_resource.go`); a retention policy that is off reads as 0
//! days, as azurerm keeps it.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::arm_defaults as default;
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_registry";

/// The child list of a registry's replications (read at the registry's api-version).
pub(crate) const REPLICATIONS: &str = "replications";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.ContainerRegistry/registries",
    path: ArmPath::InResourceGroup,
    api_version: "2023-07-01",
    noun: "container registry",
    read: |arm, r| Some(object(arm, r.children, r.name, r.path)),
    azapi: Azapi::Mapped,
};

/// The registry's SKU (`Basic`, `Standard`, `Premium`; empty when absent).
pub(crate) fn sku(arm: &Value) -> &str {
    str_at(arm, "/sku/name").unwrap_or_default()
}

/// `name` and `path`: what the registry was read by. `replications`: the `replications` list (Premium only);
/// the home-region replication ARM always lists is not a geo-replication and is left out.
pub(crate) fn object(arm: &Value, replications: &[Value], name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    let location = normalize::location(str_at(arm, "/location").unwrap_or_default());
    let enabled = |pointer: &str| str_at(arm, pointer).map(normalize::enabled);
    let policy = |name: &str| enabled(&format!("/properties/policies/{name}/status"));
    let mut attributes = json!({
        "id": id_or(arm, path),
        "name": name,
        "location": location,
        "login_server": str_at(arm, "/properties/loginServer"),
        "sku": sku(arm),
        "admin_enabled": arm.pointer("/properties/adminUserEnabled"),
        "public_network_access_enabled": enabled("/properties/publicNetworkAccess"),
        "zone_redundancy_enabled": enabled("/properties/zoneRedundancy"),
        "data_endpoint_enabled": arm.pointer("/properties/dataEndpointEnabled"),
        "export_policy_enabled": policy("exportPolicy"),
        "quarantine_policy_enabled": policy("quarantinePolicy"),
        "trust_policy_enabled": policy("trustPolicy"),
        "retention_policy_in_days": retention_days(arm),
        "tags": tags(arm),
        "georeplications": georeplications(replications, &location),
        "network_rule_set": network_rule_set(arm),
    });
    if let Some(bypass) = str_at(arm, "/properties/networkRuleBypassOptions") {
        attributes["network_rule_bypass_option"] = bypass.into();
    }
    // Not part of api-version 2023-07-01: read only when Azure returns it anyway.
    if let Some(anonymous) = arm.pointer("/properties/anonymousPullEnabled").and_then(Value::as_bool) {
        attributes["anonymous_pull_enabled"] = anonymous.into();
    }
    LiveObject::new(TYPE, name, attributes)
}

/// The retention policy's days: its `days` (the spec's default when absent) while it is enabled, 0 when it is
/// off (as azurerm keeps it).
fn retention_days(arm: &Value) -> i64 {
    let status = str_at(arm, "/properties/policies/retentionPolicy/status").unwrap_or_default();
    if !normalize::enabled(status) {
        return 0;
    }
    arm.pointer("/properties/policies/retentionPolicy/days")
        .and_then(Value::as_i64)
        .unwrap_or_default()
}

/// The `replications` list as azurerm's `georeplications` blocks, sorted by location, without the one in the
/// registry's own `location` (the home region ARM always lists).
fn georeplications(replications: &[Value], location: &str) -> Vec<Value> {
    let mut out: Vec<Value> = replications
        .iter()
        .map(|r| {
            json!({
                "location": normalize::location(str_at(r, "/location").unwrap_or_default()),
                "zone_redundancy_enabled": str_at(r, "/properties/zoneRedundancy").map(normalize::enabled),
                "regional_endpoint_enabled": r.pointer("/properties/regionEndpointEnabled"),
                "tags": tags(r),
            })
        })
        .filter(|g| g["location"] != location)
        .collect();
    out.sort_by(|a, b| a["location"].to_string().cmp(&b["location"].to_string()));
    out
}

/// `networkRuleSet` as azurerm's `network_rule_set` block (none when absent); IP rules as a set.
fn network_rule_set(arm: &Value) -> Vec<Value> {
    arm.pointer("/properties/networkRuleSet")
        .filter(|v| v.is_object())
        .map(|set| {
            let ip_rules = normalize::set(
                super::array_at(set, "/ipRules")
                    .iter()
                    .filter_map(|r| str_at(r, "/value"))
                    .map(normalize::ip_range),
            );
            // `IPRule.action` has one value, its default: the rule is matched by its range alone.
            let ip_rule = |ip: &String| json!({ "action": default::REGISTRY_IP_RULE_ACTION, "ip_range": ip });
            json!({
                "default_action": str_at(set, "/defaultAction"),
                "ip_rule": ip_rules.iter().map(ip_rule).collect::<Vec<_>>(),
            })
        })
        .into_iter()
        .collect()
}
