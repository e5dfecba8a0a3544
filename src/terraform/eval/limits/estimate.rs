//! Estimating a `for` expression's cost before hcl-rs runs it (nothing can stop it inside hcl-rs): an upper
//! bound on the bytes it builds, checked against the work left ([`may_evaluate`]).

use super::super::arith;
use super::{exceed, size, work_left};
use hcl::eval::Context;
use hcl::{Expression, Value};

/// True when `expr` has a `for` expression in it (outside templates).
fn has_for(expr: &Expression) -> bool {
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
fn estimate(expr: &Expression, ctx: &Context, elem: u64) -> u64 {
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
