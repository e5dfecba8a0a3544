//! Reading `terraform show -json PLANFILE` output.
//!
//! [`Plan::read`] / [`Plan::parse`] accept the plan JSON Terraform has written since 0.12 (`format_version`
//! `0.1`, `0.2` and every `1.x`) and reject, with a message saying what to do, what is not a plan: truncated
//! JSON (with line and column), a state file (raw `terraform.tfstate` or `terraform show -json` of a state),
//! a format version infra does not know. Resource changes with an empty `actions` list — which Terraform
//! never writes — are skipped with a [`Plan::warnings`] entry naming them.
//!
//! Values are kept as [`serde_json::Value`]: plan JSON is **not** redacted by Terraform, so whoever prints
//! them must honour the `*_sensitive` masks (the [`crate::diff`] model does).

use crate::terraform::{Block, Body, Config, Expression, File, Format};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Plan format versions infra reads (`1.x` means any minor version of 1).
pub const SUPPORTED_FORMAT_VERSIONS: &str = "0.1, 0.2 and 1.x";

/// A `terraform show -json` plan.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Plan {
    pub format_version: String,
    #[serde(default)]
    pub terraform_version: Option<String>,
    #[serde(default)]
    pub variables: BTreeMap<String, VariableValue>,
    #[serde(default)]
    pub planned_values: Option<Values>,
    #[serde(default)]
    pub resource_drift: Vec<ResourceChange>,
    #[serde(default)]
    pub resource_changes: Vec<ResourceChange>,
    #[serde(default)]
    pub output_changes: BTreeMap<String, Change>,
    #[serde(default)]
    pub prior_state: Option<Value>,
    #[serde(default)]
    pub configuration: Option<Value>,
    #[serde(default)]
    pub errored: bool,
    /// Problems found while reading that did not stop it (e.g. changes with no actions, which were skipped).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// A root variable's value as the plan records it (not redacted — never print it).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct VariableValue {
    #[serde(default)]
    pub value: Value,
}

/// `planned_values`: the resources as they will be after apply.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Values {
    #[serde(default)]
    pub root_module: Module,
    #[serde(default)]
    pub outputs: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Module {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub resources: Vec<ResourceValues>,
    #[serde(default)]
    pub child_modules: Vec<Module>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResourceValues {
    pub address: String,
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    #[serde(default)]
    pub index: Option<Value>,
    #[serde(default)]
    pub values: Value,
    #[serde(default)]
    pub sensitive_values: Value,
}

/// One entry of `resource_changes` (or `resource_drift`).
#[derive(Debug, Clone, Deserialize)]
pub struct ResourceChange {
    pub address: String,
    #[serde(default)]
    pub previous_address: Option<String>,
    #[serde(default)]
    pub module_address: Option<String>,
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    #[serde(default)]
    pub index: Option<Value>,
    #[serde(default)]
    pub deposed: Option<String>,
    pub change: Change,
    #[serde(default)]
    pub action_reason: Option<String>,
}

/// A `change` object: actions and the values before and after, with their unknown and sensitive masks.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Change {
    pub actions: Vec<String>,
    #[serde(default)]
    pub before: Value,
    #[serde(default)]
    pub after: Value,
    #[serde(default)]
    pub after_unknown: Value,
    #[serde(default)]
    pub before_sensitive: Value,
    #[serde(default)]
    pub after_sensitive: Value,
    #[serde(default)]
    pub replace_paths: Vec<Vec<Value>>,
    #[serde(default)]
    pub importing: Option<Importing>,
}

/// `change.importing`: the resource is imported by this plan (Terraform 1.5+), by ID or by identity (1.12+).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Importing {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub identity: Option<Value>,
}

/// Why a plan could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// Reads the plan JSON file at `path`.
    pub fn read(path: &Path) -> Result<Plan, PlanError> {
        let text = std::fs::read(path).map_err(|e| PlanError {
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        Plan::parse(&path.display().to_string(), &text)
    }

    /// Parses plan JSON; `name` is how errors name the input.
    pub fn parse(name: &str, text: &[u8]) -> Result<Plan, PlanError> {
        let err = |message: String| PlanError { message };
        // Look at the top level first: what kind of document is this?
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{')
            && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
        {
            return Err(err(format!(
                "{name}: not a Terraform plan: expected a JSON object from `terraform show -json PLANFILE`"
            )));
        }
        let top: Probe = serde_json::from_slice(text).map_err(|e| {
            let what = if e.is_eof() {
                "the JSON ends early (truncated?)"
            } else {
                "not valid JSON"
            };
            err(format!(
                "{name}:{}:{}: {what}: {}; expected the output of `terraform show -json PLANFILE`",
                e.line(),
                e.column(),
                without_position(&e)
            ))
        })?;
        let has = |k: &str| match k {
            "version" => top.version.is_some(),
            "resources" => top.resources.is_some(),
            "lineage" => top.lineage.is_some(),
            "values" => top.values.is_some(),
            "resource_changes" => top.resource_changes.is_some(),
            "planned_values" => top.planned_values.is_some(),
            _ => false,
        };
        if has("version") && has("resources") && (has("lineage") || top.format_version.is_none()) {
            return Err(err(format!(
                "{name}: this is a state file, not a plan: run `terraform show -json PLANFILE` on a saved plan \
                 (`terraform plan -out PLANFILE`)"
            )));
        }
        if has("values") && !has("resource_changes") && !has("planned_values") {
            return Err(err(format!(
                "{name}: this is a state file, not a plan: run `terraform show -json PLANFILE` on a saved plan \
                 (`terraform plan -out PLANFILE`)"
            )));
        }
        let version = match &top.format_version {
            Some(Value::String(v)) => v.clone(),
            _ => {
                return Err(err(format!(
                    "{name}: not a Terraform plan: no \"format_version\"; expected the output of \
                     `terraform show -json PLANFILE`"
                )))
            }
        };
        let major = version.split('.').next().unwrap_or("");
        let supported = match major {
            "1" => true,
            "0" => matches!(version.as_str(), "0.1" | "0.2"),
            _ => false,
        };
        if !supported {
            return Err(err(format!(
                "{name}: unsupported plan format_version {version:?}: infra reads format {SUPPORTED_FORMAT_VERSIONS}"
            )));
        }
        if !has("resource_changes") && !has("planned_values") {
            return Err(err(format!(
                "{name}: not a Terraform plan: it has neither \"resource_changes\" nor \"planned_values\""
            )));
        }
        let mut plan: Plan = serde_json::from_slice(text).map_err(|e| {
            err(format!(
                "{name}:{}:{}: not a valid Terraform plan: {}",
                e.line(),
                e.column(),
                without_position(&e)
            ))
        })?;
        let empty: Vec<String> = plan
            .resource_changes
            .iter()
            .filter(|c| c.change.actions.is_empty())
            .map(|c| c.address.clone())
            .collect();
        if !empty.is_empty() {
            plan.resource_changes.retain(|c| !c.change.actions.is_empty());
            plan.warnings.push(format!(
                "{name}: skipped {} resource change(s) with an empty \"actions\" list (Terraform never writes \
                 one; was the plan edited by hand?): {}",
                empty.len(),
                empty.join(", ")
            ));
        }
        Ok(plan)
    }

    /// Every resource of `planned_values` (root and child modules), with its full address.
    pub fn planned_resources(&self) -> Vec<&ResourceValues> {
        fn walk<'a>(m: &'a Module, out: &mut Vec<&'a ResourceValues>) {
            out.extend(m.resources.iter());
            for c in &m.child_modules {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        if let Some(v) = &self.planned_values {
            walk(&v.root_module, &mut out);
        }
        out
    }

    /// The planned values as a Terraform configuration, for rules written against configurations
    /// (`infra check --plan`): each resource instance of `planned_values` becomes a `resource`/`data` block
    /// whose attributes are literal values. Nested blocks are recognised through the vendored azurerm schema
    /// (lists of objects under a block type the schema declares); for other providers object values stay
    /// attributes.
    ///
    /// Root-module resources go into a file named `planned.tf.json`; resources of child modules into one file
    /// per module named by the module address (`module.network`). Instances of a `count`/`for_each` resource
    /// are separate blocks with the same labels, in plan order; [`Plan::planned_resources`] has their full
    /// addresses. Values the plan marks sensitive are replaced by `null`: a configuration built from a plan
    /// never carries secrets.
    pub fn planned_config(&self) -> Config {
        let mut files: Vec<File> = Vec::new();
        for r in self.planned_resources() {
            let module = crate::terraform::Address::parse(&r.address).and_then(|a| a.module);
            let file_name = module.clone().unwrap_or_else(|| "planned.tf.json".to_string());
            let schema = crate::azurerm::resource_schema(&r.resource_type);
            let kind = if r.mode == "data" { "data" } else { "resource" };
            let mut block = Block::new(kind).label(&r.resource_type).label(&r.name);
            block.body = json_body(&r.values, &r.sensitive_values, schema);
            match files.iter_mut().find(|f| f.name == file_name) {
                Some(f) => f.body.push_block(block),
                None => {
                    let mut body = Body::default();
                    body.push_block(block);
                    files.push(File {
                        name: file_name,
                        format: Format::Json,
                        header: Vec::new(),
                        body,
                    })
                }
            }
        }
        Config { files }
    }
}

/// serde_json's message without its " at line L column C" (infra puts the position first, as file:line:col).
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The top-level keys that tell a plan from a state file, read without keeping their (possibly huge) values.
#[derive(Deserialize)]
struct Probe {
    format_version: Option<Value>,
    version: Option<serde::de::IgnoredAny>,
    resources: Option<serde::de::IgnoredAny>,
    lineage: Option<serde::de::IgnoredAny>,
    values: Option<serde::de::IgnoredAny>,
    resource_changes: Option<serde::de::IgnoredAny>,
    planned_values: Option<serde::de::IgnoredAny>,
}

fn json_body(values: &Value, sensitive: &Value, schema: Option<&crate::azurerm::BlockSchema>) -> Body {
    let mut body = Body::default();
    let Value::Object(map) = values else {
        return body;
    };
    for (k, v) in map {
        let mask = sensitive.get(k).unwrap_or(&Value::Null);
        if let (Some(nested), Value::Array(items)) = (schema.and_then(|s| s.block_types.get(k)), v) {
            for (i, item) in items.iter().enumerate() {
                let item_mask = if mask == &Value::Bool(true) {
                    &Value::Bool(true)
                } else {
                    mask.get(i).unwrap_or(&Value::Null)
                };
                let mut b = Block::new(k.clone());
                b.body = if item_mask == &Value::Bool(true) {
                    Body::default()
                } else {
                    json_body(item, item_mask, Some(&nested.block))
                };
                body.push_block(b);
            }
            continue;
        }
        if v.is_null() && !map.is_empty() {
            continue;
        }
        let value = if crate::diff::tree::mask_has_true(mask) {
            Value::Null
        } else {
            v.clone()
        };
        body.push_attribute(k.clone(), json_to_expression(&value));
    }
    body
}

/// A JSON value as a literal Terraform expression.
pub fn json_to_expression(v: &Value) -> Expression {
    match v {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Expression::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Expression::Number(u.into())
            } else {
                ::hcl::Number::from_f64(n.as_f64().unwrap_or(0.0))
                    .map(Expression::Number)
                    .unwrap_or(Expression::Null)
            }
        }
        Value::String(s) => Expression::String(s.clone()),
        Value::Array(items) => Expression::Array(items.iter().map(json_to_expression).collect()),
        Value::Object(map) => Expression::Object(
            map.iter()
                .map(|(k, v)| (::hcl::ObjectKey::from(k.as_str()), json_to_expression(v)))
                .collect(),
        ),
    }
}
