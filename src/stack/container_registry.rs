//! `azurerm_container_registry.main`: the registry the app's image comes from, its geo-replicas and firewall.
//!
//! The SKU is an enum; what each SKU allows (NOTES.md §2, "SKU gating") is checked when the stack is validated,
//! because the provider only finds out at plan or apply time.

use super::cleanup_task::CleanupTask;
use super::names::Region;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Registry service tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum RegistrySku {
    Basic,
    Standard,
    Premium,
}

impl RegistrySku {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrySku::Basic => "Basic",
            RegistrySku::Standard => "Standard",
            RegistrySku::Premium => "Premium",
        }
    }
}

impl fmt::Display for RegistrySku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[container_registry]`: the registry the app's image comes from (`azurerm_container_registry.main`), pulled
/// with the app's managed identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerRegistry {
    /// The registry's name: 5–50 ASCII letters and digits, globally unique (it is `<name>.azurecr.io`).
    pub name: super::names::RegistryName,
    /// The service tier: `Basic`, `Standard` or `Premium`. Several settings below need Premium (or Standard); that
    /// rule spans fields and is checked by `infra render`.
    pub sku: RegistrySku,
    /// The admin user (username/password). Off unless set: the app pulls with its managed identity.
    #[serde(default)]
    pub admin_enabled: bool,
    /// Unauthenticated pulls; needs Standard or Premium.
    #[serde(default)]
    pub anonymous_pull_enabled: bool,
    /// Zone redundancy of the home region; Premium only, forces replacement when changed.
    #[serde(default)]
    pub zone_redundancy_enabled: bool,
    /// Days untagged manifests are kept before deletion, 1–365; no retention policy when unset. Premium only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::REGISTRY_RETENTION_DAYS.min, max = crate::azurerm::facts::limits::REGISTRY_RETENTION_DAYS.max))]
    pub retention_days: Option<u32>,
    /// Docker Content Trust. Rejected when `true`: Azure refuses to enable it on a registry (400
    /// `ContentTrustUnsupported`, hashicorp/terraform-provider-azurerm#32752) and it is retired in favour of
    /// Notation signing. Kept as a key so a stack that sets it gets a located error with the way out: only `false`
    /// is accepted.
    #[serde(default)]
    #[schemars(extend("const" = false))]
    pub trust_policy_enabled: bool,
    /// Quarantine pushed images until released. Rejected when `true`: a quarantined image cannot be pulled with
    /// AcrPull (Azure/acr#210) and the stack has no release step, so the app could never start: only `false` is
    /// accepted.
    #[serde(default)]
    #[schemars(extend("const" = false))]
    pub quarantine_policy_enabled: bool,
    /// Dedicated data endpoints per region; Premium only.
    #[serde(default)]
    pub data_endpoint_enabled: bool,
    /// Public network access; turning it off needs Premium, and a private endpoint (`[network.private_endpoints]
    /// registry = true`) so the app can still pull.
    #[serde(default = "yes")]
    pub public_network_access_enabled: bool,
    /// Image export; turning it off needs Premium and public network access off.
    #[serde(default = "yes")]
    pub export_policy_enabled: bool,
    /// Replicas in other regions; Premium only. Each in a region other than `location`, each region once (checked by
    /// `infra render`). Rendered sorted by location, as the provider reads them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geo_replications: Vec<GeoReplication>,
    /// The registry firewall; Premium only, and only with public network access on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_rules: Option<NetworkRules>,
    /// A scheduled `acr purge`. Not with a network-restricted registry: ACR tasks cannot reach it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup: Option<CleanupTask>,
    /// Registry webhooks (`azurerm_container_registry_webhook.<name>`), e.g. to tell CI/CD about pushes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<Webhook>,
}

fn yes() -> bool {
    true
}

impl ContainerRegistry {
    /// A registry with every optional feature at its default (off, public access on).
    pub fn new(name: super::names::RegistryName, sku: RegistrySku) -> Self {
        ContainerRegistry {
            name,
            sku,
            admin_enabled: false,
            anonymous_pull_enabled: false,
            zone_redundancy_enabled: false,
            retention_days: None,
            trust_policy_enabled: false,
            quarantine_policy_enabled: false,
            data_endpoint_enabled: false,
            public_network_access_enabled: true,
            export_policy_enabled: true,
            geo_replications: Vec::new(),
            network_rules: None,
            cleanup: None,
            webhooks: Vec::new(),
        }
    }

    /// Geo-replications sorted by location (the order the provider reads them back in).
    pub(crate) fn geo_replications_sorted(&self) -> Vec<&GeoReplication> {
        let mut v: Vec<&GeoReplication> = self.geo_replications.iter().collect();
        v.sort_by(|a, b| a.location.cmp(&b.location));
        v
    }
}

/// `[[container_registry.geo_replications]]`: a replica of the registry in another region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeoReplication {
    /// The replica's region; must differ from the registry's own `location` (checked by `infra render`).
    pub location: Region,
    /// Zone redundancy of the replica; changing it replaces the replica, not the registry.
    #[serde(default)]
    pub zone_redundancy_enabled: bool,
    /// A regional endpoint for the replica (Azure's default when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regional_endpoint_enabled: Option<bool>,
}

/// Whether traffic not matched by a rule is let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum DefaultAction {
    Allow,
    Deny,
}

impl DefaultAction {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultAction::Allow => "Allow",
            DefaultAction::Deny => "Deny",
        }
    }
}

/// `[container_registry.network_rules]`: the registry firewall (Premium only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkRules {
    /// What happens to traffic no rule matches: `Allow` or `Deny`.
    pub default_action: DefaultAction,
    /// Public IPv4 addresses or CIDR ranges allowed through, e.g. `"20.50.2.0/24"`: no private (RFC 1918) or
    /// documentation (RFC 5737) range, and on a storage account no /31 or /32 (checked by `infra render`).
    #[serde(default)]
    #[schemars(inner(pattern(crate::azurerm::facts::limits::IPV4_RANGE)))]
    pub ip_allow_list: Vec<String>,
}

/// `[[container_registry.webhooks]]`: a registry webhook (NOTES.md §4).
///
/// Nothing secret is ever in the stack: a service URI that carries a token is left out of the stack and comes from
/// the sensitive variable `webhook_<name>_service_uri`; every custom header's value comes from the sensitive
/// variable `webhook_<name>_header_<header>`. Both are set at plan time (`TF_VAR_…` from the CI secret store).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// 5–50 ASCII letters and digits, starting with a letter (it is also the Terraform resource name, lower-cased).
    pub name: super::names::WebhookName,
    /// What the webhook fires on; at least one, each once.
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub actions: Vec<WebhookAction>,
    /// `repository:tag` (`fastapi-app:*` for every tag of a repository); every repository when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::azurerm::facts::limits::WEBHOOK_SCOPE))]
    pub scope: Option<String>,
    /// Whether the webhook fires: `enabled` or `disabled`.
    #[serde(default)]
    pub status: WebhookStatus,
    /// An `https://` URI without credentials (no user info, no query string). Leave it out when the URI carries a
    /// token: it then comes from the sensitive variable `webhook_<name>_service_uri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_uri: Option<String>,
    /// Names of custom headers sent with each call (e.g. `Authorization`): letters, digits and `-`, starting with a
    /// letter, each once (without case). Each value comes from the sensitive variable
    /// `webhook_<name>_header_<header>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(crate::azurerm::facts::limits::HEADER_NAME)))]
    pub headers: Vec<String>,
}

impl Webhook {
    /// The Terraform resource name: the webhook's name in lower case.
    pub(crate) fn resource_name(&self) -> String {
        self.name.as_str().to_ascii_lowercase()
    }

    /// The sensitive variable holding the service URI when the stack does not give it.
    pub(crate) fn service_uri_variable(&self) -> String {
        format!("webhook_{}_service_uri", self.resource_name())
    }

    /// The sensitive variable holding the value of custom header `header`.
    pub(crate) fn header_variable(&self, header: &str) -> String {
        let h: String = header
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("webhook_{}_header_{h}", self.resource_name())
    }
}

/// A registry event a webhook fires on (the provider's lower-case values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum WebhookAction {
    Push,
    Delete,
    Quarantine,
    ChartPush,
    ChartDelete,
}

impl WebhookAction {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookAction::Push => "push",
            WebhookAction::Delete => "delete",
            WebhookAction::Quarantine => "quarantine",
            WebhookAction::ChartPush => "chart_push",
            WebhookAction::ChartDelete => "chart_delete",
        }
    }
}

/// Whether the webhook fires.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum WebhookStatus {
    #[default]
    Enabled,
    Disabled,
}

impl WebhookStatus {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookStatus::Enabled => "enabled",
            WebhookStatus::Disabled => "disabled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azurerm::facts::defaults::{default, default_bool};

    /// A registry's settings left out of a stack file are the provider's defaults, so leaving them out of the
    /// rendered Terraform (render writes only what differs) means the same thing.
    #[test]
    fn stack_defaults_are_the_provider_defaults() {
        let reg = ContainerRegistry::new(
            super::super::names::RegistryName::new("acrexample1").unwrap(),
            RegistrySku::Basic,
        );
        let from_file: ContainerRegistry = toml::from_str("name = \"acrexample1\"\nsku = \"Basic\"\n").unwrap();
        assert_eq!(reg, from_file);
        let t = "azurerm_container_registry";
        for (argument, value) in [
            ("admin_enabled", reg.admin_enabled),
            ("anonymous_pull_enabled", reg.anonymous_pull_enabled),
            ("zone_redundancy_enabled", reg.zone_redundancy_enabled),
            ("trust_policy_enabled", reg.trust_policy_enabled),
            ("quarantine_policy_enabled", reg.quarantine_policy_enabled),
            ("data_endpoint_enabled", reg.data_endpoint_enabled),
            ("public_network_access_enabled", reg.public_network_access_enabled),
            ("export_policy_enabled", reg.export_policy_enabled),
        ] {
            assert_eq!(default_bool(t, argument), Some(value), "{argument}");
        }
        assert_eq!(reg.retention_days, None);
        assert_eq!(
            default(t, "retention_policy_in_days"),
            Some(&serde_json::Value::from(0))
        );
    }
}
