//! `infra check --plan`: the planned values of a `terraform show -json` plan as a configuration the rules read.
//!
//! [`Plan::planned_config`] gives literal values only; values known only after apply are absent there. Here
//! they come back as the placeholder reference `var.known_after_apply` (from each change's `after_unknown`),
//! so rules treat them as unknown — not as missing. Each resource block is located at its `"address"` in the
//! plan file (line and column), so findings point into the plan.

use crate::plan::Plan;
use crate::terraform::{expr, Body, Config, LineIndex, Location};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// The placeholder for a value known only after apply.
pub const UNKNOWN: &str = "var.known_after_apply";

/// The plan's planned values as a [`Config`], with unknown values marked and blocks located in `text` (the plan
/// JSON, read from `path`).
pub fn planned_config(plan: &Plan, path: &str, text: &str) -> Config {
    let mut config = plan.planned_config();
    let unknown: HashMap<&str, &Value> = plan
        .resource_changes
        .iter()
        .map(|c| (c.address.as_str(), &c.change.after_unknown))
        .collect();
    let file: Arc<str> = path.into();
    let lines = LineIndex::new(text);
    // planned_config puts resources into files in planned_resources() order: block k of a file is the k-th
    // planned resource that went into it.
    let mut next: HashMap<String, usize> = HashMap::new();
    let offsets = address_offsets(text);
    for r in plan.planned_resources() {
        let module = crate::terraform::Address::parse(&r.address).and_then(|a| a.module);
        let file_name = module.unwrap_or_else(|| "planned.tf.json".to_string());
        let k = next.entry(file_name.clone()).or_default();
        let Some(f) = config.files.iter_mut().find(|f| f.name == file_name) else {
            continue;
        };
        let Some(block) = f
            .body
            .structures
            .iter_mut()
            .filter_map(|s| match s {
                crate::terraform::Structure::Block(b) => Some(b),
                _ => None,
            })
            .nth(*k)
        else {
            continue;
        };
        *k += 1;
        if let Some(u) = unknown.get(r.address.as_str()) {
            mark_unknown(&mut block.body, u);
        }
        block.location = offsets.get(r.address.as_str()).map(|&o| lines.location(&file, o));
        set_locations(&mut block.body, block.location.as_ref());
    }
    config
}

/// Adds the placeholder for every attribute `after_unknown` marks `true` that the body lacks, recursing into
/// nested blocks (lists of objects in `after_unknown`, one per block of that kind, in order).
fn mark_unknown(body: &mut Body, after_unknown: &Value) {
    let Value::Object(map) = after_unknown else { return };
    for (key, u) in map {
        match u {
            Value::Bool(true) if body.attribute(key).is_none() && body.block(key).is_none() => {
                body.push_attribute(key.clone(), expr::reference(UNKNOWN));
            }
            Value::Array(items) => {
                let mut blocks = body.structures.iter_mut().filter_map(|s| match s {
                    crate::terraform::Structure::Block(b) if b.kind == *key => Some(b),
                    _ => None,
                });
                for item in items {
                    match blocks.next() {
                        Some(b) => mark_unknown(&mut b.body, item),
                        None => break,
                    }
                }
            }
            _ => {}
        }
    }
}

/// Gives every attribute and nested block without a location the resource's location.
fn set_locations(body: &mut Body, location: Option<&Location>) {
    for s in &mut body.structures {
        match s {
            crate::terraform::Structure::Attribute(a) if a.location.is_none() => a.location = location.cloned(),
            crate::terraform::Structure::Block(b) => {
                if b.location.is_none() {
                    b.location = location.cloned();
                }
                set_locations(&mut b.body, location);
            }
            _ => {}
        }
    }
}

/// The byte offset of the first `"address": "…"` of each address in the plan JSON (compact or pretty-printed),
/// found in one pass over the text: a plan of many resources is not searched once per resource.
fn address_offsets(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let key = "\"address\"";
    let mut from = 0;
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        from = at + key.len();
        let rest = text[from..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        if !rest.starts_with('"') {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
        if let Some(Ok(address)) = de.next() {
            out.entry(address).or_insert(at);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::address_offsets;

    #[test]
    fn finds_the_first_address_of_each_resource_in_one_pass() {
        let text =
            "{\"a\": {\"address\": \"x.y[\\\"k\\\"]\"}, \"b\": {\"address\":\"x.z\"}, \"c\": {\"address\": \"x.z\"}}";
        let offsets = address_offsets(text);
        assert_eq!(offsets.get("x.y[\"k\"]"), Some(&text.find("\"address\"").unwrap()));
        assert_eq!(offsets.get("x.z"), Some(&text.find("\"address\":\"x.z").unwrap()));
        assert_eq!(offsets.len(), 2);
    }
}
