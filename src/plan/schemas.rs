//! Provider schemas for rendering a plan as Terraform does: a plan JSON does not carry them, and Terraform's
//! renderer decides nesting (blocks, nested attributes, sets) and sensitivity from them.
//!
//! The [`Schemas`] value is generic ([`crate::terraform::schema`]); the built-in set (Terraform's builtin provider,
//! azurerm 4.79.0, `time_sleep`) is [`crate::azurerm::builtin_schemas`]; more come from a file written by
//! `terraform providers schema -json` ([`Schemas::with_file`], `--providers-schema FILE`) and take precedence.

// transitional re-export (issue 23 merge)
pub use crate::terraform::schema::{SchemaError, Schemas};
