//! How much the evaluator may build: a configuration from a pull request is untrusted, and `count = 100000000`,
//! locals that double a string forty times or a `for` nested three deep over a thousand elements must end in an
//! error naming the expression and the limit, not in an abort after gigabytes.
//!
//! [`Limits`] are the numbers (defaults generous for real code; `infra check --limit NAME=VALUE` and
//! `[limits]` in `infra.toml` raise them). While [`super::evaluate`] runs, a per-thread [`Budget`] counts what
//! has been built against them: the functions (plain `fn` pointers, as hcl-rs declares them) and the evaluator
//! report to it, and the first limit reached stops the evaluation with an error at the expression being
//! evaluated.
//!
//! This file is the budget's accounting; the settings are in `settings` ([`Limits`], [`LimitError`]), the
//! estimate of a `for` expression's cost before it runs in `estimate` ([`may_evaluate`]).

mod estimate;
mod settings;

pub(crate) use estimate::may_evaluate;
pub use settings::{LimitError, Limits};

use super::super::{Location, ReadError};
use hcl::Value;
use std::cell::RefCell;

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

#[cfg(test)]
mod tests {
    use super::*;

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
