//! Numbers, bools and null (Terraform's `primitive.go`); strings are [`super::string`]'s.

use super::{forces, null_suffix, Opts};
use crate::diff::structured::{Act, Diff, Prim};
use crate::style::Style;
use serde_json::Value as Json;

pub(super) fn primitive_value(v: &Json, o: Opts) -> String {
    match v {
        Json::Null => o.color(Style::Dim, "null"),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

pub(super) fn render(d: &Diff, before: &Json, after: &Json, ty: Prim, ind: usize, o: Opts) -> String {
    if ty == Prim::String {
        return super::string::render(d, before, after, ind, o);
    }
    let (b, a) = (primitive_value(before, o), primitive_value(after, o));
    match d.action {
        Act::Create => format!("{a}{}", forces(d.replace, o)),
        Act::Delete => format!("{b}{}{}", null_suffix(d.action, o), forces(d.replace, o)),
        Act::NoOp => format!("{b}{}", forces(d.replace, o)),
        Act::Update => format!("{b} {} {a}{}", o.color(Style::Update, "->"), forces(d.replace, o)),
    }
}
