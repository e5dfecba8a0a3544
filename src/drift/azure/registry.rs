//! The registry and its parts (geo-replications, webhooks, tasks). The registry itself through
//! azure_mgmt_containerregistry (`package-2023-07`, api-version 2023-07-01), whose model checks the body; the
//! lists as plain ARM GETs through the same pipeline: replications and webhooks at 2023-07-01, tasks at the
//! stable api-version of `registries/tasks` ([`crate::drift::adapters::container_registry_task::API`]; the
//! crate's package reads them with 2019-06-01-preview).

use super::{is_resource_not_found, Azure, AzureError};
use crate::drift::adapters::{container_registry, container_registry_task, container_registry_webhook, LiveObject};
use azure_mgmt_containerregistry::package_2023_07::models;
use serde_json::Value;

const REGISTRY_API: &str = "2023-07-01";

impl Azure {
    fn registry_path(&self, resource_group: &str, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{resource_group}/providers/Microsoft.ContainerRegistry/registries/{name}",
            self.subscription_id
        )
    }

    /// The registry, then its webhooks and tasks (sorted by name); `None` if the registry does not exist.
    pub(crate) async fn read_registry(
        &self,
        resource_group: &str,
        name: &str,
    ) -> Result<Option<Vec<LiveObject>>, AzureError> {
        let path = self.registry_path(resource_group, name);
        let url = self.url(&path, REGISTRY_API)?;
        let client = self.registry_client().registries_client();
        let response = match client.get(&self.subscription_id, resource_group, name).send().await {
            Ok(response) => response.into_raw_response(),
            Err(error) if is_resource_not_found(&error) => return Ok(None),
            Err(error) => return Err(self.map_error(error, &url)),
        };
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| self.map_error(e, &url))?;
        let what = format!("container registry '{name}'");
        // The generated model checks the body's shape; the adapter reads the body itself (properties outside
        // the 2023-07-01 model, such as anonymousPullEnabled, included).
        let _: models::Registry = super::parse(&bytes, &url, &what)?;
        let raw: Value = super::parse(&bytes, &url, &what)?;

        // Geo-replication is Premium-only (Azure makes you delete replicas before a downgrade), so other SKUs
        // have none to list, as azurerm does.
        let replications: Vec<Value> = if container_registry::sku(&raw) == "Premium" {
            self.list_json(
                &format!("{path}/replications"),
                REGISTRY_API,
                &[],
                "registry geo-replications",
            )
            .await?
        } else {
            Vec::new()
        };
        let registry = container_registry::object(&raw, &replications, name, &path);
        let registry_id = registry.str("id").unwrap_or(&path).to_string();
        let mut out = vec![registry];

        let webhooks: Vec<Value> = self
            .list_json(&format!("{path}/webhooks"), REGISTRY_API, &[], "registry webhooks")
            .await?;
        let mut webhooks: Vec<LiveObject> = webhooks
            .iter()
            .map(|w| container_registry_webhook::object(w, &registry_id))
            .collect();
        webhooks.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(webhooks);

        let tasks: Vec<Value> = self
            .list_json(
                &format!("{path}/tasks"),
                container_registry_task::API,
                &[],
                "registry tasks",
            )
            .await?;
        let mut tasks: Vec<LiveObject> = tasks
            .iter()
            .map(|t| container_registry_task::object(t, &registry_id))
            .collect();
        tasks.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(tasks);
        Ok(Some(out))
    }
}
