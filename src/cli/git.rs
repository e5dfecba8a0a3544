//! The git a `--base REF` needs (`infra diff --base`, `infra check --base`): one place for running git, finding
//! the checkout and checking the revision, with the same errors for both commands.

use super::Error;
use std::path::PathBuf;
use std::process::Command;

/// Runs `git ARGS` in the current directory.
pub fn git(args: &[&str]) -> Result<std::process::Output, Error> {
    Command::new("git")
        .args(args)
        .output()
        .map_err(|e| Error::io("cannot run git", e))
}

/// The checkout the current directory is in: its root, and the current directory relative to it (`""` at the
/// root, `infra` below it). `base` must name a commit of it. Errors: not a git checkout; unknown revision.
pub fn checkout_at(base: &str) -> Result<(PathBuf, String), Error> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(Error::input(
            "--base needs a git checkout, and the current directory is not inside one",
        ));
    }
    let root = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let cwd = std::env::current_dir().map_err(|e| Error::io("cannot read current directory", e))?;
    let prefix = cwd
        .strip_prefix(&root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let commit = format!("{base}^{{commit}}");
    let verify = git(&["rev-parse", "--verify", "--quiet", &commit])?;
    if !verify.status.success() {
        return Err(Error::input(format!(
            "--base {base}: unknown git revision (not a branch, tag or commit in this repository)"
        )));
    }
    Ok((root, prefix))
}
