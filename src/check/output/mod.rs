//! Renderings of a [`Report`](super::Report): text for people, JSON for scripts, SARIF for code scanning, JUnit
//! XML for CI test reports.

pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use super::{Finding, Severity};

/// The finding's file as a URI relative to the current directory (the repository root in CI), with `/`.
pub(crate) fn relative_file(file: &str) -> String {
    let path = std::path::Path::new(file);
    static CWD: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    let rel = CWD
        .get_or_init(|| std::env::current_dir().ok())
        .as_ref()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| path.to_path_buf());
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `file:line:col`, relative, or `-` when the finding has no location.
pub(crate) fn location_text(f: &Finding) -> String {
    match &f.location {
        Some(l) => format!("{}:{}:{}", relative_file(&l.file), l.line, l.column),
        None => "-".to_string(),
    }
}

/// Counts per severity, most severe first.
pub(crate) fn counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .iter()
        .rev()
        .map(|s| {
            (
                *s,
                findings
                    .iter()
                    .filter(|f| f.severity == *s && f.suppression.is_none())
                    .count(),
            )
        })
        .collect()
}

/// A stable 64-bit FNV-1a hash, hex (SARIF fingerprints).
/// A finding's stable fingerprint: rule, stack and resource address (no file or line, so moving a block keeps
/// it). SARIF's `partialFingerprints` and baselines use it.
pub(crate) fn finding_fingerprint(f: &crate::check::Finding) -> String {
    fingerprint(&[f.rule, f.stack.as_deref().unwrap_or(""), &f.address])
}

pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}
