//! JUnit XML: one test case per rule × resource the rule applies to. A finding at or above the failure threshold
//! is a `<failure>`; a waived one is `<skipped>`; findings below the threshold pass, with the finding in
//! `<system-out>`.

use super::location_text;
use crate::check::{rules, Checked, Finding, Report, Rule, Severity, SuppressionKind};
use std::collections::HashMap;
use std::fmt::Write;

/// Escapes text for XML attributes and content.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders the report.
/// Input on one line ([`crate::style::escape`]): the report may be printed into a CI log, where a line feed in
/// a message would start a line of the input's choosing.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    crate::style::escape(s)
}

/// The findings of one test case, by (rule, stack, address).
type ByCase<'r> = HashMap<(&'static str, Option<&'r str>, &'r str), Vec<&'r Finding>>;

/// How a test case ended, and the count it adds to.
enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// The report as JUnit XML: one test suite per rule, one test case per rule and resource checked.
pub fn render(report: &Report) -> String {
    let mut by_case: ByCase = HashMap::new();
    for f in &report.findings {
        by_case
            .entry((f.rule, f.stack.as_deref(), f.address.as_str()))
            .or_default()
            .push(f);
    }
    let mut cases = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for rule in rules::ALL {
        let ran = |c: &&Checked| report.ran.iter().any(|(s, id)| *id == rule.id && *s == c.stack);
        for c in report
            .checked
            .iter()
            .filter(|c| c.judged_by.contains(&rule.id))
            .filter(ran)
        {
            let found: &[&Finding] = by_case
                .get(&(rule.id, c.stack.as_deref(), c.address.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            tests += 1;
            let (body, outcome) = case_body(found, report.fail_on);
            match outcome {
                Outcome::Failed => failures += 1,
                Outcome::Skipped => skipped += 1,
                Outcome::Passed => {}
            }
            write_case(&mut cases, rule, c, &body);
        }
    }
    // Policy rules (`--policy`): which resources a policy judges is its own business, so a test case per resource
    // it reported on.
    for rule in &report.policy_rules {
        let mut seen = std::collections::BTreeSet::new();
        for f in report.findings.iter().filter(|f| f.rule == rule.id) {
            if !seen.insert((f.stack.as_deref(), f.address.as_str())) {
                continue;
            }
            let found = &by_case[&(f.rule, f.stack.as_deref(), f.address.as_str())];
            tests += 1;
            let (body, outcome) = case_body(found, report.fail_on);
            match outcome {
                Outcome::Failed => failures += 1,
                Outcome::Skipped => skipped += 1,
                Outcome::Passed => {}
            }
            let c = Checked {
                stack: f.stack.clone(),
                address: f.address.clone(),
                resource_type: String::new(),
                judged_by: std::sync::Arc::from([]),
            };
            write_case_named(&mut cases, &format!("{} {}", rule.id, rule.title), &c, &body);
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"infra check\" tests=\"{tests}\" \
         failures=\"{failures}\" skipped=\"{skipped}\">\n  <testsuite name=\"infra check\" tests=\"{tests}\" \
         failures=\"{failures}\" skipped=\"{skipped}\" errors=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}

/// One `<testcase>`: the rule as its class, the resource (with its stack) as its name, and `body`.
fn write_case(cases: &mut String, rule: &Rule, c: &Checked, body: &str) {
    write_case_named(cases, &format!("{} {}", rule.id, rule.title), c, body);
}

/// [`write_case`] with the class written out (`ID title`).
fn write_case_named(cases: &mut String, class: &str, c: &Checked, body: &str) {
    let name = match &c.stack {
        Some(s) => format!("{s}: {}", c.address),
        None => c.address.clone(),
    };
    writeln!(
        cases,
        "    <testcase classname=\"{}\" name=\"{}\">{body}</testcase>",
        escape(class),
        escape(&one_line(&name))
    )
    .unwrap();
}

/// What a test case holds: a `<failure>` when a finding fails the run, `<skipped>` when every finding is in the
/// baseline or suppressed, the findings in `<system-out>` when they pass, nothing without findings.
fn case_body(found: &[&Finding], fail_on: Severity) -> (String, Outcome) {
    let failing: Vec<&Finding> = found.iter().copied().filter(|f| f.fails(fail_on)).collect();
    if let Some(first) = failing.first() {
        let body = format!(
            "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
            escape(&one_line(&first.message)),
            first.severity,
            escape(&findings_text(&failing))
        );
        (body, Outcome::Failed)
    } else if found.is_empty() {
        (String::new(), Outcome::Passed)
    } else if found
        .iter()
        .all(|f| f.baseline == Some(crate::check::baseline::State::Unchanged))
    {
        (
            "\n      <skipped message=\"in the baseline\"/>\n    ".to_string(),
            Outcome::Skipped,
        )
    } else if found.iter().all(|f| f.suppression.is_some()) {
        let (what, reason) = match found[0].suppression.as_ref() {
            Some(s) if s.kind == SuppressionKind::InSource => ("suppressed", s.reason.as_str()),
            Some(s) => ("waived", s.reason.as_str()),
            None => ("waived", ""),
        };
        let body = format!(
            "\n      <skipped message=\"{what}: {}\"/>\n    ",
            escape(&one_line(reason))
        );
        (body, Outcome::Skipped)
    } else {
        let body = format!(
            "\n      <system-out>{}</system-out>\n    ",
            escape(&findings_text(found))
        );
        (body, Outcome::Passed)
    }
}

/// The findings, one a line: `severity file:line:col: message`.
fn findings_text(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f.severity,
                one_line(&location_text(f)),
                one_line(&f.message)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
