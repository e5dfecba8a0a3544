//! `infra drift`.

use super::Failure;
use clap::Args;

#[derive(Debug, Args)]
pub struct DriftArgs {}

pub fn run(_args: DriftArgs) -> Result<u8, Failure> {
    Err(Failure::new(1, "infra drift is not implemented yet"))
}
