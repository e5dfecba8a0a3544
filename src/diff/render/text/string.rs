//! Strings (Terraform's `primitive.go` for strings): quoted as Go quotes them, JSON documents as `jsonencode(…)`
//! ([`super::json_string`]), multi-line strings as heredocs diffed line by line.

use super::json_string::render as json_string;
use super::quote::go_quote;
use super::{forces, indent, node, null_suffix, symbol, Opts};
use crate::diff::structured::{process_slice, Act, Diff, Prim, Renderer};
use crate::style::Style;
use serde_json::Value as Json;

/// A string as Terraform evaluates it for display: JSON, multi-line, or plain.
struct Evaluated {
    text: String,
    json: Option<Json>,
    multiline: bool,
    null: bool,
    /// A multi-line string shown quoted on one line instead of as a heredoc: one of its lines holds what input
    /// may not print raw ([`heredoc_safe`]).
    quoted: bool,
}

/// Whether every line of a heredoc of `text` can be printed as it is (without the carriage return of a `\r\n`,
/// [`heredoc_line`]): nothing [`crate::style::escape`] would change (a lone carriage return, an escape code, a
/// line separator, a line starting with `::`, a `##[`). Terraform prints every multi-line string as a heredoc;
/// infra only the ones that cannot forge a line.
pub(super) fn heredoc_safe(text: &str) -> bool {
    text.split('\n')
        .all(|l| matches!(crate::style::escape(heredoc_line(l)), std::borrow::Cow::Borrowed(_)))
}

/// A line of a heredoc as printed: Terraform splits a multi-line string at `\n` and prints each line as it is,
/// so a Windows line ending leaves its `\r` at the end of the line, where a terminal (and a reader of lines)
/// shows nothing; infra prints that line without it. The lines are compared with it (`one\r` → `one` is a
/// change, as in Terraform).
fn heredoc_line(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

fn evaluate(v: &Json, o: Opts) -> Evaluated {
    let Some(s) = v.as_str() else {
        return Evaluated {
            text: o.color(Style::Dim, "null"),
            json: None,
            multiline: false,
            null: true,
            quoted: false,
        };
    };
    if s.starts_with('{') || s.starts_with('[') {
        if let Some(j) = super::json_string::parse(s) {
            return Evaluated {
                text: s.to_string(),
                json: Some(j),
                multiline: false,
                null: false,
                quoted: false,
            };
        }
    }
    if s.contains('\n') && heredoc_safe(s.trim()) {
        return Evaluated {
            text: s.trim().to_string(),
            json: None,
            multiline: true,
            null: false,
            quoted: false,
        };
    }
    Evaluated {
        text: s.to_string(),
        json: None,
        multiline: false,
        null: false,
        quoted: s.contains('\n'),
    }
}

impl Evaluated {
    fn simple(&self) -> String {
        if self.null {
            self.text.clone()
        } else {
            go_quote(&self.text)
        }
    }
}

fn heredoc_lines(text: &str, ind: usize, o: Opts) -> Vec<String> {
    let prefix = format!("{}{}", indent(ind + 1), symbol(Act::NoOp, o));
    text.split('\n')
        .map(|l| format!("{prefix}{}", heredoc_line(l)))
        .collect()
}

pub(super) fn render(d: &Diff, before: &Json, after: &Json, ind: usize, o: Opts) -> String {
    let lines = match d.action {
        Act::Create | Act::NoOp => {
            let s = evaluate(after, o);
            if let Some(j) = &s.json {
                let before = (d.action == Act::NoOp).then_some(j);
                return json_string(d, before, Some(j), ind, o);
            }
            if !s.multiline {
                return format!("{}{}", s.simple(), forces(d.replace, o));
            }
            heredoc_lines(&s.text, ind, o)
        }
        Act::Delete => {
            let s = evaluate(before, o);
            if s.null {
                return format!("{}{}", s.simple(), forces(d.replace, o));
            }
            if let Some(j) = &s.json {
                return json_string(d, Some(j), None, ind, o);
            }
            if !s.multiline {
                return format!("{}{}{}", s.simple(), null_suffix(d.action, o), forces(d.replace, o));
            }
            heredoc_lines(&s.text, ind, o)
        }
        Act::Update => match update(d, before, after, ind, o) {
            Ok(lines) => lines,
            Err(done) => return done,
        },
    };
    format!(
        "<<-EOT{}\n{}\n{}{}EOT{}",
        forces(d.replace, o),
        lines.join("\n"),
        indent(ind),
        symbol(Act::NoOp, o),
        null_suffix(d.action, o)
    )
}

/// An updated string: the heredoc's lines (multi-line on both sides), or `Err` with the whole text of anything
/// else (JSON, a type change from or to JSON, one line).
fn update(d: &Diff, before: &Json, after: &Json, ind: usize, o: Opts) -> Result<Vec<String>, String> {
    let (b, a) = (evaluate(before, o), evaluate(after, o));
    if let (Some(bj), Some(aj)) = (&b.json, &a.json) {
        return Err(json_string(d, Some(bj), Some(aj), ind, o));
    }
    if b.json.is_some() || a.json.is_some() {
        let side = |before: &Json, after: &Json, action| {
            Box::new(Diff {
                renderer: Renderer::Primitive {
                    before: before.clone(),
                    after: after.clone(),
                    ty: Prim::String,
                },
                action,
                replace: false,
            })
        };
        let change = Diff {
            renderer: Renderer::TypeChange {
                before: side(before, &Json::Null, Act::Delete),
                after: side(&Json::Null, after, Act::Create),
            },
            action: d.action,
            replace: d.replace,
        };
        return Err(node(&change, ind, o));
    }
    if (!b.multiline && !a.multiline) || b.quoted || a.quoted {
        return Err(format!(
            "{} {} {}{}",
            b.simple(),
            o.color(Style::Update, "->"),
            a.simple(),
            forces(d.replace, o)
        ));
    }
    let (bl, al): (Vec<&str>, Vec<&str>) = (b.text.split('\n').collect(), a.text.split('\n').collect());
    let mut lines = vec![];
    let p = indent(ind + 1);
    process_slice(&bl, &al, &|_| false, &mut |bi, ai| {
        let (b, a) = (bl.get(bi).map(|l| heredoc_line(l)), al.get(ai).map(|l| heredoc_line(l)));
        match (b, a) {
            (None, Some(a)) => lines.push(format!("{p}{}{a}", symbol(Act::Create, o))),
            (Some(b), None) => lines.push(format!("{p}{}{b}", symbol(Act::Delete, o))),
            (Some(b), Some(a)) if bl[bi] != al[ai] => {
                lines.push(format!("{p}{}{b}", symbol(Act::Delete, o)));
                lines.push(format!("{p}{}{a}", symbol(Act::Create, o)));
            }
            (Some(b), _) => lines.push(format!("{p}{}{b}", symbol(Act::NoOp, o))),
            (None, None) => {}
        }
    });
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::{render, Opts};
    use crate::diff::structured::{Act, Diff, Prim, Renderer};
    use serde_json::{json, Value as Json};

    fn shown(before: Json, after: Json, action: Act) -> String {
        let o = Opts {
            paint: crate::style::Paint::new(false),
            override_null_suffix: false,
            force_forces_replacement: false,
            forbid_forces_replacement: false,
            show_unchanged_children: false,
        };
        let d = Diff {
            renderer: Renderer::Primitive {
                before: before.clone(),
                after: after.clone(),
                ty: Prim::String,
            },
            action,
            replace: false,
        };
        render(&d, &before, &after, 0, o)
    }

    /// As terraform 1.11 showed them (`tests/fixtures/plan-corpus/exact_crlf`, `exact_lone_cr`).
    #[test]
    fn windows_line_endings_are_heredoc_lines_and_a_lone_carriage_return_is_quoted() {
        assert_eq!(
            shown(Json::Null, json!("first\r\nsecond\r\nthird\nfourth"), Act::Create),
            "<<-EOT\n        first\n        second\n        third\n        fourth\n    EOT"
        );
        assert_eq!(
            shown(
                json!("one\r\ntwo\r\nthree\r\n"),
                json!("one\r\n2\r\nthree\r\n"),
                Act::Update
            ),
            "<<-EOT\n        one\n      - two\n      + 2\n        three\n    EOT"
        );
        assert_eq!(
            shown(json!("one\r\ntwo"), json!("one\ntwo"), Act::Update),
            "<<-EOT\n      - one\n      + one\n        two\n    EOT"
        );
        assert_eq!(
            shown(json!("a\nb\rc"), json!("a\nb\rd"), Act::Update),
            "\"a\\nb\\rc\" -> \"a\\nb\\rd\""
        );
    }
}
