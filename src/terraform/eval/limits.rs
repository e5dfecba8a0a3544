//! How much the evaluator may build: a configuration from a pull request is untrusted, and `count = 100000000`,
//! locals that double a string forty times or a `for` nested three deep over a thousand elements must end in an
//! error naming the expression and the limit, not in an abort after gigabytes.
//!
//! [`Limits`] are the numbers (defaults generous for real code; `infra check --limit NAME=VALUE` and
//! `[limits]` in `infra.toml` raise them). While [`super::evaluate`] runs, a per-thread [`Budget`] counts what
//! has been built against them: the functions (plain `fn` pointers, as hcl-rs declares them) and the evaluator
//! report to it, and the first limit reached stops the evaluation with an error at the expression being
//! evaluated.

use super::super::{Location, ReadError};
use super::arith;
use hcl::eval::Context;
use hcl::{Expression, Value};
use std::cell::RefCell;

/// What one evaluation may build. Every limit has a name (`Limits::NAMES`) for `--limit NAME=VALUE` and
/// `infra.toml`'s `[limits]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Instances of one resource or data block (`count`, or the elements of `for_each`). Default 10,000.
    pub instances_per_resource: u64,
    /// Resource and data instances in all, across every module. Default 100,000.
    pub instances: u64,
    /// Module instances in all (each call, and each `count` / `for_each` instance of a call). Default 1,000.
    pub module_instances: u64,
    /// The size in bytes of any one value built (a string's bytes; a list or map the sum of its elements and
    /// keys, plus 8 per element). Default 16 MiB.
    pub value_size: u64,
    /// Total work, in bytes of values built plus one per `for` iteration and per instance. Default 256 Mi.
    pub work: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            instances_per_resource: 10_000,
            instances: 100_000,
            module_instances: 1_000,
            value_size: 16 << 20,
            work: 256 << 20,
        }
    }
}

impl Limits {
    /// The limits' names, as `--limit` and `[limits]` spell them.
    pub(crate) const NAMES: [&'static str; 5] = [
        "instances_per_resource",
        "instances",
        "module_instances",
        "value_size",
        "work",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut u64> {
        Some(match name {
            "instances_per_resource" => &mut self.instances_per_resource,
            "instances" => &mut self.instances,
            "module_instances" => &mut self.module_instances,
            "value_size" => &mut self.value_size,
            "work" => &mut self.work,
            _ => return None,
        })
    }

    /// The value of the limit called `name`.
    pub fn get(&self, name: &str) -> Option<u64> {
        let mut copy = *self;
        copy.slot(name).map(|v| *v)
    }

    /// Sets the limit called `name`; the error says which names exist.
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), LimitError> {
        let name = name.trim();
        let slot = self.slot(name).ok_or_else(|| LimitError::Unknown(name.to_string()))?;
        if value == 0 {
            return Err(LimitError::Zero(name.to_string()));
        }
        *slot = value;
        Ok(())
    }

    /// Applies `NAME=VALUE` (`--limit instances=200000`).
    pub fn set_from_arg(&mut self, arg: &str) -> Result<(), LimitError> {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| LimitError::NotNameValue(arg.to_string()))?;
        let value: u64 = value
            .trim()
            .replace('_', "")
            .parse()
            .map_err(|_| LimitError::NotANumber {
                arg: arg.to_string(),
                name: name.trim().to_string(),
                value: value.trim().to_string(),
            })?;
        self.set(name, value)
    }
}

/// Why a limit cannot be set (`--limit`, `[limits]` in infra.toml).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// No limit has this name.
    #[error("no limit `{0}`\nhelp: the limits are {names}", names = Limits::NAMES.join(", "))]
    Unknown(String),
    /// A limit of 0 would stop every evaluation.
    #[error("limit `{0}` must be at least 1")]
    Zero(String),
    /// `--limit` without `=`.
    #[error("--limit {0:?} is not NAME=VALUE\nhelp: write --limit instances=200000")]
    NotNameValue(String),
    /// `--limit NAME=VALUE` whose value is not a whole number.
    #[error("--limit {arg:?}: `{value}` is not a whole number\nhelp: write --limit {name}=200000")]
    NotANumber {
        /// The argument as given.
        arg: String,
        /// The limit's name.
        name: String,
        /// The value as given.
        value: String,
    },
}

/// Which limit was reached, where, and by what.
#[derive(Debug, Clone)]
struct Exceeded {
    limit: &'static str,
    value: u64,
    what: String,
    location: Option<Location>,
}

/// What one evaluation has built so far, against its [`Limits`].
pub(crate) struct Budget {
    limits: Limits,
    work: u64,
    instances: u64,
    module_instances: u64,
    /// The expression being evaluated (an attribute, a local, `count` / `for_each`): where an error points.
    at: Option<Location>,
    exceeded: Option<Exceeded>,
}

thread_local! {
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Ends the budget [`start`] began when dropped.
pub(crate) struct Guard(Option<Budget>);

impl Drop for Guard {
    fn drop(&mut self) {
        let previous = self.0.take();
        BUDGET.with(|b| *b.borrow_mut() = previous);
    }
}

/// Starts counting against `limits` on this thread (until the guard is dropped).
pub(crate) fn start(limits: Limits) -> Guard {
    let budget = Budget {
        limits,
        work: 0,
        instances: 0,
        module_instances: 0,
        at: None,
        exceeded: None,
    };
    Guard(BUDGET.with(|b| b.borrow_mut().replace(budget)))
}

fn with<T>(f: impl FnOnce(&mut Budget) -> T) -> Option<T> {
    BUDGET.with(|b| b.borrow_mut().as_mut().map(f))
}

/// The limits in force (the defaults outside an evaluation).
pub(crate) fn limits() -> Limits {
    with(|b| b.limits).unwrap_or_default()
}

/// Errors from here on point at `location`.
pub(crate) fn at(location: Option<&Location>) {
    with(|b| b.at = location.cloned());
}

/// True once a limit has been reached: evaluation stops.
pub(crate) fn exceeded() -> bool {
    with(|b| b.exceeded.is_some()).unwrap_or(false)
}

/// Records that `limit` was reached by `what` (the first one counts) and returns the message for a function.
fn exceed(limit: &'static str, what: String) -> LimitReached {
    with(|b| {
        if b.exceeded.is_none() {
            let value = b.limits.get(limit).unwrap_or_default();
            b.exceeded = Some(Exceeded {
                limit,
                value,
                what: what.clone(),
                location: b.at.clone(),
            });
        }
    });
    LimitReached { limit, what }
}

/// A limit reached while evaluating: which one, and what reached it. The evaluation stops there; [`error`] turns
/// the first one into the error the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: over infra's limit `{limit}`")]
pub(crate) struct LimitReached {
    /// The limit's name (`work`, `value_size`).
    pub limit: &'static str,
    /// What reached it (`join would build 2000000 bytes`).
    pub what: String,
}

/// hcl-rs functions return `Result<Value, String>` (`hcl::eval::Func`): a limit reached inside one becomes its
/// error text.
impl From<LimitReached> for String {
    fn from(e: LimitReached) -> String {
        e.to_string()
    }
}

/// The error for the limit reached, if any, as a [`ReadError`] at the expression that reached it.
pub(crate) fn error() -> Option<ReadError> {
    let e = with(|b| b.exceeded.clone()).flatten()?;
    let message = format!(
        "{}: more than infra's limit `{}` ({}) for evaluating untrusted Terraform\nhelp: if the configuration \
         really needs it, raise the limit: `--limit {}=N`, or `{} = N` under `[limits]` in infra.toml",
        e.what, e.limit, e.value, e.limit, e.limit
    );
    Some(match e.location {
        Some(l) => ReadError::at(l, message),
        None => ReadError::new(message),
    })
}

/// Adds `units` of work; `Err` (and the budget stops) when the total passes the `work` limit.
pub(crate) fn work(units: u64, what: impl FnOnce() -> String) -> Result<(), LimitReached> {
    let over = with(|b| {
        b.work = b.work.saturating_add(units);
        b.work > b.limits.work
    })
    .unwrap_or(false);
    if over {
        return Err(exceed("work", what()));
    }
    Ok(())
}

/// Work left before the `work` limit.
pub(crate) fn work_left() -> u64 {
    with(|b| b.limits.work.saturating_sub(b.work)).unwrap_or(u64::MAX)
}

/// Checks that a value of `bytes` bytes may be built, before building it (a `format` width, a `join`).
pub(crate) fn may_build(bytes: u64, what: impl FnOnce() -> String) -> Result<(), LimitReached> {
    if bytes > limits().value_size {
        return Err(exceed("value_size", what()));
    }
    Ok(())
}

/// Checks a value just built: its size against `value_size`, and its size as work.
pub(crate) fn built(value: &Value) -> Result<(), LimitReached> {
    let max = limits().value_size;
    let bytes = size(value, max);
    if bytes > max {
        return Err(exceed("value_size", format!("a value of more than {max} bytes")));
    }
    work(bytes, || "the values built".to_string())
}

/// A function's result, checked with [`built`]; `String` errors because hcl-rs functions return them.
pub(crate) fn produced(result: Result<Value, String>) -> Result<Value, String> {
    if exceeded() {
        return Err("evaluation stopped: a limit was reached".into());
    }
    let value = result?;
    built(&value)?;
    Ok(value)
}

/// Counts `n` instances of one resource block (`what`: its address); `false` when a limit is reached.
pub(crate) fn instances(n: u64, what: &str) -> bool {
    let per = limits().instances_per_resource;
    if n > per {
        exceed("instances_per_resource", format!("{what} has {n} instances"));
        return false;
    }
    let total = with(|b| {
        b.instances = b.instances.saturating_add(n);
        b.instances
    })
    .unwrap_or(0);
    if total > limits().instances {
        exceed("instances", format!("{what} brings the resource instances to {total}"));
        return false;
    }
    work(n, || format!("{what}'s instances")).is_ok()
}

/// Counts `n` instances of one module call (`what`: its address); `false` when the limit is reached.
pub(crate) fn module_instances(n: u64, what: &str) -> bool {
    let total = with(|b| {
        b.module_instances = b.module_instances.saturating_add(n);
        b.module_instances
    })
    .unwrap_or(0);
    if total > limits().module_instances {
        exceed(
            "module_instances",
            format!("{what} brings the module instances to {total}"),
        );
        return false;
    }
    true
}

/// The size of `v` in bytes as [`Limits::value_size`] counts it, or some number above `max` once it is known to
/// be over (the walk stops there).
pub(crate) fn size(v: &Value, max: u64) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(match v {
            Value::String(s) => s.len() as u64,
            Value::Array(items) => {
                stack.extend(items.iter());
                8
            }
            Value::Object(o) => {
                stack.extend(o.values());
                o.keys().map(|k| k.len() as u64 + 8).sum::<u64>() + 8
            }
            _ => 8,
        });
        if total > max {
            return total;
        }
    }
    total
}

/// True when `expr` has a `for` expression in it (outside templates).
pub(crate) fn has_for(expr: &Expression) -> bool {
    if let Expression::TemplateExpr(t) = expr {
        return template_text(t).contains("for");
    }
    let mut found = false;
    children(expr, &mut |e| {
        found = found || matches!(e, Expression::ForExpr(_)) || has_for(e)
    });
    found
}

/// Calls `f` on each direct sub-expression of `expr`.
fn children(expr: &Expression, f: &mut dyn FnMut(&Expression)) {
    use hcl::expr::{Operation, TraversalOperator};
    match expr {
        Expression::Array(items) => items.iter().for_each(f),
        Expression::Object(obj) => obj.values().for_each(f),
        Expression::Parenthesis(inner) => f(inner),
        Expression::Conditional(c) => {
            f(&c.cond_expr);
            f(&c.true_expr);
            f(&c.false_expr);
        }
        Expression::Operation(op) => match &**op {
            Operation::Binary(b) => {
                f(&b.lhs_expr);
                f(&b.rhs_expr);
            }
            Operation::Unary(u) => f(&u.expr),
        },
        Expression::FuncCall(call) => call.args.iter().for_each(f),
        Expression::Traversal(t) => {
            f(&t.expr);
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op {
                    f(e);
                }
            }
        }
        Expression::ForExpr(fe) => {
            f(&fe.collection_expr);
            if let Some(k) = &fe.key_expr {
                f(k);
            }
            f(&fe.value_expr);
            if let Some(c) = &fe.cond_expr {
                f(c);
            }
        }
        _ => {}
    }
}

/// An upper estimate of the bytes evaluating `expr` builds in `for` iterations, before hcl-rs evaluates it (its
/// `for` runs inside hcl-rs, where nothing can stop it). A collection is measured by evaluating it; one that
/// cannot be evaluated alone (it uses an outer `for`'s iterator) is taken to be as large as the largest element
/// of the outer collection (`elem`). A variable is measured the same way.
pub(crate) fn estimate(expr: &Expression, ctx: &Context, elem: u64) -> u64 {
    let left = work_left();
    match expr {
        Expression::ForExpr(fe) => {
            let collection = estimate(&fe.collection_expr, ctx, elem);
            if collection > left {
                return collection;
            }
            let (n, inner) = match arith::evaluate(&fe.collection_expr, ctx) {
                Ok(v) => {
                    if let Some(total) = estimate_each(fe, &v, ctx, collection, left) {
                        return total;
                    }
                    (length(&v), largest_element(&v, left))
                }
                Err(_) => ((elem / 8).max(1), elem),
            };
            let mut body = 1 + estimate(&fe.value_expr, ctx, inner);
            for e in fe.key_expr.iter().chain(fe.cond_expr.iter()) {
                body = body.saturating_add(estimate(e, ctx, inner));
            }
            collection.saturating_add(n.saturating_mul(body))
        }
        Expression::Variable(_) | Expression::Traversal(_) if !has_for(expr) => match arith::evaluate(expr, ctx) {
            Ok(v) => size(&v, left),
            Err(_) => elem,
        },
        Expression::TemplateExpr(t) if template_text(t).contains("for") => match hcl::Template::from_expr(t) {
            Ok(template) => template_estimate(&template, ctx, elem),
            Err(_) => template_text(t).len() as u64,
        },
        Expression::TemplateExpr(t) => template_text(t).len() as u64,
        _ => {
            let mut total = 1u64;
            children(expr, &mut |e| total = total.saturating_add(estimate(e, ctx, elem)));
            total
        }
    }
}

/// A `for` over a small known collection whose body is estimated once per element, with the iterator bound to
/// that element: a nested `for` over a part of the element (`for m in setting.metrics`) is then measured from the
/// element itself rather than guessed from the largest element at every level, which multiplied to 10¹² bytes on
/// four nested loops over a few diagnostic settings (Azure/terraform-azurerm-avm-res-storage-storageaccount,
/// `locals.diagnostics.tf`). `None` when the collection is larger than [`EXACT_ELEMENTS`] or the estimator has
/// already bound [`EXACT_BINDINGS`] elements for this expression (then the caller's bound applies: it is never
/// smaller than the real cost, so large or deep loops stay refused).
fn estimate_each(fe: &hcl::expr::ForExpr, v: &Value, ctx: &Context, collection: u64, left: u64) -> Option<u64> {
    let items: Vec<(Value, &Value)> = match v {
        Value::Array(l) if l.len() as u64 <= EXACT_ELEMENTS => {
            l.iter().enumerate().map(|(i, e)| (Value::from(i as u64), e)).collect()
        }
        Value::Object(o) if o.len() as u64 <= EXACT_ELEMENTS => {
            o.iter().map(|(k, e)| (Value::from(k.clone()), e)).collect()
        }
        _ => return None,
    };
    let bound = BINDINGS.with(|b| {
        let n = b.get().saturating_add(items.len() as u64);
        b.set(n);
        n <= EXACT_BINDINGS
    });
    if !bound {
        return None;
    }
    let mut scope = ctx.clone();
    let mut total = collection;
    for (key, element) in items {
        if let Some(k) = &fe.key_var {
            scope.declare_var(k.clone(), key);
        }
        scope.declare_var(fe.value_var.clone(), element.clone());
        let inner = size(element, left);
        let mut body = 1 + estimate(&fe.value_expr, &scope, inner);
        for e in fe.key_expr.iter().chain(fe.cond_expr.iter()) {
            body = body.saturating_add(estimate(e, &scope, inner));
        }
        total = total.saturating_add(body);
        if total > left {
            break;
        }
    }
    Some(total)
}

/// The largest collection whose `for` body is estimated element by element ([`estimate_each`]).
const EXACT_ELEMENTS: u64 = 64;
/// How many elements [`estimate_each`] may bind while estimating one expression (its own cost stays bounded).
const EXACT_BINDINGS: u64 = 4096;

thread_local! {
    /// Elements bound by [`estimate_each`] for the expression [`may_evaluate`] is estimating.
    static BINDINGS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn template_text(t: &hcl::expr::TemplateExpr) -> &str {
    match t {
        hcl::expr::TemplateExpr::QuotedString(s) => s,
        hcl::expr::TemplateExpr::Heredoc(h) => &h.template,
    }
}

/// [`estimate`] for a template's `%{ for }` directives and interpolations.
fn template_estimate(t: &hcl::Template, ctx: &Context, elem: u64) -> u64 {
    use hcl::template::{Directive, Element};
    let mut total = 0u64;
    for e in t.elements() {
        let cost = match e {
            Element::Literal(s) => s.len() as u64,
            Element::Interpolation(i) => estimate(&i.expr, ctx, elem),
            Element::Directive(d) => match &**d {
                Directive::If(i) => estimate(&i.cond_expr, ctx, elem)
                    .saturating_add(template_estimate(&i.true_template, ctx, elem))
                    .saturating_add(i.false_template.as_ref().map_or(0, |f| template_estimate(f, ctx, elem))),
                Directive::For(f) => {
                    let collection = estimate(&f.collection_expr, ctx, elem);
                    let (n, inner) = match arith::evaluate(&f.collection_expr, ctx) {
                        Ok(v) => (length(&v), largest_element(&v, work_left())),
                        Err(_) => ((elem / 8).max(1), elem),
                    };
                    collection.saturating_add(n.saturating_mul(1 + template_estimate(&f.template, ctx, inner)))
                }
            },
        };
        total = total.saturating_add(cost);
    }
    total
}

fn length(v: &Value) -> u64 {
    match v {
        Value::Array(l) => l.len() as u64,
        Value::Object(o) => o.len() as u64,
        _ => 1,
    }
}

fn largest_element(v: &Value, max: u64) -> u64 {
    match v {
        Value::Array(l) => l.iter().map(|e| size(e, max)).max().unwrap_or(0),
        Value::Object(o) => o.values().map(|e| size(e, max)).max().unwrap_or(0),
        v => size(v, max),
    }
}

/// Checks `expr`'s [`estimate`] against the work left; `false` (and the budget stops) when it is more.
pub(crate) fn may_evaluate(expr: &Expression, ctx: &Context) -> bool {
    if !has_for(expr) {
        return true;
    }
    BINDINGS.with(|b| b.set(0));
    let estimate = estimate(expr, ctx, 8);
    if estimate <= work_left() {
        return true;
    }
    exceed(
        "work",
        format!("this `for` expression would build about {estimate} bytes"),
    );
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        let mut l = Limits::default();
        for name in Limits::NAMES {
            assert!(l.get(name).is_some(), "{name}");
        }
        l.set_from_arg("instances=200_000").unwrap();
        assert_eq!(l.instances, 200_000);
        assert!(l
            .set_from_arg("instance=1")
            .unwrap_err()
            .to_string()
            .contains("help: the limits are"));
        assert!(l.set_from_arg("work").unwrap_err().to_string().contains("NAME=VALUE"));
        assert!(l
            .set_from_arg("work=-1")
            .unwrap_err()
            .to_string()
            .contains("whole number"));
        assert!(l.set("work", 0).is_err());
    }

    #[test]
    fn the_first_limit_reached_is_the_error() {
        let _guard = start(Limits {
            value_size: 10,
            ..Limits::default()
        });
        assert!(built(&Value::from("short")).is_ok());
        assert!(built(&Value::from("much longer than ten")).is_err());
        assert!(!instances(20_000, "a.b"));
        let e = error().unwrap().to_string();
        assert!(e.contains("`value_size` (10)") && e.contains("help: "), "{e}");
    }

    #[test]
    fn size_stops_early() {
        let big = Value::Array(vec![Value::from("x".repeat(100)); 1000]);
        assert!(size(&big, 50) <= 50 + 108);
        assert_eq!(size(&Value::from("abc"), 100), 3);
    }
}
