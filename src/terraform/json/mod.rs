//! Terraform's JSON syntax (`.tf.json`) and plan values: writing, reading, and the one JSON → body conversion.

pub(crate) mod mask;
mod read;
pub(crate) mod tree;
pub mod values;
mod write;

pub use read::read;
pub use values::{
    literal, mask_has_true, planned_config, values_body, PlannedResource, KNOWN_AFTER_APPLY, PLANNED_FILE,
};
pub use write::write;
