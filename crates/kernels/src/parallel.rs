//! Dynamic scheduling: `threads` workers pull the next unit of work from one shared atomic
//! counter, so uneven units (Julia rows differ in cost by 100×) balance themselves.
//!
//! Workers are rayon jobs spawned into whatever pool the caller runs in: the server's dedicated
//! pool natively, wasm-bindgen-rayon's web-worker pool in the browser. The calling thread is
//! one of the workers, and `threads = 1` never touches rayon at all.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::{Control, Error};

/// Runs `worker` on `threads` workers at once (the caller included) and waits for all of them.
pub fn run_workers(threads: usize, worker: impl Fn() + Sync) {
    if threads <= 1 {
        worker();
        return;
    }
    let worker = &worker;
    rayon::scope(|s| {
        for _ in 1..threads {
            s.spawn(move |_| worker());
        }
        worker();
    });
}

/// Calls `work(i)` once for every `i` in `0..n`, on `threads` workers pulling indices from one
/// shared counter. Checks the cancel flag before each unit and advances progress after it.
pub fn for_each_dynamic(threads: usize, n: usize, control: &Control, work: impl Fn(usize) + Sync) -> Result<(), Error> {
    let next = AtomicUsize::new(0);
    run_workers(threads.min(n.max(1)), || {
        while !control.is_cancelled() {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            work(i);
            control.advance(1);
        }
    });
    control.check()
}

/// Calls `work(row_index, row)` for every `row_len`-long row of `buf` (the last may be shorter),
/// on `threads` workers pulling rows dynamically. Each row is handed out exactly once, so the
/// workers write disjoint parts of `buf`.
pub fn for_each_row_dynamic<T: Send>(
    threads: usize,
    buf: &mut [T],
    row_len: usize,
    control: &Control,
    work: impl Fn(usize, &mut [T]) + Sync,
) -> Result<(), Error> {
    assert!(row_len > 0, "rows must not be empty");
    let rows = buf.len().div_ceil(row_len);
    let shared = SharedSlice::new(buf);
    for_each_dynamic(threads, rows, control, |i| {
        let start = i * row_len;
        let end = (start + row_len).min(shared.len);
        // SAFETY: `for_each_dynamic` hands each index out once, so the ranges never overlap,
        // and `buf` stays mutably borrowed (through `shared`) until every worker has returned.
        let row = unsafe { shared.range_mut(start, end) };
        work(i, row);
    })
}

/// How many phases a [`for_each_phased`] or [`sweep_dynamic`] run has, and what one is worth in
/// progress units (a phase may stand for several steps of a kernel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phases {
    /// Number of phases.
    pub count: u64,
    /// Progress units added when a phase completes.
    pub progress_each: u64,
}

/// Runs `phases.count` phases of `units` units each: `work(state, phase, unit)` once for every
/// pair, on `threads` workers pulling pairs in order from one shared counter, with a barrier
/// between phases (no unit of phase `p` starts before every unit of phase `p − 1` has finished).
/// Each worker makes its `state` once with `init` (scratch memory, say), as rayon's
/// `for_each_init` does. Returns the number of phases completed: all of them, or fewer if the
/// run was cancelled. Progress advances by `phases.progress_each` per completed phase.
///
/// One `run_workers` for the whole run rather than one per phase: a rayon scope costs
/// microseconds, as much as a whole phase of small work (a diffusion step at 256²).
///
/// It never deadlocks, whatever the pool size: a worker waits only after it has claimed a unit of
/// phase `p`, and only for units of phase `p − 1`, every one of which was claimed earlier (the
/// counter is monotonic) by a worker that was running when it claimed it; the lowest unfinished
/// unit never waits. Workers the pool starts late, or never (`threads` > pool size), hold
/// nothing: they find the counter exhausted and return. On cancel, workers stop claiming and
/// waiters give up their claimed unit, so the phases that did complete are exactly counted.
pub fn for_each_phased<S>(
    threads: usize,
    phases: Phases,
    units: usize,
    control: &Control,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, u64, usize) + Sync,
) -> u64 {
    if units == 0 {
        control.advance(phases.count * phases.progress_each);
        return phases.count;
    }
    let units_u64 = units as u64;
    let total = phases.count.checked_mul(units_u64).expect("phases × units fits in u64");
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    run_workers(threads.min(units), || {
        let mut state = None;
        while !control.is_cancelled() {
            let u = next.fetch_add(1, Ordering::Relaxed);
            if u >= total {
                return;
            }
            let (phase, unit) = (u / units_u64, (u % units_u64) as usize);
            // Acquire pairs with the AcqRel below: every write of phase p − 1 is visible here.
            let mut spins = 0u32;
            while done.load(Ordering::Acquire) < phase * units_u64 {
                if control.is_cancelled() {
                    return;
                }
                backoff(&mut spins);
            }
            work(state.get_or_insert_with(&init), phase, unit);
            if (done.fetch_add(1, Ordering::AcqRel) + 1).is_multiple_of(units_u64) {
                control.advance(phases.progress_each);
            }
        }
    });
    done.load(Ordering::Acquire) / units_u64
}

/// Spins briefly, then yields: a phase usually ends within microseconds, but with more workers
/// than free cores the one being waited for may need the core this one is spinning on.
fn backoff(spins: &mut u32) {
    if *spins < 64 {
        *spins += 1;
        std::hint::spin_loop();
    } else {
        std::thread::yield_now();
    }
}

/// Jacobi-style sweeps between two buffers (a stencil: each new value depends on old values
/// only): phase `p` reads `bufs[p % 2]` whole and writes `bufs[(p + 1) % 2]`, which is handed
/// out in blocks of `block_len` elements; `work(state, src, start, dst)` fills `dst`, the block
/// of the written buffer that begins at index `start`, with the worker's `state` from `init`.
/// Scheduling is [`for_each_phased`]'s: one barrier per sweep, blocks pulled dynamically.
/// Returns the sweeps completed, `k`; the newest state is then in `bufs[k % 2]`, intact even
/// after a cancel (a sweep that did not finish wrote only the other buffer).
pub fn sweep_dynamic<T: Send + Sync, S>(
    threads: usize,
    bufs: [&mut [T]; 2],
    phases: Phases,
    block_len: usize,
    control: &Control,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &[T], usize, &mut [T]) + Sync,
) -> u64 {
    assert!(block_len > 0, "blocks must not be empty");
    let [a, b] = bufs;
    assert_eq!(a.len(), b.len(), "both buffers hold one state");
    let len = a.len();
    let shared = [SharedSlice::new(a), SharedSlice::new(b)];
    for_each_phased(threads, phases, len.div_ceil(block_len), control, init, |state, phase, unit| {
        let (src, dst) = (&shared[(phase % 2) as usize], &shared[((phase + 1) % 2) as usize]);
        let start = unit * block_len;
        let end = (start + block_len).min(len);
        // SAFETY: the two buffers are distinct borrows. During phase p no one writes `src`:
        // phase p − 1 (its last writer) finished before any unit of p started, and phase p + 1
        // (its next writer) starts only after every unit of p has finished. Within phase p each
        // block of `dst` is handed out once, so the mutable ranges never overlap, and nobody
        // reads `dst` during phase p. Both borrows outlive the workers.
        let (src, dst) = unsafe { (src.range(0, len), dst.range_mut(start, end)) };
        work(state, src, start, dst);
    })
}

/// A mutable slice that workers write in disjoint ranges.
struct SharedSlice<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
}

// SAFETY: only disjoint ranges are handed out (see `range_mut`), and T: Send.
unsafe impl<T: Send> Sync for SharedSlice<'_, T> {}

impl<'a, T> SharedSlice<'a, T> {
    fn new(buf: &'a mut [T]) -> Self {
        SharedSlice { ptr: buf.as_mut_ptr(), len: buf.len(), _borrow: PhantomData }
    }

    /// # Safety
    /// `start <= end <= len`, and no two live results may overlap.
    #[allow(
        clippy::mut_from_ref,
        reason = "the point: disjoint &mut ranges handed to several workers, exclusive by the safety contract"
    )]
    unsafe fn range_mut(&self, start: usize, end: usize) -> &mut [T] {
        debug_assert!(start <= end && end <= self.len);
        // SAFETY: in bounds by the caller's contract; exclusive by the same contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), end - start) }
    }
}

impl<T: Sync> SharedSlice<'_, T> {
    /// # Safety
    /// `start <= end <= len`, and no live result of `range_mut` may overlap the range.
    unsafe fn range(&self, start: usize, end: usize) -> &[T] {
        debug_assert!(start <= end && end <= self.len);
        // SAFETY: in bounds, and not written while shared, by the caller's contract.
        unsafe { std::slice::from_raw_parts(self.ptr.add(start), end - start) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_visited_once_for_any_thread_count() {
        for threads in 1..=4 {
            let mut buf = vec![0u32; 103];
            for_each_row_dynamic(threads, &mut buf, 10, &Control::new(), |i, row| {
                for v in row.iter_mut() {
                    *v += i as u32 + 1;
                }
            })
            .unwrap();
            for (k, v) in buf.iter().enumerate() {
                assert_eq!(*v, (k / 10) as u32 + 1);
            }
        }
    }

    #[test]
    fn phases_never_overlap_and_progress_counts_phases() {
        for threads in 1..=4 {
            let finished: Vec<AtomicUsize> = (0..50).map(|_| AtomicUsize::new(0)).collect();
            let control = Control::new();
            let phases = for_each_phased(
                threads,
                Phases { count: 50, progress_each: 2 },
                7,
                &control,
                || (),
                |_, p, _| {
                    if p > 0 {
                        assert_eq!(finished[p as usize - 1].load(Ordering::Relaxed), 7, "phase {p} began early");
                    }
                    finished[p as usize].fetch_add(1, Ordering::Relaxed);
                },
            );
            assert_eq!(phases, 50);
            assert_eq!(control.progress().0, 100);
            assert!(finished.iter().all(|f| f.load(Ordering::Relaxed) == 7));
        }
    }

    #[test]
    fn sweeps_equal_a_sequential_stencil_for_any_thread_and_block_count() {
        // new[i] = old[i - 1] + 3·old[i] + old[i + 1], wrapping: every block reads its neighbours'.
        let stencil = |_: &mut (), src: &[u64], start: usize, dst: &mut [u64]| {
            let n = src.len();
            for (k, v) in dst.iter_mut().enumerate() {
                let i = start + k;
                *v = src[(i + n - 1) % n].wrapping_add(src[i].wrapping_mul(3)).wrapping_add(src[(i + 1) % n]);
            }
        };
        let init: Vec<u64> = (0..61).map(|i| i * i).collect();
        let mut expected = init.clone();
        let mut scratch = init.clone();
        for _ in 0..9 {
            stencil(&mut (), &expected, 0, &mut scratch);
            std::mem::swap(&mut expected, &mut scratch);
        }
        for (threads, block) in [(1, 61), (2, 5), (3, 1), (4, 16)] {
            let (mut a, mut b) = (init.clone(), vec![0; 61]);
            let nine = Phases { count: 9, progress_each: 1 };
            let done = sweep_dynamic(threads, [&mut a, &mut b], nine, block, &Control::new(), || (), stencil);
            assert_eq!(done, 9);
            assert_eq!(b, expected, "threads {threads}, block {block}: 9 sweeps end in bufs[1]");
        }
    }

    #[test]
    fn more_workers_than_pool_threads_never_hang() {
        for pool_threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(pool_threads).build().unwrap();
            let count = AtomicUsize::new(0);
            let phases = pool.install(|| {
                for_each_phased(
                    8,
                    Phases { count: 200, progress_each: 1 },
                    8,
                    &Control::new(),
                    || (),
                    |_, _, _| {
                        count.fetch_add(1, Ordering::Relaxed);
                    },
                )
            });
            assert_eq!((phases, count.load(Ordering::Relaxed)), (200, 1600));
        }
    }

    #[test]
    fn a_cancelled_phased_run_counts_only_whole_phases() {
        let control = Control::new();
        let phases = for_each_phased(
            3,
            Phases { count: 1000, progress_each: 1 },
            4,
            &control,
            || (),
            |_, p, u| {
                if p == 10 && u == 2 {
                    control.cancel();
                }
            },
        );
        // Each of the 3 workers holds or races for at most one more unit: phase 11 may finish.
        assert!(phases <= 12, "{phases} phases after a cancel in phase 10");
        assert_eq!(control.progress().0, phases);
    }

    #[test]
    fn a_cancelled_control_stops_before_work() {
        let control = Control::new();
        control.cancel();
        let count = AtomicUsize::new(0);
        let r = for_each_dynamic(2, 1000, &control, |_| {
            count.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(r, Err(Error::Cancelled));
        assert_eq!(count.load(Ordering::Relaxed), 0);
    }
}
