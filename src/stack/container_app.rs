//! `azurerm_container_app.app`: the web service — its container, probes, scaling, volumes and ingress
//! (NOTES.md §10).
//!
//! The app pulls its image from the stack's registry with the stack's user-assigned identity; the image is
//! `<registry login server>/<repository>:<var.image_tag>`, so CI can deploy a new tag without re-rendering.

use super::names::{ComponentName, ContainerAppName, EnvironmentStorageName, Repository, SecretName};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The public image the app runs while `var.image_tag` is null: on the first apply the stack's registry is still
/// empty (the image cannot exist before the registry does) and Azure validates the image when it creates the app
/// (`MANIFEST_UNKNOWN`, or a hang: microsoft/azure-container-apps#646). It is the image the Azure portal and
/// `az containerapp up` start with (MicrosoftDocs/azure-docs#117893); it serves HTTP on port 80.
pub const PLACEHOLDER_IMAGE: &str = "mcr.microsoft.com/k8se/quickstart:latest";
/// The port the placeholder listens on (ingress target port and probes while it runs).
pub const PLACEHOLDER_PORT: u32 = 80;
/// A path the placeholder answers with 200 (its probes while it runs).
pub const PLACEHOLDER_PROBE_PATH: &str = "/";

/// `[container_app]`: the web service (`azurerm_container_app.app`): its container, ingress, scaling, volumes and
/// secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContainerApp {
    /// The app's name: 2–32 lower-case letters, digits and single `-`, starting with a letter.
    pub name: ContainerAppName,
    /// `Single` (one active revision) or `Multiple`.
    #[serde(default)]
    pub revision_mode: RevisionMode,
    /// How the app is reached; without it the app has no URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<Ingress>,
    /// The app's main container: its image is the app's image-tag variable's tag, and its port is the ingress's.
    pub container: Container,
    /// Containers that run to completion, in order, before the app's containers start (e.g. a database
    /// migration); same registry and image-tag variable as the main container; no probes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    /// More containers beside the main one in every replica (e.g. a log shipper), from the stack's registry with
    /// the app's image tag; CPU and memory of all containers together make the Consumption pair.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sidecars: Vec<Container>,
    /// An identity of this app's own (`[apps.<key>.identity]`): the app pulls with it instead of the stack's
    /// `[identity]`, and it gets its own AcrPull grant. Only in `[apps.<key>]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<super::UserAssignedIdentity>,
    /// Replica limits and the HTTP scale rule; 0 to 10 replicas when unset.
    #[serde(default)]
    pub scale: Scale,
    /// Volumes the container can mount, each backed by the environment storage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// App secrets. Their values are never in the stack or the rendered files: each is a sensitive Terraform
    /// variable (`secret_<name>`), set at plan time (e.g. `TF_VAR_secret_database_url` from the CI secret store),
    /// or read from `[container_app.key_vault]` (`key_vault_secret`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    /// An existing Key Vault that secrets with `key_vault_secret` are read from with the app's identity; without
    /// it they are read from `[existing.key_vault]` (given by `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<super::KeyVault>,
    /// Host names of the app's own (`[[…custom_domains]]`), each with a managed certificate; the app needs
    /// external ingress.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_domains: Vec<super::CustomDomain>,
}

/// `[[container_app.secrets]]`: a secret of the app, optionally exposed to the container as an environment
/// variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    /// The secret's name, unique in the app.
    pub name: SecretName,
    /// The environment variable that carries it, e.g. `DATABASE_URL`: letters, digits and `_`, not starting with a
    /// digit, not also set in `[container_app.container.env]` or by another secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(crate::azurerm::facts::limits::ENV_NAME))]
    pub env: Option<String>,
    /// The secret's name in the app's or job's `key_vault` (else `[existing.key_vault]`): it reads the latest
    /// version with its identity, and no variable is rendered for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault_secret: Option<super::names::KeyVaultSecretName>,
}

impl Secret {
    /// The sensitive Terraform variable holding the value: `secret_` + the name with `-` as `_`.
    pub fn variable(&self) -> String {
        format!("secret_{}", self.name.as_str().replace('-', "_"))
    }

    /// Whether the value comes from [`Secret::variable`]: not for a secret read from Key Vault.
    pub fn has_variable(&self) -> bool {
        self.key_vault_secret.is_none()
    }
}

/// Single (one active revision) or Multiple.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum RevisionMode {
    #[default]
    Single,
    Multiple,
}

impl RevisionMode {
    /// The name azurerm takes (`Single`).
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionMode::Single => "Single",
            RevisionMode::Multiple => "Multiple",
        }
    }
}

/// `[container_app.ingress]`: HTTPS ingress, all traffic to the latest revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    /// Reachable from the internet (true) or only inside the environment.
    #[serde(default = "yes")]
    pub external_enabled: bool,
    /// The port the container listens on, 1–65535.
    #[schemars(range(min = crate::azurerm::facts::limits::PORT.min, max = crate::azurerm::facts::limits::PORT.max))]
    pub target_port: u32,
    /// Plain HTTP allowed as well as HTTPS; keep it off.
    #[serde(default)]
    pub allow_insecure_connections: bool,
}

fn yes() -> bool {
    true
}

/// `[container_app.container]`: the app's one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Container {
    /// The container's name.
    pub name: ComponentName,
    /// The image repository in the stack's registry, e.g. `fastapi-app`; the tag is the `image_tag` variable.
    pub image: Repository,
    /// Default of the `image_tag` variable. Leave it out for a stack that has never been deployed: the variable is
    /// then null and the app runs a public placeholder image until CI pushes the first image and applies with
    /// `-var image_tag=…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    /// vCPU, 0.25–4.0 in steps of 0.25.
    pub cpu: Cpu,
    /// Memory, e.g. `"1Gi"`: on the Consumption profile exactly 2 GiB per vCPU (`cpu = 0.5` takes `"1Gi"`; the
    /// pair is checked by `infra render`).
    pub memory: Memory,
    /// Plain environment variables (never secrets); names are letters, digits and `_`, not starting with a digit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("propertyNames" = { "pattern": crate::azurerm::facts::limits::ENV_NAME }))]
    pub env: BTreeMap<String, String>,
    /// Restarts the container when it fails; Azure's default probe when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// Keeps traffic away until the container is ready; Azure's default probe when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// Where volumes of `[[container_app.volumes]]` appear in the container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
}

/// vCPU of a container: 0.25 to 4.0 in steps of 0.25 (the Consumption profile), held as quarter cores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Cpu(u8);

impl Cpu {
    /// From cores, e.g. `Cpu::new(0.5)`.
    pub fn new(cores: f64) -> Result<Cpu, super::names::NameError> {
        if crate::azurerm::facts::compute::consumption_cpu(cores) {
            Ok(Cpu((cores * 4.0).round() as u8))
        } else {
            Err(super::names::NameError {
                message: format!("cpu = {cores} is not a Consumption vCPU amount"),
                help: "cpu is 0.25 to 4.0 in steps of 0.25, e.g. 0.5".to_string(),
            })
        }
    }

    /// The number of cores.
    pub fn cores(self) -> f64 {
        f64::from(self.0) / 4.0
    }

    /// The memory that pairs with this CPU on Consumption (2 GiB per vCPU), e.g. `"1Gi"` for 0.5.
    pub(crate) fn matching_memory(self) -> String {
        format!("{}Gi", crate::azurerm::facts::compute::memory_for(self.cores()))
    }
}

/// 0.25 to 4.0 in steps of 0.25: `minimum`, `maximum` and `multipleOf` from the Consumption facts.
impl schemars::JsonSchema for Cpu {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cpu".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        use crate::azurerm::facts::compute::{CPU_STEP, MAX_CPU};
        schemars::json_schema!({
            "type": "number",
            "description": format!("vCPU of the container on the Consumption profile: {CPU_STEP} to {MAX_CPU} in steps of {CPU_STEP}."),
            "minimum": CPU_STEP,
            "maximum": MAX_CPU,
            "multipleOf": CPU_STEP,
        })
    }
}

impl TryFrom<f64> for Cpu {
    type Error = super::names::NameError;
    fn try_from(cores: f64) -> Result<Cpu, Self::Error> {
        Cpu::new(cores)
    }
}

impl From<Cpu> for f64 {
    fn from(cpu: Cpu) -> f64 {
        cpu.cores()
    }
}

/// Memory of a container, written `"<GiB>Gi"` (`"0.5Gi"`, `"1Gi"`, `"1.5Gi"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Memory {
    text: String,
    gib: f64,
}

impl Memory {
    /// A memory size as Azure writes it (`"1Gi"`, `"0.5Gi"`); an error when it is not one.
    pub fn new(text: impl Into<String>) -> Result<Memory, super::names::NameError> {
        let text = text.into();
        match crate::azurerm::facts::compute::gib(&text) {
            Some(gib) => Ok(Memory { text, gib }),
            None => Err(super::names::NameError {
                message: format!("memory = {text:?} is not an amount of memory"),
                help: "write memory in GiB with the Gi suffix, e.g. \"1Gi\" or \"0.5Gi\"".to_string(),
            }),
        }
    }

    pub(crate) fn gib(&self) -> f64 {
        self.gib
    }

    /// The size as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// `"<GiB>Gi"`: `pattern` from the Consumption facts.
impl schemars::JsonSchema for Memory {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Memory".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Memory of the container in GiB with the Gi suffix, e.g. \"1Gi\" or \"0.5Gi\".",
            "pattern": crate::azurerm::facts::compute::MEMORY_PATTERN,
        })
    }
}

impl TryFrom<String> for Memory {
    type Error = super::names::NameError;
    fn try_from(text: String) -> Result<Memory, Self::Error> {
        Memory::new(text)
    }
}

impl From<Memory> for String {
    fn from(m: Memory) -> String {
        m.text
    }
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// How a probe reaches the container.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(
    missing_docs,
    reason = "a doc comment here would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; the enum's doc says what the values are"
)]
pub enum Transport {
    #[default]
    HTTP,
    HTTPS,
    TCP,
}

impl Transport {
    /// The name azurerm takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::HTTP => "HTTP",
            Transport::HTTPS => "HTTPS",
            Transport::TCP => "TCP",
        }
    }
}

/// `[container_app.container.liveness_probe]` / `readiness_probe`. Unset timings keep Azure's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// How the probe reaches the container: `HTTP`, `HTTPS` or `TCP`.
    #[serde(default)]
    pub transport: Transport,
    /// The port probed, 1–65535.
    #[schemars(range(min = crate::azurerm::facts::limits::PORT.min, max = crate::azurerm::facts::limits::PORT.max))]
    pub port: u32,
    /// The path requested, e.g. `/health`; HTTP and HTTPS only, not with `transport = "TCP"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Seconds before the first probe, 0–60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::PROBE_INITIAL_DELAY.min, max = crate::azurerm::facts::limits::PROBE_INITIAL_DELAY.max))]
    pub initial_delay: Option<u32>,
    /// Seconds between probes, 1–240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::PROBE_SECONDS.min, max = crate::azurerm::facts::limits::PROBE_SECONDS.max))]
    pub interval_seconds: Option<u32>,
    /// Seconds a probe may take, 1–240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::PROBE_SECONDS.min, max = crate::azurerm::facts::limits::PROBE_SECONDS.max))]
    pub timeout: Option<u32>,
    /// Failed probes in a row before the container counts as failed: 1–30 for liveness, 1–48 for readiness (the
    /// schema allows 1–48; the liveness limit is checked by `infra render`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::LIVENESS_FAILURES.min, max = crate::azurerm::facts::limits::READINESS_FAILURES.max))]
    pub failure_count_threshold: Option<u32>,
    /// Successful probes in a row before the container counts as ready, 1–10; readiness probes only (checked by
    /// `infra render`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::READINESS_SUCCESSES.min, max = crate::azurerm::facts::limits::READINESS_SUCCESSES.max))]
    pub success_count_threshold: Option<u32>,
}

impl Probe {
    /// An HTTP probe of `path` on `port` with Azure's default timings.
    pub fn http(port: u32, path: &str) -> Probe {
        Probe {
            transport: Transport::HTTP,
            port,
            path: Some(path.to_string()),
            initial_delay: None,
            interval_seconds: None,
            timeout: None,
            failure_count_threshold: None,
            success_count_threshold: None,
        }
    }
}

/// `[container_app.scale]`: replica limits and the HTTP scale rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The fewest replicas, 0–300 and at most `max_replicas`; 0 lets the app scale to zero.
    #[serde(default)]
    #[schemars(range(min = crate::azurerm::facts::limits::MIN_REPLICAS.min, max = crate::azurerm::facts::limits::MIN_REPLICAS.max))]
    pub min_replicas: u32,
    /// The most replicas, 1–300 and at least `min_replicas` (checked by `infra render`).
    #[serde(default = "Scale::default_max")]
    #[schemars(range(min = crate::azurerm::facts::limits::MAX_REPLICAS.min, max = crate::azurerm::facts::limits::MAX_REPLICAS.max))]
    pub max_replicas: u32,
    /// Add a replica per this many concurrent HTTP requests (at least 1); no HTTP rule when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = crate::azurerm::facts::limits::MIN_HTTP_CONCURRENT_REQUESTS))]
    pub http_concurrent_requests: Option<u32>,
    /// Scale rules beyond HTTP: Azure queue, Service Bus, cron, TCP and custom KEDA rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<super::ScaleRule>,
}

impl Scale {
    fn default_max() -> u32 {
        10
    }
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            min_replicas: 0,
            max_replicas: Scale::default_max(),
            http_concurrent_requests: None,
            rules: Vec::new(),
        }
    }
}

/// `[[container_app.volumes]]`: an Azure Files volume backed by an environment storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// The volume's name, as volume mounts name it.
    pub name: ComponentName,
    /// The name of `[storage.environment_storage]` (checked by `infra render`).
    pub storage_name: EnvironmentStorageName,
}

/// `[[container_app.container.volume_mounts]]`: where a volume appears in the container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VolumeMount {
    /// The name of one of `[[container_app.volumes]]` (checked by `infra render`).
    pub name: ComponentName,
    /// Absolute path in the container, e.g. `/data`.
    #[schemars(pattern(crate::azurerm::facts::limits::MOUNT_PATH))]
    pub path: String,
}
