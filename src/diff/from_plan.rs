//! A [`ChangeSet`] from a `terraform show -json` plan.

use super::model::{Action, Change, ChangeSet, OutputChange, Reason, ResourceChange, Source, Value};
use super::tree::{self, mask_has_true, Leaf, Obj, Rules};
use crate::azurerm::{resource_schema, BlockSchema};
use crate::plan::{self, Plan};
use serde_json::Value as Json;

/// The changes of `plan`. Sensitive values (the plan's `before_sensitive`/`after_sensitive` masks, and
/// attributes the vendored azurerm schema marks sensitive) are replaced by [`Value::Sensitive`] here, so no
/// view can print them.
pub fn from_plan(plan: &Plan) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Plan);
    set.warnings = plan.warnings.clone();
    for rc in &plan.resource_changes {
        match change_of(rc) {
            Some(c) => set.changes.push(c),
            None => set.unchanged += 1,
        }
    }
    set.changes.sort_by(|a, b| a.address.cmp(&b.address));
    for (name, c) in &plan.output_changes {
        let actions: Vec<&str> = c.actions.iter().map(String::as_str).collect();
        let change = match actions.as_slice() {
            ["create"] => Change::Create,
            ["delete"] => Change::Delete,
            ["no-op"] | [] => Change::Unchanged,
            _ => Change::Update,
        };
        if change == Change::Unchanged {
            continue;
        }
        let side = |v: &Json, unknown: &Json, sensitive: &Json, present: bool| {
            present.then(|| {
                if mask_has_true(sensitive) {
                    Value::Sensitive
                } else if mask_has_true(unknown) {
                    Value::Unknown
                } else {
                    Value::Known(v.clone())
                }
            })
        };
        set.outputs.push(OutputChange {
            name: name.clone(),
            change,
            before: side(&c.before, &Json::Null, &c.before_sensitive, change != Change::Create),
            after: side(&c.after, &c.after_unknown, &c.after_sensitive, change != Change::Delete),
        });
    }
    set
}

fn change_of(rc: &plan::ResourceChange) -> Option<ResourceChange> {
    let c = &rc.change;
    let actions: Vec<&str> = c.actions.iter().map(String::as_str).collect();
    let importing = c.importing.as_ref().map(|i| match (&i.id, &i.identity) {
        (Some(id), _) => id.clone(),
        (None, Some(identity)) => identity.to_string(),
        (None, None) => String::new(),
    });
    let moved = rc.previous_address.as_ref().filter(|p| **p != rc.address);
    let action = match actions.as_slice() {
        ["create"] => Action::Create,
        ["update"] => Action::Update,
        ["delete", "create"] => Action::Replace {
            create_before_destroy: false,
        },
        ["create", "delete"] => Action::Replace {
            create_before_destroy: true,
        },
        ["delete"] => Action::Delete,
        ["read"] => Action::Read,
        ["forget"] => Action::Forget,
        ["no-op"] if importing.is_some() => Action::Import,
        ["no-op"] if moved.is_some() => Action::Move,
        ["no-op"] => return None,
        _ => Action::Update,
    };
    let mut change = ResourceChange::new(&rc.address, action);
    if rc.mode == "data" {
        change.kind = "data".into();
    }
    change.resource_type = rc.resource_type.clone();
    change.previous_address = moved.cloned();
    change.importing = importing;
    if let Some(reason) = &rc.action_reason {
        change.reasons.push(match reason.as_str() {
            "replace_because_tainted" => Reason::Tainted,
            "replace_by_request" => Reason::ReplaceByRequest,
            "replace_because_cannot_update" => Reason::CannotUpdate,
            "delete_because_no_resource_config" => Reason::NotInConfiguration,
            "read_because_dependency_pending" => Reason::DependencyPending,
            other => Reason::Other {
                reason: other.to_string(),
            },
        });
    }
    let schema = resource_schema(&rc.resource_type);
    let replace_paths: Vec<String> = c
        .replace_paths
        .iter()
        .map(|p| p.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join("."))
        .collect();
    for p in &replace_paths {
        change.reasons.push(Reason::ForcesReplacement { attribute: p.clone() });
    }
    let before = (!c.before.is_null()).then(|| obj(&c.before, &Json::Null, &c.before_sensitive, schema));
    let after = (!c.after.is_null() || mask_has_true(&c.after_unknown))
        .then(|| obj(&c.after, &c.after_unknown, &c.after_sensitive, schema));
    let forces = |p: &str| replace_paths.iter().any(|r| r == p);
    let diffed = tree::diff(
        before.as_ref(),
        after.as_ref(),
        &Rules {
            forces: &forces,
            updating: matches!(action, Action::Replace { .. }),
        },
    );
    change.attributes = diffed.changes;
    change.unchanged_attributes = diffed.unchanged_attributes;
    change.unchanged_blocks = diffed.unchanged_blocks;
    Some(change)
}

fn is_blocks(v: &Json) -> bool {
    matches!(v, Json::Array(items) if !items.is_empty() && items.iter().all(Json::is_object))
}

/// A plan value (object) with its masks as a differ body. Arrays of objects are nested blocks (as the
/// provider schema would say for the types infra knows).
fn obj(v: &Json, unknown: &Json, sensitive: &Json, schema: Option<&BlockSchema>) -> Obj {
    let mut o = Obj::default();
    let empty = serde_json::Map::new();
    let map = v.as_object().unwrap_or(&empty);
    let at = |m: &Json, k: &str| m.get(k).cloned().unwrap_or(Json::Null);
    for (k, val) in map {
        let (um, sm) = (at(unknown, k), at(sensitive, k));
        let schema_sensitive = schema.and_then(|s| s.attributes.get(k)).is_some_and(|a| a.sensitive);
        if sm != Json::Bool(true) && !schema_sensitive && is_blocks(val) {
            let nested = schema.and_then(|s| s.block_types.get(k)).map(|b| &b.block);
            let items = val.as_array().map(Vec::as_slice).unwrap_or_default();
            let blocks = items
                .iter()
                .enumerate()
                .map(|(i, item)| obj(item, &at_index(&um, i), &at_index(&sm, i), nested))
                .collect();
            o.blocks.insert(k.clone(), blocks);
            continue;
        }
        let shown = if sm == Json::Bool(true) || schema_sensitive || (mask_has_true(&sm) && !val.is_null()) {
            Value::Sensitive
        } else if mask_has_true(&um) {
            Value::Unknown
        } else if val.is_null() {
            continue;
        } else {
            Value::Known(val.clone())
        };
        o.attrs.insert(
            k.clone(),
            Leaf {
                shown,
                cmp: val.clone(),
            },
        );
    }
    if let Json::Object(u) = unknown {
        for (k, m) in u {
            if map.get(k).is_none_or(|v| v.is_null()) && m == &Json::Bool(true) {
                o.attrs.insert(
                    k.clone(),
                    Leaf {
                        shown: Value::Unknown,
                        cmp: Json::Null,
                    },
                );
            }
        }
    }
    o
}

fn at_index(m: &Json, i: usize) -> Json {
    match m {
        Json::Bool(b) => Json::Bool(*b),
        Json::Array(a) => a.get(i).cloned().unwrap_or(Json::Null),
        _ => Json::Null,
    }
}
