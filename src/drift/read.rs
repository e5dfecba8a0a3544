//! Reading everything a stack declares from Azure, in a fixed order (so that runs and tests are deterministic).

use super::azure::{Azure, AzureError, AzureSettings};
use super::live::{
    wire, LiveContainerApp, LiveEnvironment, LiveIdentity, LiveRegistry, LiveResourceGroup, LiveRoleAssignment,
    LiveWorkspace,
};
use super::normalize;
use serde::Serialize;

pub const RESOURCE_GROUP_API: &str = "2021-04-01";
pub const IDENTITY_API: &str = "2023-01-31";
pub const ROLE_ASSIGNMENT_API: &str = "2022-04-01";
pub const WORKSPACE_API: &str = "2022-10-01";
pub const CONTAINER_APPS_API: &str = "2024-03-01";

/// The built-in AcrPull role.
pub const ACR_PULL_ROLE_ID: &str = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

/// The names of what a stack declares, in one resource group. `None` = the stack does not declare it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub resource_group: String,
    pub registry: Option<String>,
    pub identity: Option<String>,
    pub workspace: Option<String>,
    pub environment: Option<String>,
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

/// What is live. `None` = does not exist (or not declared by the target).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LiveStack {
    pub resource_group: Option<LiveResourceGroup>,
    pub registry: Option<LiveRegistry>,
    pub identity: Option<LiveIdentity>,
    /// The AcrPull assignment of the identity, made directly at the registry's scope.
    pub acr_pull: Option<LiveRoleAssignment>,
    pub workspace: Option<LiveWorkspace>,
    pub environment: Option<LiveEnvironment>,
    pub container_app: Option<LiveContainerApp>,
    /// The network resources found live.
    pub network: Vec<super::network::NetworkObject>,
    /// The storage resources found live (same shape as the network ones).
    pub storage: Vec<super::network::NetworkObject>,
}

impl Azure {
    fn rg_path(&self, resource_group: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{resource_group}",
            self.subscription_id()
        )
    }

    pub async fn read_resource_group(&self, name: &str) -> Result<Option<LiveResourceGroup>, AzureError> {
        let rg: Option<wire::ResourceGroup> = self
            .get_json(
                &self.rg_path(name),
                RESOURCE_GROUP_API,
                &format!("resource group '{name}'"),
            )
            .await?;
        Ok(rg.map(Into::into))
    }

    pub async fn read_identity(&self, rg: &str, name: &str) -> Result<Option<LiveIdentity>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
            self.rg_path(rg)
        );
        let id: Option<wire::Identity> = self
            .get_json(&path, IDENTITY_API, &format!("user-assigned identity '{name}'"))
            .await?;
        Ok(id.map(Into::into))
    }

    pub async fn read_workspace(&self, rg: &str, name: &str) -> Result<Option<LiveWorkspace>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.OperationalInsights/workspaces/{name}",
            self.rg_path(rg)
        );
        let ws: Option<wire::Workspace> = self
            .get_json(&path, WORKSPACE_API, &format!("Log Analytics workspace '{name}'"))
            .await?;
        Ok(ws.map(Into::into))
    }

    pub async fn read_environment(&self, rg: &str, name: &str) -> Result<Option<LiveEnvironment>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.App/managedEnvironments/{name}",
            self.rg_path(rg)
        );
        let env: Option<wire::ManagedEnvironment> = self
            .get_json(
                &path,
                CONTAINER_APPS_API,
                &format!("container app environment '{name}'"),
            )
            .await?;
        Ok(env.map(Into::into))
    }

    pub async fn read_container_app(&self, rg: &str, name: &str) -> Result<Option<LiveContainerApp>, AzureError> {
        let path = format!("{}/providers/Microsoft.App/containerApps/{name}", self.rg_path(rg));
        let app: Option<wire::ContainerApp> = self
            .get_json(&path, CONTAINER_APPS_API, &format!("container app '{name}'"))
            .await?;
        Ok(app.map(Into::into))
    }

    /// Role assignments that apply at `scope` (made there or above it), via `$filter=atScope()`.
    pub async fn read_role_assignments_at(&self, scope: &str) -> Result<Vec<LiveRoleAssignment>, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.Authorization/roleAssignments",
            scope.trim_end_matches('/')
        );
        let list: Vec<wire::RoleAssignment> = self
            .list_json(
                &path,
                ROLE_ASSIGNMENT_API,
                &[("$filter", "atScope()")],
                &format!("role assignments at {scope}"),
            )
            .await?;
        Ok(list
            .into_iter()
            .map(|ra| LiveRoleAssignment::from_wire(ra, scope))
            .collect())
    }

    /// The identity's AcrPull assignment made directly at the registry (an inherited one is not what infra renders).
    pub async fn read_acr_pull(
        &self,
        registry_id: &str,
        principal_id: &str,
    ) -> Result<Option<LiveRoleAssignment>, AzureError> {
        let scope = normalize::resource_id(registry_id);
        let principal = principal_id.to_ascii_lowercase();
        Ok(self
            .read_role_assignments_at(registry_id)
            .await?
            .into_iter()
            .find(|ra| {
                ra.scope == scope
                    && ra.principal_id == principal
                    && normalize::last_segment(&ra.role_definition_id) == ACR_PULL_ROLE_ID
            }))
    }

    /// Everything the target declares. Stops early when the resource group does not exist.
    pub async fn read_live(&self, target: &Target) -> Result<LiveStack, AzureError> {
        let rg = &target.resource_group;
        let mut live = LiveStack {
            resource_group: self.read_resource_group(rg).await?,
            ..LiveStack::default()
        };
        if live.resource_group.is_none() {
            return Ok(live);
        }
        if let Some(name) = &target.registry {
            live.registry = self.read_registry(rg, name).await?;
        }
        if let Some(name) = &target.identity {
            live.identity = self.read_identity(rg, name).await?;
        }
        if let (Some(registry), Some(identity)) = (&live.registry, &live.identity) {
            live.acr_pull = self.read_acr_pull(&registry.id, &identity.principal_id).await?;
        }
        if let Some(name) = &target.workspace {
            live.workspace = self.read_workspace(rg, name).await?;
        }
        if let Some(name) = &target.environment {
            live.environment = self.read_environment(rg, name).await?;
        }
        if let Some(name) = &target.container_app {
            live.container_app = self.read_container_app(rg, name).await?;
        }
        if !target.network.is_empty() {
            let mut network = target.network.clone();
            if network.environment_zone {
                // An internal environment's zone is named after its default domain.
                if let Some(domain) = live.environment.as_ref().and_then(|e| e.default_domain.clone()) {
                    network.private_dns_zones.push(domain);
                }
            }
            live.network = self.read_network(rg, &network).await?;
        }
        if !target.storage.is_empty() {
            live.storage = self
                .read_storage(rg, &target.storage, target.environment.as_deref())
                .await?;
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
