//! What a plan's `configuration` says about references: for each resource, data source and module call, the
//! references of its expressions (`references`, Terraform's JSON output format: developer.hashicorp.com/
//! terraform/internals/json-format#expression-representation) and its `depends_on` — the facts of a dependency
//! graph ([`crate::graph`]), read without building the configuration's tree: constant values are skipped as
//! they are read, and only reference strings are kept.
//!
//! The configuration is not expanded: addresses are those of blocks (`module.web.azurerm_x.y`), without instance
//! keys. Terraform leaves `locals` out of this section (a module there has `outputs`, `module_calls`, `resources` and
//! `variables` only: Terraform's `internal/command/jsonconfig/config.go`), so a reference through a local is not
//! seen.

use super::Plan;
use crate::graph::{Declared, Kind};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every resource, data source and module call of `plan`'s configuration, with module paths, in the order they
/// are written (module calls after their caller's resources). Empty when the plan has no `configuration`.
pub(crate) fn declared(plan: &Plan) -> Vec<Declared> {
    let Some(configuration) = &plan.configuration else {
        return Vec::new();
    };
    let Ok(configuration) = serde_json::from_str::<Configuration>(configuration.text()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    module(configuration.root_module, "", &mut out);
    out
}

fn module(m: ModuleConfig, path: &str, out: &mut Vec<Declared>) {
    let prefix = |s: String| if path.is_empty() { s } else { format!("{path}.{s}") };
    for r in m.resources {
        let (kind, local) = match r.mode.as_str() {
            "data" => (Kind::Data, format!("data.{}.{}", r.resource_type, r.name)),
            _ => (Kind::Resource, format!("{}.{}", r.resource_type, r.name)),
        };
        let mut references = r.expressions.references.0;
        references.extend(r.count_expression.0);
        references.extend(r.for_each_expression.0);
        out.push(Declared {
            address: prefix(local),
            kind,
            module: path.to_string(),
            references,
            depends_on: r.depends_on,
            role: r.expressions.role,
        });
    }
    for (name, call) in m.module_calls {
        let address = prefix(format!("module.{name}"));
        let mut references = call.expressions.0;
        references.extend(call.count_expression.0);
        references.extend(call.for_each_expression.0);
        out.push(Declared {
            address: address.clone(),
            kind: Kind::Module,
            module: path.to_string(),
            references,
            depends_on: call.depends_on,
            role: None,
        });
        module(call.module, &address, out);
    }
}

#[derive(Deserialize)]
struct Configuration {
    #[serde(default)]
    root_module: ModuleConfig,
}

#[derive(Deserialize, Default)]
struct ModuleConfig {
    #[serde(default)]
    resources: Vec<ResourceConfig>,
    #[serde(default)]
    module_calls: BTreeMap<String, ModuleCall>,
}

#[derive(Deserialize)]
struct ResourceConfig {
    #[serde(default)]
    mode: String,
    #[serde(rename = "type", default)]
    resource_type: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    expressions: Expressions,
    #[serde(default)]
    count_expression: References,
    #[serde(default)]
    for_each_expression: References,
    #[serde(default)]
    depends_on: Vec<String>,
}

#[derive(Deserialize)]
struct ModuleCall {
    #[serde(default)]
    expressions: References,
    #[serde(default)]
    count_expression: References,
    #[serde(default)]
    for_each_expression: References,
    #[serde(default)]
    depends_on: Vec<String>,
    #[serde(default)]
    module: ModuleConfig,
}

/// A resource's `expressions`: every reference in them, and the role a role assignment grants
/// (`role_definition_name`'s constant value).
#[derive(Default)]
struct Expressions {
    references: References,
    role: Option<String>,
}

impl<'de> Deserialize<'de> for Expressions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Expressions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an expressions object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expressions, A::Error> {
                let mut out = Expressions::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "role_definition_name" {
                        #[derive(Deserialize)]
                        struct Role {
                            constant_value: Option<serde_json::Value>,
                            #[serde(default)]
                            references: Vec<String>,
                        }
                        if let Ok(role) = map.next_value::<Role>() {
                            out.role = role.constant_value.and_then(|v| v.as_str().map(str::to_string));
                            out.references.0.extend(role.references);
                        }
                    } else {
                        map.next_value_seed(Collect {
                            out: &mut out.references.0,
                            strings: false,
                        })?;
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// Every string under a `references` key, at any depth (nested blocks are objects or arrays of objects).
#[derive(Default)]
struct References(Vec<String>);

impl<'de> Deserialize<'de> for References {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut out = Vec::new();
        Collect {
            out: &mut out,
            strings: false,
        }
        .deserialize(d)?;
        Ok(References(out))
    }
}

/// Walks a JSON value, keeping the strings of `references` arrays (`strings`: inside one) and skipping constant
/// values unread.
struct Collect<'a> {
    out: &'a mut Vec<String>,
    strings: bool,
}

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "constant_value" => {
                    map.next_value::<IgnoredAny>()?;
                }
                k => map.next_value_seed(Collect {
                    out: &mut *self.out,
                    strings: k == "references",
                })?,
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Collect {
                out: &mut *self.out,
                strings: self.strings,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        if self.strings {
            self.out.push(s.to_string());
        }
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_roles_and_modules_are_read() {
        let plan = Plan::parse(
            "p.json",
            br#"{"format_version":"1.2","resource_changes":[],"configuration":{"root_module":{
              "resources":[
                {"address":"azurerm_role_assignment.pull","mode":"managed","type":"azurerm_role_assignment",
                 "name":"pull","expressions":{
                   "role_definition_name":{"constant_value":"AcrPull"},
                   "principal_id":{"references":["azurerm_user_assigned_identity.app.principal_id",
                                                 "azurerm_user_assigned_identity.app"]},
                   "tags":{"constant_value":{"references":["not.a_reference"]}},
                   "block":[{"inner":{"references":["data.x.y.id","data.x.y"]}}]},
                 "count_expression":{"references":["var.n"]},
                 "depends_on":["time_sleep.t"]}],
              "module_calls":{"web":{"source":"./web","expressions":{"name":{"references":["local.n"]}},
                "module":{"resources":[{"mode":"data","type":"d","name":"n","expressions":{}}]}}}}}}"#,
        )
        .unwrap();
        let d = declared(&plan);
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].address, "azurerm_role_assignment.pull");
        assert_eq!(d[0].role.as_deref(), Some("AcrPull"));
        assert_eq!(
            d[0].references,
            [
                "azurerm_user_assigned_identity.app.principal_id",
                "azurerm_user_assigned_identity.app",
                "data.x.y.id",
                "data.x.y",
                "var.n"
            ]
        );
        assert_eq!(d[0].depends_on, ["time_sleep.t"]);
        assert_eq!((d[1].address.as_str(), d[1].kind), ("module.web", Kind::Module));
        assert_eq!(d[1].references, ["local.n"]);
        assert_eq!(
            (d[2].address.as_str(), d[2].module.as_str()),
            ("module.web.data.d.n", "module.web")
        );
    }
}
