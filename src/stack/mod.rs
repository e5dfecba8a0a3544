//! The typed model of a stack — one environment of the app — and its validation against Azure's rules.
//!
//! A stack file (`stacks/<name>.toml`) deserialises straight into [`Stack`]; the same types are the Rust API.
//! One file per resource type:
//!
//! | file | type | Terraform address |
//! |---|---|---|
//! | `resource_group.rs` | [`ResourceGroup`] | `azurerm_resource_group.main` |
//! | `container_registry.rs` | [`ContainerRegistry`], [`GeoReplication`], [`NetworkRules`] | `azurerm_container_registry.main` |
//! | `container_registry.rs` | [`Webhook`] | `azurerm_container_registry_webhook.<name>` |
//! | `cleanup_task.rs` | [`CleanupTask`] | `azurerm_container_registry_task.cleanup` |
//! | `identity.rs` | [`UserAssignedIdentity`] | `azurerm_user_assigned_identity.app` |
//! | `role_assignment.rs` | [`RoleAssignment`] (derived, not configured) | `azurerm_role_assignment.acr_pull` |
//! | `log_analytics.rs` | [`LogAnalyticsWorkspace`] | `azurerm_log_analytics_workspace.main` |
//! | `environment.rs` | [`ContainerAppEnvironment`] | `azurerm_container_app_environment.main` |
//! | `storage.rs` | [`Storage`]: [`StorageAccount`], [`FileShare`], [`EnvironmentStorage`] | `azurerm_storage_account.data`, `azurerm_storage_share.data`, `azurerm_container_app_environment_storage.data` |
//! | `container_app.rs` | [`ContainerApp`] and its parts | `azurerm_container_app.app` (`[container_app]`), `azurerm_container_app.<key>` (`[apps.<key>]`) |
//! | `custom_domain.rs` | [`CustomDomain`], [`DnsZone`] | `azurerm_dns_txt_record.<app>_<host>_verification`, `azurerm_dns_cname_record.<app>_<host>`, `azurerm_container_app_custom_domain.<app>_<host>`, `azurerm_container_app_environment_managed_certificate.<app>_<host>` |
//! | `container_app_job.rs` | [`ContainerAppJob`] and its trigger | `azurerm_container_app_job.<key>` (`[jobs.<key>]`) |
//! | `existing.rs` | [`Existing`]: what is referenced, not created | `data.azurerm_*` |
//! | `apps.rs` | the apps and jobs with the Terraform names each gives (resource, variables, identity) | |
//! | `scale.rs` | [`ScaleRule`] | `template.{azure_queue,custom,tcp}_scale_rule` of an app |
//! | `key_vault.rs` | [`KeyVault`] (existing, by ID) | `azurerm_role_assignment.key_vault_secrets_user` (`[container_app]`), `…_<key>` (`[apps.<key>]`, `[jobs.<key>]`) |
//! | `network.rs` | [`Network`], [`Subnet`], [`Cidr`] | `azurerm_virtual_network.main`, `azurerm_subnet.*`, `azurerm_private_endpoint.*`, … |
//! | `names.rs` | validated name newtypes | |
//! | `validate/` | rules spanning fields, one file per part of the stack (limits: `azurerm::facts::limits`) | |
//! | `load.rs`, `error.rs` | TOML with locations, [`StackError`] | |

mod apps;
mod cleanup_task;
mod container_app;
mod container_app_job;
mod container_registry;
mod custom_domain;
mod environment;
mod error;
mod existing;
mod identity;
mod key_vault;
mod load;
mod log_analytics;
pub mod names;
mod network;
mod resource_group;
mod role_assignment;
pub(crate) mod scale;
mod schema;
mod storage;
mod validate;

pub use crate::azurerm::facts::limits::Bounds;
pub(crate) use apps::{acr_pull_label, propagation_label, Deployed, Workload, SHARED};
pub use cleanup_task::CleanupTask;
pub use container_app::{
    Container, ContainerApp, Cpu, Ingress, Memory, Probe, RevisionMode, Scale, Secret, Transport, Volume, VolumeMount,
    PLACEHOLDER_IMAGE, PLACEHOLDER_PORT, PLACEHOLDER_PROBE_PATH,
};
pub use container_app_job::{ContainerAppJob, EventRule, EventTrigger, JobTrigger};
pub use container_registry::{
    ContainerRegistry, DefaultAction, GeoReplication, NetworkRules, RegistrySku, Webhook, WebhookAction, WebhookStatus,
};
pub use custom_domain::{CustomDomain, DnsZone, DomainCertificate};
pub(crate) use custom_domain::{CONTAINER_APPS_DOMAIN, RECORD_TTL};
pub use environment::ContainerAppEnvironment;
pub use error::{Diagnostic, StackError};
pub use existing::{Existing, ExistingIdentity, ExistingResource};
pub use identity::UserAssignedIdentity;
pub use key_vault::{KeyVault, KEY_VAULT_SECRETS_USER};
pub use log_analytics::LogAnalyticsWorkspace;
pub use names::{NameError, Region};
pub use network::{Cidr, CidrError, Network, NetworkSecurityGroup, PrivateEndpoints, Subnet};
pub(crate) use network::{FILE_DNS_ZONE, REGISTRY_DNS_ZONE};
pub use resource_group::ResourceGroup;
pub use role_assignment::{RoleAssignment, ACR_PULL};
pub use scale::{ScaleAuthentication, ScaleRule};
pub use schema::json_schema;
pub use storage::{AccessMode, EnvironmentStorage, FileShare, Replication, Storage, StorageAccount};
pub use validate::{Seg, Violation};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One environment of the app: everything `infra render` needs to write `terraform/<name>/`.
///
/// Load it from a stack file with [`Stack::load`], or build it in Rust and call [`Stack::validate`]:
///
#[doc = include_str!("stack-in-rust.md")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(
    missing_docs,
    reason = "the tables' fields: a doc comment would become a description in the stack JSON Schema (schemars) and change schema/stack.schema.json; each table's type is documented"
)]
pub struct Stack {
    /// The stack's name: the stack file's stem (`prod` for `stacks/prod.toml`). Also [`Stack::name`].
    #[serde(skip)]
    pub name: String,
    /// Where the stack came from, as named in messages and in the generated files' header
    /// (e.g. `stacks/prod.toml`).
    #[serde(skip)]
    pub source: String,
    /// The region of every resource (normalised form, e.g. `westeurope`).
    pub location: Region,
    /// Tags put on every resource that takes tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Remote state in an Azure storage account; local state when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<Backend>,
    pub resource_group: ResourceGroup,
    /// The registry the stack creates; not with `[existing.container_registry]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_registry: Option<ContainerRegistry>,
    /// The pull identity the stack creates; not with `[existing.identity]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<UserAssignedIdentity>,
    /// The workspace the stack creates; not with `[existing.log_analytics]` or `[existing.environment]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_analytics: Option<LogAnalyticsWorkspace>,
    /// The environment the stack creates; not with `[existing.environment]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<ContainerAppEnvironment>,
    /// What already exists and is referenced instead of created.
    #[serde(default, skip_serializing_if = "is_default")]
    pub existing: Existing,
    pub storage: Storage,
    /// The single-app form: one app, `azurerm_container_app.app`. Not with `[apps.<key>]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_app: Option<ContainerApp>,
    /// Several apps sharing the environment, registry and pull identity: `azurerm_container_app.<key>`, each with
    /// its own image-tag variable `image_tag_<key>`. Not with `[container_app]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub apps: BTreeMap<names::StackKey, ContainerApp>,
    /// Container Apps jobs: `azurerm_container_app_job.<key>`, image-tag variable `image_tag_<key>` (a key is
    /// not both an app's and a job's).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub jobs: BTreeMap<names::StackKey, ContainerAppJob>,
    /// A private network for the environment and private endpoints; the environment is public when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
}

/// `[backend]`: the `azurerm` remote-state backend — how a team shares state. The storage account and container
/// must exist already (they hold the state of every stack, so they are not part of one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backend {
    /// The resource group of the state storage account.
    pub resource_group_name: names::ResourceGroupName,
    /// The storage account that holds the state.
    pub storage_account_name: names::StorageAccountName,
    /// The blob container that holds the state.
    pub container_name: String,
    /// The state blob, e.g. `prod.tfstate`.
    pub key: String,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn display_path(path: &Path) -> String {
    let relative = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let text = relative.display().to_string();
    match text.strip_prefix("./") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

impl Stack {
    /// Reads and validates a stack file. The stack is named after the file's stem.
    ///
    /// Messages and generated headers name the file relative to the working directory when it is inside it, and
    /// without a leading `./`, so `stacks/prod.toml`, `./stacks/prod.toml` and its absolute path render the same
    /// bytes.
    pub fn load(path: &Path) -> Result<Stack, StackError> {
        let display = display_path(path);
        // A stack file is committed: read only inside the repository, so its errors cannot echo another file.
        let root = crate::fsutil::repository_of(path);
        let text = crate::fsutil::read_in_repository_text(path, &root, crate::fsutil::FILE_LIMIT)
            .map_err(|e| StackError::file(&display, format!("cannot read stack file: {e}")))?;
        Stack::from_toml(&display, &text)
    }

    /// Parses and validates a stack from TOML text; `path_for_messages` names the file in errors and gives the
    /// stack its name (its stem).
    pub fn from_toml(path_for_messages: &str, text: &str) -> Result<Stack, StackError> {
        load::from_toml(path_for_messages, text)
    }

    /// The stack's name, e.g. `prod`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks the stack's name (`names::STACK_NAME`) and the rules that span fields (SKU gates, CPU/memory
    /// pairs, replica limits, probe ranges, volume references). Stacks read from files are already checked; call
    /// this on stacks built in Rust. Errors name the field but carry no line and column.
    pub fn validate(&self) -> Result<(), StackError> {
        let file = if self.source.is_empty() {
            &self.name
        } else {
            &self.source
        };
        let name = names::stack_name_error(&self.name).map(|e| Diagnostic {
            file: file.clone(),
            line_col: None,
            field: String::new(),
            message: e.message,
            help: vec![e.help],
        });
        let diagnostics: Vec<Diagnostic> = name
            .into_iter()
            .chain(self.violations().into_iter().map(|v| Diagnostic {
                file: file.clone(),
                line_col: None,
                field: v.field(),
                message: v.message,
                help: v.help,
            }))
            .collect();
        if diagnostics.is_empty() {
            return Ok(());
        }
        Err(StackError { diagnostics })
    }

    /// Every broken cross-field rule, with the path of the field at fault.
    pub fn violations(&self) -> Vec<Violation> {
        validate::violations(self)
    }

    /// The AcrPull assignment of the app's identity on the registry.
    pub fn acr_pull(&self) -> RoleAssignment {
        RoleAssignment::acr_pull(self)
    }

    /// The stack as TOML (the stack file format).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a stack always serialises")
    }
}

/// The stack files (`*.toml`) of a stacks directory, sorted by name. The error says what is wrong and how to fix
/// it: a directory that cannot be read, or one that holds no stack.
pub fn stack_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, StackFilesError> {
    let entries = std::fs::read_dir(dir).map_err(|source| StackFilesError::Unreadable {
        dir: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(StackFilesError::Empty(dir.to_path_buf()));
    }
    Ok(files)
}

/// Why a stacks directory gives no stack files.
#[derive(Debug, thiserror::Error)]
pub enum StackFilesError {
    /// The directory cannot be read (usually: infra runs outside the repository root).
    #[error(
        "cannot read stacks directory {}: {source}; run infra from the repository root (where stacks/ is)",
        dir.display()
    )]
    Unreadable {
        /// The stacks directory.
        dir: std::path::PathBuf,
        /// Why it cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// The directory holds no `*.toml` file.
    #[error("no stacks (*.toml) in {}: add one per environment, e.g. {}/dev.toml", .0.display(), .0.display())]
    Empty(std::path::PathBuf),
}
