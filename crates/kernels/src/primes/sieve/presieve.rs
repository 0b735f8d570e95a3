//! Pre-sieving: a block does not start as all ones but as the AND of a few patterns, each the
//! sieve of a group of small primes, which repeats with the product of the group (in bytes of the
//! wheel). This removes the multiples of every prime from 7 to 163 for a few vector loads per
//! 32 bytes, where crossing them off one by one would be 43 % of all crossings up to 10⁹
//! (Mertens: Σ 1/p over 19 … 163 against 19 … 31,623). primesieve pre-sieves the same primes.
//!
//! Each pattern is stored `WINDOW` bytes longer than its period, so that any `WINDOW` bytes of the
//! sieve are one contiguous slice of it: the AND of the patterns is then a plain loop over
//! equal-length slices, which the compiler vectorises (SSE2 natively, simd128 in wasm).
//!
//! The patterns (≈ 400 KB) are built once per process, on first use, by crossing off on the
//! wheel: a few hundred microseconds. They are not `static` data, which would add their size to
//! the wasm download.

use std::sync::OnceLock;

use super::wheel::{BIT_OF, Multiple, cross_prime};

/// Groups of primes whose product is the period of one pattern; together, every prime from 7 to
/// 163. Products stay below 110,000 bytes so that all patterns fit in L2 beside a segment.
const GROUPS: [&[u64]; 15] = [
    &[7, 11, 13, 17],
    &[19, 23, 29],
    &[31, 37, 41],
    &[43, 47, 53],
    &[59, 61],
    &[67, 71],
    &[73, 79],
    &[83, 89],
    &[97, 101],
    &[103, 107],
    &[109, 113],
    &[127, 131],
    &[137, 139],
    &[149, 151],
    &[157, 163],
];

/// The largest pre-sieved prime: sieving primes start above it.
pub(super) const LARGEST: u64 = 163;

/// Bytes of the sieve filled at a time: every pattern is stored this much past its period.
const WINDOW: usize = 4096;

/// One group's pattern: byte `i` holds the bits of `30·i + r` that no prime of the group divides
/// (for `i < period + WINDOW`).
struct Pattern {
    period: usize,
    bytes: Vec<u8>,
}

fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        GROUPS
            .iter()
            .map(|group| {
                let period = group.iter().product::<u64>() as usize;
                let mut bytes = vec![0xFF; period + WINDOW];
                // The group's primes themselves are crossed off too (they are restored by
                // `fill`); the wheel crosses from p², so cross 1·p … (p−1)·p by hand.
                for &p in group.iter() {
                    cross_prime(&mut bytes, &mut Multiple::first(p, 0));
                    for q in 1..p {
                        let n = p * q;
                        let bit = BIT_OF[(n % 30) as usize];
                        let i = (n / 30) as usize;
                        if bit != 0 && i < bytes.len() {
                            bytes[i] &= !bit;
                        }
                    }
                }
                Pattern { period, bytes }
            })
            .collect()
    })
}

/// Fills `block`, which starts at byte `first_byte` of the wheel, with the AND of the patterns;
/// byte 0 of the wheel gets 1 removed and the pre-sieved primes restored.
pub(super) fn fill(block: &mut [u8], first_byte: u64) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        return unsafe { fill_avx2(block, first_byte) };
    }
    fill_any(block, first_byte);
}

/// [`fill`] with 32-byte vectors: the server binary targets baseline x86-64 (SSE2).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_avx2(block: &mut [u8], first_byte: u64) {
    fill_any(block, first_byte);
}

#[inline(always)]
fn fill_any(block: &mut [u8], first_byte: u64) {
    let patterns = patterns();
    let mut at = first_byte;
    for window in block.chunks_mut(WINDOW) {
        let n = window.len();
        let slice = |k: usize| {
            let p = &patterns[k];
            let from = (at % p.period as u64) as usize;
            &p.bytes[from..from + n]
        };
        // Written out (not `array::from_fn`) so the compiler sees every length equal `n`: no
        // bounds checks, no scalar tail.
        let s = [
            slice(0),
            slice(1),
            slice(2),
            slice(3),
            slice(4),
            slice(5),
            slice(6),
            slice(7),
            slice(8),
            slice(9),
            slice(10),
            slice(11),
            slice(12),
            slice(13),
            slice(14),
        ];
        // Two passes, of 8 and 7 patterns: one load per pattern and vector, and the window
        // stored twice.
        for i in 0..n {
            window[i] = s[0][i] & s[1][i] & s[2][i] & s[3][i] & s[4][i] & s[5][i] & s[6][i] & s[7][i];
        }
        for i in 0..n {
            window[i] &= s[8][i] & s[9][i] & s[10][i] & s[11][i] & s[12][i] & s[13][i] & s[14][i];
        }
        at += n as u64;
    }
    // The pre-sieved primes are multiples of themselves: put them back (bytes 0 … 5 of the
    // wheel), and take 1 out.
    if first_byte <= LARGEST / 30 {
        if first_byte == 0 {
            block[0] &= !1;
        }
        for &p in GROUPS.iter().flat_map(|g| g.iter()) {
            if let Some(byte) = (p / 30).checked_sub(first_byte).and_then(|i| block.get_mut(i as usize)) {
                *byte |= BIT_OF[(p % 30) as usize];
            }
        }
    }
}
