//! The `infra` command line: one file per subcommand, each owning its flags and its exit codes.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod check;
pub mod diff;
pub mod drift;
pub mod render;

/// Typed stacks for Azure Container Apps: render Terraform, review changes, check policy, detect drift.
#[derive(Debug, Parser)]
#[command(name = "infra", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render stacks into Terraform configuration (HCL or .tf.json).
    Render(render::RenderArgs),
    /// Show what a change does, as a Terraform-style plan (offline, or from `terraform show -json`).
    Diff(diff::DiffArgs),
    /// Run policy rules over stacks, Terraform directories or plans.
    Check(check::CheckArgs),
    /// Compare a stack with what is live in Azure.
    Drift(drift::DriftArgs),
}

/// A command's failure: the message printed on stderr (after `error: `) and the process exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // Usage errors exit 1, not clap's default 2: `infra diff` uses 2 for "changes present", as
    // `terraform plan -detailed-exitcode` does, so a typo must not read as a plan with changes.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Render(args) => render::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
        Command::Drift(args) => drift::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
