//! A [`ChangeSet`] predicted offline from two Terraform configurations (old → new).
//!
//! Resources are matched by address (after applying `moved` blocks). A changed argument the azurerm
//! provider marks ForceNew (vendored `provider-notes.json`) makes it a replacement; a replacement cascades
//! to every resource with an argument referring to the replaced one — replaced too when that argument is
//! force-new, updated in place otherwise — until nothing more changes. Expressions are never evaluated:
//! a value that depends on a replaced resource reads `(known after apply)`.

mod body;
pub(crate) use body::literal_json;
mod change;

use super::model::{Action, ChangeSet, Reason, ResourceChange, Source};
use crate::terraform::eval::Evaluated;
use crate::terraform::Schemas;
use crate::terraform::{expr, Body, Config, Structure};
use body::{obj, outputs, replaced_target, sensitive_variables, Ctx};
use change::pair_change;
use std::collections::{BTreeMap, BTreeSet};

/// One resource, data source or module call of a configuration.
pub(super) struct Item<'a> {
    pub(super) kind: &'static str,
    pub(super) resource_type: String,
    pub(super) name: String,
    pub(super) body: &'a Body,
    /// The instance key (`[0]`, `["api"]`) of a resource the evaluator expanded.
    pub(super) key: Option<String>,
    /// The module the resource is in (`module.web`), when the evaluator read a module call.
    pub(super) module: Option<String>,
}

impl Item<'_> {
    pub(super) fn address(&self) -> String {
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
/// The changes that turn configuration `old` into `new`, as written (nothing evaluated: `count` / `for_each` and
/// module calls stand for what they would create).
pub fn from_configs(old: &Config, new: &Config) -> ChangeSet {
    from_configs_with(old, new, &crate::azurerm::builtin_schemas().clone())
}

/// [`from_configs`] with the provider schemas in `schemas` (built-in ones and those of
/// `terraform providers schema -json`), which say which arguments are nested blocks and which are sensitive.
pub fn from_configs_with(old: &Config, new: &Config, schemas: &Schemas) -> ChangeSet {
    changes(old, new, items(old), items(new), schemas)
}

/// The changes that turn evaluated configuration `old` into `new` ([`crate::terraform::eval::evaluate`], with
/// `withhold_sensitive` so that no sensitive value is in either): resources are the instances Terraform would
/// plan — `count` / `for_each` expanded to `x[0]`, `x["k"]`, module resources under their module address — and
/// two expressions with the same value compare equal. A module call whose source was not read stays one entry
/// with a note; one inside a module is a warning.
pub fn from_evaluated(old: &Evaluated, new: &Evaluated) -> ChangeSet {
    from_evaluated_with(old, new, &crate::azurerm::builtin_schemas().clone())
}

/// [`from_evaluated`] with the provider schemas in `schemas` (see [`from_configs_with`]).
pub fn from_evaluated_with(old: &Evaluated, new: &Evaluated, schemas: &Schemas) -> ChangeSet {
    let (old_config, mut warnings) = as_planned(old);
    let (new_config, new_warnings) = as_planned(new);
    for w in new_warnings {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    let mut set = changes(
        &old_config,
        &new_config,
        items(&old_config),
        items(&new_config),
        schemas,
    );
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
fn changes(old: &Config, new: &Config, old_items: Vec<Item>, new_items: Vec<Item>, schemas: &Schemas) -> ChangeSet {
    let mut set = ChangeSet::new(Source::Configuration);
    let mut sensitive_vars = sensitive_variables(old);
    sensitive_vars.extend(sensitive_variables(new));
    let directives = Directives::of(new);
    let (pairs, matched_old) = pair_items(&old_items, &new_items, &directives.moved_to_from);
    let mut changes = until_fixpoint(&pairs, &directives, &sensitive_vars, schemas);
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
                .push(removed_change(o, &directives.removed, &sensitive_vars, schemas));
        }
    }
    set.outputs = outputs(old, new, &sensitive_vars, schemas);
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
    schemas: &Schemas,
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
            schemas,
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
fn removed_change(
    o: &Item,
    removed: &BTreeMap<String, bool>,
    sensitive_vars: &BTreeSet<String>,
    schemas: &Schemas,
) -> ResourceChange {
    let addr = o.address();
    let ctx = Ctx {
        schemas,
        sensitive_vars,
        replaced: &BTreeSet::new(),
        renames: &BTreeMap::new(),
        module: o.module.as_deref(),
    };
    let schema = ctx.schema(&o.resource_type);
    let before = obj(o.body, schema, "", &ctx, &mut None);
    let structured = super::values::resource(Some(&before), None, schema, None, false);
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
    if action == Action::Forget {
        // Nothing in it changes: only counted.
        c.unchanged_attributes = before.attrs.len();
        c.unchanged_blocks = before.blocks.values().map(Vec::len).sum();
    } else {
        c.structured = Some(Box::new(structured));
    }
    c
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
