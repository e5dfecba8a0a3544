//! `azurerm_container_registry_task` from a Microsoft.ContainerRegistry `registries/tasks` list item, read with
//! the stable api-version [`API`] (`specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/
//! ContainerRegistryTasks/stable/2019-04-01`, example `TasksList.json`). `status` and a timer trigger's `status`
//! are optional there; a task and its triggers are created `Enabled` ([`arm_defaults`]).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_registry_task";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.ContainerRegistry/registries/tasks",
    path: ArmPath::Child("tasks"),
    api_version: API,
    noun: "registry task",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::NotMapped("not mapped yet: no azapi task body is tested"),
};

/// The newest stable api-version of `registries/tasks` (the REST specs' `ContainerRegistryTasks/stable/`).
pub(crate) const API: &str = "2019-04-01";

/// `registry_id`: the registry's resource ID.
pub(crate) fn object(arm: &Value, registry_id: &str) -> LiveObject {
    let name = super::name_or(arm, "");
    let id = str_at(arm, "/id")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{registry_id}/tasks/{name}"));
    let enabled = |v: &Value| str_at(v, "/status").map(normalize::enabled);
    let mut timer_triggers: Vec<Value> = array_at(arm, "/properties/trigger/timerTriggers")
        .iter()
        .map(|t| {
            json!({
                "name": str_at(t, "/name").unwrap_or_default(),
                "schedule": str_at(t, "/schedule").unwrap_or_default(),
                "enabled": enabled(t),
            })
        })
        .collect();
    timer_triggers.sort_by(|a, b| a["name"].to_string().cmp(&b["name"].to_string()));
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id,
            "name": name,
            "container_registry_id": registry_id,
            "enabled": enabled(arm.get("properties").unwrap_or(&Value::Null)),
            "is_system_task": arm.pointer("/properties/isSystemTask"),
            "tags": tags(arm),
            "timer_trigger": timer_triggers,
        }),
    )
}
