//! The change model: what a plan does, computed once, rendered by every view.
//!
//! A [`ChangeSet`] is built by [`crate::diff::from_configs`] (two configurations, offline),
//! [`crate::diff::from_plan`] (a `terraform show -json` plan), by `infra drift` (live against declared values), or by
//! anyone else, a change from its values before and after ([`ResourceChange::from_values`]), and rendered with the
//! same views. Data only: every change's structured change (`crate::diff::structured`) is computed by the code that
//! builds the change, never from here.
//!
//! ```
//! use infra::diff::{Action, ChangeSet, ResourceChange, Source};
//! use serde_json::json;
//! let mut set = ChangeSet::new(Source::Drift);
//! set.changes.push(ResourceChange::from_values(
//!     "azurerm_container_registry.main",
//!     Action::Update,
//!     &json!({"name": "acr", "sku": "Premium", "admin_enabled": false}),
//!     &json!({"name": "acr", "sku": "Basic", "admin_enabled": false}),
//!     infra::azurerm::builtin_schemas(),
//! ));
//! let text = infra::diff::text::render(&set, false);
//! assert!(text.contains(r#"~ sku           = "Premium" -> "Basic""#), "{text}");
//! assert!(text.contains("# (1 unchanged attribute hidden)"), "{text}");
//! ```

use serde::Serialize;

/// Where a change set came from; views word their headings accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Predicted offline from two configurations: values are expressions, nothing was evaluated.
    Configuration,
    /// Read from `terraform show -json`.
    Plan,
    /// Live infrastructure compared with what is declared (`infra drift`).
    Drift,
}

/// Every change of one plan, in display order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeSet {
    /// Where the changes come from: two configurations, a plan or drift.
    pub source: Source,
    /// Resources that change (anything but [`Action::NoOp`]).
    pub changes: Vec<ResourceChange>,
    /// Resources that do not change: only counted.
    pub unchanged: usize,
    /// Root module outputs that change.
    pub outputs: Vec<OutputChange>,
    /// Things the reader should know that are not changes (skipped input, unexpanded `count`, …).
    pub warnings: Vec<String>,
    /// `infra drift`: for every resource compared (in sync or not), the declared arguments it did not compare,
    /// by address. Empty for other sources (and then left out of the JSON view).
    pub not_compared: std::collections::BTreeMap<String, Vec<String>>,
    /// For a plan read from Terraform: what Terraform's own text needs beyond the changes (every output's
    /// structured change, shown or not, for alignment). Not in the JSON view.
    #[serde(skip)]
    pub(crate) terraform: Option<PlanText>,
    /// When something is replaced: the dependency graph of the changed resources and the unchanged ones that
    /// connect them (the Markdown view draws it). Not in the JSON view.
    #[serde(skip)]
    pub graph: Option<crate::graph::Graph>,
}

/// See [`ChangeSet::terraform`].
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PlanText {
    /// Every root module output, sorted by name, with its structured change.
    pub outputs: Vec<(String, crate::diff::structured::Diff)>,
    /// The plan stopped at an error (`errored`): Terraform words its heading accordingly.
    pub errored: bool,
    /// Set when some resource type had no provider schema: its layout was inferred from the values. The text
    /// view ends with it.
    pub schema_note: Option<String>,
}

/// For a resource change read from a plan: the plan's change (its values kept as the plan's JSON text, shared
/// with the plan) and the plan facts Terraform's header comment shows. Data only: its structured change
/// ([`crate::diff::structured`]) is computed when shown, by the code that reads plans (`diff::from_plan::body`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ResourceText {
    /// The plan's resource change: its values, and the facts Terraform's header comment shows (`action_reason`,
    /// `index`, `module_address`, `deposed`). Shared with the plan, not copied.
    pub plan: std::sync::Arc<crate::plan::ResourceChange>,
    /// The provider schemas and the plan's secrets, shared by every change of the set.
    pub context: std::sync::Arc<PlanContext>,
    /// Its position among the plan's `resource_changes`: Terraform prints changes in that order.
    pub position: usize,
}

/// What computing a plan change's details needs besides the change: the provider schemas and the plan's
/// secrets. One per change set, shared by its changes; built by [`crate::diff::from_plan_with`].
pub(crate) struct PlanContext {
    pub(crate) schemas: crate::terraform::Schemas,
    /// Every non-empty string (and number) the plan marks sensitive anywhere.
    pub(crate) secrets: std::collections::HashSet<String>,
    /// The configuration's `expressions` of each resource instance whose type no schema describes, by instance
    /// address: what the layout inferred for it reads first (`from_plan/infer.rs`).
    pub(crate) configured: std::collections::HashMap<String, std::sync::Arc<serde_json::Value>>,
}

impl std::fmt::Debug for PlanContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlanContext({} secrets)", self.secrets.len())
    }
}

impl PartialEq for PlanContext {
    fn eq(&self, other: &PlanContext) -> bool {
        std::ptr::eq(self, other) || self.secrets == other.secrets
    }
}

/// What happens to one resource (or data source, or module call), as Terraform would say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// `+`
    Create,
    /// `~`
    Update,
    /// `-/+`, or `+/-` with `create_before_destroy`.
    Replace {
        /// The new object is created before the old one is destroyed.
        create_before_destroy: bool,
    },
    /// `-`
    Delete,
    /// `<=` a data source read during apply.
    Read,
    /// Only the address changes (a `moved` block); nothing is done to the object.
    Move,
    /// Only imported into state (an `import` block); nothing else changes.
    Import,
    /// Removed from state without being destroyed (a `removed` block with `destroy = false`).
    Forget,
    /// Nothing changes (not listed in a change set).
    NoOp,
}

impl Action {
    /// Terraform's symbol, as printed in front of `resource`.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Replace {
                create_before_destroy: false,
            } => "-/+",
            Action::Replace {
                create_before_destroy: true,
            } => "+/-",
            Action::Delete => "-",
            Action::Read => "<=",
            Action::Forget => ".",
            Action::Move | Action::Import | Action::NoOp => "",
        }
    }

    /// A short name for tables and JSON: `create`, `update`, `replace`, `delete`, `read`, `move`, `import`,
    /// `forget`, `no-op`.
    pub fn name(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace { .. } => "replace",
            Action::Delete => "delete",
            Action::Read => "read",
            Action::Move => "move",
            Action::Import => "import",
            Action::Forget => "forget",
            Action::NoOp => "no-op",
        }
    }

    /// Destroys an object (delete or replace).
    pub fn is_destructive(self) -> bool {
        matches!(self, Action::Delete | Action::Replace { .. })
    }
}

/// Why a resource gets its action, beyond the attribute lines themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A change to this argument forces replacement (provider ForceNew, or the plan's `replace_paths`).
    ForcesReplacement {
        /// The argument.
        attribute: String,
    },
    /// This force-new argument refers to `resource`, which is replaced, so its value is known only after
    /// apply and this resource must be replaced too.
    Cascade {
        /// The argument.
        attribute: String,
        /// The replaced resource it refers to.
        resource: String,
    },
    /// An argument refers to `resource`, which is replaced: its value changes at apply, in place.
    DependsOnReplaced {
        /// The argument.
        attribute: String,
        /// The replaced resource it refers to.
        resource: String,
    },
    /// The provider forces replacement for some changes of this argument and not others (provider notes:
    /// `"conditional"`, e.g. a storage account's replication type): predicted as an update, to be confirmed
    /// with `terraform plan`.
    MayForceReplacement {
        /// The argument.
        attribute: String,
    },
    /// The resource is no longer in the configuration (`delete_because_no_resource_config`).
    NotInConfiguration,
    /// A `removed` block removes it.
    RemovedBlock,
    /// The object is tainted (`replace_because_tainted`).
    Tainted,
    /// `-replace=ADDRESS` was given (`replace_by_request`).
    ReplaceByRequest,
    /// Replacement required by the provider (`replace_because_cannot_update`).
    CannotUpdate,
    /// A data source read during apply because it depends on pending changes.
    DependencyPending,
    /// Any other `action_reason` from a plan, verbatim.
    Other {
        /// The reason, as the plan wrote it.
        reason: String,
    },
}

/// One resource's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    /// The address after the change, as Terraform prints it (`module.a.azurerm_x.y["k"]`).
    pub address: String,
    /// The address before a `moved` block moved it.
    pub previous_address: Option<String>,
    /// `resource`, `data` or `module`: the block kind shown in the view.
    pub kind: String,
    /// The resource type (`azurerm_container_registry`), or the module name for a module call.
    pub resource_type: String,
    /// The block name (`main`); the instance key, if any, is in `address` only.
    pub name: String,
    /// What happens to the resource.
    pub action: Action,
    /// Why, beyond the attribute lines.
    pub reasons: Vec<Reason>,
    /// For a change in which nothing changes and that has no structured change (an offline import, a `removed`
    /// block's forget, a data source read again because of pending changes): its attributes, only counted. Any
    /// other change's counts are read off its structured change.
    pub unchanged_attributes: usize,
    /// For such a change: its nested blocks, only counted.
    pub unchanged_blocks: usize,
    /// The import ID, or for identity-based imports (Terraform 1.12+) the identity as JSON text
    /// (starting with `{`), when the resource is imported.
    pub importing: Option<String>,
    /// Notes shown under the header: `count`/`for_each` not expanded, module contents not read, …
    pub notes: Vec<String>,
    /// For a change read from a plan: what Terraform's text shows (see [`ResourceText`]). Not in the JSON view.
    #[serde(skip)]
    pub(crate) terraform: Option<Box<ResourceText>>,
    /// For a change computed offline, by `infra drift` or [`ResourceChange::from_values`]: its structured change
    /// ([`crate::diff::structured`]), which every view reads (a plan's is computed from its values when shown).
    /// Any change's: `diff::from_plan::structured_of`. Not serialised.
    #[serde(skip)]
    pub(crate) structured: Option<Box<crate::diff::structured::Diff>>,
}

impl ResourceChange {
    /// A change with nothing but an address and action; `kind`, `resource_type` and `name` are derived from
    /// the address.
    pub fn new(address: &str, action: Action) -> ResourceChange {
        let (kind, resource_type, name) = split_address(address);
        ResourceChange {
            address: address.to_string(),
            previous_address: None,
            kind,
            resource_type,
            name,
            action,
            reasons: Vec::new(),
            unchanged_attributes: 0,
            unchanged_blocks: 0,
            importing: None,
            notes: Vec::new(),
            terraform: None,
            structured: None,
        }
    }
}

fn split_address(address: &str) -> (String, String, String) {
    match crate::terraform::Address::parse(address) {
        Some(a) => (
            match a.mode {
                crate::terraform::Mode::Managed => "resource",
                crate::terraform::Mode::Data => "data",
            }
            .to_string(),
            a.resource_type,
            a.name,
        ),
        None => match address.strip_prefix("module.") {
            Some(m) => ("module".to_string(), m.to_string(), String::new()),
            None => ("resource".to_string(), address.to_string(), String::new()),
        },
    }
}

/// What happens to an output, or (in the JSON view) to one attribute or nested block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Added.
    Create,
    /// Changed.
    Update,
    /// Removed.
    Delete,
    /// Shown for identification only (`name`, a nested block's key), unchanged.
    Unchanged,
}

impl Change {
    /// The sign Terraform shows (`+`, `~`, `-`).
    pub fn symbol(self) -> &'static str {
        match self {
            Change::Create => "+",
            Change::Update => "~",
            Change::Delete => "-",
            Change::Unchanged => "",
        }
    }
}

/// A value as a view may show it. `Sensitive` carries nothing: the secret never enters the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A known value (JSON: strings, numbers, bools, null, lists, maps).
    Known(serde_json::Value),
    /// An expression kept as written (`azurerm_container_registry.main.id`): offline diffs do not evaluate.
    Expression(String),
    /// Known only after apply.
    Unknown,
    /// Sensitive: `(sensitive value)`.
    Sensitive,
    /// A list known only in part (`[(known after apply)]`: its length is known, some elements are not).
    /// Views that show values element by element use the items; the JSON view serialises it as
    /// `{"unknown": true}`, like any value not fully known before apply.
    PartlyUnknown(Vec<Value>),
    /// A map known only in part (`{ "id" = (known after apply) }`: its keys are known, some values are not),
    /// sorted by key. Serialised like [`Value::PartlyUnknown`].
    PartlyUnknownMap(Vec<(String, Value)>),
}

impl Value {
    /// A known string value.
    pub fn string(s: &str) -> Value {
        Value::Known(serde_json::Value::String(s.to_string()))
    }
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        match self {
            Value::Known(v) => m.serialize_entry("value", v)?,
            Value::Expression(e) => m.serialize_entry("expression", e)?,
            Value::Unknown | Value::PartlyUnknown(_) | Value::PartlyUnknownMap(_) => {
                m.serialize_entry("unknown", &true)?
            }
            Value::Sensitive => m.serialize_entry("sensitive", &true)?,
        }
        m.end()
    }
}

/// A root module output's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputChange {
    /// The output's name.
    pub name: String,
    /// What happens to it.
    pub change: Change,
    /// Its value before (`None`: absent).
    pub before: Option<Value>,
    /// Its value after (`None`: absent).
    pub after: Option<Value>,
}

/// The counts of Terraform's summary line, `Plan: N to add, N to change, N to destroy.`
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Resources imported.
    pub import: usize,
    /// Resources added (replacements count here and in `destroy`).
    pub add: usize,
    /// Resources changed in place.
    pub change: usize,
    /// Resources destroyed.
    pub destroy: usize,
    /// Resources only moved (not in Terraform's line; shown separately). JSON: `move`.
    #[serde(rename = "move")]
    pub move_only: usize,
    /// Resources removed from state without destroying them (`removed` blocks with `destroy = false`).
    pub forget: usize,
    /// Data sources read during apply.
    pub read: usize,
    /// Resources that do not change.
    pub unchanged: usize,
}

impl ChangeSet {
    /// An empty change set from `source`.
    pub fn new(source: Source) -> ChangeSet {
        ChangeSet {
            source,
            changes: Vec::new(),
            unchanged: 0,
            outputs: Vec::new(),
            warnings: Vec::new(),
            not_compared: std::collections::BTreeMap::new(),
            terraform: None,
            graph: None,
        }
    }

    /// Counts as Terraform does: a replacement is one add and one destroy; an import is counted in
    /// `import` and, when it also updates, in `change`.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            unchanged: self.unchanged,
            ..Summary::default()
        };
        for c in &self.changes {
            if c.importing.is_some() {
                s.import += 1;
            }
            match c.action {
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::Replace { .. } => {
                    s.add += 1;
                    s.destroy += 1
                }
                Action::Delete => s.destroy += 1,
                Action::Read => s.read += 1,
                Action::Move => s.move_only += 1,
                Action::Forget => s.forget += 1,
                Action::Import | Action::NoOp => {}
            }
        }
        s
    }

    /// Whether anything changes (what `-detailed-exitcode` returns 2 for): resources or outputs.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty() || self.outputs.iter().any(|o| o.change != Change::Unchanged)
    }

    /// Whether any object is destroyed (deleted or replaced).
    pub fn is_destructive(&self) -> bool {
        self.changes.iter().any(|c| c.action.is_destructive())
    }
}

impl Summary {
    /// `Plan: 1 to import, 2 to add, 0 to change, 1 to destroy.` (the import part only when there are imports).
    pub fn line(&self) -> String {
        let mut s = String::from("Plan: ");
        if self.import > 0 {
            s.push_str(&format!("{} to import, ", self.import));
        }
        s.push_str(&format!(
            "{} to add, {} to change, {} to destroy.",
            self.add, self.change, self.destroy
        ));
        s
    }
}

/// A value as Terraform shows it: `"text"`, `42`, `true`, `["a", "b"]`, `{ k = "v" }`, an expression as
/// written, `(known after apply)`, `(sensitive value)`. On one line, whatever the value holds: what input may not
/// print raw is escaped ([`crate::style::escape`]).
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::Known(j) => json_text(j),
        Value::Expression(e) => crate::style::escape(e).into_owned(),
        Value::Unknown => "(known after apply)".into(),
        Value::Sensitive => "(sensitive value)".into(),
        Value::PartlyUnknown(items) => format!("[{}]", items.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        Value::PartlyUnknownMap(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| {
                    let key = serde_json::Value::String(k.clone()).to_string();
                    format!("{} = {}", crate::style::escape(&key), value_text(v))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A JSON value in Terraform's one-line notation, escaped as [`value_text`] is.
pub(crate) fn json_text(j: &serde_json::Value) -> String {
    match j {
        serde_json::Value::Array(items) => {
            format!("[{}]", items.iter().map(json_text).collect::<Vec<_>>().join(", "))
        }
        serde_json::Value::Object(o) if o.is_empty() => "{}".into(),
        serde_json::Value::Object(o) => format!(
            "{{ {} }}",
            o.iter()
                .map(|(k, v)| {
                    let key = if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        && k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    {
                        k.clone()
                    } else {
                        serde_json::Value::String(k.clone()).to_string()
                    };
                    format!("{} = {}", crate::style::escape(&key), json_text(v))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => crate::style::escape(&other.to_string()).into_owned(),
    }
}
