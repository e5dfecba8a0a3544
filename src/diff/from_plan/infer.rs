//! A schema inferred from a change's values, for a resource type no provider schema describes.

use crate::terraform::schema::{AttributeSchema, BlockSchema, NestedBlock, NestingMode};
use serde_json::Value as Json;

/// A schema guessed from the values, for a type no schema describes: arrays of objects are list blocks, anything
/// else an attribute of dynamic type (shown as its JSON shape).
pub(in crate::diff) fn infer_schema(values: &[&Json], unknown: &Json) -> BlockSchema {
    let mut out = BlockSchema::default();
    for v in values {
        let Some(obj) = v.as_object() else { continue };
        for (k, x) in obj {
            let objects: Vec<&Json> = x.as_array().into_iter().flatten().filter(|e| e.is_object()).collect();
            let is_blocks = x.as_array().is_some_and(|a| !a.is_empty() && a.len() == objects.len());
            if is_blocks && !out.attributes.contains_key(k) {
                let nested = infer_schema(&objects, &Json::Null);
                let entry = out.block_types.entry(k.clone()).or_insert(NestedBlock {
                    nesting_mode: NestingMode::List,
                    block: BlockSchema::default(),
                    min_items: 0,
                    max_items: 0,
                });
                for (n, a) in nested.attributes {
                    entry.block.attributes.entry(n).or_insert(a);
                }
                for (n, b) in nested.block_types {
                    entry.block.block_types.entry(n).or_insert(b);
                }
            } else if !out.block_types.contains_key(k) {
                let ty = infer_type(x);
                match out.attributes.get_mut(k) {
                    Some(a) if a.ty.is_null() => a.ty = ty,
                    Some(a) if !ty.is_null() && a.ty != ty => a.ty = Json::String("dynamic".into()),
                    Some(_) => {}
                    None => {
                        out.attributes.insert(
                            k.clone(),
                            AttributeSchema {
                                ty,
                                nested_type: None,
                                required: false,
                                optional: true,
                                computed: false,
                                sensitive: false,
                                deprecated: false,
                            },
                        );
                    }
                }
            }
        }
    }
    // Values known only after apply are in the unknown mask alone.
    for (k, m) in unknown.as_object().into_iter().flatten() {
        if !out.attributes.contains_key(k) && !out.block_types.contains_key(k) {
            let ty = if m.is_boolean() { "string" } else { "dynamic" };
            out.attributes.insert(
                k.clone(),
                AttributeSchema {
                    ty: Json::String(ty.into()),
                    nested_type: None,
                    required: false,
                    optional: true,
                    computed: true,
                    sensitive: false,
                    deprecated: false,
                },
            );
        }
    }
    for a in out.attributes.values_mut() {
        if a.ty.is_null() {
            a.ty = Json::String("string".into());
        }
    }
    out
}

/// The type of a value, as far as it shows: primitives, lists of one primitive type, maps of strings; anything
/// else dynamic. Null: not known yet (`Json::Null`).
pub(super) fn infer_type(v: &Json) -> Json {
    let prim = |v: &Json| match v {
        Json::String(_) => Some("string"),
        Json::Number(_) => Some("number"),
        Json::Bool(_) => Some("bool"),
        _ => None,
    };
    match v {
        Json::Null => Json::Null,
        Json::Array(items) => match items.first().and_then(prim) {
            Some(t) if items.iter().all(|i| prim(i) == Some(t)) => serde_json::json!(["list", t]),
            _ => Json::String("dynamic".into()),
        },
        Json::Object(m) if m.values().all(Json::is_string) => serde_json::json!(["map", "string"]),
        Json::Object(_) => Json::String("dynamic".into()),
        other => Json::String(prim(other).unwrap_or("dynamic").into()),
    }
}
