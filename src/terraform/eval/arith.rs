//! Arithmetic that cannot panic. hcl-rs 0.20 evaluates `+ - * / %` with hcl-primitives 0.1.13's `Number`
//! operators (`src/number.rs`), which use unchecked integer operations: `1 % 0` panics (in release builds too),
//! `18446744073709551615 + 1` and `9223372036854775807 * 3` overflow (a panic in debug builds, a wrong value in
//! release builds) and `1 / 0` fails a debug assertion. So before hcl-rs sees an expression, [`evaluate`] rewrites
//! each arithmetic operation into a call of one of the functions [`declare`]d here, which compute as Terraform
//! does (checked with `terraform console`, Terraform 1.11):
//!
//! - integers are exact (`18446744073709551615 + 1` is `18446744073709551616`) up to what 64 bits hold; larger
//!   results are floats (Terraform's numbers are arbitrary-precision: it would keep every digit);
//! - `x % 0` is `x`, and `%` keeps the dividend's sign (`-7 % 3` is `-1`, `5.5 % 2` is `1.5`);
//! - `x / 0` is infinity for Terraform (`0 / 0` an error): infra has no infinite number, so dividing by zero
//!   is an error, and the expression has no value.

use hcl::eval::{Context, EvalResult, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::expr::{BinaryOperator, FuncCall, FuncName, Operation, TemplateExpr, TraversalOperator};
use hcl::template::{Directive, Element, Template};
use hcl::{Expression, Number, Value};

/// The namespace of the functions the operators become (`infra::mod(a, b)`); no Terraform function has it.
const NAMESPACE: &str = "infra";

/// The function an arithmetic operator becomes, or `None` for the other operators (which cannot panic).
fn function(op: BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Plus => "add",
        BinaryOperator::Minus => "sub",
        BinaryOperator::Mul => "mul",
        BinaryOperator::Div => "div",
        BinaryOperator::Mod => "mod",
        _ => return None,
    })
}

/// Declares the checked operators on `ctx` (every context [`evaluate`] is given must have them).
pub(crate) fn declare(ctx: &mut Context) {
    // hcl-rs's function type, `fn(FuncArgs) -> Result<Value, String>`: its error is text.
    let all: [(&str, hcl::eval::Func); 5] = [
        ("add", |a| binary(&a, "+", add)),
        ("sub", |a| binary(&a, "-", sub)),
        ("mul", |a| binary(&a, "*", mul)),
        ("div", |a| binary(&a, "/", div)),
        ("mod", |a| binary(&a, "%", rem)),
    ];
    for (name, f) in all {
        let def = FuncDef::builder().param(ParamType::Any).param(ParamType::Any).build(f);
        ctx.declare_func(FuncName::new(name).with_namespace([NAMESPACE]), def);
    }
}

/// A context with nothing but the checked operators: for values that must be literal (variable defaults and
/// files), which refer to nothing.
pub(crate) fn literal_context() -> Context<'static> {
    let mut ctx = Context::new();
    declare(&mut ctx);
    ctx
}

/// `expr` evaluated in `ctx` (which has the functions of [`declare`]), its arithmetic checked.
pub(crate) fn evaluate(expr: &Expression, ctx: &Context) -> EvalResult<Value> {
    if has_arithmetic(expr) {
        checked(expr.clone()).evaluate(ctx)
    } else {
        expr.evaluate(ctx)
    }
}

fn is_arithmetic(expr: &Expression) -> bool {
    matches!(expr, Expression::Operation(op) if matches!(&**op, Operation::Binary(b) if function(b.operator).is_some()))
}

/// True when `expr` holds an arithmetic operation anywhere (in a template's interpolations too).
fn has_arithmetic(expr: &Expression) -> bool {
    let mut found = is_arithmetic(expr);
    if !found {
        if let Expression::TemplateExpr(t) = expr {
            // Most templates have no operator character at all: no need to parse them.
            let text = match &**t {
                TemplateExpr::QuotedString(s) => s,
                TemplateExpr::Heredoc(h) => &h.template,
            };
            return text.contains(['+', '-', '*', '/', '%'])
                && Template::from_expr(t).is_ok_and(|t| template_has_arithmetic(&t));
        }
        each_child(expr, &mut |e| found = found || has_arithmetic(e));
    }
    found
}

fn template_has_arithmetic(t: &Template) -> bool {
    t.elements().iter().any(|e| match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => has_arithmetic(&i.expr),
        Element::Directive(d) => match &**d {
            Directive::If(d) => {
                has_arithmetic(&d.cond_expr)
                    || template_has_arithmetic(&d.true_template)
                    || d.false_template.as_ref().is_some_and(template_has_arithmetic)
            }
            Directive::For(d) => has_arithmetic(&d.collection_expr) || template_has_arithmetic(&d.template),
        },
    })
}

/// Calls `f` on each direct sub-expression of `expr` (not inside templates: see [`has_arithmetic`]).
fn each_child(expr: &Expression, f: &mut dyn FnMut(&Expression)) {
    match expr {
        Expression::Array(items) => items.iter().for_each(f),
        Expression::Object(obj) => obj.iter().for_each(|(k, v)| {
            if let hcl::ObjectKey::Expression(k) = k {
                f(k);
            }
            f(v);
        }),
        Expression::Parenthesis(inner) => f(inner),
        Expression::Conditional(c) => [&c.cond_expr, &c.true_expr, &c.false_expr].into_iter().for_each(f),
        Expression::Operation(op) => match &**op {
            Operation::Binary(b) => [&b.lhs_expr, &b.rhs_expr].into_iter().for_each(f),
            Operation::Unary(u) => f(&u.expr),
        },
        Expression::FuncCall(call) => call.args.iter().for_each(f),
        Expression::Traversal(t) => {
            f(&t.expr);
            t.operators.iter().for_each(|op| {
                if let TraversalOperator::Index(e) = op {
                    f(e);
                }
            });
        }
        Expression::ForExpr(fe) => {
            [
                Some(&fe.collection_expr),
                fe.key_expr.as_ref(),
                Some(&fe.value_expr),
                fe.cond_expr.as_ref(),
            ]
            .into_iter()
            .flatten()
            .for_each(f);
        }
        _ => {}
    }
}

/// `expr` with every arithmetic operation a call of the checked function.
fn checked(expr: Expression) -> Expression {
    let expr = map_children(expr);
    match expr {
        Expression::Operation(op) => match *op {
            Operation::Binary(b) => match function(b.operator) {
                Some(name) => Expression::FuncCall(Box::new(FuncCall {
                    name: FuncName::new(name).with_namespace([NAMESPACE]),
                    args: vec![b.lhs_expr, b.rhs_expr],
                    expand_final: false,
                })),
                None => Expression::Operation(Box::new(Operation::Binary(b))),
            },
            op => Expression::Operation(Box::new(op)),
        },
        Expression::TemplateExpr(t) => checked_template_expr(*t),
        other => other,
    }
}

/// `expr` with [`checked`] applied to each direct sub-expression.
fn map_children(expr: Expression) -> Expression {
    match expr {
        Expression::Array(items) => Expression::Array(items.into_iter().map(checked).collect()),
        Expression::Object(obj) => Expression::Object(
            obj.into_iter()
                .map(|(k, v)| {
                    let k = match k {
                        hcl::ObjectKey::Expression(k) => hcl::ObjectKey::Expression(checked(k)),
                        k => k,
                    };
                    (k, checked(v))
                })
                .collect(),
        ),
        Expression::Parenthesis(inner) => Expression::Parenthesis(Box::new(checked(*inner))),
        Expression::Conditional(mut c) => {
            c.cond_expr = checked(c.cond_expr);
            c.true_expr = checked(c.true_expr);
            c.false_expr = checked(c.false_expr);
            Expression::Conditional(c)
        }
        Expression::Operation(mut op) => {
            match &mut *op {
                Operation::Binary(b) => {
                    b.lhs_expr = checked(std::mem::replace(&mut b.lhs_expr, Expression::Null));
                    b.rhs_expr = checked(std::mem::replace(&mut b.rhs_expr, Expression::Null));
                }
                Operation::Unary(u) => u.expr = checked(std::mem::replace(&mut u.expr, Expression::Null)),
            }
            Expression::Operation(op)
        }
        Expression::FuncCall(mut call) => {
            call.args = std::mem::take(&mut call.args).into_iter().map(checked).collect();
            Expression::FuncCall(call)
        }
        Expression::Traversal(mut t) => {
            t.expr = checked(std::mem::replace(&mut t.expr, Expression::Null));
            for op in &mut t.operators {
                if let TraversalOperator::Index(e) = op {
                    *e = checked(std::mem::replace(e, Expression::Null));
                }
            }
            Expression::Traversal(t)
        }
        Expression::ForExpr(mut fe) => {
            fe.collection_expr = checked(fe.collection_expr);
            fe.key_expr = fe.key_expr.map(checked);
            fe.value_expr = checked(fe.value_expr);
            fe.cond_expr = fe.cond_expr.map(checked);
            Expression::ForExpr(fe)
        }
        other => other,
    }
}

/// A template whose interpolations and directives hold arithmetic, rewritten (as template text, which is what
/// hcl-rs evaluates); any other template as it is.
fn checked_template_expr(t: TemplateExpr) -> Expression {
    let template = match Template::from_expr(&t) {
        Ok(template) if template_has_arithmetic(&template) => checked_template(template),
        _ => return Expression::TemplateExpr(Box::new(t)),
    };
    Expression::TemplateExpr(Box::new(match t {
        TemplateExpr::QuotedString(_) => TemplateExpr::QuotedString(template.to_string()),
        TemplateExpr::Heredoc(mut h) => {
            h.template = template.to_string();
            TemplateExpr::Heredoc(h)
        }
    }))
}

fn checked_template(mut t: Template) -> Template {
    for e in t.elements_mut() {
        match e {
            Element::Literal(_) => {}
            Element::Interpolation(i) => i.expr = checked(std::mem::replace(&mut i.expr, Expression::Null)),
            Element::Directive(d) => match &mut **d {
                Directive::If(d) => {
                    d.cond_expr = checked(std::mem::replace(&mut d.cond_expr, Expression::Null));
                    d.true_template = checked_template(std::mem::take(&mut d.true_template));
                    d.false_template = d.false_template.take().map(checked_template);
                }
                Directive::For(d) => {
                    d.collection_expr = checked(std::mem::replace(&mut d.collection_expr, Expression::Null));
                    d.template = checked_template(std::mem::take(&mut d.template));
                }
            },
        }
    }
    t
}

/// Two numbers: Terraform's operators take numbers only (as hcl-rs's do). The error is text because hcl-rs
/// functions return `Result<Value, String>` (`hcl::eval::Func`).
fn binary(a: &FuncArgs, op: &str, f: fn(Number, Number) -> Result<Number, ArithError>) -> Result<Value, String> {
    match (a.first(), a.get(1)) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => f(*x, *y).map(Value::Number).map_err(|e| e.to_string()),
        (Some(x), Some(y)) => Err(format!("`{x} {op} {y}`: {op} needs two numbers")),
        _ => Err(format!("{op} needs two operands")),
    }
}

/// Why an operation on two numbers has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
enum ArithError {
    /// The result is an infinity or NaN, which a `Number` cannot hold.
    #[error("the result is not a finite number (infra evaluates no infinity), so the expression has no value")]
    NotFinite,
    /// `0 / 0`.
    #[error("can't divide zero by zero")]
    ZeroByZero,
    /// `x / 0` for `x` other than 0: Terraform's result is an infinity.
    #[error("division by zero: Terraform's result is an infinity, which infra does not evaluate")]
    DivisionByZero,
}

/// An integer as i128 (every `Number` integer fits: they are i64 or u64), `None` for a float.
fn integer(n: Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// `x` exactly when 64 bits hold it, else the nearest float.
fn from_integer(x: i128) -> Result<Number, ArithError> {
    if let Ok(i) = i64::try_from(x) {
        return Ok(Number::from(i));
    }
    if let Ok(u) = u64::try_from(x) {
        return Ok(Number::from(u));
    }
    // Exact for |x| < 2^128; i128 → f64 rounds to nearest, and is finite.
    float(x as f64)
}

fn float(x: f64) -> Result<Number, ArithError> {
    Number::from_f64(x).ok_or(ArithError::NotFinite)
}

/// The two operands as floats (`as_f64` is `Some` for every `Number`).
fn floats(x: Number, y: Number) -> (f64, f64) {
    (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN))
}

fn add(x: Number, y: Number) -> Result<Number, ArithError> {
    match (integer(x), integer(y)) {
        // Two 64-bit integers cannot overflow i128.
        (Some(a), Some(b)) => from_integer(a + b),
        _ => float(floats(x, y).0 + floats(x, y).1),
    }
}

fn sub(x: Number, y: Number) -> Result<Number, ArithError> {
    match (integer(x), integer(y)) {
        (Some(a), Some(b)) => from_integer(a - b),
        _ => float(floats(x, y).0 - floats(x, y).1),
    }
}

fn mul(x: Number, y: Number) -> Result<Number, ArithError> {
    match (integer(x), integer(y)) {
        (Some(a), Some(b)) => match a.checked_mul(b) {
            Some(p) => from_integer(p),
            None => float(a as f64 * b as f64),
        },
        _ => float(floats(x, y).0 * floats(x, y).1),
    }
}

fn div(x: Number, y: Number) -> Result<Number, ArithError> {
    let (a, b) = floats(x, y);
    if b == 0.0 {
        return Err(if a == 0.0 {
            ArithError::ZeroByZero
        } else {
            ArithError::DivisionByZero
        });
    }
    match (integer(x), integer(y)) {
        // An exact quotient stays an exact integer (floats hold only 53 bits).
        (Some(i), Some(j)) if i % j == 0 => from_integer(i / j),
        _ => float(a / b),
    }
}

fn rem(x: Number, y: Number) -> Result<Number, ArithError> {
    let (a, b) = floats(x, y);
    if b == 0.0 {
        return Ok(x);
    }
    match (integer(x), integer(y)) {
        // i128 cannot overflow on 64-bit operands (i64::MIN % -1 included); `%` truncates as Terraform does.
        (Some(i), Some(j)) => from_integer(i % j),
        _ => float(a % b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str) -> Result<Value, String> {
        let expr = crate::terraform::expr::parse(text).map_err(|e| e.to_string())?;
        evaluate(&expr, &literal_context()).map_err(|e| e.to_string())
    }

    #[test]
    fn operators_compute_as_terraform_does() {
        for (text, expected) in [
            ("1 + 2 * 3", "7"),
            ("-9223372036854775808 % -1", "0"),
            ("1 % 0", "1"),
            ("-7 % 3", "-1"),
            ("5.5 % 2", "1.5"),
            ("7 / 2", "3.5"),
            ("9007199254740993 / 1", "9007199254740993"),
            ("[for x in [1, 2] : x * 10]", "[10,20]"),
            ("\"${2 - 3}-%{if 1 + 1 == 2}two%{endif}\"", "\"-1-two\""),
        ] {
            let v = eval(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(serde_json::to_string(&v).unwrap(), expected, "{text}");
        }
        // Past 64 bits: the nearest float (Terraform keeps every digit).
        for (text, expected) in [
            ("18446744073709551615 + 1", 18446744073709551616.0),
            ("-9223372036854775808 - 1", -9223372036854775809.0),
            ("9223372036854775807 * 3", 27670116110564327421.0),
        ] {
            let v = eval(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(v.as_f64(), Some(expected), "{text}");
        }
        for text in ["1 / 0", "0 / 0", "1 + \"a\""] {
            assert!(eval(text).is_err(), "{text}");
        }
    }

    #[test]
    fn no_arithmetic_no_rewrite() {
        let expr = crate::terraform::expr::parse("\"a-${b}\"").unwrap();
        assert!(!has_arithmetic(&expr));
        assert!(has_arithmetic(
            &crate::terraform::expr::parse("[{ a = x.y[1 - 1] }]").unwrap()
        ));
    }
}
