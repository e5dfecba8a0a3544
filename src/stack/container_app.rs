//! `azurerm_container_app.app`: the web service — its container, probes, scaling, volumes and ingress
//! (NOTES.md §10).
//!
//! The app pulls its image from the stack's registry with the stack's user-assigned identity; the image is
//! `<registry login server>/<repository>:<var.image_tag>`, so CI can deploy a new tag without re-rendering.

use super::names::{ComponentName, ContainerAppName, EnvironmentStorageName, Repository, SecretName};
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

/// `[container_app]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerApp {
    /// 2–32 lower-case letters, digits and `-`.
    pub name: ContainerAppName,
    #[serde(default)]
    pub revision_mode: RevisionMode,
    /// How the app is reached; without it the app has no URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<Ingress>,
    pub container: Container,
    #[serde(default)]
    pub scale: Scale,
    /// Volumes the container can mount, each backed by an environment storage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// App secrets. Their values are never in the stack or the rendered files: each is a sensitive Terraform
    /// variable (`secret_<name>`), set at plan time (e.g. `TF_VAR_secret_database_url` from the CI secret store).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
}

/// `[[container_app.secrets]]`: a secret of the app, optionally exposed to the container as an environment
/// variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    pub name: SecretName,
    /// The environment variable that carries it, e.g. `DATABASE_URL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
}

impl Secret {
    /// The sensitive Terraform variable holding the value: `secret_` + the name with `-` as `_`.
    pub fn variable(&self) -> String {
        format!("secret_{}", self.name.as_str().replace('-', "_"))
    }
}

/// Single (one active revision) or Multiple.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevisionMode {
    #[default]
    Single,
    Multiple,
}

impl RevisionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionMode::Single => "Single",
            RevisionMode::Multiple => "Multiple",
        }
    }
}

/// `[container_app.ingress]`: HTTPS ingress, all traffic to the latest revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    /// Reachable from the internet (true) or only inside the environment.
    #[serde(default = "yes")]
    pub external_enabled: bool,
    /// The port the container listens on, 1–65535.
    pub target_port: u32,
    /// Plain HTTP allowed as well as HTTPS; keep it off.
    #[serde(default)]
    pub allow_insecure_connections: bool,
}

fn yes() -> bool {
    true
}

/// `[container_app.container]`: the app's one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Container {
    pub name: ComponentName,
    /// The image repository in the stack's registry, e.g. `fastapi-app`; the tag is the `image_tag` variable.
    pub image: Repository,
    /// Default of the `image_tag` variable. Leave it out for a stack that has never been deployed: the variable is
    /// then null and the app runs [`PLACEHOLDER_IMAGE`] until CI pushes the first image and applies with
    /// `-var image_tag=…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag: Option<String>,
    /// vCPU, 0.25–4.0 in steps of 0.25.
    pub cpu: Cpu,
    /// Memory, e.g. `"1Gi"`; with Consumption, memory must be 2 × cpu.
    pub memory: Memory,
    /// Plain environment variables (never secrets).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
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

    pub fn cores(self) -> f64 {
        f64::from(self.0) / 4.0
    }

    /// The memory that pairs with this CPU on Consumption (2 GiB per vCPU), e.g. `"1Gi"` for 0.5.
    pub fn matching_memory(self) -> String {
        format!("{}Gi", crate::azurerm::facts::compute::memory_for(self.cores()))
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

    pub fn gib(&self) -> f64 {
        self.gib
    }

    pub fn as_str(&self) -> &str {
        &self.text
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transport {
    #[default]
    HTTP,
    HTTPS,
    TCP,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::HTTP => "HTTP",
            Transport::HTTPS => "HTTPS",
            Transport::TCP => "TCP",
        }
    }
}

/// `[container_app.container.liveness_probe]` / `readiness_probe`. Unset timings keep Azure's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    #[serde(default)]
    pub transport: Transport,
    /// 1–65535.
    pub port: u32,
    /// HTTP(S) only, e.g. `/health`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Seconds before the first probe, 0–60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay: Option<u32>,
    /// 1–240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u32>,
    /// 1–240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// 1–30 (liveness), 1–48 (readiness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_count_threshold: Option<u32>,
    /// Readiness only, 1–10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// 0–300; 0 lets the app scale to zero.
    #[serde(default)]
    pub min_replicas: u32,
    /// 1–300, at least `min_replicas`.
    #[serde(default = "Scale::default_max")]
    pub max_replicas: u32,
    /// Add a replica per this many concurrent HTTP requests (≥ 1); no HTTP rule when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_concurrent_requests: Option<u32>,
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
        }
    }
}

/// `[[container_app.volumes]]`: an Azure Files volume backed by an environment storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    pub name: ComponentName,
    /// Names `[storage.environment_storage]`.
    pub storage_name: EnvironmentStorageName,
}

/// `[[container_app.container.volume_mounts]]`: where a volume appears in the container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeMount {
    /// Names one of `[[container_app.volumes]]`.
    pub name: ComponentName,
    /// Absolute path, e.g. `/data`.
    pub path: String,
}
