//! Work spread over the machine's cores with std's scoped threads (no pool, no dependency): reading a directory's
//! files, and the Rego policies running beside the built-in rules. Where a thread cannot be started the work runs
//! on the calling thread instead, so the result never depends on it. A panic on another thread is passed on to the
//! caller as it would have happened there.

use std::sync::Mutex;

/// The most threads [`map`] uses.
const MAX_THREADS: usize = 8;

/// `f` applied to each of `items`, the results in the items' order: contiguous runs of items on up to as many
/// threads as the machine has cores.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_runs(items, 1, |run| run.iter().map(&f).collect::<Vec<R>>())
        .into_iter()
        .flatten()
        .collect()
}

/// `f` applied to contiguous runs of `items`, one run per thread, on up to as many threads as the machine has
/// cores ([`threads`]), each run at least `min_run` items; the results in the runs' order. For work with a cost
/// per thread (an engine to copy, a cache to fill) as well as per item.
pub(crate) fn map_runs<T: Sync, R: Send>(items: &[T], min_run: usize, f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let n = threads(items.len() / min_run.max(1));
    if n <= 1 {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|s| {
        let mut runs = items.chunks(items.len().div_ceil(n));
        // This thread takes the first run; the others go to new threads (or here, when one cannot start).
        let first = runs.next().unwrap_or_default();
        let handles: Vec<_> = runs
            .map(|run| (run, std::thread::Builder::new().spawn_scoped(s, move || f(run)).ok()))
            .collect();
        let mut out = vec![f(first)];
        for (run, handle) in handles {
            out.push(match handle {
                Some(h) => join_or_resume(h),
                None => f(run),
            });
        }
        out
    })
}

/// How many threads [`map_runs`] uses for `items` items: the machine's cores, at most [`MAX_THREADS`] and at most
/// one per item.
pub(crate) fn threads(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_THREADS)
        .min(items)
        .max(1)
}

/// `f` applied to each run of `run` items of `items` (the last may be shorter), each result given to `sink` in the
/// runs' order as soon as it and those before it are done: the runs are taken in turn by this thread and up to
/// [`threads`]` - 1` others (started once), each at most one run ahead of `sink`, so the memory held is a few
/// runs' results whatever the number of items. `sink`'s first error ends it (the other threads stop after their
/// current run).
pub(crate) fn for_each_ordered<T: Sync, R: Send, E>(
    items: &[T],
    run: usize,
    f: impl Fn(&[T]) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let runs: Vec<&[T]> = items.chunks(run.max(1)).collect();
    let n = threads(runs.len());
    let (f, runs) = (&f, &runs);
    std::thread::scope(|s| {
        // Thread k (1..n) takes the runs i with i % n == k and sends each result on its own channel.
        let workers: Vec<Option<std::sync::mpsc::Receiver<R>>> = (1..n)
            .map(|k| {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                let work = move || {
                    for r in runs.iter().skip(k).step_by(n) {
                        if tx.send(f(r)).is_err() {
                            return;
                        }
                    }
                };
                std::thread::Builder::new().spawn_scoped(s, work).ok().map(|_| rx)
            })
            .collect();
        for (i, r) in runs.iter().enumerate() {
            let received = match i % n {
                0 => None,
                k => workers[k - 1].as_ref().and_then(|rx| rx.recv().ok()),
            };
            // This thread's run, or one whose thread could not start (or ended without it: a panic, raised when
            // the scope joins it).
            sink(received.unwrap_or_else(|| f(r)))?;
        }
        Ok(())
    })
}

/// `a()` on this thread and `b()` on another at the same time; both results.
pub(crate) fn join<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    // `b` is taken by whichever thread runs it: the new one, or this one if it could not start.
    let b = Mutex::new(Some(b));
    let run_b = || {
        let b = b.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        b.map(|b| b())
    };
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new().spawn_scoped(s, run_b).ok();
        let a = a();
        let b = match handle {
            Some(h) => join_or_resume(h),
            None => None,
        };
        // `None` when `b` did not run on the other thread (it could not start).
        let b = b.or_else(run_b).expect("`b` runs once, on one of the two threads");
        (a, b)
    })
}

/// The thread's result, or its panic raised here.
fn join_or_resume<R>(handle: std::thread::ScopedJoinHandle<'_, R>) -> R {
    match handle.join() {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_the_items_order() {
        let items: Vec<u32> = (0..1000).collect();
        let out = map(&items, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map(&[] as &[u32], |i| *i), Vec::<u32>::new());
        assert_eq!(map(&[7u32], |i| *i + 1), vec![8]);
    }

    #[test]
    fn map_runs_covers_every_item_once_in_order() {
        let items: Vec<u32> = (0..101).collect();
        let runs = map_runs(&items, 1, <[u32]>::to_vec);
        assert!(runs.len() <= threads(items.len()) && !runs.is_empty());
        assert_eq!(runs.concat(), items);
        assert_eq!(map_runs(&[] as &[u32], 1, <[u32]>::len), vec![0]);
        // Runs of at least 60 of 101 items: one run.
        assert_eq!(map_runs(&items, 60, <[u32]>::len), vec![101]);
    }

    #[test]
    fn for_each_ordered_gives_every_run_once_in_order_and_stops_at_the_first_error() {
        let items: Vec<u32> = (0..1001).collect();
        let mut seen = Vec::new();
        let done: Result<(), ()> = for_each_ordered(&items, 10, <[u32]>::to_vec, |r| {
            seen.extend(r);
            Ok(())
        });
        assert!(done.is_ok());
        assert_eq!(seen, items);
        let mut calls = 0;
        let stopped = for_each_ordered(&items, 10, <[u32]>::len, |_| {
            calls += 1;
            if calls == 3 {
                Err("full")
            } else {
                Ok(())
            }
        });
        assert_eq!((stopped, calls), (Err("full"), 3));
        assert_eq!(
            for_each_ordered(&[] as &[u32], 10, <[u32]>::len, |_| Err::<(), _>("none")),
            Ok(())
        );
    }

    #[test]
    fn join_runs_both_and_returns_both_results() {
        let (a, b) = join(|| "a".repeat(3), || (1..=10).sum::<u32>());
        assert_eq!((a.as_str(), b), ("aaa", 55));
    }

    #[test]
    fn a_panic_on_the_other_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| join(|| 1, || -> u32 { panic!("boom") }));
        assert!(caught.is_err());
    }
}
