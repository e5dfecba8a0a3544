//! JSON output. The schema is stable (`"version": 1`); fields are only ever added.
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": { "name": "infra", "version": "0.1.0" },
//!   "fail_on": "high",
//!   "failed": true,
//!   "summary": { "resources": 9, "files": 1, "findings": 3, "failing": 1, "suppressed": 1,
//!                "by_severity": { "critical": 0, "high": 1, "medium": 1, "low": 0, "info": 1 } },
//!   "findings": [ {
//!     "rule": "ACR003", "title": "Registry SKU is at least Standard", "severity": "medium",
//!     "stack": "dev" | null, "address": "azurerm_container_registry.main",
//!     "file": "terraform/dev/main.tf" | null, "line": 12 | null, "column": 3 | null,
//!     "message": "the registry SKU is Basic", "help_uri": "docs/rules/ACR003.md",
//!     "fails": false, "suppressed": false,
//!     "suppression": { "reason": "…", "expires": "2027-03-31" } | null,
//!     "expired_waiver": { "reason": "…", "expires": "…" } | null
//!   } ],
//!   "unknown": [ { "address": "…", "attribute": "sku", "file": "main.tf", "line": 4, "column": 3,
//!                  "expression": "var.sku" } ],
//!   "unread": [ { "file": "main.tf", "line": 3, "column": 7, "message": "…" } ],
//!   "notices": [ { "address": "azurerm_container_registry.r", "file": "main.tf", "line": 9, "column": 3,
//!                  "message": "not judged: …" } ]
//! }
//! ```
//! `by_severity` counts findings that are not suppressed. `unread` lists files that could not be read (the run
//! exits 2; the other files were checked). `notices` (present when there are any) says what was not judged: a
//! resource written for azurerm 3.x with an argument 4.x has no form for, resource blocks with no instances.

use super::{counts, relative_file};
use crate::check::{rule, Finding, Report};
use crate::terraform::Location;
use serde_json::{json, Map, Value};

/// The report as a JSON value.
pub(crate) fn to_value(report: &Report) -> Value {
    let mut out = json!({
        "version": 1,
        "tool": { "name": "infra", "version": env!("CARGO_PKG_VERSION") },
        "fail_on": report.fail_on.as_str(),
        "failed": report.failed(),
        "summary": summary(report),
        // Set below: `json!` would copy the array value by value (tens of thousands of findings).
        "findings": null,
        "unread": report.unread.iter().map(|u| json!({
            "file": file(u.location.as_ref()),
            "line": u.location.as_ref().map(|l| l.line),
            "column": u.location.as_ref().map(|l| l.column),
            "message": u.message,
        })).collect::<Vec<_>>(),
        "unknown": report.unknown.iter().map(|u| json!({
            "address": u.address,
            "attribute": u.attribute,
            "file": file(u.location.as_ref()),
            "line": u.location.as_ref().map(|l| l.line),
            "column": u.location.as_ref().map(|l| l.column),
            "expression": u.expression,
        })).collect::<Vec<_>>(),
    });
    out["findings"] = Value::Array(report.findings.iter().map(|f| finding(report, f)).collect());
    if !report.notices.is_empty() {
        out["notices"] = report
            .notices
            .iter()
            .map(|n| {
                json!({
                    "address": n.address,
                    "file": file(n.location.as_ref()),
                    "line": n.location.as_ref().map(|l| l.line),
                    "column": n.location.as_ref().map(|l| l.column),
                    "message": n.message,
                })
            })
            .collect();
    }
    if report.baseline_applied {
        let count =
            |st: crate::check::baseline::State| report.findings.iter().filter(|f| f.baseline == Some(st)).count();
        out["summary"]["baseline"] = json!({
            "new": count(crate::check::baseline::State::New),
            "unchanged": count(crate::check::baseline::State::Unchanged),
            "fixed": report.fixed.len(),
        });
        out["fixed"] = json!(report.fixed);
    }
    out
}

/// A location's file, relative (`null` without a location).
fn file(location: Option<&Location>) -> Option<String> {
    location.map(|l| relative_file(&l.file))
}

/// The counts: resources, files, findings (failing, suppressed, by severity), unknown rule inputs.
fn summary(report: &Report) -> Value {
    let mut by = Map::new();
    for (s, n) in counts(&report.findings) {
        by.insert(s.as_str().to_string(), json!(n));
    }
    json!({
        "resources": report.resources,
        "files": report.files,
        "findings": report.findings.len(),
        "failing": report.findings.iter().filter(|f| f.fails(report.fail_on)).count(),
        "suppressed": report.findings.iter().filter(|f| f.suppression.is_some()).count(),
        "by_severity": by,
        "unknown": report.unknown.len(),
    })
}

/// One finding, as the module documentation shows it (`baseline_state` only against a baseline).
fn finding(report: &Report, f: &Finding) -> Value {
    let mut v = json!({
        "rule": f.rule,
        "title": f.title,
        "severity": f.severity.as_str(),
        "stack": f.stack,
        "address": f.address,
        "file": file(f.location.as_ref()),
        "line": f.location.as_ref().map(|l| l.line),
        "column": f.location.as_ref().map(|l| l.column),
        "message": f.message,
        "help_uri": rule(f.rule).map(|r| r.help_uri()),
        "fails": f.fails(report.fail_on),
        "suppressed": f.suppression.is_some(),
        "suppression": f.suppression,
        "expired_waiver": f.expired_waiver,
    });
    if let Some(state) = f.baseline {
        v["baseline_state"] = json!(state);
    }
    v
}

/// The report as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}
