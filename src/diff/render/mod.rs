//! The views of a change set, each a pure function of the model reading every change's structured change:
//! `text/` is Terraform's plan text, one renderer per kind of node (and the frames around them); `markdown.rs` a
//! pull-request comment (each resource's details are the text view's); `json/` the stable JSON schema (its tree
//! read from the structured change).

pub mod json;
pub mod markdown;
pub mod text;
