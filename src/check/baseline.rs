//! Baselines: today's findings recorded (`infra check --write-baseline FILE`) so that later runs
//! (`--baseline FILE`) report only what is new, and list what has been fixed since, so the file shrinks.
//!
//! An entry is a finding's rule, stack, resource address and message, and the fingerprint SARIF's
//! `partialFingerprints` carry (rule, stack, address: no file or line, so moving a block keeps it; renaming the
//! resource makes a new finding and a fixed one). The file is JSON, one entry per finding, sorted, so it is
//! reviewed and diffed like code. Findings are matched to entries by fingerprint and message, each entry at most
//! once (two findings of one rule on one resource need two entries).

use super::{output, Finding, Report};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The version of the baseline file format.
pub(crate) const VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    pub address: String,
    pub message: String,
    pub fingerprint: String,
}

impl Entry {
    fn of(f: &Finding) -> Entry {
        Entry::new(f.rule, f.stack.as_deref(), &f.address, &f.message)
    }

    fn new(rule: &str, stack: Option<&str>, address: &str, message: &str) -> Entry {
        Entry {
            rule: rule.to_string(),
            stack: stack.map(str::to_string),
            address: address.to_string(),
            message: message.to_string(),
            fingerprint: output::fingerprint(&[rule, stack.unwrap_or(""), address]),
        }
    }
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// Where a finding stands against a baseline (SARIF's `baselineState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum State {
    /// Not in the baseline: the change introduced it.
    New,
    /// In the baseline: known debt, reported but not failing the run.
    Unchanged,
}

impl Baseline {
    /// The open findings of `report` (waived and suppressed ones need no entry), sorted.
    pub(crate) fn of(report: &Report) -> Baseline {
        let mut findings: Vec<Entry> = report
            .findings
            .iter()
            .filter(|f| f.suppression.is_none())
            .map(Entry::of)
            .collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// A baseline of findings given as (rule, stack, address, message): those of another run (`--base`).
    pub(crate) fn from_findings<'a>(
        findings: impl Iterator<Item = (&'a str, Option<&'a str>, &'a str, &'a str)>,
    ) -> Baseline {
        let mut findings: Vec<Entry> = findings.map(|(r, s, a, m)| Entry::new(r, s, a, m)).collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// The file's text: pretty JSON, one field per line, ending in a newline.
    pub(crate) fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        text
    }

    /// Reads a baseline file; errors say which file and what is wrong with it.
    pub(crate) fn load(path: &Path) -> Result<Baseline, BaselineError> {
        // A baseline is committed: read only inside the repository, so its errors cannot echo another file.
        let root = crate::fsutil::repository_of(path);
        let text = crate::fsutil::read_in_repository_text(path, &root, crate::fsutil::FILE_LIMIT).map_err(|e| {
            BaselineError::Unreadable {
                path: path.to_path_buf(),
                message: e.to_string(),
            }
        })?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|source| BaselineError::NotABaseline {
            path: path.to_path_buf(),
            source,
        })?;
        if baseline.version != VERSION {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                version: baseline.version,
            });
        }
        Ok(baseline)
    }

    /// Marks each open finding of `report` new or unchanged, and puts the entries no finding matched in
    /// `report.fixed`.
    pub(crate) fn apply(&self, report: &mut Report) {
        let mut left: Vec<Option<&Entry>> = self.findings.iter().map(Some).collect();
        let open: Vec<usize> = (0..report.findings.len())
            .filter(|&i| report.findings[i].suppression.is_none())
            .collect();
        let entries: Vec<Entry> = open.iter().map(|&i| Entry::of(&report.findings[i])).collect();
        let mut states: Vec<Option<State>> = vec![None; open.len()];
        // First the exact entries (same message), then any entry of the same rule on the same resource: a message
        // that only restates a changed value ("SKU is Basic" → "SKU is Standard") is the same debt.
        for exact in [true, false] {
            for (k, entry) in entries.iter().enumerate() {
                if states[k].is_some() {
                    continue;
                }
                let hit = left.iter_mut().find(|e| {
                    e.is_some_and(|e| e.fingerprint == entry.fingerprint && (!exact || e.message == entry.message))
                });
                if let Some(slot) = hit {
                    *slot = None;
                    states[k] = Some(State::Unchanged);
                }
            }
        }
        for (k, &i) in open.iter().enumerate() {
            report.findings[i].baseline = Some(states[k].unwrap_or(State::New));
        }
        report.fixed = left.into_iter().flatten().cloned().collect();
        report.baseline_applied = true;
    }
}

/// "3 new, 41 unchanged, 2 fixed" for a report a baseline was applied to.
pub(crate) fn summary(report: &Report) -> String {
    let count = |s: State| report.findings.iter().filter(|f| f.baseline == Some(s)).count();
    format!(
        "{} new, {} unchanged, {} fixed",
        count(State::New),
        count(State::Unchanged),
        report.fixed.len()
    )
}

/// Why a baseline file cannot be used; each message names the file, and says how to write a good one.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BaselineError {
    /// The file cannot be read (missing, outside the repository, too large).
    #[error("cannot read baseline {}: {message}", path.display())]
    Unreadable {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        message: String,
    },
    /// Not the JSON of a baseline.
    #[error(
        "{}:{}:{}: not an infra baseline: {source}\nhelp: write one with `infra check --write-baseline {}`",
        path.display(), source.line(), source.column(), path.display()
    )]
    NotABaseline {
        /// The file.
        path: std::path::PathBuf,
        /// Where and why the JSON does not read as a baseline.
        #[source]
        source: serde_json::Error,
    },
    /// A baseline of another version.
    #[error(
        "{}: baseline version {version} is not supported (this infra reads version {VERSION})\nhelp: write it again \
         with `infra check --write-baseline {}`",
        path.display(), path.display()
    )]
    Version {
        /// The file.
        path: std::path::PathBuf,
        /// The version it has.
        version: u32,
    },
}
