//! The process's allocator: mimalloc, with a ceiling on what untrusted Rego policies may allocate while they run.
//!
//! regorus bounds a policy's time (infra's wall-clock limit, checked inside its loops) but not its memory: one
//! `count(numbers.range(1, 1000000000))` asks for ~24 GB at once, and a comprehension can grow a value until the
//! machine runs out. While [`with_ceiling`] runs, this allocator counts the bytes the calling thread allocates
//! and frees; an allocation that would take the thread more than the ceiling above where it started ends the
//! process at once with a fixed message and exit code 2 — before anything was printed (findings are written after
//! the policies ran), with nothing to unwind through regorus. Outside [`with_ceiling`] it only forwards to
//! mimalloc (one thread-local read per call).
//!
//! A library user with another global allocator keeps it; policies then run without the ceiling.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

/// mimalloc, with a memory ceiling on untrusted Rego policies while they run (exit code 2 past it). The `infra`
/// binary's `#[global_allocator]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

/// `mi_option_purge_delay` and `mi_option_allow_thp` in mimalloc 3's `mi_option_t` (`include/mimalloc.h`, the
/// version libmimalloc-sys 0.1.49 builds); the test `the_option_numbers_are_mimalloc_s` holds them.
const PURGE_DELAY: std::ffi::c_int = 15;
const ALLOW_THP: std::ffi::c_int = 43;

unsafe extern "C" {
    /// mimalloc's `void mi_option_set(mi_option_t option, long value)`, linked by the mimalloc crate.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    /// mimalloc's `long mi_option_get(mi_option_t option)`.
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

impl Allocator {
    /// Tunes mimalloc for a command that runs for a second or so and exits: memory freed is kept for reuse instead
    /// of being returned to the operating system (mimalloc's `purge_delay` = -1), since returned pages are faulted
    /// in and zeroed again by the kernel on the next allocation. Measured on `infra check --policy` over the
    /// 12,000-resource bench (`make bench`, ~280 MiB at its peak) on a 2-core virtual machine: ~4,000 page faults →
    /// ~550, 0.5–0.8 s of kernel time → 0.05–0.3 s. Call it once, first thing in `main`, when [`Allocator`] is the
    /// global allocator.
    pub fn configure() {
        // SAFETY: mimalloc's documented option setter, with an option mimalloc 3 defines and a value it accepts
        // (-1: never purge); called before infra starts any thread.
        unsafe { mi_option_set(PURGE_DELAY, -1) }
    }
}

/// No transparent huge pages for the rest of the run (mimalloc's `allow_thp` = 0 for memory it maps from now on,
/// and on Linux `PR_SET_THP_DISABLE`, which covers the memory mimalloc has mapped already). Called before the Rego
/// policies run, while no other thread does: they fault in a few hundred MiB that the process frees only at exit.
/// The kernel zeroes a 2 MiB page on its first touch, and on a virtual machine whose host has taken the memory
/// back that took 0.3–0.7 s of kernel time for 300 MiB, against a steady 0.13 s with 4 KiB pages: `infra check
/// --policy` on the bench, 8 runs each, 0.60–1.12 s (median 0.82) with huge pages, 0.73–0.80 s (median 0.74)
/// without. Smaller runs (`infra check` alone, `infra diff --plan`) keep them: for those, 4 KiB pages cost ~15 %.
pub(crate) fn without_huge_pages() {
    // SAFETY: mimalloc's documented option setter, with an option mimalloc 3 defines and a value it accepts (0: no
    // huge pages); the caller runs it while no other thread of infra's runs.
    unsafe { mi_option_set(ALLOW_THP, 0) }
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)` only sets a flag of this process; its result is ignored (a
    // kernel without THP refuses it, and then there are no huge pages anyway).
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

thread_local! {
    /// The bytes this thread may still allocate (negative: over), or `None` outside [`with_ceiling`]. `const`, and
    /// without a destructor, so the allocator may read it at any time, also while threads end.
    static LEFT: Cell<Option<isize>> = const { Cell::new(None) };
}

/// What the refusal prints (constant: nothing is formatted or allocated on the way out).
const REFUSED: &str = "error: the Rego policies took more than 2 GiB of memory while they ran (infra's ceiling for \
                       policies, which are untrusted input)\n";
/// Then, when the thread said what it evaluates ([`evaluating`]): this, the rule, and a new line.
const WHILE: &str = "note: it was evaluating ";
const HELP: &str = "help: a policy builds a value far too large, e.g. numbers.range over a billion numbers or a \
                    comprehension that never stops growing; fix the policy\n";

/// The longest label [`evaluating`] keeps (bytes).
const LABEL: usize = 160;

thread_local! {
    /// What this thread evaluates (a rule's path), for the refusal: bytes and their length, kept without
    /// allocating so that [`refuse`] can print them from inside the allocator.
    static WHAT: Cell<([u8; LABEL], usize)> = const { Cell::new(([0; LABEL], 0)) };
}

/// Notes that this thread now evaluates `what` (`data.main.deny_public`): a refusal names it. Printable ASCII is
/// kept, anything else becomes `?` (a package path is the policy author's text), and at most [`LABEL`] bytes.
pub(crate) fn evaluating(what: &str) {
    let mut label = [0; LABEL];
    let mut n = 0;
    for b in what.bytes().take(LABEL) {
        label[n] = if b.is_ascii_graphic() || b == b' ' { b } else { b'?' };
        n += 1;
    }
    let _ = WHAT.try_with(|w| w.set((label, n)));
}

/// The ceiling [`crate::check`]'s policies run under: 2 GiB above what the evaluating threads held when they started,
/// divided among them (the 50-policy bench over 12,000 resources peaks at ~270 MiB for the whole process).
pub(crate) const POLICY_CEILING: usize = 2 << 30;

/// Runs `f` with at most `bytes` more allocated by this thread than when it started; past that the process ends
/// (exit code 2, [`REFUSED`] on stderr).
pub(crate) fn with_ceiling<R>(bytes: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<isize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEFT.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(LEFT.with(|l| l.replace(Some(isize::try_from(bytes).unwrap_or(isize::MAX)))));
    f()
}

/// Counts `delta` bytes allocated (negative: freed) against the ceiling, if one is set; refuses past it.
#[inline]
fn count(delta: isize) {
    // `try_with`: a thread being torn down has no ceiling.
    let _ = LEFT.try_with(|l| {
        if let Some(left) = l.get() {
            let left = left.saturating_sub(delta);
            l.set(Some(left));
            if left < 0 {
                refuse();
            }
        }
    });
}

#[cold]
fn refuse() -> ! {
    #[cfg(unix)]
    {
        let (label, n) = WHAT.try_with(Cell::get).unwrap_or(([0; LABEL], 0));
        let mut parts: [&[u8]; 5] = [REFUSED.as_bytes(), b"", b"", b"", HELP.as_bytes()];
        if n > 0 {
            parts[1..4].copy_from_slice(&[WHILE.as_bytes(), &label[..n], b"\n"]);
        }
        // SAFETY: each `write` reads the bytes of a valid buffer of that length (constants, or this thread's label
        // copied onto the stack); `_exit` ends the process without running anything else (no destructor, no
        // atexit handler, nothing that could allocate).
        unsafe {
            for part in parts {
                libc::write(2, part.as_ptr().cast(), part.len());
            }
            libc::_exit(2)
        }
    }
    #[cfg(not(unix))]
    std::process::abort()
}

/// A size as the signed count of [`count`].
fn signed(size: usize) -> isize {
    isize::try_from(size).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded to mimalloc with the caller's arguments unchanged; the bookkeeping around it
// touches only a thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(signed(layout.size()));
        // SAFETY: the caller's contract for `alloc`, passed on.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(signed(layout.size()));
        // SAFETY: the caller's contract for `alloc_zeroed`, passed on.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-signed(layout.size()));
        // SAFETY: the caller's contract for `dealloc`, passed on.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(signed(new_size).saturating_sub(signed(layout.size())));
        // SAFETY: the caller's contract for `realloc`, passed on.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The label a refusal prints is printable ASCII, bounded: a package path is the policy author's text, and a
    /// control character in it could forge a line of the CI log.
    #[test]
    fn the_label_of_a_refusal_is_printable_and_bounded() {
        evaluating("data.main[\"a\u{1b}[31m\nerror: forged\"].deny");
        let (label, n) = WHAT.with(Cell::get);
        assert_eq!(&label[..n], b"data.main[\"a?[31m?error: forged\"].deny".as_slice());
        evaluating(&"x".repeat(1000));
        assert_eq!(WHAT.with(Cell::get).1, LABEL);
    }

    /// mimalloc reads `MIMALLOC_<NAME>` from the environment the first time an option is read: a child process
    /// (this test again) started with `MIMALLOC_PURGE_DELAY` and `MIMALLOC_ALLOW_THP` set reads them back by the
    /// numbers [`Allocator::configure`] sets. A wrong number would set some other option of mimalloc's.
    #[test]
    fn the_option_numbers_are_mimalloc_s() {
        if std::env::var_os("INFRA_MIMALLOC_CHILD").is_some() {
            // SAFETY: mimalloc's option getter, with options mimalloc 3 defines.
            let (purge, thp) = unsafe { (mi_option_get(PURGE_DELAY), mi_option_get(ALLOW_THP)) };
            assert_eq!((purge, thp), (1234, 5));
            return;
        }
        let out = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "heap::tests::the_option_numbers_are_mimalloc_s",
                "--nocapture",
            ])
            .env("INFRA_MIMALLOC_CHILD", "1")
            .env("MIMALLOC_PURGE_DELAY", "1234")
            .env("MIMALLOC_ALLOW_THP", "5")
            .output()
            .expect("the test binary runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("1 passed"), "{text}");
    }
}
