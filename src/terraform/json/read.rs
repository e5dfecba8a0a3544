//! Reads `.tf.json` text into a [`Body`], with locations.
//!
//! JSON alone cannot say whether `"identity": {…}` is a nested block or an object-valued argument; Terraform
//! decides with the provider schema, and so does infra: nested blocks of resource types in the vendored
//! azurerm schema are blocks. For other resource types, object values are read as arguments (nested blocks of
//! unknown providers are not recognised), except Terraform's own meta-blocks (`lifecycle`, `provisioner`, …).

use super::write::is_expression_mode;
use crate::azurerm::{resource_schema, BlockSchema};
use crate::terraform::{expr, Attribute, Block, Body, Expression, Location, ReadError, Structure};
use std::sync::Arc;

/// Parses the JSON-syntax text of the file at `path` (used in locations).
pub fn read(path: &str, text: &str) -> Result<Body, ReadError> {
    let file: Arc<str> = path.into();
    let index = crate::terraform::location::LineIndex::new(text);
    let at = |offset: usize| index.location(&file, offset);
    let root = Parser { text, pos: 0 }
        .document()
        .map_err(|(offset, msg)| ReadError::at(at(offset), msg))?;
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
                        let schema = resource_schema(ty);
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

type Entries = Vec<(String, usize, Node)>;

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
            let nested_schema = schema.and_then(|s| s.block_types.get(key)).map(|b| &b.block);
            let labels = block_labels(kind, key, schema.is_some());
            if let Some(nested) = nested_schema
                .or(labels.map(|_| &EMPTY))
                .filter(|_| self.bodies(value).is_ok())
            {
                let nested = nested_schema.map(|_| nested);
                match labels {
                    Some(n) if n > 0 => {
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
                                body: self.body(b, key, nested)?,
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

static EMPTY: BlockSchema = BlockSchema {
    attributes: std::collections::BTreeMap::new(),
    block_types: std::collections::BTreeMap::new(),
};

/// For keys that are blocks whatever the provider: `Some(number of labels)`.
fn block_labels(kind: &str, key: &str, in_known_resource: bool) -> Option<usize> {
    match (kind, key) {
        ("resource" | "data", "lifecycle" | "connection") => Some(0),
        ("resource" | "data", "provisioner" | "dynamic") => Some(1),
        ("resource", "postcondition" | "precondition") => Some(0),
        ("lifecycle", "precondition" | "postcondition") => Some(0),
        ("variable", "validation") | ("output", "precondition") | ("removed", "lifecycle") => Some(0),
        ("terraform", "required_providers" | "cloud" | "provider_meta") => Some(0),
        ("terraform", "backend") => Some(1),
        ("check", "assert" | "data") => Some(0),
        // Provider configuration: nested objects are blocks (`features {}`).
        ("provider", _) | ("features", _) => Some(0),
        _ => {
            let _ = in_known_resource;
            None
        }
    }
}

// ---- a small JSON parser that remembers where each value and key starts ----

#[derive(Debug)]
struct Node {
    offset: usize,
    value: Json,
}

#[derive(Debug)]
enum Json {
    Null,
    Bool(bool),
    Number(::hcl::Number),
    String(String),
    Array(Vec<Node>),
    Object(Entries),
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

type ParseResult<T> = Result<T, (usize, String)>;

impl Parser<'_> {
    fn document(mut self) -> ParseResult<Node> {
        self.ws();
        if self.pos >= self.text.len() {
            return Err((self.pos, "empty file: expected a JSON object".into()));
        }
        let node = self.value(0)?;
        self.ws();
        if self.pos < self.text.len() {
            return Err((self.pos, "unexpected text after the JSON value".into()));
        }
        Ok(node)
    }

    fn ws(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> ParseResult<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err((self.pos, format!("expected `{}`{}", c as char, self.found())))
        }
    }

    fn found(&self) -> String {
        match self.text[self.pos..].chars().next() {
            Some(c) => format!(", found `{c}`"),
            None => ", found the end of the file (is it truncated?)".into(),
        }
    }

    fn value(&mut self, depth: usize) -> ParseResult<Node> {
        if depth > 512 {
            return Err((self.pos, "JSON nested too deeply".into()));
        }
        self.ws();
        let offset = self.pos;
        let value = match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.ws();
                        let key_offset = self.pos;
                        if self.peek() != Some(b'"') {
                            return Err((self.pos, format!("expected a string key{}", self.found())));
                        }
                        let key = self.string()?;
                        self.expect(b':')?;
                        let v = self.value(depth + 1)?;
                        entries.push((key, key_offset, v));
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b'}') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err((self.pos, format!("expected `,` or `}}`{}", self.found()))),
                        }
                    }
                }
                Json::Object(entries)
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err((self.pos, format!("expected `,` or `]`{}", self.found()))),
                        }
                    }
                }
                Json::Array(items)
            }
            Some(b'"') => Json::String(self.string()?),
            Some(b't') if self.text[self.pos..].starts_with("true") => {
                self.pos += 4;
                Json::Bool(true)
            }
            Some(b'f') if self.text[self.pos..].starts_with("false") => {
                self.pos += 5;
                Json::Bool(false)
            }
            Some(b'n') if self.text[self.pos..].starts_with("null") => {
                self.pos += 4;
                Json::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                    self.pos += 1;
                }
                let text = &self.text[start..self.pos];
                let number = if let Ok(i) = text.parse::<i64>() {
                    ::hcl::Number::from(i)
                } else {
                    text.parse::<f64>()
                        .ok()
                        .and_then(::hcl::Number::from_f64)
                        .ok_or_else(|| (start, format!("invalid number `{text}`")))?
                };
                Json::Number(number)
            }
            None => return Err((self.pos, "unexpected end of file: the JSON is truncated".into())),
            Some(_) => return Err((self.pos, format!("expected a JSON value{}", self.found()))),
        };
        Ok(Node { offset, value })
    }

    fn string(&mut self) -> ParseResult<String> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let Some(c) = self.text[self.pos..].chars().next() else {
                return Err((start, "unterminated string: the JSON is truncated".into()));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let esc = self.peek().ok_or((self.pos, "unterminated escape".to_string()))?;
                    self.pos += 1;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.text[self.pos..].starts_with("\\u") {
                                self.pos += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err((self.pos - 2, "invalid escape in string".into())),
                    }
                }
                c if (c as u32) < 0x20 => return Err((self.pos - 1, "control character in string".into())),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> ParseResult<u32> {
        let s = self
            .text
            .get(self.pos..self.pos + 4)
            .ok_or((self.pos, "truncated \\u escape".to_string()))?;
        let v = u32::from_str_radix(s, 16).map_err(|_| (self.pos, "invalid \\u escape".to_string()))?;
        self.pos += 4;
        Ok(v)
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
    "azurerm_container_app": {
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
        let body = read("main.tf.json", text).unwrap();
        let block = body.blocks().next().unwrap();
        assert_eq!(block.labels, ["azurerm_container_app", "app"]);
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
        let err = read("x.tf.json", "{\n  \"resource\": {\n").unwrap_err();
        assert!(err.to_string().starts_with("x.tf.json:3:1: "), "{err}");
        assert!(err.message.contains("truncated"), "{err}");
    }
}
