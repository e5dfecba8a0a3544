//! File-system helpers: atomic writes; bounded reads of input that stay inside the repository.

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

// Reading input. Every file infra reads as input (Terraform, variable files, module manifests, stacks, settings,
// baselines, plans, schemas, generated files) is read through `read_bounded`: only regular files, and never more
// than a limit, so a symlink to /dev/zero, a fifo or a huge file ends at once with an error. Files a repository
// supplies (what `terraform` would load by itself) are read through `read_in_repository`: a path that resolves
// outside the repository is not read at all, so a pull request cannot make infra read (and echo) a file of the
// machine it runs on.

/// A limit on the size of one input file: its default in MiB, and the environment variable that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    default_mib: u64,
    variable: &'static str,
}

/// Terraform and variable files, stacks, `infra.toml`, baselines, module manifests, generated files.
pub(crate) const FILE_LIMIT: Limit = Limit {
    default_mib: 8,
    variable: "INFRA_MAX_FILE_MIB",
};

/// Plan JSON (`terraform show -json`) and provider schemas (`terraform providers schema -json`).
pub(crate) const PLAN_LIMIT: Limit = Limit {
    default_mib: 1024,
    variable: "INFRA_MAX_PLAN_MIB",
};

impl Limit {
    /// The limit in MiB: the environment variable's value when it is a positive number, else the default.
    fn mib(self) -> u64 {
        std::env::var(self.variable)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(self.default_mib)
    }
}

/// Why an input file was not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadLimitError {
    /// The file system's error (not found, permission denied, …).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Not a regular file once symlinks are followed: a device, fifo, socket or directory.
    #[error("it is {0}, not a regular file\nhelp: infra reads only regular files (symlinks to them are followed)")]
    NotRegular(&'static str),
    /// Larger than the limit.
    #[error(
        "it is larger than {mib} MiB, the most infra reads of one such file\nhelp: if the file is right, raise \
         the limit with the environment variable {variable} (in MiB)"
    )]
    TooLarge { mib: u64, variable: &'static str },
    /// It resolves (following symlinks and `..`) to a place outside the repository.
    #[error("{OUTSIDE_REPOSITORY} ({})\nhelp: infra reads only files inside the repository (the git checkout, or the checked directory outside git); move the file inside it rather than linking to it", .root.display())]
    Outside { root: std::path::PathBuf },
}

/// What a file or module that resolves outside the repository is listed as.
pub(crate) const OUTSIDE_REPOSITORY: &str = "not read: outside the repository";

impl ReadLimitError {
    /// The file does not exist.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(self, ReadLimitError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

impl From<ReadLimitError> for std::io::Error {
    fn from(e: ReadLimitError) -> Self {
        use std::io::ErrorKind;
        let kind = match e {
            ReadLimitError::Io(io) => return io,
            ReadLimitError::NotRegular(_) | ReadLimitError::TooLarge { .. } => ErrorKind::InvalidData,
            ReadLimitError::Outside { .. } => ErrorKind::PermissionDenied,
        };
        std::io::Error::new(kind, e)
    }
}

/// Reads the regular file at `path` (symlinks followed), at most `limit`: a device, fifo, socket or directory is
/// not opened, and reading stops one byte past the limit, so `/dev/zero`, a fifo or a huge file ends at once.
pub(crate) fn read_bounded(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadLimitError> {
    use std::io::Read;
    // Looked at before opening: opening a fifo for reading waits for a writer.
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    regular(&file.metadata()?)?;
    let mib = limit.mib();
    let cap = mib.saturating_mul(1024 * 1024);
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadLimitError::TooLarge {
            mib,
            variable: limit.variable,
        });
    }
    Ok(bytes)
}

/// [`read_bounded`], as text: a file that is not UTF-8 is an `InvalidData` error.
pub(crate) fn read_bounded_text(path: &Path, limit: Limit) -> Result<String, ReadLimitError> {
    String::from_utf8(read_bounded(path, limit)?).map_err(|e| {
        ReadLimitError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// [`read_bounded`], when `path` resolves (every symlink and `..` followed) to a place inside `root` (a
/// [`repository_root`]); else [`ReadLimitError::Outside`], and nothing is opened.
pub(crate) fn read_in_repository(path: &Path, root: &Path, limit: Limit) -> Result<Vec<u8>, ReadLimitError> {
    if !is_inside(path, root)? {
        return Err(ReadLimitError::Outside {
            root: root.to_path_buf(),
        });
    }
    read_bounded(path, limit)
}

/// [`read_in_repository`], as text (see [`read_bounded_text`]).
pub(crate) fn read_in_repository_text(path: &Path, root: &Path, limit: Limit) -> Result<String, ReadLimitError> {
    if !is_inside(path, root)? {
        return Err(ReadLimitError::Outside {
            root: root.to_path_buf(),
        });
    }
    read_bounded_text(path, limit)
}

/// Whether `path`, resolved (every symlink and `..` followed), is `root` or inside it. `root` is resolved too.
pub(crate) fn is_inside(path: &Path, root: &Path) -> std::io::Result<bool> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    Ok(std::fs::canonicalize(path)?.starts_with(root))
}

/// The repository `dir` is in, resolved: the nearest directory at or above it holding `.git` (a git checkout,
/// worktree or submodule), else `dir` itself. Found by looking, not by running git.
pub(crate) fn repository_root(dir: &Path) -> std::path::PathBuf {
    let dir = match std::fs::canonicalize(dir) {
        Ok(d) => d,
        Err(_) => return dir.to_path_buf(),
    };
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
        .unwrap_or(dir)
}

/// The repository a file is in: [`repository_root`] of the directory it is written in.
pub(crate) fn repository_of(file: &Path) -> std::path::PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => repository_root(p),
        _ => repository_root(Path::new(".")),
    }
}

/// An error unless `meta` is a regular file's.
fn regular(meta: &std::fs::Metadata) -> Result<(), ReadLimitError> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Err(ReadLimitError::NotRegular("a named pipe (fifo)"));
        }
        if t.is_char_device() || t.is_block_device() {
            return Err(ReadLimitError::NotRegular("a device"));
        }
        if t.is_socket() {
            return Err(ReadLimitError::NotRegular("a socket"));
        }
    }
    Err(ReadLimitError::NotRegular(if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }))
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn reads_regular_files_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tf");
        std::fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_bounded(&p, FILE_LIMIT).unwrap(), b"x = 1\n");
        let big = dir.path().join("big.tf");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(FILE_LIMIT.default_mib * 1024 * 1024 + 1).unwrap();
        let e = read_bounded(&big, FILE_LIMIT).unwrap_err();
        assert!(matches!(e, ReadLimitError::TooLarge { mib: 8, .. }), "{e}");
        assert!(e.to_string().contains("INFRA_MAX_FILE_MIB"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_directories_are_not_read() {
        let e = read_bounded(Path::new("/dev/zero"), FILE_LIMIT).unwrap_err();
        assert!(e.to_string().starts_with("it is a device, not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path(), FILE_LIMIT).unwrap_err();
        assert!(e.to_string().starts_with("it is a directory"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_repository_is_not_read() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.json"), "{\"auth\":\"s3cret\"}").unwrap();
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        std::fs::create_dir(repo.path().join("env")).unwrap();
        std::fs::write(repo.path().join("shared.tfvars"), "a = 1\n").unwrap();
        let link = repo.path().join("env/terraform.tfvars.json");
        std::os::unix::fs::symlink(outside.path().join("secret.json"), &link).unwrap();
        let inside = repo.path().join("env/x.auto.tfvars");
        std::os::unix::fs::symlink("../shared.tfvars", &inside).unwrap();
        let root = repository_root(&repo.path().join("env"));
        assert_eq!(root, std::fs::canonicalize(repo.path()).unwrap());
        let e = read_in_repository(&link, &root, FILE_LIMIT).unwrap_err();
        assert!(e.to_string().starts_with(OUTSIDE_REPOSITORY), "{e}");
        assert!(!e.to_string().contains("s3cret"));
        assert_eq!(read_in_repository(&inside, &root, FILE_LIMIT).unwrap(), b"a = 1\n");
    }
}
