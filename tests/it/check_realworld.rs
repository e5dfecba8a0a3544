//! Issue 21, item 8: the precision corpus. `tests/fixtures/realworld/<pattern>/` holds a minimal configuration per
//! pattern seen in public modules (written here, copied from none; see its README.md) and `expect.json`: findings
//! that must appear (`RULE address`) and rules or findings that must not. One test runs `infra check --format json`
//! on every directory with default inputs.

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld")
}

/// The findings of `infra check` on `dir`, as `RULE address`: run in `dir`, so that no `infra.toml` (the
/// repository's requires tags) changes the defaults.
fn findings(dir: &Path) -> Vec<String> {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["check", ".", "--format", "json", "--fail-on", "critical"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: exit {:?}\n{stderr}",
        dir.display(),
        out.status.code()
    );
    let report: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["address"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn strings(expect: &Json, key: &str) -> Vec<String> {
    expect[key]
        .as_array()
        .unwrap_or_else(|| panic!("expect.json needs `{key}`"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

#[test]
fn every_pattern_has_the_findings_it_must_and_none_it_must_not() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "the corpus has {} patterns", dirs.len());
    let mut wrong = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text =
            std::fs::read_to_string(dir.join("expect.json")).unwrap_or_else(|_| panic!("{name}: no expect.json"));
        let expect: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}/expect.json: {e}"));
        assert!(
            expect["pattern"].as_str().is_some_and(|p| !p.is_empty()),
            "{name}: say which pattern"
        );
        let (must, must_not) = (strings(&expect, "must"), strings(&expect, "must_not"));
        assert!(!must.is_empty() || !must_not.is_empty(), "{name}: expects nothing");
        let found = findings(dir);
        for m in &must {
            if !found.contains(m) {
                wrong.push(format!("{name}: missing {m}"));
            }
        }
        for m in &must_not {
            let hit = |f: &&String| match m.contains(' ') {
                true => *f == m,
                false => f.split(' ').next() == Some(m.as_str()),
            };
            for f in found.iter().filter(hit) {
                wrong.push(format!("{name}: false finding {f} (must not: {m})"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
