//! Declared (the Terraform configuration rendered for the stack) against live ([`super::project`]).
//!
//! Only what is declared is compared: an attribute the configuration leaves out is Azure's to default. Declared
//! values are literals, or references to another resource's attribute (`azurerm_container_registry.main.id`),
//! resolved against that resource's live object; anything else (functions, variables) is not compared and is
//! listed as such. Both sides are normalised the way Azure normalises (location, resource-ID case, `/32`, sets).
//!
//! Collections whose members the stack owns are compared both ways: a geo-replica, webhook, task, timer trigger,
//! IP rule, container, environment variable or registry credential that is live but not declared is drift.

use super::normalize;
use super::project::LiveObject;
use crate::terraform::{Block, Body, Config, Expression};
use serde::Serialize;
use serde_json::{Map, Value};

/// Arguments that are not properties of the object (meta-arguments) or that only say where it lives (we read it
/// there, so they match by construction).
const NOT_PROPERTIES: &[&str] = &[
    "count",
    "for_each",
    "depends_on",
    "provider",
    "lifecycle",
    "resource_group_name",
    "registry_name",
    "container_registry_id",
];

/// Attributes whose value is a set: order does not matter.
const SETS: &[&str] = &[
    "actions",
    "identity_ids",
    "bypass",
    "ip_rules",
    "virtual_network_subnet_ids",
];

/// Resource types `infra drift` reads, in the order it reports them.
pub const CHECKED_TYPES: &[&str] = &[
    "azurerm_resource_group",
    "azurerm_container_registry",
    "azurerm_container_registry_webhook",
    "azurerm_container_registry_task",
    "azurerm_user_assigned_identity",
    "azurerm_role_assignment",
    "azurerm_log_analytics_workspace",
    "azurerm_virtual_network",
    "azurerm_subnet",
    "azurerm_network_security_group",
    "azurerm_subnet_network_security_group_association",
    "azurerm_private_dns_zone",
    "azurerm_private_dns_zone_virtual_network_link",
    "azurerm_private_endpoint",
    "azurerm_storage_account",
    "azurerm_storage_share",
    "azurerm_container_app_environment",
    "azurerm_container_app_environment_storage",
    "azurerm_container_app",
];

/// The identifying attribute of each nested block type that is a collection.
fn block_key(kind: &str) -> Option<&'static str> {
    match kind {
        "georeplications" => Some("location"),
        "ip_rule" => Some("ip_range"),
        "timer_trigger" | "container" | "env" => Some("name"),
        "registry" => Some("server"),
        _ => None,
    }
}

/// A live block of this type that is not declared is drift, even when no block of the type is declared.
fn owned_at_top_level(resource_type: &str, kind: &str) -> bool {
    matches!((resource_type, kind), ("azurerm_container_registry", "georeplications"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockChange {
    /// Declared, not live.
    Missing,
    /// Both, with differences inside.
    Drifted,
    /// Live, not declared.
    NotDeclared,
}

/// One difference, as a tree following the configuration's nesting.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Difference {
    Attribute {
        name: String,
        /// `None`: not live. `Some(Value::Null)`: live and null.
        live: Option<Value>,
        /// `None`: not declared (a live-only block's attribute). The string `(known after apply)` when the
        /// declared value refers to something that does not exist yet.
        declared: Option<Value>,
        forces_replacement: bool,
    },
    Block {
        name: String,
        key: Option<String>,
        change: BlockChange,
        differences: Vec<Difference>,
        unchanged_attributes: usize,
        unchanged_blocks: usize,
    },
}

/// One declared resource (or a live one the stack does not declare).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceDrift {
    pub address: String,
    pub resource_type: String,
    pub name: String,
    pub status: Status,
    pub differences: Vec<Difference>,
    pub unchanged_attributes: usize,
    pub unchanged_blocks: usize,
    /// Declared attributes not compared: not readable with Reader, not read by infra, or not a literal/reference.
    pub not_compared: Vec<String>,
}

impl ResourceDrift {
    /// A difference forces replacement (e.g. `location`, `zone_redundancy_enabled`).
    pub fn forces_replacement(&self) -> bool {
        fn any(d: &[Difference]) -> bool {
            d.iter().any(|d| match d {
                Difference::Attribute { forces_replacement, .. } => *forces_replacement,
                Difference::Block { differences, .. } => any(differences),
            })
        }
        any(&self.differences)
    }
}

/// All of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    pub resources: Vec<ResourceDrift>,
    /// Declared resources of types `infra drift` does not read (storage account, file share, …).
    pub not_checked: Vec<String>,
}

impl DriftReport {
    pub fn has_drift(&self) -> bool {
        self.resources.iter().any(|r| r.status != Status::InSync)
    }
}

/// A declared value once references are resolved.
#[derive(Debug, Clone, PartialEq)]
enum Declared {
    Known(Value),
    /// Refers to something not live yet.
    AfterApply,
    /// Not a literal or a resolvable reference.
    Opaque,
}

struct Context<'a> {
    /// (address, live object) of each declared resource found live.
    live_by_address: Vec<(String, &'a LiveObject)>,
    /// Declared resources of checked types that are not live.
    missing: Vec<String>,
    /// `var.*` (defaults of the configuration's variables) and the live objects by type and name.
    eval: hcl::eval::Context<'static>,
}

impl<'a> Context<'a> {
    fn new(config: &Config, live_by_address: Vec<(String, &'a LiveObject)>, missing: Vec<String>) -> Self {
        let mut eval = hcl::eval::Context::new();
        let mut vars = hcl::Map::new();
        for (_, block) in config.blocks_of("variable") {
            if let (Some(name), Some(default)) = (block.labels.first(), block.body.get("default")) {
                // A null default (`image_tag` before CI's first push) says nothing about what CI deployed since:
                // leave the variable unknown, so what depends on it is not compared rather than compared with
                // the first-deploy placeholder.
                match hcl::eval::Evaluate::evaluate(default, &hcl::eval::Context::new()) {
                    Ok(hcl::Value::Null) | Err(_) => {}
                    Ok(value) => {
                        vars.insert(name.clone(), value);
                    }
                }
            }
        }
        eval.declare_var("var", hcl::Value::Object(vars));
        let mut by_type: std::collections::BTreeMap<&str, hcl::Map<String, hcl::Value>> = Default::default();
        for (address, object) in &live_by_address {
            let Some((_, name)) = address.split_once('.') else {
                continue;
            };
            let value = hcl::to_value(Value::Object(object.attributes.clone())).unwrap_or(hcl::Value::Null);
            by_type
                .entry(object.resource_type)
                .or_default()
                .insert(name.to_string(), value);
        }
        for (resource_type, objects) in by_type {
            eval.declare_var(resource_type, hcl::Value::Object(objects));
        }
        Context {
            live_by_address,
            missing,
            eval,
        }
    }

    fn eval(&self, expr: &Expression) -> Declared {
        for resource in crate::terraform::expr::referenced_resources(expr) {
            if self.missing.contains(&resource) {
                return Declared::AfterApply;
            }
            if !self.live_by_address.iter().any(|(a, _)| *a == resource) {
                return Declared::Opaque;
            }
        }
        match hcl::eval::Evaluate::evaluate(expr, &self.eval) {
            Ok(value) => serde_json::to_value(value)
                .map(Declared::Known)
                .unwrap_or(Declared::Opaque),
            Err(_) => Declared::Opaque,
        }
    }
}

/// Compares every declared resource of a checked type with the live objects.
pub fn compare(config: &Config, live: &[LiveObject]) -> DriftReport {
    let resources = config.resources();
    let managed: Vec<_> = resources
        .iter()
        .filter(|r| r.mode == crate::terraform::Mode::Managed)
        .collect();

    // Pair declared resources with live objects by type and `name`.
    let mut pairs: Vec<(String, &str, &Block, Option<&LiveObject>)> = Vec::new();
    let mut not_checked = Vec::new();
    for resource in &managed {
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
    // A resource whose `name` is a reference (an internal environment's private DNS zone is named after the
    // environment's `default_domain`): resolved against what was paired so far.
    let unresolved: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].3.is_none())
        .filter(|&i| {
            let name = pairs[i].2.body.get("name");
            name.is_some_and(|n| crate::terraform::expr::as_str(n).is_none())
        })
        .collect();
    if !unresolved.is_empty() {
        let names: Vec<(usize, String)> = {
            let context = Context::new(
                config,
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
            pairs[i].3 = live.iter().find(|object| {
                object.resource_type == resource_type
                    && object.name.eq_ignore_ascii_case(&name)
                    && !pairs
                        .iter()
                        .any(|(_, _, _, o)| o.is_some_and(|o| std::ptr::eq(o, *object)))
            });
        }
    }
    let context = Context::new(
        config,
        pairs
            .iter()
            .filter_map(|(a, _, _, o)| o.map(|o| (a.clone(), o)))
            .collect(),
        pairs
            .iter()
            .filter(|(_, _, _, o)| o.is_none())
            .map(|(a, _, _, _)| a.clone())
            .collect(),
    );

    let mut out = Vec::new();
    for (address, resource_type, block, found) in &pairs {
        let name = address.rsplit('.').next().unwrap_or_default().to_string();
        let drift = match found {
            Some(object) => {
                let mut c = compare_body(&context, resource_type, "", &block.body, &object.attributes, 0);
                c.not_compared.sort();
                ResourceDrift {
                    address: address.clone(),
                    resource_type: resource_type.to_string(),
                    name,
                    status: if c.differences.is_empty() {
                        Status::InSync
                    } else {
                        Status::Drifted
                    },
                    differences: c.differences,
                    unchanged_attributes: c.unchanged_attributes,
                    unchanged_blocks: c.unchanged_blocks,
                    not_compared: c.not_compared,
                }
            }
            None => ResourceDrift {
                address: address.clone(),
                resource_type: resource_type.to_string(),
                name,
                status: Status::Missing,
                differences: declared_only(&context, &block.body),
                unchanged_attributes: 0,
                unchanged_blocks: 0,
                not_compared: Vec::new(),
            },
        };
        out.push(drift);
    }

    // Live webhooks and tasks of a declared registry that the stack does not declare.
    let registry_live = pairs
        .iter()
        .any(|(_, t, _, o)| *t == "azurerm_container_registry" && o.is_some());
    if registry_live {
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
            if !declared {
                out.push(ResourceDrift {
                    address: format!("{}.{}", object.resource_type, object.name),
                    resource_type: object.resource_type.to_string(),
                    name: object.name.clone(),
                    status: Status::NotDeclared,
                    differences: live_only(&object.attributes),
                    unchanged_attributes: 0,
                    unchanged_blocks: 0,
                    not_compared: Vec::new(),
                });
            }
        }
    }
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

#[derive(Default)]
struct Compared {
    differences: Vec<Difference>,
    unchanged_attributes: usize,
    unchanged_blocks: usize,
    not_compared: Vec<String>,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn compare_body(
    context: &Context,
    resource_type: &str,
    path: &str,
    declared: &Body,
    live: &Map<String, Value>,
    depth: usize,
) -> Compared {
    let mut out = Compared::default();
    for attribute in declared.attributes() {
        let name = attribute.name.as_str();
        if NOT_PROPERTIES.contains(&name) {
            continue;
        }
        let full = join(path, name);
        let Some(live_value) = live.get(name) else {
            out.not_compared.push(full);
            continue;
        };
        match context.eval(&attribute.value) {
            Declared::Known(value) => {
                if same(name, &value, live_value) {
                    out.unchanged_attributes += 1;
                } else {
                    out.differences.push(Difference::Attribute {
                        name: name.to_string(),
                        live: Some(live_value.clone()),
                        declared: Some(value),
                        forces_replacement: crate::azurerm::force_new(resource_type, &full).unwrap_or(false),
                    });
                }
            }
            // The referenced resource is missing: it would be created, and this value with it.
            Declared::AfterApply => out.differences.push(Difference::Attribute {
                name: name.to_string(),
                live: Some(live_value.clone()),
                declared: Some(Value::String("(known after apply)".into())),
                forces_replacement: crate::azurerm::force_new(resource_type, &full).unwrap_or(false),
            }),
            Declared::Opaque => out.not_compared.push(full),
        }
    }

    // Nested blocks, grouped by type, in declaration order.
    let mut kinds: Vec<&str> = Vec::new();
    for block in declared.blocks() {
        if !kinds.contains(&block.kind.as_str()) && block.kind != "lifecycle" {
            kinds.push(&block.kind);
        }
    }
    for (kind, value) in live {
        if !kinds.contains(&kind.as_str())
            && block_key(kind).is_some()
            && value.as_array().is_some_and(|a| !a.is_empty())
            && (depth > 0 || owned_at_top_level(resource_type, kind))
        {
            kinds.push(kind);
        }
    }
    for kind in kinds {
        let full = join(path, kind);
        let declared_blocks: Vec<&Block> = declared.blocks_of(kind).collect();
        let Some(live_blocks) = live.get(kind).and_then(Value::as_array) else {
            out.not_compared.push(full);
            continue;
        };
        let live_blocks: Vec<&Map<String, Value>> = live_blocks.iter().filter_map(Value::as_object).collect();
        let mut used = vec![false; live_blocks.len()];
        for (index, block) in declared_blocks.iter().enumerate() {
            let (key, position) = match block_key(kind) {
                Some(field) => {
                    let key = block.body.get(field).map(|e| context.eval(e));
                    let key_text = match &key {
                        Some(Declared::Known(v)) => Some(v.clone()),
                        _ => None,
                    };
                    let position = match &key_text {
                        Some(k) => live_blocks
                            .iter()
                            .enumerate()
                            .position(|(i, l)| !used[i] && l.get(field).is_some_and(|lv| same(field, k, lv))),
                        // The key is not known before apply: pair it with the live block in the same place.
                        None => (index < live_blocks.len() && !used[index]).then_some(index),
                    };
                    (key_text.map(|k| format!("{field} = {}", display(&k))), position)
                }
                None => (None, (index < live_blocks.len() && !used[index]).then_some(index)),
            };
            match position {
                Some(i) => {
                    used[i] = true;
                    let inner = compare_body(context, resource_type, &full, &block.body, live_blocks[i], depth + 1);
                    out.not_compared.extend(inner.not_compared);
                    if inner.differences.is_empty() {
                        out.unchanged_blocks += 1;
                    } else {
                        out.differences.push(Difference::Block {
                            name: kind.to_string(),
                            key,
                            change: BlockChange::Drifted,
                            differences: inner.differences,
                            unchanged_attributes: inner.unchanged_attributes,
                            unchanged_blocks: inner.unchanged_blocks,
                        });
                    }
                }
                None => out.differences.push(Difference::Block {
                    name: kind.to_string(),
                    key,
                    change: BlockChange::Missing,
                    differences: declared_only(context, &block.body),
                    unchanged_attributes: 0,
                    unchanged_blocks: 0,
                }),
            }
        }
        // Live members of a collection the stack owns that it does not declare.
        if let Some(field) = block_key(kind) {
            if depth > 0 || owned_at_top_level(resource_type, kind) || !declared_blocks.is_empty() {
                for (i, live_block) in live_blocks.iter().enumerate() {
                    if !used[i] {
                        out.differences.push(Difference::Block {
                            name: kind.to_string(),
                            key: live_block.get(field).map(|k| format!("{field} = {}", display(k))),
                            change: BlockChange::NotDeclared,
                            differences: live_only(live_block),
                            unchanged_attributes: 0,
                            unchanged_blocks: 0,
                        });
                    }
                }
            }
        }
    }
    out
}

/// Every declared attribute and block of something that is not live.
fn declared_only(context: &Context, body: &Body) -> Vec<Difference> {
    let mut out = Vec::new();
    for attribute in body.attributes() {
        if NOT_PROPERTIES.contains(&attribute.name.as_str()) {
            continue;
        }
        let declared = match context.eval(&attribute.value) {
            Declared::Known(v) => v,
            Declared::AfterApply => Value::String("(known after apply)".into()),
            Declared::Opaque => Value::String(crate::terraform::expr::to_hcl(&attribute.value)),
        };
        out.push(Difference::Attribute {
            name: attribute.name.clone(),
            live: None,
            declared: Some(declared),
            forces_replacement: false,
        });
    }
    for block in body.blocks() {
        if block.kind == "lifecycle" {
            continue;
        }
        let key = block_key(&block.kind).and_then(|field| match context.eval(block.body.get(field)?) {
            Declared::Known(v) => Some(format!("{field} = {}", display(&v))),
            _ => None,
        });
        out.push(Difference::Block {
            name: block.kind.clone(),
            key,
            change: BlockChange::Missing,
            differences: declared_only(context, &block.body),
            unchanged_attributes: 0,
            unchanged_blocks: 0,
        });
    }
    out
}

/// Every attribute and block of something live that is not declared.
fn live_only(live: &Map<String, Value>) -> Vec<Difference> {
    let mut out = Vec::new();
    for (name, value) in live {
        if name == "id" {
            continue;
        }
        match value {
            Value::Array(items)
                if items.iter().all(Value::is_object) && !items.is_empty() && block_key(name).is_some() =>
            {
                for item in items.iter().filter_map(Value::as_object) {
                    out.push(Difference::Block {
                        name: name.clone(),
                        key: None,
                        change: BlockChange::NotDeclared,
                        differences: live_only(item),
                        unchanged_attributes: 0,
                        unchanged_blocks: 0,
                    });
                }
            }
            _ => out.push(Difference::Attribute {
                name: name.clone(),
                live: Some(value.clone()),
                declared: None,
                forces_replacement: false,
            }),
        }
    }
    out
}

fn display(value: &Value) -> String {
    value.to_string()
}

/// Whether a declared and a live value of attribute `name` are the same once normalised.
pub fn same(name: &str, declared: &Value, live: &Value) -> bool {
    canonical(name, declared) == canonical(name, live)
}

/// A value in the form Azure would store it: strings normalised by what the attribute holds, numbers as
/// floats, sets sorted; objects and lists element by element (a list element inherits its attribute's name).
fn canonical(name: &str, value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(normalise(name, s)),
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(|v| canonical(name, v)).collect();
            if SETS.contains(&name) || name == "ip_rule" {
                items.sort_by_key(|v| v.to_string());
                items.dedup();
            }
            Value::Array(items)
        }
        // Tag keys are the user's: compared exactly.
        Value::Object(map) if name == "tags" => Value::Object(map.clone()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), canonical(k, v))).collect()),
        other => other.clone(),
    }
}

fn normalise(name: &str, s: &str) -> String {
    let id_like = name == "id"
        || name.ends_with("_id")
        || matches!(
            name,
            "scope" | "identity" | "server" | "identity_ids" | "principal_id" | "client_id" | "private_dns_zone_ids"
        );
    if name == "location" {
        normalize::location(s)
    } else if name == "ip_range" || name == "ip_rules" {
        normalize::ip_range(s)
    } else if id_like {
        normalize::resource_id(s)
    } else if matches!(
        name,
        "sku" | "status" | "default_action" | "type" | "principal_type" | "actions" | "bypass"
    ) {
        s.to_ascii_lowercase().replace(' ', "")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::same;
    use serde_json::json;

    #[test]
    fn normalises_what_azure_normalises() {
        assert!(same("location", &json!("West Europe"), &json!("westeurope")));
        assert!(!same("location", &json!("West Europe"), &json!("northeurope")));
        assert!(same(
            "scope",
            &json!("/subscriptions/S/resourceGroups/RG/x"),
            &json!("/subscriptions/s/resourcegroups/rg/x")
        ));
        assert!(same("ip_range", &json!("203.0.113.7"), &json!("203.0.113.7/32")));
        assert!(same("actions", &json!(["push", "delete"]), &json!(["delete", "push"])));
        assert!(!same("actions", &json!(["push"]), &json!(["delete", "push"])));
        assert!(same("cpu", &json!(0.5), &json!(0.5)));
        assert!(same("retention_in_days", &json!(90), &json!(90.0)));
        assert!(same("sku", &json!("PerGB2018"), &json!("pergb2018")));
        // Names, images and tags are compared exactly.
        assert!(!same(
            "image",
            &json!("acr.azurecr.io/app:1.0.0"),
            &json!("acr.azurecr.io/App:1.0.0")
        ));
        assert!(!same("tags", &json!({ "env": "Prod" }), &json!({ "env": "prod" })));
    }

    #[test]
    fn nested_rule_sets_compare_as_sets_of_normalised_rules() {
        let declared = json!([{ "default_action": "Deny", "ip_rule": [
            { "action": "Allow", "ip_range": "203.0.113.0/24" },
            { "action": "Allow", "ip_range": "198.51.100.10" },
        ]}]);
        let live = json!([{ "default_action": "Deny", "ip_rule": [
            { "action": "Allow", "ip_range": "198.51.100.10/32" },
            { "action": "Allow", "ip_range": "203.0.113.0/24" },
        ]}]);
        assert!(same("network_rule_set", &declared, &live));
        let opened = json!([{ "default_action": "Allow", "ip_rule": live[0]["ip_rule"].clone() }]);
        assert!(!same("network_rule_set", &declared, &opened));
    }
}
