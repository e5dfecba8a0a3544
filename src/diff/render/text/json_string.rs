//! A string holding JSON (Terraform's `json.go` renderers via `jsonencode(…)`): diffed as JSON.

use super::{forces, indent, node, null_suffix, symbol, Opts};
use crate::diff::structured::{json_string_diff, Act, Diff};
use serde_json::value::RawValue;
use serde_json::Value as Json;

pub(super) fn render(d: &Diff, before: Option<&Json>, after: Option<&Json>, ind: usize, o: Opts) -> String {
    let jd = json_string_diff(before, after, d.action != Act::Create, d.action != Act::Delete);
    let mut action = d.action;
    let mut jo = o.child();
    jo.override_null_suffix = true;
    let (whitespace, replace) = if jd.action == Act::NoOp && d.action == Act::Update {
        jo.show_unchanged_children = true;
        action = Act::NoOp;
        let w = if d.replace {
            " # whitespace changes force replacement"
        } else {
            " # whitespace changes"
        };
        (w.to_string(), std::borrow::Cow::Borrowed(""))
    } else {
        (String::new(), forces(d.replace, o))
    };
    let rendered = node(&jd, ind + 1, jo);
    if matches!(d.action, Act::Create | Act::Delete) {
        action = Act::NoOp;
    }
    if rendered.contains('\n') {
        format!(
            "jsonencode({whitespace}\n{}{}{rendered}{replace}\n{}{}){}",
            indent(ind + 1),
            symbol(action, o),
            indent(ind),
            symbol(Act::NoOp, o),
            null_suffix(d.action, o)
        )
    } else {
        format!("jsonencode({rendered}){whitespace}{replace}")
    }
}

/// A JSON document held in a string, read as Terraform reads it (`structured.ParseJson` with Go's `json.Number`,
/// terraform 1.11 `internal/command/jsonformat/structured/change.go`): every number keeps its text, so `1e3` and
/// `1.50` are printed as written and `1 -> 1.0` is a change. serde_json keeps a number's text too
/// (`arbitrary_precision`), except an exponent, which it writes `e+3` whatever was written (`1E3`); a document
/// with one is read again, each number taken from its own text. `None`: not JSON.
pub(super) fn parse(s: &str) -> Option<Json> {
    let v: Json = serde_json::from_str(s).ok()?;
    if !has_exponent(&v) {
        return Some(v);
    }
    // The first read held the document to serde_json's nesting limit: this recursion is as deep at most.
    as_written(serde_json::from_str::<&RawValue>(s).ok()?)
}

fn has_exponent(v: &Json) -> bool {
    match v {
        Json::Number(n) => n.to_string().contains('e'),
        Json::Array(items) => items.iter().any(has_exponent),
        Json::Object(members) => members.values().any(has_exponent),
        _ => false,
    }
}

fn as_written(raw: &RawValue) -> Option<Json> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'{' => {
            // Go's decoder keeps the last of repeated keys, and so does this map; the differ sorts keys.
            let members: std::collections::BTreeMap<String, &RawValue> = serde_json::from_str(text).ok()?;
            let members = members.into_iter().map(|(k, v)| Some((k, as_written(v)?)));
            members.collect::<Option<serde_json::Map<_, _>>>().map(Json::Object)
        }
        b'[' => {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            items
                .into_iter()
                .map(as_written)
                .collect::<Option<Vec<_>>>()
                .map(Json::Array)
        }
        // A number, valid JSON (the document was read whole first): its text as it is.
        b'-' | b'0'..=b'9' => Some(Json::Number(serde_json::Number::from_string_unchecked(
            text.to_string(),
        ))),
        _ => serde_json::from_str(text).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    /// Terraform 1.11 printed these as written (`tests/fixtures/plan-corpus/exact_json_string_numbers`).
    #[test]
    fn numbers_in_a_json_string_keep_their_text() {
        let v =
            parse(r#"{"a": [1e3, 1E-6, 2.5e+2, 1.50, -0, 123456789012345678901234567890], "b": {"c": 1e3}}"#).unwrap();
        assert_eq!(
            v["a"].to_string(),
            "[1e3,1E-6,2.5e+2,1.50,-0,123456789012345678901234567890]"
        );
        assert_eq!(v["b"]["c"].to_string(), "1e3");
        assert_ne!(parse("[1]"), parse("[1.0]"));
        assert_eq!(parse(r#"{"a": 1e3, "a": 2e3}"#).unwrap()["a"].to_string(), "2e3");
        assert_eq!(parse("[1e3"), None);
    }
}
