//! `azurerm_container_registry_task.cleanup`: a scheduled `acr purge` in the registry (NOTES.md §3).

use super::names::TaskName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `[container_registry.cleanup]`: delete old tags on a schedule, keeping the newest `keep` per repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CleanupTask {
    /// The task's name in the registry, e.g. `purge-untagged`.
    pub name: TaskName,
    /// Cron schedule, UTC, e.g. `"0 1 * * Sun"` (weekly, Sunday 01:00): five fields, minute hour day-of-month month
    /// day-of-week, as ACR task timers read them (checked by `infra render`).
    pub schedule: String,
    /// How many of the newest tags to keep per repository (`acr purge --keep`), at least 1.
    #[schemars(range(min = crate::azurerm::facts::limits::MIN_KEEP))]
    pub keep: u32,
    /// Also delete untagged manifests (`acr purge --untagged`). Do not set it if anything pulls by digest.
    #[serde(default)]
    pub untagged: bool,
    /// Which repositories and tags to purge, `<repo-regex>:<tag-regex>` (`acr purge --filter`; checked by
    /// `infra render`).
    #[serde(default = "CleanupTask::default_filter")]
    pub filter: String,
    /// Only purge tags older than this: days and/or a Go duration (`acr purge --ago`), e.g. `"30d"` or `"2d3h"`;
    /// `0d` = any age (checked by `infra render`).
    #[serde(default = "CleanupTask::default_ago")]
    pub ago: String,
}

impl CleanupTask {
    fn default_filter() -> String {
        ".*:.*".to_string()
    }

    fn default_ago() -> String {
        "0d".to_string()
    }

    /// The weekly purge of the reference stacks: keep the newest `keep` tags and drop untagged manifests.
    pub fn weekly(name: super::names::TaskName, keep: u32) -> Self {
        CleanupTask {
            name,
            schedule: "0 1 * * Sun".to_string(),
            keep,
            untagged: true,
            filter: Self::default_filter(),
            ago: Self::default_ago(),
        }
    }

    /// The arguments of the `acr purge` command the task runs, one per element, unquoted:
    /// `["acr", "purge", "--filter", <filter>, "--ago", <ago>, "--keep", <keep>, ("--untagged")]`.
    pub fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = vec![
            "acr".into(),
            "purge".into(),
            "--filter".into(),
            self.filter.clone(),
            "--ago".into(),
            self.ago.clone(),
            "--keep".into(),
            self.keep.to_string(),
        ];
        if self.untagged {
            args.push("--untagged".into());
        }
        args
    }

    /// The `acr purge` command line the task runs: [`CleanupTask::args`], each quoted as a POSIX shell word
    /// (the form the Microsoft docs use in ACR task commands, e.g. `acr purge --filter 'hello-world:.*'`).
    pub fn command(&self) -> String {
        self.args().iter().map(|a| shell_word(a)).collect::<Vec<_>>().join(" ")
    }

    /// The ACR task YAML (`encoded_step.task_content`). The command is a YAML scalar that reads back as exactly
    /// [`CleanupTask::command`] whatever the filter holds: plain when that is unambiguous, double-quoted with
    /// escapes otherwise (never a raw line break, so no line of the YAML can end a heredoc around it).
    pub(crate) fn task_yaml(&self) -> String {
        format!(
            "version: v1.1.0\nsteps:\n  - cmd: {}\n    disableWorkingDirectoryOverride: true\n    timeout: 3600\n",
            yaml_scalar(&self.command())
        )
    }
}

/// `word` as one POSIX shell word: as is when it holds only characters no shell treats specially, otherwise in
/// single quotes, a `'` inside written `'\''`.
pub(super) fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `text` as a YAML 1.2 scalar in block context: plain when every character is printable ASCII and nothing in it
/// could be read as YAML syntax (`: `, ` #`, a leading indicator, surrounding spaces), double-quoted otherwise,
/// with `\` `"` and every character outside printable ASCII escaped.
pub(super) fn yaml_scalar(text: &str) -> String {
    let printable = |c: char| (' '..='~').contains(&c);
    let plain = !text.is_empty()
        && text.chars().all(printable)
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('"')
        && !text.contains('\\');
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

// The rules below are `acr purge`'s and ACR Tasks' own; each names its source. They are checked at load
// (`validate/registry.rs`), so a stack that passes renders a task that ACR runs as written.

/// What makes `filter` unusable as `acr purge --filter` (`None` when it is fine).
///
/// acr-cli (github.com/Azure/acr-cli, `cmd/common/image_functions.go`, `GetRepositoryAndTagRegex`) splits the
/// filter at every `:` that is not part of a `(?flags:` group or written next to a bracket (`[:`, `[^:`, `:]`), and
/// wants exactly two non-empty parts: a repository regex (anchored as `^…$`) and a tag regex. We ask both to
/// compile with the `regex` crate (acr-cli uses regexp2 in RE2 mode). On top of that, the filter travels inside
/// the task's YAML, which ACR Tasks renders as a Go template first (`{{.Run.ID}}`, Microsoft docs, "ACR Tasks
/// reference: YAML", learn.microsoft.com/azure/container-registry/container-registry-tasks-reference-yaml), and
/// inside a Terraform template (`${`, `%{`): those, quotes, and control characters (a line break ends the YAML
/// line) are refused rather than escaped, because no repository or tag name can contain them anyway.
pub(crate) fn filter_problem(filter: &str) -> Option<(String, String)> {
    const HELP: &str = "a filter is <repository-regex>:<tag-regex> (acr purge --filter), e.g. \".*:.*\" or \"fastapi-app:^pr-.*\"; no quotes, control characters, \"${\", \"%{\" or \"{{\"";
    let bad = |what: String| Some((what, HELP.to_string()));
    for (needle, what) in [
        ("${", "\"${\", which Terraform would read as a template interpolation"),
        ("%{", "\"%{\", which Terraform would read as a template directive"),
        ("{{", "\"{{\", which ACR Tasks would read as a Go template action"),
        ("\\\n", "a backslash-newline"),
    ] {
        if filter.contains(needle) {
            return bad(format!("contains {what}"));
        }
    }
    if let Some(c) = filter.chars().find(|c| c.is_control()) {
        return bad(format!("contains the control character {c:?}"));
    }
    if let Some(q) = filter.chars().find(|c| matches!(c, '\'' | '"' | '`')) {
        return bad(format!(
            "contains the quote {q:?}, which would end the shell word in the task's command"
        ));
    }
    let parts = split_filter(filter);
    if parts.len() != 2 {
        return bad(format!(
            "has {} repository/tag separators (':' outside \"(?flags:\" groups), not 1",
            parts.len() - 1
        ));
    }
    let (repo, tag) = (parts[0], parts[1]);
    if repo.is_empty() {
        return bad("has no repository regex before ':'".to_string());
    }
    if tag.is_empty() {
        return bad("has no tag regex after ':'".to_string());
    }
    for (what, re) in [("repository", format!("^{repo}$")), ("tag", tag.to_string())] {
        if let Err(e) = regex::Regex::new(&re) {
            let reason = e.to_string();
            let reason = reason.lines().last().unwrap_or_default().trim().to_string();
            return bad(format!("has a {what} regex that does not compile: {reason}"));
        }
    }
    None
}

/// `filter` split at the colons acr-cli splits at (see [`filter_problem`]): not preceded by `(?` and up to five
/// of `imsU-`, not preceded by `[` and any `^`, not followed by `]`.
fn split_filter(filter: &str) -> Vec<&str> {
    let bytes = filter.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b':' {
            continue;
        }
        let before = &filter[..i];
        let flags = before.trim_end_matches(|c: char| "imsU-".contains(c));
        let group = flags.ends_with("(?") && before.len() - flags.len() <= 5;
        let bracket = before.trim_end_matches('^').ends_with('[');
        let closing = bytes.get(i + 1) == Some(&b']');
        if !(group || bracket || closing) {
            parts.push(&filter[start..i]);
            start = i + 1;
        }
    }
    parts.push(&filter[start..]);
    parts
}

/// What makes `ago` unusable as `acr purge --ago` (`None` when it is fine).
///
/// acr-cli (`cmd/acr/purge.go`, `parseDuration`) reads `[<days>d][<Go duration>]`: a whole number of days, then a
/// Go `time.ParseDuration` string (decimal numbers, each with a unit `ns`, `us`, `µs`, `ms`, `s`, `m` or `h`).
/// Anything else is misread (`3h2d` purges at any age) or fails only when the task runs. We also refuse signs and
/// durations past Go's limit (about 292 years).
pub(crate) fn ago_problem(ago: &str) -> Option<String> {
    let (days, rest) = match ago.find('d') {
        Some(i) => (&ago[..i], &ago[i + 1..]),
        None => ("", ago),
    };
    if ago.is_empty() || (ago.contains('d') && (days.is_empty() || !days.chars().all(|c| c.is_ascii_digit()))) {
        return Some("is not [<days>d][<Go duration>]".to_string());
    }
    let mut nanos: u128 = if days.is_empty() {
        0
    } else {
        days.parse::<u128>()
            .unwrap_or(u128::MAX)
            .saturating_mul(86_400_000_000_000)
    };
    match go_duration_nanos(rest) {
        Some(n) => nanos = nanos.saturating_add(n),
        None => return Some("is not [<days>d][<Go duration>]".to_string()),
    }
    if nanos > i64::MAX as u128 {
        return Some("is longer than acr purge can count (about 292 years)".to_string());
    }
    None
}

/// Nanoseconds of a Go duration without sign (`""` → 0, `"0"` → 0, `"1h30m"`, `"1.5h"`); `None` when malformed.
fn go_duration_nanos(text: &str) -> Option<u128> {
    if text.is_empty() || text == "0" {
        return Some(0);
    }
    let mut rest = text;
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        rest = &rest[number_len..];
        let (unit, nanos) = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .zip([1.0, 1e3, 1e3, 1e3, 1e6, 1e9, 60e9, 3600e9])
            .find(|(u, _)| rest.starts_with(**u))?;
        rest = &rest[unit.len()..];
        total += number.parse::<f64>().ok()? * nanos;
    }
    Some(if total.is_finite() { total as u128 } else { u128::MAX })
}

/// What makes `schedule` unusable as an ACR task timer trigger (`None` when it is fine).
///
/// Microsoft docs, "Run an ACR task on a defined schedule"
/// (learn.microsoft.com/azure/container-registry/container-registry-tasks-scheduled): five fields, minute hour
/// day month day-of-week, UTC, read by the NCronTab library: `*`, numbers, ranges `a-b`, lists `a,b`, steps `/n`;
/// months and days may be English names (`Jan`, `Sun`, full or abbreviated to three letters); days of the week
/// are 0-6 from Sunday. Quartz-style `?`, `L`, `W`, `#`, seconds and `@nicknames` are not part of it. Names are
/// turned into numbers here; the `croner` crate then parses the fields (ranges, steps, bounds).
pub(crate) fn schedule_problem(schedule: &str) -> Option<ScheduleProblem> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(ScheduleProblem::FieldCount(fields.len()));
    }
    let mut numeric = Vec::with_capacity(5);
    for (i, field) in fields.iter().enumerate() {
        match numeric_field(i, field) {
            Ok(text) => numeric.push(text),
            Err(e) => return Some(e),
        }
    }
    let parser = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Disallowed)
        .year(croner::parser::Year::Disallowed)
        .build();
    match parser.parse(&numeric.join(" ")) {
        Ok(_) => None,
        Err(e) => Some(ScheduleProblem::Cron(e.to_string())),
    }
}

/// Why a schedule is not an ACR task timer (see [`schedule_problem`]); the text follows "is not a cron expression
/// ACR tasks accept: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ScheduleProblem {
    /// Not five fields.
    #[error("has {0} fields, not 5")]
    FieldCount(usize),
    /// A step of 0 or past `u32`.
    #[error("{field} field has the step /{step}")]
    Step { field: &'static str, step: String },
    /// A number outside the field's range.
    #[error("{field} {value} is out of range {min}-{max}")]
    OutOfRange {
        field: &'static str,
        value: String,
        min: u32,
        max: u32,
    },
    /// A token that is neither `*`, a number nor a month or day name.
    #[error("{field} field has {token:?}")]
    Token { field: &'static str, token: String },
    /// What the cron parser refuses in the numeric form (ranges, steps).
    #[error("{0}")]
    Cron(String),
}

/// The names of the five fields, in order.
const FIELDS: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];
/// NCronTab's bounds of each field; day-of-week 0-6 from Sunday (7 is not Sunday there).
const RANGES: [(u32, u32); 5] = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const DAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// Field `i` of a schedule with month and day names turned into numbers, each number checked against the field's
/// range (a step's against 1 and up).
fn numeric_field(i: usize, field: &str) -> Result<String, ScheduleProblem> {
    let mut out = String::new();
    let mut token = String::new();
    let mut step = false;
    for c in field.chars() {
        if matches!(c, ',' | '-' | '/') {
            out.push_str(&numeric_token(i, &token, step)?);
            token.clear();
            step = c == '/';
            out.push(c);
        } else {
            token.push(c);
        }
    }
    out.push_str(&numeric_token(i, &token, step)?);
    Ok(out)
}

/// One token of field `i` (between `,`, `-` and `/`) as a number, `*` or empty.
fn numeric_token(i: usize, token: &str, step: bool) -> Result<String, ScheduleProblem> {
    let field = FIELDS[i];
    if token.is_empty() || token == "*" || token.chars().all(|c| c.is_ascii_digit()) {
        let (min, max) = if step { (1, u32::MAX) } else { RANGES[i] };
        if let Ok(n) = token.parse::<u32>() {
            if !(min..=max).contains(&n) {
                return Err(if step {
                    ScheduleProblem::Step {
                        field,
                        step: token.to_string(),
                    }
                } else {
                    ScheduleProblem::OutOfRange {
                        field,
                        value: token.to_string(),
                        min,
                        max,
                    }
                });
            }
        } else if !token.is_empty() && token != "*" {
            return Err(ScheduleProblem::Token {
                field,
                token: token.to_string(),
            });
        }
        return Ok(token.to_string());
    }
    let number = match i {
        3 if !step => name_number(token, &MONTHS, 1),
        4 if !step => name_number(token, &DAYS, 0),
        _ => None,
    };
    number.map(|n| n.to_string()).ok_or_else(|| ScheduleProblem::Token {
        field,
        token: token.to_string(),
    })
}

/// The number of a month or day name, full or its first three letters, any case; `first` is the first's number.
fn name_number(token: &str, names: &[&str], first: usize) -> Option<usize> {
    let t = token.to_ascii_lowercase();
    names
        .iter()
        .position(|n| t == **n || (t.len() == 3 && n.starts_with(&t)))
        .map(|i| i + first)
}
