//! A [`ChangeSet`] from a `terraform show -json` plan.
//!
//! The set is built from the plan's small facts (addresses, actions, reasons, the secrets the plan marks);
//! each change's values stay as the plan's JSON text ([`crate::plan::RawJson`], shared, not copied) and are
//! parsed when a view asks for the change's structured change ([`body`]) — one resource at a time, dropped
//! after it is shown — so the model of a large plan stays about the size of the plan's text.

mod infer;
mod secrets;

use super::model::{
    Action, Change, ChangeSet, OutputChange, PlanContext, PlanText, Reason, ResourceChange, ResourceText, Source, Value,
};
use super::structured::{self, Diff};
use crate::plan::{self, Plan};
use crate::terraform::json::mask::has_true as mask_has_true;
use crate::terraform::Schemas;
pub(in crate::diff) use infer::{infer_schema, Evidence};
use secrets::{holds_secret, secrets, top_level_secrets, with_secrets};
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The changes of `plan`. Sensitive values are replaced by [`Value::Sensitive`] here, so no view can print
/// them: values under the plan's `before_sensitive`/`after_sensitive` masks, attributes the vendored azurerm
/// schema marks sensitive, and — because Terraform does not always carry the mark along (a
/// `terraform_data`'s `output` copies its sensitive `input` unmarked) — any other value equal to one of
/// those or to a variable the configuration declares sensitive.
///
/// A change's structured change is computed when a view asks for it, per change, so a view of a large plan holds
/// one resource's values at a time.
pub fn from_plan(plan: &Plan) -> ChangeSet {
    from_plan_with(plan, &crate::azurerm::builtin_schemas().clone())
}

/// [`from_plan`] with the provider schemas in `schemas` (built-in ones and those of
/// `terraform providers schema -json`), which decide Terraform's layout of nested blocks and attributes.
/// Changes are sorted by address; each keeps its position in the plan, the order of Terraform's text.
pub fn from_plan_with(plan: &Plan, schemas: &Schemas) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Plan);
    set.changes.reserve_exact(plan.resource_changes.len());
    set.warnings = plan.warnings.clone();
    // The types no schema describes, of the changes that are shown (not no-ops), before any change is built: the
    // changes go straight into the set, not through a list of their own.
    let mut unknown_types: Vec<&str> = vec![];
    for rc in &plan.resource_changes {
        if schemas.get(rc.mode == "data", &rc.resource_type).is_none()
            && !unknown_types.contains(&rc.resource_type.as_str())
            && !is_no_op(rc)
        {
            unknown_types.push(&rc.resource_type);
        }
    }
    let context = Arc::new(PlanContext {
        schemas: schemas.clone(),
        secrets: secrets(plan, schemas),
        configured: configured(plan, &unknown_types),
    });
    for (position, rc) in plan.resource_changes.iter().enumerate() {
        let Some(mut c) = change_of(rc) else {
            set.unchanged += 1;
            continue;
        };
        c.terraform = Some(Box::new(ResourceText {
            plan: rc.clone(),
            context: context.clone(),
            position,
        }));
        set.changes.push(c)
    }
    // In place (a stable sort would copy half the changes aside): changes at one address (a deposed object) keep
    // the plan's order.
    let position = |c: &ResourceChange| c.terraform.as_ref().map_or(0, |t| t.position);
    set.changes
        .sort_unstable_by(|a, b| a.address.cmp(&b.address).then_with(|| position(a).cmp(&position(b))));
    if super::graph::replaces(&set) {
        set.graph = graph(plan, &set);
    }
    let schema_note = (!unknown_types.is_empty()).then(|| {
        format!(
            "Note: no provider schema for {}: the layout of their nested blocks is approximate (pass the output of `terraform providers schema -json` with --providers-schema).",
            unknown_types.join(", ")
        )
    });
    let (outputs, changed_outputs) = outputs(plan, &context.secrets);
    set.outputs = changed_outputs;
    set.terraform = Some(PlanText {
        schema_note,
        outputs,
        errored: plan.errored,
    });
    if let Some(w) = drift_warning(plan) {
        set.warnings.push(w);
    }
    set
}

/// The configuration's `expressions` of each resource instance of a type in `types` (those no schema describes),
/// by instance address; empty when there are none or the plan has no `configuration`.
fn configured(plan: &Plan, types: &[&str]) -> HashMap<String, Arc<Json>> {
    let Some(configuration) = plan.configuration.as_ref().filter(|_| !types.is_empty()) else {
        return HashMap::new();
    };
    let by_block = infer::configured_expressions(&configuration.value(), types);
    let mut out = HashMap::new();
    for rc in &plan.resource_changes {
        let address = infer::configured_address(
            rc.module_address.as_deref(),
            rc.mode == "data",
            &rc.resource_type,
            &rc.name,
        );
        if let Some(expressions) = by_block.get(&address) {
            out.insert(rc.address.to_string(), expressions.clone());
        }
    }
    out
}

/// The dependency graph of the changed resources and what connects them: only those are built, and only what
/// does connect them is kept.
fn graph(plan: &Plan, set: &ChangeSet) -> Option<crate::graph::Graph> {
    let declared = crate::plan::references::declared(plan);
    if declared.is_empty() {
        // No configuration in the plan: nothing refers to anything, no picture (and no graph of every instance).
        return None;
    }
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
    let full = crate::graph::Graph::of_instances(declared, instances, &changed);
    super::graph::select(&full, set)
}

/// Every root module output with its structured change (for Terraform's text, which aligns over all of them),
/// and the changed ones as the model's [`OutputChange`]s.
fn outputs(plan: &Plan, secrets: &HashSet<String>) -> (Vec<(String, Diff)>, Vec<OutputChange>) {
    let mut all = Vec::new();
    let mut changed = Vec::new();
    for (name, c) in &plan.output_changes {
        let (before, after, after_unknown) = (c.before.value(), c.after.value(), c.after_unknown.value());
        let (bm, am) = (c.before_sensitive.value(), c.after_sensitive.value());
        let (before_sensitive, after_sensitive) = with_secrets(&before, &after, &bm, &am, secrets);
        let d = structured::output(&before, &after, &after_unknown, &before_sensitive, &after_sensitive);
        all.push((name.clone(), d));
        let actions: Vec<&str> = c.actions.iter().map(plan::SharedStr::as_str).collect();
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
        changed.push(OutputChange {
            name: name.clone(),
            change,
            before: side(&before, &Json::Null, &bm, change != Change::Create),
            after: side(&after, &after_unknown, &am, change != Change::Delete),
        });
    }
    (all, changed)
}

/// The warning that objects changed outside of Terraform (the plan's `resource_drift`, not shown).
fn drift_warning(plan: &Plan) -> Option<String> {
    let drifted: Vec<&str> = plan
        .resource_drift
        .iter()
        .filter(|d| !d.change.actions.iter().all(|a| a == "no-op"))
        .map(|d| d.address.as_str())
        .collect();
    (!drifted.is_empty()).then(|| {
        format!(
            "{} object(s) changed outside of Terraform (the plan's resource_drift; not shown here): {}",
            drifted.len(),
            drifted.join(", ")
        )
    })
}

/// The structured change of any resource change: one read from a plan is computed now from its values ([`body`]);
/// one computed offline, by `infra drift` or from values carries it. `None` for a change in which nothing changes
/// (an offline import or forget: only counted).
pub(crate) fn structured_of(c: &ResourceChange) -> Option<std::borrow::Cow<'_, Diff>> {
    match (&c.terraform, &c.structured) {
        (Some(t), _) => Some(std::borrow::Cow::Owned(body(c, t))),
        (None, Some(d)) => Some(std::borrow::Cow::Borrowed(&**d)),
        (None, None) => None,
    }
}

/// The structured change of `c` (read from a plan, `t` its plan facts), which Terraform's text shows:
/// computed now from the plan's values.
pub(crate) fn body(c: &ResourceChange, t: &ResourceText) -> Diff {
    let ch = &t.plan.change;
    let (before, after, after_unknown) = (ch.before.value(), ch.after.value(), ch.after_unknown.value());
    let (bm, am) = (ch.before_sensitive.value(), ch.after_sensitive.value());
    let inferred;
    let schema = match t.context.schemas.get(!t.plan.managed(), &c.resource_type) {
        Some(s) => s,
        None => {
            let evidence = infer::Evidence {
                before: vec![&before],
                after: vec![&after],
                unknown: vec![&after_unknown],
                sensitive: vec![&bm, &am],
                config: t.context.configured.get(&c.address).map(|e| &**e).into_iter().collect(),
            };
            inferred = infer_schema(&evidence);
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
    let any_dynamic = schema
        .attributes
        .values()
        .any(|a| a.nested_type.is_none() && a.ty == Json::String("dynamic".into()));
    let (before_sensitive, after_sensitive) = top_level_secrets(
        &before,
        &after,
        bm,
        am,
        &t.context.secrets,
        any_dynamic.then_some(&dynamic as &dyn Fn(&str) -> bool),
    );
    let sides = structured::Sides {
        before: &before,
        after: &after,
        after_unknown: &after_unknown,
        before_sensitive: &before_sensitive,
        after_sensitive: &after_sensitive,
        before_written: &serde_json::Value::Null,
        after_written: &serde_json::Value::Null,
    };
    structured::resource(sides, &ch.replace_paths, forget, schema)
}

/// The plan's `replace_paths` as dotted attribute paths.
fn replace_paths(c: &plan::Change) -> Vec<String> {
    c.replace_paths
        .iter()
        .map(|p| p.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join("."))
        .collect()
}

/// Whether `rc` is a no-op the change set only counts ([`change_of`] is `None`): nothing is done, imported or moved.
fn is_no_op(rc: &plan::ResourceChange) -> bool {
    let c = &rc.change;
    c.actions.len() == 1
        && c.actions[0] == "no-op"
        && c.importing.is_none()
        && rc
            .previous_address
            .as_ref()
            .is_none_or(|p| p.as_str() == rc.address.as_str())
}

/// A change's header facts (action, reasons, …) from the plan, without its values; `None` for a no-op.
fn change_of(rc: &plan::ResourceChange) -> Option<ResourceChange> {
    let c = &rc.change;
    let actions: Vec<&str> = c.actions.iter().map(plan::SharedStr::as_str).collect();
    let importing = c.importing.as_ref().map(|i| match (&i.id, &i.identity) {
        (Some(id), _) => id.clone(),
        (None, Some(identity)) => identity.to_string(),
        (None, None) => String::new(),
    });
    let moved = rc
        .previous_address
        .as_ref()
        .filter(|p| p.as_str() != rc.address.as_str());
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
    // The address's own type, unless the plan says otherwise (no second copy of the same string).
    if change.resource_type != *rc.resource_type {
        change.resource_type = rc.resource_type.to_string();
    }
    change.previous_address = moved.map(|p| p.to_string());
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
        assert!(c.structured.is_none(), "nothing parsed yet");
        let d = structured_of(c).expect("computed when asked for");
        let structured::Renderer::Block { attributes, .. } = &d.renderer else {
            panic!("{d:?}")
        };
        assert!(
            attributes
                .iter()
                .any(|(name, a)| name == "tags" && a.action == structured::Act::Update),
            "{attributes:?}"
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
