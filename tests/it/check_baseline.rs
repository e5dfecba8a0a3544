//! Baselines (issue 15): `--write-baseline FILE` records today's findings, `--baseline FILE` reports only new
//! ones and lists the fixed; fingerprints survive a moved block, a renamed resource is new + fixed; SARIF carries
//! `baselineState` and stays valid SARIF 2.1.0.

use crate::support::git;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn check(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["check", ".", "--color", "never"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
    )
}

const REGISTRY: &str = "resource \"azurerm_container_registry\" \"main\" {\n  name                = \"contosoprodacr\"\n  \
                        resource_group_name = \"rg-prod\"\n  location            = \"westeurope\"\n  sku                 = \
                        \"Standard\"\n  admin_enabled       = true\n}\n";

const APP: &str = "resource \"azurerm_container_app\" \"web\" {\n  name                         = \"web\"\n  \
                   resource_group_name          = \"rg-prod\"\n  container_app_environment_id = \"x\"\n  \
                   revision_mode                = \"Single\"\n  template {\n    container {\n      name   = \"web\"\n      \
                   image  = \"nginx:latest\"\n      cpu    = 0.5\n      memory = \"1Gi\"\n    }\n  }\n}\n";

/// The change the tests make: the admin user off (ACR001 fixed), anonymous pull on (ACR002 new).
fn change_registry(dir: &Path) {
    let changed = REGISTRY.replace(
        "admin_enabled       = true",
        "admin_enabled          = false\n  anonymous_pull_enabled = true",
    );
    std::fs::write(dir.join("main.tf"), changed).unwrap();
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("infra.toml"), "").unwrap();
    for (name, text) in files {
        std::fs::write(t.path().join(name), text).unwrap();
    }
    t
}

#[test]
fn a_baseline_round_trips_and_reports_only_what_is_new() {
    let t = project(&[("main.tf", REGISTRY)]);
    // Without a baseline the admin user fails the run.
    assert_eq!(check(t.path(), &[]).0, 1);
    // Writing the baseline accepts today's findings: the run passes, the file is sorted JSON.
    let (code, out) = check(t.path(), &["--write-baseline", "infra-baseline.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wrote infra-baseline.json"), "{out}");
    let text = std::fs::read_to_string(t.path().join("infra-baseline.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort();
    assert_eq!(rules, sorted);
    assert!(rules.contains(&"ACR001"));
    // Nothing changed: everything unchanged, exit 0.
    let (code, out) = check(t.path(), &["--baseline", "infra-baseline.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("baseline: 0 new, {} unchanged, 0 fixed", rules.len())),
        "{out}"
    );
    assert!(!out.contains("ACR001"), "known findings are not listed: {out}");
    // A new finding fails; a fixed one is listed so the file can shrink.
    change_registry(t.path());
    let (code, out) = check(t.path(), &["--baseline", "infra-baseline.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ACR002"), "{out}");
    assert!(out.contains("baseline: 1 new,"), "{out}");
    assert!(out.contains("fixed  ACR001  azurerm_container_registry.main"), "{out}");
    // JSON says the same.
    let (_, out) = check(t.path(), &["--baseline", "infra-baseline.json", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["baseline"]["new"], 1);
    assert_eq!(json["summary"]["baseline"]["fixed"], 1);
    assert_eq!(json["fixed"][0]["rule"], "ACR001");
}

#[test]
fn a_moved_block_keeps_its_fingerprint_and_a_renamed_resource_is_new_and_fixed() {
    let t = project(&[("main.tf", APP)]);
    check(t.path(), &["--write-baseline", "b.json"]);
    // Moved to another file, below other text: same findings.
    std::fs::remove_file(t.path().join("main.tf")).unwrap();
    std::fs::write(t.path().join("apps.tf"), format!("locals {{\n  x = 1\n}}\n\n{APP}")).unwrap();
    let (code, out) = check(t.path(), &["--baseline", "b.json"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" 0 new,") && out.contains(" 0 fixed"), "{out}");
    // Renamed: its findings are new, the old ones fixed.
    std::fs::write(t.path().join("apps.tf"), APP.replace("\"web\" {", "\"frontend\" {")).unwrap();
    let (code, out) = check(t.path(), &["--baseline", "b.json"]);
    assert_eq!(code, 1, "{out}");
    let (_, json) = check(t.path(), &["--baseline", "b.json", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let new = json["summary"]["baseline"]["new"].as_u64().unwrap();
    assert!(new > 0);
    assert_eq!(json["summary"]["baseline"]["fixed"].as_u64().unwrap(), new, "{json}");
    assert!(json["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["address"] == "azurerm_container_app.web"));
}

#[test]
fn sarif_carries_the_baseline_state_and_is_valid() {
    let t = project(&[("main.tf", REGISTRY)]);
    check(t.path(), &["--write-baseline", "b.json"]);
    change_registry(t.path());
    let (_, out) = check(t.path(), &["--baseline", "b.json", "--format", "sarif"]);
    let start = out.find('{').unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&out[start..]).unwrap();
    let v = crate::check_sarif_schema::validator();
    assert_eq!(crate::check_sarif_schema::errors(&v, &sarif), Vec::<String>::new());
    let states: Vec<(&str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["baselineState"].as_str().unwrap()))
        .collect();
    assert!(states.contains(&("ACR002", "new")), "{states:?}");
    assert!(states.contains(&("ACR001", "absent")), "{states:?}");
    assert!(states.iter().any(|(_, s)| *s == "unchanged"), "{states:?}");
}

#[test]
fn a_bad_baseline_file_is_a_clear_error() {
    let t = project(&[
        ("main.tf", REGISTRY),
        ("b.json", "{\"version\": 1, \"findings\": [{\"rule\": 1}]}"),
    ]);
    let (code, out) = check(t.path(), &["--baseline", "b.json"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("b.json:1:") && out.contains("not an infra baseline"),
        "{out}"
    );
    assert!(
        out.contains("help: write one with `infra check --write-baseline b.json`"),
        "{out}"
    );
    let (code, out) = check(t.path(), &["--baseline", "missing.json"]);
    assert_ne!(code, 0);
    assert!(out.contains("cannot read baseline missing.json"), "{out}");
}

/// `--base REF` on a temporary repository with two commits: only what the second commit introduces is new, and
/// what it fixes is listed; outside a checkout and for an unknown REF, a clear error.
#[test]
fn base_reports_only_what_the_change_introduces() {
    let t = project(&[("main.tf", REGISTRY)]);
    std::fs::create_dir(t.path().join("apps")).unwrap();
    let (code, out) = check(t.path(), &["--base", "HEAD"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--base needs a git checkout"), "{out}");

    git(t.path(), &["init", "-q", "-b", "main"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "one"]);
    // The change: admin user off (fixed), anonymous pull on (new), the Standard SKU's note unchanged.
    change_registry(t.path());
    git(t.path(), &["commit", "-q", "-am", "two"]);
    let (code, out) = check(t.path(), &["--base", "HEAD~1"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("ACR002"), "{out}");
    assert!(out.contains("baseline: 1 new,") && out.contains(" 1 fixed"), "{out}");
    assert!(out.contains("fixed  ACR001"), "{out}");
    // The directory given as an absolute path is checked at REF too, not in the working tree.
    let absolute = t.path().canonicalize().unwrap();
    let out = Command::new(BIN)
        .args(["check", "--color", "never", "--base", "HEAD~1"])
        .arg(&absolute)
        .current_dir(t.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("baseline: 1 new,") && text.contains(" 1 fixed"), "{text}");
    // Against itself nothing is new.
    let (code, out) = check(t.path(), &["--base", "HEAD"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("baseline: 0 new,"), "{out}");
    // An unknown revision.
    let (code, out) = check(t.path(), &["--base", "no-such-branch"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--base no-such-branch: unknown git revision"), "{out}");
}

/// `--base` in stack mode: each stack checked through its Terraform at REF and now.
#[test]
fn base_works_for_stacks() {
    let t = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["dev", "prod"] {
        let file = format!("{name}.toml");
        std::fs::create_dir_all(t.path().join("stacks")).unwrap();
        std::fs::copy(root.join("stacks").join(&file), t.path().join("stacks").join(&file)).unwrap();
    }
    std::fs::copy(root.join("infra.toml"), t.path().join("infra.toml")).unwrap();
    let render = Command::new(BIN).arg("render").current_dir(t.path()).output().unwrap();
    assert!(render.status.success());
    git(t.path(), &["init", "-q", "-b", "main"]);
    git(t.path(), &["add", "."]);
    git(t.path(), &["commit", "-q", "-m", "one"]);
    let stacks = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["check", "--color", "never"])
            .args(args)
            .current_dir(t.path())
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, out) = stacks(&[]);
    let findings = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim().is_empty())
        .count();
    let (base_code, base_out) = stacks(&["--base", "HEAD"]);
    assert_eq!((code, base_code), (0, 0), "{base_out}");
    assert!(findings > 0);
    assert!(
        base_out.contains(&format!("baseline: 0 new, {findings} unchanged, 0 fixed")),
        "{base_out}"
    );
}
