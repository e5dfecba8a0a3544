//! `azurerm_container_registry_webhook` from a Microsoft.ContainerRegistry `registries/webhooks` list item
//! (api-version 2023-07-01). Its `service_uri` and custom headers are not returned by GET (only by the
//! `getCallbackConfig` action, which needs more than Reader), so they are not read from Azure; a request body
//! (an `azapi_resource`'s `body`, [`crate::check::azapi`]) has them, and they are read when present.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_registry_webhook";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.ContainerRegistry/registries/webhooks",
    path: ArmPath::Child("webhooks"),
    api_version: super::container_registry::ENTRY.api_version,
    noun: "registry webhook",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::Mapped,
};

/// `registry_id`: the registry's resource ID (a webhook's ID is under it).
pub(crate) fn object(arm: &Value, registry_id: &str) -> LiveObject {
    let name = super::name_or(arm, "");
    let id = str_at(arm, "/id")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{registry_id}/webhooks/{name}"));
    let mut attributes = json!({
            "id": id,
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            // A webhook is a tracked resource (`Webhook` has `location` and `tags`, containerregistry.json
            // 2023-07-01): its tags are read and compared.
            "tags": tags(arm),
            // `status` is optional in the spec; absent, it is `arm_defaults::WEBHOOK_STATUS` (filled before reading).
            "status": str_at(arm, "/properties/status").map(str::to_ascii_lowercase),
            "scope": str_at(arm, "/properties/scope").unwrap_or_default(),
            "actions": normalize::set(
                array_at(arm, "/properties/actions")
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase),
            ),
    });
    // Only in a request body (`WebhookPropertiesCreateParameters`), never in a GET.
    if let Some(uri) = arm.pointer("/properties/serviceUri").filter(|v| !v.is_null()) {
        attributes["service_uri"] = uri.clone();
    }
    if let Some(headers) = arm.pointer("/properties/customHeaders").filter(|v| !v.is_null()) {
        attributes["custom_headers"] = headers.clone();
    }
    LiveObject::new(TYPE, name, attributes)
}
