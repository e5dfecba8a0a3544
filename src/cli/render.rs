//! `infra render`.

use super::Failure;
use clap::Args;

#[derive(Debug, Args)]
pub struct RenderArgs {}

pub fn run(_args: RenderArgs) -> Result<u8, Failure> {
    Err(Failure::new(1, "infra render is not implemented yet"))
}
