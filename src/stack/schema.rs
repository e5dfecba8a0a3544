//! The JSON Schema of the stack file format (`infra schema`, `schema/stack.schema.json`): generated from the
//! stack types with `schemars`, so it follows the model.
//!
//! Descriptions are the types' and fields' doc comments. Closed value sets are enums; ranges, lengths and patterns
//! come from the constants the validation itself uses ([`crate::azurerm::facts::names`],
//! [`crate::azurerm::facts::compute`], [`super::Bounds`]), never restated. Rules that span fields (SKU gates,
//! CPU/memory pairs, references between tables) cannot be a JSON Schema: their fields' descriptions say so, and
//! `infra render` checks them. Every table rejects unknown keys, as the stack reader does
//! (`additionalProperties: false` from `#[serde(deny_unknown_fields)]`).
//!
//! The schema is JSON Schema draft-07: the draft taplo (and Even Better TOML, which embeds it) validates.

use crate::azurerm::facts::names::NameRule;
use schemars::generate::SchemaSettings;
use schemars::Schema;
use serde_json::Value;

/// The JSON Schema of a stack file, as a JSON value.
pub fn json_schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<super::Stack>().to_value();
    toml_values(&mut schema);
    let Value::Object(mut generated) = schema else {
        unreachable!("a root schema is an object")
    };
    // The header first, as a reader expects it.
    let mut root = serde_json::Map::new();
    for key in ["$schema", "title", "description"] {
        root.insert(key.into(), generated.remove(key).unwrap_or(Value::Null));
    }
    root["title"] = "infra stack".into();
    root["description"] = "One environment of the app, as `infra render` reads it from stacks/<name>.toml. Rules \
        that span fields (registry SKU gates, CPU/memory pairs, references between tables, subnets inside the \
        address space) are checked by `infra render`, not by this schema."
        .into();
    root.extend(generated);
    root.insert("allOf".into(), created_or_existing());
    Value::Object(root)
}

/// Each of the registry, the identity and the environment is created (`[<table>]`) or referenced
/// (`[existing.<table>]`): one of the two keys is required. (That not both are given, and the workspace only with a
/// created environment, `infra render` checks.)
fn created_or_existing() -> Value {
    ["container_registry", "identity", "environment"]
        .iter()
        .map(|table| {
            serde_json::json!({
                "anyOf": [
                    { "required": [table] },
                    { "required": ["existing"], "properties": { "existing": { "required": [table] } } }
                ]
            })
        })
        .collect()
}

/// Fits the generated schema to TOML, which has no null and whose integers are 64-bit: an optional key is left
/// out, never null (drops the `null` branch serde's `Option` adds), and `u32` fields say their range instead of
/// the non-standard `format: uint32`.
fn toml_values(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(branches)) = map.get("anyOf") {
                let null = serde_json::json!({ "type": "null" });
                if branches.len() == 2 && branches.contains(&null) {
                    let other = branches.iter().find(|b| **b != null).cloned().unwrap_or_default();
                    map.remove("anyOf");
                    match other {
                        Value::Object(o) if o.len() == 1 && o.contains_key("$ref") && map.is_empty() => {
                            map.extend(o);
                        }
                        // `$ref` with siblings is ignored in draft-07: keep it in `allOf`.
                        other => {
                            map.insert("allOf".into(), Value::Array(vec![other]));
                        }
                    }
                }
            }
            if map.get("format").and_then(Value::as_str) == Some("uint32") {
                map.remove("format");
                map.entry("minimum").or_insert(0.into());
                map.entry("maximum").or_insert(u32::MAX.into());
            }
            map.values_mut().for_each(toml_values);
        }
        Value::Array(items) => items.iter_mut().for_each(toml_values),
        _ => {}
    }
}

/// The JSON Schema of a name: a string with the rule's lengths and pattern, described by the rule in words.
pub(super) fn name_rule(rule: &NameRule) -> Schema {
    schemars::json_schema!({
        "type": "string",
        "description": format!("{}{}: {}.", rule.what[..1].to_uppercase(), &rule.what[1..], rule.rule),
        "minLength": rule.min_len,
        "maxLength": rule.max_len,
        "pattern": rule.pattern,
    })
}

#[cfg(test)]
mod tests {
    use crate::azurerm::facts::names::{CONTAINER_APP, NETWORK, REGION, REGISTRY};

    /// Every name definition's pattern and length are the name rule's (moved here from
    /// `tests/it/stack_schema.rs`, which cannot see the rules).
    #[test]
    fn names_are_the_rules() {
        let schema = super::json_schema();
        let definitions = &schema["definitions"];
        let rules = [
            ("Region", REGION),
            ("RegistryName", REGISTRY),
            ("ContainerAppName", CONTAINER_APP),
            ("NetworkName", NETWORK),
        ];
        for (def, rule) in rules {
            assert_eq!(definitions[def]["pattern"], rule.pattern, "{def}");
            assert_eq!(definitions[def]["maxLength"], rule.max_len, "{def}");
        }
    }
}
