//! What a rule is: a stable ID, its documentation, and the function that finds violations.

use super::Context;
use crate::terraform::{Location, Schemas};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. `Info` never fails a run: it is a note (e.g. rules that were not applicable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: nothing to fix.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The name as written in settings and output (`high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// A severity from its name (`high`); `None` for another word.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s.to_ascii_lowercase())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource types a rule is about (for the docs and the table), or the apply-time category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Container registry rules (ACRnnn).
    Registry,
    /// Container app rules (APPnnn).
    ContainerApp,
    /// Identity and access rules (IAMnnn).
    Identity,
    /// Container Apps environment rules (ENVnnn).
    Environment,
    /// Storage rules (STGnnn).
    Storage,
    /// Network rules (NETnnn).
    Network,
    /// Key Vault rules (KVnnn).
    KeyVault,
    /// Rules for every resource (GENnnn).
    General,
    /// Not a policy but a prediction: `terraform validate` accepts the configuration, and the provider or Azure
    /// refuses it at plan or apply time (or a refresh fails). `sources` name where each fact comes from (a provider
    /// file at the pinned tag, a Microsoft Learn page, a provider issue); the rule page lists them.
    ApplyTime {
        /// Where each fact the rule relies on comes from.
        sources: &'static [&'static str],
    },
}

impl Category {
    /// The sources of an apply-time rule, `None` for a policy rule.
    pub fn apply_time_sources(self) -> Option<&'static [&'static str]> {
        match self {
            Category::ApplyTime { sources } => Some(sources),
            _ => None,
        }
    }
}

/// Which resources a rule judges (JUnit reports one test case per rule × such resource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resources {
    /// Resources of these types.
    Types(&'static [&'static str]),
    /// Every resource whose type has this argument in its schema (and resources of types without a vendored
    /// schema, which may have it).
    WithArgument(&'static str),
    /// No resource: the rule is about the configuration's comments (in-source suppressions).
    Comments,
}

/// When a rule runs. The runner and every output read this; none of them matches on rule IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnabledWhen {
    Always,
    /// Only for production stacks (`production_stacks` in infra.toml, or `--production`).
    Production,
    /// Only when infra.toml lists `required_tags`.
    RequiredTags,
    /// Only when infra.toml lists `allowed_regions`.
    AllowedRegions,
    /// Only for registries whose `sku` is literally Premium ([`crate::azurerm::facts::sku`]): the features the
    /// rule asks for cannot be turned on below Premium.
    PremiumRegistry,
}

impl EnabledWhen {
    /// Whether the rule runs at all with these settings (a resource-level condition such as
    /// [`EnabledWhen::PremiumRegistry`] runs, and picks its resources in [`super::Context::subjects`]).
    pub(crate) fn runs(self, settings: &super::Settings, production: bool) -> bool {
        match self {
            EnabledWhen::Always | EnabledWhen::PremiumRegistry => true,
            EnabledWhen::Production => production,
            EnabledWhen::RequiredTags => !settings.required_tags.is_empty(),
            EnabledWhen::AllowedRegions => !settings.allowed_regions.is_empty(),
        }
    }

    /// The condition in words, for the docs (`None` for [`EnabledWhen::Always`]).
    #[cfg(test)]
    pub(crate) fn describe(self) -> Option<&'static str> {
        match self {
            EnabledWhen::Always => None,
            EnabledWhen::Production => {
                Some("production stacks only (`production_stacks` in infra.toml, or `--production`)")
            }
            EnabledWhen::RequiredTags => Some("only when infra.toml sets `required_tags`"),
            EnabledWhen::AllowedRegions => Some("only when infra.toml sets `allowed_regions`"),
            EnabledWhen::PremiumRegistry => {
                Some("Premium registries only (`sku = \"Premium\"`); ACR014 notes the others")
            }
        }
    }
}

/// A literal value in rule metadata.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Literal {
    Bool(bool),
    Str(&'static str),
    Int(i64),
}

impl Literal {
    /// The value as JSON (to compare with a provider default).
    pub(crate) fn to_json(self) -> serde_json::Value {
        match self {
            Literal::Bool(b) => b.into(),
            Literal::Str(s) => s.into(),
            Literal::Int(n) => n.into(),
        }
    }

    /// Whether expression `e` is literally this value (a non-literal is not).
    pub(crate) fn matches(self, e: &crate::terraform::Expression) -> bool {
        use crate::terraform::expr;
        match self {
            Literal::Bool(b) => expr::as_bool(e) == Some(b),
            Literal::Str(s) => expr::as_str(e) == Some(s),
            Literal::Int(n) => expr::as_f64(e) == Some(n as f64),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Str(s) => f.write_str(s),
            Literal::Int(n) => write!(f, "{n}"),
        }
    }
}

/// The common rule kind "this argument must not have these values": default-aware, so an argument left out is
/// judged by its provider default ([`crate::azurerm::facts::defaults`]) — the rule never restates the default.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Forbidden {
    /// The argument, dot-separated inside nested blocks (`ingress.allow_insecure_connections`: judged in every
    /// `ingress` block).
    pub attribute: &'static str,
    pub values: &'static [Literal],
    /// The finding when the argument is set to a forbidden value; `{value}` is replaced by the value.
    pub message: &'static str,
    /// The finding when the argument is left out and its provider default is forbidden. Required exactly when
    /// the default is one of `values` (a test checks it against the facts).
    pub unset_message: Option<&'static str>,
}

impl Forbidden {
    /// A violation per subject of `rule` whose argument is literally a forbidden value (at the argument), or is
    /// left out while its provider default is forbidden (at the block). A value that is not a literal is unknown
    /// and passes.
    pub(crate) fn run(&self, rule: &'static Rule, ctx: &Context) -> Vec<Violation> {
        let (blocks, argument) = match self.attribute.rsplit_once('.') {
            Some((blocks, argument)) => (blocks.split('.').collect(), argument),
            None => (Vec::new(), self.attribute),
        };
        let mut out = Vec::new();
        for res in ctx.subjects(rule) {
            let default = crate::azurerm::facts::defaults::default(res.resource_type, self.attribute);
            let default_forbidden = default.is_some_and(|d| self.values.iter().any(|v| v.to_json() == *d));
            let mut holders: Vec<(&crate::terraform::Block, &crate::terraform::Body)> = vec![(res.block, res.body())];
            for kind in &blocks {
                holders = holders
                    .into_iter()
                    .flat_map(|(_, body)| body.blocks_of(kind).map(|b| (b, &b.body)))
                    .collect();
            }
            for (block, body) in holders {
                match body.attribute(argument) {
                    Some(a) => {
                        if let Some(v) = self.values.iter().find(|v| v.matches(&a.value)) {
                            let message = self.message.replace("{value}", &v.to_string());
                            out.push(super::violation(res, Some(a), block, message));
                        }
                    }
                    None if default_forbidden => {
                        if let Some(m) = self.unset_message {
                            out.push(super::violation(res, None, block, m));
                        }
                    }
                    None => {}
                }
            }
        }
        out
    }
}

/// How a rule finds violations.
pub(crate) enum Check {
    /// A [`Forbidden`] table row, run by [`Forbidden::run`].
    Forbidden(Forbidden),
    /// Hand-written: the function finds the violations.
    Custom(fn(&Context) -> Vec<Violation>),
}

/// One policy rule. Each lives in its own file under `rules/`, named by ID and meaning; everything the runner, the
/// outputs and the docs need to know about it is declared here.
pub struct Rule {
    /// Stable ID (`ACR001`); never renumbered or reused.
    pub id: &'static str,
    /// One line: what the rule wants.
    pub title: &'static str,
    /// The default severity (settings can change it).
    pub severity: Severity,
    /// What the rule is about.
    pub category: Category,
    /// The resources the rule judges.
    pub(crate) resources: Resources,
    /// When the rule runs.
    pub(crate) enabled_when: EnabledWhen,
    /// What the rule checks.
    pub description: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// Equivalent checkov check IDs (`CKV_AZURE_137`): a configuration passes ours exactly when it passes theirs, up
    /// to the differences the description names. Sources in `super::equivalents`.
    pub checkov: &'static [&'static str],
    /// Equivalent PSRule for Azure rule names (`Azure.ACR.AdminUser`). Sources in `super::equivalents`.
    pub psrule: &'static [&'static str],
    /// Finds violations.
    pub(crate) check: Check,
}

/// Where a rule's page is, relative to the repository root: `docs/rules/<ID>.md`, generated from the metadata
/// (`INFRA_UPDATE_DOCS=1 cargo test --lib rule_docs`).
pub(crate) const DOCS_DIR: &str = "docs/rules";

impl Rule {
    /// The rule's documentation link, relative to the repository root (`docs/rules/ACR001.md`).
    pub fn help_uri(&self) -> String {
        format!("{DOCS_DIR}/{}.md", self.id)
    }

    /// True when the rule judges resources of this type (JUnit test cases are rule × resource); `schemas` say which
    /// types have the argument of a `Resources::WithArgument` rule (a type with no schema may have it).
    pub fn applies_to(&self, resource_type: &str, schemas: &Schemas) -> bool {
        match self.resources {
            Resources::Types(types) => types.contains(&resource_type),
            Resources::WithArgument(argument) => schemas
                .resource(resource_type)
                .is_none_or(|s| s.attributes.contains_key(argument)),
            Resources::Comments => false,
        }
    }

    /// Finds the violations in `ctx`.
    pub(crate) fn run(&'static self, ctx: &Context) -> Vec<Violation> {
        match &self.check {
            Check::Custom(f) => f(ctx),
            Check::Forbidden(f) => f.run(self, ctx),
        }
    }

    /// `--explain` text.
    pub fn explain(&self) -> String {
        let list = |v: &[&str]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        let kind = match self.category.apply_time_sources() {
            Some(sources) => format!(
                "\n\napply-time: predicts a plan or apply failure\n\nSources\n{}",
                sources
                    .iter()
                    .map(|s| format!("  {}", wrap(s)))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            None => String::new(),
        };
        format!(
            "{id}: {title}\n\nseverity: {sev}{kind}\n\nWhat it checks\n  {what}\n\nWhy\n  {why}\n\nHow to fix\n  {fix}\n\n\
             Equivalents\n  checkov: {ck}\n  PSRule for Azure: {ps}\n\nDocs: {uri}\n",
            id = self.id,
            title = self.title,
            sev = self.severity,
            what = wrap(self.description),
            why = wrap(self.why),
            fix = wrap(self.fix),
            ck = list(self.checkov),
            ps = list(self.psrule),
            uri = self.help_uri(),
        )
    }

    /// Markdown help (SARIF `help.markdown`).
    pub(crate) fn help_markdown(&self) -> String {
        format!(
            "**{}** — {}\n\n**Why:** {}\n\n**Fix:** {}\n\n[Documentation]({})",
            self.id,
            self.description,
            self.why,
            self.fix,
            self.help_uri()
        )
    }
}

/// Word-wraps `text` at 100 columns, continuation lines indented by two spaces (as `--explain` prints them).
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 2;
    for word in text.split_whitespace() {
        if width > 2 && width + 1 + word.chars().count() > 100 {
            out.push_str("\n  ");
            width = 2;
        } else if width > 2 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.chars().count();
    }
    out
}

/// What a rule reports: the resource and the place at fault. The rule's ID and severity are added by the runner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Violation {
    pub address: String,
    pub location: Option<Location>,
    pub message: String,
}

/// The rules tables of docs/check.md (between `<!-- rules:begin -->` and `<!-- rules:end -->`): the policy rules,
/// then the apply-time rules ([`Category::ApplyTime`]), each ID linking to its generated page in `docs/rules/`;
/// `tests/it/check_readme.rs` keeps docs/check.md in sync.
pub fn rules_markdown(rules: &[&Rule]) -> String {
    let (apply, policy): (Vec<&Rule>, Vec<&Rule>) =
        rules.iter().partition(|r| r.category.apply_time_sources().is_some());
    let mut s = rules_table(&policy);
    if !apply.is_empty() {
        s.push_str(
            "\n**Apply-time rules**: what `terraform validate` accepts but the provider or Azure refuses at plan or \
             apply time, each read from the provider's source or Azure's documented limits (sources on each rule's \
             page).\n\n",
        );
        s.push_str(&rules_table(&apply));
    }
    s
}

/// One rules table.
fn rules_table(rules: &[&Rule]) -> String {
    let list = |v: &[&str]| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        }
    };
    let mut s = String::from("| ID | Rule | Severity | checkov | PSRule for Azure |\n|---|---|---|---|---|\n");
    for r in rules {
        s.push_str(&format!(
            "| [{}]({}) | {} | {} | {} | {} |\n",
            r.id,
            // The table is in docs/: links relative to it.
            r.help_uri().strip_prefix("docs/").unwrap_or(&r.help_uri()),
            r.title,
            r.severity,
            list(r.checkov),
            list(r.psrule)
        ));
    }
    s
}
