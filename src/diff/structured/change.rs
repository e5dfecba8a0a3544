//! One node's values as the differ walks them: both sides, whether each is present, their masks and the paths
//! that force replacement (Terraform's `structured.Change`).

use super::Act;
use crate::terraform::json::mask::Mask;
use serde_json::Value as Json;

pub(super) static NULL: Json = Json::Null;

/// The paths that force replacement, below the current node: a plan's `replace_paths` (Terraform's
/// `attribute_path.Matcher`, not propagating), or — for offline diffs and drift, which have no plan — the
/// provider's ForceNew notes ([`crate::azurerm::force_new`]) looked up by the node's dotted path (block indices
/// left out: `template.container.image`), which force replacement where before and after differ.
#[derive(Clone)]
pub(super) enum Paths<'a> {
    Plan(Vec<&'a [Json]>),
    /// `element`: the node is an element of a list, set or map at `path` — the collection is what forces
    /// replacement, not each element (a nested block's attributes are again at `path.name`).
    ForceNew {
        resource_type: &'a str,
        path: String,
        element: bool,
    },
}

impl Default for Paths<'_> {
    fn default() -> Self {
        Paths::Plan(Vec::new())
    }
}

impl<'a> Paths<'a> {
    /// Whether the node's path is one that forces replacement (for [`Paths::ForceNew`], whatever its values).
    pub(super) fn matches(&self) -> bool {
        match self {
            Paths::Plan(paths) => paths.iter().any(|p| p.is_empty()),
            Paths::ForceNew {
                resource_type,
                path,
                element,
            } => !element && !path.is_empty() && crate::azurerm::force_new(resource_type, path) == Some(true),
        }
    }
    pub(super) fn key(&self, k: &str) -> Paths<'a> {
        match self {
            Paths::Plan(paths) => Paths::Plan(
                paths
                    .iter()
                    .filter(|p| p.first().and_then(Json::as_str) == Some(k))
                    .map(|p| &p[1..])
                    .collect(),
            ),
            Paths::ForceNew {
                resource_type, path, ..
            } => Paths::ForceNew {
                resource_type,
                path: if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                },
                element: false,
            },
        }
    }
    pub(super) fn index(&self, i: usize) -> Paths<'a> {
        match self {
            Paths::Plan(paths) => Paths::Plan(
                paths
                    .iter()
                    .filter(|p| match p.first() {
                        Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f as i64 == i as i64),
                        Some(Json::String(s)) => s.parse::<f64>().is_ok_and(|f| f as i64 == i as i64),
                        _ => false,
                    })
                    .map(|p| &p[1..])
                    .collect(),
            ),
            Paths::ForceNew {
                resource_type, path, ..
            } => Paths::ForceNew {
                resource_type,
                path: path.clone(),
                element: true,
            },
        }
    }
}

/// What the differ is asked to do beyond Terraform's plan rendering, for sources that are not plans (offline
/// diffs, drift).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    /// Values not evaluated offline are `{"$expression": "<source text>"}` ([`written`]), shown as written
    /// where Terraform would print `(known after apply)`.
    pub(crate) expressions: bool,
    /// Repeated nested blocks are paired by their identity key
    /// ([`crate::azurerm::facts::blocks::identity_keys`]) instead of by position (lists) or equality (sets).
    pub(crate) identity: bool,
}

/// The source text of a value kept as written (`{"$expression": "azurerm_x.y.id"}`, marked so by its side's
/// written mask), under [`Options::expressions`]. The value alone says nothing: a user's literal map may have
/// that one key.
pub(crate) fn written<'v>(v: &'v Json, mask: Mask) -> Option<&'v str> {
    match v {
        Json::Object(m) if m.len() == 1 && mask.is_true() => m.get(EXPRESSION).and_then(Json::as_str),
        _ => None,
    }
}

/// The key of a value kept as written (see [`written`]).
pub(crate) const EXPRESSION: &str = "$expression";

/// One node's values: before and after, whether each was present (an object key, a list index), the masks.
#[derive(Clone)]
pub(super) struct Change<'a> {
    pub(super) before: &'a Json,
    pub(super) after: &'a Json,
    pub(super) before_explicit: bool,
    pub(super) after_explicit: bool,
    pub(super) unknown: Mask<'a>,
    pub(super) before_sensitive: Mask<'a>,
    pub(super) after_sensitive: Mask<'a>,
    /// Where each side's value is kept as written (`true` at a node whose value is `{"$expression": text}`),
    /// under [`Options::expressions`]: a mask, so that a literal map a user writes with that one key is a map.
    pub(super) before_written: Mask<'a>,
    pub(super) after_written: Mask<'a>,
    pub(super) replace: Paths<'a>,
    pub(super) non_legacy: bool,
    pub(super) opts: Options,
}

impl<'a> Change<'a> {
    pub(super) fn is_unknown(&self) -> bool {
        self.unknown.is_true()
    }
    pub(super) fn is_before_sensitive(&self) -> bool {
        self.before_sensitive.is_true()
    }
    pub(super) fn is_after_sensitive(&self) -> bool {
        self.after_sensitive.is_true()
    }
    /// Whether this node forces replacement: its path is a plan's replace path, or a ForceNew path whose values
    /// differ.
    pub(super) fn forces(&self) -> bool {
        self.replace.matches() && (matches!(self.replace, Paths::Plan(_)) || self.before != self.after)
    }

    pub(super) fn action(&self) -> Act {
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
            && self.before_written.is_true() == self.after_written.is_true()
        {
            return Act::NoOp;
        }
        Act::Update
    }

    pub(super) fn default_iteration_action(&self) -> Act {
        match (self.before.is_null(), self.after.is_null()) {
            (true, true) => Act::NoOp,
            (true, false) => Act::Create,
            (false, true) => Act::Delete,
            (false, false) => Act::NoOp,
        }
    }

    pub(super) fn as_no_op(&self) -> Change<'a> {
        Change {
            before: self.before,
            after: self.before,
            before_explicit: self.before_explicit,
            after_explicit: self.before_explicit,
            unknown: Mask::FALSE,
            before_sensitive: self.before_sensitive,
            after_sensitive: self.before_sensitive,
            before_written: self.before_written,
            after_written: self.before_written,
            replace: self.replace.clone(),
            non_legacy: false,
            opts: self.opts,
        }
    }

    pub(super) fn as_delete(&self) -> Change<'a> {
        Change {
            before: self.before,
            after: &NULL,
            before_explicit: self.before_explicit,
            after_explicit: false,
            unknown: Mask::NONE,
            before_sensitive: self.before_sensitive,
            after_sensitive: Mask::NONE,
            before_written: self.before_written,
            after_written: Mask::NONE,
            replace: self.replace.clone(),
            non_legacy: false,
            opts: self.opts,
        }
    }

    pub(super) fn as_create(&self) -> Change<'a> {
        Change {
            before: &NULL,
            after: self.after,
            before_explicit: false,
            after_explicit: self.after_explicit,
            unknown: self.unknown,
            before_sensitive: Mask::NONE,
            after_sensitive: self.after_sensitive,
            before_written: Mask::NONE,
            after_written: self.after_written,
            replace: self.replace.clone(),
            non_legacy: false,
            opts: self.opts,
        }
    }

    pub(super) fn key(&self, k: &str) -> Change<'a> {
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
            before_written: self.before_written.key(k),
            after_written: self.after_written.key(k),
            replace: self.replace.key(k),
            non_legacy: self.non_legacy,
            opts: self.opts,
        }
    }

    /// Element `bi` of the old list and `ai` of the new (out of range: absent).
    pub(super) fn index(&self, bi: usize, ai: usize) -> Change<'a> {
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
            before_written: self.before_written.index(bi),
            after_written: self.after_written.index(ai),
            replace: self.replace.index(relevant),
            non_legacy: false,
            opts: self.opts,
        }
    }

    /// Every key of the old and new maps and of the masks (Terraform's `AllKeys`), sorted.
    pub(super) fn all_keys(&self) -> Vec<&'a str> {
        let mut keys: Vec<&str> = self.explicit_keys();
        keys.extend(self.unknown.keys());
        keys.extend(self.after_sensitive.keys());
        keys.extend(self.before_sensitive.keys());
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    pub(super) fn explicit_keys(&self) -> Vec<&'a str> {
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

pub(super) fn compare(current: Act, next: Act) -> Act {
    if next == Act::NoOp {
        current
    } else if current != next {
        Act::Update
    } else {
        current
    }
}
