//! Terraform values on the wire: msgpack, walked alongside the schema.
//!
//! Values stay raw `rmpv::Value`s so that nothing is re-typed on the way through (`cpu = 0.25` stays a float).
//! An unknown value is msgpack extension type 0 (`d4 00 00`); objects are maps keyed by attribute name.

use rmpv::Value;
use serde_json::Value as Json;

use crate::schema::{Block, Nesting, Ty};

/// The msgpack encoding of an unknown value.
pub fn unknown() -> Value {
    Value::Ext(0, vec![0])
}

pub fn is_unknown(v: &Value) -> bool {
    matches!(v, Value::Ext(0, _))
}

pub fn decode(bytes: &[u8]) -> Result<Value, String> {
    if bytes.is_empty() {
        return Ok(Value::Nil);
    }
    let mut rd = bytes;
    rmpv::decode::read_value(&mut rd).map_err(|e| format!("invalid msgpack: {e}"))
}

pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, v).expect("writing to a Vec cannot fail");
    out
}

/// Looks up an attribute of a msgpack object.
pub fn get<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    match obj {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// The planned new state for a resource: the proposed new state, where (when creating) every computed
/// attribute the configuration leaves null becomes unknown ("known after apply"), recursively through nested
/// blocks. When the resource already exists, the proposed state already carries the prior values of computed
/// attributes, and is kept as it is.
pub fn plan(block: &Block, prior: &Value, proposed: &Value, config: &Value) -> Value {
    if proposed.is_nil() {
        return Value::Nil; // destroy
    }
    if !prior.is_nil() {
        return proposed.clone();
    }
    mark_computed_unknown(block, proposed, config)
}

/// The top-level arguments the real azurerm provider marks ForceNew, per resource type, from infra's vendored
/// provider notes (`src/azurerm/data/provider-notes.json`: `"force_new": {"name": true, …}`; `"conditional"`
/// entries, which force replacement for some values only, and nested paths are left out).
pub fn force_new_arguments(resource_type: &str) -> Vec<String> {
    static NOTES: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    let notes = NOTES.get_or_init(|| {
        serde_json::from_str(include_str!("../../../src/azurerm/data/provider-notes.json"))
            .expect("provider-notes.json is valid JSON")
    });
    notes
        .get(resource_type)
        .and_then(|n| n.get("force_new"))
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .filter(|(k, v)| **v == Json::Bool(true) && !k.contains('.'))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The force-new arguments (see [`force_new_arguments`]) whose planned value differs from the prior state's
/// (or is unknown): Terraform then plans a replacement, as with the real provider. Empty when creating or
/// destroying.
pub fn requires_replace(resource_type: &str, prior: &Value, planned: &Value) -> Vec<String> {
    if prior.is_nil() || planned.is_nil() {
        return vec![];
    }
    force_new_arguments(resource_type)
        .into_iter()
        .filter(|name| {
            let before = get(prior, name).unwrap_or(&Value::Nil);
            let after = get(planned, name).unwrap_or(&Value::Nil);
            is_unknown(after) || before != after
        })
        .collect()
}

fn mark_computed_unknown(block: &Block, proposed: &Value, config: &Value) -> Value {
    let Value::Map(entries) = proposed else {
        return proposed.clone();
    };
    let out = entries
        .iter()
        .map(|(k, v)| {
            let name = k.as_str().unwrap_or_default();
            let cfg = get(config, name).unwrap_or(&Value::Nil);
            let nv = if let Some(a) = block.attributes.get(name) {
                if a.computed && cfg.is_nil() && v.is_nil() {
                    unknown()
                } else {
                    v.clone()
                }
            } else if let Some(nb) = block.block_types.get(name) {
                plan_nested(nb.nesting, &nb.block, v, cfg)
            } else {
                v.clone()
            };
            (k.clone(), nv)
        })
        .collect();
    Value::Map(out)
}

fn plan_nested(nesting: Nesting, block: &Block, proposed: &Value, config: &Value) -> Value {
    if is_unknown(proposed) || is_unknown(config) {
        return proposed.clone();
    }
    match (nesting, proposed) {
        (Nesting::Single | Nesting::Group, Value::Map(_)) => mark_computed_unknown(block, proposed, config),
        (Nesting::List | Nesting::Set, Value::Array(items)) => {
            let cfg_items = match config {
                Value::Array(c) => c.as_slice(),
                _ => &[],
            };
            Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| mark_computed_unknown(block, item, cfg_items.get(i).unwrap_or(&Value::Nil)))
                    .collect(),
            )
        }
        (Nesting::Map, Value::Map(items)) => Value::Map(
            items
                .iter()
                .map(|(k, item)| {
                    let key = k.as_str().unwrap_or_default();
                    (
                        k.clone(),
                        mark_computed_unknown(block, item, get(config, key).unwrap_or(&Value::Nil)),
                    )
                })
                .collect(),
        ),
        _ => proposed.clone(),
    }
}

/// Converts a resource's state as Terraform stores it (JSON) into msgpack of the block's type. Attributes the
/// schema does not know are dropped; missing ones become null (or empty, for list/set/map blocks).
pub fn json_state_to_msgpack(block: &Block, state: &Json) -> Result<Value, String> {
    if state.is_null() {
        return Ok(Value::Nil);
    }
    let obj = state.as_object().ok_or("state is not an object")?;
    let mut out = Vec::new();
    for (name, a) in &block.attributes {
        let v = json_to_msgpack(&a.ty, obj.get(name).unwrap_or(&Json::Null)).map_err(|e| format!("{name}: {e}"))?;
        out.push((Value::from(name.as_str()), v));
    }
    for (name, nb) in &block.block_types {
        let j = obj.get(name).unwrap_or(&Json::Null);
        let conv = |j: &Json| json_state_to_msgpack(&nb.block, j).map_err(|e| format!("{name}.{e}"));
        let v = match nb.nesting {
            Nesting::Single => conv(j)?,
            Nesting::Group if j.is_null() => conv(&Json::Object(Default::default()))?,
            Nesting::Group => conv(j)?,
            Nesting::List | Nesting::Set => match j {
                Json::Null => Value::Array(vec![]),
                Json::Array(items) => Value::Array(items.iter().map(conv).collect::<Result<_, _>>()?),
                _ => return Err(format!("{name}: expected an array")),
            },
            Nesting::Map => match j {
                Json::Null => Value::Map(vec![]),
                Json::Object(m) => Value::Map(
                    m.iter()
                        .map(|(k, v)| Ok((Value::from(k.as_str()), conv(v)?)))
                        .collect::<Result<_, String>>()?,
                ),
                _ => return Err(format!("{name}: expected an object")),
            },
        };
        out.push((Value::from(name.as_str()), v));
    }
    Ok(Value::Map(out))
}

/// Converts a JSON value of a known cty type into its msgpack encoding.
pub fn json_to_msgpack(ty: &Ty, j: &Json) -> Result<Value, String> {
    if j.is_null() {
        return Ok(Value::Nil);
    }
    Ok(match ty {
        Ty::String => match j {
            Json::String(s) => Value::from(s.as_str()),
            Json::Number(n) => Value::from(n.to_string()),
            Json::Bool(b) => Value::from(b.to_string()),
            _ => return Err(format!("expected a string, got {j}")),
        },
        Ty::Number => match j {
            Json::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::from(i)
                } else if let Some(u) = n.as_u64() {
                    Value::from(u)
                } else {
                    Value::from(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Json::String(s) => Value::from(s.as_str()),
            _ => return Err(format!("expected a number, got {j}")),
        },
        Ty::Bool => match j {
            Json::Bool(b) => Value::from(*b),
            Json::String(s) if s == "true" || s == "false" => Value::from(s == "true"),
            _ => return Err(format!("expected a bool, got {j}")),
        },
        Ty::List(e) | Ty::Set(e) => match j {
            Json::Array(items) => Value::Array(items.iter().map(|i| json_to_msgpack(e, i)).collect::<Result<_, _>>()?),
            _ => return Err(format!("expected an array, got {j}")),
        },
        Ty::Map(e) => match j {
            Json::Object(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| Ok((Value::from(k.as_str()), json_to_msgpack(e, v)?)))
                    .collect::<Result<_, String>>()?,
            ),
            _ => return Err(format!("expected an object, got {j}")),
        },
        Ty::Object(attrs) => match j {
            Json::Object(m) => Value::Map(
                attrs
                    .iter()
                    .map(|(k, t)| {
                        Ok((
                            Value::from(k.as_str()),
                            json_to_msgpack(t, m.get(k).unwrap_or(&Json::Null))?,
                        ))
                    })
                    .collect::<Result<_, String>>()?,
            ),
            _ => return Err(format!("expected an object, got {j}")),
        },
        Ty::Tuple(elems) => match j {
            Json::Array(items) if items.len() == elems.len() => Value::Array(
                elems
                    .iter()
                    .zip(items)
                    .map(|(t, i)| json_to_msgpack(t, i))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(format!("expected a tuple of {} elements, got {j}", elems.len())),
        },
        Ty::Dynamic => {
            return Err("dynamically-typed attributes are not supported by the test provider".to_string());
        }
    })
}

/// A data source's state as the test provider "reads" it: the configuration's values, and for every computed
/// attribute the configuration leaves null a made-up value of its type (a string names the data source and the
/// attribute, e.g. `"azurerm_container_registry.login_server"`; numbers 0, booleans false, collections empty).
/// Nested blocks (`timeouts`) keep the configuration's value.
pub fn read_placeholder(block: &Block, type_name: &str, config: &Value) -> Value {
    let entries = block
        .attributes
        .iter()
        .map(|(name, a)| {
            let given = get(config, name).filter(|v| !v.is_nil()).cloned();
            let value = match given {
                Some(v) => v,
                None if a.computed => placeholder(&a.ty, &format!("{type_name}.{name}")),
                None => Value::Nil,
            };
            (Value::from(name.as_str()), value)
        })
        .chain(block.block_types.keys().map(|name| {
            (
                Value::from(name.as_str()),
                get(config, name).cloned().unwrap_or(Value::Nil),
            )
        }))
        .collect();
    Value::Map(entries)
}

fn placeholder(ty: &Ty, label: &str) -> Value {
    match ty {
        Ty::String => Value::from(label),
        Ty::Number => Value::from(0),
        Ty::Bool => Value::from(false),
        Ty::List(_) | Ty::Set(_) | Ty::Tuple(_) => Value::Array(vec![]),
        Ty::Map(_) => Value::Map(vec![]),
        Ty::Object(attrs) => Value::Map(
            attrs
                .iter()
                .map(|(k, t)| (Value::from(k.as_str()), placeholder(t, &format!("{label}.{k}"))))
                .collect(),
        ),
        Ty::Dynamic => Value::Nil,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::resources;

    fn obj(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (Value::from(k), v)).collect())
    }

    #[test]
    fn unknown_is_fixext1_type_zero() {
        assert_eq!(encode(&unknown()), vec![0xd4, 0x00, 0x00]);
    }

    #[test]
    fn create_marks_null_computed_unknown_and_keeps_config_values() {
        let all = resources();
        let rg = &all["azurerm_resource_group"].block;
        let proposed = obj(vec![
            ("id", Value::Nil),
            ("location", Value::from("westeurope")),
            ("managed_by", Value::Nil),
            ("name", Value::from("rg")),
            ("tags", Value::Nil),
            ("timeouts", Value::Nil),
        ]);
        let planned = plan(rg, &Value::Nil, &proposed, &proposed);
        assert!(is_unknown(get(&planned, "id").unwrap()));
        assert_eq!(get(&planned, "name").unwrap().as_str(), Some("rg"));
        // managed_by is optional, not computed: stays null.
        assert!(get(&planned, "managed_by").unwrap().is_nil());
    }

    #[test]
    fn floats_stay_floats_in_nested_blocks() {
        let all = resources();
        let app = &all["azurerm_container_app"].block;
        let container = obj(vec![("cpu", Value::from(0.25)), ("name", Value::from("web"))]);
        let template = obj(vec![("container", Value::Array(vec![container]))]);
        let proposed = obj(vec![("template", Value::Array(vec![template])), ("id", Value::Nil)]);
        let planned = plan(app, &Value::Nil, &proposed, &proposed);
        let t = &get(&planned, "template").unwrap().as_array().unwrap()[0];
        let c = &get(t, "container").unwrap().as_array().unwrap()[0];
        assert_eq!(get(c, "cpu").unwrap(), &Value::F64(0.25));
        // `ephemeral_storage` is computed in container blocks.
        assert!(
            app.block_types["template"].block.block_types["container"]
                .block
                .attributes["ephemeral_storage"]
                .computed
        );
    }

    #[test]
    fn update_keeps_proposed_and_destroy_is_null() {
        let all = resources();
        let rg = &all["azurerm_resource_group"].block;
        let prior = obj(vec![
            ("id", Value::from("/subscriptions/x")),
            ("name", Value::from("rg")),
        ]);
        assert_eq!(plan(rg, &prior, &prior, &prior), prior);
        assert!(plan(rg, &prior, &Value::Nil, &Value::Nil).is_nil());
    }

    #[test]
    fn changed_force_new_arguments_require_replacement() {
        assert!(force_new_arguments("azurerm_container_registry").contains(&"name".to_string()));
        assert!(!force_new_arguments("azurerm_container_registry").contains(&"sku".to_string()));
        // "conditional" is not always: left to an update.
        assert!(!force_new_arguments("azurerm_storage_account").contains(&"account_replication_type".to_string()));
        let prior = obj(vec![("name", Value::from("acrold")), ("sku", Value::from("Basic"))]);
        let sku = obj(vec![("name", Value::from("acrold")), ("sku", Value::from("Premium"))]);
        let renamed = obj(vec![("name", Value::from("acrnew")), ("sku", Value::from("Premium"))]);
        let ty = "azurerm_container_registry";
        assert!(requires_replace(ty, &prior, &sku).is_empty());
        assert_eq!(requires_replace(ty, &prior, &renamed), vec!["name".to_string()]);
        let unknown_scope = obj(vec![("scope", unknown())]);
        let prior_scope = obj(vec![("scope", Value::from("/x"))]);
        assert_eq!(
            requires_replace("azurerm_role_assignment", &prior_scope, &unknown_scope),
            vec!["scope".to_string()]
        );
        assert!(requires_replace(ty, &Value::Nil, &renamed).is_empty());
    }

    #[test]
    fn json_state_converts_by_schema_type() {
        let all = resources();
        let rg = &all["azurerm_resource_group"].block;
        let state =
            serde_json::json!({"id": "x", "name": "rg", "location": "westeurope", "tags": {"a": "b"}, "bogus": 1});
        let v = json_state_to_msgpack(rg, &state).unwrap();
        assert_eq!(get(&v, "name").unwrap().as_str(), Some("rg"));
        assert!(get(&v, "bogus").is_none());
        assert!(get(&v, "managed_by").unwrap().is_nil());
    }
}
