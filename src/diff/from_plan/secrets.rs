//! The plan's secrets: every value it marks sensitive (or the schema does), so that the same value is hidden
//! wherever else it shows, and the masks that hide it.

use crate::plan::Plan;
use crate::terraform::json::mask::has_true as mask_has_true;
use crate::terraform::Schemas;
use serde_json::value::RawValue;
use serde_json::Value as Json;
use std::collections::{HashMap, HashSet};

/// Every non-empty string (and number) the plan marks sensitive anywhere — under its masks, in attributes the
/// provider schema (`schemas`) marks sensitive, in variables the configuration declares sensitive. Only the parts
/// of the values a mask (or the schema) marks are parsed.
pub(super) fn secrets(plan: &Plan, schemas: &Schemas) -> HashSet<String> {
    let mut out = HashSet::new();
    resource_secrets(plan, schemas, &mut out);
    for c in plan.output_changes.values() {
        walk_text(c.before.text(), &c.before_sensitive.value(), &mut out);
        walk_text(c.after.text(), &c.after_sensitive.value(), &mut out);
    }
    variable_secrets(plan, &mut out);
    out
}

/// Every leaf of `v` under a `true` of `mask` (or all of it, `under` one).
fn walk(v: &Json, mask: &Json, under: bool, out: &mut HashSet<String>) {
    let under = under || mask == &Json::Bool(true);
    match v {
        Json::Object(o) => o
            .iter()
            .for_each(|(k, x)| walk(x, mask.get(k).unwrap_or(&Json::Null), under, out)),
        Json::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| walk(x, mask.get(i).unwrap_or(&Json::Null), under, out)),
        Json::String(s) if under && !s.is_empty() => {
            out.insert(s.clone());
        }
        Json::Number(n) if under => {
            out.insert(n.to_string());
        }
        _ => {}
    }
}

/// [`walk`] over JSON text: what the mask does not mark is scanned, not kept.
fn walk_text(v: &str, mask: &Json, out: &mut HashSet<String>) {
    if mask == &Json::Bool(true) {
        if let Ok(v) = serde_json::from_str::<Json>(v) {
            walk(&v, &Json::Null, true, out);
        }
        return;
    }
    if !mask_has_true(mask) {
        return;
    }
    match mask {
        Json::Object(m) => {
            if let Ok(Entries(o)) = serde_json::from_str::<Entries>(v) {
                for (k, x) in o {
                    if let Some(mk) = m.get(k.as_ref()) {
                        walk_text(x.get(), mk, out);
                    }
                }
            }
        }
        Json::Array(a) => {
            if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(v) {
                for (x, mk) in items.iter().zip(a) {
                    walk_text(x.get(), mk, out);
                }
            }
        }
        _ => {}
    }
}

/// The secrets of resource changes (and drift): under each side's mask, with the attributes the schema marks
/// sensitive added to it.
fn resource_secrets(plan: &Plan, schemas: &Schemas, out: &mut HashSet<String>) {
    // Per resource type: its attributes the schema marks sensitive.
    let mut schema_sensitive: HashMap<&str, Vec<String>> = HashMap::new();
    for rc in plan.resource_changes.iter().chain(&plan.resource_drift) {
        let c = &rc.change;
        let keys = schema_sensitive.entry(&rc.resource_type).or_insert_with(|| {
            schemas
                .get(false, &rc.resource_type)
                .map(|s| {
                    s.attributes
                        .iter()
                        .filter(|(_, a)| a.sensitive)
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default()
        });
        for (side, mask) in [(&c.before, &c.before_sensitive), (&c.after, &c.after_sensitive)] {
            if keys.is_empty() && !mask.text().contains("true") {
                // Nothing marked (most changes' masks are `{}` or `false`): nothing to read.
                continue;
            }
            let mut mask = mask.value();
            if !keys.is_empty() && mask != Json::Bool(true) {
                if !mask.is_object() {
                    mask = Json::Object(serde_json::Map::new());
                }
                if let Json::Object(m) = &mut mask {
                    for k in keys.iter() {
                        m.insert(k.clone(), Json::Bool(true));
                    }
                }
            }
            walk_text(side.text(), &mask, out);
        }
    }
}

/// The values of the variables the configuration declares sensitive
/// (`configuration.root_module.variables`, read without the rest of the configuration).
fn variable_secrets(plan: &Plan, out: &mut HashSet<String>) {
    #[derive(serde::Deserialize)]
    struct Configuration {
        root_module: Option<RootModule>,
    }
    #[derive(serde::Deserialize)]
    struct RootModule {
        variables: Option<Json>,
    }
    let declared = plan
        .configuration
        .as_ref()
        .and_then(|c| serde_json::from_str::<Configuration>(c.text()).ok())
        .and_then(|c| c.root_module)
        .and_then(|m| m.variables);
    let declared = declared.as_ref().and_then(Json::as_object);
    for (name, v) in plan.variables.iter() {
        let sensitive = declared
            .and_then(|d| d.get(name))
            .is_some_and(|d| d.get("sensitive") == Some(&Json::Bool(true)));
        if sensitive {
            walk(&v.value, &Json::Bool(true), true, out);
        }
    }
}

/// A JSON object's members as they come, values unparsed, keys borrowed where they have no escapes.
struct Entries<'a>(Vec<(std::borrow::Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key<'a>(std::borrow::Cow<'a, str>);
        impl<'de> serde::Deserialize<'de> for Key<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = Key<'de>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a key")
                    }
                    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Borrowed(s)))
                    }
                    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                        Ok(Key(std::borrow::Cow::Owned(s.to_string())))
                    }
                }
                d.deserialize_str(V)
            }
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut out = Vec::new();
                while let Some((Key(k), v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The plan's sensitivity masks over `before` and `after`, with every leaf that is one of `secrets` on either
/// side marked on both (so that masking adds no "will be marked as sensitive" note), except where a side's mask
/// already marks it.
pub(super) fn with_secrets(
    before: &Json,
    after: &Json,
    bm: &Json,
    am: &Json,
    secrets: &HashSet<String>,
) -> (Json, Json) {
    let t = Json::Bool(true);
    if bm == &t || am == &t || (!holds_secret(before, secrets) && !holds_secret(after, secrets)) {
        return (bm.clone(), am.clone());
    }
    let leaf = |v: &Json| matches!(v, Json::String(_) | Json::Number(_)) && holds_secret(v, secrets);
    if leaf(before) || leaf(after) {
        return (t.clone(), t);
    }
    let null = Json::Null;
    match (before, after) {
        (Json::Object(_), _) | (_, Json::Object(_)) => {
            let (mut bo, mut ao) = (
                bm.as_object().cloned().unwrap_or_default(),
                am.as_object().cloned().unwrap_or_default(),
            );
            let keys = keys_of_both(before, after);
            for k in keys {
                let (b, a) = (before.get(k).unwrap_or(&null), after.get(k).unwrap_or(&null));
                let (x, y) = with_secrets(b, a, bm.get(k).unwrap_or(&null), am.get(k).unwrap_or(&null), secrets);
                if before.get(k).is_some() && x != Json::Null {
                    bo.insert(k.clone(), x);
                }
                if after.get(k).is_some() && y != Json::Null {
                    ao.insert(k.clone(), y);
                }
            }
            (
                if before.is_object() {
                    Json::Object(bo)
                } else {
                    bm.clone()
                },
                if after.is_object() {
                    Json::Object(ao)
                } else {
                    am.clone()
                },
            )
        }
        (Json::Array(_), _) | (_, Json::Array(_)) => {
            let (bl, al) = (
                before.as_array().map_or(0, Vec::len),
                after.as_array().map_or(0, Vec::len),
            );
            let (mut bv, mut av) = (vec![], vec![]);
            for i in 0..bl.max(al) {
                let (b, a) = (before.get(i).unwrap_or(&null), after.get(i).unwrap_or(&null));
                let (x, y) = with_secrets(b, a, bm.get(i).unwrap_or(&null), am.get(i).unwrap_or(&null), secrets);
                if i < bl {
                    bv.push(x);
                }
                if i < al {
                    av.push(y);
                }
            }
            (
                if before.is_array() { Json::Array(bv) } else { bm.clone() },
                if after.is_array() { Json::Array(av) } else { am.clone() },
            )
        }
        _ => (bm.clone(), am.clone()),
    }
}

/// [`with_secrets`] for the top-level attributes of a resource for which `dynamic` holds.
pub(super) fn top_level_secrets(
    before: &Json,
    after: &Json,
    bm: Json,
    am: Json,
    secrets: &HashSet<String>,
    dynamic: Option<&dyn Fn(&str) -> bool>,
) -> (Json, Json) {
    if bm == Json::Bool(true) || am == Json::Bool(true) {
        return (bm, am);
    }
    let object = |m: Json| match m {
        Json::Object(o) => o,
        _ => serde_json::Map::new(),
    };
    let (mut bo, mut ao) = (object(bm), object(am));
    // Most types have no attribute of dynamic type: their masks are kept as they are.
    let Some(dynamic) = dynamic else {
        return (Json::Object(bo), Json::Object(ao));
    };
    let null = Json::Null;
    let keys = keys_of_both(before, after);
    for k in keys.into_iter().filter(|k| dynamic(k)) {
        let (b, a) = (before.get(k).unwrap_or(&null), after.get(k).unwrap_or(&null));
        let (x, y) = with_secrets(b, a, bo.get(k).unwrap_or(&null), ao.get(k).unwrap_or(&null), secrets);
        if x != Json::Null {
            bo.insert(k.clone(), x);
        }
        if y != Json::Null {
            ao.insert(k.clone(), y);
        }
    }
    (Json::Object(bo), Json::Object(ao))
}

/// Whether `v` holds any of `secrets` as a leaf.
pub(super) fn holds_secret(v: &Json, secrets: &HashSet<String>) -> bool {
    match v {
        Json::String(s) => secrets.contains(s),
        Json::Number(n) => secrets.contains(&n.to_string()),
        Json::Array(a) => a.iter().any(|x| holds_secret(x, secrets)),
        Json::Object(o) => o.values().any(|x| holds_secret(x, secrets)),
        _ => false,
    }
}

/// The keys of `before` and `after` (objects; anything else has none), sorted, each once.
fn keys_of_both<'a>(before: &'a Json, after: &'a Json) -> Vec<&'a String> {
    let mut keys: Vec<&String> = before.as_object().into_iter().flat_map(|m| m.keys()).collect();
    keys.extend(after.as_object().into_iter().flat_map(|m| m.keys()));
    keys.sort();
    keys.dedup();
    keys
}
