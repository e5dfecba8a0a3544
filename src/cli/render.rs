//! `infra render`: stacks → `terraform/<stack>/`.

use super::{Error, Outcome};
use crate::render::{check, ensure_writable, render, write};
use crate::stack::Stack;
use crate::terraform::{Config, Format};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// Render stacks into Terraform configuration.
///
/// With no STACK, renders every `*.toml` in the stacks directory, each into `terraform/<stack>/`. Every stack is
/// read and validated before anything is written: a bad stack means no output at all.
#[derive(Debug, Args)]
#[command(
    long_about = "Render stacks into Terraform configuration.\n\nWith no STACK, renders every *.toml in the stacks \
                  directory, each into terraform/<stack>/. Every stack is read and validated before anything is \
                  written: a bad stack means no output at all. Files in the output directory that infra did not \
                  generate are left alone.",
    after_long_help = "Examples:
  infra render
      Render every stack in stacks/ into terraform/<stack>/.
  infra render stacks/prod.toml --out build/prod
      Render one stack into build/prod/.
  infra render --format json
      Write .tf.json instead of .tf (generated .tf files are removed).
  infra render --check
      Write nothing; exit 1 naming each stale, hand-edited or missing file.

Exit status:
  0  success (with --check: everything up to date)
  1  a stack is invalid, a file cannot be written, or --check found a difference"
)]
pub(crate) struct RenderArgs {
    /// Stack files to render (default: every *.toml in the stacks directory).
    #[arg(value_name = "STACK")]
    pub stacks: Vec<PathBuf>,

    /// Output directory (one stack only).
    #[arg(
        long,
        value_name = "DIR",
        help = "Write the files into DIR instead of terraform/<stack>/ (one stack only)"
    )]
    pub out: Option<PathBuf>,

    /// Syntax of the generated files: `hcl` writes .tf, `json` writes .tf.json.
    #[arg(long, value_enum, default_value_t = FormatArg::Hcl)]
    pub format: FormatArg,

    /// Write nothing; compare the output directories with what the stacks render and exit 1 naming each file
    /// that is stale, edited by hand, missing or left over (for CI).
    #[arg(long)]
    pub check: bool,

    /// Where stacks are found when no STACK is given.
    #[arg(long, value_name = "DIR", default_value = "stacks")]
    pub stacks_dir: PathBuf,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Terraform native syntax (.tf).
    Hcl,
    /// Terraform JSON syntax (.tf.json).
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Hcl => Format::Hcl,
            FormatArg::Json => Format::Json,
        }
    }
}

pub(crate) fn run(args: RenderArgs) -> Result<Outcome, Error> {
    let paths = if args.stacks.is_empty() {
        stack_files(&args.stacks_dir)?
    } else {
        args.stacks.clone()
    };
    if args.out.is_some() && paths.len() != 1 {
        return Err(Error::OutNeedsOneStack(paths.len()));
    }

    let stacks = load_all(&paths)?;
    let format = Format::from(args.format);
    let rendered: Vec<(PathBuf, Config)> = stacks
        .iter()
        .map(|stack| {
            let dir = match &args.out {
                Some(d) => d.clone(),
                None => Path::new("terraform").join(stack.name()),
            };
            (dir, render(stack, format))
        })
        .collect();
    if !args.check {
        // Every directory is checked before any is written: a link or a foreign file means no output at all.
        for (dir, config) in &rendered {
            ensure_writable(config, dir)?;
        }
    }
    let mut stale = 0usize;
    for (dir, config) in &rendered {
        if args.check {
            let report = check(config, dir).map_err(|e| Error::io(format!("cannot check {}", dir.display()), e))?;
            if report.is_clean() {
                outln!("{}: up to date", dir.display());
            }
            for p in &report.problems {
                outln!("{p}");
            }
            stale += report.problems.len();
        } else {
            let report = write(config, dir)?;
            if report.written.is_empty() && report.removed.is_empty() {
                outln!("{}: up to date", dir.display());
            }
            for p in &report.written {
                outln!("wrote {}", p.display());
            }
            for p in &report.removed {
                outln!("removed {}", p.display());
            }
        }
    }
    if stale > 0 {
        return Err(Error::Stale(stale));
    }
    Ok(Outcome::Clean)
}

/// Every stack of `paths`, loaded and validated before any is used (no partial output); two stacks of one name are
/// an error.
fn load_all(paths: &[PathBuf]) -> Result<Vec<Stack>, Error> {
    // Load and validate everything first: no partial output.
    let mut stacks = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match Stack::load(path) {
            Ok(s) => stacks.push(s),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Stacks(errors));
    }
    for (i, s) in stacks.iter().enumerate() {
        if stacks[..i].iter().any(|o| o.name() == s.name()) {
            return Err(Error::DuplicateStack {
                name: s.name().to_string(),
                first: stacks[i - 1].source.clone(),
                second: s.source.clone(),
            });
        }
    }
    Ok(stacks)
}

/// `*.toml` in `dir`, sorted.
fn stack_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    crate::stack::stack_files(dir).map_err(|source| Error::StackFiles { source, or: None })
}
