//! One `[[container_app.scale.rules]]` as a block of the app's `template` (azurerm 4.79.0 `azurerm_container_app`
//! schema): `azure_queue_scale_rule` with a connection-string secret, `tcp_scale_rule`, and `custom_scale_rule`
//! for the rest — queue and Service Bus read with the identity the app runs with (`identity_id`, the only scale rule that takes
//! one in 4.79.0), cron and any KEDA scaler. KEDA metadata names: keda.sh/docs/2.x/scalers.

use crate::stack::names::ServiceBusEntityName;
use crate::stack::ScaleRule;
use crate::terraform::{Block, Expression};

/// The trigger parameter of KEDA's azure-queue scaler that takes a connection string
/// (keda.sh/docs/2.x/scalers/azure-storage-queue: `connection`).
const QUEUE_CONNECTION: &str = "connection";

/// The block of `rule`; `identity` is the ID of the identity the app runs with.
pub(super) fn block(rule: &ScaleRule, identity: Expression) -> Block {
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
                .block(authentication(secret.as_str(), QUEUE_CONNECTION)),
            (None, account) => custom(name.as_str(), "azure-queue")
                .attr(
                    "metadata",
                    metadata(&[
                        ("accountName", account.as_ref().map(|a| a.as_str()).unwrap_or_default()),
                        ("queueLength", &queue_length.to_string()),
                        ("queueName", queue_name.as_str()),
                    ]),
                )
                .attr("identity_id", identity),
        },
        ScaleRule::ServiceBus {
            name,
            namespace,
            queue_name,
            topic_name,
            subscription_name,
            message_count,
        } => {
            let entities = [
                ("queueName", queue_name),
                ("subscriptionName", subscription_name),
                ("topicName", topic_name),
            ];
            service_bus(name.as_str(), namespace.as_str(), entities, *message_count, identity)
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
            authentication: auth,
        } => {
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut b = custom(name.as_str(), custom_rule_type.as_str())
                .attr("metadata", metadata(&pairs))
                .attr_opt("identity_id", with_identity.then_some(identity));
            for a in auth {
                b = b.block(authentication(a.secret_name.as_str(), &a.trigger_parameter));
            }
            b
        }
    }
}

/// A Service Bus rule: KEDA's `azure-servicebus` read with the app's identity; `entities` are the queue, or the
/// topic and its subscription, by KEDA metadata name.
fn service_bus(
    name: &str,
    namespace: &str,
    entities: [(&str, &Option<ServiceBusEntityName>); 3],
    message_count: u32,
    identity: Expression,
) -> Block {
    let count = message_count.to_string();
    let mut pairs = vec![("messageCount", count.as_str()), ("namespace", namespace)];
    for (key, value) in entities {
        if let Some(value) = value {
            pairs.push((key, value.as_str()));
        }
    }
    custom(name, "azure-servicebus")
        .attr("metadata", metadata(&pairs))
        .attr("identity_id", identity)
}

/// An `authentication` block: a trigger parameter taken from an app secret.
fn authentication(secret_name: &str, trigger_parameter: &str) -> Block {
    Block::new("authentication")
        .attr("secret_name", secret_name)
        .attr("trigger_parameter", trigger_parameter)
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
