//! The one differ every source shares (two configurations, a plan, `infra drift`'s declared-against-live): two
//! bodies (attributes and nested blocks, whatever they were read from) → a tree of [`AttributeChange`]s. Nested
//! blocks are matched by identity — the attribute [`facts::blocks::identity_keys`] names for the block type (a
//! replica's `location`, an IP rule's `ip_range`, a registry's `server`; else `name`, else `location`) — when
//! every block of the type has a distinct known one, otherwise by position.

use super::model::{AttributeChange, Change, Node, Value};
use crate::azurerm::facts;
use std::collections::{BTreeMap, BTreeSet};

/// An attribute value ready for diffing: what may be shown, and what to compare (which may be a secret —
/// it never leaves this module).
#[derive(Debug, Clone)]
pub(crate) struct Leaf {
    pub shown: Value,
    /// What to compare when it is not `shown` itself (a masked or substituted value); `None` compares
    /// `shown`, which saves a copy of every known value of a large plan.
    pub cmp: Option<serde_json::Value>,
}

impl Leaf {
    fn same(&self, other: &Leaf) -> bool {
        let kind = |v: &Value| match v {
            Value::Unknown => 1,
            Value::PartlyUnknown(_) => 2,
            Value::PartlyUnknownMap(_) => 3,
            _ => 0,
        };
        match (&self.cmp, &other.cmp) {
            (Some(a), Some(b)) => {
                kind(&self.shown) == kind(&other.shown) && (matches!(self.shown, Value::Unknown) || a == b)
            }
            _ => self.shown == other.shown,
        }
    }
}

/// A body: attributes and nested blocks by type.
#[derive(Debug, Clone, Default)]
pub(crate) struct Obj {
    pub attrs: BTreeMap<String, Leaf>,
    pub blocks: BTreeMap<String, Vec<Obj>>,
}

/// What the differ needs to know about the resource type.
pub(crate) struct Rules<'a> {
    /// Whether changing the attribute or block at this dotted path (`template.container.image`) forces
    /// replacement.
    pub forces: &'a dyn Fn(&str) -> bool,
    /// Whether the resource exists on both sides (attribute changes only force replacement then).
    pub updating: bool,
}

/// The result of diffing two bodies.
#[derive(Debug, Default)]
pub(crate) struct Diffed {
    pub changes: Vec<AttributeChange>,
    pub unchanged_attributes: usize,
    pub unchanged_blocks: usize,
}

/// Attributes shown, unchanged, at the top of an updated resource so the reader knows which object it is
/// (Terraform's jsonformat does the same for `id`, `name` and `tags`).
const IDENTIFYING: &[&str] = &["id", "name", "tags"];

pub(crate) fn diff(before: Option<&Obj>, after: Option<&Obj>, rules: &Rules) -> Diffed {
    diff_at(before, after, "", None, rules)
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn is_empty_collection(l: &Leaf) -> bool {
    let v = match (&l.cmp, &l.shown) {
        (Some(v), _) | (None, Value::Known(v)) => v,
        _ => return false,
    };
    matches!(v, serde_json::Value::Null)
        || matches!(v, serde_json::Value::Array(a) if a.is_empty())
        || matches!(v, serde_json::Value::Object(o) if o.is_empty())
}

fn diff_at(before: Option<&Obj>, after: Option<&Obj>, path: &str, key_attr: Option<&str>, rules: &Rules) -> Diffed {
    let empty = Obj::default();
    let b = before.unwrap_or(&empty);
    let a = after.unwrap_or(&empty);
    let mut out = Diffed::default();
    // A key that is a block on one side and an empty collection on the other is blocks on both.
    let block_names: BTreeSet<&String> = b.blocks.keys().chain(a.blocks.keys()).collect();
    let attr_names: BTreeSet<&String> = b
        .attrs
        .keys()
        .chain(a.attrs.keys())
        .filter(|k| {
            !block_names.contains(k)
                || b.attrs.get(*k).is_some_and(|l| !is_empty_collection(l))
                || a.attrs.get(*k).is_some_and(|l| !is_empty_collection(l))
        })
        .collect();
    for name in attr_names {
        diff_attribute(&mut out, (before, after), name, path, key_attr, rules);
    }
    for name in block_names {
        diff_blocks(&mut out, (before, after), name, path, rules);
    }
    out
}

/// Attribute `name` of two bodies (either may be absent) into `out`: a change, or counted as unchanged.
fn diff_attribute(
    out: &mut Diffed,
    (before, after): (Option<&Obj>, Option<&Obj>),
    name: &String,
    path: &str,
    key_attr: Option<&str>,
    rules: &Rules,
) {
    let both = before.is_some() && after.is_some();
    let (bl, al) = (
        before.and_then(|b| b.attrs.get(name)),
        after.and_then(|a| a.attrs.get(name)),
    );
    let identifying = both && ((path.is_empty() && IDENTIFYING.contains(&name.as_str())) || key_attr == Some(name));
    let change = match (bl, al) {
        (None, None) => return,
        (Some(x), Some(y)) if x.same(y) => {
            if !identifying {
                out.unchanged_attributes += 1;
                return;
            }
            Change::Unchanged
        }
        (Some(_), Some(_)) => Change::Update,
        (None, Some(_)) => Change::Create,
        (Some(_), None) => Change::Delete,
    };
    out.changes.push(AttributeChange {
        name: name.clone(),
        change,
        forces_replacement: rules.updating && change != Change::Unchanged && (rules.forces)(&join(path, name)),
        node: Node::Attribute {
            before: bl.map(|l| l.shown.clone()),
            after: al.map(|l| l.shown.clone()),
        },
    });
}

/// The blocks of type `name` of two bodies (either may be absent) into `out`, paired by identity key when they
/// have one, else by position.
fn diff_blocks(
    out: &mut Diffed,
    (before, after): (Option<&Obj>, Option<&Obj>),
    name: &String,
    path: &str,
    rules: &Rules,
) {
    let p = join(path, name);
    let none: Vec<Obj> = Vec::new();
    let bs = before.and_then(|b| b.blocks.get(name)).unwrap_or(&none);
    let as_ = after.and_then(|a| a.blocks.get(name)).unwrap_or(&none);
    let key = identity_attr(name, bs, as_);
    // What is shown: the key as read.
    let key_of = |o: &Obj| -> Option<String> {
        let k = key?;
        match &o.attrs.get(k)?.shown {
            Value::Known(v) => Some(format!("{k} = {}", super::model::value_text(&Value::Known(v.clone())))),
            _ => None,
        }
    };
    for (x, y) in pair_blocks(bs, as_, key) {
        let (x, y) = (x.map(|i| &bs[i]), y.map(|i| &as_[i]));
        let inner = diff_at(x, y, &p, key, rules);
        let change = match (x, y) {
            (Some(_), Some(_)) if inner.changes.iter().all(|c| c.change == Change::Unchanged) => {
                out.unchanged_blocks += 1;
                continue;
            }
            (Some(_), Some(_)) => Change::Update,
            (None, _) => Change::Create,
            (_, None) => Change::Delete,
        };
        let forces = rules.updating
            && (inner.changes.iter().any(|c| c.forces_replacement)
                || (matches!(change, Change::Create | Change::Delete) && (rules.forces)(&p)));
        out.changes.push(AttributeChange {
            name: name.clone(),
            change,
            forces_replacement: forces && matches!(change, Change::Create | Change::Delete),
            node: Node::Block {
                key: x.or(y).and_then(key_of),
                attributes: inner.changes,
                unchanged_attributes: inner.unchanged_attributes,
                unchanged_blocks: inner.unchanged_blocks,
            },
        });
    }
}

/// Old and new blocks of one type paired, as indices into `bs` and `as_`: by `key` (as compared: `infra drift`'s
/// normalised form, `1.2.3.4` is `1.2.3.4/32`) when there is one ([`identity_attr`]), new ones first, then the
/// old ones left; else by position.
pub(crate) fn pair_blocks(bs: &[Obj], as_: &[Obj], key: Option<&str>) -> Vec<(Option<usize>, Option<usize>)> {
    let index = |i: usize, len: usize| (i < len).then_some(i);
    let Some(k) = key else {
        return (0..bs.len().max(as_.len()))
            .map(|i| (index(i, bs.len()), index(i, as_.len())))
            .collect();
    };
    let mut pairs = Vec::new();
    let mut used = vec![false; bs.len()];
    for (j, y) in as_.iter().enumerate() {
        let ky = key_value(y, k);
        let found = bs
            .iter()
            .enumerate()
            .find(|(i, x)| !used[*i] && key_value(x, k) == ky)
            .map(|(i, _)| i);
        match found {
            Some(i) => {
                used[i] = true;
                pairs.push((Some(i), Some(j)));
            }
            None => pairs.push((None, Some(j))),
        }
    }
    for (i, used) in used.iter().enumerate() {
        if !used {
            pairs.push((Some(i), None));
        }
    }
    pairs
}

/// The value a block is matched by on key `k`: a known string, in its compared form when it has one.
fn key_value<'o>(o: &'o Obj, k: &str) -> Option<&'o str> {
    let leaf = o.attrs.get(k)?;
    match (&leaf.shown, &leaf.cmp) {
        (Value::Known(serde_json::Value::String(_)), Some(serde_json::Value::String(c))) => Some(c),
        (Value::Known(serde_json::Value::String(s)), _) => Some(s),
        _ => None,
    }
}

/// The first of the block type's [`facts::blocks::identity_keys`] that every block on both sides has, with a
/// distinct known value.
pub(crate) fn identity_attr(block_type: &str, bs: &[Obj], as_: &[Obj]) -> Option<&'static str> {
    if bs.is_empty() && as_.is_empty() {
        return None;
    }
    facts::blocks::identity_keys(block_type).iter().copied().find(|k| {
        [bs, as_].iter().all(|side| {
            let mut seen = BTreeSet::new();
            side.iter().all(|o| key_value(o, k).is_some_and(|v| seen.insert(v)))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn block(attrs: &[(&str, &str)]) -> Obj {
        let mut o = Obj::default();
        for (k, v) in attrs {
            let leaf = Leaf {
                shown: Value::Known(json!(v)),
                cmp: None,
            };
            o.attrs.insert(k.to_string(), leaf);
        }
        o
    }

    fn with(kind: &str, blocks: Vec<Obj>) -> Obj {
        let mut o = Obj::default();
        o.blocks.insert(kind.to_string(), blocks);
        o
    }

    fn run(before: &Obj, after: &Obj) -> Diffed {
        let rules = Rules {
            forces: &|_| false,
            updating: true,
        };
        diff(Some(before), Some(after), &rules)
    }

    /// The block header of each change: how the blocks were paired.
    fn keys(d: &Diffed) -> Vec<Option<String>> {
        d.changes
            .iter()
            .map(|c| match &c.node {
                Node::Block { key, .. } => key.clone(),
                Node::Attribute { .. } => None,
            })
            .collect()
    }

    /// Every block type with a key in `facts::blocks` is matched by it, whatever the order, and by nothing
    /// else: two blocks whose key and another attribute are swapped pair up by the key.
    #[test]
    fn repeated_blocks_are_matched_by_the_facts_identity_key() {
        for kind in [
            "georeplications",
            "ip_rule",
            "registry",
            "container",
            "env",
            "timer_trigger",
        ] {
            let key = facts::blocks::identity_key(kind).unwrap();
            let other = if key == "name" { "value" } else { "name" };
            let before = with(
                kind,
                vec![block(&[(key, "a"), (other, "x")]), block(&[(key, "b"), (other, "y")])],
            );
            let reordered = with(
                kind,
                vec![block(&[(key, "b"), (other, "y")]), block(&[(key, "a"), (other, "x")])],
            );
            let d = run(&before, &reordered);
            assert!(d.changes.is_empty(), "{kind}: reordered blocks are unchanged");
            assert_eq!(d.unchanged_blocks, 2);

            let swapped = with(
                kind,
                vec![block(&[(key, "a"), (other, "y")]), block(&[(key, "b"), (other, "x")])],
            );
            let d = run(&before, &swapped);
            assert_eq!(
                keys(&d),
                vec![Some(format!("{key} = \"a\"")), Some(format!("{key} = \"b\""))],
                "{kind}: paired by {key}"
            );
            assert!(d.changes.iter().all(|c| c.change == Change::Update), "{kind}");
        }
    }

    /// A block type without a key of its own is matched by the first fallback key that is distinct on both
    /// sides, and by position when none is.
    #[test]
    fn other_blocks_fall_back_to_name_then_location_then_position() {
        assert_eq!(facts::blocks::identity_keys("secret"), facts::blocks::FALLBACK_KEYS);
        let before = with("secret", vec![block(&[("name", "a")]), block(&[("name", "b")])]);
        let after = with("secret", vec![block(&[("name", "b")]), block(&[("name", "a")])]);
        assert!(run(&before, &after).changes.is_empty());

        let before = with(
            "replica",
            vec![block(&[("location", "x")]), block(&[("location", "y")])],
        );
        let after = with(
            "replica",
            vec![block(&[("location", "y")]), block(&[("location", "x")])],
        );
        assert!(run(&before, &after).changes.is_empty());

        // Duplicate names: by position, so a reorder is two updates.
        let before = with(
            "secret",
            vec![block(&[("name", "a"), ("v", "1")]), block(&[("name", "a"), ("v", "2")])],
        );
        let after = with(
            "secret",
            vec![block(&[("name", "a"), ("v", "2")]), block(&[("name", "a"), ("v", "1")])],
        );
        let d = run(&before, &after);
        assert_eq!(keys(&d), vec![None, None]);
        assert_eq!(d.changes.len(), 2);
    }

    /// `infra drift` compares normalised values: a key is matched in its compared form and shown as read.
    #[test]
    fn keys_match_in_their_compared_form() {
        let rule = |shown: &str, cmp: &str| {
            let mut o = Obj::default();
            o.attrs.insert(
                "ip_range".into(),
                Leaf {
                    shown: Value::Known(json!(shown)),
                    cmp: Some(json!(cmp)),
                },
            );
            o
        };
        let live = with(
            "ip_rule",
            vec![
                rule("198.51.100.0/24", "198.51.100.0/24"),
                rule("203.0.113.7/32", "203.0.113.7/32"),
            ],
        );
        let declared = with(
            "ip_rule",
            vec![
                rule("203.0.113.7", "203.0.113.7/32"),
                rule("198.51.100.0/24", "198.51.100.0/24"),
            ],
        );
        let d = run(&live, &declared);
        assert!(d.changes.is_empty(), "{:?}", keys(&d));
        assert_eq!(d.unchanged_blocks, 2);
    }
}
