//! Live state seen through azurerm's eyes: each live resource as a JSON object keyed by the azurerm attribute and
//! block names the renderer writes (blocks as arrays of objects), plus the attributes azurerm exports (`id`,
//! `principal_id`, `login_server`, …) so that references in the declared configuration can be resolved.

use super::live::{LiveContainerApp, LiveRegistry};
use super::normalize;
use super::read::LiveStack;
use super::read::ACR_PULL_ROLE_ID;
use serde_json::{json, Map, Value};

/// One live object, under the azurerm resource type it corresponds to.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveObject {
    pub resource_type: &'static str,
    pub name: String,
    pub attributes: Map<String, Value>,
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Every live object, in a fixed order: resource group, registry, its webhooks and tasks, identity, role
/// assignment, workspace, environment, app.
pub fn project(live: &LiveStack) -> Vec<LiveObject> {
    let mut out = Vec::new();
    if let Some(rg) = &live.resource_group {
        out.push(LiveObject {
            resource_type: "azurerm_resource_group",
            name: rg.name.clone(),
            attributes: object(json!({ "id": rg.id, "name": rg.name, "location": rg.location, "tags": rg.tags })),
        });
    }
    if let Some(registry) = &live.registry {
        out.push(LiveObject {
            resource_type: "azurerm_container_registry",
            name: registry.name.clone(),
            attributes: registry_attributes(registry),
        });
        for webhook in &registry.webhooks {
            out.push(LiveObject {
                resource_type: "azurerm_container_registry_webhook",
                name: webhook.name.clone(),
                attributes: object(json!({
                    "id": format!("{}/webhooks/{}", registry.id, webhook.name),
                    "name": webhook.name,
                    "location": webhook.location,
                    "status": webhook.status,
                    "scope": webhook.scope,
                    "actions": webhook.actions,
                })),
            });
        }
        for task in &registry.tasks {
            out.push(LiveObject {
                resource_type: "azurerm_container_registry_task",
                name: task.name.clone(),
                attributes: object(json!({
                    "id": format!("{}/tasks/{}", registry.id, task.name),
                    "name": task.name,
                    "container_registry_id": registry.id,
                    "enabled": task.enabled,
                    "is_system_task": task.is_system_task,
                    "tags": task.tags,
                    "timer_trigger": task.timer_triggers.iter().map(|t| json!({
                        "name": t.name, "schedule": t.schedule, "enabled": t.enabled,
                    })).collect::<Vec<_>>(),
                })),
            });
        }
    }
    if let Some(identity) = &live.identity {
        out.push(LiveObject {
            resource_type: "azurerm_user_assigned_identity",
            name: identity.name.clone(),
            attributes: object(json!({
                "id": identity.id,
                "name": identity.name,
                "location": identity.location,
                "tags": identity.tags,
                "principal_id": identity.principal_id,
                "client_id": identity.client_id,
            })),
        });
    }
    if let Some(ra) = &live.acr_pull {
        let mut attributes = object(json!({
            "id": ra.id,
            "name": ra.name,
            "scope": ra.scope,
            "role_definition_id": ra.role_definition_id,
            "principal_id": ra.principal_id,
            "principal_type": ra.principal_type,
        }));
        if normalize::last_segment(&ra.role_definition_id) == ACR_PULL_ROLE_ID {
            attributes.insert("role_definition_name".into(), "AcrPull".into());
        }
        out.push(LiveObject {
            resource_type: "azurerm_role_assignment",
            name: ra.name.clone(),
            attributes,
        });
    }
    if let Some(ws) = &live.workspace {
        out.push(LiveObject {
            resource_type: "azurerm_log_analytics_workspace",
            name: ws.name.clone(),
            attributes: object(json!({
                "id": ws.id,
                "name": ws.name,
                "location": ws.location,
                "sku": ws.sku,
                "retention_in_days": ws.retention_in_days,
                "tags": ws.tags,
                "workspace_id": ws.customer_id,
            })),
        });
    }
    if let Some(env) = &live.environment {
        // The environment names its workspace by customer ID; azurerm by resource ID.
        let workspace_id = match (&env.log_analytics_customer_id, &live.workspace) {
            (Some(customer), Some(ws)) if *customer == ws.customer_id => Value::String(ws.id.clone()),
            (Some(customer), _) => Value::String(format!("(the workspace with customer ID {customer})")),
            (None, _) => Value::Null,
        };
        out.push(LiveObject {
            resource_type: "azurerm_container_app_environment",
            name: env.name.clone(),
            attributes: object(json!({
                "id": env.id,
                "name": env.name,
                "location": env.location,
                "tags": env.tags,
                "log_analytics_workspace_id": workspace_id,
                "logs_destination": env.logs_destination,
                "infrastructure_subnet_id": env.infrastructure_subnet_id,
                "internal_load_balancer_enabled": env.internal_load_balancer_enabled,
                // Exported attributes (what an internal environment's private DNS zone and record refer to).
                "default_domain": env.default_domain,
                "static_ip_address": env.static_ip_address,
                "workload_profile": env.workload_profiles.iter().map(|(name, kind)| json!({
                    "name": name, "workload_profile_type": kind,
                })).collect::<Vec<_>>(),
            })),
        });
    }
    if let Some(app) = &live.container_app {
        out.push(LiveObject {
            resource_type: "azurerm_container_app",
            name: app.name.clone(),
            attributes: app_attributes(app),
        });
    }
    out.extend(live.network.iter().chain(&live.storage).map(|n| LiveObject {
        resource_type: n.resource_type,
        name: n.name.clone(),
        attributes: n.attributes.clone(),
    }));
    out
}

fn registry_attributes(r: &LiveRegistry) -> Map<String, Value> {
    let mut map = object(json!({
        "id": r.id,
        "name": r.name,
        "location": r.location,
        "login_server": r.login_server,
        "sku": r.sku,
        "admin_enabled": r.admin_enabled,
        "public_network_access_enabled": r.public_network_access_enabled,
        "zone_redundancy_enabled": r.zone_redundancy_enabled,
        "data_endpoint_enabled": r.data_endpoint_enabled,
        "export_policy_enabled": r.export_policy_enabled,
        "quarantine_policy_enabled": r.quarantine_policy_enabled,
        "trust_policy_enabled": r.trust_policy_enabled,
        // azurerm 4.x: a retention policy that is off reads as 0 days.
        "retention_policy_in_days": if r.retention_policy_enabled { r.retention_days.unwrap_or(0) } else { 0 },
        "tags": r.tags,
        "georeplications": r.georeplications.iter().map(|g| json!({
            "location": g.location,
            "zone_redundancy_enabled": g.zone_redundancy_enabled,
            "regional_endpoint_enabled": g.regional_endpoint_enabled,
            "tags": g.tags,
        })).collect::<Vec<_>>(),
        "network_rule_set": r.network_rule_set.iter().map(|set| json!({
            "default_action": set.default_action,
            "ip_rule": set.ip_rules.iter().map(|ip| json!({ "action": "Allow", "ip_range": ip })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }));
    if let Some(bypass) = &r.network_rule_bypass_option {
        map.insert("network_rule_bypass_option".into(), bypass.clone().into());
    }
    if let Some(anonymous) = r.anonymous_pull_enabled {
        map.insert("anonymous_pull_enabled".into(), anonymous.into());
    }
    map
}

fn app_attributes(app: &LiveContainerApp) -> Map<String, Value> {
    let identity = if app.identity_type == "None" {
        Vec::new()
    } else {
        vec![json!({ "type": app.identity_type.replace(',', ", "), "identity_ids": app.identity_ids })]
    };
    object(json!({
        "id": app.id,
        "name": app.name,
        "location": app.location,
        "tags": app.tags,
        "container_app_environment_id": app.environment_id,
        "revision_mode": app.revision_mode,
        "identity": identity,
        "registry": app.registries.iter().map(|r| json!({ "server": r.server, "identity": r.identity })).collect::<Vec<_>>(),
        "ingress": app.ingress.iter().map(|i| json!({
            "external_enabled": i.external_enabled,
            "target_port": i.target_port,
            "allow_insecure_connections": i.allow_insecure_connections,
        })).collect::<Vec<_>>(),
        "template": [{
            "min_replicas": app.min_replicas,
            "max_replicas": app.max_replicas,
            "container": app.containers.iter().map(|c| json!({
                "name": c.name,
                "image": c.image,
                "cpu": c.cpu,
                "memory": c.memory,
                "env": c.env.iter().map(|e| {
                    let mut env = json!({ "name": e.name });
                    if let Some(secret) = &e.secret_name {
                        env["secret_name"] = secret.clone().into();
                    } else {
                        env["value"] = e.value.clone().map(Value::String).unwrap_or(Value::Null);
                    }
                    env
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }],
    }))
}
