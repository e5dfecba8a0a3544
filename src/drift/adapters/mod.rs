//! One adapter per azurerm resource type `infra drift` reads: each turns an ARM response (`serde_json::Value`,
//! exactly as Resource Manager answered) into the document form — a [`LiveObject`] whose attributes are named
//! and shaped as azurerm 4.79.0 keeps the resource in Terraform state (nested blocks as arrays of objects, as in
//! a plan's values). The comparison with the configuration is then the shared differ's (`diff::tree`), with
//! values normalised by [`crate::azurerm::facts::normalize`].
//!
//! Adapters read only what infra renders (and the attributes references resolve to: `id`, `login_server`,
//! `principal_id`, …). A key an adapter writes is *read*: `null` means Azure has no value. A key it does not
//! write is *not read*, and a declared argument of that name is listed as not compared.
//!
//! A property the REST spec marks optional may be absent: an adapter never fails on a missing property; where the
//! spec documents the value the service uses when it is absent, the adapter writes that value (and cites it).
//! Adding a resource type: one file here, its ARM path and api-version in the reader, its type in
//! `compare::CHECKED_TYPES`.
//!
//! `infra check` reads `azapi_resource` bodies (ARM request bodies) through the same adapters
//! ([`crate::check::azapi`]): an adapter reads any api-version's body and never assumes a GET-only property.

pub(crate) mod container_app;
pub(crate) mod container_app_environment;
pub(crate) mod container_app_environment_storage;
pub(crate) mod container_registry;
pub(crate) mod container_registry_task;
pub(crate) mod container_registry_webhook;
pub(crate) mod log_analytics_workspace;
pub(crate) mod network_security_group;
pub(crate) mod private_dns_zone;
pub(crate) mod private_dns_zone_virtual_network_link;
pub(crate) mod private_endpoint;
pub(crate) mod resource_group;
pub(crate) mod role_assignment;
pub(crate) mod storage_account;
pub(crate) mod storage_share;
pub(crate) mod subnet;
pub(crate) mod subnet_network_security_group_association;
pub(crate) mod user_assigned_identity;
pub(crate) mod virtual_network;

use serde::Serialize;
use serde_json::{Map, Value};

/// One live resource in document form, under the azurerm resource type it corresponds to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveObject {
    /// The azurerm resource type (`azurerm_container_registry`).
    pub resource_type: &'static str,
    /// The resource's name in Azure.
    pub name: String,
    /// Its attributes, by azurerm argument name, as the differ compares them.
    pub attributes: Map<String, Value>,
}

impl LiveObject {
    pub(crate) fn new(resource_type: &'static str, name: impl Into<String>, attributes: Value) -> LiveObject {
        LiveObject {
            resource_type,
            name: name.into(),
            attributes: object(attributes),
        }
    }

    /// A string attribute.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).and_then(Value::as_str)
    }
}

pub(crate) fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The string at a JSON pointer (`/properties/loginServer`).
pub(crate) fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

/// The bool at a JSON pointer, or `absent` when Azure leaves it out.
pub(crate) fn bool_at(v: &Value, pointer: &str, absent: bool) -> bool {
    v.pointer(pointer).and_then(Value::as_bool).unwrap_or(absent)
}

/// `tags` as a map of strings (`{}` when absent or null; non-string values as their JSON text).
pub(crate) fn tags(v: &Value) -> Value {
    let mut out = Map::new();
    if let Some(Value::Object(map)) = v.get("tags") {
        for (k, v) in map {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.insert(k.clone(), Value::String(text));
        }
    }
    Value::Object(out)
}

/// An array at a JSON pointer (empty when absent or null).
pub(crate) fn array_at<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The resource's `name`, or the name it was read by (an ARM body may leave `name` and `id` out: both are
/// read-only in every spec, and the official `ResourceGroups_Get` example of Microsoft.Resources 2021-04-01
/// has neither).
pub(crate) fn name_or<'a>(v: &'a Value, requested: &'a str) -> &'a str {
    str_at(v, "/name").filter(|n| !n.is_empty()).unwrap_or(requested)
}

/// The resource's `id`, or the path it was read at.
pub(crate) fn id_or(v: &Value, path: &str) -> String {
    str_at(v, "/id").filter(|n| !n.is_empty()).unwrap_or(path).to_string()
}

/// A tracked ARM resource (one with a `location`) as `resource_type`: `id`, `name`, `location` (normalised) and
/// `tags`, read as [`id_or`] / [`name_or`] say, plus the type's own `attributes`.
pub(crate) fn tracked(
    resource_type: &'static str,
    arm: &Value,
    name: &str,
    path: &str,
    attributes: Value,
) -> LiveObject {
    let name = name_or(arm, name);
    let mut all = object(serde_json::json!({
        "id": id_or(arm, path),
        "name": name,
        "location": crate::azurerm::facts::normalize::location(str_at(arm, "/location").unwrap_or_default()),
        "tags": tags(arm),
    }));
    all.extend(object(attributes));
    LiveObject::new(resource_type, name, Value::Object(all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every adapter reads any JSON object, however sparse (the specs require almost nothing of a GET body),
    /// and says which azurerm type it made.
    #[test]
    fn every_adapter_reads_an_empty_body() {
        let empty = json!({});
        let objects = [
            resource_group::object(&empty, "rg", "/rg"),
            container_registry::object(&empty, &[], "acr", "/acr"),
            container_registry_webhook::object(&empty, "/acr"),
            container_registry_task::object(&empty, "/acr"),
            user_assigned_identity::object(&empty, "id", "/id"),
            role_assignment::object(&empty, "/acr"),
            log_analytics_workspace::object(&empty, "log", "/log"),
            container_app_environment::object(&empty, "cae", "/cae", None),
            container_app::object(&empty, "ca", "/ca"),
            virtual_network::object(&empty, "vnet", "/vnet"),
            subnet::object(&empty, "vnet"),
            network_security_group::object(&empty, "nsg", "/nsg"),
            private_endpoint::object(&empty, &[], "pe", "/pe"),
            private_dns_zone::object(&empty, "zone", "/zone"),
            private_dns_zone_virtual_network_link::object(&empty, "zone"),
            storage_account::object(&empty, "st", "/st"),
            storage_share::object(&empty, "/st"),
            container_app_environment_storage::object(&empty, "/cae"),
        ];
        for object in &objects {
            assert!(
                crate::azurerm::resource_schema(object.resource_type).is_some(),
                "{} is not an azurerm type infra knows",
                object.resource_type
            );
            // Every attribute an adapter writes is one the provider schema has (a typo would never compare).
            let schema = crate::azurerm::resource_schema(object.resource_type).unwrap();
            for key in object.attributes.keys() {
                assert!(
                    schema.attributes.contains_key(key) || schema.block_types.contains_key(key),
                    "{}.{key} is not in the azurerm 4.79.0 schema",
                    object.resource_type
                );
            }
        }
        assert_eq!(subnet_network_security_group_association::object(&empty), None);
    }

    #[test]
    fn a_body_without_id_or_name_is_named_by_the_request() {
        let rg = resource_group::object(
            &json!({ "location": "West Europe" }),
            "rg-app",
            "/subscriptions/s/resourceGroups/rg-app",
        );
        assert_eq!(rg.name, "rg-app");
        assert_eq!(rg.str("id"), Some("/subscriptions/s/resourceGroups/rg-app"));
        assert_eq!(rg.str("location"), Some("westeurope"));
    }

    #[test]
    fn a_container_app_without_properties_reads_the_service_defaults() {
        let app = container_app::object(&json!({ "name": "ca", "location": "westeurope" }), "ca", "/ca");
        assert_eq!(app.str("revision_mode"), Some(container_app::DEFAULT_REVISION_MODE));
        assert_eq!(
            app.attributes["template"][0]["max_replicas"],
            json!(container_app::DEFAULT_MAX_REPLICAS)
        );
        assert_eq!(app.attributes["template"][0]["container"], json!([]));
        assert_eq!(app.attributes["container_app_environment_id"], Value::Null);
    }
}
