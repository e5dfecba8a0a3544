//! FALLBACK, TO BE DELETED AT THE ISSUE 23 MERGE: the JSON view of a change that has no structured change yet
//! (offline diffs and `infra drift`, whose changes are still the older attribute tree of `diff::tree`). Once
//! every change gives its structured change (`diff::from_plan::structured_change`), this file and its one caller go.

use super::node::{Body, Kind, Node};
use crate::diff::model::{AttributeChange, ResourceChange};

/// The change tree of `c`, from its attribute tree ([`crate::diff::details`]).
pub(super) fn body(c: &ResourceChange) -> Body {
    let c = crate::diff::details(c);
    Body {
        attributes: c.attributes.iter().map(node).collect(),
        unchanged_attributes: c.unchanged_attributes,
        unchanged_blocks: c.unchanged_blocks,
    }
}

fn node(a: &AttributeChange) -> Node {
    let kind = match &a.node {
        crate::diff::model::Node::Attribute { before, after } => Kind::Attribute {
            before: before.clone(),
            after: after.clone(),
        },
        crate::diff::model::Node::Block {
            key,
            attributes,
            unchanged_attributes,
            unchanged_blocks,
        } => Kind::Block {
            key: key.clone(),
            body: Body {
                attributes: attributes.iter().map(node).collect(),
                unchanged_attributes: *unchanged_attributes,
                unchanged_blocks: *unchanged_blocks,
            },
        },
    };
    Node {
        name: a.name.clone(),
        change: a.change,
        forces_replacement: a.forces_replacement,
        kind,
    }
}
