//! The book's trial division (ch. 9, "Verifying Primes"): odd divisors 3, 5, 7, … up to ⌊√n⌋
//! (an integer square root: an f64 square root rounds near 2⁶⁴), made correct for 0, 1, 2 and even n.
//!
//! **Parallel.** The divisor values are cut into chunks of [`CHUNK_SPAN`]; workers pull chunk
//! indices from one shared counter ([`parallel::for_each_dynamic`]). The book's shared "found a
//! factor" flag becomes an `AtomicU64` holding the smallest factor found so far: a worker skips
//! every chunk that starts above it. Chunks are handed out in increasing order and a chunk is
//! skipped only when a smaller factor is already known, so the chunk holding the smallest factor
//! is always scanned: the factor returned is the same for every thread count and schedule.
//!
//! **Reference.** `n % d` per divisor: one hardware division each (tens of cycles, not
//! pipelined), as the book's `n % i`.
//!
//! **Simd.** No division. Every divisor is odd and below 2³² (⌊√(2⁶⁴−1)⌋ = 2³² − 1), and with
//! `n = n_hi·2³² + n_lo` and `m = n_lo·(−d⁻¹) mod 2³²`, `n_lo + m·d` is a multiple of 2³² and
//! `s = (n_lo + m·d)/2³² ≤ d` satisfies `s·2³² ≡ n_lo (mod d)` (a Montgomery reduction). So
//! `d | n ⇔ d | n_hi + s`, and when `d > n_hi` — true of almost every divisor unless n is near
//! 2⁶⁴, since √n > n/2³² — that is `s = d − n_hi`, i.e. `m·d = (d − n_hi)·2³² − n_lo`: one
//! 32×32→64-bit product and a compare per divisor (`vpmuludq` natively, 2, 4 or 8 u64 lanes).
//! Below `n_hi` a second reduction finishes the job. The inverse is the costly part, and the
//! visiting order makes it cheap: inside a full chunk, divisors go by residue `o = d mod 2¹⁶`,
//! lanes holding consecutive residues and the inner loop walking `d = base + o + k·2¹⁶`; all 16
//! share `d⁻¹ ≡ o⁻¹ (mod 2¹⁶)`, one Newton step lifts it to 2³², and both `−d⁻¹` and `m` are
//! then linear in k — a column costs additions, one product and a compare (in WebAssembly the
//! product and the compare are in f64, exactly: [`Products`]). Divisors below 2¹⁶
//! go in order instead (a small factor ends the scan at once), with the full Newton iteration
//! from the 5-bit seed `3d ⊕ 2` and both reductions. The test is exact, every chunk reports its
//! smallest divisor, and the answers are bit-for-bit the reference's.

use std::array;
use std::simd::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Primality;
use crate::simd::{below_2_52_to_f64, dispatch};
use crate::{Control, Error, Exec, Variant, parallel};

/// log₂ of [`CHUNK_SPAN`].
const CHUNK_BITS: u32 = 22;

/// Divisor values per unit of work: 2²¹ odd divisors, milliseconds of work natively either way
/// (docs/bench.md, "The figures behind the kernels' constants"), so a cancel or a found factor
/// stops the workers within milliseconds, while the 18-digit primes (√n ≈ 3.2·10⁸) still give 76 chunks to balance over
/// the threads. Chunks start at multiples of 2²²: the simd residue walk covers 64 columns of
/// 2¹⁶ per residue, which amortises its per-residue setup.
pub const CHUNK_SPAN: u64 = 1 << CHUNK_BITS;

/// log₂ of the residue modulus of the simd residue walk.
const RES_BITS: u32 = 16;

/// The answer for the numbers trial division need not touch: 0, 1, 2, the even numbers, and the
/// odd numbers below 9 (no odd divisor ≤ √n).
fn trivial(n: u64) -> Option<Primality> {
    if n < 2 {
        Some(Primality::NOT_PRIME)
    } else if n == 2 {
        Some(Primality::PRIME)
    } else if n.is_multiple_of(2) {
        Some(Primality::composite(2))
    } else if n < 9 {
        Some(Primality::PRIME)
    } else {
        None
    }
}

/// Trial division of `n`: whether it is prime and, if composite, its smallest factor.
/// `exec.variant` picks the divisibility test, `exec.lanes` its vector width, `exec.threads`
/// the workers. Progress counts chunks of [`CHUNK_SPAN`] divisor values.
pub fn check(n: u64, exec: &Exec, control: &Control) -> Result<Primality, Error> {
    if let Some(answer) = trivial(n) {
        control.start(1);
        control.check()?;
        control.advance(1);
        return Ok(answer);
    }
    let root = n.isqrt();
    let chunks = (root >> CHUNK_BITS) + 1;
    control.start(chunks);
    let found = AtomicU64::new(u64::MAX);
    let lanes = exec.effective_lanes();
    parallel::for_each_dynamic(exec.threads, chunks as usize, control, |i| {
        let base = (i as u64) << CHUNK_BITS;
        if base > found.load(Ordering::Relaxed) {
            return;
        }
        let lo = base.max(3) | 1;
        let hi = (base + CHUNK_SPAN - 1).min(root);
        let factor = match exec.variant {
            Variant::Reference => scan_reference(n, lo, hi),
            Variant::Simd => scan_simd(lanes, n, lo, hi),
        };
        if let Some(d) = factor {
            found.fetch_min(d, Ordering::Relaxed);
        }
    })?;
    Ok(match found.into_inner() {
        u64::MAX => Primality::PRIME,
        d => Primality::composite(d),
    })
}

/// Trial division on the calling thread, no progress: the per-number test of the reference
/// `range`.
pub fn is_prime_plain(n: u64) -> bool {
    match trivial(n) {
        Some(answer) => answer.is_prime,
        None => scan_reference(n, 3, n.isqrt()).is_none(),
    }
}

/// The smallest odd `d` in `[lo, hi]` that divides `n`, by the book's `n % d` (`lo` odd).
pub fn scan_reference(n: u64, lo: u64, hi: u64) -> Option<u64> {
    let mut d = lo;
    while d <= hi {
        if n.is_multiple_of(d) {
            return Some(d);
        }
        d += 2;
    }
    None
}

/// The same answer as [`scan_reference`] (`lo` odd, `hi < 2³²`), by the simd test on `lanes`
/// u64 lanes (2, 4 or 8): in order below 2¹⁶ (small factors end the scan at once), then by
/// residue over the 2¹⁶-wide columns of each 2²²-block that `[lo, hi]` touches.
pub fn scan_simd(lanes: u32, n: u64, lo: u64, hi: u64) -> Option<u64> {
    scan_simd_with(lanes, n, lo, hi, Products::FASTEST)
}

/// [`scan_simd`] with the columns above `n_hi` tested by `products` (the tests run both).
pub fn scan_simd_with(lanes: u32, n: u64, lo: u64, hi: u64, products: Products) -> Option<u64> {
    debug_assert!(lo % 2 == 1 && hi < 1 << 32);
    let mut lo = lo;
    if lo < 1 << RES_BITS {
        let end = hi.min((1 << RES_BITS) - 1);
        let found = match lanes {
            8 => in_order_n::<8>(n, lo, end),
            4 => in_order_n::<4>(n, lo, end),
            _ => in_order_n::<2>(n, lo, end),
        };
        if found.is_some() || hi < 1 << RES_BITS {
            return found;
        }
        lo = (1 << RES_BITS) + 1;
    }
    while lo <= hi {
        let base = lo & !(CHUNK_SPAN - 1);
        let last = hi.min(base + CHUNK_SPAN - 1);
        let (k_lo, k_hi) = ((lo - base) >> RES_BITS, ((last - base) >> RES_BITS) + 1);
        // Words fill a 128-bit vector with four residues where u64 lanes take two.
        let walk_lanes = if products == Products::Words { lanes.max(4) } else { lanes };
        let found = match walk_lanes {
            8 => residue_walk_n::<8>(n, base, k_lo, k_hi, lo, last, products),
            4 => residue_walk_n::<4>(n, base, k_lo, k_hi, lo, last, products),
            _ => residue_walk_n::<2>(n, base, k_lo, k_hi, lo, last, products),
        };
        if found.is_some() {
            return found;
        }
        lo = last + 2;
    }
    None
}

dispatch!(fn in_order_n<const N: usize>(n: u64, lo: u64, hi: u64) -> Option<u64> => in_order_generic);
dispatch!(fn residue_walk_n<const N: usize>(n: u64, base: u64, k_lo: u64, k_hi: u64, lo: u64, hi: u64, products: Products) -> Option<u64> => residue_walk_generic);

const LOW32: u64 = 0xffff_ffff;
const TWO_31: f64 = (1u64 << 31) as f64;
const TWO_32: f64 = (1u64 << 32) as f64;

/// The full 64-bit product of the low 32 bits of each lane: one `vpmuludq` where the whole
/// product is used (the masks fold away); where only its low half is, LLVM picks `vpmullq`.
#[inline(always)]
fn mul32<const N: usize>(a: Simd<u64, N>, b: Simd<u64, N>) -> Simd<u64, N> {
    let low = Simd::splat(LOW32);
    (a & low) * (b & low)
}

/// Lanes of `d` (odd, < 2³²) that divide `n = n_hi·2³² + n_lo`, given `neg_inv ≡ −d⁻¹ (mod 2³²)`.
///
/// Montgomery reduction with R = 2³², twice: `m = n_lo·neg_inv mod 2³²` makes `n_lo + m·d`
/// (< 2⁶⁴) a multiple of 2³², so `t = n_hi + (n_lo + m·d)/2³² ≡ n·2⁻³² (mod d)`, `t < 2³³`;
/// the same on `t` gives `t₂ ≡ n·2⁻⁶⁴ (mod d)` with `t₂ ≤ 1 + d`. As d is odd, `d | n ⇔ d | t₂
/// ⇔ t₂ ∈ {0, d}`.
#[inline(always)]
fn divides<const N: usize>(
    n_hi: Simd<u64, N>,
    n_lo: Simd<u64, N>,
    d: Simd<u64, N>,
    neg_inv: Simd<u64, N>,
) -> Mask<i64, N> {
    divides_with_m(n_hi, n_lo, d, neg_inv, mul32(n_lo, neg_inv))
}

/// [`divides`] with its first `m` (≡ `n_lo·neg_inv`, low 32 bits) already known.
#[inline(always)]
fn divides_with_m<const N: usize>(
    n_hi: Simd<u64, N>,
    n_lo: Simd<u64, N>,
    d: Simd<u64, N>,
    neg_inv: Simd<u64, N>,
    m: Simd<u64, N>,
) -> Mask<i64, N> {
    let low = Simd::splat(LOW32);
    let t = n_hi + ((n_lo + mul32(m, d)) >> 32);
    let m2 = mul32(t, neg_inv);
    let t2 = (t >> 32) + (((t & low) + mul32(m2, d)) >> 32);
    t2.simd_eq(Simd::splat(0)) | t2.simd_eq(d)
}

/// `−x(2 − d·x) mod 2³²` (in the low half): the Newton step for `d⁻¹` that doubles the correct
/// bits of `x`, negated for [`divides`].
#[inline(always)]
fn neg_newton<const N: usize>(d: Simd<u64, N>, x: Simd<u64, N>) -> Simd<u64, N> {
    mul32(x, mul32(d, x) - Simd::splat(2))
}

/// How the columns above `n_hi` are tested: with integer products on u64 lanes
/// ([`above_by_u64`]), on 32-bit words ([`above_by_words`]) or in f64 ([`above_by_f64`]), the
/// same answers. [`Products::FASTEST`] is words in WebAssembly: simd128's only product of
/// 64-bit lanes is `i64x2.mul`, which V8 lowers on x86 to three `pmuludq` and the shifts and
/// adds that join them (eight instructions) and JavaScriptCore to scalars (docs/engines.md),
/// as neither can know that our lanes hold 32-bit values; `i64x2.extmul_low/high_i32x4_u`
/// of words is one `pmuludq` after two unpacks, and the words' own additions take four
/// lanes at once. Natively the integer product is one `vpmuludq` on u64 lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Products {
    /// `m·d` as a 32×32→64-bit lane product, compared with the target exactly.
    U64,
    /// `m` and `d` as 32-bit words, four to a 128-bit vector (the walk then holds four
    /// residues where u64 lanes hold two), widened at each product; compared exactly.
    Words,
    /// `m·d` and the target in f64, compared within 2³¹.
    F64,
}

impl Products {
    /// The faster test on the target compiled for.
    pub const FASTEST: Products = if cfg!(target_arch = "wasm32") { Products::Words } else { Products::U64 };
}

/// The hits among `columns` columns whose divisors all lie above `n_hi`, starting at `d` with
/// `m ≡ n_lo·(−d⁻¹) (mod 2³²)`, which grows by `m_step` a column: `d | n ⇔ m·d = (d − n_hi)·2³² −
/// n_lo`, whose right side grows by 2⁴⁸ a column.
#[inline(always)]
fn above_by_u64<const N: usize>(
    n_hi: Simd<u64, N>,
    n_lo: Simd<u64, N>,
    mut d: Simd<u64, N>,
    mut m: Simd<u64, N>,
    m_step: Simd<u64, N>,
    columns: u64,
) -> Mask<i64, N> {
    let mut target = ((d - n_hi) << 32) - n_lo;
    let mut hit = Mask::splat(false);
    for _ in 0..columns {
        hit |= mul32(m, d).simd_eq(target);
        m += m_step;
        d += Simd::splat(1 << RES_BITS);
        target += Simd::splat(1 << 48);
    }
    hit
}

/// [`above_by_u64`]'s answer with `m` and `d` kept as 32-bit words (all the test needs: `m`
/// matters mod 2³², and `d` < 2³²), widened to u64 right at the product — the form LLVM's
/// WebAssembly backend turns into `i64x2.extmul_low/high_i32x4_u` (docs/bench.md, "Why π …").
/// The products are compared whole: comparing only their high words (equal low words are
/// given) saved Chromium 4 % and cost WebKit 13 % (docs/bench.md).
#[inline(always)]
fn above_by_words<const N: usize>(
    n_hi: Simd<u64, N>,
    n_lo: Simd<u64, N>,
    d: Simd<u64, N>,
    m: Simd<u64, N>,
    m_step: Simd<u64, N>,
    columns: u64,
) -> Mask<i64, N> {
    let mut target = ((d - n_hi) << 32) - n_lo;
    let (mut m, m_step, mut d) = (m.cast::<u32>(), m_step.cast::<u32>(), d.cast::<u32>());
    let mut hit = Mask::splat(false);
    for _ in 0..columns {
        hit |= (m.cast::<u64>() * d.cast::<u64>()).simd_eq(target);
        m += m_step;
        d += Simd::splat(1 << RES_BITS);
        target += Simd::splat(1 << 48);
    }
    hit
}

/// [`above_by_u64`]'s answer with the product and the target in f64, exactly. Both sides are
/// ≡ −n_lo (mod 2³²) by the choice of `m`, so they are equal or at least 2³² apart, and f64
/// tells which with a wide margin: `m` and `d` (< 2³²) convert exactly, their product (< 2⁶⁴)
/// is off by at most 2¹⁰ (half an ulp), the target by at most 2¹⁰ when made and 2¹⁰ more at each
/// of the ≤ 16 powers of two it crosses while growing by 2⁴⁸ (exact otherwise), the difference
/// by 2¹⁰: under 2¹⁵ in all, so `|m·d − target| < 2³¹` in f64 ⇔ equal.
#[inline(always)]
fn above_by_f64<const N: usize>(
    n_hi: Simd<u64, N>,
    n_lo: Simd<u64, N>,
    d: Simd<u64, N>,
    mut m: Simd<u64, N>,
    m_step: Simd<u64, N>,
    columns: u64,
) -> Mask<i64, N> {
    let exact = below_2_52_to_f64::<N>;
    let mut target = exact(d - n_hi) * Simd::splat(TWO_32) - exact(n_lo);
    let mut d = exact(d);
    let mut hit = Mask::splat(false);
    for _ in 0..columns {
        hit |= (exact(m & Simd::splat(LOW32)) * d - target).abs().simd_lt(Simd::splat(TWO_31));
        m += m_step;
        d += Simd::splat((1u64 << RES_BITS) as f64);
        target += Simd::splat((1u64 << 48) as f64);
    }
    hit
}

/// Odd divisors `lo, lo + 2, …, ≤ hi`, `N` consecutive ones per vector; the first vector with a
/// divisor ends the scan. The inverse comes from the 5-bit seed `3d ⊕ 2` and three Newton steps
/// (5 → 10 → 20 → 40 bits).
#[inline(always)]
fn in_order_generic<const N: usize>(n: u64, lo: u64, hi: u64) -> Option<u64> {
    if hi < lo {
        return None;
    }
    let (n_hi, n_lo) = (Simd::<u64, N>::splat(n >> 32), Simd::<u64, N>::splat(n & LOW32));
    let count = (hi - lo) / 2 + 1;
    let vectors = count / N as u64;
    let mut d = Simd::from_array(array::from_fn(|l| lo + 2 * l as u64));
    let step = Simd::splat(2 * N as u64);
    let two = Simd::splat(2);
    for _ in 0..vectors {
        let mut x = mul32(d, Simd::splat(3)) ^ two;
        x = mul32(x, two - mul32(d, x));
        x = mul32(x, two - mul32(d, x));
        let hit = divides(n_hi, n_lo, d, neg_newton(d, x));
        if hit.any() {
            return Some(hit.select(d, Simd::splat(u64::MAX)).reduce_min());
        }
        d += step;
    }
    scan_reference(n, lo + 2 * N as u64 * vectors, hi)
}

/// The smallest odd divisor of `n` in `[lo, hi]`, found among the columns `k_lo..k_hi` of the
/// block at `base` (a multiple of 2²², `[lo, hi]` inside those columns, `k_lo ≥ 1` when
/// `base = 0`, so the walk never meets d = 1).
///
/// Lanes hold `N` consecutive odd residues `o < 2¹⁶`; the inner loop walks the columns
/// `d = base + o + k·2¹⁶`. Every column shares `x ≡ o⁻¹ ≡ d⁻¹ (mod 2¹⁶)`, so one Newton step
/// gives `−d⁻¹ ≡ x(d·x − 2) (mod 2³²)`, which is *linear in k* (`+ k·2¹⁶x²`), and so is
/// `m = n_lo·(−d⁻¹)`: after the per-residue setup a column costs additions, one product and a
/// compare (two reductions when some `d ≤ n_hi`). Every column is scanned to its end; a hit is
/// confirmed and located with `%` among its candidates inside `[lo, hi]`.
#[inline(always)]
fn residue_walk_generic<const N: usize>(
    n: u64,
    base: u64,
    k_lo: u64,
    k_hi: u64,
    lo: u64,
    hi: u64,
    products: Products,
) -> Option<u64> {
    let (n_hi, n_lo) = (Simd::<u64, N>::splat(n >> 32), Simd::<u64, N>::splat(n & LOW32));
    let two = Simd::splat(2);
    let column = Simd::splat(1 << RES_BITS);
    let lane = Simd::from_array(array::from_fn(|l| 2 * l as u64));
    let start = base + (k_lo << RES_BITS);
    // Above n_hi one reduction decides; the first blocks of an n near 2⁶⁴ need both.
    let above = start >= n >> 32;
    let mut best = u64::MAX;
    for first in (1..1u64 << RES_BITS).step_by(2 * N) {
        let o = Simd::splat(first) + lane;
        // o⁻¹ to 20 bits: the seed 3o ⊕ 2 (5 bits) and two Newton steps.
        let mut x = mul32(o, Simd::splat(3)) ^ two;
        x = mul32(x, two - mul32(o, x));
        x = mul32(x, two - mul32(o, x));
        let d = Simd::splat(start) + o;
        let neg_inv = mul32(x, mul32(d, x) - two);
        let neg_inv_step = mul32(x, x) << (RES_BITS as u64);
        let m = mul32(n_lo, neg_inv);
        let m_step = mul32(n_lo, neg_inv_step);
        let hit = if above && products == Products::F64 {
            above_by_f64(n_hi, n_lo, d, m, m_step, k_hi - k_lo)
        } else if above && products == Products::Words {
            above_by_words(n_hi, n_lo, d, m, m_step, k_hi - k_lo)
        } else if above {
            above_by_u64(n_hi, n_lo, d, m, m_step, k_hi - k_lo)
        } else {
            let (mut m, mut neg_inv, mut d) = (m, neg_inv, d);
            let mut hit = Mask::splat(false);
            for _ in k_lo..k_hi {
                hit |= divides_with_m(n_hi, n_lo, d, neg_inv, m);
                m += m_step;
                neg_inv += neg_inv_step;
                d += column;
            }
            hit
        };
        if hit.any() {
            for k in k_lo..k_hi {
                for l in 0..N as u64 {
                    let d = base + (k << RES_BITS) + first + 2 * l;
                    if (lo..=hi).contains(&d) && n.is_multiple_of(d) {
                        best = best.min(d);
                    }
                }
            }
        }
    }
    (best != u64::MAX).then_some(best)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `(−d⁻¹ mod 2³², its step per column of 2¹⁶)` as the residue walk sets them up, for odd
    /// `d`: the Newton step from `o⁻¹ (mod 2¹⁶)`, `o = d mod 2¹⁶`.
    fn walk_inverse(d: u64) -> (u64, u64) {
        let o = d & 0xffff;
        // o⁻¹ (mod 2¹⁶) by Newton from o itself (right to 3 bits: 3 → 6 → 12 → 24).
        let x = (0..3).fold(o, |x, _| x.wrapping_mul(2u64.wrapping_sub(o.wrapping_mul(x)))) & 0xffff;
        debug_assert_eq!((o * x) & 0xffff, 1);
        (x.wrapping_mul(((d * x) & LOW32).wrapping_sub(2)) & LOW32, ((x * x) << RES_BITS) & LOW32)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The two column tests give the same lanes for every prefix of 64 columns, and those
        /// are the lanes with a divisor among them: the f64 test neither misses nor invents a
        /// hit (the walk re-checks hits with `%`, which would hide a loose one). Divisors up to
        /// 2³², targets up to 2⁶⁴.
        #[test]
        fn the_column_tests_agree_with_each_other_and_with_division(
            d0 in prop::array::uniform2((1u64 << 31)..(1 << 32) - (64 << 16)),
            kind in 0..3u32,
            k in 0u64..64,
            j in 1u64..256,
            q in 2u64..1 << 31,
            low in any::<u32>(),
        ) {
            let d0 = d0.map(|d| d | 1);
            // One odd n for both lanes, below 2⁶³ (so n_hi < 2³¹ ≤ d): a divisor planted in
            // column k of lane 0; a near miss there (n = d·q + j·2³², so m·d − target = j·2³²,
            // which a looser f64 bound would take for a hit); or any n.
            let d = d0[0] + (k << RES_BITS);
            let n = match kind {
                0 => d * (q | 1),
                1 => d * (q | 1) + (j << 32),
                _ => (q << 32 | low as u64) | 1,
            };
            let (n_hi, n_lo) = (n >> 32, n & LOW32);
            prop_assert!(d0.iter().all(|&d| d > n_hi));
            let inv = d0.map(walk_inverse);
            let m = Simd::from_array(inv.map(|(neg_inv, _)| (n_lo * neg_inv) & LOW32));
            let m_step = Simd::from_array(inv.map(|(_, step)| (n_lo * step) & LOW32));
            let (d, splat) = (Simd::from_array(d0), Simd::<u64, 2>::splat);
            for columns in 1..=64u64 {
                let by_u64 = above_by_u64(splat(n_hi), splat(n_lo), d, m, m_step, columns);
                let by_f64 = above_by_f64(splat(n_hi), splat(n_lo), d, m, m_step, columns);
                let by_words = above_by_words(splat(n_hi), splat(n_lo), d, m, m_step, columns);
                let truth = d0.map(|d| (0..columns).any(|k| n.is_multiple_of(d + (k << RES_BITS))));
                prop_assert_eq!(by_u64.to_array(), truth, "u64, n={} d={:?} columns={}", n, d0, columns);
                prop_assert_eq!(by_f64.to_array(), truth, "f64, n={} d={:?} columns={}", n, d0, columns);
                prop_assert_eq!(by_words.to_array(), truth, "words, n={} d={:?} columns={}", n, d0, columns);
            }
        }
    }
}
