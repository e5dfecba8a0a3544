//! SARIF 2.1.0 for GitHub code scanning: every rule with help text and `security-severity`, results with
//! file/line/column, `partialFingerprints`, and `suppressions` for waived findings.

use super::{finding_fingerprint, relative_file};
use crate::check::{baseline, rules, Report, Severity, SuppressionKind};
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
    let rule_values: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
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
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = rules::ALL.iter().position(|r| r.id == f.rule).unwrap_or(0);
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": index,
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
                    "physicalLocation": {
                        "artifactLocation": { "uri": relative_file(&l.file) },
                        "region": { "startLine": l.line, "startColumn": l.column },
                    },
                    "logicalLocations": logical,
                }]),
                None => json!([{ "logicalLocations": logical }]),
            };
            let chain = report.call_chain(&f.address);
            if !chain.is_empty() {
                // The call chain: each module call the finding's resource is reached through, outermost first.
                result["relatedLocations"] = Value::Array(
                    chain
                        .iter()
                        .enumerate()
                        .map(|(i, (module, l))| {
                            json!({
                                "id": i + 1,
                                "message": { "text": format!("{module} is called here") },
                                "physicalLocation": {
                                    "artifactLocation": { "uri": relative_file(&l.file) },
                                    "region": { "startLine": l.line, "startColumn": l.column },
                                },
                            })
                        })
                        .collect(),
                );
            }
            if let Some(s) = &f.suppression {
                result["suppressions"] = json!([match s.kind {
                    SuppressionKind::Waiver => json!({
                        "kind": "external",
                        "status": "accepted",
                        "justification": format!("{} (waiver expires {})", s.reason, s.expires.as_deref().unwrap_or("-")),
                    }),
                    // A comment in the file: SARIF's `inSource`, with where it is written.
                    SuppressionKind::InSource => json!({
                        "kind": "inSource",
                        "status": "accepted",
                        "justification": match &s.expires {
                            Some(e) => format!("{} (until {e})", s.reason),
                            None => s.reason.clone(),
                        },
                        "location": {
                            "physicalLocation": {
                                "artifactLocation": { "uri": s.location.as_deref().and_then(|l| l.rsplit_once(':')).map(|(f, _)| f).unwrap_or("") },
                                "region": { "startLine": s.location.as_deref().and_then(|l| l.rsplit_once(':')).and_then(|(_, n)| n.parse::<u64>().ok()).unwrap_or(1) },
                            }
                        },
                    }),
                }]);
            }
            if let Some(state) = f.baseline {
                result["baselineState"] = json!(match state {
                    baseline::State::New => "new",
                    baseline::State::Unchanged => "unchanged",
                });
            }
            result
        })
        .chain(report.fixed.iter().map(|e| {
            // In the baseline, not found now: SARIF's `absent` (fixed), a passing result without a location.
            json!({
                "ruleId": e.rule,
                "ruleIndex": rules::ALL.iter().position(|r| r.id == e.rule).unwrap_or(0),
                "kind": "pass",
                "level": "none",
                "message": { "text": format!("{}: fixed since the baseline: {}", e.address, e.message) },
                "partialFingerprints": { "infraFinding/v1": e.fingerprint },
                "baselineState": "absent",
                "properties": { "address": e.address },
            })
        }))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "infra",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_values,
            }
        },
        "results": results,
    });
    let notes: Vec<Value> = report
        .notices
        .iter()
        .map(|n| {
            let mut v = json!({
                "level": "note",
                "message": { "text": n.to_string() },
                "descriptor": { "id": "not-judged" },
            });
            if let Some(l) = &n.location {
                v["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": relative_file(&l.file) },
                        "region": { "startLine": l.line, "startColumn": l.column },
                    }
                }]);
            }
            v
        })
        .collect();
    if report.unread.is_empty() && !notes.is_empty() {
        run["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }]);
    }
    if !report.unread.is_empty() {
        // A file that could not be read is a tool error, not a result: the run still carries the results of the
        // files that were read (SARIF 2.1.0 §3.20.21 `toolExecutionNotifications`).
        let notifications: Vec<Value> = report
            .unread
            .iter()
            .map(|u| {
                let mut n = json!({
                    "level": "error",
                    "message": { "text": format!("not checked: {}", u.message) },
                    "descriptor": { "id": "parse-error" },
                });
                if let Some(l) = &u.location {
                    n["locations"] = json!([{
                        "physicalLocation": {
                            "artifactLocation": { "uri": relative_file(&l.file) },
                            "region": { "startLine": l.line, "startColumn": l.column },
                        }
                    }]);
                }
                n
            })
            .collect();
        run["invocations"] = json!([{
            "executionSuccessful": false,
            "toolExecutionNotifications": notifications.into_iter().chain(notes).collect::<Vec<_>>(),
        }]);
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run]
    })
}

/// The SARIF log as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}
