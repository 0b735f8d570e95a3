//! The vectorised diffusion kernel: `N` neighbouring cells of a row per vector, the reference's
//! arithmetic operation for operation (add, subtract and multiply are exactly rounded lane by
//! lane, never fused), so the grid is bit-identical to [`super::reference`].
//!
//! Wrap-around is what would put a branch in the loop: only the first and last columns have a
//! neighbour on the other side of the row. Two forms keep it out (`row`):
//! - **From 4 lanes up**, vectors start at column 0; each loads its up, centre and down cells,
//!   and its left and right neighbours are the centre vectors beside it shifted by one lane. A
//!   splat of the wrapped-around cell stands in for the vector before the first and after the
//!   last; a row that is not a multiple of `N` ends in scalars. Rows narrower than `N` run the
//!   reference row.
//! - **At 2 lanes** (WebAssembly's width), the first and last columns are scalars
//!   ([`reference::cell`]) and the interior columns `1..width − 1` read their left, centre and
//!   right vectors from three shifted views of the row, with no index arithmetic and no test
//!   inside the loop. An interior that is not a multiple of `N` ends with one vector aligned to
//!   its end, overlapping the previous one: the overlapped cells are recomputed from the same
//!   old values and written with the same bits. Rows narrower than `N + 2` run the reference row.

use std::simd::Swizzle;
use std::simd::prelude::*;

use super::{reference, schedule, wrap};
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

/// The blocked schedule's pass ([`schedule::wavefront`]) with this kernel's rows: `out` (grid
/// rows `first_row ..`) as they are `depth` steps after `src`, `lanes` cells per vector.
#[allow(clippy::too_many_arguments, reason = "the pass's geometry and the equation's two constants")]
pub(super) fn wavefront(
    lanes: u32,
    src: &[f64],
    width: usize,
    first_row: usize,
    out: &mut [f64],
    depth: usize,
    ring: &mut [f64],
    d: f64,
    dt: f64,
) {
    let coef = (d, dt);
    match lanes {
        8 => wavefront_n::<8>(src, width, first_row, out, depth, ring, coef),
        4 => wavefront_n::<4>(src, width, first_row, out, depth, ring, coef),
        _ => wavefront_n::<2>(src, width, first_row, out, depth, ring, coef),
    }
}

dispatch!(fn rows_n<const N: usize>(src: &[f64], width: usize, first_row: usize, out: &mut [f64], d: f64, dt: f64) => rows_generic);
dispatch!(fn wavefront_n<const N: usize>(src: &[f64], width: usize, first_row: usize, out: &mut [f64], depth: usize, ring: &mut [f64], coef: (f64, f64)) => wavefront_generic);

#[inline(always)]
fn wavefront_generic<const N: usize>(
    src: &[f64],
    width: usize,
    first_row: usize,
    out: &mut [f64],
    depth: usize,
    ring: &mut [f64],
    (d, dt): (f64, f64),
) {
    schedule::wavefront(src, width, first_row, out, depth, ring, &Rows::<N> { d, dt });
}

/// This kernel's row for [`schedule::wavefront`]: a type, not a closure, so that its
/// `#[inline(always)]` compiles the row into the caller's copy for its target features.
struct Rows<const N: usize> {
    d: f64,
    dt: f64,
}

impl<const N: usize> schedule::Row for Rows<N> {
    #[inline(always)]
    fn row(&self, up: &[f64], mid: &[f64], down: &[f64], out: &mut [f64]) {
        row::<N>(up, mid, down, out, self.d, self.dt);
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
    if width < N {
        reference::row(up, mid, down, out, d, dt);
        return;
    }
    if N == 2 {
        // At 2 lanes a neighbour's load straddles two cache lines once in four, and
        // WebAssembly engines pay more for a shuffle than for a load (docs/bench.md).
        row_by_loads::<N>(up, mid, down, out, d, dt);
        return;
    }
    // Vectors start at column 0 and every N after it, so each loads its up, centre and down
    // cells where its output goes; the left and right neighbours are the centres shifted by
    // one lane across the vectors beside them (a load one cell off would straddle two cache
    // lines three times in four). A splat of the wrapped-around neighbour stands in for the
    // vector before the first and after the last.
    let whole = width - width % N;
    let load = |s: &[f64], k: usize| Simd::<f64, N>::from_slice(&s[k..k + N]);
    let coef = (Simd::splat(std::hint::black_box(2.0)), Simd::splat(d), Simd::splat(dt));
    let cells = |k: usize, prev: Simd<f64, N>, centre: Simd<f64, N>, next: Simd<f64, N>| {
        let (left, right) = (ShiftIn::concat_swizzle(prev, centre), ShiftOut::concat_swizzle(centre, next));
        cell(load(up, k), load(down, k), left, centre, right, coef)
    };
    let mut prev = Simd::splat(mid[width - 1]);
    let mut centre = load(mid, 0);
    let mut k = 0;
    while k + N < whole {
        let next = load(mid, k + N);
        cells(k, prev, centre, next).copy_to_slice(&mut out[k..k + N]);
        (prev, centre) = (centre, next);
        k += N;
    }
    // The last whole vector's right neighbour: the first cell of the tail, or column 0.
    cells(k, prev, centre, Simd::splat(mid[whole % width])).copy_to_slice(&mut out[k..k + N]);
    for c in whole..width {
        out[c] = reference::cell(up[c], down[c], mid[c - 1], mid[c], mid[(c + 1) % width], d, dt);
    }
}

/// A row with every neighbour loaded where it lies; the first and last columns, whose
/// neighbours wrap around, as scalars.
#[inline(always)]
fn row_by_loads<const N: usize>(up: &[f64], mid: &[f64], down: &[f64], out: &mut [f64], d: f64, dt: f64) {
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
    // 2 from a black box: LLVM would make `2 · centre` an add, and a cell has six adds to its
    // three multiplies, so the multiply units take it (the same bits: doubling is exact).
    let coef = (Simd::splat(std::hint::black_box(2.0)), Simd::splat(d), Simd::splat(dt));
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
    fn at<const N: usize>(&self, k: usize, coef: (Simd<f64, N>, Simd<f64, N>, Simd<f64, N>)) -> Simd<f64, N> {
        let load = |s: &[f64]| Simd::<f64, N>::from_slice(&s[k..k + N]);
        cell(load(self.up), load(self.down), load(self.left), load(self.centre), load(self.right), coef)
    }
}

/// New values of N cells from their five old neighbourhoods: [`reference::cell`], lane by lane.
#[inline(always)]
fn cell<const N: usize>(
    up: Simd<f64, N>,
    down: Simd<f64, N>,
    left: Simd<f64, N>,
    centre: Simd<f64, N>,
    right: Simd<f64, N>,
    (two, d, dt): (Simd<f64, N>, Simd<f64, N>, Simd<f64, N>),
) -> Simd<f64, N> {
    let xx = (down + up) - two * centre;
    let yy = (right + left) - two * centre;
    centre + (d * (xx + yy)) * dt
}

/// Lanes `N − 1 ..` of two vectors side by side: the last of the first, then all but the last
/// of the second (each cell's left neighbour).
struct ShiftIn;
impl<const N: usize> Swizzle<N> for ShiftIn {
    const INDEX: [usize; N] = shifted(N - 1);
}

/// Lanes `1 ..` of two vectors side by side (each cell's right neighbour).
struct ShiftOut;
impl<const N: usize> Swizzle<N> for ShiftOut {
    const INDEX: [usize; N] = shifted(1);
}

/// Indices `from, from + 1, …` into two vectors of `N` lanes side by side.
const fn shifted<const N: usize>(from: usize) -> [usize; N] {
    let mut index = [0; N];
    let mut i = 0;
    while i < N {
        index[i] = from + i;
        i += 1;
    }
    index
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
