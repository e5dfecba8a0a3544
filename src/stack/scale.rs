//! `[[container_app.scale.rules]]`: scale rules beyond the HTTP one — Azure Storage queue, Service Bus, cron, TCP
//! and any other KEDA scaler — rendered into the app's `template` (azurerm 4.79.0 `azurerm_container_app`:
//! `template.azure_queue_scale_rule`, `template.custom_scale_rule`, `template.tcp_scale_rule`).
//!
//! Identity: in azurerm 4.79.0 only `custom_scale_rule` takes an identity (`identity_id`, added between 4.55.0
//! and 4.79.0: vendored schema and NOTES.md); `azure_queue_scale_rule` authenticates with a secret only (its
//! `authentication` block is required). So a queue or Service Bus rule without a secret is rendered as a custom rule
//! of KEDA type `azure-queue` / `azure-servicebus` authenticated by the app's identity (Microsoft Learn, "Set
//! scaling rules in Azure Container Apps", authentication with a managed identity). The identity's data-plane role
//! on the queue or namespace (e.g. "Storage Queue Data Reader", "Azure Service Bus Data Receiver") is granted
//! where the account lives, not by this stack. KEDA metadata names are KEDA's (keda.sh/docs/2.x/scalers:
//! azure-storage-queue, azure-service-bus, cron).

use super::names::{
    ComponentName, KedaScalerType, SecretName, ServiceBusEntityName, ServiceBusNamespace, StorageAccountName,
    StorageQueueName, TimeZone,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The name of the HTTP rule that `http_concurrent_requests` renders; no other rule may take it.
pub(crate) const HTTP_RULE: &str = "http-concurrency";

/// `[[container_app.scale.rules]]`: one scale rule; `type` says which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum ScaleRule {
    /// `type = "azure-queue"`: messages waiting in an Azure Storage queue.
    #[serde(rename = "azure-queue")]
    AzureQueue {
        /// The rule's name, unique in the app.
        name: ComponentName,
        /// The queue.
        queue_name: StorageQueueName,
        /// Add a replica per this many messages, at least 1.
        #[schemars(range(min = 1))]
        queue_length: u32,
        /// The storage account, when the app's identity reads the queue (rendered as a custom rule of KEDA type
        /// `azure-queue`); leave out with `connection_secret`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account_name: Option<StorageAccountName>,
        /// An app secret holding the account's connection string (rendered as `azure_queue_scale_rule`); leave out
        /// to authenticate with the app's identity.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        connection_secret: Option<SecretName>,
    },
    /// `type = "azure-servicebus"`: messages in a Service Bus queue or topic subscription, read with the app's
    /// identity.
    #[serde(rename = "azure-servicebus")]
    ServiceBus {
        /// The rule's name, unique in the app.
        name: ComponentName,
        /// The Service Bus namespace, e.g. `sb-orders-prod`.
        namespace: ServiceBusNamespace,
        /// The queue; or `topic_name` with `subscription_name`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        queue_name: Option<ServiceBusEntityName>,
        /// The topic, with `subscription_name`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic_name: Option<ServiceBusEntityName>,
        /// The topic's subscription.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subscription_name: Option<ServiceBusEntityName>,
        /// Add a replica per this many messages, at least 1.
        #[schemars(range(min = 1))]
        message_count: u32,
    },
    /// `type = "cron"`: hold `desired_replicas` from `start` to `end` (five-field cron expressions in `timezone`).
    #[serde(rename = "cron")]
    Cron {
        /// The rule's name, unique in the app.
        name: ComponentName,
        /// An IANA time zone, e.g. `Europe/London` or `UTC`.
        timezone: TimeZone,
        /// When the window opens: minute hour day-of-month month day-of-week.
        start: String,
        /// When the window closes.
        end: String,
        /// Replicas during the window, 1 to the app's `max_replicas`.
        #[schemars(range(min = 1))]
        desired_replicas: u32,
    },
    /// `type = "tcp"`: concurrent TCP connections.
    #[serde(rename = "tcp")]
    Tcp {
        /// The rule's name, unique in the app.
        name: ComponentName,
        /// Add a replica per this many concurrent connections, at least 1.
        #[schemars(range(min = 1))]
        concurrent_connections: u32,
    },
    /// `type = "custom"`: any KEDA scaler.
    #[serde(rename = "custom")]
    Custom {
        /// The rule's name, unique in the app.
        name: ComponentName,
        /// The KEDA scaler type, e.g. `redis` or `kafka`.
        custom_rule_type: KedaScalerType,
        /// The scaler's metadata (KEDA's names), never secrets: those go in `authentication`.
        #[schemars(extend("minProperties" = 1, "propertyNames" = { "pattern": crate::azurerm::facts::names::KEDA_PARAMETER.pattern }))]
        metadata: BTreeMap<String, String>,
        /// Authenticate with the app's identity (scalers that support managed identities).
        #[serde(default)]
        identity: bool,
        /// Trigger parameters taken from app secrets.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        authentication: Vec<ScaleAuthentication>,
    },
}

/// A KEDA trigger parameter taken from an app secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleAuthentication {
    /// The app secret (one of `[[container_app.secrets]]`).
    pub secret_name: SecretName,
    /// The scaler's parameter it fills, e.g. `connection` or `password`.
    pub trigger_parameter: String,
}

impl ScaleRule {
    /// The rule's name.
    pub fn name(&self) -> &ComponentName {
        match self {
            ScaleRule::AzureQueue { name, .. }
            | ScaleRule::ServiceBus { name, .. }
            | ScaleRule::Cron { name, .. }
            | ScaleRule::Tcp { name, .. }
            | ScaleRule::Custom { name, .. } => name,
        }
    }
}
