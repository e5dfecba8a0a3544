//! Collection functions (`length`, `merge`, `lookup`, `flatten`, `range`, …).

use super::conversion::{distinct, single_type};
use super::numeric::{decimal, from_decimal};
use super::{arg, int, list_of, n, s, sorted_keys, to_bool, to_string, Function, ValueError, R};
use hcl::eval::FuncArgs;
use hcl::{Map, Value};
use unicode_segmentation::UnicodeSegmentation;

/// Collection functions.
pub(super) const COLLECTION: &[(&str, Function)] = checked![
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
