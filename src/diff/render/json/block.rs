//! Blocks (a resource's top-level block and nested blocks) as the JSON view's change tree: the attributes that
//! change (and the unchanged `id`, `name` and `tags`, which identify the object, as Terraform's text shows them),
//! then the nested blocks that change, by type; the rest counted. Blocks pair as Terraform pairs them (lists by
//! position, sets by equality, maps by key: [`crate::diff::structured`]).

use super::node::{change, Body, Kind, Node};
use super::value::{forces, group as group_value, side, Side};
use crate::diff::model::{json_text, Change, Value};
use crate::diff::render::text::important;
use crate::diff::structured::{Act, BlockGroup, Diff, Nest, Renderer};
use serde_json::Value as Json;

/// A resource's change tree, from its structured change. A resource masked or unknown as a whole has none.
pub(super) fn resource(d: &Diff) -> Body {
    match &d.renderer {
        Renderer::Block { attributes, blocks } => body(attributes, blocks),
        _ => Body::default(),
    }
}

/// A block's attributes and nested blocks.
fn body(attributes: &[(String, Diff)], groups: &[BlockGroup]) -> Body {
    let mut out = Body::default();
    for (name, a) in attributes {
        if a.action == Act::NoOp && !important(name) {
            out.unchanged_attributes += 1;
            continue;
        }
        out.attributes.push(attribute(name, a, false));
    }
    for g in groups {
        group(&mut out, g);
    }
    out
}

/// An attribute (or a block shown as one value: sensitive or unknown), with its values on both sides.
fn attribute(name: &str, d: &Diff, forced: bool) -> Node {
    Node::attribute(
        name,
        change(d.action),
        forced || forces(d),
        side(d, Side::Before),
        side(d, Side::After),
    )
}

/// The blocks of one type into `out`. A type the plan marks sensitive or unknown as a whole is one attribute
/// node (its blocks are not shown one by one: their number may be what is hidden).
fn group(out: &mut Body, g: &BlockGroup) {
    if g.before_sensitive || g.after_sensitive || (g.unknown && g.nesting != Nest::Single) {
        let node = whole_group(g);
        if node.change == Change::Unchanged {
            out.unchanged_blocks += g.blocks.len();
        } else {
            out.attributes.push(node);
        }
        return;
    }
    for (key, b) in &g.blocks {
        if b.action == Act::NoOp {
            out.unchanged_blocks += 1;
            continue;
        }
        let forced = g.replace || b.replace;
        match &b.renderer {
            Renderer::Block { attributes, blocks } => out.attributes.push(Node {
                name: g.name.clone(),
                change: change(b.action),
                forces_replacement: forced,
                kind: Kind::Block {
                    key: label(&g.name, key.as_deref(), b.action, attributes),
                    body: body(attributes, blocks),
                },
            }),
            // A block masked (`SensitiveBlock`) or known only after apply: its value only.
            _ => out.attributes.push(attribute(&g.name, b, forced)),
        }
    }
}

/// A block type masked or unknown as a whole, as one attribute.
fn whole_group(g: &BlockGroup) -> Node {
    // All the blocks' action when they share one, else an update; a change of sensitivity alone is an update.
    let mut actions = g.blocks.iter().map(|(_, b)| b.action);
    let action = match actions.next() {
        _ if g.unknown && g.blocks.iter().any(|(_, b)| b.action != Act::Create) => Act::Update,
        _ if g.unknown => Act::Create,
        None => Act::NoOp,
        Some(first) if actions.all(|a| a == first) => first,
        Some(_) => Act::Update,
    };
    let action = if action == Act::NoOp && g.before_sensitive != g.after_sensitive {
        Act::Update
    } else {
        action
    };
    let shown = |s: Side| {
        let absent = matches!((action, s), (Act::Create, Side::Before) | (Act::Delete, Side::After));
        (!absent).then(|| group_value(g, s).map_or_else(|masked| masked, Value::Known))
    };
    Node::attribute(
        &g.name,
        change(action),
        g.replace,
        shown(Side::Before),
        shown(Side::After),
    )
}

/// What identifies a nested block among its siblings: its key in a map of blocks (`"primary"`), else the first of
/// the block type's identity attributes ([`crate::azurerm::facts::blocks::identity_keys`]: a replica's
/// `location`, else `name` …) with a known string value that the change keeps (`name = "APP_VERSION"`).
fn label(block_type: &str, map_key: Option<&str>, action: Act, attributes: &[(String, Diff)]) -> Option<String> {
    if let Some(k) = map_key {
        return Some(json_text(&Json::String(k.to_string())));
    }
    crate::azurerm::facts::blocks::identity_keys(block_type)
        .iter()
        .find_map(|k| {
            let (_, a) = attributes.iter().find(|(name, _)| name == k)?;
            let Renderer::Primitive { before, after, .. } = &a.renderer else {
                return None;
            };
            let v = match (a.action, action) {
                (Act::NoOp, _) | (Act::Delete, Act::Delete) => before,
                (Act::Create, Act::Create) => after,
                _ => return None,
            };
            v.is_string().then(|| format!("{k} = {}", json_text(v)))
        })
}
