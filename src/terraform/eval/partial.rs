//! The partial evaluator: evaluates an expression whose inputs may be unknown, or hold unknowns
//! ([`super::unknown`]), as Terraform plans it (hcl's and cty's rules for unknown values):
//! - a reference to what is not known (a resource or data source attribute, `path.*`, a variable, local or
//!   module output without a value) is unknown; so is a function infra does not evaluate (`timestamp()`);
//! - an attribute, element or splat of an unknown value is unknown; of a known collection, it is that element,
//!   known or not (`each.value.insecure` is known when `each.value.name` is not);
//! - a template with an unknown part, an operator or comparison with an unknown operand, a conditional on an
//!   unknown condition, a `for` expression over an unknown collection or with an unknown condition or key are
//!   unknown; comparing a partly known value with `null` is known (it is not null);
//! - collections built of known and unknown elements (`[a, b]`, `{ k = v }`, `merge`, `concat`, `for`) keep the
//!   known ones, so `for_each` over a map with known keys has known instances;
//! - a function with an unknown argument is unknown, except the ones that only move values around (`merge`,
//!   `lookup`, `keys`, `length`, …), which take partly known collections;
//! - `try` returns its first argument that evaluates (known or not); `can` is unknown for an unknown argument.
//!
//! Everything else is hcl-rs's evaluator and infra's [`super::functions`], on known values.

use super::super::Expression;
use super::limits;
use super::unknown;
use hcl::eval::{Context, ErrorKind};
use hcl::expr::{BinaryOp, BinaryOperator, ForExpr, FuncCall, Operation, TraversalOperator, UnaryOp};
use hcl::Value;

/// Evaluating fails: a type error, a missing attribute of a known object, a limit reached.
#[derive(Debug)]
pub(super) struct Invalid;

type R = Result<Value, Invalid>;

/// Functions that only select, combine or count the elements of their arguments: given collections with
/// unknown elements, their result is right, with the unknowns where they belong.
const STRUCTURAL: &[&str] = &[
    "merge",
    "concat",
    "flatten",
    "keys",
    "values",
    "length",
    "lookup",
    "element",
    "tomap",
    "tolist",
    "slice",
    "reverse",
    "zipmap",
    "one",
    "coalescelist",
];

/// `expr`'s value: known, unknown ([`unknown::value`]) or a collection holding unknowns.
pub(super) fn eval(expr: &Expression, ctx: &Context) -> R {
    if limits::exceeded() {
        return Err(Invalid);
    }
    match expr {
        Expression::Null | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => {
            Ok(Value::from(expr.clone()))
        }
        Expression::Array(items) => items
            .iter()
            .map(|e| eval(e, ctx))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Expression::Object(obj) => {
            let mut out = hcl::Map::with_capacity(obj.len());
            for (k, v) in obj {
                let key = match k {
                    hcl::expr::ObjectKey::Identifier(i) => Value::from(i.to_string()),
                    hcl::expr::ObjectKey::Expression(e) => eval(e, ctx)?,
                    _ => return Err(Invalid),
                };
                let Some(key) = key_text(key)? else {
                    return Ok(unknown::value());
                };
                out.insert(key, eval(v, ctx)?);
            }
            Ok(Value::Object(out))
        }
        Expression::TemplateExpr(t) => template(t, expr, ctx),
        Expression::Variable(v) => Ok(lookup(v.as_str(), ctx)),
        Expression::Traversal(t) => traversal(t, ctx),
        Expression::FuncCall(call) => func_call(call, ctx),
        Expression::Parenthesis(inner) => eval(inner, ctx),
        Expression::Conditional(c) => match eval(&c.cond_expr, ctx)? {
            v if unknown::is(&v) => Ok(v),
            Value::Bool(true) => eval(&c.true_expr, ctx),
            Value::Bool(false) => eval(&c.false_expr, ctx),
            _ => Err(Invalid),
        },
        Expression::Operation(op) => operation(op, ctx),
        Expression::ForExpr(f) => for_expr(f, ctx),
        _ => Err(Invalid),
    }
}

/// An object key: a string, or a number or bool as a string; `None` when unknown.
fn key_text(key: Value) -> Result<Option<String>, Invalid> {
    match key {
        k if unknown::within(&k) => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        _ => Err(Invalid),
    }
}

/// A variable's value; one the evaluator does not declare (a resource type, `data`, `path`) is unknown.
fn lookup(name: &str, ctx: &Context) -> Value {
    let variable = Expression::Variable(hcl::expr::Variable::unchecked(name));
    super::arith::evaluate(&variable, ctx).unwrap_or_else(|_| unknown::value())
}

fn traversal(t: &hcl::expr::Traversal, ctx: &Context) -> R {
    let (value, root) = match &t.expr {
        Expression::Variable(v) => (lookup(v.as_str(), ctx), v.as_str()),
        other => (eval(other, ctx)?, ""),
    };
    let operators: Vec<&TraversalOperator> = t.operators.iter().collect();
    apply(value, &operators, ctx, &|depth| missing_is_unknown(root, depth))
}

/// A missing attribute of `var`, `local` (the first step) or `module` (up to the output) is a value the
/// evaluator left out because it is not known; elsewhere it is an error.
fn missing_is_unknown(root: &str, depth: usize) -> bool {
    match root {
        "var" | "local" => depth == 0,
        "module" => depth <= 2,
        _ => false,
    }
}

/// The traversal `operators` applied to `value`; `unknown_missing(depth)`: whether a missing attribute at that
/// step is unknown rather than an error.
fn apply(
    mut value: Value,
    operators: &[&TraversalOperator],
    ctx: &Context,
    unknown_missing: &dyn Fn(usize) -> bool,
) -> R {
    for (depth, op) in operators.iter().enumerate() {
        if unknown::is(&value) {
            return Ok(value);
        }
        let missing = || {
            if unknown_missing(depth) {
                Ok(unknown::value())
            } else {
                Err(Invalid)
            }
        };
        value = match op {
            TraversalOperator::GetAttr(name) => match value {
                Value::Object(mut o) => match o.swap_remove(name.as_str()) {
                    Some(v) => v,
                    None => missing()?,
                },
                _ => return Err(Invalid),
            },
            TraversalOperator::Index(e) => {
                let index = eval(e, ctx)?;
                if unknown::is(&index) {
                    return Ok(index);
                }
                match (value, index) {
                    (Value::Array(mut a), Value::Number(n)) => {
                        let i = n.as_u64().filter(|i| (*i as usize) < a.len()).ok_or(Invalid)?;
                        a.swap_remove(i as usize)
                    }
                    (Value::Object(mut o), k @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                        let k = key_text(k)?.ok_or(Invalid)?;
                        match o.swap_remove(&k) {
                            Some(v) => v,
                            None => missing()?,
                        }
                    }
                    _ => return Err(Invalid),
                }
            }
            TraversalOperator::LegacyIndex(i) => match value {
                Value::Array(mut a) if (*i as usize) < a.len() => a.swap_remove(*i as usize),
                _ => return Err(Invalid),
            },
            TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                let rest = &operators[depth + 1..];
                let take = match op {
                    TraversalOperator::AttrSplat => rest
                        .iter()
                        .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                        .count(),
                    _ => rest.len(),
                };
                let items = match value {
                    Value::Null => Vec::new(),
                    Value::Array(items) => items,
                    other => vec![other],
                };
                let splat = items
                    .into_iter()
                    .map(|v| apply(v, &rest[..take], ctx, &|_| false))
                    .collect::<Result<Vec<_>, _>>()?;
                return apply(Value::Array(splat), &rest[take..], ctx, &|_| false);
            }
        };
    }
    Ok(value)
}

fn template(t: &hcl::expr::TemplateExpr, expr: &Expression, ctx: &Context) -> R {
    use hcl::template::{Element, Strip, Template};
    let parsed = Template::from_expr(t).map_err(|_| Invalid)?;
    let simple = parsed.elements().iter().all(|e| match e {
        Element::Literal(_) => true,
        Element::Interpolation(i) => i.strip == Strip::None,
        Element::Directive(_) => false,
    });
    if !simple {
        // Directives and strip markers: hcl-rs's template evaluator, unless the template reads a partial value.
        if unknown::reads_partial(expr) {
            return Ok(unknown::value());
        }
        return match super::arith::evaluate(expr, ctx) {
            Ok(v) if unknown::within(&v) => Ok(unknown::value()),
            Ok(v) => Ok(v),
            Err(_) => Ok(unknown::value()),
        };
    }
    let mut out = String::new();
    let mut unknown = false;
    for e in parsed.elements() {
        match e {
            Element::Literal(s) => out.push_str(s),
            Element::Interpolation(i) => match eval(&i.expr, ctx)? {
                v if unknown::within(&v) => unknown = true,
                Value::String(s) => out.push_str(&s),
                Value::Number(n) => out.push_str(&n.to_string()),
                Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                _ => return Err(Invalid),
            },
            Element::Directive(_) => return Err(Invalid),
        }
    }
    if unknown {
        return Ok(unknown::value());
    }
    let out = Value::String(out);
    limits::built(&out).map_err(|_| Invalid)?;
    Ok(out)
}

fn func_call(call: &FuncCall, ctx: &Context) -> R {
    let name = call.name.name.as_str();
    if call.name.namespace.is_empty() && name == "try" {
        return call.args.iter().find_map(|a| eval(a, ctx).ok()).ok_or(Invalid);
    }
    if call.name.namespace.is_empty() && name == "can" {
        return match call.args.first().map(|a| eval(a, ctx)) {
            Some(Ok(v)) if unknown::is(&v) => Ok(v),
            Some(Ok(_)) => Ok(Value::Bool(true)),
            Some(Err(_)) if limits::exceeded() => Err(Invalid),
            Some(Err(_)) => Ok(Value::Bool(false)),
            None => Err(Invalid),
        };
    }
    let mut args = call.args.iter().map(|a| eval(a, ctx)).collect::<Result<Vec<_>, _>>()?;
    if call.expand_final {
        match args.pop() {
            Some(v) if unknown::is(&v) => return Ok(v),
            Some(Value::Array(items)) => args.extend(items),
            _ => return Err(Invalid),
        }
    }
    if args.iter().any(unknown::is) {
        return Ok(unknown::value());
    }
    let partial = args.iter().any(unknown::within);
    if partial && !(call.name.namespace.is_empty() && STRUCTURAL.contains(&name)) {
        return Ok(unknown::value());
    }
    let mut literal = FuncCall::new(call.name.clone());
    literal.args = args.into_iter().map(Expression::from).collect();
    match super::arith::evaluate(&Expression::from(literal), ctx) {
        Ok(v) if partial && !whole_unknowns(&v) => Ok(unknown::value()),
        Ok(v) => Ok(v),
        Err(e) if matches!(e.kind(), ErrorKind::UndefinedFunc(_)) => Ok(unknown::value()),
        Err(_) => Err(Invalid),
    }
}

/// True when every unknown in `v` is a whole element or attribute value (not a key, not part of a string).
fn whole_unknowns(v: &Value) -> bool {
    match v {
        Value::String(s) => unknown::is(v) || !unknown::in_text(s),
        Value::Array(items) => items.iter().all(whole_unknowns),
        Value::Object(o) => o.iter().all(|(k, v)| !unknown::in_text(k) && whole_unknowns(v)),
        _ => true,
    }
}

fn operation(op: &Operation, ctx: &Context) -> R {
    match op {
        Operation::Unary(u) => {
            let v = eval(&u.expr, ctx)?;
            if unknown::within(&v) {
                return Ok(unknown::value());
            }
            let literal = Operation::Unary(UnaryOp::new(u.operator, Expression::from(v)));
            super::arith::evaluate(&Expression::from(literal), ctx).map_err(|_| Invalid)
        }
        Operation::Binary(b) => {
            let (l, r) = (eval(&b.lhs_expr, ctx)?, eval(&b.rhs_expr, ctx)?);
            let equality = matches!(b.operator, BinaryOperator::Eq | BinaryOperator::NotEq);
            if unknown::is(&l) || unknown::is(&r) {
                return Ok(unknown::value());
            }
            // A partly known value is known not to be null.
            let against_null = equality && (l.is_null() || r.is_null());
            if !against_null && (unknown::within(&l) || unknown::within(&r)) {
                return Ok(unknown::value());
            }
            let literal = Operation::Binary(BinaryOp::new(Expression::from(l), b.operator, Expression::from(r)));
            super::arith::evaluate(&Expression::from(literal), ctx).map_err(|_| Invalid)
        }
    }
}

fn for_expr(f: &ForExpr, ctx: &Context) -> R {
    let collection = eval(&f.collection_expr, ctx)?;
    let items: Vec<(Value, Value)> = match collection {
        v if unknown::is(&v) => return Ok(v),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::from(i), v))
            .collect(),
        Value::Object(o) => o.into_iter().map(|(k, v)| (Value::from(k), v)).collect(),
        _ => return Err(Invalid),
    };
    let mut scope = ctx.clone();
    let mut list = Vec::new();
    let mut object: hcl::Map<String, Value> = hcl::Map::new();
    for (k, v) in items {
        limits::work(1, || "`for` expression elements".to_string()).map_err(|_| Invalid)?;
        if let Some(key_var) = &f.key_var {
            scope.declare_var(key_var.clone(), k);
        }
        scope.declare_var(f.value_var.clone(), v);
        if let Some(cond) = &f.cond_expr {
            match eval(cond, &scope)? {
                c if unknown::is(&c) => return Ok(c),
                Value::Bool(true) => {}
                Value::Bool(false) => continue,
                _ => return Err(Invalid),
            }
        }
        let value = eval(&f.value_expr, &scope)?;
        let Some(key_expr) = &f.key_expr else {
            list.push(value);
            continue;
        };
        let Some(key) = key_text(eval(key_expr, &scope)?)? else {
            return Ok(unknown::value());
        };
        match (f.grouping, object.get_mut(&key)) {
            (true, Some(Value::Array(group))) => group.push(value),
            (true, _) => {
                object.insert(key, Value::Array(vec![value]));
            }
            (false, Some(_)) => return Err(Invalid), // Terraform: duplicate object key
            (false, None) => {
                object.insert(key, value);
            }
        }
    }
    Ok(match f.key_expr {
        Some(_) => Value::Object(object),
        None => Value::Array(list),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hcl::eval::Evaluate;

    /// `var.app` = `{ name = <unknown>, regs = null }`, `var.flag` = true, `var.objs` = `[{ id = <unknown> },
    /// { id = "b" }]`, `var.obj` = `{ a = 1 }`; resources are not declared (unknown).
    fn ctx() -> Context<'static> {
        let mut ctx = Context::new();
        super::super::functions::declare(&mut ctx);
        let u = unknown::value();
        let object =
            |pairs: Vec<(&str, Value)>| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
        let var = object(vec![
            ("app", object(vec![("name", u.clone()), ("regs", Value::Null)])),
            ("flag", Value::Bool(true)),
            (
                "objs",
                Value::Array(vec![
                    object(vec![("id", u.clone())]),
                    object(vec![("id", Value::from("b"))]),
                ]),
            ),
            ("obj", object(vec![("a", Value::from(1))])),
            ("pes", object(vec![("acr", object(vec![("subnet", u)]))])),
        ]);
        ctx.declare_var("var", var);
        ctx
    }

    fn value(text: &str) -> Value {
        eval(&crate::terraform::expr::parse(text).unwrap(), &ctx()).unwrap_or_else(|_| panic!("{text} is invalid"))
    }

    fn known(text: &str) -> Value {
        crate::terraform::expr::parse(text)
            .unwrap()
            .evaluate(&Context::new())
            .unwrap()
    }

    #[test]
    fn unknown_propagates_through_operations() {
        for text in [
            "random_id.x.hex",
            r#""web-${random_id.x.hex}""#,
            "var.app.name == \"web\"",
            "!(var.app.name == \"x\")",
            "var.app.name == null ? 1 : 2",
            "upper(var.app.name)",
            "jsonencode(var.app)",
            "timestamp()",
            "can(random_id.x.hex)",
            "zipmap([random_id.x.hex], [1])",
            "{ (random_id.x.hex) = 1 }",
            "{ for k, v in var.pes : v.subnet => k }",
            "[for o in var.objs : o if o.id == \"b\"]",
            "var.missing",
            "var.app.name.anything[0]",
            "module.m.out",
        ] {
            assert!(unknown::is(&value(text)), "{text}: {:?}", value(text));
        }
    }

    #[test]
    fn known_parts_stay_known() {
        assert_eq!(value("var.app.regs == null ? 0 : 1"), known("0"));
        assert_eq!(value("var.app == null"), known("false"));
        assert_eq!(value("{ for k, v in var.pes : k => v if !var.flag }"), known("{}"));
        assert_eq!(value("length([random_id.x.hex, 1])"), known("2"));
        assert_eq!(value("keys(var.pes)"), known(r#"["acr"]"#));
        let ids = value("var.objs[*].id");
        let ids = ids.as_array().unwrap();
        assert!(unknown::is(&ids[0]) && ids[1] == known(r#""b""#), "{ids:?}");
        assert_eq!(value("try(var.obj.missing, \"d\")"), known(r#""d""#));
        assert_eq!(value("can(var.obj.missing)"), known("false"));
        assert_eq!(value("can(var.obj.a)"), known("true"));
        let merged = value("merge(var.obj, { b = random_id.x.hex })");
        let merged = merged.as_object().unwrap();
        assert!(merged["a"] == known("1") && unknown::is(&merged["b"]), "{merged:?}");
        assert_eq!(
            value(r#""${var.obj.a}-%{ if var.flag }on%{ endif }""#),
            known(r#""1-on""#)
        );
    }

    #[test]
    fn errors_of_known_values_stay_errors() {
        for text in [
            "var.obj.missing",
            "var.obj.a.b",
            "1 + \"x\"",
            "var.flag ? var.obj.missing : 0",
        ] {
            let got = eval(&crate::terraform::expr::parse(text).unwrap(), &ctx());
            assert!(got.is_err(), "{text}: {got:?}");
        }
    }
}
