//! Reading `terraform show -json PLANFILE` output.
//!
//! [`Plan::read`] / [`Plan::parse`] accept the plan JSON Terraform has written since 0.12 (`format_version`
//! `0.1`, `0.2` and every `1.x`) and reject, with a message saying what to do, what is not a plan: truncated
//! JSON (with line and column), a state file (raw `terraform.tfstate` or `terraform show -json` of a state),
//! a format version infra does not know. Resource changes with an empty `actions` list — which Terraform
//! never writes — are skipped with a [`Plan::warnings`] entry naming them.
//!
//! The big values — each change's `before`, `after` and masks, `planned_values`, `prior_state`,
//! `configuration` — are kept as their JSON text (`RawJson`) and parsed when used, one at a time, so a large
//! plan is held about once in memory, not as a tree of [`serde_json::Value`]s several times its size. Plan
//! JSON is **not** redacted by Terraform, so whoever prints values must honour the `*_sensitive` masks (the
//! [`crate::diff`] model does).

mod raw;
mod read;
pub(crate) mod references;
mod shape;
mod text;

pub(crate) use raw::RawJson;
use raw::{from_json, from_json_bytes, parse_shared, Valid};
use read::{check_shape, shared_list, without_position, Document, Probe};
pub(crate) use text::SharedStr;
use text::SourceText;

use crate::terraform::json::PlannedResource;
use crate::terraform::Config;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Plan format versions infra reads (`1.x` means any minor version of 1).
pub(crate) const SUPPORTED_FORMAT_VERSIONS: &str = "0.1, 0.2 and 1.x";

/// A `terraform show -json` plan.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Plan {
    /// The plan format version (`1.2`).
    pub format_version: String,
    #[serde(default)]
    /// The Terraform version that wrote the plan.
    pub terraform_version: Option<String>,
    #[serde(default)]
    pub(crate) variables: BTreeMap<String, VariableValue>,
    /// `planned_values` ([`Values`]): see [`Plan::planned_values`].
    #[serde(default)]
    pub(crate) planned_values: Option<RawJson>,
    /// Each shared (not copied) by the change model built from the plan.
    #[serde(default, deserialize_with = "shared_list")]
    pub(crate) resource_drift: Vec<Arc<ResourceChange>>,
    #[serde(default, deserialize_with = "shared_list")]
    pub(crate) resource_changes: Vec<Arc<ResourceChange>>,
    #[serde(default)]
    pub(crate) output_changes: BTreeMap<String, Change>,
    #[serde(default)]
    pub(crate) prior_state: Option<RawJson>,
    #[serde(default)]
    pub(crate) configuration: Option<RawJson>,
    #[serde(default)]
    pub(crate) errored: bool,
    /// Problems found while reading that did not stop it (e.g. changes with no actions, which were skipped).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// A root variable's value as the plan records it (not redacted — never print it).
#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct VariableValue {
    #[serde(default)]
    pub value: Value,
}

/// `planned_values`: the resources as they will be after apply.
#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct Values {
    #[serde(default)]
    pub root_module: Module,
    #[allow(
        dead_code,
        reason = "not used, but read: the plan is checked to have it in this shape"
    )]
    #[serde(default)]
    pub outputs: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Deserialize, Default)]
pub(crate) struct Module {
    #[allow(
        dead_code,
        reason = "not used, but read: the plan is checked to have it in this shape"
    )]
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub resources: Vec<ResourceValues>,
    #[serde(default)]
    pub child_modules: Vec<Module>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ResourceValues {
    pub address: String,
    #[serde(default)]
    pub mode: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    #[allow(
        dead_code,
        reason = "not used, but read: the plan is checked to have it in this shape"
    )]
    #[serde(default)]
    pub index: Option<Value>,
    #[serde(default)]
    pub values: Value,
    #[serde(default)]
    pub sensitive_values: Value,
}

/// One entry of `resource_changes` (or `resource_drift`). Its strings are ranges of the plan's text
/// ([`SharedStr`]), not copies.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub(crate) struct ResourceChange {
    pub address: SharedStr,
    /// Boxed, as `deposed` and `action_reason`: most changes have none, and a plan has many changes.
    #[serde(default)]
    pub previous_address: Option<Box<SharedStr>>,
    #[serde(default)]
    pub module_address: Option<SharedStr>,
    #[serde(default)]
    pub mode: SharedStr,
    #[serde(rename = "type")]
    pub resource_type: SharedStr,
    pub name: SharedStr,
    /// The instance key as the plan gives it (`0`, `"a"`), kept as text.
    #[serde(default)]
    pub index: Option<RawJson>,
    #[serde(default)]
    pub deposed: Option<Box<SharedStr>>,
    pub change: Change,
    #[serde(default)]
    pub action_reason: Option<Box<SharedStr>>,
}

impl ResourceChange {
    /// A managed resource's change (not a data source's read).
    pub(crate) fn managed(&self) -> bool {
        self.mode != "data"
    }
}

/// A `change` object: actions and the values before and after, with their unknown and sensitive masks.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
pub(crate) struct Change {
    pub actions: Vec<SharedStr>,
    #[serde(default)]
    pub before: RawJson,
    #[serde(default)]
    pub after: RawJson,
    #[serde(default)]
    pub after_unknown: RawJson,
    #[serde(default)]
    pub before_sensitive: RawJson,
    #[serde(default)]
    pub after_sensitive: RawJson,
    #[serde(default)]
    pub replace_paths: Vec<Vec<Value>>,
    /// Boxed: most changes have none, and a plan has many changes.
    #[serde(default)]
    pub importing: Option<Box<Importing>>,
}

impl Change {
    /// The values kept as text, by name.
    fn raws(&self) -> impl Iterator<Item = (&'static str, &RawJson)> {
        [
            ("before", &self.before),
            ("after", &self.after),
            ("after_unknown", &self.after_unknown),
            ("before_sensitive", &self.before_sensitive),
            ("after_sensitive", &self.after_sensitive),
        ]
        .into_iter()
    }
}

/// `change.importing`: the resource is imported by this plan (Terraform 1.5+), by ID or by identity (1.12+).
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
pub(crate) struct Importing {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub identity: Option<Value>,
}

/// Why a plan could not be read: what kind of problem, the message infra prints (which names the input and,
/// for JSON errors, the line and column), and the underlying error when there is one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct PlanError {
    /// What kind of problem.
    pub kind: PlanErrorKind,
    /// The message infra prints, naming the input.
    pub message: String,
    #[source]
    pub(crate) source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// What kind of input a [`PlanError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanErrorKind {
    /// The file cannot be read.
    Unreadable,
    /// Not JSON, or truncated.
    InvalidJson,
    /// JSON, but not a `terraform show -json` plan.
    NotAPlan,
    /// A state file (raw or shown) instead of a plan.
    StateFile,
    /// A plan `format_version` infra does not read.
    UnsupportedVersion,
}

impl PlanError {
    fn new(kind: PlanErrorKind, message: String) -> PlanError {
        PlanError {
            kind,
            message,
            source: None,
        }
    }

    fn caused_by(mut self, source: impl std::error::Error + Send + Sync + 'static) -> PlanError {
        self.source = Some(Arc::new(source));
        self
    }
}

impl Plan {
    /// Reads the plan JSON file at `path`, or standard input when `path` is `-` (named `<stdin>` in errors).
    ///
    /// A large file is mapped into memory rather than copied (`crate::fsutil::map_bounded`); standard input is
    /// read into memory. Both at most `INFRA_MAX_PLAN_MIB`.
    pub fn read(path: &Path) -> Result<Plan, PlanError> {
        use crate::fsutil::{map_bounded, read_stdin_bounded, FileBytes, PLAN_LIMIT};
        let stdin = path == Path::new("-");
        let name = if stdin {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let bytes = if stdin {
            read_stdin_bounded(PLAN_LIMIT).map(FileBytes::Read)
        } else {
            map_bounded(path, PLAN_LIMIT)
        };
        let bytes = bytes.map_err(|e| {
            PlanError::new(PlanErrorKind::Unreadable, format!("cannot read {name}: {e}"))
                .caused_by(std::io::Error::from(e))
        })?;
        match SourceText::of_file(bytes) {
            // The values are ranges of this one copy of the file (the file itself, when mapped).
            Ok(text) => Plan::parse_shared(&name, Arc::new(text)),
            // Not UTF-8: not a plan, and the JSON reader says where.
            Err(bytes) => Plan::parse(&name, &bytes),
        }
    }

    /// Parses plan JSON; `name` is how errors name the input.
    ///
    /// In steps: what kind of JSON document it is (`check_shape`), its top-level keys (`Probe::read`), that
    /// those make a plan of a format infra reads (`Probe::check`), the plan itself with its values checked
    /// (`Plan::from_document`), and changes with no actions skipped with a warning.
    pub fn parse(name: &str, text: &[u8]) -> Result<Plan, PlanError> {
        match std::str::from_utf8(text) {
            Ok(t) => Plan::parse_shared(name, Arc::new(SourceText::from(t.to_string()))),
            Err(_) => {
                check_shape(name, text)?;
                Plan::parse_document(name, text, from_json_bytes::<Document>(text))
            }
        }
    }

    /// [`Plan::parse`] of UTF-8 text, whose values are kept as ranges of it ([`RawJson`]).
    fn parse_shared(name: &str, text: Arc<SourceText>) -> Result<Plan, PlanError> {
        let bytes = text.as_str().as_bytes();
        if u32::try_from(bytes.len()).is_err() {
            // Its values are ranges of it with offsets of 32 bits (`RawJson`).
            return Err(PlanError::new(
                PlanErrorKind::Unreadable,
                format!(
                    "{name}: the plan is 4 GiB or larger, more than infra reads\nhelp: split the configuration, or \
                     render the plan with `terraform show PLANFILE`"
                ),
            ));
        }
        check_shape(name, bytes)?;
        let document = parse_shared::<Document>(&text);
        Plan::parse_document(name, bytes, document)
    }

    /// The rest of [`Plan::parse`] once the document is read: one pass reads the plan and the keys that tell it
    /// from a state file; only when that fails is the document scanned again, for the error that says what it is.
    /// `check_shape` has accepted `text` by then.
    fn parse_document(name: &str, text: &[u8], document: serde_json::Result<Document>) -> Result<Plan, PlanError> {
        let top = match &document {
            Ok(d) => Probe::of(d),
            Err(_) => Probe::read(name, text)?,
        };
        top.check(name)?;
        let mut plan = Plan::from_document(name, document)?;
        plan.skip_empty_actions(name);
        Ok(plan)
    }

    /// The plan of a `document` that `Probe::check` accepted: its `planned_values` shape and every value kept as
    /// text checked.
    fn from_document(name: &str, document: serde_json::Result<Document>) -> Result<Plan, PlanError> {
        use PlanErrorKind::NotAPlan;
        let plan = document.map(Document::plan).map_err(|e| {
            PlanError::new(
                NotAPlan,
                format!(
                    "{name}:{}:{}: not a valid Terraform plan: {}",
                    e.line(),
                    e.column(),
                    without_position(&e)
                ),
            )
            .caused_by(e)
        })?;
        if let Some(raw) = &plan.planned_values {
            // Its shape is checked now, without keeping its values (they are read when used).
            from_json::<shape::Values>(raw.text()).map_err(|e| {
                PlanError::new(
                    NotAPlan,
                    format!(
                        "{name}: not a valid Terraform plan: in \"planned_values\": {}",
                        without_position(&e)
                    ),
                )
                .caused_by(e)
            })?;
        }
        plan.validate_values().map_err(|(path, e)| {
            PlanError::new(
                NotAPlan,
                format!(
                    "{name}: not a valid Terraform plan: at {path}: {}\nhelp: a plan's values are JSON numbers \
                     that fit a 64-bit float and strings of Unicode text (no lone surrogate escapes)",
                    without_position(&e)
                ),
            )
            .caused_by(e)
        })?;
        Ok(plan)
    }

    /// Drops resource changes with an empty `actions` list (Terraform never writes one), with a warning.
    fn skip_empty_actions(&mut self, name: &str) {
        let empty: Vec<String> = self
            .resource_changes
            .iter()
            .filter(|c| c.change.actions.is_empty())
            .map(|c| c.address.to_string())
            .collect();
        if !empty.is_empty() {
            self.resource_changes.retain(|c| !c.change.actions.is_empty());
            self.warnings.push(format!(
                "{name}: skipped {} resource change(s) with an empty \"actions\" list (Terraform never writes \
                 one; was the plan edited by hand?): {}",
                empty.len(),
                empty.join(", ")
            ));
        }
    }

    /// Checks that every value kept as text is a JSON value ([`RawJson::value`] reads it later): the error names
    /// where (`resource_changes[3].change.after`).
    fn validate_values(&self) -> Result<(), (String, serde_json::Error)> {
        // The path is written only for the value that fails: a plan has hundreds of thousands of values.
        let check = |raw: &RawJson, path: &dyn Fn() -> String| from_json::<Valid>(raw.text()).map_err(|e| (path(), e));
        for (list, changes) in [
            ("resource_drift", &self.resource_drift),
            ("resource_changes", &self.resource_changes),
        ] {
            for (i, c) in changes.iter().enumerate() {
                for (k, r) in c.change.raws() {
                    check(r, &|| format!("{list}[{i}].change.{k}"))?;
                }
            }
        }
        for (name, c) in &self.output_changes {
            for (k, r) in c.raws() {
                check(r, &|| format!("output_changes.{name}.{k}"))?;
            }
        }
        let tops = [
            ("planned_values", &self.planned_values),
            ("prior_state", &self.prior_state),
            ("configuration", &self.configuration),
        ];
        for (k, raw) in tops {
            if let Some(r) = raw {
                check(r, &|| k.to_string())?;
            }
        }
        Ok(())
    }

    /// `planned_values`, parsed now.
    pub(crate) fn planned_values(&self) -> Option<Values> {
        let raw = self.planned_values.as_ref()?;
        // Read with the plan's own types when the plan was parsed; a shape they do not accept is no values.
        from_json(raw.text()).ok()
    }

    /// Every resource of `planned_values` (root and child modules), with its full address.
    pub(crate) fn planned_resources(&self) -> Vec<ResourceValues> {
        fn walk(m: Module, out: &mut Vec<ResourceValues>) {
            out.extend(m.resources);
            for c in m.child_modules {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        if let Some(v) = self.planned_values() {
            walk(v.root_module, &mut out);
        }
        out
    }

    /// The planned values as a Terraform configuration, for rules written against configurations: see
    /// `crate::terraform::json::planned_config` (root-module resources in
    /// `PLANNED_FILE`, literal values only, sensitive values `null`).
    /// `Plan::planned_resources` has the instances' full addresses, in the same order. Nested blocks by the
    /// built-in schemas ([`crate::azurerm::builtin_schemas`]).
    pub fn planned_config(&self) -> Config {
        crate::terraform::json::planned_config(
            self.planned_resources().iter().map(ResourceValues::planned),
            crate::azurerm::builtin_schemas(),
        )
    }
}

impl ResourceValues {
    /// This resource as the JSON → body conversion takes it (no location, no unknown values).
    pub(crate) fn planned(&self) -> PlannedResource<'_> {
        PlannedResource {
            address: &self.address,
            mode: &self.mode,
            resource_type: &self.resource_type,
            name: &self.name,
            values: &self.values,
            sensitive_values: &self.sensitive_values,
            after_unknown: None,
            location: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &[u8] = br#"{"format_version": "1.2",
      "resource_changes": [{"address": "a.b", "mode": "managed", "type": "a", "name": "b",
        "change": {"actions": ["update"], "before": {"k": "old", "s": "hush"}, "after": {"k": "new", "s": "hush"},
                   "after_unknown": {}, "before_sensitive": {"s": true}, "after_sensitive": {"s": true}}}],
      "planned_values": {"root_module": {"resources": [
        {"address": "a.b", "mode": "managed", "type": "a", "name": "b", "values": {"k": "new"}}]}}}"#;

    #[test]
    fn values_are_kept_as_text_and_parsed_when_used() {
        let plan = Plan::parse("p", PLAN).unwrap();
        let c = &plan.resource_changes[0].change;
        assert_eq!(c.before.text(), r#"{"k": "old", "s": "hush"}"#);
        assert_eq!(c.after.value()["k"], "new");
        assert!(!c.before.is_null() && RawJson::default().is_null());
        // Debug output never shows a value (it may be a secret).
        assert!(!format!("{plan:?}").contains("hush"));
        assert_eq!(plan.planned_resources()[0].values["k"], "new");
    }

    #[test]
    fn every_value_is_a_range_of_the_one_copy_of_the_plan_text() {
        let plan = Plan::parse("p", PLAN).unwrap();
        let c = &plan.resource_changes[0].change;
        let planned = plan.planned_values.as_ref().unwrap();
        for raw in [
            &c.after,
            &c.after_unknown,
            &c.before_sensitive,
            &c.after_sensitive,
            planned,
        ] {
            assert!(raw.shares_text_with(&c.before), "{raw:?} is a copy");
        }
        assert_eq!(c.after.text(), r#"{"k": "new", "s": "hush"}"#);
        // A value made otherwise (the default `null`) is its own text.
        assert!(!RawJson::default().shares_text_with(&c.before));
    }

    #[test]
    fn a_large_plan_file_is_read_through_a_map_its_strings_and_values_ranges_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        // The plan padded with spaces past the size from which files are mapped.
        let mut text = PLAN.to_vec();
        text.resize(crate::fsutil::MAP_AT as usize + 1, b' ');
        std::fs::write(&path, &text).unwrap();
        let plan = Plan::read(&path).unwrap();
        let rc = &plan.resource_changes[0];
        assert!(rc.change.before.text_is_mapped());
        assert_eq!(rc.change.after.value()["k"], "new");
        assert_eq!((rc.address.as_str(), rc.mode.as_str()), ("a.b", "managed"));
        assert!(rc.address.is_range() && rc.change.actions[0].is_range());
        assert_eq!(plan.resource_changes, Plan::parse("p", &text).unwrap().resource_changes);
        // Not UTF-8 (a byte in the padding): the error says where, as for a plan read into memory.
        *text.last_mut().unwrap() = 0xff;
        std::fs::write(&path, &text).unwrap();
        let e = Plan::read(&path).unwrap_err();
        assert_eq!(e.kind, PlanErrorKind::InvalidJson);
        assert!(e.message.contains("plan.json:6:"), "{}", e.message);
    }

    #[test]
    fn strings_with_escapes_are_copies_the_others_ranges_of_the_text() {
        let text = String::from_utf8(PLAN.to_vec())
            .unwrap()
            .replace(r#""address": "a.b""#, r#""address": "a.\u0062""#);
        let plan = Plan::parse("p", text.as_bytes()).unwrap();
        let rc = &plan.resource_changes[0];
        assert_eq!(rc.address, "a.b");
        assert!(!rc.address.is_range() && rc.resource_type.is_range());
    }

    #[test]
    fn planned_values_of_the_wrong_shape_are_an_error() {
        let text = String::from_utf8(PLAN.to_vec()).unwrap().replace(
            r#""type": "a", "name": "b", "values""#,
            r#""type": 1, "name": "b", "values""#,
        );
        let e = Plan::parse("p.json", text.as_bytes()).unwrap_err();
        assert_eq!(e.kind, PlanErrorKind::NotAPlan);
        assert!(
            e.message
                .starts_with("p.json: not a valid Terraform plan: in \"planned_values\": invalid type"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_shown_state_read_in_one_pass_is_still_told_apart() {
        let e = Plan::parse("s.json", br#"{"format_version": "1.0", "values": {"root_module": {}}}"#).unwrap_err();
        assert_eq!(e.kind, PlanErrorKind::StateFile);
    }
}
