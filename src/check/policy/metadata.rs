//! METADATA annotations (OPA's `# METADATA` comment blocks in YAML) of the rules that give findings: their
//! `title`, `description` and `custom.severity` (OPA: "Annotations", <https://www.openpolicyagent.org/docs/policy-language#annotations>).

use crate::check::Severity;
use std::collections::HashMap;

/// What a rule's METADATA says, as far as findings use it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuleMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    /// `custom.severity`: overrides the severity of the rule's kind.
    pub severity: Option<Severity>,
}

/// The METADATA of every annotated rule, by `namespace.rule`.
#[derive(Debug, Default)]
pub(crate) struct Annotations {
    rules: HashMap<String, RuleMeta>,
}

impl Annotations {
    /// Reads the METADATA blocks of one policy file of package `package`; a block that is not YAML is ignored
    /// (OPA would reject the file; the rule still runs).
    pub(crate) fn read(&mut self, package: &str, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].trim() != "# METADATA" {
                i += 1;
                continue;
            }
            let mut yaml = String::new();
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('#') {
                let line = lines[i].trim_start().trim_start_matches('#');
                yaml.push_str(line.strip_prefix(' ').unwrap_or(line));
                yaml.push('\n');
                i += 1;
            }
            let Some(rule) = lines
                .get(i)
                .map(|l| rule_name(l))
                .filter(|r| !r.is_empty() && *r != "package")
            else {
                continue;
            };
            if let Some(meta) = parse(&yaml) {
                self.rules.entry(format!("{package}.{rule}")).or_insert(meta);
            }
        }
    }

    /// The METADATA of `namespace.rule` (empty when it has none).
    pub(crate) fn rule(&self, namespace: &str, rule: &str) -> RuleMeta {
        self.rules
            .get(&format!("{namespace}.{rule}"))
            .cloned()
            .unwrap_or_default()
    }
}

/// The rule a line declares: its leading identifier (`deny_x contains msg if {` → `deny_x`).
fn rule_name(line: &str) -> &str {
    let line = line.trim_start();
    let end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    &line[..end]
}

/// The fields of one METADATA block.
fn parse(yaml: &str) -> Option<RuleMeta> {
    let value = regorus::Value::from_yaml_str(yaml).ok()?;
    let text = |v: &regorus::Value| v.as_string().ok().map(|s| s.to_string());
    Some(RuleMeta {
        title: text(&value["title"]),
        description: text(&value["description"]),
        severity: text(&value["custom"]["severity"]).and_then(|s| Severity::parse(&s.to_ascii_lowercase())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_s_metadata_block_gives_its_title_and_severity() {
        let mut a = Annotations::default();
        a.read(
            "main",
            "package main\n\n# METADATA\n# title: No public registries\n# custom:\n#   severity: critical\ndeny_public contains msg if {\n  false\n}\n",
        );
        let meta = a.rule("main", "deny_public");
        assert_eq!(meta.title.as_deref(), Some("No public registries"));
        assert_eq!(meta.severity, Some(Severity::Critical));
        assert_eq!(a.rule("main", "deny"), RuleMeta::default());
    }
}
