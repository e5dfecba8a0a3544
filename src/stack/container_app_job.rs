//! `azurerm_container_app_job.<key>`: a Container Apps job — a container that runs to completion, started by
//! hand, on a schedule or by events — in the stack's environment, pulling from the stack's registry like the apps.
//!
//! Schema: azurerm 4.79.0 `azurerm_container_app_job` (`src/azurerm/data/schema/azurerm_container_app_job.json`):
//! exactly one of `manual_trigger_config`, `schedule_trigger_config`, `event_trigger_config`
//! (internal/services/containerapps/container_app_job_resource.go, `ExactlyOneOf`), `replica_timeout_in_seconds`
//! required and at least 1.

use super::container_app::{Container, Secret};
use super::names::{ComponentName, ContainerAppJobName};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[jobs.<key>]`: a Container Apps job (`azurerm_container_app_job.<key>`) with its container, trigger and
/// secrets; it pulls with the stack's identity (or its own), after that identity's AcrPull grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerAppJob {
    /// The job's name: 2–32 lower-case letters, digits and single `-`, starting with a letter.
    pub name: ContainerAppJobName,
    /// What starts an execution: `Manual` (`az containerapp job start`), `Schedule` (`cron_expression`) or
    /// `Event` (`[jobs.<key>.event]`).
    pub trigger: JobTrigger,
    /// Five cron fields, minute hour day-of-month month day-of-week, in UTC; `trigger = "Schedule"` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
    /// The event scaler that starts executions; `trigger = "Event"` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventTrigger>,
    /// Replicas run in parallel per execution (at least 1); Azure's default (1) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub parallelism: Option<u32>,
    /// Replicas that must succeed for the execution to succeed (at least 1); Azure's default (1) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub replica_completion_count: Option<u32>,
    /// Seconds a replica may run before it is stopped (at least 1).
    #[schemars(range(min = 1))]
    pub replica_timeout_in_seconds: u32,
    /// Retries of a failed replica (0 or more); Azure's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_retry_limit: Option<u32>,
    /// The job's container, from the stack's registry with the tag of the variable `image_tag_<key>`.
    pub container: Container,
    /// Job secrets, as for apps: each value is a sensitive variable (`secret_<key>_<name>`), never in a file, or
    /// read from Key Vault (`key_vault_secret`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    /// An identity of this job's own: it pulls with it instead of the stack's `[identity]`, and it gets its own
    /// AcrPull grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<super::UserAssignedIdentity>,
    /// An existing Key Vault that secrets with `key_vault_secret` are read from with the job's identity, as for
    /// apps; without it they are read from `[existing.key_vault]` (given by `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<super::KeyVault>,
}

/// What starts a job's executions (azurerm's `manual_trigger_config`, `schedule_trigger_config`,
/// `event_trigger_config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars); the enum's doc says what the values are"
)]
pub enum JobTrigger {
    Manual,
    Schedule,
    Event,
}

/// `[jobs.<key>.event]`: the KEDA scaler that starts executions of an event-driven job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventTrigger {
    /// The fewest executions per polling interval (0 or more); Azure's default (0) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_executions: Option<u32>,
    /// The most executions per polling interval (at least 1); Azure's default (100) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_executions: Option<u32>,
    /// Seconds between polls of the event source (at least 1); Azure's default (30) when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub polling_interval_in_seconds: Option<u32>,
    /// The scale rules (at least one).
    pub rules: Vec<EventRule>,
}

/// `[[jobs.<key>.event.rules]]`: one KEDA scaler, e.g. `custom_rule_type = "azure-queue"` with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRule {
    /// The rule's name.
    pub name: ComponentName,
    /// The KEDA scaler type, e.g. `azure-queue`, `azure-servicebus`.
    pub custom_rule_type: String,
    /// The scaler's metadata (plain settings, never secrets), e.g. `queueName`, `queueLength`, `accountName`.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

impl JobTrigger {
    /// The azurerm block that configures this trigger.
    pub(crate) fn block_name(self) -> &'static str {
        match self {
            JobTrigger::Manual => "manual_trigger_config",
            JobTrigger::Schedule => "schedule_trigger_config",
            JobTrigger::Event => "event_trigger_config",
        }
    }
}
