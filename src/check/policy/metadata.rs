//! METADATA annotations (OPA's `# METADATA` comment blocks in YAML) of the rules that give findings: their
//! `title`, `description` and `custom.severity` (OPA: "Annotations", <https://www.openpolicyagent.org/docs/policy-language#annotations>).
//!
//! Scopes, as OPA defines them: a block above a rule is the rule's (`scope: rule`); a block above the `package`
//! line is the package's (`scope: package`, the default there) or, with `scope: subpackages`, also every package
//! below it. A rule's own fields win over its package's, a package's over an enclosing `subpackages` block's (the
//! nearest first). Other scopes (`document`) are not read.

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
    /// `scope: package` blocks, by package.
    packages: HashMap<String, RuleMeta>,
    /// `scope: subpackages` blocks, by package (they also apply to the packages below it).
    subpackages: HashMap<String, RuleMeta>,
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
            let Some(rule) = lines.get(i).map(|l| rule_name(l)).filter(|r| !r.is_empty()) else {
                continue;
            };
            let Some((scope, meta)) = parse(&yaml) else {
                continue;
            };
            let map = match (rule, scope.as_deref()) {
                ("package", None | Some("package")) => &mut self.packages,
                ("package", Some("subpackages")) => &mut self.subpackages,
                ("package", _) | (_, Some("document" | "package" | "subpackages")) => continue,
                _ => {
                    self.rules.entry(format!("{package}.{rule}")).or_insert(meta);
                    continue;
                }
            };
            map.entry(package.to_string()).or_insert(meta);
        }
    }

    /// The METADATA of `namespace.rule` (empty when it has none).
    pub(crate) fn rule(&self, namespace: &str, rule: &str) -> RuleMeta {
        let mut meta = self
            .rules
            .get(&format!("{namespace}.{rule}"))
            .cloned()
            .unwrap_or_default();
        if let Some(package) = self.packages.get(namespace) {
            meta.or(package);
        }
        // `subpackages` blocks of the namespace itself, then of each enclosing package, the nearest first.
        let mut scope = Some(namespace);
        while let Some(package) = scope {
            if let Some(outer) = self.subpackages.get(package) {
                meta.or(outer);
            }
            scope = package.rsplit_once('.').map(|(parent, _)| parent);
        }
        meta
    }
}

impl RuleMeta {
    /// Fills the fields `self` does not set from `outer` (a package's or an enclosing package's block).
    fn or(&mut self, outer: &RuleMeta) {
        if self.title.is_none() {
            self.title.clone_from(&outer.title);
        }
        if self.description.is_none() {
            self.description.clone_from(&outer.description);
        }
        if self.severity.is_none() {
            self.severity = outer.severity;
        }
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

/// The `scope` and the fields of one METADATA block.
fn parse(yaml: &str) -> Option<(Option<String>, RuleMeta)> {
    let value = regorus::Value::from_yaml_str(yaml).ok()?;
    let text = |v: &regorus::Value| v.as_string().ok().map(|s| s.to_string());
    let meta = RuleMeta {
        title: text(&value["title"]),
        description: text(&value["description"]),
        severity: text(&value["custom"]["severity"]).and_then(|s| Severity::parse(&s.to_ascii_lowercase())),
    };
    Some((text(&value["scope"]), meta))
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

    #[test]
    fn a_package_s_block_fills_what_its_rules_do_not_say_and_subpackages_reach_below() {
        let mut a = Annotations::default();
        a.read(
            "team",
            "# METADATA\n# scope: subpackages\n# description: Team policies\n# custom:\n#   severity: low\npackage team\n",
        );
        a.read(
            "team.naming",
            "# METADATA\n# title: Naming\n# custom:\n#   severity: medium\npackage team.naming\n\n# METADATA\n# title: Registry names\ndeny_registry contains msg if {\n  false\n}\n",
        );
        let rule = a.rule("team.naming", "deny_registry");
        assert_eq!(
            rule.title.as_deref(),
            Some("Registry names"),
            "the rule's own title wins"
        );
        assert_eq!(
            rule.severity,
            Some(Severity::Medium),
            "the package's severity over the subpackages'"
        );
        assert_eq!(
            rule.description.as_deref(),
            Some("Team policies"),
            "from the enclosing package"
        );
        let other = a.rule("team.naming", "deny_other");
        assert_eq!(other.title.as_deref(), Some("Naming"));
        let elsewhere = a.rule("teams", "deny");
        assert_eq!(elsewhere, RuleMeta::default(), "`teams` is not below `team`");
        let below = a.rule("team.tags.extra", "warn");
        assert_eq!(below.severity, Some(Severity::Low));
    }

    #[test]
    fn a_package_block_without_subpackages_scope_stays_in_its_package() {
        let mut a = Annotations::default();
        a.read("base", "# METADATA\n# custom:\n#   severity: critical\npackage base\n");
        assert_eq!(a.rule("base", "deny").severity, Some(Severity::Critical));
        assert_eq!(a.rule("base.child", "deny").severity, None);
    }
}
