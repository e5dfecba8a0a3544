//! The structured change of one resource or output, computed once from a plan's values and the provider schema,
//! as Terraform 1.11's plan renderer computes it (`internal/command/jsonformat`: `structured` walks before/after
//! with their unknown and sensitive masks, `differ` turns them into a tree of [`Diff`]s, one renderer kind per
//! node). The text view renders the tree (`diff::render::text`); this module only decides what changes and how each
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

mod change;
mod collections;
mod json;
mod schema;

use crate::terraform::schema::BlockSchema;
use change::{Change, Paths};
pub(crate) use change::{Options, EXPRESSION};
use schema::block;
use serde_json::Value as Json;
use std::collections::BTreeMap;

use crate::terraform::json::mask::Mask;
pub(crate) use collections::{pair_by_identity, process_slice};
pub(crate) use json::json_string_diff;

/// What happens to one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    NoOp,
    Create,
    Update,
    Delete,
}

/// A cty type, as a schema's JSON spells it (`"string"`, `["list", "string"]`, `["object", {…}]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
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
    pub(crate) fn from_json(j: &Json) -> Ty {
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

    pub(super) fn has_dynamic(&self) -> bool {
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
pub(crate) enum Prim {
    String,
    Number,
    Bool,
    Null,
}

/// How a group of nested blocks of one type nests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Nest {
    Single,
    List,
    Set,
    Map,
}

/// All blocks of one type within a block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BlockGroup {
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
pub(crate) struct Diff {
    pub renderer: Renderer,
    pub action: Act,
    pub replace: bool,
}

/// One renderer per kind of node, as Terraform's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Renderer {
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
    /// `written`: the source text of a value an offline diff kept as written, shown instead of
    /// `(known after apply)`.
    Unknown {
        before: Option<Box<Diff>>,
        written: Option<String>,
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
    pub(super) fn new(renderer: Renderer, action: Act, replace: bool) -> Diff {
        Diff {
            renderer,
            action,
            replace,
        }
    }
}

/// A plan's values for one change: both sides and their masks.
#[derive(Clone, Copy)]
pub(crate) struct Sides<'a> {
    pub before: &'a Json,
    pub after: &'a Json,
    pub after_unknown: &'a Json,
    pub before_sensitive: &'a Json,
    pub after_sensitive: &'a Json,
    /// Where the old value is kept as written (`true` at each `{"$expression": text}` node; null for plans).
    pub before_written: &'a Json,
    /// Where the new value is kept as written.
    pub after_written: &'a Json,
}

/// What forces replacement in a resource's change: a plan's `replace_paths`, or for a source without a plan (an
/// offline diff, drift) the provider's ForceNew notes for the resource type, where before and after differ.
#[derive(Clone, Copy)]
pub(crate) enum Replace<'a> {
    Plan(&'a [Vec<Json>]),
    ForceNew(&'a str),
}

/// The root of a resource's change (its top-level block). `replace_paths` as in the plan.
pub(crate) fn resource(sides: Sides, replace_paths: &[Vec<Json>], forget: bool, schema: &BlockSchema) -> Diff {
    resource_with(sides, Replace::Plan(replace_paths), forget, schema, Options::default())
}

/// [`resource`] for any source: what forces replacement, and the differ's [`Options`].
pub(crate) fn resource_with(sides: Sides, replace: Replace, forget: bool, schema: &BlockSchema, opts: Options) -> Diff {
    let replace = match replace {
        Replace::Plan(paths) => Paths::Plan(paths.iter().map(Vec::as_slice).collect()),
        Replace::ForceNew(resource_type) => Paths::ForceNew {
            resource_type,
            path: String::new(),
            element: false,
        },
    };
    let change = Change {
        before: sides.before,
        after: sides.after,
        before_explicit: false,
        after_explicit: false,
        unknown: Mask::Json(sides.after_unknown),
        before_sensitive: Mask::Json(sides.before_sensitive),
        after_sensitive: Mask::Json(sides.after_sensitive),
        before_written: Mask::Json(sides.before_written),
        after_written: Mask::Json(sides.after_written),
        replace,
        non_legacy: false,
        opts,
    };
    // A forgotten object is shown as it is, without changes.
    let change = if forget { change.as_no_op() } else { change };
    block(change, schema)
}

/// A root module output's change: a value of dynamic type.
pub(crate) fn output(
    before: &Json,
    after: &Json,
    after_unknown: &Json,
    before_sensitive: &Json,
    after_sensitive: &Json,
) -> Diff {
    let sides = Sides {
        before,
        after,
        after_unknown,
        before_sensitive,
        after_sensitive,
        before_written: &change::NULL,
        after_written: &change::NULL,
    };
    output_with(sides, Options::default())
}

/// [`output`] with the differ's [`Options`].
pub(crate) fn output_with(sides: Sides, opts: Options) -> Diff {
    let change = Change {
        before: sides.before,
        after: sides.after,
        before_explicit: false,
        after_explicit: false,
        unknown: Mask::Json(sides.after_unknown),
        before_sensitive: Mask::Json(sides.before_sensitive),
        after_sensitive: Mask::Json(sides.after_sensitive),
        before_written: Mask::Json(sides.before_written),
        after_written: Mask::Json(sides.after_written),
        replace: Paths::default(),
        non_legacy: false,
        opts,
    };
    json::output_change(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A registry's change with the options of sources without a plan, as Terraform's text shows it.
    fn offline(before: Json, after: Json) -> (Diff, String) {
        let (before_written, after_written) = (marks(&before), marks(&after));
        offline_marked(&before, &after, &before_written, &after_written)
    }

    /// [`offline`] with the written masks given.
    fn offline_marked(before: &Json, after: &Json, before_written: &Json, after_written: &Json) -> (Diff, String) {
        let schema = crate::azurerm::resource_schema("azurerm_container_registry").unwrap();
        let none = json!({});
        let sides = Sides {
            before,
            after,
            after_unknown: &none,
            before_sensitive: &none,
            after_sensitive: &none,
            before_written,
            after_written,
        };
        let opts = Options {
            expressions: true,
            identity: true,
        };
        let d = resource_with(
            sides,
            Replace::ForceNew("azurerm_container_registry"),
            false,
            schema,
            opts,
        );
        let text = crate::diff::render::text::root(&d, false);
        (d, text)
    }

    /// The written mask of a test value: every `{"$expression": text}` below the top level is written.
    fn marks(v: &Json) -> Json {
        match v {
            Json::Object(m) => Json::Object(
                m.iter()
                    .filter_map(|(k, v)| match v {
                        Json::Object(o) if o.len() == 1 && o.contains_key(EXPRESSION) => Some((k.clone(), json!(true))),
                        Json::Object(_) | Json::Array(_) => Some((k.clone(), marks(v))),
                        _ => None,
                    })
                    .collect(),
            ),
            Json::Array(items) => Json::Array(items.iter().map(marks).collect()),
            _ => Json::Null,
        }
    }

    /// A literal map whose one key is `$expression` is a map, not a value kept as written: only the written mask
    /// makes one (a user's text never reads as a reference).
    #[test]
    fn a_literal_map_shaped_like_a_written_value_is_a_map() {
        let before = json!({"name": "cr", "sku": "Basic", "tags": {"env": "dev"}});
        let after = json!({"name": "cr", "sku": "Basic", "tags": {EXPRESSION: "azurerm_key_vault.kv.id"}});
        let (_, text) = offline_marked(&before, &after, &Json::Null, &Json::Null);
        assert!(!text.contains("-> azurerm_key_vault.kv.id"), "{text}");
        assert!(
            text.contains("+ \"$expression\" = \"azurerm_key_vault.kv.id\""),
            "{text}"
        );
    }

    #[test]
    fn values_kept_as_written_show_their_source_text() {
        let expr = |t: &str| json!({ EXPRESSION: t });
        let (_, text) = offline(
            json!({"name": "cr", "sku": "Basic", "location": expr("var.location")}),
            json!({"name": "cr", "sku": expr("var.sku"), "location": expr("var.location")}),
        );
        assert!(text.contains("~ sku      = \"Basic\" -> var.sku\n"), "{text}");
        assert!(
            text.contains("# (1 unchanged attribute hidden)"),
            "the same expression is no change: {text}"
        );
        let (_, text) = offline(
            json!({"name": "cr", "sku": expr("var.sku")}),
            json!({"name": "cr", "sku": "Premium"}),
        );
        assert!(text.contains("~ sku  = var.sku -> \"Premium\"\n"), "{text}");
    }

    #[test]
    fn force_new_notes_force_replacement_where_values_differ() {
        let (_, text) = offline(
            json!({"name": "cr", "sku": "Basic", "location": "westeurope"}),
            json!({"name": "cr", "sku": "Premium", "location": "northeurope"}),
        );
        assert!(
            text.contains("~ location = \"westeurope\" -> \"northeurope\" # forces replacement\n"),
            "{text}"
        );
        assert!(text.contains("~ sku      = \"Basic\" -> \"Premium\"\n"), "{text}");
        assert!(
            text.contains("  name     = \"cr\"\n"),
            "unchanged name does not force: {text}"
        );
    }

    #[test]
    fn repeated_blocks_are_paired_by_identity() {
        let replica = |l: &str, z: bool| json!({"location": l, "zone_redundancy_enabled": z});
        let before = json!({"name": "cr", "georeplications": [replica("a", true), replica("b", false)]});
        let reordered = json!({"name": "cr", "georeplications": [replica("b", false), replica("a", true)]});
        let (d, _) = offline(before.clone(), reordered);
        assert_eq!(d.action, Act::NoOp);
        let changed = json!({"name": "cr", "georeplications": [replica("b", true), replica("a", true)]});
        let (d, text) = offline(before, changed);
        assert_eq!(d.action, Act::Update);
        assert!(text.contains("~ zone_redundancy_enabled = false -> true"), "{text}");
        assert_eq!(text.matches("georeplications {").count(), 1, "{text}");
    }

    #[test]
    fn lcs_pairs_lists_as_terraform_does() {
        let mut pairs = vec![];
        process_slice(&[1, 2, 3, 4], &[1, 3, 5], &|_| false, &mut |b, a| pairs.push((b, a)));
        // 1 kept, 2 removed, 3 kept, 4 removed, 5 added.
        assert_eq!(pairs, vec![(0, 0), (1, 3), (2, 1), (3, 3), (4, 2)]);
    }
}
