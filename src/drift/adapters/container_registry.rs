//! `azurerm_container_registry` from a Microsoft.ContainerRegistry `registries` GET (api-version 2023-07-01) and
//! its `replications` list.
//!
//! Absent properties read as azurerm 4.79.0 reads them (`internal/services/containers/container_registry_resource.go`):
//! policies default to their service defaults (export enabled, quarantine/trust/retention disabled), public
//! network access to enabled; a retention policy that is off reads as 0 days.

use super::{bool_at, id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_registry";

/// The registry's SKU (`Basic`, `Standard`, `Premium`; empty when absent).
pub(crate) fn sku(arm: &Value) -> &str {
    str_at(arm, "/sku/name").unwrap_or_default()
}

/// `name` and `path`: what the registry was read by. `replications`: the `replications` list (Premium only);
/// the home-region replication ARM always lists is not a geo-replication and is left out.
pub(crate) fn object(arm: &Value, replications: &[Value], name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    let location = normalize::location(str_at(arm, "/location").unwrap_or_default());
    let enabled = |pointer: &str, absent: bool| str_at(arm, pointer).map(normalize::enabled).unwrap_or(absent);
    let retention_days = if enabled("/properties/policies/retentionPolicy/status", false) {
        arm.pointer("/properties/policies/retentionPolicy/days")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    } else {
        0
    };
    let mut georeplications: Vec<Value> = replications
        .iter()
        .map(|r| {
            json!({
                "location": normalize::location(str_at(r, "/location").unwrap_or_default()),
                "zone_redundancy_enabled": str_at(r, "/properties/zoneRedundancy").is_some_and(normalize::enabled),
                "regional_endpoint_enabled": bool_at(r, "/properties/regionEndpointEnabled", true),
                "tags": tags(r),
            })
        })
        .filter(|g| g["location"] != location.as_str())
        .collect();
    georeplications.sort_by(|a, b| a["location"].to_string().cmp(&b["location"].to_string()));
    let network_rule_set: Vec<Value> = arm
        .pointer("/properties/networkRuleSet")
        .filter(|v| v.is_object())
        .map(|set| {
            let ip_rules = normalize::set(
                super::array_at(set, "/ipRules")
                    .iter()
                    .filter_map(|r| str_at(r, "/value"))
                    .map(normalize::ip_range),
            );
            json!({
                "default_action": str_at(set, "/defaultAction").unwrap_or("Allow"),
                "ip_rule": ip_rules.iter().map(|ip| json!({ "action": "Allow", "ip_range": ip })).collect::<Vec<_>>(),
            })
        })
        .into_iter()
        .collect();
    let mut attributes = json!({
        "id": id_or(arm, path),
        "name": name,
        "location": location,
        "login_server": str_at(arm, "/properties/loginServer"),
        "sku": sku(arm),
        "admin_enabled": bool_at(arm, "/properties/adminUserEnabled", false),
        "public_network_access_enabled": enabled("/properties/publicNetworkAccess", true),
        "zone_redundancy_enabled": enabled("/properties/zoneRedundancy", false),
        "data_endpoint_enabled": bool_at(arm, "/properties/dataEndpointEnabled", false),
        "export_policy_enabled": enabled("/properties/policies/exportPolicy/status", true),
        "quarantine_policy_enabled": enabled("/properties/policies/quarantinePolicy/status", false),
        "trust_policy_enabled": enabled("/properties/policies/trustPolicy/status", false),
        "retention_policy_in_days": retention_days,
        "tags": tags(arm),
        "georeplications": georeplications,
        "network_rule_set": network_rule_set,
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
