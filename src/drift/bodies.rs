//! A stack's declared bodies and Azure's live objects as the differ's bodies ([`BodyValues`]): declared values resolved
//! against the live objects (literals, references to another resource's attribute; anything else not compared),
//! live objects with nested blocks by the provider schema, every value compared in the form Azure stores it
//! ([`crate::azurerm::facts::normalize`]).

use crate::azurerm::arm::LiveObject;
use crate::azurerm::facts::normalize;
use crate::diff::values::{AttributeValue, BodyValues};
use crate::diff::Value as Shown;
use crate::terraform::json::values::{nested_block, Shape, Syntax};
use crate::terraform::schema::BlockSchema;
use crate::terraform::Schemas;
use crate::terraform::{Body, Config, Expression};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Arguments that are not properties of the object (meta-arguments) or that only say where it lives (we read it
/// there, so they match by construction).
pub(super) const NOT_PROPERTIES: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "resource_group_name",
    "registry_name",
    "container_registry_id",
];

/// A declared value once references are resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Declared {
    Known(Value),
    /// Refers to something not live yet.
    AfterApply,
    /// Not a literal or a resolvable reference.
    Opaque,
}

pub(super) struct Context<'a> {
    /// The provider schemas: which attributes are nested blocks.
    pub(super) schemas: &'a Schemas,
    /// (address, live object) of each declared resource found live.
    live_by_address: Vec<(String, &'a LiveObject)>,
    /// Declared resources of checked types that are not live (applying the stack creates them).
    missing: Vec<String>,
    /// `var.*` (defaults of the configuration's variables) and the live objects by type and name.
    eval: hcl::eval::Context<'static>,
}

impl<'a> Context<'a> {
    /// `missing`: the declared resources that are not live, with their bodies: what their configuration sets to a
    /// value known without them (a literal `name`) is known at plan time, as Terraform knows it; the rest of
    /// their attributes (`id`) only after apply.
    pub(super) fn new(
        config: &Config,
        schemas: &'a Schemas,
        live_by_address: Vec<(String, &'a LiveObject)>,
        missing: Vec<(String, &Body)>,
    ) -> Self {
        let mut eval = hcl::eval::Context::new();
        let mut vars = hcl::Map::new();
        for (_, block) in config.blocks_of("variable") {
            if let (Some(name), Some(default)) = (block.labels.first(), block.body.get("default")) {
                // A null default (`image_tag` before CI's first push) says nothing about what CI deployed since:
                // leave the variable unknown, so what depends on it is not compared rather than compared with
                // the first-deploy placeholder.
                match hcl::eval::Evaluate::evaluate(default, &hcl::eval::Context::new()) {
                    Ok(hcl::Value::Null) | Err(_) => {}
                    Ok(value) => {
                        vars.insert(name.clone(), value);
                    }
                }
            }
        }
        eval.declare_var("var", hcl::Value::Object(vars));
        let mut by_type: BTreeMap<String, hcl::Map<String, hcl::Value>> = BTreeMap::new();
        for (address, object) in &live_by_address {
            let Some((_, name)) = address.split_once('.') else {
                continue;
            };
            let value =
                crate::terraform::json::to_hcl(&Value::Object(object.attributes.clone())).unwrap_or(hcl::Value::Null);
            by_type
                .entry(object.resource_type.to_string())
                .or_default()
                .insert(name.to_string(), value);
        }
        let known_before_apply = {
            let mut known = eval.clone();
            for (resource_type, objects) in &by_type {
                known.declare_var(resource_type.clone(), hcl::Value::Object(objects.clone()));
            }
            known
        };
        for (address, body) in &missing {
            if let Some((resource_type, name)) = address.split_once('.') {
                let planned = planned_attributes(body, &known_before_apply);
                by_type
                    .entry(resource_type.to_string())
                    .or_default()
                    .insert(name.to_string(), planned);
            }
        }
        for (resource_type, objects) in by_type {
            eval.declare_var(resource_type, hcl::Value::Object(objects));
        }
        Context {
            schemas,
            live_by_address,
            missing: missing.into_iter().map(|(address, _)| address).collect(),
            eval,
        }
    }

    /// A declared value: known (a literal, or a reference to a live attribute or to what a missing resource's
    /// configuration sets), known only after apply (another attribute of a missing resource), or neither.
    pub(super) fn eval(&self, expr: &Expression) -> Declared {
        let mut refers_to_missing = false;
        for resource in crate::terraform::expr::referenced_resources(expr) {
            if self.missing.contains(&resource) {
                refers_to_missing = true;
            } else if !self.live_by_address.iter().any(|(a, _)| *a == resource) {
                return Declared::Opaque;
            }
        }
        match hcl::eval::Evaluate::evaluate(expr, &self.eval) {
            Ok(value) => serde_json::to_value(value)
                .map(Declared::Known)
                .unwrap_or(Declared::Opaque),
            Err(_) if refers_to_missing => Declared::AfterApply,
            Err(_) => Declared::Opaque,
        }
    }
}

/// What Terraform knows at plan time of a resource it will create: the top-level arguments its configuration sets
/// to a value known without it (literals, variables, live attributes); computed attributes (`id`) are absent,
/// so a reference to one is known only after apply.
fn planned_attributes(body: &Body, known: &hcl::eval::Context<'static>) -> hcl::Value {
    let mut attributes = hcl::Map::new();
    for attribute in body.attributes() {
        match hcl::eval::Evaluate::evaluate(&attribute.value, known) {
            Ok(hcl::Value::Null) | Err(_) => {}
            Ok(value) => {
                attributes.insert(attribute.name.clone(), value);
            }
        }
    }
    hcl::Value::Object(attributes)
}

pub(super) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A value for the differ (at `path` of a `resource_type`): shown as read, compared in the form Azure stores it.
pub(super) fn leaf(resource_type: &str, path: &str, value: &Value) -> AttributeValue {
    AttributeValue {
        shown: Shown::Known(value.clone()),
        cmp: Some(normalize::value(resource_type, path, value)),
    }
}

/// A live object (an adapter's document form) as a differ body: nested blocks by the provider schema, like a
/// plan's values.
pub(super) fn live_obj(
    resource_type: &str,
    map: &Map<String, Value>,
    schema: Option<&BlockSchema>,
    path: &str,
) -> BodyValues {
    let mut o = BodyValues::default();
    for (key, value) in map {
        let full = join(path, key);
        match nested_block(Syntax::Values, schema, key, Shape::of(value)) {
            Some(nested) => {
                let blocks = o.blocks.entry(key.clone()).or_default();
                for item in value.as_array().into_iter().flatten().filter_map(Value::as_object) {
                    blocks.push(live_obj(resource_type, item, nested.schema, &full));
                }
            }
            None => {
                o.attrs.insert(key.clone(), leaf(resource_type, &full, value));
            }
        }
    }
    o
}

/// What an adapter read at each level of a live object: the attribute names and block types it wrote.
#[derive(Debug, Default)]
pub(super) struct Read {
    attrs: BTreeSet<String>,
    /// `None`: the block type was read, and Azure has none of it (so nothing says what is read inside).
    blocks: BTreeMap<String, Option<Read>>,
}

impl Read {
    pub(super) fn of(o: &BodyValues) -> Read {
        let mut read = Read::default();
        read.add(o);
        read
    }

    fn add(&mut self, o: &BodyValues) {
        self.attrs.extend(o.attrs.keys().cloned());
        for (kind, blocks) in &o.blocks {
            let entry = self.blocks.entry(kind.clone()).or_default();
            for b in blocks {
                entry.get_or_insert_with(Read::default).add(b);
            }
        }
    }
}

/// A declared body as a differ body, its values resolved against the live objects. With `read` (the resource
/// is live), what the adapter does not read, and values that are neither literals nor resolvable references,
/// are left out and listed in `not_compared`; without it (nothing live to compare with), everything declared is
/// kept, an unresolvable value as its expression text.
pub(super) fn declared_obj(
    context: &Context,
    resource_type: &str,
    body: &Body,
    read: Option<&Read>,
    path: &str,
    not_compared: &mut Vec<String>,
) -> BodyValues {
    let mut o = BodyValues::default();
    for attribute in body.attributes() {
        let name = attribute.name.as_str();
        if NOT_PROPERTIES.contains(&name) {
            continue;
        }
        let full = join(path, name);
        if read.is_some_and(|r| !r.attrs.contains(name)) {
            not_compared.push(full);
            continue;
        }
        let leaf = match context.eval(&attribute.value) {
            Declared::Known(value) => leaf(resource_type, &full, &value),
            // The referenced resource is missing: it would be created, and this value with it.
            Declared::AfterApply => AttributeValue {
                shown: Shown::Unknown,
                cmp: Some(Value::Null),
            },
            Declared::Opaque if read.is_some() => {
                not_compared.push(full);
                continue;
            }
            Declared::Opaque => {
                let text = crate::terraform::expr::to_hcl(&attribute.value);
                AttributeValue {
                    cmp: Some(serde_json::json!({ crate::diff::structured::EXPRESSION: text })),
                    shown: Shown::Expression(text),
                }
            }
        };
        o.attrs.insert(name.to_string(), leaf);
    }
    for block in body.blocks() {
        if block.kind == "lifecycle" {
            continue;
        }
        let full = join(path, &block.kind);
        let inner = match read {
            None => None,
            Some(r) => match r.blocks.get(&block.kind) {
                None => {
                    not_compared.push(full);
                    continue;
                }
                Some(inner) => inner.as_ref(),
            },
        };
        let child = declared_obj(context, resource_type, &block.body, inner, &full, not_compared);
        o.blocks.entry(block.kind.clone()).or_default().push(child);
    }
    o
}
