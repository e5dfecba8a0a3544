//! What is live in Azure, reduced to exactly the properties infra renders, already normalised
//! (see [`super::normalize`]): locations in programmatic form, IP rules with `/32`, sets sorted.
//!
//! The `wire` structs mirror the shapes of ARM's JSON (Microsoft.Resources 2021-04-01, Microsoft.ManagedIdentity
//! 2023-01-31, Microsoft.Authorization 2022-04-01, Microsoft.OperationalInsights 2022-10-01, Microsoft.App
//! 2024-03-01); only the fields read are declared, everything else is ignored.

use super::normalize;
use serde::Serialize;
use std::collections::BTreeMap;

/// `azurerm_resource_group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveResourceGroup {
    pub id: String,
    pub name: String,
    pub location: String,
    pub tags: BTreeMap<String, String>,
}

/// `azurerm_container_registry`, with its geo-replications, webhooks and tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveRegistry {
    pub id: String,
    pub name: String,
    pub location: String,
    pub login_server: Option<String>,
    /// `Basic`, `Standard` or `Premium`.
    pub sku: String,
    pub admin_enabled: bool,
    /// Not part of api-version 2023-07-01: `None` unless Azure returns it anyway.
    pub anonymous_pull_enabled: Option<bool>,
    pub public_network_access_enabled: bool,
    pub zone_redundancy_enabled: bool,
    pub data_endpoint_enabled: bool,
    pub export_policy_enabled: bool,
    pub quarantine_policy_enabled: bool,
    pub trust_policy_enabled: bool,
    pub retention_policy_enabled: bool,
    pub retention_days: Option<i32>,
    pub network_rule_bypass_option: Option<String>,
    pub network_rule_set: Option<LiveNetworkRuleSet>,
    pub tags: BTreeMap<String, String>,
    /// Replications outside the home region, sorted by location (the home-region replication ARM always lists is
    /// not a geo-replication and is left out).
    pub georeplications: Vec<LiveGeoReplication>,
    /// Sorted by name.
    pub webhooks: Vec<LiveWebhook>,
    /// Sorted by name.
    pub tasks: Vec<LiveTask>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveNetworkRuleSet {
    /// `Allow` or `Deny`.
    pub default_action: String,
    /// CIDR ranges, single IPs with `/32`, sorted.
    pub ip_rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveGeoReplication {
    pub location: String,
    pub zone_redundancy_enabled: bool,
    pub regional_endpoint_enabled: bool,
    pub tags: BTreeMap<String, String>,
}

/// A registry webhook. Its `service_uri` and custom headers are not returned by GET (only by the
/// `getCallbackConfig` action, which needs more than Reader), so they are not compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveWebhook {
    pub name: String,
    pub location: String,
    /// `enabled` or `disabled`.
    pub status: String,
    pub scope: String,
    /// Sorted.
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveTask {
    pub name: String,
    pub enabled: bool,
    pub tags: BTreeMap<String, String>,
    pub is_system_task: bool,
    /// Sorted by name.
    pub timer_triggers: Vec<LiveTimerTrigger>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveTimerTrigger {
    pub name: String,
    pub schedule: String,
    pub enabled: bool,
}

/// `azurerm_user_assigned_identity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveIdentity {
    pub id: String,
    pub name: String,
    pub location: String,
    pub principal_id: String,
    pub client_id: String,
    pub tags: BTreeMap<String, String>,
}

/// `azurerm_role_assignment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveRoleAssignment {
    pub id: String,
    pub name: String,
    /// Lower-cased resource ID.
    pub scope: String,
    /// Lower-cased role definition ID.
    pub role_definition_id: String,
    pub principal_id: String,
    pub principal_type: String,
}

/// `azurerm_log_analytics_workspace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveWorkspace {
    pub id: String,
    pub name: String,
    pub location: String,
    pub sku: String,
    pub retention_in_days: Option<i64>,
    /// The workspace ID the environment points at.
    pub customer_id: String,
    pub tags: BTreeMap<String, String>,
}

/// `azurerm_container_app_environment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveEnvironment {
    pub id: String,
    pub name: String,
    pub location: String,
    pub logs_destination: Option<String>,
    pub log_analytics_customer_id: Option<String>,
    pub tags: BTreeMap<String, String>,
    /// `vnetConfiguration.infrastructureSubnetId`: the subnet of an environment in a virtual network.
    pub infrastructure_subnet_id: Option<String>,
    /// `vnetConfiguration.internal`.
    pub internal_load_balancer_enabled: bool,
    /// `workloadProfiles`: (name, type), in Azure's order.
    pub workload_profiles: Vec<(String, String)>,
    /// `defaultDomain`: what an internal environment's private DNS zone is named after.
    pub default_domain: Option<String>,
    /// `staticIp`: the address an internal environment's wildcard record points at.
    pub static_ip_address: Option<String>,
}

/// `azurerm_container_app`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveContainerApp {
    pub id: String,
    pub name: String,
    pub location: String,
    /// Lower-cased resource ID of the managed environment.
    pub environment_id: String,
    pub revision_mode: Option<String>,
    /// In template order (the order matters to Azure).
    pub containers: Vec<LiveContainer>,
    pub min_replicas: Option<i64>,
    pub max_replicas: Option<i64>,
    pub ingress: Option<LiveIngress>,
    /// Sorted by server.
    pub registries: Vec<LiveRegistryCredential>,
    /// `None`, `SystemAssigned`, `UserAssigned`, `SystemAssigned,UserAssigned`.
    pub identity_type: String,
    /// Lower-cased resource IDs, sorted.
    pub identity_ids: Vec<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveContainer {
    pub name: String,
    pub image: String,
    pub cpu: Option<f64>,
    pub memory: Option<String>,
    /// Sorted by name. A secret reference's value is never read.
    pub env: Vec<LiveEnvVar>,
}

impl Eq for LiveContainer {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveEnvVar {
    pub name: String,
    pub value: Option<String>,
    pub secret_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveIngress {
    pub external_enabled: bool,
    pub target_port: Option<i64>,
    pub allow_insecure_connections: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiveRegistryCredential {
    pub server: String,
    /// Lower-cased identity resource ID (or `system`).
    pub identity: Option<String>,
}

pub(crate) mod wire {
    //! ARM JSON shapes (only what is read).
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize)]
    pub struct ResourceGroup {
        pub id: String,
        pub name: String,
        pub location: String,
        #[serde(default)]
        pub tags: Option<BTreeMap<String, String>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Identity {
        pub id: String,
        pub name: String,
        pub location: String,
        #[serde(default)]
        pub tags: Option<BTreeMap<String, String>>,
        pub properties: IdentityProperties,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct IdentityProperties {
        pub principal_id: String,
        pub client_id: String,
    }

    #[derive(Debug, Deserialize)]
    pub struct RoleAssignment {
        pub id: String,
        pub name: String,
        pub properties: RoleAssignmentProperties,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct RoleAssignmentProperties {
        pub role_definition_id: String,
        pub principal_id: String,
        #[serde(default)]
        pub principal_type: Option<String>,
        #[serde(default)]
        pub scope: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Workspace {
        pub id: String,
        pub name: String,
        pub location: String,
        #[serde(default)]
        pub tags: Option<BTreeMap<String, String>>,
        pub properties: WorkspaceProperties,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WorkspaceProperties {
        pub customer_id: String,
        #[serde(default)]
        pub sku: Option<WorkspaceSku>,
        #[serde(default)]
        pub retention_in_days: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct WorkspaceSku {
        pub name: String,
    }

    #[derive(Debug, Deserialize)]
    pub struct ManagedEnvironment {
        pub id: String,
        pub name: String,
        pub location: String,
        #[serde(default)]
        pub tags: Option<BTreeMap<String, String>>,
        #[serde(default)]
        pub properties: ManagedEnvironmentProperties,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ManagedEnvironmentProperties {
        #[serde(default)]
        pub app_logs_configuration: Option<AppLogsConfiguration>,
        #[serde(default)]
        pub vnet_configuration: Option<VnetConfiguration>,
        #[serde(default)]
        pub workload_profiles: Option<Vec<WorkloadProfile>>,
        #[serde(default)]
        pub default_domain: Option<String>,
        #[serde(default)]
        pub static_ip: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct VnetConfiguration {
        #[serde(default)]
        pub infrastructure_subnet_id: Option<String>,
        #[serde(default)]
        pub internal: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct WorkloadProfile {
        pub name: String,
        pub workload_profile_type: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct AppLogsConfiguration {
        #[serde(default)]
        pub destination: Option<String>,
        #[serde(default)]
        pub log_analytics_configuration: Option<LogAnalyticsConfiguration>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct LogAnalyticsConfiguration {
        #[serde(default)]
        pub customer_id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct ContainerApp {
        pub id: String,
        pub name: String,
        pub location: String,
        #[serde(default)]
        pub tags: Option<BTreeMap<String, String>>,
        #[serde(default)]
        pub identity: Option<ManagedServiceIdentity>,
        pub properties: ContainerAppProperties,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ManagedServiceIdentity {
        #[serde(rename = "type")]
        pub type_: String,
        #[serde(default)]
        pub user_assigned_identities: Option<BTreeMap<String, serde_json::Value>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ContainerAppProperties {
        #[serde(default)]
        pub managed_environment_id: Option<String>,
        #[serde(default)]
        pub environment_id: Option<String>,
        #[serde(default)]
        pub configuration: Option<Configuration>,
        pub template: Template,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Configuration {
        #[serde(default)]
        pub active_revisions_mode: Option<String>,
        #[serde(default)]
        pub ingress: Option<Ingress>,
        #[serde(default)]
        pub registries: Option<Vec<RegistryCredentials>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Ingress {
        #[serde(default)]
        pub external: Option<bool>,
        #[serde(default)]
        pub allow_insecure: Option<bool>,
        #[serde(default)]
        pub target_port: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct RegistryCredentials {
        pub server: String,
        #[serde(default)]
        pub identity: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Template {
        #[serde(default)]
        pub containers: Option<Vec<Container>>,
        #[serde(default)]
        pub scale: Option<Scale>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Container {
        pub name: String,
        pub image: String,
        #[serde(default)]
        pub env: Option<Vec<EnvironmentVar>>,
        #[serde(default)]
        pub resources: Option<Resources>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct EnvironmentVar {
        pub name: String,
        #[serde(default)]
        pub value: Option<String>,
        #[serde(default)]
        pub secret_ref: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Resources {
        #[serde(default)]
        pub cpu: Option<f64>,
        #[serde(default)]
        pub memory: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Scale {
        #[serde(default)]
        pub min_replicas: Option<i64>,
        #[serde(default)]
        pub max_replicas: Option<i64>,
    }
}

fn tags(tags: Option<BTreeMap<String, String>>) -> BTreeMap<String, String> {
    tags.unwrap_or_default()
}

impl From<wire::ResourceGroup> for LiveResourceGroup {
    fn from(rg: wire::ResourceGroup) -> Self {
        LiveResourceGroup {
            id: rg.id,
            name: rg.name,
            location: normalize::location(&rg.location),
            tags: tags(rg.tags),
        }
    }
}

impl From<wire::Identity> for LiveIdentity {
    fn from(id: wire::Identity) -> Self {
        LiveIdentity {
            id: id.id,
            name: id.name,
            location: normalize::location(&id.location),
            principal_id: id.properties.principal_id.to_ascii_lowercase(),
            client_id: id.properties.client_id.to_ascii_lowercase(),
            tags: tags(id.tags),
        }
    }
}

impl LiveRoleAssignment {
    pub(crate) fn from_wire(ra: wire::RoleAssignment, fallback_scope: &str) -> Self {
        LiveRoleAssignment {
            id: ra.id,
            name: ra.name,
            scope: normalize::resource_id(ra.properties.scope.as_deref().unwrap_or(fallback_scope)),
            role_definition_id: normalize::resource_id(&ra.properties.role_definition_id),
            principal_id: ra.properties.principal_id.to_ascii_lowercase(),
            principal_type: ra.properties.principal_type.unwrap_or_default(),
        }
    }
}

impl From<wire::Workspace> for LiveWorkspace {
    fn from(ws: wire::Workspace) -> Self {
        LiveWorkspace {
            id: ws.id,
            name: ws.name,
            location: normalize::location(&ws.location),
            sku: ws.properties.sku.map(|s| s.name).unwrap_or_default(),
            retention_in_days: ws.properties.retention_in_days,
            customer_id: ws.properties.customer_id.to_ascii_lowercase(),
            tags: tags(ws.tags),
        }
    }
}

impl From<wire::ManagedEnvironment> for LiveEnvironment {
    fn from(env: wire::ManagedEnvironment) -> Self {
        let logs = env.properties.app_logs_configuration;
        let vnet = env.properties.vnet_configuration;
        LiveEnvironment {
            id: env.id,
            name: env.name,
            location: normalize::location(&env.location),
            logs_destination: logs
                .as_ref()
                .and_then(|l| l.destination.clone())
                .filter(|d| !d.is_empty()),
            log_analytics_customer_id: logs
                .and_then(|l| l.log_analytics_configuration)
                .and_then(|c| c.customer_id)
                .map(|c| c.to_ascii_lowercase()),
            tags: tags(env.tags),
            infrastructure_subnet_id: vnet
                .as_ref()
                .and_then(|v| v.infrastructure_subnet_id.clone())
                .filter(|s| !s.is_empty()),
            internal_load_balancer_enabled: vnet.and_then(|v| v.internal).unwrap_or(false),
            default_domain: env.properties.default_domain.clone().filter(|d| !d.is_empty()),
            static_ip_address: env.properties.static_ip.clone().filter(|d| !d.is_empty()),
            workload_profiles: env
                .properties
                .workload_profiles
                .unwrap_or_default()
                .into_iter()
                .map(|w| (w.name, w.workload_profile_type))
                .collect(),
        }
    }
}

impl From<wire::ContainerApp> for LiveContainerApp {
    fn from(app: wire::ContainerApp) -> Self {
        let props = app.properties;
        let configuration = props.configuration;
        let containers = props
            .template
            .containers
            .unwrap_or_default()
            .into_iter()
            .map(|c| {
                let mut env: Vec<LiveEnvVar> = c
                    .env
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| LiveEnvVar {
                        name: e.name,
                        // A secret reference's value is not ours to read.
                        value: if e.secret_ref.is_some() { None } else { e.value },
                        secret_name: e.secret_ref,
                    })
                    .collect();
                env.sort_by(|a, b| a.name.cmp(&b.name));
                LiveContainer {
                    name: c.name,
                    image: c.image,
                    cpu: c.resources.as_ref().and_then(|r| r.cpu),
                    memory: c.resources.and_then(|r| r.memory),
                    env,
                }
            })
            .collect();
        let mut registries: Vec<LiveRegistryCredential> = configuration
            .as_ref()
            .and_then(|c| c.registries.as_ref())
            .map(|regs| {
                regs.iter()
                    .map(|r| LiveRegistryCredential {
                        server: r.server.to_ascii_lowercase(),
                        identity: r
                            .identity
                            .as_deref()
                            .filter(|i| !i.is_empty())
                            .map(normalize::resource_id),
                    })
                    .collect()
            })
            .unwrap_or_default();
        registries.sort_by(|a, b| a.server.cmp(&b.server));
        let (identity_type, identity_ids) = match app.identity {
            Some(identity) => (
                identity.type_.replace(' ', ""),
                normalize::set(
                    identity
                        .user_assigned_identities
                        .unwrap_or_default()
                        .keys()
                        .map(|k| normalize::resource_id(k)),
                ),
            ),
            None => ("None".to_string(), Vec::new()),
        };
        let scale = props.template.scale;
        LiveContainerApp {
            id: app.id,
            name: app.name,
            location: normalize::location(&app.location),
            environment_id: normalize::resource_id(
                props
                    .managed_environment_id
                    .as_deref()
                    .or(props.environment_id.as_deref())
                    .unwrap_or_default(),
            ),
            revision_mode: configuration.as_ref().and_then(|c| c.active_revisions_mode.clone()),
            containers,
            min_replicas: scale.as_ref().and_then(|s| s.min_replicas),
            max_replicas: scale.as_ref().and_then(|s| s.max_replicas),
            ingress: configuration
                .as_ref()
                .and_then(|c| c.ingress.as_ref())
                .map(|i| LiveIngress {
                    external_enabled: i.external.unwrap_or(false),
                    target_port: i.target_port,
                    allow_insecure_connections: i.allow_insecure.unwrap_or(false),
                }),
            registries,
            identity_type,
            identity_ids,
            tags: tags(app.tags),
        }
    }
}

/// Reads `{"key": "value"}` tags from loosely typed JSON (the registry crate keeps tags as `serde_json::Value`).
pub(crate) fn tags_from_value(value: Option<&serde_json::Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(serde_json::Value::Object(map)) = value {
        for (k, v) in map {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.insert(k.clone(), text);
        }
    }
    out
}
