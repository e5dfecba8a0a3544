//! Sensitive values and blocks (Terraform's `sensitive.go`, `sensitive_block.go`), and the warning shown when a
//! value's sensitivity changes.

use super::{forces, indent, null_suffix, symbol, Opts};
use crate::diff::structured::{Act, Diff, Renderer};
use crate::style::Style;

pub(super) fn warnings(d: &Diff, ind: usize, o: Opts) -> Vec<String> {
    let (inner, before, after, what) = match &d.renderer {
        Renderer::Sensitive { inner, before, after } => (inner, *before, *after, "attribute value"),
        Renderer::SensitiveBlock { inner, before, after } => (inner, *before, *after, "block"),
        _ => return vec![],
    };
    if before == after || matches!(inner.action, Act::Create | Act::Delete) {
        return vec![];
    }
    let warning = o.color(Style::Warning, "Warning");
    let w = if before {
        format!(
            "  # {warning}: this {what} will no longer be marked as sensitive\n{}  # after applying this change.",
            indent(ind)
        )
    } else {
        format!(
            "  # {warning}: this {what} will be marked as sensitive and will not\n{}  # display in UI output after applying this change.",
            indent(ind)
        )
    };
    if what == "attribute value" && inner.action == Act::NoOp {
        return vec![format!("{w} The value is unchanged.")];
    }
    vec![w]
}

/// `(sensitive value)`.
pub(super) fn value(d: &Diff, o: Opts) -> String {
    format!("(sensitive value){}{}", null_suffix(d.action, o), forces(d.replace, o))
}

/// A block whose contents are not shown.
pub(super) fn block(d: &Diff, ind: usize, o: Opts) -> String {
    let p = format!("{}{}", indent(ind), symbol(Act::NoOp, o));
    format!(
        "{{{}\n{p}  # At least one attribute in this block is (or was) sensitive,\n{p}  # so its contents will not be displayed.\n{p}}}",
        forces(d.replace, o)
    )
}
