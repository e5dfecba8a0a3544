//! `azurerm_role_assignment` from a Microsoft.Authorization `roleAssignments` list item (api-version 2022-04-01).
//! Scope and role definition are resource IDs (compared lower-cased); `role_definition_name` is filled in for
//! the built-in roles infra knows ([`crate::azurerm::facts::roles`]).

use super::registry::{ArmPath, ArmResource, Azapi};
use super::{str_at, LiveObject};
use crate::azurerm::facts::{normalize, roles};
use serde_json::{json, Value};

pub(crate) const TYPE: &str = "azurerm_role_assignment";

/// Its mapping ([`super::registry`]).
pub(crate) const ENTRY: ArmResource = ArmResource {
    azurerm_type: TYPE,
    arm_type: "Microsoft.Authorization/roleAssignments",
    path: ArmPath::Extension,
    api_version: "2022-04-01",
    noun: "role assignment",
    read: |arm, r| Some(object(arm, r.parent)),
    azapi: Azapi::Mapped,
};

/// `fallback_scope`: the scope the list was read at, for an item without `properties.scope`.
pub(crate) fn object(arm: &Value, fallback_scope: &str) -> LiveObject {
    let name = super::name_or(arm, "");
    let role_definition_id = normalize::resource_id(str_at(arm, "/properties/roleDefinitionId").unwrap_or_default());
    let mut attributes = json!({
        "id": str_at(arm, "/id").unwrap_or_default(),
        "name": name,
        "scope": normalize::resource_id(str_at(arm, "/properties/scope").unwrap_or(fallback_scope)),
        "role_definition_id": role_definition_id,
        "principal_id": str_at(arm, "/properties/principalId").unwrap_or_default().to_ascii_lowercase(),
        "principal_type": str_at(arm, "/properties/principalType").unwrap_or_default(),
    });
    if let Some(role) = roles::builtin_name(&role_definition_id) {
        attributes["role_definition_name"] = role.into();
    }
    LiveObject::new(TYPE, name, attributes)
}

/// Whether `assignment` grants AcrPull to `principal_id` directly at `scope` (an inherited one is not what
/// infra renders).
pub(crate) fn is_acr_pull(assignment: &LiveObject, scope: &str, principal_id: &str) -> bool {
    assignment.str("scope") == Some(normalize::resource_id(scope).as_str())
        && assignment.str("principal_id") == Some(principal_id.to_ascii_lowercase().as_str())
        && assignment
            .str("role_definition_id")
            .is_some_and(|id| normalize::last_segment(id) == roles::ACR_PULL)
}
