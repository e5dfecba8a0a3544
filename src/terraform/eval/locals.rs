//! `locals`, evaluated in dependency order (a cycle is an error naming every local in it).

use super::{eval, limits, unknown};
use crate::terraform::{Config, Expression, Location, ReadError};
use hcl::eval::Context;
use hcl::Value;
use std::collections::BTreeMap;

/// A local's expression and where it is written.
type LocalDefinitions<'c> = BTreeMap<String, (&'c Expression, Option<&'c Location>)>;

/// Every `locals` attribute, evaluated in dependency order; each known value is declared on `ctx` as `local.*`.
pub(super) fn evaluate_locals(config: &Config, ctx: &mut Context) -> Result<BTreeMap<String, Value>, ReadError> {
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
            let references = crate::terraform::expr::references(e);
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
