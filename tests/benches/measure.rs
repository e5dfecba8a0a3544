//! How the benches measure a command: one child process, its wall time, its own peak memory and its output.

use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::Instant;

/// What one run of a command measured.
#[allow(dead_code, reason = "shared by the benches; each reads the fields it reports")]
pub(crate) struct Measured {
    pub(crate) secs: f64,
    pub(crate) peak_mb: f64,
    pub(crate) output: usize,
    /// The output itself, when asked for ([`run`]'s `keep`).
    pub(crate) stdout: Vec<u8>,
}

/// Runs `cmd` with its stdout to a pipe that this process drains (as `infra … | less` would): wall time, peak
/// RSS (`ru_maxrss` from `wait4`, this child's own) and the bytes it wrote (kept when `keep`). `ok` lists the exit
/// codes accepted.
pub(crate) fn run(cmd: &mut Command, ok: &[i32], keep: bool) -> Measured {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let drain = std::thread::spawn(move || {
        let (mut buf, mut n, mut kept) = (vec![0u8; 1 << 16], 0, Vec::new());
        while let Ok(k) = stdout.read(&mut buf) {
            if k == 0 {
                break;
            }
            n += k;
            if keep {
                kept.extend_from_slice(&buf[..k]);
            }
        }
        (n, kept)
    });
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).ok();
        s
    });
    let pid = child.id() as libc::pid_t;
    let (mut status, mut usage) = (0, unsafe_zeroed_rusage());
    // SAFETY: wait4 writes the status and the usage into values we own; `pid` is our child, not yet waited for.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    let secs = start.elapsed().as_secs_f64();
    let (output, stdout) = drain.join().unwrap();
    let errors = errors.join().unwrap();
    let code = libc::WEXITSTATUS(status);
    assert!(
        libc::WIFEXITED(status) && ok.contains(&code),
        "{cmd:?} exited with {status}: {errors}"
    );
    std::mem::forget(child); // waited for above
    Measured {
        secs,
        peak_mb: usage.ru_maxrss as f64 / 1024.0,
        output,
        stdout,
    }
}

fn unsafe_zeroed_rusage() -> libc::rusage {
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value.
    unsafe { std::mem::zeroed() }
}
