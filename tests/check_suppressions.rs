//! In-source suppressions (issue 12, item 5): `# infra:ignore[ID] reason [until=YYYY-MM-DD]` on a resource or an
//! argument, and checkov's `#checkov:skip=CKV_…:reason` through each rule's checkov equivalents; shown as
//! suppressed with the reason in text, JSON, SARIF (`inSource`) and JUnit; one without a reason is a finding.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn check(root: &Path, format: &str) -> (i32, String) {
    let out = Command::new(BIN)
        .args(["check", ".", "--format", format, "--color", "never"])
        .current_dir(root)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// (rule, suppressed, reason) of every finding in the JSON output.
fn findings(root: &Path) -> Vec<(String, bool, String)> {
    let (_, out) = check(root, "json");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["suppressed"].as_bool().unwrap(),
                f["suppression"]["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A Basic registry with the admin user on and public access: ACR001 (admin user, CKV_AZURE_137), ACR003
/// (Basic SKU) and ACR004 (public network, CKV_AZURE_139) fire.
fn registry(before: &str, admin_comment: &str, inside: &str) -> String {
    format!(
        "{before}resource \"azurerm_container_registry\" \"main\" {{\n  name                = \"contosoprodacr\"\n  \
         resource_group_name = \"rg-prod\"\n  location            = \"westeurope\"\n  sku                 = \"Basic\"\n  \
         {admin_comment}\n  admin_enabled       = true\n{inside}}}\n"
    )
}

fn has(f: &[(String, bool, String)], rule: &str, suppressed: bool) -> bool {
    f.iter().any(|(r, s, _)| r == rule && *s == suppressed)
}

#[test]
fn infra_ignore_on_the_resource_suppresses_those_rules_for_it() {
    let t = tempfile::tempdir().unwrap();
    let tf = registry(
        "# infra:ignore[ACR004,ACR003] public registry for the open-source images; Basic is enough\n",
        "",
        "",
    );
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t.path());
    assert!(has(&f, "ACR004", true) && has(&f, "ACR003", true), "{f:?}");
    assert!(has(&f, "ACR001", false), "{f:?}");
    assert!(f
        .iter()
        .any(|(_, _, r)| r.starts_with("public registry for the open-source images")));

    let (_, text) = check(t.path(), "text");
    assert!(
        text.contains("suppressed in source (main.tf:1): public registry for the open-source images"),
        "{text}"
    );
    // SARIF: an inSource suppression with the reason and where it is written.
    let (_, sarif) = check(t.path(), "sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let suppressed: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 2);
    let s = &suppressed[0]["suppressions"][0];
    assert_eq!(s["kind"], "inSource");
    assert_eq!(s["location"]["physicalLocation"]["artifactLocation"]["uri"], "main.tf");
    assert_eq!(s["location"]["physicalLocation"]["region"]["startLine"], 1);
    // JUnit: the rule × resource case is skipped with the reason.
    let (_, junit) = check(t.path(), "junit");
    assert!(
        junit.contains("<skipped message=\"suppressed: public registry for the open-source images"),
        "{junit}"
    );
}

#[test]
fn infra_ignore_on_an_argument_suppresses_findings_at_that_argument_only() {
    let t = tempfile::tempdir().unwrap();
    let tf = registry(
        "",
        "# infra:ignore[ACR001] the legacy build agent logs in with the admin user",
        "",
    );
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t.path());
    assert!(has(&f, "ACR001", true), "{f:?}");
    // ACR004 is reported at the block, not at admin_enabled: not suppressed by a comment on the argument.
    let t2 = tempfile::tempdir().unwrap();
    let tf = registry("", "# infra:ignore[ACR004] not about this argument", "");
    write(t2.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t2.path());
    assert!(has(&f, "ACR004", false), "{f:?}");
}

#[test]
fn checkov_skip_is_honoured_through_the_checkov_equivalents() {
    let t = tempfile::tempdir().unwrap();
    let tf = registry(
        "",
        "",
        "  #checkov:skip=CKV_AZURE_137:the legacy build agent logs in with the admin user\n  #checkov:skip=CKV_AZURE_139:public by design\n",
    );
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t.path());
    assert!(has(&f, "ACR001", true) && has(&f, "ACR004", true), "{f:?}");
    assert!(has(&f, "ACR003", false), "{f:?}");
}

#[test]
fn a_suppression_without_a_reason_suppresses_nothing_and_is_a_finding() {
    let t = tempfile::tempdir().unwrap();
    let tf = registry("# infra:ignore[ACR004]\n", "", "  #checkov:skip=CKV_AZURE_137\n");
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t.path());
    assert!(has(&f, "ACR004", false) && has(&f, "ACR001", false), "{f:?}");
    assert_eq!(f.iter().filter(|(r, _, _)| r == "GEN003").count(), 2, "{f:?}");
}

#[test]
fn an_expired_suppression_no_longer_applies() {
    let t = tempfile::tempdir().unwrap();
    let tf = registry(
        "# infra:ignore[ACR004] public until the private endpoint lands until=2020-01-31\n",
        "",
        "",
    );
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    let f = findings(t.path());
    assert!(has(&f, "ACR004", false), "{f:?}");
    let (code, text) = check(t.path(), "text");
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("suppression (main.tf:1) expired on 2020-01-31 (no longer applies)"),
        "{text}"
    );

    let t = tempfile::tempdir().unwrap();
    let tf = registry(
        "# infra:ignore[ACR004] public until the private endpoint lands until=2099-01-31\n",
        "",
        "",
    );
    write(t.path(), &[("infra.toml", ""), ("main.tf", &tf)]);
    assert!(has(&findings(t.path()), "ACR004", true));
}

#[test]
fn a_suppression_in_a_module_file_applies_there() {
    let t = tempfile::tempdir().unwrap();
    let module = registry(
        "# infra:ignore[ACR001] the module's callers need the admin user for now\n",
        "",
        "",
    );
    write(
        t.path(),
        &[
            ("infra.toml", ""),
            ("main.tf", "module \"acr\" {\n  source = \"./modules/acr\"\n}\n"),
            ("modules/acr/main.tf", &module),
        ],
    );
    let f = findings(t.path());
    assert!(has(&f, "ACR001", true) && has(&f, "ACR004", false), "{f:?}");
}
