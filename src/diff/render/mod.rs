//! The views of a change set: `text/` is Terraform's plan text, one renderer per kind of node; `markdown.rs` a
//! pull-request comment (a plan's details are Terraform's text); `json/` the stable JSON schema (a plan's tree
//! read from its structured change). (infra's own compact text for offline and drift change sets is
//! `crate::diff::text`.)

pub mod json;
pub mod markdown;
pub(crate) mod text;
