//! Provider defaults: the value an argument has when the configuration leaves it out.
//!
//! They come from the vendored provider notes (`data/provider-notes.json`, `defaults` of each resource type,
//! transcribed from the provider's Go schema `Default:` values). A few optional arguments have no `Default:` in the
//! schema but the resource's Create sends the Go zero value when they are unset (`d.Get(...)` of an unset bool or
//! int); those are listed in [`ZERO_VALUE`] with their source. Rules, render and the docs read defaults here and
//! never restate them.

use crate::azurerm::ProviderNotes;
use serde_json::Value;
use std::sync::OnceLock;

/// Optional arguments without a schema `Default:` whose Create/Update sends the Go zero value when they are unset,
/// so leaving them out means `false` / `0` (resource type, argument path, value as JSON).
///
/// Source: hashicorp/terraform-provider-azurerm, `internal/services/containers/container_registry_resource.go`
/// (read at commit 69697b7fe6; the vendored notes' NOTES.md §2 describes the same 4.79.0 behaviour): Create sends
/// `AnonymousPullEnabled: pointer.To(d.Get("anonymous_pull_enabled").(bool))`, the same for
/// `data_endpoint_enabled`, and `expandQuarantinePolicy(d.Get("quarantine_policy_enabled").(bool))`; a retention
/// policy is only written when `retention_policy_in_days > 0`, so unset means Azure's default, retention disabled
/// (what `0` means too).
const ZERO_VALUE: &[(&str, &str, &str)] = &[
    ("azurerm_container_registry", "anonymous_pull_enabled", "false"),
    ("azurerm_container_registry", "data_endpoint_enabled", "false"),
    ("azurerm_container_registry", "quarantine_policy_enabled", "false"),
    ("azurerm_container_registry", "retention_policy_in_days", "0"),
];

fn zero_values() -> &'static [(&'static str, &'static str, Value)] {
    static PARSED: OnceLock<Vec<(&str, &str, Value)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        ZERO_VALUE
            .iter()
            .map(|(t, p, v)| (*t, *p, serde_json::from_str(v).expect("ZERO_VALUE holds JSON")))
            .collect()
    })
}

/// The value argument `path` (dot-separated for nested blocks: `ingress.allow_insecure_connections`) of
/// `resource_type` has when it is not set, or `None` when the provider has no plain default (required arguments,
/// optional+computed ones Azure fills in, and conditional defaults the notes describe in words, such as
/// `"Hot (applied at create for …)"`).
pub(crate) fn default(resource_type: &str, path: &str) -> Option<&'static Value> {
    if let Some(v) = ProviderNotes::of(resource_type).and_then(|n| n.defaults.get(path)) {
        // The notes write conditional defaults as prose: "PerGB2018 (applied in Create when unset)".
        return match v {
            Value::String(s) if s.contains(" (") => None,
            v => Some(v),
        };
    }
    zero_values()
        .iter()
        .find(|(t, p, _)| *t == resource_type && *p == path)
        .map(|(_, _, v)| v)
}

/// [`default`] of a boolean argument.
pub(crate) fn default_bool(resource_type: &str, path: &str) -> Option<bool> {
    default(resource_type, path).and_then(Value::as_bool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_notes() {
        assert_eq!(default_bool("azurerm_container_registry", "admin_enabled"), Some(false));
        assert_eq!(
            default_bool("azurerm_container_registry", "export_policy_enabled"),
            Some(true)
        );
        assert_eq!(
            default_bool("azurerm_storage_account", "allow_nested_items_to_be_public"),
            Some(true)
        );
        assert_eq!(
            default("azurerm_storage_account", "min_tls_version"),
            Some(&Value::from("TLS1_2"))
        );
        assert_eq!(
            default_bool("azurerm_container_app", "ingress.allow_insecure_connections"),
            Some(false)
        );
        // Required: no default. Conditional prose: no plain default.
        assert_eq!(default("azurerm_container_registry", "sku"), None);
        assert_eq!(default("azurerm_storage_account", "access_tier"), None);
        assert_eq!(default("azurerm_log_analytics_workspace", "sku"), None);
    }

    #[test]
    fn zero_values_fill_only_what_the_notes_leave_out() {
        for (t, p, _) in ZERO_VALUE {
            let notes = ProviderNotes::of(t).expect("a vendored resource type");
            assert!(
                !notes.defaults.contains_key(*p),
                "{t}.{p} is in the notes: drop it from ZERO_VALUE"
            );
            let schema = crate::azurerm::resource_schema(t).unwrap();
            let a = schema
                .attributes
                .get(*p)
                .unwrap_or_else(|| panic!("{t} has no argument {p}"));
            assert!(a.optional && !a.computed, "{t}.{p} must be optional and not computed");
        }
        assert_eq!(
            default("azurerm_container_registry", "retention_policy_in_days"),
            Some(&Value::from(0))
        );
    }

    #[test]
    fn every_default_names_an_argument_of_the_schema() {
        for t in crate::azurerm::resource_types() {
            let Some(notes) = ProviderNotes::of(t) else { continue };
            let schema = crate::azurerm::resource_schema(t).unwrap();
            for path in notes.defaults.keys() {
                let parts: Vec<&str> = path.split('.').collect();
                let (last, blocks) = parts.split_last().unwrap();
                let block = schema.nested(blocks).unwrap_or_else(|| panic!("{t}: no block {path}"));
                assert!(
                    block.attributes.contains_key(*last),
                    "{t}: default for unknown argument {path}"
                );
            }
        }
    }
}
