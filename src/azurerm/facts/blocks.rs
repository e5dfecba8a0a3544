//! How repeated values are compared: which attribute identifies a nested block among its siblings, which
//! attributes and blocks are sets (order does not matter), and which blocks a stack owns even when it declares
//! none. The set facts come from the vendored provider schema; the identity keys from Azure's uniqueness rules.
//! This is the one place for them: the shared differ (`diff::tree`, used by `infra diff` and `infra drift`)
//! matches repeated blocks by [`identity_keys`], the normaliser (`facts::normalize::value`) sorts exactly what
//! [`is_set`] says is a set, and `infra drift` compares live blocks the stack leaves out by
//! [`owned_when_undeclared`].

use crate::azurerm::resource_schema;
use crate::terraform::schema::{BlockSchema, NestingMode};
use serde_json::Value;

/// The attribute that identifies a block of type `block_type` among the blocks of the same type, when Azure
/// keeps it unique: a registry replica per `location` (one replica per region, and the provider sorts them by
/// location, NOTES.md §2), a firewall `ip_rule` per `ip_range`, containers, environment variables and timer
/// triggers per `name` (unique within their parent, NOTES.md §3, §10), an app's `registry` per `server`
/// (NOTES.md §10). `None`: blocks of that type have no key of their own (see [`identity_keys`]).
#[cfg(test)]
pub(crate) fn identity_key(block_type: &str) -> Option<&'static str> {
    let keys = identity_keys(block_type);
    (keys != FALLBACK_KEYS).then(|| keys[0])
}

/// What a block type without an [`identity_key`] is matched by: the first of these that every block of the type
/// has, with a distinct value, on both sides (most azurerm blocks that repeat carry a `name` — secrets, volumes,
/// scale rules, security rules, subnets — and a replica-like one a `location`).
pub(crate) const FALLBACK_KEYS: &[&str] = &["name", "location"];

/// The attributes that may identify a block of type `block_type` among its siblings, in the order to try them:
/// its [`identity_key`], else the [`FALLBACK_KEYS`]. A differ uses the first one whose values are known and
/// distinct on both sides, and matches by position when none is.
pub(crate) fn identity_keys(block_type: &str) -> &'static [&'static str] {
    match block_type {
        "georeplications" => &["location"],
        "ip_rule" => &["ip_range"],
        "timer_trigger" | "container" | "env" => &["name"],
        "registry" => &["server"],
        _ => FALLBACK_KEYS,
    }
}

/// Top-level block types whose live members belong to the stack even when it declares none, so a live member the
/// configuration leaves out is drift: azurerm 4.79.0 keeps `georeplications` as an optional, non-computed list,
/// and an apply removes a replica the configuration does not list
/// (`internal/services/containers/container_registry_resource.go`). Any other block type the configuration
/// leaves out is Azure's to default (an `identity`, an `ingress`).
const OWNED_WHEN_UNDECLARED: &[(&str, &str)] = &[("azurerm_container_registry", "georeplications")];

/// Whether live blocks of `block_type` on `resource_type` are compared when the configuration declares none.
pub(crate) fn owned_when_undeclared(resource_type: &str, block_type: &str) -> bool {
    OWNED_WHEN_UNDECLARED.contains(&(resource_type, block_type))
}

/// Whether the value at `path` (dot-separated through nested blocks and object attributes:
/// `identity.identity_ids`, `network_rule_set.ip_rule`) of `resource_type` is a set, per the provider schema.
/// `None` when the resource type or the path is unknown.
pub(crate) fn is_set(resource_type: &str, path: &str) -> Option<bool> {
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
        // A map's next segment is one of its keys; a list's or set's elements have no segment of their own.
        ("map", [_, rest @ ..]) => in_type(inner, rest),
        ("list" | "set", _) => in_type(inner, path),
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
    /// a vendored schema (a key the schema does not have would silently fall back to matching by position).
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

    /// Every block type a stack owns when undeclared is an optional, repeatable block of its resource type in
    /// the vendored schema: were it required, or gone, comparing it would be meaningless.
    #[test]
    fn owned_blocks_are_optional_blocks_of_their_resource() {
        for (resource_type, block_type) in OWNED_WHEN_UNDECLARED {
            assert!(owned_when_undeclared(resource_type, block_type));
            let schema = resource_schema(resource_type).unwrap_or_else(|| panic!("{resource_type} is vendored"));
            let nested = schema
                .block_types
                .get(*block_type)
                .unwrap_or_else(|| panic!("{resource_type} has a {block_type} block"));
            assert_eq!(nested.min_items, 0, "{resource_type}.{block_type} is optional");
            assert_eq!(nested.nesting_mode, NestingMode::List, "{resource_type}.{block_type}");
        }
        assert!(!owned_when_undeclared("azurerm_container_app", "identity"));
    }

    #[test]
    fn block_types_without_a_key_fall_back() {
        assert_eq!(identity_keys("georeplications"), &["location"]);
        assert_eq!(identity_key("secret"), None);
        assert_eq!(identity_keys("secret"), FALLBACK_KEYS);
    }
}
