//! `infra check` end to end: the binary in temp directories, exact output and exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_infra");

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(rel)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs `infra check <args>` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A temp dir holding a copy of this repository's reference stacks, their committed Terraform and infra.toml.
fn repo() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = tempfile::tempdir().unwrap();
    copy_dir(&root.join("stacks"), &t.path().join("stacks"));
    copy_dir(&root.join("terraform"), &t.path().join("terraform"));
    std::fs::copy(root.join("infra.toml"), t.path().join("infra.toml")).unwrap();
    t
}

fn findings(json: &str) -> Vec<(String, String, String, bool)> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["stack"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["address"].as_str().unwrap().to_string(),
                f["suppressed"].as_bool().unwrap(),
            )
        })
        .collect()
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        snapshot!("check", $name, $value);
    };
}

#[test]
fn stacks_dev_has_the_basic_registry_findings_and_prod_is_clean() {
    let t = repo();
    let (code, out, err) = run(t.path(), &[]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    snap!("cli_stacks_text", out);

    // Exactly these findings, and nothing else: dev's Basic registry and open storage account. prod has none,
    // and no waiver: its private network lets it disable export (ACR011), and its storage firewall denies by default.
    let (_, json, _) = run(t.path(), &["--format", "json"]);
    let reg = "azurerm_container_registry.main".to_string();
    let expected = vec![
        ("dev".into(), "ACR003".into(), reg.clone(), false),
        ("dev".into(), "ACR004".into(), reg.clone(), false),
        ("dev".into(), "ACR014".into(), reg, false),
        (
            "dev".into(),
            "STG005".into(),
            "azurerm_storage_account.data".into(),
            false,
        ),
    ];
    assert_eq!(findings(&json), expected);
    assert!(!std::fs::read_to_string(t.path().join("infra.toml"))
        .unwrap()
        .contains("[[waivers]]"));
}

#[test]
fn the_committed_directories_checked_directly() {
    let t = repo();
    // terraform/prod is production by its name; it has no finding.
    let (code, out, err) = run(t.path(), &["terraform/prod"]);
    assert_eq!((code, err.as_str()), (0, ""));
    snap!("cli_dir_prod_text", out);
    let (code, out, _) = run(t.path(), &["terraform/dev"]);
    assert_eq!(code, 0);
    // ACR003, ACR004, ACR014 on the Basic registry; STG005 on the open storage account.
    assert_eq!(out.lines().filter(|l| l.starts_with("  ")).count(), 4, "{out}");
}

#[test]
fn stacks_rendered_as_json_give_the_same_findings() {
    let t = repo();
    let (_, hcl, _) = run(t.path(), &["--format", "json"]);
    std::fs::remove_dir_all(t.path().join("terraform")).unwrap();
    let status = Command::new(BIN)
        .args(["render", "--format", "json"])
        .current_dir(t.path())
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let (code, json, err) = run(t.path(), &["--format", "json"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(findings(&hcl), findings(&json));
    assert!(json.contains("\"file\": \"terraform/dev/main.tf.json\""), "{json}");
}

#[test]
fn stale_committed_terraform_is_a_warning() {
    let t = repo();
    let main = t.path().join("terraform/dev/main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text.replace("sku                           = \"Basic\"", "sku = \"Standard\""),
    )
    .unwrap();
    let (code, out, err) = run(t.path(), &[]);
    assert_eq!(code, 0);
    assert!(out.contains("ACR003"), "findings are about the stack: {out}");
    assert_eq!(
        err,
        "warning: terraform/dev is not what stacks/dev.toml renders (terraform/dev/main.tf: edited by hand \
         (differs from what infra generated)); run `infra render` (findings are about the stack)\n"
    );
}

#[test]
fn directory_mode_exit_codes_and_fail_on() {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ACR001/fail"), &t.path().join("tf"));
    let (code, out, err) = run(t.path(), &["tf"]);
    assert_eq!(code, 1, "{out}{err}");
    snap!("cli_dir_fail_text", out);

    let (code, _, _) = run(t.path(), &["tf", "--fail-on", "critical"]);
    assert_eq!(code, 0);

    copy_dir(&fixture("ACR001/pass"), &t.path().join("ok"));
    let (code, out, _) = run(t.path(), &["ok"]);
    assert_eq!(code, 0);
    assert_eq!(out, "1 resource in 1 file: 0 findings; none at or above high: passed\n");

    // fail_on from infra.toml; the flag overrides it.
    std::fs::write(t.path().join("infra.toml"), "[check]\nfail_on = \"low\"\n").unwrap();
    assert_eq!(run(t.path(), &["ok"]).0, 0);
    copy_dir(&fixture("ACR005/fail"), &t.path().join("low"));
    assert_eq!(run(t.path(), &["low"]).0, 1);
    assert_eq!(run(t.path(), &["low", "--fail-on", "medium"]).0, 0);
}

#[test]
fn color_flag_colours_severities_in_text_only() {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ACR001/fail"), &t.path().join("tf"));
    // stdout is a pipe here: auto (the default) means no colour.
    let (code, plain, _) = run(t.path(), &["tf"]);
    assert_eq!(code, 1);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let (code, coloured, _) = run(t.path(), &["tf", "--color", "always"]);
    assert_eq!(code, 1, "the exit code does not depend on colour");
    assert!(coloured.contains("\x1b[1;31mhigh    \x1b[0m"), "{coloured:?}");
    // Without the escapes, the same text.
    assert_eq!(coloured.replace("\x1b[1;31m", "").replace("\x1b[0m", ""), plain);
    assert_eq!(run(t.path(), &["tf", "--color", "never"]).1, plain);
    let no_color = Command::new(BIN)
        .args(["check", "tf", "--color", "auto"])
        .current_dir(t.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8(no_color.stdout).unwrap().contains('\x1b'));
    // Machine formats are never coloured; a bad choice is a usage error (2, as for every check error).
    assert!(!run(t.path(), &["tf", "--color", "always", "--format", "json"])
        .1
        .contains('\x1b'));
    let (code, _, err) = run(t.path(), &["tf", "--color", "sometimes"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--color"), "{err}");
}

#[test]
fn production_from_directory_name_or_flag() {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&fixture("APP005/fail"), &t.path().join("staging"));
    copy_dir(&fixture("APP005/fail"), &t.path().join("prod"));
    let has = |args: &[&str]| run(t.path(), args).1.contains("APP005");
    assert!(!has(&["staging"]));
    assert!(has(&["prod"]));
    assert!(has(&["staging", "--production"]));
}

#[test]
fn waivers_suppress_until_they_expire() {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&fixture("ACR001/fail"), &t.path().join("tf"));
    let waiver = |expires: &str| {
        format!(
            "[[waivers]]\nrule = \"ACR001\"\naddress = \"azurerm_container_registry.main\"\n\
             reason = \"break-glass access until the migration (OPS-7)\"\nexpires = \"{expires}\"\n"
        )
    };
    std::fs::write(t.path().join("infra.toml"), waiver("2999-01-01")).unwrap();
    let (code, out, _) = run(t.path(), &["tf"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("waived until 2999-01-01: break-glass access until the migration (OPS-7)"),
        "{out}"
    );
    let (_, json, _) = run(t.path(), &["tf", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["findings"][0]["suppressed"], true);
    assert_eq!(
        v["findings"][0]["suppression"]["reason"],
        "break-glass access until the migration (OPS-7)"
    );
    let (_, sarif, _) = run(t.path(), &["tf", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["suppressions"][0]["kind"], "external");

    std::fs::write(t.path().join("infra.toml"), waiver("2020-01-01")).unwrap();
    let (code, out, _) = run(t.path(), &["tf"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("waiver expired on 2020-01-01 (no longer applies)"),
        "{out}"
    );
}

#[test]
fn formats() {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&fixture("STG004/fail"), &t.path().join("tf"));
    std::fs::write(
        t.path().join("infra.toml"),
        "[[waivers]]\nrule = \"STG004\"\naddress = \"azurerm_storage_account.data\"\nreason = \"legacy <export> & \\\"quotes\\\"\"\nexpires = \"2999-12-31\"\n",
    )
    .unwrap();
    let (code, json, _) = run(t.path(), &["tf", "--format", "json"]);
    assert_eq!(code, 0);
    snap!("cli_format_json", json);
    let (code, junit, _) = run(t.path(), &["tf", "--format", "junit", "--fail-on", "medium"]);
    assert_eq!(code, 1);
    snap!("cli_format_junit", junit);
    let (_, sarif, _) = run(t.path(), &["tf", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    snap!(
        "cli_format_sarif_results",
        serde_json::to_string_pretty(&v["runs"][0]["results"]).unwrap()
    );
}

#[test]
fn explain_and_list() {
    let t = tempfile::tempdir().unwrap();
    let (code, out, _) = run(t.path(), &["--explain", "acr001"]);
    assert_eq!(code, 0);
    snap!("cli_explain_acr001", out);
    let (code, out, _) = run(t.path(), &["--list-rules"]);
    assert_eq!(code, 0);
    snap!("cli_list_rules", out);
    let (code, _, err) = run(t.path(), &["--explain", "XYZ001"]);
    assert_eq!(
        (code, err.as_str()),
        (2, "error: no rule `XYZ001` (infra check --list-rules lists them)\n")
    );
}

#[test]
fn malformed_input_is_a_clear_error_with_exit_2() {
    let t = tempfile::tempdir().unwrap();
    let case = |name: &str, files: &[(&str, &[u8])]| -> String {
        let d = t.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        for (f, content) in files {
            std::fs::write(d.join(f), content).unwrap();
        }
        let (code, out, err) = run(t.path(), &[name]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert_eq!(out, "", "{name}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        err
    };
    let mut all = String::new();
    all += &case(
        "hcl",
        &[(
            "main.tf",
            b"resource \"azurerm_resource_group\" \"x\" {\n  name = \n}\n",
        )],
    );
    all += &case("json_array", &[("main.tf.json", b"[1, 2, 3]\n")]);
    all += &case("json_broken", &[("main.tf.json", b"{\"resource\": {\n")]);
    all += &case(
        "json_not_tf",
        &[("main.tf.json", b"{\"name\": \"my-package\", \"version\": \"1.0.0\"}\n")],
    );
    all += &case("binary", &[("main.tf", b"\x7fELF\x02\x01\x01\x00\xff\xfe\x00\x00")]);
    all += &case("empty", &[]);
    all += &case(
        "no_resources",
        &[("variables.tf", b"variable \"x\" {\n  type = string\n}\n")],
    );
    all += &case("not_tf", &[("README.md", b"# hello\n")]);
    let (code, _, err) = run(t.path(), &["missing"]);
    assert_eq!(code, 2);
    all += &err;
    std::fs::write(t.path().join("infra.toml"), "[check]\nfail_on = \"severe\"\n").unwrap();
    let (code, _, err) = run(t.path(), &["hcl"]);
    assert_eq!(code, 2);
    all += &err;
    std::fs::remove_file(t.path().join("infra.toml")).unwrap();
    // No stacks/ and no path.
    let (code, _, err) = run(t.path(), &[]);
    assert_eq!(code, 2);
    all += &err;
    let (code, _, err) = run(t.path(), &["hcl", "--fail-on", "info"]);
    assert_eq!(code, 2);
    all += err.lines().next().unwrap();
    all += "\n";
    snap!("cli_malformed", all);
}

#[test]
fn json_that_is_terraform_but_wrong_shape() {
    // `resource` must be an object of objects.
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("tf");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("main.tf.json"), "{\"resource\": [1]}").unwrap();
    let (code, _, err) = run(t.path(), &["tf"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: tf/main.tf.json:1:"), "{err}");
}

#[test]
fn plan_mode_checks_planned_values() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("plans")).unwrap();
    std::fs::copy(fixture("plan/prod.plan.json"), t.path().join("plans/prod.plan.json")).unwrap();
    // `prod.plan.json` is production by its name; values known only after apply (the registry identity, the
    // workspace ID, identity_ids, the role assignment's principal) are unknown, not missing: no APP001, APP002,
    // ENV001 or IAM findings. The environment storage mounts the account by its literal name: no STG004.
    let (code, out, err) = run(t.path(), &["--plan", "plans/prod.plan.json"]);
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    assert!(!out.contains("secret-value-never-shown"));
    snap!("cli_plan_text", out);

    let (_, sarif, _) = run(t.path(), &["--plan", "plans/prod.plan.json", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .all(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "plans/prod.plan.json"));

    // Not a plan, or a plan with nothing planned: exit 2.
    let mut errors = String::new();
    for (name, content) in [
        (
            "state.json",
            "{\"version\": 4, \"terraform_version\": \"1.11.0\", \"lineage\": \"x\", \"resources\": []}",
        ),
        ("broken.json", "{\"format_version\": \"1.2\", "),
        (
            "no_planned_values.json",
            "{\"format_version\": \"1.2\", \"resource_changes\": []}",
        ),
    ] {
        std::fs::write(t.path().join(name), content).unwrap();
        let (code, out, err) = run(t.path(), &["--plan", name]);
        assert_eq!((code, out.as_str()), (2, ""), "{name}: {err}");
        errors += &err;
    }
    let (code, _, err) = run(t.path(), &["--plan", "missing.json"]);
    assert_eq!(code, 2);
    errors += &err;
    snap!("cli_plan_errors", errors);
}
