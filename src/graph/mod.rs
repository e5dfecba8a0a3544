//! The dependency graph of a Terraform configuration: which resource refers to which.
//!
//! Nodes are resources, data sources and module calls, by Terraform address (one node per instance when the
//! evaluator expanded `count` / `for_each`); an edge `A → B` means B refers to A — in an argument's expression,
//! through a root module `local`, or in `depends_on` — so Terraform creates A first (and a replacement of A can
//! drag B along). [`Graph::of_config`] and [`Graph::of_evaluated`] read the document (so hand-written Terraform
//! has a graph too); `crate::plan::references` reads the same facts from a plan's `configuration`. The views are
//! [`mermaid`] and [`dot`]; both escape every address, so a user's text never becomes graph syntax.
//!
//! Not followed: references inside a called module to its own input variables, and module outputs back to the
//! module's resources (a module call is one node: its inputs point at it, what uses its outputs points from it).

pub mod dot;
pub mod mermaid;

use crate::terraform::eval::Evaluated;
use crate::terraform::expr::{self, reference_target};
use crate::terraform::{segments, Body, Config, Mode};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A managed resource (`resource` block), or one instance of it.
    Resource,
    /// A data source (`data` block).
    Data,
    /// A module call (`module` block): its arguments and its outputs.
    Module,
}

/// One resource instance, data source or module call.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The Terraform address: `azurerm_role_assignment.acr_pull`, `module.web.azurerm_x.y["a"]`, `module.web`.
    pub address: String,
    /// What it is.
    pub kind: Kind,
    /// The role a role assignment grants (`AcrPull`), from a literal `role_definition_name`.
    pub role: Option<String>,
}

/// `to` refers to `from` (indexes into [`Graph::nodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// The referring node (index into [`Graph::nodes`]).
    pub from: usize,
    /// The node it refers to.
    pub to: usize,
    /// Only through `depends_on`: an ordering, no value flows.
    pub depends_on: bool,
}

/// A dependency graph: nodes in the order their blocks are written, edges sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// The nodes, in declaration order.
    pub nodes: Vec<Node>,
    /// Who refers to whom.
    pub edges: Vec<Edge>,
}

/// A node as a reader found it, before its references are resolved: the input of [`Graph::build`].
#[derive(Debug, Clone, PartialEq)]
pub struct Declared {
    /// Its address.
    pub address: String,
    /// What it is.
    pub kind: Kind,
    /// The module instance the block is in (`module.web`, `module.web["a"]`), "" for the root module: its
    /// references are relative to it.
    pub module: String,
    /// Every reference in its arguments and nested blocks, as written (`azurerm_x.y.id`, `local.z`,
    /// `data.a.b[0].c`).
    pub references: Vec<String>,
    /// The references of `depends_on`.
    pub depends_on: Vec<String>,
    /// A role assignment's role, shown on its node.
    pub role: Option<String>,
}

impl Graph {
    /// The graph of a configuration as written (`count` / `for_each` not expanded: one node per block).
    pub fn of_config(config: &Config) -> Graph {
        Graph::of_configs(&[(config, config.files.len())])
    }

    /// The graph of an evaluated configuration ([`crate::terraform::eval::evaluate`]): one node per instance,
    /// the resources of called modules under their module address.
    pub fn of_evaluated(evaluated: &Evaluated) -> Graph {
        Graph::of_configs(&[(&evaluated.config, evaluated.root_files)])
    }

    /// The graph of several configurations together, each with how many of its files are the root module's: an
    /// address already declared by an earlier one is not taken again (the diff passes the new configuration,
    /// then the old one for what it deletes).
    pub fn of_configs(configs: &[(&Config, usize)]) -> Graph {
        let mut declared: Vec<Declared> = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut locals: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (config, root_files) in configs {
            for r in config.resources() {
                let address = r.address().to_string();
                if !seen.insert(address.clone()) {
                    continue;
                }
                let (references, depends_on) = body_references(r.body());
                declared.push(Declared {
                    address,
                    kind: match r.mode {
                        Mode::Managed => Kind::Resource,
                        Mode::Data => Kind::Data,
                    },
                    module: r.module.unwrap_or_default().to_string(),
                    references,
                    depends_on,
                    role: r.get("role_definition_name").and_then(expr::as_str).map(str::to_string),
                });
            }
            for file in config.files.iter().take(*root_files) {
                for block in file.body.blocks() {
                    match (block.kind.as_str(), block.labels.as_slice()) {
                        ("module", [name]) => {
                            let address = format!("module.{name}");
                            if !seen.insert(address.clone()) {
                                continue;
                            }
                            let (references, depends_on) = body_references(&block.body);
                            declared.push(Declared {
                                address,
                                kind: Kind::Module,
                                module: String::new(),
                                references,
                                depends_on,
                                role: None,
                            });
                        }
                        ("locals", _) => {
                            for a in block.body.attributes() {
                                locals
                                    .entry(a.name.clone())
                                    .or_insert_with(|| expr::references(&a.value));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Graph::build(declared, &locals)
    }

    /// The part of the graph of planned instances (`(address, kind, module instance)`, as a plan's
    /// `resource_changes` lists them) that can connect the instances `changed`: each instance takes the
    /// references of its block in `declared` ([`crate::plan::references::declared`]), module calls are nodes too.
    /// Only instances of blocks on a path between two changed blocks are built (and the changed instances), so a
    /// large plan's graph is not held when a few of its resources change; none when no changed blocks are
    /// connected (the graph is empty then).
    pub(crate) fn of_instances<'a>(
        declared: Vec<Declared>,
        instances: impl IntoIterator<Item = (&'a str, Kind, &'a str)>,
        changed: &BTreeSet<&str>,
    ) -> Graph {
        let block_of: HashMap<&str, usize> = declared
            .iter()
            .enumerate()
            .map(|(i, d)| (d.address.as_str(), i))
            .collect();
        let marked: BTreeSet<usize> = changed
            .iter()
            .filter_map(|a| block_of.get(strip_keys(a).as_ref()).copied())
            .collect();
        let block_edges = edges_of(&declared, &BTreeMap::new());
        let kept = connecting(declared.len(), &block_edges, &marked);
        // No two changed blocks are connected: no instance of theirs is either (nothing to build).
        if !block_edges
            .iter()
            .any(|e| kept.contains(&e.from) && kept.contains(&e.to))
        {
            return Graph::default();
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut nodes = Vec::new();
        for (address, kind, module) in instances {
            let block = block_of.get(strip_keys(address).as_ref()).copied();
            if !(block.is_some_and(|b| kept.contains(&b)) || changed.contains(address)) {
                continue;
            }
            if !seen.insert(address.to_string()) {
                continue;
            }
            let block = block.map(|b| &declared[b]);
            nodes.push(Declared {
                references: block.map(|b| b.references.clone()).unwrap_or_default(),
                depends_on: block.map(|b| b.depends_on.clone()).unwrap_or_default(),
                role: block.and_then(|b| b.role.clone()),
                address: address.to_string(),
                kind,
                module: module.to_string(),
            });
        }
        for (i, d) in declared.iter().enumerate() {
            if d.kind == Kind::Module && kept.contains(&i) && seen.insert(d.address.clone()) {
                nodes.push(d.clone());
            }
        }
        Graph::build(nodes, &BTreeMap::new())
    }

    /// Resolves each node's references to the nodes they name (relative to its module; `local.x` of the root
    /// module through the local's own references; a reference with a literal instance key to that instance, any
    /// other to every instance) and draws an edge from each to the node.
    pub fn build(declared: Vec<Declared>, locals: &BTreeMap<String, Vec<String>>) -> Graph {
        let edges = edges_of(&declared, locals);
        Graph {
            nodes: declared
                .into_iter()
                .map(|d| Node {
                    address: d.address,
                    kind: d.kind,
                    role: d.role,
                })
                .collect(),
            edges,
        }
    }

    /// The index of the node at `address`.
    pub fn node(&self, address: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.address == address)
    }

    /// The nodes for which `keep` holds, and the edges between them.
    pub(crate) fn retain(&self, keep: impl Fn(usize) -> bool) -> Graph {
        let mut index = vec![None; self.nodes.len()];
        let mut nodes = Vec::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if keep(i) {
                index[i] = Some(nodes.len());
                nodes.push(n.clone());
            }
        }
        let edges = self
            .edges
            .iter()
            .filter_map(|e| {
                Some(Edge {
                    from: index[e.from]?,
                    to: index[e.to]?,
                    depends_on: e.depends_on,
                })
            })
            .collect();
        Graph { nodes, edges }
    }

    /// The nodes `marked` and every node on a path from one marked node to another (what connects them).
    pub(crate) fn connecting(&self, marked: &BTreeSet<usize>) -> BTreeSet<usize> {
        connecting(self.nodes.len(), &self.edges, marked)
    }
}

/// The edges between `declared` nodes: each reference resolved to the nodes it names (relative to the node's
/// module; `local.x` of the root module through the local's own references; a literal instance key to that
/// instance, any other to every instance), an edge from each to the node.
fn edges_of(declared: &[Declared], locals: &BTreeMap<String, Vec<String>>) -> Vec<Edge> {
    let mut by_base: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_config: HashMap<String, Vec<usize>> = HashMap::new();
    let mut keys: Vec<Option<&str>> = Vec::with_capacity(declared.len());
    for (i, d) in declared.iter().enumerate() {
        let (base, key) = split_key(&d.address, d.kind);
        by_config.entry(strip_keys(base).into_owned()).or_default().push(i);
        by_base.entry(base).or_default().push(i);
        keys.push(key);
    }
    let resolve = |reference: &str, module: &str| -> Vec<usize> {
        let Some((base, key)) = reference_target(reference) else {
            return Vec::new();
        };
        let full = if module.is_empty() {
            base
        } else {
            format!("{module}.{base}")
        };
        let found = by_base
            .get(full.as_str())
            .or_else(|| by_config.get(strip_keys(&full).as_ref()))
            .cloned()
            .unwrap_or_default();
        match key {
            Some(k) if found.iter().any(|&i| keys[i] == Some(k.as_str())) => {
                found.into_iter().filter(|&i| keys[i] == Some(k.as_str())).collect()
            }
            _ => found,
        }
    };
    let mut edges: BTreeMap<(usize, usize), bool> = BTreeMap::new();
    for (to, d) in declared.iter().enumerate() {
        let mut add = |references: &[String], depends_on: bool| {
            for r in expand_locals(references, &d.module, locals) {
                for from in resolve(&r, &d.module) {
                    if from != to {
                        let e = edges.entry((from, to)).or_insert(depends_on);
                        *e = *e && depends_on;
                    }
                }
            }
        };
        add(&d.references, false);
        add(&d.depends_on, true);
    }
    edges
        .into_iter()
        .map(|((from, to), depends_on)| Edge { from, to, depends_on })
        .collect()
}

/// Of `n` nodes joined by `edges`: those `marked`, and every node on a path from one marked node to another.
fn connecting(n: usize, edges: &[Edge], marked: &BTreeSet<usize>) -> BTreeSet<usize> {
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut previous: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        next[e.from].push(e.to);
        previous[e.to].push(e.from);
    }
    let reach = |adjacent: &[Vec<usize>]| {
        let mut seen: BTreeSet<usize> = marked.clone();
        let mut todo: Vec<usize> = marked.iter().copied().collect();
        while let Some(n) = todo.pop() {
            for &b in &adjacent[n] {
                if seen.insert(b) {
                    todo.push(b);
                }
            }
        }
        seen
    };
    let (down, up) = (reach(&next), reach(&previous));
    down.intersection(&up).copied().collect()
}

/// The references of a block's arguments and nested blocks, and those of its `depends_on`.
fn body_references(body: &Body) -> (Vec<String>, Vec<String>) {
    let mut references = Vec::new();
    let mut depends_on = Vec::new();
    for a in body.attributes() {
        match a.name.as_str() {
            "depends_on" => depends_on.extend(expr::references(&a.value)),
            // Where a module comes from, and provider configurations: not objects of the graph.
            "source" | "version" | "provider" | "providers" => {}
            _ => references.extend(expr::references(&a.value)),
        }
    }
    fn nested(body: &Body, out: &mut Vec<String>) {
        for a in body.attributes() {
            out.extend(expr::references(&a.value));
        }
        for b in body.blocks() {
            nested(&b.body, out);
        }
    }
    for b in body.blocks() {
        nested(&b.body, &mut references);
    }
    references.sort();
    references.dedup();
    (references, depends_on)
}

/// `references` with each `local.x` of the root module replaced by the local's own references, recursively.
fn expand_locals(references: &[String], module: &str, locals: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = references.to_vec();
    while let Some(r) = todo.pop() {
        match r.strip_prefix("local.").filter(|_| module.is_empty()) {
            Some(rest) => {
                let name = rest.split(['.', '[']).next().unwrap_or(rest);
                if seen.insert(name.to_string()) {
                    todo.extend(locals.get(name).into_iter().flatten().cloned());
                }
            }
            None => out.push(r),
        }
    }
    out
}

/// An address without the resource's instance key, and the key (`module.m[0].a.b["k"]` →
/// (`module.m[0].a.b`, `["k"]`)). A module call's address has no key of its own here.
fn split_key(address: &str, kind: Kind) -> (&str, Option<&str>) {
    if kind == Kind::Module {
        return (address, None);
    }
    match segments(address).and_then(|s| s.last().map(|l| l.1.len())) {
        Some(n) if n > 0 => {
            let cut = address.len() - n;
            (&address[..cut], Some(&address[cut..]))
        }
        _ => (address, None),
    }
}

/// The address with every instance key removed: the block an instance was declared by (borrowed when it has no
/// key).
pub(crate) fn strip_keys(address: &str) -> std::borrow::Cow<'_, str> {
    if !address.contains('[') {
        return std::borrow::Cow::Borrowed(address);
    }
    match segments(address) {
        Some(s) => std::borrow::Cow::Owned(s.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(".")),
        None => std::borrow::Cow::Borrowed(address),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resource block at `address` whose expressions hold `references`.
    fn declared(address: &str, references: &[&str]) -> Declared {
        Declared {
            address: address.into(),
            kind: Kind::Resource,
            module: String::new(),
            references: references.iter().map(|r| r.to_string()).collect(),
            depends_on: vec![],
            role: None,
        }
    }

    fn graph(text: &str) -> Graph {
        let file = Config::parse_file_with(
            "main.tf",
            "main.tf".into(),
            crate::terraform::Format::Hcl,
            text,
            crate::azurerm::builtin_schemas(),
        )
        .unwrap();
        Graph::of_config(&Config { files: vec![file] })
    }

    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    g.nodes[e.from].address,
                    if e.depends_on { "..>" } else { "-->" },
                    g.nodes[e.to].address
                )
            })
            .collect()
    }

    #[test]
    fn references_locals_and_depends_on_are_edges() {
        let g = graph(
            r#"
            locals { id = azurerm_user_assigned_identity.app.principal_id }
            resource "azurerm_user_assigned_identity" "app" { name = "id" }
            resource "azurerm_role_assignment" "pull" {
              principal_id         = local.id
              role_definition_name = "AcrPull"
              scope                = data.azurerm_container_registry.r.id
            }
            data "azurerm_container_registry" "r" { name = var.registry }
            resource "azurerm_container_app" "app" {
              depends_on = [azurerm_role_assignment.pull]
              identity { identity_ids = [azurerm_user_assigned_identity.app.id] }
            }
            module "web" {
              source = "./web"
              name   = azurerm_container_app.app.name
            }
            "#,
        );
        assert_eq!(g.nodes[1].role.as_deref(), Some("AcrPull"));
        assert_eq!(g.nodes[4].kind, Kind::Module);
        assert_eq!(
            edges(&g),
            [
                "azurerm_user_assigned_identity.app --> azurerm_role_assignment.pull",
                "azurerm_user_assigned_identity.app --> azurerm_container_app.app",
                "azurerm_role_assignment.pull ..> azurerm_container_app.app",
                "data.azurerm_container_registry.r --> azurerm_role_assignment.pull",
                "azurerm_container_app.app --> module.web",
            ]
        );
    }

    #[test]
    fn instance_keys_pick_the_instance_when_literal() {
        let g = Graph::build(
            vec![
                declared(r#"a.x["k.1"]"#, &[]),
                declared(r#"a.x["k2"]"#, &[]),
                declared("b.one", &[r#"a.x["k.1"].id"#]),
                declared("b.all", &["a.x[*].id"]),
            ],
            &BTreeMap::new(),
        );
        assert_eq!(
            edges(&g),
            [
                r#"a.x["k.1"] --> b.one"#,
                r#"a.x["k.1"] --> b.all"#,
                r#"a.x["k2"] --> b.all"#
            ]
        );
    }

    #[test]
    fn connecting_nodes_lie_between_marked_ones() {
        let g = graph(
            r#"
            resource "a" "x" {}
            resource "b" "x" { v = a.x.id }
            resource "c" "x" { v = b.x.id }
            resource "d" "x" { v = c.x.id }
            resource "e" "x" { v = a.x.id }
            "#,
        );
        let marked: BTreeSet<usize> = [0, 2].into();
        assert_eq!(g.connecting(&marked), [0, 1, 2].into());
    }

    #[test]
    fn instances_are_built_only_where_they_can_connect_changes() {
        let declared = vec![
            declared("a.x", &[]),
            declared("b.x", &["a.x.id"]),
            declared("c.x", &["b.x[0].id"]),
            declared("d.x", &["a.x"]),
        ];
        let instances =
            ["a.x", "b.x[0]", "b.x[1]", "c.x", "d.x[0]", "d.x[1]", "gone.x"].map(|a| (a, Kind::Resource, ""));
        let g = Graph::of_instances(declared.clone(), instances, &["a.x", "c.x", "gone.x"].into());
        let addresses: Vec<&str> = g.nodes.iter().map(|n| n.address.as_str()).collect();
        assert_eq!(addresses, ["a.x", "b.x[0]", "b.x[1]", "c.x", "gone.x"]);
        assert_eq!(edges(&g), ["a.x --> b.x[0]", "a.x --> b.x[1]", "b.x[0] --> c.x"]);
        // Changes that nothing connects: nothing is built.
        let g = Graph::of_instances(declared, instances, &["c.x", "d.x[0]"].into());
        assert_eq!(g, Graph::default());
    }

    #[test]
    fn keys_are_split_respecting_quotes() {
        assert_eq!(strip_keys(r#"module.m["a.b"].x.y[0]"#), "module.m.x.y");
        assert_eq!(split_key(r#"x.y["a]b"]"#, Kind::Resource), ("x.y", Some(r#"["a]b"]"#)));
        assert_eq!(reference_target("count.index"), None);
        assert_eq!(reference_target("module.m[1].out"), Some(("module.m".into(), None)));
    }
}
