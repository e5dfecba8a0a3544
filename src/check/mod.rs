//! `infra check`: policy rules over a Terraform document — our rendered stacks or any hand-written Terraform.
//!
//! Each rule is one file under [`rules`] with a stable ID (ACRnnn registry, APPnnn container app, IAMnnn identity
//! and access, ENVnnn environment, STGnnn storage, GENnnn everything; APPLYnnn the apply-time rules, which predict a plan or apply
//! failure rather than judge a policy: [`Category::ApplyTime`]). [`check`] runs the enabled rules, applies
//! the settings (severity overrides, waivers) and returns a [`Report`]; [`output`] renders it as text, JSON, SARIF
//! or JUnit XML.
//!
//! Rules work on what the configuration *says*: literals are judged, references are followed through the document
//! to the resource instances they name (`references`: one resolver for every cross-resource rule), and values that cannot be known without evaluating (variables, function
//! calls) are not violations unless the rule is about the reference itself.

pub(crate) mod azapi;
pub(crate) mod baseline;
#[cfg(test)]
mod docs;
pub(crate) mod equivalents;
pub(crate) mod inline;
pub mod output;
pub(crate) mod plan;
pub(crate) mod policy;
mod references;
mod rule;
pub mod rules;
mod settings;
pub(crate) mod upgrade;

#[cfg(test)]
pub(crate) use rule::DOCS_DIR;
pub use rule::{rules_markdown, Category, Rule, Severity};
pub(crate) use rule::{Check, EnabledWhen, Forbidden, Literal, Resources, Violation};
pub(crate) use settings::normalize_region as settings_normalize_region;
pub use settings::{Date, RuleSettings, Settings, SettingsError, Waiver};

pub use plan::planned_config;

use crate::terraform::{expr, Attribute, Block, Body, Config, Location, Mode, Resource};

/// What one rule run sees: the configuration, its resources, the settings and whether it is production.
pub(crate) struct Context<'a> {
    pub config: &'a Config,
    pub settings: &'a Settings,
    /// Production rules (minimum replicas) apply.
    pub production: bool,
    resources: Vec<Resource<'a>>,
    /// The in-source suppression comments of the configuration's files, read once when first asked for.
    inline: std::sync::OnceLock<Vec<inline::Inline>>,
    /// Where each resource block's instances are in `resources`, built once when first asked for: following a
    /// reference is a lookup, not a scan of every resource (12,000 resources × every reference).
    index: std::sync::OnceLock<Index<'a>>,
}

/// The key of a block in [`Index::blocks`]: `managed|type|name|module`.
fn block_key(mode: Mode, declared_type: &str, name: &str, module: Option<&str>) -> String {
    let mode = match mode {
        Mode::Managed => "managed",
        Mode::Data => "data",
    };
    format!("{mode}|{declared_type}|{name}|{}", module.unwrap_or_default())
}

/// [`Context::resources`] by the block a reference names, and by address.
#[derive(Default)]
struct Index<'a> {
    /// [`block_key`] (mode, declared type, name, module) → the block's instances, in file order.
    blocks: std::collections::HashMap<String, Vec<usize>>,
    /// The address as Terraform prints it (module path and key included) → the resources with it.
    addresses: std::collections::HashMap<String, Vec<usize>>,
    /// `dir|name` → the value of `local.name` declared in the files of directory `dir`.
    locals: std::collections::HashMap<String, &'a crate::terraform::Expression>,
    /// `dir|name` → the `module "name"` call block declared in the files of directory `dir`.
    calls: std::collections::HashMap<String, &'a Block>,
    /// A module instance (`""`: the root) → the directory of its files (that of its resources).
    dirs: std::collections::HashMap<String, &'a str>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(config: &'a Config, settings: &'a Settings, production: bool) -> Self {
        Context {
            config,
            settings,
            production,
            resources: config.resources(),
            inline: std::sync::OnceLock::new(),
            index: std::sync::OnceLock::new(),
        }
    }

    fn index(&self) -> &Index<'a> {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (i, r) in self.resources.iter().enumerate() {
                let declared = r.declared_as.unwrap_or(r.resource_type);
                index
                    .blocks
                    .entry(block_key(r.mode, declared, r.name, r.module))
                    .or_default()
                    .push(i);
                index.addresses.entry(r.address().to_string()).or_default().push(i);
                index
                    .dirs
                    .entry(r.module.unwrap_or_default().to_string())
                    .or_insert_with(|| crate::terraform::parent_dir(r.file));
            }
            for f in &self.config.files {
                for b in f.body.blocks().filter(|b| b.kind == "module") {
                    if let Some(name) = b.labels.first() {
                        index
                            .calls
                            .entry(format!("{}|{name}", crate::terraform::parent_dir(&f.name)))
                            .or_insert(b);
                    }
                }
                for b in f.body.blocks().filter(|b| b.kind == "locals") {
                    for a in b.body.attributes() {
                        index
                            .locals
                            .entry(format!("{}|{}", crate::terraform::parent_dir(&f.name), a.name))
                            .or_insert(&a.value);
                    }
                }
            }
            index
        })
    }

    /// The instances of the block `mode` `declared_type`.`name` in `module` (the root: `None`), in file order.
    pub(crate) fn instances_of<'s>(
        &'s self,
        mode: Mode,
        declared_type: &str,
        name: &str,
        module: Option<&str>,
    ) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        let key = block_key(mode, declared_type, name, module);
        self.index()
            .blocks
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&i| &self.resources[i])
    }

    /// The value of `local.name` in module instance `module` (the root: `None`), as the evaluator left it (a
    /// literal when known, else as written); `None` when the module has no resources to place its files by.
    pub(crate) fn local_value(&self, module: Option<&str>, name: &str) -> Option<&'a crate::terraform::Expression> {
        let index = self.index();
        let dir = index.dirs.get(module.unwrap_or_default())?;
        index.locals.get(&format!("{dir}|{name}")).copied()
    }

    /// The `module "name"` block declared in module instance `module` (the root: `None`).
    pub(crate) fn module_call(&self, module: Option<&str>, name: &str) -> Option<&'a Block> {
        let index = self.index();
        let dir = index.dirs.get(module.unwrap_or_default())?;
        index.calls.get(&format!("{dir}|{name}")).copied()
    }

    /// The resources whose address, as Terraform prints it, is `address`.
    pub(crate) fn at_address<'s>(&'s self, address: &str) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.index()
            .addresses
            .get(address)
            .into_iter()
            .flatten()
            .map(|&i| &self.resources[i])
    }

    /// The in-source suppressions written in the configuration's files ([`inline::scan`]), read once.
    pub(crate) fn inline(&self) -> &[inline::Inline] {
        self.inline.get_or_init(|| inline::scan(self.config))
    }

    /// Managed resources of one type, in file order.
    pub(crate) fn resources_of<'s>(&'s self, resource_type: &'s str) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.resources
            .iter()
            .filter(move |r| r.mode == Mode::Managed && r.resource_type == resource_type)
    }

    /// The managed resources `rule` judges: of its [`Resources`], and for [`EnabledWhen::PremiumRegistry`] only
    /// registries whose SKU is literally Premium.
    pub(crate) fn subjects<'s>(&'s self, rule: &'static Rule) -> impl Iterator<Item = &'s Resource<'a>> + 's {
        self.managed().filter(move |r| {
            rule.applies_to(r.resource_type, &self.settings.schemas)
                && (rule.enabled_when != EnabledWhen::PremiumRegistry
                    || r.get("sku")
                        .and_then(expr::as_str)
                        .is_some_and(crate::azurerm::facts::sku::is_premium))
        })
    }

    /// Every managed resource.
    pub(crate) fn managed(&self) -> impl Iterator<Item = &Resource<'a>> {
        self.resources.iter().filter(|r| r.mode == Mode::Managed)
    }
}

/// A violation at `block`'s location, or at `attribute`'s when there is one.
pub(crate) fn violation(
    res: &Resource,
    attribute: Option<&Attribute>,
    block: &Block,
    message: impl Into<String>,
) -> Violation {
    Violation {
        address: res.address().to_string(),
        location: attribute
            .and_then(|a| a.location.clone())
            .or_else(|| block.location.clone())
            .or_else(|| res.block.location.clone()),
        message: message.into(),
    }
}

/// The literal string value of attribute `name`.
pub(crate) fn str_attr<'b>(body: &'b Body, name: &str) -> Option<&'b str> {
    body.get(name).and_then(expr::as_str)
}

/// The literal number value of attribute `name`.
pub(crate) fn num_attr(body: &Body, name: &str) -> Option<f64> {
    body.get(name).and_then(expr::as_f64)
}

/// A waiver (`infra.toml`) or an in-source suppression (a comment, see `inline`) that applied to a finding.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Suppression {
    /// Why the finding is suppressed, as the user wrote it.
    pub reason: String,
    /// The last day it applies (`YYYY-MM-DD`); an in-source suppression without `until=` has none.
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "SuppressionKind::is_waiver")]
    /// Where the suppression comes from.
    pub kind: SuppressionKind,
    /// Where an in-source suppression is written (`file:line`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Where a [`Suppression`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuppressionKind {
    /// A waiver in `infra.toml`.
    Waiver,
    /// A comment in the Terraform source: `# infra:ignore[ID] reason` or `#checkov:skip=CKV_…:reason`.
    InSource,
}

impl SuppressionKind {
    fn is_waiver(&self) -> bool {
        *self == SuppressionKind::Waiver
    }
}

/// One finding: a rule violated by a resource, at a place.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's ID (`ACR001`).
    pub rule: &'static str,
    /// The rule's title.
    pub title: &'static str,
    /// The severity, after the settings' overrides.
    pub severity: Severity,
    /// The stack the finding is in, when checking stacks.
    pub stack: Option<String>,
    /// The resource's address (`azurerm_container_registry.main`).
    pub address: String,
    /// Where the resource (or the argument at fault) is written.
    pub location: Option<Location>,
    /// What is wrong, for this resource.
    pub message: String,
    /// The waiver that suppresses it.
    pub suppression: Option<Suppression>,
    /// A waiver that matched but has expired (so the finding is not suppressed).
    pub(crate) expired_waiver: Option<Suppression>,
    /// Against a baseline (`--baseline`): new, or unchanged (known, does not fail the run).
    pub(crate) baseline: Option<baseline::State>,
}

impl Finding {
    /// True when the finding fails the run at `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.suppression.is_none()
            && self.baseline != Some(baseline::State::Unchanged)
            && self.severity != Severity::Info
            && self.severity >= threshold
    }
}

/// The result of a check run.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Every finding, suppressed ones included (see [`Finding::suppression`]).
    pub findings: Vec<Finding>,
    /// The failure threshold.
    pub fail_on: Severity,
    /// How many resources were checked.
    pub resources: usize,
    /// How many files were read.
    pub files: usize,
    /// Every managed resource checked: (stack, address, type). JUnit reports a test case per rule × resource.
    pub(crate) checked: Vec<Checked>,
    /// The rules that ran, per stack: enabled, and their [`EnabledWhen`] holds (e.g. `required_tags` set, a
    /// production stack).
    pub(crate) ran: Vec<(Option<String>, &'static str)>,
    /// Files that could not be read (a parse error): not checked, reported as tool errors (exit 2), while the
    /// files that could be read are checked.
    pub(crate) unread: Vec<Unread>,
    /// Rule inputs whose value is not known before apply (see [`unknown_inputs`]): rules treated them as "not a
    /// violation".
    pub(crate) unknown: Vec<crate::terraform::eval::Unknown>,
    /// Module calls (module instance address, where the call is written): a finding in a module is reached
    /// through the calls whose addresses prefix its own (SARIF `relatedLocations`).
    pub(crate) module_calls: Vec<(String, Location)>,
    /// What the reader should know about what was not judged: resources written for azurerm 3.x with an
    /// argument 4.x has no form for, resource blocks with no instances.
    pub(crate) notices: Vec<Notice>,
    /// Baseline entries no finding matched: fixed since the baseline was written ([`baseline`]).
    pub(crate) fixed: Vec<baseline::Entry>,
    /// A baseline was applied (`--baseline`): the outputs report new / unchanged / fixed.
    pub(crate) baseline_applied: bool,
    /// The policy rules (`--policy`) that gave findings, described for the outputs.
    pub(crate) policy_rules: Vec<policy::findings::PolicyRule>,
}

impl Report {
    /// The module calls leading to `address`, outermost first.
    pub(crate) fn call_chain(&self, address: &str) -> Vec<&(String, Location)> {
        let mut chain: Vec<&(String, Location)> = self
            .module_calls
            .iter()
            .filter(|(m, _)| {
                address.len() > m.len() && address.starts_with(m.as_str()) && address[m.len()..].starts_with('.')
            })
            .collect();
        chain.sort_by_key(|(m, _)| m.len());
        chain
    }

    /// Every secret string of `sensitive` replaced by `(sensitive value)` in what the report prints (findings'
    /// messages and addresses, unknown inputs, unread files): rules judged the real values, no output shows them.
    pub(crate) fn scrub(&mut self, sensitive: &crate::terraform::eval::Sensitive) {
        if sensitive.is_empty() {
            return;
        }
        for f in &mut self.findings {
            f.message = sensitive.scrub(&f.message).into_owned();
            f.address = sensitive.scrub(&f.address).into_owned();
        }
        for c in &mut self.checked {
            c.address = sensitive.scrub(&c.address).into_owned();
        }
        for u in &mut self.unknown {
            u.address = sensitive.scrub(&u.address).into_owned();
            u.expression = sensitive.scrub(&u.expression).into_owned();
        }
        for u in &mut self.unread {
            u.message = sensitive.scrub(&u.message).into_owned();
        }
        for n in &mut self.notices {
            n.message = sensitive.scrub(&n.message).into_owned();
            n.address = n.address.as_deref().map(|a| sensitive.scrub(a).into_owned());
        }
        for (m, _) in &mut self.module_calls {
            *m = sensitive.scrub(m).into_owned();
        }
    }
}

/// The unknown attributes that count as unknown rule inputs: all but plain references to another resource's or
/// module's attribute (`azurerm_resource_group.main.name`), which rules follow through the document rather than
/// judge as values.
pub(crate) fn unknown_inputs(unknown: Vec<crate::terraform::eval::Unknown>) -> Vec<crate::terraform::eval::Unknown> {
    unknown.into_iter().filter(|u| !u.reference).collect()
}

/// A note about what was not judged, and why (not a finding: it never fails the run).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Notice {
    /// The resource it is about, when it is about one.
    pub address: Option<String>,
    pub location: Option<Location>,
    pub message: String,
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        if let Some(a) = &self.address {
            write!(f, "{a}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unread {
    pub location: Option<Location>,
    pub message: String,
}

impl From<&crate::terraform::ReadError> for Unread {
    fn from(e: &crate::terraform::ReadError) -> Self {
        Unread {
            location: e.location.clone(),
            message: e.message.clone(),
        }
    }
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A resource that was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub stack: Option<String>,
    pub address: String,
    pub resource_type: String,
    /// The IDs of the rules that judge its type ([`Rule::applies_to`], with the run's schemas): one list per
    /// resource type, shared by its resources.
    pub judged_by: std::sync::Arc<[&'static str]>,
}

impl Checked {
    /// The resources of `ctx` that were checked, each with the rules that judge its type (worked out once per type).
    fn all(ctx: &Context, stack: Option<&str>, schemas: &crate::terraform::Schemas) -> Vec<Checked> {
        let mut by_type: std::collections::HashMap<&str, std::sync::Arc<[&'static str]>> =
            std::collections::HashMap::new();
        ctx.managed()
            .map(|r| {
                let judged_by = by_type.entry(r.resource_type).or_insert_with(|| {
                    rules::ALL
                        .iter()
                        .filter(|rule| rule.applies_to(r.resource_type, schemas))
                        .map(|rule| rule.id)
                        .collect()
                });
                Checked {
                    stack: stack.map(str::to_string),
                    address: r.address().to_string(),
                    resource_type: r.resource_type.to_string(),
                    judged_by: judged_by.clone(),
                }
            })
            .collect()
    }
}

impl Report {
    pub(crate) fn empty(fail_on: Severity) -> Self {
        Report {
            findings: Vec::new(),
            fail_on,
            resources: 0,
            files: 0,
            checked: Vec::new(),
            ran: Vec::new(),
            unread: Vec::new(),
            unknown: Vec::new(),
            module_calls: Vec::new(),
            notices: Vec::new(),
            fixed: Vec::new(),
            baseline_applied: false,
            policy_rules: Vec::new(),
        }
    }

    /// True when a finding at or above the threshold is not waived.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.fails(self.fail_on))
    }

    /// Adds another report's findings (several stacks → one report).
    pub(crate) fn merge(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.resources += other.resources;
        self.files += other.files;
        self.checked.extend(other.checked);
        self.ran.extend(other.ran);
        self.unread.extend(other.unread);
        self.unknown.extend(other.unknown);
        self.module_calls.extend(other.module_calls);
        self.notices.extend(other.notices);
        for r in other.policy_rules {
            if !self.policy_rules.iter().any(|p| p.id == r.id) {
                self.policy_rules.push(r);
            }
        }
        self.sort();
    }

    pub(crate) fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.stack, &a.address, std::cmp::Reverse(a.severity), &a.location, a.rule).cmp(&(
                &b.stack,
                &b.address,
                std::cmp::Reverse(b.severity),
                &b.location,
                b.rule,
            ))
        });
    }
}

/// The rule with this ID (case-insensitive).
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules::ALL.iter().copied().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Runs every enabled rule over `config`. `stack` names the stack (for waivers and output); `production` turns on
/// production-only rules.
pub fn check(config: &Config, settings: &Settings, stack: Option<&str>, production: bool) -> Report {
    check_as(config, settings, stack, stack, production)
}

/// Marks `finding` waived (or its waiver expired) when a waiver of `infra.toml` covers it: built-in rules and
/// policies alike.
pub(crate) fn waive(finding: &mut Finding, settings: &Settings, waiver_name: Option<&str>) {
    if let Some(w) = settings.waiver_for(finding.rule, &finding.address, waiver_name) {
        let s = Suppression {
            reason: w.reason.clone(),
            expires: Some(w.expires.to_string()),
            kind: SuppressionKind::Waiver,
            location: None,
        };
        if w.expires < settings.today {
            finding.expired_waiver = Some(s);
        } else {
            finding.suppression = Some(s);
        }
    }
}

/// [`check`] with the name waivers' `stack` is matched against given separately: for `infra check DIR` the
/// findings have no stack, but a waiver for stack `prod` applies to a directory called `prod`.
pub fn check_as(
    config: &Config,
    settings: &Settings,
    stack: Option<&str>,
    waiver_name: Option<&str>,
    production: bool,
) -> Report {
    let ctx = Context::new(config, settings, production);
    let mut findings = Vec::new();
    let mut ran = Vec::new();
    for rule in rules::ALL {
        let rs = settings.rule(rule.id);
        if !rs.enabled || !rule.enabled_when.runs(settings, production) {
            continue;
        }
        ran.push((stack.map(str::to_string), rule.id));
        let severity = rs.severity.unwrap_or(rule.severity);
        for v in rule.run(&ctx) {
            let mut finding = Finding {
                rule: rule.id,
                title: rule.title,
                severity,
                stack: stack.map(str::to_string),
                address: v.address,
                location: v.location,
                message: v.message,
                suppression: None,
                expired_waiver: None,
                baseline: None,
            };
            waive(&mut finding, settings, waiver_name);
            findings.push(finding);
        }
    }
    inline::apply(&mut findings, config, ctx.inline(), settings.today);
    let mut report = Report {
        findings,
        fail_on: settings.fail_on,
        resources: ctx.managed().count(),
        // A module called several times has its files once per instance in `config`: each file counts once.
        files: config
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        checked: Checked::all(&ctx, stack, &settings.schemas),
        ran,
        unread: Vec::new(),
        unknown: Vec::new(),
        module_calls: Vec::new(),
        notices: Vec::new(),
        fixed: Vec::new(),
        baseline_applied: false,
        policy_rules: Vec::new(),
    };
    report.sort();
    report
}
