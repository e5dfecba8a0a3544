//! A string holding JSON (Terraform's `json.go` renderers via `jsonencode(…)`): diffed as JSON.

use super::{forces, indent, node, null_suffix, symbol, Opts};
use crate::diff::structured::{json_string_diff, Act, Diff};
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
        (w.to_string(), String::new())
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
