//! A schema inferred from a change's values, for a resource type no provider schema describes.
//!
//! Terraform lays a plan out by the provider's schema: which keys are nested blocks (hidden when empty, shown as
//! `name { … }`), which blocks are sets (a changed element is removed and added, not updated) and which are
//! attributes. Without the schema, infra reads what the plan itself says, strongest evidence first:
//!
//! 1. the plan's `configuration` section (Terraform's JSON output format, "expression representation":
//!    developer.hashicorp.com/terraform/internals/json-format#expression-representation): an attribute is an
//!    expression object (`constant_value`, `references`), a repeated block is an array of block objects, a single
//!    block one block object and a map block an object of block objects by label;
//! 2. the sensitive masks: Terraform cannot mark an element of a set, so a set of blocks holding a sensitive
//!    attribute is marked as a whole (`"variable": true`), where a list's mask marks the attribute in each element
//!    (`"credential": [{"password": true}]`);
//! 3. the order of a repeated block's elements: a list keeps the configuration's order, a set has its own;
//! 4. how values look: an array of objects, or an empty array, is a list of blocks (an attribute left unset is
//!    `null`, a block left out is `[]`); anything else is an attribute, with the type its values show;
//! 5. `after_unknown`: an attribute known only after apply is in that mask alone, at any depth.
//!
//! What stays approximate is listed in `docs/diff.md` ("Plans of providers infra has no schema for").

use crate::terraform::schema::{AttributeSchema, BlockSchema, NestedBlock, NestingMode};
use serde_json::Value as Json;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// What a plan says about one level of a resource's values (the resource's top level, or a nested block type's
/// elements): the objects before and after, the objects of the `after_unknown` and sensitive masks at that level,
/// and the configuration's block objects there.
#[derive(Default)]
pub(in crate::diff) struct Evidence<'a> {
    /// The level's objects before the change.
    pub(in crate::diff) before: Vec<&'a Json>,
    /// The level's objects after the change.
    pub(in crate::diff) after: Vec<&'a Json>,
    /// The `after_unknown` mask's objects at this level.
    pub(in crate::diff) unknown: Vec<&'a Json>,
    /// The `before_sensitive` / `after_sensitive` masks at this level (objects, or `true` for all of it).
    pub(in crate::diff) sensitive: Vec<&'a Json>,
    /// The configuration's block objects at this level (`expressions` of the resource, or of a nested block).
    pub(in crate::diff) config: Vec<&'a Json>,
}

/// What one key of a level is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Attribute,
    Blocks(NestingMode),
}

/// A schema guessed from the evidence, for a type no schema describes (see the module's documentation).
pub(in crate::diff) fn infer_schema(level: &Evidence) -> BlockSchema {
    let mut out = BlockSchema::default();
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for o in level.before.iter().chain(&level.after).chain(&level.unknown).chain(&level.config) {
        keys.extend(o.as_object().into_iter().flatten().map(|(k, _)| k.as_str()));
    }
    for key in keys {
        let at = level.at(key);
        match at.kind() {
            Kind::Blocks(mode) => {
                out.block_types.insert(
                    key.to_string(),
                    NestedBlock {
                        nesting_mode: mode,
                        block: infer_schema(&at.elements(mode)),
                        min_items: 0,
                        max_items: 0,
                    },
                );
            }
            Kind::Attribute => {
                out.attributes.insert(key.to_string(), at.attribute());
            }
        }
    }
    out
}

impl<'a> Evidence<'a> {
    /// The evidence of key `key` at this level: each side's value there, and the masks' and configuration's.
    fn at(&self, key: &str) -> Evidence<'a> {
        let pick = |v: &[&'a Json]| -> Vec<&'a Json> { v.iter().filter_map(|o| o.get(key)).collect() };
        Evidence {
            before: pick(&self.before),
            after: pick(&self.after),
            unknown: pick(&self.unknown),
            sensitive: pick(&self.sensitive),
            config: pick(&self.config),
        }
    }

    /// Whether the key these values belong to is an attribute or which kind of nested block.
    fn kind(&self) -> Kind {
        if let Some(kind) = self.config.iter().find_map(|c| configured_kind(c)) {
            return match kind {
                Kind::Blocks(NestingMode::List) if self.is_set() => Kind::Blocks(NestingMode::Set),
                other => other,
            };
        }
        let values: Vec<&Json> = self.before.iter().chain(&self.after).copied().filter(|v| !v.is_null()).collect();
        let block_lists = !values.is_empty()
            && values
                .iter()
                .all(|v| v.as_array().is_some_and(|items| items.iter().all(Json::is_object)));
        // A value wholly unknown is an attribute's: Terraform shows `(known after apply)` for it.
        let wholly_unknown = self.unknown.iter().any(|u| *u == &Json::Bool(true));
        match block_lists && !wholly_unknown {
            true if self.is_set() => Kind::Blocks(NestingMode::Set),
            true => Kind::Blocks(NestingMode::List),
            false => Kind::Attribute,
        }
    }

    /// Whether a repeated block is a set: marked sensitive as a whole, or its planned elements in another order
    /// than the configuration's.
    fn is_set(&self) -> bool {
        if self.sensitive.iter().any(|s| *s == &Json::Bool(true)) {
            return true;
        }
        let ([Json::Array(config)], [Json::Array(after)]) = (self.config.as_slice(), self.after.as_slice()) else {
            return false;
        };
        config.len() == after.len()
            && config.iter().all(|c| after.iter().any(|a| configured_as(c, a)))
            && config.iter().zip(after).any(|(c, a)| !configured_as(c, a))
    }

    /// The evidence of the blocks' own level: the elements of a list or set, the labelled blocks of a map, the
    /// one block of a single block.
    fn elements(&self, mode: NestingMode) -> Evidence<'a> {
        let each = |v: &[&'a Json]| -> Vec<&'a Json> {
            v.iter()
                .flat_map(|x| -> Vec<&'a Json> {
                    match (mode, x) {
                        (NestingMode::List | NestingMode::Set, Json::Array(items)) => items.iter().collect(),
                        (NestingMode::Map, Json::Object(labels)) => labels.values().collect(),
                        (NestingMode::Single | NestingMode::Group, Json::Object(_)) => vec![*x],
                        _ => vec![],
                    }
                })
                .filter(|o| o.is_object())
                .collect()
        };
        Evidence {
            before: each(&self.before),
            after: each(&self.after),
            unknown: each(&self.unknown),
            sensitive: each(&self.sensitive),
            config: each(&self.config),
        }
    }

    /// The attribute these values belong to, with the type they show.
    fn attribute(&self) -> AttributeSchema {
        let mut ty = Json::Null;
        for v in self.before.iter().chain(&self.after) {
            let t = infer_type(v);
            if ty.is_null() {
                ty = t;
            } else if !t.is_null() && t != ty {
                ty = Json::String("dynamic".into());
            }
        }
        if ty.is_null() {
            // Known only after apply (a whole value in the unknown mask: a string's `(known after apply)`), or
            // null on both sides.
            let partly_unknown = self.unknown.iter().any(|u| u.is_array() || u.is_object());
            ty = Json::String(if partly_unknown { "dynamic" } else { "string" }.into());
        }
        AttributeSchema {
            ty,
            nested_type: None,
            required: false,
            optional: true,
            computed: self.unknown.iter().any(|u| *u == &Json::Bool(true)),
            sensitive: false,
            deprecated: false,
        }
    }
}

/// Whether `c`, a configuration entry, is an expression (an attribute's value): an object of `constant_value`
/// and/or `references` only.
fn is_expression(c: &Json) -> bool {
    c.as_object()
        .is_some_and(|o| !o.is_empty() && o.keys().all(|k| k == "constant_value" || k == "references"))
}

/// What a configuration entry says its key is: an expression is an attribute's, an array a repeated block's, an
/// object of block objects a map block's (labels), another object a single block's. `None` when it does not tell
/// (`{}`: an expression with neither a constant value nor references, or an empty block).
fn configured_kind(c: &Json) -> Option<Kind> {
    match c {
        Json::Array(_) => Some(Kind::Blocks(NestingMode::List)),
        c if is_expression(c) => Some(Kind::Attribute),
        Json::Object(o) if o.is_empty() => None,
        Json::Object(o) if o.values().all(|v| v.is_object() && !is_expression(v)) => {
            Some(Kind::Blocks(NestingMode::Map))
        }
        Json::Object(_) => Some(Kind::Blocks(NestingMode::Single)),
        _ => None,
    }
}

/// Whether the planned block `a` has every constant value the configured block `c` gives it.
fn configured_as(c: &Json, a: &Json) -> bool {
    c.as_object().into_iter().flatten().all(|(k, e)| match e.get("constant_value") {
        Some(v) if is_expression(e) => a.get(k) == Some(v),
        _ => true,
    })
}

/// The type of a value, as far as it shows: primitives, lists of one primitive type, maps of strings; anything
/// else dynamic. Null: not known yet (`Json::Null`).
pub(super) fn infer_type(v: &Json) -> Json {
    let prim = |v: &Json| match v {
        Json::String(_) => Some("string"),
        Json::Number(_) => Some("number"),
        Json::Bool(_) => Some("bool"),
        _ => None,
    };
    match v {
        Json::Null => Json::Null,
        Json::Array(items) => match items.first().and_then(prim) {
            Some(t) if items.iter().all(|i| prim(i) == Some(t)) => serde_json::json!(["list", t]),
            _ => Json::String("dynamic".into()),
        },
        Json::Object(m) if m.values().all(Json::is_string) => serde_json::json!(["map", "string"]),
        Json::Object(_) => Json::String("dynamic".into()),
        other => Json::String(prim(other).unwrap_or("dynamic").into()),
    }
}

/// The configuration's `expressions` of every resource and data source of a type in `types`, by their address
/// in the configuration (module calls by name, no instance keys: `module.web.data.acme_x.y`).
pub(super) fn configured_expressions(configuration: &Json, types: &[&str]) -> HashMap<String, Arc<Json>> {
    let mut out = HashMap::new();
    let mut modules = vec![(String::new(), configuration.get("root_module"))];
    while let Some((path, Some(module))) = modules.pop() {
        for r in module.get("resources").and_then(Json::as_array).into_iter().flatten() {
            let field = |k: &str| r.get(k).and_then(Json::as_str).unwrap_or_default();
            let (Some(expressions), true) = (r.get("expressions"), types.contains(&field("type"))) else {
                continue;
            };
            let data = if field("mode") == "data" { "data." } else { "" };
            let address = format!("{path}{data}{}.{}", field("type"), field("name"));
            out.insert(address, Arc::new(expressions.clone()));
        }
        for (name, call) in module.get("module_calls").and_then(Json::as_object).into_iter().flatten() {
            modules.push((format!("{path}module.{name}."), call.get("module")));
        }
    }
    out
}

/// The address in the configuration of a resource instance in module instance `module_address`
/// (`module.web["a"]`): its module calls without their instance keys.
pub(super) fn configured_address(module_address: Option<&str>, data: bool, resource_type: &str, name: &str) -> String {
    let mut path = String::new();
    let (mut in_key, mut in_string, mut escaped) = (false, false, false);
    for ch in module_address.unwrap_or_default().chars() {
        match (in_key, in_string, escaped, ch) {
            (true, true, true, _) => escaped = false,
            (true, true, false, '\\') => escaped = true,
            (true, _, false, '"') => in_string = !in_string,
            (true, false, _, ']') => in_key = false,
            (true, ..) => {}
            (false, _, _, '[') => in_key = true,
            (false, ..) => path.push(ch),
        }
    }
    if !path.is_empty() {
        path.push('.');
    }
    let data = if data { "data." } else { "" };
    format!("{path}{data}{resource_type}.{name}")
}
