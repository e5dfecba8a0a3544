//! The graph in Graphviz's DOT language (`infra graph --format dot | dot -Tsvg > graph.svg`).
//!
//! Node IDs are the addresses as quoted strings, with `"` and `\` escaped (`\"`, `\\`) and line breaks written
//! `\n`, so no name can end the string (graphviz.org/doc/info/lang.html: "In quoted strings in DOT, the only
//! escaped character is double-quote"; a backslash doubled is never read as a label escape like `\N`).

use super::{Graph, Kind};
use std::fmt::Write as _;

/// The graph as a DOT digraph, left to right.
pub fn render(graph: &Graph) -> String {
    let mut out = head();
    write_graph(&mut out, graph, "", "  ");
    out.push_str("}\n");
    out
}

/// Several graphs (one per stack) as one digraph, each in a cluster titled with its name; node IDs are
/// `<name>/<address>`, labelled with the address.
pub fn render_named(graphs: &[(String, Graph)]) -> String {
    let mut out = head();
    for (name, graph) in graphs {
        let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{name}")));
        let _ = writeln!(out, "    label={};", quote(&format!("stack {name}")));
        write_graph(&mut out, graph, &format!("{name}/"), "    ");
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

fn head() -> String {
    let mut out = String::from("digraph infra {\n");
    out.push_str("  // A -> B: B refers to A, so Terraform creates A first; dashed: B lists A in depends_on only.\n");
    out.push_str("  rankdir=LR;\n  node [shape=box];\n");
    out
}

fn write_graph(out: &mut String, graph: &Graph, prefix: &str, indent: &str) {
    let id = |i: usize| quote(&format!("{prefix}{}", graph.nodes[i].address));
    for (i, n) in graph.nodes.iter().enumerate() {
        let mut attrs: Vec<String> = Vec::new();
        match n.kind {
            Kind::Resource => {}
            Kind::Data => attrs.push("shape=ellipse".into()),
            Kind::Module => attrs.push("shape=component".into()),
        }
        match &n.role {
            Some(role) => attrs.push(format!("label={}", quote(&format!("{}\nrole: {role}", n.address)))),
            None if !prefix.is_empty() => attrs.push(format!("label={}", quote(&n.address))),
            None => {}
        }
        if attrs.is_empty() {
            let _ = writeln!(out, "{indent}{};", id(i));
        } else {
            let _ = writeln!(out, "{indent}{} [{}];", id(i), attrs.join(", "));
        }
    }
    for e in &graph.edges {
        let style = if e.depends_on { " [style=dashed]" } else { "" };
        let _ = writeln!(out, "{indent}{} -> {}{style};", id(e.from), id(e.to));
    }
}

/// `text` as a DOT quoted string (control, line-separator and bidi characters as spaces).
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || crate::style::is_unsafe(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_cannot_be_ended_by_a_name() {
        assert_eq!(quote(r#"a"b\"#), r#""a\"b\\""#);
        assert_eq!(quote("x\ny\r"), r#""x\ny ""#);
        assert_eq!(quote("a\u{2028}b\u{202e}c\u{85}"), r#""a b c ""#);
    }
}
