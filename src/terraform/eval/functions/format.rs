//! `format`, as Terraform's (cty's): Go's `fmt` directives — verbs, flags, widths, precisions, `%[n]`.

use super::encoding::json_text;
use super::{number_of, s, to_bool, to_string, ValueError, R};
use crate::terraform::eval::limits;
use hcl::eval::FuncArgs;
use hcl::Value;

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
    Limit(#[from] limits::LimitReached),
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
pub(super) fn format(a: FuncArgs) -> R {
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
    limits::may_build(precision.saturating_add(400), || {
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
    limits::may_build(total, || format!("format: width {width}"))?;
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

into_text!(FormatError);
