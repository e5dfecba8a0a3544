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
use std::collections::{BTreeMap, HashMap};
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
    for (key, at) in level.by_key() {
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
    /// The evidence of each key at this level (each side's value there, and the masks' and configuration's),
    /// gathered in one pass over the level's objects.
    fn by_key(&self) -> BTreeMap<&'a str, Evidence<'a>> {
        let mut out: BTreeMap<&'a str, Evidence<'a>> = BTreeMap::new();
        for (side, objects) in [&self.before, &self.after, &self.unknown, &self.config]
            .into_iter()
            .enumerate()
        {
            for (k, v) in objects.iter().filter_map(|o| o.as_object()).flatten() {
                let e = out.entry(k.as_str()).or_default();
                match side {
                    0 => e.before.push(v),
                    1 => e.after.push(v),
                    2 => e.unknown.push(v),
                    _ => e.config.push(v),
                }
            }
        }
        // The sensitive masks add to the keys there are; they name none of their own.
        for (k, v) in self.sensitive.iter().filter_map(|o| o.as_object()).flatten() {
            if let Some(e) = out.get_mut(k.as_str()) {
                e.sensitive.push(v);
            }
        }
        out
    }

    /// Whether the key these values belong to is an attribute or which kind of nested block.
    fn kind(&self) -> Kind {
        if let Some(kind) = self.config.iter().find_map(|c| configured_kind(c)) {
            return match kind {
                Kind::Blocks(NestingMode::List) if self.is_set() => Kind::Blocks(NestingMode::Set),
                other => other,
            };
        }
        let values: Vec<&Json> = self
            .before
            .iter()
            .chain(&self.after)
            .copied()
            .filter(|v| !v.is_null())
            .collect();
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
        // Bounded: a configuration's repeated blocks are compared pairwise only up to this many.
        const MAX_COMPARED: usize = 256;
        config.len() == after.len()
            && config.len() <= MAX_COMPARED
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
        // The unknown mask adds the members known only after apply (a map's or object's, at any depth).
        let values = self.before.iter().chain(&self.after).map(|v| infer_type(v));
        let ty = values
            .chain(self.unknown.iter().map(|u| unknown_type(u)))
            .fold(Json::Null, unify);
        let ty = settled(ty);
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

/// The type the unknown mask `u` shows: the members and elements it holds, of types not known (`Json::Null`).
fn unknown_type(u: &Json) -> Json {
    match u {
        Json::Array(items) => serde_json::json!(["list", items.iter().map(unknown_type).fold(Json::Null, unify)]),
        Json::Object(m) if !m.is_empty() => {
            let members: serde_json::Map<String, Json> = m.iter().map(|(k, x)| (k.clone(), unknown_type(x))).collect();
            serde_json::json!(["object", members])
        }
        _ => Json::Null,
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
    c.as_object()
        .into_iter()
        .flatten()
        .all(|(k, e)| match e.get("constant_value") {
            Some(v) if is_expression(e) => a.get(k) == Some(v),
            _ => true,
        })
}

/// The type of a value, as far as it shows (cty's JSON form: `"string"`, `["list","number"]`,
/// `["object",{…}]`); `Json::Null` where nothing shows yet (null, an empty collection's elements), to be
/// [`unify`]d with the other side's and [`settled`]. A collection's elements of different types make it
/// `"dynamic"`; an object is a map when its values share a type (`tags`, a map of objects), else an object,
/// and always an object in a list (a list of maps is rare).
pub(super) fn infer_type(v: &Json) -> Json {
    match v {
        Json::Null => Json::Null,
        Json::String(_) => Json::String("string".into()),
        Json::Number(_) => Json::String("number".into()),
        Json::Bool(_) => Json::String("bool".into()),
        Json::Array(items) => {
            let element = |x: &Json| match x {
                Json::Object(m) if !m.is_empty() => object_type(m),
                other => infer_type(other),
            };
            serde_json::json!(["list", items.iter().map(element).fold(Json::Null, unify)])
        }
        // A null member is an object's attribute left unset (a map's elements are rarely null).
        Json::Object(m) if m.values().any(Json::is_null) => object_type(m),
        Json::Object(m) => match m.values().map(infer_type).fold(Json::Null, unify) {
            values if values == "dynamic" => object_type(m),
            values => serde_json::json!(["map", values]),
        },
    }
}

/// The object type of object `m`.
fn object_type(m: &serde_json::Map<String, Json>) -> Json {
    let members: serde_json::Map<String, Json> = m.iter().map(|(k, x)| (k.clone(), infer_type(x))).collect();
    serde_json::json!(["object", members])
}

/// The one type two values of the same attribute have: `a` where `b` shows nothing and back, collections and
/// objects unified member by member (a map and an object: the map, when the object's members fit its element
/// type), else `"dynamic"`.
fn unify(a: Json, b: Json) -> Json {
    let dynamic = || Json::String("dynamic".into());
    let (ka, kb) = (kind(&a), kind(&b));
    match (a, b) {
        (Json::Null, b) => b,
        (a, Json::Null) => a,
        (a, b) if a == b => a,
        (Json::Array(mut a), Json::Array(mut b)) => {
            let (x, y) = (a.pop().unwrap_or_default(), b.pop().unwrap_or_default());
            match (ka, kb) {
                (Some("object"), Some("object")) => {
                    let (Json::Object(mut x), Json::Object(y)) = (x, y) else {
                        return dynamic();
                    };
                    for (k, t) in y {
                        let merged = unify(x.remove(&k).unwrap_or(Json::Null), t);
                        x.insert(k, merged);
                    }
                    serde_json::json!(["object", x])
                }
                (Some("map"), Some("object")) => map_and_object(x, y),
                (Some("object"), Some("map")) => map_and_object(y, x),
                (k, l) if k == l => serde_json::json!([k, unify(x, y)]),
                _ => dynamic(),
            }
        }
        _ => dynamic(),
    }
}

/// The kind of a collection or structural type (`"list"`, `"map"`, `"object"`).
fn kind(ty: &Json) -> Option<&'static str> {
    match ty.get(0).and_then(Json::as_str) {
        Some("list") => Some("list"),
        Some("map") => Some("map"),
        Some("object") => Some("object"),
        _ => None,
    }
}

/// A map of `element` unified with an object of `members`: the map, when every member fits its elements.
fn map_and_object(element: Json, members: Json) -> Json {
    let element = members
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, t)| t.clone())
        .fold(element, unify);
    match element {
        e if e == "dynamic" => Json::String("dynamic".into()),
        e => serde_json::json!(["map", e]),
    }
}

/// `ty` with what showed nothing guessed: a string (an empty list is a list of strings, as Terraform prints it
/// the same whatever its element type).
fn settled(ty: Json) -> Json {
    match ty {
        Json::Null => Json::String("string".into()),
        Json::Array(mut parts) => {
            for p in parts.iter_mut().skip(1) {
                *p = match std::mem::take(p) {
                    Json::Object(members) => Json::Object(members.into_iter().map(|(k, t)| (k, settled(t))).collect()),
                    other => settled(other),
                };
            }
            Json::Array(parts)
        }
        other => other,
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
        for (name, call) in module
            .get("module_calls")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn infer(before: &Json, after: &Json, unknown: &Json, sensitive: &Json, config: Option<&Json>) -> BlockSchema {
        infer_schema(&Evidence {
            before: vec![before],
            after: vec![after],
            unknown: vec![unknown],
            sensitive: vec![sensitive],
            config: config.into_iter().collect(),
        })
    }

    fn mode(s: &BlockSchema, key: &str) -> Option<NestingMode> {
        s.block_types.get(key).map(|b| b.nesting_mode)
    }

    #[test]
    fn an_empty_list_is_a_block_list_unless_configured_as_an_attribute() {
        let v = json!({"jobs": [], "ports": [], "agent": null, "tags": {}});
        let s = infer(
            &v,
            &v,
            &json!({}),
            &json!({}),
            Some(&json!({"ports": {"constant_value": []}})),
        );
        assert_eq!(mode(&s, "jobs"), Some(NestingMode::List));
        assert_eq!(s.attributes["ports"].ty, json!(["list", "string"]));
        assert_eq!(s.attributes["agent"].ty, json!("string"));
        assert_eq!(s.attributes["tags"].ty, json!(["map", "string"]));
        // A list known only after apply is an attribute's value: `(known after apply)`.
        let s = infer(&json!({"ids": []}), &json!({}), &json!({"ids": true}), &json!({}), None);
        assert!(s.attributes.contains_key("ids"), "{s:?}");
    }

    #[test]
    fn the_configuration_tells_attributes_from_single_map_and_repeated_blocks() {
        let v =
            json!({"rules": [{"port": 1}], "cfg": {"path": "p"}, "listener": {"a": {"port": 1}}, "obj": {"k": "v"}});
        let config = json!({
            "rules": {"constant_value": [{"port": 1}]},
            "cfg": {"path": {"constant_value": "p"}},
            "listener": {"a": {"port": {"constant_value": 1}}},
            "obj": {"references": ["var.x"]}
        });
        let s = infer(&v, &v, &json!({}), &json!({}), Some(&config));
        assert_eq!(
            s.attributes["rules"].ty,
            json!(["list", ["object", {"port": "number"}]])
        );
        assert_eq!(mode(&s, "cfg"), Some(NestingMode::Single));
        assert_eq!(mode(&s, "listener"), Some(NestingMode::Map));
        assert!(s.attributes.contains_key("obj"));
    }

    #[test]
    fn a_set_of_blocks_is_told_by_its_whole_sensitive_mark_or_its_order() {
        let b = json!({"variable": [{"name": "A", "value": "1"}], "credential": [{"user": "u", "password": "p"}]});
        let sensitive = json!({"variable": true, "credential": [{"password": true}]});
        let s = infer(&b, &b, &json!({}), &sensitive, None);
        assert_eq!(mode(&s, "variable"), Some(NestingMode::Set));
        assert_eq!(mode(&s, "credential"), Some(NestingMode::List));
        // Planned in another order than the configuration's: a set (Terraform orders a set's elements itself).
        let after = json!({"tag": [{"key": "api"}, {"key": "web"}]});
        let config = |first: &str, second: &str| json!({"tag": [{"key": {"constant_value": first}}, {"key": {"constant_value": second}}]});
        let s = infer(&Json::Null, &after, &json!({}), &json!({}), Some(&config("web", "api")));
        assert_eq!(mode(&s, "tag"), Some(NestingMode::Set));
        let s = infer(&Json::Null, &after, &json!({}), &json!({}), Some(&config("api", "web")));
        assert_eq!(mode(&s, "tag"), Some(NestingMode::List));
    }

    #[test]
    fn attributes_known_only_after_apply_are_found_at_any_depth() {
        let after = json!({"repository": [{"branch": "main"}], "limits": {"cpu": 1}});
        let unknown = json!({"repository": [{"url": true}], "limits": {"memory": true}, "id": true});
        let s = infer(&Json::Null, &after, &unknown, &json!({}), None);
        let repository = &s.block_types["repository"].block;
        assert!(repository.attributes.contains_key("url"), "{repository:?}");
        assert!(s.attributes["id"].computed);
        // An object of one primitive type is read as a map (`tags`), whose unknown members the mask adds.
        assert_eq!(s.attributes["limits"].ty, json!(["map", "number"]));
    }

    #[test]
    fn types_unify_across_the_two_sides() {
        assert_eq!(
            unify(infer_type(&json!([])), infer_type(&json!([1]))),
            json!(["list", "number"])
        );
        assert_eq!(unify(infer_type(&json!("a")), infer_type(&json!(1))), json!("dynamic"));
        let routes = json!({"api": {"enabled": true, "target": "a"}, "web": {"enabled": null, "target": "w"}});
        assert_eq!(
            settled(infer_type(&routes)),
            json!(["map", ["object", {"enabled": "bool", "target": "string"}]])
        );
        assert_eq!(
            settled(infer_type(&json!({"a": null}))),
            json!(["object", {"a": "string"}])
        );
    }

    #[test]
    fn the_configured_address_drops_instance_keys() {
        assert_eq!(configured_address(None, false, "acme_x", "y"), "acme_x.y");
        assert_eq!(
            configured_address(Some(r#"module.a["k]\"[0]"].module.b[1]"#), true, "acme_x", "y"),
            "module.a.module.b.data.acme_x.y"
        );
        let configuration = json!({"root_module": {"resources": [{"mode": "managed", "type": "acme_x", "name": "y",
            "expressions": {"n": {"constant_value": 1}}}], "module_calls": {"a": {"module": {"resources": [
            {"mode": "data", "type": "acme_x", "name": "y", "expressions": {}},
            {"mode": "managed", "type": "other", "name": "z", "expressions": {}}]}}}}});
        let found = configured_expressions(&configuration, &["acme_x"]);
        let mut keys: Vec<&String> = found.keys().collect();
        keys.sort();
        assert_eq!(keys, ["acme_x.y", "module.a.data.acme_x.y"]);
    }
}
