//! A [`ChangeSet`] from a `terraform show -json` plan.
//!
//! The set is built from the plan's small facts (addresses, actions, reasons, the secrets the plan marks);
//! each change's values stay as the plan's JSON text ([`crate::plan::RawJson`], shared, not copied) and are
//! parsed when a view asks for the change's details ([`body`], [`detailed`]) — one resource at a time, dropped
//! after it is shown — so the model of a large plan stays about the size of the plan's text.

use super::model::{
    Action, Change, ChangeSet, OutputChange, PlanContext, PlanText, Reason, ResourceChange, ResourceText, Source, Value,
};
use super::structured::{self, Diff};
use super::tree::{self, Leaf, Obj, Rules};
use crate::azurerm::{resource_schema, BlockSchema};
use crate::azurerm::{AttributeSchema, NestedBlock, NestingMode};
use crate::plan::schemas::Schemas;
use crate::plan::{self, Plan};
use crate::terraform::json::mask::has_true as mask_has_true;
use crate::terraform::json::values::{nested_block, Shape, Syntax};
use serde_json::value::RawValue;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The changes of `plan`. Sensitive values are replaced by [`Value::Sensitive`] here, so no view can print
/// them: values under the plan's `before_sensitive`/`after_sensitive` masks, attributes the vendored azurerm
/// schema marks sensitive, and — because Terraform does not always carry the mark along (a
/// `terraform_data`'s `output` copies its sensitive `input` unmarked) — any other value equal to one of
/// those or to a variable the configuration declares sensitive.
///
/// A change's attributes are computed when asked for ([`details`]); the views do that per
/// change, so a view of a large plan holds one resource's values at a time.
pub fn from_plan(plan: &Plan) -> ChangeSet {
    from_plan_with(plan, &Schemas::builtin())
}

/// [`from_plan`] with the provider schemas in `schemas` (built-in ones and those of
/// `terraform providers schema -json`), which decide Terraform's layout of nested blocks and attributes.
/// Changes are sorted by address; each keeps its position in the plan, the order of Terraform's text.
pub fn from_plan_with(plan: &Plan, schemas: &Schemas) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Plan);
    set.warnings = plan.warnings.clone();
    let context = Arc::new(PlanContext {
        schemas: schemas.clone(),
        secrets: secrets(plan),
    });
    let secrets = &context.secrets;
    let mut unknown_types: Vec<&str> = vec![];
    for (position, rc) in plan.resource_changes.iter().enumerate() {
        match change_of(rc) {
            Some(mut c) => {
                let data = rc.mode == "data";
                if schemas.get(data, &rc.resource_type).is_none() && !unknown_types.contains(&rc.resource_type.as_str())
                {
                    unknown_types.push(&rc.resource_type);
                }
                c.terraform = Some(Box::new(ResourceText {
                    change: rc.change.clone(),
                    context: context.clone(),
                    action_reason: rc.action_reason.clone(),
                    index: rc.index.clone(),
                    module_address: rc.module_address.clone(),
                    deposed: rc.deposed.clone(),
                    managed: !data,
                    position,
                }));
                set.changes.push(c)
            }
            None => set.unchanged += 1,
        }
    }
    set.changes.sort_by(|a, b| a.address.cmp(&b.address));
    if super::graph::replaces(&set) {
        // Only the changed resources and what can connect them are built, and only what does is kept.
        let instances = plan.resource_changes.iter().map(|rc| {
            let kind = if rc.mode == "data" {
                crate::graph::Kind::Data
            } else {
                crate::graph::Kind::Resource
            };
            (
                rc.address.as_str(),
                kind,
                rc.module_address.as_deref().unwrap_or_default(),
            )
        });
        let changed = set.changes.iter().map(|c| c.address.as_str()).collect();
        let full = crate::graph::Graph::of_instances(crate::plan::references::declared(plan), instances, &changed);
        set.graph = super::graph::select(&full, &set);
    }
    let schema_note = (!unknown_types.is_empty()).then(|| {
        format!(
            "Note: no provider schema for {}: the layout of their nested blocks is approximate (pass the output of `terraform providers schema -json` with --providers-schema).",
            unknown_types.join(", ")
        )
    });
    let mut outputs = Vec::new();
    for (name, c) in &plan.output_changes {
        let (before, after, after_unknown) = (c.before.value(), c.after.value(), c.after_unknown.value());
        let (bm, am) = (c.before_sensitive.value(), c.after_sensitive.value());
        let (before_sensitive, after_sensitive) = with_secrets(&before, &after, &bm, &am, secrets);
        let d = structured::output(&before, &after, &after_unknown, &before_sensitive, &after_sensitive);
        outputs.push((name.clone(), d));
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
                if mask_has_true(sensitive) || holds_secret(v, secrets) {
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
            before: side(&before, &Json::Null, &bm, change != Change::Create),
            after: side(&after, &after_unknown, &am, change != Change::Delete),
        });
    }
    set.terraform = Some(PlanText {
        schema_note,
        outputs,
        errored: plan.errored,
    });
    let drifted: Vec<&str> = plan
        .resource_drift
        .iter()
        .filter(|d| !d.change.actions.iter().all(|a| a == "no-op"))
        .map(|d| d.address.as_str())
        .collect();
    if !drifted.is_empty() {
        set.warnings.push(format!(
            "{} object(s) changed outside of Terraform (the plan's resource_drift; not shown here): {}",
            drifted.len(),
            drifted.join(", ")
        ));
    }
    set
}

/// `c` with its attributes (and the counts of those hidden). A change read from a plan keeps only the plan's JSON
/// text of its values: they are parsed and diffed now, for the caller to show and drop. Any other change is
/// returned as it is.
pub fn details(c: &ResourceChange) -> std::borrow::Cow<'_, ResourceChange> {
    match &c.terraform {
        Some(t) => std::borrow::Cow::Owned(detailed(c, t)),
        None => std::borrow::Cow::Borrowed(c),
    }
}

/// The structured change of `c` (read from a plan, `t` its plan facts), which Terraform's text shows:
/// computed now from the plan's values.
pub(crate) fn body(c: &ResourceChange, t: &ResourceText) -> Diff {
    let ch = &*t.change;
    let (before, after, after_unknown) = (ch.before.value(), ch.after.value(), ch.after_unknown.value());
    let (bm, am) = (ch.before_sensitive.value(), ch.after_sensitive.value());
    let inferred;
    let schema = match t.context.schemas.get(!t.managed, &c.resource_type) {
        Some(s) => s,
        None => {
            inferred = infer_schema(&[&before, &after], &after_unknown);
            &inferred
        }
    };
    let forget = ch.actions.len() == 1 && ch.actions[0] == "forget";
    // Values of dynamic type equal to a secret are masked too (see `from_plan`), where the other side is not
    // marked: Terraform itself would print them (a `terraform_data`'s `output`).
    let dynamic = |k: &str| {
        schema
            .attributes
            .get(k)
            .is_some_and(|a| a.nested_type.is_none() && a.ty == Json::String("dynamic".into()))
    };
    let (before_sensitive, after_sensitive) =
        top_level_secrets(&before, &after, &bm, &am, &t.context.secrets, &dynamic);
    let sides = structured::Sides {
        before: &before,
        after: &after,
        after_unknown: &after_unknown,
        before_sensitive: &before_sensitive,
        after_sensitive: &after_sensitive,
    };
    structured::resource(sides, &ch.replace_paths, forget, schema)
}

/// `c` (read from a plan, `t` its plan facts) with its attribute tree, computed now from the plan's values.
pub(crate) fn detailed(c: &ResourceChange, t: &ResourceText) -> ResourceChange {
    let ch = &*t.change;
    let secrets = &t.context.secrets;
    let schema = resource_schema(&c.resource_type);
    let replace_paths = replace_paths(ch);
    let (before, after, after_unknown) = (ch.before.value(), ch.after.value(), ch.after_unknown.value());
    let (bm, am) = (ch.before_sensitive.value(), ch.after_sensitive.value());
    let before = (!before.is_null()).then(|| obj(&before, &Json::Null, &bm, schema, secrets));
    let after =
        (!after.is_null() || mask_has_true(&after_unknown)).then(|| obj(&after, &after_unknown, &am, schema, secrets));
    let forces = |p: &str| replace_paths.iter().any(|r| r == p);
    let diffed = tree::diff(
        before.as_ref(),
        after.as_ref(),
        &Rules {
            forces: &forces,
            updating: matches!(c.action, Action::Replace { .. }),
            only_declared: false,
        },
    );
    let mut change = c.clone();
    change.attributes = diffed.changes;
    change.unchanged_attributes = diffed.unchanged_attributes;
    change.unchanged_blocks = diffed.unchanged_blocks;
    change.hidden_name_width = diffed.hidden_name_width;
    change
}

/// The plan's `replace_paths` as dotted attribute paths.
fn replace_paths(c: &plan::Change) -> Vec<String> {
    c.replace_paths
        .iter()
        .map(|p| p.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join("."))
        .collect()
}

/// Every non-empty string (and number) the plan marks sensitive anywhere. Only the parts of the values a mask
/// (or the schema) marks are parsed.
fn secrets(plan: &Plan) -> HashSet<String> {
    fn walk(v: &Json, mask: &Json, under: bool, out: &mut HashSet<String>) {
        let under = under || mask == &Json::Bool(true);
        match v {
            Json::Object(o) => o
                .iter()
                .for_each(|(k, x)| walk(x, mask.get(k).unwrap_or(&Json::Null), under, out)),
            Json::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| walk(x, mask.get(i).unwrap_or(&Json::Null), under, out)),
            Json::String(s) if under && !s.is_empty() => {
                out.insert(s.clone());
            }
            Json::Number(n) if under => {
                out.insert(n.to_string());
            }
            _ => {}
        }
    }
    /// [`walk`] over JSON text: what the mask does not mark is scanned, not kept.
    fn walk_text(v: &str, mask: &Json, out: &mut HashSet<String>) {
        if mask == &Json::Bool(true) {
            if let Ok(v) = serde_json::from_str::<Json>(v) {
                walk(&v, &Json::Null, true, out);
            }
            return;
        }
        if !mask_has_true(mask) {
            return;
        }
        match mask {
            Json::Object(m) => {
                if let Ok(Entries(o)) = serde_json::from_str::<Entries>(v) {
                    for (k, x) in o {
                        if let Some(mk) = m.get(k.as_ref()) {
                            walk_text(x.get(), mk, out);
                        }
                    }
                }
            }
            Json::Array(a) => {
                if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(v) {
                    for (x, mk) in items.iter().zip(a) {
                        walk_text(x.get(), mk, out);
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = HashSet::new();
    // Per resource type: its attributes the vendored schema marks sensitive, added to each side's mask.
    let mut schema_sensitive: HashMap<&str, Vec<String>> = HashMap::new();
    for rc in plan.resource_changes.iter().chain(&plan.resource_drift) {
        let c = &rc.change;
        let keys = schema_sensitive.entry(&rc.resource_type).or_insert_with(|| {
            resource_schema(&rc.resource_type)
                .map(|s| {
                    s.attributes
                        .iter()
                        .filter(|(_, a)| a.sensitive)
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default()
        });
        for (side, mask) in [(&c.before, &c.before_sensitive), (&c.after, &c.after_sensitive)] {
            let mut mask = mask.value();
            if !keys.is_empty() && mask != Json::Bool(true) {
                if !mask.is_object() {
                    mask = Json::Object(serde_json::Map::new());
                }
                if let Json::Object(m) = &mut mask {
                    for k in keys.iter() {
                        m.insert(k.clone(), Json::Bool(true));
                    }
                }
            }
            walk_text(side.text(), &mask, &mut out);
        }
    }
    for c in plan.output_changes.values() {
        walk_text(c.before.text(), &c.before_sensitive.value(), &mut out);
        walk_text(c.after.text(), &c.after_sensitive.value(), &mut out);
    }
    /// `configuration.root_module.variables`, read without the rest of the configuration.
    #[derive(serde::Deserialize)]
    struct Configuration {
        root_module: Option<RootModule>,
    }
    #[derive(serde::Deserialize)]
    struct RootModule {
        variables: Option<Json>,
    }
    let declared = plan
        .configuration
        .as_ref()
        .and_then(|c| serde_json::from_str::<Configuration>(c.text()).ok())
        .and_then(|c| c.root_module)
        .and_then(|m| m.variables);
    let declared = declared.as_ref().and_then(Json::as_object);
    for (name, v) in plan.variables.iter() {
        let sensitive = declared
            .and_then(|d| d.get(name))
            .is_some_and(|d| d.get("sensitive") == Some(&Json::Bool(true)));
        if sensitive {
            walk(&v.value, &Json::Bool(true), true, &mut out);
        }
    }
    out
}

/// A JSON object's members as they come, values unparsed, keys borrowed where they have no escapes.
struct Entries<'a>(Vec<(std::borrow::Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key<'a>(std::borrow::Cow<'a, str>);
        impl<'de> serde::Deserialize<'de> for Key<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = Key<'de>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a key")
                    }
                    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Borrowed(s)))
                    }
                    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Owned(s.to_string())))
                    }
                }
                d.deserialize_str(V)
            }
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some((Key(k), v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The plan's sensitivity masks over `before` and `after`, with every leaf that is one of `secrets` on either
/// side marked on both (so that masking adds no "will be marked as sensitive" note), except where a side's mask
/// already marks it.
fn with_secrets(before: &Json, after: &Json, bm: &Json, am: &Json, secrets: &HashSet<String>) -> (Json, Json) {
    let t = Json::Bool(true);
    if bm == &t || am == &t || (!holds_secret(before, secrets) && !holds_secret(after, secrets)) {
        return (bm.clone(), am.clone());
    }
    let leaf = |v: &Json| matches!(v, Json::String(_) | Json::Number(_)) && holds_secret(v, secrets);
    if leaf(before) || leaf(after) {
        return (t.clone(), t);
    }
    let null = Json::Null;
    match (before, after) {
        (Json::Object(_), _) | (_, Json::Object(_)) => {
            let (mut bo, mut ao) = (
                bm.as_object().cloned().unwrap_or_default(),
                am.as_object().cloned().unwrap_or_default(),
            );
            let mut keys: Vec<&String> = before.as_object().into_iter().flat_map(|m| m.keys()).collect();
            keys.extend(after.as_object().into_iter().flat_map(|m| m.keys()));
            keys.sort();
            keys.dedup();
            for k in keys {
                let (b, a) = (before.get(k).unwrap_or(&null), after.get(k).unwrap_or(&null));
                let (x, y) = with_secrets(b, a, bm.get(k).unwrap_or(&null), am.get(k).unwrap_or(&null), secrets);
                if before.get(k).is_some() && x != Json::Null {
                    bo.insert(k.clone(), x);
                }
                if after.get(k).is_some() && y != Json::Null {
                    ao.insert(k.clone(), y);
                }
            }
            (
                if before.is_object() {
                    Json::Object(bo)
                } else {
                    bm.clone()
                },
                if after.is_object() {
                    Json::Object(ao)
                } else {
                    am.clone()
                },
            )
        }
        (Json::Array(_), _) | (_, Json::Array(_)) => {
            let (bl, al) = (
                before.as_array().map_or(0, Vec::len),
                after.as_array().map_or(0, Vec::len),
            );
            let (mut bv, mut av) = (vec![], vec![]);
            for i in 0..bl.max(al) {
                let (b, a) = (before.get(i).unwrap_or(&null), after.get(i).unwrap_or(&null));
                let (x, y) = with_secrets(b, a, bm.get(i).unwrap_or(&null), am.get(i).unwrap_or(&null), secrets);
                if i < bl {
                    bv.push(x);
                }
                if i < al {
                    av.push(y);
                }
            }
            (
                if before.is_array() { Json::Array(bv) } else { bm.clone() },
                if after.is_array() { Json::Array(av) } else { am.clone() },
            )
        }
        _ => (bm.clone(), am.clone()),
    }
}

/// [`with_secrets`] for the top-level attributes of a resource for which `dynamic` holds.
fn top_level_secrets(
    before: &Json,
    after: &Json,
    bm: &Json,
    am: &Json,
    secrets: &HashSet<String>,
    dynamic: &dyn Fn(&str) -> bool,
) -> (Json, Json) {
    let t = Json::Bool(true);
    if bm == &t || am == &t {
        return (bm.clone(), am.clone());
    }
    let null = Json::Null;
    let (mut bo, mut ao) = (
        bm.as_object().cloned().unwrap_or_default(),
        am.as_object().cloned().unwrap_or_default(),
    );
    let mut keys: Vec<&String> = before.as_object().into_iter().flat_map(|m| m.keys()).collect();
    keys.extend(after.as_object().into_iter().flat_map(|m| m.keys()));
    keys.sort();
    keys.dedup();
    for k in keys.into_iter().filter(|k| dynamic(k)) {
        let (b, a) = (before.get(k).unwrap_or(&null), after.get(k).unwrap_or(&null));
        let (x, y) = with_secrets(b, a, bm.get(k).unwrap_or(&null), am.get(k).unwrap_or(&null), secrets);
        if x != Json::Null {
            bo.insert(k.clone(), x);
        }
        if y != Json::Null {
            ao.insert(k.clone(), y);
        }
    }
    (Json::Object(bo), Json::Object(ao))
}

/// Whether `v` holds any of `secrets` as a leaf.
fn holds_secret(v: &Json, secrets: &HashSet<String>) -> bool {
    match v {
        Json::String(s) => secrets.contains(s),
        Json::Number(n) => secrets.contains(&n.to_string()),
        Json::Array(a) => a.iter().any(|x| holds_secret(x, secrets)),
        Json::Object(o) => o.values().any(|x| holds_secret(x, secrets)),
        _ => false,
    }
}

/// A change's header facts (action, reasons, …) from the plan, without its values; `None` for a no-op.
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
    if let Some(deposed) = &rc.deposed {
        change.notes.push(format!("deposed object {deposed}"));
    }
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
    for p in replace_paths(c) {
        change.reasons.push(Reason::ForcesReplacement { attribute: p });
    }
    Some(change)
}

/// A plan value (object) with its masks as a differ body. Nested blocks are what
/// [`nested_block`] says (the vendored azurerm schema; for types it does not know, non-empty arrays of objects);
/// a block type the plan marks wholly unknown is shown as an unknown attribute. An attribute that is null (and not unknown)
/// is left out, as Terraform leaves it out, and so is a nested block type with no blocks.
fn obj(v: &Json, unknown: &Json, sensitive: &Json, schema: Option<&BlockSchema>, secrets: &HashSet<String>) -> Obj {
    let mut o = Obj::default();
    let empty = serde_json::Map::new();
    let map = v.as_object().unwrap_or(&empty);
    let at = |m: &Json, k: &str| m.get(k).cloned().unwrap_or(Json::Null);
    let schema_sensitive = |k: &str| schema.and_then(|s| s.attributes.get(k)).is_some_and(|a| a.sensitive);
    for (k, val) in map {
        let (um, sm) = (at(unknown, k), at(sensitive, k));
        let shape = if um == Json::Bool(true) {
            Shape::Unknown
        } else {
            Shape::of(val)
        };
        let block = nested_block(Syntax::Values, schema, k, shape);
        if let Some(nested) = block.filter(|_| sm != Json::Bool(true) && !schema_sensitive(k)) {
            let nested = nested.schema;
            let items = val.as_array().map(Vec::as_slice).unwrap_or_default();
            let blocks = items
                .iter()
                .enumerate()
                .map(|(i, item)| obj(item, &at_index(&um, i), &at_index(&sm, i), nested, secrets))
                .collect();
            o.blocks.insert(k.clone(), blocks);
            continue;
        }
        if val.is_null() && !mask_has_true(&um) {
            // Nothing to show (and nothing to hide): Terraform omits null attributes.
            continue;
        }
        let mut masked = true;
        let per_element = val.is_object() && sm.is_object() && mask_has_true(&sm) && !schema_sensitive(k);
        let shown = if per_element {
            // A map with some sensitive values (`custom_headers = { Authorization = var.token }`): Terraform
            // shows it element by element, the sensitive values as `(sensitive value)`.
            partly_unknown(val, &um, &sm).unwrap_or(Value::Sensitive)
        } else if sm == Json::Bool(true)
            || schema_sensitive(k)
            || (mask_has_true(&sm) && !val.is_null())
            || holds_secret(val, secrets)
        {
            Value::Sensitive
        } else if mask_has_true(&um) {
            partly_unknown(val, &um, &sm).unwrap_or(Value::Unknown)
        } else {
            masked = false;
            Value::Known(val.clone())
        };
        o.attrs.insert(
            k.clone(),
            Leaf {
                shown,
                cmp: masked.then(|| val.clone()),
            },
        );
    }
    if let Json::Object(u) = unknown {
        for (k, m) in u {
            if map.get(k).is_none_or(|v| v.is_null()) && m == &Json::Bool(true) {
                // Unknown and sensitive reads `(sensitive value)`, as Terraform prints it.
                let shown = if at(sensitive, k) == Json::Bool(true) || schema_sensitive(k) {
                    Value::Sensitive
                } else {
                    Value::Unknown
                };
                o.attrs.insert(
                    k.clone(),
                    Leaf {
                        shown,
                        cmp: Some(Json::Null),
                    },
                );
            }
        }
    }
    o
}

/// A list whose elements are each known, unknown or sensitive (`identity_ids = [(known after apply)]`);
/// `None` when the unknown mask is not one flag per element.
fn partly_unknown(val: &Json, um: &Json, sm: &Json) -> Option<Value> {
    let empty = serde_json::Map::new();
    let no_flags = serde_json::Map::new();
    let flags = match um {
        Json::Null | Json::Bool(false) if sm.is_object() => Some(&no_flags),
        _ => um.as_object(),
    };
    if let (Some(known), Some(flags)) = (val.as_object().or(val.is_null().then_some(&empty)), flags) {
        // A map (`triggers = { id = azurerm_role_assignment.x.id }`): the unknown values are absent from `val`
        // and `true` in the mask.
        if !flags.values().all(Json::is_boolean) {
            return None;
        }
        let mut keys: Vec<&String> = known.keys().chain(flags.keys()).collect();
        keys.sort();
        keys.dedup();
        let entries = keys
            .into_iter()
            .map(|k| {
                let v = if sm.get(k).is_some_and(mask_has_true) {
                    Value::Sensitive
                } else if flags.get(k) == Some(&Json::Bool(true)) {
                    Value::Unknown
                } else {
                    Value::Known(known.get(k).cloned().unwrap_or(Json::Null))
                };
                (k.clone(), v)
            })
            .collect();
        return Some(Value::PartlyUnknownMap(entries));
    }
    let (items, flags) = (val.as_array()?, um.as_array()?);
    if items.len() != flags.len() || !flags.iter().all(Json::is_boolean) {
        return None;
    }
    let items = items
        .iter()
        .zip(flags)
        .enumerate()
        .map(|(i, (item, flag))| {
            if mask_has_true(&at_index(sm, i)) {
                Value::Sensitive
            } else if flag == &Json::Bool(true) {
                Value::Unknown
            } else {
                Value::Known(item.clone())
            }
        })
        .collect();
    Some(Value::PartlyUnknown(items))
}

fn at_index(m: &Json, i: usize) -> Json {
    match m {
        Json::Bool(b) => Json::Bool(*b),
        Json::Array(a) => a.get(i).cloned().unwrap_or(Json::Null),
        _ => Json::Null,
    }
}

/// A schema guessed from the values, for a type no schema describes: arrays of objects are list blocks, anything
/// else an attribute of dynamic type (shown as its JSON shape).
fn infer_schema(values: &[&Json], unknown: &Json) -> BlockSchema {
    let mut out = BlockSchema::default();
    for v in values {
        let Some(obj) = v.as_object() else { continue };
        for (k, x) in obj {
            let objects: Vec<&Json> = x.as_array().into_iter().flatten().filter(|e| e.is_object()).collect();
            let is_blocks = x.as_array().is_some_and(|a| !a.is_empty() && a.len() == objects.len());
            if is_blocks && !out.attributes.contains_key(k) {
                let nested = infer_schema(&objects, &Json::Null);
                let entry = out.block_types.entry(k.clone()).or_insert(NestedBlock {
                    nesting_mode: NestingMode::List,
                    block: BlockSchema::default(),
                    min_items: 0,
                    max_items: 0,
                });
                for (n, a) in nested.attributes {
                    entry.block.attributes.entry(n).or_insert(a);
                }
                for (n, b) in nested.block_types {
                    entry.block.block_types.entry(n).or_insert(b);
                }
            } else if !out.block_types.contains_key(k) {
                let ty = infer_type(x);
                match out.attributes.get_mut(k) {
                    Some(a) if a.ty.is_null() => a.ty = ty,
                    Some(a) if !ty.is_null() && a.ty != ty => a.ty = Json::String("dynamic".into()),
                    Some(_) => {}
                    None => {
                        out.attributes.insert(
                            k.clone(),
                            AttributeSchema {
                                ty,
                                nested_type: None,
                                required: false,
                                optional: true,
                                computed: false,
                                sensitive: false,
                                deprecated: false,
                            },
                        );
                    }
                }
            }
        }
    }
    // Values known only after apply are in the unknown mask alone.
    for (k, m) in unknown.as_object().into_iter().flatten() {
        if !out.attributes.contains_key(k) && !out.block_types.contains_key(k) {
            let ty = if m.is_boolean() { "string" } else { "dynamic" };
            out.attributes.insert(
                k.clone(),
                AttributeSchema {
                    ty: Json::String(ty.into()),
                    nested_type: None,
                    required: false,
                    optional: true,
                    computed: true,
                    sensitive: false,
                    deprecated: false,
                },
            );
        }
    }
    for a in out.attributes.values_mut() {
        if a.ty.is_null() {
            a.ty = Json::String("string".into());
        }
    }
    out
}

/// The type of a value, as far as it shows: primitives, lists of one primitive type, maps of strings; anything
/// else dynamic. Null: not known yet (`Json::Null`).
fn infer_type(v: &Json) -> Json {
    let prim = |v: &Json| match v {
        Json::String(_) => Some("string"),
        Json::Number(_) => Some("number"),
        Json::Bool(_) => Some("bool"),
        _ => None,
    };
    match v {
        Json::Null => Json::Null,
        Json::Array(items) => match items.first().and_then(prim) {
            Some(t) if items.iter().all(|i| prim(i) == Some(t)) => serde_json::json!(["list", t]),
            _ => Json::String("dynamic".into()),
        },
        Json::Object(m) if m.values().all(Json::is_string) => serde_json::json!(["map", "string"]),
        Json::Object(_) => Json::String("dynamic".into()),
        other => Json::String(prim(other).unwrap_or("dynamic").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &[u8] = br#"{"format_version": "1.2",
      "resource_changes": [
        {"address": "azurerm_resource_group.a", "mode": "managed", "type": "azurerm_resource_group", "name": "a",
         "change": {"actions": ["update"], "before": {"name": "rg", "location": "westeurope", "tags": {"k\"ey": "s3cret", "o": "1"}},
                    "after": {"name": "rg", "location": "westeurope", "tags": {"k\"ey": "s3cret", "o": "2"}},
                    "after_unknown": {}, "before_sensitive": {"tags": {"k\"ey": true}},
                    "after_sensitive": {"tags": {"k\"ey": true}}}},
        {"address": "terraform_data.b", "mode": "managed", "type": "terraform_data", "name": "b",
         "change": {"actions": ["create"], "before": null, "after": {"input": "s3cret", "output": "s3cret"},
                    "after_unknown": {"id": true}, "before_sensitive": false, "after_sensitive": {}}}]}"#;

    #[test]
    fn a_plan_change_keeps_its_values_as_text_until_a_view_asks() {
        let plan = Plan::parse("p", PLAN).unwrap();
        let set = from_plan(&plan);
        drop(plan);
        let c = &set.changes[0];
        assert!(c.attributes.is_empty(), "nothing parsed yet");
        let d = details(c);
        assert!(
            d.attributes
                .iter()
                .any(|a| a.name == "tags" && a.change == Change::Update),
            "{:?}",
            d.attributes
        );
        // The secret under a mask key with an escape was found, and hides the same value elsewhere.
        assert!(c.terraform.as_ref().unwrap().context.secrets.contains("s3cret"));
        let text = crate::diff::text::render(&set, false);
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("input  = (sensitive value)"), "{text}");
    }

    #[test]
    fn views_written_as_they_go_equal_the_rendered_ones() {
        let set = from_plan(&Plan::parse("p", PLAN).unwrap());
        let mut text = Vec::new();
        crate::diff::text::write(&set, false, &mut text).unwrap();
        assert_eq!(String::from_utf8(text).unwrap(), crate::diff::text::render(&set, false));
        let mut json = Vec::new();
        crate::diff::json::write(&set, &mut json).unwrap();
        let json = String::from_utf8(json).unwrap();
        assert_eq!(json, crate::diff::json::render(&set));
        assert!(
            json.contains("\"name\": \"tags\"") && !json.contains("s3cret"),
            "{json}"
        );
    }
}
