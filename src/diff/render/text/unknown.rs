//! A value known only after apply (Terraform's `unknown.go`): `(known after apply)`, after the old value when
//! there was one.

use super::{forces, render as node, Opts};
use crate::diff::structured::{Act, Diff};

/// `d` is the unknown node; `before` its old value, if any.
pub(super) fn render(d: &Diff, before: Option<&Diff>, ind: usize, o: Opts) -> String {
    match before {
        Some(before) if d.action != Act::Create => {
            let mut bo = o.child();
            bo.override_null_suffix = true;
            bo.forbid_forces_replacement = d.replace;
            format!(
                "{} -> (known after apply){}",
                node(before, ind, bo),
                forces(d.replace, o)
            )
        }
        _ => format!("(known after apply){}", forces(d.replace, o)),
    }
}
