//! Terraform's native syntax: writing `.tf` files exactly as `terraform fmt` would, and reading them.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::write;
