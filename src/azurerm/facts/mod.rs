//! The facts about Azure and the azurerm provider that more than one stage needs, each in one place: provider
//! defaults, name rules, SKU tiers and the Consumption CPU/memory pairs. Stack validation, render and the check
//! rules call these functions instead of restating them, and tests assert that they agree.
//!
//! Every fact names its source (the vendored provider notes, the provider's Go source, a Microsoft doc).

pub mod blocks;
pub mod compute;
pub mod defaults;
pub mod names;
pub mod sku;
