//! The Terraform functions infra evaluates, declared on an hcl-rs [`Context`]. Each follows the behaviour
//! documented at developer.hashicorp.com/terraform/language/functions/<name> (Terraform 1.11). A function not
//! declared here (`timestamp`, `file`, `uuid`, …) is not evaluated: the expression that calls it stays unknown.
//! `try` and `can` need their arguments unevaluated, so [`super`] handles them before hcl-rs sees the call.

use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};
use hcl::{Map, Number, Value};

type R = Result<Value, String>;
type Function = fn(FuncArgs) -> R;

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

/// Declares every function of this module on `ctx`.
pub fn declare(ctx: &mut Context) {
    let all: &[(&str, Function)] = checked![
        // String functions.
        ("lower", |a| Ok(s(&a, 0)?.to_lowercase().into())),
        ("upper", |a| Ok(s(&a, 0)?.to_uppercase().into())),
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
        ("strrev", |a| Ok(s(&a, 0)?.chars().rev().collect::<String>().into())),
        ("replace", replace),
        ("split", |a| {
            let (sep, text) = (s(&a, 0)?, s(&a, 1)?);
            Ok(Value::Array(
                text.split(sep.as_str()).map(|p| p.to_string().into()).collect(),
            ))
        }),
        ("join", |a| {
            let sep = s(&a, 0)?;
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
        }),
        ("substr", |a| {
            let text: Vec<char> = s(&a, 0)?.chars().collect();
            // `as i64` saturates (1e19 is i64::MAX); the sums saturate too.
            let (offset, length) = (n(&a, 1)? as i64, n(&a, 2)? as i64);
            let len = text.len() as i64;
            let start = if offset < 0 { len.saturating_add(offset) } else { offset }.clamp(0, len);
            let end = if length < 0 {
                len
            } else {
                start.saturating_add(length).min(len)
            };
            let part = text.get(start as usize..end as usize).unwrap_or_default();
            Ok(part.iter().collect::<String>().into())
        }),
        ("format", format),
        ("regex", |a| {
            let re = regex::Regex::new(&s(&a, 0)?).map_err(|e| e.to_string())?;
            let text = s(&a, 1)?;
            let caps = re.captures(&text).ok_or("no match")?;
            Ok(if caps.len() == 1 {
                caps[0].to_string().into()
            } else if re.capture_names().flatten().next().is_some() {
                Value::Object(
                    re.capture_names()
                        .flatten()
                        .map(|name| {
                            (
                                name.to_string(),
                                caps.name(name).map(|m| m.as_str()).unwrap_or("").into(),
                            )
                        })
                        .collect(),
                )
            } else {
                Value::Array(
                    (1..caps.len())
                        .map(|i| caps.get(i).map(|m| m.as_str()).unwrap_or("").into())
                        .collect(),
                )
            })
        }),
        // Type conversion.
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
            Value::Bool(b) => Ok((*b).into()),
            Value::String(t) if t == "true" => Ok(true.into()),
            Value::String(t) if t == "false" => Ok(false.into()),
            Value::Null => Ok(Value::Null),
            v => Err(format!("cannot convert {v} to bool")),
        }),
        ("tolist", |a| Ok(Value::Array(list_of(arg(&a, 0)?)?))),
        ("toset", |a| Ok(Value::Array(distinct(list_of(arg(&a, 0)?)?)))),
        ("tomap", |a| match arg(&a, 0)? {
            Value::Object(o) => Ok(Value::Object(o.clone())),
            v => Err(format!("cannot convert {v} to map")),
        }),
        // Collection functions.
        ("length", |a| match arg(&a, 0)? {
            Value::Array(l) => Ok(l.len().into()),
            Value::Object(o) => Ok(o.len().into()),
            Value::String(t) => Ok(t.chars().count().into()),
            v => Err(format!("length of {v}")),
        }),
        ("concat", |a| {
            let mut out = Vec::new();
            for l in a.iter() {
                out.extend(list_of(l)?);
            }
            Ok(Value::Array(out))
        }),
        ("merge", |a| {
            let mut out = Map::new();
            for v in a.iter() {
                match v {
                    Value::Object(o) => out.extend(o.clone()),
                    Value::Null => {}
                    v => return Err(format!("merge: {v} is not a map or object")),
                }
            }
            Ok(Value::Object(out))
        }),
        ("lookup", |a| {
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
        }),
        ("contains", |a| Ok(list_of(arg(&a, 0)?)?.contains(arg(&a, 1)?).into())),
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
        ("element", |a| {
            let l = list_of(arg(&a, 0)?)?;
            if l.is_empty() {
                return Err("element of an empty list".into());
            }
            Ok(l[(n(&a, 1)? as usize) % l.len()].clone())
        }),
        ("index", |a| {
            let l = list_of(arg(&a, 0)?)?;
            l.iter()
                .position(|v| v == arg(&a, 1).unwrap_or(&Value::Null))
                .map(Value::from)
                .ok_or("not found".into())
        }),
        ("flatten", |a| {
            fn flat(v: &Value, out: &mut Vec<Value>) {
                match v {
                    Value::Array(l) => l.iter().for_each(|v| flat(v, out)),
                    v => out.push(v.clone()),
                }
            }
            let mut out = Vec::new();
            flat(arg(&a, 0)?, &mut out);
            Ok(Value::Array(out))
        }),
        ("distinct", |a| Ok(Value::Array(distinct(list_of(arg(&a, 0)?)?)))),
        ("compact", |a| {
            Ok(Value::Array(
                list_of(arg(&a, 0)?)?
                    .into_iter()
                    .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
                    .collect(),
            ))
        }),
        ("coalesce", |a| {
            a.iter()
                .find(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
                .cloned()
                .ok_or_else(|| "coalesce: no non-null, non-empty argument".into())
        }),
        ("coalescelist", |a| {
            a.iter()
                .find(|v| v.as_array().is_some_and(|l| !l.is_empty()))
                .cloned()
                .ok_or_else(|| "coalescelist: no non-empty list".into())
        }),
        ("reverse", |a| {
            Ok(Value::Array(list_of(arg(&a, 0)?)?.into_iter().rev().collect()))
        }),
        ("slice", |a| {
            let l = list_of(arg(&a, 0)?)?;
            let (from, to) = (n(&a, 1)? as usize, n(&a, 2)? as usize);
            l.get(from..to)
                .map(|s| Value::Array(s.to_vec()))
                .ok_or("slice out of range".into())
        }),
        ("sort", |a| {
            let mut l: Vec<String> = list_of(arg(&a, 0)?)?.iter().map(to_string).collect::<Result<_, _>>()?;
            l.sort();
            Ok(Value::Array(l.into_iter().map(Value::from).collect()))
        }),
        ("range", |a| {
            let args: Vec<f64> = (0..a.len()).map(|i| n(&a, i)).collect::<Result<_, _>>()?;
            let (start, end, step) = match args.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return Err("range takes 1 to 3 arguments".into()),
            };
            if step == 0.0 {
                return Err("range: step is zero".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(num(x));
                x += step;
                if out.len() > 1024 {
                    return Err("range: more than 1024 elements".into());
                }
            }
            Ok(Value::Array(out))
        }),
        ("zipmap", |a| {
            let (k, v) = (list_of(arg(&a, 0)?)?, list_of(arg(&a, 1)?)?);
            Ok(Value::Object(
                k.iter()
                    .map(to_string)
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .zip(v)
                    .collect(),
            ))
        }),
        ("one", |a| {
            let l = list_of(arg(&a, 0)?)?;
            match l.len() {
                0 => Ok(Value::Null),
                1 => Ok(l[0].clone()),
                _ => Err("one: more than one element".into()),
            }
        }),
        ("alltrue", |a| {
            Ok(list_of(arg(&a, 0)?)?.iter().all(|v| v == &Value::Bool(true)).into())
        }),
        ("anytrue", |a| {
            Ok(list_of(arg(&a, 0)?)?.iter().any(|v| v == &Value::Bool(true)).into())
        }),
        // Numeric functions.
        ("min", |a| fold(&a, f64::min)),
        ("max", |a| fold(&a, f64::max)),
        ("sum", |a| {
            let total: f64 = list_of(arg(&a, 0)?)?
                .iter()
                .map(|v| v.as_f64().ok_or("sum: not a number"))
                .sum::<Result<f64, _>>()?;
            Ok(num(total))
        }),
        ("abs", |a| Ok(num(n(&a, 0)?.abs()))),
        ("ceil", |a| Ok(num(n(&a, 0)?.ceil()))),
        ("floor", |a| Ok(num(n(&a, 0)?.floor()))),
        // Encoding functions.
        ("jsonencode", |a| {
            serde_json::to_string(arg(&a, 0)?)
                .map(Value::from)
                .map_err(|e| e.to_string())
        }),
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
        ("urlencode", |a| {
            Ok(s(&a, 0)?
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
                .into())
        }),
        // IP network functions (IPv4).
        ("cidrsubnet", |a| {
            let (base, len) = cidr(&s(&a, 0)?)?;
            let (newbits, netnum) = (whole(&a, 1, "newbits")?, whole(&a, 2, "netnum")?);
            let new_len = u64::from(len) + newbits;
            if new_len > 32 {
                return Err(format!(
                    "cidrsubnet: {newbits} new bits on a /{len} prefix make more than the 32 bits of an IPv4 address"
                ));
            }
            let new_len = new_len as u32;
            if netnum >= 1u64 << newbits {
                return Err(format!("cidrsubnet: netnum {netnum} does not fit in {newbits} bits"));
            }
            // netnum < 2^newbits ≤ 2^32 fits in u32; the shift is 0..=32, so done in 64 bits (a u32 shifted by
            // 32 panics: `cidrsubnet("0.0.0.0/0", 0, 0)`) and the result, under 2^32, cast back.
            let addr = base | ((netnum << (32 - new_len)) as u32);
            Ok(format!("{}/{new_len}", ipv4(addr)).into())
        }),
        ("cidrhost", |a| {
            let (base, len) = cidr(&s(&a, 0)?)?;
            let host = n(&a, 1)?;
            if host.fract() != 0.0 || !host.is_finite() {
                return Err(format!("cidrhost: host number {host} is not a whole number"));
            }
            let host = host as i64;
            let size = 1i64 << (32 - len);
            let host = if host < 0 { size + host } else { host };
            if host < 0 || host >= size {
                return Err("cidrhost: host number out of range".into());
            }
            Ok(ipv4(base.saturating_add(host as u32)).into())
        }),
        ("cidrnetmask", |a| {
            let (_, len) = cidr(&s(&a, 0)?)?;
            Ok(ipv4(if len == 0 { 0 } else { u32::MAX << (32 - len) }).into())
        }),
    ];
    for (name, f) in all {
        ctx.declare_func(*name, def(*f));
    }
    super::arith::declare(ctx);
}

fn arg(a: &FuncArgs, i: usize) -> Result<&Value, String> {
    a.get(i).ok_or_else(|| format!("missing argument {}", i + 1))
}

fn s(a: &FuncArgs, i: usize) -> Result<String, String> {
    to_string(arg(a, i)?)
}

fn n(a: &FuncArgs, i: usize) -> Result<f64, String> {
    match arg(a, i)? {
        Value::Number(x) => x.as_f64().ok_or_else(|| "not a number".into()),
        Value::String(t) => parse_number(t)
            .and_then(|v| v.as_f64())
            .ok_or_else(|| format!("{t:?} is not a number")),
        v => Err(format!("{v} is not a number")),
    }
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)
    }
}

fn parse_number(t: &str) -> Option<Value> {
    t.trim().parse::<f64>().ok().filter(|x| x.is_finite()).map(num)
}

/// A primitive as Terraform converts it to a string.
pub(super) fn to_string(v: &Value) -> Result<String, String> {
    match v {
        Value::String(t) => Ok(t.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(x) => Ok(x.to_string()),
        Value::Null => Err("null is not a string".into()),
        v => Err(format!("{v} is not a string")),
    }
}

fn list_of(v: &Value) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(l) => Ok(l.clone()),
        v => Err(format!("{v} is not a list")),
    }
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

/// Argument `i`, a whole number from 0 up (`what` names it in the error).
fn whole(a: &FuncArgs, i: usize, what: &str) -> Result<u64, String> {
    let x = n(a, i)?;
    if x.fract() != 0.0 || !(0.0..1.8e19).contains(&x) {
        return Err(format!("{what} must be a whole number from 0, not {x}"));
    }
    Ok(x as u64)
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

fn title(t: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in t.chars() {
        out.extend(if start {
            c.to_uppercase().collect::<Vec<_>>()
        } else {
            vec![c]
        });
        start = c.is_whitespace();
    }
    out
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

/// `format` with the verbs modules use: %s %d %v %q %f %%, and %Nd / %0Nd widths.
fn format(a: FuncArgs) -> R {
    let spec = s(&a, 0)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || d == '-' || d == '.' {
                flags.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next().ok_or("format: trailing %")?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let v = arg(&a, next)?;
        next += 1;
        let text = match verb {
            's' | 'v' => match v {
                Value::Array(_) | Value::Object(_) => serde_json::to_string(v).map_err(|e| e.to_string())?,
                v => to_string(v)?,
            },
            'q' => serde_json::to_string(&to_string(v)?).map_err(|e| e.to_string())?,
            'd' => format!("{}", n(&a, next - 1)? as i64),
            'f' => {
                let precision = flags.split('.').nth(1).filter(|p| !p.is_empty()).map_or(Ok(6), |p| {
                    p.parse::<u16>()
                        .map_err(|_| format!("format: precision {p} is more than infra evaluates (65535)"))
                })?;
                super::limits::may_build(u64::from(precision) + 400, || format!("format: precision {precision}"))?;
                flags = flags.split('.').next().unwrap_or("").to_string();
                format!("{:.*}", usize::from(precision), n(&a, next - 1)?)
            }
            other => return Err(format!("format: verb %{other} is not evaluated")),
        };
        let digits = flags.trim_start_matches(['-', '0']);
        let width: u64 = if digits.is_empty() {
            0
        } else {
            digits
                .parse()
                .map_err(|_| format!("format: width {digits} is not a width infra evaluates"))?
        };
        let pad = width.saturating_sub(text.chars().count() as u64);
        let total = (out.len() as u64).saturating_add(text.len() as u64).saturating_add(pad);
        super::limits::may_build(total, || format!("format: width {width}"))?;
        let pad = pad as usize;
        if flags.starts_with('-') {
            out.push_str(&text);
            out.push_str(&" ".repeat(pad));
        } else if flags.starts_with('0') {
            out.push_str(&"0".repeat(pad));
            out.push_str(&text);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&text);
        }
    }
    Ok(out.into())
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

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | B64.iter().position(|b| *b == c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn cidr(text: &str) -> Result<(u32, u32), String> {
    let (addr, len) = text.split_once('/').ok_or("not a CIDR prefix")?;
    let ip: std::net::Ipv4Addr = addr.parse().map_err(|_| format!("{addr} is not an IPv4 address"))?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32).ok_or("bad prefix length")?;
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok((u32::from(ip) & mask, len))
}

fn ipv4(x: u32) -> String {
    std::net::Ipv4Addr::from(x).to_string()
}
