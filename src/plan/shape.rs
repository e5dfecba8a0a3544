//! The shape of a plan's `planned_values` (`Values`), for checking it without keeping the values.

use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[allow(
    dead_code,
    reason = "the shape a plan must have, checked by deserializing; the values are not kept"
)]
pub(super) struct Values {
    #[serde(default)]
    root_module: Module,
    #[serde(default)]
    outputs: BTreeMap<String, IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[allow(
    dead_code,
    reason = "the shape a plan must have, checked by deserializing; the values are not kept"
)]
struct Module {
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    resources: Vec<ResourceValues>,
    #[serde(default)]
    child_modules: Vec<Module>,
}

#[derive(Deserialize)]
#[allow(
    dead_code,
    reason = "the shape a plan must have, checked by deserializing; the values are not kept"
)]
struct ResourceValues {
    address: String,
    #[serde(default)]
    mode: String,
    #[serde(rename = "type")]
    resource_type: String,
    name: String,
    #[serde(default)]
    index: Option<IgnoredAny>,
    #[serde(default)]
    values: Option<IgnoredAny>,
    #[serde(default)]
    sensitive_values: Option<IgnoredAny>,
}
