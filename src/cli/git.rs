//! The git a `--base REF` needs (`infra diff --base`, `infra check --base`): one place for running git, finding
//! the checkout and checking the revision, with the same errors for both commands.

use super::Error;
use std::path::PathBuf;
use std::process::Command;

/// Runs `git ARGS` in the current directory.
pub(super) fn git(args: &[&str]) -> Result<std::process::Output, Error> {
    Command::new("git")
        .args(args)
        .output()
        .map_err(|e| Error::io("cannot run git", e))
}

/// The checkout the current directory is in: its root, and the current directory relative to it (`""` at the
/// root, `infra` below it). `base` must name a commit of it. Errors: not a git checkout; unknown revision.
pub(super) fn checkout_at(base: &str) -> Result<(PathBuf, String), Error> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(Error::NotAGitCheckout);
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
        return Err(Error::UnknownRevision(base.to_string()));
    }
    Ok((root, prefix))
}

/// The start of the name of every `--base` export directory: `infra-base-<pid>-<16 hex digits>` in the system's
/// temporary directory.
const EXPORT_PREFIX: &str = "infra-base-";

/// The marker file every export directory holds (next to the exported tree, `tree/`, so the export cannot replace
/// it), with [`MARKER_TEXT`]: only a directory with both the exact name and this marker is ever removed by a later
/// run, so nothing infra did not create is deleted.
const MARKER: &str = "infra-base-export";
const MARKER_TEXT: &str = "An `infra check --base` export; infra removes it when that run ends.\n";

/// The directory a `--base REF` run exports REF's tree into (`tree()`), created in the system's temporary directory
/// under an unpredictable name. It is removed when dropped, when the process is interrupted (SIGINT/SIGTERM: the
/// process then exits 130/143), and — if the process was killed outright (SIGKILL, power loss) — by the next
/// `--base` run, which removes every marked export whose process no longer runs ([`remove_stale_exports`]).
pub(crate) struct BaseExport {
    path: PathBuf,
}

impl BaseExport {
    pub(crate) fn create() -> Result<BaseExport, Error> {
        let temp = std::env::temp_dir();
        remove_stale_exports(&temp);
        remove_on_signal();
        let pid = std::process::id();
        let path = temp.join(format!("{EXPORT_PREFIX}{pid}-{}", crate::fsutil::random_hex()));
        // create_dir fails on anything already there (a planted link included): the name is ours alone.
        std::fs::create_dir(&path).map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        exports().push(path.clone());
        let export = BaseExport { path };
        let marked = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(export.path.join(MARKER))
            .and_then(|mut f| std::io::Write::write_all(&mut f, MARKER_TEXT.as_bytes()));
        let tree = std::fs::create_dir(export.tree());
        marked
            .and(tree)
            .map_err(|e| Error::io(format!("cannot create {}", export.path.display()), e))?;
        Ok(export)
    }

    /// Where the revision's tree is exported.
    pub(crate) fn tree(&self) -> PathBuf {
        self.path.join("tree")
    }
}

impl Drop for BaseExport {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
        exports().retain(|p| p != &self.path);
    }
}

/// The exports this process has open, for the signal handler to remove.
fn exports() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static EXPORTS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    EXPORTS.lock().unwrap_or_else(|e| e.into_inner())
}

/// From the first call on, SIGINT and SIGTERM remove this process's open exports and end it with the shell's code
/// for the signal (130, 143). signal-hook's thread runs the removal outside the signal handler.
fn remove_on_signal() {
    #[cfg(unix)]
    {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| {
            use signal_hook::consts::{SIGINT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    for path in exports().iter() {
                        let _ = std::fs::remove_dir_all(path);
                    }
                    std::process::exit(128 + signal);
                }
            });
        });
    }
}

/// Removes the exports in `temp` that an earlier run left (killed before it could clean up): directories named
/// exactly `infra-base-<pid>-<16 hex digits>`, holding [`MARKER`] with [`MARKER_TEXT`], whose `<pid>` is not a
/// running process. Anything else — another name, no marker, a link — is left alone.
fn remove_stale_exports(temp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = export_pid(&name) else { continue };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || crate::fsutil::is_running(pid) {
            continue;
        }
        let marker = entry.path().join(MARKER);
        let marked = std::fs::symlink_metadata(&marker).is_ok_and(|m| m.file_type().is_file())
            && std::fs::read_to_string(&marker).is_ok_and(|t| t == MARKER_TEXT);
        if marked {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The pid in an export's name, `infra-base-<pid>-<16 hex digits>`; `None` for any other name.
fn export_pid(name: &str) -> Option<u32> {
    let (pid, random) = name.strip_prefix(EXPORT_PREFIX)?.split_once('-')?;
    let hex = random.len() == 16 && random.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
    let digits = !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit());
    if hex && digits {
        pid.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_export_names_carry_a_pid() {
        assert_eq!(export_pid("infra-base-42-0123456789abcdef"), Some(42));
        for name in [
            "infra-base-42",
            "infra-base-42-0123456789ABCDEF",
            "infra-base--0123456789abcdef",
            "infra-base-x-0123456789abcdef",
            "infra-base-42-0123456789abcdef0",
            "xinfra-base-42-0123456789abcdef",
        ] {
            assert_eq!(export_pid(name), None, "{name}");
        }
    }
}
