//! `infra diff`: a Terraform-style plan for code review, offline or from `terraform show -json`.

use super::git::{checkout_at, git};
use super::{ColorChoice, Error, Outcome};
use crate::diff::{self, ChangeSet};
use crate::plan::Plan;

use crate::terraform::eval::{self, Inputs};
use crate::terraform::{Config, Format as FileFormat};
use clap::{Args, ValueEnum};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Exit code when `--fail-on-destroy` is given and something is deleted or replaced (in [`super::exit_code`]'s
/// table).
pub(crate) const EXIT_DESTRUCTIVE: u8 = 3;

/// Show what a change does, as a Terraform-style plan.
///
/// Exit codes follow `terraform plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes; and 3 with
/// `--fail-on-destroy` when any resource is destroyed or replaced.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("schema_input").args(["plan", "new"])))]
#[command(after_help = "Modes:\n  \
    infra diff                     each stack: committed terraform/<stack>/ vs a fresh render\n  \
    infra diff --base REF          terraform/<stack>/ committed at git revision REF vs a fresh render\n  \
    infra diff OLD_DIR NEW_DIR     any two Terraform configurations, evaluated (--var, --var-file)\n  \
    infra diff --plan plan.json    a `terraform show -json PLANFILE` plan\n\n\
    Exit codes: 0 no changes, 1 error, 2 changes, 3 destroy/replace present with --fail-on-destroy.")]
pub(crate) struct DiffArgs {
    /// The configuration before the change (a directory of .tf / .tf.json files).
    #[arg(value_name = "OLD_DIR", requires = "new")]
    pub old: Option<PathBuf>,
    /// The configuration after the change.
    #[arg(value_name = "NEW_DIR")]
    pub new: Option<PathBuf>,
    /// Render a real plan: the output of `terraform show -json PLANFILE` (`-`: read it from standard input).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["old", "base"])]
    pub plan: Option<PathBuf>,
    /// With --plan or OLD_DIR NEW_DIR: provider schemas, the output of `terraform providers schema -json` (run in
    /// the configuration's directory). They decide the layout of nested blocks and attributes, as in Terraform's
    /// own text, and which keys of .tf.json files are nested blocks; azurerm 4.79.0, hashicorp/time and
    /// Terraform's builtin provider are built in.
    #[arg(long, value_name = "FILE", requires = "schema_input")]
    pub providers_schema: Option<PathBuf>,
    /// Compare each stack's terraform/STACK/ directory as committed at this git revision with a fresh render of
    /// the working tree's stacks: what this branch changes.
    #[arg(long, value_name = "REF", conflicts_with = "old")]
    pub base: Option<String>,
    /// Where stacks are found (stack modes: no arguments, or --base).
    #[arg(long, value_name = "DIR", default_value = "stacks")]
    pub stacks_dir: PathBuf,
    /// Output format: text (Terraform's plan output), markdown (a PR comment), json (stable schema).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Colour the text output: auto = only on a terminal and when NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Exit 3 when any resource would be destroyed or replaced, so a pipeline can gate on it.
    #[arg(long)]
    pub fail_on_destroy: bool,
    /// With OLD_DIR NEW_DIR: set an input variable of both configurations (repeatable), as `terraform plan -var`.
    #[arg(long = "var", value_name = "NAME=VALUE", requires = "new")]
    pub vars: Vec<String>,
    /// With OLD_DIR NEW_DIR: read input variable values from a .tfvars or .tfvars.json file (repeatable), for both
    /// configurations, as `terraform plan -var-file`.
    #[arg(long = "var-file", value_name = "FILE", requires = "new")]
    pub var_files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Markdown,
    Json,
}

pub(crate) fn run(args: DiffArgs) -> Result<Outcome, Error> {
    let color = args.color.colour(args.format == OutputFormat::Text);
    // The secrets of OLD_DIR and NEW_DIR: scrubbed from the output as a last line of defence.
    let mut secrets = eval::Sensitive::default();
    // The built-in schemas, and --providers-schema's on top.
    let mut schemas = crate::azurerm::builtin_schemas().clone();
    if let Some(path) = &args.providers_schema {
        schemas = schemas.with_file(path)?;
    }
    let sets: Vec<(Option<String>, ChangeSet)> = if let Some(plan) = &args.plan {
        let plan = Plan::read(plan)?;
        vec![(None, diff::from_plan_with(&plan, &schemas))]
    } else if let (Some(old), Some(new)) = (&args.old, &args.new) {
        // Each configuration evaluated as Terraform would plan it (its own terraform.tfvars and *.auto.tfvars, then
        // --var-file / --var / TF_VAR_*), with sensitive variables left without a value so none reaches the text.
        let inputs = Inputs {
            withhold_sensitive: true,
            schemas: Some(schemas.clone()),
            ..Inputs::from_env(args.var_files.clone(), args.vars.clone())
        };
        let read = |d: &Path| -> Result<_, Error> {
            let evaluated = eval::evaluate(Config::read_dir_with(d, &schemas)?, d, &inputs)?;
            for e in &evaluated.unread {
                super::print_message(&format!("warning: {e}"));
            }
            Ok(evaluated)
        };
        let (old, new) = (read(old)?, read(new)?);
        secrets.merge(&old.sensitive);
        secrets.merge(&new.sensitive);
        vec![(None, diff::from_evaluated(&old, &new))]
    } else if let Some(base) = &args.base {
        base_changes(base, &args.stacks_dir)?
    } else {
        committed_changes(&args.stacks_dir)?
    };
    match sets.as_slice() {
        // One change set (a plan's can be large): written as it is rendered.
        [(None, s)] if secrets.is_empty() => super::write_stdout_with(|w| write(s, args.format, color, w)),
        _ => out!("{}", secrets.scrub(&render(&sets, args.format, color))),
    }
    let destructive = sets.iter().any(|(_, s)| s.is_destructive());
    let changes = sets.iter().any(|(_, s)| s.has_changes());
    Ok(if args.fail_on_destroy && destructive {
        Outcome::Destructive
    } else if changes {
        Outcome::Changes
    } else {
        Outcome::Clean
    })
}

/// Writes one change set to `w` as it is rendered.
fn write(set: &ChangeSet, format: OutputFormat, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    match format {
        OutputFormat::Text => diff::text::write(set, color, w),
        OutputFormat::Markdown => w.write_all(diff::markdown::render(set).as_bytes()),
        OutputFormat::Json => diff::json::write(set, w),
    }
}

/// Renders one change set, or several (one per stack) with a heading each.
pub(crate) fn render(sets: &[(Option<String>, ChangeSet)], format: OutputFormat, color: bool) -> String {
    let one = |s: &ChangeSet| match format {
        OutputFormat::Text => diff::text::render(s, color),
        OutputFormat::Markdown => diff::markdown::render(s),
        OutputFormat::Json => diff::json::render(s),
    };
    match sets {
        [(None, s)] => one(s),
        _ => match format {
            OutputFormat::Json => {
                let stacks: Vec<serde_json::Value> = sets
                    .iter()
                    .map(|(name, s)| serde_json::json!({ "stack": name, "diff": diff::json::to_value(s) }))
                    .collect();
                let mut out = serde_json::to_string_pretty(&serde_json::json!({
                    "format_version": diff::json::FORMAT_VERSION,
                    "stacks": stacks,
                }))
                .expect("JSON");
                out.push('\n');
                out
            }
            OutputFormat::Text => sets
                .iter()
                .map(|(name, s)| format!("Stack {}:\n\n{}", name.as_deref().unwrap_or("?"), one(s)))
                .collect::<Vec<_>>()
                .join("\n"),
            OutputFormat::Markdown => {
                // Share GitHub's limit between the stacks.
                let limit = diff::markdown::GITHUB_COMMENT_LIMIT / sets.len().max(1);
                sets.iter()
                    .map(|(name, s)| {
                        format!(
                            "## Stack `{}`\n\n{}",
                            name.as_deref().unwrap_or("?"),
                            diff::markdown::render_limited(s, limit.saturating_sub(200))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        },
    }
}

/// Stack directories under `terraform/` in the working tree.
fn committed_dirs() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir("terraform") {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                out.insert(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    out
}

/// No arguments: each stack's committed `terraform/<stack>/` against a fresh render of `stacks/<stack>.toml`.
/// A stack never rendered is all creates; a `terraform/<stack>/` with no stack left is all deletes.
fn committed_changes(stacks_dir: &Path) -> Result<Vec<(Option<String>, ChangeSet)>, Error> {
    let mut renders = super::fresh_renders(stacks_dir)?;
    let names: BTreeSet<String> = renders.keys().cloned().chain(committed_dirs()).collect();
    let mut out = Vec::new();
    for name in names {
        let dir = Path::new("terraform").join(&name);
        let before = if dir.is_dir() {
            Config::read_dir_with(&dir, crate::azurerm::builtin_schemas())?
        } else {
            Config::default()
        };
        let after = renders.remove(&name).unwrap_or_default();
        out.push((Some(name), diff::from_configs(&before, &after)));
    }
    Ok(out)
}

/// `--base REF`: for each stack (with a `terraform/<stack>/` at REF or a stack file now), the files
/// committed at REF versus a fresh render of the working tree's stack.
fn base_changes(base: &str, stacks_dir: &Path) -> Result<Vec<(Option<String>, ChangeSet)>, Error> {
    let (_, prefix) = checkout_at(base)?;
    let tree_dir = if prefix.is_empty() {
        "terraform".to_string()
    } else {
        format!("{prefix}/terraform")
    };
    let listing = git(&["ls-tree", "-r", "--name-only", base, "--", &format!("{tree_dir}/")])?;
    if !listing.status.success() {
        return Err(Error::Git {
            command: format!("git ls-tree {base}"),
            stderr: String::from_utf8_lossy(&listing.stderr).trim().to_string(),
        });
    }
    let mut old: std::collections::BTreeMap<String, Vec<crate::terraform::File>> = Default::default();
    for path in String::from_utf8_lossy(&listing.stdout).lines() {
        let rel = &path[tree_dir.len() + 1..];
        let Some((stack, file)) = rel.split_once('/') else {
            continue;
        };
        if file.contains('/') {
            continue;
        }
        let Some(format) = FileFormat::of(file) else { continue };
        let shown = git(&["show", &format!("{base}:{path}")])?;
        let text = String::from_utf8(shown.stdout).map_err(|_| Error::NotText(format!("{base}:{path}")))?;
        let f = Config::parse_file_with(
            &format!("{base}:{path}"),
            file.to_string(),
            format,
            &text,
            crate::azurerm::builtin_schemas(),
        )?;
        old.entry(stack.to_string()).or_default().push(f);
    }
    let mut renders = super::fresh_renders(stacks_dir)?;
    let stacks: BTreeSet<String> = old.keys().cloned().chain(renders.keys().cloned()).collect();
    let mut out = Vec::new();
    for stack in stacks {
        let mut files = old.remove(&stack).unwrap_or_default();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let before = Config { files };
        let after = renders.remove(&stack).unwrap_or_default();
        out.push((Some(stack), diff::from_configs(&before, &after)));
    }
    Ok(out)
}
