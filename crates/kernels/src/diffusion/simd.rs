//! The vectorised diffusion kernel: `N` neighbouring cells of a row per vector, the reference's
//! arithmetic operation for operation (add, subtract and multiply are exactly rounded lane by
//! lane, never fused), so the grid is bit-identical to [`super::reference`].
//!
//! Wrap-around is what would put a branch in the loop: only the first and last columns have a
//! neighbour on the other side of the row. They are computed as scalars ([`reference::cell`]);
//! the interior columns `1..width − 1` then read their left, centre and right vectors from
//! three shifted views of the row, with no index arithmetic and no test inside the loop. An
//! interior that is not a multiple of `N` ends with one vector aligned to its end, overlapping
//! the previous one: the overlapped cells are recomputed from the same old values and written
//! with the same bits, which is cheaper than a scalar tail. Rows narrower than `N + 2` run the
//! reference row.

use std::simd::prelude::*;

use super::{reference, wrap};
use crate::simd::dispatch;

/// Writes the new values of rows `first_row ..` of `src` into `out` (whole rows), `lanes`
/// cells per vector (2, 4 or 8). Same contract as [`reference::rows`].
pub fn rows(lanes: u32, src: &[f64], width: usize, first_row: usize, out: &mut [f64], d: f64, dt: f64) {
    match lanes {
        8 => rows_n::<8>(src, width, first_row, out, d, dt),
        4 => rows_n::<4>(src, width, first_row, out, d, dt),
        _ => rows_n::<2>(src, width, first_row, out, d, dt),
    }
}

/// Writes the new values of the rows of `out` from `src`, which holds the same rows plus the
/// one above and the one below them: row `k` of `out` reads rows `k`, `k + 1` and `k + 2` of
/// `src`. No vertical wrap: the caller supplies the neighbours (the blocked schedule's scratch).
pub fn rows_within(lanes: u32, src: &[f64], width: usize, out: &mut [f64], d: f64, dt: f64) {
    match lanes {
        8 => rows_within_n::<8>(src, width, out, d, dt),
        4 => rows_within_n::<4>(src, width, out, d, dt),
        _ => rows_within_n::<2>(src, width, out, d, dt),
    }
}

dispatch!(fn rows_n<const N: usize>(src: &[f64], width: usize, first_row: usize, out: &mut [f64], d: f64, dt: f64) => rows_generic);
dispatch!(fn rows_within_n<const N: usize>(src: &[f64], width: usize, out: &mut [f64], d: f64, dt: f64) => rows_within_generic);

#[inline(always)]
fn rows_within_generic<const N: usize>(src: &[f64], width: usize, out: &mut [f64], d: f64, dt: f64) {
    debug_assert_eq!(src.len(), out.len() + 2 * width);
    let row_of = |i: usize| &src[i * width..(i + 1) * width];
    for (k, out_row) in out.chunks_exact_mut(width).enumerate() {
        row::<N>(row_of(k), row_of(k + 1), row_of(k + 2), out_row, d, dt);
    }
}

#[inline(always)]
fn rows_generic<const N: usize>(src: &[f64], width: usize, first_row: usize, out: &mut [f64], d: f64, dt: f64) {
    let height = src.len() / width;
    let row_of = |i: usize| &src[i * width..(i + 1) * width];
    for (r, out_row) in out.chunks_exact_mut(width).enumerate() {
        let i = first_row + r;
        row::<N>(row_of(wrap::prev(i, height)), row_of(i), row_of(wrap::next(i, height)), out_row, d, dt);
    }
}

#[inline(always)]
fn row<const N: usize>(up: &[f64], mid: &[f64], down: &[f64], out: &mut [f64], d: f64, dt: f64) {
    let width = mid.len();
    if width < N + 2 {
        reference::row(up, mid, down, out, d, dt);
        return;
    }
    let last = width - 1;
    out[0] = reference::cell(up[0], down[0], mid[last], mid[0], mid[1], d, dt);
    out[last] = reference::cell(up[last], down[last], mid[last - 1], mid[last], mid[0], d, dt);

    // Interior cell k (column k + 1) reads left[k], centre[k], right[k], up[k], down[k].
    let n = width - 2;
    let views = Views { up: &up[1..=n], down: &down[1..=n], left: &mid[..n], centre: &mid[1..=n], right: &mid[2..] };
    let out = &mut out[1..=n];
    let coef = (Simd::splat(d), Simd::splat(dt));
    for (k, chunk) in out.chunks_exact_mut(N).enumerate() {
        views.at::<N>(k * N, coef).copy_to_slice(chunk);
    }
    if !n.is_multiple_of(N) {
        views.at::<N>(n - N, coef).copy_to_slice(&mut out[n - N..]);
    }
}

/// The five old values an interior cell reads, as equally long slices indexed by interior cell.
struct Views<'a> {
    up: &'a [f64],
    down: &'a [f64],
    left: &'a [f64],
    centre: &'a [f64],
    right: &'a [f64],
}

impl Views<'_> {
    /// New values of interior cells `k .. k + N`: [`reference::cell`], lane by lane.
    #[inline(always)]
    fn at<const N: usize>(&self, k: usize, (d, dt): (Simd<f64, N>, Simd<f64, N>)) -> Simd<f64, N> {
        let load = |s: &[f64]| Simd::<f64, N>::from_slice(&s[k..k + N]);
        let two = Simd::splat(2.0);
        let centre = load(self.centre);
        let xx = (load(self.down) + load(self.up)) - two * centre;
        let yy = (load(self.right) + load(self.left)) - two * centre;
        centre + (d * (xx + yy)) * dt
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Old values spanning normal, tiny and subnormal magnitudes and exact zeros, to exercise
    /// rounding wherever it can differ.
    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![Just(0.0), 0.0f64..0.005, (0.0f64..1.0).prop_map(|v| v * 1e-310), -1.0f64..1.0]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random values (not just the book's block), every width from 1 past 2 × 8 + 2.
        #[test]
        fn every_width_equals_the_reference_on_random_values(
            (width, height, grid) in (1usize..21, 1usize..5).prop_flat_map(|(w, h)| {
                (Just(w), Just(h), proptest::collection::vec(value(), w * h))
            }),
            dt in 0.01f64..0.25,
        ) {
            let mut expected = vec![0.0; grid.len()];
            reference::rows(&grid, width, 0, &mut expected, 1.0, dt);
            // The reference against the book's `%` indexing, sides of 1 and 2 included.
            let at = |i: usize, j: usize| grid[(i % height) * width + j % width];
            for (k, v) in expected.iter().enumerate() {
                let (i, j) = (k / width, k % width);
                let xx = at(i + 1, j) + at(i + height - 1, j) - 2.0 * at(i, j);
                let yy = at(i, j + 1) + at(i, j + width - 1) - 2.0 * at(i, j);
                prop_assert_eq!(v.to_bits(), (at(i, j) + 1.0 * (xx + yy) * dt).to_bits());
            }
            for lanes in [2, 4, 8] {
                let mut out = vec![f64::NAN; grid.len()];
                rows(lanes, &grid, width, 0, &mut out, 1.0, dt);
                let (a, b): (Vec<u64>, Vec<u64>) =
                    (out.iter().map(|v| v.to_bits()).collect(), expected.iter().map(|v| v.to_bits()).collect());
                prop_assert_eq!(a, b, "lanes {}, {}×{}", lanes, width, height);
            }
        }
    }
}
