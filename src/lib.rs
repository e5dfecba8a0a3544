//! infra: typed stacks for Azure Container Apps.
//!
//! Data flows one way: a stack file ([`stack`]) → the typed model → a Terraform document ([`terraform`]) →
//! HCL or JSON. [`diff`] and [`check`] work on the Terraform document, so they serve hand-written Terraform too.
//!
//! | module | holds |
//! |---|---|
//! | [`stack`] | the typed model of a stack and its validation against Azure's rules |
//! | [`render`] | stack → Terraform document |
//! | [`terraform`] | the Terraform document model, its HCL and JSON writers and readers, addresses |
//! | [`azurerm`] | the vendored azurerm 4.79.0 schema and provider facts (force-new, defaults) |
//! | [`plan`] | reading `terraform show -json` plans |
//! | [`diff`] | the change model, computed once, and its text / Markdown / JSON views |
//! | [`check`] | policy rules, one file per rule, and their outputs |
//! | [`drift`] | comparing a stack with what is live in Azure |
//! | [`graph`] | the dependency graph of a Terraform document, as Mermaid or DOT |
//! | [`style`] | colour for text output: named styles, painted in one place |

pub mod azurerm;
pub mod check;
pub mod cli;
pub mod diff;
pub mod drift;
pub mod fsutil;
pub mod graph;
pub mod plan;
pub mod render;
pub mod stack;
pub mod style;
pub mod terraform;
