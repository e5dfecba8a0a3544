//! The picture of what a replacement drags along, for the Markdown view: the changed resources, the unchanged
//! ones that connect them, nodes styled by action and the cascade edges drawn thick.

use super::model::{Action, ChangeSet, Reason, ResourceChange, Source};
use crate::graph::{mermaid, Graph};
use std::collections::{BTreeMap, BTreeSet};

/// More nodes than this make a diagram nobody reads: the view says so instead of drawing it.
pub(super) const MAX_NODES: usize = 100;

/// Whether the set replaces anything: only then is there a picture.
pub(crate) fn replaces(set: &ChangeSet) -> bool {
    set.changes.iter().any(|c| matches!(c.action, Action::Replace { .. }))
}

/// The part of `full` the picture shows: every node with a change in `set`, and every node on a path between
/// two of them. `None` when nothing is replaced, or when no change refers to another (a plan without
/// `configuration` references draws nothing but boxes).
pub(crate) fn select(full: &Graph, set: &ChangeSet) -> Option<Graph> {
    if !replaces(set) {
        return None;
    }
    let changed: BTreeSet<&str> = set.changes.iter().map(|c| c.address.as_str()).collect();
    let marked: BTreeSet<usize> = full
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| changed.contains(n.address.as_str()))
        .map(|(i, _)| i)
        .collect();
    let keep = full.connecting(&marked);
    Some(full.retain(|i| keep.contains(&i))).filter(|g| !g.edges.is_empty())
}

/// The node classes, by action (GitHub's diff colours).
const CLASSES: &[(&str, &str)] = &[
    ("create", "fill:#dafbe1,stroke:#1a7f37"),
    ("update", "fill:#fff8c5,stroke:#9a6700"),
    ("replace", "fill:#ffebe9,stroke:#cf222e,stroke-width:3px"),
    ("delete", "fill:#eaeef2,stroke:#57606a,stroke-dasharray:4 3"),
    ("read", "fill:#ddf4ff,stroke:#0969da"),
];

/// The style of the cascade edges.
const CASCADE: &str = "stroke:#cf222e,stroke-width:3px";

fn class(action: Action) -> Option<&'static str> {
    match action {
        Action::Create | Action::Import => Some("create"),
        Action::Update => Some("update"),
        Action::Replace { .. } => Some("replace"),
        Action::Delete | Action::Forget => Some("delete"),
        Action::Read => Some("read"),
        Action::Move | Action::NoOp => None,
    }
}

/// Whether `to` changes because `from`, which is replaced, does: offline, a reason of `to` names `from`; from a
/// plan (whose JSON does not say why), `to` is updated or replaced and refers to `from`.
fn cascades(from: &ResourceChange, to: &ResourceChange, source: Source) -> bool {
    if !matches!(from.action, Action::Replace { .. }) {
        return false;
    }
    let named = to.reasons.iter().any(|r| match r {
        Reason::Cascade { resource, .. } | Reason::DependsOnReplaced { resource, .. } => *resource == from.address,
        _ => false,
    });
    named || (source != Source::Configuration && matches!(to.action, Action::Update | Action::Replace { .. }))
}

/// The collapsed Markdown section with the Mermaid picture of `set.graph`; `None` when there is none.
pub(crate) fn markdown(set: &ChangeSet) -> Option<String> {
    let graph = set.graph.as_ref().filter(|_| replaces(set))?;
    let by_address: BTreeMap<&str, &ResourceChange> = set.changes.iter().map(|c| (c.address.as_str(), c)).collect();
    let change = |i: usize| by_address.get(graph.nodes[i].address.as_str()).copied();
    let highlighted: BTreeSet<usize> = graph
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| match (change(e.from), change(e.to)) {
            (Some(a), Some(b)) => cascades(a, b, set.source),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    let summary = format!(
        "Graph of the changes: {} resource{}, {} cascade edge{}",
        graph.nodes.len(),
        if graph.nodes.len() == 1 { "" } else { "s" },
        highlighted.len(),
        if highlighted.len() == 1 { "" } else { "s" }
    );
    let mut out = format!("\n<details><summary>{summary}</summary>\n\n");
    if graph.nodes.len() > MAX_NODES {
        out.push_str(&format!(
            "Too many resources ({}, more than {MAX_NODES}) for a readable diagram.\n\n</details>\n",
            graph.nodes.len()
        ));
        return Some(out);
    }
    let style = mermaid::Style {
        classes: (0..graph.nodes.len())
            .map(|i| change(i).and_then(|c| class(c.action)))
            .collect(),
        class_defs: CLASSES,
        highlighted,
        highlight: CASCADE,
    };
    out.push_str("```mermaid\n");
    out.push_str(&mermaid::render_styled(graph, &style));
    out.push_str(
        "```\n\nAn arrow points from a resource to one that refers to it (dotted: `depends_on`). Thick red arrows: \
         a replaced resource to a resource that changes because of it. Nodes: green create, yellow update, red \
         replace, grey destroy, blue read, white unchanged (shown when they connect changed ones).\n\n</details>\n",
    );
    Some(out)
}
