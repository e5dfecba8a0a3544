//! Unknown values *inside* known ones, as Terraform plans them: `{ web = { name = "web-${random_id.x.hex}",
//! insecure = true } }` is a map whose keys and `insecure` are known and whose `name` is not.
//!
//! hcl-rs's values have no "unknown", so an unknown is a marker string that input cannot contain: it begins
//! and ends with Unicode noncharacters and holds a number drawn at random for each run of infra. The partial
//! evaluator ([`super::partial`]) substitutes it for what is not known (resource attributes, module outputs
//! and variables without a value, functions not evaluated) and propagates it as cty propagates unknowns. It
//! never leaves the evaluator: an attribute whose value is or holds the marker is left as written and
//! reported unknown, and the values the evaluator exports are cleaned of it.
//!
//! Values holding the marker are *partial*. Where such a value is declared (`var.apps`, `local.x`,
//! `module.m`, `each`, a `dynamic` iterator) its name is noted, so that an expression reading it is evaluated by
//! the partial evaluator rather than by hcl-rs, which would compare the marker as a string.

use hcl::Value;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static MARKER: LazyLock<String> = LazyLock::new(|| {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    format!("\u{FDD0}unknown-{:016x}\u{FDD1}", h.finish())
});

/// The unknown value.
pub(super) fn value() -> Value {
    Value::String(MARKER.clone())
}

/// True when `v` is the unknown value itself.
pub(super) fn is(v: &Value) -> bool {
    matches!(v, Value::String(s) if s == MARKER.as_str())
}

/// True when `v` is unknown or holds an unknown anywhere (an element, an attribute, a key, inside a string).
pub(super) fn within(v: &Value) -> bool {
    match v {
        Value::String(s) => in_text(s),
        Value::Array(items) => items.iter().any(within),
        Value::Object(o) => o.iter().any(|(k, v)| in_text(k) || within(v)),
        _ => false,
    }
}

/// True when `text` holds the marker (a string built from an unknown).
pub(super) fn in_text(text: &str) -> bool {
    text.contains('\u{FDD0}') && text.contains(MARKER.as_str())
}

/// `v` without its unknown parts: unknown elements and attributes dropped, for values infra exports
/// ([`super::Evaluated::locals`]). `None` when `v` itself is unknown.
pub(super) fn known_part(v: Value) -> Option<Value> {
    match v {
        Value::String(s) if in_text(&s) => None,
        Value::Array(items) => Some(Value::Array(items.into_iter().filter_map(known_part).collect())),
        Value::Object(o) => Some(Value::Object(
            o.into_iter()
                .filter(|(k, _)| !in_text(k))
                .filter_map(|(k, v)| known_part(v).map(|v| (k, v)))
                .collect(),
        )),
        other => Some(other),
    }
}

thread_local! {
    /// The names under which partial values were declared in this evaluation: `var.apps`, `local.x`,
    /// `module.m`, `each`, `count`, a `dynamic` iterator.
    static PARTIAL: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// Forgets the partial names of an earlier evaluation on this thread.
pub(super) fn reset() {
    PARTIAL.with(|p| p.borrow_mut().clear());
}

/// Notes that `name` (`var.apps`, `each`) is declared with `value`, if it is partial.
pub(super) fn declare(name: &str, value: &Value) {
    if within(value) {
        PARTIAL.with(|p| {
            p.borrow_mut().insert(name.to_string());
        });
    }
}

/// Notes every entry of an object declared as `root` (`var`, `local`, `module`) that is partial.
pub(super) fn declare_entries<'a>(root: &str, entries: impl IntoIterator<Item = (&'a String, &'a Value)>) {
    for (name, value) in entries {
        declare(&format!("{root}.{name}"), value);
    }
}

/// True when `expr` may read a partial value (conservatively: by name, whatever module declared it).
pub(super) fn reads_partial(expr: &super::super::Expression) -> bool {
    PARTIAL.with(|p| {
        let p = p.borrow();
        if p.is_empty() {
            return false;
        }
        super::super::expr::references(expr).iter().any(|r| {
            let mut parts = r.split(['.', '[']);
            let root = parts.next().unwrap_or_default();
            match root {
                "var" | "local" | "module" => match parts.next() {
                    Some(name) if !name.is_empty() => p.contains(&format!("{root}.{name}")),
                    _ => p.iter().any(|n| n.starts_with(root)),
                },
                _ => p.contains(root),
            }
        })
    })
}
