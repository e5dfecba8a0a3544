//! `infra check --plan`: the planned values of a `terraform show -json` plan as a configuration the rules read.
//!
//! The configuration comes from the one JSON → body conversion ([`crate::terraform::json::planned_config`]).
//! Values known only after apply come back as the placeholder reference [`UNKNOWN`] (from each change's
//! `after_unknown`), so rules treat them as unknown — not as missing. Each resource block is located at its
//! `"address"` in the plan's `planned_values` (line and column), so findings point into the plan.

use crate::plan::Plan;
use crate::terraform::json::{self, PlannedResource};
use crate::terraform::{Config, Schemas};
use serde_json::Value;
use std::collections::HashMap;

/// The placeholder for a value known only after apply.
pub(crate) const UNKNOWN: &str = json::KNOWN_AFTER_APPLY;

/// The plan's planned values as a [`Config`], with unknown values marked and blocks located in `text` (the plan
/// JSON, read from `path`); nested blocks by `schemas`.
pub fn planned_config(plan: &Plan, path: &str, text: &str, schemas: &Schemas) -> Config {
    let unknown: HashMap<&str, Value> = plan
        .resource_changes
        .iter()
        .map(|c| (c.address.as_str(), c.change.after_unknown.value()))
        .collect();
    // What the change marks sensitive after apply counts too (`true`: the whole resource), whatever
    // planned_values' `sensitive_values` says.
    let after_sensitive: HashMap<&str, Value> = plan
        .resource_changes
        .iter()
        .map(|c| (c.address.as_str(), c.change.after_sensitive.value()))
        .collect();
    // Both lists walk planned_values in the same order; an address that does not match gets no location.
    let located = json::values::planned_locations(path, text).unwrap_or_default();
    let planned = plan.planned_resources();
    let sensitive: Vec<Value> = planned
        .iter()
        .map(|r| match after_sensitive.get(r.address.as_str()) {
            Some(a) => json::values::mask_union(&r.sensitive_values, a),
            None => r.sensitive_values.clone(),
        })
        .collect();
    let resources = planned.iter().enumerate().map(|(i, r)| PlannedResource {
        sensitive_values: &sensitive[i],
        after_unknown: unknown.get(r.address.as_str()),
        location: located
            .get(i)
            .filter(|(address, _)| *address == r.address)
            .map(|(_, l)| l.clone()),
        ..r.planned()
    });
    let mut config = json::planned_config(resources, schemas);
    if let Some(file) = config.files.first_mut() {
        for block in provider_blocks(plan) {
            file.body.push_block(block);
        }
    }
    config
}

/// The root module's `provider "azurerm"` blocks of the plan's `configuration.provider_config`, with what rules
/// read of them: `alias`, and `features { storage { data_plane_available } }` (APPLY001) — a constant as its value,
/// an expression as unknown.
fn provider_blocks(plan: &Plan) -> Vec<crate::terraform::Block> {
    use crate::terraform::{expr, Block};
    let Some(configuration) = &plan.configuration else {
        return Vec::new();
    };
    let configuration = configuration.value();
    let Some(providers) = configuration.get("provider_config").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in providers.values() {
        if p.get("name").and_then(Value::as_str) != Some("azurerm") || p.get("module_address").is_some() {
            continue;
        }
        let mut block = Block::new("provider").label("azurerm");
        if let Some(alias) = p.get("alias").and_then(Value::as_str) {
            block = block.attr("alias", alias);
        }
        let features = p.pointer("/expressions/features/0");
        let mut features_block = Block::new("features");
        if let Some(storage) = features.and_then(|f| f.pointer("/storage/0")) {
            let mut storage_block = Block::new("storage");
            if let Some(d) = storage.get("data_plane_available") {
                let value = match d.get("constant_value").and_then(Value::as_bool) {
                    Some(b) => b.into(),
                    None => expr::reference(UNKNOWN),
                };
                storage_block = storage_block.attr("data_plane_available", value);
            }
            features_block = features_block.block(storage_block);
        }
        out.push(block.block(features_block));
    }
    out
}
