//! The graph as a Mermaid flowchart (GitHub and Azure DevOps render it in Markdown).
//!
//! Node ids are generated (`n0`, `n1`, …); the address is the node's quoted label, in which every character
//! that Mermaid or the HTML it renders to could read as syntax (`"`, `<`, `>`, `&`, `#`, `%`, backquote, line
//! breaks, backslashes, …) is written as a Mermaid entity code (`#34;`), so a name never becomes part of the diagram's code
//! (Mermaid's "Entity codes to escape characters", mermaid.js.org/syntax/flowchart.html).

use super::{Graph, Kind};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The legend, as the first line of every diagram (a Mermaid comment).
pub(crate) const LEGEND: &str =
    "%% A --> B: B refers to A, so Terraform creates A first; A -.-> B: B lists A in depends_on only.";

/// How a styled diagram looks: a class per node, the classes' styles, and edges drawn stronger.
#[derive(Debug, Clone, Default)]
pub(crate) struct Style<'a> {
    /// The class of each node (by index into the graph's nodes), if any.
    pub classes: Vec<Option<&'a str>>,
    /// `(class, CSS)`: `("replace", "fill:#ffebe9,stroke:#cf222e")`. Only classes some node has are written.
    pub class_defs: &'a [(&'a str, &'a str)],
    /// Indexes into the graph's edges.
    pub highlighted: BTreeSet<usize>,
    /// The CSS of the highlighted edges: `stroke:#cf222e,stroke-width:3px`.
    pub highlight: &'a str,
}

/// The graph as a Mermaid flowchart, left to right.
pub fn render(graph: &Graph) -> String {
    render_styled(graph, &Style::default())
}

/// [`render`] with classes on nodes and highlighted edges.
pub(crate) fn render_styled(graph: &Graph, style: &Style) -> String {
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "  {LEGEND}");
    write_nodes(&mut out, graph, 0, "  ");
    write_edges(&mut out, graph, 0);
    let mut used: Vec<&str> = Vec::new();
    for (name, _) in style.class_defs {
        let ids: Vec<String> = (0..graph.nodes.len())
            .filter(|&i| style.classes.get(i).copied().flatten() == Some(*name))
            .map(|i| format!("n{i}"))
            .collect();
        if !ids.is_empty() {
            used.push(name);
            let _ = writeln!(out, "  class {} {name}", ids.join(","));
        }
    }
    for (name, css) in style.class_defs {
        if used.contains(name) {
            let _ = writeln!(out, "  classDef {name} {css}");
        }
    }
    let highlighted: Vec<String> = style
        .highlighted
        .iter()
        .filter(|&&e| e < graph.edges.len())
        .map(ToString::to_string)
        .collect();
    if !highlighted.is_empty() {
        let _ = writeln!(out, "  linkStyle {} {}", highlighted.join(","), style.highlight);
    }
    out
}

/// Several graphs (one per stack) as one flowchart, each in a subgraph titled with its name.
pub fn render_named(graphs: &[(String, Graph)]) -> String {
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "  {LEGEND}");
    let mut first = 0;
    for (i, (name, graph)) in graphs.iter().enumerate() {
        let _ = writeln!(out, "  subgraph s{i}[\"{}\"]", label(&format!("stack {name}")));
        write_nodes(&mut out, graph, first, "    ");
        out.push_str("  end\n");
        first += graph.nodes.len();
    }
    let mut first = 0;
    for (_, graph) in graphs {
        write_edges(&mut out, graph, first);
        first += graph.nodes.len();
    }
    out
}

fn write_nodes(out: &mut String, graph: &Graph, first: usize, indent: &str) {
    for (i, n) in graph.nodes.iter().enumerate() {
        let mut text = label(&n.address);
        if let Some(role) = &n.role {
            let _ = write!(text, "<br/>role: {}", label(role));
        }
        let (open, close) = match n.kind {
            Kind::Resource => ("[", "]"),
            Kind::Data => ("([", "])"),
            Kind::Module => ("[[", "]]"),
        };
        let _ = writeln!(out, "{indent}n{}{open}\"{text}\"{close}", first + i);
    }
}

fn write_edges(out: &mut String, graph: &Graph, first: usize) {
    for e in &graph.edges {
        let arrow = if e.depends_on { "-.->" } else { "-->" };
        let _ = writeln!(out, "  n{} {arrow} n{}", first + e.from, first + e.to);
    }
}

/// `text` for inside a quoted Mermaid label: characters that are not plainly text written as entity codes.
pub(crate) fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || " _-./:,=()[]{}@+*'!?$^~|;".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_hold_no_syntax() {
        assert_eq!(label(r#"a"]-->b%%c"#), "a#34;]--#62;b#37;#37;c");
        assert_eq!(label("x\ny<script>&#quot;`"), "x#10;y#60;script#62;#38;#35;quot;#96;");
        assert_eq!(label(r#"azurerm_x.y["k\n"]"#), "azurerm_x.y[#34;k#92;n#34;]");
    }
}
