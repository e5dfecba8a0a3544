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

impl Allocator {
    /// Keeps the memory infra frees for reuse instead of returning it to the operating system while the process
    /// runs (mimalloc's `purge_delay` = -1; by default it returns them after a delay). infra runs for a second
    /// or so and then exits; returned pages are faulted in and zeroed by the kernel again on the next allocation,
    /// which with transparent huge pages is 2 MiB at a time: `infra check --policy` on the 12,000-resource bench
    /// took ~4,000 page faults and 0.5–0.8 s of kernel time that way, ~560 faults and 0.05–0.3 s without (peak
    /// memory unchanged). Call it once, first thing in `main`, when [`Allocator`] is the global allocator.
    pub fn keep_freed_memory() {
        /// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (`include/mimalloc.h`, the version
        /// libmimalloc-sys 0.1.49 builds).
        const PURGE_DELAY: std::ffi::c_int = 15;
        unsafe extern "C" {
            /// mimalloc's `void mi_option_set(mi_option_t option, long value)`, linked by the mimalloc crate.
            fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
        }
        // SAFETY: mimalloc's documented option setter, with an option mimalloc 3 defines and a value it accepts
        // (-1: never purge); called before infra starts any thread.
        unsafe { mi_option_set(PURGE_DELAY, -1) }
    }
}

thread_local! {
    /// The bytes this thread may still allocate (negative: over), or `None` outside [`with_ceiling`]. `const`, and
    /// without a destructor, so the allocator may read it at any time, also while threads end.
    static LEFT: Cell<Option<isize>> = const { Cell::new(None) };
}

/// What the refusal prints (constant: nothing is formatted or allocated on the way out).
const REFUSED: &str = "error: the Rego policies took more than 2 GiB of memory while they ran (infra's ceiling for \
                       policies, which are untrusted input)\nhelp: a policy builds a value far too large, e.g. \
                       numbers.range over a billion numbers or a comprehension that never stops growing; fix the \
                       policy\n";

/// The ceiling [`crate::check`]'s policies run under: 2 GiB above what the process held when they started (the
/// 50-policy bench over 12,000 resources peaks at ~280 MiB in all).
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
        // SAFETY: `write` reads `REFUSED`'s bytes, a valid buffer of that length; `_exit` ends the process
        // without running anything else (no destructor, no atexit handler, nothing that could allocate).
        unsafe {
            libc::write(2, REFUSED.as_ptr().cast(), REFUSED.len());
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
