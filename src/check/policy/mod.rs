//! `infra check --policy`: a team's own rules in OPA Rego, evaluated by regorus with conftest's semantics.
//!
//! [`Policies::load`] reads every `.rego` file under the given paths (Rego v1, or v0 when a file does not parse as
//! v1 and does not import `rego.v1`) and the data files (`--data`: JSON or YAML, merged at the root of `data`, as
//! conftest does). [`Policies::evaluate`] runs, in each namespace (package; `main` unless told otherwise), the
//! rules conftest runs: `deny`, `violation`, `warn` and their `deny_*` / `violation_*` / `warn_*` forms, each
//! result a string or an object with a `msg` string; a rule named by the namespace's `exception` (without its
//! `deny_` / `violation_` / `warn_` prefix) is skipped. The results become findings in [`findings`]; the input
//! document is built by [`input`].
//!
//! Policies are untrusted input (a pull request can change them): each file is bounded by regorus's policy length
//! limits (2 MiB, 20,000 lines, its defaults), the number of files by [`MAX_FILES`], and each evaluation by a
//! wall-clock limit ([`EVAL_LIMIT`]) that regorus checks cooperatively inside its loops, and its memory by a
//! ceiling in the process's allocator (`crate::heap`: 2 GiB in all, shared by the threads that evaluate the rules,
//! above what each held when the policies started; past it the process ends with a clear error).

pub(crate) mod findings;
pub(crate) mod input;
#[cfg(test)]
mod measure;
mod metadata;
pub(crate) mod test;

use crate::check::Severity;
use metadata::Annotations;
use std::path::{Path, PathBuf};

/// The most policy and data files one run loads.
pub(crate) const MAX_FILES: usize = 10_000;
/// The longest one evaluation (one namespace over one input, or one test) may run.
pub(crate) const EVAL_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);
/// The longest rule ID a result may set (`id` / `rule`).
const MAX_ID: usize = 128;

/// A policy or data file that cannot be used, or a policy that fails to evaluate.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PolicyError {
    /// A file or directory that cannot be read.
    #[error("cannot read policy {path}: {message}\nhelp: --policy and --data take files or directories (check.policy / check.policy_data in infra.toml: inside the repository)")]
    Read { path: String, message: String },
    /// A path with no `.rego` file under it.
    #[error("{path}: no .rego files\nhelp: --policy takes a .rego file or a directory of them")]
    NoPolicies { path: String },
    /// More files than [`MAX_FILES`].
    #[error(
        "{path}: more than {MAX_FILES} policy and data files\nhelp: point --policy at the directory of your policies"
    )]
    TooMany { path: String },
    /// A policy that does not parse or compile (regorus's message names file:line:col).
    #[error("{message}\nhelp: fix the policy (conftest and `opa check` report the same place)")]
    Parse { message: String },
    /// A data file that is not JSON or YAML, or that conflicts with another.
    #[error(
        "data file {path}: {message}\nhelp: --data takes JSON or YAML documents; each is merged at the root of `data`"
    )]
    Data { path: String, message: String },
    /// A policy that fails while it runs (a conflict, a builtin error, the time limit).
    #[error("policy namespace {namespace}: {message}\nhelp: fix the policy; `infra policy test` runs its tests")]
    Eval { namespace: String, message: String },
    /// A result that is neither a string nor an object with a `msg` string.
    #[error("policy {rule}: a result must be a string or an object with a `msg` string, found {found}\nhelp: return `msg` (conftest's form), e.g. {{\"msg\": \"...\"}}")]
    BadResult { rule: String, found: String },
}

/// Which namespaces to evaluate (conftest's `--namespace` and `--all-namespaces`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Namespaces {
    /// `main`.
    #[default]
    Main,
    /// These packages.
    Named(Vec<String>),
    /// Every package a policy declares.
    All,
}

/// The loaded policies, ready to evaluate.
pub(crate) struct Policies {
    engine: regorus::Engine,
    namespaces: Vec<String>,
    annotations: Annotations,
}

/// The kind of a conftest rule: what it means when it has results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `deny`, `deny_*`.
    Deny,
    /// `violation`, `violation_*`.
    Violation,
    /// `warn`, `warn_*`.
    Warn,
}

impl Kind {
    /// The kind of rule `name`, if conftest runs it; with the name an `exception` uses for it.
    fn of(name: &str) -> Option<(Kind, &str)> {
        for (prefix, kind) in [
            ("deny", Kind::Deny),
            ("violation", Kind::Violation),
            ("warn", Kind::Warn),
        ] {
            if name == prefix {
                return Some((kind, ""));
            }
            if let Some(rest) = name.strip_prefix(prefix).and_then(|r| r.strip_prefix('_')) {
                return Some((kind, rest));
            }
        }
        None
    }

    /// Its severity when the policy's METADATA does not say (`custom.severity`).
    pub(crate) fn severity(self) -> Severity {
        match self {
            Kind::Deny | Kind::Violation => Severity::High,
            Kind::Warn => Severity::Medium,
        }
    }
}

/// One result of one rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PolicyResult {
    /// The package (`main`, `avmsec`).
    pub namespace: String,
    /// The rule (`deny_public_registry`).
    pub rule: String,
    pub kind: Kind,
    /// The result's `msg` (or the string itself).
    pub message: String,
    /// The result's `id` or `rule` field, if any.
    pub id: Option<String>,
    /// The result's `address` (or `resource`) field, if any.
    pub address: Option<String>,
    /// The rule's METADATA: title, description, `custom.severity`.
    pub meta: metadata::RuleMeta,
}

impl Policies {
    /// Reads the `.rego` files under `policies` and the data files under `data`. `root`: when set, every file must
    /// be inside it (paths named by `infra.toml`, which a pull request can change).
    pub(crate) fn load(
        policies: &[PathBuf],
        data: &[PathBuf],
        namespaces: Namespaces,
        root: Option<&Path>,
    ) -> Result<Policies, PolicyError> {
        let mut engine = regorus::Engine::new();
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: EVAL_LIMIT,
            check_interval: std::num::NonZeroU32::new(256).expect("non-zero"),
        });
        let mut packages = std::collections::BTreeSet::new();
        let mut annotations = Annotations::default();
        for path in policies {
            let files = files_under(path, &["rego"], false)?;
            if files.is_empty() {
                return Err(PolicyError::NoPolicies {
                    path: path.display().to_string(),
                });
            }
            for file in files {
                let text = read(&file, root)?;
                let shown = file.display().to_string();
                let package = add_policy(&mut engine, &shown, &text)?;
                let package = package.strip_prefix("data.").unwrap_or(&package).to_string();
                annotations.read(&package, &text);
                packages.insert(package);
            }
        }
        for path in data {
            for file in files_under(path, &["json", "yaml", "yml"], false)? {
                let shown = file.display().to_string();
                let text = read(&file, root)?;
                let value = if shown.ends_with(".json") {
                    regorus::Value::from_json_str(&text)
                } else {
                    regorus::Value::from_yaml_str(&text)
                }
                .map_err(|e| PolicyError::Data {
                    path: shown.clone(),
                    message: e.to_string(),
                })?;
                engine.add_data(value).map_err(|e| PolicyError::Data {
                    path: shown,
                    message: e.to_string(),
                })?;
            }
        }
        let namespaces = match namespaces {
            Namespaces::Main => vec!["main".to_string()],
            Namespaces::Named(n) => n,
            Namespaces::All => packages.into_iter().collect(),
        };
        Ok(Policies {
            engine,
            namespaces,
            annotations,
        })
    }

    /// The results of every conftest rule of the namespaces over `input` (a plan as `terraform show -json` writes
    /// it, as [`to_rego`] reads it, or the plan-shaped document of [`input`]). The input is shared, not copied.
    ///
    /// As conftest does, each rule is its own query (`data.<namespace>.<rule>`), after the namespace's
    /// `exception`; the rules are spread over copies of the engine on the machine's cores
    /// ([`crate::parallel::map_runs`]), each thread under its share of the memory ceiling, the results in
    /// namespace and rule order whatever the threads.
    pub(crate) fn evaluate(&mut self, input: &regorus::Value) -> Result<Vec<PolicyResult>, PolicyError> {
        self.engine.set_input(input.clone());
        // OPA (and so conftest) makes a builtin's error undefined unless `--strict-builtin-errors`: `count(null)`
        // fails the expression, not the run. regorus's default is strict.
        self.engine.set_strict_builtin_errors(false);
        let mut rules: Vec<(&str, String, Kind)> = Vec::new();
        for namespace in &self.namespaces {
            let names = self
                .engine
                .get_rule_names(&format!("data.{namespace}"))
                .map_err(|e| eval_error(namespace, &e))?;
            let excepted = match names.iter().any(|n| n == "exception") {
                true => {
                    let ceiling = crate::heap::POLICY_CEILING;
                    let value =
                        crate::heap::with_ceiling(ceiling, || eval_rule(&mut self.engine, namespace, "exception"))?;
                    exceptions(&value)
                }
                false => std::collections::BTreeSet::new(),
            };
            for name in names {
                match Kind::of(&name) {
                    Some((kind, short)) if !excepted.contains(short) => rules.push((namespace, name, kind)),
                    _ => {}
                }
            }
        }
        let ceiling = crate::heap::POLICY_CEILING / crate::parallel::threads(rules.len());
        let (engine, annotations) = (&self.engine, &self.annotations);
        let runs = crate::parallel::map_runs(&rules, 1, |run| {
            crate::heap::with_ceiling(ceiling, || {
                let mut engine = engine.clone();
                let mut out = Vec::new();
                for (namespace, rule, kind) in run {
                    let value = eval_rule(&mut engine, namespace, rule)?;
                    let meta = annotations.rule(namespace, rule);
                    for result in results(&value) {
                        out.push(to_result(namespace, rule, *kind, &result, &meta)?);
                    }
                }
                Ok(out)
            })
        });
        let mut out = Vec::new();
        for run in runs {
            out.extend(run?);
        }
        Ok(out)
    }
}

/// The value of rule `rule` of package `namespace` (undefined: [`regorus::Value::Undefined`]), its error located.
fn eval_rule(engine: &mut regorus::Engine, namespace: &str, rule: &str) -> Result<regorus::Value, PolicyError> {
    let path = format!("data.{namespace}.{rule}");
    crate::heap::evaluating(&path);
    engine.eval_rule(path).map_err(|e| eval_error(namespace, &e))
}

fn eval_error(namespace: &str, e: &impl std::fmt::Display) -> PolicyError {
    PolicyError::Eval {
        namespace: namespace.to_string(),
        message: e.to_string(),
    }
}

/// Adds one policy: Rego v1, or v0 for a file that does not parse as v1 and does not import `rego.v1`. The
/// package's path (`data.main`).
fn add_policy(engine: &mut regorus::Engine, shown: &str, text: &str) -> Result<String, PolicyError> {
    engine.set_rego_v0(false);
    match engine.add_policy(shown.to_string(), text.to_string()) {
        Ok(package) => Ok(package),
        Err(v1) if !text.contains("rego.v1") => {
            engine.set_rego_v0(true);
            let v0 = engine.add_policy(shown.to_string(), text.to_string());
            engine.set_rego_v0(false);
            v0.map_err(|_| PolicyError::Parse {
                message: v1.to_string(),
            })
        }
        Err(e) => Err(PolicyError::Parse { message: e.to_string() }),
    }
}

/// The rule names (without prefix) a namespace's `exception` rule (its value `exception`) names: `exception
/// contains ["foo"]`, or `exception[rules] { rules := ["foo"] }` (v0).
fn exceptions(exception: &regorus::Value) -> std::collections::BTreeSet<String> {
    let text = |n: &regorus::Value| n.as_string().ok().map(|s| s.to_string());
    let mut out = std::collections::BTreeSet::new();
    for entry in results(exception) {
        match &entry {
            regorus::Value::Array(names) => out.extend(names.iter().filter_map(text)),
            regorus::Value::Set(names) => out.extend(names.iter().filter_map(text)),
            regorus::Value::String(s) => {
                out.insert(s.to_string());
            }
            _ => {}
        }
    }
    out
}

/// The results of one rule's value: each member of a set or array; a string or object on its own; `true` as one
/// result without a message.
fn results(value: &regorus::Value) -> Vec<regorus::Value> {
    match value {
        regorus::Value::Set(s) => s.iter().cloned().collect(),
        regorus::Value::Array(a) => a.iter().cloned().collect(),
        regorus::Value::Bool(false) | regorus::Value::Undefined | regorus::Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// One result as a [`PolicyResult`]: a string is the message; an object has a `msg` string and may name an `id`
/// (or `rule`) and an `address` (or `resource`).
fn to_result(
    namespace: &str,
    rule: &str,
    kind: Kind,
    result: &regorus::Value,
    meta: &metadata::RuleMeta,
) -> Result<PolicyResult, PolicyError> {
    // Matched, not `as_object()?`: regorus's accessors return an `anyhow` error for another kind of value, which
    // captures a backtrace when `RUST_BACKTRACE` is set (four per string result: 0.6 s of 42,000 results).
    let field = |name: &str| -> Option<String> {
        let regorus::Value::Object(o) = result else { return None };
        match o.get(&regorus::Value::from(name)) {
            Some(regorus::Value::String(s)) => Some(s.to_string()),
            _ => None,
        }
    };
    let message = match result {
        regorus::Value::String(s) => s.to_string(),
        regorus::Value::Bool(true) => String::new(),
        regorus::Value::Object(_) => field("msg").ok_or_else(|| bad_result(namespace, rule, result))?,
        _ => return Err(bad_result(namespace, rule, result)),
    };
    let id = field("id")
        .or_else(|| field("rule"))
        .map(|id| id.chars().take(MAX_ID).collect());
    Ok(PolicyResult {
        namespace: namespace.to_string(),
        rule: rule.to_string(),
        kind,
        message,
        id,
        address: field("address").or_else(|| field("resource")),
        meta: meta.clone(),
    })
}

fn bad_result(namespace: &str, rule: &str, result: &regorus::Value) -> PolicyError {
    let found = result.to_json_str().unwrap_or_default();
    PolicyError::BadResult {
        rule: format!("{namespace}.{rule}"),
        found: found.chars().take(200).collect(),
    }
}

/// Whether `id` names a policy rule rather than a built-in one: built-in IDs are letters then digits (`ACR001`,
/// `APPLY002`); a policy rule's is `namespace.rule` or a result's `id`, which has a `.` or a `_`
/// (`main.deny_public`, `AVM_SEC_137`).
pub(crate) fn is_policy_id(id: &str) -> bool {
    id.contains(['.', '_']) && id.len() <= MAX_ID
}

/// A policy's rule ID or title as the `&'static str` findings carry (the built-in rules' are constants). Each
/// distinct text is kept once for the rest of the run: bounded by the policies' distinct rule IDs (each at most
/// [`MAX_ID`] characters) and titles.
pub(crate) fn intern(s: String) -> &'static str {
    static TABLE: std::sync::LazyLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::LazyLock::new(Default::default);
    let mut table = TABLE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(s) = table.get(s.as_str()) {
        return s;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    table.insert(leaked);
    leaked
}

/// A JSON value as regorus's, read in place (no copy of the whole document first: the input of 12,000 resources
/// is hundreds of megabytes as JSON values).
pub(crate) fn to_rego(value: &serde_json::Value) -> regorus::Value {
    <regorus::Value as serde::Deserialize>::deserialize(value).unwrap_or(regorus::Value::Undefined)
}

/// The text of a policy or data file, bounded; inside `root` when set.
fn read(path: &Path, root: Option<&Path>) -> Result<String, PolicyError> {
    let shown = path.display().to_string();
    let text = match root {
        Some(root) => crate::fsutil::read_in_repository_text(path, root, crate::fsutil::FILE_LIMIT),
        None => crate::fsutil::read_bounded_text(path, crate::fsutil::FILE_LIMIT),
    };
    text.map_err(|e| PolicyError::Read {
        path: shown,
        message: e.to_string(),
    })
}

/// The files under `path` (itself, if a file) whose extension is one of `extensions`, sorted; hidden directories
/// skipped, and test files (`*_test.rego`, which `infra policy test` runs) unless `tests`, when walking a directory.
pub(crate) fn files_under(path: &Path, extensions: &[&str], tests: bool) -> Result<Vec<PathBuf>, PolicyError> {
    let mut out = Vec::new();
    walk(path, extensions, (true, tests), &mut out)?;
    out.sort();
    Ok(out)
}

/// `(top, tests)`: `path` was named by the user (taken whatever its name); test files are wanted.
fn walk(
    path: &Path,
    extensions: &[&str],
    (top, tests): (bool, bool),
    out: &mut Vec<PathBuf>,
) -> Result<(), PolicyError> {
    let read_error = |e: std::io::Error| PolicyError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.is_file() {
        let ext_ok = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e));
        if top || (ext_ok && (tests || !is_test_file(path))) {
            out.push(path.to_path_buf());
        }
        return Ok(());
    }
    for entry in std::fs::read_dir(path).map_err(read_error)? {
        let entry = entry.map_err(read_error)?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if out.len() >= MAX_FILES {
            return Err(PolicyError::TooMany {
                path: path.display().to_string(),
            });
        }
        walk(&entry.path(), extensions, (false, tests), out)?;
    }
    Ok(())
}

/// `foo_test.rego`: a file of tests, run by `infra policy test`, not by `infra check`.
fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with("_test.rego"))
}
