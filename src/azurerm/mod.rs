//! The azurerm provider, version 4.79.0, as infra knows it: the provider's own schema for every resource type
//! infra emits, the facts the schema does not carry (which arguments force replacement, defaults), and the
//! mapping between azurerm resource types and Azure Resource Manager (`arm`: ARM types, paths, api-versions,
//! readers), used by `infra drift` and by `infra check`'s azapi mapping.
//!
//! The data is vendored in `src/azurerm/data/` (see its README for sources and licences) and built into the
//! binary, so nothing outside the repository is read at run time.

pub(crate) mod arm;
pub(crate) mod facts;
mod notes;
mod schema;

pub use notes::force_new;
pub(crate) use notes::ProviderNotes;
pub use schema::{builtin_schemas, resource_schema, resource_types};

/// The provider's source address, as `required_providers` and `.terraform.lock.hcl` name it.
pub const PROVIDER_SOURCE: &str = "hashicorp/azurerm";

/// The provider version the vendored data describes.
pub const PROVIDER_VERSION: &str = "4.79.0";

/// The hashicorp/time version whose `time_sleep` schema is vendored (`data/schema/time_sleep.json`, written from
/// the provider's Go source: see `data/README.md`).
pub const TIME_PROVIDER_VERSION: &str = "0.13.1";
