//! `infra drift`: comparing a stack with what is live in Azure. What it reads, where and how each ARM body
//! becomes the document form is the ARM mapping's (`crate::azurerm::arm`).
//!
//! | module | holds |
//! |---|---|
//! | `azure` | the one place that holds the credential and the clients (azure_identity, azure_core, azure_mgmt_containerregistry) |
//! | `network` | reading `[network]`: virtual network, subnets, NSGs, private endpoints, private DNS zones and links |
//! | `storage` | reading the storage account (firewall, SAS policy, TLS, shared keys), its share and the environment's storage |
//! | `read` | reading a stack's resources, in order, into a [`LiveStack`] |
//! | `changes` | a drift report as the diff module's change model, rendered by its text / Markdown / JSON views |
//! | `bodies` | the declared bodies (values resolved against the live objects) and the live objects as the differ's bodies |
//! | `compare` | the declared configuration against the live objects on the shared differ, values normalised by `azurerm::facts::normalize` |

pub(crate) mod azure;
mod bodies;
pub(crate) mod changes;
pub(crate) mod compare;
pub(crate) mod network;
pub(crate) mod read;
pub(crate) mod storage;

pub use crate::azurerm::arm::LiveObject;
pub use azure::{Azure, AzureError, AzureSettings, CredentialSettings, RetrySettings};
pub use changes::to_change_set;
pub use compare::{compare, Difference, DriftReport, ResourceDrift, Status};
pub use network::NetworkTarget;
pub use read::{read_live_blocking, LiveStack, Target, TargetError};
pub use storage::StorageTarget;
