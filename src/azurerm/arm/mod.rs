//! The mapping between azurerm resource types and Azure Resource Manager, in one place: [`registry`] lists,
//! per resource type, the azurerm type, the ARM resource type, how its ARM path is formed, the api-version it
//! is read at and its reader; one file per type holds the reader, which turns an ARM body
//! (`serde_json::Value`, exactly as Resource Manager answered, or an `azapi_resource`'s request body) into the
//! document form — a [`LiveObject`] whose attributes are named and shaped as azurerm 4.79.0 keeps the resource in
//! Terraform state (nested blocks as arrays of objects, as in a plan's values).
//!
//! `infra drift` reads live Azure through it and compares on the shared differ (`diff::tree`), values
//! normalised by [`crate::azurerm::facts::normalize`]; `infra check` reads `azapi_resource` bodies through the
//! same readers ([`crate::check::azapi`]), so a reader reads any api-version's body and never assumes a GET-only
//! property.
//!
//! Readers read only what infra renders (and the attributes references resolve to: `id`, `login_server`,
//! `principal_id`, …). A key a reader writes is *read*: `null` means Azure has no value. A key it does not
//! write is *not read*, and a declared argument of that name is listed as not compared.
//!
//! A property the REST spec marks optional may be absent: a reader never fails on a missing property; where the
//! spec documents the value the service uses when it is absent, that value is written into the body before the
//! reader runs ([`registry::ArmResource::read_body`] with [`crate::azurerm::facts::arm_defaults::ARM_DEFAULTS`], one
//! table for every type, each row with its source), so readers read what is there and hold no default of their
//! own.
//!
//! Adding a resource type: one file here (its reader and its `ENTRY`) and that entry in
//! [`registry::RESOURCES`]; drift's checked types, the paths it requests and check's azapi mapping follow.

pub(crate) mod container_app;
pub(crate) mod container_app_environment;
pub(crate) mod container_app_environment_storage;
pub(crate) mod container_app_job;
pub(crate) mod container_registry;
pub(crate) mod container_registry_task;
pub(crate) mod container_registry_webhook;
pub(crate) mod log_analytics_workspace;
pub(crate) mod network_security_group;
pub(crate) mod private_dns_zone;
pub(crate) mod private_dns_zone_virtual_network_link;
pub(crate) mod private_endpoint;
pub(crate) mod registry;
pub(crate) mod resource_group;
pub(crate) mod role_assignment;
pub(crate) mod storage_account;
pub(crate) mod storage_share;
pub(crate) mod subnet;
pub(crate) mod subnet_network_security_group_association;
pub(crate) mod user_assigned_identity;
pub(crate) mod virtual_network;

use crate::azurerm::facts::normalize;
use serde::Serialize;
use serde_json::{Map, Value};

/// One live resource in document form, under the azurerm resource type it corresponds to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveObject {
    /// The azurerm resource type (`azurerm_container_registry`).
    pub resource_type: &'static str,
    /// The resource's name.
    pub name: String,
    /// Its attributes, named and shaped as azurerm keeps them in state.
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

/// The resource's `name`, or the name it was read by. Every reader names its object so, whatever its type: an ARM
/// body may leave `name` and `id` out — both are read-only and required of no body in the common `Resource`
/// definition every type's schema derives from (`specification/common-types/resource-management/v5/types.json`:
/// `Resource`, `TrackedResource`, `ProxyResource`), and the official `ResourceGroups_Get` example of
/// Microsoft.Resources 2021-04-01 has neither.
/// An item of a list (a webhook, a task, a subnet …), which no request names, is named by the last segment of
/// its `id` when it has no `name`.
pub(crate) fn name_or<'a>(v: &'a Value, requested: &'a str) -> &'a str {
    str_at(v, "/name")
        .filter(|n| !n.is_empty())
        .or_else(|| {
            let requested = (!requested.is_empty()).then_some(requested);
            requested.or_else(|| str_at(v, "/id").and_then(|id| id.trim_end_matches('/').rsplit('/').next()))
        })
        .unwrap_or(requested)
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
        "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
        "tags": tags(arm),
    }));
    all.extend(object(attributes));
    LiveObject::new(resource_type, name, Value::Object(all))
}

#[cfg(test)]
mod tests {
    use super::registry::{Request, Source, RESOURCES};
    use super::*;
    use crate::azurerm::facts::arm_defaults as default;
    use serde_json::json;

    /// Every reader reads any JSON object, however sparse (the specs require almost nothing of a GET body),
    /// and says which azurerm type it made; every attribute it writes is one the provider schema has.
    #[test]
    fn every_reader_reads_an_empty_body() {
        let empty = json!({});
        for entry in &RESOURCES {
            let request = Request::live("x", "/x", "/parent");
            let Some(object) = entry.read_body(&empty, &request) else {
                assert_eq!(entry.azurerm_type, subnet_network_security_group_association::TYPE);
                continue;
            };
            assert_eq!(object.resource_type, entry.azurerm_type);
            let schema = crate::azurerm::resource_schema(object.resource_type).unwrap();
            for key in object.attributes.keys() {
                assert!(
                    schema.attributes.contains_key(key) || schema.block_types.contains_key(key),
                    "{}.{key} is not in the azurerm 4.79.0 schema",
                    object.resource_type
                );
            }
        }
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

    /// A child read from a list has no requested name: without `name` it is named by its `id`.
    #[test]
    fn a_list_item_without_name_is_named_by_its_id() {
        let webhook = container_registry_webhook::object(
            &json!({ "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr/webhooks/cdpush" }),
            "/registry",
        );
        assert_eq!(webhook.name, "cdpush");
        let share = storage_share::object(&json!({}), "data", "/st/fileServices/default/shares/data", "/st");
        assert_eq!(
            (share.name.as_str(), share.str("id")),
            ("data", Some("/st/fileServices/default/shares/data"))
        );
    }

    #[test]
    fn a_container_app_without_properties_reads_the_service_defaults() {
        let body = json!({ "name": "ca", "location": "westeurope" });
        let app = container_app::ENTRY
            .read_body(&body, &Request::live("ca", "/ca", ""))
            .unwrap();
        assert_eq!(app.str("revision_mode"), Some("Single"));
        assert_eq!(app.attributes["template"][0]["max_replicas"], json!(10));
        assert_eq!(app.attributes["template"][0]["container"], json!([]));
        assert_eq!(app.attributes["container_app_environment_id"], Value::Null);
    }

    /// One row per ARM default: a body without the property (JSON text) read by the type's reader, the
    /// attribute (a JSON pointer into the document form) it must read as, and that value.
    type Row = (&'static str, &'static str, &'static str, Value);

    fn row(azurerm_type: &'static str, body: &'static str, attribute: &'static str, value: impl Serialize) -> Row {
        (azurerm_type, body, attribute, serde_json::to_value(value).unwrap())
    }

    fn on(status: &str) -> bool {
        normalize::enabled(status)
    }

    fn registry_rows() -> Vec<Row> {
        let (acr, task) = (container_registry::TYPE, container_registry_task::TYPE);
        let rules = r#"{"properties":{"networkRuleSet":{"ipRules":[{"value":"1.2.3.4"}]}}}"#;
        let retention = r#"{"properties":{"policies":{"retentionPolicy":{"status":"enabled"}}}}"#;
        vec![
            row(acr, "{}", "/admin_enabled", default::REGISTRY_ADMIN_USER_ENABLED),
            row(
                acr,
                "{}",
                "/public_network_access_enabled",
                on(default::REGISTRY_PUBLIC_NETWORK_ACCESS),
            ),
            row(
                acr,
                "{}",
                "/zone_redundancy_enabled",
                on(default::REGISTRY_ZONE_REDUNDANCY),
            ),
            row(
                acr,
                "{}",
                "/data_endpoint_enabled",
                default::REGISTRY_DATA_ENDPOINT_ENABLED,
            ),
            row(
                acr,
                rules,
                "/network_rule_set/0/default_action",
                default::REGISTRY_NETWORK_DEFAULT_ACTION,
            ),
            row(
                acr,
                rules,
                "/network_rule_set/0/ip_rule/0/action",
                default::REGISTRY_IP_RULE_ACTION,
            ),
            row(
                acr,
                "{}",
                "/quarantine_policy_enabled",
                on(default::REGISTRY_QUARANTINE_POLICY_STATUS),
            ),
            row(
                acr,
                "{}",
                "/trust_policy_enabled",
                on(default::REGISTRY_TRUST_POLICY_STATUS),
            ),
            row(acr, "{}", "/retention_policy_in_days", 0),
            row(
                acr,
                retention,
                "/retention_policy_in_days",
                default::REGISTRY_RETENTION_POLICY_DAYS,
            ),
            row(
                acr,
                "{}",
                "/export_policy_enabled",
                on(default::REGISTRY_EXPORT_POLICY_STATUS),
            ),
            row(
                container_registry_webhook::TYPE,
                "{}",
                "/status",
                default::WEBHOOK_STATUS,
            ),
            row(task, r#"{"properties":{}}"#, "/enabled", on(default::TASK_STATUS)),
            row(
                task,
                r#"{"properties":{"trigger":{"timerTriggers":[{"name":"t"}]}}}"#,
                "/timer_trigger/0/enabled",
                on(default::TIMER_TRIGGER_STATUS),
            ),
            row(task, "{}", "/is_system_task", default::TASK_IS_SYSTEM_TASK),
        ]
    }

    fn container_app_rows() -> Vec<Row> {
        let app = container_app::TYPE;
        let ingress = r#"{"properties":{"configuration":{"ingress":{}}}}"#;
        let probe =
            r#"{"properties":{"template":{"containers":[{"probes":[{"type":"Liveness","httpGet":{"port":80}}]}]}}}"#;
        vec![
            row(
                app,
                "{}",
                "/revision_mode",
                default::CONTAINER_APP_ACTIVE_REVISIONS_MODE,
            ),
            row(
                app,
                "{}",
                "/template/0/max_replicas",
                default::CONTAINER_APP_MAX_REPLICAS,
            ),
            row(app, ingress, "/ingress/0/external_enabled", default::INGRESS_EXTERNAL),
            row(
                app,
                ingress,
                "/ingress/0/allow_insecure_connections",
                default::INGRESS_ALLOW_INSECURE,
            ),
            row(
                app,
                probe,
                "/template/0/container/0/liveness_probe/0/transport",
                default::PROBE_HTTP_SCHEME,
            ),
            row(
                container_app_environment::TYPE,
                "{}",
                "/internal_load_balancer_enabled",
                default::ENVIRONMENT_VNET_INTERNAL,
            ),
        ]
    }

    fn storage_and_network_rows() -> Vec<Row> {
        let st = storage_account::TYPE;
        let acls = r#"{"properties":{"networkAcls":{}}}"#;
        let sas = r#"{"properties":{"sasPolicy":{"sasExpirationPeriod":"1.00:00:00"}}}"#;
        vec![
            row(st, "{}", "/min_tls_version", default::STORAGE_MIN_TLS_VERSION),
            row(
                st,
                "{}",
                "/https_traffic_only_enabled",
                default::STORAGE_HTTPS_TRAFFIC_ONLY,
            ),
            row(
                st,
                "{}",
                "/allow_nested_items_to_be_public",
                default::STORAGE_ALLOW_BLOB_PUBLIC_ACCESS,
            ),
            row(
                st,
                "{}",
                "/shared_access_key_enabled",
                default::STORAGE_ALLOW_SHARED_KEY_ACCESS,
            ),
            row(
                st,
                "{}",
                "/public_network_access_enabled",
                on(default::STORAGE_PUBLIC_NETWORK_ACCESS),
            ),
            row(
                st,
                acls,
                "/network_rules/0/default_action",
                default::STORAGE_NETWORK_DEFAULT_ACTION,
            ),
            row(st, acls, "/network_rules/0/bypass", [default::STORAGE_NETWORK_BYPASS]),
            row(
                st,
                sas,
                "/sas_policy/0/expiration_action",
                default::STORAGE_SAS_EXPIRATION_ACTION,
            ),
            row(
                storage_share::TYPE,
                "{}",
                "/enabled_protocol",
                default::SHARE_ENABLED_PROTOCOLS,
            ),
            row(
                private_dns_zone_virtual_network_link::TYPE,
                "{}",
                "/registration_enabled",
                default::LINK_REGISTRATION_ENABLED,
            ),
        ]
    }

    /// An ARM body without a property reads as the default the REST spec documents for it
    /// (`facts/arm_defaults.rs`), for live and request bodies alike.
    #[test]
    fn an_absent_property_reads_as_its_arm_default() {
        let rows = [registry_rows(), container_app_rows(), storage_and_network_rows()].concat();
        for (azurerm_type, body, attribute, expected) in rows {
            let body: Value = serde_json::from_str(body).unwrap();
            let entry = registry::by_azurerm_type(azurerm_type).unwrap();
            for source in [Source::Live, Source::Request] {
                if source == Source::Live && attribute.contains("_probe") {
                    continue; // drift does not read probes yet
                }
                let request = Request {
                    source,
                    ..Request::live("x", "/x", "/parent")
                };
                let object = entry.read_body(&body, &request).unwrap();
                let got = Value::Object(object.attributes).pointer(attribute).cloned();
                assert_eq!(got, Some(expected.clone()), "{azurerm_type}{attribute} from {body}");
            }
        }
    }
}
