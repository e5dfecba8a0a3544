//! The nodes of the JSON view's change tree, as documented in docs/diff.md ("A node of the change tree"): an
//! attribute with its values, or a nested block with its own changes. Values are the model's [`Value`]
//! (`{"value"|"expression"|"unknown"|"sensitive"}`).

use crate::diff::model::{Change, Value};
use crate::diff::structured::Act;
use serde::Serialize;

/// A resource's or nested block's changes: the nodes shown and the counts of those hidden.
#[derive(Debug, Default, Serialize)]
pub(super) struct Body {
    pub(super) attributes: Vec<Node>,
    pub(super) unchanged_attributes: usize,
    pub(super) unchanged_blocks: usize,
}

/// One attribute or nested block.
#[derive(Debug, Serialize)]
pub(super) struct Node {
    pub(super) name: String,
    pub(super) change: Change,
    pub(super) forces_replacement: bool,
    #[serde(flatten)]
    pub(super) kind: Kind,
}

/// An attribute's values, or a nested block's key and changes.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Kind {
    Attribute {
        before: Option<Value>,
        after: Option<Value>,
    },
    Block {
        key: Option<String>,
        #[serde(flatten)]
        body: Body,
    },
}

impl Node {
    /// An attribute node.
    pub(super) fn attribute(
        name: &str,
        change: Change,
        forces: bool,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Node {
        Node {
            name: name.to_string(),
            change,
            forces_replacement: forces && change != Change::Unchanged,
            kind: Kind::Attribute { before, after },
        }
    }
}

/// The JSON view's word for a structured node's action.
pub(super) fn change(action: Act) -> Change {
    match action {
        Act::NoOp => Change::Unchanged,
        Act::Create => Change::Create,
        Act::Update => Change::Update,
        Act::Delete => Change::Delete,
    }
}
