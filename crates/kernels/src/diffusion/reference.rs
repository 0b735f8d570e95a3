//! The plain diffusion kernel: the book's Example 6-6, one cell at a time, in its operation order
//! (docs/workloads.md, section 2). Every other variant must give exactly these bits.
//!
//! The book wraps indices with `% N`; here the wrapped neighbour is picked by a comparison, which
//! is the same index without an integer division per cell, so that `reference` against `simd`
//! measures vectorisation and not the cost of `%`.

use super::wrap;

/// The new value of one cell from its old value and its four neighbours' (`up` = row i − 1,
/// `down` = row i + 1, `left` = column j − 1, `right` = column j + 1):
/// `g + (d·(xx + yy))·dt` with `xx = (g[i+1][j] + g[i-1][j]) − 2·g` and
/// `yy = (g[i][j+1] + g[i][j-1]) − 2·g`, each operation rounded in this order, never fused.
#[inline(always)]
pub fn cell(up: f64, down: f64, left: f64, centre: f64, right: f64, d: f64, dt: f64) -> f64 {
    let xx = (down + up) - 2.0 * centre;
    let yy = (right + left) - 2.0 * centre;
    centre + (d * (xx + yy)) * dt
}

/// Writes the new values of one row (`mid`, whose neighbours are `up` and `down`) into `out`;
/// columns wrap around.
pub fn row(up: &[f64], mid: &[f64], down: &[f64], out: &mut [f64], d: f64, dt: f64) {
    let width = mid.len();
    for j in 0..width {
        let (left, right) = (wrap::prev(j, width), wrap::next(j, width));
        out[j] = cell(up[j], down[j], mid[left], mid[j], mid[right], d, dt);
    }
}

/// Writes the new values of rows `first_row ..` of the grid `src` (`width` cells a row, row-major;
/// rows wrap around) into `out`, which holds whole rows.
pub fn rows(src: &[f64], width: usize, first_row: usize, out: &mut [f64], d: f64, dt: f64) {
    let height = src.len() / width;
    let row_of = |i: usize| &src[i * width..(i + 1) * width];
    for (r, out_row) in out.chunks_exact_mut(width).enumerate() {
        let i = first_row + r;
        row(row_of(wrap::prev(i, height)), row_of(i), row_of(wrap::next(i, height)), out_row, d, dt);
    }
}
