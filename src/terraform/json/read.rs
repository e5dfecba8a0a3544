//! Reads `.tf.json` text into a [`Body`], with locations.
//!
//! Which keys are nested blocks is decided by [`super::values::nested_block`] (the provider schemas the reader is
//! given, and Terraform's own meta-blocks, for `.tf.json` syntax).

use super::tree::{self, Entries, Json, Node};
use super::values::{nested_block, Shape, Syntax};
use super::write::is_expression_mode;
use crate::terraform::schema::{BlockSchema, Schemas};
use crate::terraform::{expr, Attribute, Block, Body, Expression, Location, ReadError, Structure};
use std::sync::Arc;

/// Parses the JSON-syntax text of the file at `path` (used in locations); `schemas` tell the nested blocks of
/// `resource` and `data` blocks from object-valued arguments (a type none of them knows has only arguments and
/// Terraform's meta-blocks).
pub(crate) fn read(path: &str, text: &str, schemas: &Schemas) -> Result<Body, ReadError> {
    let file: Arc<str> = path.into();
    let index = crate::terraform::location::LineIndex::new(text);
    let at = |offset: usize| index.location(&file, offset);
    let root = tree::parse(text).map_err(|(offset, msg)| ReadError::at(at(offset), msg))?;
    let Json::Object(entries) = &root.value else {
        return Err(ReadError::at(
            at(root.offset),
            "a .tf.json file must hold one JSON object",
        ));
    };
    let reader = Reader { at: &at };
    let mut body = Body::default();
    for (key, key_offset, value) in entries {
        match key.as_str() {
            "//" => {}
            "resource" | "data" => {
                for (ty, _, by_name) in reader.object(value, key)? {
                    for (name, name_offset, bodies) in reader.object(by_name, &format!("{key}.{ty}"))? {
                        let schema = schemas.for_block(key == "data", ty);
                        for b in reader.bodies(bodies)? {
                            body.push_block(Block {
                                kind: key.clone(),
                                labels: vec![ty.clone(), name.clone()],
                                body: reader.body(b, key, schema)?,
                                location: Some(at(*name_offset)),
                            });
                        }
                    }
                }
            }
            "variable" | "output" | "module" | "provider" => {
                for (label, label_offset, bodies) in reader.object(value, key)? {
                    for b in reader.bodies(bodies)? {
                        body.push_block(Block {
                            kind: key.clone(),
                            labels: vec![label.clone()],
                            body: reader.body(b, key, None)?,
                            location: Some(at(*label_offset)),
                        });
                    }
                }
            }
            "terraform" | "locals" | "moved" | "import" | "removed" | "check" => {
                for b in reader.bodies(value)? {
                    body.push_block(Block {
                        kind: key.clone(),
                        labels: vec![],
                        body: reader.body(b, key, None)?,
                        location: Some(at(*key_offset)),
                    });
                }
            }
            other => {
                return Err(ReadError::at(
                    at(*key_offset),
                    format!(
                        "unknown top-level key \"{other}\"; a .tf.json file holds resource, data, variable, output, \
                         locals, module, provider, terraform, moved, import, removed or check"
                    ),
                ))
            }
        }
    }
    Ok(body)
}

struct Reader<'a> {
    at: &'a dyn Fn(usize) -> Location,
}

impl Reader<'_> {
    fn object<'n>(&self, node: &'n Node, what: &str) -> Result<&'n Entries, ReadError> {
        match &node.value {
            Json::Object(entries) => Ok(entries),
            _ => Err(ReadError::at(
                (self.at)(node.offset),
                format!("\"{what}\" must be a JSON object"),
            )),
        }
    }

    /// A block body may be written as one object or an array of objects.
    fn bodies<'n>(&self, node: &'n Node) -> Result<Vec<&'n Node>, ReadError> {
        match &node.value {
            Json::Object(_) => Ok(vec![node]),
            Json::Array(items) if items.iter().all(|i| matches!(i.value, Json::Object(_))) => {
                Ok(items.iter().collect())
            }
            _ => Err(ReadError::at(
                (self.at)(node.offset),
                "a block must be a JSON object or an array of objects",
            )),
        }
    }

    fn body(&self, node: &Node, kind: &str, schema: Option<&BlockSchema>) -> Result<Body, ReadError> {
        let entries = self.object(node, kind)?;
        let mut body = Body::default();
        for (key, key_offset, value) in entries {
            if key == "//" {
                continue;
            }
            let location = Some((self.at)(*key_offset));
            if let Some(nested) = nested_block(Syntax::Config { kind }, schema, key, Shape::of_node(value)) {
                match nested.labels {
                    n if n > 0 => {
                        for (label, _, inner) in self.object(value, key)? {
                            for b in self.bodies(inner)? {
                                body.push_block(Block {
                                    kind: key.clone(),
                                    labels: vec![label.clone()],
                                    body: self.body(b, key, None)?,
                                    location: location.clone(),
                                });
                            }
                        }
                    }
                    _ => {
                        for b in self.bodies(value)? {
                            body.push_block(Block {
                                kind: key.clone(),
                                labels: vec![],
                                body: self.body(b, key, nested.schema)?,
                                location: location.clone(),
                            });
                        }
                    }
                }
                continue;
            }
            let value = if is_expression_mode(kind, key) {
                self.bare(value)?
            } else {
                self.template(value)?
            };
            body.structures.push(Structure::Attribute(Attribute {
                name: key.clone(),
                value,
                location,
            }));
        }
        Ok(body)
    }

    fn template(&self, node: &Node) -> Result<Expression, ReadError> {
        Ok(match &node.value {
            Json::Null => Expression::Null,
            Json::Bool(b) => Expression::Bool(*b),
            Json::Number(n) => Expression::Number(*n),
            Json::String(s) => self.string(s, node.offset)?,
            Json::Array(items) => Expression::Array(items.iter().map(|i| self.template(i)).collect::<Result<_, _>>()?),
            Json::Object(entries) => {
                let mut obj = ::hcl::Object::new();
                for (k, _, v) in entries {
                    obj.insert(::hcl::ObjectKey::from(k.as_str()), self.template(v)?);
                }
                Expression::Object(obj)
            }
        })
    }

    /// A JSON string is a template: `"${a.b}"` is the expression `a.b`, `"x-${a}"` a template, `"$${"` a literal.
    fn string(&self, s: &str, offset: usize) -> Result<Expression, ReadError> {
        if !s.contains("${") && !s.contains("%{") {
            return Ok(Expression::String(s.to_string()));
        }
        let template: ::hcl::Template = s
            .parse()
            .map_err(|e: ::hcl::Error| ReadError::at((self.at)(offset), format!("invalid template: {e}")))?;
        match template.elements() {
            [::hcl::template::Element::Interpolation(i)] => Ok(i.expr.clone()),
            elements
                if elements
                    .iter()
                    .all(|e| matches!(e, ::hcl::template::Element::Literal(_))) =>
            {
                let mut lit = String::new();
                for e in elements {
                    if let ::hcl::template::Element::Literal(l) = e {
                        lit.push_str(l);
                    }
                }
                Ok(Expression::String(lit))
            }
            _ => Ok(Expression::TemplateExpr(Box::new(
                ::hcl::expr::TemplateExpr::QuotedString(template.to_string()),
            ))),
        }
    }

    /// A bare expression: strings are parsed as HCL expressions (`depends_on`, `moved.from`, …).
    fn bare(&self, node: &Node) -> Result<Expression, ReadError> {
        match &node.value {
            Json::String(s) => expr::parse(s)
                .map_err(|e| ReadError::at((self.at)(node.offset), format!("invalid expression \"{s}\": {e}"))),
            Json::Array(items) => Ok(Expression::Array(
                items.iter().map(|i| self.bare(i)).collect::<Result<_, _>>()?,
            )),
            _ => self.template(node),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::expr::to_hcl;

    #[test]
    fn reads_blocks_by_schema_and_references_as_expressions() {
        let text = r#"{
  "resource": {
    "acme_app": {
      "app": {
        "name": "app",
        "container_app_environment_id": "${azurerm_container_app_environment.main.id}",
        "tags": {"a": "b"},
        "identity": {"type": "UserAssigned", "identity_ids": ["${azurerm_user_assigned_identity.app.id}"]},
        "depends_on": ["azurerm_role_assignment.acr_pull"],
        "lifecycle": {"ignore_changes": ["tags"]}
      }
    }
  }
}"#;
        let body = read("main.tf.json", text, &crate::terraform::schema::test_schemas()).unwrap();
        let without = read("main.tf.json", text, &Schemas::default()).unwrap();
        let without = &without.blocks().next().unwrap().body;
        assert!(without.block("identity").is_none() && without.get("identity").is_some());
        assert!(without.block("lifecycle").is_some());
        let block = body.blocks().next().unwrap();
        assert_eq!(block.labels, ["acme_app", "app"]);
        assert_eq!(block.location.as_ref().unwrap().to_string(), "main.tf.json:4:7");
        let b = &block.body;
        assert_eq!(
            to_hcl(b.get("container_app_environment_id").unwrap()),
            "azurerm_container_app_environment.main.id"
        );
        assert!(matches!(b.get("tags"), Some(Expression::Object(_))));
        assert!(b.block("identity").is_some());
        assert_eq!(
            to_hcl(b.get("depends_on").unwrap()),
            "[azurerm_role_assignment.acr_pull]"
        );
        assert!(b.block("lifecycle").is_some());
    }

    #[test]
    fn truncated_json_is_an_error_with_location() {
        let err = read("x.tf.json", "{\n  \"resource\": {\n", &Schemas::default()).unwrap_err();
        assert!(err.to_string().starts_with("x.tf.json:3:1: "), "{err}");
        assert!(err.message.contains("truncated"), "{err}");
    }
}
