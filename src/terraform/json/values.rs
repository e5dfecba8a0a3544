//! JSON values → Terraform bodies, the one schema-aware conversion.
//!
//! JSON alone cannot say whether `"identity": …` is a nested block or an object-valued argument; Terraform
//! decides with the provider schema, and so does infra (with the [`Schemas`] it is given), in one function, [`nested_block`], which the
//! `.tf.json` reader, the plan reader ([`planned_config`], for `infra check --plan`) and the plan differ
//! (`diff::from_plan`) all call. Positions are kept: a `.tf.json` body carries the location of every key, a
//! planned resource the location of its `"address"` in the plan file.

use super::tree::{self, Node};
use crate::terraform::schema::{BlockSchema, Schemas};
use crate::terraform::{expr, Block, Body, Config, Expression, File, Format, LineIndex, Location, Structure};
use serde_json::Value;
use std::sync::Arc;

/// The file that holds the root module's planned resources in [`planned_config`]; child modules' resources
/// go into one file per module, named by the module address (`module.network`).
pub(crate) const PLANNED_FILE: &str = "planned.tf.json";

/// The placeholder reference for a value known only after apply (see [`PlannedResource::after_unknown`]).
pub(crate) const KNOWN_AFTER_APPLY: &str = "var.known_after_apply";

/// The shape of a JSON value, as far as telling blocks from attributes needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `{…}`.
    Object,
    /// `[{…}, …]`, or `[]`.
    Objects { empty: bool },
    /// Anything else (null, scalars, lists of scalars).
    Other,
}

impl Shape {
    pub(crate) fn of(v: &Value) -> Shape {
        match v {
            Value::Object(_) => Shape::Object,
            Value::Array(items) if items.iter().all(Value::is_object) => Shape::Objects {
                empty: items.is_empty(),
            },
            _ => Shape::Other,
        }
    }

    pub(crate) fn of_node(n: &Node) -> Shape {
        match &n.value {
            tree::Json::Object(_) => Shape::Object,
            tree::Json::Array(items) if items.iter().all(|i| matches!(i.value, tree::Json::Object(_))) => {
                Shape::Objects {
                    empty: items.is_empty(),
                }
            }
            _ => Shape::Other,
        }
    }
}

/// Where the JSON comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Syntax<'k> {
    /// A `.tf.json` configuration, inside a block of this kind (`resource`, `lifecycle`, `identity`, …): a
    /// block is written as an object or an array of objects, and Terraform's own meta-blocks (`lifecycle`,
    /// `provisioner`, …) are blocks whatever the provider. Object values of resource types no schema given
    /// knows are arguments.
    Config { kind: &'k str },
    /// A plan's values (`terraform show -json`): a block type is always an array of objects. For resource types
    /// (or keys) no schema given knows, a non-empty array of objects is read as blocks.
    Values,
}

/// A key that is a nested block: the block's schema when the resource's schema has it, and how many
/// labels the block takes (`provisioner "local-exec"`, `dynamic "x"`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nested<'s> {
    pub schema: Option<&'s BlockSchema>,
    pub labels: usize,
}

/// Whether `key`, whose value has `shape`, is a nested block of a body with `schema` (`None`: a type no schema
/// given knows) — the one place infra decides it.
pub(crate) fn nested_block<'s>(
    syntax: Syntax,
    schema: Option<&'s BlockSchema>,
    key: &str,
    shape: Shape,
) -> Option<Nested<'s>> {
    let written_as_blocks = match syntax {
        Syntax::Config { .. } => matches!(shape, Shape::Object | Shape::Objects { .. }),
        Syntax::Values => matches!(shape, Shape::Objects { .. }),
    };
    if !written_as_blocks {
        return None;
    }
    if let Syntax::Config { kind } = syntax {
        if let Some(labels) = meta_block_labels(kind, key) {
            let schema = schema.and_then(|s| s.block_types.get(key)).map(|b| &b.block);
            return Some(Nested { schema, labels });
        }
    }
    if let Some(s) = schema {
        if s.attributes.contains_key(key) {
            return None;
        }
        if let Some(b) = s.block_types.get(key) {
            return Some(Nested {
                schema: Some(&b.block),
                labels: 0,
            });
        }
    }
    match syntax {
        Syntax::Values if shape == (Shape::Objects { empty: false }) => Some(Nested {
            schema: None,
            labels: 0,
        }),
        _ => None,
    }
}

/// Terraform's own blocks inside configuration blocks, whatever the provider: `Some(number of labels)`.
fn meta_block_labels(kind: &str, key: &str) -> Option<usize> {
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
        _ => None,
    }
}

pub(crate) use super::mask::{at as mask_at, has_true as mask_has_true, union as mask_union};

/// A JSON value as a literal Terraform expression.
pub(crate) fn literal(v: &Value) -> Expression {
    match v {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Expression::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Expression::Number(u.into())
            } else {
                ::hcl::Number::from_f64(n.as_f64().unwrap_or(0.0))
                    .map(Expression::Number)
                    .unwrap_or(Expression::Null)
            }
        }
        Value::String(s) => Expression::String(s.clone()),
        Value::Array(items) => Expression::Array(items.iter().map(literal).collect()),
        Value::Object(map) => Expression::Object(
            map.iter()
                .map(|(k, v)| (::hcl::ObjectKey::from(k.as_str()), literal(v)))
                .collect(),
        ),
    }
}

/// A plan's values of one object (a resource, or a nested block) as a body: literal attributes, nested blocks
/// by [`nested_block`]. Null attributes are left out; values under the `sensitive` mask become `null`.
pub(crate) fn values_body(values: &Value, sensitive: &Value, schema: Option<&BlockSchema>) -> Body {
    let mut body = Body::default();
    let Value::Object(map) = values else {
        return body;
    };
    for (k, v) in map {
        let mask = mask_at(sensitive, k.as_str());
        if let Some(nested) = nested_block(Syntax::Values, schema, k, Shape::of(v)) {
            for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                let item_mask = mask_at(mask, i);
                let mut b = Block::new(k.clone());
                b.body = if item_mask == &Value::Bool(true) {
                    Body::default()
                } else {
                    values_body(item, item_mask, nested.schema)
                };
                body.push_block(b);
            }
            continue;
        }
        if v.is_null() {
            continue;
        }
        let value = if mask_has_true(mask) { Value::Null } else { v.clone() };
        body.push_attribute(k.clone(), literal(&value));
    }
    body
}

/// One resource instance of a plan's `planned_values`.
#[derive(Debug, Clone)]
pub(crate) struct PlannedResource<'a> {
    pub address: &'a str,
    /// `managed` or `data`.
    pub mode: &'a str,
    pub resource_type: &'a str,
    pub name: &'a str,
    pub values: &'a Value,
    pub sensitive_values: &'a Value,
    /// The change's `after_unknown`: attributes it marks `true` that have no value become
    /// [`KNOWN_AFTER_APPLY`], so rules see them as unknown, not as missing. `None`: literal values only.
    pub after_unknown: Option<&'a Value>,
    /// Where the resource is in the plan file: given to its block and to everything in it.
    pub location: Option<Location>,
}

/// Planned resources as a Terraform configuration, for rules written against configurations: each resource
/// instance becomes a `resource`/`data` block whose attributes are literal values (nested blocks by `schemas`). Root-module resources go into [`PLANNED_FILE`]; resources of child modules into one
/// file per module named by the module address. Instances of a `count`/`for_each` resource are separate blocks
/// with the same labels, in order. Sensitive values are `null`: a configuration built from a plan never
/// carries secrets.
pub(crate) fn planned_config<'a>(
    resources: impl IntoIterator<Item = PlannedResource<'a>>,
    schemas: &Schemas,
) -> Config {
    let mut files: Vec<File> = Vec::new();
    for r in resources {
        let module = crate::terraform::Address::parse(r.address).and_then(|a| a.module);
        let file_name = module.unwrap_or_else(|| PLANNED_FILE.to_string());
        let kind = if r.mode == "data" { "data" } else { "resource" };
        let mut block = Block::new(kind).label(r.resource_type).label(r.name);
        let schema = schemas.for_block(r.mode == "data", r.resource_type);
        block.body = values_body(r.values, r.sensitive_values, schema);
        if let Some(u) = r.after_unknown {
            mark_unknown(&mut block.body, u);
        }
        if let Some(l) = &r.location {
            set_locations(&mut block.body, l);
        }
        block.location = r.location;
        match files.iter_mut().find(|f| f.name == file_name) {
            Some(f) => f.body.push_block(block),
            None => {
                let mut body = Body::default();
                body.push_block(block);
                files.push(File {
                    name: file_name,
                    format: Format::Json,
                    header: Vec::new(),
                    body,
                })
            }
        }
    }
    Config { files }
}

/// Adds the placeholder for every attribute `after_unknown` marks `true` that the body lacks, recursing into
/// nested blocks (lists of objects in `after_unknown`, one per block of that kind, in order).
fn mark_unknown(body: &mut Body, after_unknown: &Value) {
    let Value::Object(map) = after_unknown else { return };
    for (key, u) in map {
        match u {
            Value::Bool(true) if body.attribute(key).is_none() && body.block(key).is_none() => {
                body.push_attribute(key.clone(), expr::reference(KNOWN_AFTER_APPLY));
            }
            Value::Array(items) => {
                let mut blocks = body.structures.iter_mut().filter_map(|s| match s {
                    Structure::Block(b) if b.kind == *key => Some(b),
                    _ => None,
                });
                for item in items {
                    match blocks.next() {
                        Some(b) => mark_unknown(&mut b.body, item),
                        None => break,
                    }
                }
            }
            _ => {}
        }
    }
}

/// Gives every attribute and nested block without a location `location`.
fn set_locations(body: &mut Body, location: &Location) {
    for s in &mut body.structures {
        match s {
            Structure::Attribute(a) if a.location.is_none() => a.location = Some(location.clone()),
            Structure::Block(b) => {
                if b.location.is_none() {
                    b.location = Some(location.clone());
                }
                set_locations(&mut b.body, location);
            }
            _ => {}
        }
    }
}

/// Each resource of the plan JSON `text`'s `planned_values` (root module, then each child module, depth
/// first — the order of `Plan::planned_resources`): its address and the location of its `"address"` key.
/// Only `planned_values` is kept while reading: the rest of a large plan is scanned, not stored. An error is
/// the byte offset and what is wrong there.
pub(crate) fn planned_locations(path: &str, text: &str) -> Result<Vec<(String, Location)>, (usize, String)> {
    let root = tree::parse_members(text, &["planned_values"])?;
    let file: Arc<str> = path.into();
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    fn walk(module: &Node, out: &mut Vec<(String, usize)>) {
        if let Some((_, resources)) = module.member("resources") {
            for r in resources.items() {
                if let Some((offset, address)) = r.member("address") {
                    out.push((address.as_str().unwrap_or_default().to_string(), offset));
                }
            }
        }
        if let Some((_, children)) = module.member("child_modules") {
            for c in children.items() {
                walk(c, out);
            }
        }
    }
    let mut found = Vec::new();
    if let Some((_, module)) = root.member("planned_values").and_then(|(_, p)| p.member("root_module")) {
        walk(module, &mut found);
    }
    out.extend(
        found
            .into_iter()
            .map(|(address, offset)| (address, lines.location(&file, offset))),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_nested_blocks_in_configurations_and_plan_values() {
        let schemas = crate::terraform::schema::test_schemas();
        let app = schemas.resource("acme_app");
        let objects = Shape::Objects { empty: false };
        let config = Syntax::Config { kind: "resource" };
        // A schema block type is a block in both syntaxes; .tf.json may write one block as an object.
        let template = nested_block(Syntax::Values, app, "template", objects).unwrap();
        assert!(template.schema.unwrap().block_types.contains_key("container"));
        assert!(nested_block(config, app, "template", Shape::Object).is_some());
        assert!(nested_block(Syntax::Values, app, "template", Shape::Object).is_none());
        // An object-valued argument is an attribute.
        assert!(nested_block(config, app, "tags", Shape::Object).is_none());
        // Terraform's meta-blocks only exist in configurations.
        assert_eq!(
            nested_block(config, app, "provisioner", Shape::Object).unwrap().labels,
            1
        );
        assert!(nested_block(Syntax::Values, None, "lifecycle", Shape::Object).is_none());
        // Unknown resource types: plan values' arrays of objects are blocks, .tf.json objects are arguments.
        assert!(nested_block(Syntax::Values, None, "rule", objects).is_some());
        assert!(nested_block(Syntax::Values, None, "rule", Shape::Objects { empty: true }).is_none());
        assert!(nested_block(config, None, "rule", objects).is_none());
    }

    #[test]
    fn planned_resources_are_located_at_their_address_in_planned_values() {
        // resource_changes comes first here: an address found by text search would point into it.
        let text = r#"{"resource_changes": [{"address": "a.x"}],
 "planned_values": {"root_module": {
   "resources": [{"address": "a.x", "values": {"k": "{\"address\": \"b.y\"}"}}],
   "child_modules": [{"address": "module.m", "resources": [
     {"address": "module.m.b.y"}]}]}},
 "configuration": {"root_module": {"resources": [{"address": "a.x"}]}}}"#;
        let located = planned_locations("p.json", text).unwrap();
        let shown: Vec<(&str, String)> = located.iter().map(|(a, l)| (a.as_str(), l.to_string())).collect();
        assert_eq!(
            shown,
            [
                ("a.x", "p.json:3:19".to_string()),
                ("module.m.b.y", "p.json:5:7".to_string())
            ]
        );
        assert!(planned_locations("p.json", "{\"planned_values\": {").is_err());
    }

    #[test]
    fn plan_values_become_literal_attributes_and_schema_blocks_without_secrets() {
        let values: Value = serde_json::json!({
            "name": "crshop", "admin_password": "hunter2", "public_network_access_enabled": null,
            "identity": [{"type": "SystemAssigned"}], "tags": {"a": "b"}
        });
        let sensitive = serde_json::json!({"admin_password": true});
        let schemas = crate::terraform::schema::test_schemas();
        let body = values_body(&values, &sensitive, schemas.resource("acme_app"));
        assert_eq!(body.get("admin_password"), Some(&Expression::Null));
        assert!(body.get("public_network_access_enabled").is_none());
        assert_eq!(body.blocks_of("identity").count(), 1);
        assert!(matches!(body.get("tags"), Some(Expression::Object(_))));
    }
}
