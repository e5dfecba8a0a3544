//! `azurerm_container_app_job` from a Microsoft.App `jobs` GET (api-version 2024-03-01,
//! `specification/app/resource-manager/Microsoft.App/ContainerApps/stable/2024-03-01/Jobs.json`: `Job`,
//! `JobConfiguration` with `triggerType`, `replicaTimeout`, `replicaRetryLimit`, `manualTriggerConfig` /
//! `scheduleTriggerConfig` / `eventTriggerConfig`, `registries`, `secrets`; `JobTemplate`; the `Secret` of
//! `CommonDefinitions.json` with `identity` and `keyVaultUrl`).
//!
//! Nothing under `properties` is required by the spec, so an absent property reads as absent (null). A secret's
//! `value` is never returned by a GET and never read; a Key Vault reference (`keyVaultUrl` with the `identity`
//! that reads it) is, as azurerm's `key_vault_secret_id` and `identity`.

use super::container_app::{containers, identity, registries};
use super::registry::{ArmPath, ArmResource, Azapi, Request};
use super::{array_at, str_at, tracked, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_app_job";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.App/jobs",
    path: ArmPath::InResourceGroup,
    api_version: super::container_app_environment::CONTAINER_APPS_API,
    noun: "container app job",
    read,
    azapi: Azapi::NotMapped("infra check does not judge azapi jobs yet; drift reads them"),
};

fn read(arm: &Value, request: &Request) -> Option<LiveObject> {
    Some(object(arm, request.name, request.path))
}

/// `name` and `path`: what the job was read by.
pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let props = arm.get("properties").unwrap_or(&Value::Null);
    let configuration = props.get("configuration").unwrap_or(&Value::Null);
    let template = props.get("template").unwrap_or(&Value::Null);
    let trigger = str_at(configuration, "/triggerType").map(str::to_ascii_lowercase);
    let trigger_block = |key: &str, config: &str| -> Vec<Value> {
        if trigger.as_deref() != Some(key) {
            return Vec::new();
        }
        let c = configuration.get(config).unwrap_or(&Value::Null);
        let mut block = json!({
            "parallelism": c.get("parallelism").and_then(Value::as_i64),
            "replica_completion_count": c.get("replicaCompletionCount").and_then(Value::as_i64),
        });
        if key == "schedule" {
            block["cron_expression"] = str_at(c, "/cronExpression").into();
        }
        vec![block]
    };
    tracked(
        TYPE,
        arm,
        name,
        path,
        json!({
            "container_app_environment_id": str_at(props, "/environmentId").map(normalize::resource_id),
            "workload_profile_name": str_at(props, "/workloadProfileName"),
            "replica_timeout_in_seconds": configuration.get("replicaTimeout").and_then(Value::as_i64),
            "replica_retry_limit": configuration.get("replicaRetryLimit").and_then(Value::as_i64),
            "manual_trigger_config": trigger_block("manual", "manualTriggerConfig"),
            "schedule_trigger_config": trigger_block("schedule", "scheduleTriggerConfig"),
            "identity": identity(arm),
            "registry": registries(configuration),
            "secret": secrets(configuration),
            "template": [{ "container": containers(template) }],
        }),
    )
}

/// `configuration.secrets` as azurerm's `secret` blocks, sorted by name: the name, and for a Key Vault reference
/// its URL and the identity reading it (a resource ID, or `System`); never a value.
pub(crate) fn secrets(configuration: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = array_at(configuration, "/secrets")
        .iter()
        .map(|s| {
            let identity = str_at(s, "/identity").filter(|i| !i.is_empty()).map(|i| {
                if i.eq_ignore_ascii_case("system") {
                    "System".to_string()
                } else {
                    normalize::resource_id(i)
                }
            });
            json!({
                "name": str_at(s, "/name").unwrap_or_default(),
                "identity": identity,
                "key_vault_secret_id": str_at(s, "/keyVaultUrl"),
            })
        })
        .collect();
    out.sort_by(|a, b| a["name"].to_string().cmp(&b["name"].to_string()));
    out
}
