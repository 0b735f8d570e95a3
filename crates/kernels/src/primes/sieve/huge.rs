//! Ranges whose end is past 2⁴⁸ ([`Tuning::root_max`]²), up to 2⁶⁴ − 1: too many sieving
//! primes (203 million below 2³²) to keep each one's next multiple, as the fast path does.
//! Validation keeps every task below this; it exists so that any input gives the right answer in
//! bounded memory.
//!
//! The range is cut into windows of [`Tuning::window_bytes`]. Each window is sieved by the fast
//! path with the primes up to `root_max`; then every larger sieving prime is produced on the fly,
//! by the fast path again over `(root_max, √window_end]`, and crosses off its few multiples in
//! the window. Those workers share the window, so they clear bits with an atomic AND. The price
//! is a division per sieving prime per window: 2.7 s on one thread, 1.2 s on two, for a narrow
//! range at the top of u64 (measured); hopeless for a wide one, which validation refuses.

use std::sync::atomic::{AtomicU8, Ordering};

use super::wheel::{BIT_OF, multipliers_from};
use super::{Plan, Tuning, for_each_prime};
use crate::{Control, Error};

/// [`super::sieve_range`] for ranges with `√last > tuning.root_max`. Windows are visited in order
/// on the calling thread (index = window), each sieved on `threads` workers.
pub(super) fn sieve<S: Send>(
    start: u64,
    last: u64,
    threads: usize,
    control: &Control,
    tuning: Tuning,
    new_sink: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, usize, u64, &[u8]) + Sync,
) -> Result<Vec<S>, Error> {
    let first_byte = start / 30;
    let last_byte = last / 30;
    let window_bytes = tuning.window_bytes;
    let windows = (last_byte - first_byte) / window_bytes + 1;
    // Progress: every window is worth the segments of a full window plus those of the largest
    // range of sieving primes; a window that needs fewer makes up the difference at its end.
    let seg = tuning.segment_bytes as u64;
    let per_window = window_bytes.div_ceil(seg) + 1 + (last.isqrt() / 30 - tuning.root_max / 30) / seg + 1;
    control.start(windows.saturating_mul(per_window));
    let mut sink = new_sink();
    for w in 0..windows {
        let wfirst = first_byte + w * window_bytes;
        let wlast_byte = (wfirst + window_bytes - 1).min(last_byte);
        let wstart = start.max(wfirst * 30);
        let wlast = last.min(wlast_byte.saturating_mul(30).saturating_add(29));
        let (done_before, _) = control.progress();
        let bytes = sieve_window(wstart, wlast, threads, control, tuning)?;
        let (done_after, _) = control.progress();
        control.advance(per_window.saturating_sub(done_after - done_before));
        visit(&mut sink, w as usize, wfirst, &bytes);
    }
    Ok(vec![sink])
}

/// The sieve of `[wstart, wlast]` (one window), from its first byte on.
fn sieve_window(wstart: u64, wlast: u64, threads: usize, control: &Control, tuning: Tuning) -> Result<Vec<u8>, Error> {
    let first_byte = wstart / 30;
    let window: Vec<AtomicU8> = (first_byte..=wlast / 30).map(|_| AtomicU8::new(0)).collect();
    let root = wlast.isqrt();

    // The primes up to `root_max`, by the fast path.
    let small = Plan::new(wstart, wlast, root.min(tuning.root_max), threads, tuning);
    small.run(
        threads,
        control,
        || (),
        |_, _, seg_first, bytes| {
            let at = (seg_first - first_byte) as usize;
            for (cell, &b) in window[at..at + bytes.len()].iter().zip(bytes) {
                cell.store(b, Ordering::Relaxed);
            }
        },
    )?;

    // The primes above, streamed: each segment of them crosses off its primes' multiples.
    if root > tuning.root_max {
        let sieving = Plan::new(tuning.root_max + 1, root, root.isqrt(), threads, tuning);
        sieving.run(
            threads,
            control,
            || (),
            |_, _, seg_first, bytes| {
                for_each_prime(seg_first, bytes, |p| {
                    // p ≤ √wlast < 2³², so p² fits.
                    let lo = (p * p).max(wstart);
                    for q in multipliers_from(lo.div_ceil(p)) {
                        let Some(m) = p.checked_mul(q).filter(|&m| m <= wlast) else { break };
                        let cell = &window[(m / 30 - first_byte) as usize];
                        cell.fetch_and(!BIT_OF[(m % 30) as usize], Ordering::Relaxed);
                    }
                });
            },
        )?;
    }
    Ok(window.into_iter().map(AtomicU8::into_inner).collect())
}
