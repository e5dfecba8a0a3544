//! The rule reference, generated from the rules' metadata: one page per rule, `docs/rules/<ID>.md` (what, why,
//! where it comes from, how to fix, an example, equivalents), and the README's rules table linking to them.
//!
//! `INFRA_UPDATE_DOCS=1 cargo test --lib check::docs` rewrites the pages; without it the test fails when a
//! committed page differs from what the metadata says.

use super::equivalents::{checkov_opposed, checkov_url, psrule_url};
use super::{Check, EnabledWhen, Literal, Resources, Rule};

/// The files a rule page is made from besides the metadata: the rule's source file (relative to the repository
/// root) and its test fixtures, a failing and a passing configuration.
pub(crate) struct PageInputs<'a> {
    pub source: &'a str,
    pub fail_example: Option<&'a str>,
    pub pass_example: Option<&'a str>,
}

fn code_list(v: &[&str]) -> String {
    v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

fn literal_list(v: &[Literal]) -> String {
    v.iter()
        .map(|l| match l {
            Literal::Str(s) => format!("`\"{s}\"`"),
            l => format!("`{l}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The resource types of a rule, in words.
pub(crate) fn resources_text(rule: &Rule) -> String {
    match rule.resources {
        Resources::Types(types) => code_list(types),
        Resources::WithArgument(a) => format!("every resource type with a `{a}` argument"),
        Resources::Comments => "comments in the configuration (in-source suppressions)".to_string(),
    }
}

/// The page `docs/rules/<ID>.md` of `rule`.
pub(crate) fn rule_page(rule: &Rule, inputs: &PageInputs) -> String {
    let mut s = format!(
        "<!-- Generated from the rule's metadata (src/check/rules/); do not edit. Regenerate with \
         `INFRA_UPDATE_DOCS=1 cargo test --lib check::docs`. -->\n\n# {}: {}\n\n",
        rule.id, rule.title
    );
    s.push_str("| | |\n|---|---|\n");
    s.push_str(&format!("| Severity | {} |\n", rule.severity));
    s.push_str(&format!("| Resources | {} |\n", resources_text(rule)));
    s.push_str(&format!(
        "| Runs | {} |\n",
        rule.enabled_when.describe().unwrap_or("always")
    ));
    if let Check::Forbidden(f) = &rule.check {
        s.push_str(&format!(
            "| Kind | forbidden value: `{}` must not be {} |\n",
            f.attribute,
            literal_list(f.values)
        ));
        if let Resources::Types(types) = rule.resources {
            for t in types {
                let default = crate::azurerm::facts::defaults::default(t, f.attribute)
                    .map(|d| format!("`{d}`"))
                    .unwrap_or_else(|| "none (the argument must be set)".to_string());
                s.push_str(&format!(
                    "| Provider default | {default} (azurerm {}, `{t}`) |\n",
                    crate::azurerm::PROVIDER_VERSION
                ));
            }
        }
    }
    if rule.enabled_when == EnabledWhen::PremiumRegistry {
        s.push_str("| Premium only | yes |\n");
    }
    if rule.category.apply_time_sources().is_some() {
        s.push_str(
            "| Category | apply-time: predicts a plan or apply failure that `terraform validate` does not see |\n",
        );
    }
    s.push_str(&format!("| Source | [`{src}`](../../{src}) |\n", src = inputs.source));
    s.push_str(&format!("\n## What it checks\n\n{}\n", rule.description));
    s.push_str(&format!("\n## Why\n\n{}\n", rule.why));
    s.push_str(&format!("\n## How to fix\n\n{}\n", rule.fix));
    if let Some(sources) = rule.category.apply_time_sources() {
        s.push_str("\n## Sources\n\n");
        for source in sources {
            s.push_str(&format!("- {source}\n"));
        }
    }
    if inputs.fail_example.is_some() || inputs.pass_example.is_some() {
        s.push_str("\n## Example\n");
        if let Some(fail) = inputs.fail_example {
            s.push_str(&format!("\nReported:\n\n```hcl\n{}\n```\n", fail.trim_end()));
        }
        if let Some(pass) = inputs.pass_example {
            s.push_str(&format!("\nNot reported:\n\n```hcl\n{}\n```\n", pass.trim_end()));
        }
    }
    s.push_str("\n## Equivalents\n\n");
    if rule.checkov.is_empty() {
        s.push_str("- checkov: none\n");
    }
    for c in rule.checkov {
        match checkov_url(c) {
            Some(url) => s.push_str(&format!("- checkov: [`{c}`]({url})\n")),
            None => s.push_str(&format!("- checkov: `{c}`\n")),
        }
    }
    for (c, why) in checkov_opposed(rule.id) {
        s.push_str(&format!("- checkov `{c}` asks for the opposite: {why}\n"));
    }
    if rule.psrule.is_empty() {
        s.push_str("- PSRule for Azure: none\n");
    }
    for p in rule.psrule {
        s.push_str(&format!("- PSRule for Azure: [`{p}`]({})\n", psrule_url(p)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// The rule's source file, relative to the repository root.
    fn source_of(rule: &Rule) -> String {
        let prefix = format!("{}_", rule.id.to_ascii_lowercase());
        let dir = root().join("src/check/rules");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&prefix))
            .collect();
        assert_eq!(names.len(), 1, "one source file per rule: {names:?}");
        format!("src/check/rules/{}", names.remove(0))
    }

    fn example(rule: &Rule, kind: &str) -> Option<String> {
        std::fs::read_to_string(root().join(format!("tests/fixtures/check/{}/{kind}/main.tf", rule.id))).ok()
    }

    #[test]
    fn rule_pages_are_generated_from_the_metadata() {
        let dir = root().join(super::super::DOCS_DIR);
        let update = std::env::var_os("INFRA_UPDATE_DOCS").is_some();
        if update {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let mut stale = Vec::new();
        for rule in super::super::rules::ALL {
            let (fail, pass) = (example(rule, "fail"), example(rule, "pass"));
            let source = source_of(rule);
            let page = rule_page(
                rule,
                &PageInputs {
                    source: &source,
                    fail_example: fail.as_deref(),
                    pass_example: pass.as_deref(),
                },
            );
            let path = root().join(rule.help_uri());
            if std::fs::read_to_string(&path).ok().as_deref() != Some(page.as_str()) {
                if update {
                    std::fs::write(&path, page).unwrap();
                } else {
                    stale.push(rule.help_uri());
                }
            }
        }
        // No page for a rule that does not exist.
        for e in std::fs::read_dir(&dir).into_iter().flatten() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let id = name.trim_end_matches(".md");
            assert!(super::super::rule(id).is_some(), "{name}: no rule {id}");
        }
        assert!(
            stale.is_empty(),
            "rule pages out of date: {stale:?}; run INFRA_UPDATE_DOCS=1 cargo test --lib check::docs"
        );
    }
}
