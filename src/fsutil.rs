//! File-system helpers: atomic writes that never write through a link or replace what is not a regular file, and
//! the temporaries they leave when interrupted; bounded reads of input that stay inside the repository.

use std::fs::{File, FileType, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed, then renamed over
/// the target. A reader never sees a half-written file, and a failed write leaves the old file untouched.
///
/// The temporary is created exclusively under an unpredictable name ([`temporary_name`]), without following a
/// link, so nothing planted in the directory can redirect the write. A target that exists and is not a regular
/// file (a symbolic link, a directory, a device, a FIFO) is refused ([`refuse_non_regular`]): infra replaces only
/// files.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    refuse_non_regular(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string());
    let (tmp, mut f) = create_temporary(dir, &name)?;
    let result = (|| {
        f.write_all(contents)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Fails when `path` exists and is not a regular file (checked without following a link), with a message that
/// names the path, what it is, and how to fix it. A missing path is fine.
pub(crate) fn refuse_non_regular(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is {}, not a regular file: infra never writes through a link or replaces anything but a \
                 file\nhelp: remove it, or choose another path",
                path.display(),
                describe(m.file_type())
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// What a non-regular file is, for messages: "a symbolic link", "a directory", "a FIFO", ….
pub(crate) fn describe(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Creates a new temporary for `name` in `dir`: exclusively (an existing entry of that name, a link included, is
/// never opened) and, on unix, with `O_NOFOLLOW`. A name taken already is retried with another random part.
fn create_temporary(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    for _ in 0..16 {
        let tmp = dir.join(temporary_name(name, std::process::id(), &random_hex()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NOFOLLOW);
        }
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "cannot create a temporary file for {name} in {}: every name tried exists",
            dir.display()
        ),
    ))
}

/// 16 hex digits no other process can predict: std's randomly keyed hasher (seeded from the OS) over the time,
/// the pid and a counter.
pub(crate) fn random_hex() -> String {
    use std::hash::{BuildHasher, Hash, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    std::time::SystemTime::now().hash(&mut h);
    std::process::id().hash(&mut h);
    COUNTER.fetch_add(1, Ordering::Relaxed).hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The temporary [`write_atomic`] writes `name` through: `.main.tf.infra-tmp-<pid>-<random>`. The pid tells a
/// later run whether the writer is still running ([`leftover_temporaries`]).
fn temporary_name(name: &str, pid: u32, random: &str) -> String {
    format!(".{name}{TEMPORARY}{pid}-{random}")
}

const TEMPORARY: &str = ".infra-tmp-";

/// An entry named like a temporary of a target `keep` accepts: `.<name>.infra-tmp-<rest>`, with the pid of
/// `<rest>` when it is `<pid>` or `<pid>-<16 hex digits>` (the form before random parts, and today's).
struct Temporary {
    path: PathBuf,
    pid: Option<u32>,
    file_type: FileType,
}

fn temporaries(dir: &Path, keep: &impl Fn(&str) -> bool) -> io::Result<Vec<Temporary>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((name, rest)) = file_name.strip_prefix('.').and_then(|r| r.rsplit_once(TEMPORARY)) else {
            continue;
        };
        if !keep(name) {
            continue;
        }
        let pid = match rest.split_once('-') {
            Some((pid, random)) if random.len() == 16 && random.chars().all(|c| c.is_ascii_hexdigit()) => pid,
            Some(_) => "",
            None => rest,
        };
        out.push(Temporary {
            path: entry.path(),
            pid: pid.parse().ok(),
            file_type: entry.file_type()?,
        });
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Temporaries of [`write_atomic`] left in `dir` by a process that no longer runs (an `infra render` killed
/// between writing and renaming, e.g. by `kill -9`), sorted: regular files `.<name>.infra-tmp-<pid>-<random>` (or
/// the older `.<name>.infra-tmp-<pid>`) whose `<pid>` is not a running process ([`is_running`]). `keep(name)`
/// says which target names count (the caller's generated files), so nothing else is ever matched.
pub(crate) fn leftover_temporaries(dir: &Path, keep: impl Fn(&str) -> bool) -> io::Result<Vec<PathBuf>> {
    Ok(temporaries(dir, &keep)?
        .into_iter()
        .filter(|t| t.file_type.is_file() && t.pid.is_some_and(|pid| !is_running(pid)))
        .map(|t| t.path)
        .collect())
}

/// Entries of `dir` named like a temporary of a target `keep` accepts (`.<name>.infra-tmp-…`, any suffix) that are
/// not regular files — symbolic links planted to redirect a write — sorted. infra never creates these.
pub(crate) fn planted_temporaries(dir: &Path, keep: impl Fn(&str) -> bool) -> io::Result<Vec<PathBuf>> {
    Ok(temporaries(dir, &keep)?
        .into_iter()
        .filter(|t| !t.file_type.is_file())
        .map(|t| t.path)
        .collect())
}

/// Whether process `pid` runs: our own pid, or (Linux) `/proc/<pid>` exists, or (other unix) `kill(pid, 0)` finds
/// it. Elsewhere only our own pid counts as running.
pub(crate) fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_existing_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.tf");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(names(dir.path()), ["a.tf"]);
    }

    #[test]
    fn temporaries_have_the_pid_and_a_random_part() {
        let a = temporary_name("main.tf", 42, &random_hex());
        let b = temporary_name("main.tf", 42, &random_hex());
        assert_ne!(a, b);
        assert!(a.starts_with(".main.tf.infra-tmp-42-") && a.len() == ".main.tf.infra-tmp-42-".len() + 16);
        let dir = tempfile::tempdir().unwrap();
        for n in [a.as_str(), ".main.tf.infra-tmp-4194399", ".main.tf.infra-tmp-4194399-x"] {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let found = leftover_temporaries(dir.path(), |n| n == "main.tf").unwrap();
        // Our own pid (42 is not ours, but may run) aside, the dead pid in both forms; never a malformed suffix.
        assert!(found.contains(&dir.path().join(".main.tf.infra-tmp-4194399")));
        assert!(!found.contains(&dir.path().join(".main.tf.infra-tmp-4194399-x")));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_replace_a_link_a_directory_or_a_device() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let e = write_atomic(&link, b"x").unwrap_err().to_string();
        assert!(
            e.contains("is a symbolic link, not a regular file") && e.contains("\nhelp: "),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        let e = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(e.contains("is a directory"), "{e}");
        let e = write_atomic(Path::new("/dev/null"), b"x").unwrap_err().to_string();
        assert!(e.contains("/dev/null is a device"), "{e}");
        assert_eq!(names(dir.path()), ["link", "victim"]);
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
    let (file, meta) = open_regular(path)?;
    read_open(file, &meta, limit)
}

/// The regular file at `path` (symlinks followed), opened for reading, and its metadata; a device, fifo, socket
/// or directory is not opened.
fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), ReadLimitError> {
    // Looked at before opening: opening a fifo for reading waits for a writer.
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    regular(&meta)?;
    Ok((file, meta))
}

/// [`read_bounded`] of a file opened by [`open_regular`].
fn read_open(file: std::fs::File, meta: &std::fs::Metadata, limit: Limit) -> Result<Vec<u8>, ReadLimitError> {
    read_limited(file, meta.len(), limit)
}

/// Everything `input` gives, at most `limit`: reading stops one byte past it. `size`: the expected size, room for
/// which (up to the limit) is made from the start, so a large plan is not copied as the buffer grows.
fn read_limited(input: impl std::io::Read, size: u64, limit: Limit) -> Result<Vec<u8>, ReadLimitError> {
    use std::io::Read;
    let mib = limit.mib();
    let cap = mib.saturating_mul(1024 * 1024);
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(cap).saturating_add(1)).unwrap_or(0));
    input.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadLimitError::TooLarge {
            mib,
            variable: limit.variable,
        });
    }
    Ok(bytes)
}

/// A file's bytes as [`map_bounded`] gives them: mapped into memory, or read into memory.
pub(crate) enum FileBytes {
    /// Read into memory (a small file, or standard input).
    Read(Vec<u8>),
    /// The file mapped into memory, read-only.
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(v) => v,
            FileBytes::Mapped(m) => m,
        }
    }
}

/// Only how and how many: the bytes may hold secrets (a plan is not redacted).
impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileBytes::Read(v) => write!(f, "Read({} bytes)", v.len()),
            FileBytes::Mapped(m) => write!(f, "Mapped({} bytes)", m.len()),
        }
    }
}

/// Files at least this large are mapped by [`map_bounded`]; smaller ones are read (mapping costs more than it
/// saves on a few pages).
pub(crate) const MAP_AT: u64 = 256 * 1024;

/// [`read_bounded`] for large inputs (`terraform show -json` plans): a regular file of at least [`MAP_AT`] bytes is
/// mapped into memory, read-only, instead of copied into a buffer the kernel must first zero (for a 50 MB plan,
/// 12,800 pages zeroed and 50 MB copied, a third of `infra diff --plan`'s time); a smaller one is read. The limit is
/// checked on the file's size before anything is mapped.
///
/// A mapped file is read where the kernel caches it: if another process truncates it while infra reads it, the
/// next page infra touches past the new end raises SIGBUS and infra ends with that signal (a non-zero exit); if one
/// rewrites it in place, infra reads the new bytes. Neither happens to a plan written once by `terraform show
/// -json PLANFILE > plan.json` before infra runs; a plan that is still being written should be piped instead
/// (`--plan -`, read into memory).
pub(crate) fn map_bounded(path: &Path, limit: Limit) -> Result<FileBytes, ReadLimitError> {
    let (file, meta) = open_regular(path)?;
    let mib = limit.mib();
    if meta.len() > mib.saturating_mul(1024 * 1024) {
        return Err(ReadLimitError::TooLarge {
            mib,
            variable: limit.variable,
        });
    }
    let Some(len) = usize::try_from(meta.len()).ok().filter(|n| *n as u64 >= MAP_AT) else {
        return read_open(file, &meta, limit).map(FileBytes::Read);
    };
    // SAFETY: the file is a regular file opened read-only and mapped read-only and private, `len` bytes (its size
    // when opened; a file that grew is read to that size). infra never writes through the map. Another process
    // changing the file while it is mapped is the hazard every file map has: this function's documentation says
    // what then happens and why a plan file is not expected to change under infra.
    let map = unsafe { memmap2::MmapOptions::new().len(len).map_copy_read_only(&file) };
    match map {
        Ok(map) => Ok(FileBytes::Mapped(map)),
        // A file system that cannot map files (some network and FUSE ones): read it instead.
        Err(_) => read_open(file, &meta, limit).map(FileBytes::Read),
    }
}

/// Standard input, at most `limit` (`--plan -`): reading stops one byte past the limit.
pub(crate) fn read_stdin_bounded(limit: Limit) -> Result<Vec<u8>, ReadLimitError> {
    read_limited(std::io::stdin().lock(), 0, limit)
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

    #[test]
    fn large_files_are_mapped_small_ones_read_and_the_limit_is_checked_first() {
        let dir = tempfile::tempdir().unwrap();
        let (small, large, huge) = (dir.path().join("s"), dir.path().join("l"), dir.path().join("h"));
        std::fs::write(&small, b"{}").unwrap();
        std::fs::write(&large, vec![b'x'; MAP_AT as usize]).unwrap();
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(PLAN_LIMIT.default_mib * 1024 * 1024 + 1)
            .unwrap();
        assert!(matches!(map_bounded(&small, PLAN_LIMIT).unwrap(), FileBytes::Read(b) if b == b"{}"));
        let mapped = map_bounded(&large, PLAN_LIMIT).unwrap();
        assert!(matches!(mapped, FileBytes::Mapped(_)));
        assert_eq!(mapped.len(), MAP_AT as usize);
        assert!(mapped.iter().all(|b| *b == b'x'));
        // Refused by its size, before a page of it is mapped or read.
        let e = map_bounded(&huge, PLAN_LIMIT).unwrap_err();
        assert!(matches!(e, ReadLimitError::TooLarge { mib: 1024, .. }), "{e}");
        assert!(map_bounded(Path::new("/dev/zero"), PLAN_LIMIT).is_err());
        assert!(map_bounded(dir.path(), PLAN_LIMIT).is_err());
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
