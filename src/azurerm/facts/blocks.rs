//! How repeated values are compared: which attribute identifies a nested block among its siblings, and which
//! attributes and blocks are sets (order does not matter). The set facts come from the vendored provider schema;
//! the identity keys from Azure's uniqueness rules. `infra drift` still keeps copies (`drift/compare.rs`
//! `block_key`, `SETS`) until it moves onto the shared differ (issue 11, item 3), which is to read them here.

use crate::azurerm::{resource_schema, BlockSchema, NestingMode};
use serde_json::Value;

/// The attribute that identifies a block of type `block_type` among the blocks of the same type, when Azure
/// keeps it unique: a registry replica per `location` (one replica per region, and the provider sorts them by
/// location, NOTES.md §2), a firewall `ip_rule` per `ip_range`, containers, environment variables and timer
/// triggers per `name` (unique within their parent, NOTES.md §3, §10), an app's `registry` per `server`
/// (NOTES.md §10). `None`: blocks of that type are matched by position.
pub fn identity_key(block_type: &str) -> Option<&'static str> {
    match block_type {
        "georeplications" => Some("location"),
        "ip_rule" => Some("ip_range"),
        "timer_trigger" | "container" | "env" => Some("name"),
        "registry" => Some("server"),
        _ => None,
    }
}

/// Whether the value at `path` (dot-separated through nested blocks and object attributes:
/// `identity.identity_ids`, `network_rule_set.ip_rule`) of `resource_type` is a set, per the provider schema.
/// `None` when the resource type or the path is unknown.
pub fn is_set(resource_type: &str, path: &str) -> Option<bool> {
    let parts: Vec<&str> = path.split('.').collect();
    in_block(resource_schema(resource_type)?, &parts)
}

fn in_block(block: &BlockSchema, path: &[&str]) -> Option<bool> {
    let (first, rest) = path.split_first()?;
    if let Some(nested) = block.block_types.get(*first) {
        return match rest {
            [] => Some(nested.nesting_mode == NestingMode::Set),
            _ => in_block(&nested.block, rest),
        };
    }
    let attribute = block.attributes.get(*first)?;
    in_type(&attribute.ty, rest)
}

/// Walks a cty type (`["set", "string"]`, `["list", ["object", {…}]]`) along `path`.
fn in_type(ty: &Value, path: &[&str]) -> Option<bool> {
    let (kind, inner) = match ty.as_array().map(Vec::as_slice) {
        Some([Value::String(kind), inner]) => (kind.as_str(), inner),
        _ => return path.is_empty().then_some(false),
    };
    match (kind, path) {
        ("set", []) => Some(true),
        (_, []) => Some(false),
        ("object", [first, rest @ ..]) => in_type(inner.get(*first)?, rest),
        ("list" | "set" | "map", _) => in_type(inner, path),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_from_the_schema() {
        assert_eq!(
            is_set("azurerm_container_registry", "identity.identity_ids"),
            Some(true)
        );
        assert_eq!(
            is_set("azurerm_container_registry", "network_rule_set.ip_rule"),
            Some(true)
        );
        assert_eq!(is_set("azurerm_container_registry", "georeplications"), Some(false));
        assert_eq!(is_set("azurerm_container_registry_webhook", "actions"), Some(true));
        assert_eq!(is_set("azurerm_container_registry", "name"), Some(false));
        assert_eq!(is_set("azurerm_container_registry", "no_such_thing"), None);
        assert_eq!(is_set("aws_instance", "ami"), None);
    }

    /// Every identity key is an attribute of each block type it identifies, wherever that block type occurs in
    /// a vendored schema — and a block type keyed by identity is not itself a set (sets need no key).
    #[test]
    fn identity_keys_name_attributes_of_their_blocks() {
        let mut seen = 0;
        fn walk(block: &BlockSchema, seen: &mut usize) {
            for (name, nested) in &block.block_types {
                if let Some(key) = identity_key(name) {
                    *seen += 1;
                    assert!(nested.block.attributes.contains_key(key), "{name} has no {key}");
                }
                walk(&nested.block, seen);
            }
        }
        for t in crate::azurerm::resource_types() {
            walk(resource_schema(t).unwrap(), &mut seen);
        }
        assert!(seen >= 4, "the keyed block types occur in the vendored schemas");
    }
}
