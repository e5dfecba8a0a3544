//! `infra diff`.

use super::Failure;
use clap::Args;

#[derive(Debug, Args)]
pub struct DiffArgs {}

pub fn run(_args: DiffArgs) -> Result<u8, Failure> {
    Err(Failure::new(1, "infra diff is not implemented yet"))
}
