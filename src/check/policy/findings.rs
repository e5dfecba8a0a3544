//! Policy results as findings: the rule ID and severity from the policy, the resource located in the checked
//! configuration, then waivers and in-source suppressions exactly as for the built-in rules.

use super::{intern, Policies, PolicyError, PolicyResult};
use crate::check::{inline, waive, Context, Finding, Report, Settings, Severity};
use crate::terraform::Config;

/// A policy rule as the outputs describe it (SARIF's rule descriptors, JSON's findings).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PolicyRule {
    /// `namespace.rule`, or the results' `id`.
    pub id: &'static str,
    pub title: &'static str,
    pub description: String,
    pub severity: Severity,
}

/// What the policies found, located and waived, and the rules it belongs to: [`evaluate`]'s result, added to a
/// report by [`PolicyFindings::add_to`].
#[derive(Debug)]
pub(crate) struct PolicyFindings {
    findings: Vec<Finding>,
    rules: Vec<PolicyRule>,
}

impl PolicyFindings {
    /// Adds the findings and their rules to `report`, sorted as a report is.
    pub(crate) fn add_to(self, report: &mut Report) {
        for rule in self.rules {
            if !report.policy_rules.iter().any(|p| p.id == rule.id) {
                report.policy_rules.push(rule);
            }
        }
        report.findings.extend(self.findings);
        report.sort();
    }
}

/// Evaluates `policies` over `input`: each result a finding located at the resource whose address it names (its
/// `address` field, else the longest resource address in its message) in `config`, then waived and suppressed as
/// the built-in rules' findings are. `stack` and `waiver_name` as for [`crate::check::check_as`].
pub(crate) fn evaluate(
    policies: &mut Policies,
    input: &regorus::Value,
    (config, settings): (&Config, &Settings),
    (stack, waiver_name): (Option<&str>, Option<&str>),
) -> Result<PolicyFindings, PolicyError> {
    let results = policies.evaluate(input)?;
    let ctx = Context::new(config, settings, false);
    let addresses: std::collections::HashSet<String> = ctx.managed().map(|r| r.address().to_string()).collect();
    let mut findings = Vec::with_capacity(results.len());
    let mut rules: Vec<PolicyRule> = Vec::new();
    for r in &results {
        let rule = rule_of(r);
        if !settings.rule(rule.id).enabled {
            continue;
        }
        let address = r
            .address
            .clone()
            .or_else(|| address_in(&r.message, &addresses))
            .unwrap_or_default();
        let location = ctx
            .at_address(&address)
            .next()
            .and_then(|res| res.block.location.clone());
        let mut finding = Finding {
            rule: rule.id,
            title: rule.title,
            severity: settings.rule(rule.id).severity.unwrap_or(rule.severity),
            stack: stack.map(str::to_string),
            address,
            location,
            message: r.message.clone(),
            suppression: None,
            expired_waiver: None,
            baseline: None,
        };
        waive(&mut finding, settings, waiver_name);
        if !rules.iter().any(|p| p.id == rule.id) {
            rules.push(rule);
        }
        findings.push(finding);
    }
    inline::apply(&mut findings, config, ctx.inline(), settings.today);
    Ok(PolicyFindings { findings, rules })
}

/// The rule a result belongs to: its `id` (or `namespace.rule`), title and severity from METADATA or the kind.
fn rule_of(r: &PolicyResult) -> PolicyRule {
    let id = r.id.clone().unwrap_or_else(|| format!("{}.{}", r.namespace, r.rule));
    let title = r
        .meta
        .title
        .clone()
        .unwrap_or_else(|| format!("policy {}.{}", r.namespace, r.rule));
    PolicyRule {
        id: intern(id),
        title: intern(title),
        description: r.meta.description.clone().unwrap_or_default(),
        severity: r.meta.severity.unwrap_or(r.kind.severity()),
    }
}

/// The longest resource address in `addresses` that `message` names as a word of its own (quotes, backticks and
/// trailing punctuation aside): a lookup per word, not a scan of every address (12,000 resources × every result).
fn address_in(message: &str, addresses: &std::collections::HashSet<String>) -> Option<String> {
    message
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '\'' | '`' | '<' | '>'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '"' | ':' | '.' | '!' | '?')))
        .filter(|w| addresses.contains(*w))
        .max_by_key(|w| w.len())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_in_a_message_is_the_longest_whole_one() {
        let addresses: std::collections::HashSet<String> = [
            "azurerm_container_registry.main",
            "azurerm_container_registry.main_2",
            "module.a.azurerm_container_registry.main",
            "azurerm_x.y[\"k\"]",
        ]
        .map(String::from)
        .into();
        let found = |m: &str| address_in(m, &addresses);
        assert_eq!(
            found("registry azurerm_container_registry.main is public").as_deref(),
            Some("azurerm_container_registry.main")
        );
        assert_eq!(
            found("azurerm_container_registry.main_2: public").as_deref(),
            Some("azurerm_container_registry.main_2")
        );
        assert_eq!(
            found("in module.a.azurerm_container_registry.main").as_deref(),
            Some("module.a.azurerm_container_registry.main")
        );
        assert_eq!(found("'azurerm_x.y[\"k\"]': no").as_deref(), Some("azurerm_x.y[\"k\"]"));
        assert_eq!(found("azurerm_container_registry.mainly"), None);
        assert_eq!(found("nothing here"), None);
    }
}
