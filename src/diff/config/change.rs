//! One resource's change: its bodies diffed, its action, why, and its notes.

use super::body::{obj, Ctx};
use super::Item;
use crate::diff::model::{Action, Reason, ResourceChange};
use crate::diff::values::ChangedPaths;
use crate::terraform::expr;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn pair_change(
    old: Option<&Item>,
    new: &Item,
    previous_address: Option<String>,
    imports: &BTreeMap<String, String>,
    ctx: &Ctx,
    renames: &BTreeMap<String, String>,
) -> Option<ResourceChange> {
    let addr = new.address();
    let is_module = new.kind == "module";
    let schema = if is_module {
        None
    } else {
        ctx.schema(&new.resource_type)
    };
    let ctx = &Ctx {
        module: new.module.as_deref(),
        ..*ctx
    };
    let mut subst = Vec::new();
    let after = obj(new.body, schema, "", ctx, &mut Some(&mut subst));
    let before = old.map(|o| {
        let no_replacements = BTreeSet::new();
        let ctx = Ctx {
            schemas: ctx.schemas,
            sensitive_vars: ctx.sensitive_vars,
            replaced: &no_replacements,
            renames,
            module: o.module.as_deref(),
        };
        obj(o.body, ctx.schema(&o.resource_type), "", &ctx, &mut None)
    });
    let importing = imports.get(&addr).cloned();
    if previous_address.is_none() && importing.is_none() && before.as_ref().is_some_and(|b| b.same_known(&after)) {
        return None;
    }
    let force_new = (old.is_some() && !is_module).then_some(new.resource_type.as_str());
    let created = old.is_none() && new.kind != "data";
    let structured = crate::diff::values::resource(before.as_ref(), Some(&after), schema, force_new, created);
    let paths = crate::diff::values::changed_paths(&structured);
    let changed = structured.action != crate::diff::structured::Act::NoOp;
    let action = action_of(
        old.is_some(),
        new,
        changed,
        &paths.forcing,
        importing.is_some(),
        &previous_address,
    )?;
    let mut c = ResourceChange::new(&addr, action);
    c.kind = new.kind.to_string();
    c.resource_type = new.resource_type.clone();
    c.name = if is_module { String::new() } else { new.name.clone() };
    c.previous_address = previous_address;
    c.importing = if old.is_none() { importing } else { None };
    c.reasons = reasons(action, new, &paths, &subst);
    c.notes = notes(new);
    match action {
        Action::Import => {
            c.unchanged_attributes = after.attrs.len();
            c.unchanged_blocks = after.blocks.values().map(Vec::len).sum();
        }
        _ => c.structured = Some(Box::new(structured)),
    }
    Some(c)
}

/// What happens to `new` (paired with an old item or not); `None` when nothing does.
pub(super) fn action_of(
    paired: bool,
    new: &Item,
    changed: bool,
    forcing: &[String],
    importing: bool,
    previous_address: &Option<String>,
) -> Option<Action> {
    let cbd = new
        .body
        .block("lifecycle")
        .and_then(|l| l.body.get("create_before_destroy"))
        .and_then(expr::as_bool)
        == Some(true);
    Some(match (paired, new.kind) {
        (false, "data") => Action::Read,
        (false, _) if importing => Action::Import,
        (false, _) => Action::Create,
        (true, "data") if changed => Action::Read,
        (true, _) if !forcing.is_empty() => Action::Replace {
            create_before_destroy: cbd,
        },
        (true, _) if changed => Action::Update,
        (true, _) if previous_address.is_some() => Action::Move,
        (true, _) => return None,
    })
}

/// Why: the arguments that force replacement (or refer to a replaced resource), those that may, and the
/// references to replaced resources of an update. `subst`: (path, replaced resource) of each value that became
/// unknown because it refers to a replaced resource.
pub(super) fn reasons(action: Action, new: &Item, paths: &ChangedPaths, subst: &[(String, String)]) -> Vec<Reason> {
    let mut out = Vec::new();
    if matches!(action, Action::Replace { .. }) {
        for p in &paths.forcing {
            match subst.iter().find(|(sp, _)| sp == p) {
                Some((_, r)) => out.push(Reason::Cascade {
                    attribute: p.clone(),
                    resource: r.clone(),
                }),
                None => out.push(Reason::ForcesReplacement { attribute: p.clone() }),
            }
        }
    }
    if action == Action::Update {
        if let Some(notes) = crate::azurerm::ProviderNotes::of(&new.resource_type) {
            for p in &paths.changed {
                if notes.force_new.get(p).and_then(Json::as_str) == Some("conditional") {
                    out.push(Reason::MayForceReplacement { attribute: p.clone() });
                }
            }
        }
        for (p, r) in subst {
            out.push(Reason::DependsOnReplaced {
                attribute: p.clone(),
                resource: r.clone(),
            });
        }
    }
    out
}

/// The notes on a change of `new`: `count`/`for_each` not expanded, a module call's contents not read.
pub(super) fn notes(new: &Item) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((what, e)) = new
        .body
        .get("count")
        .filter(|_| new.key.is_none())
        .map(|e| ("count", e))
        .or_else(|| new.body.get("for_each").map(|e| ("for_each", e)))
    {
        out.push(format!(
            "{what} = {}: instances are not expanded offline; this applies to each instance",
            expr::to_hcl(e)
        ));
    }
    if new.kind == "module" {
        out.push(format!(
            "module call: its arguments are compared; the module's own resources are not read offline (source {})",
            new.body
                .get("source")
                .map(expr::to_hcl)
                .unwrap_or_else(|| "unknown".into())
        ));
    }
    out
}
