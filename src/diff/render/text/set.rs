//! Sets (Terraform's `set.go`).

use super::{close_collection, forces, indent, node, null_suffix, push_warnings, symbol, Opts};
use crate::diff::structured::{Act, Diff};
use std::fmt::Write as _;

pub(super) fn render(d: &Diff, elements: &[Diff], nested: bool, ind: usize, o: Opts) -> String {
    let own = d.replace && !nested;
    if elements.is_empty() {
        return format!("[]{}{}", null_suffix(d.action, o), forces(own, o));
    }
    let mut eo = o.child();
    eo.override_null_suffix = true;
    eo.force_forces_replacement = d.replace && nested;
    let mut hidden = 0;
    let mut buf = format!("[{}\n", forces(own, o));
    for e in elements {
        if e.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            continue;
        }
        push_warnings(&mut buf, e, ind + 1, o);
        let _ = writeln!(
            buf,
            "{}{}{},",
            indent(ind + 1),
            symbol(e.action, eo),
            node(e, ind + 1, eo)
        );
    }
    close_collection(&mut buf, "element", hidden, ']', d, ind, o);
    buf
}
