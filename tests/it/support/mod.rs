#![allow(dead_code, reason = "shared by the test modules; each uses part of it")]
pub(crate) mod arm;
pub(crate) mod fake_arm;
#[macro_use]
pub(crate) mod snapshots;

/// Runs the installed `terraform` (1.11, no CLI configuration, automation mode) in `dir`; its stdout. Fails the
/// test, with terraform's stderr, when it is missing or exits non-zero.
pub(crate) fn terraform(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let o = std::process::Command::new("terraform")
        .args(args)
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .expect("terraform 1.11 must be on PATH for this test (see README)");
    assert!(
        o.status.success(),
        "terraform {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Runs the `infra` binary in `dir` with `args` (colour not forced off by the environment); its output.
pub(crate) fn infra_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

/// An output's stdout as text.
pub(crate) fn stdout_of(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Asserts that the rendered fixture `tests/terraform-provider/tests/fixtures/<dir>` is what `infra render <stack>
/// --format <format>` writes today: what the test provider validates and plans is what infra renders.
pub(crate) fn assert_fixture_fresh(stack: &str, dir: &str, format: &str) {
    let out = format!("tests/terraform-provider/tests/fixtures/{dir}");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_infra"))
        .args(["render", stack, "--out", &out, "--format", format, "--check"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{out} is stale: run `infra render {stack} --out {out} --format {format}`\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The text of `resource "<type>" "<name>" { … }` in rendered HCL.
pub(crate) fn resource_block(hcl: &str, resource_type: &str, name: &str) -> String {
    let head = format!("resource \"{resource_type}\" \"{name}\" {{");
    let start = hcl.find(&head).unwrap_or_else(|| panic!("{head} not rendered:\n{hcl}"));
    let end = hcl[start..].find("\n}\n").map(|e| start + e + 3).unwrap();
    hcl[start..end].to_string()
}

/// `git ARGS` in `dir` (with a test identity), which must succeed.
pub(crate) fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
