//! What an offline diff and `infra drift` hand the structured differ ([`super::structured`]): their bodies
//! (attributes and nested blocks, as [`BodyValues`]) as before/after JSON values with their unknown and sensitive masks,
//! the provider schema completed with what it does not describe, and the differ's options for sources that are not
//! plans — values kept as written (`{"$expression": "…"}`), ForceNew paths from the provider's notes, repeated
//! blocks paired by identity.

use super::model::{Action, ResourceChange, Value};
use super::structured::{self, Act, Diff, Options, Renderer, Replace, Sides, EXPRESSION};
use crate::terraform::schema::{BlockSchema, NestingMode};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// An attribute's value as an offline diff or `infra drift` reads it: what may be shown, and what to compare when
/// that is not `shown` itself (a value in the form Azure stores it, a masked secret — which never leaves the
/// differ's input —, an expression's text).
#[derive(Debug, Clone)]
pub(crate) struct AttributeValue {
    pub(crate) shown: Value,
    /// What to compare when it is not `shown` itself; `None` compares `shown`.
    pub(crate) cmp: Option<Json>,
}

/// A body as an offline diff or `infra drift` reads it, before it is one side of the structured differ's input:
/// attributes by name and nested blocks by type, whatever they were read from (a configuration, a live object).
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyValues {
    pub(crate) attrs: BTreeMap<String, AttributeValue>,
    pub(crate) blocks: BTreeMap<String, Vec<BodyValues>>,
}

impl BodyValues {
    /// Whether `self` and `other` are the same known body: every value known (or kept as written) and equal on
    /// both sides, block for block. The structured differ would find no change; an offline diff of many unchanged
    /// resources skips it.
    pub(crate) fn same_known(&self, other: &BodyValues) -> bool {
        let known = |a: &AttributeValue| matches!(a.shown, Value::Known(_) | Value::Expression(_));
        self.attrs.len() == other.attrs.len()
            && self.blocks.len() == other.blocks.len()
            && self
                .attrs
                .iter()
                .zip(&other.attrs)
                .all(|((k, a), (l, b))| k == l && known(a) && known(b) && a.shown == b.shown && a.cmp == b.cmp)
            && self
                .blocks
                .iter()
                .zip(&other.blocks)
                .all(|((k, a), (l, b))| k == l && a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_known(y)))
    }

    /// The body's attributes in their compared form (a known string as compared), for pairing its blocks by
    /// identity ([`super::structured::pair_by_identity`]).
    pub(crate) fn compared(&self) -> Json {
        let attrs = self.attrs.iter().filter_map(|(k, a)| {
            let v = match (&a.shown, &a.cmp) {
                (Value::Known(Json::String(_)), Some(c @ Json::String(_))) => c.clone(),
                (Value::Known(s @ Json::String(_)), _) => s.clone(),
                _ => return None,
            };
            Some((k.clone(), v))
        });
        Json::Object(attrs.collect())
    }
}

/// One side of a change: the value and its masks.
#[derive(Default)]
struct Side {
    value: Json,
    unknown: Json,
    sensitive: Json,
    /// `true` where the value is kept as written (`{"$expression": text}`): the differ's written mask.
    written: Json,
}

/// A number of a configuration (evaluated in f64, `hcl::Number`) as Terraform writes numbers in a plan: in
/// positional notation with the fewest digits that read back (`1000000000000000000000`, `0.000001`, not `1e21`,
/// `1e-6`), and `-0` as `0` (cty's JSON form, `big.Float.Text('f', -1)`; `tests/fixtures/plan-corpus/exact_numbers`).
pub(crate) fn number(n: &::hcl::Number) -> Json {
    let text = match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.to_string(),
        (None, Some(u), _) => u.to_string(),
        (None, None, Some(0.0)) => "0".to_string(),
        (None, None, Some(f)) => format!("{f}"),
        (None, None, None) => return Json::Null,
    };
    text.parse().map_or(Json::Null, Json::Number)
}

/// The structured change of a resource from its two bodies (`None`: absent on that side). `force_new`: the
/// resource type whose ForceNew notes decide what forces replacement (for a resource on both sides); `computed`:
/// the schema's computed-only attributes the configuration does not set are known after apply (a create).
pub(crate) fn resource(
    before: Option<&BodyValues>,
    after: Option<&BodyValues>,
    schema: Option<&BlockSchema>,
    force_new: Option<&str>,
    computed: bool,
) -> Diff {
    let nested = |o: Option<&BodyValues>| o.map(|o| side(o, schema)).unwrap_or_default();
    diff_sides(nested(before), nested(after), schema, force_new, computed)
}

/// The structured change of a resource from its two sides, each a value with its masks.
fn diff_sides(b: Side, mut a: Side, schema: Option<&BlockSchema>, force_new: Option<&str>, computed: bool) -> Diff {
    let values = [&b.value, &a.value];
    // Completing the schema means a copy of it; most bodies are fully described by it, and a large offline diff
    // or drift would otherwise copy a resource type's whole schema per resource.
    let schema = match schema {
        Some(s) if described(s, &values) => std::borrow::Cow::Borrowed(s),
        _ => {
            let mut owned = schema.cloned().unwrap_or_default();
            complete(&mut owned, &values, &a.unknown);
            std::borrow::Cow::Owned(owned)
        }
    };
    let schema = schema.as_ref();
    if computed {
        for (name, attr) in &schema.attributes {
            let set = a.value.get(name).is_some_and(|v| !v.is_null());
            if attr.computed && !attr.optional && !attr.required && !set {
                mask(&mut a.unknown).insert(name.clone(), Json::Bool(true));
            }
        }
    }
    let sides = Sides {
        before: &b.value,
        after: &a.value,
        after_unknown: &a.unknown,
        before_sensitive: &b.sensitive,
        after_sensitive: &a.sensitive,
        before_written: &b.written,
        after_written: &a.written,
    };
    let replace = match force_new {
        Some(t) => Replace::ForceNew(t),
        None => Replace::Plan(&[]),
    };
    structured::resource_with(sides, replace, false, schema, OPTIONS)
}

impl ResourceChange {
    /// A change built by hand from the resource's values before and after (`null`: absent on that side), in the
    /// form `terraform show -json` gives them: attributes by name, nested blocks as lists of objects (a single
    /// block as an object). It is diffed as `infra drift` diffs declared against live values — the same structured
    /// differ as a plan's, with the resource type's schema from `schemas` (attributes it marks sensitive are
    /// masked; without one, the layout is inferred from the values), repeated blocks paired by identity, a value
    /// `{"$expression": "var.x"}` kept as written, and, when the resource exists on both sides, the provider's
    /// ForceNew arguments forcing replacement. `action` is what the views say is done to it.
    ///
    /// ```
    /// use infra::diff::{Action, ChangeSet, ResourceChange, Source};
    /// use serde_json::json;
    /// let change = ResourceChange::from_values(
    ///     "azurerm_container_registry.main",
    ///     Action::Update,
    ///     &json!({"name": "acr", "sku": "Premium"}),
    ///     &json!({"name": "acr", "sku": "Basic"}),
    ///     infra::azurerm::builtin_schemas(),
    /// );
    /// let mut set = ChangeSet::new(Source::Drift);
    /// set.changes.push(change);
    /// let text = infra::diff::text::render(&set, false);
    /// assert!(text.contains(r#"~ sku  = "Premium" -> "Basic""#), "{text}");
    /// ```
    pub fn from_values(
        address: &str,
        action: Action,
        before: &Json,
        after: &Json,
        schemas: &crate::terraform::Schemas,
    ) -> ResourceChange {
        let mut change = ResourceChange::new(address, action);
        let schema = schemas.get(change.kind == "data", &change.resource_type);
        let side = |value: &Json| Side {
            sensitive: schema.map_or(Json::Null, |s| schema_sensitive(value, s)),
            value: value.clone(),
            unknown: Json::Null,
            written: Json::Null,
        };
        let both = !before.is_null() && !after.is_null();
        let force_new = both.then_some(change.resource_type.as_str());
        let d = diff_sides(side(before), side(after), schema, force_new, false);
        change.structured = Some(Box::new(d));
        change
    }
}

/// The sensitive mask of a body's value: `true` at every attribute `schema` marks sensitive, in nested blocks too.
fn schema_sensitive(value: &Json, schema: &BlockSchema) -> Json {
    let Some(o) = value.as_object() else {
        return Json::Null;
    };
    let mut m = Map::new();
    for (k, v) in o {
        if schema.attributes.get(k).is_some_and(|a| a.sensitive) {
            m.insert(k.clone(), Json::Bool(true));
        } else if let Some(nested) = schema.block_types.get(k) {
            let inner = match v {
                Json::Array(items) => {
                    let masks: Vec<Json> = items.iter().map(|i| schema_sensitive(i, &nested.block)).collect();
                    if masks.iter().all(Json::is_null) {
                        Json::Null
                    } else {
                        Json::Array(masks)
                    }
                }
                other => schema_sensitive(other, &nested.block),
            };
            if !inner.is_null() {
                m.insert(k.clone(), inner);
            }
        }
    }
    if m.is_empty() {
        Json::Null
    } else {
        Json::Object(m)
    }
}

/// An output's structured change from its two values (`None`: absent).
pub(crate) fn output(before: Option<&Value>, after: Option<&Value>) -> Diff {
    let (b, a) = (
        before.map(|v| leaf_side(v, None)).unwrap_or_default(),
        after.map(|v| leaf_side(v, None)).unwrap_or_default(),
    );
    let sides = Sides {
        before: &b.value,
        after: &a.value,
        after_unknown: &a.unknown,
        before_sensitive: &b.sensitive,
        after_sensitive: &a.sensitive,
        before_written: &b.written,
        after_written: &a.written,
    };
    structured::output_with(sides, OPTIONS)
}

/// The differ's options for offline diffs and drift.
const OPTIONS: Options = Options {
    expressions: true,
    identity: true,
};

fn mask(m: &mut Json) -> &mut Map<String, Json> {
    if !m.is_object() {
        *m = Json::Object(Map::new());
    }
    m.as_object_mut().expect("an object")
}

/// A value as the differ reads it: known values as they are, values kept as written as `{"$expression": text}`,
/// unknown ones null under a `true` unknown mark, sensitive ones (compared by `cmp`) under a `true` sensitive mark.
fn leaf_side(shown: &Value, cmp: Option<&Json>) -> Side {
    let known = |value: Json| Side {
        value,
        ..Side::default()
    };
    match shown {
        Value::Known(j) => known(j.clone()),
        Value::Expression(text) => Side {
            value: serde_json::json!({ EXPRESSION: text }),
            written: Json::Bool(true),
            ..Side::default()
        },
        Value::Unknown | Value::PartlyUnknown(_) | Value::PartlyUnknownMap(_) => Side {
            unknown: Json::Bool(true),
            ..Side::default()
        },
        Value::Sensitive => Side {
            value: cmp.cloned().unwrap_or(Json::Null),
            sensitive: Json::Bool(true),
            ..Side::default()
        },
    }
}

/// A body as a value with its masks; nested blocks as lists of objects (a single block as an object, when the
/// schema nests it so).
fn side(o: &BodyValues, schema: Option<&BlockSchema>) -> Side {
    let mut out = Side {
        value: Json::Object(Map::new()),
        ..Side::default()
    };
    let mut put = |name: &str, s: Side| {
        if let Some(m) = out.value.as_object_mut() {
            m.insert(name.to_string(), s.value);
        }
        if !s.unknown.is_null() {
            mask(&mut out.unknown).insert(name.to_string(), s.unknown);
        }
        if !s.sensitive.is_null() {
            mask(&mut out.sensitive).insert(name.to_string(), s.sensitive);
        }
        if !s.written.is_null() {
            mask(&mut out.written).insert(name.to_string(), s.written);
        }
    };
    for (name, AttributeValue { shown, cmp }) in &o.attrs {
        put(name, leaf_side(shown, cmp.as_ref()));
    }
    for (name, blocks) in &o.blocks {
        let nested = schema.and_then(|s| s.block_types.get(name));
        let sides: Vec<Side> = blocks.iter().map(|b| side(b, nested.map(|n| &n.block))).collect();
        let single = nested.is_some_and(|n| matches!(n.nesting_mode, NestingMode::Single | NestingMode::Group));
        let s = match sides.into_iter().next() {
            Some(first) if single => first,
            first => {
                let rest = blocks.iter().skip(1).map(|b| side(b, nested.map(|n| &n.block)));
                let all: Vec<Side> = first.into_iter().chain(rest).collect();
                let masks = |f: fn(&Side) -> &Json| {
                    let items: Vec<Json> = all.iter().map(|s| f(s).clone()).collect();
                    if items.iter().all(Json::is_null) {
                        Json::Null
                    } else {
                        Json::Array(items)
                    }
                };
                Side {
                    unknown: masks(|s| &s.unknown),
                    sensitive: masks(|s| &s.sensitive),
                    written: masks(|s| &s.written),
                    value: Json::Array(all.into_iter().map(|s| s.value).collect()),
                }
            }
        };
        put(name, s);
    }
    out
}

/// `schema` completed with what the values have and it does not describe (an attribute it does not know, a
/// `dynamic` block, a module call's arguments, a type with no schema): inferred from the values, as for a plan of
/// a type with no schema.
/// Whether `schema` names every key of `values` (objects; nested blocks' values recursively), so that [`complete`]
/// would add nothing.
fn described(schema: &BlockSchema, values: &[&Json]) -> bool {
    values.iter().all(|v| match v {
        Json::Object(o) => o.iter().all(|(k, x)| {
            if schema.attributes.contains_key(k) {
                return true;
            }
            let Some(nested) = schema.block_types.get(k) else {
                return false;
            };
            match x {
                Json::Array(items) => described(&nested.block, &items.iter().collect::<Vec<_>>()),
                Json::Null => true,
                other => described(&nested.block, &[other]),
            }
        }),
        Json::Null => true,
        _ => false,
    })
}

fn complete(schema: &mut BlockSchema, values: &[&Json], unknown: &Json) {
    let evidence = super::from_plan::Evidence {
        before: values.to_vec(),
        unknown: vec![unknown],
        ..Default::default()
    };
    let inferred = super::from_plan::infer_schema(&evidence);
    for (k, a) in inferred.attributes {
        if !schema.block_types.contains_key(&k) {
            schema.attributes.entry(k).or_insert(a);
        }
    }
    for (k, b) in inferred.block_types {
        if !schema.attributes.contains_key(&k) {
            schema.block_types.entry(k).or_insert(b);
        }
    }
    for (k, nested) in schema.block_types.iter_mut() {
        let children: Vec<&Json> = values
            .iter()
            .filter_map(|v| v.get(k))
            .flat_map(|x| match x {
                Json::Array(items) => items.iter().collect(),
                other => vec![other],
            })
            .collect();
        complete(&mut nested.block, &children, &Json::Null);
    }
}

/// What a resource's structured change says about its paths: which force replacement, and which change.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ChangedPaths {
    /// Dotted paths of changed attributes that force replacement, and of added or removed blocks that do (a block
    /// is one path: its own, when it or anything in it forces replacement).
    pub(crate) forcing: Vec<String>,
    /// Dotted paths of every changed attribute, and of blocks added or removed.
    pub(crate) changed: Vec<String>,
}

/// The [`ChangedPaths`] of a resource's structured change `d` (its top-level block).
pub(crate) fn changed_paths(d: &Diff) -> ChangedPaths {
    let mut out = ChangedPaths::default();
    walk(d, "", &mut out, &mut Vec::new());
    out
}

/// Every changed path of a resource's structured change `d` ([`ChangedPaths::changed`]) with its node (a changed
/// attribute; a block added or removed, as one node), and whether it forces replacement.
pub(crate) fn changed_nodes(d: &Diff) -> Vec<(String, &Diff, bool)> {
    let mut out = ChangedPaths::default();
    let mut nodes = Vec::new();
    walk(d, "", &mut out, &mut nodes);
    nodes
        .into_iter()
        .map(|(path, node)| {
            let forces = out.forcing.contains(&path);
            (path, node, forces)
        })
        .collect()
}

fn walk<'d>(d: &'d Diff, prefix: &str, out: &mut ChangedPaths, nodes: &mut Vec<(String, &'d Diff)>) {
    let Renderer::Block { attributes, blocks } = &d.renderer else {
        return;
    };
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for (name, a) in attributes.iter().filter(|(_, a)| a.action != Act::NoOp) {
        if a.replace {
            out.forcing.push(join(name));
        }
        out.changed.push(join(name));
        nodes.push((join(name), a));
    }
    for g in blocks {
        let path = join(&g.name);
        for (_, b) in g.blocks.iter().filter(|(_, b)| b.action != Act::NoOp) {
            let inner = block_of(b);
            if b.action == Act::Update {
                match inner {
                    Some(inner) => walk(inner, &path, out, nodes),
                    None => {
                        out.changed.push(path.clone());
                        nodes.push((path.clone(), b));
                    }
                }
                if g.replace && !out.forcing.contains(&path) {
                    out.forcing.push(path.clone());
                }
                continue;
            }
            let mut within = ChangedPaths::default();
            if let Some(inner) = inner {
                walk(inner, &path, &mut within, &mut Vec::new());
            }
            if (g.replace || !within.forcing.is_empty()) && !out.forcing.contains(&path) {
                out.forcing.push(path.clone());
            }
            out.changed.push(path.clone());
            nodes.push((path.clone(), b));
        }
    }
}

/// The counts of what does not change at the top level of a resource's structured change `d`: attributes, and
/// nested blocks.
pub(crate) fn unchanged_counts(d: &Diff) -> (usize, usize) {
    let Renderer::Block { attributes, blocks } = &d.renderer else {
        return (0, 0);
    };
    let attrs = attributes.iter().filter(|(_, a)| a.action == Act::NoOp).count();
    let blocks = blocks
        .iter()
        .flat_map(|g| &g.blocks)
        .filter(|(_, b)| b.action == Act::NoOp)
        .count();
    (attrs, blocks)
}

/// The block under a (sensitive) block node.
fn block_of(d: &Diff) -> Option<&Diff> {
    match &d.renderer {
        Renderer::Block { .. } => Some(d),
        Renderer::SensitiveBlock { inner, .. } => block_of(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn configuration_numbers_are_written_as_terraform_writes_them() {
        let shown = |f: f64| super::number(&::hcl::Number::from_f64(f).unwrap()).to_string();
        assert_eq!(shown(1e21), "1000000000000000000000");
        assert_eq!(shown(0.000001), "0.000001");
        assert_eq!(shown(-0.0), "0");
        assert_eq!(shown(2.5), "2.5");
        assert_eq!(shown(3.0), "3");
        assert_eq!(
            super::number(&::hcl::Number::from(u64::MAX)).to_string(),
            "18446744073709551615"
        );
    }

    use super::{AttributeValue, BodyValues, Value};
    use serde_json::json;

    /// `infra drift` compares normalised values: blocks are paired by their key in its compared form
    /// (`203.0.113.7` is `203.0.113.7/32`), which the differ then shows as read.
    #[test]
    fn blocks_pair_by_their_key_as_compared() {
        let rule = |shown: &str, cmp: &str| {
            let mut o = BodyValues::default();
            let value = AttributeValue {
                shown: Value::Known(json!(shown)),
                cmp: Some(json!(cmp)),
            };
            o.attrs.insert("ip_range".into(), value);
            o.compared()
        };
        let live = [
            rule("198.51.100.0/24", "198.51.100.0/24"),
            rule("203.0.113.7/32", "203.0.113.7/32"),
        ];
        let declared = [
            rule("203.0.113.7", "203.0.113.7/32"),
            rule("198.51.100.0/24", "198.51.100.0/24"),
        ];
        assert_eq!(
            crate::diff::structured::pair_by_identity(&live, &declared, "ip_rule"),
            vec![(Some(1), Some(0)), (Some(0), Some(1))]
        );
    }
}
