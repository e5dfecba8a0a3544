//! The registry and its parts (geo-replications, webhooks, tasks) through azure_mgmt_containerregistry
//! (`package-2023-07`: registries, replications and webhooks at api-version 2023-07-01, tasks at 2019-06-01-preview).

use super::{is_resource_not_found, Azure, AzureError};
use crate::drift::live::{
    tags_from_value, LiveGeoReplication, LiveNetworkRuleSet, LiveRegistry, LiveTask, LiveTimerTrigger, LiveWebhook,
};
use crate::drift::normalize;
use azure_core::Url;
use azure_mgmt_containerregistry::package_2023_07::models;
use futures::StreamExt;
use serde::Serialize;

const REGISTRY_API: &str = "2023-07-01";
const TASKS_API: &str = "2019-06-01-preview";

/// An enum of the generated models as the string Azure sent.
fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

impl Azure {
    fn registry_path(&self, resource_group: &str, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{resource_group}/providers/Microsoft.ContainerRegistry/registries/{name}",
            self.subscription_id
        )
    }

    /// The registry with its geo-replications, webhooks and tasks; `None` if the registry does not exist.
    pub async fn read_registry(&self, resource_group: &str, name: &str) -> Result<Option<LiveRegistry>, AzureError> {
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
        let registry: models::Registry = super::parse(&bytes, &url, &what)?;
        // Properties outside the 2023-07-01 model (anonymousPullEnabled) are read from the raw body if present.
        let raw: serde_json::Value = super::parse(&bytes, &url, &what)?;
        let anonymous_pull = raw
            .pointer("/properties/anonymousPullEnabled")
            .and_then(serde_json::Value::as_bool);

        let mut live = registry_from_model(registry, anonymous_pull, name);
        // Geo-replication is Premium-only (Azure makes you delete replicas before a downgrade), so other SKUs
        // have none to list, as azurerm does.
        if live.sku == "Premium" {
            let home = live.location.clone();
            live.georeplications = self
                .read_replications(resource_group, name)
                .await?
                .into_iter()
                .filter(|r| r.location != home)
                .collect();
        }
        live.webhooks = self.read_webhooks(resource_group, name).await?;
        live.tasks = self.read_tasks(resource_group, name).await?;
        Ok(Some(live))
    }

    fn list_url(&self, resource_group: &str, name: &str, child: &str, api: &str) -> Result<Url, AzureError> {
        self.url(&format!("{}/{child}", self.registry_path(resource_group, name)), api)
    }

    async fn read_replications(&self, resource_group: &str, name: &str) -> Result<Vec<LiveGeoReplication>, AzureError> {
        let url = self.list_url(resource_group, name, "replications", REGISTRY_API)?;
        let mut stream = self
            .registry_client()
            .replications_client()
            .list(&self.subscription_id, resource_group, name)
            .into_stream();
        let mut out = Vec::new();
        while let Some(page) = stream.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) if is_resource_not_found(&error) => break,
                Err(error) => return Err(self.map_list_error(error, &url, "geo-replications")),
            };
            for replication in page.value {
                let props = replication.properties.unwrap_or_default();
                out.push(LiveGeoReplication {
                    location: normalize::location(&replication.resource.location),
                    zone_redundancy_enabled: props
                        .zone_redundancy
                        .as_ref()
                        .is_some_and(|z| normalize::enabled(&text(z))),
                    regional_endpoint_enabled: props.region_endpoint_enabled.unwrap_or(true),
                    tags: tags_from_value(replication.resource.tags.as_ref()),
                });
            }
        }
        out.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(out)
    }

    async fn read_webhooks(&self, resource_group: &str, name: &str) -> Result<Vec<LiveWebhook>, AzureError> {
        let url = self.list_url(resource_group, name, "webhooks", REGISTRY_API)?;
        let mut stream = self
            .registry_client()
            .webhooks_client()
            .list(&self.subscription_id, resource_group, name)
            .into_stream();
        let mut out = Vec::new();
        while let Some(page) = stream.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) if is_resource_not_found(&error) => break,
                Err(error) => return Err(self.map_list_error(error, &url, "webhooks")),
            };
            for webhook in page.value {
                let props = webhook.properties.as_ref();
                out.push(LiveWebhook {
                    name: webhook.resource.name.clone().unwrap_or_default(),
                    location: normalize::location(&webhook.resource.location),
                    status: props
                        .and_then(|p| p.status.as_ref())
                        .map(|s| text(s).to_ascii_lowercase())
                        .unwrap_or_else(|| "enabled".into()),
                    scope: props.and_then(|p| p.scope.clone()).unwrap_or_default(),
                    actions: normalize::set(
                        props
                            .map(|p| {
                                p.actions
                                    .iter()
                                    .map(|a| text(a).to_ascii_lowercase())
                                    .collect::<Vec<_>>()
                            })
                            .unwrap_or_default(),
                    ),
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    async fn read_tasks(&self, resource_group: &str, name: &str) -> Result<Vec<LiveTask>, AzureError> {
        let url = self.list_url(resource_group, name, "tasks", TASKS_API)?;
        let mut stream = self
            .registry_client()
            .tasks_client()
            .list(&self.subscription_id, resource_group, name)
            .into_stream();
        let mut out = Vec::new();
        while let Some(page) = stream.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) if is_resource_not_found(&error) => break,
                Err(error) => return Err(self.map_list_error(error, &url, "tasks")),
            };
            for task in page.value {
                let props = task.properties.unwrap_or_default();
                let mut timer_triggers: Vec<LiveTimerTrigger> = props
                    .trigger
                    .map(|t| t.timer_triggers)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| LiveTimerTrigger {
                        enabled: t.status.as_ref().map(|s| normalize::enabled(&text(s))).unwrap_or(true),
                        name: t.name,
                        schedule: t.schedule,
                    })
                    .collect();
                timer_triggers.sort_by(|a, b| a.name.cmp(&b.name));
                out.push(LiveTask {
                    name: task.resource.name.unwrap_or_default(),
                    tags: tags_from_value(task.resource.tags.as_ref()),
                    enabled: props
                        .status
                        .as_ref()
                        .map(|s| normalize::enabled(&text(s)))
                        .unwrap_or(true),
                    is_system_task: props.is_system_task.unwrap_or(false),
                    timer_triggers,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn map_list_error(&self, error: azure_core::Error, url: &Url, what: &str) -> AzureError {
        match self.map_error(error, url) {
            AzureError::Malformed { url, detail, .. } => AzureError::Malformed {
                url,
                what: format!("registry {what}"),
                detail,
            },
            other => other,
        }
    }
}

fn registry_from_model(registry: models::Registry, anonymous_pull: Option<bool>, name: &str) -> LiveRegistry {
    let props = registry.properties.unwrap_or_default();
    let policies = props.policies.unwrap_or_default();
    let retention = policies.retention_policy.unwrap_or_default();
    let enabled = |status: Option<String>, default: bool| status.map(|s| normalize::enabled(&s)).unwrap_or(default);
    LiveRegistry {
        id: registry.resource.id.unwrap_or_default(),
        name: registry.resource.name.unwrap_or_else(|| name.to_string()),
        location: normalize::location(&registry.resource.location),
        login_server: props.login_server,
        sku: text(&registry.sku.name),
        admin_enabled: props.admin_user_enabled.unwrap_or(false),
        anonymous_pull_enabled: anonymous_pull,
        public_network_access_enabled: enabled(props.public_network_access.as_ref().map(text), true),
        zone_redundancy_enabled: enabled(props.zone_redundancy.as_ref().map(text), false),
        data_endpoint_enabled: props.data_endpoint_enabled.unwrap_or(false),
        export_policy_enabled: enabled(policies.export_policy.and_then(|p| p.status).as_ref().map(text), true),
        quarantine_policy_enabled: enabled(
            policies.quarantine_policy.and_then(|p| p.status).as_ref().map(text),
            false,
        ),
        trust_policy_enabled: enabled(policies.trust_policy.and_then(|p| p.status).as_ref().map(text), false),
        retention_policy_enabled: enabled(retention.status.as_ref().map(text), false),
        retention_days: retention.days,
        network_rule_bypass_option: props.network_rule_bypass_options.as_ref().map(text),
        network_rule_set: props.network_rule_set.map(|set| LiveNetworkRuleSet {
            default_action: text(&set.default_action),
            ip_rules: normalize::set(set.ip_rules.iter().map(|r| normalize::ip_range(&r.value))),
        }),
        tags: tags_from_value(registry.resource.tags.as_ref()),
        georeplications: Vec::new(),
        webhooks: Vec::new(),
        tasks: Vec::new(),
    }
}
