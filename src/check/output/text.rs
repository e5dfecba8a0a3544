//! Text output: findings grouped by resource, most severe first, with file:line:col. Colour only when asked
//! (the CLI asks when stdout is a terminal and NO_COLOR is unset).

use super::{counts, location_text, relative_file};
use crate::check::{Report, Severity, Suppression, SuppressionKind};
use crate::style::{escape, Paint, Style};
use std::fmt::Write;

fn paint(s: &str, sev: Severity, colour: bool) -> String {
    let style = match sev {
        Severity::Critical => Style::Critical,
        Severity::High => Style::High,
        Severity::Medium => Style::Medium,
        Severity::Low => Style::Low,
        Severity::Info => Style::Info,
    };
    Paint::new(colour).paint(style, s)
}

/// Renders the report. Everything from input (addresses, stacks, files, messages, reasons) is `escape`d: no
/// line starts with, or holds, what the input chose.
pub fn render(report: &Report, colour: bool) -> String {
    let mut out = String::new();
    write_findings(&mut out, report, colour);
    write_summary(&mut out, report);
    if report.baseline_applied {
        write_baseline(&mut out, report);
    }
    for n in &report.notices {
        writeln!(out, "note: {}", escape(&n.to_string())).unwrap();
    }
    if !report.unknown.is_empty() {
        let n = report.unknown.len();
        writeln!(
            out,
            "{n} rule input{} not known before apply (not judged as violations); --show-unknown lists them",
            if n == 1 { " is" } else { "s are" }
        )
        .unwrap();
    }
    out
}

/// The findings, grouped under their resource (and stack), with their suppressions and expired waivers. Against
/// a baseline, the known findings are counted in the summary, not listed.
fn write_findings(out: &mut String, report: &Report, colour: bool) {
    let mut current: Option<(Option<&str>, &str)> = None;
    for f in report
        .findings
        .iter()
        .filter(|f| f.baseline != Some(crate::check::baseline::State::Unchanged))
    {
        let key = (f.stack.as_deref(), f.address.as_str());
        if current != Some(key) {
            if current.is_some() {
                out.push('\n');
            }
            match f.stack.as_deref() {
                Some(s) => writeln!(out, "{} (stack {})", escape(&f.address), escape(s)).unwrap(),
                None => writeln!(out, "{}", escape(&f.address)).unwrap(),
            }
            current = Some(key);
        }
        let sev = paint(&format!("{:<8}", f.severity.as_str()), f.severity, colour);
        writeln!(
            out,
            "  {sev} {}  {}  {}",
            f.rule,
            escape(&location_text(f)),
            escape(&f.message)
        )
        .unwrap();
        if let Some(s) = &f.suppression {
            write_suppression(out, s);
        }
        if let Some(s) = &f.expired_waiver {
            write_expired(out, s);
        }
    }
    if !report.findings.is_empty() {
        out.push('\n');
    }
}

/// The line under a suppressed finding: waived (until when), or suppressed in source (where, until when).
fn write_suppression(out: &mut String, s: &Suppression) {
    let (reason, expires) = (escape(&s.reason), s.expires.as_deref().map(escape));
    let at = s.location.as_deref().map(escape);
    match (s.kind, expires, at) {
        (SuppressionKind::Waiver, Some(e), _) => writeln!(out, "           waived until {e}: {reason}"),
        (_, Some(e), Some(at)) => {
            writeln!(out, "           suppressed in source ({at}) until {e}: {reason}")
        }
        (_, _, Some(at)) => writeln!(out, "           suppressed in source ({at}): {reason}"),
        _ => writeln!(out, "           suppressed: {reason}"),
    }
    .unwrap();
}

/// The line under a finding whose waiver or suppression has expired.
fn write_expired(out: &mut String, s: &Suppression) {
    let what = match s.kind {
        SuppressionKind::Waiver => "waiver".to_string(),
        SuppressionKind::InSource => {
            format!("suppression ({})", escape(s.location.as_deref().unwrap_or("in source")))
        }
    };
    writeln!(
        out,
        "           {what} expired on {} (no longer applies): {}",
        escape(s.expires.as_deref().unwrap_or("-")),
        escape(&s.reason)
    )
    .unwrap();
}

/// `9 resources in 1 file: 2 findings (1 high, 1 medium), 1 waived; 1 at or above high: failed`.
fn write_summary(out: &mut String, report: &Report) {
    let waived = report.findings.iter().filter(|f| f.suppression.is_some()).count();
    let open = report.findings.len() - waived;
    let by: Vec<String> = counts(&report.findings)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    write!(
        out,
        "{} resource{} in {} file{}: {open} finding{}",
        report.resources,
        if report.resources == 1 { "" } else { "s" },
        report.files,
        if report.files == 1 { "" } else { "s" },
        if open == 1 { "" } else { "s" }
    )
    .unwrap();
    if !by.is_empty() {
        write!(out, " ({})", by.join(", ")).unwrap();
    }
    if waived > 0 {
        write!(out, ", {waived} waived").unwrap();
    }
    let failing = report.findings.iter().filter(|f| f.fails(report.fail_on)).count();
    if failing > 0 {
        writeln!(out, "; {failing} at or above {}: failed", report.fail_on).unwrap();
    } else {
        writeln!(out, "; none at or above {}: passed", report.fail_on).unwrap();
    }
}

/// The baseline's summary line, and each baseline entry fixed since.
fn write_baseline(out: &mut String, report: &Report) {
    writeln!(out, "baseline: {}", crate::check::baseline::summary(report)).unwrap();
    for e in &report.fixed {
        let (rule, address, message) = (escape(&e.rule), escape(&e.address), escape(&e.message));
        match &e.stack {
            Some(stack) => {
                let stack = escape(stack);
                writeln!(out, "  fixed  {rule}  {address} (stack {stack})  {message}")
            }
            None => writeln!(out, "  fixed  {rule}  {address}  {message}"),
        }
        .unwrap();
    }
}

/// The unknown rule inputs, one a line: `file:line:col  address.attribute = expression`.
pub(crate) fn unknown_list(report: &Report) -> String {
    let mut out = String::new();
    for u in &report.unknown {
        let place = u
            .location
            .as_ref()
            .map(|l| format!("{}:{}:{}", relative_file(&l.file), l.line, l.column))
            .unwrap_or_else(|| "-".to_string());
        writeln!(
            out,
            "  {}  {}.{} = {}",
            escape(&place),
            escape(&u.address),
            escape(&u.attribute),
            escape(&u.expression)
        )
        .unwrap();
    }
    out
}
