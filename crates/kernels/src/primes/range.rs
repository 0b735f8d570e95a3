//! Every prime in `[start, end)` (book ch. 9, "Finding Prime Numbers").
//!
//! - [`reference()`]: the book's trial division of every number ([`check::is_prime_plain`]),
//!   parallel over chunks of [`CHUNK`] numbers pulled from a shared counter (the book used
//!   queues of work; a counter is the same idea without the queue's overhead). Each chunk
//!   collects its own primes, so the list comes out in order for every thread count.
//! - [`fast`]: the segmented sieve ([`sieve::primes_in`]), which costs about one pass over the
//!   range plus the sieving primes up to √end. For a range far out and narrow — fewer than
//!   √end / [`MILLER_RABIN_RATIO`] numbers — the sieving primes would dominate (√(2⁶⁴) = 2³²),
//!   so each number gets the deterministic Miller–Rabin test instead, in the same chunks as the
//!   reference. Both are exact: the two paths give the same list.

use super::{check, miller_rabin, sieve};
use crate::{Control, Error, parallel};

/// Numbers per unit of work when testing number by number: small enough to balance two or
/// three workers on the book's range of 10⁶ numbers (61 chunks), large enough that pulling a
/// chunk costs nothing next to testing it.
pub const CHUNK: u64 = 1 << 14;

/// [`fast`] tests number by number when `(end − start) · MILLER_RABIN_RATIO < √end`.
/// Miller–Rabin costs a fixed amount per number of the range (three in four fail a
/// division-free test by a prime below 64; the rest pay at least one exponentiation); the sieve
/// costs per number up to √end for its sieving primes plus per number of the range, more near
/// 2⁶⁰ (every sieving prime visits every segment) and past 2⁴⁸ (it streams its sieving primes).
/// So the cheaper path depends on √end / (end − start); 32 is within 2× of the faster path at
/// every point measured (the costs and break-evens: docs/bench.md, "The figures behind the
/// kernels' constants").
pub const MILLER_RABIN_RATIO: u64 = 32;

/// The worst-case work of [`reference()`], `(end − start) · ⌊√(end − 1)⌋` (twice the odd
/// divisions of a range of primes), as bounded by
/// [`limits::PRIMES_REFERENCE_MAX_RANGE_WORK`](crate::limits::PRIMES_REFERENCE_MAX_RANGE_WORK).
pub fn reference_work(start: u64, end: u64) -> u64 {
    if end <= start {
        return 0;
    }
    (end - start).saturating_mul((end - 1).isqrt())
}

/// The primes in `[start, end)` by trial division of each number, on `threads` workers.
pub fn reference(start: u64, end: u64, threads: usize, control: &Control) -> Result<Vec<u64>, Error> {
    by_number(start, end, threads, control, check::is_prime_plain)
}

/// The primes in `[start, end)`, by the segmented sieve or, for a narrow range far out, by
/// Miller–Rabin per number.
pub fn fast(start: u64, end: u64, threads: usize, control: &Control) -> Result<Vec<u64>, Error> {
    if end <= start {
        return by_number(start, end, threads, control, miller_rabin::is_prime);
    }
    if (end - start).saturating_mul(MILLER_RABIN_RATIO) < (end - 1).isqrt() {
        by_number(start, end, threads, control, miller_rabin::is_prime)
    } else {
        sieve::primes_in(start, end, threads, control)
    }
}

/// Tests every number of `[start, end)` with `is_prime`, in chunks of [`CHUNK`] pulled by
/// `threads` workers; progress counts chunks, and a cancel stops a chunk between two numbers.
fn by_number(
    start: u64,
    end: u64,
    threads: usize,
    control: &Control,
    is_prime: impl Fn(u64) -> bool + Sync,
) -> Result<Vec<u64>, Error> {
    let span = end.saturating_sub(start);
    let chunks = span.div_ceil(CHUNK) as usize;
    control.start(chunks as u64);
    let mut found: Vec<Vec<u64>> = vec![Vec::new(); chunks];
    parallel::for_each_row_dynamic(threads, &mut found, 1, control, |i, slot| {
        let lo = start + i as u64 * CHUNK;
        let hi = lo.saturating_add(CHUNK).min(end);
        for x in lo..hi {
            if control.is_cancelled() {
                return;
            }
            if is_prime(x) {
                slot[0].push(x);
            }
        }
    })?;
    Ok(found.concat())
}
