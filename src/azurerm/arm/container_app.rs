//! `azurerm_container_app` from a Microsoft.App `containerApps` GET (api-version 2024-03-01,
//! `specification/app/resource-manager/Microsoft.App/ContainerApps/stable/2024-03-01/CommonDefinitions.json`).
//!
//! Nothing under `properties` is required by the spec — not `configuration`, `template`, nor a container's
//! `name` or `image` — so an absent one reads as absent (null), never as an error. Where the spec documents the
//! value the service uses when a property is absent, that value is read ([`arm_defaults`]: the revision mode
//! `Single`, `maxReplicas` 10, ingress not external and not insecure, a probe's scheme HTTP).

use super::registry::{ArmPath, ArmResource, Azapi, Request, Source};
use super::{array_at, id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_app";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.App/containerApps",
    path: ArmPath::InResourceGroup,
    api_version: super::container_app_environment::CONTAINER_APPS_API,
    noun: "container app",
    read,
    azapi: Azapi::Mapped,
};

/// [`object`]; a request body's containers also get their probes ([`probes`]), in order.
fn read(arm: &Value, request: &Request) -> Option<LiveObject> {
    let mut app = object(arm, request.name, request.path);
    if request.source == Source::Request {
        add_probes(arm, &mut app);
    }
    Some(app)
}

/// A container's `probes` (Microsoft.App 2024-03-01 `ContainerAppProbe`: `type` Liveness / Readiness / Startup,
/// `httpGet` or `tcpSocket`) as azurerm's `liveness_probe` / `readiness_probe` / `startup_probe` blocks
/// (transport, port, path). Not part of [`object`]: drift does not compare probes yet (their timing defaults are
/// not modelled); `infra check` reads them from an `azapi_resource` body ([`crate::check::azapi`]).
pub(crate) fn probes(container: &Value) -> Vec<(&'static str, Value)> {
    array_at(container, "/probes")
        .iter()
        .filter_map(|p| {
            let kind = match str_at(p, "/type")?.to_ascii_lowercase().as_str() {
                "liveness" => "liveness_probe",
                "readiness" => "readiness_probe",
                "startup" => "startup_probe",
                _ => return None,
            };
            let (transport, action) = match (p.get("httpGet"), p.get("tcpSocket")) {
                (Some(http), _) if http.is_object() => {
                    let scheme = str_at(http, "/scheme").unwrap_or_default().to_ascii_uppercase();
                    (scheme, http)
                }
                (_, Some(tcp)) if tcp.is_object() => ("TCP".to_string(), tcp),
                _ => return None,
            };
            Some((
                kind,
                json!({
                    "transport": transport,
                    "port": action.get("port").and_then(Value::as_i64),
                    "path": str_at(action, "/path"),
                }),
            ))
        })
        .collect()
}

/// Each container's probes into the container [`object`] read from it (in order, as [`probes`] maps them).
fn add_probes(arm: &Value, app: &mut LiveObject) {
    let containers = arm.pointer("/properties/template/containers").and_then(Value::as_array);
    let mapped = app
        .attributes
        .get_mut("template")
        .and_then(|t| t.get_mut(0))
        .and_then(|t| t.get_mut("container"))
        .and_then(Value::as_array_mut);
    let (Some(containers), Some(mapped)) = (containers, mapped) else {
        return;
    };
    for (c, out) in containers.iter().zip(mapped.iter_mut()) {
        for (kind, probe) in probes(c) {
            match out.get_mut(kind).and_then(Value::as_array_mut) {
                Some(list) => list.push(probe),
                None => out[kind] = json!([probe]),
            }
        }
    }
}

/// `name` and `path`: what the app was read by.
pub(crate) fn object(arm: &Value, name: &str, path: &str) -> LiveObject {
    let name = name_or(arm, name);
    let props = arm.get("properties").unwrap_or(&Value::Null);
    let configuration = props.get("configuration").unwrap_or(&Value::Null);
    let template = props.get("template").unwrap_or(&Value::Null);
    let environment_id = str_at(props, "/managedEnvironmentId")
        .or(str_at(props, "/environmentId"))
        .map(normalize::resource_id);
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            "tags": tags(arm),
            "container_app_environment_id": environment_id,
            "revision_mode": str_at(configuration, "/activeRevisionsMode"),
            "identity": identity(arm),
            "registry": registries(configuration),
            "ingress": ingress(configuration),
            "template": [{
                "min_replicas": template.pointer("/scale/minReplicas").and_then(Value::as_i64),
                "max_replicas": template.pointer("/scale/maxReplicas").and_then(Value::as_i64),
                "container": containers(template),
            }],
        }),
    )
}

/// `template.containers` as azurerm's `container` blocks (environment variables sorted by name).
pub(super) fn containers(template: &Value) -> Vec<Value> {
    array_at(template, "/containers")
        .iter()
        .map(|c| {
            let mut env: Vec<Value> = array_at(c, "/env")
                .iter()
                .map(|e| {
                    let mut var = json!({ "name": str_at(e, "/name").unwrap_or_default() });
                    match str_at(e, "/secretRef") {
                        // A secret reference's value is not ours to read.
                        Some(secret) => var["secret_name"] = secret.into(),
                        None => var["value"] = str_at(e, "/value").into(),
                    }
                    var
                })
                .collect();
            env.sort_by(|a, b| a["name"].to_string().cmp(&b["name"].to_string()));
            json!({
                "name": str_at(c, "/name"),
                "image": str_at(c, "/image"),
                "cpu": c.pointer("/resources/cpu").and_then(Value::as_f64),
                "memory": str_at(c, "/resources/memory"),
                "env": env,
            })
        })
        .collect()
}

/// `configuration.registries` as azurerm's `registry` blocks, sorted by server.
pub(super) fn registries(configuration: &Value) -> Vec<Value> {
    let mut registries: Vec<Value> = array_at(configuration, "/registries")
        .iter()
        .map(|r| {
            json!({
                "server": str_at(r, "/server").unwrap_or_default().to_ascii_lowercase(),
                "identity": str_at(r, "/identity").filter(|i| !i.is_empty()).map(normalize::resource_id),
            })
        })
        .collect();
    registries.sort_by(|a, b| a["server"].to_string().cmp(&b["server"].to_string()));
    registries
}

/// The managed identity: `None`, `SystemAssigned`, `UserAssigned`, `SystemAssigned,UserAssigned` (azurerm
/// writes `, `); no block for `None` or none.
pub(super) fn identity(arm: &Value) -> Vec<Value> {
    match str_at(arm, "/identity/type").map(|t| t.replace(' ', "")) {
        Some(kind) if kind != "None" => {
            let ids = arm
                .pointer("/identity/userAssignedIdentities")
                .and_then(Value::as_object)
                .map(|ids| normalize::set(ids.keys().map(|k| normalize::resource_id(k))))
                .unwrap_or_default();
            vec![json!({ "type": kind.replace(',', ", "), "identity_ids": ids })]
        }
        _ => Vec::new(),
    }
}

/// `configuration.ingress` as azurerm's `ingress` block (none when absent).
fn ingress(configuration: &Value) -> Vec<Value> {
    configuration
        .get("ingress")
        .filter(|i| i.is_object())
        .map(|i| {
            json!({
                "external_enabled": i.get("external").and_then(Value::as_bool),
                "target_port": i.get("targetPort").and_then(Value::as_i64),
                "allow_insecure_connections": i.get("allowInsecure").and_then(Value::as_bool),
            })
        })
        .into_iter()
        .collect()
}
