//! The vectorised Julia kernel: `N` pixels per vector, one vector per row of a band of
//! [`BAND_ROWS`] rows, all iterated together so the multiply latency of one hides behind the
//! others.
//!
//! Each lane keeps a sticky "still inside" mask: a lane that escapes stops counting but keeps
//! iterating with its neighbours (cheaper than a branch), and the block ends when no lane of any
//! vector is active. The arithmetic is the reference's, operation for operation —
//! `re' = (re·re − im·im) + c_re`, `im' = (re·im + re·im) + c_im` (num-complex's product; not
//! `2·re·im`, which rounds differently for subnormal products) — and never fused, so the counts
//! are bit-identical to [`super::reference`].

use std::array;
use std::simd::prelude::*;

use super::{JuliaParams, Precision};
use crate::simd::dispatch;

/// Vectors iterated together, one per row of a band of `BAND_ROWS` rows: a block is a tile of
/// `N` columns × 4 rows. A block runs until its slowest lane is done, and compact tiles waste
/// less on that than strips (the counts: docs/bench.md, "The figures behind the kernels'
/// constants"). 4 vectors also cover the latency of the multiply chain.
pub const BAND_ROWS: usize = 4;
const IN_FLIGHT: usize = BAND_ROWS;

/// Fills `out` (1 to `BAND_ROWS` rows of the image, starting at row `first_row`) with the
/// counts, `lanes` 64-bit lanes per vector (2, 4 or 8): as many f64 pixels, or twice as many f32
/// pixels (the same vector holds twice as many of them).
pub fn band(lanes: u32, p: &JuliaParams, first_row: usize, out: &mut [u32]) {
    match (p.precision, lanes) {
        (Precision::F64, 8) => band_f64::<8>(p, first_row, out),
        (Precision::F64, 4) => band_f64::<4>(p, first_row, out),
        (Precision::F64, _) => band_f64::<2>(p, first_row, out),
        (Precision::F32, 8) => band_f32::<16>(p, first_row, out),
        (Precision::F32, 4) => band_f32::<8>(p, first_row, out),
        (Precision::F32, _) => band_f32::<4>(p, first_row, out),
    }
}

dispatch!(fn band_f64<const N: usize>(p: &JuliaParams, first_row: usize, out: &mut [u32]) => band_generic_f64);
dispatch!(fn band_f32<const N: usize>(p: &JuliaParams, first_row: usize, out: &mut [u32]) => band_generic_f32);

/// Steps per block. In a block every lane takes `BLOCK` steps; only then is the escape test
/// made, once (see `iterate_f64`).
const BLOCK: u32 = 8;

/// The kernel once per precision: `$float` pixels, their counts and masks in `$int` lanes of the
/// same width. Coordinates and `c` are computed in f64 and rounded to `$float` once.
macro_rules! kernel {
    ($float:ty, $int:ty, $band_generic:ident, $iterate:ident) => {
        #[inline(always)]
        fn $band_generic<const N: usize>(p: &JuliaParams, first_row: usize, out: &mut [u32]) {
            let width = p.width as usize;
            let rows = out.len() / width;
            let (x_min, step_x) = (p.x_min, p.step_x());
            // Vectors past the band's last row repeat it, lanes past the row's end repeat its last
            // pixel; neither is stored.
            let im: [Simd<$float, N>; IN_FLIGHT] =
                array::from_fn(|v| Simd::splat(p.y(first_row + v.min(rows - 1)) as $float));
            let c = (Simd::splat(p.c_re as $float), Simd::splat(p.c_im as $float));
            for start in (0..width).step_by(N) {
                let x = Simd::from_array(array::from_fn(|l| {
                    (x_min + (start + l).min(width - 1) as f64 * step_x) as $float
                }));
                let counts = $iterate([x; IN_FLIGHT], im, c, p.max_iter);
                for (v, count) in counts.iter().enumerate().take(rows) {
                    let row = &mut out[v * width..(v + 1) * width];
                    for (l, &n) in count.as_array().iter().enumerate() {
                        if let Some(slot) = row.get_mut(start + l) {
                            *slot = n as u32;
                        }
                    }
                }
            }
        }

        /// Iterates `IN_FLIGHT` vectors of starting points until every lane has escaped or `max_iter`
        /// steps are done; returns each lane's step count.
        ///
        /// Most of the work is in points that never escape (90 % of the book's iterations are in pixels
        /// that reach `max_iter`), so after a first block with a test at every step, blocks of `BLOCK`
        /// steps run without the test and check only at the end. That is exact when escape is
        /// permanent — once `|z|² ≥ 4`, every later `|z|² ≥ 4` —, which holds whenever `|c| ≤ 2` (then
        /// `|z| ≥ 2` implies `|z² + c| ≥ |z|² − |c| ≥ |z|`, with a wide margin for rounding at our
        /// bound `|c_re|, |c_im| ≤ 1`; an escaped lane may overflow to ∞ or NaN, which compare as
        /// escaped too). If the end-of-block test finds a lane that was active at the start of the
        /// block and is not any more, the block is replayed from its saved start with the test at every
        /// step, so the counts are the reference's to the step. For other `c` every block is tested at
        /// every step.
        #[inline(always)]
        fn $iterate<const N: usize>(
            mut re: [Simd<$float, N>; IN_FLIGHT],
            mut im: [Simd<$float, N>; IN_FLIGHT],
            (c_re, c_im): (Simd<$float, N>, Simd<$float, N>),
            max_iter: u32,
        ) -> [Simd<$int, N>; IN_FLIGHT] {
            let four = Simd::splat(4.0);
            let one = Simd::splat(1);
            let escape_is_permanent = c_re.as_array()[0].abs() <= 1.0 && c_im.as_array()[0].abs() <= 1.0;
            let mut active = [Mask::<$int, N>::splat(true); IN_FLIGHT];
            let mut count = [Simd::<$int, N>::splat(0); IN_FLIGHT];
            let mut done = 0;
            while done < max_iter {
                let steps = BLOCK.min(max_iter - done);
                if escape_is_permanent && done > 0 {
                    let (re0, im0) = (re, im);
                    for _ in 0..steps {
                        for v in 0..IN_FLIGHT {
                            let (r2, i2, ri) = (re[v] * re[v], im[v] * im[v], re[v] * im[v]);
                            re[v] = (r2 - i2) + c_re;
                            im[v] = (ri + ri) + c_im;
                        }
                    }
                    let mut escaped = Mask::splat(false);
                    for v in 0..IN_FLIGHT {
                        escaped |= active[v] & !(re[v] * re[v] + im[v] * im[v]).simd_lt(four);
                    }
                    if !escaped.any() {
                        let block = Simd::splat(steps as $int);
                        for v in 0..IN_FLIGHT {
                            count[v] = active[v].select(count[v] + block, count[v]);
                        }
                        done += steps;
                        continue;
                    }
                    (re, im) = (re0, im0);
                }
                // The block with a test at every step: the first block (most pixels escape within a
                // few steps), a replay, or every block when escape may not be permanent.
                for _ in 0..steps {
                    let mut any = Mask::splat(false);
                    for v in 0..IN_FLIGHT {
                        let (r2, i2, ri) = (re[v] * re[v], im[v] * im[v], re[v] * im[v]);
                        active[v] &= (r2 + i2).simd_lt(four);
                        count[v] = active[v].select(count[v] + one, count[v]);
                        re[v] = (r2 - i2) + c_re;
                        im[v] = (ri + ri) + c_im;
                        any |= active[v];
                    }
                    if !any.any() {
                        return count;
                    }
                }
                done += steps;
            }
            count
        }
    };
}
kernel!(f64, i64, band_generic_f64, iterate_f64);
kernel!(f32, i32, band_generic_f32, iterate_f32);
