//! JUnit XML: one test case per rule × resource the rule applies to. A finding at or above the failure threshold
//! is a `<failure>`; a waived one is `<skipped>`; findings below the threshold pass, with the finding in
//! `<system-out>`.

use super::location_text;
use crate::check::{rules, Finding, Report, SuppressionKind};
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

/// The report as JUnit XML: one test suite per rule, one test case per rule and resource checked.
pub fn render(report: &Report) -> String {
    let mut by_key: HashMap<(&str, Option<&str>, &str), Vec<&Finding>> = HashMap::new();
    for f in &report.findings {
        by_key
            .entry((f.rule, f.stack.as_deref(), f.address.as_str()))
            .or_default()
            .push(f);
    }
    let mut cases = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for rule in rules::ALL {
        let ran = |c: &&crate::check::Checked| report.ran.iter().any(|(s, id)| *id == rule.id && *s == c.stack);
        for c in report
            .checked
            .iter()
            .filter(|c| c.judged_by.contains(&rule.id))
            .filter(ran)
        {
            let name = match &c.stack {
                Some(s) => format!("{s}: {}", c.address),
                None => c.address.clone(),
            };
            let found: &[&Finding] = by_key
                .get(&(rule.id, c.stack.as_deref(), c.address.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            tests += 1;
            write!(
                cases,
                "    <testcase classname=\"{}\" name=\"{}\">",
                escape(&format!("{} {}", rule.id, rule.title)),
                escape(&one_line(&name))
            )
            .unwrap();
            let failing: Vec<_> = found.iter().filter(|f| f.fails(report.fail_on)).collect();
            if !failing.is_empty() {
                failures += 1;
                let text: Vec<String> = failing
                    .iter()
                    .map(|f| {
                        format!(
                            "{} {}: {}",
                            f.severity,
                            one_line(&location_text(f)),
                            one_line(&f.message)
                        )
                    })
                    .collect();
                write!(
                    cases,
                    "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                    escape(&one_line(&failing[0].message)),
                    failing[0].severity,
                    escape(&text.join("\n"))
                )
                .unwrap();
            } else if !found.is_empty()
                && found
                    .iter()
                    .all(|f| f.baseline == Some(crate::check::baseline::State::Unchanged))
            {
                skipped += 1;
                write!(cases, "\n      <skipped message=\"in the baseline\"/>\n    ").unwrap();
            } else if !found.is_empty() && found.iter().all(|f| f.suppression.is_some()) {
                skipped += 1;
                let (what, reason) = match found[0].suppression.as_ref() {
                    Some(s) if s.kind == SuppressionKind::InSource => ("suppressed", s.reason.as_str()),
                    Some(s) => ("waived", s.reason.as_str()),
                    None => ("waived", ""),
                };
                write!(
                    cases,
                    "\n      <skipped message=\"{what}: {}\"/>\n    ",
                    escape(&one_line(reason))
                )
                .unwrap();
            } else if !found.is_empty() {
                let text: Vec<String> = found
                    .iter()
                    .map(|f| {
                        format!(
                            "{} {}: {}",
                            f.severity,
                            one_line(&location_text(f)),
                            one_line(&f.message)
                        )
                    })
                    .collect();
                write!(
                    cases,
                    "\n      <system-out>{}</system-out>\n    ",
                    escape(&text.join("\n"))
                )
                .unwrap();
            }
            cases.push_str("</testcase>\n");
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"infra check\" tests=\"{tests}\" \
         failures=\"{failures}\" skipped=\"{skipped}\">\n  <testsuite name=\"infra check\" tests=\"{tests}\" \
         failures=\"{failures}\" skipped=\"{skipped}\" errors=\"0\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
