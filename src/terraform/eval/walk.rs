//! One resource instance's body with its known values filled in: attributes evaluated (null is absent),
//! `dynamic` blocks generated, unknown attributes and sensitive values recorded.

use super::expand::Scope;
use super::sensitive::Taint;
use super::{eval, limits, unknown, Sensitive, SensitiveAttribute, Unknown};
use crate::terraform::{Block, Body, Expression, Location, Structure};
use hcl::eval::Context;
use hcl::Value;

/// A plain reference to another resource's or module's attribute, or a list of them ([`Unknown::reference`]).
fn is_reference(e: &Expression) -> bool {
    match e {
        Expression::Traversal(t) => matches!(&t.expr, Expression::Variable(v)
            if !matches!(v.as_str(), "var" | "local" | "path" | "terraform" | "each" | "count" | "self" | "data")),
        Expression::Array(items) => !items.is_empty() && items.iter().all(is_reference),
        _ => false,
    }
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

/// A walk over one resource instance's body (see [`Walk::body`]): where it records what it finds.
pub(super) struct Walk<'a> {
    pub(super) address: &'a str,
    pub(super) unknown: &'a mut Vec<Unknown>,
    /// Record unknown attributes (managed resources only: data sources are read, not checked).
    pub(super) record: bool,
    /// The iterators of the `dynamic` blocks being generated (`container`, or the `iterator` argument).
    pub(super) iterators: Vec<String>,
    /// What reads a sensitive value here.
    pub(super) taint: Taint,
    /// Where sensitive attributes and their values are recorded.
    pub(super) sensitive: &'a mut Sensitive,
}

impl Walk<'_> {
    /// Fills in `body`'s known values in place (`path`: its attribute path in the resource, "" at the top).
    pub(super) fn body(&mut self, body: &mut Body, path: &str, ctx: &mut Context) {
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
                                crate::terraform::expr::to_hcl(&a.value)
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
    fn dynamic(&mut self, b: Block, path: &str, ctx: &mut Context) -> Vec<Block> {
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
        let generate = |walk: &mut Self, ctx: &mut Context| {
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
                let mut scope = Scope::new(ctx);
                let mut blocks = Vec::with_capacity(items.len());
                for (k, v) in items {
                    if limits::work(1, || format!("dynamic \"{name}\" blocks")).is_err() {
                        break;
                    }
                    let item = Value::Object([("key".to_string(), k), ("value".to_string(), v)].into_iter().collect());
                    blocks.push(generate(self, scope.bind(Some((iterator.clone(), item)))));
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
        if crate::terraform::expr::is_literal(e) {
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
