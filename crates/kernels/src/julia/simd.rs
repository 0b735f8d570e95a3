//! The vectorised Julia kernel: `N` pixels per vector, `IN_FLIGHT` independent vectors per
//! block so the multiply latency of one hides behind the others.
//!
//! Each lane keeps a sticky "still inside" mask: a lane that escapes stops counting but keeps
//! iterating with its neighbours (cheaper than a branch), and the block ends when no lane of any
//! vector is active. The arithmetic is the reference's, operation for operation —
//! `re' = (re·re − im·im) + c_re`, `im' = (re·im + re·im) + c_im` (num-complex's product; not
//! `2·re·im`, which rounds differently for subnormal products) — and never fused, so the counts
//! are bit-identical to [`super::reference`].

use std::array;
use std::simd::prelude::*;

use super::JuliaParams;
use crate::simd::dispatch;

/// Vectors iterated together. Measured on AVX-512 and simd128 (see the foundation note):
/// 4 chains cover the 4-cycle multiply latency; more costs registers and masked-off work.
const IN_FLIGHT: usize = 4;

/// Fills `out` with the counts of row `j`, `lanes` pixels per vector (2, 4 or 8).
pub fn row(lanes: u32, p: &JuliaParams, j: usize, out: &mut [u32]) {
    match lanes {
        8 => row_n::<8>(p, j, out),
        4 => row_n::<4>(p, j, out),
        _ => row_n::<2>(p, j, out),
    }
}

dispatch!(fn row_n<const N: usize>(p: &JuliaParams, j: usize, out: &mut [u32]) => row_generic);

#[inline(always)]
fn row_generic<const N: usize>(p: &JuliaParams, j: usize, out: &mut [u32])
{
    let width = out.len();
    let (x_min, step_x) = (p.x_min, p.step_x());
    let y = Simd::<f64, N>::splat(p.y(j));
    let c = (Simd::splat(p.c_re), Simd::splat(p.c_im));
    for start in (0..width).step_by(N * IN_FLIGHT) {
        // Lanes past the row's end repeat its last pixel and are not stored.
        let re: [Simd<f64, N>; IN_FLIGHT] = array::from_fn(|v| {
            Simd::from_array(array::from_fn(|l| {
                let i = (start + v * N + l).min(width - 1);
                x_min + i as f64 * step_x
            }))
        });
        let counts = iterate(re, [y; IN_FLIGHT], c, p.max_iter);
        for (v, count) in counts.iter().enumerate() {
            for (l, &n) in count.as_array().iter().enumerate() {
                if let Some(slot) = out.get_mut(start + v * N + l) {
                    *slot = n as u32;
                }
            }
        }
    }
}

/// Iterates `IN_FLIGHT` vectors of starting points until every lane has escaped or `max_iter`
/// steps are done; returns each lane's step count.
#[inline(always)]
fn iterate<const N: usize>(
    mut re: [Simd<f64, N>; IN_FLIGHT],
    mut im: [Simd<f64, N>; IN_FLIGHT],
    (c_re, c_im): (Simd<f64, N>, Simd<f64, N>),
    max_iter: u32,
) -> [Simd<i64, N>; IN_FLIGHT]
{
    let four = Simd::splat(4.0);
    let mut active = [Mask::<i64, N>::splat(true); IN_FLIGHT];
    let mut count = [Simd::<i64, N>::splat(0); IN_FLIGHT];
    for _ in 0..max_iter {
        let mut any = Mask::splat(false);
        for v in 0..IN_FLIGHT {
            let (r2, i2, ri) = (re[v] * re[v], im[v] * im[v], re[v] * im[v]);
            active[v] &= (r2 + i2).simd_lt(four);
            count[v] -= active[v].to_simd();
            re[v] = (r2 - i2) + c_re;
            im[v] = (ri + ri) + c_im;
            any |= active[v];
        }
        if !any.any() {
            break;
        }
    }
    count
}
