//! Writes a [`File`] as `.tf` text that `terraform fmt` leaves unchanged.
//!
//! hcl-rs's own formatter does not align `=` the way `terraform fmt` does, so the layout is ours; single-line
//! expressions are printed by hcl-rs. The alignment rule is hclwrite's: consecutive lines of one body whose
//! right-hand side is complete on that line form a group, and their `=` line up one column after the longest
//! name. A line that opens a bracket it does not close (`tags = {`), a nested block, or a blank line ends a group.

use crate::terraform::expr::{escape_hidden, to_hcl};
use crate::terraform::{Block, Body, Expression, File, Structure};
use ::hcl::ObjectKey;

const INDENT: &str = "  ";
/// Arrays longer than this on one line are written one element per line.
const MAX_INLINE_ARRAY: usize = 80;

/// The file as HCL text: its header as `#` comments, then each top-level item, blocks separated by blank lines.
/// A header line is one comment line whatever it holds: a newline or any other hidden character in it (a file name
/// is user input) is written as an escape ([`escape_hidden`]), so it can never end the comment.
pub(crate) fn write(file: &File) -> String {
    let mut out = String::new();
    for line in &file.header {
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            out.push_str("# ");
            out.push_str(&escape_hidden(line));
            out.push('\n');
        }
    }
    if !file.header.is_empty() && !file.body.is_empty() {
        out.push('\n');
    }
    write_body(&mut out, &file.body, 0);
    out
}

/// One rendered line of a body: `lead` is everything before ` = ` (or the whole line).
struct Line {
    lead: String,
    /// `Some(value)` when the line is an alignable `name = value` assignment.
    assign: Option<String>,
}

impl Line {
    fn plain(text: impl Into<String>) -> Self {
        Line {
            lead: text.into(),
            assign: None,
        }
    }
}

/// Lines of `name = value` at `indent`: alignable when the value's first line closes what it opens (a heredoc's
/// body and closing marker follow verbatim); `name = {` … `}` is not aligned and ends the group.
fn assignment_lines(lines: &mut Vec<Line>, indent: &str, name: &str, value: &str) {
    let mut value_lines = value.lines();
    let first = value_lines.next().unwrap_or_default();
    if opens_unclosed(value) {
        lines.push(Line::plain(format!("{indent}{name} = {first}")));
    } else {
        lines.push(Line {
            lead: format!("{indent}{name}"),
            assign: Some(first.to_string()),
        });
    }
    lines.extend(value_lines.map(Line::plain));
}

/// Writes `lines`, aligning `=` within each run of consecutive assignment lines.
fn write_aligned(out: &mut String, lines: &[Line]) {
    let mut i = 0;
    while i < lines.len() {
        if lines[i].assign.is_none() {
            out.push_str(&lines[i].lead);
            out.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].assign.is_some() {
            i += 1;
        }
        let width = lines[start..i]
            .iter()
            .map(|l| l.lead.chars().count())
            .max()
            .unwrap_or(0);
        for l in &lines[start..i] {
            out.push_str(&l.lead);
            out.push_str(&" ".repeat(width - l.lead.chars().count()));
            out.push_str(" = ");
            out.push_str(l.assign.as_deref().unwrap_or_default());
            out.push('\n');
        }
    }
}

fn write_body(out: &mut String, body: &Body, depth: usize) {
    let indent = INDENT.repeat(depth);
    let mut lines: Vec<Line> = Vec::new();
    let mut previous: Option<&Structure> = None;
    for item in &body.structures {
        let blank_before = !matches!(
            (previous, item),
            (None, _) | (Some(Structure::Attribute(_)), Structure::Attribute(_))
        );
        if blank_before {
            lines.push(Line::plain(""));
        }
        match item {
            Structure::Attribute(attr) => {
                assignment_lines(&mut lines, &indent, &attr.name, &write_expr(&attr.value, depth));
            }
            Structure::Block(block) => {
                let mut text = String::new();
                write_block(&mut text, block, depth);
                lines.extend(text.lines().map(Line::plain));
            }
        }
        previous = Some(item);
    }
    write_aligned(out, &lines);
}

fn write_block(out: &mut String, block: &Block, depth: usize) {
    let indent = INDENT.repeat(depth);
    out.push_str(&indent);
    out.push_str(&block.kind);
    for label in &block.labels {
        out.push(' ');
        out.push_str(&quote(label));
    }
    if block.body.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push_str(" {\n");
    write_body(out, &block.body, depth + 1);
    out.push_str(&indent);
    out.push_str("}\n");
}

/// True when the first line of `value` opens more brackets than it closes (`{`, `[`, `(`).
fn opens_unclosed(value: &str) -> bool {
    let first = value.lines().next().unwrap_or_default();
    if first.starts_with("<<") {
        return false;
    }
    let mut net = 0i32;
    let mut in_string = false;
    let mut escaped = false;
    for c in first.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => net += 1,
            '}' | ']' | ')' => net -= 1,
            _ => {}
        }
    }
    net > 0
}

/// An expression as HCL text at nesting `depth` (the depth of the attribute holding it). Multi-line for
/// non-empty objects, long or nested arrays and heredocs; one line otherwise.
fn write_expr(expr: &Expression, depth: usize) -> String {
    match expr {
        Expression::Object(obj) if !obj.is_empty() => {
            let indent = INDENT.repeat(depth + 1);
            let entries: Vec<(String, String)> = obj
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        ObjectKey::Identifier(id) => id.to_string(),
                        // Keywords stay quoted: as a bare key `null`/`true`/`false` is a value, and `for` opens a for expression.
                        ObjectKey::Expression(Expression::String(s))
                            if is_identifier(s)
                                && !matches!(s.as_str(), "null" | "true" | "false" | "for" | "in" | "if") =>
                        {
                            s.clone()
                        }
                        ObjectKey::Expression(e) => to_hcl(e),
                        #[allow(
                            unreachable_patterns,
                            reason = "hcl::ObjectKey is non_exhaustive in some hcl-rs versions"
                        )]
                        _ => to_hcl(&Expression::Null),
                    };
                    (key, write_expr(v, depth + 1))
                })
                .collect();
            let mut lines = Vec::new();
            for (key, value) in &entries {
                assignment_lines(&mut lines, &indent, key, value);
            }
            let mut out = String::from("{\n");
            write_aligned(&mut out, &lines);
            out.push_str(&INDENT.repeat(depth));
            out.push('}');
            out
        }
        Expression::Array(items) if !items.is_empty() => {
            let inline = to_hcl(expr);
            let nested = items
                .iter()
                .any(|e| matches!(e, Expression::Object(o) if !o.is_empty()));
            if !nested && inline.len() <= MAX_INLINE_ARRAY && !inline.contains('\n') {
                return inline;
            }
            let indent = INDENT.repeat(depth + 1);
            let mut out = String::from("[\n");
            for item in items {
                out.push_str(&indent);
                out.push_str(&write_expr(item, depth + 1));
                out.push_str(",\n");
            }
            out.push_str(&INDENT.repeat(depth));
            out.push(']');
            out
        }
        Expression::TemplateExpr(t) => match t.as_ref() {
            ::hcl::expr::TemplateExpr::Heredoc(h) => {
                let marker = h.delimiter.as_str();
                let content_indent = INDENT.repeat(depth + 1);
                let mut out = format!("<<-{marker}\n");
                for line in h.template.lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(&content_indent);
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out.push_str(&INDENT.repeat(depth));
                out.push_str(marker);
                out
            }
            _ => to_hcl(expr),
        },
        _ => to_hcl(expr),
    }
}

/// A block label or object key as a quoted HCL string.
fn quote(s: &str) -> String {
    to_hcl(&Expression::String(s.to_string()))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::expr::reference;
    use crate::terraform::Format;

    fn file(body: Body) -> File {
        File {
            name: "main.tf".into(),
            format: Format::Hcl,
            header: vec!["Generated.".into()],
            body,
        }
    }

    #[test]
    fn aligns_equals_like_terraform_fmt() {
        let mut tags = ::hcl::Object::new();
        tags.insert(ObjectKey::from("env"), Expression::from("dev"));
        tags.insert(ObjectKey::from("cost-center"), Expression::from("42"));
        let block = Block::new("resource")
            .label("azurerm_resource_group")
            .label("main")
            .attr("name", "rg-app")
            .attr("location", "westeurope")
            .attr("tags", Expression::Object(tags))
            .attr("id_ref", reference("azurerm_x.y.id"))
            .block(Block::new("identity").attr("type", "UserAssigned"))
            .attr(
                "depends_on",
                Expression::Array(vec![reference("azurerm_role_assignment.acr_pull")]),
            );
        let mut body = Body::default();
        body.push_block(block);
        let text = write(&file(body));
        assert_eq!(
            text,
            r#"# Generated.

resource "azurerm_resource_group" "main" {
  name     = "rg-app"
  location = "westeurope"
  tags = {
    env         = "dev"
    cost-center = "42"
  }
  id_ref = azurerm_x.y.id

  identity {
    type = "UserAssigned"
  }

  depends_on = [azurerm_role_assignment.acr_pull]
}
"#
        );
    }
}
