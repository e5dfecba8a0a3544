//! A value known only after apply (Terraform's `unknown.go`): `(known after apply)`, after the old value when
//! there was one. A value an offline diff kept as written shows its source text in its place
//! (`azurerm_container_registry.main.id`), as the same node.

use super::{forces, node, null_suffix, Opts};
use crate::diff::structured::{Act, Diff};

/// `d` is the unknown node; `before` its old value, if any; `written` its source text, if kept as written.
pub(super) fn render(d: &Diff, before: Option<&Diff>, written: Option<&str>, ind: usize, o: Opts) -> String {
    let shown = match written {
        Some(text) => crate::style::escape(text).into_owned(),
        None => "(known after apply)".to_string(),
    };
    match before {
        Some(before) if d.action != Act::Create && d.action != Act::NoOp => {
            let mut bo = o.child();
            bo.override_null_suffix = true;
            bo.forbid_forces_replacement = d.replace;
            format!("{} -> {shown}{}", node(before, ind, bo), forces(d.replace, o))
        }
        _ if written.is_some() && d.action == Act::Delete => {
            format!("{shown}{}{}", null_suffix(d.action, o), forces(d.replace, o))
        }
        _ => format!("{shown}{}", forces(d.replace, o)),
    }
}
