//! Reading everything a stack declares from Azure, in a fixed order (so that runs and tests are deterministic):
//! each ARM response goes through its type's reader ([`crate::azurerm::arm`]), at the path and api-version its
//! registry entry gives, into the document form.

use super::azure::{Azure, AzureError, AzureSettings};
use crate::azurerm::arm::registry::ArmResource;
use crate::azurerm::arm::{
    container_app, container_app_environment, log_analytics_workspace, resource_group, role_assignment,
    user_assigned_identity, LiveObject,
};
use serde::Serialize;
use serde_json::Value;

/// Why a configuration's names cannot be read from Azure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// A resource's `name` is an expression, not a literal string.
    #[error("{address}: `name` is not a literal string, so it cannot be looked up")]
    NameNotLiteral {
        /// The resource's address (`azurerm_container_registry.main`).
        address: String,
    },
    /// More than one resource of a type drift reads one of.
    #[error("more than one {resource_type}: infra drift reads one per stack")]
    MoreThanOne {
        /// The azurerm resource type.
        resource_type: String,
    },
    /// No resource group, which everything drift reads lives in.
    #[error("the configuration declares no azurerm_resource_group")]
    NoResourceGroup,
}

/// The names of what a stack declares, in one resource group. `None` = the stack does not declare it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The resource group every resource is in.
    pub resource_group: String,
    /// The container registry's name.
    pub registry: Option<String>,
    /// The user-assigned identities' names (the stack's, and those of apps or jobs with their own).
    pub identities: Vec<String>,
    /// The Log Analytics workspace's name.
    pub workspace: Option<String>,
    /// The Container Apps environment's name.
    pub environment: Option<String>,
    /// The container apps' names.
    pub container_apps: Vec<String>,
    /// The container app jobs' names.
    pub container_app_jobs: Vec<String>,
    /// `[network]`'s resources (several of a type).
    pub network: super::network::NetworkTarget,
    /// The storage account, its file share and the environment's storage.
    pub storage: super::storage::StorageTarget,
}

impl Target {
    /// The names declared in a configuration: the `name` of each resource of a type `infra drift` reads (one
    /// each; the resource group is required).
    pub fn from_config(config: &crate::terraform::Config) -> Result<Target, TargetError> {
        let names_of = |resource_type: &str| -> Result<Vec<String>, TargetError> {
            config
                .resources()
                .into_iter()
                .filter(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
                .map(|r| match r.get("name").and_then(crate::terraform::expr::as_str) {
                    Some(name) => Ok(name.to_string()),
                    None => Err(TargetError::NameNotLiteral {
                        address: r.address().to_string(),
                    }),
                })
                .collect()
        };
        let name_of = |resource_type: &str| -> Result<Option<String>, TargetError> {
            let mut names = config
                .resources()
                .into_iter()
                .filter(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
                .map(|r| match r.get("name").and_then(crate::terraform::expr::as_str) {
                    Some(name) => Ok(name.to_string()),
                    None => Err(TargetError::NameNotLiteral {
                        address: r.address().to_string(),
                    }),
                });
            let first = names.next().transpose()?;
            if names.next().is_some() {
                return Err(TargetError::MoreThanOne {
                    resource_type: resource_type.to_string(),
                });
            }
            Ok(first)
        };
        Ok(Target {
            resource_group: name_of(resource_group::TYPE)?.ok_or(TargetError::NoResourceGroup)?,
            registry: name_of(crate::azurerm::arm::container_registry::TYPE)?,
            identities: names_of(user_assigned_identity::TYPE)?,
            workspace: name_of(log_analytics_workspace::TYPE)?,
            environment: name_of(container_app_environment::TYPE)?,
            container_apps: names_of(container_app::TYPE)?,
            container_app_jobs: names_of(crate::azurerm::arm::container_app_job::TYPE)?,
            network: super::network::NetworkTarget::from_config(config),
            storage: super::storage::StorageTarget::from_config(config),
        })
    }
}

/// What is live: one object per resource found, in the order read (resource group, registry, its webhooks and
/// tasks, identity, role assignment, workspace, environment, app, network, storage). Absent = does not exist
/// (or not declared by the target).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LiveStack {
    /// Every live object read, in reading order.
    pub objects: Vec<LiveObject>,
}

impl LiveStack {
    /// The first live object of a type.
    pub fn get(&self, resource_type: &str) -> Option<&LiveObject> {
        self.objects.iter().find(|o| o.resource_type == resource_type)
    }

    /// Every live object of a type.
    pub fn all<'a>(&'a self, resource_type: &'a str) -> impl Iterator<Item = &'a LiveObject> + 'a {
        self.objects.iter().filter(move |o| o.resource_type == resource_type)
    }
}

impl Azure {
    /// The resource group's ARM path.
    pub(crate) fn rg_path(&self, resource_group: &str) -> String {
        resource_group::ENTRY.path(&format!("/subscriptions/{}", self.subscription_id()), resource_group)
    }

    /// GET the resource of `entry`'s type named `name` under `scope` at the entry's api-version; the body and
    /// the path it was read at, `None` when it does not exist.
    pub(crate) async fn get_entry(
        &self,
        entry: &ArmResource,
        scope: &str,
        name: &str,
    ) -> Result<Option<(Value, String)>, AzureError> {
        let path = entry.path(scope, name);
        let what = format!("{} '{name}'", entry.noun);
        let body: Option<Value> = self.get_json(&path, entry.api_version, &what).await?;
        Ok(body.map(|body| (body, path)))
    }

    /// The resource of `entry`'s type named `name` in resource group `rg`, read by its reader with `workspace`
    /// (what an environment names its workspace by); `None` when it does not exist.
    async fn read_in_group(
        &self,
        entry: &ArmResource,
        rg: &str,
        name: &str,
        workspace: Option<&LiveObject>,
    ) -> Result<Option<LiveObject>, AzureError> {
        let Some((body, path)) = self.get_entry(entry, &self.rg_path(rg), name).await? else {
            return Ok(None);
        };
        let request = crate::azurerm::arm::registry::Request {
            workspace,
            ..crate::azurerm::arm::registry::Request::live(name, &path, "")
        };
        Ok(entry.read_body(&body, &request))
    }

    /// The resource group `name`, or `None` when it does not exist.
    pub async fn read_resource_group(&self, name: &str) -> Result<Option<LiveObject>, AzureError> {
        let subscription = format!("/subscriptions/{}", self.subscription_id());
        let Some((body, path)) = self.get_entry(&resource_group::ENTRY, &subscription, name).await? else {
            return Ok(None);
        };
        let request = crate::azurerm::arm::registry::Request::live(name, &path, "");
        Ok(resource_group::ENTRY.read_body(&body, &request))
    }

    /// The user-assigned identity `name` in resource group `rg`, or `None` when it does not exist.
    pub async fn read_identity(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        self.read_in_group(&user_assigned_identity::ENTRY, rg, name, None).await
    }

    /// The Log Analytics workspace `name` in resource group `rg`, or `None` when it does not exist.
    pub async fn read_workspace(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        self.read_in_group(&log_analytics_workspace::ENTRY, rg, name, None)
            .await
    }

    /// `workspace`: the live workspace, which the environment names by customer ID.
    pub(crate) async fn read_environment(
        &self,
        rg: &str,
        name: &str,
        workspace: Option<&LiveObject>,
    ) -> Result<Option<LiveObject>, AzureError> {
        self.read_in_group(&container_app_environment::ENTRY, rg, name, workspace)
            .await
    }

    /// The container app `name` in resource group `rg`, or `None` when it does not exist.
    pub async fn read_container_app(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        self.read_in_group(&container_app::ENTRY, rg, name, None).await
    }

    /// Role assignments that apply at `scope` (made there or above it), via `$filter=atScope()`.
    pub async fn read_role_assignments_at(&self, scope: &str) -> Result<Vec<LiveObject>, AzureError> {
        let entry = &role_assignment::ENTRY;
        let list: Vec<Value> = self
            .list_json(
                &entry.list_path(scope),
                entry.api_version,
                &[("$filter", "atScope()")],
                &format!("role assignments at {scope}"),
            )
            .await?;
        let request = crate::azurerm::arm::registry::Request::live("", "", scope);
        Ok(list.iter().filter_map(|ra| entry.read_body(ra, &request)).collect())
    }

    /// The identity's AcrPull assignment made directly at the registry (an inherited one is not what infra renders).
    pub(crate) async fn read_acr_pull(
        &self,
        registry_id: &str,
        principal_id: &str,
    ) -> Result<Option<LiveObject>, AzureError> {
        Ok(self
            .read_role_assignments_at(registry_id)
            .await?
            .into_iter()
            .find(|ra| role_assignment::is_acr_pull(ra, registry_id, principal_id)))
    }

    /// Everything the target declares. Stops early when the resource group does not exist.
    pub async fn read_live(&self, target: &Target) -> Result<LiveStack, AzureError> {
        let rg = &target.resource_group;
        let mut live = LiveStack::default();
        let Some(group) = self.read_resource_group(rg).await? else {
            return Ok(live);
        };
        live.objects.push(group);
        let mut registry_id = None;
        if let Some(name) = &target.registry {
            if let Some(objects) = self.read_registry(rg, name).await? {
                registry_id = objects.first().and_then(|r| r.str("id")).map(str::to_string);
                live.objects.extend(objects);
            }
        }
        for name in &target.identities {
            let Some(identity) = self.read_identity(rg, name).await? else {
                continue;
            };
            let principal_id = user_assigned_identity::principal_id(&identity).map(str::to_string);
            live.objects.push(identity);
            if let (Some(registry_id), Some(principal_id)) = (&registry_id, &principal_id) {
                live.objects
                    .extend(self.read_acr_pull(registry_id, principal_id).await?);
            }
        }
        let mut workspace = None;
        if let Some(name) = &target.workspace {
            workspace = self.read_workspace(rg, name).await?;
            live.objects.extend(workspace.clone());
        }
        let mut default_domain = None;
        if let Some(name) = &target.environment {
            if let Some(environment) = self.read_environment(rg, name, workspace.as_ref()).await? {
                default_domain = container_app_environment::default_domain(&environment).map(str::to_string);
                live.objects.push(environment);
            }
        }
        for name in &target.container_apps {
            live.objects.extend(self.read_container_app(rg, name).await?);
        }
        for name in &target.container_app_jobs {
            live.objects.extend(
                self.read_in_group(&crate::azurerm::arm::container_app_job::ENTRY, rg, name, None)
                    .await?,
            );
        }
        if !target.network.is_empty() {
            let mut network = target.network.clone();
            if network.environment_zone {
                // An internal environment's zone is named after its default domain.
                if let Some(domain) = default_domain {
                    network.private_dns_zones.push(domain);
                }
            }
            live.objects.extend(self.read_network(rg, &network).await?);
        }
        if !target.storage.is_empty() {
            live.objects.extend(
                self.read_storage(rg, &target.storage, target.environment.as_deref())
                    .await?,
            );
        }
        Ok(live)
    }
}

/// Connects and reads on a runtime of its own (for synchronous callers such as the CLI).
pub fn read_live_blocking(settings: &AzureSettings, target: &Target) -> Result<LiveStack, AzureError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AzureError::Config {
            detail: format!("could not start the async runtime: {e}"),
        })?;
    runtime.block_on(async {
        let azure = Azure::connect(settings)?;
        azure.read_live(target).await
    })
}
