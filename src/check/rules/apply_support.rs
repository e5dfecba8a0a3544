//! What the apply-time rules (`APPLYnnn`) share: following a reference to the resource it names (within the
//! referring resource's module first), and whether Terraform orders two resources.

use crate::check::Context;
use crate::graph::Graph;
use crate::terraform::{expr, Expression, Resource};
use std::collections::{BTreeSet, HashMap};

/// The address of the instance of `resource_type` (managed, or a data source) that `e`, written in `from`, refers
/// to: the first [`Context::targets`] of that type (the one way references are followed).
pub(crate) fn referenced_address(
    ctx: &Context,
    from: &Resource,
    e: &Expression,
    resource_type: &str,
) -> Option<String> {
    ctx.targets(from, e)
        .into_iter()
        .find(|t| t.resource_type == resource_type)
        .map(|t| t.address)
}

/// The managed resource instance of `resource_type` that `e`, written in `from`, refers to.
pub(crate) fn referenced<'c, 'a>(
    ctx: &'c Context<'a>,
    from: &Resource,
    e: &Expression,
    resource_type: &str,
) -> Option<&'c Resource<'a>> {
    ctx.targets(from, e)
        .into_iter()
        .filter(|t| t.declared && t.resource_type == resource_type)
        .find_map(|t| {
            ctx.at_address(&t.address)
                .find(|r| r.mode == crate::terraform::Mode::Managed && r.resource_type == resource_type)
        })
}

/// The managed resources of `resource_type` whose argument `argument` refers to `target`.
pub(crate) fn referring<'c, 'a>(
    ctx: &'c Context<'a>,
    resource_type: &'c str,
    argument: &'c str,
    target: &'c Resource<'a>,
) -> impl Iterator<Item = &'c Resource<'a>> + 'c {
    let want = target.address().to_string();
    ctx.resources_of(resource_type).filter(move |r| {
        r.get(argument)
            .and_then(|e| referenced(ctx, r, e, target.resource_type))
            .is_some_and(|t| t.address().to_string() == want)
    })
}

/// The dependency graph of the checked configuration, with each node's successors, to ask whether Terraform
/// orders two resources.
pub(crate) struct Order {
    graph: Graph,
    next: HashMap<usize, Vec<usize>>,
}

impl Order {
    pub(crate) fn of(ctx: &Context) -> Order {
        let graph = Graph::of_config(ctx.config);
        let mut next: HashMap<usize, Vec<usize>> = HashMap::new();
        for e in &graph.edges {
            next.entry(e.from).or_default().push(e.to);
        }
        Order { graph, next }
    }

    /// True when a chain of references or `depends_on` leads from one of the two to the other (Terraform then
    /// creates one after the other); also true when either is not in the graph (not judged).
    pub(crate) fn ordered(&self, a: &str, b: &str) -> bool {
        let (Some(a), Some(b)) = (self.graph.node(a), self.graph.node(b)) else {
            return true;
        };
        self.reaches(a, b) || self.reaches(b, a)
    }

    fn reaches(&self, from: usize, to: usize) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(n) = todo.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n) {
                todo.extend(self.next.get(&n).into_iter().flatten().copied());
            }
        }
        false
    }
}

/// The literal strings of a list argument (`["a", "b"]`); `None` when the list or an element is not a literal.
pub(crate) fn literal_strings(e: &Expression) -> Option<Vec<&str>> {
    match e {
        Expression::Array(items) => items.iter().map(expr::as_str).collect(),
        _ => None,
    }
}

/// A resource's region as a literal: its `location`, or the `location` of the resource group a reference names
/// (`azurerm_resource_group.main.location`).
pub(crate) fn location<'a>(ctx: &Context<'a>, res: &Resource<'a>) -> Option<&'a str> {
    let e = res.get("location")?;
    expr::as_str(e).or_else(|| {
        referenced(ctx, res, e, "azurerm_resource_group")
            .and_then(|rg| rg.get("location"))
            .and_then(expr::as_str)
    })
}
