//! One `[[container_app.scale.rules]]` as a block of the app's `template` (azurerm 4.79.0 `azurerm_container_app`
//! schema): `azure_queue_scale_rule` with a connection-string secret, `tcp_scale_rule`, and `custom_scale_rule`
//! for the rest — queue and Service Bus read with the app's identity (`identity_id`, the only scale rule that takes
//! one in 4.79.0), cron and any KEDA scaler. KEDA metadata names: keda.sh/docs/2.x/scalers.

use super::common::r;
use crate::stack::ScaleRule;
use crate::terraform::{Block, Expression};

/// The trigger parameter of KEDA's azure-queue scaler that takes a connection string
/// (keda.sh/docs/2.x/scalers/azure-storage-queue: `connection`).
const QUEUE_CONNECTION: &str = "connection";

pub(super) fn block(rule: &ScaleRule) -> Block {
    let identity = || r("azurerm_user_assigned_identity.app.id");
    match rule {
        ScaleRule::AzureQueue {
            name,
            queue_name,
            queue_length,
            account_name,
            connection_secret,
        } => match (connection_secret, account_name) {
            (Some(secret), _) => Block::new("azure_queue_scale_rule")
                .attr("name", name.as_str())
                .attr("queue_name", queue_name.as_str())
                .attr("queue_length", u64::from(*queue_length))
                .block(
                    Block::new("authentication")
                        .attr("secret_name", secret.as_str())
                        .attr("trigger_parameter", QUEUE_CONNECTION),
                ),
            (None, account) => custom(name.as_str(), "azure-queue")
                .attr(
                    "metadata",
                    metadata(&[
                        ("accountName", account.as_ref().map(|a| a.as_str()).unwrap_or_default()),
                        ("queueLength", &queue_length.to_string()),
                        ("queueName", queue_name.as_str()),
                    ]),
                )
                .attr("identity_id", identity()),
        },
        ScaleRule::ServiceBus {
            name,
            namespace,
            queue_name,
            topic_name,
            subscription_name,
            message_count,
        } => {
            let count = message_count.to_string();
            let mut pairs = vec![("messageCount", count.as_str()), ("namespace", namespace.as_str())];
            for (key, value) in [
                ("queueName", queue_name),
                ("subscriptionName", subscription_name),
                ("topicName", topic_name),
            ] {
                if let Some(value) = value {
                    pairs.push((key, value.as_str()));
                }
            }
            custom(name.as_str(), "azure-servicebus")
                .attr("metadata", metadata(&pairs))
                .attr("identity_id", identity())
        }
        ScaleRule::Cron {
            name,
            timezone,
            start,
            end,
            desired_replicas,
        } => custom(name.as_str(), "cron").attr(
            "metadata",
            metadata(&[
                ("desiredReplicas", &desired_replicas.to_string()),
                ("end", end),
                ("start", start),
                ("timezone", timezone.as_str()),
            ]),
        ),
        // The provider names the threshold `concurrent_requests` and types it as a string.
        ScaleRule::Tcp {
            name,
            concurrent_connections,
        } => Block::new("tcp_scale_rule")
            .attr("name", name.as_str())
            .attr("concurrent_requests", concurrent_connections.to_string()),
        ScaleRule::Custom {
            name,
            custom_rule_type,
            metadata: values,
            identity: with_identity,
            authentication,
        } => {
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut b = custom(name.as_str(), custom_rule_type.as_str())
                .attr("metadata", metadata(&pairs))
                .attr_opt("identity_id", with_identity.then(identity));
            for a in authentication {
                b = b.block(
                    Block::new("authentication")
                        .attr("secret_name", a.secret_name.as_str())
                        .attr("trigger_parameter", a.trigger_parameter.as_str()),
                );
            }
            b
        }
    }
}

fn custom(name: &str, rule_type: &str) -> Block {
    Block::new("custom_scale_rule")
        .attr("name", name)
        .attr("custom_rule_type", rule_type)
}

/// A `map(string)` of KEDA metadata, keys in the given order.
fn metadata(pairs: &[(&str, &str)]) -> Expression {
    let mut obj = hcl::Object::new();
    for (k, v) in pairs {
        obj.insert(hcl::ObjectKey::from(*k), Expression::from(*v));
    }
    Expression::Object(obj)
}
