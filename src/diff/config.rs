//! A [`ChangeSet`] predicted offline from two Terraform configurations (old → new).
//!
//! Resources are matched by address (after applying `moved` blocks). A changed argument the azurerm
//! provider marks ForceNew (vendored `provider-notes.json`) makes it a replacement; a replacement cascades
//! to every resource with an argument referring to the replaced one — replaced too when that argument is
//! force-new, updated in place otherwise — until nothing more changes. Expressions are never evaluated:
//! a value that depends on a replaced resource reads `(known after apply)`.

use super::model::{Action, Change, ChangeSet, Node, OutputChange, Reason, ResourceChange, Source, Value};
use super::tree::{self, Leaf, Obj, Rules};
use crate::azurerm::{force_new, resource_schema, BlockSchema};
use crate::terraform::eval::Evaluated;
use crate::terraform::{expr, Body, Config, Expression, Structure};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// One resource, data source or module call of a configuration.
struct Item<'a> {
    kind: &'static str,
    resource_type: String,
    name: String,
    body: &'a Body,
    /// The instance key (`[0]`, `["api"]`) of a resource the evaluator expanded.
    key: Option<String>,
    /// The module the resource is in (`module.web`), when the evaluator read a module call.
    module: Option<String>,
}

impl Item<'_> {
    fn address(&self) -> String {
        let local = match self.kind {
            "module" => format!("module.{}", self.name),
            "data" => format!("data.{}.{}", self.resource_type, self.name),
            _ => format!("{}.{}", self.resource_type, self.name),
        };
        let key = self.key.as_deref().unwrap_or_default();
        match &self.module {
            Some(m) => format!("{m}.{local}{key}"),
            None => format!("{local}{key}"),
        }
    }
}

fn items(config: &Config) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for (_, block) in config.blocks() {
        let kind = match block.kind.as_str() {
            "resource" => "resource",
            "data" => "data",
            "module" => "module",
            _ => continue,
        };
        let label = |i: usize| block.labels.get(i).filter(|l| !l.is_empty()).cloned();
        match (kind, block.labels.as_slice()) {
            ("module", [name]) => out.push(Item {
                kind,
                resource_type: name.clone(),
                name: name.clone(),
                body: &block.body,
                key: None,
                module: None,
            }),
            // `[type, name]`, or as the evaluator writes an instance: `[type, name, key]`, `[type, name, key,
            // module]` (see `terraform::Resource`).
            (_, [t, n, ..]) if block.labels.len() <= 4 => out.push(Item {
                kind,
                resource_type: t.clone(),
                name: n.clone(),
                body: &block.body,
                key: label(2),
                module: label(3),
            }),
            _ => {}
        }
    }
    out
}

/// The address an expression like `azurerm_x.y` / `module.m` in a `moved`/`import`/`removed` block names.
fn address_arg(body: &Body, name: &str) -> Option<String> {
    body.get(name).map(|e| expr::to_hcl(&expr::normalize(e)))
}

fn sensitive_variables(config: &Config) -> BTreeSet<String> {
    config
        .blocks_of("variable")
        .filter(|(_, b)| b.body.get("sensitive").and_then(expr::as_bool) == Some(true))
        .filter_map(|(_, b)| b.labels.first().cloned())
        .collect()
}

/// What the differ needs while turning bodies into [`Obj`]s.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    sensitive_vars: &'a BTreeSet<String>,
    /// Resources being replaced: references to them are unknown until apply.
    replaced: &'a BTreeSet<String>,
    /// `moved` blocks (from → to), applied to references of the old configuration so that a reference
    /// that only follows a move is not a change.
    renames: &'a BTreeMap<String, String>,
    /// The module of the resource being turned into an [`Obj`]: its references are relative to it.
    module: Option<&'a str>,
}

/// The replaced resource a reference (`azurerm_x.y`, `module.m`, as [`expr::referenced_resources`] gives it,
/// without instance key) made in `module` points at, if any: the resource itself, one of its instances, or for
/// a module, anything inside it.
fn replaced_target(reference: &str, module: Option<&str>, replaced: &BTreeSet<String>) -> Option<String> {
    let full = match module {
        Some(m) => format!("{m}.{reference}"),
        None => reference.to_string(),
    };
    let is_module = reference.starts_with("module.");
    replaced
        .iter()
        .find(|a| {
            *a == &full
                || a.strip_prefix(full.as_str())
                    .is_some_and(|rest| rest.starts_with('[') || (is_module && rest.starts_with('.')))
        })
        .cloned()
}

/// `text` with references to `from` addresses rewritten to their `to` addresses.
fn rename_references(text: &str, renames: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (from, to) in renames {
        let pat = format!("{from}.");
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(&pat) {
            result.push_str(&rest[..i]);
            let before = result.chars().last();
            let ok = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
            result.push_str(if ok { to } else { from });
            result.push('.');
            rest = &rest[i + pat.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// A literal expression as JSON.
pub fn literal_json(e: &Expression) -> Option<Json> {
    Some(match e {
        Expression::Null => Json::Null,
        Expression::Bool(b) => Json::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).ok()?,
        Expression::String(s) => Json::String(s.clone()),
        Expression::Array(items) => Json::Array(items.iter().map(literal_json).collect::<Option<_>>()?),
        Expression::Object(o) => Json::Object(
            o.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ::hcl::ObjectKey::Identifier(i) => i.to_string(),
                        ::hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                        _ => return None,
                    };
                    Some((key, literal_json(v)?))
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

fn is_sensitive_expr(e: &Expression, ctx: &Ctx) -> bool {
    expr::references(e).iter().any(|r| {
        r.strip_prefix("var.")
            .map(|v| v.split(['.', '[']).next().unwrap_or(v))
            .is_some_and(|v| ctx.sensitive_vars.contains(v))
    }) || expr::to_hcl(e).contains("sensitive(")
}

/// A configuration body as a differ body. `subst` collects (path, replaced resource) for every value that
/// became unknown because it refers to a replaced resource.
fn obj(
    body: &Body,
    schema: Option<&BlockSchema>,
    path: &str,
    ctx: &Ctx,
    subst: &mut Option<&mut Vec<(String, String)>>,
) -> Obj {
    let mut o = Obj::default();
    for a in body.attributes() {
        let p = if path.is_empty() {
            a.name.clone()
        } else {
            format!("{path}.{}", a.name)
        };
        let e = expr::normalize(&a.value);
        let schema_sensitive = schema
            .and_then(|s| s.attributes.get(&a.name))
            .is_some_and(|s| s.sensitive);
        let literal = literal_json(&e);
        let mut text = expr::to_hcl(&e);
        if literal.is_none() && !ctx.renames.is_empty() {
            text = rename_references(&text, ctx.renames);
        }
        let cmp = literal
            .clone()
            .unwrap_or_else(|| serde_json::json!({ "$expression": text }));
        // Meta-arguments name resources, they do not take values from them.
        let meta = path.is_empty() && matches!(a.name.as_str(), "depends_on" | "provider" | "count" | "for_each");
        let replaced_ref = if meta {
            None
        } else {
            expr::referenced_resources(&e)
                .into_iter()
                .find_map(|r| replaced_target(&r, ctx.module, ctx.replaced))
        };
        let shown = if schema_sensitive || is_sensitive_expr(&e, ctx) {
            Value::Sensitive
        } else if let (Some(r), Some(s)) = (&replaced_ref, subst.as_deref_mut()) {
            s.push((p.clone(), r.clone()));
            Value::Unknown
        } else {
            match literal {
                Some(j) => Value::Known(j),
                None => Value::Expression(text),
            }
        };
        o.attrs.insert(a.name.clone(), Leaf { shown, cmp: Some(cmp) });
    }
    for b in body.blocks() {
        let (name, nested) = if b.kind == "dynamic" {
            let label = b.labels.first().cloned().unwrap_or_default();
            (
                format!("dynamic \"{label}\""),
                schema.and_then(|s| s.block_types.get(&label)),
            )
        } else {
            (b.kind.clone(), schema.and_then(|s| s.block_types.get(&b.kind)))
        };
        let p = if path.is_empty() {
            b.kind.clone()
        } else {
            format!("{path}.{}", b.kind)
        };
        let child = obj(&b.body, nested.map(|n| &n.block), &p, ctx, subst);
        o.blocks.entry(name).or_default().push(child);
    }
    o
}

/// The changes that turn configuration `old` into `new`, as written (nothing evaluated: `count` / `for_each` and
/// module calls stand for what they would create).
pub fn from_configs(old: &Config, new: &Config) -> ChangeSet {
    changes(old, new, items(old), items(new))
}

/// The changes that turn evaluated configuration `old` into `new` ([`crate::terraform::eval::evaluate`], with
/// `withhold_sensitive` so that no sensitive value is in either): resources are the instances Terraform would
/// plan — `count` / `for_each` expanded to `x[0]`, `x["k"]`, module resources under their module address — and
/// two expressions with the same value compare equal. A module call whose source was not read stays one entry
/// with a note; one inside a module is a warning.
pub fn from_evaluated(old: &Evaluated, new: &Evaluated) -> ChangeSet {
    let (old_config, mut warnings) = as_planned(old);
    let (new_config, new_warnings) = as_planned(new);
    for w in new_warnings {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let mut set = changes(&old_config, &new_config, items(&old_config), items(&new_config));
    set.warnings.extend(warnings);
    set
}

/// `evaluated`'s configuration as the differ reads it: module calls that were read are replaced by the module's
/// resources (already in the configuration, with their module address), so the calls themselves, and every block
/// of a called module that is not a resource (its outputs, `moved` blocks, nested calls), are dropped; an expanded
/// instance loses its `count` / `for_each` (the instance key says which one it is).
fn as_planned(evaluated: &Evaluated) -> (Config, Vec<String>) {
    let not_read: BTreeMap<&str, (&str, &str)> = evaluated
        .modules_not_read
        .iter()
        .map(|(address, source, why)| (address.as_str(), (source.as_str(), why.as_str())))
        .collect();
    let mut config = evaluated.config.clone();
    for (i, file) in config.files.iter_mut().enumerate() {
        let root = i < evaluated.root_files;
        file.body.structures.retain_mut(|s| {
            let Structure::Block(b) = s else { return true };
            match b.kind.as_str() {
                "module" => {
                    root && b
                        .labels
                        .first()
                        .is_some_and(|name| not_read.contains_key(format!("module.{name}").as_str()))
                }
                "resource" | "data" => {
                    if b.labels.get(2).is_some_and(|k| !k.is_empty()) {
                        b.body
                            .structures
                            .retain(|s| !matches!(s, Structure::Attribute(a) if matches!(a.name.as_str(), "count" | "for_each")));
                    }
                    true
                }
                "moved" | "import" | "removed" | "output" => root,
                _ => true,
            }
        });
    }
    evaluated.sensitive.mark(&mut config);
    let warnings = evaluated
        .modules_not_read
        .iter()
        .filter(|(address, _, _)| address.matches("module.").count() > 1)
        .map(|(address, source, why)| {
            format!("{address} (source {source}) was not read ({why}): its resources are not in this diff")
        })
        .collect();
    (config, warnings)
}

/// What the new configuration's `moved`, `import` and `removed` blocks say.
#[derive(Default)]
struct Directives {
    /// `moved { from, to }`: to → from.
    moved_to_from: BTreeMap<String, String>,
    /// `import { to, id }`: to → id.
    imports: BTreeMap<String, String>,
    /// `removed { from, lifecycle { destroy } }`: from → destroy.
    removed: BTreeMap<String, bool>,
}

impl Directives {
    fn of(new: &Config) -> Directives {
        let mut d = Directives::default();
        for (_, b) in new.blocks_of("moved") {
            if let (Some(from), Some(to)) = (address_arg(&b.body, "from"), address_arg(&b.body, "to")) {
                d.moved_to_from.insert(to, from);
            }
        }
        for (_, b) in new.blocks_of("import") {
            if let Some(to) = address_arg(&b.body, "to") {
                let id = b
                    .body
                    .get("id")
                    .map(|e| {
                        let e = expr::normalize(e);
                        expr::as_str(&e).map(str::to_string).unwrap_or_else(|| expr::to_hcl(&e))
                    })
                    .unwrap_or_default();
                d.imports.insert(to, id);
            }
        }
        for (_, b) in new.blocks_of("removed") {
            if let Some(from) = address_arg(&b.body, "from") {
                let destroy = b
                    .body
                    .block("lifecycle")
                    .and_then(|l| l.body.get("destroy"))
                    .and_then(expr::as_bool)
                    .unwrap_or(true);
                d.removed.insert(from, destroy);
            }
        }
        d
    }
}

/// Each new item with the old one it continues (same address, or moved from), and the address it moved from.
type Pair<'i, 'a> = (Option<&'i Item<'a>>, &'i Item<'a>, Option<String>);

/// The new items paired with the old ones, and the addresses of the old items that were paired.
fn pair_items<'i, 'a>(
    old_items: &'i [Item<'a>],
    new_items: &'i [Item<'a>],
    moved_to_from: &BTreeMap<String, String>,
) -> (Vec<Pair<'i, 'a>>, BTreeSet<String>) {
    let old_by_addr: BTreeMap<String, &Item> = old_items.iter().map(|i| (i.address(), i)).collect();
    let mut matched_old: BTreeSet<String> = BTreeSet::new();
    let mut pairs = Vec::new();
    for n in new_items {
        let addr = n.address();
        if let Some(o) = old_by_addr.get(&addr) {
            matched_old.insert(addr.clone());
            pairs.push((Some(*o), n, None));
        } else if let Some(o) = moved_from(&addr, moved_to_from).and_then(|from| old_by_addr.get(&from)) {
            matched_old.insert(o.address());
            pairs.push((Some(*o), n, Some(o.address())));
        } else {
            pairs.push((None, n, None));
        }
    }
    (pairs, matched_old)
}

/// The changes between two configurations, given their resources, data sources and module calls.
fn changes(old: &Config, new: &Config, old_items: Vec<Item>, new_items: Vec<Item>) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Configuration);
    let mut sensitive_vars = sensitive_variables(old);
    sensitive_vars.extend(sensitive_variables(new));
    let directives = Directives::of(new);
    let (pairs, matched_old) = pair_items(&old_items, &new_items, &directives.moved_to_from);
    let mut changes = until_fixpoint(&pairs, &directives, &sensitive_vars);
    read_data_sources(&pairs, &mut changes);
    for (c, (_, n, _)) in changes.into_iter().zip(&pairs) {
        match c {
            Some(c) => set.changes.push(c),
            None if n.kind == "data" => {}
            None => set.unchanged += 1,
        }
    }
    for o in &old_items {
        let addr = o.address();
        if !matched_old.contains(&addr) && o.kind != "data" {
            set.changes
                .push(removed_change(o, &directives.removed, &sensitive_vars));
        }
    }
    set.outputs = outputs(old, new, &sensitive_vars);
    set.changes.sort_by(|a, b| a.address.cmp(&b.address));
    if super::graph::replaces(&set) {
        // The new configuration's references, and the old one's for what it deletes.
        let full = crate::graph::Graph::of_configs(&[(new, new.files.len()), (old, old.files.len())]);
        set.graph = super::graph::select(&full, &set);
    }
    set
}

/// The change of each pair, iterated to a fixpoint: each round's replacements make references to them unknown
/// in the next.
fn until_fixpoint(
    pairs: &[Pair],
    directives: &Directives,
    sensitive_vars: &BTreeSet<String>,
) -> Vec<Option<ResourceChange>> {
    let renames: BTreeMap<String, String> = directives
        .moved_to_from
        .iter()
        .map(|(to, from)| (from.clone(), to.clone()))
        .collect();
    let no_renames = BTreeMap::new();
    let mut replaced: BTreeSet<String> = BTreeSet::new();
    loop {
        let ctx = Ctx {
            sensitive_vars,
            replaced: &replaced,
            renames: &no_renames,
            module: None,
        };
        let changes: Vec<Option<ResourceChange>> = pairs
            .iter()
            .map(|(o, n, prev)| pair_change(*o, n, prev.clone(), &directives.imports, &ctx, &renames))
            .collect();
        let now: BTreeSet<String> = changes
            .iter()
            .flatten()
            .filter(|c| matches!(c.action, Action::Replace { .. }))
            .map(|c| c.address.clone())
            .collect();
        if now == replaced {
            return changes;
        }
        replaced = now;
    }
}

/// A data source is read while planning, and not shown, unless it depends on a managed resource with changes
/// pending: then it is read during apply (Terraform's "Data Resource Behavior",
/// developer.hashicorp.com/terraform/language/data-sources#data-resource-behavior).
fn read_data_sources(pairs: &[Pair], changes: &mut [Option<ResourceChange>]) {
    let pending: BTreeSet<String> = changes
        .iter()
        .flatten()
        .filter(|c| c.kind == "resource")
        .filter(|c| matches!(c.action, Action::Create | Action::Update | Action::Replace { .. }))
        .map(|c| c.address.clone())
        .collect();
    for ((_, n, _), c) in pairs.iter().zip(changes.iter_mut()) {
        if n.kind != "data" {
            continue;
        }
        let depends = n
            .body
            .attributes()
            .flat_map(|a| expr::referenced_resources(&a.value))
            .chain(n.body.blocks().flat_map(|b| block_references(&b.body)))
            .any(|r| !r.starts_with("data.") && replaced_target(&r, n.module.as_deref(), &pending).is_some());
        match (depends, c.as_mut()) {
            (false, _) => *c = None,
            (true, Some(c)) => {
                c.action = Action::Read;
                c.reasons = vec![Reason::DependencyPending];
            }
            (true, None) => {
                let mut read = ResourceChange::new(&n.address(), Action::Read);
                read.kind = "data".into();
                read.resource_type = n.resource_type.clone();
                read.name = n.name.clone();
                read.reasons.push(Reason::DependencyPending);
                *c = Some(read);
            }
        }
    }
}

/// An old resource the new configuration no longer has: destroyed, or forgotten by a `removed` block.
fn removed_change(o: &Item, removed: &BTreeMap<String, bool>, sensitive_vars: &BTreeSet<String>) -> ResourceChange {
    let addr = o.address();
    let ctx = Ctx {
        sensitive_vars,
        replaced: &BTreeSet::new(),
        renames: &BTreeMap::new(),
        module: o.module.as_deref(),
    };
    let schema = resource_schema(&o.resource_type);
    let before = obj(o.body, schema, "", &ctx, &mut None);
    let diffed = tree::diff(
        Some(&before),
        None,
        &Rules {
            forces: &|_| false,
            updating: false,
            only_declared: false,
        },
    );
    let (action, reason) = match removed.get(&addr) {
        Some(false) => (Action::Forget, Reason::RemovedBlock),
        Some(true) => (Action::Delete, Reason::RemovedBlock),
        None => (Action::Delete, Reason::NotInConfiguration),
    };
    let mut c = ResourceChange::new(&addr, action);
    c.kind = o.kind.to_string();
    c.resource_type = o.resource_type.clone();
    c.name = o.name.clone();
    c.reasons.push(reason);
    c.attributes = diffed.changes;
    if action == Action::Forget {
        c.unchanged_blocks = c
            .attributes
            .iter()
            .filter(|a| matches!(a.node, Node::Block { .. }))
            .count();
        c.unchanged_attributes = c.attributes.len() - c.unchanged_blocks;
        c.attributes.clear();
    }
    c
}

fn pair_change(
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
        resource_schema(&new.resource_type)
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
            sensitive_vars: ctx.sensitive_vars,
            replaced: &no_replacements,
            renames,
            module: o.module.as_deref(),
        };
        obj(o.body, resource_schema(&o.resource_type), "", &ctx, &mut None)
    });
    let resource_type = new.resource_type.clone();
    let forces = |p: &str| !is_module && force_new(&resource_type, p) == Some(true);
    let diffed = tree::diff(
        before.as_ref(),
        Some(&after),
        &Rules {
            forces: &forces,
            updating: old.is_some(),
            only_declared: false,
        },
    );
    let forcing: Vec<String> = forcing_paths(&diffed.changes, "");
    let importing = imports.get(&addr).cloned();
    let action = action_of(
        old.is_some(),
        new,
        &diffed,
        &forcing,
        importing.is_some(),
        &previous_address,
    )?;
    let mut c = ResourceChange::new(&addr, action);
    c.kind = new.kind.to_string();
    c.resource_type = new.resource_type.clone();
    c.name = if is_module { String::new() } else { new.name.clone() };
    c.previous_address = previous_address;
    c.importing = if old.is_none() { importing } else { None };
    c.reasons = reasons(action, new, &diffed, &forcing, &subst);
    c.notes = notes(new);
    match action {
        Action::Import => {
            c.unchanged_attributes = after.attrs.len();
            c.unchanged_blocks = after.blocks.values().map(Vec::len).sum();
        }
        _ => {
            c.attributes = diffed.changes;
            c.unchanged_attributes = diffed.unchanged_attributes;
            c.unchanged_blocks = diffed.unchanged_blocks;
        }
    }
    if action == Action::Create {
        if let Some(s) = schema {
            add_computed(&mut c, s, &after);
        }
    }
    Some(c)
}

/// What happens to `new` (paired with an old item or not); `None` when nothing does.
fn action_of(
    paired: bool,
    new: &Item,
    diffed: &tree::Diffed,
    forcing: &[String],
    importing: bool,
    previous_address: &Option<String>,
) -> Option<Action> {
    let changed = diffed.changes.iter().any(|c| c.change != Change::Unchanged);
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
fn reasons(
    action: Action,
    new: &Item,
    diffed: &tree::Diffed,
    forcing: &[String],
    subst: &[(String, String)],
) -> Vec<Reason> {
    let mut out = Vec::new();
    if matches!(action, Action::Replace { .. }) {
        for p in forcing {
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
            for p in changed_paths(&diffed.changes, "") {
                if notes.force_new.get(&p).and_then(Json::as_str) == Some("conditional") {
                    out.push(Reason::MayForceReplacement { attribute: p });
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
fn notes(new: &Item) -> Vec<String> {
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

/// A created resource's computed-only attributes the configuration cannot set: `(known after apply)`.
fn add_computed(c: &mut ResourceChange, schema: &BlockSchema, after: &Obj) {
    for (name, a) in &schema.attributes {
        if a.computed && !a.optional && !a.required && !after.attrs.contains_key(name) {
            c.attributes
                .push(super::model::AttributeChange::value(name, None, Some(Value::Unknown)));
        }
    }
    c.attributes.sort_by(|a, b| {
        let block = |x: &super::model::AttributeChange| matches!(x.node, Node::Block { .. });
        (block(a), &a.name).cmp(&(block(b), &b.name))
    });
}

/// Dotted paths of every changed attribute and added or removed block.
fn changed_paths(changes: &[super::model::AttributeChange], path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes.iter().filter(|c| c.change != Change::Unchanged) {
        let p = if path.is_empty() {
            c.name.clone()
        } else {
            format!("{path}.{}", c.name)
        };
        match &c.node {
            Node::Block { attributes, .. } if c.change == Change::Update => out.extend(changed_paths(attributes, &p)),
            _ => out.push(p),
        }
    }
    out
}

/// Dotted paths of attributes (and added/removed blocks) that force replacement.
fn forcing_paths(changes: &[super::model::AttributeChange], path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        let p = if path.is_empty() {
            c.name.clone()
        } else {
            format!("{path}.{}", c.name)
        };
        if c.forces_replacement {
            out.push(p.clone());
        }
        if let Node::Block { attributes, .. } = &c.node {
            if !c.forces_replacement {
                out.extend(forcing_paths(attributes, &p));
            }
        }
    }
    out
}

fn outputs(old: &Config, new: &Config, sensitive_vars: &BTreeSet<String>) -> Vec<OutputChange> {
    let no_replacements = BTreeSet::new();
    let no_renames = BTreeMap::new();
    let ctx = Ctx {
        sensitive_vars,
        replaced: &no_replacements,
        renames: &no_renames,
        module: None,
    };
    let read = |c: &Config| -> BTreeMap<String, (Leaf, bool)> {
        c.blocks_of("output")
            .filter_map(|(_, b)| {
                let name = b.labels.first()?.clone();
                let e = expr::normalize(b.body.get("value")?);
                let sensitive =
                    b.body.get("sensitive").and_then(expr::as_bool) == Some(true) || is_sensitive_expr(&e, &ctx);
                let text = expr::to_hcl(&e);
                let literal = literal_json(&e);
                let cmp = literal
                    .clone()
                    .unwrap_or_else(|| serde_json::json!({ "$expression": text }));
                let shown = if sensitive {
                    Value::Sensitive
                } else {
                    literal.map(Value::Known).unwrap_or(Value::Expression(text))
                };
                Some((name, (Leaf { shown, cmp: Some(cmp) }, sensitive)))
            })
            .collect()
    };
    let (o, n) = (read(old), read(new));
    let names: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let (b, a) = (o.get(name), n.get(name));
        let change = match (b, a) {
            (Some(x), Some(y)) if x.0.cmp == y.0.cmp && x.1 == y.1 => continue,
            (Some(_), Some(_)) => Change::Update,
            (None, _) => Change::Create,
            (_, None) => Change::Delete,
        };
        out.push(OutputChange {
            name: name.clone(),
            change,
            before: b.map(|x| x.0.shown.clone()),
            after: a.map(|x| x.0.shown.clone()),
        });
    }
    out
}

/// The address `address` had before a `moved` block: `moved { from = x.a  to = x.b }` moves `x.b` and each of its
/// instances (`x.b[0]` ← `x.a[0]`); `moved { from = module.a  to = module.b }` moves everything in the module
/// (`module.b.azurerm_x.y` ← `module.a.azurerm_x.y`); `moved` with instance keys moves that instance.
fn moved_from(address: &str, moved_to_from: &BTreeMap<String, String>) -> Option<String> {
    if let Some(from) = moved_to_from.get(address) {
        return Some(from.clone());
    }
    moved_to_from.iter().find_map(|(to, from)| {
        let rest = address.strip_prefix(to.as_str())?;
        (rest.starts_with('[') || rest.starts_with('.')).then(|| format!("{from}{rest}"))
    })
}

/// Every resource a nested block's arguments refer to, at any depth.
fn block_references(body: &Body) -> Vec<String> {
    body.attributes()
        .flat_map(|a| expr::referenced_resources(&a.value))
        .chain(body.blocks().flat_map(|b| block_references(&b.body)))
        .collect()
}
