//! Writes a [`File`] as `.tf.json`: Terraform's JSON syntax, pretty-printed with two-space indents.
//!
//! Strings in Terraform JSON are templates, so references are written as `"${azurerm_x.y.id}"` and literal
//! `${` is escaped as `$${`. A few arguments are read as bare expressions instead (`depends_on`, `lifecycle`
//! lists, `moved`/`import`/`removed` addresses, variable `type`): those are written without `${}`.

use crate::terraform::expr::{is_hidden, to_hcl};
use crate::terraform::{Block, Body, Expression, File, Structure};
use ::hcl::template::Element;
use serde_json::{Map, Value};

/// The file as `.tf.json` text, ending with a newline.
pub(crate) fn write(file: &File) -> String {
    let mut root = Map::new();
    if !file.header.is_empty() {
        root.insert("//".into(), Value::String(file.header.join(" ")));
    }
    write_body_into(&mut root, &file.body, Context::Root);
    let text = serde_json::to_string_pretty(&Value::Object(root)).expect("JSON values always serialise");
    let mut text = escape_hidden(&text);
    text.push('\n');
    text
}

/// JSON `text` with every [`is_hidden`] character serde_json leaves raw (DEL, C1 controls, U+2028, bidi controls,
/// …) written as `\uNNNN` (a surrogate pair beyond the Basic Multilingual Plane). serde_json escapes the C0
/// controls itself and writes the others only inside strings, where the escape means the same character, so the
/// value reads back unchanged; the layout's newlines stay.
fn escape_hidden(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) && c > '\u{1f}' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Where a body sits: decides which arguments are bare expressions.
#[derive(Clone, Copy, PartialEq)]
enum Context<'a> {
    Root,
    Block(&'a str),
}

/// Whether argument `name` of a `kind` block is read by Terraform as a bare expression in JSON.
pub(crate) fn is_expression_mode(kind: &str, name: &str) -> bool {
    matches!(
        (kind, name),
        (_, "depends_on")
            | ("lifecycle", "ignore_changes")
            | ("lifecycle", "replace_triggered_by")
            | ("resource" | "data", "provider")
            | ("module", "providers")
            | ("moved", "from" | "to")
            | ("import", "to" | "provider")
            | ("removed", "from")
            | ("variable", "type")
    )
}

fn write_body_into(obj: &mut Map<String, Value>, body: &Body, ctx: Context<'_>) {
    for item in &body.structures {
        match item {
            Structure::Attribute(a) => {
                let kind = match ctx {
                    Context::Root => "",
                    Context::Block(k) => k,
                };
                let value = if is_expression_mode(kind, &a.name) {
                    bare(&a.value)
                } else {
                    template(&a.value)
                };
                obj.insert(a.name.clone(), value);
            }
            Structure::Block(b) => insert_block(obj, b),
        }
    }
}

fn block_body(block: &Block) -> Value {
    let mut obj = Map::new();
    write_body_into(&mut obj, &block.body, Context::Block(&block.kind));
    Value::Object(obj)
}

/// Inserts a block under its kind and labels: `"resource": {"type": {"name": {…}}}`. A second block at the same
/// place turns that place into an array of bodies.
fn insert_block(obj: &mut Map<String, Value>, block: &Block) {
    let mut slot = obj.entry(block.kind.clone()).or_insert(Value::Null);
    for label in &block.labels {
        if slot.is_null() {
            *slot = Value::Object(Map::new());
        }
        let Value::Object(map) = slot else { break };
        slot = map.entry(label.clone()).or_insert(Value::Null);
    }
    let body = block_body(block);
    match slot {
        Value::Null => *slot = body,
        Value::Array(items) => items.push(body),
        other => {
            let first = std::mem::take(other);
            *other = Value::Array(vec![first, body]);
        }
    }
}

/// An expression in template mode: literals as JSON, anything else as a `"${…}"` template string.
fn template(expr: &Expression) -> Value {
    match expr {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(escape_literal(s)),
        Expression::Array(items) => Value::Array(items.iter().map(template).collect()),
        Expression::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ::hcl::ObjectKey::Identifier(id) => id.to_string(),
                        ::hcl::ObjectKey::Expression(Expression::String(s)) => escape_literal(s),
                        ::hcl::ObjectKey::Expression(e) => format!("${{{}}}", to_hcl(e)),
                        #[allow(
                            unreachable_patterns,
                            reason = "hcl::ObjectKey is non_exhaustive in some hcl-rs versions"
                        )]
                        _ => String::new(),
                    };
                    (key, template(v))
                })
                .collect(),
        ),
        Expression::TemplateExpr(t) => match ::hcl::Template::from_expr(t) {
            Ok(tpl) => Value::String(template_text(tpl.elements())),
            Err(_) => Value::String(format!("${{{}}}", to_hcl(expr))),
        },
        other => Value::String(format!("${{{}}}", to_hcl(other))),
    }
}

/// A bare expression: its HCL text as a JSON string (arrays element by element).
fn bare(expr: &Expression) -> Value {
    match expr {
        Expression::Array(items) => Value::Array(items.iter().map(bare).collect()),
        Expression::String(s) => Value::String(s.clone()),
        other => Value::String(to_hcl(other)),
    }
}

fn template_text(elements: &[Element]) -> String {
    let mut s = String::new();
    for el in elements {
        match el {
            Element::Literal(l) => s.push_str(&escape_literal(l)),
            Element::Interpolation(i) => {
                s.push_str("${");
                s.push_str(&to_hcl(&i.expr));
                s.push('}');
            }
            Element::Directive(d) => {
                s.push_str(&::hcl::Template::from_iter([Element::Directive(d.clone())]).to_string());
            }
        }
    }
    s
}

fn escape_literal(s: &str) -> String {
    crate::terraform::expr::escape_template_literal(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::Format;

    #[test]
    fn hidden_characters_are_escapes_and_read_back() {
        let value = "a\u{202e}b\u{2028}c\u{7f}d\u{e0001}\n";
        let mut body = Body::default();
        body.push_block(Block::new("locals").attr("x", value));
        let file = File {
            name: "main.tf.json".into(),
            format: Format::Json,
            header: vec!["stacks/x\u{202e}.toml".into()],
            body,
        };
        let text = write(&file);
        assert!(!text.chars().any(|c| is_hidden(c) && c != '\n'), "{text}");
        assert!(text.contains(r"a\u202eb\u2028c\u007fd\udb40\udc01\n"), "{text}");
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["locals"]["x"], value);
        assert_eq!(json["//"], "stacks/x\u{202e}.toml");
    }
}
