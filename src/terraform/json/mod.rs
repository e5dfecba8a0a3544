//! Terraform's JSON syntax (`.tf.json`): writing and reading.

mod read;
mod write;

pub use read::read;
pub use write::write;
