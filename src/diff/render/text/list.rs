//! Lists and tuples (Terraform's `list.go`): unchanged elements next to a change shown for context.

use super::{close_collection, forces, indent, node, null_suffix, push_warnings, symbol, unchanged, Opts};
use crate::diff::structured::{Act, Diff};
use std::fmt::Write as _;

pub(super) fn render(d: &Diff, elements: &[Diff], context: bool, ind: usize, o: Opts) -> String {
    if elements.is_empty() {
        return format!("[]{}{}", null_suffix(d.action, o), forces(d.replace, o));
    }
    let mut eo = o.child();
    eo.override_null_suffix = true;
    let mut uo = o.child();
    uo.show_unchanged_children = true;
    let mut hidden: Vec<&Diff> = vec![];
    let mut render_next = false;
    let mut buf = format!("[{}\n", forces(d.replace, o));
    for e in elements {
        if e.action == Act::NoOp && !render_next && !o.show_unchanged_children {
            hidden.push(e);
            continue;
        }
        render_next = false;
        let mut opts = eo;
        if context {
            if hidden.len() > 1 {
                let _ = writeln!(
                    buf,
                    "{}{}{}",
                    indent(ind + 1),
                    symbol(Act::NoOp, opts),
                    unchanged("element", hidden.len() - 1, opts)
                );
            }
            if let Some(last) = hidden.last() {
                let _ = writeln!(
                    buf,
                    "{}{}{},",
                    indent(ind + 1),
                    symbol(last.action, uo),
                    node(last, ind + 1, uo)
                );
            }
            hidden.clear();
            if e.action == Act::NoOp {
                opts = uo;
            } else {
                render_next = true;
            }
        }
        push_warnings(&mut buf, e, ind + 1, opts);
        let _ = writeln!(
            buf,
            "{}{}{},",
            indent(ind + 1),
            symbol(e.action, opts),
            node(e, ind + 1, opts)
        );
    }
    close_collection(&mut buf, "element", hidden.len(), ']', d, ind, o);
    buf
}
