//! How a command ends — what it found ([`Outcome`]) or why it failed ([`Error`]) — and the one table that
//! turns either into the process's exit code ([`exit_code`]).

use crate::check::baseline::BaselineError;
use crate::check::SettingsError;
use crate::drift::azure::AzureError;
use crate::plan::PlanError;
use crate::stack::{StackError, StackFilesError};
use crate::terraform::eval::LimitError;
use crate::terraform::schema::SchemaError;
use crate::terraform::ReadError;
use std::path::PathBuf;

/// Why a command failed. Printed after `error: `; the source chain is kept for callers of the library.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// A Terraform configuration that cannot be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A plan file that cannot be read.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// An invalid stack.
    #[error(transparent)]
    Stack(#[from] StackError),
    /// Several invalid stacks: every stack is read before any is used, and each error is reported.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: "))]
    Stacks(Vec<StackError>),
    /// An `infra.toml` that cannot be used.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// A `--providers-schema` file that cannot be used.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// Azure could not be asked (credentials, network, permissions).
    #[error(transparent)]
    Azure(#[from] AzureError),
    /// A file system or process error while doing `what` (`cannot read plan.json`).
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A file system error whose message says enough on its own.
    #[error(transparent)]
    Fs(#[from] std::io::Error),
    /// An error about one part of the input (`stack dev: …`).
    #[error("{context}: {source}")]
    In {
        context: String,
        #[source]
        source: Box<Error>,
    },
    /// A stacks directory that gives no stack; `or` names what the command takes instead (`graph a Terraform
    /// directory with `infra graph DIR``).
    #[error("{source}{}", or.map(|o| format!(", or {o}")).unwrap_or_default())]
    StackFiles {
        #[source]
        source: StackFilesError,
        or: Option<&'static str>,
    },
    /// A `--limit` that cannot be set.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A `--baseline` file that cannot be used.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// A Rego policy or data file that cannot be used, or a policy that fails to evaluate.
    #[error(transparent)]
    Policy(#[from] crate::check::policy::PolicyError),
    /// A command line clap refuses (only its exit code is used: clap prints the message).
    #[error(transparent)]
    Usage(#[from] clap::Error),
    /// `infra check --explain ID` names no rule.
    #[error("no rule `{0}` (infra check --list-rules lists them)")]
    UnknownRule(String),
    /// Files of a checked directory that could not be read (their names, escaped for the terminal).
    #[error(
        "{} file(s) could not be read and were not checked (the other files were):\n  {}\nhelp: fix the \
         syntax at that place; if `terraform validate` accepts the file, please report it as an infra bug",
        .0.len(),
        .0.join("\n  ")
    )]
    Unchecked(Vec<String>),
    /// Input with nothing to check: `what` says what it lacks (`plan.json has no planned resources`).
    #[error("{0}: nothing to check")]
    NothingToCheck(String),
    /// A path that should be a directory.
    #[error("{} is not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// `--base` outside a git checkout.
    #[error("--base needs a git checkout, and the current directory is not inside one")]
    NotAGitCheckout,
    /// `--base REF` that git does not know.
    #[error("--base {0}: unknown git revision (not a branch, tag or commit in this repository)")]
    UnknownRevision(String),
    /// A git command that failed (`git archive main`), with what git said.
    #[error("{command}: {stderr}")]
    Git { command: String, stderr: String },
    /// The archive of a base revision that tar could not unpack.
    #[error("cannot unpack {base} (tar exited with {status})")]
    Unpack {
        base: String,
        status: std::process::ExitStatus,
    },
    /// `infra check` at the base revision gave no report, with what it said.
    #[error("checking {base} failed: {stderr}")]
    BaseCheck { base: String, stderr: String },
    /// A Terraform file at a base revision that is not UTF-8 (`main:terraform/dev/main.tf`).
    #[error("{0}: not a text file: Terraform files must be UTF-8")]
    NotText(String),
    /// A configuration whose drift cannot be read (`stack`: the stack or directory named).
    #[error("{}: {message}", stack.display())]
    DriftTarget {
        stack: PathBuf,
        message: crate::drift::read::TargetError,
    },
    /// `--var` / `--var-file` given where no Terraform directory is named (`to`: what was named instead).
    #[error("--var and --var-file apply to a Terraform directory{to}")]
    VarsWithoutDirectory { to: &'static str },
    /// `infra graph TARGET` that is no stack, stack file or directory (`what` says which it was taken for).
    #[error(
        "{what}\nhelp: name a stack of {}/ (infra graph prod), a stack file, or a directory of .tf files \
         (infra graph terraform/prod)",
        stacks_dir.display()
    )]
    NoGraphTarget { what: String, stacks_dir: PathBuf },
    /// A file a command writes that cannot be written; `help` says what to change (may be empty).
    #[error("cannot write {}: {source}{help}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
        help: &'static str,
    },
    /// `infra render --out` with more than one stack.
    #[error("--out takes exactly one stack, but {0} were given")]
    OutNeedsOneStack(usize),
    /// `infra render --check` found generated files that differ from the stacks.
    #[error(
        "{} {} not match the stacks; run `infra render` and commit the result",
        .0,
        if *.0 == 1 { "file does" } else { "files do" }
    )]
    Stale(usize),
    /// Two stack files with the same name (stem).
    #[error("two stacks are called \"{name}\": {first} and {second}")]
    DuplicateStack {
        name: String,
        first: String,
        second: String,
    },
}

impl Error {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            what: what.into(),
            source,
        }
    }

    /// This error as part of `context` (`stack dev`).
    pub(crate) fn within(self, context: impl Into<String>) -> Error {
        Error::In {
            context: context.into(),
            source: Box::new(self),
        }
    }
}

/// What a command found when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing to report: no changes, no drift, no failing finding; or the command did what it was asked.
    Clean,
    /// `diff`: changes; `drift`: live differs from the stack.
    Changes,
    /// `diff --fail-on-destroy`: something is destroyed or replaced.
    Destructive,
    /// `check`: findings at or above the failure threshold.
    Findings,
}

/// The subcommands, as far as exit codes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommandKind {
    Render,
    Diff,
    Check,
    Drift,
    Schema,
    Graph,
    Completions,
    Man,
    Policy,
}

impl CommandKind {
    /// The subcommand called `name` (`None` for anything else).
    pub(crate) fn named(name: &str) -> Option<CommandKind> {
        Some(match name {
            "render" => CommandKind::Render,
            "diff" => CommandKind::Diff,
            "check" => CommandKind::Check,
            "drift" => CommandKind::Drift,
            "schema" => CommandKind::Schema,
            "graph" => CommandKind::Graph,
            "completions" => CommandKind::Completions,
            "man" => CommandKind::Man,
            "policy" => CommandKind::Policy,
            _ => return None,
        })
    }
}

/// The exit code of every command, in one place. `infra check` follows linters: 0 passed, 1 findings at or
/// above the threshold, 2 usage or input error. `infra diff` and `infra drift` follow
/// `terraform plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes (so a typo can never read as a plan
/// with changes), and `diff` 3 for destroy/replace with `--fail-on-destroy`. `infra render`, `graph`,
/// `schema`, `completions` and `man`: 0 done, 1 error.
/// An error before any subcommand is known (a usage error naming none) is 1.
pub(crate) fn exit_code(command: Option<CommandKind>, result: Result<Outcome, &Error>) -> u8 {
    use CommandKind::*;
    match (command, result) {
        (Some(Check | Policy), Err(_)) => 2,
        (_, Err(_)) => 1,
        (_, Ok(Outcome::Clean)) => 0,
        (Some(Check), Ok(Outcome::Findings)) => 1,
        (Some(Diff | Drift), Ok(Outcome::Changes)) => 2,
        (Some(Diff), Ok(Outcome::Destructive)) => super::diff::EXIT_DESTRUCTIVE,
        // Outcomes a command does not have: report them as found (non-zero, never an error code).
        (_, Ok(Outcome::Changes | Outcome::Destructive)) => 2,
        (_, Ok(Outcome::Findings)) => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_table_of_exit_codes() {
        let err = Error::UnknownRule("x".to_string());
        let code = |c: &str, r: Result<Outcome, &Error>| exit_code(CommandKind::named(c), r);
        assert_eq!(code("check", Err(&err)), 2);
        assert_eq!(code("check", Ok(Outcome::Findings)), 1);
        assert_eq!(code("check", Ok(Outcome::Clean)), 0);
        for c in [
            "diff",
            "drift",
            "render",
            "graph",
            "schema",
            "completions",
            "man",
            "bogus",
        ] {
            assert_eq!(code(c, Err(&err)), 1, "{c}");
            assert_eq!(code(c, Ok(Outcome::Clean)), 0, "{c}");
        }
        assert_eq!(code("diff", Ok(Outcome::Changes)), 2);
        assert_eq!(code("drift", Ok(Outcome::Changes)), 2);
        assert_eq!(code("diff", Ok(Outcome::Destructive)), 3);
    }

    #[test]
    fn errors_keep_their_source_and_their_message() {
        use std::error::Error as _;
        let e = Error::io("cannot read p.json", std::io::Error::other("denied")).within("stack dev");
        assert_eq!(e.to_string(), "stack dev: cannot read p.json: denied");
        let source = e.source().unwrap();
        assert_eq!(source.to_string(), "cannot read p.json: denied");
        assert_eq!(source.source().unwrap().to_string(), "denied");
    }
}
