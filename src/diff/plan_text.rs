//! Terraform's own plan text (`terraform show PLANFILE`), from a change set read from a plan: the preamble, each
//! resource's header comment and structured change ([`super::structured`]), the `Plan:` line, "Changes to
//! Outputs:" and the closing notes. One renderer per kind of node, with Terraform 1.11's layout rules
//! (internal/command/jsonformat/computed/renderers and plan.go; read, not copied): four columns per level, the
//! symbol right-aligned in the first three; `=` aligned over every attribute of a body, shown or hidden; the
//! unchanged `id`, `name` and `tags` always shown; hidden attributes, blocks and elements counted separately;
//! unchanged list elements next to a change shown for context; `-> null` on deleted values.

use super::model::{Action, ChangeSet, ResourceChange};
use super::structured::{json_string_diff, process_slice, Act, BlockGroup, Diff, Nest, Prim, Renderer};
use crate::style::Style;
use serde_json::Value as Json;

/// Terraform's `RenderHumanOpts`.
#[derive(Clone, Copy)]
struct Opts {
    paint: crate::style::Paint,
    override_null_suffix: bool,
    force_forces_replacement: bool,
    forbid_forces_replacement: bool,
    show_unchanged_children: bool,
}

impl Opts {
    /// A copy for children: the forced/forbidden "forces replacement" marks do not pass down.
    fn child(self) -> Opts {
        Opts {
            force_forces_replacement: false,
            forbid_forces_replacement: false,
            ..self
        }
    }
    fn color(self, style: Style, s: &str) -> String {
        self.paint.paint(style, s)
    }
}

fn indent(n: usize) -> String {
    "    ".repeat(n)
}

/// A symbol in its three columns, then a space.
fn symbol(action: Act, o: Opts) -> String {
    match action {
        Act::Create => format!("  {} ", o.color(Style::Create, "+")),
        Act::Delete => format!("  {} ", o.color(Style::Delete, "-")),
        Act::Update => format!("  {} ", o.color(Style::Update, "~")),
        Act::NoOp => "    ".to_string(),
    }
}

fn null_suffix(action: Act, o: Opts) -> String {
    if !o.override_null_suffix && action == Act::Delete {
        format!(" {}", o.color(Style::Dim, "-> null"))
    } else {
        String::new()
    }
}

fn forces(replace: bool, o: Opts) -> String {
    if (replace || o.force_forces_replacement) && !o.forbid_forces_replacement {
        format!(" {}", o.color(Style::ForcesReplacement, "# forces replacement"))
    } else {
        String::new()
    }
}

fn unchanged(what: &str, n: usize, o: Opts) -> String {
    let s = if n == 1 { "" } else { "s" };
    o.color(Style::Dim, &format!("# ({n} unchanged {what}{s} hidden)"))
}

/// Go's `%q`: a double-quoted string with Go escapes (printable Unicode kept as it is). Beyond Go, the
/// bidirectional controls are escaped too ([`crate::style::is_unsafe`]), and the `[` of a CI logging command
/// (`##[`, `##vso[`): input never reaches the output raw.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for (i, c) in s.char_indices() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '[' if crate::style::opens_command(&s[..i]) => crate::style::push_escaped(&mut out, c),
            c if is_printable(c) => out.push(c),
            c => crate::style::push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Approximately Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space; never
/// what [`crate::style::is_unsafe`] names.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || crate::style::is_unsafe(c)
        || ('\u{fff0}'..='\u{ffff}').contains(&c)
        || ('\u{e000}'..='\u{f8ff}').contains(&c))
}

/// HCL's identifier rule (`hclsyntax.ValidIdentifier`), else quoted.
fn attribute_name(name: &str) -> String {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if valid {
        name.to_string()
    } else {
        go_quote(name)
    }
}

fn important(name: &str) -> bool {
    matches!(name, "id" | "name" | "tags")
}

fn warnings(d: &Diff, ind: usize, o: Opts) -> Vec<String> {
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

fn render(d: &Diff, ind: usize, o: Opts) -> String {
    match &d.renderer {
        Renderer::Primitive { before, after, ty } => primitive(d, before, after, *ty, ind, o),
        Renderer::Sensitive { .. } => format!(
            "{}{}{}",
            "(sensitive value)",
            null_suffix(d.action, o),
            forces(d.replace, o)
        ),
        Renderer::SensitiveBlock { .. } => {
            let p = format!("{}{}", indent(ind), symbol(Act::NoOp, o));
            format!(
                "{{{}\n{p}  # At least one attribute in this block is (or was) sensitive,\n{p}  # so its contents will not be displayed.\n{p}}}",
                forces(d.replace, o)
            )
        }
        Renderer::Unknown { before } => match before {
            Some(before) if d.action != Act::Create => {
                let mut bo = o.child();
                bo.override_null_suffix = true;
                bo.forbid_forces_replacement = d.replace;
                format!(
                    "{} -> (known after apply){}",
                    render(before, ind, bo),
                    forces(d.replace, o)
                )
            }
            _ => format!("(known after apply){}", forces(d.replace, o)),
        },
        Renderer::TypeChange { before, after } => {
            let mut o = o;
            o.override_null_suffix = true;
            format!(
                "{} {} {}",
                render(before, ind, o),
                o.color(Style::Update, "->"),
                render(after, ind, o)
            )
        }
        Renderer::List { elements, context } => list(d, elements, *context, ind, o),
        Renderer::Set { elements, nested } => set(d, elements, *nested, ind, o),
        Renderer::Map { elements, nested } => map(d, elements, *nested, ind, o),
        Renderer::Object { attributes, nested } => object(d, attributes, *nested, ind, o),
        Renderer::Block { attributes, blocks } => block(d, attributes, blocks, ind, o),
    }
}

fn primitive_value(v: &Json, o: Opts) -> String {
    match v {
        Json::Null => o.color(Style::Dim, "null"),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

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

/// Whether every line of a heredoc of `text` can be printed as it is: nothing [`crate::style::escape`] would
/// change (a carriage return, an escape code, a line separator, a line starting with `::`, a `##[`). Terraform
/// prints every multi-line string as a heredoc; infra only the ones that cannot forge a line.
pub(crate) fn heredoc_safe(text: &str) -> bool {
    text.split('\n')
        .all(|l| matches!(crate::style::escape(l), std::borrow::Cow::Borrowed(_)))
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
        if let Ok(j) = serde_json::from_str::<Json>(s) {
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

fn primitive(d: &Diff, before: &Json, after: &Json, ty: Prim, ind: usize, o: Opts) -> String {
    if ty == Prim::String {
        return string(d, before, after, ind, o);
    }
    let (b, a) = (primitive_value(before, o), primitive_value(after, o));
    match d.action {
        Act::Create => format!("{a}{}", forces(d.replace, o)),
        Act::Delete => format!("{b}{}{}", null_suffix(d.action, o), forces(d.replace, o)),
        Act::NoOp => format!("{b}{}", forces(d.replace, o)),
        Act::Update => format!("{b} {} {a}{}", o.color(Style::Update, "->"), forces(d.replace, o)),
    }
}

fn heredoc_lines(text: &str, ind: usize, o: Opts) -> Vec<String> {
    let prefix = format!("{}{}", indent(ind + 1), symbol(Act::NoOp, o));
    text.split('\n').map(|l| format!("{prefix}{l}")).collect()
}

fn string(d: &Diff, before: &Json, after: &Json, ind: usize, o: Opts) -> String {
    let lines: Vec<String> = match d.action {
        Act::Create | Act::NoOp => {
            let s = evaluate(after, o);
            if let Some(j) = &s.json {
                return if d.action == Act::NoOp {
                    json_string(d, Some(j), Some(j), ind, o)
                } else {
                    json_string(d, None, Some(j), ind, o)
                };
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
        Act::Update => {
            let (b, a) = (evaluate(before, o), evaluate(after, o));
            if let (Some(bj), Some(aj)) = (&b.json, &a.json) {
                return json_string(d, Some(bj), Some(aj), ind, o);
            }
            if b.json.is_some() || a.json.is_some() {
                let change = Diff {
                    renderer: Renderer::TypeChange {
                        before: Box::new(Diff {
                            renderer: Renderer::Primitive {
                                before: before.clone(),
                                after: Json::Null,
                                ty: Prim::String,
                            },
                            action: Act::Delete,
                            replace: false,
                        }),
                        after: Box::new(Diff {
                            renderer: Renderer::Primitive {
                                before: Json::Null,
                                after: after.clone(),
                                ty: Prim::String,
                            },
                            action: Act::Create,
                            replace: false,
                        }),
                    },
                    action: d.action,
                    replace: d.replace,
                };
                return render(&change, ind, o);
            }
            if (!b.multiline && !a.multiline) || b.quoted || a.quoted {
                return format!(
                    "{} {} {}{}",
                    b.simple(),
                    o.color(Style::Update, "->"),
                    a.simple(),
                    forces(d.replace, o)
                );
            }
            let (bl, al): (Vec<&str>, Vec<&str>) = (b.text.split('\n').collect(), a.text.split('\n').collect());
            let mut lines = vec![];
            let p = indent(ind + 1);
            process_slice(&bl, &al, &|_| false, &mut |bi, ai| {
                if bi >= bl.len() {
                    lines.push(format!("{p}{}{}", symbol(Act::Create, o), al[ai]));
                } else if ai >= al.len() {
                    lines.push(format!("{p}{}{}", symbol(Act::Delete, o), bl[bi]));
                } else if bl[bi] != al[ai] {
                    lines.push(format!("{p}{}{}", symbol(Act::Delete, o), bl[bi]));
                    lines.push(format!("{p}{}{}", symbol(Act::Create, o), al[ai]));
                } else {
                    lines.push(format!("{p}{}{}", symbol(Act::NoOp, o), bl[bi]));
                }
            });
            lines
        }
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

fn json_string(d: &Diff, before: Option<&Json>, after: Option<&Json>, ind: usize, o: Opts) -> String {
    let jd = json_string_diff(before, after, d.action != Act::Create, d.action != Act::Delete);
    let mut action = d.action;
    let mut jo = o.child();
    jo.override_null_suffix = true;
    let (whitespace, replace) = if jd.action == Act::NoOp && d.action == Act::Update {
        jo.show_unchanged_children = true;
        action = Act::NoOp;
        let w = if d.replace {
            " # whitespace changes force replacement"
        } else {
            " # whitespace changes"
        };
        (w.to_string(), String::new())
    } else {
        (String::new(), forces(d.replace, o))
    };
    let rendered = render(&jd, ind + 1, jo);
    if matches!(d.action, Act::Create | Act::Delete) {
        action = Act::NoOp;
    }
    if rendered.contains('\n') {
        format!(
            "jsonencode({whitespace}\n{}{}{rendered}{replace}\n{}{}){}",
            indent(ind + 1),
            symbol(action, o),
            indent(ind),
            symbol(Act::NoOp, o),
            null_suffix(d.action, o)
        )
    } else {
        format!("jsonencode({rendered}){whitespace}{replace}")
    }
}

fn list(d: &Diff, elements: &[Diff], context: bool, ind: usize, o: Opts) -> String {
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
                buf.push_str(&format!(
                    "{}{}{}\n",
                    indent(ind + 1),
                    symbol(Act::NoOp, opts),
                    unchanged("element", hidden.len() - 1, opts)
                ));
            }
            if let Some(last) = hidden.last() {
                buf.push_str(&format!(
                    "{}{}{},\n",
                    indent(ind + 1),
                    symbol(last.action, uo),
                    render(last, ind + 1, uo)
                ));
            }
            hidden.clear();
            if e.action == Act::NoOp {
                opts = uo;
            } else {
                render_next = true;
            }
        }
        for w in warnings(e, ind + 1, opts) {
            buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
        }
        buf.push_str(&format!(
            "{}{}{},\n",
            indent(ind + 1),
            symbol(e.action, opts),
            render(e, ind + 1, opts)
        ));
    }
    close_collection(&mut buf, "element", hidden.len(), ']', d, ind, o);
    buf
}

/// The end of a collection or object: the hidden-count line (when anything was hidden), then the closing bracket
/// with the null suffix of a deleted value.
fn close_collection(buf: &mut String, what: &str, hidden: usize, closer: char, d: &Diff, ind: usize, o: Opts) {
    if hidden > 0 {
        buf.push_str(&format!(
            "{}{}{}\n",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged(what, hidden, o)
        ));
    }
    buf.push_str(&format!(
        "{}{}{closer}{}",
        indent(ind),
        symbol(Act::NoOp, o),
        null_suffix(d.action, o)
    ));
}

fn set(d: &Diff, elements: &[Diff], nested: bool, ind: usize, o: Opts) -> String {
    let own = d.replace && !nested;
    if elements.is_empty() {
        return format!("[]{}{}", null_suffix(d.action, o), forces(own, o));
    }
    let mut eo = o.child();
    eo.override_null_suffix = true;
    eo.force_forces_replacement = d.replace && nested;
    let mut hidden = 0;
    let mut buf = format!("[{}\n", forces(own, o));
    for e in elements {
        if e.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            continue;
        }
        for w in warnings(e, ind + 1, o) {
            buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
        }
        buf.push_str(&format!(
            "{}{}{},\n",
            indent(ind + 1),
            symbol(e.action, eo),
            render(e, ind + 1, eo)
        ));
    }
    close_collection(&mut buf, "element", hidden, ']', d, ind, o);
    buf
}

fn map(d: &Diff, elements: &[(String, Diff)], nested: bool, ind: usize, o: Opts) -> String {
    let own = d.replace && !nested;
    if elements.is_empty() {
        return format!("{{}}{}{}", null_suffix(d.action, o), forces(own, o));
    }
    let keys: Vec<String> = elements.iter().map(|(k, _)| go_quote(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut eo = o.child();
    eo.override_null_suffix = d.action == Act::Delete || nested;
    eo.force_forces_replacement = d.replace && nested;
    let mut hidden = 0;
    let mut buf = format!("{{{}\n", forces(own, o));
    for ((_, e), key) in elements.iter().zip(&keys) {
        if e.action == Act::NoOp && !o.show_unchanged_children {
            hidden += 1;
            continue;
        }
        for w in warnings(e, ind + 1, o) {
            buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
        }
        let comma = if matches!(e.renderer, Renderer::Object { .. }) {
            ","
        } else {
            ""
        };
        let key = if nested { key.clone() } else { format!("{key:width$}") };
        buf.push_str(&format!(
            "{}{}{key} = {}{comma}\n",
            indent(ind + 1),
            symbol(e.action, eo),
            render(e, ind + 1, eo)
        ));
    }
    close_collection(&mut buf, "element", hidden, '}', d, ind, o);
    buf
}

fn object(d: &Diff, attributes: &[(String, Diff)], nested: bool, ind: usize, o: Opts) -> String {
    if attributes.is_empty() {
        return format!("{{}}{}{}", null_suffix(d.action, o), forces(d.replace, o));
    }
    let mut ao = o.child();
    ao.override_null_suffix = !nested;
    let keys: Vec<String> = attributes.iter().map(|(k, _)| attribute_name(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut hidden = 0;
    let mut buf = format!("{{{}\n", forces(d.replace, o));
    for ((name, a), key) in attributes.iter().zip(&keys) {
        let opts = if important(name) {
            let mut io = ao.child();
            io.show_unchanged_children = true;
            io
        } else {
            if a.action == Act::NoOp && !o.show_unchanged_children {
                hidden += 1;
                continue;
            }
            ao
        };
        for w in warnings(a, ind + 1, if important(name) { opts } else { o }) {
            buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
        }
        buf.push_str(&format!(
            "{}{}{key:width$} = {}\n",
            indent(ind + 1),
            symbol(a.action, opts),
            render(a, ind + 1, opts)
        ));
    }
    close_collection(&mut buf, "attribute", hidden, '}', d, ind, o);
    buf
}

fn block(d: &Diff, attributes: &[(String, Diff)], groups: &[BlockGroup], ind: usize, o: Opts) -> String {
    if attributes.is_empty() && groups.is_empty() {
        return format!("{{}}{}", forces(d.replace, o));
    }
    let keys: Vec<String> = attributes.iter().map(|(k, _)| attribute_name(k)).collect();
    let width = keys.iter().map(String::len).max().unwrap_or(0);
    let mut io = o.child();
    io.show_unchanged_children = true;
    let ao = o.child();
    let mut buf = format!("{{{}\n", forces(d.replace, o));
    let mut hidden_attributes = 0;
    for ((name, a), key) in attributes.iter().zip(&keys) {
        if important(name) {
            for w in warnings(a, ind + 1, io) {
                buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
            }
            buf.push_str(&format!(
                "{}{}{name:width$} = {}\n",
                indent(ind + 1),
                symbol(a.action, io),
                render(a, ind + 1, io)
            ));
            continue;
        }
        if a.action == Act::NoOp && !o.show_unchanged_children {
            hidden_attributes += 1;
            continue;
        }
        for w in warnings(a, ind + 1, o) {
            buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
        }
        buf.push_str(&format!(
            "{}{}{key:width$} = {}\n",
            indent(ind + 1),
            symbol(a.action, ao),
            render(a, ind + 1, ao)
        ));
    }
    if hidden_attributes > 0 {
        buf.push_str(&format!(
            "{}{}{}\n",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged("attribute", hidden_attributes, o)
        ));
    }
    let mut hidden_blocks = 0;
    for g in groups {
        let mut found = false;
        let mut render_block = |diff: &Diff, map_key: &str, buf: &mut String| {
            let sensitive_block = match diff.action {
                Act::Create => g.after_sensitive,
                Act::Delete => g.before_sensitive,
                Act::Update | Act::NoOp => g.after_sensitive || g.before_sensitive,
            };
            let wrapped;
            let diff = if sensitive_block {
                let mut action = diff.action;
                if action == Act::NoOp && g.before_sensitive != g.after_sensitive {
                    action = Act::Update;
                }
                wrapped = Diff {
                    renderer: Renderer::SensitiveBlock {
                        inner: Box::new(diff.clone()),
                        before: g.before_sensitive,
                        after: g.after_sensitive,
                    },
                    action,
                    replace: diff.replace,
                };
                &wrapped
            } else {
                diff
            };
            if diff.action == Act::NoOp && !o.show_unchanged_children {
                hidden_blocks += 1;
                return;
            }
            if !found && !attributes.is_empty() {
                buf.push('\n');
                found = true;
            }
            let mut bo = o.child();
            bo.force_forces_replacement = g.replace;
            for w in warnings(diff, ind + 1, bo) {
                buf.push_str(&format!("{}{w}\n", indent(ind + 1)));
            }
            buf.push_str(&format!(
                "{}{}{}{map_key} {}\n",
                indent(ind + 1),
                symbol(diff.action, bo),
                attribute_name(&g.name),
                render(diff, ind + 1, bo)
            ));
        };
        if g.unknown && g.nesting != Nest::Single {
            let unknown = Diff {
                renderer: Renderer::Unknown { before: None },
                action: d.action,
                replace: false,
            };
            render_block(&unknown, "", &mut buf);
        }
        for (key, b) in &g.blocks {
            let map_key = key.as_deref().map(|k| format!(" {}", go_quote(k))).unwrap_or_default();
            render_block(b, &map_key, &mut buf);
        }
    }
    if hidden_blocks > 0 {
        buf.push_str(&format!(
            "\n{}{}{}\n",
            indent(ind + 1),
            symbol(Act::NoOp, o),
            unchanged("block", hidden_blocks, o)
        ));
    }
    buf.push_str(&format!("{}{}}}", indent(ind), symbol(Act::NoOp, o)));
    buf
}

/// Terraform's word wrap for its prose (`format.WordWrap` at 78 columns, when not on a terminal): greedy, at
/// most 77 characters a line; lines starting with a space are left alone.
fn word_wrap(s: &str) -> String {
    const LIMIT: usize = 77;
    s.split('\n')
        .map(|line| {
            if line.starts_with(' ') {
                return line.to_string();
            }
            let mut out = String::new();
            let mut len = 0;
            for word in line.split(' ').filter(|w| !w.is_empty()) {
                let wl = word.chars().count();
                if len > 0 && len + 1 + wl > LIMIT {
                    out.push('\n');
                    len = 0;
                } else if len > 0 {
                    out.push(' ');
                    len += 1;
                }
                out.push_str(word);
                len += wl;
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The resource action as Terraform's renderer names it, with its symbol.
fn action_symbol(a: Action, paint: crate::style::Paint) -> String {
    match a {
        Action::Create => format!("  {}", paint.paint(Style::Create, "+")),
        Action::Update => format!("  {}", paint.paint(Style::Update, "~")),
        Action::Delete => format!("  {}", paint.paint(Style::Delete, "-")),
        Action::Replace {
            create_before_destroy: false,
        } => format!(
            "{}/{}",
            paint.paint(Style::Delete, "-"),
            paint.paint(Style::Create, "+")
        ),
        Action::Replace {
            create_before_destroy: true,
        } => format!(
            "{}/{}",
            paint.paint(Style::Create, "+"),
            paint.paint(Style::Delete, "-")
        ),
        Action::Read => format!(" {}", paint.paint(Style::Read, "<=")),
        Action::Forget => format!(" {}", paint.paint(Style::Delete, ".")),
        Action::Move | Action::Import | Action::NoOp => "   ".to_string(),
    }
}

/// The header comment of one resource change.
fn comment(c: &ResourceChange, t: &super::model::ResourceText, paint: crate::style::Paint) -> String {
    let bold = |s: &str| paint.paint(Style::Heading, s);
    let e = |s: &str| crate::style::escape(s).into_owned();
    let mut addr = e(&c.address);
    if let Some(d) = &t.deposed {
        addr = format!("{addr} (deposed object {})", e(d));
    }
    let reason = t.action_reason.as_deref().unwrap_or("");
    let mut buf = String::new();
    let mut printed_moved = false;
    let mut printed_imported = false;
    match c.action {
        Action::Create => buf.push_str(&format!("{} will be created", bold(&format!("  # {addr}")))),
        Action::Read => {
            buf.push_str(&format!("{} will be read during apply", bold(&format!("  # {addr}"))));
            match reason {
                "read_because_config_unknown" => buf.push_str("\n  # (config refers to values not yet known)"),
                "read_because_dependency_pending" => {
                    buf.push_str("\n  # (depends on a resource or a module with changes pending)")
                }
                "read_because_check_nested" => buf.push_str("\n  # (config will be reloaded to verify a check block)"),
                _ => {}
            }
        }
        Action::Update => buf.push_str(&format!("{} will be updated in-place", bold(&format!("  # {addr}")))),
        Action::Replace { .. } => {
            let head = bold(&format!("  # {addr}"));
            let replaced = paint.paint(Style::Delete, "replaced");
            buf.push_str(&match reason {
                "replace_because_tainted" => format!("{head} is tainted, so must be {replaced}"),
                "replace_by_request" => format!("{head} will be {replaced}, as requested"),
                "replace_by_triggers" => format!("{head} will be {replaced} due to changes in replace_triggered_by"),
                _ => format!("{head} must be {replaced}"),
            });
        }
        Action::Forget => {
            let head = bold(&format!(" # {addr}"));
            let not = paint.paint(Style::Delete, "will not be destroyed");
            if t.deposed.is_some() {
                buf.push_str(&format!("{head} will be removed from Terraform state, but {not}"));
                buf.push_str(&format!(
                    "\n{}",
                    bold(" # (left over from a partially-failed replacement of this instance)")
                ));
            } else {
                buf.push_str(&format!("{head} will no longer be managed by Terraform, but {not}"));
            }
            buf.push_str("\n # (destroy = false is set in the configuration)");
        }
        Action::Delete => {
            buf.push_str(&format!(
                "{} will be {}",
                bold(&format!("  # {addr}")),
                paint.paint(Style::Delete, "destroyed")
            ));
            let index = t.index.as_ref().map(|i| e(&i.to_string())).unwrap_or_default();
            match reason {
                "delete_because_no_resource_config" => buf.push_str(&format!(
                    "\n  # (because {}.{} is not in configuration)",
                    e(&c.resource_type),
                    e(&c.name)
                )),
                "delete_because_no_move_target" => buf.push_str(&format!(
                    "\n  # (because {} was moved to {addr}, which is not in configuration)",
                    e(c.previous_address.as_deref().unwrap_or_default()),
                )),
                "delete_because_no_module" => buf.push_str(&format!(
                    "\n  # (because {} is not in configuration)",
                    e(t.module_address.as_deref().unwrap_or_default())
                )),
                "delete_because_wrong_repetition" => match &t.index {
                    None | Some(Json::Null) => buf.push_str("\n  # (because resource uses count or for_each)"),
                    Some(Json::Number(_)) => buf.push_str("\n  # (because resource does not use count)"),
                    Some(Json::String(_)) => buf.push_str("\n  # (because resource does not use for_each)"),
                    _ => {}
                },
                "delete_because_count_index" => {
                    buf.push_str(&format!("\n  # (because index [{index}] is out of range for count)"))
                }
                "delete_because_each_key" => {
                    buf.push_str(&format!("\n  # (because key [{index}] is not in for_each map)"))
                }
                _ => {}
            }
            if t.deposed.is_some() {
                buf.push_str("\n  # (left over from a partially-failed replacement of this instance)");
            }
        }
        Action::Move | Action::Import | Action::NoOp => {
            if let Some(p) = &c.previous_address {
                buf.push_str(&format!(
                    "{} has moved to {}",
                    bold(&format!("  # {}", e(p))),
                    bold(&addr)
                ));
                printed_moved = true;
            } else if c.importing.is_some() {
                buf.push_str(&format!("{} will be imported", bold(&format!("  # {addr}"))));
                printed_imported = true;
            } else {
                buf.push_str(&format!(
                    "{addr} has an action the plan renderer doesn't support (this is a bug)"
                ));
            }
        }
    }
    buf.push('\n');
    if let (Some(p), false) = (&c.previous_address, printed_moved) {
        buf.push_str(&format!("  # (moved from {})\n", e(p)));
    }
    if let (Some(id), false) = (&c.importing, printed_imported) {
        if !id.is_empty() && !id.starts_with('{') {
            buf.push_str(&format!("  # (imported from \"{}\")\n", e(id)));
        } else {
            buf.push_str("  # (will be imported first)\n");
        }
    }
    if c.importing.is_some() && matches!(c.action, Action::Replace { .. }) {
        buf.push_str(&format!(
            "  # {}\n",
            paint.paint(Style::Warning, "Warning: this will destroy the imported resource")
        ));
    }
    buf
}

/// Whether Terraform's text shows this change (a data source's delete is not shown).
fn shown(c: &ResourceChange) -> bool {
    !(c.action == Action::Delete && c.terraform.as_ref().is_some_and(|t| !t.managed))
}

/// Whether `set` was read from a plan: every resource change carries its [`super::model::ResourceText`], and
/// [`write_plan`] can show it.
pub(crate) fn is_plan(set: &ChangeSet) -> bool {
    set.terraform.is_some() && set.changes.iter().all(|c| c.terraform.is_some())
}

/// Writes the whole text of `terraform show PLANFILE` for a change set read from a plan ([`is_plan`]; otherwise
/// nothing) to `w`, one resource at a time: each change's structured change is computed, written and dropped.
pub(crate) fn write_plan(set: &ChangeSet, color: bool, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let Some(text) = set.terraform.as_ref().filter(|_| is_plan(set)) else {
        return Ok(());
    };
    let paint = crate::style::Paint::new(color);
    let opts = Opts {
        paint,
        override_null_suffix: false,
        force_forces_replacement: false,
        forbid_forces_replacement: false,
        show_unchanged_children: false,
    };
    let mut changes: Vec<&ResourceChange> = set.changes.iter().filter(|c| shown(c)).collect();
    changes.sort_by_key(|c| c.terraform.as_ref().map_or(0, |t| t.position));
    let counted = |a: Action| changes.iter().filter(|c| c.action == a).count();
    let acting = changes
        .iter()
        .any(|c| !matches!(c.action, Action::Move | Action::Import | Action::NoOp));
    let importing = changes.iter().filter(|c| c.importing.is_some()).count();
    let outputs: Vec<&(String, Diff)> = text.outputs.iter().filter(|(_, d)| d.action != Act::NoOp).collect();
    let mut out = String::new();
    if changes.is_empty() && outputs.is_empty() {
        if text.errored {
            out.push_str(&format!(
                "\n{} Terraform encountered an error while generating this plan.\n\n",
                paint.paint(Style::Delete, "Planning failed.")
            ));
        } else {
            out.push_str(&format!(
                "\n{} Your infrastructure matches the configuration.\n\n",
                paint.paint(Style::Create, "No changes.")
            ));
            out.push_str(&word_wrap(
                "Terraform has compared your real infrastructure against your configuration and found no differences, so no changes are needed.",
            ));
            out.push('\n');
        }
    }
    if acting {
        out.push_str(&word_wrap(
            "\nTerraform used the selected providers to generate the following execution plan. Resource actions are indicated with the following symbols:",
        ));
        out.push('\n');
        for (a, what) in [
            (Action::Create, "create"),
            (Action::Update, "update in-place"),
            (Action::Delete, "destroy"),
            (
                Action::Replace {
                    create_before_destroy: false,
                },
                "destroy and then create replacement",
            ),
            (
                Action::Replace {
                    create_before_destroy: true,
                },
                "create replacement and then destroy",
            ),
            (Action::Read, "read (data resources)"),
        ] {
            if counted(a) > 0 {
                out.push_str(&format!("{} {what}\n", action_symbol(a, paint)));
            }
        }
    }
    if !changes.is_empty() {
        out.push_str(if text.errored {
            "\nTerraform planned the following actions, but then encountered a problem:\n"
        } else {
            "\nTerraform will perform the following actions:\n"
        });
        for c in &changes {
            let t = c.terraform.as_ref().expect("checked above");
            let mut o = opts;
            o.show_unchanged_children = c.importing.is_some();
            let mode = if t.managed { "resource" } else { "data" };
            out.push('\n');
            out.push_str(&comment(c, t, paint));
            out.push_str(&format!(
                "{} {mode} \"{}\" \"{}\" {}\n",
                action_symbol(c.action, paint),
                crate::style::escape(&c.resource_type),
                crate::style::escape(&c.name),
                render(&super::from_plan::body(c, t), 0, o)
            ));
            w.write_all(out.as_bytes())?;
            out.clear();
        }
        let replaced = counted(Action::Replace {
            create_before_destroy: false,
        }) + counted(Action::Replace {
            create_before_destroy: true,
        });
        let mut line = format!("\n{} ", paint.paint(Style::Heading, "Plan:"));
        if importing > 0 {
            line.push_str(&format!("{importing} to import, "));
        }
        line.push_str(&format!(
            "{} to add, {} to change, {} to destroy.\n",
            counted(Action::Create) + replaced,
            counted(Action::Update),
            counted(Action::Delete) + replaced
        ));
        out.push_str(&line);
    }
    if !outputs.is_empty() {
        let width = text
            .outputs
            .iter()
            .map(|(k, _)| attribute_name(k).len())
            .max()
            .unwrap_or(0);
        out.push_str("\nChanges to Outputs:\n");
        let lines: Vec<String> = outputs
            .iter()
            .map(|(k, d)| {
                let sym = match d.action {
                    Act::Create => format!("  {}", paint.paint(Style::Create, "+")),
                    Act::Delete => format!("  {}", paint.paint(Style::Delete, "-")),
                    Act::Update => format!("  {}", paint.paint(Style::Update, "~")),
                    Act::NoOp => "   ".to_string(),
                };
                format!("{sym} {:width$} = {}", attribute_name(k), render(d, 0, opts))
            })
            .collect();
        out.push_str(&lines.join("\n"));
        out.push('\n');
        if !acting {
            out.push_str(&word_wrap(
                "\nYou can apply this plan to save these new output values to the Terraform state, without changing any real infrastructure.",
            ));
            out.push('\n');
        }
    }
    if let Some(note) = &text.schema_note {
        out.push('\n');
        out.push_str(&word_wrap(&crate::style::escape(note)));
        out.push('\n');
    }
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_terraforms_width() {
        assert_eq!(
            word_wrap("\nTerraform used the selected providers to generate the following execution plan. Resource actions are indicated with the following symbols:"),
            "\nTerraform used the selected providers to generate the following execution\nplan. Resource actions are indicated with the following symbols:"
        );
    }

    #[test]
    fn strings_are_quoted_as_go_quotes_them() {
        assert_eq!(go_quote("a \"b\" \\ \t é"), "\"a \\\"b\\\" \\\\ \\t é\"");
        assert_eq!(go_quote("\u{1}"), "\"\\x01\"");
    }
}
