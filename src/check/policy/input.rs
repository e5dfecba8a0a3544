//! The document policies read when there is no plan: the evaluated configuration in the shape `terraform show
//! -json` gives a plan from empty state (Terraform's JSON output format, "Plan Representation":
//! <https://developer.hashicorp.com/terraform/internals/json-format>), so a policy written for plans runs unchanged.
//!
//! - `resource_changes`: each managed resource instance, `change.actions` `["create"]`, `before` null, `after` every
//!   attribute of the provider schema (null when unset; nested blocks as lists, a `single` block as an object),
//!   `after_unknown` true where the value is not known before apply (an expression infra's evaluator left as
//!   written, a computed attribute the configuration does not set), `after_sensitive` true for the schema's
//!   sensitive attributes; `before_sensitive` false.
//! - `planned_values`: the same values by module (`root_module.resources`, `child_modules`), with
//!   `sensitive_values`.
//! - `configuration`: each resource's `expressions` (`constant_value` for a literal, else `references`), module
//!   calls nested under `module_calls.<name>.module`.

use crate::diff::literal_json;
use crate::terraform::schema::{BlockSchema, NestingMode};
use crate::terraform::{expr, Block, Body, Config, Expression, Mode, Resource, Schemas};
use serde_json::{json, Map, Value as Json};

/// `config` (evaluated) as a plan from empty state.
pub(crate) fn plan_shaped(config: &Config, schemas: &Schemas) -> Json {
    let resources: Vec<Resource> = config
        .resources()
        .into_iter()
        .filter(|r| r.mode == Mode::Managed)
        .collect();
    let mut changes = Vec::new();
    let mut planned: std::collections::BTreeMap<String, Vec<Json>> = std::collections::BTreeMap::new();
    for r in &resources {
        let declared = r.declared_as.unwrap_or(r.resource_type);
        let schema = schemas.get(false, declared);
        let (after, unknown, sensitive) = block_values(r.body(), schema, true);
        let address = r.address().to_string();
        let mut common = json!({
            "address": address,
            "mode": "managed",
            "type": declared,
            "name": r.name,
            "provider_name": provider_name(declared),
        });
        if let Some(key) = r.key {
            common["index"] = index(key);
        }
        if let Some(m) = r.module {
            common["module_address"] = json!(m);
        }
        let mut change = common.clone();
        change["change"] = json!({
            "actions": ["create"],
            "before": null,
            "after": after,
            "after_unknown": unknown,
            "before_sensitive": false,
            "after_sensitive": sensitive,
        });
        changes.push(change);
        let mut value = common;
        value["schema_version"] = json!(0);
        value["values"] = after;
        value["sensitive_values"] = sensitive;
        if let Some(o) = value.as_object_mut() {
            o.remove("module_address");
        }
        planned
            .entry(r.module.unwrap_or_default().to_string())
            .or_default()
            .push(value);
    }
    let root = planned.remove("").unwrap_or_default();
    let child_modules: Vec<Json> = planned
        .into_iter()
        .map(|(address, resources)| json!({"address": address, "resources": resources}))
        .collect();
    json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": root, "child_modules": child_modules}},
        "resource_changes": changes,
        "configuration": configuration(&resources),
    })
}

/// A body's values by `schema` (every attribute and block type present), with its unknown and sensitive masks.
/// `create`: computed attributes left unset are unknown (a resource being created).
fn block_values(body: &Body, schema: Option<&BlockSchema>, create: bool) -> (Json, Json, Json) {
    let (mut values, mut unknown, mut sensitive) = (Map::new(), Map::new(), Map::new());
    if let Some(schema) = schema {
        for (name, a) in &schema.attributes {
            values.insert(name.clone(), Json::Null);
            if create && a.computed && body.get(name).is_none() {
                unknown.insert(name.clone(), Json::Bool(true));
            }
            if a.sensitive {
                sensitive.insert(name.clone(), Json::Bool(true));
            }
        }
        for (name, b) in &schema.block_types {
            let empty = match b.nesting_mode {
                NestingMode::Single | NestingMode::Group => Json::Null,
                NestingMode::Map => json!({}),
                NestingMode::List | NestingMode::Set => json!([]),
            };
            values.insert(name.clone(), empty);
        }
    }
    for a in body.attributes() {
        let (v, u) = value_of(&a.value);
        values.insert(a.name.clone(), v);
        if u != Json::Bool(false) {
            unknown.insert(a.name.clone(), u);
        }
    }
    let mut by_type: std::collections::BTreeMap<&str, Vec<&Block>> = std::collections::BTreeMap::new();
    for b in body.blocks() {
        by_type.entry(b.kind.as_str()).or_default().push(b);
    }
    for (kind, blocks) in by_type {
        let nested = schema.and_then(|s| s.block_types.get(kind));
        let triples: Vec<(Json, Json, Json)> = blocks
            .iter()
            .map(|b| block_values(&b.body, nested.map(|n| &n.block), false))
            .collect();
        let single = nested.is_some_and(|n| matches!(n.nesting_mode, NestingMode::Single | NestingMode::Group));
        let pick = |i: usize| -> Json {
            let all: Vec<Json> = triples.iter().map(|t| [&t.0, &t.1, &t.2][i].clone()).collect();
            if single {
                all.into_iter().next().unwrap_or(Json::Null)
            } else {
                Json::Array(all)
            }
        };
        values.insert(kind.to_string(), pick(0));
        unknown.insert(kind.to_string(), pick(1));
        sensitive.insert(kind.to_string(), pick(2));
    }
    (Json::Object(values), Json::Object(unknown), Json::Object(sensitive))
}

/// An evaluated expression's value and unknown mask: a literal as itself; a collection leaf by leaf; anything else
/// (left as written: a reference to what is known only after apply) null and unknown.
fn value_of(e: &Expression) -> (Json, Json) {
    if let Some(v) = literal_json(e) {
        return (v, Json::Bool(false));
    }
    match e {
        Expression::Array(items) => {
            let (v, u): (Vec<Json>, Vec<Json>) = items.iter().map(value_of).unzip();
            (Json::Array(v), Json::Array(u))
        }
        Expression::Object(o) => {
            let (mut v, mut u) = (Map::new(), Map::new());
            for (k, item) in o {
                let key = match k {
                    ::hcl::ObjectKey::Identifier(i) => i.to_string(),
                    ::hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                    _ => return (Json::Null, Json::Bool(true)),
                };
                let (iv, iu) = value_of(item);
                v.insert(key.clone(), iv);
                if iu != Json::Bool(false) {
                    u.insert(key, iu);
                }
            }
            (Json::Object(v), Json::Object(u))
        }
        _ => (Json::Null, Json::Bool(true)),
    }
}

/// The `configuration` section: each resource's expressions, grouped by module call.
fn configuration(resources: &[Resource]) -> Json {
    let mut root = json!({"resources": [], "module_calls": {}});
    // One entry per block: instances of a `count` / `for_each` block (or of a module) share their configuration.
    // The blocks already written, by module calls and address: a lookup per resource, not a scan of the module's
    // list (quadratic: seconds for 12,000 resources).
    let mut seen: std::collections::HashSet<(Vec<String>, String)> = std::collections::HashSet::new();
    for r in resources {
        let declared = r.declared_as.unwrap_or(r.resource_type);
        let calls = r.module.map(module_calls).unwrap_or_default();
        if !seen.insert((calls.clone(), format!("{declared}.{}", r.name))) {
            continue;
        }
        let entry = json!({
            "address": format!("{declared}.{}", r.name),
            "mode": "managed",
            "type": declared,
            "name": r.name,
            "provider_config_key": declared.split('_').next().unwrap_or_default(),
            "expressions": expressions(r.body()),
        });
        let mut module = &mut root;
        for call in calls {
            module = &mut module["module_calls"][call]["module"];
            if module.is_null() {
                *module = json!({"resources": [], "module_calls": {}});
            }
        }
        if let Some(list) = module["resources"].as_array_mut() {
            list.push(entry);
        }
    }
    json!({"root_module": root})
}

/// The module call names of a module instance address (`module.a["x"].module.b` → `a`, `b`).
fn module_calls(module: &str) -> Vec<String> {
    module
        .split("module.")
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_end_matches('.')
                .split('[')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// A body's expressions as the plan's `configuration` writes them.
fn expressions(body: &Body) -> Json {
    let mut out = Map::new();
    for a in body.attributes() {
        let e = match literal_json(&a.value) {
            Some(v) => json!({"constant_value": v}),
            None => json!({"references": expr::references(&a.value)}),
        };
        out.insert(a.name.clone(), e);
    }
    for b in body.blocks() {
        let list = out.entry(b.kind.clone()).or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(expressions(&b.body));
        }
    }
    Json::Object(out)
}

/// The provider of a resource type, as a plan names it (`azurerm_x` → `registry.terraform.io/hashicorp/azurerm`;
/// azapi is published by Azure).
fn provider_name(resource_type: &str) -> String {
    let local = resource_type.split('_').next().unwrap_or_default();
    let namespace = if local == "azapi" { "Azure" } else { "hashicorp" };
    format!("registry.terraform.io/{namespace}/{local}")
}

/// An instance key as the plan's `index`: a number for `count`, a string for `for_each`.
fn index(key: &str) -> Json {
    let inner = key.trim_start_matches('[').trim_end_matches(']');
    serde_json::from_str(inner).unwrap_or_else(|_| Json::String(inner.to_string()))
}
