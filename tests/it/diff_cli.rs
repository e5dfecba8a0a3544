//! `infra diff` end to end: the binary in temporary directories, exact output and exit codes.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{infra_in as infra, stdout_of as stdout};

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
}

const OLD: &str = r#"resource "azurerm_container_registry" "main" {
  name                = "crshop"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Basic"
}
"#;

#[test]
fn two_directories_exit_codes_and_exact_text() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/main.tf", OLD);
    write(tmp.path(), "new/main.tf", &OLD.replace("Basic", "Premium"));
    write(tmp.path(), "same/main.tf", OLD);

    let o = infra(tmp.path(), &["diff", "old", "same"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "No changes. Your infrastructure matches the configuration.\n"
    );

    let o = infra(tmp.path(), &["diff", "old", "new"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        r#"Resource actions are indicated with the following symbols:
  ~ update in-place

infra predicts the following actions (offline: values not known before apply are shown as written):

  # azurerm_container_registry.main will be updated in-place
  ~ resource "azurerm_container_registry" "main" {
        name                = "crshop"
      ~ sku                 = "Basic" -> "Premium"
        # (2 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.
"#
    );
    // Not destructive: --fail-on-destroy does not change the exit code.
    assert_eq!(
        infra(tmp.path(), &["diff", "old", "new", "--fail-on-destroy"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn fail_on_destroy_exits_3_for_a_replacement() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/main.tf", OLD);
    write(tmp.path(), "new/main.tf", &OLD.replace("westeurope", "northeurope"));
    let o = infra(tmp.path(), &["diff", "old", "new"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("      ~ location            = \"westeurope\" -> \"northeurope\" # forces replacement\n")
    );
    let o = infra(tmp.path(), &["diff", "old", "new", "--fail-on-destroy"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o).contains("Plan: 1 to add, 0 to change, 1 to destroy.\n"));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/main.tf", OLD);
    write(tmp.path(), "new/main.tf", &OLD.replace("Basic", "Premium"));
    // stdout is a pipe here: auto means no colour.
    assert!(!stdout(&infra(tmp.path(), &["diff", "old", "new"])).contains('\x1b'));
    let coloured = stdout(&infra(tmp.path(), &["diff", "old", "new", "--color", "always"]));
    assert!(coloured.contains("\x1b[33m~\x1b[0m sku"), "{coloured:?}");
    assert!(!stdout(&infra(tmp.path(), &["diff", "old", "new", "--color", "never"])).contains('\x1b'));
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["diff", "old", "new", "--color", "auto"])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'));
    // Markdown and JSON are never coloured.
    assert!(!stdout(&infra(
        tmp.path(),
        &["diff", "old", "new", "--color", "always", "--format", "json"]
    ))
    .contains('\x1b'));
}

#[test]
fn json_and_markdown_formats() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/main.tf", OLD);
    write(tmp.path(), "new/main.tf", &OLD.replace("crshop", "crshop2"));
    let o = infra(tmp.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    json_snapshot!("diff", "cli_registry_rename_json", v);
    let md = stdout(&infra(tmp.path(), &["diff", "old", "new", "--format", "markdown"]));
    assert!(
        md.starts_with("### infra diff\n\n**Plan: 1 to add, 0 to change, 1 to destroy.**\n"),
        "{md}"
    );
    assert!(md.contains("> [!CAUTION]\n"), "{md}");
    assert!(
        md.contains(
            "> - <code>azurerm_container_registry.main</code> — ♻️ replace (destroy, then create): <code>name</code> \
             forces replacement\n"
        ),
        "{md}"
    );
}

#[test]
fn errors_exit_1_with_a_clear_message() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "old/main.tf", OLD);
    write(tmp.path(), "bad/main.tf", "resource \"a\" \"b\" {\n  name = \n}\n");
    let o = infra(tmp.path(), &["diff", "old", "bad"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: bad/main.tf:2:"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());

    let state =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terraform-json/states/tfsummarize_example.tfstate");
    let o = infra(tmp.path(), &["diff", "--plan", state.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("this is a state file, not a plan: run `terraform show -json PLANFILE`"),
        "{}",
        stderr(&o)
    );

    let o = infra(tmp.path(), &["diff"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: cannot read stacks directory stacks: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn plan_mode_renders_a_fixture_and_gates() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform-json/plans/07_tfcore_golden_basic_delete.plan.json");
    let tmp = tempfile::tempdir().unwrap();
    let o = infra(tmp.path(), &["diff", "--plan", plan.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("  - resource \"test_instance\" \"test-delete\" {\n"));
    let o = infra(
        tmp.path(),
        &["diff", "--plan", plan.to_str().unwrap(), "--fail-on-destroy"],
    );
    assert_eq!(o.status.code(), Some(3));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A git checkout holding the reference stacks and their committed terraform/.
fn reference_repo(tmp: &Path) -> std::path::PathBuf {
    let repo = tmp.join("repo");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("stacks"), &repo.join("stacks"));
    copy_dir(&root.join("terraform"), &repo.join("terraform"));
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    repo
}

#[test]
fn no_arguments_compares_committed_terraform_with_a_fresh_render() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = reference_repo(tmp.path());
    let o = infra(&repo, &["diff"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Stack dev:\n\nNo changes. Your infrastructure matches the configuration.\n\nStack prod:\n\nNo changes. Your infrastructure matches the configuration.\n"
    );
    let dev = std::fs::read_to_string(repo.join("stacks/dev.toml")).unwrap();
    std::fs::write(
        repo.join("stacks/dev.toml"),
        dev.replace("sku = \"Basic\"", "sku = \"Premium\""),
    )
    .unwrap();
    let o = infra(&repo, &["diff"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("Stack dev:\n\nResource actions are indicated"), "{out}");
    assert!(
        out.contains("      ~ sku                           = \"Basic\" -> \"Premium\"\n"),
        "{out}"
    );
    assert!(
        out.ends_with("Stack prod:\n\nNo changes. Your infrastructure matches the configuration.\n"),
        "{out}"
    );

    // An invalid stack is an error with file, line and column; nothing is diffed.
    std::fs::write(repo.join("stacks/dev.toml"), dev.replace("cpu = 0.5", "cpu = \"lots\"")).unwrap();
    let o = infra(&repo, &["diff"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("stacks/dev.toml:"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

#[test]
fn base_ref_compares_terraform_at_ref_with_a_fresh_render() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = reference_repo(tmp.path());
    let prod = std::fs::read_to_string(repo.join("stacks/prod.toml")).unwrap();
    std::fs::write(
        repo.join("stacks/prod.toml"),
        prod.replace("name = \"acrfastapiprod\"", "name = \"acrfastapiprod2\""),
    )
    .unwrap();
    // The branch changes the stack and re-renders: committed files no longer differ from the render, but
    // against main they do.
    git(&repo, &["checkout", "-q", "-b", "rename"]);
    assert_eq!(
        Command::new(env!("CARGO_BIN_EXE_infra"))
            .arg("render")
            .current_dir(&repo)
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    git(&repo, &["commit", "-q", "-am", "rename registry"]);
    assert_eq!(infra(&repo, &["diff"]).status.code(), Some(0));

    let o = infra(&repo, &["diff", "--base", "main", "--fail-on-destroy"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("Stack dev:\n\nNo changes. Your infrastructure matches the configuration.\n\nStack prod:\n\n"),
        "{out}"
    );
    assert!(
        out.contains("  # azurerm_container_registry_webhook.cdpush must be replaced\n"),
        "{out}"
    );
    assert!(out.contains("Plan: 5 to add, 1 to change, 5 to destroy.\n"), "{out}");

    let o = infra(&repo, &["diff", "--base", "main", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["stacks"][1]["stack"], "prod");
    assert_eq!(v["stacks"][1]["diff"]["summary"]["destroy"], 5);

    let o = infra(&repo, &["diff", "--base", "no-such-branch"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: --base no-such-branch: unknown git revision (not a branch, tag or commit in this repository)\n"
    );

    let outside = tmp.path().join("not-a-repo");
    copy_dir(&repo.join("stacks"), &outside.join("stacks"));
    let o = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["diff", "--base", "main"])
        .current_dir(&outside)
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: --base needs a git checkout, and the current directory is not inside one\n"
    );
}

/// The `infra diff` example in docs/diff.md is real output: renaming the production registry.
#[test]
fn readme_example_is_real_output() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diff.md")).unwrap();
    let marker = "stacks/prod.toml && infra diff` (exit code 2):\n\n```\n";
    let start = readme.find(marker).expect("the infra diff example") + marker.len();
    let end = start + readme[start..].find("```").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let repo = reference_repo(tmp.path());
    let prod = std::fs::read_to_string(repo.join("stacks/prod.toml")).unwrap();
    std::fs::write(
        repo.join("stacks/prod.toml"),
        prod.replace("name = \"acrfastapiprod\"", "name = \"acrfastapiprod2\""),
    )
    .unwrap();
    let o = infra(&repo, &["diff"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), &readme[start..end]);
}

/// `infra diff … | head -1`: the reader closes the pipe early; infra stops writing quietly (no panic) and still
/// exits with its own code.
#[test]
fn a_closed_pipe_is_not_a_panic() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Far more output than a pipe buffers (64 KiB), so infra is still writing when the reader goes away.
    let changes: Vec<serde_json::Value> = (0..3000)
        .map(|i| {
            serde_json::json!({
                "address": format!("terraform_data.item[{i}]"), "mode": "managed", "type": "terraform_data",
                "name": "item", "index": i, "provider_name": "terraform.io/builtin/terraform",
                "change": {"actions": ["create"], "before": null, "after": {"input": format!("value-{i}")},
                           "after_unknown": {"id": true, "output": true}, "before_sensitive": false,
                           "after_sensitive": {}}
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("big.plan.json");
    let json = serde_json::json!({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes});
    std::fs::write(&plan, json.to_string()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["diff", "--plan"])
        .arg(&plan)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `--providers-schema`: with the corpus provider's schema, a plan of its resource is terraform's text exactly;
/// without it, the layout is inferred and one note line says so; a file that is not a schema is an error.
#[test]
fn providers_schema_gives_terraforms_layout_for_other_providers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-corpus/corpus_update_blocks");
    let plan = dir.join("plan.json");
    let (plan, schema) = (plan.to_str().unwrap(), dir.join("schema.json"));
    let tmp = tempfile::tempdir().unwrap();
    let with = infra(
        tmp.path(),
        &["diff", "--plan", plan, "--providers-schema", schema.to_str().unwrap()],
    );
    assert_eq!(with.status.code(), Some(2), "{}", stderr(&with));
    assert_eq!(stdout(&with), std::fs::read_to_string(dir.join("show.txt")).unwrap());

    let without = infra(tmp.path(), &["diff", "--plan", plan]);
    assert_eq!(without.status.code(), Some(2));
    let text = stdout(&without);
    assert_ne!(text, stdout(&with));
    assert!(
        text.contains("\nNote: no provider schema for corpus_thing: the layout of their nested blocks\nis approximate"),
        "{text}"
    );
    assert_eq!(text.matches("Note: no provider schema").count(), 1, "{text}");

    write(tmp.path(), "bad.json", "{\"format_version\": 1}");
    let bad = infra(tmp.path(), &["diff", "--plan", plan, "--providers-schema", "bad.json"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert!(
        err.contains("bad.json: not the output of `terraform providers schema -json`"),
        "{err}"
    );
    assert!(
        err.contains("help: write it with `terraform providers schema -json > schemas.json`"),
        "{err}"
    );
    assert!(stdout(&bad).is_empty());
}
