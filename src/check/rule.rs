//! What a rule is: a stable ID, its documentation, and the function that finds violations.

use super::Context;
use crate::terraform::Location;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is. `Info` never fails a run: it is a note (e.g. rules that were not applicable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|v| v.as_str() == s.to_ascii_lowercase())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The resource types a rule is about (for the docs and the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Registry,
    ContainerApp,
    Identity,
    Environment,
    Storage,
    Network,
    General,
}

/// One policy rule. Each lives in its own file under `rules/`, named by ID and meaning.
pub struct Rule {
    /// Stable ID (`ACR001`); never renumbered or reused.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub category: Category,
    /// What the rule checks.
    pub description: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// Equivalent checkov check IDs (`CKV_AZURE_137`).
    pub checkov: &'static [&'static str],
    /// Equivalent PSRule for Azure rule names (`Azure.ACR.AdminUser`).
    pub psrule: &'static [&'static str],
    /// Finds violations.
    pub check: fn(&Context) -> Vec<Violation>,
}

/// Where the README documents rules; a rule's help link is `DOCS_URL#acr001` (the heading of its reference entry).
/// Points at the repository's README on GitHub: change it here if the repository moves.
pub const DOCS_URL: &str = "https://github.com/infra-rs/infra/blob/main/README.md";

impl Rule {
    /// The rule's documentation link.
    pub fn help_uri(&self) -> String {
        format!("{DOCS_URL}#{}", self.id.to_ascii_lowercase())
    }

    /// True when the rule judges resources of this type (JUnit test cases are rule × resource).
    pub fn applies_to(&self, resource_type: &str) -> bool {
        match self.id {
            "ACR012" => resource_type == "azurerm_container_registry_webhook",
            "IAM004" => resource_type == "azurerm_container_app",
            // About comments, not resources.
            "GEN003" => false,
            _ => match self.category {
                Category::Registry => resource_type == "azurerm_container_registry",
                Category::ContainerApp => resource_type == "azurerm_container_app",
                Category::Identity => resource_type == "azurerm_role_assignment",
                Category::Environment => resource_type == "azurerm_container_app_environment",
                Category::Storage => resource_type == "azurerm_storage_account",
                Category::Network => resource_type == "azurerm_private_endpoint",
                Category::General => {
                    let attribute = if self.id == "GEN001" { "tags" } else { "location" };
                    crate::azurerm::resource_schema(resource_type).is_none_or(|s| s.attributes.contains_key(attribute))
                }
            },
        }
    }

    /// `--explain` text.
    pub fn explain(&self) -> String {
        let list = |v: &[&str]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        format!(
            "{id}: {title}\n\nseverity: {sev}\n\nWhat it checks\n  {what}\n\nWhy\n  {why}\n\nHow to fix\n  {fix}\n\n\
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
    pub fn help_markdown(&self) -> String {
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
pub struct Violation {
    pub address: String,
    pub location: Option<Location>,
    pub message: String,
}

/// The rules table and per-rule reference of docs/check.md (between `<!-- rules:begin -->` and
/// `<!-- rules:end -->`), generated from the rules so the docs cannot drift; `tests/it/check_readme.rs` keeps
/// docs/check.md in sync.
pub fn rules_markdown(rules: &[&Rule]) -> String {
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
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            r.id,
            r.id.to_ascii_lowercase(),
            r.title,
            r.severity,
            list(r.checkov),
            list(r.psrule)
        ));
    }
    s.push_str("\n### Rule reference\n");
    for r in rules {
        s.push_str(&format!(
            "\n#### {}\n\n**{}** ({}). {}\n\n*Why:* {}\n\n*Fix:* {}\n",
            r.id, r.title, r.severity, r.description, r.why, r.fix
        ));
    }
    s
}
