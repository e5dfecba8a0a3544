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
