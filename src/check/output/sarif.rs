//! SARIF 2.1.0 for GitHub code scanning: every rule with help text and `security-severity`, results with
//! file/line/column, `partialFingerprints`, and `suppressions` for waived findings.

use super::{finding_fingerprint, relative_file};
use crate::check::{baseline, rules, Finding, Report, Rule, Severity, Suppression, SuppressionKind};
use crate::terraform::Location;
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub maps > 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// The report as a SARIF log.
///
/// A rule's documentation is linked from `help.markdown`, relative to the repository (`docs/rules/ACR001.md`):
/// SARIF 2.1.0 wants `helpUri` (and the driver's `informationUri`) to be absolute URIs (§3.49.12, and `"format":
/// "uri"` in the schema), and infra has no published absolute address, so neither is written.
pub(crate) fn to_value(report: &Report) -> Value {
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding_result(report, f))
        .chain(report.fixed.iter().map(|e| fixed_result(report, e)))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "infra",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules::ALL
                    .iter()
                    .map(rule_descriptor)
                    .chain(report.policy_rules.iter().map(policy_descriptor))
                    .collect::<Vec<_>>(),
            }
        },
        "results": results,
    });
    if let Some(invocations) = invocations(report) {
        run["invocations"] = invocations;
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    })
}

/// A rule as the driver lists it (`reportingDescriptor`): its texts, level and `security-severity`.
fn rule_descriptor(r: &&Rule) -> Value {
    json!({
        "id": r.id,
        "name": r.title.replace(' ', ""),
        "shortDescription": { "text": r.title },
        "fullDescription": { "text": r.description },
        "help": {
            "text": format!("{}\n\nWhy: {}\n\nFix: {}", r.description, r.why, r.fix),
            "markdown": r.help_markdown(),
        },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "security-severity": security_severity(r.severity),
            "precision": "high",
            "tags": ["security", "terraform", "azure"],
        },
    })
}

/// A policy rule (`--policy`) as the driver lists it: its METADATA title and description, its severity.
fn policy_descriptor(r: &crate::check::policy::findings::PolicyRule) -> Value {
    let description = if r.description.is_empty() {
        r.title
    } else {
        r.description.as_str()
    };
    json!({
        "id": r.id,
        "shortDescription": { "text": r.title },
        "fullDescription": { "text": description },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "security-severity": security_severity(r.severity),
            "tags": ["policy", "terraform"],
        },
    })
}

/// The index of the rule `id` in the driver's `rules`: the built-in rules, then the report's policy rules (a
/// policy rule recorded in a baseline that gives no finding now is not listed: `None`, and the result names it by
/// `ruleId` and SARIF's -1, "not available").
fn rule_index(report: &Report, id: &str) -> i64 {
    rules::ALL
        .iter()
        .map(|r| r.id)
        .chain(report.policy_rules.iter().map(|r| r.id))
        .position(|r| r == id)
        .and_then(|i| i64::try_from(i).ok())
        .unwrap_or(-1)
}

/// A `physicalLocation`: the file relative to the repository, and the line and column.
fn physical_location(l: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": relative_file(&l.file) },
        "region": { "startLine": l.line, "startColumn": l.column },
    })
}

/// A finding as a result: where it is, the module calls it is reached through, its suppression and its state
/// against the baseline.
fn finding_result(report: &Report, f: &Finding) -> Value {
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index(report, f.rule),
        "level": level(f.severity),
        "message": { "text": format!("{}: {}", f.address, f.message) },
        "partialFingerprints": {
            "infraFinding/v1": finding_fingerprint(f),
        },
        "properties": { "severity": f.severity.as_str(), "address": f.address },
    });
    let logical = json!([{ "fullyQualifiedName": f.address, "kind": "resource" }]);
    result["locations"] = match &f.location {
        Some(l) => json!([{
            "physicalLocation": physical_location(l),
            "logicalLocations": logical,
        }]),
        None => json!([{ "logicalLocations": logical }]),
    };
    let chain = report.call_chain(&f.address);
    if !chain.is_empty() {
        result["relatedLocations"] = call_chain_locations(&chain);
    }
    if let Some(s) = &f.suppression {
        result["suppressions"] = json!([suppression(s)]);
    }
    if let Some(state) = f.baseline {
        result["baselineState"] = json!(match state {
            baseline::State::New => "new",
            baseline::State::Unchanged => "unchanged",
        });
    }
    result
}

/// The call chain: each module call the finding's resource is reached through, outermost first.
fn call_chain_locations(chain: &[&(String, Location)]) -> Value {
    Value::Array(
        chain
            .iter()
            .enumerate()
            .map(|(i, (module, l))| {
                json!({
                    "id": i + 1,
                    "message": { "text": format!("{module} is called here") },
                    "physicalLocation": physical_location(l),
                })
            })
            .collect(),
    )
}

/// A waived finding's `suppression`: a waiver is `external`; a comment in the file is SARIF's `inSource`, with
/// where it is written.
fn suppression(s: &Suppression) -> Value {
    match s.kind {
        SuppressionKind::Waiver => json!({
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} (waiver expires {})", s.reason, s.expires.as_deref().unwrap_or("-")),
        }),
        SuppressionKind::InSource => {
            let at = s.location.as_deref().and_then(|l| l.rsplit_once(':'));
            json!({
                "kind": "inSource",
                "status": "accepted",
                "justification": match &s.expires {
                    Some(e) => format!("{} (until {e})", s.reason),
                    None => s.reason.clone(),
                },
                "location": {
                    "physicalLocation": {
                        "artifactLocation": { "uri": at.map(|(f, _)| f).unwrap_or("") },
                        "region": { "startLine": at.and_then(|(_, n)| n.parse::<u64>().ok()).unwrap_or(1) },
                    }
                },
            })
        }
    }
}

/// In the baseline, not found now: SARIF's `absent` (fixed), a passing result without a location.
fn fixed_result(report: &Report, e: &baseline::Entry) -> Value {
    json!({
        "ruleId": e.rule,
        "ruleIndex": rule_index(report, &e.rule),
        "kind": "pass",
        "level": "none",
        "message": { "text": format!("{}: fixed since the baseline: {}", e.address, e.message) },
        "partialFingerprints": { "infraFinding/v1": e.fingerprint },
        "baselineState": "absent",
        "properties": { "address": e.address },
    })
}

/// A tool notification (`level`, message, descriptor), at `location` when there is one.
fn notification(level: &str, text: String, descriptor: &str, location: Option<&Location>) -> Value {
    let mut n = json!({
        "level": level,
        "message": { "text": text },
        "descriptor": { "id": descriptor },
    });
    if let Some(l) = location {
        n["locations"] = json!([{ "physicalLocation": physical_location(l) }]);
    }
    n
}

/// The run's `invocations`, when it has something to notify: what was not judged (notes) and the files that
/// could not be read. A file that could not be read is a tool error, not a result: the run still carries the
/// results of the files that were read (SARIF 2.1.0 §3.20.21 `toolExecutionNotifications`).
fn invocations(report: &Report) -> Option<Value> {
    let notes = report
        .notices
        .iter()
        .map(|n| notification("note", n.to_string(), "not-judged", n.location.as_ref()));
    let errors: Vec<Value> = report
        .unread
        .iter()
        .map(|u| {
            let text = format!("not checked: {}", u.message);
            notification("error", text, "parse-error", u.location.as_ref())
        })
        .collect();
    let notifications: Vec<Value> = errors.iter().cloned().chain(notes).collect();
    if notifications.is_empty() {
        return None;
    }
    Some(json!([{
        "executionSuccessful": errors.is_empty(),
        "toolExecutionNotifications": notifications,
    }]))
}

/// The SARIF log as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}
