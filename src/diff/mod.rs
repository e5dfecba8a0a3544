//! The change model, computed once, and its views.
//!
//! - [`from_configs`]: two Terraform configurations → [`ChangeSet`], offline (force-new facts from the
//!   vendored azurerm provider notes, replacement cascading through references);
//! - [`from_plan`]: a `terraform show -json` plan ([`crate::plan::Plan`]) → [`ChangeSet`];
//! - views, each a pure function of the model: [`text::render`] (Terraform's plan output),
//!   [`markdown::render`] (a pull-request comment), [`json::render`] (a stable schema).
//!
//! Other commands build a [`ChangeSet`] themselves (all fields are public; see [`model`]) and render it
//! with the same views.

mod config;
mod from_plan;
mod graph;
pub mod json;
pub mod markdown;
pub mod model;
mod render;
pub mod structured;
pub mod text;
pub(crate) mod tree;

pub use config::{from_configs, from_configs_with, from_evaluated, from_evaluated_with, literal_json};
pub use from_plan::{details, from_plan, from_plan_with};
pub use model::{
    Action, AttributeChange, Change, ChangeSet, Node, OutputChange, PlanContext, Reason, ResourceChange, Source,
    Summary, Value,
};
