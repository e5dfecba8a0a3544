//! Suppressions written in the Terraform source, next to what they excuse:
//!
//! - `# infra:ignore[ACR004] reason` (or `// …`; several IDs as `[ACR004,ACR005]`; optional `until=YYYY-MM-DD`):
//!   on the line(s) directly above a `resource` block, or at the end of its first line, it suppresses those rules
//!   for the resource; directly above an argument or nested block inside a resource, or at the end of its line,
//!   only for findings at that argument or block.
//! - `#checkov:skip=CKV_AZURE_139:reason` (checkov's own syntax, so a team moving from checkov keeps its
//!   suppressions): anywhere inside the resource block, or directly above it, it suppresses every rule whose
//!   checkov equivalents ([`Rule::checkov`](super::Rule)) include that check, for the resource.
//!
//! A suppression without a reason, with an unknown rule ID or a bad `until` date suppresses nothing and is itself
//! a finding (GEN003). `.tf.json` files have no comments, so nothing is suppressed there. Files are read again by
//! the path in the blocks' locations; a file that cannot be read has no suppressions.

use super::{rules, Date, Finding, Suppression, SuppressionKind};
use crate::terraform::{Config, Location};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One suppression comment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Inline {
    /// Where the comment is.
    pub location: Location,
    /// The infra rules it suppresses (for `checkov:skip`, those with that checkov equivalent).
    pub rules: Vec<&'static str>,
    pub reason: String,
    pub until: Option<Date>,
    /// What it applies to.
    pub scope: Scope,
    /// The address of the resource it is in or above, when there is one.
    pub address: Option<String>,
    /// Why it suppresses nothing (no reason, unknown rule, bad date), if so.
    pub problem: Option<String>,
}

/// What an [`Inline`] suppression applies to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scope {
    /// Every finding of the resource whose block starts at this line of the file.
    Resource { file: Arc<str>, line: usize },
    /// Findings located at this line of the file (an argument or nested block).
    Line { file: Arc<str>, line: usize },
}

const INFRA: &str = "infra:ignore";
const CHECKOV: &str = "checkov:skip=";

/// Every suppression comment in the HCL files of `config` (root and called modules).
pub(crate) fn scan(config: &Config) -> Vec<Inline> {
    let (headers, resources) = headers_and_resources(config);
    let mut out = Vec::new();
    for (file, headers) in &headers {
        if file.ends_with(".json") {
            continue;
        }
        let Ok(text) = crate::fsutil::read_bounded_text(std::path::Path::new(&**file), crate::fsutil::FILE_LIMIT)
        else {
            continue;
        };
        if !text.contains(INFRA) && !text.contains(CHECKOV) {
            continue;
        }
        let blocks = FileBlocks {
            file,
            headers,
            resources: &resources,
        };
        out.extend(blocks.scan(&text));
    }
    out
}

/// The block header lines of each file.
type Headers = BTreeMap<Arc<str>, BTreeSet<usize>>;
/// The resource (its address without instance key) whose block starts at a file's line.
type Resources = BTreeMap<(Arc<str>, usize), String>;

/// Top-level block header lines per file (by the path in their locations), and the resource at each.
fn headers_and_resources(config: &Config) -> (Headers, Resources) {
    let mut headers = Headers::new();
    let mut resources = Resources::new();
    for (_, block) in config.blocks() {
        if let Some(l) = &block.location {
            headers.entry(l.file.clone()).or_default().insert(l.line);
        }
    }
    for r in config.resources() {
        if let Some(l) = &r.block.location {
            // Expanded instances share a block: the first address (the resource without key reads best).
            let base = r.address();
            let address = crate::terraform::Address { key: None, ..base };
            resources
                .entry((l.file.clone(), l.line))
                .or_insert_with(|| address.to_string());
        }
    }
    (headers, resources)
}

/// One file's blocks: what a comment in it can be about.
struct FileBlocks<'a> {
    file: &'a Arc<str>,
    headers: &'a BTreeSet<usize>,
    resources: &'a Resources,
}

impl FileBlocks<'_> {
    /// The suppression comments in the file's `text`.
    fn scan(&self, text: &str) -> Vec<Inline> {
        let lines: Vec<&str> = text.lines().collect();
        let mut out = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let n = i + 1;
            let Some((code, comment, column)) = split_comment(line) else {
                continue;
            };
            let parsed = if let Some(at) = comment.find(INFRA) {
                parse_infra(&comment[at + INFRA.len()..])
            } else if let Some(at) = comment.find(CHECKOV) {
                parse_checkov(&comment[at + CHECKOV.len()..])
            } else {
                continue;
            };
            // The line the comment is about: its own when it ends a line of code, else the next line that is
            // neither blank nor a comment.
            let target = if !code.trim().is_empty() {
                n
            } else {
                next_code_line(&lines, i).unwrap_or(n)
            };
            let (scope, header) = self.scope(n, target, parsed.checkov);
            let address = header.and_then(|h| self.resources.get(&(self.file.clone(), h)).cloned());
            out.push(Inline {
                location: Location::new(self.file.clone(), n, column),
                rules: parsed.rules,
                reason: parsed.reason,
                until: parsed.until,
                scope,
                address,
                problem: parsed.problem,
            });
        }
        out
    }

    /// What a comment on line `n` about line `target` applies to, and the header line of its resource: the
    /// resource when `target` is a block header; for `checkov:skip`, the enclosing resource; else the line, in
    /// its enclosing block.
    fn scope(&self, n: usize, target: usize, checkov: bool) -> (Scope, Option<usize>) {
        let file = self.file.clone();
        let enclosing = self.headers.range(..=n).next_back().copied();
        if self.headers.contains(&target) {
            (Scope::Resource { file, line: target }, Some(target))
        } else if checkov {
            match enclosing {
                Some(h) => (Scope::Resource { file, line: h }, Some(h)),
                None => (Scope::Line { file, line: target }, None),
            }
        } else {
            (Scope::Line { file, line: target }, enclosing)
        }
    }
}

/// The 1-based number of the first line after `lines[i]` that is neither blank nor a comment.
fn next_code_line(lines: &[&str], i: usize) -> Option<usize> {
    (i + 1..lines.len())
        .find(|&j| {
            let t = lines[j].trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
        })
        .map(|j| j + 1)
}

/// `(code before the comment, the comment text, the comment's 1-based column)` when the line has a `#` or `//`
/// comment outside a string.
fn split_comment(line: &str) -> Option<(&str, &str, usize)> {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'#' => return Some((&line[..i], &line[i + 1..], line[..i].chars().count() + 1)),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                return Some((&line[..i], &line[i + 2..], line[..i].chars().count() + 1))
            }
            _ => {}
        }
    }
    None
}

struct Parsed {
    rules: Vec<&'static str>,
    reason: String,
    until: Option<Date>,
    checkov: bool,
    problem: Option<String>,
}

/// After `infra:ignore`: `[ID,…] reason [until=YYYY-MM-DD]`.
fn parse_infra(rest: &str) -> Parsed {
    let mut p = Parsed {
        rules: Vec::new(),
        reason: String::new(),
        until: None,
        checkov: false,
        problem: None,
    };
    let Some(inner) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
        p.problem = Some("`infra:ignore` needs the rule IDs in brackets: `# infra:ignore[ACR004] reason`".into());
        return p;
    };
    let (ids, after) = inner;
    for id in ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match rules::ALL.iter().find(|r| r.id.eq_ignore_ascii_case(id)) {
            Some(r) => p.rules.push(r.id),
            None if crate::check::policy::is_policy_id(id) => {
                p.rules.push(crate::check::policy::intern(id.to_string()))
            }
            None => {
                p.problem = Some(format!(
                    "`infra:ignore[{ids}]` names `{id}`, which is not a rule (`infra check --list-rules`)"
                ))
            }
        }
    }
    if p.rules.is_empty() && p.problem.is_none() {
        p.problem = Some("`infra:ignore[]` names no rule".into());
    }
    let mut words = Vec::new();
    for w in after.split_whitespace() {
        match w.strip_prefix("until=") {
            Some(d) => match Date::parse(d) {
                Some(date) => p.until = Some(date),
                None => p.problem = Some(format!("`until={d}` is not a date (YYYY-MM-DD)")),
            },
            None => words.push(w),
        }
    }
    p.reason = words.join(" ");
    if p.reason.is_empty() && p.problem.is_none() {
        p.problem = Some(format!(
            "`infra:ignore[{ids}]` has no reason: say why after the brackets, e.g. `# infra:ignore[{ids}] <why this \
             is acceptable>`",
            ids = ids.trim()
        ));
    }
    p
}

/// After `checkov:skip=`: `CKV_…[:reason]`.
fn parse_checkov(rest: &str) -> Parsed {
    let rest = rest.trim();
    let (check, reason) = match rest.split_once(':') {
        Some((c, r)) => (c.trim(), r.trim()),
        None => (rest.split_whitespace().next().unwrap_or(""), ""),
    };
    let rules: Vec<&'static str> = super::equivalents::rules_for_checkov(check)
        .iter()
        .map(|r| r.id)
        .collect();
    let problem = if reason.is_empty() {
        Some(format!(
            "`checkov:skip={check}` has no reason: write `#checkov:skip={check}:why it is acceptable`"
        ))
    } else {
        None
    };
    Parsed {
        rules,
        reason: reason.to_string(),
        until: None,
        checkov: true,
        problem,
    }
}

/// Marks every finding that an inline suppression (`scanned`, from [`scan`] of `config`) excuses: suppressed, or — when its `until`
/// date has passed — with the expired suppression noted (the finding counts again).
pub(crate) fn apply(findings: &mut [Finding], config: &Config, scanned: &[Inline], today: Date) {
    let inline: Vec<&Inline> = scanned
        .iter()
        .filter(|s| s.problem.is_none() && !s.rules.is_empty())
        .collect();
    if inline.is_empty() {
        return;
    }
    // Resource address (keys and all) → where its block starts.
    let mut blocks: BTreeMap<String, (Arc<str>, usize)> = BTreeMap::new();
    for r in config.resources() {
        if let Some(l) = &r.block.location {
            blocks.insert(r.address().to_string(), (l.file.clone(), l.line));
        }
    }
    for f in findings.iter_mut() {
        if f.suppression.is_some() {
            continue;
        }
        let block = blocks.get(&f.address);
        let hit = inline.iter().find(|s| {
            s.rules.contains(&f.rule)
                && match &s.scope {
                    Scope::Resource { file, line } => block.is_some_and(|(bf, bl)| bf == file && bl == line),
                    Scope::Line { file, line } => {
                        f.location.as_ref().is_some_and(|l| &l.file == file && l.line == *line)
                    }
                }
        });
        if let Some(s) = hit {
            let suppression = Suppression {
                reason: s.reason.clone(),
                expires: s.until.map(|d| d.to_string()),
                kind: SuppressionKind::InSource,
                location: Some(format!(
                    "{}:{}",
                    super::output::relative_file(&s.location.file),
                    s.location.line
                )),
            };
            if s.until.is_some_and(|d| d < today) {
                f.expired_waiver = Some(suppression);
            } else {
                f.suppression = Some(suppression);
            }
        }
    }
}
