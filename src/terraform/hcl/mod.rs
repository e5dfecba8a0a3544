//! Terraform's native syntax: writing `.tf` files exactly as `terraform fmt` would, and reading them.

mod read;
mod write;

pub use read::read;
pub use write::write;
