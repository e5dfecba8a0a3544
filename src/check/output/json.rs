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

/// The report as a JSON value, except its findings (`null`: [`render`] writes them as it prints).
fn to_value(report: &Report) -> Value {
    let mut out = json!({
        "version": 1,
        "tool": { "name": "infra", "version": env!("CARGO_PKG_VERSION") },
        "fail_on": report.fail_on.as_str(),
        "failed": report.failed(),
        "summary": summary(report),
        // Written by `render` as it prints (tens of thousands of findings: no JSON value of each first).
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
#[derive(serde::Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    title: &'a str,
    severity: &'a str,
    stack: Option<&'a str>,
    address: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    help_uri: Option<String>,
    fails: bool,
    suppressed: bool,
    suppression: &'a Option<crate::check::Suppression>,
    expired_waiver: &'a Option<crate::check::Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<crate::check::baseline::State>,
}

fn finding<'a>(report: &Report, f: &'a Finding) -> FindingOut<'a> {
    FindingOut {
        rule: f.rule,
        title: f.title,
        severity: f.severity.as_str(),
        stack: f.stack.as_deref(),
        address: &f.address,
        file: file(f.location.as_ref()),
        line: f.location.as_ref().map(|l| l.line),
        column: f.location.as_ref().map(|l| l.column),
        message: &f.message,
        help_uri: rule(f.rule).map(|r| r.help_uri()),
        fails: f.fails(report.fail_on),
        suppressed: f.suppression.is_some(),
        suppression: &f.suppression,
        expired_waiver: &f.expired_waiver,
        baseline_state: f.baseline,
    }
}

/// The report as [`to_value`] gives it, its findings written one by one as they are printed.
struct Document<'a> {
    head: Value,
    report: &'a Report,
}

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let empty = Map::new();
        let head = self.head.as_object().unwrap_or(&empty);
        let mut map = s.serialize_map(Some(head.len()))?;
        for (key, value) in head {
            if key == "findings" {
                let findings = self.report.findings.iter().map(|f| finding(self.report, f));
                map.serialize_entry(key, &Seq(std::cell::RefCell::new(Some(findings))))?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// An iterator serialised as a sequence (once).
struct Seq<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Seq<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        s.collect_seq(items.into_iter().flatten())
    }
}

/// The report as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let doc = Document {
        head: to_value(report),
        report,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
