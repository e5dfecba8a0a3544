//! Type conversion functions (`tostring`, `tolist`, `toset`, …) and the type unification they share with
//! `distinct` and `coalesce`: a tuple converted to a list "of any single type".

use super::{arg, list_of, parse_number, to_bool, to_string, Function, ValueError, R};
use hcl::eval::FuncArgs;
use hcl::Value;

/// Type conversion functions.
pub(super) const CONVERSION: &[(&str, Function)] = checked![
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
pub(super) fn single_type(l: Vec<Value>) -> Result<Vec<Value>, ValueError> {
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
pub(super) fn distinct(l: Vec<Value>) -> Vec<Value> {
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
