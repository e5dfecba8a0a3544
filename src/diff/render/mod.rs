//! The views of a change set: `text` is Terraform's plan text, one renderer per kind of node.

pub(crate) mod text;
