//! `infra drift`: comparing a stack with what is live in Azure.
//!
//! | module | holds |
//! |---|---|
//! | [`azure`] | the one place that holds the credential and the clients (azure_identity, azure_core, azure_mgmt_containerregistry) |
//! | [`live`] | typed live state: exactly the properties infra renders, normalised |
//! | [`normalize`] | what Azure normalises (location, resource-ID case, `/32`, set order) |
//! | [`network`] | reading `[network]`: virtual network, subnets, NSGs, private endpoints, private DNS zones and links |
//! | [`storage`] | reading the storage account (firewall, SAS policy, TLS, shared keys), its share and the environment's storage |
//! | [`read`] | reading a stack's resources, in order, into a [`read::LiveStack`] |
//! | [`project`] | live state under azurerm's attribute names (and exported attributes, for references) |
//! | [`changes`] | a drift report as the diff module's change model, rendered by its text / Markdown / JSON views |
//! | [`compare`] | the declared configuration against the live objects: what drifted, what is missing, what is extra |

pub mod azure;
pub mod changes;
pub mod compare;
pub mod live;
pub mod network;
pub mod normalize;
pub mod project;
pub mod read;
pub mod storage;
