//! `infra check`.

use super::Failure;
use clap::Args;

#[derive(Debug, Args)]
pub struct CheckArgs {}

pub fn run(_args: CheckArgs) -> Result<u8, Failure> {
    Err(Failure::new(1, "infra check is not implemented yet"))
}
