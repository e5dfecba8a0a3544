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

mod arith;
mod functions;
mod limits;
mod partial;
mod sensitive;
mod types;
mod unknown;
mod vars;

pub use limits::{LimitError, Limits};
pub(crate) use sensitive::{Sensitive, SensitiveAttribute};
pub use vars::Inputs;

use super::{Block, Body, Config, Expression, Location, ReadError, Structure};
use hcl::eval::Context;
use hcl::Value;
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

fn is_reference(e: &Expression) -> bool {
    match e {
        Expression::Traversal(t) => matches!(&t.expr, Expression::Variable(v)
            if !matches!(v.as_str(), "var" | "local" | "path" | "terraform" | "each" | "count" | "self" | "data")),
        Expression::Array(items) => !items.is_empty() && items.iter().all(is_reference),
        _ => false,
    }
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
}

/// One module, evaluated.
struct Module {
    files: Vec<super::File>,
    locals: BTreeMap<String, Value>,
    outputs: hcl::Map<String, Value>,
    /// Outputs declared `sensitive` or whose value reads a sensitive value.
    sensitive_outputs: Vec<String>,
}

/// How deep module calls are followed.
const MAX_MODULE_DEPTH: usize = 16;

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
                    let instances = expand_instances(b, &ctx, &taint, module_path, state);
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

/// A `resource` or `data` block once per instance (`count`, `for_each`, within the limits), each with its
/// instance key and module address added to its labels and its known values filled in; unknown attributes and
/// sensitive values are recorded in `state`.
fn expand_instances(block: Block, ctx: &Context, taint: &Taint, module_path: &str, state: &mut State) -> Vec<Block> {
    let base = match block.kind.as_str() {
        "data" => format!("data.{}.{}", block.labels[0], block.labels[1]),
        _ => format!("{}.{}", block.labels[0], block.labels[1]),
    };
    let shown = join_address(module_path, &base);
    let mut instances = instances(&block, ctx, &|n| limits::instances(n, &shown));
    if matches!(instances.as_slice(), [(None, _)]) && !limits::instances(1, &shown) {
        instances.clear();
    }
    let taint = match block.body.get("count") {
        Some(count) => taint.iterating("count", Some(count)),
        None => taint.iterating("each", block.body.get("for_each")),
    };
    let mut out = Vec::with_capacity(instances.len());
    let last = instances.pop();
    let copies = instances.into_iter().map(|i| (i, block.clone())).collect::<Vec<_>>();
    // One context for the instances, its `count` / `each` declared again for each.
    let mut own: Option<Context> = None;
    // The last instance takes the block itself: no copy for the usual single instance.
    for ((instance, binding), mut block) in copies.into_iter().chain(last.map(|i| (i, block))) {
        let ctx = bind(&mut own, ctx, binding);
        let mut address = base.clone();
        if let Some(instance) = &instance {
            address.push_str(instance);
        }
        if !module_path.is_empty() {
            address = format!("{module_path}.{address}");
            block.labels.push(instance.unwrap_or_default());
            block.labels.push(module_path.to_string());
        } else if let Some(instance) = instance {
            block.labels.push(instance);
        }
        let mut walk = Walk {
            address: &address,
            unknown: &mut state.unknown,
            record: block.kind == "resource",
            iterators: Vec::new(),
            taint: taint.clone(),
            sensitive: &mut state.sensitive,
        };
        walk.body(&mut block.body, "", ctx);
        out.push(block);
    }
    out
}

/// The known values of a module's outputs, and the names of the sensitive ones (declared `sensitive`, or
/// reading a sensitive value).
fn module_outputs(
    config: &Config,
    ctx: &Context,
    taint: &Taint,
    state: &mut State,
) -> (hcl::Map<String, Value>, Vec<String>) {
    let mut outputs = hcl::Map::new();
    let mut sensitive_outputs = Vec::new();
    for (_, block) in config.blocks_of("output") {
        let declared = block.body.get("sensitive").and_then(super::expr::as_bool) == Some(true);
        let (Some(name), Some(attribute)) = (block.labels.first(), block.body.attribute("value")) else {
            continue;
        };
        let value = &attribute.value;
        limits::at(attribute.location.as_ref());
        let secret = declared || taint.reads(value);
        if secret {
            sensitive_outputs.push(name.clone());
        }
        if state.withhold_sensitive && declared {
            continue;
        }
        if let Ok(v) = eval(value, ctx) {
            if secret {
                state.sensitive.add_value(&v);
            }
            outputs.insert(name.clone(), v);
        }
    }
    (outputs, sensitive_outputs)
}

/// Evaluates every `module` block of `config`; returns the known outputs as the value of `module`
/// (`module.<name>.<output>`; `module.<name>[key].<output>` for calls with `count` / `for_each`), and the sensitive
/// outputs (`module.<name>.<output>`). `taint`: what is sensitive in `config`.
fn call_modules(
    config: &Config,
    ctx: &Context,
    taint: &Taint,
    module_path: &str,
    key: &str,
    state: &mut State,
) -> Result<(hcl::Map<String, Value>, Vec<String>), ReadError> {
    let mut outputs = hcl::Map::new();
    let mut sensitive = SensitiveOutputs {
        taint: taint.clone(),
        names: Vec::new(),
    };
    let mut ctx = ctx.clone();
    for call in module_order(config) {
        if limits::exceeded() {
            break;
        }
        if !outputs.is_empty() {
            unknown::declare_entries("module", &outputs);
            ctx.declare_var("module", Value::Object(outputs.clone()));
        }
        let Some(name) = call.labels.first() else { continue };
        let Some(called) = read_called_module(call, name, module_path, key, state) else {
            continue;
        };
        if let Some(value) = evaluate_call(call, &called, &ctx, &mut sensitive, state)? {
            outputs.insert(name.clone(), value);
        }
    }
    Ok((outputs, sensitive.names))
}

/// The sensitive outputs of the modules called so far (`module.<name>.<output>`), and the caller's taint with
/// them added.
struct SensitiveOutputs {
    taint: Taint,
    names: Vec<String>,
}

/// A module call whose module was read.
struct CalledModule {
    /// The call's name (`web` in `module "web"`).
    name: String,
    /// The call's address (`module.web`, `module.web.module.db`).
    address: String,
    /// Its key in `modules.json` (`web.db`).
    key: String,
    dir: std::path::PathBuf,
    config: Config,
}

/// Reads the module a call names, or records in `state` why it was not read (no directory, it calls itself, it
/// does not parse).
fn read_called_module(
    call: &Block,
    name: &str,
    module_path: &str,
    key: &str,
    state: &mut State,
) -> Option<CalledModule> {
    let address = join_module(module_path, name);
    let module_key = if key.is_empty() {
        name.to_string()
    } else {
        format!("{key}.{name}")
    };
    let source = call
        .body
        .get("source")
        .and_then(super::expr::as_str)
        .unwrap_or_default()
        .to_string();
    let dir = module_dir(&source, call, &module_key, state)?;
    if state.stack.len() > MAX_MODULE_DEPTH || state.stack.contains(&dir) {
        state.not_read.push((address, source, "the module calls itself".into()));
        return None;
    }
    let (config, unread) = match Config::read_dir_in(&dir, &state.repository, &state.schemas) {
        Ok(r) => r,
        Err(e) => {
            state.not_read.push((address, source, e.to_string()));
            return None;
        }
    };
    state.unread.extend(unread);
    Some(CalledModule {
        name: name.to_string(),
        address,
        key: module_key,
        dir,
        config,
    })
}

/// Evaluates each instance of a module call (`count`, `for_each`, within the limits); returns the value of
/// `module.<name>`: the outputs of a single instance, a list of them (`count`) or a map by key (`for_each`).
fn evaluate_call(
    call: &Block,
    called: &CalledModule,
    ctx: &Context,
    sensitive: &mut SensitiveOutputs,
    state: &mut State,
) -> Result<Option<Value>, ReadError> {
    let address = &called.address;
    let instances = instances(call, ctx, &|n| limits::module_instances(n, address));
    if matches!(instances.as_slice(), [(None, _)]) {
        limits::module_instances(1, address);
    }
    let call_taint = match call.body.get("count") {
        Some(count) => sensitive.taint.iterating("count", Some(count)),
        None => sensitive.taint.iterating("each", call.body.get("for_each")),
    };
    let keyed = instances.first().is_some_and(|(k, _)| k.is_some());
    let (mut by_key, mut by_index, mut single) = (hcl::Map::new(), Vec::new(), None);
    let mut own: Option<Context> = None;
    for (instance, binding) in instances {
        if limits::exceeded() {
            break;
        }
        let ctx = bind(&mut own, ctx, binding);
        let (values, child_sensitive) = bind_arguments(call, &called.config, ctx, &call_taint, address, state)?;
        let instance_path = format!("{address}{}", instance.clone().unwrap_or_default());
        let module = evaluate_instance(call, called, values, &child_sensitive, &instance_path, state)?;
        for out in &module.sensitive_outputs {
            let out = format!("module.{}.{out}", called.name);
            if !sensitive.names.contains(&out) {
                sensitive.taint.add(out.clone());
                sensitive.names.push(out);
            }
        }
        match instance {
            Some(k) if k.starts_with("[\"") => {
                let k: String = serde_json::from_str(&k[1..k.len() - 1]).unwrap_or_default();
                by_key.insert(k, Value::Object(module.outputs));
            }
            Some(_) => by_index.push(Value::Object(module.outputs)),
            None => single = Some(Value::Object(module.outputs)),
        }
    }
    if !keyed {
        return Ok(single);
    }
    Ok(Some(if by_key.is_empty() {
        Value::Array(by_index)
    } else {
        Value::Object(by_key)
    }))
}

/// One instance of a called module, evaluated with its variables' `values` (its files, named by their path,
/// go to `state`): where the call is written is recorded as a step of the call chain.
fn evaluate_instance(
    call: &Block,
    called: &CalledModule,
    values: BTreeMap<String, Value>,
    sensitive_vars: &std::collections::BTreeSet<String>,
    instance_path: &str,
    state: &mut State,
) -> Result<Module, ReadError> {
    if let Some(l) = &call.location {
        state.calls.push((instance_path.to_string(), l.clone()));
    }
    state.stack.push(called.dir.clone());
    let module = evaluate_module(
        called.config.clone(),
        values,
        sensitive_vars,
        instance_path,
        &called.key,
        state,
    );
    state.stack.pop();
    let mut module = module?;
    for mut f in std::mem::take(&mut module.files) {
        f.name = called.dir.join(&f.name).display().to_string();
        state.files.push(f);
    }
    Ok(module)
}

/// The values of a called module's variables (defaults, then the call's arguments; an argument whose value is
/// unknown makes the variable unknown), and which of them are sensitive (declared so, or given a sensitive
/// value: their values are recorded as secrets).
fn bind_arguments(
    call: &Block,
    child: &Config,
    ctx: &Context,
    taint: &Taint,
    module: &str,
    state: &mut State,
) -> Result<(BTreeMap<String, Value>, std::collections::BTreeSet<String>), ReadError> {
    let mut values = vars::defaults(child)?;
    let mut sensitive = vars::sensitive(child);
    for a in call.body.attributes() {
        if matches!(
            a.name.as_str(),
            "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
        ) {
            continue;
        }
        if taint.reads(&a.value) {
            sensitive.insert(a.name.clone());
        }
        limits::at(a.location.as_ref());
        match eval(&a.value, ctx) {
            Ok(v) => {
                let v = vars::convert_argument(child, &a.name, v, module, a.location.as_ref())?;
                values.insert(a.name.clone(), v);
            }
            Err(_) => {
                values.remove(&a.name);
            }
        }
    }
    for name in &sensitive {
        if let Some(v) = values.get(name) {
            state.sensitive.add_value(v);
        }
    }
    if state.withhold_sensitive {
        for name in vars::sensitive(child) {
            values.remove(&name);
        }
    }
    Ok((values, sensitive))
}

/// The module calls of `config`, each after the calls whose outputs its arguments use (file order otherwise; calls
/// in a cycle in file order).
fn module_order(config: &Config) -> Vec<&Block> {
    let calls: Vec<&Block> = config.blocks_of("module").map(|(_, b)| b).collect();
    let needs = |b: &Block| -> Vec<String> {
        b.body
            .attributes()
            .flat_map(|a| super::expr::references(&a.value))
            .filter_map(|r| {
                r.strip_prefix("module.")
                    .map(|m| m.split(['.', '[']).next().unwrap_or(m).to_string())
            })
            .collect()
    };
    let mut done: Vec<&Block> = Vec::new();
    while done.len() < calls.len() {
        let next = calls
            .iter()
            .find(|b| {
                !done.iter().any(|d| std::ptr::eq(*d, **b))
                    && needs(b).iter().all(|n| {
                        !calls.iter().any(|c| c.labels.first() == Some(n))
                            || done.iter().any(|d| d.labels.first() == Some(n))
                    })
            })
            .or_else(|| calls.iter().find(|b| !done.iter().any(|d| std::ptr::eq(*d, **b))));
        match next {
            Some(b) => done.push(b),
            None => break,
        }
    }
    done
}

/// `address` inside the module at `module_path` (`module.web.azurerm_x.y`).
fn join_address(module_path: &str, address: &str) -> String {
    if module_path.is_empty() {
        address.to_string()
    } else {
        format!("{module_path}.{address}")
    }
}

/// The context of one instance: `ctx` itself, or `own` (a copy of `ctx` made once) with the instance's
/// `count` / `each` / iterator declared.
fn bind<'a, 'c>(own: &'a mut Option<Context<'c>>, ctx: &'a Context<'c>, binding: Binding) -> &'a Context<'c> {
    match binding {
        Some((name, value)) => {
            unknown::declare(&name, &value);
            let c = own.get_or_insert_with(|| ctx.clone());
            c.declare_var(name, value);
            c
        }
        None => ctx,
    }
}

fn join_module(module_path: &str, name: &str) -> String {
    if module_path.is_empty() {
        format!("module.{name}")
    } else {
        format!("{module_path}.module.{name}")
    }
}

/// The directory of a module call's source: relative to the calling module for `./` and `../`, else where
/// `terraform init` installed it. `None` (and a note in `state.not_read`) when it cannot be found, or when it
/// resolves outside the repository (then also in `state.unread`: "not read: outside the repository").
fn module_dir(source: &str, call: &Block, module_key: &str, state: &mut State) -> Option<std::path::PathBuf> {
    let caller = call
        .location
        .as_ref()
        .and_then(|l| Path::new(l.file.as_ref()).parent().map(Path::to_path_buf))
        .unwrap_or_else(|| state.root.clone());
    let address = || format!("module.{}", module_key.replace('.', ".module."));
    let dir = if source.starts_with("./") || source.starts_with("../") {
        lexical(&caller.join(source))
    } else if let Some(installed) = state.installed.get(module_key) {
        lexical(&state.root.join(installed))
    } else {
        let why = if source.is_empty() {
            "no literal `source`".to_string()
        } else {
            "not installed: run `terraform init` to read it (.terraform/modules/modules.json)".to_string()
        };
        state.not_read.push((address(), source.to_string(), why));
        return None;
    };
    match crate::fsutil::is_inside(&dir, &state.repository) {
        Ok(true) if dir.is_dir() => Some(dir),
        Ok(false) => {
            let why = crate::fsutil::ReadLimitError::Outside {
                root: state.repository.clone(),
            };
            let at = call
                .location
                .clone()
                .unwrap_or_else(|| Location::new(dir.display().to_string(), 1, 1));
            let message = format!("{} (source {source:?}) {why}", address());
            state.unread.push(ReadError::at(at, message));
            state
                .not_read
                .push((address(), source.to_string(), crate::fsutil::OUTSIDE_REPOSITORY.into()));
            None
        }
        _ => {
            state.not_read.push((
                address(),
                source.to_string(),
                format!("{} is not a directory", dir.display()),
            ));
            None
        }
    }
}

/// `path` without `.` components and with `dir/..` pairs removed (so locations read `modules/app/main.tf`).
fn lexical(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return std::path::PathBuf::from(".");
    }
    out.iter().collect()
}

/// `.terraform/modules/modules.json` of the root module: each installed module's key and directory (none when the
/// manifest is not in the repository at `repository`).
fn installed_modules(root: &Path, repository: &Path) -> BTreeMap<String, String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let manifest = root.join(".terraform/modules/modules.json");
    crate::fsutil::read_in_repository(&manifest, repository, crate::fsutil::FILE_LIMIT)
        .ok()
        .and_then(|t| serde_json::from_slice::<Manifest>(&t).ok())
        .map(|m| {
            m.modules
                .into_iter()
                .filter(|e| !e.key.is_empty())
                .map(|e| (e.key, e.dir))
                .collect()
        })
        .unwrap_or_default()
}

/// A local's expression and where it is written.
type LocalDefinitions<'c> = BTreeMap<String, (&'c Expression, Option<&'c Location>)>;

/// Every `locals` attribute, evaluated in dependency order; each known value is declared on `ctx` as `local.*`.
fn evaluate_locals(config: &Config, ctx: &mut Context) -> Result<BTreeMap<String, Value>, ReadError> {
    let mut defs = LocalDefinitions::new();
    for (_, block) in config.blocks_of("locals") {
        for a in block.body.attributes() {
            defs.insert(a.name.clone(), (&a.value, a.location.as_ref()));
        }
    }
    let deps = local_dependencies(&defs);
    // Kahn's algorithm: evaluate a local once everything it refers to is done.
    let mut done: BTreeMap<String, Option<Value>> = BTreeMap::new();
    loop {
        let ready: Vec<&str> = deps
            .iter()
            .filter(|(n, d)| !done.contains_key(**n) && d.iter().all(|d| done.contains_key(d)))
            .map(|(n, _)| *n)
            .collect();
        if ready.is_empty() {
            break;
        }
        for name in ready {
            let (expr, location) = defs[name];
            limits::at(location);
            // Only the locals it refers to (a copy of every local for every local is quadratic).
            let local: hcl::Map<String, Value> = deps[name]
                .iter()
                .filter_map(|d| done.get(d).cloned().flatten().map(|v| (d.clone(), v)))
                .collect();
            ctx.declare_var("local", Value::Object(local));
            let value = eval(expr, ctx).ok();
            if let Some(v) = &value {
                unknown::declare(&format!("local.{name}"), v);
            }
            done.insert(name.to_string(), value);
        }
        if limits::exceeded() {
            break;
        }
    }
    if done.len() < defs.len() && !limits::exceeded() {
        return Err(cycle_error(&defs, &done));
    }
    let known: BTreeMap<String, Value> = done.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    ctx.declare_var("local", Value::Object(known.clone().into_iter().collect()));
    Ok(known)
}

/// The locals each local refers to (sorted, once each; `local["name"]` refers to every other local).
fn local_dependencies<'d>(defs: &'d LocalDefinitions) -> BTreeMap<&'d str, Vec<String>> {
    defs.iter()
        .map(|(name, (e, _))| {
            let references = super::expr::references(e);
            let mut d: Vec<String> = if references.iter().any(|r| r.starts_with("local[")) {
                // `local["name"]`: any local.
                defs.keys().filter(|k| k.as_str() != name.as_str()).cloned().collect()
            } else {
                references
                    .iter()
                    .filter_map(|r| r.strip_prefix("local."))
                    .map(|r| r.split(['.', '[']).next().unwrap_or(r).to_string())
                    .filter(|r| defs.contains_key(r))
                    .collect()
            };
            d.sort();
            d.dedup();
            (name.as_str(), d)
        })
        .collect()
}

/// The locals that were never ready refer to each other in a cycle: the error names them all, at the first.
fn cycle_error(defs: &LocalDefinitions, done: &BTreeMap<String, Option<Value>>) -> ReadError {
    let mut cycle: Vec<&str> = defs
        .keys()
        .map(String::as_str)
        .filter(|n| !done.contains_key(*n))
        .collect();
    cycle.sort();
    let first = cycle[0];
    let message = format!(
        "locals refer to each other in a cycle: {}",
        cycle
            .iter()
            .map(|n| format!("local.{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let message = format!("{message}\nhelp: a local cannot depend on itself, directly or through other locals");
    match defs[first].1 {
        Some(l) => ReadError::at(l.clone(), message),
        None => ReadError::new(message),
    }
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

/// The variable an instance declares: `count` = `{ index }`, `each` = `{ key, value }`, a `dynamic` block's
/// iterator = `{ key, value }`.
type Binding = Option<(String, Value)>;

/// The instances of a resource block or module call: `(key, binding)` for each, the key as Terraform prints it
/// (`[0]`, `["api"]`) and the variable the instance declares. A block without `count` or `for_each`, or whose
/// collection is not known, is one instance without a key (checked as written). `admit` is asked, before any
/// instance is made, whether that many may be (a limit).
fn instances(block: &Block, ctx: &Context, admit: &dyn Fn(u64) -> bool) -> Vec<(Option<String>, Binding)> {
    let single = || vec![(None, None)];
    if let Some(count) = block.body.attribute("count") {
        limits::at(count.location.as_ref());
        let Some(n) = eval(&count.value, ctx).ok().as_ref().and_then(whole_number) else {
            return single();
        };
        if !admit(n) {
            return single();
        }
        return (0..n)
            .map(|i| {
                let index = Value::Object([("index".to_string(), Value::from(i))].into_iter().collect());
                (Some(format!("[{i}]")), Some(("count".to_string(), index)))
            })
            .collect();
    }
    if let Some(for_each) = block.body.attribute("for_each") {
        limits::at(for_each.location.as_ref());
        let Ok(collection) = eval(&for_each.value, ctx) else {
            return single();
        };
        let Some(items) = for_each_items(collection) else {
            return single();
        };
        if !admit(items.len() as u64) {
            return single();
        }
        return items
            .into_iter()
            .map(|(k, v)| {
                let key = format!("[{}]", super::expr::quote(&k));
                let each = [("key".to_string(), Value::from(k)), ("value".to_string(), v)];
                (
                    Some(key),
                    Some(("each".to_string(), Value::Object(each.into_iter().collect()))),
                )
            })
            .collect();
    }
    single()
}

/// A `count`: a whole number, not negative (`1e2` is 100; `1.5`, `-1` are not counts).
fn whole_number(v: &Value) -> Option<u64> {
    let n = v.as_number()?;
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x < 1.8e19)
            .map(|x| x as u64)
    })
}

/// A resource's `for_each` collection as (key, value) pairs in Terraform's order (keys sorted): a map's entries,
/// or a set of strings' elements as both key and value. `None` for anything else (Terraform rejects it).
fn for_each_items(collection: Value) -> Option<Vec<(String, Value)>> {
    let mut items: Vec<(String, Value)> = match collection {
        Value::Object(o) => o.into_iter().collect(),
        // A set with an unknown element has unknown instance keys.
        Value::Array(l) => l
            .into_iter()
            .map(|v| {
                v.as_str()
                    .filter(|_| !unknown::is(&v))
                    .map(|s| (s.to_string(), v.clone()))
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    items.sort_by(|a, b| a.0.cmp(&b.0));
    items.dedup_by(|a, b| a.0 == b.0);
    Some(items)
}

/// A `dynamic` block's `for_each` as (key, value) pairs: a list's index and element, a map's key and value.
fn dynamic_items(collection: Value) -> Option<Vec<(Value, Value)>> {
    match collection {
        Value::Array(l) => Some(l.into_iter().enumerate().map(|(i, v)| (Value::from(i), v)).collect()),
        Value::Object(o) => Some(o.into_iter().map(|(k, v)| (Value::from(k), v)).collect()),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

struct Walk<'a> {
    address: &'a str,
    unknown: &'a mut Vec<Unknown>,
    /// Record unknown attributes (managed resources only: data sources are read, not checked).
    record: bool,
    /// The iterators of the `dynamic` blocks being generated (`container`, or the `iterator` argument).
    iterators: Vec<String>,
    /// What reads a sensitive value here.
    taint: Taint,
    /// Where sensitive attributes and their values are recorded.
    sensitive: &'a mut Sensitive,
}

impl Walk<'_> {
    fn body(&mut self, body: &mut Body, path: &str, ctx: &Context) {
        let structures = std::mem::take(&mut body.structures);
        body.structures.reserve(structures.len());
        for s in structures {
            match s {
                Structure::Attribute(mut a) => {
                    limits::at(a.location.as_ref());
                    let at = join(path, &a.name);
                    // Meta-arguments keep their expressions: they are about the resource, not its settings.
                    if path.is_empty() && matches!(a.name.as_str(), "count" | "for_each" | "depends_on" | "provider") {
                        body.structures.push(Structure::Attribute(a));
                        continue;
                    }
                    let (value, known) = self.value(&a.value, ctx);
                    // Null is absent: an argument whose value is null is not set (the provider's default applies).
                    if matches!(value.as_ref().unwrap_or(&a.value), Expression::Null) {
                        continue;
                    }
                    if self.taint.reads(&a.value) {
                        self.mark(&at, a.location.as_ref(), value.as_ref());
                    }
                    if !known && self.record {
                        let reference = is_reference(&a.value);
                        self.unknown.push(Unknown {
                            address: self.address.to_string(),
                            attribute: at,
                            location: a.location.clone(),
                            expression: if reference {
                                String::new()
                            } else {
                                super::expr::to_hcl(&a.value)
                            },
                            reference,
                        });
                    }
                    if let Some(value) = value {
                        a.value = value;
                    }
                    body.structures.push(Structure::Attribute(a));
                }
                Structure::Block(b) if b.kind == "dynamic" && b.labels.len() == 1 => {
                    for generated in self.dynamic(b, path, ctx) {
                        body.structures.push(Structure::Block(generated));
                    }
                }
                Structure::Block(mut b) => {
                    if !(path.is_empty() && b.kind == "lifecycle") {
                        let at = join(path, &b.kind);
                        self.body(&mut b.body, &at, ctx);
                    }
                    body.structures.push(Structure::Block(b));
                }
            }
        }
    }

    /// The blocks a `dynamic "name"` block generates: one per element of a known `for_each`, with the iterator
    /// (`name`, or the `iterator` argument) declared as `{ key, value }`. When `for_each` is not known the block
    /// *may be present*: its content once, with the iterator unknown — a rule that requires the block does not
    /// fire, a rule that inspects its content does, on the content.
    fn dynamic(&mut self, b: Block, path: &str, ctx: &Context) -> Vec<Block> {
        let name = b.labels[0].clone();
        let iterator = match b.body.get("iterator") {
            Some(Expression::Variable(v)) => v.to_string(),
            _ => name.clone(),
        };
        let content = b
            .body
            .block("content")
            .cloned()
            .unwrap_or_else(|| Block::new("content"));
        let generate = |walk: &mut Self, ctx: &Context| {
            let mut block = Block {
                kind: name.clone(),
                labels: Vec::new(),
                body: content.body.clone(),
                location: content.location.clone().or_else(|| b.location.clone()),
            };
            walk.body(&mut block.body, &join(path, &name), ctx);
            block
        };
        let items = b
            .body
            .get("for_each")
            .and_then(|e| eval(e, ctx).ok())
            .and_then(dynamic_items);
        self.iterators.push(iterator.clone());
        let outer = self.taint.clone();
        self.taint = outer.iterating(&iterator, b.body.get("for_each"));
        let blocks = match items {
            Some(items) => {
                let mut own: Option<Context> = None;
                let mut blocks = Vec::with_capacity(items.len());
                for (k, v) in items {
                    if limits::work(1, || format!("dynamic \"{name}\" blocks")).is_err() {
                        break;
                    }
                    let item = Value::Object([("key".to_string(), k), ("value".to_string(), v)].into_iter().collect());
                    let c = bind(&mut own, ctx, Some((iterator.clone(), item)));
                    blocks.push(generate(self, c));
                }
                blocks
            }
            None => vec![generate(self, ctx)],
        };
        self.iterators.pop();
        self.taint = outer;
        blocks
    }

    /// Records the attribute at `path`, which reads a sensitive value, and the strings of its value.
    fn mark(&mut self, path: &str, location: Option<&Location>, value: Option<&Expression>) {
        self.sensitive.add_attribute(SensitiveAttribute {
            address: self.address.to_string(),
            attribute: path.to_string(),
            location: location.cloned(),
        });
        if let Some(v) = value {
            self.sensitive.add_literals(v);
        }
    }

    /// A traversal from a root the evaluator does not declare (a resource type, `data`, `path`, …), or a
    /// non-empty list of them.
    fn unknown_reference(&self, e: &Expression) -> bool {
        match e {
            Expression::Traversal(t) => match &t.expr {
                Expression::Variable(v) => {
                    let root = v.as_str();
                    !matches!(root, "var" | "local" | "module" | "each" | "count")
                        && !self.iterators.iter().any(|i| i == root)
                }
                _ => false,
            },
            Expression::Array(items) => !items.is_empty() && items.iter().all(|i| self.unknown_reference(i)),
            _ => false,
        }
    }

    /// The expression with its known parts evaluated (`None`: unchanged), and whether all of it is known: the
    /// whole value when it is known; else, for an object or tuple written out, each element that is known.
    fn value(&self, e: &Expression, ctx: &Context) -> (Option<Expression>, bool) {
        if super::expr::is_literal(e) {
            return (None, true);
        }
        // A reference to a resource, data source, path.* … (or a list of them): unknown without asking the
        // evaluator — the fast path for most references in a configuration.
        if self.unknown_reference(e) {
            return (None, false);
        }
        // A value with unknown parts stays as written, unknown (the marker never enters the document), unless
        // it is an object or tuple written out: then each part that is known.
        match eval(e, ctx) {
            Ok(v) if !unknown::within(&v) => return (Some(Expression::from(v)), true),
            _ => {}
        }
        let part = |v: &Expression| self.value(v, ctx).0.unwrap_or_else(|| v.clone());
        match e {
            Expression::Object(obj) => (
                Some(Expression::Object(
                    obj.iter().map(|(k, v)| (k.clone(), part(v))).collect(),
                )),
                false,
            ),
            Expression::Array(items) => (Some(Expression::Array(items.iter().map(part).collect())), false),
            _ => (None, false),
        }
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}
