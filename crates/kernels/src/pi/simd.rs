//! Philox on vectors: `N` darts per vector (one dart per 64-bit lane, its 32-bit words kept in
//! the low half of a lane, so each round's multiply is one 32×32→64-bit lane multiply:
//! `vpmuludq` on x86, see [`mul32`]), [`in_flight`] vectors at once, so the ten dependent rounds of one vector
//! hide behind the others'. The coordinates, the test and its `<=` are the reference's, dart
//! for dart, so the count is the reference's exactly.

use std::array;
use std::hint::black_box;
use std::simd::prelude::*;

use super::philox::{self, M0, M1, ROUNDS, TO_UNIT, W0, W1};
use super::reference;
use crate::simd::{below_2_52_to_f64, dispatch};

/// Vectors evaluated together at `lanes` lanes: 8 of 2 lanes, 4 wider. At 2 lanes more
/// independent rounds cover the products' latency (WebAssembly runs [`count_by_words`] at 2
/// lanes); at 8 lanes the 32 zmm
/// registers hold 4 vectors' 16 words, not 8's 32. The timings behind both: docs/bench.md,
/// "The figures behind the kernels' constants".
pub const fn in_flight(lanes: usize) -> usize {
    if lanes <= 2 { 8 } else { 4 }
}

/// Darts `start..end` of `seed` inside the quarter circle, on vectors of `lanes` 64-bit lanes
/// (2, 4, 8). In WebAssembly, whose vectors are 2 lanes wide, the 128-bit vector holds four
/// darts' 32-bit words instead ([`count_by_words`]).
pub fn count(lanes: u32, seed: u64, start: u64, end: u64) -> u64 {
    match lanes {
        8 => count_n::<8>(seed, start, end),
        4 => count_n::<4>(seed, start, end),
        _ if cfg!(target_arch = "wasm32") => count_by_words(seed, start, end),
        _ => count_n::<2>(seed, start, end),
    }
}

/// Darts `start..end` of `seed` inside the quarter circle, four darts per 128-bit vector of
/// 32-bit words: what WebAssembly runs at 2 lanes (natively, the tests compare it with the
/// reference). Each counter word of four darts is one `u32x4`, and a round's two multiplies
/// widen two darts at a time to `u64` lanes: simd128's `i64x2.extmul_low/high_i32x4_u`, where a
/// dart per 64-bit lane needs `i64x2.mul`, which V8 lowers to a sequence of several
/// instructions; the xors then work on four darts per instruction, not two.
pub fn count_by_words(seed: u64, start: u64, end: u64) -> u64 {
    count_words::<4>(seed, start, end)
}

/// [`count_by_words`] with `K` vectors of `M` = 4 darts in flight.
#[inline(always)]
fn count_words<const K: usize>(seed: u64, start: u64, end: u64) -> u64 {
    const M: usize = 4;
    let [k0, k1] = philox::key(seed);
    let keys: [(Simd<u32, M>, Simd<u32, M>); ROUNDS] = array::from_fn(|r| {
        let r = r as u32;
        (Simd::splat(k0.wrapping_add(W0.wrapping_mul(r))), Simd::splat(k1.wrapping_add(W1.wrapping_mul(r))))
    });
    let lane = Simd::<u64, M>::from_array(array::from_fn(|l| l as u64));
    let (unit, one) = (Simd::<f64, M>::splat(TO_UNIT), Simd::splat(1.0));
    let mut hits = Simd::<i64, M>::splat(0);
    let mut base = start;
    let block = (M * K) as u64;
    let whole_end = start + end.saturating_sub(start) / block * block;
    let (high, low) = (words::<true>, words::<false>);
    let wide = |w: Simd<u32, M>| w.cast::<u64>();
    while base < whole_end {
        let index: [Simd<u64, M>; K] = array::from_fn(|v| Simd::splat(base + (v * M) as u64) + lane);
        let mut c0 = index.map(low);
        let mut c1 = index.map(high);
        let mut c2 = [Simd::<u32, M>::splat(0); K];
        let mut c3 = [Simd::<u32, M>::splat(0); K];
        for &(k0, k1) in &keys {
            for v in 0..K {
                // The multipliers widened at each product, through `black_box`: LLVM's
                // WebAssembly backend makes `i64x2.extmul_*_i32x4_u` only where both operands
                // are widened right at the multiply; of a constant (or of one widening shared
                // by the round) it made `i64x2.mul` — no extmul in the module and no gain.
                let p0 = wide(c0[v]) * wide(black_box(Simd::splat(M0)));
                let p1 = wide(c2[v]) * wide(black_box(Simd::splat(M1)));
                (c0[v], c1[v], c2[v], c3[v]) = (high(p1) ^ c1[v] ^ k0, low(p1), high(p0) ^ c3[v] ^ k1, low(p0));
            }
        }
        for v in 0..K {
            // 53-bit integers: every conversion to f64 is exact, and so is the scaling.
            let x = to_f64(((wide(c0[v]) << 32) | wide(c1[v])) >> 11) * unit;
            let y = to_f64(((wide(c2[v]) << 32) | wide(c3[v])) >> 11) * unit;
            hits -= (x * x + y * y).simd_le(one).to_simd();
        }
        base += block;
    }
    hits.reduce_sum() as u64 + reference::count(seed, whole_end, end)
}

/// The high (`HIGH`) or low 32-bit words of four u64 lanes, picked by one shuffle of the
/// lanes' words (little-endian: a lane's low word first). `(p >> 32).cast()` made a shift
/// before the shuffle, `i64x2.shr_u`, which JavaScriptCore compiles to four instructions
/// (docs/engines.md).
#[inline(always)]
fn words<const HIGH: bool>(p: Simd<u64, 4>) -> Simd<u32, 4> {
    let w = Simd::<u32, 8>::from_ne_bytes(p.to_ne_bytes());
    if cfg!(target_endian = "little") == HIGH { simd_swizzle!(w, [1, 3, 5, 7]) } else { simd_swizzle!(w, [0, 2, 4, 6]) }
}

dispatch!(fn count_n<const N: usize>(seed: u64, start: u64, end: u64) -> u64 => count_generic);

#[inline(always)]
fn count_generic<const N: usize>(seed: u64, start: u64, end: u64) -> u64 {
    if in_flight(N) == 8 { count_k::<N, 8>(seed, start, end) } else { count_k::<N, 4>(seed, start, end) }
}

/// [`count_generic`] with `K` vectors in flight.
#[inline(always)]
fn count_k<const N: usize, const K: usize>(seed: u64, start: u64, end: u64) -> u64 {
    let low = Simd::<u64, N>::splat(0xffff_ffff);
    let (m0, m1) = (Simd::splat(M0 as u64), Simd::splat(M1 as u64));
    let [k0, k1] = philox::key(seed);
    // The key schedule, once: round r uses k + r·W (mod 2³²).
    let keys: [(Simd<u64, N>, Simd<u64, N>); ROUNDS] = array::from_fn(|r| {
        let r = r as u32;
        (
            Simd::splat(k0.wrapping_add(W0.wrapping_mul(r)) as u64),
            Simd::splat(k1.wrapping_add(W1.wrapping_mul(r)) as u64),
        )
    });
    let lane = Simd::<u64, N>::from_array(array::from_fn(|l| l as u64));
    let (unit, one) = (Simd::splat(TO_UNIT), Simd::splat(1.0));
    let mut hits = Simd::<i64, N>::splat(0);
    let mut base = start;
    // Whole blocks of `N · K` darts here, the last few by the reference: no lane mask
    // in the loop (simd128 has no unsigned 64-bit compare; LLVM made it scalar).
    let block = (N * K) as u64;
    let whole_end = start + end.saturating_sub(start) / block * block;
    while base < whole_end {
        let index: [Simd<u64, N>; K] = array::from_fn(|v| Simd::splat(base + (v * N) as u64) + lane);
        let mut c0 = index.map(|i| i & low);
        let mut c1 = index.map(|i| i >> 32);
        let mut c2 = [Simd::splat(0); K];
        let mut c3 = [Simd::splat(0); K];
        for &(k0, k1) in &keys {
            for v in 0..K {
                let p0 = mul32(c0[v], m0);
                let p1 = mul32(c2[v], m1);
                (c0[v], c1[v], c2[v], c3[v]) = ((p1 >> 32) ^ c1[v] ^ k0, p1 & low, (p0 >> 32) ^ c3[v] ^ k1, p0 & low);
            }
        }
        for v in 0..K {
            // 53-bit integers: every conversion to f64 is exact, and so is the scaling.
            let x = to_f64(((c0[v] << 32) | c1[v]) >> 11) * unit;
            let y = to_f64(((c2[v] << 32) | c3[v]) >> 11) * unit;
            hits -= (x * x + y * y).simd_le(one).to_simd();
        }
        base += block;
    }
    hits.reduce_sum() as u64 + reference::count(seed, whole_end, end)
}

/// `a · b` for lanes whose high halves are zero. Natively the mask of `a` is what tells LLVM so:
/// inside the rounds' loop it cannot see it, and without the mask it picked `vpmullq` (the full
/// 64 × 64-bit product: 3 µops and 15 cycles of latency on Intel) or, under AVX2, three
/// `vpmuludq` for each product — where one `vpmuludq` suffices. simd128 has only `i64x2.mul`
/// (and V8 knows nothing of the halves), so in WebAssembly the mask would be one more
/// instruction for nothing.
#[inline(always)]
fn mul32<const N: usize>(a: Simd<u64, N>, b: Simd<u64, N>) -> Simd<u64, N> {
    if cfg!(target_arch = "wasm32") { a * b } else { (a & Simd::splat(0xffff_ffff)) * b }
}

/// Lanes below 2⁵³ as f64, exactly. Natively a lane conversion (`vcvtuqq2pd` with AVX-512, LLVM's
/// own sequence below it). In WebAssembly each lane is split into 27 and 26 bits, each converted
/// by [`below_2_52_to_f64`], and joined by one exact add.
#[inline(always)]
fn to_f64<const N: usize>(v: Simd<u64, N>) -> Simd<f64, N> {
    if cfg!(target_arch = "wasm32") { to_f64_by_parts(v) } else { v.cast() }
}

#[inline(always)]
fn to_f64_by_parts<const N: usize>(v: Simd<u64, N>) -> Simd<f64, N> {
    let high = below_2_52_to_f64(v >> 26) * Simd::splat((1u64 << 26) as f64);
    high + below_2_52_to_f64(v & Simd::splat((1 << 26) - 1))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The split conversion WebAssembly uses equals the lane cast on every 53-bit integer.
        #[test]
        fn conversion_by_parts_is_exact(v in prop::array::uniform4(0u64..1 << 53), top in any::<bool>()) {
            let mut v = v;
            if top {
                v[0] = (1 << 53) - 1;
            }
            let v = Simd::from_array(v);
            let (a, b) = (to_f64_by_parts(v), v.cast::<f64>());
            prop_assert_eq!(a.to_bits(), b.to_bits());
        }
    }
}
