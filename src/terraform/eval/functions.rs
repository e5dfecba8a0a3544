//! The Terraform functions infra evaluates, declared on an hcl-rs [`Context`]. Each follows the behaviour
//! documented at developer.hashicorp.com/terraform/language/functions/<name> (Terraform 1.11). A function not
//! declared here (`timestamp`, `file`, `uuid`, …) is not evaluated: the expression that calls it stays unknown.
//! `try` and `can` need their arguments unevaluated, so [`super`] handles them before hcl-rs sees the call.

use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};
use hcl::{Map, Number, Value};
use unicode_segmentation::UnicodeSegmentation;

/// A function's result. The error is text because hcl-rs declares functions as `hcl::eval::Func`,
/// `fn(FuncArgs) -> Result<Value, String>`; it is never shown: a call that errs leaves its expression unknown, and
/// a limit reached on the way is reported from the budget (`limits::LimitReached`, `limits::error`).
type R = Result<Value, String>;
type Function = hcl::eval::Func;

/// The functions' table, each function wrapped so that its result is checked against the evaluation's limits
/// (`super::limits::produced`): hcl-rs takes plain `fn` pointers, so the wrapper is a `fn` per entry.
macro_rules! checked {
    ($(($name:literal, $f:expr)),* $(,)?) => {
        &[$(($name, {
            fn checked(a: FuncArgs) -> R {
                let f: Function = $f;
                super::limits::produced(f(a))
            }
            checked as Function
        })),*]
    };
}

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

/// String functions. Go's case mapping is rune by rune (`strings.ToLower`), not Rust's full mapping; Terraform
/// reverses, counts and slices grapheme clusters ("é" written as e + U+0301 is one).
const STRING: &[(&str, Function)] = checked![
    ("lower", |a| Ok(s(&a, 0)?
        .chars()
        .map(go_lower)
        .collect::<String>()
        .into())),
    ("upper", |a| Ok(s(&a, 0)?
        .chars()
        .map(go_upper)
        .collect::<String>()
        .into())),
    ("title", |a| Ok(title(&s(&a, 0)?).into())),
    ("trimspace", |a| Ok(s(&a, 0)?.trim().to_string().into())),
    ("chomp", |a| {
        Ok(s(&a, 0)?.trim_end_matches(['\n', '\r']).to_string().into())
    }),
    ("trim", |a| {
        let cut = s(&a, 1)?;
        Ok(s(&a, 0)?.trim_matches(|c| cut.contains(c)).to_string().into())
    }),
    ("trimprefix", |a| {
        let (t, p) = (s(&a, 0)?, s(&a, 1)?);
        Ok(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string().into())
    }),
    ("trimsuffix", |a| {
        let (t, p) = (s(&a, 0)?, s(&a, 1)?);
        Ok(t.strip_suffix(p.as_str()).unwrap_or(&t).to_string().into())
    }),
    ("startswith", |a| Ok(s(&a, 0)?.starts_with(s(&a, 1)?.as_str()).into())),
    ("endswith", |a| Ok(s(&a, 0)?.ends_with(s(&a, 1)?.as_str()).into())),
    ("strrev", |a| Ok(s(&a, 0)?
        .graphemes(true)
        .rev()
        .collect::<String>()
        .into())),
    ("replace", replace),
    ("split", split),
    ("join", join),
    ("substr", substr),
    ("format", format),
    ("regex", regex),
];

/// Type conversion functions.
const CONVERSION: &[(&str, Function)] = checked![
    ("tostring", |a| match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => Ok(to_string(v)?.into()),
    }),
    ("tonumber", |a| match arg(&a, 0)? {
        Value::Number(n) => Ok(Value::Number(*n)),
        Value::String(t) => parse_number(t).ok_or_else(|| format!("cannot convert {t:?} to number")),
        Value::Null => Ok(Value::Null),
        v => Err(format!("cannot convert {v} to number")),
    }),
    ("tobool", |a| match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Bool(to_bool(v)?)),
    }),
    ("tolist", |a| match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Array(single_type(list_of(v)?)?)),
    }),
    ("toset", |a| match arg(&a, 0)? {
        Value::Null => Ok(Value::Null),
        v => Ok(Value::Array(set_of(single_type(list_of(v)?)?))),
    }),
    ("tomap", |a| match arg(&a, 0)? {
        Value::Object(o) => {
            let values = single_type(o.values().cloned().collect())?;
            Ok(Value::Object(o.keys().cloned().zip(values).collect()))
        }
        v => Err(format!("cannot convert {v} to map")),
    }),
];

/// Collection functions.
const COLLECTION: &[(&str, Function)] = checked![
    ("length", |a| match arg(&a, 0)? {
        Value::Array(l) => Ok(l.len().into()),
        Value::Object(o) => Ok(o.len().into()),
        Value::String(t) => Ok(t.graphemes(true).count().into()),
        v => Err(format!("length of {v}")),
    }),
    ("concat", concat),
    ("merge", merge),
    ("lookup", lookup),
    ("contains", |a| match arg(&a, 1)? {
        Value::Null => Err("contains: the value must not be null".into()),
        v => Ok(list_of(arg(&a, 0)?)?.contains(v).into()),
    }),
    ("keys", |a| match arg(&a, 0)? {
        Value::Object(o) => Ok(Value::Array(sorted_keys(o).into_iter().map(Value::from).collect())),
        v => Err(format!("keys of {v}")),
    }),
    ("values", |a| match arg(&a, 0)? {
        Value::Object(o) => Ok(Value::Array(
            sorted_keys(o).into_iter().map(|k| o[&k].clone()).collect(),
        )),
        v => Err(format!("values of {v}")),
    }),
    ("element", element),
    ("index", |a| {
        let l = list_of(arg(&a, 0)?)?;
        l.iter()
            .position(|v| v == arg(&a, 1).unwrap_or(&Value::Null))
            .map(Value::from)
            .ok_or("not found".into())
    }),
    ("flatten", flatten),
    ("distinct", |a| Ok(Value::Array(distinct(single_type(list_of(arg(
        &a, 0
    )?)?)?)))),
    ("compact", compact),
    ("coalesce", coalesce),
    ("coalescelist", coalescelist),
    ("reverse", |a| {
        Ok(Value::Array(list_of(arg(&a, 0)?)?.into_iter().rev().collect()))
    }),
    ("slice", slice),
    ("sort", |a| {
        let mut l: Vec<String> = list_of(arg(&a, 0)?)?.iter().map(to_string).collect::<Result<_, _>>()?;
        l.sort();
        Ok(Value::Array(l.into_iter().map(Value::from).collect()))
    }),
    ("range", range),
    ("zipmap", zipmap),
    ("one", |a| {
        let l = list_of(arg(&a, 0)?)?;
        match l.len() {
            0 => Ok(Value::Null),
            1 => Ok(l[0].clone()),
            _ => Err("one: more than one element".into()),
        }
    }),
    ("alltrue", |a| Ok(bools(arg(&a, 0)?)?
        .iter()
        .all(|b| *b == Some(true))
        .into())),
    ("anytrue", |a| Ok(bools(arg(&a, 0)?)?.contains(&Some(true)).into())),
];

/// Numeric functions.
const NUMERIC: &[(&str, Function)] = checked![
    ("min", |a| fold(&a, f64::min)),
    ("max", |a| fold(&a, f64::max)),
    ("sum", |a| {
        let l = list_of(arg(&a, 0)?)?;
        if l.is_empty() {
            return Err("sum: cannot sum an empty list".into());
        }
        let xs: Vec<f64> = l.iter().map(number_of).collect::<Result<_, _>>()?;
        Ok(decimal_sum(&xs))
    }),
    ("abs", |a| Ok(num(n(&a, 0)?.abs()))),
    ("ceil", |a| Ok(num(n(&a, 0)?.ceil()))),
    ("floor", |a| Ok(num(n(&a, 0)?.floor()))),
];

/// Encoding functions.
const ENCODING: &[(&str, Function)] = checked![
    ("jsonencode", |a| Ok(json_text(arg(&a, 0)?).into())),
    ("jsondecode", |a| {
        serde_json::from_str::<Value>(&s(&a, 0)?).map_err(|e| e.to_string())
    }),
    ("base64encode", |a| Ok(base64_encode(s(&a, 0)?.as_bytes()).into())),
    ("base64decode", |a| {
        let bytes = base64_decode(&s(&a, 0)?).ok_or("base64decode: not base64")?;
        String::from_utf8(bytes)
            .map(Value::from)
            .map_err(|_| "base64decode: not UTF-8".into())
    }),
    ("urlencode", urlencode),
];

/// IP network functions (IPv4 and IPv6).
const NETWORK: &[(&str, Function)] = checked![
    ("cidrsubnet", cidrsubnet),
    ("cidrhost", cidrhost),
    ("cidrnetmask", |a| {
        let prefix = cidr(&s(&a, 0)?)?;
        if prefix.bits != 32 {
            return Err("cidrnetmask: only IPv4 prefixes have a netmask".into());
        }
        Ok(prefix.address(mask(32, prefix.len)).into())
    }),
];

fn split(a: FuncArgs) -> R {
    let (sep, text) = (s(&a, 0)?, s(&a, 1)?);
    // Go's strings.Split: an empty separator splits after each character.
    let parts: Vec<Value> = if sep.is_empty() {
        text.chars().map(|c| Value::from(c.to_string())).collect()
    } else {
        text.split(sep.as_str()).map(|p| p.to_string().into()).collect()
    };
    Ok(Value::Array(parts))
}

fn concat(a: FuncArgs) -> R {
    if a.is_empty() {
        return Err("concat: at least one argument is required".into());
    }
    let mut out = Vec::new();
    for l in a.iter() {
        out.extend(list_of(l)?);
    }
    Ok(Value::Array(out))
}

fn merge(a: FuncArgs) -> R {
    let mut out = Map::new();
    for v in a.iter() {
        match v {
            Value::Object(o) => out.extend(o.clone()),
            Value::Null => {}
            v => return Err(format!("merge: {v} is not a map or object")),
        }
    }
    Ok(Value::Object(out))
}

fn lookup(a: FuncArgs) -> R {
    let Value::Object(o) = arg(&a, 0)? else {
        return Err("lookup: not a map".into());
    };
    match o.get(&s(&a, 1)?) {
        Some(v) => Ok(v.clone()),
        None => a
            .get(2)
            .cloned()
            .ok_or_else(|| "lookup: no such key and no default".into()),
    }
}

fn element(a: FuncArgs) -> R {
    let l = list_of(arg(&a, 0)?)?;
    let i = int(&a, 1)?;
    if l.is_empty() {
        return Err("element of an empty list".into());
    }
    if i < 0 {
        return Err("element: the index must not be negative".into());
    }
    Ok(l[(i as u64 % l.len() as u64) as usize].clone())
}

fn flatten(a: FuncArgs) -> R {
    fn flat(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(l) => l.iter().for_each(|v| flat(v, out)),
            v => out.push(v.clone()),
        }
    }
    let mut out = Vec::new();
    flat(&Value::Array(list_of(arg(&a, 0)?)?), &mut out);
    Ok(Value::Array(out))
}

fn compact(a: FuncArgs) -> R {
    let mut out = Vec::new();
    for v in list_of(arg(&a, 0)?)? {
        if v != Value::Null {
            let text = to_string(&v)?;
            if !text.is_empty() {
                out.push(Value::from(text));
            }
        }
    }
    Ok(Value::Array(out))
}

fn coalescelist(a: FuncArgs) -> R {
    if let Some(v) = a.iter().find(|v| !matches!(v, Value::Array(_))) {
        return Err(format!("coalescelist: {v} is not a list"));
    }
    a.iter()
        .find(|v| v.as_array().is_some_and(|l| !l.is_empty()))
        .cloned()
        .ok_or_else(|| "coalescelist: no non-empty list".into())
}

fn slice(a: FuncArgs) -> R {
    let l = list_of(arg(&a, 0)?)?;
    let (from, to) = (int(&a, 1)?, int(&a, 2)?);
    if from < 0 || to < from || to > l.len() as i64 {
        return Err(format!("slice: {from}..{to} is not within the {} elements", l.len()));
    }
    Ok(Value::Array(l[from as usize..to as usize].to_vec()))
}

fn zipmap(a: FuncArgs) -> R {
    let (k, v) = (list_of(arg(&a, 0)?)?, list_of(arg(&a, 1)?)?);
    if k.len() != v.len() {
        return Err(format!("zipmap: {} keys and {} values", k.len(), v.len()));
    }
    let keys = k.iter().map(to_string).collect::<Result<Vec<_>, _>>()?;
    Ok(Value::Object(keys.into_iter().zip(v).collect()))
}

/// Go's `url.QueryEscape`: a space is `+`.
fn urlencode(a: FuncArgs) -> R {
    Ok(s(&a, 0)?
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect::<String>()
        .into())
}

fn cidrhost(a: FuncArgs) -> R {
    let prefix = cidr(&s(&a, 0)?)?;
    let host = int(&a, 1)?;
    let size = 1i128 << (prefix.bits - prefix.len).min(127);
    let host = if host < 0 {
        size + i128::from(host)
    } else {
        i128::from(host)
    };
    if host < 0 || host >= size {
        return Err("cidrhost: host number out of range".into());
    }
    Ok(prefix.address(prefix.base | host as u128).into())
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

/// Why a `format` specification or argument cannot be formatted. Text at hcl-rs's boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum FormatError {
    #[error("format: {0} is too large")]
    TooLarge(String),
    #[error("format: `[` needs an argument number")]
    IndexWithoutNumber,
    #[error("format: `[` without `]`")]
    UnclosedIndex,
    #[error("format: trailing %")]
    TrailingPercent,
    #[error("format: no argument {0}")]
    NoArgument(usize),
    #[error("format: too many arguments; only {0} used")]
    TooManyArguments(usize),
    #[error("format: a null argument")]
    Null,
    #[error("format: %{0} needs a number")]
    NeedsNumber(char),
    #[error("format: unsupported verb %{0}")]
    UnsupportedVerb(char),
    #[error("format: %{verb} needs a whole number, not {x}")]
    NotWhole { verb: char, x: f64 },
    #[error("format: number too large")]
    NumberTooLarge,
    #[error("format: %#{0} is not evaluated")]
    SharpNotEvaluated(char),
    #[error("format: precision {0} is more than infra evaluates (65535)")]
    Precision(u64),
    #[error("format: %g with a precision is not evaluated")]
    GPrecision,
    #[error(transparent)]
    Value(#[from] ValueError),
    #[error(transparent)]
    Limit(#[from] super::limits::LimitReached),
}

/// Why a text is not a CIDR prefix. Text at hcl-rs's boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum PrefixError {
    #[error("not a CIDR prefix")]
    NoSlash,
    #[error("{0} is not an IP address")]
    NotAnAddress(String),
    #[error("bad prefix length")]
    Length,
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
into_text!(ValueError, FormatError, PrefixError);

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

/// A list of bools (`alltrue`, `anytrue`): strings convert, a null stays null (it is not true).
fn bools(v: &Value) -> Result<Vec<Option<bool>>, ValueError> {
    list_of(v)?
        .iter()
        .map(|v| match v {
            Value::Null => Ok(None),
            v => to_bool(v).map(Some),
        })
        .collect()
}

fn list_of(v: &Value) -> Result<Vec<Value>, ValueError> {
    match v {
        Value::Array(l) => Ok(l.clone()),
        v => Err(ValueError::NotAList(v.to_string())),
    }
}

/// A value's type as far as infra sees it: infra does not tell a list, set and tuple apart, nor a map and an object.
#[derive(Clone, PartialEq)]
enum Ty {
    /// `null`: converts to any type.
    Any,
    Bool,
    Number,
    String,
    Tuple(Vec<Ty>),
    Object(std::collections::BTreeMap<String, Ty>),
    /// What tuples of different types unify to: a list of one element type.
    List(Box<Ty>),
    /// What objects with different attributes unify to: a map of one element type.
    Map(Box<Ty>),
}

fn type_of(v: &Value) -> Ty {
    match v {
        Value::Null => Ty::Any,
        Value::Bool(_) => Ty::Bool,
        Value::Number(_) => Ty::Number,
        Value::String(_) => Ty::String,
        Value::Array(l) => Ty::Tuple(l.iter().map(type_of).collect()),
        Value::Object(o) => Ty::Object(o.iter().map(|(k, v)| (k.clone(), type_of(v))).collect()),
    }
}

/// The type both `a` and `b` convert to, as Terraform unifies the elements of a list, set or map: a string
/// where a string meets a number or a bool; objects with the same attributes attribute by attribute, and with
/// different ones a map of what all their attributes unify to; tuples of one length element by element, of
/// different lengths a list. `None` where Terraform has none (a number and a bool, a string and a list).
fn unify(a: Ty, b: Ty) -> Option<Ty> {
    let all = |items: Vec<Ty>| items.into_iter().try_fold(Ty::Any, unify).map(Box::new);
    match (a, b) {
        (Ty::Any, t) | (t, Ty::Any) => Some(t),
        (a, b) if a == b => Some(a),
        (Ty::String, Ty::Number | Ty::Bool) | (Ty::Number | Ty::Bool, Ty::String) => Some(Ty::String),
        (Ty::Object(x), Ty::Object(y)) if x.keys().eq(y.keys()) => {
            let attrs = x.into_iter().zip(y).map(|((k, a), (_, b))| Some((k, unify(a, b)?)));
            attrs.collect::<Option<_>>().map(Ty::Object)
        }
        (Ty::Object(x), Ty::Object(y)) => all(x.into_values().chain(y.into_values()).collect()).map(Ty::Map),
        (Ty::Map(t), Ty::Object(x)) | (Ty::Object(x), Ty::Map(t)) => {
            all(x.into_values().chain([*t]).collect()).map(Ty::Map)
        }
        (Ty::Map(x), Ty::Map(y)) => unify(*x, *y).map(Box::new).map(Ty::Map),
        (Ty::Tuple(x), Ty::Tuple(y)) if x.len() == y.len() => x
            .into_iter()
            .zip(y)
            .map(|(a, b)| unify(a, b))
            .collect::<Option<_>>()
            .map(Ty::Tuple),
        (Ty::Tuple(x), Ty::Tuple(y)) => all(x.into_iter().chain(y).collect()).map(Ty::List),
        (Ty::List(t), Ty::Tuple(x)) | (Ty::Tuple(x), Ty::List(t)) => {
            all(x.into_iter().chain([*t]).collect()).map(Ty::List)
        }
        (Ty::List(x), Ty::List(y)) => unify(*x, *y).map(Box::new).map(Ty::List),
        _ => None,
    }
}

/// `v` converted to `ty` (a type [`unify`] found for it).
fn convert(v: Value, ty: &Ty) -> Result<Value, ValueError> {
    match (v, ty) {
        (Value::Null, _) => Ok(Value::Null),
        (v @ (Value::Bool(_) | Value::Number(_)), Ty::String) => Ok(to_string(&v)?.into()),
        (Value::Object(o), Ty::Object(_) | Ty::Map(_)) => o
            .into_iter()
            .map(|(k, v)| {
                let t = match ty {
                    Ty::Object(attrs) => attrs.get(&k).unwrap_or(&Ty::Any),
                    Ty::Map(t) => t,
                    _ => &Ty::Any,
                };
                Ok((k, convert(v, t)?))
            })
            .collect::<Result<_, ValueError>>()
            .map(Value::Object),
        (Value::Array(l), Ty::List(t)) => l
            .into_iter()
            .map(|v| convert(v, t))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        (Value::Array(l), Ty::Tuple(types)) => l
            .into_iter()
            .zip(types)
            .map(|(v, t)| convert(v, t))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        (v, _) => Ok(v),
    }
}

/// The elements of a tuple converted to a list (or set, or map) "of any single type", as `tolist`, `toset`,
/// `tomap` and `distinct` do: `["a", 1]` is `["a", "1"]`; `[1, true]` has no single type (an error).
fn single_type(l: Vec<Value>) -> Result<Vec<Value>, ValueError> {
    let ty = l
        .iter()
        .map(type_of)
        .try_fold(Ty::Any, unify)
        .ok_or(ValueError::NoSingleType)?;
    l.into_iter().map(|v| convert(v, &ty)).collect()
}

/// A set's elements, in Terraform's order: strings and numbers and bools sorted by value (strings by bytes,
/// `false` first); other elements stay in first-seen order (Terraform orders them by a hash infra does not
/// reproduce).
fn set_of(l: Vec<Value>) -> Vec<Value> {
    let mut l = distinct(l);
    if l.iter().all(|v| matches!(v, Value::String(_))) {
        l.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if l.iter().all(|v| matches!(v, Value::Number(_))) {
        l.sort_by(|a, b| a.as_f64().partial_cmp(&b.as_f64()).unwrap_or(std::cmp::Ordering::Equal));
    } else if l.iter().all(|v| matches!(v, Value::Bool(_))) {
        l.sort_by_key(|v| v.as_bool());
    }
    l
}

/// The elements of `l` without repeats, in first-seen order: hashed by a canonical text of each value (object keys
/// sorted, since two objects are equal whatever their keys' order), so it is linear, not quadratic.
fn distinct(l: Vec<Value>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::with_capacity(l.len());
    l.into_iter()
        .filter(|v| {
            let mut key = String::new();
            canonical(v, &mut key);
            seen.insert(key)
        })
        .collect()
}

/// A text that is the same for two values exactly when they are equal.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                canonical(&o[k], out);
                out.push(',');
            }
            out.push('}');
        }
        Value::String(t) => out.push_str(&serde_json::to_string(t).unwrap_or_default()),
        Value::Number(n) => out.push_str(&format!("n{n}")),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
    }
}

fn sorted_keys(o: &Map<String, Value>) -> Vec<String> {
    let mut k: Vec<String> = o.keys().cloned().collect();
    k.sort();
    k
}

fn fold(a: &FuncArgs, f: fn(f64, f64) -> f64) -> R {
    let xs: Vec<f64> = (0..a.len()).map(|i| n(a, i)).collect::<Result<_, _>>()?;
    xs.into_iter()
        .reduce(f)
        .map(num)
        .ok_or_else(|| "needs at least one number".into())
}

/// `x` as a whole number of 10^-`places` (`0.25` is 25 of 10^-2), when it has at most 15 decimal places.
fn decimal(x: f64) -> Option<(i128, u32)> {
    let text = format!("{x}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let places = u32::try_from(fraction.len()).ok().filter(|p| *p <= 15)?;
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    Some((digits, places))
}

/// `units` of 10^-`places` as a number.
fn from_decimal(units: i128, places: u32) -> Value {
    let scale = 10f64.powi(places as i32);
    // Parsing the decimal text rounds once, where `units as f64 / scale` would round twice.
    let sign = if units < 0 { "-" } else { "" };
    let digits = format!("{:0>width$}", units.unsigned_abs(), width = places as usize + 1);
    let (whole, fraction) = digits.split_at(digits.len() - places as usize);
    format!("{sign}{whole}.{fraction}0")
        .parse::<f64>()
        .map(num)
        .unwrap_or_else(|_| num(units as f64 / scale))
}

/// The sum as Terraform computes it, in decimal (`0.1 + 0.2` is `0.3`), for numbers with few decimal places;
/// otherwise in binary floating point.
fn decimal_sum(xs: &[f64]) -> Value {
    let parts: Option<Vec<(i128, u32)>> = xs.iter().map(|x| decimal(*x)).collect();
    let exact = parts.and_then(|parts| {
        let places = parts.iter().map(|p| p.1).max().unwrap_or(0);
        parts
            .iter()
            .try_fold(0i128, |total, (units, p)| {
                total.checked_add(units.checked_mul(10i128.checked_pow(places - p)?)?)
            })
            .map(|total| from_decimal(total, places))
    });
    exact.unwrap_or_else(|| num(xs.iter().sum()))
}

fn join(a: FuncArgs) -> R {
    let sep = s(&a, 0)?;
    if a.len() < 2 {
        return Err("join: at least one list is required".into());
    }
    let mut parts = Vec::new();
    for list in a.iter().skip(1) {
        for v in list_of(list)? {
            parts.push(to_string(&v)?);
        }
    }
    let bytes = parts.iter().map(|p| p.len() as u64).sum::<u64>()
        + (sep.len() as u64).saturating_mul(parts.len().saturating_sub(1) as u64);
    super::limits::may_build(bytes, || format!("join would build {bytes} bytes"))?;
    Ok(parts.join(&sep).into())
}

/// `substr(string, offset, length)` over grapheme clusters: a negative offset counts from the end, a negative
/// length takes the rest; both must be whole numbers.
fn substr(a: FuncArgs) -> R {
    let text = s(&a, 0)?;
    let clusters: Vec<&str> = text.graphemes(true).collect();
    let (offset, length) = (int(&a, 1)?, int(&a, 2)?);
    let len = clusters.len() as i64;
    let start = if offset < 0 { len.saturating_add(offset) } else { offset }.clamp(0, len);
    let end = if length < 0 {
        len
    } else {
        start.saturating_add(length).min(len)
    };
    Ok(clusters[start as usize..end as usize].concat().into())
}

/// `coalesce`: the first argument that is not null nor `""`, all converted to one type (`coalesce(1, "a")` is
/// `"1"`); lists and objects are not converted, but do not mix with strings, numbers and bools.
fn coalesce(a: FuncArgs) -> R {
    let given: Vec<Value> = a.iter().filter(|v| !matches!(v, Value::Null)).cloned().collect();
    let primitive = |v: &Value| matches!(v, Value::Bool(_) | Value::Number(_) | Value::String(_));
    let given = if given.iter().all(primitive) {
        single_type(given).map_err(|_| "coalesce: all arguments must have the same type".to_string())?
    } else if given.iter().any(primitive) {
        return Err("coalesce: all arguments must have the same type".into());
    } else {
        given
    };
    given
        .into_iter()
        .find(|v| v.as_str() != Some(""))
        .ok_or_else(|| "coalesce: no non-null, non-empty argument".into())
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`, counted in decimal as Terraform does
/// (`range(0, 1, 0.1)` ends at `0.9`); at most 1024 elements.
fn range(a: FuncArgs) -> R {
    let args: Vec<f64> = (0..a.len()).map(|i| n(&a, i)).collect::<Result<_, _>>()?;
    let (start, end, step) = match args.as_slice() {
        [e] => (0.0, *e, if *e >= 0.0 { 1.0 } else { -1.0 }),
        [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err("range takes 1 to 3 arguments".into()),
    };
    if step == 0.0 {
        return Err("range: step is zero".into());
    }
    if (step > 0.0 && end < start) || (step < 0.0 && end > start) {
        return Err("range: the step goes away from the limit".into());
    }
    let (Some((s0, p0)), Some((e0, p1)), Some((st, p2))) = (decimal(start), decimal(end), decimal(step)) else {
        return Err("range: numbers with more than 15 decimal places are not evaluated".into());
    };
    let places = p0.max(p1).max(p2);
    let scale = |(units, p): (i128, u32)| units.checked_mul(10i128.checked_pow(places - p)?);
    let (Some(first), Some(limit), Some(step)) = (scale((s0, p0)), scale((e0, p1)), scale((st, p2))) else {
        return Err("range: numbers too large to count in decimal".into());
    };
    let mut out = Vec::new();
    let mut x = first;
    while (step > 0 && x < limit) || (step < 0 && x > limit) {
        if out.len() >= 1024 {
            return Err("range: more than 1024 elements".into());
        }
        out.push(from_decimal(x, places));
        x += step;
    }
    Ok(Value::Array(out))
}

/// Go's `unicode.ToLower`: one rune for one (Rust's full mapping turns a final `Σ` into `ς`, `İ` into two).
fn go_lower(c: char) -> char {
    if c == 'İ' {
        return 'i';
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// Go's `unicode.ToUpper`: one rune for one (`ß` stays `ß`, where Rust's full mapping makes `SS`).
fn go_upper(c: char) -> char {
    match c {
        'ᾳ' => 'ᾼ',
        'ῃ' => 'ῌ',
        'ῳ' => 'ῼ',
        c => {
            let mut u = c.to_uppercase();
            match (u.next(), u.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        }
    }
}

/// Go's `strings.Title`, which Terraform's `title` is: the first letter of each word in title case, a word
/// starting after anything but a letter, digit, `_` or a non-ASCII character other than a space.
fn title(t: &str) -> String {
    let separator = |c: char| match c {
        c if c.is_ascii_alphanumeric() || c == '_' => false,
        c if c.is_ascii() => true,
        c => c.is_whitespace(),
    };
    let mut out = String::new();
    let mut previous = ' ';
    for c in t.chars() {
        out.push(if separator(previous) { go_title(c) } else { c });
        previous = c;
    }
    out
}

/// Go's `unicode.ToTitle`: upper case, but the digraphs have their own title case (`ǆ` is `ǅ`, not `Ǆ`).
fn go_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        c => go_upper(c),
    }
}

fn replace(a: FuncArgs) -> R {
    let (text, find, with) = (s(&a, 0)?, s(&a, 1)?, s(&a, 2)?);
    let limit = super::limits::limits().value_size;
    let regex = find.len() > 1 && find.starts_with('/') && find.ends_with('/');
    let bytes = if regex {
        // At most one match per character and one more, each replaced by `with` with its `$n`s expanded.
        let places = text.chars().count() as u64 + 1;
        (with.len() as u64)
            .saturating_mul(places)
            .saturating_add((text.len() as u64).saturating_mul(with.matches('$').count() as u64))
    } else {
        let count = if find.is_empty() {
            text.chars().count() as u64 + 1
        } else {
            text.matches(find.as_str()).count() as u64
        };
        (text.len() as u64).saturating_add((with.len() as u64).saturating_mul(count))
    };
    if bytes > limit {
        super::limits::may_build(bytes, || format!("replace would build up to {bytes} bytes"))?;
    }
    if regex {
        let re = regex::Regex::new(&find[1..find.len() - 1]).map_err(|e| e.to_string())?;
        // Terraform writes capture references as $1 / ${1}, as the regex crate does.
        Ok(re.replace_all(&text, with.as_str()).into_owned().into())
    } else {
        Ok(text.replace(&find, &with).into())
    }
}

/// One `%` directive of a `format` string: `%[flags][width][.precision][[n]]verb` (Go's `fmt`, as cty reads it).
#[derive(Default)]
struct Directive {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<u64>,
    precision: Option<u64>,
    /// `%[n]v`: the argument's number, from 1.
    index: Option<usize>,
    verb: char,
}

/// Reads a directive after its `%`.
fn directive(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<Directive, FormatError> {
    let mut d = Directive::default();
    while let Some(&c) = chars.peek() {
        match c {
            '-' => d.minus = true,
            '+' => d.plus = true,
            ' ' => d.space = true,
            '0' => d.zero = true,
            '#' => d.sharp = true,
            _ => break,
        }
        chars.next();
    }
    let digits = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Result<Option<u64>, FormatError> {
        let mut text = String::new();
        while let Some(c) = chars.next_if(char::is_ascii_digit) {
            text.push(c);
        }
        match text.is_empty() {
            true => Ok(None),
            false => text.parse().map(Some).map_err(|_| FormatError::TooLarge(text)),
        }
    };
    if chars.next_if_eq(&'[').is_some() {
        d.index = Some(digits(chars)?.ok_or(FormatError::IndexWithoutNumber)? as usize);
        chars.next_if_eq(&']').ok_or(FormatError::UnclosedIndex)?;
    }
    d.width = digits(chars)?;
    if chars.next_if_eq(&'.').is_some() {
        d.precision = Some(digits(chars)?.unwrap_or(0));
    }
    d.verb = chars.next().ok_or(FormatError::TrailingPercent)?;
    Ok(d)
}

/// `format`, as Terraform's (cty's) `format`: the verbs `%v %#v %t %b %d %o %x %X %e %E %f %F %g %G %s %q %%`, the
/// flags `- + space 0 #`, widths, precisions and `%[n]` argument numbers; every argument must be used.
fn format(a: FuncArgs) -> R {
    let spec = s(&a, 0)?;
    let mut out = String::new();
    let (mut next, mut used) = (1, 0);
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            out.push('%');
            continue;
        }
        let d = directive(&mut chars)?;
        let at = d.index.unwrap_or(next);
        let v = a.get(at).filter(|_| at > 0).ok_or(FormatError::NoArgument(at))?;
        (next, used) = (at + 1, used.max(at));
        let text = format_one(&d, v)?;
        pad(&mut out, &d, text)?;
    }
    if used + 1 < a.len() {
        return Err(FormatError::TooManyArguments(used).into());
    }
    Ok(out.into())
}

/// One argument formatted by its directive, before padding to the width.
fn format_one(d: &Directive, v: &Value) -> Result<String, FormatError> {
    if matches!(v, Value::Null) {
        return Err(FormatError::Null);
    }
    let number = || -> Result<f64, FormatError> {
        match v {
            Value::Bool(_) => Err(FormatError::NeedsNumber(d.verb)),
            v => Ok(number_of(v)?),
        }
    };
    Ok(match d.verb {
        'v' if d.sharp => json_text(v),
        'v' => match v {
            Value::Array(_) | Value::Object(_) => json_text(v),
            v => to_string(v)?,
        },
        's' => {
            let text = to_string(v)?;
            match d.precision {
                Some(p) => text.chars().take(p as usize).collect(),
                None => text,
            }
        }
        'q' => json_text(&Value::String(to_string(v)?)),
        't' => to_bool(v)?.to_string(),
        'd' | 'b' | 'o' | 'x' | 'X' => signed(d, integer(d, number()?)?),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => signed(d, float(d, number()?)?),
        other => return Err(FormatError::UnsupportedVerb(other)),
    })
}

/// A whole number in the directive's base (`%#x` with its `0x`), without its sign.
fn integer(d: &Directive, x: f64) -> Result<(bool, String), FormatError> {
    if x.fract() != 0.0 {
        return Err(FormatError::NotWhole { verb: d.verb, x });
    }
    let negative = x < 0.0;
    let text = if d.verb == 'd' {
        format!("{}", x.abs())
    } else {
        let whole = u128::try_from(x.abs() as i128).map_err(|_| FormatError::NumberTooLarge)?;
        if x.abs() >= 1.7e38 {
            return Err(FormatError::NumberTooLarge);
        }
        match (d.verb, d.sharp) {
            ('x', false) => format!("{whole:x}"),
            ('x', true) => format!("0x{whole:x}"),
            ('X', false) => format!("{whole:X}"),
            ('X', true) => format!("0X{whole:X}"),
            ('o', false) => format!("{whole:o}"),
            ('b', false) => format!("{whole:b}"),
            _ => return Err(FormatError::SharpNotEvaluated(d.verb)),
        }
    };
    Ok((negative, text))
}

/// A number as `%e`, `%f` or `%g` write it (Go's rules: `%e` has a sign and two digits in its exponent; `%g` is
/// `%e` when the exponent is below -4 or from 6 (shortest digits) or the precision up), without its sign.
fn float(d: &Directive, x: f64) -> Result<(bool, String), FormatError> {
    // Rust formats at most 65535 digits after the point.
    let precision = d.precision.unwrap_or(6);
    if precision > u64::from(u16::MAX) {
        return Err(FormatError::Precision(precision));
    }
    super::limits::may_build(precision.saturating_add(400), || {
        format!("format: precision {precision}")
    })?;
    let precision = precision as usize;
    let upper = d.verb.is_ascii_uppercase();
    let x_abs = x.abs();
    let text = match d.verb.to_ascii_lowercase() {
        'f' => format!("{x_abs:.precision$}"),
        'e' => go_exponent(&format!("{x_abs:.precision$e}"), upper),
        _ if d.precision.is_some() => return Err(FormatError::GPrecision),
        _ => {
            let shortest = format!("{x_abs:e}");
            let exponent: i32 = shortest.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
            if !(-4..6).contains(&exponent) {
                go_exponent(&shortest, upper)
            } else {
                format!("{x_abs}")
            }
        }
    };
    Ok((x.is_sign_negative() && x != 0.0, text))
}

/// Rust's `1.5e3` as Go writes it: `1.5e+03`.
fn go_exponent(rust: &str, upper: bool) -> String {
    let (mantissa, exponent) = rust.split_once('e').unwrap_or((rust, "0"));
    let (sign, digits) = match exponent.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exponent),
    };
    format!("{mantissa}{}{sign}{digits:0>2}", if upper { 'E' } else { 'e' })
}

/// A number's text with its sign: `-`, or `+` / a space with those flags.
fn signed(d: &Directive, (negative, digits): (bool, String)) -> String {
    let sign = match (negative, d.plus, d.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        _ => "",
    };
    format!("{sign}{digits}")
}

/// Appends `text` padded to the directive's width (in characters): spaces on the left, on the right with `-`,
/// or zeros after the sign with `0`.
fn pad(out: &mut String, d: &Directive, text: String) -> Result<(), FormatError> {
    let width = d.width.unwrap_or(0);
    let pad = width.saturating_sub(text.chars().count() as u64);
    let total = (out.len() as u64).saturating_add(text.len() as u64).saturating_add(pad);
    super::limits::may_build(total, || format!("format: width {width}"))?;
    let pad = pad as usize;
    if d.minus {
        out.push_str(&text);
        out.push_str(&" ".repeat(pad));
    } else if d.zero {
        let numeric = "dboxXeEfFgG".contains(d.verb);
        let sign_len = if numeric && text.starts_with(['-', '+', ' ']) {
            1
        } else {
            0
        };
        out.push_str(&text[..sign_len]);
        out.push_str(&"0".repeat(pad));
        out.push_str(&text[sign_len..]);
    } else {
        out.push_str(&" ".repeat(pad));
        out.push_str(&text);
    }
    Ok(())
}

/// `regex(pattern, string)`: the match (no capture groups), the list of unnamed groups, or the object of named
/// groups (a group that did not take part is null); mixing named and unnamed groups is an error, as in Terraform.
fn regex(a: FuncArgs) -> R {
    let re = regex::Regex::new(&s(&a, 0)?).map_err(|e| e.to_string())?;
    let text = s(&a, 1)?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    if named > 0 && named < names.len() {
        return Err("regex: cannot mix named and unnamed capture groups".into());
    }
    let caps = re.captures(&text).ok_or("no match")?;
    let group = |i: usize| caps.get(i).map_or(Value::Null, |m| m.as_str().into());
    Ok(if names.is_empty() {
        caps[0].to_string().into()
    } else if named > 0 {
        let pairs = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((n.as_ref()?.to_string(), group(i + 1))));
        Value::Object(pairs.collect())
    } else {
        Value::Array((1..caps.len()).map(group).collect())
    })
}

/// `jsonencode`, as Go's `encoding/json` writes it: object keys sorted, numbers in full, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u003c`….
fn json_text(v: &Value) -> String {
    let mut out = String::new();
    write_json(v, &mut out);
    out
}

fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(x) => out.push_str(&number_text(x)),
        Value::String(t) => json_string(t, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, k) in sorted_keys(o).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                write_json(&o[k], out);
            }
            out.push('}');
        }
    }
}

fn json_string(t: &str, out: &mut String) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base64.StdEncoding`: padded to a multiple of 4 with `=`; line breaks are skipped.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text: Vec<u8> = text.bytes().filter(|c| !matches!(c, b'\r' | b'\n')).collect();
    if text.len() % 4 != 0 {
        return None;
    }
    let padding = text.iter().rev().take_while(|c| **c == b'=').count();
    if padding > 2 {
        return None;
    }
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in &text[..text.len() - padding] {
        acc = (acc << 6) | B64.iter().position(|b| b == c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// An IP prefix (`10.0.0.0/16`, `fd00::/48`): its address masked to the prefix, as a number of `bits` bits.
struct Prefix {
    base: u128,
    len: u32,
    /// 32 for IPv4, 128 for IPv6.
    bits: u32,
}

impl Prefix {
    /// The address `x` in this prefix's family, as Go writes it.
    fn address(&self, x: u128) -> String {
        match self.bits {
            32 => std::net::Ipv4Addr::from(x as u32).to_string(),
            _ => std::net::Ipv6Addr::from(x).to_string(),
        }
    }
}

/// `len` leading one bits of a `bits`-bit address.
fn mask(bits: u32, len: u32) -> u128 {
    let all = if bits == 128 { u128::MAX } else { (1u128 << bits) - 1 };
    match len {
        0 => 0,
        len => all & !(all >> len),
    }
}

/// Reads a CIDR prefix as Terraform does; an IPv4 address may have leading zeros (`010.0.0.0` is `10.0.0.0`).
fn cidr(text: &str) -> Result<Prefix, PrefixError> {
    let (addr, len) = text.split_once('/').ok_or(PrefixError::NoSlash)?;
    let (number, bits) = if addr.contains(':') {
        let ip: std::net::Ipv6Addr = addr.parse().map_err(|_| PrefixError::NotAnAddress(addr.to_string()))?;
        (u128::from(ip), 128)
    } else {
        let octets: Vec<&str> = addr.split('.').collect();
        let plain = octets.len() == 4
            && octets
                .iter()
                .all(|o| !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()));
        let octets: Vec<u8> = octets.iter().filter_map(|o| o.parse().ok()).collect();
        if !plain || octets.len() != 4 {
            return Err(PrefixError::NotAnAddress(addr.to_string()));
        }
        (
            u128::from(u32::from_be_bytes([octets[0], octets[1], octets[2], octets[3]])),
            32,
        )
    };
    let len: u32 = Some(len)
        .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|l| l.parse().ok())
        .filter(|l| *l <= bits)
        .ok_or(PrefixError::Length)?;
    Ok(Prefix {
        base: number & mask(bits, len),
        len,
        bits,
    })
}

fn cidrsubnet(a: FuncArgs) -> R {
    let prefix = cidr(&s(&a, 0)?)?;
    let (newbits, netnum) = (int(&a, 1)?, int(&a, 2)?);
    // Terraform's answers for a negative newbits or netnum follow from go-cidr's arithmetic; infra does not
    // evaluate them.
    if newbits < 0 || netnum < 0 {
        return Err("cidrsubnet: a negative newbits or netnum is not evaluated".into());
    }
    let new_len = u64::from(prefix.len) + newbits as u64;
    if new_len > u64::from(prefix.bits) {
        return Err(format!(
            "cidrsubnet: insufficient address space to extend prefix of {} by {newbits}",
            prefix.len
        ));
    }
    let new_len = new_len as u32;
    if newbits < 127 && netnum as u128 >= 1u128 << newbits {
        return Err(format!("cidrsubnet: netnum {netnum} does not fit in {newbits} bits"));
    }
    let address = prefix.base | ((netnum as u128) << (prefix.bits - new_len));
    Ok(format!("{}/{new_len}", prefix.address(address)).into())
}
