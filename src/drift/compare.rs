//! Declared (the Terraform configuration rendered for the stack) against live (each resource's adapter output,
//! [`crate::azurerm::arm`]), on `infra diff`'s differs: live is *before*, declared is *after* — what applying the
//! stack would do. The structured differ (`diff::structured`, through `diff::values`) computes the change every
//! view prints, and the report's status, `differences` and counts are read off it. Values are compared in the form
//! Azure stores them
//! ([`crate::azurerm::facts::normalize`], sets as the provider schema has them); nested blocks are told from
//! attributes by the provider schema (`terraform::json::values::nested_block`) and matched by the differ's
//! identity keys ([`crate::azurerm::facts::blocks::identity_keys`]). The bodies themselves are built in
//! `drift::bodies`.
//!
//! Only what is declared is compared: an attribute the configuration leaves out is Azure's to default (cut from the
//! live side before diffing, `only_declared`). Declared
//! values are literals, or references to another resource's attribute (`azurerm_container_registry.main.id`),
//! resolved against that resource's live object; anything else (functions, variables) is not compared and is
//! listed as such, as is a declared argument or block the adapter does not read.
//!
//! Members of nested collections are compared both ways: a timer trigger, container, environment variable or
//! registry credential that is live but not declared is drift; at the top level, only where the stack owns the
//! collection ([`blocks::owned_when_undeclared`]: geo-replicas). Live webhooks and tasks of a declared registry that the stack
//! does not declare are drift too.

use super::bodies::{declared_obj, live_obj, Context, Declared, Read};
use crate::azurerm::arm::LiveObject;
use crate::azurerm::facts::blocks;
use crate::diff::structured::Diff;
use crate::diff::values::BodyValues;
use crate::terraform::Schemas;
use crate::terraform::{Block, Body, Config};
use serde::Serialize;
use serde_json::Value;

/// Resource types `infra drift` reads, in the order it reports them: the ARM mapping's
/// (`azurerm::arm::registry::RESOURCES`).
pub(crate) const CHECKED_TYPES: &[&str] = &crate::azurerm::arm::registry::AZURERM_TYPES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// How a resource compares with what is live.
pub enum Status {
    /// Live matches everything declared.
    InSync,
    /// Live differs.
    Drifted,
    /// Declared, not live: applying the stack would create it.
    Missing,
    /// Live, not declared by the stack.
    NotDeclared,
}

/// One declared resource (or a live one the stack does not declare).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDrift {
    /// The resource's address.
    pub address: String,
    /// Its azurerm type.
    pub resource_type: String,
    /// Its name in Azure.
    pub name: String,
    /// How it compares.
    pub status: Status,
    /// The differences, read off the structured change (live before, declared after): each changed attribute,
    /// and each nested block only on one side, by path.
    pub differences: Vec<Difference>,
    /// Attributes that match: only counted.
    pub unchanged_attributes: usize,
    /// Nested blocks that match: only counted.
    pub unchanged_blocks: usize,
    /// Declared attributes not compared: not readable with Reader, not read by infra, or not a literal/reference.
    pub not_compared: Vec<String>,
    /// The differences as the structured differ's change (live before, declared after), which the text view
    /// prints. Not serialised.
    #[serde(skip)]
    pub(crate) structured: Option<Box<Diff>>,
}

impl ResourceDrift {
    /// A difference forces replacement (e.g. `location`, `zone_redundancy_enabled`).
    pub fn forces_replacement(&self) -> bool {
        self.forcing().next().is_some()
    }

    /// Dotted paths of the differences that force replacement, as the structured change says.
    pub(crate) fn forcing(&self) -> impl Iterator<Item = String> {
        let paths = self.structured.as_deref().map(crate::diff::values::changed_paths);
        paths.into_iter().flat_map(|p| p.forcing)
    }
}

/// One difference between what is live and what is declared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    /// The dotted path of the attribute, or of the nested block only on one side (`network_rules.ip_rules`,
    /// `template.container`).
    pub path: String,
    /// Its live value (`None`: not live).
    pub live: Option<crate::diff::Value>,
    /// Its declared value (`None`: not declared).
    pub declared: Option<crate::diff::Value>,
    /// Undoing it replaces the resource (the provider's ForceNew).
    pub forces_replacement: bool,
}

/// The differences, counts and status of a structured change (live before, declared after).
fn differences(d: Diff) -> (Vec<Difference>, usize, usize, Box<Diff>) {
    let differences = crate::diff::values::changed_nodes(&d)
        .into_iter()
        .map(|(path, node, forces_replacement)| Difference {
            path,
            live: crate::diff::json::value_of(node, true),
            declared: crate::diff::json::value_of(node, false),
            forces_replacement,
        })
        .collect();
    let (attributes, blocks) = crate::diff::values::unchanged_counts(&d);
    (differences, attributes, blocks, Box::new(d))
}

/// All of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// Every declared resource of a checked type, and live ones the stack does not declare.
    pub resources: Vec<ResourceDrift>,
    /// Declared resources of types `infra drift` does not read (storage account, file share, …).
    pub not_checked: Vec<String>,
}

impl DriftReport {
    /// Some resource is not in sync.
    pub fn has_drift(&self) -> bool {
        self.resources.iter().any(|r| r.status != Status::InSync)
    }
}

/// A declared resource (address, type, block) with the live object it was paired with, if any.
type Pair<'a> = (String, &'a str, &'a Block, Option<&'a LiveObject>);

/// Compares every declared resource of a checked type with the live objects.
pub fn compare(config: &Config, live: &[LiveObject]) -> DriftReport {
    compare_with(config, live, &crate::azurerm::builtin_schemas().clone())
}

/// [`compare`] with the provider schemas in `schemas`, which say which attributes are nested blocks.
pub(crate) fn compare_with(config: &Config, live: &[LiveObject], schemas: &Schemas) -> DriftReport {
    let resources = config.resources();
    let (mut pairs, not_checked) = pair_declared(&resources, live);
    resolve_names(config, schemas, live, &mut pairs);
    let context = Context::new(
        config,
        schemas,
        pairs
            .iter()
            .filter_map(|(a, _, _, o)| o.map(|o| (a.clone(), o)))
            .collect(),
        pairs
            .iter()
            .filter(|(_, _, _, o)| o.is_none())
            .map(|(a, _, b, _)| (a.clone(), &b.body))
            .collect(),
    );
    let mut out: Vec<ResourceDrift> = pairs.iter().map(|pair| resource_drift(&context, pair)).collect();
    out.extend(undeclared_children(&pairs, live, schemas));
    out.sort_by_key(|r| {
        CHECKED_TYPES
            .iter()
            .position(|t| *t == r.resource_type)
            .unwrap_or(usize::MAX)
    });
    DriftReport {
        resources: out,
        not_checked,
    }
}

/// Declared managed resources of checked types paired with live objects by type and `name`; and the addresses
/// of declared azurerm resources of types not checked.
fn pair_declared<'a>(
    resources: &'a [crate::terraform::Resource<'a>],
    live: &'a [LiveObject],
) -> (Vec<Pair<'a>>, Vec<String>) {
    let mut pairs = Vec::new();
    let mut not_checked = Vec::new();
    for resource in resources.iter().filter(|r| r.mode == crate::terraform::Mode::Managed) {
        let address = resource.address().to_string();
        if !CHECKED_TYPES.contains(&resource.resource_type) {
            // `time_sleep` and other non-Azure resources have nothing in Azure to read: not worth a warning.
            if resource.resource_type.starts_with("azurerm_") {
                not_checked.push(address);
            }
            continue;
        }
        let found = live.iter().find(|object| {
            object.resource_type == resource.resource_type
                && matches_declared(resource.resource_type, resource.block, object)
        });
        pairs.push((address, resource.resource_type, resource.block, found));
    }
    (pairs, not_checked)
}

/// Pairs the resources whose `name` is a reference (an internal environment's private DNS zone is named after
/// the environment's `default_domain`), resolved against what was paired so far.
fn resolve_names<'a>(config: &Config, schemas: &Schemas, live: &'a [LiveObject], pairs: &mut [Pair<'a>]) {
    let unresolved: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].3.is_none())
        .filter(|&i| {
            let name = pairs[i].2.body.get("name");
            name.is_some_and(|n| crate::terraform::expr::as_str(n).is_none())
        })
        .collect();
    if unresolved.is_empty() {
        return;
    }
    let names: Vec<(usize, String)> = {
        let context = Context::new(
            config,
            schemas,
            pairs
                .iter()
                .filter_map(|(a, _, _, o)| o.map(|o| (a.clone(), o)))
                .collect(),
            Vec::new(),
        );
        unresolved
            .iter()
            .filter_map(|&i| match context.eval(pairs[i].2.body.get("name")?) {
                Declared::Known(Value::String(name)) => Some((i, name)),
                _ => None,
            })
            .collect()
    };
    for (i, name) in names {
        let resource_type = pairs[i].1;
        let found = live.iter().find(|object| {
            object.resource_type == resource_type
                && object.name.eq_ignore_ascii_case(&name)
                && !pairs
                    .iter()
                    .any(|(_, _, _, o)| o.is_some_and(|o| std::ptr::eq(o, *object)))
        });
        pairs[i].3 = found;
    }
}

/// One declared resource compared with its live object, or missing.
fn resource_drift(context: &Context, (address, resource_type, block, found): &Pair) -> ResourceDrift {
    let name = address.rsplit('.').next().unwrap_or_default().to_string();
    match found {
        Some(object) => {
            let c = compare_resource(context, resource_type, &block.body, object);
            let status = if c.structured.action == crate::diff::structured::Act::NoOp {
                Status::InSync
            } else {
                Status::Drifted
            };
            drift_of(
                address.clone(),
                resource_type,
                name,
                status,
                c.structured,
                c.not_compared,
            )
        }
        None => {
            let declared = declared_obj(context, resource_type, &block.body, None, "", &mut Vec::new());
            let d = structured(None, Some(&declared), resource_type, context.schemas);
            drift_of(address.clone(), resource_type, name, Status::Missing, d, Vec::new())
        }
    }
}

/// A resource's drift from its structured change.
fn drift_of(
    address: String,
    resource_type: &str,
    name: String,
    status: Status,
    d: Diff,
    not_compared: Vec<String>,
) -> ResourceDrift {
    let (differences, unchanged_attributes, unchanged_blocks, structured) = differences(d);
    ResourceDrift {
        address,
        resource_type: resource_type.to_string(),
        name,
        status,
        differences,
        unchanged_attributes,
        unchanged_blocks,
        not_compared,
        structured: Some(structured),
    }
}

/// Live webhooks and tasks of a declared (and live) registry that the stack does not declare.
fn undeclared_children(pairs: &[Pair], live: &[LiveObject], schemas: &Schemas) -> Vec<ResourceDrift> {
    let registry_live = pairs
        .iter()
        .any(|(_, t, _, o)| *t == "azurerm_container_registry" && o.is_some());
    if !registry_live {
        return Vec::new();
    }
    let mut out = Vec::new();
    for object in live {
        if !matches!(
            object.resource_type,
            "azurerm_container_registry_webhook" | "azurerm_container_registry_task"
        ) {
            continue;
        }
        let declared = pairs
            .iter()
            .any(|(_, _, _, o)| o.is_some_and(|o| std::ptr::eq(o, object)));
        if declared {
            continue;
        }
        let mut live_obj = live_obj(
            object.resource_type,
            &object.attributes,
            schemas.get(false, object.resource_type),
            "",
        );
        live_obj.attrs.remove("id");
        let d = structured(Some(&live_obj), None, object.resource_type, schemas);
        let address = format!("{}.{}", object.resource_type, object.name);
        let status = Status::NotDeclared;
        out.push(drift_of(
            address,
            object.resource_type,
            object.name.clone(),
            status,
            d,
            Vec::new(),
        ));
    }
    out
}

fn matches_declared(resource_type: &str, block: &Block, object: &LiveObject) -> bool {
    match resource_type {
        // One per stack: the AcrPull assignment infra renders.
        "azurerm_role_assignment" => true,
        // Named after its subnet in the live projection; infra renders one (the environment's subnet).
        "azurerm_subnet_network_security_group_association" => true,
        _ => block
            .body
            .get("name")
            .and_then(crate::terraform::expr::as_str)
            .is_some_and(|name| name.eq_ignore_ascii_case(&object.name)),
    }
}

/// What comparing one declared resource with its live object found.
struct Compared {
    structured: Diff,
    not_compared: Vec<String>,
}

fn compare_resource(context: &Context, resource_type: &str, declared: &Body, object: &LiveObject) -> Compared {
    let schema = context.schemas.get(false, resource_type);
    let mut live = live_obj(resource_type, &object.attributes, schema, "");
    let read = Read::of(&live);
    let mut not_compared = Vec::new();
    let declared_obj = declared_obj(context, resource_type, declared, Some(&read), "", &mut not_compared);
    // A top-level block type the configuration leaves out is Azure's (an `identity`, an `ingress`), unless the
    // stack owns the collection.
    live.blocks
        .retain(|kind, _| declared_obj.blocks.contains_key(kind) || blocks::owned_when_undeclared(resource_type, kind));
    only_declared(&mut live, &declared_obj);
    let structured = crate::diff::values::resource(
        Some(&live),
        Some(&declared_obj),
        context.schemas.get(false, resource_type),
        Some(resource_type),
        false,
    );
    not_compared.sort();
    Compared {
        structured,
        not_compared,
    }
}

/// Only what is declared is compared: an attribute the configuration leaves out of a body it declares is Azure's
/// to default, not drift. The live body is cut to that before diffing — at the top level and in every pair of
/// blocks, paired as the differ pairs them (by identity: [`crate::diff::structured::pair_by_identity`], on the
/// values as compared); live blocks with no declared partner are kept whole (they are drift).
fn only_declared(live: &mut BodyValues, declared: &BodyValues) {
    live.attrs.retain(|k, _| declared.attrs.contains_key(k));
    // A live value equal to the declared one in the form Azure stores it is shown as declared.
    for (k, l) in live.attrs.iter_mut() {
        if let Some(d) = declared.attrs.get(k).filter(|d| d.cmp.is_some() && d.cmp == l.cmp) {
            l.shown = d.shown.clone();
        }
    }
    for (kind, live_blocks) in live.blocks.iter_mut() {
        let Some(declared_blocks) = declared.blocks.get(kind) else {
            continue;
        };
        let compared = |blocks: &[BodyValues]| blocks.iter().map(BodyValues::compared).collect::<Vec<_>>();
        let pairs = crate::diff::structured::pair_by_identity(&compared(live_blocks), &compared(declared_blocks), kind);
        for (i, j) in pairs {
            if let (Some(i), Some(j)) = (i, j) {
                only_declared(&mut live_blocks[i], &declared_blocks[j]);
            }
        }
    }
}

/// The structured change of a resource with no partner on the other side (live only, or declared only).
fn structured(
    live: Option<&BodyValues>,
    declared: Option<&BodyValues>,
    resource_type: &str,
    schemas: &Schemas,
) -> Diff {
    crate::diff::values::resource(live, declared, schemas.get(false, resource_type), None, false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azurerm::resource_schema;
    use crate::drift::bodies::leaf;

    /// Drift compares sets and blocks as the provider schema has them (`facts::blocks`): every type it reads
    /// must have its schema vendored, or its sets would silently be compared in order.
    #[test]
    fn every_checked_type_has_a_vendored_schema() {
        for t in CHECKED_TYPES {
            assert!(
                resource_schema(t).is_some(),
                "{t} has no schema in src/azurerm/data/schema/"
            );
        }
    }

    fn body(attrs: &[(&str, &str)], blocks: &[(&str, Vec<BodyValues>)]) -> BodyValues {
        let mut o = BodyValues::default();
        for (k, v) in attrs {
            o.attrs.insert(
                k.to_string(),
                leaf("azurerm_container_registry", k, &Value::String(v.to_string())),
            );
        }
        for (k, b) in blocks {
            o.blocks.insert(k.to_string(), b.clone());
        }
        o
    }

    /// Live attributes the configuration leaves out of a body it declares are cut, in blocks paired by their
    /// identity key whatever the order; a live block with no declared partner is kept whole.
    #[test]
    fn only_what_is_declared_is_compared() {
        let replica = |location: &str, extra: bool| {
            let mut attrs = vec![("location", location)];
            if extra {
                attrs.push(("regional_endpoint_enabled", "true"));
            }
            body(&attrs, &[])
        };
        let mut live = body(
            &[("name", "cr"), ("sku", "Premium")],
            &[(
                "georeplications",
                vec![
                    replica("westeurope", true),
                    replica("northeurope", true),
                    replica("eastus", true),
                ],
            )],
        );
        let declared = body(
            &[("name", "cr")],
            &[(
                "georeplications",
                vec![replica("northeurope", false), replica("westeurope", false)],
            )],
        );
        only_declared(&mut live, &declared);
        assert_eq!(live.attrs.keys().collect::<Vec<_>>(), ["name"]);
        let kept: Vec<usize> = live.blocks["georeplications"].iter().map(|b| b.attrs.len()).collect();
        assert_eq!(kept, [1, 1, 2], "eastus is live only: kept whole");
    }
}
