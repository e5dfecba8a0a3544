//! `azurerm_container_app_environment` from a Microsoft.App `managedEnvironments` GET (api-version 2024-03-01).
//!
//! The environment names its Log Analytics workspace by customer ID; azurerm by resource ID: the workspace read
//! live resolves one to the other.

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{array_at, id_or, name_or, str_at, tags, LiveObject};
use crate::azurerm::facts::normalize;
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_container_app_environment";

/// The Microsoft.App api-version (environments, their storages, container apps).
pub(crate) const CONTAINER_APPS_API: &str = "2024-03-01";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.App/managedEnvironments",
    path: ArmPath::InResourceGroup,
    api_version: CONTAINER_APPS_API,
    noun: "container app environment",
    read: |arm, r| Some(object(arm, r.name, r.path, r.workspace)),
    azapi: Azapi::Mapped,
};

/// The environment's default domain (what an internal environment's private DNS zone is named after).
pub(crate) fn default_domain(environment: &LiveObject) -> Option<&str> {
    environment.str("default_domain")
}

/// `workspace`: the live workspace, if read (see [`super::log_analytics_workspace`]).
pub(crate) fn object(arm: &Value, name: &str, path: &str, workspace: Option<&LiveObject>) -> LiveObject {
    let name = name_or(arm, name);
    let non_empty = |pointer: &str| str_at(arm, pointer).filter(|s| !s.is_empty());
    let customer =
        non_empty("/properties/appLogsConfiguration/logAnalyticsConfiguration/customerId").map(str::to_ascii_lowercase);
    let workspace_id = match (customer, workspace) {
        (Some(customer), Some(ws)) if ws.str("workspace_id") == Some(customer.as_str()) => {
            Value::String(ws.str("id").unwrap_or_default().to_string())
        }
        (Some(customer), _) => Value::String(format!("(the workspace with customer ID {customer})")),
        (None, _) => Value::Null,
    };
    LiveObject::new(
        TYPE,
        name,
        json!({
            "id": id_or(arm, path),
            "name": name,
            "location": normalize::location(str_at(arm, "/location").unwrap_or_default()),
            "tags": tags(arm),
            "log_analytics_workspace_id": workspace_id,
            "logs_destination": non_empty("/properties/appLogsConfiguration/destination"),
            "infrastructure_subnet_id": non_empty("/properties/vnetConfiguration/infrastructureSubnetId"),
            "internal_load_balancer_enabled": arm.pointer("/properties/vnetConfiguration/internal"),
            // Exported attributes (what an internal environment's private DNS zone and record refer to).
            "default_domain": non_empty("/properties/defaultDomain"),
            "static_ip_address": non_empty("/properties/staticIp"),
            // The identities it reads custom domains' Key Vault certificates with (the same shape as an app's).
            "identity": super::container_app::identity(arm),
            "workload_profile": array_at(arm, "/properties/workloadProfiles").iter().map(|w| json!({
                "name": str_at(w, "/name").unwrap_or_default(),
                "workload_profile_type": str_at(w, "/workloadProfileType").unwrap_or_default(),
            })).collect::<Vec<_>>(),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An environment that reads custom domains' Key Vault certificates carries their identity; drift reads it in
    /// the form the configuration declares it (`identity { type = "UserAssigned", identity_ids = [...] }`).
    #[test]
    fn reads_the_identity_the_environment_carries() {
        let id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app";
        let arm = json!({
            "name": "cae",
            "location": "West Europe",
            "identity": { "type": "UserAssigned", "userAssignedIdentities": { id: {} } },
            "properties": {},
        });
        let live = object(&arm, "cae", "/x", None);
        assert_eq!(
            live.attributes["identity"],
            json!([{ "type": "UserAssigned", "identity_ids": [normalize::resource_id(id)] }])
        );
        let none = object(&json!({ "name": "cae", "properties": {} }), "cae", "/x", None);
        assert_eq!(none.attributes["identity"], json!([]));
    }
}
