//! Where azapi is mapped: each `azapi_resource` of a type the rules know is read as the azurerm resource it
//! creates, so the existing rules apply to it — one mapping per type, no second copy of a rule.
//!
//! An `azapi_resource`'s `body` is the ARM request body (`properties`, `sku`, …, with ARM property names);
//! `name`, `location`, `tags` and the `identity` block may be top-level attributes instead (azapi 2.x,
//! `docs/resources/resource.md` of Azure/terraform-provider-azapi). The evaluated body, with those merged in,
//! goes through the SAME reader that drift reads the live resource with ([`crate::azurerm::arm`]): the reader
//! turns ARM properties into the azurerm document form, and its defaults for absent properties are the service's
//! (which is what an azurerm resource that leaves the argument out gets too). Which ARM types are mapped, and to
//! which azurerm type, is the ARM mapping's registry (`azurerm::arm::registry`, entries marked `Azapi::Mapped`).
//!
//! Values not known before apply stay unknown, never a violation:
//! - a value the adapter passes through unchanged (a `principalId` that is
//!   `azurerm_user_assigned_identity.app.principal_id`, an image tag from a resource) keeps its expression, so
//!   rules that follow references see the same expression an azurerm twin would have;
//! - anything the adapter derives from an unknown value (a flag, a default, a list) is found by reading the body
//!   again with the unknown parts replaced by different probe values: an attribute that changes is unknown
//!   ([`crate::terraform::json::KNOWN_AFTER_APPLY`]), one that does not is known whatever the value.
//!
//! A body (or its `properties`) that is unknown as a whole is not mapped: nothing about the resource is known.
//!
//! The mapped block keeps the azapi resource's address (`azapi_resource.app`: a fifth label, see
//! [`crate::terraform::Resource::declared_as`]), its location, and every attribute is located at `body`.
//! `Microsoft.ContainerRegistry/registries/replications` becomes a `georeplications` block of the registry its
//! `parent_id` refers to (an azapi or an azurerm registry of the same module).

use crate::azurerm::arm::registry::{self, ArmResource, Azapi, Request, Source};
use crate::azurerm::arm::{container_registry, LiveObject};
use crate::terraform::json::{self, KNOWN_AFTER_APPLY};
use crate::terraform::{expr, Block, Body, Config, Expression, Location, Schemas, Structure};
use serde_json::{json, Map, Value};

/// The resource type azapi resources are declared as.
pub(crate) const AZAPI_RESOURCE: &str = "azapi_resource";

/// The ARM resource types mapped (`type` is `"<ARM type>@<api-version>"`; any api-version is read, ARM types
/// compared without case as ARM does), each with the azurerm type it becomes and its reader: the registry's
/// entries marked [`Azapi::Mapped`].
pub(crate) fn mapped_types() -> impl Iterator<Item = &'static ArmResource> {
    registry::RESOURCES.iter().filter(|r| r.azapi == Azapi::Mapped)
}

/// The entry an `azapi_resource` of ARM type `arm_type` is mapped with (compared without case, as ARM does).
pub(crate) fn mapped(arm_type: &str) -> Option<&'static ArmResource> {
    mapped_types().find(|r| r.arm_type.eq_ignore_ascii_case(arm_type))
}

/// Replications are georeplications of their parent registry, not resources of their own.
fn is_replication(arm_type: &str) -> bool {
    let replications = format!(
        "{}/{}",
        container_registry::ENTRY.arm_type,
        container_registry::REPLICATIONS
    );
    arm_type.eq_ignore_ascii_case(&replications)
}

/// Marks an unknown value inside the JSON given to an adapter: `\u{1}N\u{1}` where N indexes the unknown
/// expressions; `\u{1}?\u{1}` is unknown with no expression to keep. Control characters survive the adapters'
/// trimming and lower-casing, and no Terraform value a user writes contains them.
const MARK: char = '\u{1}';

/// Whether [`map`] has anything to do: `config` has an `azapi_resource`.
pub(crate) fn maps_any(config: &Config) -> bool {
    config.files.iter().any(|f| {
        f.body.structures.iter().any(|s| {
            matches!(s, Structure::Block(b) if b.kind == "resource"
                && b.labels.first().map(String::as_str) == Some(AZAPI_RESOURCE))
        })
    })
}

/// Replaces every `azapi_resource` of a [`mapped_types`] type with the azurerm resource it creates (in place, so
/// files and order stay) and adds `Microsoft.ContainerRegistry/registries/replications` to their registries. Other
/// azapi resources are left as they are (no rule reads them). The mapped resource's nested blocks are those of its
/// azurerm type in `schemas`.
pub(crate) fn map(config: &mut Config, schemas: &Schemas) {
    let replications = replications(config);
    for file in &mut config.files {
        for s in &mut file.body.structures {
            let Structure::Block(block) = s else { continue };
            if block.kind != "resource" || block.labels.first().map(String::as_str) != Some(AZAPI_RESOURCE) {
                continue;
            }
            if let Some(mapped) = map_block(block, &replications, schemas) {
                *block = mapped;
            }
        }
    }
    // Replications of an azurerm registry: a `georeplications` block like the one azurerm writes.
    for (parent, module, geo, location) in &replications {
        if !parent.starts_with(&format!("{}.", container_registry::TYPE)) {
            continue;
        }
        for file in &mut config.files {
            for s in &mut file.body.structures {
                let Structure::Block(block) = s else { continue };
                if block.kind == "resource" && labels_address(block).as_ref() == Some(&(parent.clone(), module.clone()))
                {
                    let mut b = Block::new("georeplications");
                    b.body = json::values_body(geo, &Value::Null, None);
                    rewrite_body(&mut b.body, &[]);
                    b.location = location.clone();
                    block.body.push_block(b);
                }
            }
        }
    }
}

/// A resource block's `type.name` (without key) and its module label ("" for the root module).
fn labels_address(block: &Block) -> Option<(String, String)> {
    let (t, n) = (block.labels.first()?, block.labels.get(1)?);
    Some((format!("{t}.{n}"), block.labels.get(3).cloned().unwrap_or_default()))
}

/// The ARM type of an azapi `type` (`Microsoft.App/containerApps@2024-03-01` → `Microsoft.App/containerApps`).
fn arm_type(block: &Block) -> Option<&str> {
    let t = expr::as_str(block.body.get("type")?)?;
    Some(t.split_once('@').map_or(t, |(t, _)| t))
}

/// One replication: the registry its parent_id refers to (`azapi_resource.acr`, `azurerm_container_registry.acr`),
/// its module label, the georeplication in document form, and where it is written.
type Replication = (String, String, Value, Option<Location>);

fn replications(config: &Config) -> Vec<Replication> {
    let mut out = Vec::new();
    for (_, block) in config.blocks() {
        if block.kind != "resource"
            || block.labels.first().map(String::as_str) != Some(AZAPI_RESOURCE)
            || !arm_type(block).is_some_and(is_replication)
        {
            continue;
        }
        let Some(parent) = block
            .body
            .get("parent_id")
            .and_then(|p| expr::referenced_resources(p).into_iter().next())
        else {
            continue;
        };
        let mut unknown = Vec::new();
        let Some(mut arm) = arm_body(block, &mut unknown) else {
            continue;
        };
        crate::azurerm::facts::arm_defaults::fill(crate::azurerm::facts::arm_defaults::REPLICATIONS_ARM_TYPE, &mut arm);
        // The registry adapter's own reading of a replication (its home-region filter needs a registry location).
        let registry = container_registry::object(&json!({ "location": MARK.to_string() }), &[arm], "", "");
        let Some(geo) = registry.attributes["georeplications"].get(0).cloned() else {
            continue;
        };
        let location = block
            .body
            .attribute("body")
            .and_then(|a| a.location.clone())
            .or(block.location.clone());
        let module = block.labels.get(3).cloned().unwrap_or_default();
        // Unknown parts of a replication are unknown in its georeplication.
        let geo = if unknown.is_empty() {
            geo
        } else {
            unknown_where_marked(geo)
        };
        out.push((parent, module, geo, location));
    }
    out
}

fn unknown_where_marked(v: Value) -> Value {
    match v {
        Value::String(s) if s.contains(MARK) => Value::String(format!("{MARK}?{MARK}")),
        Value::Array(a) => Value::Array(a.into_iter().map(unknown_where_marked).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, unknown_where_marked(v))).collect()),
        other => other,
    }
}

/// The azurerm block an azapi resource block creates, or `None` when its type is not mapped or its body is not
/// known.
fn map_block(block: &Block, replications: &[Replication], schemas: &Schemas) -> Option<Block> {
    let entry = mapped(arm_type(block)?)?;
    let mut unknown: Vec<Option<Expression>> = Vec::new();
    let arm = arm_body(block, &mut unknown)?;
    let parent = match block.body.get("parent_id") {
        Some(e) => to_json(e, &mut unknown),
        None => Value::Null,
    };
    let parent = parent.as_str().unwrap_or_default().to_string();
    let this = format!("{AZAPI_RESOURCE}.{}", block.labels.get(1)?);
    let module = block.labels.get(3).cloned().unwrap_or_default();
    let geo: Vec<Value> = replications
        .iter()
        .filter(|(p, m, _, _)| *p == this && *m == module)
        .map(|(_, _, g, _)| g.clone())
        .collect();
    let adapt = |arm: &Value| read_body(entry, arm, &parent, &geo);
    let base = adapt(&arm);
    let probes: Vec<Value> = PROBES
        .iter()
        .map(|(whole, part)| adapt(&probe(&arm, whole, part)))
        .collect();
    let values = mark_changing(base, &probes.iter().collect::<Vec<_>>());

    let mut body = json::values_body(&values, &Value::Null, schemas.resource(entry.azurerm_type));
    rewrite_body(&mut body, &unknown);
    let location = block
        .body
        .attribute("body")
        .and_then(|a| a.location.clone())
        .or(block.location.clone());
    if let Some(l) = &location {
        set_locations(&mut body, l);
    }
    let label = |i: usize| block.labels.get(i).cloned().unwrap_or_default();
    Some(Block {
        kind: "resource".into(),
        labels: vec![
            entry.azurerm_type.to_string(),
            label(1),
            label(2),
            label(3),
            AZAPI_RESOURCE.to_string(),
        ],
        body,
        location: block.location.clone(),
    })
}

/// A request body read by `entry`'s reader as the attributes the configuration declares: `parent` is the
/// `parent_id` (a role assignment's scope, a webhook's registry); a registry's georeplications already in
/// document form (see `replications`) follow the reader's own; the exported `id` is left out.
fn read_body(entry: &ArmResource, arm: &Value, parent: &str, geo: &[Value]) -> Value {
    let name = arm.get("name").and_then(Value::as_str).unwrap_or_default();
    let request = Request {
        source: Source::Request,
        ..Request::live(name, "", parent)
    };
    let mut attributes = entry
        .read_body(arm, &request)
        .map_or_else(Map::new, |o: LiveObject| o.attributes);
    if entry.azurerm_type == container_registry::TYPE {
        if let Some(Value::Array(list)) = attributes.get_mut("georeplications") {
            list.extend(geo.iter().cloned());
        }
    }
    // Exported, read-only: not part of what the configuration declares.
    attributes.remove("id");
    let mut attributes = Value::Object(attributes);
    drop_empty_strings(&mut attributes);
    attributes
}

/// Adapters read an absent string property as `""` (a GET always has them); in a request body it was not
/// written, so it is absent — as an azurerm argument left out (`principal_type`).
fn drop_empty_strings(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, v| v.as_str() != Some(""));
            map.values_mut().for_each(drop_empty_strings);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_empty_strings),
        _ => {}
    }
}

/// The ARM body of an azapi resource block, with its top-level `name`, `location`, `tags` and `identity` merged
/// in (the body's own win). `None` when the body, or its `properties`, is unknown as a whole.
fn arm_body(block: &Block, unknown: &mut Vec<Option<Expression>>) -> Option<Value> {
    let mut arm = match block.body.get("body") {
        None => Value::Object(Map::new()),
        // azapi 1.x: `body = jsonencode({...})`, evaluated to its JSON text.
        Some(Expression::String(text)) => serde_json::from_str(text).ok()?,
        Some(e) => to_json(e, unknown),
    };
    let Value::Object(map) = &mut arm else { return None };
    if map.get("properties").is_some_and(|p| !p.is_object()) {
        return None;
    }
    for key in ["name", "location", "tags"] {
        if let (false, Some(e)) = (map.contains_key(key), block.body.get(key)) {
            map.insert(key.to_string(), to_json(e, unknown));
        }
    }
    if let (false, Some(identity)) = (map.contains_key("identity"), block.body.block("identity")) {
        // azapi: `identity { type = "UserAssigned", identity_ids = [...] }`; ARM: `userAssignedIdentities` keyed by ID.
        let kind = identity
            .body
            .get("type")
            .map(|e| to_json(e, unknown))
            .unwrap_or(Value::Null);
        let ids = identity.body.get("identity_ids").map(|e| to_json(e, unknown));
        let mut out = json!({ "type": kind });
        if let Some(Value::Array(ids)) = ids {
            let keyed: Map<String, Value> = ids
                .iter()
                .map(|id| (id.as_str().unwrap_or_default().to_string(), json!({})))
                .collect();
            out["userAssignedIdentities"] = Value::Object(keyed);
        } else if let Some(ids) = ids {
            out["userAssignedIdentities"] = ids;
        }
        map.insert("identity".into(), out);
    }
    Some(arm)
}

/// An evaluated expression as JSON; what is not a literal becomes a mark (the expression kept in `unknown`). A
/// template with interpolations keeps its literal text around a mark, so `…/roleDefinitions/<guid>` after an
/// unknown subscription still names its role.
fn to_json(e: &Expression, unknown: &mut Vec<Option<Expression>>) -> Value {
    match e {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => Value::Array(items.iter().map(|i| to_json(i, unknown)).collect()),
        Expression::Object(obj) => Value::Object(
            obj.iter()
                .map(|(k, v)| {
                    let key = match k {
                        ::hcl::ObjectKey::Identifier(i) => i.to_string(),
                        ::hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                        ::hcl::ObjectKey::Expression(other) => {
                            to_json(other, unknown).as_str().unwrap_or_default().to_string()
                        }
                        _ => format!("{MARK}?{MARK}"),
                    };
                    (key, to_json(v, unknown))
                })
                .collect(),
        ),
        Expression::Parenthesis(inner) => to_json(inner, unknown),
        Expression::TemplateExpr(t) => match ::hcl::Template::from_expr(t) {
            Ok(template) => {
                use ::hcl::template::Element;
                let text: String = template
                    .elements()
                    .iter()
                    .map(|el| match el {
                        Element::Literal(l) => l.to_string(),
                        _ => format!("{MARK}?{MARK}"),
                    })
                    .collect();
                Value::String(text)
            }
            Err(_) => mark(e, unknown),
        },
        other => mark(other, unknown),
    }
}

fn mark(e: &Expression, unknown: &mut Vec<Option<Expression>>) -> Value {
    unknown.push(Some(e.clone()));
    Value::String(format!("{MARK}{}{MARK}", unknown.len() - 1))
}

/// What replaces an unknown value when probing: a whole unknown value, and an unknown part of a string.
/// Different types and the enum spellings adapters test (`Enabled`/`Disabled`), so a derived value that depends
/// on the unknown one changes under some probe.
const PROBES: &[(&str, &str)] = &[
    ("null", ""),
    ("true", "a"),
    ("false", "Enabled"),
    ("\"Enabled\"", "Disabled"),
    ("\"Disabled\"", "0"),
    ("0", "true"),
    ("1", "x/y"),
    ("{}", "None"),
    ("[]", "-"),
    ("[{}]", "_"),
];

fn probe(v: &Value, whole: &str, part: &str) -> Value {
    match v {
        Value::String(s) if is_whole_mark(s) => serde_json::from_str(whole).unwrap_or(Value::Null),
        Value::String(s) if s.contains(MARK) => Value::String(replace_marks(s, part)),
        Value::Array(a) => Value::Array(a.iter().map(|i| probe(i, whole, part)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| {
                    let k = if k.contains(MARK) {
                        replace_marks(k, part)
                    } else {
                        k.clone()
                    };
                    (k, probe(v, whole, part))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_whole_mark(s: &str) -> bool {
    s.len() >= 2 && s.starts_with(MARK) && s.ends_with(MARK) && !s[1..s.len() - 1].contains(MARK)
}

fn replace_marks(s: &str, with: &str) -> String {
    let mut out = String::new();
    for (i, piece) in s.split(MARK).enumerate() {
        // Pieces at odd positions are between two marks: the mark's index.
        out.push_str(if i % 2 == 1 { with } else { piece });
    }
    out
}

/// `base` (the adapter's reading with marks), with every value that is not the same under every probe replaced
/// by an unknown mark. A value that still carries a mark is left for [`rewrite_body`].
fn mark_changing(base: Value, probes: &[&Value]) -> Value {
    match base {
        Value::String(s) if s.contains(MARK) => Value::String(s),
        Value::Object(mut map) if probes.iter().all(|p| p.is_object()) => {
            // A key some probe writes and the base does not depends on the unknown value.
            for p in probes {
                for k in p.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !map.contains_key(k) {
                        map.insert(k.clone(), unknown_value());
                    }
                }
            }
            Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let at: Vec<&Value> = probes.iter().filter_map(|p| p.get(&k)).collect();
                        let v = match &v {
                            // Kept for `rewrite_body`, whatever the probes made of it.
                            Value::String(s) if s.contains(MARK) => v,
                            _ if at.len() == probes.len() => mark_changing(v, &at),
                            _ => unknown_value(),
                        };
                        (k, v)
                    })
                    .collect(),
            )
        }
        Value::Array(items)
            if probes
                .iter()
                .all(|p| p.as_array().is_some_and(|a| a.len() == items.len())) =>
        {
            Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let at: Vec<&Value> = probes.iter().filter_map(|p| p.get(i)).collect();
                        mark_changing(v, &at)
                    })
                    .collect(),
            )
        }
        v if probes.iter().all(|p| **p == v) => v,
        _ => unknown_value(),
    }
}

fn unknown_value() -> Value {
    Value::String(format!("{MARK}?{MARK}"))
}

/// Replaces marked strings in a body built from adapter output: a whole mark by the expression it stands for,
/// any other marked value by the "known after apply" placeholder.
fn rewrite_body(body: &mut Body, unknown: &[Option<Expression>]) {
    for s in &mut body.structures {
        match s {
            Structure::Attribute(a) => a.value = rewrite(&a.value, unknown),
            Structure::Block(b) => rewrite_body(&mut b.body, unknown),
        }
    }
}

fn rewrite(e: &Expression, unknown: &[Option<Expression>]) -> Expression {
    match e {
        Expression::String(s) if s.contains(MARK) => {
            let kept = is_whole_mark(s)
                .then(|| s[1..s.len() - 1].parse::<usize>().ok())
                .flatten()
                .and_then(|i| unknown.get(i).cloned().flatten());
            kept.unwrap_or_else(|| expr::reference(KNOWN_AFTER_APPLY))
        }
        Expression::Array(items) => Expression::Array(items.iter().map(|i| rewrite(i, unknown)).collect()),
        Expression::Object(obj) => {
            Expression::Object(obj.iter().map(|(k, v)| (k.clone(), rewrite(v, unknown))).collect())
        }
        other => other.clone(),
    }
}

/// Locates every attribute and nested block of a mapped body at the azapi `body` (or the block).
fn set_locations(body: &mut Body, location: &Location) {
    for s in &mut body.structures {
        match s {
            Structure::Attribute(a) => a.location = Some(location.clone()),
            Structure::Block(b) => {
                b.location = Some(location.clone());
                set_locations(&mut b.body, location);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(text: &str) -> Config {
        let file = Config::parse_file_with(
            "main.tf",
            "main.tf".into(),
            crate::terraform::Format::Hcl,
            text,
            crate::azurerm::builtin_schemas(),
        )
        .unwrap();
        let mut config = Config { files: vec![file] };
        map(&mut config, crate::azurerm::builtin_schemas());
        config
    }

    #[test]
    fn a_flag_derived_from_an_unknown_value_is_unknown_and_a_reference_is_kept() {
        let config = mapped(
            r#"
resource "azapi_resource" "acr" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "acr"
  parent_id = azurerm_resource_group.main.id
  body = {
    sku        = { name = "Premium" }
    properties = { publicNetworkAccess = var.access, adminUserEnabled = false }
  }
}

resource "azapi_resource" "grant" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "g"
  parent_id = "/subscriptions/s"
  body = {
    properties = {
      roleDefinitionId = "${var.sub}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
      principalId      = azurerm_user_assigned_identity.app.principal_id
    }
  }
}
"#,
        );
        let acr = config.resource("azapi_resource.acr").unwrap();
        assert_eq!(acr.resource_type, "azurerm_container_registry");
        assert_eq!(acr.declared_as, Some(AZAPI_RESOURCE));
        let unknown = expr::reference(KNOWN_AFTER_APPLY);
        assert_eq!(acr.get("public_network_access_enabled"), Some(&unknown));
        assert_eq!(acr.get("admin_enabled"), Some(&Expression::Bool(false)));
        assert_eq!(acr.get("sku"), Some(&Expression::from("Premium")));
        assert_eq!(acr.get("id"), None);

        let grant = config.resource("azapi_resource.grant").unwrap();
        assert_eq!(grant.resource_type, "azurerm_role_assignment");
        // The role's ID is not known, its name is (the GUID is written).
        assert_eq!(grant.get("role_definition_id"), Some(&unknown));
        assert_eq!(grant.get("role_definition_name"), Some(&Expression::from("Owner")));
        assert_eq!(
            grant.get("principal_id").map(expr::to_hcl).as_deref(),
            Some("azurerm_user_assigned_identity.app.principal_id")
        );
        assert_eq!(grant.get("scope"), Some(&Expression::from("/subscriptions/s")));
    }
}
