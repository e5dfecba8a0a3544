//! Reads `.tf` text into a [`Body`], keeping each attribute's and block's location.

use crate::terraform::{Attribute, Block, Body, Expression, Location, ReadError, Structure};
use hcl_edit::Span;
use std::sync::Arc;

/// Parses the native-syntax text of the file at `path` (used in locations).
pub(crate) fn read(path: &str, text: &str) -> Result<Body, ReadError> {
    let file: Arc<str> = path.into();
    let parsed = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        ReadError::at(
            Location::new(file.clone(), loc.line(), loc.column()),
            first_line(e.message()),
        )
    })?;
    Ok(convert_body(&parsed, &file, text))
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

fn convert_body(body: &hcl_edit::structure::Body, file: &Arc<str>, text: &str) -> Body {
    let index = crate::terraform::location::LineIndex::new(text);
    convert_body_indexed(body, file, &index)
}

fn convert_body_indexed(
    body: &hcl_edit::structure::Body,
    file: &Arc<str>,
    index: &crate::terraform::location::LineIndex,
) -> Body {
    let location = |span: Option<std::ops::Range<usize>>| span.map(|s| index.location(file, s.start));
    let structures = body
        .iter()
        .map(|s| match s {
            hcl_edit::structure::Structure::Attribute(a) => Structure::Attribute(Attribute {
                name: a.key.as_str().to_string(),
                value: Expression::from(a.value.clone()),
                location: location(a.span()),
            }),
            hcl_edit::structure::Structure::Block(b) => Structure::Block(Block {
                kind: b.ident.as_str().to_string(),
                labels: b
                    .labels
                    .iter()
                    .map(|l| match l {
                        hcl_edit::structure::BlockLabel::String(s) => s.as_str().to_string(),
                        hcl_edit::structure::BlockLabel::Ident(i) => i.as_str().to_string(),
                    })
                    .collect(),
                body: convert_body_indexed(&b.body, file, index),
                location: location(b.span()),
            }),
        })
        .collect();
    Body { structures }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_and_reports_parse_errors_with_line_and_column() {
        let body = read(
            "main.tf",
            "resource \"a\" \"b\" {\n  name = \"x\"\n  nested {\n    k = 1\n  }\n}\n",
        )
        .unwrap();
        let block = body.blocks().next().unwrap();
        assert_eq!(block.location.as_ref().unwrap().to_string(), "main.tf:1:1");
        assert_eq!(
            block
                .body
                .attribute("name")
                .unwrap()
                .location
                .as_ref()
                .unwrap()
                .to_string(),
            "main.tf:2:3"
        );
        let nested = block.body.block("nested").unwrap();
        assert_eq!(nested.body.attribute("k").unwrap().location.as_ref().unwrap().line, 4);

        let err = read("bad.tf", "resource \"a\" \"b\" {\n  name = \n}\n").unwrap_err();
        let loc = err.location.clone().unwrap();
        assert_eq!((loc.file.as_ref(), loc.line, loc.column), ("bad.tf", 2, 10), "{err}");
    }
}
