//! `infra.toml`: which rules run, at which severity, what fails the run, and waivers.
//!
//! ```toml
//! [check]
//! fail_on = "high"                       # info | low | medium | high | critical
//! required_tags = ["owner", "cost-center"]
//! allowed_regions = ["westeurope", "northeurope"]
//! production_stacks = ["prod"]           # stack (or directory) names where production rules apply
//! min_replicas = 2                       # APP005 in production stacks
//!
//! [limits]                               # what evaluating a directory may build (see eval::Limits)
//! instances = 200000
//!
//! [rules.ACR003]
//! enabled = true
//! severity = "low"
//!
//! [[waivers]]
//! rule = "ACR011"
//! address = "azurerm_container_registry.main"
//! stack = "prod"                         # optional
//! reason = "export policy needs public network access off"
//! expires = "2027-03-31"
//! ```

use super::Severity;
use crate::terraform::schema::{SchemaError, Schemas};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A calendar date (`YYYY-MM-DD`), for waiver expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year.
    pub year: i32,
    /// The month, 1-12.
    pub month: u32,
    /// The day of the month, 1-31.
    pub day: u32,
}

impl Date {
    /// A date written `YYYY-MM-DD`; `None` when it is not a valid date.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (1..=12).contains(&date.month).then_some(())?;
        (1..=31).contains(&date.day).then_some(date)
    }

    /// Today (UTC), from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub(crate) fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Per-rule settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    /// Whether the rule runs (default true).
    pub enabled: bool,
    /// The rule's severity instead of its default.
    pub severity: Option<Severity>,
}

/// A waiver: one rule on one resource address, for a reason, until a date (inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    /// The rule waived (`ACR001`).
    pub rule: String,
    /// The resource address it is waived for.
    pub address: String,
    /// The stack it is waived in; every stack when unset.
    pub stack: Option<String>,
    /// Why, shown next to the suppressed finding.
    pub reason: String,
    /// The last day the waiver holds; after it, the finding counts again.
    pub expires: Date,
}

/// Everything `infra check` can be told.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The lowest severity that fails the check (exit code 1).
    pub fail_on: Severity,
    /// Tags every taggable resource must have (GEN001).
    pub required_tags: Vec<String>,
    /// Normalised (lower case, no spaces).
    pub allowed_regions: Vec<String>,
    /// Stacks checked as production (production-only rules run).
    pub production_stacks: Vec<String>,
    /// The fewest replicas a production app may run (APP005).
    pub min_replicas: u32,
    /// Per-rule settings, by rule ID.
    pub rules: BTreeMap<String, RuleSettings>,
    /// Findings accepted until a date.
    pub waivers: Vec<Waiver>,
    /// The date waivers are compared with.
    pub today: Date,
    /// What evaluating a Terraform directory may build (`[limits]`; `--limit` overrides).
    pub limits: crate::terraform::eval::Limits,
    /// `check.providers_schema`: files written by `terraform providers schema -json`, as written (relative to the
    /// settings file). [`Settings::load`] adds them to [`schemas`](Settings::schemas).
    pub providers_schema: Vec<PathBuf>,
    /// The provider schemas the checked configuration is read with and rules consult: the built-in set
    /// ([`crate::azurerm::builtin_schemas`]), then `check.providers_schema`, then `--providers-schema`.
    pub schemas: Schemas,
    /// `check.policy`: Rego policy files or directories for `infra check` (`--policy` adds more); [`Settings::load`]
    /// makes them relative to the settings file's directory. Read only inside the repository.
    pub policy: Vec<PathBuf>,
    /// `check.policy_data`: JSON or YAML data files or directories the policies read as `data` (`--data` adds more).
    pub policy_data: Vec<PathBuf>,
    /// `check.policy_namespaces`: the packages whose rules run (empty: `main`; `--namespace` replaces them).
    pub policy_namespaces: Vec<String>,
    /// `check.policy_all_namespaces`: run the rules of every package (`--all-namespaces`).
    pub policy_all_namespaces: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fail_on: Severity::High,
            required_tags: Vec::new(),
            allowed_regions: Vec::new(),
            production_stacks: vec!["prod".to_string(), "production".to_string()],
            min_replicas: 2,
            rules: BTreeMap::new(),
            waivers: Vec::new(),
            today: Date::today(),
            limits: crate::terraform::eval::Limits::default(),
            providers_schema: Vec::new(),
            schemas: crate::azurerm::builtin_schemas().clone(),
            policy: Vec::new(),
            policy_data: Vec::new(),
            policy_namespaces: Vec::new(),
            policy_all_namespaces: false,
        }
    }
}

/// An `infra.toml` that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The settings file.
        path: std::path::PathBuf,
        #[source]
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file's text is not valid settings.
    #[error("{}: {source}", path.display())]
    In {
        /// The settings file.
        path: std::path::PathBuf,
        #[source]
        /// What is wrong in it.
        source: Box<SettingsError>,
    },
    /// Not TOML, or not the settings' shape.
    #[error("{}", .0.message())]
    Toml(#[from] toml::de::Error),
    /// A value that is not allowed: what and where (`waivers[0]: a waiver needs a reason`).
    #[error("{0}")]
    Invalid(String),
    /// A provider schema file `check.providers_schema` names that cannot be used.
    #[error("check.providers_schema: {0}")]
    Schema(#[from] SchemaError),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileToml {
    #[serde(default)]
    check: CheckToml,
    #[serde(default)]
    rules: BTreeMap<String, RuleToml>,
    #[serde(default)]
    waivers: Vec<WaiverToml>,
    #[serde(default)]
    limits: BTreeMap<String, toml::Value>,
    // Other commands' sections are theirs.
    #[allow(dead_code, reason = "another command's section: accepted here, read there")]
    #[serde(default)]
    render: Option<toml::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "another command's section: accepted here, read there")]
    diff: Option<toml::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "another command's section: accepted here, read there")]
    drift: Option<toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CheckToml {
    fail_on: Option<String>,
    #[serde(default)]
    required_tags: Vec<String>,
    #[serde(default)]
    allowed_regions: Vec<String>,
    production_stacks: Option<Vec<String>>,
    min_replicas: Option<u32>,
    #[serde(default)]
    providers_schema: OneOrMany,
    #[serde(default)]
    policy: OneOrMany,
    #[serde(default)]
    policy_data: OneOrMany,
    #[serde(default)]
    policy_namespaces: Vec<String>,
    #[serde(default)]
    policy_all_namespaces: bool,
}

/// A file name, or a list of them.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(PathBuf),
    Many(Vec<PathBuf>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<PathBuf> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(p) => vec![p],
            OneOrMany::Many(p) => p,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    enabled: Option<bool>,
    severity: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverToml {
    rule: String,
    address: String,
    stack: Option<String>,
    reason: String,
    expires: toml::Value,
}

/// The ID of a built-in rule (any case), as it is spelled; or a policy rule's ID (`--policy`: `main.deny_x`, or a
/// result's `id`), as written — policies are loaded after the settings, so their IDs are taken on trust.
fn known_rule(id: &str) -> Option<String> {
    match super::rule(id) {
        Some(rule) => Some(rule.id.to_string()),
        None if super::policy::is_policy_id(id) => Some(id.to_string()),
        None => None,
    }
}

/// `"West Europe"` → `westeurope`, as the provider normalises locations.
pub(crate) fn normalize_region(s: &str) -> String {
    crate::azurerm::facts::normalize::location(s)
}

impl Settings {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, SettingsError> {
        // `infra.toml` is committed: read only inside the repository, so its errors cannot echo another file.
        let root = crate::fsutil::repository_of(path);
        match crate::fsutil::read_in_repository_text(path, &root, crate::fsutil::FILE_LIMIT) {
            Ok(text) => Settings::parse(&text)
                .and_then(|s| s.with_providers_schema(path.parent().unwrap_or(Path::new("")), &root))
                .map(|mut s| {
                    // Policy paths are relative to the settings file, like `check.providers_schema`.
                    let dir = path.parent().unwrap_or(Path::new(""));
                    for p in s.policy.iter_mut().chain(s.policy_data.iter_mut()) {
                        *p = dir.join(&*p);
                    }
                    s
                })
                .map_err(|e| SettingsError::In {
                    path: path.to_path_buf(),
                    source: Box::new(e),
                }),
            Err(e) if e.is_not_found() => Ok(Settings::default()),
            Err(e) => Err(SettingsError::Read {
                path: path.to_path_buf(),
                source: e.into(),
            }),
        }
    }

    /// Adds the schema files of `check.providers_schema` (relative to `dir`, the settings file's directory) to
    /// [`Settings::schemas`]. They are named by a committed file, so, like it, they are read only inside the
    /// repository `root` (a pull request cannot make infra read a file of the runner's).
    fn with_providers_schema(mut self, dir: &Path, root: &Path) -> Result<Settings, SettingsError> {
        for file in &self.providers_schema {
            let path = dir.join(file);
            let shown = path.display().to_string();
            let text = crate::fsutil::read_in_repository(&path, root, crate::fsutil::PLAN_LIMIT).map_err(|e| {
                SchemaError::Read {
                    path: shown.clone(),
                    source: e.into(),
                }
            })?;
            self.schemas = self.schemas.with_json(&shown, &text)?;
        }
        Ok(self)
    }

    /// Parses `infra.toml` text (`check.providers_schema` is recorded, not read: see [`Settings::load`]).
    pub fn parse(text: &str) -> Result<Settings, SettingsError> {
        let file: FileToml = toml::from_str(text)?;
        let mut s = Settings::default();
        if let Some(v) = &file.check.fail_on {
            s.fail_on = parse_severity(v, "check.fail_on")?;
        }
        s.required_tags = file.check.required_tags;
        s.allowed_regions = file.check.allowed_regions.iter().map(|r| normalize_region(r)).collect();
        if let Some(p) = file.check.production_stacks {
            s.production_stacks = p;
        }
        if let Some(m) = file.check.min_replicas {
            s.min_replicas = m;
        }
        s.providers_schema = file.check.providers_schema.into_vec();
        s.policy = file.check.policy.into_vec();
        s.policy_data = file.check.policy_data.into_vec();
        s.policy_namespaces = file.check.policy_namespaces;
        s.policy_all_namespaces = file.check.policy_all_namespaces;
        for (name, value) in &file.limits {
            let value = value
                .as_integer()
                .and_then(|v| u64::try_from(v).ok())
                .ok_or_else(|| SettingsError::Invalid(format!("limits.{name}: must be a whole number from 1")))?;
            s.limits
                .set(name, value)
                .map_err(|e| SettingsError::Invalid(format!("limits.{name}: {e}")))?;
        }
        for (id, r) in file.rules {
            let Some(rule_id) = known_rule(&id) else {
                return Err(SettingsError::Invalid(format!("[rules.{id}]: no such rule")));
            };
            let severity = r
                .severity
                .as_deref()
                .map(|v| parse_severity(v, &format!("rules.{id}.severity")))
                .transpose()?;
            s.rules.insert(
                rule_id,
                RuleSettings {
                    enabled: r.enabled.unwrap_or(true),
                    severity,
                },
            );
        }
        for (i, w) in file.waivers.into_iter().enumerate() {
            let Some(rule_id) = known_rule(&w.rule) else {
                return Err(SettingsError::Invalid(format!(
                    "waivers[{i}]: no such rule `{}`",
                    w.rule
                )));
            };
            if w.reason.trim().is_empty() {
                return Err(SettingsError::Invalid(format!("waivers[{i}]: a waiver needs a reason")));
            }
            let expires = match &w.expires {
                toml::Value::String(s) => Date::parse(s),
                toml::Value::Datetime(d) => Date::parse(&d.to_string()),
                _ => None,
            }
            .ok_or_else(|| SettingsError::Invalid(format!("waivers[{i}]: expires must be a date, YYYY-MM-DD")))?;
            s.waivers.push(Waiver {
                rule: rule_id,
                address: w.address,
                stack: w.stack,
                reason: w.reason,
                expires,
            });
        }
        Ok(s)
    }

    /// The settings of rule `id` (enabled, default severity when not configured).
    pub fn rule(&self, id: &str) -> RuleSettings {
        self.rules.get(id).cloned().unwrap_or(RuleSettings {
            enabled: true,
            severity: None,
        })
    }

    /// The waiver for a finding of `rule` on `address` (in `stack`), expired or not.
    pub(crate) fn waiver_for(&self, rule: &str, address: &str, stack: Option<&str>) -> Option<&Waiver> {
        self.waivers
            .iter()
            .find(|w| w.rule == rule && w.address == address && (w.stack.is_none() || w.stack.as_deref() == stack))
    }

    /// True when `name` (a stack or directory name) is a production stack.
    pub fn is_production(&self, name: &str) -> bool {
        self.production_stacks.iter().any(|p| p == name)
    }
}

fn parse_severity(v: &str, what: &str) -> Result<Severity, SettingsError> {
    Severity::parse(v).ok_or_else(|| {
        SettingsError::Invalid(format!(
            "{what}: `{v}` is not a severity (info, low, medium, high, critical)"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_786).to_string(), "2026-11-29");
        assert_eq!(Date::parse("2027-02-28").unwrap().to_string(), "2027-02-28");
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("tomorrow").is_none());
    }

    #[test]
    fn providers_schema_is_one_file_or_a_list_read_relative_to_the_settings_file() {
        let one = Settings::parse("[check]\nproviders_schema = \"a.json\"\n").unwrap();
        assert_eq!(one.providers_schema, [PathBuf::from("a.json")]);
        let many = Settings::parse("[check]\nproviders_schema = [\"a.json\", \"b.json\"]\n").unwrap();
        assert_eq!(many.providers_schema.len(), 2);
        assert_eq!(Settings::parse("").unwrap().providers_schema, Vec::<PathBuf>::new());
        // Recorded by `parse`; `load` reads them, relative to the settings file's directory.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            r#"{"provider_schemas": {"acme/acme": {"resource_schemas": {"acme_w": {"block": {}}}}}}"#,
        )
        .unwrap();
        let loaded = one.with_providers_schema(dir.path(), dir.path()).unwrap();
        assert!(loaded.schemas.resource("acme_w").is_some() && loaded.schemas.resource("azurerm_subnet").is_some());
        let missing = many.with_providers_schema(dir.path(), dir.path()).unwrap_err();
        assert!(
            matches!(missing, SettingsError::Schema(SchemaError::Read { .. })),
            "{missing}"
        );
    }

    #[test]
    fn parses_everything() {
        let s = Settings::parse(
            r#"
[check]
fail_on = "medium"
required_tags = ["owner"]
allowed_regions = ["West Europe"]
production_stacks = ["live"]
min_replicas = 3

[limits]
instances = 200000

[rules.acr003]
severity = "low"

[rules.APP006]
enabled = false

[[waivers]]
rule = "ACR011"
address = "azurerm_container_registry.main"
reason = "needs private endpoints first"
expires = 2027-03-31
"#,
        )
        .unwrap();
        assert_eq!(s.fail_on, Severity::Medium);
        assert_eq!(s.limits.instances, 200_000);
        assert_eq!(s.allowed_regions, ["westeurope"]);
        assert!(s.is_production("live") && !s.is_production("prod"));
        assert_eq!(s.rule("ACR003").severity, Some(Severity::Low));
        assert!(!s.rule("APP006").enabled);
        assert_eq!(s.waivers[0].expires.to_string(), "2027-03-31");
    }

    #[test]
    fn rejects_mistakes() {
        for (text, msg) in [
            ("[check]\nfail_on = \"severe\"", "not a severity"),
            ("[rules.XYZ999]\nenabled = false", "no such rule"),
            ("[check]\nfailon = \"high\"", "unknown field"),
            ("[limits]\ninstance = 5", "no limit `instance`"),
            ("[limits]\nwork = -5", "whole number"),
            ("[limits]\nwork = \"many\"", "whole number"),
            (
                "[[waivers]]\nrule = \"ACR001\"\naddress = \"a.b\"\nreason = \"\"\nexpires = \"2027-01-01\"",
                "needs a reason",
            ),
            (
                "[[waivers]]\nrule = \"ACR001\"\naddress = \"a.b\"\nreason = \"r\"\nexpires = \"soon\"",
                "YYYY-MM-DD",
            ),
        ] {
            let e = Settings::parse(text).unwrap_err();
            assert!(e.to_string().contains(msg), "{text}: {e}");
        }
    }
}
