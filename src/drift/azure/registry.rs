//! The registry and its parts (geo-replications, webhooks, tasks). The registry itself through
//! azure_mgmt_containerregistry (`package-2023-07`, api-version 2023-07-01), whose model checks the body; the
//! lists as plain ARM GETs through the same pipeline: replications and webhooks at 2023-07-01, tasks at the
//! stable api-version of `registries/tasks` (the crate's package reads them with 2019-06-01-preview). Paths and
//! api-versions are the ARM mapping's ([`crate::azurerm::arm::registry`]).

use super::{is_resource_not_found, Azure, AzureError};
use crate::azurerm::arm::registry::ArmResource;
use crate::azurerm::arm::{container_registry, container_registry_task, container_registry_webhook, LiveObject};
use crate::azurerm::facts::arm_defaults;
use azure_mgmt_containerregistry::package_2023_07::models;
use serde_json::Value;

impl Azure {
    /// The children of `entry`'s type listed under the registry at `path`, read by `read` with the registry's
    /// ID, sorted by name.
    async fn read_children(
        &self,
        entry: &ArmResource,
        path: &str,
        registry_id: &str,
        what: &str,
    ) -> Result<Vec<LiveObject>, AzureError> {
        let list: Vec<Value> = self
            .list_json(&entry.list_path(path), entry.api_version, &[], what)
            .await?;
        let request = crate::azurerm::arm::registry::Request::live("", "", registry_id);
        let mut out: Vec<LiveObject> = list.iter().filter_map(|v| entry.read_body(v, &request)).collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The registry, then its webhooks and tasks (sorted by name); `None` if the registry does not exist.
    pub async fn read_registry(&self, resource_group: &str, name: &str) -> Result<Option<Vec<LiveObject>>, AzureError> {
        let path = container_registry::ENTRY.path(&self.rg_path(resource_group), name);
        let url = self.url(&path, container_registry::ENTRY.api_version)?;
        let client = self.registry_client().registries_client();
        let response = match client.get(&self.subscription_id, resource_group, name).send().await {
            Ok(response) => response.into_raw_response(),
            Err(error) if is_resource_not_found(&error) => return Ok(None),
            Err(error) => return Err(self.map_error(error, &url)),
        };
        let answer = super::Answer::read(response)
            .await
            .map_err(|e| self.map_error(e, &url))?;
        let what = format!("container registry '{name}'");
        let raw = super::parse_object(&answer, &url, &what)?;
        // The generated model checks the body's shape; the adapter reads the body itself (properties outside
        // the 2023-07-01 model, such as anonymousPullEnabled, included).
        serde_json::from_value::<models::Registry>(raw.clone()).map_err(|e| AzureError::Malformed {
            url: url.to_string(),
            what: what.clone(),
            detail: e.to_string(),
        })?;

        // Geo-replication is Premium-only (Azure makes you delete replicas before a downgrade), so other SKUs
        // have none to list, as azurerm does.
        let replications: Vec<Value> = if container_registry::sku(&raw) == "Premium" {
            self.list_json(
                &format!("{path}/{}", container_registry::REPLICATIONS),
                container_registry::ENTRY.api_version,
                &[],
                "registry geo-replications",
            )
            .await?
        } else {
            Vec::new()
        };
        let mut replications = replications;
        for replication in &mut replications {
            arm_defaults::fill(arm_defaults::REPLICATIONS_ARM_TYPE, replication);
        }
        let request = crate::azurerm::arm::registry::Request {
            children: &replications,
            ..crate::azurerm::arm::registry::Request::live(name, &path, "")
        };
        let Some(registry) = container_registry::ENTRY.read_body(&raw, &request) else {
            return Ok(None);
        };
        let registry_id = registry.str("id").unwrap_or(&path).to_string();
        let mut out = vec![registry];

        out.extend(
            self.read_children(
                &container_registry_webhook::ENTRY,
                &path,
                &registry_id,
                "registry webhooks",
            )
            .await?,
        );
        out.extend(
            self.read_children(&container_registry_task::ENTRY, &path, &registry_id, "registry tasks")
                .await?,
        );
        Ok(Some(out))
    }
}
