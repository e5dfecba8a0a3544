//! `infra policy test`: runs the `test_*` rules of Rego policies, as `opa test` does.
//!
//! Exit codes: 0 every test passed, 1 a test failed, 2 usage error or a policy that cannot be read or parsed.

use super::{Error, Outcome};
use crate::check::policy::test;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
    /// Run the `test_*` rules of the policies under PATH (files ending in `_test.rego` included).
    Test(TestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Policy files or directories (repeatable).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// JSON or YAML data files or directories, merged into `data` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
}

pub(crate) fn run(args: PolicyArgs) -> Result<Outcome, Error> {
    let PolicyCommand::Test(args) = args.command;
    let results = test::run(&args.paths, &args.data)?;
    let mut failed = 0;
    for r in &results {
        match (&r.error, r.passed) {
            (Some(e), _) => {
                failed += 1;
                outln!("ERROR {}: {}", r.name, crate::style::escape(e));
            }
            (None, true) => outln!("PASS  {}", r.name),
            (None, false) => {
                failed += 1;
                outln!("FAIL  {}", r.name);
            }
        }
    }
    outln!("{} passed, {failed} failed", results.len() - failed);
    Ok(if failed > 0 { Outcome::Findings } else { Outcome::Clean })
}
