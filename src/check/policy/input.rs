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
//!
//! The document is built as regorus values directly (no JSON document first: for 12,000 resources that was
//! ~600 MiB of allocations, most of `infra check --policy`'s time), and shares what repeats: `after` is one value
//! in `resource_changes` and `planned_values` (`values`), as are `after_sensitive` and `sensitive_values`; each
//! key is one string; a schema's every-attribute-null object is built once and copied per resource; equal unknown
//! and sensitive masks are one value — each within a run of at least [`RUN`] resources, the runs built on the
//! machine's cores.

use crate::diff::literal_json;
use crate::terraform::providers::ProviderNames;
use crate::terraform::schema::{BlockSchema, NestingMode};
use crate::terraform::{expr, Block, Body, Config, Expression, Mode, Resource, Schemas};
use regorus::value::Object;
use regorus::Value;
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The fewest resources one thread builds (below that, one thread builds them all).
const RUN: usize = 1000;

/// `config` (evaluated) as a plan from empty state.
pub(crate) fn plan_shaped(config: &Config, schemas: &Schemas) -> Value {
    let resources: Vec<Resource> = config
        .resources()
        .into_iter()
        .filter(|r| r.mode == Mode::Managed)
        .collect();
    let providers = ProviderNames::of(config);
    // Built on every core: runs of resources (a builder each, so keys and skeletons are shared within a run) and,
    // beside them, the `configuration`.
    let each_resource = || {
        crate::parallel::map_runs(&resources, RUN, |run| {
            let mut b = Builder::default();
            let fields: Vec<(Fields, Fields)> = run.iter().map(|r| b.resource(r, schemas, &providers)).collect();
            // The entries made one after the other, so that they lie together in memory: a policy reads each
            // resource's `type` (and little else) once per rule, and the entries spread between the values they
            // hold made that a cache miss each time.
            fields
                .into_iter()
                .map(|(change, planned)| (b.object(change), b.object(planned)))
                .collect::<Vec<_>>()
        })
    };
    let (built, configuration) = crate::parallel::join(each_resource, || Builder::default().configuration(&resources));
    let mut b = Builder::default();
    let mut changes = Vec::with_capacity(resources.len());
    let mut planned: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (r, (change, value)) in resources.iter().zip(built.into_iter().flatten()) {
        changes.push(change);
        planned
            .entry(r.module.unwrap_or_default().to_string())
            .or_default()
            .push(value);
    }
    let root = planned.remove("").unwrap_or_default();
    let child_modules: Vec<Value> = planned
        .into_iter()
        .map(|(address, resources)| {
            b.object(vec![
                ("address", Value::from(address)),
                ("resources", Value::from(resources)),
            ])
        })
        .collect();
    let root_module = b.object(vec![
        ("resources", Value::from(root)),
        ("child_modules", Value::from(child_modules)),
    ]);
    let planned_values = b.object(vec![("root_module", root_module)]);
    b.object(vec![
        ("format_version", Value::from("1.2")),
        ("planned_values", planned_values),
        ("resource_changes", Value::from(changes)),
        ("configuration", configuration),
    ])
}

/// An object's fields, in any order.
type Fields = Vec<(&'static str, Value)>;

/// What one schema's blocks start from: every attribute and block type present, null or empty.
struct Skeleton<'s> {
    /// Each attribute null, each block type empty (null for a `single` block, `[]` for a list or set, `{}` for a
    /// map).
    values: Object,
    /// `true` for each sensitive attribute.
    sensitive: Object,
    /// The computed attributes: unknown on create when the configuration does not set them.
    computed: Vec<(&'s str, Value)>,
}

/// Builds the document's values, sharing what repeats: each key once, each schema's [`Skeleton`] once.
#[derive(Default)]
struct Builder<'s> {
    keys: HashMap<String, Value>,
    skeletons: HashMap<*const BlockSchema, Rc<Skeleton<'s>>>,
    /// Each distinct unknown or sensitive mask once (most resources of a type have the same ones). Masks hold no
    /// numbers, so equal (`Ord`) masks are the same JSON.
    masks: std::collections::BTreeSet<Value>,
}

impl<'s> Builder<'s> {
    /// `s` as a string value, one allocation per distinct text.
    fn key(&mut self, s: &str) -> Value {
        if let Some(v) = self.keys.get(s) {
            return v.clone();
        }
        let v = Value::from(s);
        self.keys.insert(s.to_string(), v.clone());
        v
    }

    /// An object of `pairs`.
    fn object(&mut self, pairs: Vec<(&str, Value)>) -> Value {
        let map: BTreeMap<Value, Value> = pairs.into_iter().map(|(k, v)| (self.key(k), v)).collect();
        Value::from(map)
    }

    /// One resource's `resource_changes` entry and its `planned_values` entry, sharing `after`: their fields, made
    /// objects by [`Builder::object`] afterwards.
    fn resource(&mut self, r: &Resource, schemas: &'s Schemas, providers: &ProviderNames) -> (Fields, Fields) {
        let declared = r.declared_as.unwrap_or(r.resource_type);
        let schema = schemas.get(false, declared);
        let (after, unknown, sensitive) = self.block_values(r.body(), schema, true);
        let mut common = vec![
            ("address", Value::from(r.address().to_string())),
            ("mode", self.key("managed")),
            ("type", self.key(declared)),
            ("name", self.key(r.name)),
            ("provider_name", self.key(&provider_name(r, declared, providers))),
        ];
        if let Some(key) = r.key {
            common.push(("index", super::to_rego(&index(key))));
        }
        let mut value = common.clone();
        if let Some(m) = r.module {
            common.push(("module_address", self.key(m)));
        }
        let create = Value::from(vec![self.key("create")]);
        let change = self.object(vec![
            ("actions", create),
            ("before", Value::Null),
            ("after", after.clone()),
            ("after_unknown", unknown),
            ("before_sensitive", Value::Bool(false)),
            ("after_sensitive", sensitive.clone()),
        ]);
        common.push(("change", change));
        value.push(("schema_version", Value::from(0u64)));
        value.push(("values", after));
        value.push(("sensitive_values", sensitive));
        (common, value)
    }

    /// The skeleton of `schema`, built on first use.
    fn skeleton(&mut self, schema: &'s BlockSchema) -> Rc<Skeleton<'s>> {
        if let Some(s) = self.skeletons.get(&std::ptr::from_ref(schema)) {
            return Rc::clone(s);
        }
        let (mut values, mut sensitive, mut computed) = (BTreeMap::new(), BTreeMap::new(), Vec::new());
        for (name, a) in &schema.attributes {
            let key = self.key(name);
            values.insert(key.clone(), Value::Null);
            if a.computed {
                computed.push((name.as_str(), key.clone()));
            }
            if a.sensitive {
                sensitive.insert(key, Value::Bool(true));
            }
        }
        for (name, b) in &schema.block_types {
            let empty = match b.nesting_mode {
                NestingMode::Single | NestingMode::Group => Value::Null,
                NestingMode::Map => Value::new_object(),
                NestingMode::List | NestingMode::Set => Value::new_array(),
            };
            values.insert(self.key(name), empty);
        }
        // Frozen (one sorted slice): a copy is one allocation, and setting an attribute's value keeps it so.
        let frozen = |map: BTreeMap<Value, Value>| match Value::from(map) {
            Value::Object(o) => Object::clone(&o),
            _ => Object::new(),
        };
        let skeleton = Rc::new(Skeleton {
            values: frozen(values),
            sensitive: frozen(sensitive),
            computed,
        });
        self.skeletons.insert(std::ptr::from_ref(schema), Rc::clone(&skeleton));
        skeleton
    }

    /// A body's values by `schema` (every attribute and block type present), with its unknown and sensitive masks.
    /// `create`: computed attributes left unset are unknown (a resource being created).
    fn block_values(&mut self, body: &Body, schema: Option<&'s BlockSchema>, create: bool) -> (Value, Value, Value) {
        let (mut values, mut unknown, mut sensitive) = (Object::new(), Object::new(), Object::new());
        if let Some(schema) = schema {
            let skeleton = self.skeleton(schema);
            values = skeleton.values.clone();
            sensitive = skeleton.sensitive.clone();
            if create {
                for (name, key) in &skeleton.computed {
                    if body.get(name).is_none() {
                        unknown.insert(key.clone(), Value::Bool(true));
                    }
                }
            }
        }
        for a in body.attributes() {
            let (v, u) = self.value_of(&a.value);
            let key = self.key(&a.name);
            values.insert(key.clone(), v);
            if u != Value::Bool(false) {
                unknown.insert(key, u);
            }
        }
        let mut by_type: BTreeMap<&str, Vec<&Block>> = BTreeMap::new();
        for b in body.blocks() {
            by_type.entry(b.kind.as_str()).or_default().push(b);
        }
        for (kind, blocks) in by_type {
            let nested = schema.and_then(|s| s.block_types.get(kind));
            let single = nested.is_some_and(|n| matches!(n.nesting_mode, NestingMode::Single | NestingMode::Group));
            let (mut v, mut u, mut s) = (Vec::new(), Vec::new(), Vec::new());
            for b in &blocks {
                let (bv, bu, bs) = self.block_values(&b.body, nested.map(|n| &n.block), false);
                v.push(bv);
                u.push(bu);
                s.push(bs);
            }
            let pick = |all: Vec<Value>| -> Value {
                if single {
                    all.into_iter().next().unwrap_or(Value::Null)
                } else {
                    Value::from(all)
                }
            };
            let key = self.key(kind);
            values.insert(key.clone(), pick(v));
            unknown.insert(key.clone(), pick(u));
            sensitive.insert(key, pick(s));
        }
        let (unknown, sensitive) = (self.mask(unknown.into_value()), self.mask(sensitive.into_value()));
        (values.into_value(), unknown, sensitive)
    }

    /// `mask`, or the equal one already built.
    fn mask(&mut self, mask: Value) -> Value {
        if let Some(shared) = self.masks.get(&mask) {
            return shared.clone();
        }
        self.masks.insert(mask.clone());
        mask
    }

    /// An evaluated expression's value and unknown mask: a literal as itself; a collection leaf by leaf; anything
    /// else (left as written: a reference to what is known only after apply) null and unknown.
    fn value_of(&mut self, e: &Expression) -> (Value, Value) {
        if let Some(v) = literal_json(e) {
            return (super::to_rego(&v), Value::Bool(false));
        }
        match e {
            Expression::Array(items) => {
                let (v, u): (Vec<Value>, Vec<Value>) = items.iter().map(|i| self.value_of(i)).unzip();
                (Value::from(v), Value::from(u))
            }
            Expression::Object(o) => {
                let (mut v, mut u) = (BTreeMap::new(), BTreeMap::new());
                for (k, item) in o {
                    let key = match k {
                        ::hcl::ObjectKey::Identifier(i) => self.key(i.as_str()),
                        ::hcl::ObjectKey::Expression(Expression::String(s)) => self.key(s),
                        _ => return (Value::Null, Value::Bool(true)),
                    };
                    let (iv, iu) = self.value_of(item);
                    v.insert(key.clone(), iv);
                    if iu != Value::Bool(false) {
                        u.insert(key, iu);
                    }
                }
                (Value::from(v), Value::from(u))
            }
            _ => (Value::Null, Value::Bool(true)),
        }
    }
}

/// One module's part of the `configuration` section: its resource blocks and its module calls.
#[derive(Default)]
struct ModuleConfig {
    resources: Vec<Value>,
    calls: BTreeMap<String, ModuleConfig>,
}

impl Builder<'_> {
    /// The `configuration` section: each resource's expressions, grouped by module call.
    fn configuration(&mut self, resources: &[Resource]) -> Value {
        let mut root = ModuleConfig::default();
        // One entry per block: instances of a `count` / `for_each` block (or of a module) share their
        // configuration. The blocks already written, by module calls and address: a lookup per resource, not a scan
        // of the module's list (quadratic: seconds for 12,000 resources).
        let mut seen: std::collections::HashSet<(Vec<String>, String)> = std::collections::HashSet::new();
        for r in resources {
            let declared = r.declared_as.unwrap_or(r.resource_type);
            let calls = r.module.map(module_calls).unwrap_or_default();
            let address = format!("{declared}.{}", r.name);
            if !seen.insert((calls.clone(), address.clone())) {
                continue;
            }
            let expressions = self.expressions(r.body());
            let entry = vec![
                ("address", Value::from(address)),
                ("mode", self.key("managed")),
                ("type", self.key(declared)),
                ("name", self.key(r.name)),
                (
                    "provider_config_key",
                    self.key(declared.split('_').next().unwrap_or_default()),
                ),
                ("expressions", expressions),
            ];
            let entry = self.object(entry);
            let mut module = &mut root;
            for call in calls {
                module = module.calls.entry(call).or_default();
            }
            module.resources.push(entry);
        }
        let root = self.module_config(root);
        self.object(vec![("root_module", root)])
    }

    /// `{"resources": [...], "module_calls": {"<name>": {"module": {...}}}}`.
    fn module_config(&mut self, module: ModuleConfig) -> Value {
        let mut calls = BTreeMap::new();
        for (name, child) in module.calls {
            let child = self.module_config(child);
            calls.insert(Value::from(name), self.object(vec![("module", child)]));
        }
        self.object(vec![
            ("resources", Value::from(module.resources)),
            ("module_calls", Value::from(calls)),
        ])
    }

    /// A body's expressions as the plan's `configuration` writes them: an attribute as its `constant_value` (a
    /// literal) or its `references`; nested blocks as a list per block type.
    fn expressions(&mut self, body: &Body) -> Value {
        let mut out = BTreeMap::new();
        for a in body.attributes() {
            let e = match literal_json(&a.value) {
                Some(v) => self.object(vec![("constant_value", super::to_rego(&v))]),
                None => {
                    let references = expr::references(&a.value)
                        .into_iter()
                        .map(Value::from)
                        .collect::<Vec<_>>();
                    self.object(vec![("references", Value::from(references))])
                }
            };
            out.insert(self.key(&a.name), e);
        }
        let mut blocks: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
        for b in body.blocks() {
            let e = self.expressions(&b.body);
            blocks.entry(b.kind.as_str()).or_default().push(e);
        }
        for (kind, list) in blocks {
            // An attribute of the same name stays (as the plan has one value per name).
            out.entry(self.key(kind)).or_insert_with(|| Value::from(list));
        }
        Value::from(out)
    }
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

/// The provider of a resource type, as a plan names it (`azurerm_x` → `registry.terraform.io/hashicorp/azurerm`;
/// azapi is published by Azure).
/// The resource's `provider_name`: its provider (the `provider` argument, else its type's prefix) as its module's
/// `required_providers` names it ([`ProviderNames`]).
fn provider_name(r: &Resource, declared: &str, providers: &ProviderNames) -> String {
    let provider = r.block.body.get("provider").map(expr::to_hcl);
    providers.of_resource(r.file, declared, provider.as_deref())
}

/// An instance key as the plan's `index`: a number for `count`, a string for `for_each`.
fn index(key: &str) -> Json {
    let inner = key.trim_start_matches('[').trim_end_matches(']');
    serde_json::from_str(inner).unwrap_or_else(|_| Json::String(inner.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::Format;
    use serde_json::json;

    fn config(hcl: &str) -> Config {
        let file = Config::parse_file_with("t.tf", "t.tf".into(), Format::Hcl, hcl, &Schemas::default());
        Config {
            files: vec![file.expect("the test configuration parses")],
        }
    }

    const TWO_APPS: &str = r#"
resource "acme_app" "a" {
  name           = "a"
  admin_password = "x"
  tags           = { env = "dev" }
  identity {
    type = "SystemAssigned"
  }
}

resource "acme_app" "b" {
  name = var.name
}
"#;

    #[test]
    fn the_document_is_a_plan_from_empty_state() {
        let doc = plan_shaped(&config(TWO_APPS), &crate::terraform::schema::test_schemas());
        let doc: Json = serde_json::to_value(&doc).expect("the document is JSON");
        let provider = "registry.terraform.io/hashicorp/acme";
        let after_a = json!({"name": "a", "admin_password": "x", "tags": {"env": "dev"},
            "identity": [{"type": "SystemAssigned", "identity_ids": null}], "template": []});
        let after_b = json!({"name": null, "admin_password": null, "tags": null, "identity": [], "template": []});
        let sensitive_a = json!({"admin_password": true, "identity": [{}]});
        let sensitive_b = json!({"admin_password": true});
        let changes = json!([
            {"address": "acme_app.a", "mode": "managed", "type": "acme_app", "name": "a", "provider_name": provider,
             "change": {"actions": ["create"], "before": null, "after": after_a, "after_unknown": {"identity": [{}]},
                        "before_sensitive": false, "after_sensitive": sensitive_a}},
            {"address": "acme_app.b", "mode": "managed", "type": "acme_app", "name": "b", "provider_name": provider,
             "change": {"actions": ["create"], "before": null, "after": after_b, "after_unknown": {"name": true},
                        "before_sensitive": false, "after_sensitive": sensitive_b}},
        ]);
        assert_eq!(doc["resource_changes"], changes);
        let planned = json!([
            {"address": "acme_app.a", "mode": "managed", "type": "acme_app", "name": "a", "provider_name": provider,
             "schema_version": 0, "values": after_a, "sensitive_values": sensitive_a},
            {"address": "acme_app.b", "mode": "managed", "type": "acme_app", "name": "b", "provider_name": provider,
             "schema_version": 0, "values": after_b, "sensitive_values": sensitive_b},
        ]);
        assert_eq!(
            doc["planned_values"],
            json!({"root_module": {"resources": planned, "child_modules": []}})
        );
        assert_eq!(doc["format_version"], "1.2");
        let configured = &doc["configuration"]["root_module"]["resources"];
        assert_eq!(
            configured[0]["expressions"],
            json!({"name": {"constant_value": "a"}, "admin_password": {"constant_value": "x"},
                   "tags": {"constant_value": {"env": "dev"}}, "identity": [{"type": {"constant_value": "SystemAssigned"}}]})
        );
        assert_eq!(
            configured[1]["expressions"],
            json!({"name": {"references": ["var.name", "var"]}})
        );
    }

    /// The object behind a value (a pointer, to tell a shared value from an equal copy).
    fn object(v: &Value) -> &regorus::Rc<Object> {
        match v {
            Value::Object(o) => o,
            other => panic!("not an object: {other}"),
        }
    }

    /// What repeats is shared, not copied (issue 26: the copies of 12,000 resources were most of the run).
    #[test]
    fn after_is_one_value_in_resource_changes_and_planned_values() {
        let doc = plan_shaped(&config(TWO_APPS), &crate::terraform::schema::test_schemas());
        for i in 0..2 {
            let change = &doc["resource_changes"][i]["change"];
            let planned = &doc["planned_values"]["root_module"]["resources"][i];
            assert!(regorus::Rc::ptr_eq(
                object(&change["after"]),
                object(&planned["values"])
            ));
            assert!(regorus::Rc::ptr_eq(
                object(&change["after_sensitive"]),
                object(&planned["sensitive_values"])
            ));
        }
        // The two resources' attribute names are the same strings (built by one thread: fewer than `RUN`).
        let a = object(&doc["resource_changes"][0]["change"]["after"]);
        let b = object(&doc["resource_changes"][1]["change"]["after"]);
        for (ka, kb) in a.keys_sorted().zip(b.keys_sorted()) {
            match (ka, kb) {
                (Value::String(x), Value::String(y)) => assert!(regorus::Rc::ptr_eq(x, y), "{x} copied"),
                other => panic!("not string keys: {other:?}"),
            }
        }
    }

    /// regorus patch 3 (`patches/regorus/PATCHES.md`): a string key is found by its text among keys of every kind,
    /// as `Object::get` finds it by value.
    #[test]
    fn an_object_field_is_found_by_its_text_among_keys_of_every_kind() {
        let keys = [
            Value::Null,
            Value::Bool(true),
            Value::from(7u64),
            Value::from(""),
            Value::from("a"),
            Value::from("type"),
            Value::from("typeX"),
            Value::from(vec![Value::from("type")]),
            Value::new_object(),
        ];
        let map: BTreeMap<Value, Value> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), Value::from(i)))
            .collect();
        let Value::Object(o) = Value::from(map) else {
            panic!("an object")
        };
        for (i, k) in keys.iter().enumerate() {
            if let Value::String(text) = k {
                assert_eq!(o.get_str(text), Some(&Value::from(i)), "{text:?}");
                assert_eq!(o.get_str(text), o.get(k));
            }
        }
        for missing in ["b", "typ", "types", "z"] {
            assert_eq!(o.get_str(missing), None, "{missing}");
        }
    }

    /// `provider_name` as Terraform writes it in a plan: the module's `required_providers` source, qualified and in
    /// lower case; Terraform's built-in provider for `terraform_data`; `hashicorp/<name>` when undeclared; the
    /// `provider` argument's local name before the type's prefix.
    #[test]
    fn provider_names_are_the_sources_terraform_resolves() {
        let doc = plan_shaped(
            &config(
                r#"
terraform {
  required_providers {
    azapi  = { source = "Azure/azapi" }
    custom = { source = "example.com/Team/Custom", version = "~> 1.0" }
    other  = { source = "hashicorp/azurerm" }
  }
}
resource "azapi_resource" "a" { name = "a" }
resource "terraform_data" "t" {}
resource "custom_thing" "c" {}
resource "random_id" "r" {}
resource "azurerm_resource_group" "g" {
  name     = "g"
  location = "westeurope"
  provider = other.west
}
"#,
            ),
            &crate::terraform::schema::test_schemas(),
        );
        let names: Vec<(String, String)> = (0..5)
            .map(|i| {
                let rc = &doc["resource_changes"][i];
                let text = |v: &Value| v.as_string().map(|s| s.to_string()).unwrap_or_default();
                (text(&rc["address"]), text(&rc["provider_name"]))
            })
            .collect();
        let expected = [
            ("azapi_resource.a", "registry.terraform.io/azure/azapi"),
            ("terraform_data.t", "terraform.io/builtin/terraform"),
            ("custom_thing.c", "example.com/team/custom"),
            ("random_id.r", "registry.terraform.io/hashicorp/random"),
            ("azurerm_resource_group.g", "registry.terraform.io/hashicorp/azurerm"),
        ];
        for (address, name) in expected {
            assert!(
                names.contains(&(address.to_string(), name.to_string())),
                "{address}: {names:?}"
            );
        }
    }
}
