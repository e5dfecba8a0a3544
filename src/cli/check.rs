//! `infra check`: policy rules over stacks, Terraform directories or plans.
//!
//! Exit codes: 0 nothing at or above the failure threshold (unwaived), 1 something is, 2 usage or input error.

use super::{ColorChoice, Error, Outcome};
use crate::check::policy::Policies;
use crate::check::{self, output, Report, Settings, Severity};
use crate::render;
use crate::stack::Stack;
use crate::terraform::eval::{self, Inputs};
use crate::terraform::{Config, Format};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// A directory of .tf / .tf.json files. Without it, every stack in stacks/ is checked through its
    /// Terraform in `terraform/<stack>/`.
    pub path: Option<PathBuf>,
    /// Check the planned values of a plan (`terraform show -json plan.out > plan.json`).
    #[arg(long, value_name = "PLAN_JSON", conflicts_with = "path")]
    pub plan: Option<PathBuf>,
    /// Provider schemas, the output of `terraform providers schema -json` (run in the configuration's directory;
    /// repeatable). They tell nested blocks from arguments in .tf.json files and plans and which resource types
    /// have `tags` or `location`; azurerm 4.79.0, hashicorp/time and Terraform's builtin provider are built in,
    /// and infra.toml's `check.providers_schema` adds files too.
    #[arg(long, value_name = "FILE")]
    pub providers_schema: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Colour the text output: auto = only on a terminal and when NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Explain a rule (what it checks, why, how to fix, equivalents in checkov and PSRule) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,
    /// List every rule and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// Fail (exit 1) on findings at or above this severity [default: infra.toml's fail_on, else high].
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Apply production rules (min replicas) to a directory whatever its name.
    #[arg(long)]
    pub production: bool,
    /// The settings file.
    #[arg(long, value_name = "FILE", default_value = "infra.toml")]
    pub config: PathBuf,
    /// Set an input variable of the checked directory (repeatable), as `terraform plan -var` does.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read input variable values from a .tfvars or .tfvars.json file (repeatable), as `terraform plan -var-file`.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Raise (or lower) a limit on what evaluating the directory may build, NAME=VALUE (repeatable): instances,
    /// instances_per_resource, module_instances, value_size (bytes), work. Overrides `[limits]` in infra.toml.
    #[arg(long = "limit", value_name = "NAME=VALUE")]
    pub limits: Vec<String>,
    /// List the rule inputs whose values are not known before apply (text output).
    #[arg(long)]
    pub show_unknown: bool,
    /// Record today's open findings in FILE (sorted JSON, reviewed like code), so later runs with --baseline
    /// report only new ones.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not recorded in FILE (written by --write-baseline); recorded ones no longer found are
    /// listed as fixed. Recorded findings do not fail the run.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Check the configuration as committed at git revision REF too, and report only what the working tree
    /// introduces (new) and what it fixes: the pull-request mode. Stacks or a directory, as without it.
    #[arg(long, value_name = "REF", conflicts_with_all = ["baseline", "write_baseline", "plan"])]
    pub base: Option<String>,
    /// OPA Rego policies: a .rego file or a directory of them (repeatable; infra.toml's `check.policy` adds more),
    /// run as conftest runs them over the plan, or over the plan-shaped document of the configuration.
    #[arg(long, value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// JSON or YAML data for the policies, merged into `data` (repeatable; infra.toml: `check.policy_data`).
    #[arg(long, value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Run the policies of this package (repeatable) [default: main].
    #[arg(long, value_name = "NAMESPACE")]
    pub namespace: Vec<String>,
    /// Run the policies of every package.
    #[arg(long, conflicts_with = "namespace")]
    pub all_namespaces: bool,
}

/// A `--fail-on` value that is not a severity a finding can fail on.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not one of low, medium, high, critical")]
pub(crate) struct NotASeverity(String);

fn parse_severity(s: &str) -> Result<Severity, NotASeverity> {
    Severity::parse(s)
        .filter(|s| *s != Severity::Info)
        .ok_or_else(|| NotASeverity(s.to_string()))
}

pub(crate) fn run(args: CheckArgs) -> Result<Outcome, Error> {
    if let Some(id) = &args.explain {
        let rule = check::rule(id).ok_or_else(|| Error::UnknownRule(id.clone()))?;
        out!("{}", rule.explain());
        return Ok(Outcome::Clean);
    }
    if args.list_rules {
        for r in check::rules::ALL {
            outln!("{}  {:<8}  {}", r.id, r.severity.as_str(), r.title);
        }
        return Ok(Outcome::Clean);
    }
    let settings = settings(&args)?;
    let mut policies = policies(&args, &settings)?;
    // The secrets of the checked directory: rules judge them, the report and every printed text are scrubbed.
    let mut secrets = eval::Sensitive::default();
    let report = if let Some(plan) = &args.plan {
        check_plan(plan, &settings, args.production, policies.as_mut())?
    } else if let Some(dir) = &args.path {
        let inputs = Inputs {
            limits: settings.limits,
            schemas: Some(settings.schemas.clone()),
            ..Inputs::from_env(args.var_files.clone(), args.vars.clone())
        };
        check_dir(
            dir,
            &settings,
            (None, args.production),
            &inputs,
            (&mut secrets, policies.as_mut()),
        )?
    } else {
        check_stacks(&settings, args.production, policies.as_mut())?
    };
    let mut report = report;
    report.scrub(&secrets);
    if let Some(base) = &args.base {
        at_revision(base, &args)?.apply(&mut report);
    }
    if let Some(path) = &args.baseline {
        check::baseline::Baseline::load(path)?.apply(&mut report);
    }
    if let Some(path) = &args.write_baseline {
        // The baseline accepts today's findings: the run reports against it (all unchanged, so it passes).
        let baseline = check::baseline::Baseline::of(&report);
        crate::fsutil::write_atomic(path, baseline.to_text().as_bytes())
            .map_err(|e| Error::io(format!("cannot write baseline {}", path.display()), e))?;
        let n = baseline.findings.len();
        eprintln!(
            "wrote {} ({n} finding{})",
            path.display(),
            if n == 1 { "" } else { "s" }
        );
        baseline.apply(&mut report);
    }
    let text = match args.format {
        OutputFormat::Text if args.show_unknown && !report.unknown.is_empty() => format!(
            "{}\nnot known before apply:\n{}",
            output::text::render(&report, args.color.colour(true)),
            output::text::unknown_list(&report)
        ),
        OutputFormat::Text => output::text::render(&report, args.color.colour(true)),
        OutputFormat::Json => output::json::render(&report),
        OutputFormat::Sarif => output::sarif::render(&report),
        OutputFormat::Junit => output::junit::render(&report),
    };
    out!("{}", secrets.scrub(&text));
    if !report.unread.is_empty() {
        // Each on its own line: a file name's own line feed is escaped.
        let files: Vec<String> = report
            .unread
            .iter()
            .map(|u| crate::style::escape(&u.to_string()).into_owned())
            .collect();
        return Err(Error::Unchecked(files));
    }
    Ok(if report.failed() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// infra.toml's settings (`--config`), with the command line's `--fail-on`, `--limit` and `--providers-schema` on
/// top: the schemas are built here, once, and handed to the readers and the rules.
fn settings(args: &CheckArgs) -> Result<Settings, Error> {
    let mut settings = Settings::load(&args.config)?;
    if let Some(s) = args.fail_on {
        settings.fail_on = s;
    }
    for l in &args.limits {
        settings.limits.set_from_arg(l)?;
    }
    for path in &args.providers_schema {
        settings.schemas = settings.schemas.with_file(path)?;
    }
    Ok(settings)
}

/// The Rego policies of `--policy` and infra.toml's `check.policy` (read inside the repository), loaded; `None`
/// when there are none.
fn policies(args: &CheckArgs, settings: &Settings) -> Result<Option<Policies>, Error> {
    use check::policy::Namespaces;
    if args.policy.is_empty() && settings.policy.is_empty() {
        return Ok(None);
    }
    let namespaces = if args.all_namespaces || (args.namespace.is_empty() && settings.policy_all_namespaces) {
        Namespaces::All
    } else if !args.namespace.is_empty() {
        Namespaces::Named(args.namespace.clone())
    } else if !settings.policy_namespaces.is_empty() {
        Namespaces::Named(settings.policy_namespaces.clone())
    } else {
        Namespaces::Main
    };
    // Named by infra.toml (committed, changed by a pull request): inside the repository, as infra.toml itself.
    let root = crate::fsutil::repository_of(&args.config);
    let mut loaded = Policies::load(&settings.policy, &settings.policy_data, namespaces.clone(), Some(&root))?;
    if !args.policy.is_empty() || !args.data.is_empty() {
        let mut paths = settings.policy.clone();
        paths.extend(args.policy.iter().cloned());
        let mut data = settings.policy_data.clone();
        data.extend(args.data.iter().cloned());
        // The command line's own paths may be anywhere; infra.toml's were checked above.
        loaded = Policies::load(&paths, &data, namespaces, None)?;
    }
    // Policies fault in a few hundred MiB on a large configuration: with 4 KiB pages, steadily.
    crate::heap::without_huge_pages();
    Ok(Some(loaded))
}

/// Checks the planned values of a `terraform show -json` plan. Production when `production`, or when the plan
/// file's stem (`prod.json`, `prod.plan.json`) or its directory's name is a production stack. The policies read
/// the plan JSON as it is, as conftest does.
fn check_plan(
    path: &Path,
    settings: &Settings,
    production: bool,
    policies: Option<&mut Policies>,
) -> Result<Report, Error> {
    let bytes = crate::fsutil::read_bounded(path, crate::fsutil::PLAN_LIMIT)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e.into()))?;
    let shown = path.display().to_string();
    let plan = crate::plan::Plan::parse(&shown, &bytes)?;
    for w in &plan.warnings {
        super::print_message(&format!("warning: {w}"));
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut config = check::plan::planned_config(&plan, &shown, &text, &settings.schemas);
    check::azapi::map(&mut config, &settings.schemas);
    if config.resources().is_empty() {
        return Err(Error::NothingToCheck(format!(
            "{shown} has no planned resources (no planned_values)"
        )));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = file_name
        .trim_end_matches(".json")
        .trim_end_matches(".plan")
        .trim_end_matches(".tfplan")
        .to_string();
    let parent = std::fs::canonicalize(path).ok().and_then(|p| {
        p.parent()
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    });
    let name = if settings.is_production(&stem) || parent.as_deref().is_none_or(|p| !settings.is_production(p)) {
        stem
    } else {
        parent.unwrap_or_default()
    };
    let production = production || settings.is_production(&name);
    let rules = || check::check_as(&config, settings, None, Some(&name), production);
    // `Plan::parse` has read these bytes as JSON already.
    let input = || check::policy::to_rego(&serde_json::from_slice(&bytes).unwrap_or_default());
    with_policies(rules, policies, input, (&config, settings), (None, Some(&name)))
}

/// The built-in rules' report (`rules()`), with the findings of `policies` (if any) over `input()` added, located in
/// `declared`: the policies build their input and run on a second thread while the rules run on this one.
fn with_policies(
    rules: impl FnOnce() -> Report,
    policies: Option<&mut Policies>,
    input: impl FnOnce() -> regorus::Value + Send,
    (declared, settings): (&Config, &Settings),
    names: (Option<&str>, Option<&str>),
) -> Result<Report, Error> {
    let Some(policies) = policies else {
        return Ok(rules());
    };
    let policy = move || check::policy::findings::evaluate(policies, &input(), (declared, settings), names);
    let (mut report, found) = crate::parallel::join(rules, policy);
    found?.add_to(&mut report);
    Ok(report)
}

/// Reads and checks one directory. Production when `production`, or when the directory's name is a production
/// stack in the settings.
fn check_dir(
    dir: &Path,
    settings: &Settings,
    (stack, production): (Option<&str>, bool),
    inputs: &Inputs,
    (secrets, policies): (&mut eval::Sensitive, Option<&mut Policies>),
) -> Result<Report, Error> {
    if !dir.is_dir() {
        return Err(Error::NotADirectory(dir.to_path_buf()));
    }
    let (config, mut unread) = Config::read_dir_lenient_with(dir, &settings.schemas)?;
    if config.files.is_empty() && !unread.is_empty() {
        return Err(Error::from(unread.swap_remove(0)));
    }
    let name = stack.map(str::to_string).or_else(|| {
        std::fs::canonicalize(dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    });
    let production = production || name.as_deref().is_some_and(|n| settings.is_production(n));
    // The root module's repeated resource blocks (`count` / `for_each`): those that evaluate to no instance are
    // noted, not silently dropped.
    let repeated: Vec<(String, Option<crate::terraform::Location>, &'static str)> = config
        .resources()
        .iter()
        .filter_map(|r| {
            r.repetition()
                .map(|(kind, _)| (r.address().to_string(), r.block.location.clone(), kind))
        })
        .collect();
    let declared_blocks = config.resources().len();
    // Rules judge the values Terraform would use: variables, locals and functions evaluated (unknowns left as
    // written), count / for_each / dynamic blocks expanded, called modules read.
    let evaluated = eval::evaluate(config, dir, inputs)?;
    // The rules read the configuration as azurerm 4 reads it: written for azurerm 3.x, with the 3.x argument names
    // (or not judged); azapi resources the rules know, as the azurerm resources they create. The policies read it as
    // declared. A copy is made only when there is something to rewrite.
    let declared = &evaluated.config;
    let mut judged = std::borrow::Cow::Borrowed(declared);
    let pin = crate::terraform::providers::pinned_major(dir, declared, crate::azurerm::PROVIDER_SOURCE);
    let mut notices = match pin {
        Some(pin) if pin.major < 4 => check::upgrade::upgrade(judged.to_mut(), &pin),
        _ => Vec::new(),
    };
    if check::azapi::maps_any(&judged) {
        check::azapi::map(judged.to_mut(), &settings.schemas);
    }
    notices.extend(no_instances(&repeated, &judged));
    for (address, source, why) in &evaluated.modules_not_read {
        // A module outside the repository is in `unread` (listed in every output format), not a warning.
        if why != crate::fsutil::OUTSIDE_REPOSITORY {
            super::print_message(&format!("warning: {address} (source {source:?}) was not read: {why}"));
        }
    }
    let mut unread: Vec<check::Unread> = unread.iter().map(check::Unread::from).collect();
    unread.extend(evaluated.unread.iter().map(check::Unread::from));
    if judged.resources().is_empty() && unread.is_empty() && declared_blocks == 0 && notices.is_empty() {
        return Err(Error::NothingToCheck(format!(
            "{} has no resource blocks",
            dir.display()
        )));
    }
    let rules = || check::check_as(&judged, settings, stack, name.as_deref(), production);
    let input = || check::policy::input::plan_shaped(declared, &settings.schemas);
    let names = (stack, name.as_deref());
    let mut report = with_policies(rules, policies, input, (declared, settings), names)?;
    report.unread = unread;
    report.notices = notices;
    report.unknown = check::unknown_inputs(evaluated.unknown);
    report.module_calls = evaluated.module_calls;
    *secrets = evaluated.sensitive;
    Ok(report)
}

/// A notice for each repeated resource block of the root module that has no instance after evaluation (`count = 0`,
/// an empty `for_each`): checked, with nothing in it to judge.
fn no_instances(
    repeated: &[(String, Option<crate::terraform::Location>, &'static str)],
    evaluated: &Config,
) -> Vec<check::Notice> {
    let instances: std::collections::BTreeSet<String> = evaluated
        .resources()
        .iter()
        .filter(|r| r.module.is_none())
        .map(|r| r.address().without_key().to_string())
        .collect();
    repeated
        .iter()
        .filter(|(address, _, _)| !instances.contains(address))
        .map(|(address, location, kind)| check::Notice {
            address: Some(address.clone()),
            location: location.clone(),
            message: format!("no instances: its `{kind}` gives none, so there is nothing to judge"),
        })
        .collect()
}

/// Every `stacks/*.toml`, rendered in memory and read back as `terraform/<stack>/<file>` (so locations point at the
/// committed files). A committed directory that differs from the rendering gets a warning on stderr: the findings
/// are about the stack, the locations about what `infra render` writes.
fn check_stacks(settings: &Settings, production: bool, mut policies: Option<&mut Policies>) -> Result<Report, Error> {
    let stacks = Path::new("stacks");
    let paths = crate::stack::stack_files(stacks).map_err(|source| Error::StackFiles {
        source,
        or: Some("check a Terraform directory with `infra check DIR`"),
    })?;
    let mut report = Report::empty(settings.fail_on);
    for path in paths {
        let stack = Stack::load(&path)?;
        let name = stack.name().to_string();
        let dir = Path::new("terraform").join(&name);
        let format = if dir.join("main.tf.json").is_file() {
            Format::Json
        } else {
            Format::Hcl
        };
        let rendered = render::render(&stack, format);
        let mut files = Vec::new();
        for file in &rendered.files {
            let shown = dir.join(&file.name).display().to_string();
            files.push(
                Config::parse_file_with(&shown, file.name.clone(), format, &file.to_text(), &settings.schemas)
                    .map_err(|e| Error::from(e).within(format!("stack {name}")))?,
            );
        }
        match render::check(&rendered, &dir) {
            Ok(r) if r.is_clean() => {}
            Ok(r) => {
                let problems: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
                super::print_message(&format!(
                    "warning: {} is not what {} renders ({}); run `infra render` (findings are about the stack)",
                    dir.display(),
                    path.display(),
                    problems.join("; ")
                ));
            }
            Err(e) => super::print_message(&format!(
                "warning: cannot compare {} with {}: {e}",
                dir.display(),
                path.display()
            )),
        }
        let config = Config { files };
        let prod = production || settings.is_production(&name);
        let rules = || check::check(&config, settings, Some(&name), prod);
        let input = || check::policy::input::plan_shaped(&config, &settings.schemas);
        let names = (Some(name.as_str()), Some(name.as_str()));
        report.merge(with_policies(
            rules,
            policies.as_deref_mut(),
            input,
            (&config, settings),
            names,
        )?);
    }
    Ok(report)
}

/// The arguments of the check at the base revision that are this run's: paths inside the checkout moved into the
/// exported tree by `at_base`; variable and schema files (this checkout's, not REF's) made absolute.
fn base_args(args: &CheckArgs, at_base: &dyn Fn(&Path) -> PathBuf) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    if let Some(path) = &args.path {
        out.push(at_base(path).into());
    }
    if args.production {
        out.push("--production".into());
    }
    out.extend(["--config".into(), at_base(&args.config).into()]);
    for v in &args.vars {
        out.extend(["--var".into(), v.into()]);
    }
    for l in &args.limits {
        out.extend(["--limit".into(), l.into()]);
    }
    for n in &args.namespace {
        out.extend(["--namespace".into(), n.into()]);
    }
    if args.all_namespaces {
        out.push("--all-namespaces".into());
    }
    // The policies of this checkout judge both trees: what is new is what the change introduces.
    for (flag, files) in [
        ("--var-file", &args.var_files),
        ("--providers-schema", &args.providers_schema),
        ("--policy", &args.policy),
        ("--data", &args.data),
    ] {
        for f in files {
            out.extend([
                flag.into(),
                std::fs::canonicalize(f).unwrap_or_else(|_| f.clone()).into(),
            ]);
        }
    }
    out
}

/// `--base REF`: the findings of the same check on the tree committed at REF, as a baseline. The tree is exported
/// (`git archive`) into a temporary directory this run creates and removes, and checked there by this same binary
/// from the same relative directory, with the same arguments (variable files made absolute; `infra.toml` is REF's).
fn at_revision(base: &str, args: &CheckArgs) -> Result<check::baseline::Baseline, Error> {
    let (root, prefix) = super::git::checkout_at(base)?;
    let export = super::git::BaseExport::create()?;
    let tree = export.tree();
    let archive = super::git::git(&["archive", "--format=tar", base])?;
    if !archive.status.success() {
        return Err(Error::Git {
            command: format!("git archive {base}"),
            stderr: String::from_utf8_lossy(&archive.stderr).trim().to_string(),
        });
    }
    let mut tar = std::process::Command::new("tar")
        .args(["-x", "-f", "-", "-C"])
        .arg(tree.as_path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("cannot run tar", e))?;
    {
        use std::io::Write as _;
        let mut stdin = tar.stdin.take().expect("piped");
        stdin
            .write_all(&archive.stdout)
            .map_err(|e| Error::io("cannot unpack the revision", e))?;
    }
    let status = tar.wait().map_err(|e| Error::io("cannot run tar", e))?;
    if !status.success() {
        return Err(Error::Unpack {
            base: base.to_string(),
            status,
        });
    }
    // The export is the repository: modules elsewhere in it are read there, as in the checkout (no `.git` was
    // exported; an empty one marks the root, see `fsutil::repository_root`).
    std::fs::create_dir_all(tree.as_path().join(".git"))
        .map_err(|e| Error::io(format!("cannot create {}", tree.as_path().display()), e))?;
    let cwd = tree.as_path().join(&prefix);
    let exe = std::env::current_exe().map_err(|e| Error::io("cannot find the infra binary", e))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.current_dir(&cwd).args(["check", "--format", "json"]);
    // A path inside the checkout given as an absolute path names the same place in REF's tree.
    let at_base = |p: &Path| -> PathBuf {
        let inside = std::fs::canonicalize(p)
            .ok()
            .zip(std::fs::canonicalize(&root).ok())
            .and_then(|(p, root)| p.strip_prefix(root).ok().map(|rel| tree.as_path().join(rel)));
        match inside {
            Some(moved) if p.is_absolute() => moved,
            _ => p.to_path_buf(),
        }
    };
    cmd.args(base_args(args, &at_base));
    let out = cmd
        .output()
        .map_err(|e| Error::io("cannot run infra check at the base revision", e))?;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|_| Error::BaseCheck {
        base: base.to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
    })?;
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    Ok(check::baseline::Baseline::from_findings(
        findings.iter().filter(|f| f["suppressed"] != true).map(|f| {
            (
                f["rule"].as_str().unwrap_or_default(),
                f["stack"].as_str(),
                f["address"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default(),
            )
        }),
    ))
}
