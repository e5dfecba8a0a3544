//! A plan change's values as the attribute tree of the JSON and Markdown views (`tree::Obj`).

use super::secrets::holds_secret;
use crate::azurerm::BlockSchema;
use crate::diff::model::Value;
use crate::diff::tree::{Leaf, Obj};
use crate::terraform::json::mask::has_true as mask_has_true;
use crate::terraform::json::values::{nested_block, Shape, Syntax};
use serde_json::Value as Json;
use std::collections::HashSet;

/// A plan value (object) with its masks as a differ body. Nested blocks are what
/// [`nested_block`] says (the vendored azurerm schema; for types it does not know, non-empty arrays of objects);
/// a block type the plan marks wholly unknown is shown as an unknown attribute. An attribute that is null (and not unknown)
/// is left out, as Terraform leaves it out, and so is a nested block type with no blocks.
pub(super) fn obj(
    v: &Json,
    unknown: &Json,
    sensitive: &Json,
    schema: Option<&BlockSchema>,
    secrets: &HashSet<String>,
) -> Obj {
    let mut o = Obj::default();
    let empty = serde_json::Map::new();
    let map = v.as_object().unwrap_or(&empty);
    let at = |m: &Json, k: &str| m.get(k).cloned().unwrap_or(Json::Null);
    let schema_sensitive = |k: &str| schema.and_then(|s| s.attributes.get(k)).is_some_and(|a| a.sensitive);
    for (k, val) in map {
        let (um, sm) = (at(unknown, k), at(sensitive, k));
        let shape = if um == Json::Bool(true) {
            Shape::Unknown
        } else {
            Shape::of(val)
        };
        let block = nested_block(Syntax::Values, schema, k, shape);
        if let Some(nested) = block.filter(|_| sm != Json::Bool(true) && !schema_sensitive(k)) {
            let nested = nested.schema;
            let items = val.as_array().map(Vec::as_slice).unwrap_or_default();
            let blocks = items
                .iter()
                .enumerate()
                .map(|(i, item)| obj(item, &at_index(&um, i), &at_index(&sm, i), nested, secrets))
                .collect();
            o.blocks.insert(k.clone(), blocks);
            continue;
        }
        if val.is_null() && !mask_has_true(&um) {
            // Nothing to show (and nothing to hide): Terraform omits null attributes.
            continue;
        }
        let schema_sensitive = schema_sensitive(k);
        o.attrs
            .insert(k.clone(), leaf(val, &um, &sm, schema_sensitive, secrets));
    }
    if let Json::Object(u) = unknown {
        for (k, m) in u {
            if map.get(k).is_none_or(|v| v.is_null()) && m == &Json::Bool(true) {
                // Unknown and sensitive reads `(sensitive value)`, as Terraform prints it.
                let shown = if at(sensitive, k) == Json::Bool(true) || schema_sensitive(k) {
                    Value::Sensitive
                } else {
                    Value::Unknown
                };
                o.attrs.insert(
                    k.clone(),
                    Leaf {
                        shown,
                        cmp: Some(Json::Null),
                    },
                );
            }
        }
    }
    o
}

/// An attribute's value as shown (masked where the masks, the schema or the plan's secrets say) and compared.
fn leaf(val: &Json, um: &Json, sm: &Json, schema_sensitive: bool, secrets: &HashSet<String>) -> Leaf {
    let mut masked = true;
    let per_element = val.is_object() && sm.is_object() && mask_has_true(sm) && !schema_sensitive;
    let shown = if per_element {
        // A map with some sensitive values (`custom_headers = { Authorization = var.token }`): Terraform
        // shows it element by element, the sensitive values as `(sensitive value)`.
        partly_unknown(val, um, sm).unwrap_or(Value::Sensitive)
    } else if sm == &Json::Bool(true)
        || schema_sensitive
        || (mask_has_true(sm) && !val.is_null())
        || holds_secret(val, secrets)
    {
        Value::Sensitive
    } else if mask_has_true(um) {
        partly_unknown(val, um, sm).unwrap_or(Value::Unknown)
    } else {
        masked = false;
        Value::Known(val.clone())
    };
    Leaf {
        shown,
        cmp: masked.then(|| val.clone()),
    }
}

/// A list whose elements are each known, unknown or sensitive (`identity_ids = [(known after apply)]`);
/// `None` when the unknown mask is not one flag per element.
pub(super) fn partly_unknown(val: &Json, um: &Json, sm: &Json) -> Option<Value> {
    let empty = serde_json::Map::new();
    let no_flags = serde_json::Map::new();
    let flags = match um {
        Json::Null | Json::Bool(false) if sm.is_object() => Some(&no_flags),
        _ => um.as_object(),
    };
    if let (Some(known), Some(flags)) = (val.as_object().or(val.is_null().then_some(&empty)), flags) {
        // A map (`triggers = { id = azurerm_role_assignment.x.id }`): the unknown values are absent from `val`
        // and `true` in the mask.
        if !flags.values().all(Json::is_boolean) {
            return None;
        }
        let mut keys: Vec<&String> = known.keys().chain(flags.keys()).collect();
        keys.sort();
        keys.dedup();
        let entries = keys
            .into_iter()
            .map(|k| {
                let v = if sm.get(k).is_some_and(mask_has_true) {
                    Value::Sensitive
                } else if flags.get(k) == Some(&Json::Bool(true)) {
                    Value::Unknown
                } else {
                    Value::Known(known.get(k).cloned().unwrap_or(Json::Null))
                };
                (k.clone(), v)
            })
            .collect();
        return Some(Value::PartlyUnknownMap(entries));
    }
    let (items, flags) = (val.as_array()?, um.as_array()?);
    if items.len() != flags.len() || !flags.iter().all(Json::is_boolean) {
        return None;
    }
    let items = items
        .iter()
        .zip(flags)
        .enumerate()
        .map(|(i, (item, flag))| {
            if mask_has_true(&at_index(sm, i)) {
                Value::Sensitive
            } else if flag == &Json::Bool(true) {
                Value::Unknown
            } else {
                Value::Known(item.clone())
            }
        })
        .collect();
    Some(Value::PartlyUnknown(items))
}

pub(super) fn at_index(m: &Json, i: usize) -> Json {
    match m {
        Json::Bool(b) => Json::Bool(*b),
        Json::Array(a) => a.get(i).cloned().unwrap_or(Json::Null),
        _ => Json::Null,
    }
}
