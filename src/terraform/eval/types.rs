//! Type constraints, as Terraform applies them to input variables: a variable's `type` is parsed into a
//! [`Type`], and every value given to the variable (default, variable files, `--var`, `TF_VAR_*`, module
//! arguments) is [`convert`]ed to it.
//!
//! The rules are cty's (github.com/zclconf/go-cty `cty/convert`, used by Terraform 1.11's
//! `internal/terraform/eval_variable.go`), checked against `terraform console` 1.11:
//! - `string` takes a number (`1.5` → `"1.5"`) or a bool (`"true"`); `number` takes a decimal string (`"1e3"`,
//!   `"+2"`; not `" 2"` or `"0x10"`); `bool` takes `"true"`, `"false"`, `"1"`, `"0"`.
//! - `list(T)` and `set(T)` take a list or tuple (a set drops duplicates and orders strings lexically); `map(T)`
//!   takes an object or map; `tuple([…])` a list of the same length.
//! - `object({…})` keeps the declared attributes only; an absent `optional(T)` attribute is null, an absent or null
//!   `optional(T, default)` attribute takes the default, converted to `T` (so nested defaults apply too); an
//!   absent required attribute is an error (`attribute "name" is required`).
//! - `list(any)`, `map(any)`, `set(any)` of mixed strings, numbers and bools are converted to strings, as
//!   Terraform unifies element types.
//! - null converts to every type; an unknown value ([`super::unknown`]) stays unknown.

use super::super::Expression;
use super::unknown;
use hcl::expr::ObjectKey;
use hcl::Value;

/// A type constraint (`string`, `list(object({ name = string, tags = optional(map(string), {}) }))`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Type {
    /// `any`, or a constraint infra does not read (it leaves the value as it is).
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(Vec<Attribute>),
    Tuple(Vec<Type>),
}

/// An attribute of an `object({…})` type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) ty: Type,
    /// Declared `optional(…)`: absent is null (or `default`).
    pub(crate) optional: bool,
    /// `optional(T, default)`'s default, as written (converted to `ty` when used).
    pub(crate) default: Option<Value>,
}

/// Why a value does not convert: where in the value (`element "web": attribute "name"`) and what is required,
/// in Terraform's words. Never holds the value itself (it may be secret).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TypeError {
    path: Vec<String>,
    message: String,
}

impl std::fmt::Display for TypeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.path {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl TypeError {
    fn new(message: impl Into<String>) -> TypeError {
        TypeError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    fn at(mut self, step: String) -> TypeError {
        self.path.insert(0, step);
        self
    }
}

impl Type {
    /// The type a `type = …` expression declares; `None` (no constraint) is [`Type::Any`]. A constraint that is
    /// not one of Terraform's (Terraform rejects it) is `Any` too: the value is left as it is.
    pub(crate) fn parse(expr: Option<&Expression>) -> Type {
        expr.and_then(parse).unwrap_or(Type::Any)
    }

    /// Terraform's name of the type, as in its messages (`list of string`, `map of object`).
    fn name(&self) -> String {
        match self {
            Type::Any => "any".into(),
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::List(t) => format!("list of {}", t.name()),
            Type::Set(t) => format!("set of {}", t.name()),
            Type::Map(t) => format!("map of {}", t.name()),
            Type::Object(_) => "object".into(),
            Type::Tuple(_) => "tuple".into(),
        }
    }

    /// Whether the value needs converting at all (`any` and unconstrained variables do not).
    pub(crate) fn is_any(&self) -> bool {
        matches!(self, Type::Any)
    }
}

fn parse(expr: &Expression) -> Option<Type> {
    match expr {
        Expression::Variable(v) => match v.as_str() {
            "any" => Some(Type::Any),
            "string" => Some(Type::String),
            "number" => Some(Type::Number),
            "bool" => Some(Type::Bool),
            // Terraform 0.11's bare `list` and `map`: `list(any)`, `map(any)`.
            "list" => Some(Type::List(Box::new(Type::Any))),
            "map" => Some(Type::Map(Box::new(Type::Any))),
            _ => None,
        },
        Expression::FuncCall(call) if call.name.namespace.is_empty() => {
            let arg = call.args.first()?;
            match (call.name.name.as_str(), call.args.len()) {
                ("list", 1) => Some(Type::List(Box::new(parse(arg)?))),
                ("set", 1) => Some(Type::Set(Box::new(parse(arg)?))),
                ("map", 1) => Some(Type::Map(Box::new(parse(arg)?))),
                ("optional", 1 | 2) => parse(arg), // outside an object: the type itself
                ("tuple", 1) => match arg {
                    Expression::Array(items) => items.iter().map(parse).collect::<Option<_>>().map(Type::Tuple),
                    _ => None,
                },
                ("object", 1) => match arg {
                    Expression::Object(attributes) => attributes
                        .iter()
                        .map(|(k, v)| attribute(k, v))
                        .collect::<Option<_>>()
                        .map(Type::Object),
                    _ => None,
                },
                _ => None,
            }
        }
        Expression::Parenthesis(inner) => parse(inner),
        // `.tf.json` writes the constraint as a string (`"type": "map(string)"`).
        Expression::String(text) => match super::super::expr::parse(text).ok()? {
            Expression::String(_) => None,
            e => parse(&e),
        },
        _ => None,
    }
}

fn attribute(key: &ObjectKey, ty: &Expression) -> Option<Attribute> {
    let name = match key {
        ObjectKey::Identifier(i) => i.to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.clone(),
        ObjectKey::Expression(Expression::Variable(v)) => v.to_string(),
        _ => return None,
    };
    let (ty, optional, default) = match ty {
        Expression::FuncCall(call) if call.name.namespace.is_empty() && call.name.name.as_str() == "optional" => {
            let inner = parse(call.args.first()?)?;
            let default = match call.args.get(1) {
                Some(d) => Some(literal(d)?),
                None => None,
            };
            (inner, true, default)
        }
        other => (parse(other)?, false, None),
    };
    Some(Attribute {
        name,
        ty,
        optional,
        default,
    })
}

/// A default written in a type constraint: a literal (Terraform allows no references there).
fn literal(expr: &Expression) -> Option<Value> {
    super::arith::evaluate(expr, &super::arith::literal_context()).ok()
}

/// `value` converted to `ty`, as Terraform converts an input variable's value (see the module documentation).
pub(crate) fn convert(value: Value, ty: &Type) -> Result<Value, TypeError> {
    if value.is_null() || unknown::is(&value) {
        return Ok(value);
    }
    match ty {
        Type::Any => Ok(value),
        Type::String => to_string(value),
        Type::Number => to_number(value),
        Type::Bool => to_bool(value),
        Type::List(t) => match value {
            Value::Array(items) => elements(items, t).map(Value::Array),
            _ => Err(TypeError::new(format!("{} required", ty.name()))),
        },
        Type::Set(t) => match value {
            Value::Array(items) => elements(items, t).map(set),
            _ => Err(TypeError::new(format!("{} required", ty.name()))),
        },
        Type::Map(t) => match value {
            Value::Object(o) => {
                let mut out = hcl::Map::with_capacity(o.len());
                for (k, v) in o {
                    let v = convert(v, t).map_err(|e| e.at(format!("element {}", quoted(&k))))?;
                    out.insert(k, v);
                }
                if t.is_any() {
                    unify(out.values_mut());
                }
                Ok(Value::Object(out))
            }
            _ => Err(TypeError::new(format!("{} required", ty.name()))),
        },
        Type::Object(attributes) => match value {
            Value::Object(o) => object(o, attributes),
            _ => Err(TypeError::new("object required")),
        },
        Type::Tuple(types) => match value {
            Value::Array(items) if items.len() == types.len() => items
                .into_iter()
                .zip(types)
                .enumerate()
                .map(|(i, (v, t))| convert(v, t).map_err(|e| e.at(format!("element {i}"))))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            _ => Err(TypeError::new("tuple required")),
        },
    }
}

fn elements(items: Vec<Value>, ty: &Type) -> Result<Vec<Value>, TypeError> {
    let mut out = items
        .into_iter()
        .enumerate()
        .map(|(i, v)| convert(v, ty).map_err(|e| e.at(format!("element {i}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if ty.is_any() {
        unify(out.iter_mut());
    }
    Ok(out)
}

/// A set: duplicates dropped; strings ordered lexically, as Terraform orders a set of strings. A set with an
/// unknown element keeps its order (Terraform cannot order it either).
fn set(items: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for v in items {
        if !out.contains(&v) || unknown::is(&v) {
            out.push(v);
        }
    }
    if out.iter().all(|v| v.is_string() && !unknown::is(v)) {
        out.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    Value::Array(out)
}

/// The elements of a `list(any)` / `map(any)` / `set(any)` of mixed primitive types, as strings (Terraform unifies
/// the element types; `["a", 1]` is `["a", "1"]`).
fn unify<'a>(values: impl Iterator<Item = &'a mut Value>) {
    let mut values: Vec<&mut Value> = values.collect();
    let kinds = values
        .iter()
        .filter(|v| !v.is_null() && !unknown::is(v))
        .map(|v| match v {
            Value::String(_) => Some(0),
            Value::Number(_) => Some(1),
            Value::Bool(_) => Some(2),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>();
    let mixed = kinds.is_some_and(|k| k.windows(2).any(|w| w[0] != w[1]));
    if mixed {
        for v in values.iter_mut() {
            if !v.is_null() && !unknown::is(v) {
                let s = std::mem::take(*v);
                **v = to_string(s).unwrap_or(Value::Null);
            }
        }
    }
}

fn object(mut o: hcl::Map<String, Value>, attributes: &[Attribute]) -> Result<Value, TypeError> {
    let mut out = hcl::Map::with_capacity(attributes.len());
    for a in attributes {
        let value = match (o.swap_remove(&a.name), &a.default) {
            (Some(v), _) if !v.is_null() => v,
            // A default replaces null as well as absence.
            (_, Some(d)) => d.clone(),
            (Some(null), None) => null,
            (None, None) if a.optional => Value::Null,
            (None, None) => {
                return Err(TypeError::new(format!("attribute {} is required", quoted(&a.name))));
            }
        };
        let value = convert(value, &a.ty).map_err(|e| e.at(format!("attribute {}", quoted(&a.name))))?;
        out.insert(a.name.clone(), value);
    }
    Ok(Value::Object(out))
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn to_string(value: Value) -> Result<Value, TypeError> {
    match value {
        Value::String(s) => Ok(Value::String(s)),
        Value::Bool(b) => Ok(Value::String(b.to_string())),
        Value::Number(n) => Ok(Value::String(number_text(&n))),
        _ => Err(TypeError::new("string required")),
    }
}

/// A number as Terraform writes it in a string: `1`, `1.5`, `100000000000000000000` (never `1e20`).
pub(crate) fn number_text(n: &hcl::Number) -> String {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.to_string(),
        (_, Some(u), _) => u.to_string(),
        (_, _, Some(f)) => f.to_string(),
        _ => n.to_string(),
    }
}

fn to_number(value: Value) -> Result<Value, TypeError> {
    match value {
        Value::Number(n) => Ok(Value::Number(n)),
        Value::String(s) => parse_number(&s)
            .map(Value::Number)
            .ok_or_else(|| TypeError::new("a number is required")),
        _ => Err(TypeError::new("number required")),
    }
}

/// A decimal number as cty reads one from a string: an optional sign, digits, a fraction, an exponent; no
/// spaces, no hexadecimal, no `inf` or `NaN`.
fn parse_number(text: &str) -> Option<hcl::Number> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let decimal = body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !decimal {
        return None;
    }
    let x: f64 = text.parse().ok()?;
    if !x.is_finite() {
        return None;
    }
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Some(hcl::Number::from(x as i64))
    } else {
        hcl::Number::from_f64(x)
    }
}

fn to_bool(value: Value) -> Result<Value, TypeError> {
    match value {
        Value::Bool(b) => Ok(Value::Bool(b)),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Ok(Value::Bool(true)),
            "false" | "0" => Ok(Value::Bool(false)),
            _ => Err(TypeError::new("a bool is required")),
        },
        _ => Err(TypeError::new("bool required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        Type::parse(Some(&crate::terraform::expr::parse(text).unwrap()))
    }

    fn value(text: &str) -> Value {
        use hcl::eval::Evaluate;
        crate::terraform::expr::parse(text)
            .unwrap()
            .evaluate(&hcl::eval::Context::new())
            .unwrap()
    }

    fn converted(t: &str, v: &str) -> Result<Value, String> {
        convert(value(v), &ty(t)).map_err(|e| e.to_string())
    }

    #[test]
    fn optional_attributes_at_depth_are_null_or_their_default() {
        let t = r#"object({ a = optional(string, "x"), b = optional(list(object({ c = optional(number, 5), d = string }))), e = optional(object({ f = optional(bool, true) }), {}), g = optional(string) })"#;
        let got = converted(t, r#"{ a = null, b = [{ d = "q" }], extra = 1 }"#).unwrap();
        assert_eq!(
            got,
            value(r#"{ a = "x", b = [{ c = 5, d = "q" }], e = { f = true }, g = null }"#)
        );
    }

    #[test]
    fn map_of_objects_takes_defaults_per_element() {
        let t = r#"map(object({ name = string, insecure = optional(bool, false), regs = optional(list(string)) }))"#;
        let got = converted(
            t,
            r#"{ web = { name = "web" }, api = { name = "api", insecure = "true" } }"#,
        )
        .unwrap();
        assert_eq!(
            got,
            value(
                r#"{ web = { name = "web", insecure = false, regs = null }, api = { name = "api", insecure = true, regs = null } }"#
            )
        );
    }

    #[test]
    fn primitives_convert_as_cty_does() {
        assert_eq!(converted("string", "1.5").unwrap(), value(r#""1.5""#));
        assert_eq!(
            converted("string", "100000000000000000000").unwrap(),
            value(r#""100000000000000000000""#)
        );
        assert_eq!(converted("string", "true").unwrap(), value(r#""true""#));
        assert_eq!(converted("number", r#""1e3""#).unwrap(), value("1000"));
        assert_eq!(converted("number", r#""+2""#).unwrap(), value("2"));
        assert_eq!(converted("number", r#""1.50""#).unwrap(), value("1.5"));
        assert_eq!(converted("bool", r#""true""#).unwrap(), value("true"));
        assert_eq!(converted("bool", r#""0""#).unwrap(), value("false"));
        for bad in [r#"" 2""#, r#""0x10""#, r#""inf""#, r#""NaN""#, r#""""#] {
            assert_eq!(converted("number", bad).unwrap_err(), "a number is required", "{bad}");
        }
        assert_eq!(converted("bool", r#""yes""#).unwrap_err(), "a bool is required");
        assert_eq!(converted("string", "[]").unwrap_err(), "string required");
    }

    #[test]
    fn collections_convert_their_elements() {
        assert_eq!(
            converted("set(string)", r#"["b", "a", "b", 10, 9]"#).unwrap(),
            value(r#"["10", "9", "a", "b"]"#)
        );
        assert_eq!(converted("list(number)", r#"["1", 2]"#).unwrap(), value("[1, 2]"));
        assert_eq!(
            converted("map(any)", r#"{ a = "x", b = 1, c = true }"#).unwrap(),
            value(r#"{ a = "x", b = "1", c = "true" }"#)
        );
        assert_eq!(converted("list(any)", r#"["a", 1]"#).unwrap(), value(r#"["a", "1"]"#));
        assert_eq!(
            converted("tuple([string, number])", r#"["a", "2"]"#).unwrap(),
            value(r#"["a", 2]"#)
        );
        assert_eq!(converted("any", r#"{ a = 1 }"#).unwrap(), value("{ a = 1 }"));
        assert_eq!(
            converted(r#"object({ a = optional(string, "d") })"#, "null").unwrap(),
            Value::Null
        );
    }

    #[test]
    fn failures_name_where_in_terraform_words() {
        assert_eq!(
            converted("object({ a = string })", "{}").unwrap_err(),
            r#"attribute "a" is required"#
        );
        assert_eq!(
            converted("list(object({ a = string }))", r#"[{ a = "x" }, {}]"#).unwrap_err(),
            r#"element 1: attribute "a" is required"#
        );
        assert_eq!(
            converted("map(object({ a = string }))", "{ k = {} }").unwrap_err(),
            r#"element "k": attribute "a" is required"#
        );
        assert_eq!(
            converted("list(string)", r#""a""#).unwrap_err(),
            "list of string required"
        );
        assert_eq!(
            converted("tuple([string, number])", r#"["a"]"#).unwrap_err(),
            "tuple required"
        );
        assert_eq!(
            converted("object({ n = list(number) })", r#"{ n = ["1", "x"] }"#).unwrap_err(),
            r#"attribute "n": element 1: a number is required"#
        );
    }

    #[test]
    fn unknown_values_stay_unknown() {
        let u = unknown::value();
        assert_eq!(convert(u.clone(), &ty("number")).unwrap(), u);
        let partial: Value = Value::Object([("name".to_string(), u.clone())].into_iter().collect());
        let got = convert(partial, &ty("object({ name = string, port = optional(number, 80) })")).unwrap();
        assert_eq!(
            got,
            Value::Object(
                [("name".to_string(), u), ("port".to_string(), Value::from(80))]
                    .into_iter()
                    .collect()
            )
        );
    }
}
