//! A configuration's bodies as the differ reads them: literal values as values, expressions as written, values
//! that refer to a replaced resource unknown, sensitive values masked.

use super::super::model::{Change, OutputChange, Value};
use super::super::values::{AttributeValue, BodyValues};
use crate::terraform::schema::BlockSchema;
use crate::terraform::Schemas;
use crate::terraform::{expr, Body, Config, Expression};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn sensitive_variables(config: &Config) -> BTreeSet<String> {
    config
        .blocks_of("variable")
        .filter(|(_, b)| b.body.get("sensitive").and_then(expr::as_bool) == Some(true))
        .filter_map(|(_, b)| b.labels.first().cloned())
        .collect()
}

/// What the differ needs while turning bodies into [`BodyValues`]s.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a> {
    /// The provider schemas: which arguments are nested blocks, which are sensitive.
    pub(super) schemas: &'a Schemas,
    pub(super) sensitive_vars: &'a BTreeSet<String>,
    /// Resources being replaced: references to them are unknown until apply.
    pub(super) replaced: &'a BTreeSet<String>,
    /// `moved` blocks (from → to), applied to references of the old configuration so that a reference
    /// that only follows a move is not a change.
    pub(super) renames: &'a BTreeMap<String, String>,
    /// The module of the resource being turned into an [`BodyValues`]: its references are relative to it.
    pub(super) module: Option<&'a str>,
}

impl Ctx<'_> {
    /// The schema of resource type `t` (offline, data sources are read with the resource schema of their type).
    pub(super) fn schema(&self, t: &str) -> Option<&BlockSchema> {
        self.schemas.get(false, t)
    }
}

/// The replaced resource a reference (`azurerm_x.y`, `module.m`, as [`expr::referenced_resources`] gives it,
/// without instance key) made in `module` points at, if any: the resource itself, one of its instances, or for
/// a module, anything inside it.
pub(super) fn replaced_target(reference: &str, module: Option<&str>, replaced: &BTreeSet<String>) -> Option<String> {
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
pub(super) fn rename_references(text: &str, renames: &BTreeMap<String, String>) -> String {
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
pub(crate) fn literal_json(e: &Expression) -> Option<Json> {
    Some(match e {
        Expression::Null => Json::Null,
        Expression::Bool(b) => Json::Bool(*b),
        Expression::Number(n) => crate::diff::values::number(n),
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

pub(super) fn is_sensitive_expr(e: &Expression, ctx: &Ctx) -> bool {
    expr::references(e).iter().any(|r| {
        r.strip_prefix("var.")
            .map(|v| v.split(['.', '[']).next().unwrap_or(v))
            .is_some_and(|v| ctx.sensitive_vars.contains(v))
    }) || expr::to_hcl(e).contains("sensitive(")
}

/// A configuration body as a differ body. `subst` collects (path, replaced resource) for every value that
/// became unknown because it refers to a replaced resource.
pub(super) fn obj(
    body: &Body,
    schema: Option<&BlockSchema>,
    path: &str,
    ctx: &Ctx,
    subst: &mut Option<&mut Vec<(String, String)>>,
) -> BodyValues {
    let mut o = BodyValues::default();
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
        o.attrs.insert(a.name.clone(), AttributeValue { shown, cmp: Some(cmp) });
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

pub(super) fn outputs(
    old: &Config,
    new: &Config,
    sensitive_vars: &BTreeSet<String>,
    schemas: &Schemas,
) -> Vec<OutputChange> {
    let no_replacements = BTreeSet::new();
    let no_renames = BTreeMap::new();
    let ctx = Ctx {
        schemas,
        sensitive_vars,
        replaced: &no_replacements,
        renames: &no_renames,
        module: None,
    };
    let read = |c: &Config| -> BTreeMap<String, (AttributeValue, bool)> {
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
                Some((name, (AttributeValue { shown, cmp: Some(cmp) }, sensitive)))
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
