//! Reading everything a stack declares from Azure, in a fixed order (so that runs and tests are deterministic):
//! each ARM response goes through its type's adapter ([`super::adapters`]) into the document form.

use super::adapters::{
    container_app, container_app_environment, log_analytics_workspace, resource_group, role_assignment,
    user_assigned_identity, LiveObject,
};
use super::azure::{Azure, AzureError, AzureSettings};
use serde::Serialize;
use serde_json::Value;

pub(crate) const RESOURCE_GROUP_API: &str = "2021-04-01";
pub(crate) const IDENTITY_API: &str = "2023-01-31";
pub(crate) const ROLE_ASSIGNMENT_API: &str = "2022-04-01";
pub(crate) const WORKSPACE_API: &str = "2022-10-01";
pub(crate) const CONTAINER_APPS_API: &str = "2024-03-01";

/// The names of what a stack declares, in one resource group. `None` = the stack does not declare it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    /// The resource group every resource is in.
    pub resource_group: String,
    /// The container registry's name.
    pub registry: Option<String>,
    /// The user-assigned identity's name.
    pub identity: Option<String>,
    /// The Log Analytics workspace's name.
    pub workspace: Option<String>,
    /// The Container Apps environment's name.
    pub environment: Option<String>,
    /// The container app's name.
    pub container_app: Option<String>,
    /// `[network]`'s resources (several of a type).
    pub network: super::network::NetworkTarget,
    /// The storage account, its file share and the environment's storage.
    pub storage: super::storage::StorageTarget,
}

impl Target {
    /// The names declared in a configuration: the `name` of each resource of a type `infra drift` reads (one
    /// each; the resource group is required).
    pub fn from_config(config: &crate::terraform::Config) -> Result<Target, String> {
        let name_of = |resource_type: &str| -> Result<Option<String>, String> {
            let mut names = config
                .resources()
                .into_iter()
                .filter(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
                .map(|r| match r.get("name").and_then(crate::terraform::expr::as_str) {
                    Some(name) => Ok(name.to_string()),
                    None => Err(format!(
                        "{}: `name` is not a literal string, so it cannot be looked up",
                        r.address()
                    )),
                });
            let first = names.next().transpose()?;
            if names.next().is_some() {
                return Err(format!(
                    "more than one {resource_type}: infra drift reads one per stack"
                ));
            }
            Ok(first)
        };
        Ok(Target {
            resource_group: name_of("azurerm_resource_group")?
                .ok_or_else(|| "the configuration declares no azurerm_resource_group".to_string())?,
            registry: name_of("azurerm_container_registry")?,
            identity: name_of("azurerm_user_assigned_identity")?,
            workspace: name_of("azurerm_log_analytics_workspace")?,
            environment: name_of("azurerm_container_app_environment")?,
            container_app: name_of("azurerm_container_app")?,
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
    pub(crate) fn rg_path(&self, resource_group: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{resource_group}",
            self.subscription_id()
        )
    }

    /// GET `path` and turn the body into a live object with `adapt(body, path)`; `None` when it does not exist.
    async fn read_one(
        &self,
        path: &str,
        api_version: &str,
        what: &str,
        adapt: impl FnOnce(&Value, &str) -> LiveObject,
    ) -> Result<Option<LiveObject>, AzureError> {
        let body: Option<Value> = self.get_json(path, api_version, what).await?;
        Ok(body.map(|body| adapt(&body, path)))
    }

    pub(crate) async fn read_resource_group(&self, name: &str) -> Result<Option<LiveObject>, AzureError> {
        self.read_one(
            &self.rg_path(name),
            RESOURCE_GROUP_API,
            &format!("resource group '{name}'"),
            |body, path| resource_group::object(body, name, path),
        )
        .await
    }

    pub(crate) async fn read_identity(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
            self.rg_path(rg)
        );
        self.read_one(
            &path,
            IDENTITY_API,
            &format!("user-assigned identity '{name}'"),
            |body, path| user_assigned_identity::object(body, name, path),
        )
        .await
    }

    pub(crate) async fn read_workspace(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.OperationalInsights/workspaces/{name}",
            self.rg_path(rg)
        );
        self.read_one(
            &path,
            WORKSPACE_API,
            &format!("Log Analytics workspace '{name}'"),
            |body, path| log_analytics_workspace::object(body, name, path),
        )
        .await
    }

    /// `workspace`: the live workspace, which the environment names by customer ID.
    pub(crate) async fn read_environment(
        &self,
        rg: &str,
        name: &str,
        workspace: Option<&LiveObject>,
    ) -> Result<Option<LiveObject>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.App/managedEnvironments/{name}",
            self.rg_path(rg)
        );
        self.read_one(
            &path,
            CONTAINER_APPS_API,
            &format!("container app environment '{name}'"),
            |body, path| container_app_environment::object(body, name, path, workspace),
        )
        .await
    }

    pub(crate) async fn read_container_app(&self, rg: &str, name: &str) -> Result<Option<LiveObject>, AzureError> {
        let path = format!("{}/providers/Microsoft.App/containerApps/{name}", self.rg_path(rg));
        self.read_one(
            &path,
            CONTAINER_APPS_API,
            &format!("container app '{name}'"),
            |body, path| container_app::object(body, name, path),
        )
        .await
    }

    /// Role assignments that apply at `scope` (made there or above it), via `$filter=atScope()`.
    pub(crate) async fn read_role_assignments_at(&self, scope: &str) -> Result<Vec<LiveObject>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleAssignments",
            scope.trim_end_matches('/')
        );
        let list: Vec<Value> = self
            .list_json(
                &path,
                ROLE_ASSIGNMENT_API,
                &[("$filter", "atScope()")],
                &format!("role assignments at {scope}"),
            )
            .await?;
        Ok(list.iter().map(|ra| role_assignment::object(ra, scope)).collect())
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
        let mut principal_id = None;
        if let Some(name) = &target.identity {
            if let Some(identity) = self.read_identity(rg, name).await? {
                principal_id = user_assigned_identity::principal_id(&identity).map(str::to_string);
                live.objects.push(identity);
            }
        }
        if let (Some(registry_id), Some(principal_id)) = (&registry_id, &principal_id) {
            live.objects
                .extend(self.read_acr_pull(registry_id, principal_id).await?);
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
        if let Some(name) = &target.container_app {
            live.objects.extend(self.read_container_app(rg, name).await?);
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
