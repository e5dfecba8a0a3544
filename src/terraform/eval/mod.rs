//! Evaluates a Terraform configuration as far as it can be known before `terraform plan`: input variables
//! (defaults, `terraform.tfvars`, `*.auto.tfvars`, `--var-file`, `--var`, `TF_VAR_*`), locals (in dependency
//! order), the conditional / `for` / splat expressions and the `functions` people use in modules, on hcl-rs's
//! evaluator (`hcl::eval`).
//!
//! What cannot be known stays *unknown*: resource and data source attributes, module outputs, `path.*`,
//! `terraform.workspace`, functions that are not evaluated (`timestamp`, `file`, …), variables without a value.
//! [`evaluate`] returns the configuration with every attribute whose value is known replaced by that value (a
//! literal), and the others left as written — so `check` rules, which judge literals and treat anything else as
//! "not a violation", see evaluated values without changing — plus the list of attributes that stayed unknown.
//! Variables are converted to their type constraints (`types`); unknowns inside collections are tracked by the
//! `partial` evaluator (`unknown`), so a map with known keys expands; an attribute whose value is null is
//! removed (null is absent, as for Terraform).
//!
//! This file holds the entry ([`evaluate`]) and one module's evaluation (`evaluate_module`, `eval`); the steps are
//! beside it: `locals` (dependency order), `expand` (`count` / `for_each` instances), `walk` (a resource body's
//! known values, `dynamic` blocks), `modules` (module calls) and `module_source` (where a called module is).

mod arith;
mod expand;
mod functions;
mod limits;
mod locals;
mod module_source;
mod modules;
mod partial;
mod sensitive;
mod types;
mod unknown;
mod vars;
mod walk;

pub use limits::{LimitError, Limits};
pub(crate) use sensitive::{Sensitive, SensitiveAttribute};
pub use vars::Inputs;

use super::{Config, Expression, Location, ReadError, Structure};
use expand::expand_instances;
use hcl::eval::Context;
use hcl::Value;
use locals::evaluate_locals;
use module_source::installed_modules;
use modules::{call_modules, module_outputs};
use sensitive::Taint;
use std::collections::BTreeMap;
use std::path::Path;

/// An attribute of a resource whose value is not known before apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// `azurerm_container_registry.main`.
    pub address: String,
    /// The attribute's path within the resource: `sku`, `template.container.image`.
    pub attribute: String,
    /// Where the expression is written.
    pub location: Option<Location>,
    /// The expression, as written (empty for a [`reference`](Unknown::reference)).
    pub expression: String,
    /// The expression is a plain reference to another resource's or module's attribute, or a list of them
    /// (`azurerm_resource_group.main.name`, `[azurerm_user_assigned_identity.app.id]`) — which rules follow
    /// through the document. A data source's attribute is not: its value is only read at plan.
    pub reference: bool,
}

/// A configuration with its known values filled in.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The root module's files, then the files of every module it calls (local modules, and installed ones),
    /// recursively; a module's resources carry their module address (`module.web`).
    pub config: Config,
    /// How many of `config`'s files are the root module's (they come first).
    pub root_files: usize,
    /// Resource attributes whose value stays unknown, in file order.
    pub unknown: Vec<Unknown>,
    /// The values of the root module's input variables (a variable without a value is absent).
    pub variables: BTreeMap<String, Value>,
    /// The values of the root module's locals that could be known.
    pub locals: BTreeMap<String, Value>,
    /// Module calls whose source was not read: `(module address, source, why)`.
    pub modules_not_read: Vec<(String, String, String)>,
    /// Files that were not read: files of called modules that do not parse, variable files and module
    /// directories outside the repository (see `crate::fsutil::read_in_repository`), with their locations.
    pub unread: Vec<ReadError>,
    /// Every module call that was read: the module instance's address (`module.web`, `module.web.module.db[0]`)
    /// and where the call is written — the call chain of a finding in a module.
    pub module_calls: Vec<(String, Location)>,
    /// The sensitive resource attributes and secret strings ([`Sensitive::scrub`] before printing).
    pub(crate) sensitive: Sensitive,
}

/// Evaluates `config`, the module in `dir` (where `terraform.tfvars` and `*.auto.tfvars` are looked for), with
/// the values in `inputs`, and the modules it calls.
///
/// Modules: a local source (`./…`, `../…`) is read from its directory; any other source is read from where
/// `terraform init` installed it (`.terraform/modules/modules.json` in `dir`), or listed in
/// [`Evaluated::modules_not_read`]. The call's arguments are bound to the module's variables (an argument whose
/// value is unknown makes the variable unknown, not its default), and the module's outputs are `module.<name>.*`
/// for the caller.
///
/// Errors: a variable file that cannot be read or parsed, a `--var` for a variable the module does not declare,
/// a value that does not convert to the variable's type, locals that refer to each other in a cycle, a limit of
/// [`Inputs::limits`] reached (at the expression that reached it).
pub fn evaluate(config: Config, dir: &Path, inputs: &Inputs) -> Result<Evaluated, ReadError> {
    let _budget = limits::start(inputs.limits);
    unknown::reset();
    let repository = crate::fsutil::repository_root(dir);
    let mut unread = Vec::new();
    let (mut variables, from_env) = vars::values(&config, dir, inputs, &repository, &mut unread)?;
    let mut sensitive_vars = vars::sensitive(&config);
    sensitive_vars.extend(from_env);
    let mut sensitive = Sensitive::default();
    for name in &sensitive_vars {
        if let Some(v) = variables.get(name) {
            sensitive.add_value(v);
        }
    }
    if inputs.withhold_sensitive {
        for name in vars::sensitive(&config) {
            variables.remove(&name);
        }
    }
    let root_files = config.files.len();
    let mut state = State {
        withhold_sensitive: inputs.withhold_sensitive,
        unknown: Vec::new(),
        files: Vec::new(),
        not_read: Vec::new(),
        unread,
        calls: Vec::new(),
        installed: installed_modules(dir, &repository),
        root: dir.to_path_buf(),
        repository,
        stack: vec![std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())],
        sensitive,
        schemas: inputs.schemas.clone().unwrap_or_default(),
        modules_read: std::collections::HashMap::new(),
    };
    let module = evaluate_module(config, variables.clone(), &sensitive_vars, "", "", &mut state);
    if let Some(e) = limits::error() {
        return Err(e);
    }
    let module = module?;
    let mut files = module.files;
    files.extend(state.files);
    Ok(Evaluated {
        config: Config { files },
        root_files,
        unknown: state.unknown,
        variables,
        locals: module
            .locals
            .into_iter()
            .filter_map(|(k, v)| unknown::known_part(v).map(|v| (k, v)))
            .collect(),
        modules_not_read: state.not_read,
        unread: state.unread,
        module_calls: state.calls,
        sensitive: state.sensitive,
    })
}

/// What the recursion over modules collects.
struct State {
    /// See [`Inputs::withhold_sensitive`].
    withhold_sensitive: bool,
    unknown: Vec<Unknown>,
    /// Files of called modules, evaluated.
    files: Vec<super::File>,
    not_read: Vec<(String, String, String)>,
    unread: Vec<ReadError>,
    calls: Vec<(String, Location)>,
    /// `.terraform/modules/modules.json`: module key (`web`, `web.child`) → directory, relative to the root.
    installed: BTreeMap<String, String>,
    root: std::path::PathBuf,
    /// The repository `root` is in, resolved: no module outside it is read.
    repository: std::path::PathBuf,
    /// The directories of the modules being evaluated, outermost first (a module that calls itself stops).
    stack: Vec<std::path::PathBuf>,
    /// What is sensitive, recorded where values are substituted.
    sensitive: Sensitive,
    /// What called modules' `.tf.json` files are read with ([`Inputs::schemas`]).
    schemas: super::Schemas,
    /// Each called module's directory as read (or why it was not): a module called many times is read once.
    modules_read: std::collections::HashMap<std::path::PathBuf, Result<super::Config, String>>,
}

/// One module, evaluated.
struct Module {
    files: Vec<super::File>,
    locals: BTreeMap<String, Value>,
    outputs: hcl::Map<String, Value>,
    /// Outputs declared `sensitive` or whose value reads a sensitive value.
    sensitive_outputs: Vec<String>,
}

/// `module_path`: the module's address (`module.web`, `module.web.module.db[0]`, "" for the root); `key`: its key
/// in `modules.json` (`web.db`).
fn evaluate_module(
    config: Config,
    variables: BTreeMap<String, Value>,
    sensitive_vars: &std::collections::BTreeSet<String>,
    module_path: &str,
    key: &str,
    state: &mut State,
) -> Result<Module, ReadError> {
    let mut ctx = Context::new();
    functions::declare(&mut ctx);
    unknown::declare_entries("var", &variables);
    ctx.declare_var("var", Value::Object(variables.into_iter().collect()));
    let mut taint = Taint::of_variables(sensitive_vars);
    taint.add_locals(&config);
    // Locals first without module outputs (module arguments may use locals), then again with them.
    let mut locals = evaluate_locals(&config, &mut ctx)?;
    let (outputs, sensitive_outputs) = call_modules(&config, &ctx, &taint, module_path, key, state)?;
    if !outputs.is_empty() {
        unknown::declare_entries("module", &outputs);
        ctx.declare_var("module", Value::Object(outputs));
        locals = evaluate_locals(&config, &mut ctx)?;
    }
    if !sensitive_outputs.is_empty() {
        sensitive_outputs.into_iter().for_each(|o| taint.add(o));
        taint.add_locals(&config);
    }
    for (name, value) in &locals {
        if taint.has_local(name) {
            state.sensitive.add_value(value);
        }
    }
    let mut out = config;
    for file in &mut out.files {
        let structures = std::mem::take(&mut file.body.structures);
        file.body.structures.reserve(structures.len());
        for s in structures {
            match s {
                Structure::Block(b) if matches!(b.kind.as_str(), "resource" | "data") && b.labels.len() == 2 => {
                    let instances = expand_instances(b, &mut ctx, &taint, module_path, state);
                    file.body.structures.extend(instances.into_iter().map(Structure::Block));
                }
                other => file.body.structures.push(other),
            }
        }
    }
    let (outputs, sensitive_outputs) = module_outputs(&out, &ctx, &taint, state);
    Ok(Module {
        files: out.files,
        locals,
        outputs,
        sensitive_outputs,
    })
}

/// Why an expression has no value.
#[derive(Debug)]
enum NoValue {
    /// It depends on something not known before apply (an undefined variable or function).
    Unknown,
    /// Evaluating it fails (a missing key, a type error): `try` moves on, `can` is false.
    Error,
}

/// Evaluates `expr`: by hcl-rs when it reads no partial value ([`unknown`]) and evaluates there, else by the
/// [`partial`] evaluator (references to what is not known, `try`, `can`, unknowns inside values). Every value is
/// checked against the [`limits`] (and a `for` expression's estimated size before it runs); once a limit is
/// reached nothing more evaluates. `Err(NoValue::Unknown)` for a wholly unknown value; a value with unknown parts
/// is `Ok`.
fn eval(expr: &Expression, ctx: &Context) -> Result<Value, NoValue> {
    if limits::exceeded() || !limits::may_evaluate(expr, ctx) {
        return Err(NoValue::Error);
    }
    let value = if super::expr::is_literal(expr) {
        arith::evaluate(expr, ctx).map_err(|_| NoValue::Error)?
    } else {
        let fast = match unknown::reads_partial(expr) {
            true => None,
            false => arith::evaluate(expr, ctx).ok(),
        };
        match fast {
            Some(v) => v,
            None => partial::eval(expr, ctx).map_err(|_| NoValue::Error)?,
        }
    };
    if limits::exceeded() || limits::built(&value).is_err() {
        return Err(NoValue::Error);
    }
    if unknown::is(&value) {
        return Err(NoValue::Unknown);
    }
    Ok(value)
}
