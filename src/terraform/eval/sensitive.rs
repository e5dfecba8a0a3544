//! Which values are sensitive, and keeping them out of everything infra prints.
//!
//! Sources: variables declared `sensitive = true`, variables whose value comes from a `TF_VAR_*` environment
//! variable (CI puts secrets there), and module variables bound to a sensitive argument. Everything that refers to
//! a sensitive value, directly or through locals, module arguments and outputs, `each` / `count` of a sensitive
//! collection and `dynamic` iterators, is sensitive too ([`Taint`]: by reference, as Terraform propagates its
//! marks; values stay plain so rules judge the real value).
//!
//! [`Sensitive`] records the result for the printers: the resource attributes that are sensitive (the diff shows
//! them as `(sensitive value)`), and as a last line of defence the concrete secret strings, which
//! [`Sensitive::scrub`] replaces wherever they occur in a text infra prints (findings, errors, diff, graph).

use super::super::{Block, Body, Config, Expression, Location, Structure};
use hcl::Value;
use std::collections::BTreeSet;

/// How a sensitive value is printed: Terraform's own words.
pub(super) const SHOWN: &str = "(sensitive value)";

/// Secret strings shorter than this are not scrubbed from text (they would mask `true`, `1`, `Basic`
/// everywhere); an attribute marked sensitive is masked whatever its length.
pub(super) const MIN_SECRET_LEN: usize = 6;

/// A resource attribute whose value is sensitive.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SensitiveAttribute {
    /// `azurerm_container_registry.main`, `module.web.azurerm_container_app.app["api"]`.
    pub address: String,
    /// The attribute's path within the resource: `name`, `template.container.env.value`.
    pub attribute: String,
    pub location: Option<Location>,
}

/// The sensitive values of an evaluated configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sensitive {
    /// Resource attributes that read a sensitive value, in file order.
    pub attributes: Vec<SensitiveAttribute>,
    /// The secret strings to scrub, as written and as JSON and XML escape them.
    strings: BTreeSet<String>,
}

impl Sensitive {
    /// Whether the attribute at `attribute` of `address`, written at `location`, is sensitive.
    pub(crate) fn is_attribute(&self, address: &str, attribute: &str, location: Option<&Location>) -> bool {
        self.attributes.iter().any(|s| {
            s.address == address && s.attribute == attribute && (location.is_none() || s.location.as_ref() == location)
        })
    }

    /// Adds what `other` marks sensitive (the two configurations of a diff).
    pub(crate) fn merge(&mut self, other: &Sensitive) {
        for a in &other.attributes {
            self.add_attribute(a.clone());
        }
        self.strings.extend(other.strings.iter().cloned());
    }

    /// True when there is no secret string to scrub.
    pub(crate) fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// `text` with every secret string replaced by [`SHOWN`] (the longest secret first where several start at
    /// the same place).
    pub(crate) fn scrub<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.strings.is_empty() {
            return std::borrow::Cow::Borrowed(text);
        }
        let mut longest_first: Vec<&str> = self.strings.iter().map(String::as_str).collect();
        longest_first.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match longest_first.iter().find(|s| rest.starts_with(**s)) {
                Some(s) => {
                    out.push_str(SHOWN);
                    rest = &rest[s.len()..];
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        std::borrow::Cow::Owned(out)
    }

    /// Records every string and number in `value` as a secret.
    pub(crate) fn add_value(&mut self, value: &Value) {
        match value {
            Value::String(s) => self.add_text(s),
            Value::Number(n) => self.add_text(&n.to_string()),
            Value::Array(items) => items.iter().for_each(|v| self.add_value(v)),
            Value::Object(o) => o.values().for_each(|v| self.add_value(v)),
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// Records every literal string and number in `expr` (the known parts of a partly known value).
    pub(crate) fn add_literals(&mut self, expr: &Expression) {
        match expr {
            Expression::String(s) => self.add_text(s),
            Expression::Number(n) => self.add_text(&n.to_string()),
            Expression::Array(items) => items.iter().for_each(|e| self.add_literals(e)),
            Expression::Object(o) => o.values().for_each(|e| self.add_literals(e)),
            _ => {}
        }
    }

    /// Records `text` (and its JSON- and XML-escaped forms) as a secret, when it is long enough.
    pub(crate) fn add_text(&mut self, text: &str) {
        if text.chars().count() < MIN_SECRET_LEN || super::unknown::in_text(text) {
            return;
        }
        let json = serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""));
        let json = json[1..json.len() - 1].to_string(); // without the quotes
        let xml = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;");
        self.strings.extend([text.to_string(), json, xml]);
    }

    /// Wraps every sensitive attribute of `config` (an evaluated configuration) in `sensitive(…)`, so that
    /// printers show `(sensitive value)` where Terraform would, and values still compare.
    pub(crate) fn mark(&self, config: &mut Config) {
        if self.attributes.is_empty() {
            return;
        }
        for file in &mut config.files {
            for s in &mut file.body.structures {
                if let Structure::Block(b) = s {
                    if let Some(address) = instance_address(b) {
                        self.mark_body(&mut b.body, &address, "");
                    }
                }
            }
        }
    }

    fn mark_body(&self, body: &mut Body, address: &str, path: &str) {
        let join = |name: &str| {
            if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            }
        };
        for s in &mut body.structures {
            match s {
                Structure::Attribute(a) => {
                    if self.is_attribute(address, &join(&a.name), a.location.as_ref()) {
                        let value = std::mem::replace(&mut a.value, Expression::Null);
                        a.value = Expression::from(hcl::expr::FuncCall::builder("sensitive").arg(value).build());
                    }
                }
                Structure::Block(b) => self.mark_body(&mut b.body, address, &join(&b.kind)),
            }
        }
    }

    pub(super) fn add_attribute(&mut self, attribute: SensitiveAttribute) {
        if !self.attributes.contains(&attribute) {
            self.attributes.push(attribute);
        }
    }
}

/// The address of an evaluated resource or data source instance, from its labels as the evaluator writes them
/// (type, name, instance key, module address).
fn instance_address(b: &Block) -> Option<String> {
    let [t, n, rest @ ..] = b.labels.as_slice() else {
        return None;
    };
    let base = match b.kind.as_str() {
        "resource" => format!("{t}.{n}"),
        "data" => format!("data.{t}.{n}"),
        _ => return None,
    };
    let key = rest.first().map(String::as_str).unwrap_or_default();
    Some(match rest.get(1).filter(|m| !m.is_empty()) {
        Some(module) => format!("{module}.{base}{key}"),
        None => format!("{base}{key}"),
    })
}

/// The names through which a module's expressions can read a sensitive value: `var.x`, `local.y`,
/// `module.m.out`, and the iteration roots `each`, `count` or a `dynamic` block's iterator when their collection
/// is sensitive.
#[derive(Debug, Clone, Default)]
pub(super) struct Taint {
    names: BTreeSet<String>,
}

impl Taint {
    /// A module whose variables `sensitive` are sensitive.
    pub(super) fn of_variables<'a>(sensitive: impl IntoIterator<Item = &'a String>) -> Taint {
        Taint {
            names: sensitive.into_iter().map(|v| format!("var.{v}")).collect(),
        }
    }

    /// Whether `expr` reads a sensitive value.
    pub(super) fn reads(&self, expr: &Expression) -> bool {
        !self.names.is_empty() && super::super::expr::references(expr).iter().any(|r| self.covers(r))
    }

    fn covers(&self, reference: &str) -> bool {
        let Some(s) = super::super::segments(reference) else {
            return false;
        };
        let name = |i: usize| s.get(i).map(|x| x.0);
        match (name(0), name(1), name(2)) {
            (Some(root @ ("var" | "local")), Some(n), _) => self.names.contains(&format!("{root}.{n}")),
            // `module.m` as a whole holds every output.
            (Some("module"), Some(m), None) => self.names.iter().any(|t| t.starts_with(&format!("module.{m}."))),
            (Some("module"), Some(m), Some(out)) => self.names.contains(&format!("module.{m}.{out}")),
            (Some(root), _, _) => self.names.contains(root),
            _ => false,
        }
    }

    /// Adds a name (`each`, `count`, an iterator, `module.m.out`).
    pub(super) fn add(&mut self, name: String) {
        self.names.insert(name);
    }

    /// This taint, plus `root` when `collection` (a `for_each` / `count` / `dynamic` collection) is sensitive.
    pub(super) fn iterating(&self, root: &str, collection: Option<&Expression>) -> Taint {
        let mut t = self.clone();
        if collection.is_some_and(|c| self.reads(c)) {
            t.add(root.to_string());
        }
        t
    }

    /// Adds every local of `config` that reads a sensitive value, directly or through other locals.
    pub(super) fn add_locals(&mut self, config: &Config) {
        let defs: Vec<(&String, &Expression)> = config
            .blocks_of("locals")
            .flat_map(|(_, b)| b.body.attributes().map(|a| (&a.name, &a.value)))
            .collect();
        loop {
            let before = self.names.len();
            for (name, value) in &defs {
                if self.reads(value) {
                    self.names.insert(format!("local.{name}"));
                }
            }
            if self.names.len() == before {
                break;
            }
        }
    }

    /// Whether local `name` is sensitive.
    pub(super) fn has_local(&self, name: &str) -> bool {
        self.names.contains(&format!("local.{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_every_occurrence_longest_first() {
        let mut s = Sensitive::default();
        s.add_text("hunter2-pass");
        s.add_text("hunter2-password");
        s.add_text("true");
        assert_eq!(
            s.scrub("a hunter2-password and hunter2-pass, true"),
            "a (sensitive value) and (sensitive value), true"
        );
    }

    #[test]
    fn scrub_covers_json_and_xml_escapes() {
        let mut s = Sensitive::default();
        s.add_text("p\"a<ss>word");
        assert_eq!(s.scrub(r#"{"m": "p\"a<ss>word"}"#), r#"{"m": "(sensitive value)"}"#);
        assert_eq!(
            s.scrub("<f m=\"p&quot;a&lt;ss&gt;word\"/>"),
            "<f m=\"(sensitive value)\"/>"
        );
    }

    #[test]
    fn evaluation_marks_what_derives_from_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "main.tf",
            r#"
variable "token" {}
variable "plain" { default = "westeurope" }
locals { upper = upper(var.token) }
module "m" {
  source = "./m"
  key    = local.upper
}
resource "x_thing" "each" {
  for_each = toset([module.m.derived])
  name     = each.value
  location = var.plain
  dynamic "rule" {
    for_each = [local.upper]
    content { value = rule.value }
  }
}
"#,
        );
        write(
            "m/main.tf",
            "variable \"key\" {}\noutput \"derived\" { value = \"k-${var.key}\" }\noutput \"id\" { value = \"plain\" }\n",
        );
        let config = Config::read_dir_with(dir.path(), &Default::default()).unwrap();
        let inputs = super::super::Inputs {
            env: vec![("token".into(), "hunter2-token".into())],
            ..Default::default()
        };
        let evaluated = super::super::evaluate(config, dir.path(), &inputs).unwrap();
        let s = &evaluated.sensitive;
        let address = "x_thing.each[\"k-HUNTER2-TOKEN\"]";
        assert!(s.is_attribute(address, "name", None), "{:?}", s.attributes);
        assert!(s.is_attribute(address, "rule.value", None), "{:?}", s.attributes);
        assert!(!s.is_attribute(address, "location", None), "{:?}", s.attributes);
        assert_eq!(
            s.scrub("a k-HUNTER2-TOKEN b HUNTER2-TOKEN c hunter2-token westeurope"),
            "a (sensitive value) b (sensitive value) c (sensitive value) westeurope"
        );
    }

    #[test]
    fn taint_follows_references() {
        let mut t = Taint::of_variables(&["pw".to_string()]);
        let e = |s: &str| super::super::super::expr::parse(s).unwrap();
        assert!(t.reads(&e("\"x-${upper(var.pw)}\"")));
        assert!(!t.reads(&e("var.other")));
        t.add("module.db.conn".into());
        assert!(t.reads(&e("module.db[0].conn")));
        assert!(t.reads(&e("jsonencode(module.db)")));
        assert!(!t.reads(&e("module.db.id")));
    }
}
