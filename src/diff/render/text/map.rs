//! Maps (Terraform's `map.go`): keys quoted and aligned.

use super::quote::go_quote;
use super::{close_collection, forces, indent, node, null_suffix, push_warnings, symbol, Opts};
use crate::diff::structured::{Act, Diff, Renderer};
use std::fmt::Write as _;

pub(super) fn render(d: &Diff, elements: &[(String, Diff)], nested: bool, ind: usize, o: Opts) -> String {
    let own = d.replace && !nested;
    if elements.is_empty() {
        return format!("{{}}{}{}", null_suffix(d.action, o), forces(own, o));
    }
    let keys: Vec<String> = elements.iter().map(|(k, _)| go_quote(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut eo = o.child();
    eo.override_null_suffix = d.action == Act::Delete || nested;
    eo.force_forces_replacement = d.replace && nested;
    let mut hidden = 0;
    let mut buf = format!("{{{}\n", forces(own, o));
    for ((_, e), key) in elements.iter().zip(&keys) {
        if e.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            continue;
        }
        push_warnings(&mut buf, e, ind + 1, o);
        let comma = if matches!(e.renderer, Renderer::Object { .. }) {
            ","
        } else {
            ""
        };
        let key = if nested { key.clone() } else { format!("{key:width$}") };
        let _ = writeln!(
            buf,
            "{}{}{key} = {}{comma}",
            indent(ind + 1),
            symbol(e.action, eo),
            node(e, ind + 1, eo)
        );
    }
    close_collection(&mut buf, "element", hidden, '}', d, ind, o);
    buf
}
