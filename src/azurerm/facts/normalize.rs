//! How Azure and the azurerm provider normalise values: each rule once, for everything that compares a value
//! written by the user with one Azure or the provider hands back (stack validation, render, check, drift).
//!
//! [`value`] is the whole of it for one attribute: what `infra drift` compares, declared and live alike, so
//! that what Azure did on its own is never reported as drift. Which values are sets is not decided here: the
//! provider schema says, through [`super::blocks::is_set`].

use serde_json::Value;

/// `West Europe`, `westeurope`, `WestEurope` → `westeurope`: ARM answers the programmatic name whatever was
/// written, and azurerm compares locations this way (`location.Normalize` in go-azure-helpers, used by every
/// `location` of azurerm 4.79.0).
pub(crate) fn location(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Resource IDs are case-insensitive in ARM (`resourcegroups` vs `resourceGroups`, names in any case): compare
/// them lower-cased, without a trailing slash.
pub(crate) fn resource_id(value: &str) -> String {
    value.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// An IP rule: a bare IPv4 address means that address alone, which Azure (and azurerm) write as `/32`
/// (Microsoft.ContainerRegistry `IPRule.value`, Microsoft.Storage `IPRule.value` read back with the prefix).
pub(crate) fn ip_range(value: &str) -> String {
    let value = value.trim();
    if value.contains('/') || value.contains(':') {
        value.to_string()
    } else {
        format!("{value}/32")
    }
}

/// A set, in a canonical order, without duplicates.
pub(crate) fn set<I, S>(values: I) -> Vec<String>
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
pub(crate) fn last_segment(value: &str) -> String {
    resource_id(value).rsplit('/').next().unwrap_or_default().to_string()
}

/// `Enabled` / `enabled` / `ENABLED` → true; anything else false.
pub(crate) fn enabled(value: &str) -> bool {
    value.eq_ignore_ascii_case("enabled")
}

/// A container's memory: `"1.0Gi"` and `"1Gi"` are the same amount (Microsoft.App `ContainerResources.memory`
/// is a quantity string; the service answers it without trailing zeros, so a stack's `1.0Gi` reads back as
/// `1Gi` — measured against the official examples, issue 11). Anything that is not `<number><unit>` is kept.
pub(crate) fn memory(value: &str) -> String {
    let value = value.trim();
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    match number.parse::<f64>() {
        Ok(n) if !number.is_empty() && n.is_finite() => format!("{n}{unit}"),
        _ => value.to_string(),
    }
}

/// Attributes holding resource IDs (or principal/client GUIDs, or login servers): compared case-insensitively.
fn id_like(name: &str) -> bool {
    name == "id"
        || name.ends_with("_id")
        || matches!(
            name,
            "scope" | "identity" | "server" | "identity_ids" | "principal_id" | "client_id" | "private_dns_zone_ids"
        )
}

/// Enumerations ARM answers in its own case (`Premium`/`premium`, `System Assigned`/`SystemAssigned`).
fn case_insensitive_enum(name: &str) -> bool {
    matches!(
        name,
        "sku" | "status" | "default_action" | "type" | "principal_type" | "actions" | "bypass"
    )
}

/// A string of attribute `name` in the form Azure stores it.
pub(crate) fn string(name: &str, s: &str) -> String {
    if name == "location" {
        location(s)
    } else if name == "ip_range" || name == "ip_rules" {
        ip_range(s)
    } else if name == "memory" {
        memory(s)
    } else if id_like(name) {
        resource_id(s)
    } else if case_insensitive_enum(name) {
        s.to_ascii_lowercase().replace(' ', "")
    } else {
        s.to_string()
    }
}

/// The value at `path` (dot-separated through nested blocks and object attributes, as
/// [`super::blocks::is_set`] takes it: `network_rule_set.ip_rule`) of a `resource_type`, in the form Azure stores
/// it: strings by [`string`] (named by the path's last segment), numbers as floats, what the provider schema
/// says is a set sorted and without duplicates; objects and lists element by element (a list element inherits its
/// attribute's path). Tags are the user's and compared exactly.
pub(crate) fn value(resource_type: &str, path: &str, value: &Value) -> Value {
    let name = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::String(s) => Value::String(string(name, s)),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(|v| self::value(resource_type, path, v)).collect();
            if super::blocks::is_set(resource_type, path) == Some(true) {
                items.sort_by_key(|v| v.to_string());
                items.dedup();
            }
            Value::Array(items)
        }
        Value::Object(map) if name == "tags" => Value::Object(map.clone()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), self::value(resource_type, &format!("{path}.{k}"), v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Whether two values at `path` of a `resource_type` are the same once normalised.
#[cfg(test)]
pub(crate) fn same(resource_type: &str, path: &str, a: &Value, b: &Value) -> bool {
    self::value(resource_type, path, a) == self::value(resource_type, path, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ACR: &str = "azurerm_container_registry";
    const APP: &str = "azurerm_container_app";
    const LAW: &str = "azurerm_log_analytics_workspace";
    const WEBHOOK: &str = "azurerm_container_registry_webhook";

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
        assert_eq!(ip_range("2001:db8::1"), "2001:db8::1");
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

    #[test]
    fn memory_quantities_without_trailing_zeros() {
        assert_eq!(memory("1.0Gi"), "1Gi");
        assert_eq!(memory("1Gi"), "1Gi");
        assert_eq!(memory("0.50Gi"), "0.5Gi");
        assert_ne!(memory("1.5Gi"), memory("1Gi"));
        assert_ne!(memory("1Gi"), memory("1Mi"));
        assert_eq!(memory("lots"), "lots");
        assert!(same(APP, "template.container.memory", &json!("1.0Gi"), &json!("1Gi")));
        // Only `memory` is a quantity: an image tag `1.0` is not `1`.
        assert!(!same(
            APP,
            "template.container.image",
            &json!("app:1.0Gi"),
            &json!("app:1Gi")
        ));
    }

    #[test]
    fn normalises_what_azure_normalises() {
        assert!(same(ACR, "location", &json!("West Europe"), &json!("westeurope")));
        assert!(!same(ACR, "location", &json!("West Europe"), &json!("northeurope")));
        assert!(same(
            "azurerm_role_assignment",
            "scope",
            &json!("/subscriptions/S/resourceGroups/RG/x"),
            &json!("/subscriptions/s/resourcegroups/rg/x")
        ));
        assert!(same(
            ACR,
            "network_rule_set.ip_rule.ip_range",
            &json!("203.0.113.7"),
            &json!("203.0.113.7/32")
        ));
        assert!(same(
            WEBHOOK,
            "actions",
            &json!(["push", "delete"]),
            &json!(["delete", "push"])
        ));
        assert!(!same(WEBHOOK, "actions", &json!(["push"]), &json!(["delete", "push"])));
        assert!(same(APP, "template.container.cpu", &json!(0.5), &json!(0.5)));
        assert!(same(LAW, "retention_in_days", &json!(90), &json!(90.0)));
        assert!(same(LAW, "sku", &json!("PerGB2018"), &json!("pergb2018")));
        // Names, images and tags are compared exactly.
        assert!(!same(
            APP,
            "template.container.image",
            &json!("acr.azurecr.io/app:1.0.0"),
            &json!("acr.azurecr.io/App:1.0.0")
        ));
        assert!(!same(ACR, "tags", &json!({ "env": "Prod" }), &json!({ "env": "prod" })));
    }

    #[test]
    fn nested_rule_sets_compare_as_sets_of_normalised_rules() {
        let declared = json!([{ "default_action": "Deny", "ip_rule": [
            { "action": "Allow", "ip_range": "203.0.113.0/24" },
            { "action": "Allow", "ip_range": "198.51.100.10" },
        ]}]);
        let live = json!([{ "default_action": "Deny", "ip_rule": [
            { "action": "Allow", "ip_range": "198.51.100.10/32" },
            { "action": "Allow", "ip_range": "203.0.113.0/24" },
        ]}]);
        assert!(same(ACR, "network_rule_set", &declared, &live));
        let opened = json!([{ "default_action": "Allow", "ip_rule": live[0]["ip_rule"].clone() }]);
        assert!(!same(ACR, "network_rule_set", &declared, &opened));
    }

    /// Every list and set the provider schema has, with whether it is a set, found without `blocks::is_set`:
    /// attributes (and the fields of their object types) and nested blocks of every vendored resource type.
    fn collections(block: &crate::terraform::schema::BlockSchema, path: &str, out: &mut Vec<(String, bool)>) {
        fn in_type(ty: &Value, path: &str, out: &mut Vec<(String, bool)>) {
            match ty.as_array().map(Vec::as_slice) {
                Some([Value::String(kind), inner]) if kind == "list" || kind == "set" => {
                    out.push((path.to_string(), kind == "set"));
                    // The fields of a list of objects; a collection directly inside another has no path.
                    if let Some([Value::String(k), Value::Object(fields)]) = inner.as_array().map(Vec::as_slice) {
                        if k == "object" {
                            for (name, ty) in fields {
                                in_type(ty, &format!("{path}.{name}"), out);
                            }
                        }
                    }
                }
                Some([Value::String(kind), Value::Object(fields)]) if kind == "object" => {
                    for (name, ty) in fields {
                        in_type(ty, &format!("{path}.{name}"), out);
                    }
                }
                _ => {}
            }
        }
        let join = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        for (name, attribute) in &block.attributes {
            in_type(&attribute.ty, &join(name), out);
        }
        for (name, nested) in &block.block_types {
            let p = join(name);
            if matches!(nested.nesting_mode, NestingMode::List | NestingMode::Set) {
                out.push((p.clone(), nested.nesting_mode == NestingMode::Set));
            }
            collections(&nested.block, &p, out);
        }
    }

    use crate::terraform::schema::NestingMode;

    /// The comparison sorts exactly what the provider schema says is a set — so `infra drift` and the schema
    /// (which Terraform, and so `infra diff` of a plan, follows) cannot disagree on what ignores order.
    #[test]
    fn sorts_exactly_the_schemas_sets() {
        let (mut sets, mut lists) = (0, 0);
        for t in crate::azurerm::resource_types() {
            let mut found = Vec::new();
            collections(crate::azurerm::resource_schema(t).unwrap(), "", &mut found);
            for (path, is_set) in found {
                let out = value(t, &path, &json!(["b", "a", "b"]));
                let out = out.as_array().unwrap();
                if is_set {
                    sets += 1;
                    assert_eq!(out.len(), 2, "{t} {path} is a set: sorted, without duplicates");
                    assert!(out[0].as_str() < out[1].as_str(), "{t} {path} is a set: sorted");
                } else {
                    lists += 1;
                    assert_eq!(out.len(), 3, "{t} {path} is a list: kept as it is");
                    assert!(out[0].as_str() > out[1].as_str(), "{t} {path} is a list: kept in order");
                }
            }
        }
        assert!(sets >= 20 && lists >= 20, "{sets} sets, {lists} lists");
    }

    /// What the comparison used to list by name (webhook actions, identity IDs, a storage account's bypass, IP
    /// rules and subnets, a registry's IP rules) is still compared as a set, now because the schema says so.
    #[test]
    fn the_sets_drift_compares_are_sets_in_the_schema() {
        let unordered = |t: &str, path: &str, a: Value, b: Value| same(t, path, &a, &b);
        assert!(unordered(
            WEBHOOK,
            "actions",
            json!(["push", "delete"]),
            json!(["delete", "push"])
        ));
        assert!(unordered(
            APP,
            "identity.identity_ids",
            json!(["/b", "/a"]),
            json!(["/a", "/b"])
        ));
        assert!(unordered(
            ACR,
            "identity.identity_ids",
            json!(["/b", "/a"]),
            json!(["/A", "/b"])
        ));
        let storage = "azurerm_storage_account";
        assert!(unordered(
            storage,
            "network_rules.bypass",
            json!(["Logging", "AzureServices"]),
            json!(["AzureServices", "Logging"])
        ));
        assert!(unordered(
            storage,
            "network_rules.ip_rules",
            json!(["203.0.113.7", "198.51.100.0/24"]),
            json!(["198.51.100.0/24", "203.0.113.7/32"])
        ));
        assert!(unordered(
            storage,
            "network_rules.virtual_network_subnet_ids",
            json!(["/s/b", "/s/a"]),
            json!(["/s/a", "/s/b"])
        ));
        let rules = |a: &str, b: &str| json!([{ "ip_rule": [{ "ip_range": a }, { "ip_range": b }] }]);
        assert!(unordered(
            ACR,
            "network_rule_set",
            rules("203.0.113.7", "198.51.100.0/24"),
            rules("198.51.100.0/24", "203.0.113.7/32")
        ));
        // A list keeps its order: a container's arguments.
        assert!(!unordered(
            APP,
            "template.container.args",
            json!(["--a", "--b"]),
            json!(["--b", "--a"])
        ));
    }
}
