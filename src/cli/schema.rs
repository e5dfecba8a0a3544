//! `infra schema`: print the JSON Schema of the stack file format (the file committed as
//! `schema/stack.schema.json`, which stack files name in their first line for editors).

use super::{Error, Outcome};

/// `infra schema` takes no arguments.
#[derive(Debug, clap::Args)]
pub(crate) struct SchemaArgs {}

/// The schema as printed and committed: pretty JSON, one trailing newline.
pub(crate) fn text() -> String {
    let mut text = serde_json::to_string_pretty(&crate::stack::json_schema()).expect("a schema always serialises");
    text.push('\n');
    text
}

pub(crate) fn run(_: SchemaArgs) -> Result<Outcome, Error> {
    out!("{}", text());
    Ok(Outcome::Clean)
}
