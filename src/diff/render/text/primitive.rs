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

#[cfg(test)]
mod tests {
    use super::super::{node, Opts};
    use crate::diff::structured::json_string_diff;
    use serde_json::Value as Json;

    fn shown(before: &str, after: &str) -> String {
        let o = Opts {
            paint: crate::style::Paint::new(false),
            override_null_suffix: false,
            force_forces_replacement: false,
            forbid_forces_replacement: false,
            show_unchanged_children: false,
        };
        let (b, a): (Json, Json) = (
            serde_json::from_str(before).unwrap(),
            serde_json::from_str(after).unwrap(),
        );
        node(&json_string_diff(Some(&b), Some(&a), true, true), 0, o)
    }

    /// As terraform 1.11 showed them (`tests/fixtures/plan-corpus/exact_numbers`): a number's text from the plan,
    /// compared as text (Go's `json.Number`; Terraform writes each number in one canonical form).
    #[test]
    fn numbers_are_printed_as_written_and_compared_exactly() {
        assert_eq!(
            shown("123456789012345678901234567890", "123456789012345678901234567891"),
            "123456789012345678901234567890 -> 123456789012345678901234567891"
        );
        assert_eq!(
            shown("0.000001", "1000000000000000000000"),
            "0.000001 -> 1000000000000000000000"
        );
        let long = "0.6666666666666666666666666666666666666666666666666666666666666666666666666666667";
        assert_eq!(shown(long, long), long);
        assert_eq!(shown("18446744073709551616", "-0.5"), "18446744073709551616 -> -0.5");
    }
}
