//! A value whose type changes (Terraform's `type_change.go`): the old value, `->`, the new one.

use super::{node, Opts};
use crate::diff::structured::Diff;
use crate::style::Style;

pub(super) fn render(before: &Diff, after: &Diff, ind: usize, o: Opts) -> String {
    let mut o = o;
    o.override_null_suffix = true;
    format!(
        "{} {} {}",
        node(before, ind, o),
        o.color(Style::Update, "->"),
        node(after, ind, o)
    )
}
