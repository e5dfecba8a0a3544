//! Encoding functions (`jsonencode`, `base64encode`, `urlencode`, …), as Go's encoders write them.

use super::{arg, number_text, s, sorted_keys, Function, R};
use hcl::eval::FuncArgs;
use hcl::Value;

/// Encoding functions.
pub(super) const ENCODING: &[(&str, Function)] = checked![
    ("jsonencode", |a| Ok(json_text(arg(&a, 0)?).into())),
    ("jsondecode", |a| {
        let json: serde_json::Value = serde_json::from_str(&s(&a, 0)?).map_err(|e| e.to_string())?;
        crate::terraform::json::to_hcl(&json)
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

/// `jsonencode`, as Go's `encoding/json` writes it: object keys sorted, numbers in full, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u003c`….
pub(super) fn json_text(v: &Value) -> String {
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
