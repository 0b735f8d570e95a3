//! Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
//! numbers: as easy as 1, 2, 3" (SC'11; the Random123 library): ten rounds of two 32×32→64-bit
//! multiplies and xors turn a 128-bit counter and a 64-bit key into 128 random bits. Dart `i`
//! of seed `s` is the output for counter `(i mod 2³², ⌊i / 2³²⌋, 0, 0)` and key
//! `(s mod 2³², ⌊s / 2³²⌋)`; each pair of 32-bit words makes one coordinate's 53 bits.

/// Multiplier of counter word 0.
pub const M0: u32 = 0xD251_1F53;
/// Multiplier of counter word 2.
pub const M1: u32 = 0xCD9E_8D57;
/// Key increment of word 0 per round (the golden ratio's bits).
pub const W0: u32 = 0x9E37_79B9;
/// Key increment of word 1 per round (√3 − 1's bits).
pub const W1: u32 = 0xBB67_AE85;
/// Rounds.
pub const ROUNDS: usize = 10;
/// 2⁻⁵³: a 53-bit integer times this is a double in [0, 1), exactly.
pub const TO_UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// The 128 output bits for `counter` under `key`.
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let [mut c0, mut c1, mut c2, mut c3] = counter;
    let [mut k0, mut k1] = key;
    for _ in 0..ROUNDS {
        let p0 = M0 as u64 * c0 as u64;
        let p1 = M1 as u64 * c2 as u64;
        (c0, c1, c2, c3) = ((p1 >> 32) as u32 ^ c1 ^ k0, p1 as u32, (p0 >> 32) as u32 ^ c3 ^ k1, p0 as u32);
        k0 = k0.wrapping_add(W0);
        k1 = k1.wrapping_add(W1);
    }
    [c0, c1, c2, c3]
}

/// The counter of dart `index`.
pub fn counter(index: u64) -> [u32; 4] {
    [index as u32, (index >> 32) as u32, 0, 0]
}

/// The key of `seed`.
pub fn key(seed: u64) -> [u32; 2] {
    [seed as u32, (seed >> 32) as u32]
}

/// Dart `index` of `seed`: `(x, y)` in [0, 1)², 53 random bits each.
///
/// Inlined: in WebAssembly a call returns the pair through the shadow stack in memory. The
/// 53-bit integers convert as signed ones (the same value): `f64.convert_i64_s` is one
/// instruction in V8, the unsigned conversion a test and a branch around it.
#[inline]
pub fn dart(seed: u64, index: u64) -> (f64, f64) {
    let [w0, w1, w2, w3] = philox4x32_10(counter(index), key(seed));
    let x = ((((w0 as u64) << 32) | w1 as u64) >> 11) as i64;
    let y = ((((w2 as u64) << 32) | w3 as u64) >> 11) as i64;
    (x as f64 * TO_UNIT, y as f64 * TO_UNIT)
}

/// The book's test, without a square root; never fused, so every platform agrees on darts
/// near the boundary.
#[inline(always)]
pub fn inside(x: f64, y: f64) -> bool {
    x * x + y * y <= 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::pi::check_values::{DARTS, INSIDE_1000_AT_2_32, PHILOX_KAT};

    /// Random123's `kat_vectors` for philox4x32_10.
    #[test]
    fn known_answers() {
        for (counter, key, output) in PHILOX_KAT {
            assert_eq!(philox4x32_10(counter, key), output, "{counter:x?} {key:x?}");
        }
    }

    #[test]
    fn darts_of_workloads_md() {
        for (seed, index, x, y) in DARTS {
            assert_eq!(dart(seed, index), (x, y), "seed {seed}, dart {index}");
        }
        let start = (1u64 << 32) - 500;
        let inside_count = (start..start + 1000).filter(|&i| {
            let (x, y) = dart(7, i);
            inside(x, y)
        });
        assert_eq!(inside_count.count() as u64, INSIDE_1000_AT_2_32);
    }
}
