//! Module calls: each `module` block's source read ([`super::module_source`]), its arguments bound to the
//! module's variables, each instance (`count`, `for_each`) evaluated with [`super::evaluate_module`], and the
//! outputs returned as `module.<name>.*` for the caller — in the order the calls' arguments need them.

use super::expand::{instances, Scope};
use super::module_source::module_dir;
use super::sensitive::Taint;
use super::{eval, evaluate_module, limits, unknown, vars, Module, State};
use crate::terraform::{Block, Config, ReadError};
use hcl::eval::Context;
use hcl::Value;
use std::collections::BTreeMap;

/// How deep module calls are followed.
const MAX_MODULE_DEPTH: usize = 16;

/// The known values of a module's outputs, and the names of the sensitive ones (declared `sensitive`, or
/// reading a sensitive value).
pub(super) fn module_outputs(
    config: &Config,
    ctx: &Context,
    taint: &Taint,
    state: &mut State,
) -> (hcl::Map<String, Value>, Vec<String>) {
    let mut outputs = hcl::Map::new();
    let mut sensitive_outputs = Vec::new();
    for (_, block) in config.blocks_of("output") {
        let declared = block.body.get("sensitive").and_then(crate::terraform::expr::as_bool) == Some(true);
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
pub(super) fn call_modules(
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
    // `module` is declared again only for a call that reads another call's outputs, and only if outputs were
    // added since: declaring it before every call copied every output so far (quadratic in the calls).
    let mut stale = false;
    for (call, reads_modules) in module_order(config) {
        if limits::exceeded() {
            break;
        }
        if reads_modules && stale {
            ctx.declare_var("module", Value::Object(outputs.clone()));
            stale = false;
        }
        let Some(name) = call.labels.first() else { continue };
        let Some(called) = read_called_module(call, name, module_path, key, state) else {
            continue;
        };
        if let Some(value) = evaluate_call(call, &called, &mut ctx, &mut sensitive, state)? {
            unknown::declare_entries("module", [(name, &value)]);
            outputs.insert(name.clone(), value);
            stale = true;
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
        .and_then(crate::terraform::expr::as_str)
        .unwrap_or_default()
        .to_string();
    let dir = module_dir(&source, call, &module_key, state)?;
    if state.stack.len() > MAX_MODULE_DEPTH || state.stack.contains(&dir) {
        state.not_read.push((address, source, "the module calls itself".into()));
        return None;
    }
    // Read once per directory (its files' own errors reported once); a call of the same module again gets a copy.
    if !state.modules_read.contains_key(&dir) {
        let read = match Config::read_dir_in(&dir, &state.repository, &state.schemas) {
            Ok((config, unread)) => {
                state.unread.extend(unread);
                Ok(config)
            }
            Err(e) => Err(e.to_string()),
        };
        state.modules_read.insert(dir.clone(), read);
    }
    let config = match &state.modules_read[&dir] {
        Ok(config) => config.clone(),
        Err(e) => {
            state.not_read.push((address, source, e.clone()));
            return None;
        }
    };
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
    ctx: &mut Context,
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
    let mut scope = Scope::new(ctx);
    for (instance, binding) in instances {
        if limits::exceeded() {
            break;
        }
        let ctx = scope.bind(binding);
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
/// in a cycle in file order), each with whether its arguments read any `module.…` value.
fn module_order(config: &Config) -> Vec<(&Block, bool)> {
    let calls: Vec<&Block> = config.blocks_of("module").map(|(_, b)| b).collect();
    // The calls each call reads (`module.<name>…` in its arguments), by index; whether it reads any module.
    let index: std::collections::HashMap<&str, usize> = calls
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.labels.first().map(|n| (n.as_str(), i)))
        .collect();
    let reads: Vec<(Vec<usize>, bool)> = calls
        .iter()
        .map(|b| {
            let names: Vec<String> = b
                .body
                .attributes()
                .flat_map(|a| crate::terraform::expr::references(&a.value))
                .filter_map(|r| {
                    r.strip_prefix("module.")
                        .map(|m| m.split(['.', '[']).next().unwrap_or(m).to_string())
                })
                .collect();
            let needs = names.iter().filter_map(|n| index.get(n.as_str()).copied()).collect();
            (needs, !names.is_empty())
        })
        .collect();
    // Repeatedly the first call (in file order) whose calls are all done; on a cycle, the first not done.
    let mut done = vec![false; calls.len()];
    let mut order = Vec::with_capacity(calls.len());
    let mut first_open = 0;
    while order.len() < calls.len() {
        while done[first_open] {
            first_open += 1;
        }
        let ready = (first_open..calls.len()).find(|&i| !done[i] && reads[i].0.iter().all(|&n| done[n]));
        let next = ready.unwrap_or(first_open);
        done[next] = true;
        order.push((calls[next], reads[next].1));
    }
    order
}

fn join_module(module_path: &str, name: &str) -> String {
    if module_path.is_empty() {
        format!("module.{name}")
    } else {
        format!("{module_path}.module.{name}")
    }
}
