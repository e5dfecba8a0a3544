//! Every rule has a passing and a failing fixture (tests/fixtures/check/<ID>/{pass,fail}/), pinned by snapshot;
//! and the same configuration written as `.tf.json` gives the same findings.

use infra::check::{self, rules, Date, Finding, Settings};
use infra::terraform::{Config, File, Format};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    PathBuf::from("tests/fixtures/check")
}

fn settings_for(rule_dir: &Path) -> Settings {
    let mut s = Settings::load(&rule_dir.join("infra.toml")).unwrap();
    s.today = Date::parse("2026-11-29").unwrap();
    s
}

fn run(config: &Config, settings: &Settings, kind: &str) -> Vec<Finding> {
    check::check(config, settings, None, settings.is_production(kind)).findings
}

fn lines(findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return "  (none)\n".to_string();
    }
    findings
        .iter()
        .map(|f| {
            let loc = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}:{}", l.file, l.line, l.column))
                .unwrap_or_else(|| "-".into());
            format!("  {} {} {} {} {}\n", f.rule, f.severity, f.address, loc, f.message)
        })
        .collect()
}

/// The configuration with every file rewritten as `.tf.json` (through the JSON writer) and read back.
fn as_json(config: &Config) -> Config {
    Config {
        files: config
            .files
            .iter()
            .map(|f| {
                let json = File {
                    format: Format::Json,
                    name: format!("{}.json", f.name),
                    ..f.clone()
                };
                let text = json.to_text();
                Config::parse_file_with(
                    &json.name,
                    json.name.clone(),
                    Format::Json,
                    &text,
                    infra::azurerm::builtin_schemas(),
                )
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", f.name))
            })
            .collect(),
    }
}

fn key(f: &Finding) -> (String, String, String) {
    (f.rule.to_string(), f.address.clone(), f.message.clone())
}

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    for rule in rules::ALL {
        let dir = fixtures().join(rule.id);
        let settings = settings_for(&dir);
        let mut snapshot = String::new();
        for kind in ["pass", "fail"] {
            let config = Config::read_dir_with(&dir.join(kind), infra::azurerm::builtin_schemas())
                .unwrap_or_else(|e| panic!("{}/{kind}: {e}", rule.id));
            let findings = run(&config, &settings, kind);
            let own: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule.id).collect();
            match kind {
                "pass" => assert!(
                    own.is_empty(),
                    "{} pass fixture has findings:\n{}",
                    rule.id,
                    lines(&own)
                ),
                _ => assert!(!own.is_empty(), "{} fail fixture has no finding", rule.id),
            }
            snapshot.push_str(&format!("{kind}:\n{}", lines(&own)));

            // The same configuration as .tf.json gives the same findings (all rules, not just this one).
            let from_json = run(&as_json(&config), &settings, kind);
            // (GEN003 judges comments, which JSON does not have.)
            let keys = |f: &[Finding]| f.iter().filter(|f| f.rule != "GEN003").map(key).collect::<Vec<_>>();
            assert_eq!(
                keys(&findings),
                keys(&from_json),
                "{}/{kind}: .tf and .tf.json disagree",
                rule.id
            );
            assert!(from_json.iter().all(|f| f.location.is_some()));
        }
        snapshot!("check", format!("rule_{}", rule.id.to_ascii_lowercase()), snapshot);
    }
}

/// Hand-written `.tf.json` fixtures: same findings as their `.tf` twins, locations in the JSON file.
#[test]
fn json_fixtures_match_their_hcl_twins() {
    let mut snapshot = String::new();
    for id in ["ACR001", "APP001", "APP008", "IAM004", "STG004"] {
        let dir = fixtures().join(id);
        let settings = settings_for(&dir);
        for kind in ["pass", "fail"] {
            let hcl = Config::read_dir_with(&dir.join(kind), infra::azurerm::builtin_schemas()).unwrap();
            let json = Config::read_dir_with(&dir.join("json").join(kind), infra::azurerm::builtin_schemas()).unwrap();
            assert_eq!(json.files[0].format, Format::Json);
            let a = run(&hcl, &settings, kind);
            let b = run(&json, &settings, kind);
            assert_eq!(
                a.iter().map(key).collect::<Vec<_>>(),
                b.iter().map(key).collect::<Vec<_>>(),
                "{id}/{kind}"
            );
            let own: Vec<&Finding> = b.iter().filter(|f| f.rule == id).collect();
            snapshot.push_str(&format!("{id} {kind} (json):\n{}", lines(&own)));
        }
    }
    snapshot!("check", "json_fixtures", snapshot);
}
