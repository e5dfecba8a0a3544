//! `infra graph` and the Mermaid picture of `infra diff --format markdown`: snapshots, and every emitted graph
//! checked by a structural Mermaid parser and a structural DOT parser (below) — endpoints declared, styles defined,
//! labels free of syntax — with addresses read back from the labels exactly as written.

use infra::diff;
use infra::graph::{dot, mermaid, Declared, Graph, Kind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn infra(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// A structural Mermaid flowchart parser: what GitHub needs to draw the diagram, and what keeps a label a label.

/// A parsed flowchart: node id → (shape, label as written), edges (from, to, dotted), and the subgraph count.
#[derive(Debug, Default)]
struct Flowchart {
    nodes: BTreeMap<String, (&'static str, String)>,
    edges: Vec<(String, String, bool)>,
    /// class name → node ids.
    classes: BTreeMap<String, Vec<String>>,
    class_defs: BTreeSet<String>,
    link_styles: Vec<usize>,
    subgraphs: usize,
}

const SHAPES: &[(&str, &str, &str)] = &[
    ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"),
    ("[(", ")]", "cylinder"),
    ("[", "]", "box"),
    ("(", ")", "round"),
    ("{", "}", "rhombus"),
];

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `id<open>"label"<close>`: the id, shape and label; an error if anything is off — in particular a `"` inside the
/// label (the label would end there and the rest would be read as code).
fn node_declaration(line: &str) -> Result<(String, &'static str, String), String> {
    let id_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or("no shape")?;
    let (id, rest) = line.split_at(id_end);
    if !is_id(id) {
        return Err(format!("bad node id in {line:?}"));
    }
    let (open, close, shape) = SHAPES
        .iter()
        .find(|(open, _, _)| rest.starts_with(&format!("{open}\"")))
        .ok_or_else(|| format!("no quoted label in {line:?}"))?;
    let body = &rest[open.len() + 1..];
    let end = body
        .find('"')
        .ok_or_else(|| format!("unterminated label in {line:?}"))?;
    let (label, tail) = (&body[..end], &body[end + 1..]);
    if tail != *close {
        return Err(format!(
            "label of {id} is followed by {tail:?}, not {close:?}: a raw quote in {line:?}"
        ));
    }
    // What the label may hold: text, entity codes (#34;) and the line breaks infra writes (<br/>).
    let plain = label.replace("<br/>", "");
    if let Some(c) = plain
        .chars()
        .find(|c| matches!(c, '<' | '>' | '&' | '`' | '%' | '\n' | '\r' | '\\'))
    {
        return Err(format!("raw {c:?} in the label of {id}: {label:?}"));
    }
    let mut rest = plain.as_str();
    while let Some(i) = rest.find('#') {
        let after = &rest[i + 1..];
        let semi = after.find(';').ok_or_else(|| format!("stray # in {label:?}"))?;
        if after[..semi].parse::<u32>().is_err() {
            return Err(format!("# not an entity code in {label:?}"));
        }
        rest = &after[semi + 1..];
    }
    Ok((id.to_string(), shape, label.to_string()))
}

fn parse_mermaid(text: &str) -> Result<Flowchart, String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("%%"));
    let header = lines.next().ok_or("empty")?;
    let mut words = header.split_whitespace();
    if !matches!(words.next(), Some("flowchart" | "graph"))
        || !matches!(words.next(), Some("LR" | "RL" | "TB" | "TD" | "BT"))
        || words.next().is_some()
    {
        return Err(format!("header {header:?}: expected `flowchart` and a direction"));
    }
    let mut f = Flowchart::default();
    let mut depth = 0usize;
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["end"] => depth = depth.checked_sub(1).ok_or("`end` without `subgraph`")?,
            ["subgraph", ..] => {
                let (_, _, _) = node_declaration(line.trim_start_matches("subgraph").trim())?;
                depth += 1;
                f.subgraphs += 1;
            }
            ["class", ids, name] => {
                for id in ids.split(',') {
                    f.classes.entry(name.to_string()).or_default().push(id.to_string());
                }
            }
            ["classDef", name, _css @ ..] => {
                if !f.class_defs.insert(name.to_string()) {
                    return Err(format!("classDef {name} twice"));
                }
            }
            ["linkStyle", indexes, _css] => {
                for i in indexes.split(',') {
                    f.link_styles
                        .push(i.parse().map_err(|_| format!("linkStyle index {i:?}"))?);
                }
            }
            [a, arrow @ ("-->" | "-.->"), b] if is_id(a) && is_id(b) => {
                f.edges.push((a.to_string(), b.to_string(), *arrow == "-.->"))
            }
            _ => {
                let (id, shape, label) = node_declaration(line)?;
                if f.nodes.insert(id.clone(), (shape, label)).is_some() {
                    return Err(format!("node {id} declared twice"));
                }
            }
        }
    }
    if depth != 0 {
        return Err("unclosed subgraph".into());
    }
    for (a, b, _) in &f.edges {
        for id in [a, b] {
            if !f.nodes.contains_key(id) {
                return Err(format!("edge endpoint {id} is not declared"));
            }
        }
    }
    for (name, ids) in &f.classes {
        if !f.class_defs.contains(name) {
            return Err(format!("class {name} has no classDef"));
        }
        if let Some(id) = ids.iter().find(|id| !f.nodes.contains_key(*id)) {
            return Err(format!("class {name} names undeclared node {id}"));
        }
    }
    if let Some(i) = f.link_styles.iter().find(|&&i| i >= f.edges.len()) {
        return Err(format!("linkStyle {i} but only {} edges", f.edges.len()));
    }
    Ok(f)
}

/// A label's text with entity codes decoded and infra's line breaks as `\n`.
fn decode(label: &str) -> String {
    let label = label.replace("<br/>", "\n");
    let mut out = String::new();
    let mut rest = label.as_str();
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..i]);
        let semi = rest[i..].find(';').unwrap() + i;
        out.push(char::from_u32(rest[i + 1..semi].parse().unwrap()).unwrap());
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    out
}

impl Flowchart {
    /// Address (first label line) → node id.
    fn ids(&self) -> BTreeMap<String, String> {
        self.nodes
            .iter()
            .map(|(id, (_, label))| (decode(label).lines().next().unwrap_or("").to_string(), id.clone()))
            .collect()
    }

    fn has_edge(&self, from: &str, to: &str) -> bool {
        let ids = self.ids();
        self.edges.iter().any(|(a, b, _)| a == &ids[from] && b == &ids[to])
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A structural DOT parser: tokens (quoted strings with their escapes), balanced braces and brackets, statements,
// every edge endpoint declared as a node.

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Id(String),
    Quoted(String),
    Punct(char),
    Arrow,
}

fn dot_tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut s = String::new();
                loop {
                    match chars.next().ok_or("unterminated string")? {
                        '"' => break,
                        '\\' => match chars.next().ok_or("unterminated string")? {
                            '"' => s.push('"'),
                            '\\' => s.push('\\'),
                            'n' => s.push('\n'),
                            other => return Err(format!("escape \\{other} in a string")),
                        },
                        '\n' => return Err("raw newline in a string".into()),
                        c => s.push(c),
                    }
                }
                out.push(Token::Quoted(s));
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push(Token::Arrow);
            }
            '{' | '}' | '[' | ']' | ';' | ',' | '=' => out.push(Token::Punct(c)),
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut s = c.to_string();
                while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphanumeric() || **n == '_') {
                    s.push(n);
                    chars.next();
                }
                out.push(Token::Id(s));
            }
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    Ok(out)
}

/// Graphviz itself reads the DOT: its parser, `nop` (reads and prints the graph, no layout), exits 0 and warns
/// about nothing. Graphviz is a Debian package `make tools` installs (`.ci/install-tools`); without it this fails,
/// it is never skipped.
fn graphviz_accepts(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = std::process::Command::new("nop")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run graphviz `nop` ({e}): run `make tools` (Debian package graphviz)"));
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !stderr.trim().is_empty() {
        return Err(format!("graphviz rejects the DOT ({}): {stderr}", out.status));
    }
    Ok(())
}

/// A DOT attribute list (`[k = v, …]`), if the next token opens one.
fn dot_attributes(t: &mut std::iter::Peekable<std::slice::Iter<Token>>) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if t.peek() != Some(&&Token::Punct('[')) {
        return Ok(out);
    }
    t.next();
    loop {
        match t.next().ok_or("unclosed [")? {
            Token::Punct(']') => return Ok(out),
            Token::Punct(',') => {}
            Token::Id(k) => {
                if t.next() != Some(&Token::Punct('=')) {
                    return Err(format!("attribute {k} without ="));
                }
                match t.next() {
                    Some(Token::Id(v) | Token::Quoted(v)) => {
                        out.insert(k.clone(), v.clone());
                    }
                    other => return Err(format!("attribute {k} = {other:?}")),
                }
            }
            other => return Err(format!("unexpected {other:?} in attributes")),
        }
    }
}

/// The DOT graph's nodes (ID → label, the ID when there is none) and edges; an error if it is not well formed,
/// by our reading or by Graphviz's.
#[allow(clippy::type_complexity, reason = "nodes and edges, named where they are built")]
fn parse_dot(text: &str) -> Result<(BTreeMap<String, String>, Vec<(String, String)>), String> {
    graphviz_accepts(text)?;
    let tokens = dot_tokens(text)?;
    let mut t = tokens.iter().peekable();
    if t.next() != Some(&Token::Id("digraph".into())) {
        return Err("not a digraph".into());
    }
    if let Some(Token::Id(_) | Token::Quoted(_)) = t.peek() {
        t.next();
    }
    if t.next() != Some(&Token::Punct('{')) {
        return Err("no {".into());
    }
    let mut depth = 1;
    let mut nodes = BTreeMap::new();
    let mut edges = Vec::new();
    while depth > 0 {
        let tok = t.next().ok_or("unbalanced braces")?;
        match tok {
            Token::Punct('}') => depth -= 1,
            Token::Punct(';') => {}
            Token::Id(k) if k == "subgraph" => {
                match t.next() {
                    Some(Token::Id(_) | Token::Quoted(_)) => {}
                    other => return Err(format!("subgraph {other:?}")),
                }
                if t.next() != Some(&Token::Punct('{')) {
                    return Err("subgraph without {".into());
                }
                depth += 1;
            }
            Token::Id(k) if matches!(k.as_str(), "node" | "edge" | "graph") => {
                dot_attributes(&mut t)?;
            }
            Token::Id(k) if t.peek() == Some(&&Token::Punct('=')) => {
                t.next();
                match t.next() {
                    Some(Token::Id(_) | Token::Quoted(_)) => {}
                    other => return Err(format!("{k} = {other:?}")),
                }
            }
            Token::Id(id) | Token::Quoted(id) => {
                if t.peek() == Some(&&Token::Arrow) {
                    t.next();
                    let to = match t.next() {
                        Some(Token::Id(to) | Token::Quoted(to)) => to.clone(),
                        other => return Err(format!("edge to {other:?}")),
                    };
                    dot_attributes(&mut t)?;
                    edges.push((id.clone(), to));
                } else {
                    let a = dot_attributes(&mut t)?;
                    let label = a.get("label").cloned().unwrap_or_else(|| id.clone());
                    if nodes.insert(id.clone(), label).is_some() {
                        return Err(format!("node {id:?} declared twice"));
                    }
                }
            }
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if let Some(extra) = t.next() {
        return Err(format!("{extra:?} after the graph"));
    }
    if let Some((a, b)) = edges
        .iter()
        .find(|(a, b)| !nodes.contains_key(a) || !nodes.contains_key(b))
    {
        return Err(format!("edge {a:?} -> {b:?} has an undeclared endpoint"));
    }
    Ok((nodes, edges))
}

/// The ```mermaid block of a Markdown text, if any (there is at most one).
fn mermaid_block(markdown: &str) -> Option<&str> {
    let start = markdown.find("```mermaid\n")? + "```mermaid\n".len();
    let end = markdown[start..].find("```")? + start;
    assert_eq!(markdown.matches("```mermaid").count(), 1, "{markdown}");
    Some(&markdown[start..end])
}

// ---------------------------------------------------------------------------------------------------------------

#[test]
fn graph_of_prod_shows_identity_acr_pull_app_chain() {
    let text = stdout(&infra(root(), &["graph", "prod"]));
    let f = parse_mermaid(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let ids = f.ids();
    assert_eq!(f.nodes.len(), 24, "every resource of prod");
    let role = &f.nodes[&ids["azurerm_role_assignment.acr_pull"]].1;
    assert!(decode(role).ends_with("\nrole: AcrPull"), "{role}");
    // identity → AcrPull role assignment → its propagation wait ⇢ app (depends_on), and the identity → app.
    assert!(f.has_edge("azurerm_user_assigned_identity.app", "azurerm_role_assignment.acr_pull"));
    assert!(f.has_edge("azurerm_role_assignment.acr_pull", "time_sleep.acr_pull_propagation"));
    assert!(f.has_edge("time_sleep.acr_pull_propagation", "azurerm_container_app.app"));
    assert!(f.has_edge("azurerm_user_assigned_identity.app", "azurerm_container_app.app"));
    assert!(f.edges.iter().any(|(a, b, dotted)| *dotted
        && a == &ids["time_sleep.acr_pull_propagation"]
        && b == &ids["azurerm_container_app.app"]));
    snapshot!("graph", "prod_mermaid", text);

    let text = stdout(&infra(root(), &["graph", "prod", "--format", "dot"]));
    let (nodes, edges) = parse_dot(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(nodes.len(), 24);
    assert_eq!(edges.len(), f.edges.len(), "the same graph in both formats");
    assert_eq!(
        nodes["azurerm_role_assignment.acr_pull"],
        "azurerm_role_assignment.acr_pull\nrole: AcrPull"
    );
    snapshot!("graph", "prod_dot", text);
}

#[test]
fn the_stack_and_its_rendered_directory_have_the_same_graph() {
    let stack = stdout(&infra(root(), &["graph", "dev"]));
    let dir = stdout(&infra(root(), &["graph", "terraform/dev"]));
    assert_eq!(stack, dir);
    parse_mermaid(&stack).unwrap();
}

#[test]
fn every_stack_is_one_diagram_with_a_subgraph_each() {
    let text = stdout(&infra(root(), &["graph"]));
    let f = parse_mermaid(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(f.subgraphs, 2);
    let one = |name| parse_mermaid(&stdout(&infra(root(), &["graph", name]))).unwrap();
    let (dev, prod) = (one("dev"), one("prod"));
    assert_eq!(f.nodes.len(), dev.nodes.len() + prod.nodes.len());
    assert_eq!(f.edges.len(), dev.edges.len() + prod.edges.len());

    let text = stdout(&infra(root(), &["graph", "--format", "dot"]));
    let (nodes, edges) = parse_dot(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!((nodes.len(), edges.len()), (f.nodes.len(), f.edges.len()));
    assert!(nodes.contains_key("prod/azurerm_role_assignment.acr_pull"));
}

#[test]
fn a_directory_is_evaluated_instances_and_modules_are_nodes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("main.tf"),
        r#"
variable "apps" {
  default = ["api", "web"]
}
resource "azurerm_user_assigned_identity" "app" {
  for_each = toset(var.apps)
  name     = each.key
}
resource "azurerm_role_assignment" "pull" {
  count                = 2
  principal_id         = azurerm_user_assigned_identity.app["api"].principal_id
  role_definition_name = "AcrPull"
}
module "apps" {
  source = "./apps"
  ids    = [for i in azurerm_user_assigned_identity.app : i.id]
}
resource "terraform_data" "after" {
  input = module.apps.done
}
"#,
    )
    .unwrap();
    std::fs::create_dir(tmp.path().join("apps")).unwrap();
    std::fs::write(
        tmp.path().join("apps/main.tf"),
        "variable \"ids\" {}\nresource \"terraform_data\" \"a\" { input = var.ids }\nresource \"terraform_data\" \"b\" { input = terraform_data.a.id }\noutput \"done\" { value = terraform_data.b.id }\n",
    )
    .unwrap();
    let text = stdout(&infra(tmp.path(), &["graph", "."]));
    let f = parse_mermaid(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let ids = f.ids();
    let api = r#"azurerm_user_assigned_identity.app["api"]"#;
    let web = r#"azurerm_user_assigned_identity.app["web"]"#;
    // A literal key picks its instance; a `for` over the resource takes every instance.
    for pull in ["azurerm_role_assignment.pull[0]", "azurerm_role_assignment.pull[1]"] {
        assert!(f.has_edge(api, pull), "{text}");
        assert!(!f.has_edge(web, pull), "{text}");
    }
    assert!(
        f.has_edge(api, "module.apps") && f.has_edge(web, "module.apps"),
        "{text}"
    );
    assert!(f.has_edge("module.apps", "terraform_data.after"), "{text}");
    // The module's own resources, under its address, with their own references.
    assert!(
        f.has_edge("module.apps.terraform_data.a", "module.apps.terraform_data.b"),
        "{text}"
    );
    assert_eq!(f.nodes[&ids["module.apps"]].0, "subroutine");
}

#[test]
fn an_unknown_target_is_an_error_with_help() {
    let o = infra(root(), &["graph", "nosuch"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`nosuch` is neither a stack (stacks/nosuch.toml) nor a directory"),
        "{err}"
    );
    assert!(err.contains("help: "), "{err}");
}

/// Names no HCL identifier can hold, but a key, a `.tf.json` name or a plan can: each must stay text.
const HOSTILE: &[&str] = &[
    r#"a"]-->b"#,
    "x\ny\r",
    "%%{init: {\"theme\": \"dark\"}}%%",
    "<img src=x onerror=alert(1)>",
    "#quot;#35;",
    "back\\slash\\",
    "`tick` ; } { ]",
    "click n0 call alert()",
    "end",
    "\"quoted\" -> \"edge\"; }",
];

#[test]
fn hostile_names_never_become_syntax() {
    let declared: Vec<Declared> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| Declared {
            address: format!("azurerm_x.y[{}]", serde_json::Value::String(name.to_string())),
            kind: [Kind::Resource, Kind::Data, Kind::Module][i % 3],
            module: String::new(),
            references: if i > 0 {
                vec![format!("azurerm_x.y[{i}]")]
            } else {
                vec![]
            },
            depends_on: vec![],
            role: Some(name.to_string()),
        })
        .chain(std::iter::once(Declared {
            address: "azurerm_x.y".into(),
            kind: Kind::Resource,
            module: String::new(),
            references: vec!["azurerm_x.y[*]".into()],
            depends_on: vec![],
            role: Some(HOSTILE.concat()),
        }))
        .collect();
    let graph = Graph::build(declared, &BTreeMap::new());
    assert!(!graph.edges.is_empty());

    let text = mermaid::render(&graph);
    let f = parse_mermaid(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(f.nodes.len(), graph.nodes.len());
    assert_eq!(f.edges.len(), graph.edges.len());
    for (i, n) in graph.nodes.iter().enumerate() {
        let (_, label) = &f.nodes[&format!("n{i}")];
        assert_eq!(
            decode(label),
            format!("{}\nrole: {}", n.address, n.role.as_deref().unwrap())
        );
    }
    let named = mermaid::render_named(&[(HOSTILE[0].to_string(), graph.clone()), ("end".into(), graph.clone())]);
    parse_mermaid(&named).unwrap_or_else(|e| panic!("{e}\n{named}"));

    let text = dot::render(&graph);
    let (nodes, edges) = parse_dot(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(edges.len(), graph.edges.len());
    for n in &graph.nodes {
        // A carriage return is written as a space (DOT has no escape for it).
        let role = n.role.as_deref().unwrap().replace('\r', " ");
        assert_eq!(nodes[&n.address], format!("{}\nrole: {role}", n.address));
    }
    let named = dot::render_named(&[(HOSTILE[9].to_string(), graph.clone()), (HOSTILE[5].to_string(), graph)]);
    parse_dot(&named).unwrap_or_else(|e| panic!("{e}\n{named}"));
}

#[test]
fn hostile_keys_and_roles_of_a_directory_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    let names: Vec<String> = HOSTILE.iter().map(|h| infra::terraform::expr::quote(h)).collect();
    std::fs::write(
        tmp.path().join("main.tf"),
        format!(
            "resource \"azurerm_user_assigned_identity\" \"id\" {{\n  for_each = toset([{}])\n  name = each.key\n}}\n\
             resource \"azurerm_role_assignment\" \"r\" {{\n  principal_id = values(azurerm_user_assigned_identity.id)\n  \
             role_definition_name = {}\n}}\n",
            names.join(", "),
            names[0]
        ),
    )
    .unwrap();
    let text = stdout(&infra(tmp.path(), &["graph", "."]));
    let f = parse_mermaid(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(f.nodes.len(), HOSTILE.len() + 1);
    assert_eq!(f.edges.len(), HOSTILE.len());
    let ids = f.ids();
    for h in HOSTILE {
        // Keys as Terraform prints them: HCL-quoted (`%{` as `%%{`).
        let address = format!(
            "azurerm_user_assigned_identity.id[{}]",
            infra::terraform::expr::quote(h)
        );
        assert!(ids.contains_key(&address), "{address:?} not read back from\n{text}");
    }
    assert_eq!(
        decode(&f.nodes[&ids["azurerm_role_assignment.r"]].1),
        format!("azurerm_role_assignment.r\nrole: {}", HOSTILE[0])
    );
    let text = stdout(&infra(tmp.path(), &["graph", ".", "--format", "dot"]));
    let (nodes, edges) = parse_dot(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!((nodes.len(), edges.len()), (HOSTILE.len() + 1, HOSTILE.len()));
}

// ---------------------------------------------------------------------------------------------------------------
// The picture in the Markdown diff.

/// `infra diff old new --format markdown` where old is tests/fixtures/diff/base and new is the same with `from`
/// (which must occur) replaced by `to` in main.tf.
fn markdown_diff_of_base_with(from: &str, to: &str) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    let base = root().join("tests/fixtures/diff/base");
    for side in ["old", "new"] {
        std::fs::create_dir(tmp.path().join(side)).unwrap();
        for f in ["main.tf", "variables.tf"] {
            let text = std::fs::read_to_string(base.join(f)).unwrap();
            let text = if side == "new" && f == "main.tf" {
                assert!(text.contains(from), "tests/fixtures/diff/base/main.tf has no {from}");
                text.replace(from, to)
            } else {
                text
            };
            std::fs::write(tmp.path().join(side).join(f), text).unwrap();
        }
    }
    infra(tmp.path(), &["diff", "old", "new", "--format", "markdown"])
}

#[test]
fn markdown_diff_with_a_replacement_draws_the_cascade() {
    let o = markdown_diff_of_base_with(r#""crshopprod""#, r#""crshopprod2""#);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let block = mermaid_block(&text).expect("a Mermaid picture");
    let f = parse_mermaid(block).unwrap_or_else(|e| panic!("{e}\n{block}"));
    let ids = f.ids();
    let registry = &ids["azurerm_container_registry.main"];
    // The replaced registry, and each resource that changes because of it, with the edge between them drawn thick.
    let highlighted: BTreeSet<(String, String)> = f
        .link_styles
        .iter()
        .map(|&i| (f.edges[i].0.clone(), f.edges[i].1.clone()))
        .collect();
    for to in [
        "azurerm_container_app.app",
        "azurerm_container_registry_task.cleanup",
        "azurerm_role_assignment.acr_pull",
    ] {
        assert!(
            highlighted.contains(&(registry.clone(), ids[to].clone())),
            "{to}\n{block}"
        );
    }
    assert!(f.classes["replace"].contains(registry));
    assert!(f.classes["update"].contains(&ids["azurerm_container_app.app"]));
    // Unchanged resources that connect nothing changed are left out.
    assert!(!ids.contains_key("azurerm_resource_group.main"), "{block}");
    assert!(text.contains("<details><summary>Graph of the changes: "));
    snapshot!("graph", "markdown_diff_registry_rename", text);
}

#[test]
fn no_picture_when_nothing_is_replaced() {
    let o = markdown_diff_of_base_with(r#"sku                 = "Basic""#, r#"sku                 = "Premium""#);
    assert_eq!(o.status.code(), Some(2));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("update in-place"), "{text}");
    assert!(
        !text.contains("mermaid") && !text.contains("Graph of the changes"),
        "{text}"
    );
}

/// prod's real plan (tests/fixtures/terraform-json/own) with the registry replaced and the app updated: the
/// picture's edges come from the plan's `configuration` references.
#[test]
fn a_plan_picture_follows_the_configuration_references() {
    let path = root().join("tests/fixtures/terraform-json/own/prod.plan.json");
    let mut plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        let actions = match rc["address"].as_str().unwrap() {
            "azurerm_container_registry.main" => serde_json::json!(["delete", "create"]),
            "azurerm_container_app.app" | "azurerm_role_assignment.acr_pull" => serde_json::json!(["update"]),
            _ => serde_json::json!(["no-op"]),
        };
        rc["change"]["actions"] = actions;
    }
    let plan = infra::plan::Plan::parse("prod.plan.json", plan.to_string().as_bytes()).unwrap();
    let set = diff::from_plan(&plan);
    let text = diff::markdown::render(&set);
    let block = mermaid_block(&text).expect("a Mermaid picture");
    let f = parse_mermaid(block).unwrap_or_else(|e| panic!("{e}\n{block}"));
    let ids = f.ids();
    // The three changes, and the unchanged private endpoint and propagation wait between them.
    assert_eq!(ids.len(), 5, "{block}");
    assert!(
        f.has_edge("azurerm_container_registry.main", "azurerm_private_endpoint.registry"),
        "{block}"
    );
    assert!(
        f.has_edge("time_sleep.acr_pull_propagation", "azurerm_container_app.app"),
        "{block}"
    );
    assert!(!f
        .classes
        .values()
        .flatten()
        .any(|id| id == &ids["time_sleep.acr_pull_propagation"]));
    // Thick: from the replaced registry to the two resources that change, not to the unchanged endpoint.
    let highlighted: BTreeSet<(&str, &str)> = f
        .link_styles
        .iter()
        .map(|&i| (f.edges[i].0.as_str(), f.edges[i].1.as_str()))
        .collect();
    let registry = ids["azurerm_container_registry.main"].as_str();
    assert_eq!(
        highlighted,
        [
            (registry, ids["azurerm_container_app.app"].as_str()),
            (registry, ids["azurerm_role_assignment.acr_pull"].as_str())
        ]
        .into(),
        "{block}"
    );
    assert!(decode(&f.nodes[&ids["azurerm_role_assignment.acr_pull"]].1).ends_with("role: AcrPull"));
}

#[test]
fn every_plan_fixture_picture_is_well_formed() {
    let dir = root().join("tests/fixtures/terraform-json/plans");
    let mut pictures = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let plan = infra::plan::Plan::read(&path).unwrap();
        let set = diff::from_plan(&plan);
        let text = diff::markdown::render(&set);
        let replaced = set.changes.iter().any(|c| c.action.name() == "replace");
        match mermaid_block(&text) {
            Some(block) => {
                assert!(replaced, "{}", path.display());
                let f = parse_mermaid(block).unwrap_or_else(|e| panic!("{}: {e}\n{block}", path.display()));
                // Every change is drawn.
                assert!(f.nodes.len() >= set.changes.len(), "{}", path.display());
                pictures += 1;
            }
            // Replaced, but no change refers to another (plans without `configuration` references): no picture.
            None => assert!(
                !replaced || set.graph.is_none(),
                "{}: replaced, no picture",
                path.display()
            ),
        }
    }
    assert!(pictures >= 1, "{pictures}");
}

/// docs/graph.md shows what the binary prints: `infra graph prod`, and the picture of the registry rename.
#[test]
fn docs_show_what_infra_prints() {
    let doc = std::fs::read_to_string(root().join("docs/graph.md")).unwrap();
    let prod = stdout(&infra(root(), &["graph", "prod"]));
    assert!(
        doc.contains(&format!("```mermaid\n{prod}```")),
        "docs/graph.md: update the `infra graph prod` example"
    );

    let text = std::fs::read_to_string(root().join("stacks/prod.toml")).unwrap();
    let render = |t: &str| {
        let stack = infra::stack::Stack::from_toml("stacks/prod.toml", t).unwrap();
        infra::render::render(&stack, infra::terraform::Format::Hcl)
    };
    let edited = text.replace(r#"name = "acrfastapiprod""#, r#"name = "acrfastapiprod2""#);
    assert_ne!(edited, text);
    let markdown = diff::markdown::render(&diff::from_configs(&render(&text), &render(&edited)));
    let start = markdown.find("<details><summary>Graph").unwrap();
    let end = start + markdown[start..].find("</details>").unwrap() + "</details>".len();
    assert!(
        doc.contains(&markdown[start..end]),
        "docs/graph.md: update the registry rename picture"
    );
}

mod any_name {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};

    fn config() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(64);
        ProptestConfig {
            cases,
            failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
            ..ProptestConfig::default()
        }
    }

    /// What the DOT writer shows as a space (`style::is_unsafe`, docs/security.md guarantee 7): controls, the line
    /// and paragraph separators and the bidi controls. `make fuzz` found U+2028 when the test counted controls only.
    fn hidden(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    }

    /// Any text, with the characters the two syntaxes care about more often than chance gives them.
    fn name() -> impl Strategy<Value = String> {
        let syntax = prop::sample::select(vec![
            "\"", "]", "[", "-->", "-.->", "%%", "\n", "\r", "#", "#quot;", ";", "{", "}", "<br/>", "\\", "`", "&",
            "end", "subgraph", "->", "//", "\u{0}", "é", "👀", "\u{2028}", "\u{202e}", "\u{85}",
        ]);
        prop::collection::vec(prop_oneof![any::<String>(), syntax.prop_map(str::to_string)], 0..6)
            .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn every_name_stays_text(names in prop::collection::vec((name(), name()), 1..6)) {
            let declared: Vec<Declared> = names
                .iter()
                .enumerate()
                .map(|(i, (key, role))| Declared {
                    address: format!("a.b[{}]", serde_json::Value::String(format!("{i}{key}"))),
                    kind: [Kind::Resource, Kind::Data, Kind::Module][i % 3],
                    module: String::new(),
                    references: vec!["a.b".into()],
                    depends_on: vec![],
                    role: Some(role.clone()),
                })
                .collect();
            let graph = Graph::build(declared, &BTreeMap::new());
            let text = mermaid::render(&graph);
            let f = parse_mermaid(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            for (i, n) in graph.nodes.iter().enumerate() {
                let expected = format!("{}\nrole: {}", n.address, n.role.as_deref().unwrap());
                prop_assert_eq!(decode(&f.nodes[&format!("n{i}")].1), expected);
            }
            let text = dot::render(&graph);
            let (nodes, edges) = parse_dot(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(edges.len(), graph.edges.len());
            // DOT shows what cannot be printed (controls, line separators, bidi controls) as a space.
            for n in &graph.nodes {
                let shown = |t: &str| -> String { t.chars().map(|c| if hidden(c) && c != '\n' { ' ' } else { c }).collect() };
                let (address, role) = (shown(&n.address), shown(n.role.as_deref().unwrap()));
                let label = nodes.get(&address).ok_or_else(|| TestCaseError::fail(format!("no node {address:?}")))?;
                prop_assert_eq!(label, &format!("{address}\nrole: {role}"));
            }
        }
    }
}

/// The Graphviz check is not vacuous: a label whose quote is not escaped, as a naive writer would leave it, is
/// rejected.
#[test]
fn graphviz_rejects_an_unescaped_quote() {
    graphviz_accepts("digraph { \"a\" -> \"b\"; }").unwrap();
    let broken = "digraph { \"a\" [label=\"say \"hi\"\"]; }";
    assert!(graphviz_accepts(broken).is_err(), "graphviz accepted {broken}");
}
