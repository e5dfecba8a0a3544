//! The Terraform document: what a configuration says, as files of blocks, attributes and expressions.
//!
//! The renderer builds it, `hcl` and `json` write it (`.tf` / `.tf.json`) and read it back, and `diff`
//! and `check` work on it — so they serve hand-written Terraform as well as ours.
//!
//! Expressions are [`hcl::Expression`](::hcl::Expression) values: references stay references
//! (`azurerm_container_registry.main.id`), never a guess at their value.

mod address;
mod body;
mod config;
pub mod eval;
pub mod expr;
pub(crate) mod hcl;
pub(crate) mod json;
mod location;
pub(crate) mod providers;
pub mod schema;

pub(crate) use address::segments;
pub use address::{Address, Mode};
pub use body::{Attribute, Block, Body, Structure};
pub(crate) use config::parent_dir;
pub use config::{Config, File, Format, ReadError, Resource};
pub(crate) use location::LineIndex;
pub use location::Location;
pub use schema::Schemas;

/// A Terraform expression (literal, reference, function call, template, …).
pub type Expression = ::hcl::Expression;
