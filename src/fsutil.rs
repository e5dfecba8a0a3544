//! File-system helpers: atomic writes that never write through a link or replace what is not a regular file, and
//! the temporaries they leave when interrupted.

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
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
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
pub fn leftover_temporaries(dir: &Path, keep: impl Fn(&str) -> bool) -> io::Result<Vec<PathBuf>> {
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
