//! The `infra` command line: one file per subcommand, each owning its flags and its exit codes.

use clap::{Parser, Subcommand};

/// `print!` for command output: a reader that closes the pipe early (`infra diff | head`) ends the output
/// quietly instead of panicking, and the command still exits with its own code.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(&format!($($arg)*))
    };
}

/// `println!` counterpart of [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(&format!("{}\n", format_args!($($arg)*)))
    };
}

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

/// The exit code of a command-line usage error, by subcommand. `infra check` follows linters (2 = usage or
/// input error, 1 = findings); `infra diff` and `infra drift` use 2 for "changes present", as
/// `terraform plan -detailed-exitcode` does, so there a typo exits 1 and can never read as a plan with changes.
fn usage_error_code() -> u8 {
    let subcommand = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    match subcommand.as_deref() {
        Some("check") => 2,
        _ => 1,
    }
}

/// Whether text output may be coloured when the user did not choose: only when stdout is a terminal and
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub(crate) fn colour_by_default() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Writes command output to stdout. A closed pipe is not an error (the reader has what it wanted); any other
/// failure to write is reported on stderr.
pub(crate) fn write_stdout(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { usage_error_code() } else { 0 });
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
