//! `infra render` as a process: run the built binary in a temporary directory holding copies of the reference
//! stacks, and pin stdout, stderr and the exit code.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn infra(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A temporary project with `stacks/dev.toml` and `stacks/prod.toml`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let stacks = dir.path().join("stacks");
    std::fs::create_dir(&stacks).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["dev", "prod"] {
        std::fs::copy(
            root.join(format!("stacks/{name}.toml")),
            stacks.join(format!("{name}.toml")),
        )
        .unwrap();
    }
    dir
}

fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

const WROTE_ALL: &str = "\
wrote terraform/dev/versions.tf
wrote terraform/dev/providers.tf
wrote terraform/dev/variables.tf
wrote terraform/dev/main.tf
wrote terraform/dev/outputs.tf
wrote terraform/prod/versions.tf
wrote terraform/prod/providers.tf
wrote terraform/prod/variables.tf
wrote terraform/prod/main.tf
wrote terraform/prod/outputs.tf
";

const UP_TO_DATE: &str = "terraform/dev: up to date\nterraform/prod: up to date\n";

#[test]
fn renders_every_stack_then_nothing_to_do() {
    let p = project();
    let r = infra(p.path(), &["render"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, WROTE_ALL, ""));
    let main = p.path().join("terraform/prod/main.tf");
    let first = std::fs::read(&main).unwrap();
    let r = infra(p.path(), &["render"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, UP_TO_DATE, ""));
    assert_eq!(std::fs::read(&main).unwrap(), first, "byte-identical across runs");
    // The committed reference output is what the binary writes.
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("terraform/prod/main.tf");
    assert_eq!(std::fs::read(committed).unwrap(), first);
}

#[test]
fn renders_one_stack_into_out_dir() {
    let p = project();
    let r = infra(p.path(), &["render", "stacks/prod.toml", "--out", "build/prod"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "wrote build/prod/versions.tf\nwrote build/prod/providers.tf\nwrote build/prod/variables.tf\nwrote build/prod/main.tf\nwrote build/prod/outputs.tf\n",
            ""
        )
    );
    assert!(!p.path().join("terraform").exists());
}

#[test]
fn out_takes_one_stack() {
    let p = project();
    let r = infra(p.path(), &["render", "--out", "x"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (1, "", "error: --out takes exactly one stack, but 2 were given\n")
    );
}

#[test]
fn json_format_replaces_generated_hcl() {
    let p = project();
    infra(p.path(), &["render", "stacks/dev.toml"]);
    let r = infra(p.path(), &["render", "stacks/dev.toml", "--format", "json"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            0,
            "wrote terraform/dev/versions.tf.json\nwrote terraform/dev/providers.tf.json\nwrote terraform/dev/variables.tf.json\nwrote terraform/dev/main.tf.json\nwrote terraform/dev/outputs.tf.json\nremoved terraform/dev/main.tf\nremoved terraform/dev/outputs.tf\nremoved terraform/dev/providers.tf\nremoved terraform/dev/variables.tf\nremoved terraform/dev/versions.tf\n",
            ""
        )
    );
    assert_eq!(
        files(&p.path().join("terraform/dev")),
        [
            "main.tf.json",
            "outputs.tf.json",
            "providers.tf.json",
            "variables.tf.json",
            "versions.tf.json"
        ]
    );
    let text = std::fs::read_to_string(p.path().join("terraform/dev/main.tf.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap();
    let r = infra(p.path(), &["render", "stacks/dev.toml", "--format", "json", "--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "terraform/dev: up to date\n"));
}

#[test]
fn check_is_clean_after_render_and_writes_nothing() {
    let p = project();
    let r = infra(p.path(), &["render", "--check"]);
    assert_eq!(r.code, 1);
    assert!(!p.path().join("terraform").exists(), "--check wrote files");
    assert!(r.stdout.contains("terraform/prod/main.tf: missing\n"), "{}", r.stdout);
    assert_eq!(
        r.stderr,
        "error: 10 files do not match the stacks; run `infra render` and commit the result\n"
    );
    infra(p.path(), &["render"]);
    let r = infra(p.path(), &["render", "--check"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, UP_TO_DATE, ""));
}

#[test]
fn check_names_a_hand_edited_file() {
    let p = project();
    infra(p.path(), &["render"]);
    let main = p.path().join("terraform/prod/main.tf");
    let edited = std::fs::read_to_string(&main)
        .unwrap()
        .replace("min_replicas = 2", "min_replicas = 5");
    std::fs::write(&main, &edited).unwrap();
    let r = infra(p.path(), &["render", "--check"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "terraform/dev: up to date\nterraform/prod/main.tf: edited by hand (differs from what infra generated)\n",
            "error: 1 file does not match the stacks; run `infra render` and commit the result\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(&main).unwrap(),
        edited,
        "--check must not write"
    );
}

#[test]
fn check_names_files_made_stale_by_a_stack_change() {
    let p = project();
    infra(p.path(), &["render"]);
    let stack = p.path().join("stacks/dev.toml");
    let text = std::fs::read_to_string(&stack)
        .unwrap()
        .replace("max_replicas = 10", "max_replicas = 5");
    std::fs::write(&stack, text).unwrap();
    let r = infra(p.path(), &["render", "--check"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "terraform/dev/main.tf: stale (the stack has changed since it was rendered)\nterraform/prod: up to date\n",
            "error: 1 file does not match the stacks; run `infra render` and commit the result\n"
        )
    );
    let r = infra(p.path(), &["render"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "wrote terraform/dev/main.tf\nterraform/prod: up to date\n")
    );
}

#[test]
fn check_names_a_removed_header_and_a_leftover_file() {
    let p = project();
    infra(p.path(), &["render", "stacks/dev.toml"]);
    let dir = p.path().join("terraform/dev");
    let outputs = dir.join("outputs.tf");
    let text = std::fs::read_to_string(&outputs).unwrap();
    std::fs::write(&outputs, text.lines().skip(3).collect::<Vec<_>>().join("\n")).unwrap();
    std::fs::write(dir.join("old.tf"), "# Generated by infra from stacks/dev.toml.\n").unwrap();
    let r = infra(p.path(), &["render", "stacks/dev.toml", "--check"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "terraform/dev/outputs.tf: not generated by infra (header missing), but the stack renders this file\nterraform/dev/old.tf: generated earlier but no longer rendered\n"
        )
    );
    // Writing refuses to overwrite a file infra does not own, and writes nothing.
    let r = infra(p.path(), &["render", "stacks/dev.toml"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            "error: terraform/dev/outputs.tf exists and was not generated by infra; move it away so infra can write it\n"
        )
    );
    assert!(dir.join("old.tf").exists());
}

#[test]
fn files_infra_did_not_generate_are_left_alone() {
    let p = project();
    infra(p.path(), &["render"]);
    let dir = p.path().join("terraform/prod");
    std::fs::write(dir.join("custom.tf"), "# team-owned\nlocals {}\n").unwrap();
    std::fs::write(dir.join("README.md"), "notes\n").unwrap();
    std::fs::write(dir.join(".terraform.lock.hcl"), "lock\n").unwrap();
    let r = infra(p.path(), &["render", "--format", "json", "stacks/prod.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = infra(p.path(), &["render", "stacks/prod.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        files(&dir),
        [
            ".terraform.lock.hcl",
            "README.md",
            "custom.tf",
            "main.tf",
            "outputs.tf",
            "providers.tf",
            "variables.tf",
            "versions.tf"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("custom.tf")).unwrap(),
        "# team-owned\nlocals {}\n"
    );
    let r = infra(p.path(), &["render", "--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, UP_TO_DATE));
}

#[test]
fn bad_stack_is_an_error_and_nothing_is_written() {
    let p = project();
    let stack = p.path().join("stacks/prod.toml");
    let text = std::fs::read_to_string(&stack)
        .unwrap()
        .replace("memory = \"1Gi\"", "memory = \"2Gi\"");
    std::fs::write(&stack, text).unwrap();
    let r = infra(p.path(), &["render"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            1,
            "",
            "error: stacks/prod.toml:87:10: container_app.container.cpu = 0.5 and memory = \"2Gi\" are not a valid Consumption pair\n  help: with cpu = 0.5 use memory = \"1Gi\" (memory must be 2 × cpu, cpu in 0.25 steps from 0.25 to 4.0)\n"
        )
    );
    assert!(
        !p.path().join("terraform").exists(),
        "a bad stack must not leave partial output (dev is valid)"
    );
}

#[test]
fn every_bad_stack_is_reported() {
    let p = project();
    std::fs::write(p.path().join("stacks/dev.toml"), "location = \"westeurope\"\nsku = 1\n").unwrap();
    let stack = p.path().join("stacks/prod.toml");
    let text = std::fs::read_to_string(&stack)
        .unwrap()
        .replace("min_replicas = 2", "min_replicas = 11");
    std::fs::write(&stack, text).unwrap();
    let r = infra(p.path(), &["render"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "error: stacks/dev.toml:2:1: unknown key `sku`\n  help: known keys here: `location`, `tags`, `backend`, `resource_group`, `container_registry`, `identity`, `log_analytics`, `environment`, `existing`, `storage`, `container_app`, `apps`, `jobs`, `network`\nerror: stacks/prod.toml:106:16: container_app.scale.min_replicas = 11 is greater than max_replicas = 10\n  help: min_replicas must be at most max_replicas: lower min_replicas, or raise max_replicas to at least 11\n"
    );
}

#[test]
fn missing_stacks_dir_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = infra(dir.path(), &["render", "--stacks-dir", "nowhere"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("error: cannot read stacks directory nowhere: "),
        "{}",
        r.stderr
    );
    let r = infra(dir.path(), &["render", "--stacks-dir", "."]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            1,
            "error: no stacks (*.toml) in .: add one per environment, e.g. ./dev.toml\n"
        )
    );
}

#[test]
fn help_explains_every_flag() {
    let dir = tempfile::tempdir().unwrap();
    let r = infra(dir.path(), &["render", "--help"]);
    assert_eq!(r.code, 0);
    for flag in [
        "[STACK]...",
        "--out <DIR>",
        "--format <FORMAT>",
        "--check",
        "--stacks-dir <DIR>",
        "Exit status",
    ] {
        assert!(r.stdout.contains(flag), "render --help lacks {flag}:\n{}", r.stdout);
    }
    let r = infra(dir.path(), &["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("render"), "{}", r.stdout);
}

#[test]
fn spelling_of_the_stack_path_does_not_change_the_output() {
    let p = project();
    infra(p.path(), &["render"]);
    let abs = p.path().join("stacks/prod.toml");
    for arg in ["./stacks/prod.toml", abs.to_str().unwrap()] {
        let r = infra(p.path(), &["render", "--check", arg]);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (0, "terraform/prod: up to date\n", ""),
            "{arg}"
        );
    }
}

/// A render killed between writing a temporary and renaming it (`kill -9`) leaves `.main.tf.infra-tmp-<pid>`:
/// `render --check` names it, the next render removes it; a temporary of a running process, of a file infra does
/// not write, or a name that only looks similar stays.
#[test]
fn leftover_temporaries_of_an_interrupted_render_are_named_and_removed() {
    let p = project();
    infra(p.path(), &["render", "stacks/dev.toml"]);
    let dir = p.path().join("terraform/dev");
    // Above Linux's largest pid (4194304): never a running process.
    let dead = dir.join(".main.tf.infra-tmp-4194399");
    std::fs::write(
        &dead,
        "# Generated by infra from stacks/dev.toml.\nresource \"azurerm_res",
    )
    .unwrap();
    let running = dir.join(format!(".variables.tf.infra-tmp-{}", std::process::id()));
    std::fs::write(&running, "in progress").unwrap();
    let kept = [
        ".notes.md.infra-tmp-4194399",
        ".main.tf.infra-tmp-x",
        "main.tf.infra-tmp-4194399",
    ];
    for k in kept {
        std::fs::write(dir.join(k), "mine").unwrap();
    }
    let r = infra(p.path(), &["render", "stacks/dev.toml", "--check"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "terraform/dev/.main.tf.infra-tmp-4194399: temporary file left by an interrupted render (`infra render` removes it)\n"
        )
    );
    let r = infra(p.path(), &["render", "stacks/dev.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("removed terraform/dev/.main.tf.infra-tmp-4194399"),
        "{}",
        r.stdout
    );
    assert!(!dead.exists());
    assert!(running.exists());
    for k in kept {
        assert_eq!(std::fs::read_to_string(dir.join(k)).unwrap(), "mine");
    }
    let r = infra(p.path(), &["render", "stacks/dev.toml", "--check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
