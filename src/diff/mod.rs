//! The change model, computed once, and its views.
//!
//! - [`from_configs`] / [`from_configs_with`]: two Terraform configurations → [`ChangeSet`], offline (force-new
//!   facts from the vendored azurerm provider notes, replacement cascading through references);
//! - [`from_plan`] / [`from_plan_with`]: a `terraform show -json` plan ([`crate::plan::Plan`]) → [`ChangeSet`],
//!   each change's values kept as the plan's text until a view asks for its structured change;
//! - every source's changes (a plan's, an offline diff's and drift's through `values`, one built by hand with
//!   [`ResourceChange::from_values`]) are one structured change per resource (`structured`: Terraform's
//!   `jsonformat` differ);
//! - views, each a pure function of the model reading the structured change: [`text::render`] (Terraform's plan
//!   output: for a plan, exactly Terraform's; for every source, one renderer per kind of node),
//!   [`markdown::render`] (a pull-request comment; its details are the text view's), [`json::render`] (a stable
//!   schema).
//!
//! The `*_with` entry points take the provider [`crate::terraform::Schemas`] (built in: azurerm 4.79.0 and
//! Terraform's builtin provider) instead of looking a schema up globally. Other commands build a [`ChangeSet`]
//! themselves (see `model`) and render it with the same views.

mod config;
pub(crate) use config::literal_json;
mod from_plan;
mod graph;
mod model;
mod render;
pub(crate) mod structured;
pub(crate) mod values;

pub use render::{json, markdown, text};

pub use config::{from_configs, from_configs_with, from_evaluated, from_evaluated_with};
pub use from_plan::{from_plan, from_plan_with};
pub use model::{Action, Change, ChangeSet, OutputChange, Reason, ResourceChange, Source, Summary, Value};
