//! The JSON view's attribute tree ([`AttributeChange`]) read off a resource's structured change: the one adapter
//! from the structured differ's tree to the model's older attribute list, kept while the JSON view reads it.

use super::model::{AttributeChange, Change, Node, Value};
use super::structured::{Act, Diff, Renderer};
use serde_json::Value as Json;

/// A body's changed attributes and blocks, and the counts of those that do not change.
#[derive(Debug, Default)]
pub(crate) struct Attributes {
    pub(crate) changes: Vec<AttributeChange>,
    pub(crate) unchanged_attributes: usize,
    pub(crate) unchanged_blocks: usize,
}

/// The attribute tree of a block node (a resource's top level, or a nested block). At the top level, the
/// unchanged `id`, `name` and `tags` are listed (as Terraform's text shows them) when the resource is updated.
pub(crate) fn of(d: &Diff, top: bool) -> Attributes {
    let mut out = Attributes::default();
    let Renderer::Block { attributes, blocks } = &inner(d).renderer else {
        return out;
    };
    for (name, a) in attributes {
        let identifying = top && d.action == Act::Update && matches!(name.as_str(), "id" | "name" | "tags");
        if a.action == Act::NoOp && !identifying {
            out.unchanged_attributes += 1;
            continue;
        }
        let mut change = AttributeChange::value(name, side(a, false), side(a, true));
        change.change = change_of(a.action);
        change.forces_replacement = a.replace && a.action != Act::NoOp;
        out.changes.push(change);
    }
    for g in blocks {
        if g.before_sensitive || g.after_sensitive {
            // A block type marked sensitive as a whole is one sensitive value, whatever it holds.
            let d = g.blocks.iter().map(|(_, b)| b.action).find(|a| *a != Act::NoOp);
            match d {
                None => out.unchanged_blocks += g.blocks.len(),
                Some(action) => {
                    let shown = |present: bool| present.then_some(Value::Sensitive);
                    let mut change =
                        AttributeChange::value(&g.name, shown(action != Act::Create), shown(action != Act::Delete));
                    change.change = change_of(action);
                    out.changes.push(change);
                }
            }
            continue;
        }
        for (_, b) in &g.blocks {
            if b.action == Act::NoOp {
                out.unchanged_blocks += 1;
                continue;
            }
            let nested = of(b, false);
            let forces = (g.replace || nested.changes.iter().any(|c| c.forces_replacement))
                && matches!(b.action, Act::Create | Act::Delete);
            out.changes.push(AttributeChange {
                name: g.name.clone(),
                change: change_of(b.action),
                forces_replacement: forces,
                node: Node::Block {
                    key: key(&g.name, b),
                    attributes: nested.changes,
                    unchanged_attributes: nested.unchanged_attributes,
                    unchanged_blocks: nested.unchanged_blocks,
                },
            });
        }
    }
    out
}

fn inner(d: &Diff) -> &Diff {
    match &d.renderer {
        Renderer::SensitiveBlock { inner: i, .. } => inner(i),
        _ => d,
    }
}

fn change_of(a: Act) -> Change {
    match a {
        Act::Create => Change::Create,
        Act::Update => Change::Update,
        Act::Delete => Change::Delete,
        Act::NoOp => Change::Unchanged,
    }
}

/// A block's identity among its siblings, as shown (`location = "westeurope"`): the first of the type's identity
/// keys it has as a known string.
fn key(block_type: &str, b: &Diff) -> Option<String> {
    let Renderer::Block { attributes, .. } = &inner(b).renderer else {
        return None;
    };
    crate::azurerm::facts::blocks::identity_keys(block_type)
        .iter()
        .find_map(|k| {
            let (_, a) = attributes.iter().find(|(n, _)| n == k)?;
            let after = b.action != Act::Delete;
            match side(a, after)? {
                Value::Known(Json::String(s)) => Some(format!("{k} = {}", Json::String(s))),
                _ => None,
            }
        })
}

/// A node's value on one side (`after`: the new one), `None` where the side is absent.
fn side(d: &Diff, after: bool) -> Option<Value> {
    match (d.action, after) {
        (Act::Create, false) | (Act::Delete, true) => return None,
        _ => {}
    }
    Some(match &d.renderer {
        Renderer::Primitive { before, after: a, .. } => Value::Known(if after { a.clone() } else { before.clone() }),
        Renderer::Sensitive { .. } | Renderer::SensitiveBlock { .. } => Value::Sensitive,
        Renderer::Unknown { before, written } if !after => return before.as_deref().and_then(|b| side(b, false)),
        Renderer::Unknown { written, .. } => written.clone().map_or(Value::Unknown, Value::Expression),
        Renderer::TypeChange { before, after: a } => return side(if after { a } else { before }, after),
        Renderer::List { elements, .. } | Renderer::Set { elements, .. } => {
            let items: Vec<Value> = elements.iter().filter_map(|e| side(e, after)).collect();
            match items.iter().map(known).collect::<Option<Vec<Json>>>() {
                Some(all) => Value::Known(Json::Array(all)),
                None => Value::PartlyUnknown(items),
            }
        }
        Renderer::Map { elements, .. }
        | Renderer::Object {
            attributes: elements, ..
        } => {
            let entries: Vec<(String, Value)> = elements
                .iter()
                .filter_map(|(k, e)| side(e, after).map(|v| (k.clone(), v)))
                .collect();
            match entries
                .iter()
                .map(|(k, v)| Some((k.clone(), known(v)?)))
                .collect::<Option<_>>()
            {
                Some(all) => Value::Known(Json::Object(all)),
                None => Value::PartlyUnknownMap(entries),
            }
        }
        Renderer::Block { .. } => return None,
    })
}

fn known(v: &Value) -> Option<Json> {
    match v {
        Value::Known(j) => Some(j.clone()),
        _ => None,
    }
}
