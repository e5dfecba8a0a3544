//! The worked platform example (issue 25 item 8; docs/stacks.md, "A worked platform"): a platform stack
//! (`examples/platform/platform.toml`: registry, pull identity, Log Analytics, environment, network, no app) and an
//! app stack on it (`examples/platform/apps.toml`: three apps, a job, Key Vault secrets, the platform by
//! `[existing.*]`). Their rendered forms are committed for the test provider
//! (`tests/terraform-provider/tests/platform_example.rs` validates and plans them); these tests keep them fresh,
//! fmt-canonical, and `infra check` on them as docs/stacks.md explains.

use std::process::Command;

const PLATFORM: &str = "examples/platform/platform.toml";
const APPS: &str = "examples/platform/apps.toml";

fn infra(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_infra")).args(args).output().unwrap()
}

#[test]
fn a_platform_stack_without_apps_renders_its_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = infra(&["render", PLATFORM, "--out", out]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let main = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    assert!(
        main.contains("resource \"azurerm_container_app_environment\" \"main\" {"),
        "{main}"
    );
    assert!(
        main.contains("resource \"azurerm_role_assignment\" \"acr_pull\" {"),
        "{main}"
    );
    assert!(!main.contains("resource \"azurerm_container_app\" "), "{main}");
}

#[test]
fn a_stack_with_no_app_no_job_and_no_environment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(APPS).unwrap();
    let cut = text.find("\n# The public front end").unwrap();
    let path = dir.path().join("empty.toml");
    std::fs::write(&path, &text[..cut]).unwrap();
    let run = infra(&[
        "render",
        path.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(err.contains("no app, no job and no environment of its own"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!dir.path().join("out").exists(), "partial output");
}

#[test]
fn the_rendered_example_is_fresh() {
    for (stack, name) in [(PLATFORM, "platform"), (APPS, "apps")] {
        for format in ["hcl", "json"] {
            crate::support::assert_fixture_fresh(stack, &format!("example-{name}-{format}"), format);
        }
    }
}

#[test]
fn the_rendered_example_is_terraform_fmt_canonical() {
    for name in ["platform", "apps"] {
        let dir = format!("tests/terraform-provider/tests/fixtures/example-{name}-hcl");
        let fmt = Command::new("terraform")
            .args(["fmt", "-check", "-diff", &dir])
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .output()
            .expect("terraform on PATH");
        assert!(
            fmt.status.success(),
            "{dir} is not fmt-canonical:\n{}",
            String::from_utf8_lossy(&fmt.stdout)
        );
    }
}

/// The rule IDs `infra check` reports on `dir`, in output order.
fn findings(dir: &str) -> Vec<String> {
    let run = infra(&["check", dir]);
    let out = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(run.status.success(), "{out}{}", String::from_utf8_lossy(&run.stderr));
    assert!(out.contains("resources in"), "{out}");
    out.lines()
        .filter_map(|l| {
            l.split_whitespace()
                .nth(1)
                .filter(|id| l.starts_with("  ") && id.len() == 6)
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn infra_check_on_the_example_finds_only_what_the_docs_explain() {
    for format in ["hcl", "json"] {
        let platform = findings(&format!(
            "tests/terraform-provider/tests/fixtures/example-platform-{format}"
        ));
        assert!(platform.is_empty(), "{format}: {platform:?}");
        // docs/stacks.md, "A worked platform": the app stack's storage account is mounted by the platform's
        // environment over its public endpoint (STG005), explained there.
        let apps = findings(&format!(
            "tests/terraform-provider/tests/fixtures/example-apps-{format}"
        ));
        assert_eq!(apps, ["STG005"], "{format}");
    }
}
