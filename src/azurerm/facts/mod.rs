//! The facts about Azure and the azurerm provider that more than one stage needs, each in one place: provider
//! defaults, name rules, SKU tiers, the Consumption CPU/memory pairs, the stack's ranges and value patterns
//! (`limits`), block identity keys and set-valued
//! attributes, normalisation (what Azure treats as equal) and built-in role IDs. Stack validation, render, the
//! check rules, diff and drift call these functions instead of restating them, and tests assert that they agree.
//!
//! `arm_defaults.rs` holds what Azure Resource Manager uses when a property is absent (the REST specs' defaults).
//!
//! Every fact names its source (the vendored provider notes, the provider's Go source, a Microsoft doc).

pub(crate) mod arm_defaults;
pub(crate) mod blocks;
pub(crate) mod compute;
pub(crate) mod defaults;
pub(crate) mod limits;
pub(crate) mod names;
pub(crate) mod network;
pub(crate) mod normalize;
pub(crate) mod regions;
pub(crate) mod roles;
pub(crate) mod sku;
pub(crate) mod upgrade;
