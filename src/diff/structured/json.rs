//! Values of dynamic type and strings holding JSON, diffed by their JSON shape (Terraform's `jsondiff`).

use super::change::{Change, Paths, NULL};
use super::collections::{map_elements, slice_elements};
use super::schema::{check_sensitive, check_unknown, check_written, typed};
use super::{Act, Diff, Prim, Renderer, Ty};
use crate::terraform::json::mask::Mask;
use serde_json::Value as Json;

/// A value of dynamic type (outputs, `terraform_data`): diffed by its JSON shape.
pub(super) fn output_change(change: Change) -> Diff {
    if let Some(d) = check_sensitive(&change, |c| typed(c, &Ty::Dynamic), false) {
        return d;
    }
    if let Some(d) = check_written(&change, |c| typed(c, &Ty::Dynamic)) {
        return d;
    }
    if let Some(d) = check_unknown(&change, Mask::FALSE, |c| typed(c, &Ty::Dynamic)) {
        return d;
    }
    json(change)
}

#[derive(PartialEq, Clone, Copy)]
pub(super) enum JType {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

pub(super) fn jtype(v: &Json) -> JType {
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
pub(super) fn json(change: Change) -> Diff {
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
            return Diff::new(
                Renderer::Unknown {
                    before: None,
                    written: None,
                },
                Act::Create,
                false,
            );
        }
        let mut before = change.as_delete();
        before.unknown = Mask::FALSE;
        return Diff::new(
            Renderer::Unknown {
                before: Some(Box::new(json(before))),
                written: None,
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

pub(super) fn json_update(change: Change, target: JType) -> Diff {
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
        before_written: Mask::NONE,
        after_written: Mask::NONE,
        replace: Paths::default(),
        non_legacy: false,
        opts: Default::default(),
    })
}
