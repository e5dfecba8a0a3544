//! The differ over a provider schema: blocks, attributes, nested attribute types and typed values (Terraform's
//! `differ/block.go`, `attribute.go`, `object.go`, …), each checking sensitivity and unknowns first.

use super::change::{compare, written, Change, NULL};
use super::collections::{
    identity_elements, map_elements, nested_list_elements, object_attributes, set_elements, slice_elements,
};
use super::json::output_change;
use super::{Act, BlockGroup, Diff, Nest, Prim, Renderer, Ty};
use crate::terraform::json::mask::Mask;
use crate::terraform::schema::{AttributeSchema, BlockSchema, NestingMode};
use std::collections::BTreeMap;

pub(super) fn check_sensitive(change: &Change, inner: impl Fn(Change) -> Diff, block: bool) -> Option<Diff> {
    let (bs, as_) = (change.is_before_sensitive(), change.is_after_sensitive());
    if !bs && !as_ {
        return None;
    }
    let value = Change {
        before_sensitive: Mask::FALSE,
        after_sensitive: Mask::FALSE,
        non_legacy: false,
        ..change.clone()
    };
    let inner = inner(value);
    let mut action = inner.action;
    let null_no_op =
        change.before.is_null() && !change.before_explicit && change.after.is_null() && !change.after_explicit;
    if action == Act::NoOp && bs != as_ && !null_no_op {
        action = Act::Update;
    }
    let inner = Box::new(inner);
    let renderer = if block {
        Renderer::SensitiveBlock {
            inner,
            before: bs,
            after: as_,
        }
    } else {
        Renderer::Sensitive {
            inner,
            before: bs,
            after: as_,
        }
    };
    Some(Diff::new(renderer, action, change.forces()))
}

/// `child_unknown`: the mask the old value gets when the node becomes unknown.
pub(super) fn check_unknown<'a>(
    change: &Change<'a>,
    child_unknown: Mask<'a>,
    inner: impl Fn(Change<'a>) -> Diff,
) -> Option<Diff> {
    if !change.is_unknown() {
        return None;
    }
    let mut change = change.clone();
    change.after_explicit = true;
    let before = if change.before.is_null() {
        None
    } else {
        let mut before = change.as_delete();
        before.unknown = child_unknown;
        Some(Box::new(inner(before)))
    };
    Some(Diff::new(
        Renderer::Unknown { before, written: None },
        change.action(),
        change.forces(),
    ))
}

/// A value kept as written on either side ([`super::Options::expressions`]): an unknown node that shows its
/// source text where Terraform would print `(known after apply)`, after the old value when there was one; an
/// old value kept as written, replaced by a known one, is the old text `->` the new value.
pub(super) fn check_written<'a>(change: &Change<'a>, inner: impl Fn(Change<'a>) -> Diff) -> Option<Diff> {
    if !change.opts.expressions {
        return None;
    }
    let (b, a) = (
        written(change.before, change.before_written),
        written(change.after, change.after_written),
    );
    // An old value kept as written that becomes unknown: the unknown node, with the old text before ` -> `.
    if a.is_none() && (b.is_none() || change.is_unknown()) {
        return None;
    }
    let replace = change.forces();
    let written_node = |text: &str, before: Option<Box<Diff>>, action: Act| {
        let renderer = Renderer::Unknown {
            before,
            written: Some(text.to_string()),
        };
        Diff::new(renderer, action, replace)
    };
    let before = (!change.before.is_null()).then(|| match b {
        Some(text) => written_node(text, None, Act::Delete),
        None => inner(change.as_delete()),
    });
    Some(match (a, before) {
        (Some(text), before) => written_node(text, before.map(Box::new), change.action()),
        (None, Some(before)) if change.after.is_null() => before,
        (None, before) => {
            let mut after = inner(change.as_create());
            after.replace = replace;
            match before {
                Some(before) => Diff::new(
                    Renderer::TypeChange {
                        before: Box::new(before),
                        after: Box::new(after),
                    },
                    Act::Update,
                    replace,
                ),
                None => after,
            }
        }
    })
}

pub(super) fn non_legacy_block(block: &BlockSchema) -> bool {
    block
        .block_types
        .values()
        .any(|b| matches!(b.nesting_mode, NestingMode::Map | NestingMode::Group))
        || block.attributes.values().any(|a| {
            if a.nested_type.is_some() {
                return true;
            }
            let ty = Ty::from_json(&a.ty);
            match &ty {
                _ if ty.has_dynamic() => true,
                Ty::Tuple(_) | Ty::Object(_) => true,
                Ty::List(e) | Ty::Set(e) | Ty::Map(e) => match &**e {
                    Ty::List(x) | Ty::Set(x) | Ty::Map(x) => !matches!(**x, Ty::String | Ty::Number | Ty::Bool),
                    _ => false,
                },
                _ => false,
            }
        })
}

pub(super) fn block(change: Change, schema: &BlockSchema) -> Diff {
    if let Some(d) = check_sensitive(&change, |c| block(c, schema), true) {
        return d;
    }
    if let Some(d) = check_unknown(&change, Mask::Attributes(&schema.attributes), |c| block(c, schema)) {
        return d;
    }
    let mut change = change;
    change.non_legacy = change.non_legacy || non_legacy_block(schema);
    let mut current = change.default_iteration_action();
    let mut attributes = vec![];
    for (key, attr) in &schema.attributes {
        let mut child = change.key(key);
        child.before_explicit = false;
        child.after_explicit = false;
        let d = attribute(child.clone(), attr);
        if d.action == Act::NoOp && child.before.is_null() && child.after.is_null() {
            continue;
        }
        current = compare(current, d.action);
        attributes.push((key.clone(), d));
    }
    let mut blocks = vec![];
    for (key, nested) in &schema.block_types {
        let child = change.key(key);
        let unknown = child.is_unknown();
        let both_null = child.before.is_null() && child.after.is_null();
        let (nesting, diffs, action) = match nested.nesting_mode {
            NestingMode::Set | NestingMode::List if change.opts.identity => {
                let (d, a) = identity_elements(&child, key, |c| block(c, &nested.block));
                let nest = if nested.nesting_mode == NestingMode::Set {
                    Nest::Set
                } else {
                    Nest::List
                };
                (nest, d.into_iter().map(|d| (None, d)).collect(), a)
            }
            NestingMode::Set => {
                let (d, a) = set_elements(&child, |c| block(c, &nested.block));
                (Nest::Set, d.into_iter().map(|d| (None, d)).collect(), a)
            }
            NestingMode::List => {
                let (d, a) = nested_list_elements(&child, |c| block(c, &nested.block));
                (Nest::List, d.into_iter().map(|d| (None, d)).collect(), a)
            }
            NestingMode::Map => {
                let (d, a) = map_elements(&child, child.explicit_keys(), |c| block(c, &nested.block));
                (Nest::Map, d.into_iter().map(|(k, d)| (Some(k), d)).collect(), a)
            }
            NestingMode::Single | NestingMode::Group => {
                let d = block(child.clone(), &nested.block);
                let a = d.action;
                (Nest::Single, vec![(None, d)], a)
            }
        };
        if action == Act::NoOp && both_null && !unknown {
            continue;
        }
        current = compare(current, action);
        blocks.push(BlockGroup {
            name: key.clone(),
            nesting,
            blocks: diffs,
            replace: child.forces(),
            before_sensitive: child.is_before_sensitive(),
            after_sensitive: child.is_after_sensitive(),
            unknown,
        });
    }
    Diff::new(Renderer::Block { attributes, blocks }, current, change.forces())
}

pub(super) fn attribute(change: Change, attr: &AttributeSchema) -> Diff {
    match &attr.nested_type {
        Some(nested) => nested_attribute(change, &nested.attributes, nested.nesting_mode),
        None => typed(change, &Ty::from_json(&attr.ty)),
    }
}

pub(super) fn nested_attribute(
    change: Change,
    attributes: &BTreeMap<String, AttributeSchema>,
    mode: NestingMode,
) -> Diff {
    if let Some(d) = check_sensitive(&change, |c| nested_attribute(c, attributes, mode), false) {
        return d;
    }
    if let Some(d) = check_written(&change, |c| nested_attribute(c, attributes, mode)) {
        return d;
    }
    if let Some(d) = check_unknown(&change, Mask::Attributes(attributes), |c| {
        nested_attribute(c, attributes, mode)
    }) {
        return d;
    }
    let single = |c: Change| nested_attribute(c, attributes, NestingMode::Single);
    match mode {
        NestingMode::Single | NestingMode::Group => {
            let (attrs, action) = object_attributes(&change, attributes.iter(), attribute);
            Diff::new(
                Renderer::Object {
                    attributes: attrs,
                    nested: true,
                },
                action,
                change.forces(),
            )
        }
        NestingMode::Map => {
            let (elements, action) = map_elements(&change, change.explicit_keys(), single);
            Diff::new(Renderer::Map { elements, nested: true }, action, change.forces())
        }
        NestingMode::List => {
            let (elements, action) = nested_list_elements(&change, single);
            Diff::new(
                Renderer::List {
                    elements,
                    context: false,
                },
                action,
                change.forces(),
            )
        }
        NestingMode::Set => {
            let (elements, action) = set_elements(&change, single);
            Diff::new(Renderer::Set { elements, nested: true }, action, change.forces())
        }
    }
}

pub(super) fn typed(change: Change, ty: &Ty) -> Diff {
    let mut change = change;
    if !change.non_legacy {
        if change.before.as_str() == Some("") {
            change.before = &NULL;
        }
        if change.after.as_str() == Some("") {
            change.after = &NULL;
        }
    }
    if let Some(d) = check_sensitive(&change, |c| typed(c, ty), false) {
        return d;
    }
    if let Some(d) = check_written(&change, |c| typed(c, ty)) {
        return d;
    }
    if let Some(d) = check_unknown(&change, Mask::FALSE, |c| typed(c, ty)) {
        return d;
    }
    let replace = change.forces();
    if *ty == Ty::Dynamic {
        return output_change(change);
    }
    let (renderer, action) = typed_value(&change, ty);
    Diff::new(renderer, action, replace)
}

/// A value of a known type: a primitive, or a collection or structural value with its elements and the action they
/// add up to. (Dynamic values are diffed by their JSON shape before they get here.)
fn typed_value(change: &Change, ty: &Ty) -> (Renderer, Act) {
    let primitive = |ty| {
        let renderer = Renderer::Primitive {
            before: change.before.clone(),
            after: change.after.clone(),
            ty,
        };
        (renderer, change.action())
    };
    match ty {
        Ty::String => primitive(Prim::String),
        Ty::Number => primitive(Prim::Number),
        Ty::Bool | Ty::Dynamic => primitive(Prim::Bool),
        Ty::Object(types) => {
            let (attributes, action) = object_attributes(change, types.iter(), typed);
            (
                Renderer::Object {
                    attributes,
                    nested: false,
                },
                action,
            )
        }
        Ty::Map(element) => {
            let (elements, action) = map_elements(change, change.all_keys(), |c| typed(c, element));
            (
                Renderer::Map {
                    elements,
                    nested: false,
                },
                action,
            )
        }
        Ty::List(element) => {
            let is_object = matches!(**element, Ty::Object(_));
            let (elements, action) = slice_elements(change, |_| is_object, |c| typed(c, element));
            (
                Renderer::List {
                    elements,
                    context: true,
                },
                action,
            )
        }
        Ty::Tuple(types) => {
            let mut current = change.default_iteration_action();
            let mut elements = vec![];
            for (i, t) in types.iter().enumerate() {
                let d = typed(change.index(i, i), t);
                current = compare(current, d.action);
                elements.push(d);
            }
            (
                Renderer::List {
                    elements,
                    context: true,
                },
                current,
            )
        }
        Ty::Set(element) => {
            let (elements, action) = set_elements(change, |c| typed(c, element));
            (
                Renderer::Set {
                    elements,
                    nested: false,
                },
                action,
            )
        }
    }
}
