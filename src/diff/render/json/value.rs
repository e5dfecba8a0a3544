//! An attribute's value on one side of its change, read from the structured change: one function per kind of node
//! ([`Renderer`]). The JSON view shows an attribute's whole value (`{"value": …}`), so a collection or object is
//! put back together from its elements; a value with any part sensitive is `{"sensitive": true}` and, failing
//! that, one with any part known only after apply is `{"unknown": true}`. Values are as Terraform's text shows
//! them: null attributes of objects are left out and, in a legacy (SDKv2) schema, an empty string is null.

use crate::diff::model::Value;
use crate::diff::structured::{Act, BlockGroup, Diff, Nest, Renderer};
use serde_json::{Map, Value as Json};

/// Before or after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Before,
    After,
}

impl Side {
    fn pick<'a, T>(self, before: &'a T, after: &'a T) -> &'a T {
        match self {
            Side::Before => before,
            Side::After => after,
        }
    }
}

/// A whole value, or why it cannot be shown ([`Value::Sensitive`] or [`Value::Unknown`]).
type Shown = Result<Json, Value>;

/// `d`'s value on `side`; `None` when it is absent there (created, or deleted).
pub(super) fn side(d: &Diff, side: Side) -> Option<Value> {
    present(d, side).then(|| value(d, side).map_or_else(|masked| masked, Value::Known))
}

fn present(d: &Diff, side: Side) -> bool {
    !matches!(
        (d.action, side),
        (Act::Create, Side::Before) | (Act::Delete, Side::After)
    )
}

/// Whether `d` or anything in it forces replacement.
pub(super) fn forces(d: &Diff) -> bool {
    d.replace
        || match &d.renderer {
            Renderer::Primitive { .. } => false,
            Renderer::Sensitive { inner, .. } | Renderer::SensitiveBlock { inner, .. } => forces(inner),
            Renderer::Unknown { before, .. } => before.as_deref().is_some_and(forces),
            Renderer::TypeChange { before, after } => forces(before) || forces(after),
            Renderer::List { elements, .. } | Renderer::Set { elements, .. } => elements.iter().any(forces),
            Renderer::Map { elements, .. }
            | Renderer::Object {
                attributes: elements, ..
            } => elements.iter().any(|(_, e)| forces(e)),
            Renderer::Block { attributes, blocks } => {
                attributes.iter().any(|(_, a)| forces(a))
                    || blocks
                        .iter()
                        .any(|g| g.replace || g.blocks.iter().any(|(_, b)| forces(b)))
            }
        }
}

fn value(d: &Diff, side: Side) -> Shown {
    match &d.renderer {
        Renderer::Primitive { before, after, .. } => primitive(before, after, side),
        Renderer::Sensitive { .. } | Renderer::SensitiveBlock { .. } => sensitive(),
        Renderer::Unknown { before, written } => unknown(before.as_deref(), written.as_deref(), side),
        Renderer::TypeChange { before, after } => value(side.pick(before, after), side),
        Renderer::List { elements, .. } | Renderer::Set { elements, .. } => list(elements, side),
        Renderer::Map { elements, .. }
        | Renderer::Object {
            attributes: elements, ..
        } => object(elements, side),
        Renderer::Block { attributes, blocks } => block(attributes, blocks, side),
    }
}

/// A string, number, bool or null, as written (a string holding JSON is kept as the string).
fn primitive(before: &Json, after: &Json, side: Side) -> Shown {
    Ok(side.pick(before, after).clone())
}

/// Sensitive on either side: masked on both, so neither side's value is ever shown.
fn sensitive() -> Shown {
    Err(Value::Sensitive)
}

/// Known after apply (or, offline, a value kept as written: its source text); before it, the old value if there
/// was one.
fn unknown(before: Option<&Diff>, written: Option<&str>, side: Side) -> Shown {
    match (side, before, written) {
        (Side::Before, Some(b), _) => value(b, Side::Before),
        (Side::Before, None, _) => Ok(Json::Null),
        (Side::After, _, Some(text)) => Err(Value::Expression(text.to_string())),
        (Side::After, _, None) => Err(Value::Unknown),
    }
}

/// A list, set or tuple: the elements present on `side`, in order.
fn list(elements: &[Diff], side: Side) -> Shown {
    collect(elements.iter().filter(|e| present(e, side)).map(|e| value(e, side))).map(Json::Array)
}

/// A map or object: the keys present on `side`.
fn object(elements: &[(String, Diff)], side: Side) -> Shown {
    let shown = elements
        .iter()
        .filter(|(_, e)| present(e, side))
        .map(|(k, e)| value(e, side).map(|v| (k.clone(), v)));
    collect(shown).map(|entries| Json::Object(entries.into_iter().collect()))
}

/// A nested block as an object: its attributes, and its nested blocks by type (a list, a single object or a map,
/// as they nest).
fn block(attributes: &[(String, Diff)], groups: &[BlockGroup], side: Side) -> Shown {
    let mut out = match object(attributes, side)? {
        Json::Object(m) => m,
        _ => Map::new(),
    };
    for g in groups {
        out.insert(g.name.clone(), group(g, side)?);
    }
    Ok(Json::Object(out))
}

/// The blocks of one type on `side`, as their nesting mode lays them out.
pub(super) fn group(g: &BlockGroup, side: Side) -> Shown {
    if *side.pick(&g.before_sensitive, &g.after_sensitive) {
        return sensitive();
    }
    if g.unknown && side == Side::After {
        return Err(Value::Unknown);
    }
    let blocks = g.blocks.iter().filter(|(_, b)| present(b, side));
    match g.nesting {
        Nest::List | Nest::Set => collect(blocks.map(|(_, b)| value(b, side))).map(Json::Array),
        Nest::Single => blocks.map(|(_, b)| value(b, side)).next().unwrap_or(Ok(Json::Null)),
        Nest::Map => {
            let entries = blocks.map(|(k, b)| value(b, side).map(|v| (k.clone().unwrap_or_default(), v)));
            collect(entries).map(|e| Json::Object(e.into_iter().collect()))
        }
    }
}

/// Every item, or the strongest mask among them: sensitive before unknown, so nothing sensitive is shown
/// whatever else the value holds.
fn collect<T>(items: impl Iterator<Item = Result<T, Value>>) -> Result<Vec<T>, Value> {
    let mut out = vec![];
    let mut masked = None;
    for item in items {
        match item {
            Ok(v) => out.push(v),
            Err(Value::Sensitive) => return Err(Value::Sensitive),
            Err(m) => masked = Some(m),
        }
    }
    masked.map_or(Ok(out), Err)
}
