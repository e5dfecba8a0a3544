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
