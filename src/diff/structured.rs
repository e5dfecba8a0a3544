//! The structured change of one resource or output, computed once from a plan's values and the provider schema,
//! as Terraform 1.11's plan renderer computes it (`internal/command/jsonformat`: `structured` walks before/after
//! with their unknown and sensitive masks, `differ` turns them into a tree of [`Diff`]s, one renderer kind per
//! node). The text view renders the tree ([`Diff::render`]); this module only decides what changes and how each
//! node is to be shown. The rules follow Terraform's (source: hashicorp/terraform v1.11,
//! internal/command/jsonformat/{structured,differ,computed/renderers}, read, not copied):
//!
//! - an attribute null on both sides is left out; so is a nested block type with no blocks;
//! - in a "legacy" schema (SDKv2 providers: no nested attribute types, no dynamic/object/tuple types, no map or
//!   group blocks), an empty string is null;
//! - a value marked sensitive is `(sensitive value)`; a nested block marked sensitive keeps its `{ … }` with a
//!   two-line note; unknown values are `(known after apply)`, with the old value before ` -> ` when there was one;
//! - lists pair elements by their longest common subsequence, sets by equality, maps and objects by key;
//! - strings that are JSON are diffed as JSON (`jsonencode(…)`), multi-line strings as heredocs line by line.

use crate::azurerm::{AttributeSchema, BlockSchema, NestingMode};
use crate::terraform::json::mask::Mask;
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// What happens to one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    NoOp,
    Create,
    Update,
    Delete,
}

/// A cty type, as a schema's JSON spells it (`"string"`, `["list", "string"]`, `["object", {…}]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    Number,
    Bool,
    Dynamic,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Object(BTreeMap<String, Ty>),
    Tuple(Vec<Ty>),
}

impl Ty {
    pub fn from_json(j: &Json) -> Ty {
        match j {
            Json::String(s) => match s.as_str() {
                "string" => Ty::String,
                "number" => Ty::Number,
                "bool" => Ty::Bool,
                _ => Ty::Dynamic,
            },
            Json::Array(a) if a.len() == 2 => match (a[0].as_str(), &a[1]) {
                (Some("list"), t) => Ty::List(Box::new(Ty::from_json(t))),
                (Some("set"), t) => Ty::Set(Box::new(Ty::from_json(t))),
                (Some("map"), t) => Ty::Map(Box::new(Ty::from_json(t))),
                (Some("object"), Json::Object(m)) => {
                    Ty::Object(m.iter().map(|(k, v)| (k.clone(), Ty::from_json(v))).collect())
                }
                (Some("tuple"), Json::Array(items)) => Ty::Tuple(items.iter().map(Ty::from_json).collect()),
                _ => Ty::Dynamic,
            },
            _ => Ty::Dynamic,
        }
    }

    fn has_dynamic(&self) -> bool {
        match self {
            Ty::Dynamic => true,
            Ty::List(t) | Ty::Set(t) | Ty::Map(t) => t.has_dynamic(),
            Ty::Object(m) => m.values().any(Ty::has_dynamic),
            Ty::Tuple(v) => v.iter().any(Ty::has_dynamic),
            _ => false,
        }
    }
}

/// The kind of a primitive value, for rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    String,
    Number,
    Bool,
    Null,
}

/// How a group of nested blocks of one type nests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nest {
    Single,
    List,
    Set,
    Map,
}

/// All blocks of one type within a block.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockGroup {
    pub name: String,
    pub nesting: Nest,
    /// The blocks, with their map key (map nesting only).
    pub blocks: Vec<(Option<String>, Diff)>,
    pub replace: bool,
    pub before_sensitive: bool,
    pub after_sensitive: bool,
    pub unknown: bool,
}

/// A node of the structured change: what happens to it, whether it forces replacement, and how it is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub renderer: Renderer,
    pub action: Act,
    pub replace: bool,
}

/// One renderer per kind of node, as Terraform's.
#[derive(Debug, Clone, PartialEq)]
pub enum Renderer {
    Primitive {
        before: Json,
        after: Json,
        ty: Prim,
    },
    Sensitive {
        inner: Box<Diff>,
        before: bool,
        after: bool,
    },
    SensitiveBlock {
        inner: Box<Diff>,
        before: bool,
        after: bool,
    },
    Unknown {
        before: Option<Box<Diff>>,
    },
    TypeChange {
        before: Box<Diff>,
        after: Box<Diff>,
    },
    /// `context`: unchanged neighbours of a change are shown (attribute lists), not for nested attribute lists.
    List {
        elements: Vec<Diff>,
        context: bool,
    },
    /// `nested`: a set of nested attribute objects (forces replacement is shown on the elements).
    Set {
        elements: Vec<Diff>,
        nested: bool,
    },
    /// Sorted by key. `nested`: a map of nested attribute objects (no alignment, no `-> null`).
    Map {
        elements: Vec<(String, Diff)>,
        nested: bool,
    },
    /// Sorted by key. `nested`: a nested attribute object (`-> null` shown on deleted attributes).
    Object {
        attributes: Vec<(String, Diff)>,
        nested: bool,
    },
    Block {
        attributes: Vec<(String, Diff)>,
        blocks: Vec<BlockGroup>,
    },
}

impl Diff {
    fn new(renderer: Renderer, action: Act, replace: bool) -> Diff {
        Diff {
            renderer,
            action,
            replace,
        }
    }
}

static NULL: Json = Json::Null;

/// The paths that force replacement, below the current node (Terraform's `attribute_path.Matcher`, not
/// propagating).
#[derive(Clone, Default)]
struct Paths<'a>(Vec<&'a [Json]>);

impl<'a> Paths<'a> {
    fn matches(&self) -> bool {
        self.0.iter().any(|p| p.is_empty())
    }
    fn key(&self, k: &str) -> Paths<'a> {
        Paths(
            self.0
                .iter()
                .filter(|p| p.first().and_then(Json::as_str) == Some(k))
                .map(|p| &p[1..])
                .collect(),
        )
    }
    fn index(&self, i: usize) -> Paths<'a> {
        Paths(
            self.0
                .iter()
                .filter(|p| match p.first() {
                    Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f as i64 == i as i64),
                    Some(Json::String(s)) => s.parse::<f64>().is_ok_and(|f| f as i64 == i as i64),
                    _ => false,
                })
                .map(|p| &p[1..])
                .collect(),
        )
    }
}

/// One node's values: before and after, whether each was present (an object key, a list index), the masks.
#[derive(Clone)]
struct Change<'a> {
    before: &'a Json,
    after: &'a Json,
    before_explicit: bool,
    after_explicit: bool,
    unknown: Mask<'a>,
    before_sensitive: Mask<'a>,
    after_sensitive: Mask<'a>,
    replace: Paths<'a>,
    non_legacy: bool,
}

impl<'a> Change<'a> {
    fn is_unknown(&self) -> bool {
        self.unknown.is_true()
    }
    fn is_before_sensitive(&self) -> bool {
        self.before_sensitive.is_true()
    }
    fn is_after_sensitive(&self) -> bool {
        self.after_sensitive.is_true()
    }

    fn action(&self) -> Act {
        let (b, a) = (self.before.is_null(), self.after.is_null());
        if b && !self.before_explicit && (!a || self.after_explicit) {
            return Act::Create;
        }
        if a && !self.after_explicit && (!b || self.before_explicit) {
            return Act::Delete;
        }
        if self.before == self.after
            && self.after_explicit == self.before_explicit
            && self.is_after_sensitive() == self.is_before_sensitive()
        {
            return Act::NoOp;
        }
        Act::Update
    }

    fn default_iteration_action(&self) -> Act {
        match (self.before.is_null(), self.after.is_null()) {
            (true, true) => Act::NoOp,
            (true, false) => Act::Create,
            (false, true) => Act::Delete,
            (false, false) => Act::NoOp,
        }
    }

    fn as_no_op(&self) -> Change<'a> {
        Change {
            before: self.before,
            after: self.before,
            before_explicit: self.before_explicit,
            after_explicit: self.before_explicit,
            unknown: Mask::FALSE,
            before_sensitive: self.before_sensitive,
            after_sensitive: self.before_sensitive,
            replace: self.replace.clone(),
            non_legacy: false,
        }
    }

    fn as_delete(&self) -> Change<'a> {
        Change {
            before: self.before,
            after: &NULL,
            before_explicit: self.before_explicit,
            after_explicit: false,
            unknown: Mask::NONE,
            before_sensitive: self.before_sensitive,
            after_sensitive: Mask::NONE,
            replace: self.replace.clone(),
            non_legacy: false,
        }
    }

    fn as_create(&self) -> Change<'a> {
        Change {
            before: &NULL,
            after: self.after,
            before_explicit: false,
            after_explicit: self.after_explicit,
            unknown: self.unknown,
            before_sensitive: Mask::NONE,
            after_sensitive: self.after_sensitive,
            replace: self.replace.clone(),
            non_legacy: false,
        }
    }

    fn key(&self, k: &str) -> Change<'a> {
        let get = |v: &'a Json| match v {
            Json::Object(m) => m.get(k).map_or((&NULL, false), |x| (x, true)),
            _ => (&NULL, false),
        };
        let (before, before_explicit) = get(self.before);
        let (after, after_explicit) = get(self.after);
        Change {
            before,
            after,
            before_explicit,
            after_explicit,
            unknown: self.unknown.key(k),
            before_sensitive: self.before_sensitive.key(k),
            after_sensitive: self.after_sensitive.key(k),
            replace: self.replace.key(k),
            non_legacy: self.non_legacy,
        }
    }

    /// Element `bi` of the old list and `ai` of the new (out of range: absent).
    fn index(&self, bi: usize, ai: usize) -> Change<'a> {
        let get = |v: &'a Json, i: usize| match v {
            Json::Array(items) => items.get(i).map_or((&NULL, false), |x| (x, true)),
            _ => (&NULL, false),
        };
        let (before, before_explicit) = get(self.before, bi);
        let (after, after_explicit) = get(self.after, ai);
        let before_len = self.before.as_array().map_or(0, Vec::len);
        let relevant = if bi < before_len { bi } else { ai };
        Change {
            before,
            after,
            before_explicit,
            after_explicit,
            unknown: self.unknown.index(ai),
            before_sensitive: self.before_sensitive.index(bi),
            after_sensitive: self.after_sensitive.index(ai),
            replace: self.replace.index(relevant),
            non_legacy: false,
        }
    }

    /// Every key of the old and new maps and of the masks (Terraform's `AllKeys`), sorted.
    fn all_keys(&self) -> Vec<&'a str> {
        let mut keys: Vec<&str> = self.explicit_keys();
        keys.extend(self.unknown.keys());
        keys.extend(self.after_sensitive.keys());
        keys.extend(self.before_sensitive.keys());
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    fn explicit_keys(&self) -> Vec<&'a str> {
        let mut keys: Vec<&str> = [self.before, self.after]
            .into_iter()
            .filter_map(Json::as_object)
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

fn compare(current: Act, next: Act) -> Act {
    if next == Act::NoOp {
        current
    } else if current != next {
        Act::Update
    } else {
        current
    }
}

/// A plan's values for one change: both sides and their masks.
#[derive(Clone, Copy)]
pub struct Sides<'a> {
    pub before: &'a Json,
    pub after: &'a Json,
    pub after_unknown: &'a Json,
    pub before_sensitive: &'a Json,
    pub after_sensitive: &'a Json,
}

/// The root of a resource's change (its top-level block). `replace_paths` as in the plan.
pub fn resource(sides: Sides, replace_paths: &[Vec<Json>], forget: bool, schema: &BlockSchema) -> Diff {
    let change = Change {
        before: sides.before,
        after: sides.after,
        before_explicit: false,
        after_explicit: false,
        unknown: Mask::Json(sides.after_unknown),
        before_sensitive: Mask::Json(sides.before_sensitive),
        after_sensitive: Mask::Json(sides.after_sensitive),
        replace: Paths(replace_paths.iter().map(Vec::as_slice).collect()),
        non_legacy: false,
    };
    // A forgotten object is shown as it is, without changes.
    let change = if forget { change.as_no_op() } else { change };
    block(change, schema)
}

/// A root module output's change: a value of dynamic type.
pub fn output(
    before: &Json,
    after: &Json,
    after_unknown: &Json,
    before_sensitive: &Json,
    after_sensitive: &Json,
) -> Diff {
    let change = Change {
        before,
        after,
        before_explicit: false,
        after_explicit: false,
        unknown: Mask::Json(after_unknown),
        before_sensitive: Mask::Json(before_sensitive),
        after_sensitive: Mask::Json(after_sensitive),
        replace: Paths::default(),
        non_legacy: false,
    };
    output_change(change)
}

fn check_sensitive(change: &Change, inner: impl Fn(Change) -> Diff, block: bool) -> Option<Diff> {
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
    Some(Diff::new(renderer, action, change.replace.matches()))
}

/// `child_unknown`: the mask the old value gets when the node becomes unknown.
fn check_unknown<'a>(change: &Change<'a>, child_unknown: Mask<'a>, inner: impl Fn(Change<'a>) -> Diff) -> Option<Diff> {
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
        Renderer::Unknown { before },
        change.action(),
        change.replace.matches(),
    ))
}

fn non_legacy_block(block: &BlockSchema) -> bool {
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

fn block(change: Change, schema: &BlockSchema) -> Diff {
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
            replace: child.replace.matches(),
            before_sensitive: child.is_before_sensitive(),
            after_sensitive: child.is_after_sensitive(),
            unknown,
        });
    }
    Diff::new(
        Renderer::Block { attributes, blocks },
        current,
        change.replace.matches(),
    )
}

fn attribute(change: Change, attr: &AttributeSchema) -> Diff {
    match &attr.nested_type {
        Some(nested) => nested_attribute(change, &nested.attributes, nested.nesting_mode),
        None => typed(change, &Ty::from_json(&attr.ty)),
    }
}

fn nested_attribute(change: Change, attributes: &BTreeMap<String, AttributeSchema>, mode: NestingMode) -> Diff {
    if let Some(d) = check_sensitive(&change, |c| nested_attribute(c, attributes, mode), false) {
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
                change.replace.matches(),
            )
        }
        NestingMode::Map => {
            let (elements, action) = map_elements(&change, change.explicit_keys(), single);
            Diff::new(
                Renderer::Map { elements, nested: true },
                action,
                change.replace.matches(),
            )
        }
        NestingMode::List => {
            let (elements, action) = nested_list_elements(&change, single);
            Diff::new(
                Renderer::List {
                    elements,
                    context: false,
                },
                action,
                change.replace.matches(),
            )
        }
        NestingMode::Set => {
            let (elements, action) = set_elements(&change, single);
            Diff::new(
                Renderer::Set { elements, nested: true },
                action,
                change.replace.matches(),
            )
        }
    }
}

fn typed(change: Change, ty: &Ty) -> Diff {
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
    if let Some(d) = check_unknown(&change, Mask::FALSE, |c| typed(c, ty)) {
        return d;
    }
    let replace = change.replace.matches();
    match ty {
        Ty::Dynamic => output_change(change),
        Ty::String | Ty::Number | Ty::Bool => {
            let prim = match ty {
                Ty::String => Prim::String,
                Ty::Number => Prim::Number,
                _ => Prim::Bool,
            };
            Diff::new(
                Renderer::Primitive {
                    before: change.before.clone(),
                    after: change.after.clone(),
                    ty: prim,
                },
                change.action(),
                replace,
            )
        }
        Ty::Object(types) => {
            let (attrs, action) = object_attributes(&change, types.iter(), typed);
            Diff::new(
                Renderer::Object {
                    attributes: attrs,
                    nested: false,
                },
                action,
                replace,
            )
        }
        Ty::Map(element) => {
            let (elements, action) = map_elements(&change, change.all_keys(), |c| typed(c, element));
            Diff::new(
                Renderer::Map {
                    elements,
                    nested: false,
                },
                action,
                replace,
            )
        }
        Ty::List(element) => {
            let is_object = matches!(**element, Ty::Object(_));
            let (elements, action) = slice_elements(&change, |_| is_object, |c| typed(c, element));
            Diff::new(
                Renderer::List {
                    elements,
                    context: true,
                },
                action,
                replace,
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
            Diff::new(
                Renderer::List {
                    elements,
                    context: true,
                },
                current,
                replace,
            )
        }
        Ty::Set(element) => {
            let (elements, action) = set_elements(&change, |c| typed(c, element));
            Diff::new(
                Renderer::Set {
                    elements,
                    nested: false,
                },
                action,
                replace,
            )
        }
    }
}

fn object_attributes<'s, T: 's>(
    change: &Change,
    attributes: impl Iterator<Item = (&'s String, &'s T)>,
    diff: impl Fn(Change, &'s T) -> Diff,
) -> (Vec<(String, Diff)>, Act) {
    let mut current = change.default_iteration_action();
    let mut out = vec![];
    for (key, attr) in attributes {
        let mut child = change.key(key);
        child.before_explicit = false;
        child.after_explicit = false;
        let (both_null, d) = (child.before.is_null() && child.after.is_null(), diff(child, attr));
        if d.action == Act::NoOp && both_null {
            continue;
        }
        current = compare(current, d.action);
        out.push((key.clone(), d));
    }
    (out, current)
}

/// Terraform's `TransformMap`: by key, starting from create/delete when only one side is a map.
fn map_elements<'a>(
    change: &Change<'a>,
    keys: Vec<&'a str>,
    diff: impl Fn(Change<'a>) -> Diff,
) -> (Vec<(String, Diff)>, Act) {
    let (b, a) = (change.before.is_object(), change.after.is_object());
    let mut current = match (b, a) {
        (true, false) => Act::Delete,
        (false, true) => Act::Create,
        _ => Act::NoOp,
    };
    let mut out = vec![];
    for k in keys {
        let d = diff(change.key(k));
        current = compare(current, d.action);
        out.push((k.to_string(), d));
    }
    (out, current)
}

/// Blocks and nested attribute lists: paired by index.
fn nested_list_elements<'a>(change: &Change<'a>, diff: impl Fn(Change<'a>) -> Diff) -> (Vec<Diff>, Act) {
    let mut current = change.default_iteration_action();
    let n = change
        .before
        .as_array()
        .map_or(0, Vec::len)
        .max(change.after.as_array().map_or(0, Vec::len));
    let mut out = vec![];
    for i in 0..n {
        let d = diff(change.index(i, i));
        current = compare(current, d.action);
        out.push(d);
    }
    (out, current)
}

/// Sets: an old element equal to a new one (and not unknown, same sensitivity) is the same element; the rest are
/// removed and added.
fn set_elements<'a>(change: &Change<'a>, diff: impl Fn(Change<'a>) -> Diff) -> (Vec<Diff>, Act) {
    let mut current = change.default_iteration_action();
    let before_len = change.before.as_array().map_or(0, Vec::len);
    let after_len = change.after.as_array().map_or(0, Vec::len);
    let mut found_before: Vec<Option<usize>> = vec![None; before_len];
    let mut found_after: Vec<bool> = vec![false; after_len];
    for (ix, found) in found_before.iter_mut().enumerate() {
        for (jx, taken) in found_after.iter_mut().enumerate() {
            if *taken {
                continue;
            }
            let child = change.index(ix, jx);
            if child.before == child.after
                && child.is_before_sensitive() == child.is_after_sensitive()
                && !child.is_unknown()
            {
                *found = Some(jx);
                *taken = true;
            }
        }
    }
    let mut out = vec![];
    let mut push = |c: Change<'a>| {
        let d = diff(c);
        current = compare(current, d.action);
        out.push(d);
    };
    for (ix, found) in found_before.iter().enumerate() {
        push(change.index(ix, found.unwrap_or(after_len)));
    }
    for (jx, taken) in found_after.iter().enumerate() {
        if !taken {
            push(change.index(before_len, jx));
        }
    }
    (out, current)
}

/// Lists (attributes and JSON arrays): Terraform's `TransformSlice`, the longest common subsequence.
fn slice_elements<'a>(
    change: &Change<'a>,
    is_object: impl Fn(&Json) -> bool,
    diff: impl Fn(Change<'a>) -> Diff,
) -> (Vec<Diff>, Act) {
    let before = change.before.as_array();
    let after = change.after.as_array();
    let mut current = match (before.is_some(), after.is_some()) {
        (true, false) => Act::Delete,
        (false, true) => Act::Create,
        _ => Act::NoOp,
    };
    let empty = vec![];
    let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    let mut out = vec![];
    process_slice(b, a, &is_object, &mut |bi, ai| {
        let d = diff(change.index(bi, ai));
        current = compare(current, d.action);
        out.push(d);
    });
    (out, current)
}

/// Terraform's `ProcessSlice`: pairs of (old index, new index), an index out of range meaning absent.
pub(crate) fn process_slice<T: PartialEq>(
    before: &[T],
    after: &[T],
    is_object: &dyn Fn(&T) -> bool,
    process: &mut dyn FnMut(usize, usize),
) {
    let reorder = before.len() == after.len() && before.iter().all(|b| after.contains(b));
    if before.len() == after.len() && !reorder {
        for i in 0..before.len() {
            process(i, i);
        }
        return;
    }
    let lcs = longest_common_subsequence(before, after);
    let (mut bi, mut ai, mut li) = (0, 0, 0);
    while bi < before.len() || ai < after.len() || li < lcs.len() {
        while bi < before.len() && (li >= lcs.len() || before[bi] != *lcs[li]) {
            let object_diff = is_object(&before[bi])
                && ai < after.len()
                && is_object(&after[ai])
                && (li >= lcs.len() || after[ai] != *lcs[li]);
            if object_diff {
                process(bi, ai);
                bi += 1;
                ai += 1;
                continue;
            }
            process(bi, after.len());
            bi += 1;
        }
        while ai < after.len() && (li >= lcs.len() || after[ai] != *lcs[li]) {
            process(before.len(), ai);
            ai += 1;
        }
        if li < lcs.len() {
            process(bi, ai);
            bi += 1;
            ai += 1;
            li += 1;
        }
    }
}

/// The longest common subsequence, as Terraform's `objchange.LongestCommonSubsequence` finds it (a dynamic
/// programming table, walked back from the end; on a tie it steps back in `ys`), which decides which of equal
/// elements are kept.
fn longest_common_subsequence<'t, T: PartialEq>(xs: &'t [T], ys: &'t [T]) -> Vec<&'t T> {
    if xs.is_empty() || ys.is_empty() {
        return vec![];
    }
    let (n, m) = (xs.len(), ys.len());
    let mut c = vec![0usize; n * m];
    let idx = |x: usize, y: usize| y * n + x;
    for y in 0..m {
        for x in 0..n {
            if xs[x] == ys[y] {
                let top_left = if x > 0 && y > 0 { c[idx(x - 1, y - 1)] } else { 0 };
                c[idx(x, y)] = top_left + 1;
            } else {
                let left = if x > 0 { c[idx(x - 1, y)] } else { 0 };
                let top = if y > 0 { c[idx(x, y - 1)] } else { 0 };
                c[idx(x, y)] = left.max(top);
            }
        }
    }
    let mut ret = vec![];
    let (mut x, mut y) = (n as isize - 1, m as isize - 1);
    while x >= 0 && y >= 0 {
        let (ux, uy) = (x as usize, y as usize);
        if xs[ux] == ys[uy] {
            ret.push(&xs[ux]);
            x -= 1;
            y -= 1;
        } else {
            let left = if x > 0 { c[idx(ux - 1, uy)] } else { 0 };
            let top = if y > 0 { c[idx(ux, uy - 1)] } else { 0 };
            if left > top {
                x -= 1;
            } else {
                y -= 1;
            }
        }
    }
    ret.reverse();
    ret
}

/// A value of dynamic type (outputs, `terraform_data`): diffed by its JSON shape.
fn output_change(change: Change) -> Diff {
    if let Some(d) = check_sensitive(&change, |c| typed(c, &Ty::Dynamic), false) {
        return d;
    }
    if let Some(d) = check_unknown(&change, Mask::FALSE, |c| typed(c, &Ty::Dynamic)) {
        return d;
    }
    json(change)
}

#[derive(PartialEq, Clone, Copy)]
enum JType {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

fn jtype(v: &Json) -> JType {
    match v {
        Json::Null => JType::Null,
        Json::Bool(_) => JType::Bool,
        Json::Number(_) => JType::Number,
        Json::String(_) => JType::String,
        Json::Array(_) => JType::Array,
        Json::Object(_) => JType::Object,
    }
}

/// Terraform's `jsondiff`: JSON values (dynamic values, and strings holding JSON) diffed structurally.
fn json(change: Change) -> Diff {
    // Sensitive and unknown, with the JSON renderers' own actions.
    let (bs, as_) = (change.is_before_sensitive(), change.is_after_sensitive());
    if bs || as_ {
        let value = Change {
            before_sensitive: Mask::FALSE,
            after_sensitive: Mask::FALSE,
            non_legacy: false,
            ..change.clone()
        };
        let inner = json(value);
        let mut action = inner.action;
        let null_no_op =
            change.before.is_null() && !change.before_explicit && change.after.is_null() && !change.after_explicit;
        if action == Act::NoOp && bs != as_ && !null_no_op {
            action = Act::Update;
        }
        return Diff::new(
            Renderer::Sensitive {
                inner: Box::new(inner),
                before: bs,
                after: as_,
            },
            action,
            false,
        );
    }
    if change.is_unknown() {
        let mut change = change.clone();
        change.after_explicit = true;
        if change.before.is_null() {
            return Diff::new(Renderer::Unknown { before: None }, Act::Create, false);
        }
        let mut before = change.as_delete();
        before.unknown = Mask::FALSE;
        return Diff::new(
            Renderer::Unknown {
                before: Some(Box::new(json(before))),
            },
            Act::Update,
            false,
        );
    }
    let (bt, at) = (jtype(change.before), jtype(change.after));
    let deleted = at == JType::Null && !change.after_explicit;
    let created = bt == JType::Null && !change.before_explicit;
    if bt == at || created || deleted {
        let target = if bt == JType::Null { at } else { bt };
        return json_update(change, target);
    }
    let b = json_update(change.as_delete(), bt);
    let a = json_update(change.as_create(), at);
    Diff::new(
        Renderer::TypeChange {
            before: Box::new(b),
            after: Box::new(a),
        },
        Act::Update,
        false,
    )
}

fn json_update(change: Change, target: JType) -> Diff {
    match target {
        JType::Object => {
            let (elements, action) = map_elements(&change, change.all_keys(), json);
            Diff::new(
                Renderer::Object {
                    attributes: elements,
                    nested: false,
                },
                action,
                false,
            )
        }
        JType::Array => {
            let (elements, action) = slice_elements(&change, |v| v.is_object(), json);
            Diff::new(
                Renderer::List {
                    elements,
                    context: true,
                },
                action,
                false,
            )
        }
        t => {
            let before_missing = change.before.is_null() && !change.before_explicit;
            let after_missing = change.after.is_null() && !change.after_explicit;
            let action = match (before_missing, after_missing) {
                (true, false) => Act::Create,
                (false, true) => Act::Delete,
                _ if change.before == change.after => Act::NoOp,
                _ => Act::Update,
            };
            let ty = match t {
                JType::Bool => Prim::Bool,
                JType::Number => Prim::Number,
                JType::String => Prim::String,
                _ => Prim::Null,
            };
            Diff::new(
                Renderer::Primitive {
                    before: change.before.clone(),
                    after: change.after.clone(),
                    ty,
                },
                action,
                false,
            )
        }
    }
}

/// A JSON document held in a string, diffed as JSON (`jsonencode(…)`).
pub(crate) fn json_string_diff(
    before: Option<&Json>,
    after: Option<&Json>,
    before_explicit: bool,
    after_explicit: bool,
) -> Diff {
    json(Change {
        before: before.unwrap_or(&NULL),
        after: after.unwrap_or(&NULL),
        before_explicit,
        after_explicit,
        unknown: Mask::FALSE,
        before_sensitive: Mask::FALSE,
        after_sensitive: Mask::FALSE,
        replace: Paths::default(),
        non_legacy: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lcs_pairs_lists_as_terraform_does() {
        let mut pairs = vec![];
        process_slice(&[1, 2, 3, 4], &[1, 3, 5], &|_| false, &mut |b, a| pairs.push((b, a)));
        // 1 kept, 2 removed, 3 kept, 4 removed, 5 added.
        assert_eq!(pairs, vec![(0, 0), (1, 3), (2, 1), (3, 3), (4, 2)]);
    }
}
