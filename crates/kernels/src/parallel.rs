//! Dynamic scheduling: `threads` workers pull the next unit of work from one shared atomic
//! counter, so uneven units (Julia rows differ in cost by 100×) balance themselves.
//!
//! Workers are rayon jobs spawned into whatever pool the caller runs in: the server's dedicated
//! pool natively, wasm-bindgen-rayon's web-worker pool in the browser. The calling thread is
//! one of the workers, and `threads = 1` never touches rayon at all.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

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
pub fn for_each_dynamic(
    threads: usize,
    n: usize,
    control: &Control,
    work: impl Fn(usize) + Sync,
) -> Result<(), Error> {
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
    unsafe fn range_mut(&self, start: usize, end: usize) -> &mut [T] {
        debug_assert!(start <= end && end <= self.len);
        // SAFETY: in bounds by the caller's contract; exclusive by the same contract.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(start), end - start) }
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
