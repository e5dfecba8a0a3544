//! File-system helpers: atomic writes.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed, then renamed over
/// the target. A reader never sees a half-written file, and a failed write leaves the old file untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    let tmp = dir.join(temporary_name(&name, std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The temporary [`write_atomic`] writes `name` through: `.main.tf.infra-tmp-<pid>`.
fn temporary_name(name: &str, pid: u32) -> String {
    format!(".{name}{TEMPORARY}{pid}")
}

const TEMPORARY: &str = ".infra-tmp-";

/// Temporaries of [`write_atomic`] left in `dir` by a process that no longer runs (an `infra render` killed
/// between writing and renaming, e.g. by `kill -9`), sorted: `.<name>.infra-tmp-<pid>` files whose `<pid>` is not
/// a running process (on Linux, no `/proc/<pid>`; elsewhere, any pid but our own). `keep(name)` says which target
/// names count (the caller's generated files), so nothing else is ever matched.
pub fn leftover_temporaries(dir: &Path, keep: impl Fn(&str) -> bool) -> std::io::Result<Vec<std::path::PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((name, pid)) = file_name.strip_prefix('.').and_then(|rest| rest.rsplit_once(TEMPORARY)) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if !keep(name) || !entry.file_type()?.is_file() || is_running(pid) {
            continue;
        }
        out.push(entry.path());
    }
    out.sort();
    Ok(out)
}

fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    cfg!(target_os = "linux") && Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_existing_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tf");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
