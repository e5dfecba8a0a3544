//! Masks over plan values: a plan's `after_unknown`, `before_sensitive` and `after_sensitive` (and
//! `sensitive_values`) say, in the shape of the value they cover, which parts are unknown or sensitive — `true`
//! over a whole value, an object or array of masks over its members, `false`/`null`/absent for nothing. This is
//! the one place that reads them: the plan differ ([`crate::diff::structured`]), the plan's change set
//! (`diff::from_plan`) and the body built from plan values for rules ([`super::values::values_body`]).

use crate::terraform::schema::AttributeSchema;
use serde_json::Value;
use std::collections::BTreeMap;

static NULL: Value = Value::Null;
/// `true`, the mask of everything under a sensitive / unknown value.
static ALL: Value = Value::Bool(true);

/// Whether a `*_sensitive` / `after_unknown` mask has `true` anywhere.
pub(crate) fn has_true(mask: &Value) -> bool {
    match mask {
        Value::Bool(b) => *b,
        Value::Array(a) => a.iter().any(has_true),
        Value::Object(o) => o.values().any(has_true),
        _ => false,
    }
}

/// The mask of key `key` (or index) of the value `mask` covers: `true` under a whole `true` (a resource or block
/// marked sensitive as a whole), the key's own mask otherwise (`null` when absent).
pub(crate) fn at<I: serde_json::value::Index>(mask: &Value, key: I) -> &Value {
    match mask {
        Value::Bool(true) => &ALL,
        _ => mask.get(key).unwrap_or(&NULL),
    }
}

/// The union of two masks: `true` wherever either is (a plan's `sensitive_values` and `after_sensitive`).
pub(crate) fn union(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
        (Value::Object(x), Value::Object(y)) => Value::Object(
            x.keys()
                .chain(y.keys())
                .map(|k| (k.clone(), union(at(a, k.as_str()), at(b, k.as_str()))))
                .collect(),
        ),
        (Value::Array(x), Value::Array(y)) => {
            Value::Array((0..x.len().max(y.len())).map(|i| union(at(a, i), at(b, i))).collect())
        }
        (Value::Object(_) | Value::Array(_), _) => a.clone(),
        _ => b.clone(),
    }
}

/// A mask as the differ walks it, one node at a time: the plan's JSON, or "every attribute of this block or
/// object" (what Terraform uses for the old value of a block that becomes unknown). Unlike [`at`], stepping
/// into a member does not carry a whole `true` down: the differ handles a masked node where it meets it
/// (Terraform's `structured.Change`, which does the same).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mask<'a> {
    Json(&'a Value),
    Attributes(&'a BTreeMap<String, AttributeSchema>),
}

impl<'a> Mask<'a> {
    /// Nothing is masked.
    pub(crate) const NONE: Mask<'static> = Mask::Json(&NULL);
    /// Nothing is masked, said with `false` (what Terraform writes where a value was looked at).
    pub(crate) const FALSE: Mask<'static> = Mask::Json(&Value::Bool(false));

    /// The whole node is masked.
    pub(crate) fn is_true(self) -> bool {
        matches!(self, Mask::Json(Value::Bool(true)))
    }

    /// The mask of member `k`.
    pub(crate) fn key(self, k: &str) -> Mask<'a> {
        match self {
            Mask::Json(Value::Object(m)) => Mask::Json(m.get(k).unwrap_or(&NULL)),
            Mask::Json(_) => Mask::NONE,
            Mask::Attributes(a) => Mask::Json(if a.contains_key(k) { &ALL } else { &NULL }),
        }
    }

    /// The mask of element `i`.
    pub(crate) fn index(self, i: usize) -> Mask<'a> {
        match self {
            Mask::Json(Value::Array(a)) => Mask::Json(a.get(i).unwrap_or(&NULL)),
            _ => Mask::NONE,
        }
    }

    /// The members the mask names.
    pub(crate) fn keys(self) -> Vec<&'a str> {
        match self {
            Mask::Json(Value::Object(m)) => m.keys().map(String::as_str).collect(),
            Mask::Json(_) => vec![],
            Mask::Attributes(a) => a.keys().map(String::as_str).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_whole_true_covers_its_members_for_readers_not_for_the_differ() {
        let m = json!({"a": true, "b": [false, true]});
        assert!(has_true(&m) && !has_true(&json!({"a": [false]})));
        assert_eq!(at(&json!(true), "x"), &json!(true));
        assert_eq!(at(&m, "c"), &Value::Null);
        assert!(Mask::Json(&m).key("a").is_true());
        assert!(Mask::Json(&m).key("b").index(1).is_true());
        assert!(!Mask::Json(&json!(true)).key("x").is_true());
        assert_eq!(
            union(&json!({"a": true}), &json!({"b": {"c": true}})),
            json!({"a": true, "b": {"c": true}})
        );
    }
}
