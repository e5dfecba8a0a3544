//! The `infra` command line: one file per subcommand, each owning its flags; exit codes from one table
//! ([`exit_code`], in `error.rs`) over what a command found ([`Outcome`]) or why it failed ([`Error`]).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the command line is where infra writes to the terminal"
)]

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

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod drift;
mod error;
mod git;
pub(crate) mod graph;
pub(crate) mod man;
pub(crate) mod policy;
pub(crate) mod render;
pub(crate) mod schema;

pub(crate) use error::{exit_code, CommandKind, Error, Outcome};

/// Typed stacks for Azure Container Apps: render Terraform, review changes, check policy, detect drift.
#[derive(Debug, Parser)]
#[command(name = "infra", version = version(), about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Render stacks into Terraform configuration (HCL or .tf.json).
    Render(render::RenderArgs),
    /// Show what a change does, as a Terraform-style plan (offline, or from `terraform show -json`).
    Diff(diff::DiffArgs),
    /// Run policy rules over stacks, Terraform directories or plans.
    Check(check::CheckArgs),
    /// Compare a stack with what is live in Azure.
    Drift(drift::DriftArgs),
    /// Print the JSON Schema of stack files (editor completion and checks: taplo, Even Better TOML).
    Schema(schema::SchemaArgs),
    /// Show which resources refer to which, as a Mermaid flowchart or Graphviz DOT.
    Graph(graph::GraphArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page of infra (roff), or write one page per command with --out-dir.
    Man(man::ManArgs),
    /// Work with OPA Rego policies (`infra check --policy`): run their tests.
    Policy(policy::PolicyArgs),
}

/// What `infra --version` prints after `infra `: the crate's version and the azurerm provider version whose
/// schema is vendored (the version every rendered configuration pins), `0.1.0 (azurerm provider schema 4.79.0)`.
pub(crate) fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (azurerm provider schema {})",
            env!("CARGO_PKG_VERSION"),
            crate::azurerm::PROVIDER_VERSION
        )
    });
    &VERSION
}

impl Command {
    fn kind(&self) -> CommandKind {
        match self {
            Command::Render(_) => CommandKind::Render,
            Command::Diff(_) => CommandKind::Diff,
            Command::Check(_) => CommandKind::Check,
            Command::Drift(_) => CommandKind::Drift,
            Command::Schema(_) => CommandKind::Schema,
            Command::Graph(_) => CommandKind::Graph,
            Command::Completions(_) => CommandKind::Completions,
            Command::Man(_) => CommandKind::Man,
            Command::Policy(_) => CommandKind::Policy,
        }
    }
}

/// The subcommand a command line that clap rejected asked for, as clap reads it (errors ignored).
fn requested_command() -> Option<CommandKind> {
    use clap::CommandFactory;
    let matches = Cli::command().ignore_errors(true).try_get_matches().ok()?;
    matches.subcommand_name().and_then(CommandKind::named)
}

/// `--color`: whether text output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Only when stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, for output that is text (other formats are never coloured).
    pub(crate) fn colour(self, text: bool) -> bool {
        text && match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => colour_by_default(),
        }
    }
}

/// Whether text output may be coloured when the user did not choose: only when stdout is a terminal and
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub(crate) fn colour_by_default() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Prints a message (an error, a warning) on stderr, ending the line. Messages quote input (file names,
/// addresses, what a module source said), so each line is [`crate::style::escape_lines`]d: nothing in it can
/// start a line of the CI log or drive the terminal.
pub(crate) fn print_message(message: &str) {
    eprintln!("{}", crate::style::escape_lines(message));
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

/// [`write_stdout`] for output written piece by piece: `write` gets a buffered stdout.
pub(crate) fn write_stdout_with(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) {
    use std::io::Write;
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Err(e) = write(&mut stdout).and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
        }
    }
}

/// Every stack of `stacks_dir`, loaded, validated and rendered, by name. Every stack is read before any
/// is used (`infra diff`, `infra graph`): an invalid stack is an error naming the file, line and column.
pub(crate) fn fresh_renders(
    stacks_dir: &std::path::Path,
) -> Result<std::collections::BTreeMap<String, crate::terraform::Config>, Error> {
    let paths = crate::stack::stack_files(stacks_dir).map_err(|source| Error::StackFiles { source, or: None })?;
    let mut out = std::collections::BTreeMap::new();
    let mut errors = Vec::new();
    for path in paths {
        match crate::stack::Stack::load(&path) {
            Ok(stack) => {
                out.insert(
                    stack.name().to_string(),
                    crate::render::render(&stack, crate::terraform::Format::Hcl),
                );
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Stacks(errors));
    }
    Ok(out)
}

/// Entry point of the binary.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if !e.use_stderr() {
                return ExitCode::SUCCESS;
            }
            let usage = Error::Usage(e);
            return ExitCode::from(exit_code(requested_command(), Err(&usage)));
        }
    };
    let kind = cli.command.kind();
    let result = match cli.command {
        Command::Render(args) => render::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
        Command::Drift(args) => drift::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Policy(args) => policy::run(args),
    };
    if let Err(e) = &result {
        print_message(&format!("error: {e}"));
    }
    ExitCode::from(exit_code(Some(kind), result.as_ref().map(|o| *o)))
}
