//! The Terraform functions infra evaluates, declared on an hcl-rs [`Context`]. Each follows the behaviour
//! documented at `developer.hashicorp.com/terraform/language/functions/<name>` (Terraform 1.11). A function not
//! declared here (`timestamp`, `file`, `uuid`, …) is not evaluated: the expression that calls it stays unknown.
//! `try` and `can` need their arguments unevaluated, so [`super`] handles them before hcl-rs sees the call.
//!
//! One file per family, each with its table: [`string`] (and [`format`](mod@format)), [`conversion`], [`collection`],
//! [`numeric`], [`encoding`], [`network`]. This file assembles the tables ([`declare`]) and holds what the
//! families share: the table macro, the argument readers (`arg`, `s`, `n`, `int`) and Terraform's conversions
//! of a primitive (`to_string`, `to_bool`, `number_of`).

use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};
use hcl::{Map, Number, Value};

/// A function's result. The error is text because hcl-rs declares functions as `hcl::eval::Func`,
/// `fn(FuncArgs) -> Result<Value, String>`; it is never shown: a call that errs leaves its expression unknown, and
/// a limit reached on the way is reported from the budget (`limits::LimitReached`, `limits::error`).
type R = Result<Value, String>;
type Function = hcl::eval::Func;

/// The functions' table, each function wrapped so that its result is checked against the evaluation's limits
/// (`limits::produced`): hcl-rs takes plain `fn` pointers, so the wrapper is a `fn` per entry.
macro_rules! checked {
    ($(($name:literal, $f:expr)),* $(,)?) => {
        &[$(($name, {
            fn checked(a: FuncArgs) -> R {
                let f: Function = $f;
                $crate::terraform::eval::limits::produced(f(a))
            }
            checked as Function
        })),*]
    };
}

/// hcl-rs functions return `Result<Value, String>`: each typed error becomes its text there.
macro_rules! into_text {
    ($($t:ty),*) => {$(
        impl From<$t> for String {
            fn from(e: $t) -> String {
                e.to_string()
            }
        }
    )*};
}
mod collection;
mod conversion;
mod encoding;
mod format;
mod network;
mod numeric;
mod string;

use collection::COLLECTION;
use conversion::CONVERSION;
use encoding::ENCODING;
use network::NETWORK;
use numeric::NUMERIC;
use string::STRING;

fn def(f: Function) -> FuncDef {
    FuncDef::builder().variadic_param(ParamType::Any).build(f)
}

/// Declares every function of this module on `ctx`: the tables below, then the arithmetic of [`super::arith`].
///
/// Each agrees with `terraform console` (Terraform 1.11.4) on the cases of `tests/fixtures/functions/cases.json`:
/// where Terraform reports an error, the function errs too, so the expression stays unknown — never a value
/// Terraform would not compute.
pub(super) fn declare(ctx: &mut Context) {
    let tables = [STRING, CONVERSION, COLLECTION, NUMERIC, ENCODING, NETWORK];
    for (name, f) in tables.into_iter().flatten() {
        ctx.declare_func(*name, def(*f));
    }
    super::arith::declare(ctx);
}

/// Why an argument is not the value a function takes (Terraform errs on it too). Text at hcl-rs's boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum ValueError {
    /// Fewer arguments than the function takes (the argument's number, from 1).
    #[error("missing argument {0}")]
    Missing(usize),
    /// A number without a float value.
    #[error("not a number")]
    NotFinite,
    /// Not a number, nor a string that converts to one (the value as written).
    #[error("{0} is not a number")]
    NotANumber(String),
    /// A number with a fraction, or outside 64 bits, where a whole number belongs.
    #[error("{0} is not a whole number between -2^63 and 2^63")]
    NotWhole(f64),
    /// A collection or null where a string belongs.
    #[error("{0} is not a string")]
    NotAString(String),
    /// Not a bool, nor a string that converts to one.
    #[error("cannot convert {0} to bool")]
    NotABool(String),
    /// Not a list or tuple.
    #[error("{0} is not a list")]
    NotAList(String),
    /// Elements that unify to no one type (`[1, true]`).
    #[error("the elements have no single type")]
    NoSingleType,
}

into_text!(ValueError);

fn arg(a: &FuncArgs, i: usize) -> Result<&Value, ValueError> {
    a.get(i).ok_or(ValueError::Missing(i + 1))
}

fn s(a: &FuncArgs, i: usize) -> Result<String, ValueError> {
    to_string(arg(a, i)?)
}

fn n(a: &FuncArgs, i: usize) -> Result<f64, ValueError> {
    number_of(arg(a, i)?)
}

/// A number, or a string Terraform converts to one.
fn number_of(v: &Value) -> Result<f64, ValueError> {
    match v {
        Value::Number(x) => x.as_f64().ok_or(ValueError::NotFinite),
        Value::String(t) => parse_number(t)
            .and_then(|v| v.as_f64())
            .ok_or_else(|| ValueError::NotANumber(format!("{t:?}"))),
        v => Err(ValueError::NotANumber(v.to_string())),
    }
}

/// Argument `i` as Terraform's functions take a whole number: an error unless it is one, within 64 bits.
fn int(a: &FuncArgs, i: usize) -> Result<i64, ValueError> {
    let x = n(a, i)?;
    if x.fract() != 0.0 || !(-9.223_372_036_854_775e18..9.223_372_036_854_775e18).contains(&x) {
        return Err(ValueError::NotWhole(x));
    }
    Ok(x as i64)
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// A string as Terraform converts it to a number: a decimal number, nothing around it (`" 1"` is not one).
fn parse_number(t: &str) -> Option<Value> {
    let plain = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    Some(t)
        .filter(|_| plain)
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|x| x.is_finite())
        .map(num)
}

/// A number as Terraform writes it: in full, never with an exponent (`1e20` is `100000000000000000000`).
fn number_text(x: &Number) -> String {
    match x
        .as_i64()
        .map(|i| i.to_string())
        .or_else(|| x.as_u64().map(|u| u.to_string()))
    {
        Some(whole) => whole,
        None => x.as_f64().map(|f| format!("{f}")).unwrap_or_default(),
    }
}

/// A primitive as Terraform converts it to a string.
fn to_string(v: &Value) -> Result<String, ValueError> {
    match v {
        Value::String(t) => Ok(t.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(x) => Ok(number_text(x)),
        Value::Null => Err(ValueError::NotAString("null".into())),
        v => Err(ValueError::NotAString(v.to_string())),
    }
}

/// A bool, or a string Terraform converts to one (`"true"`, `"false"`, `"1"`, `"0"`).
fn to_bool(v: &Value) -> Result<bool, ValueError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(t) if t == "true" || t == "1" => Ok(true),
        Value::String(t) if t == "false" || t == "0" => Ok(false),
        v => Err(ValueError::NotABool(v.to_string())),
    }
}

fn list_of(v: &Value) -> Result<Vec<Value>, ValueError> {
    match v {
        Value::Array(l) => Ok(l.clone()),
        v => Err(ValueError::NotAList(v.to_string())),
    }
}

fn sorted_keys(o: &Map<String, Value>) -> Vec<String> {
    let mut k: Vec<String> = o.keys().cloned().collect();
    k.sort();
    k
}
