//! Objects (Terraform's `object.go`): attributes by name, aligned; `id`, `name` and `tags` always shown.

use super::{
    attribute_name, close_collection, forces, important, indent, node, null_suffix, push_warnings, symbol, Opts,
};
use crate::diff::structured::{Act, Diff};
use std::fmt::Write as _;

pub(super) fn render(d: &Diff, attributes: &[(String, Diff)], nested: bool, ind: usize, o: Opts) -> String {
    if attributes.is_empty() {
        return format!("{{}}{}{}", null_suffix(d.action, o), forces(d.replace, o));
    }
    let mut ao = o.child();
    ao.override_null_suffix = !nested;
    let keys: Vec<String> = attributes.iter().map(|(k, _)| attribute_name(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut hidden = 0;
    let mut buf = format!("{{{}\n", forces(d.replace, o));
    for ((name, a), key) in attributes.iter().zip(&keys) {
        let opts = if important(name) {
            let mut io = ao.child();
            io.show_unchanged_children = true;
            io
        } else {
            if a.action == Act::NoOp && !o.show_unchanged_children {
                hidden += 1;
                continue;
            }
            ao
        };
        push_warnings(&mut buf, a, ind + 1, if important(name) { opts } else { o });
        let _ = writeln!(
            buf,
            "{}{}{key:width$} = {}",
            indent(ind + 1),
            symbol(a.action, opts),
            node(a, ind + 1, opts)
        );
    }
    close_collection(&mut buf, "attribute", hidden, '}', d, ind, o);
    buf
}
