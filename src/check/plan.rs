//! `infra check --plan`: the planned values of a `terraform show -json` plan as a configuration the rules read.
//!
//! The configuration comes from the one JSON → body conversion ([`crate::terraform::json::planned_config`]).
//! Values known only after apply come back as the placeholder reference [`UNKNOWN`] (from each change's
//! `after_unknown`), so rules treat them as unknown — not as missing. Each resource block is located at its
//! `"address"` in the plan's `planned_values` (line and column), so findings point into the plan.

use crate::plan::Plan;
use crate::terraform::json::{self, PlannedResource};
use crate::terraform::Config;
use serde_json::Value;
use std::collections::HashMap;

/// The placeholder for a value known only after apply.
pub const UNKNOWN: &str = json::KNOWN_AFTER_APPLY;

/// The plan's planned values as a [`Config`], with unknown values marked and blocks located in `text` (the plan
/// JSON, read from `path`).
pub fn planned_config(plan: &Plan, path: &str, text: &str) -> Config {
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
    json::planned_config(resources)
}
