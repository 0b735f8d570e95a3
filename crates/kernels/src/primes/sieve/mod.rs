//! The segmented sieve of Eratosthenes behind the `count` task and the fast `range`
//! (docs/workloads.md, 3c and 3b), and the plain sieve it is checked against (`count_reference`).
//!
//! The design follows what primesieve documents (its `doc/ALGORITHMS.md`), written afresh:
//!
//! - **Wheel of 30** (`wheel.rs`): a byte holds the 8 numbers coprime to 30 among 30
//!   consecutive ones, so the sieve of 10¹⁰ is 333 MB of bits and multiples of 2, 3, 5 cost
//!   nothing. A sieving prime crosses off a whole turn of the wheel (8 multiples, `p` bytes) per
//!   loop iteration, with the 8 offsets in registers and the 8 masks as constants.
//! - **Pre-sieving** (`presieve.rs`): a block starts as the AND of stored patterns that remove
//!   the multiples of every prime from 7 to 163: 43 % of the crossings up to 10⁹, for the price
//!   of a few vector loads per 32 bytes.
//! - **Segments sized to the caches**: a segment (256 KiB, L2) is sieved in blocks (32 KiB, L1).
//!   Primes below 8,192 (at least 4 turns of the wheel per block) cross off block by block while
//!   the block is in L1; larger ones cross off over the whole segment at once, so their fixed
//!   cost per call is paid once per segment.
//! - **Counting by popcount** of 64-bit words.
//! - **Parallel by segments**: workers pull chunks of consecutive segments from one shared atomic
//!   counter. Each keeps, for every sieving prime, the offset of its next multiple, so a chunk
//!   pays the divisions that place the first multiples once, not once per segment.
//!
//! A sieving prime starts crossing at `p²`, and joins a worker's state only in the first segment
//! that reaches `p²`, so every stored offset is small (32 bits, 8 bytes per prime with its
//! wheel position). Ranges past 2⁴⁸, where the sieving primes would be too many to store, go to
//! `huge.rs`, which streams them; validation keeps every task below that, but any input gives
//! the right answer, without overflow, up to 2⁶⁴ − 1.

mod huge;
mod presieve;
mod reference;
mod wheel;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::parallel::run_workers;
use crate::{Control, Error};

pub use reference::count_reference;
use wheel::{ByClass, Multiple, RESIDUES};

/// Sizes of a run. Tests use tiny ones, so that segment and block boundaries fall on primes and
/// on squares of primes, and so that small ranges take the path meant for huge ones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Bytes (30 numbers each) sieved and counted as one unit of work and progress.
    pub(crate) segment_bytes: usize,
    /// Bytes the small sieving primes cross off at a time; a divisor of `segment_bytes`.
    pub(crate) block_bytes: usize,
    /// Largest `√last` for which a run keeps every sieving prime with its next multiple; above,
    /// [`huge`] streams them.
    pub(crate) root_max: u64,
    /// Bytes per window of [`huge`] (below 2³¹: see `wheel::PARKED`).
    pub(crate) window_bytes: u64,
}

impl Tuning {
    /// Segment and block sized for an L1d of 48 KiB and an L2 of 2 MiB a core (how they were
    /// chosen: docs/workloads.md, "Primes"; re-measure on other caches). `root_max` = 2²⁴: at
    /// most 1.08 M sieving primes, 17 MB per worker, for ranges ending below 2⁴⁸ ≈ 2.8·10¹⁴, far past what a run is
    /// validated for. Windows of 8 MiB (252 M numbers).
    pub(crate) const DEFAULT: Tuning =
        Tuning { segment_bytes: 256 << 10, block_bytes: 32 << 10, root_max: 1 << 24, window_bytes: 8 << 20 };
}

/// A sieving prime crosses off block by block (in L1) if a block holds at least this many turns
/// of its wheel (`p` bytes each); otherwise over the whole segment (in L2), where its fixed cost
/// per call (a partial turn at each end, a mispredicted loop exit) is spread over more
/// crossings. Measured at 10⁹ (cachegrind, and wall time): against 1 turn, 25 % fewer
/// instructions and 43 % fewer mispredicted branches, and ≈ 15 % faster; 8 turns saves more
/// instructions but is slower, the L2 accesses costing more than they save.
const SMALL_TURNS: u64 = 4;

/// π(limit): the number of primes `≤ limit`, by the segmented wheel sieve on `threads` workers.
/// Progress counts segments; the cancel flag is checked before each one.
pub fn count(limit: u64, threads: usize, control: &Control) -> Result<u64, Error> {
    count_with(limit, threads, control, Tuning::DEFAULT)
}

/// The primes in `[start, end)`, in increasing order, by the same sieve as [`count`].
pub fn primes_in(start: u64, end: u64, threads: usize, control: &Control) -> Result<Vec<u64>, Error> {
    primes_in_with(start, end, threads, control, Tuning::DEFAULT)
}

/// [`count`] with explicit sizes.
pub(crate) fn count_with(limit: u64, threads: usize, control: &Control, tuning: Tuning) -> Result<u64, Error> {
    let counts =
        sieve_range(0, limit, threads, control, tuning, || 0u64, |sum, _, _, bytes| *sum += count_bits(bytes))?;
    Ok(counts.into_iter().sum::<u64>() + wheel_primes_in(0, limit).count() as u64)
}

/// [`primes_in`] with explicit sizes.
pub(crate) fn primes_in_with(
    start: u64,
    end: u64,
    threads: usize,
    control: &Control,
    tuning: Tuning,
) -> Result<Vec<u64>, Error> {
    if end <= start {
        control.start(0);
        return Ok(Vec::new());
    }
    let last = end - 1;
    let parts = sieve_range(
        start,
        last,
        threads,
        control,
        tuning,
        Vec::new,
        |found: &mut Vec<(usize, Vec<u64>)>, index, first_byte, bytes| {
            let mut primes = Vec::with_capacity(count_bits(bytes) as usize);
            for_each_prime(first_byte, bytes, |p| primes.push(p));
            found.push((index, primes));
        },
    )?;
    let mut parts: Vec<_> = parts.into_iter().flatten().collect();
    parts.sort_unstable_by_key(|&(index, _)| index);
    let mut primes: Vec<u64> = wheel_primes_in(start, last).collect();
    primes.reserve(parts.iter().map(|(_, p)| p.len()).sum());
    for (_, part) in parts {
        primes.extend_from_slice(&part);
    }
    Ok(primes)
}

/// Sieves `[start, last]`: hands every piece of the sieve, once, to `visit(sink, index,
/// first_byte, bytes)` on some worker, where a set bit is a prime ≥ 7 of the range and `index`
/// orders the pieces; returns the workers' sinks.
fn sieve_range<S: Send>(
    start: u64,
    last: u64,
    threads: usize,
    control: &Control,
    tuning: Tuning,
    new_sink: impl Fn() -> S + Sync,
    visit: impl Fn(&mut S, usize, u64, &[u8]) + Sync,
) -> Result<Vec<S>, Error> {
    let root = last.isqrt();
    if root > tuning.root_max {
        return huge::sieve(start, last, threads, control, tuning, new_sink, visit);
    }
    let plan = Plan::new(start, last, root, threads, tuning);
    control.start(plan.segments as u64);
    plan.run(threads, control, new_sink, visit)
}

/// 2, 3 and 5, the primes the wheel leaves out, that lie in `[start, last]`.
fn wheel_primes_in(start: u64, last: u64) -> impl Iterator<Item = u64> {
    [2, 3, 5].into_iter().filter(move |p| (start..=last).contains(p))
}

/// What a run sieves: the bytes of `[start, last]`, the sieving primes, how work is cut.
struct Plan {
    start: u64,
    last: u64,
    /// Bytes of the wheel holding `start` and `last`.
    first_byte: u64,
    last_byte: u64,
    tuning: Tuning,
    /// Sieving primes below `block_bytes / SMALL_TURNS`, then the others up to `sieve_to`, by
    /// residue class (ascending; the pre-sieved ones left out).
    small: ByClass<u64>,
    large: ByClass<u64>,
    segments: usize,
    /// Consecutive segments a worker takes at a time.
    chunk: usize,
}

impl Plan {
    /// Sieving `[start, last]` with the primes up to `sieve_to` (`√last` for a complete sieve).
    fn new(start: u64, last: u64, sieve_to: u64, threads: usize, tuning: Tuning) -> Plan {
        debug_assert!(tuning.segment_bytes.is_multiple_of(tuning.block_bytes));
        let first_byte = start / 30;
        let last_byte = last / 30;
        let segments = ((last_byte - first_byte) / tuning.segment_bytes as u64 + 1) as usize;
        let mut small = ByClass::default();
        let mut large = ByClass::default();
        for p in reference::odd_primes_upto(sieve_to).into_iter().filter(|&p| p > presieve::LARGEST) {
            let by_size = if p < tuning.block_bytes as u64 / SMALL_TURNS { &mut small } else { &mut large };
            by_size[wheel::class_of(p)].push(p);
        }
        // Several chunks per worker keep the workers busy to the end, and 16 segments per chunk
        // make the divisions that place a chunk's first multiples (one per sieving prime) < 1 %
        // of its work. With very many sieving primes for few segments (a narrow range far out),
        // those divisions dominate: then each worker takes one long chunk.
        let threads = threads.max(1);
        let sieving: usize = small.iter().chain(&large).map(Vec::len).sum();
        let chunk = (segments / (threads * 8)).clamp(1, 16).max((sieving / 4096).min(segments.div_ceil(threads)));
        Plan { start, last, first_byte, last_byte, tuning, small, large, segments, chunk }
    }

    /// Sieves every segment, on `threads` workers each with its own sink, and returns the sinks.
    /// `visit(sink, index, first_byte, bytes)` sees each finished segment once. Advances
    /// progress by one per segment (the caller declares the total).
    fn run<S: Send>(
        &self,
        threads: usize,
        control: &Control,
        new_sink: impl Fn() -> S + Sync,
        visit: impl Fn(&mut S, usize, u64, &[u8]) + Sync,
    ) -> Result<Vec<S>, Error> {
        let chunks = self.segments.div_ceil(self.chunk);
        let next_chunk = AtomicUsize::new(0);
        let sinks = Mutex::new(Vec::new());
        run_workers(threads.clamp(1, chunks), || {
            let mut worker = Worker::new(self);
            let mut sink = new_sink();
            'chunks: loop {
                let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                if c >= chunks {
                    break;
                }
                for index in c * self.chunk..((c + 1) * self.chunk).min(self.segments) {
                    if control.is_cancelled() {
                        break 'chunks;
                    }
                    let (first_byte, bytes) = worker.sieve(self, index);
                    visit(&mut sink, index, first_byte, bytes);
                    control.advance(1);
                }
            }
            sinks.lock().unwrap_or_else(|e| e.into_inner()).push(sink);
        });
        control.check()?;
        Ok(sinks.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

/// One worker's sieve buffer and the next multiple of every sieving prime.
struct Worker {
    buf: Vec<u8>,
    small: ByClass<Multiple>,
    large: ByClass<Multiple>,
    /// The segment the stored multiples are relative to; a worker that jumps elsewhere starts
    /// them again.
    at: usize,
}

impl Worker {
    fn new(plan: &Plan) -> Worker {
        Worker {
            // No more than the run needs: a tiny range should not map a 256 KiB buffer.
            buf: vec![0; (plan.last_byte - plan.first_byte + 1).min(plan.tuning.segment_bytes as u64) as usize],
            small: ByClass::default(),
            large: ByClass::default(),
            at: usize::MAX,
        }
    }

    /// Sieves segment `index`; returns its first byte and its bytes.
    fn sieve(&mut self, plan: &Plan, index: usize) -> (u64, &[u8]) {
        let seg_bytes = plan.tuning.segment_bytes;
        let first_byte = plan.first_byte + index as u64 * seg_bytes as u64;
        let len = (plan.last_byte - first_byte + 1).min(seg_bytes as u64) as usize;
        if self.at != index {
            self.small.iter_mut().chain(&mut self.large).for_each(Vec::clear);
        }
        self.at = index + 1;
        // Primes whose square lies in this segment join now.
        let seg_last = (first_byte + len as u64).saturating_mul(30).saturating_sub(1).min(plan.last);
        for (primes, state) in plan.small.iter().zip(&mut self.small).chain(plan.large.iter().zip(&mut self.large)) {
            join(primes, state, first_byte, seg_last);
        }

        let seg = &mut self.buf[..len];
        for (b, block) in seg.chunks_mut(plan.tuning.block_bytes).enumerate() {
            presieve::fill(block, first_byte + (b * plan.tuning.block_bytes) as u64);
            wheel::cross(block, &mut self.small);
        }
        wheel::cross(seg, &mut self.large);
        if first_byte == plan.first_byte {
            seg[0] &= keep_from(plan.start % 30);
        }
        if first_byte + len as u64 - 1 == plan.last_byte {
            seg[len - 1] &= !keep_from(plan.last % 30 + 1);
        }
        (first_byte, seg)
    }
}

/// Adds to `state` the primes of `primes` (past those already there) whose square is
/// `≤ seg_last`, each with its first multiple in the segment starting at `first_byte`.
fn join(primes: &[u64], state: &mut Vec<Multiple>, first_byte: u64, seg_last: u64) {
    while let Some(&p) = primes.get(state.len()) {
        if p * p > seg_last {
            break;
        }
        state.push(Multiple::first(p, first_byte));
    }
}

/// The bits of a byte whose residues are `≥ r` (`r ≤ 30`).
fn keep_from(r: u64) -> u8 {
    RESIDUES.iter().enumerate().filter(|&(_, &res)| res >= r).fold(0, |m, (k, _)| m | 1 << k)
}

/// Set bits in `bytes`.
fn count_bits(bytes: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has AVX2 and POPCNT.
        return unsafe { count_bits_avx2(bytes) };
    }
    count_bits_any(bytes)
}

/// [`count_bits`] with the POPCNT instruction and 32-byte vectors, which baseline x86-64 (the
/// server's target) lacks: 3× fewer instructions than SSE2's bit tricks.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn count_bits_avx2(bytes: &[u8]) -> u64 {
    count_bits_any(bytes)
}

#[inline(always)]
fn count_bits_any(bytes: &[u8]) -> u64 {
    let (words, rest) = bytes.as_chunks::<8>();
    let mut n: u64 = words.iter().map(|w| u64::from(u64::from_le_bytes(*w).count_ones())).sum();
    n += rest.iter().map(|b| u64::from(b.count_ones())).sum::<u64>();
    n
}

/// Calls `f` with the number of every set bit of `bytes`, which start at byte `first_byte` of the
/// wheel, in increasing order.
fn for_each_prime(first_byte: u64, bytes: &[u8], mut f: impl FnMut(u64)) {
    let (words, rest) = bytes.as_chunks::<8>();
    // Past the last word this may exceed 2⁶⁴ (near the top of u64), unused: hence wrapping.
    let mut base = first_byte * 30;
    for w in words {
        let mut bits = u64::from_le_bytes(*w);
        while bits != 0 {
            let t = bits.trailing_zeros() as u64;
            f(base + 30 * (t / 8) + RESIDUES[(t % 8) as usize]);
            bits &= bits - 1;
        }
        base = base.wrapping_add(240);
    }
    for &b in rest {
        let mut bits = b;
        while bits != 0 {
            f(base + RESIDUES[bits.trailing_zeros() as usize]);
            bits &= bits - 1;
        }
        base = base.wrapping_add(30);
    }
}

#[cfg(test)]
mod tests;
