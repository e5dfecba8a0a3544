//! `[existing.<what>]`: what a platform already runs, referenced instead of created, so that a platform stack
//! and app stacks can live apart (in other state files) and one registry can serve dev and prod.
//!
//! A referenced resource is read with the azurerm 4.79.0 data source of its type (each takes `name` and
//! `resource_group_name`, both required: `src/azurerm/data/data-sources/<type>.json`), or — where infra needs
//! nothing but the resource's ID (the environment, the Log Analytics workspace, a Key Vault) — given as that
//! ID and rendered as a plain string, which needs no read at plan time. A registry and an identity are always
//! read by name: infra needs the registry's login server and the identity's principal and client IDs, which an ID
//! does not carry.
//!
//! | table | data source | by `id` |
//! |---|---|---|
//! | `[existing.container_registry]` | `data.azurerm_container_registry.main` | no |
//! | `[existing.identity]` | `data.azurerm_user_assigned_identity.app` | no |
//! | `[existing.environment]` | `data.azurerm_container_app_environment.main` | yes |
//! | `[existing.log_analytics]` | `data.azurerm_log_analytics_workspace.main` | yes |
//! | `[existing.key_vault]` | none: given by `id`, it is the vault of every app's and job's `key_vault_secret` without a `key_vault` of its own | yes |
//! | `[existing.virtual_network]` | `data.azurerm_virtual_network.main`; `[network]`'s subnets without `address_prefix` are its existing subnets, `data.azurerm_subnet.<label>` | yes |
//!
//! A registry in another subscription (`subscription_id`) is read through a second provider block, `provider
//! "azurerm" { alias = "registry" … }`: a data source reads in its provider's subscription.

use super::names::ResourceGroupName;
use crate::azurerm::facts::names::{self, NameRule};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[existing]`: resources the stack refers to instead of creating. Each replaces the table of the same name
/// (`[existing.container_registry]` instead of `[container_registry]`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Existing {
    /// The registry the apps pull from, read by name; AcrPull on it is still granted to the pull identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_registry: Option<ExistingResource>,
    /// The identity the apps pull with, read by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<ExistingIdentity>,
    /// The Container Apps environment the apps and jobs run in (it has its workspace: no `[log_analytics]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<ExistingResource>,
    /// The Log Analytics workspace a created environment sends its logs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_analytics: Option<ExistingResource>,
    /// A Key Vault the apps' and jobs' secrets are read from (`key_vault_secret`) when they have no `key_vault` of
    /// their own; only an `id` serves so (the grant's scope is the vault's ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<ExistingResource>,
    /// The virtual network `[network]` uses (a landing zone's, owned by a network team): `[network]` then has no
    /// `name` or `address_space`; its subnets with an `address_prefix` are created in this network, those without
    /// one are its existing subnets, read by name. The network is read in the provider's subscription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_network: Option<ExistingResource>,
}

/// An existing resource: `name` and `resource_group_name` (read with a data source), or its `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingResource {
    /// Its name (with `resource_group_name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its resource group (with `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_name: Option<ResourceGroupName>,
    /// Its Azure resource ID, instead of `name` and `resource_group_name`, where infra needs nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `[existing.container_registry]` only: the subscription the registry is in, when it is not the provider's
    /// (a registry shared by dev and prod in a shared-services subscription). The registry is then read through
    /// an aliased provider block in that subscription; AcrPull is still granted on its ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<super::names::SubscriptionId>,
}

/// `[existing.identity]`: an existing user-assigned identity, and who grants it AcrPull on the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingIdentity {
    /// Its name.
    pub name: super::names::IdentityName,
    /// Its resource group.
    pub resource_group_name: ResourceGroupName,
    /// `true` says, explicitly, that the platform has granted this identity AcrPull on the registry: the stack
    /// then renders no grant and no wait (and its first revision relies on the platform's grant). Default
    /// `false`: the stack grants AcrPull and orders every app and job after it.
    #[serde(default)]
    pub acr_pull_granted_by_platform: bool,
}

/// What an existing resource's reference must be: its ARM type, and whether its ID alone is enough.
#[derive(Clone, Copy)]
pub(crate) struct Kind {
    /// The table, e.g. `container_registry`.
    pub(crate) table: &'static str,
    /// The ARM resource type in an ID, e.g. `Microsoft.App/managedEnvironments` (Azure REST API specs:
    /// `Microsoft.App/stable/2025-01-01/ManagedEnvironments.json`, `Microsoft.OperationalInsights/.../Workspaces.json`,
    /// `Microsoft.KeyVault/stable/2023-07-01/keyvault.json`, `Microsoft.ContainerRegistry/.../containerregistry.json`).
    pub(crate) arm_type: &'static str,
    /// Whether `id` may stand for `name` + `resource_group_name`.
    pub(crate) by_id: bool,
    /// The rule its name follows (`azurerm::facts::names`), where infra knows one.
    pub(crate) name_rule: Option<NameRule>,
    /// Whether it may be in another subscription than the provider's (`subscription_id`).
    pub(crate) other_subscription: bool,
}

/// The kinds of `[existing.<what>]` with a name-or-ID reference.
pub(crate) const REGISTRY: Kind = Kind {
    table: "container_registry",
    arm_type: "Microsoft.ContainerRegistry/registries",
    by_id: false,
    name_rule: Some(names::REGISTRY),
    other_subscription: true,
};
/// `[existing.environment]`.
pub(crate) const ENVIRONMENT: Kind = Kind {
    table: "environment",
    arm_type: "Microsoft.App/managedEnvironments",
    by_id: true,
    name_rule: Some(names::ENVIRONMENT),
    other_subscription: false,
};
/// `[existing.log_analytics]`.
pub(crate) const LOG_ANALYTICS: Kind = Kind {
    table: "log_analytics",
    arm_type: "Microsoft.OperationalInsights/workspaces",
    by_id: true,
    name_rule: Some(names::WORKSPACE),
    other_subscription: false,
};
/// `[existing.virtual_network]` (Azure REST API specs: `Microsoft.Network/stable/2024-05-01/virtualNetwork.json`).
pub(crate) const VIRTUAL_NETWORK: Kind = Kind {
    table: "virtual_network",
    arm_type: "Microsoft.Network/virtualNetworks",
    by_id: true,
    name_rule: Some(names::NETWORK),
    other_subscription: false,
};
/// `[existing.key_vault]`.
pub(crate) const KEY_VAULT: Kind = Kind {
    table: "key_vault",
    arm_type: "Microsoft.KeyVault/vaults",
    by_id: true,
    name_rule: None,
    other_subscription: false,
};

impl ExistingResource {
    /// The name when referenced by name.
    pub(crate) fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The resource group and name its valid `id` holds
    /// (`/subscriptions/<s>/resourceGroups/<group>/providers/<namespace>/<type>/<name>`).
    pub(crate) fn id_group_and_name(&self) -> Option<(&str, &str)> {
        let parts: Vec<&str> = self.id.as_deref()?.split('/').collect();
        (parts.len() == 9).then(|| (parts[4], parts[8]))
    }

    /// What is wrong with the reference, with the help line: neither or both forms, a form its kind does not
    /// take, or an ID that is not one of its type.
    pub(crate) fn problem(&self, kind: Kind) -> Option<(&'static str, String, String)> {
        let t = kind.table;
        let by_name = self.name.is_some() || self.resource_group_name.is_some();
        if self.subscription_id.is_some() && !kind.other_subscription {
            return Some((
                "subscription_id",
                format!("[existing.{t}] takes no subscription_id: only a registry is read in another subscription"),
                if kind.by_id {
                    "remove subscription_id; to refer to one in another subscription, give its id (an ID names its subscription)".to_string()
                } else {
                    "remove subscription_id: it is read in the provider's subscription".to_string()
                },
            ));
        }
        match (&self.id, by_name) {
            (Some(_), true) => Some((
                "id",
                format!("[existing.{t}] has both id and name/resource_group_name"),
                "give either name and resource_group_name, or id".to_string(),
            )),
            (Some(_), false) if !kind.by_id => Some((
                "id",
                format!("[existing.{t}] cannot be referenced by id"),
                "give name and resource_group_name: infra reads what it needs (a registry's login server) with the data source".to_string(),
            )),
            (Some(id), false) if !is_arm_id(id, kind.arm_type) => Some((
                "id",
                format!("[existing.{t}].id = {id:?} is not the ID of a {}", kind.arm_type),
                format!(
                    "an ID is /subscriptions/<subscription>/resourceGroups/<group>/providers/{}/<name>",
                    kind.arm_type
                ),
            )),
            (None, _) if self.name.is_none() || self.resource_group_name.is_none() => Some((
                if self.name.is_none() { "name" } else { "resource_group_name" },
                format!("[existing.{t}] needs name and resource_group_name{}", if kind.by_id { ", or id" } else { "" }),
                "name the existing resource and its resource group, e.g. name = \"…\" and resource_group_name = \"rg-platform\"".to_string(),
            )),
            _ => self.name_problem(kind),
        }
    }

    /// A name that breaks its kind's rule.
    fn name_problem(&self, kind: Kind) -> Option<(&'static str, String, String)> {
        let (name, rule) = (self.name.as_deref()?, kind.name_rule?);
        (!rule.is_valid(name)).then(|| {
            (
                "name",
                format!("{name:?} is not a valid {}", rule.what),
                format!("a {} is {}", rule.what, rule.rule),
            )
        })
    }
}

/// `/subscriptions/<s>/resourceGroups/<g>/providers/<namespace>/<type>/<name>`, the type compared without regard
/// to case (ARM IDs are case-insensitive).
fn is_arm_id(id: &str, arm_type: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    let Some((namespace, kind)) = arm_type.split_once('/') else {
        return false;
    };
    parts.len() == 9
        && parts[0].is_empty()
        && parts[1].eq_ignore_ascii_case("subscriptions")
        && !parts[2].is_empty()
        && parts[3].eq_ignore_ascii_case("resourceGroups")
        && !parts[4].is_empty()
        && parts[5].eq_ignore_ascii_case("providers")
        && parts[6].eq_ignore_ascii_case(namespace)
        && parts[7].eq_ignore_ascii_case(kind)
        && !parts[8].is_empty()
}

impl super::Stack {
    /// The resource group and name of the registry: the stack's own, or `[existing.container_registry]`'s.
    pub(crate) fn registry_group_and_name(&self) -> (&str, &str) {
        match (&self.container_registry, &self.existing.container_registry) {
            (Some(reg), _) => (self.resource_group.name.as_str(), reg.name.as_str()),
            (None, Some(e)) => (
                e.resource_group_name.as_ref().map_or("", |g| g.as_str()),
                e.name().unwrap_or_default(),
            ),
            (None, None) => ("", ""),
        }
    }

    /// The name of the shared pull identity: `[identity]`'s or `[existing.identity]`'s.
    pub(crate) fn identity_name(&self) -> &str {
        match (&self.identity, &self.existing.identity) {
            (Some(i), _) => i.name.as_str(),
            (None, Some(e)) => e.name.as_str(),
            (None, None) => "",
        }
    }

    /// Whether the stack grants the shared identity AcrPull (and orders its apps and jobs after the grant): always,
    /// unless `[existing.identity]` says the platform has.
    pub(crate) fn grants_shared_acr_pull(&self) -> bool {
        !self
            .existing
            .identity
            .as_ref()
            .is_some_and(|i| i.acr_pull_granted_by_platform)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_id_is_checked_by_its_type() {
        let ok = "/subscriptions/0000/resourceGroups/rg-platform/providers/Microsoft.App/managedEnvironments/cae";
        assert!(is_arm_id(ok, ENVIRONMENT.arm_type));
        assert!(is_arm_id(&ok.to_lowercase(), ENVIRONMENT.arm_type));
        assert!(!is_arm_id(ok, LOG_ANALYTICS.arm_type));
        assert!(!is_arm_id("cae-platform", ENVIRONMENT.arm_type));
        assert!(!is_arm_id(&format!("{ok}/extra"), ENVIRONMENT.arm_type));
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn a_referenced_registry_name_follows_the_registry_rule() {
        let r = ExistingResource {
            name: Some("acr-platform".into()),
            resource_group_name: Some(ResourceGroupName::new("rg-platform").unwrap()),
            id: None,
            subscription_id: None,
        };
        assert!(r.problem(REGISTRY).is_some_and(|(field, _, _)| field == "name"));
    }
}
