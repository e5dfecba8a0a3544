//! Helpers over [`Expression`]: building references, reading literals, printing as HCL, finding references.

use super::Expression;
use ::hcl::expr::{Traversal, TraversalOperator};
use ::hcl::format::{Format, Formatter};

/// A reference expression from its HCL text, e.g. `reference("azurerm_container_registry.main.id")`.
///
/// # Panics
/// When `text` is not a valid HCL expression: references are written by code, not read from users.
pub fn reference(text: &str) -> Expression {
    parse(text).unwrap_or_else(|e| panic!("invalid reference `{text}`: {e}"))
}

/// Why a text is not an HCL expression: the parser's message (what it expected), and where in the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// The parser's message, e.g. `expected expression`.
    pub message: String,
    /// 1-based line of the text where parsing stopped.
    pub line: usize,
    /// 1-based column of the text where parsing stopped.
    pub column: usize,
}

/// Parses an HCL expression.
pub fn parse(text: &str) -> Result<Expression, ParseError> {
    hcl_edit::parser::parse_expr(text)
        .map(Expression::from)
        .map_err(|e| ParseError {
            message: e.message().to_string(),
            line: e.location().line(),
            column: e.location().column(),
        })
}

/// `text` as the source of template literal text: `${` and `%{` doubled (`$${`, `%%{`), the escaping every
/// string literal gets in HCL and in Terraform JSON, so user text never becomes an interpolation or directive.
pub(crate) fn escape_template_literal(text: &str) -> String {
    text.replace("${", "$${").replace("%{", "%%{")
}

/// One piece of a [`template`]: literal text (escaped when written) or the HCL text of an expression to
/// interpolate (code, never user input).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Part<'a> {
    Literal(&'a str),
    Interpolate(&'a str),
}

/// A quoted template from its parts, e.g. `"${azurerm_x.main.login_server}/<literal>:${var.tag}"`. Literals are
/// escaped as in any HCL string (quotes, backslashes, control characters, `${`, `%{`), so they read back as
/// exactly the text given.
pub(crate) fn template(parts: &[Part<'_>]) -> Expression {
    let mut source = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => {
                let quoted = quote(text);
                source.push_str(&quoted[1..quoted.len() - 1]);
            }
            Part::Interpolate(code) => {
                source.push_str("${");
                source.push_str(code);
                source.push('}');
            }
        }
    }
    Expression::TemplateExpr(Box::new(::hcl::expr::TemplateExpr::QuotedString(source)))
}

/// `text` as an indented heredoc (`<<-DELIMITER`) whose value is exactly `text`, which must end with a newline:
/// `${` and `%{` are escaped; heredocs take backslashes literally. When the text cannot be a heredoc (no final
/// newline, an empty line, a line that would close it, an [`is_hidden`] character — a heredoc has no escapes —,
/// every line indented) it is a plain string instead, with the same value.
pub(crate) fn heredoc(delimiter: &str, text: &str) -> Expression {
    let lines: Vec<&str> = text.lines().collect();
    let fits = text.ends_with('\n')
        && lines.iter().any(|l| !l.starts_with(' '))
        && lines
            .iter()
            .all(|l| !l.is_empty() && l.trim() != delimiter && !l.chars().any(is_hidden));
    match ::hcl::Identifier::new(delimiter) {
        Ok(id) if fits => {
            Expression::TemplateExpr(Box::new(::hcl::expr::TemplateExpr::Heredoc(::hcl::expr::Heredoc {
                delimiter: id,
                template: escape_template_literal(text),
                strip: ::hcl::expr::HeredocStripMode::Indent,
            })))
        }
        _ => Expression::String(text.to_string()),
    }
}

/// The expression as HCL text on one line, e.g. `azurerm_container_registry.main.id` or `["a", "b"]`.
///
/// String literals are quoted by [`quote`], not by hcl-rs: its marker escaping skips the character after a `$`
/// or `%`, so `$${` came out unescaped and read back as `${` (hcl-primitives 0.1.13, `escape_markers`).
pub fn to_hcl(expr: &Expression) -> String {
    let expr = quoted_strings(expr);
    let mut f = Formatter::builder().compact(true).build_vec();
    match expr.format(&mut f) {
        Ok(()) => String::from_utf8(f.into_inner()).unwrap_or_default(),
        Err(_) => format!("{expr:?}"),
    }
}

/// `text` as an HCL quoted string whose value is exactly `text`: `\`, `"` and every `is_hidden` character escaped
/// (`\n`, `\r`, `\t`, `\uNNNN`, `\UNNNNNNNN`), every `${` and `%{` doubled.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in escape_template_literal(text).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `c` is never written raw into a rendered file, only as an escape: a control character (C0, DEL, C1),
/// a line or paragraph separator (U+2028, U+2029), a bidirectional control (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069) or another invisible format character (Unicode's category Cf: the soft hyphen,
/// zero-width characters, word joiners, the byte order mark, tag characters, …). Written raw, such text reads
/// differently from what it is ("Trojan Source", CVE-2021-42574) or ends a line where none is seen.
pub(crate) fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// `c` as HCL's escape: `\u202e`, or `\U000e0001` beyond the Basic Multilingual Plane.
fn push_unicode_escape(out: &mut String, c: char) {
    let code = u32::from(c);
    if code > 0xffff {
        out.push_str(&format!("\\U{code:08x}"));
    } else {
        out.push_str(&format!("\\u{code:04x}"));
    }
}

/// `text` with every [`is_hidden`] character written as its escape (`\u000a`, `\u202e`): text that is shown, not
/// read back (a generated file's header comment), so it stays one visible line whatever a file name holds.
pub(crate) fn escape_hidden(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            push_unicode_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `expr` with every string literal (values and object keys, in collections, calls, conditionals, operations and
/// parentheses) replaced by a quoted template holding [`quote`]'s text, which hcl-rs prints as is.
fn quoted_strings(expr: &Expression) -> Expression {
    let q = |s: &str| {
        let quoted = quote(s);
        let inner = quoted[1..quoted.len() - 1].to_string();
        Expression::TemplateExpr(Box::new(::hcl::expr::TemplateExpr::QuotedString(inner)))
    };
    match expr {
        Expression::String(s) => q(s),
        Expression::Array(items) => Expression::Array(items.iter().map(quoted_strings).collect()),
        Expression::Object(obj) => Expression::Object(
            obj.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ::hcl::ObjectKey::Expression(e) => ::hcl::ObjectKey::Expression(quoted_strings(e)),
                        other => other.clone(),
                    };
                    (key, quoted_strings(v))
                })
                .collect(),
        ),
        Expression::FuncCall(f) => {
            let mut f = f.clone();
            f.args = f.args.iter().map(quoted_strings).collect();
            Expression::FuncCall(f)
        }
        Expression::Parenthesis(e) => Expression::Parenthesis(Box::new(quoted_strings(e))),
        Expression::Conditional(c) => {
            let mut c = c.clone();
            c.cond_expr = quoted_strings(&c.cond_expr);
            c.true_expr = quoted_strings(&c.true_expr);
            c.false_expr = quoted_strings(&c.false_expr);
            Expression::Conditional(c)
        }
        Expression::Operation(op) => Expression::Operation(Box::new(match op.as_ref() {
            ::hcl::Operation::Unary(u) => {
                let mut u = u.clone();
                u.expr = quoted_strings(&u.expr);
                ::hcl::Operation::Unary(u)
            }
            ::hcl::Operation::Binary(b) => {
                let mut b = b.clone();
                b.lhs_expr = quoted_strings(&b.lhs_expr);
                b.rhs_expr = quoted_strings(&b.rhs_expr);
                ::hcl::Operation::Binary(b)
            }
        })),
        other => other.clone(),
    }
}

/// The string, when the expression is a literal string.
pub fn as_str(expr: &Expression) -> Option<&str> {
    match expr {
        Expression::String(s) => Some(s),
        _ => None,
    }
}

/// The boolean, when the expression is a literal boolean.
pub(crate) fn as_bool(expr: &Expression) -> Option<bool> {
    match expr {
        Expression::Bool(b) => Some(*b),
        _ => None,
    }
}

/// The number, when the expression is a literal number.
pub(crate) fn as_f64(expr: &Expression) -> Option<f64> {
    match expr {
        Expression::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// The expression in a canonical form, so that equivalent spellings compare equal: object keys that are
/// identifiers written as identifiers, templates and heredocs without interpolations as plain strings,
/// `"${x}"` as `x`, redundant parentheses around literals removed. Use it before comparing expressions.
pub fn normalize(expr: &Expression) -> Expression {
    match expr {
        Expression::Array(items) => Expression::Array(items.iter().map(normalize).collect()),
        Expression::Object(obj) => Expression::Object(
            obj.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ::hcl::ObjectKey::Expression(Expression::String(s)) if is_identifier(s) => {
                            ::hcl::ObjectKey::Identifier(::hcl::Identifier::sanitized(s))
                        }
                        other => other.clone(),
                    };
                    (key, normalize(v))
                })
                .collect(),
        ),
        Expression::TemplateExpr(t) => match ::hcl::Template::from_expr(t) {
            Ok(template) => {
                use ::hcl::template::Element;
                match template.elements() {
                    [] => Expression::String(String::new()),
                    [Element::Interpolation(i)] => normalize(&i.expr),
                    els if els.iter().all(|e| matches!(e, Element::Literal(_))) => Expression::String(
                        els.iter()
                            .map(|e| match e {
                                Element::Literal(l) => l.as_str(),
                                _ => "",
                            })
                            .collect(),
                    ),
                    _ => expr.clone(),
                }
            }
            Err(_) => expr.clone(),
        },
        Expression::Parenthesis(inner) if is_literal(inner) => normalize(inner),
        other => other.clone(),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// True for literals (null, bool, number, string, and arrays/objects of literals): values known without evaluating.
pub fn is_literal(expr: &Expression) -> bool {
    match expr {
        Expression::Null | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => true,
        Expression::Array(items) => items.iter().all(is_literal),
        Expression::Object(obj) => obj.values().all(is_literal),
        _ => false,
    }
}

/// Every traversal in the expression, as text (`azurerm_user_assigned_identity.app.principal_id`, `var.image_tag`),
/// including those inside templates, function calls and collections. Bare variables (`each`, `count`) are
/// returned too.
pub(crate) fn references(expr: &Expression) -> Vec<String> {
    let mut out = Vec::new();
    collect(expr, &mut out);
    out
}

/// The resource addresses an expression refers to: `azurerm_container_registry.main` for
/// `azurerm_container_registry.main.id`, `data.x.y` for data sources, `module.m` for module outputs.
pub(crate) fn referenced_resources(expr: &Expression) -> Vec<String> {
    let mut out: Vec<String> = references(expr)
        .iter()
        .filter_map(|r| resource_of_reference(r))
        .collect();
    out.dedup();
    out
}

/// `azurerm_x.y.id` → `azurerm_x.y`; `data.a.b.c` → `data.a.b`; `module.m.out` → `module.m`;
/// `var.x`, `local.x`, `each.key`, `count.index`, `path.module`, `self.x`, `terraform.workspace` → `None`.
pub(crate) fn resource_of_reference(reference: &str) -> Option<String> {
    reference_target(reference).map(|(address, _)| address)
}

/// What a reference names: the object's address without key (`azurerm_x.y`, `data.a.b`, `module.m`) and the
/// instance key when it is a literal (`[0]`, `["k"]`). `None` for variables, locals, `each`, `count`, `path`,
/// `self`, `terraform`.
pub(crate) fn reference_target(reference: &str) -> Option<(String, Option<String>)> {
    let s = super::segments(reference)?;
    let literal = |k: &str| (!k.is_empty() && k != "[*]").then(|| k.to_string());
    match s.first()?.0 {
        "var" | "local" | "each" | "count" | "path" | "self" | "terraform" => None,
        "module" => Some((format!("module.{}", s.get(1)?.0), None)),
        "data" => {
            let (t, n) = (s.get(1)?, s.get(2)?);
            Some((format!("data.{}.{}", t.0, n.0), literal(n.1)))
        }
        t => {
            let n = s.get(1)?;
            Some((format!("{t}.{}", n.0), literal(n.1)))
        }
    }
}

fn collect(expr: &Expression, out: &mut Vec<String>) {
    visit(expr, &mut |e| match e {
        Expression::Traversal(t) => out.extend(traversal_text(t)),
        Expression::Variable(v) => out.push(v.to_string()),
        _ => {}
    });
}

/// Every traversal rooted at a variable in the expression (`azurerm_x.a[count.index].id`, `module.m.out`), with its
/// index expressions as written: what [`references`] prints as text, for code that follows them (the checks'
/// reference resolver).
pub(crate) fn traversals(expr: &Expression) -> Vec<Traversal> {
    let mut out = Vec::new();
    visit(expr, &mut |e| {
        if let Expression::Traversal(t) = e {
            if matches!(t.expr, Expression::Variable(_)) {
                out.push((**t).clone());
            }
        }
    });
    out
}

/// Calls `f` on every traversal and bare variable of the expression, including those inside templates, function
/// calls, collections, conditionals, operations and `for` expressions (a traversal's own index expressions too).
fn visit(expr: &Expression, f: &mut dyn FnMut(&Expression)) {
    match expr {
        Expression::Traversal(t) => {
            f(expr);
            visit(&t.expr, f);
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op {
                    visit(e, f);
                }
            }
        }
        Expression::Variable(_) => f(expr),
        Expression::Array(items) => items.iter().for_each(|e| visit(e, f)),
        Expression::Object(obj) => {
            for (k, v) in obj.iter() {
                if let ::hcl::ObjectKey::Expression(k) = k {
                    visit(k, f);
                }
                visit(v, f);
            }
        }
        Expression::TemplateExpr(t) => {
            if let Ok(template) = ::hcl::Template::from_expr(t) {
                visit_template(template.elements(), f);
            }
        }
        Expression::FuncCall(c) => c.args.iter().for_each(|e| visit(e, f)),
        Expression::Parenthesis(e) => visit(e, f),
        Expression::Conditional(c) => {
            visit(&c.cond_expr, f);
            visit(&c.true_expr, f);
            visit(&c.false_expr, f);
        }
        Expression::Operation(op) => match op.as_ref() {
            ::hcl::Operation::Unary(u) => visit(&u.expr, f),
            ::hcl::Operation::Binary(b) => {
                visit(&b.lhs_expr, f);
                visit(&b.rhs_expr, f);
            }
        },
        Expression::ForExpr(fe) => {
            visit(&fe.collection_expr, f);
            if let Some(k) = &fe.key_expr {
                visit(k, f);
            }
            visit(&fe.value_expr, f);
            if let Some(c) = &fe.cond_expr {
                visit(c, f);
            }
        }
        _ => {}
    }
}

fn visit_template(elements: &[::hcl::template::Element], f: &mut dyn FnMut(&Expression)) {
    use ::hcl::template::{Directive, Element};
    for el in elements {
        match el {
            Element::Literal(_) => {}
            Element::Interpolation(i) => visit(&i.expr, f),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    visit(&d.cond_expr, f);
                    visit_template(d.true_template.elements(), f);
                    if let Some(e) = &d.false_template {
                        visit_template(e.elements(), f);
                    }
                }
                Directive::For(d) => {
                    visit(&d.collection_expr, f);
                    visit_template(d.template.elements(), f);
                }
            },
        }
    }
}

/// The text of a traversal expression rooted at a variable (`count.index`, `each.key`), as [`references`] prints it.
pub(crate) fn traversal_path(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Traversal(t) => traversal_text(t),
        _ => None,
    }
}

/// `a.b.c` / `a.b[0].c` for traversals rooted at a variable; `None` for traversals of other expressions.
fn traversal_text(t: &Traversal) -> Option<String> {
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let mut s = root.to_string();
    for op in &t.operators {
        match op {
            TraversalOperator::GetAttr(id) => {
                s.push('.');
                s.push_str(id.as_str());
            }
            TraversalOperator::Index(Expression::Number(n)) => s.push_str(&format!("[{n}]")),
            TraversalOperator::LegacyIndex(n) => s.push_str(&format!("[{n}]")),
            TraversalOperator::Index(Expression::String(k)) => s.push_str(&format!("[{k:?}]")),
            TraversalOperator::Index(_) => s.push_str("[*]"),
            TraversalOperator::AttrSplat | TraversalOperator::FullSplat => s.push_str("[*]"),
        }
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references_everywhere() {
        let e =
            parse(r#"format("%s/%s", azurerm_x.a.id, "${var.p}-${data.y.z.name}") != 1 ? module.m.out : [local.l]"#)
                .unwrap();
        let refs = references(&e);
        assert!(refs.contains(&"azurerm_x.a.id".to_string()), "{refs:?}");
        assert!(refs.contains(&"var.p".to_string()));
        assert!(refs.contains(&"data.y.z.name".to_string()));
        assert!(refs.contains(&"module.m.out".to_string()));
        assert!(refs.contains(&"local.l".to_string()));
        let res = referenced_resources(&e);
        assert_eq!(res, vec!["azurerm_x.a", "data.y.z", "module.m"]);
    }

    #[test]
    fn quotes_strings_so_they_read_back_exactly() {
        // hcl-rs's own escaping printed `$${` for `$${`, which reads back as `${`.
        assert_eq!(quote("${$${%{x}\"\\\n\u{0}"), r#""$${$$${%%{x}\"\\\n\u0000""#);
        assert_eq!(to_hcl(&Expression::String("$${a}".into())), r#""$$${a}""#);
        // Bidi controls, separators and other invisible characters are escapes, never raw.
        assert_eq!(
            quote("a\u{202e}b\u{2028}c\u{85}d\u{e0001}e\u{200b}"),
            r#""a\u202eb\u2028c\u0085d\U000e0001e\u200b""#
        );
        assert_eq!(escape_hidden("x\ny\u{2066}"), "x\\u000ay\\u2066");
        assert_eq!(
            heredoc("YAML", "a\u{202e}b\n"),
            Expression::String("a\u{202e}b\n".into())
        );
        let t = template(&[Part::Interpolate("var.a"), Part::Literal("/${b}\"")]);
        assert_eq!(to_hcl(&t), r#""${var.a}/$${b}\"""#);
    }

    #[test]
    fn heredoc_only_when_the_text_cannot_end_it() {
        let h = heredoc("YAML", "a: ${x}\n  b: %{y}\n");
        match &h {
            Expression::TemplateExpr(t) => match t.as_ref() {
                ::hcl::expr::TemplateExpr::Heredoc(h) => assert_eq!(h.template, "a: $${x}\n  b: %%{y}\n"),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        for text in [
            "a\nYAML\n",
            "a\n  YAML\n",
            "no newline",
            "a\n\nb\n",
            "tab\there\n",
            "  all\n  indented\n",
        ] {
            assert_eq!(heredoc("YAML", text), Expression::String(text.to_string()), "{text:?}");
        }
    }

    #[test]
    fn prints_compact_hcl() {
        assert_eq!(to_hcl(&reference("azurerm_x.a.id")), "azurerm_x.a.id");
        assert_eq!(to_hcl(&parse(r#"["a", var.b]"#).unwrap()), r#"["a", var.b]"#);
        assert_eq!(to_hcl(&Expression::String("a\"b".into())), r#""a\"b""#);
    }
}
