//! The plain Julia kernel: num-complex arithmetic, one pixel at a time, as the book writes it
//! (with its own "strength reduction": `|z|² < 4` instead of `|z| < 2`: docs/toolchain.md,
//! "No hardware hypot in wasm"). Every other variant must give exactly these counts.

use num_complex::Complex64;

use super::JuliaParams;

/// Steps taken from `z` before `|z|² ≥ 4`, at most `max_iter`.
pub fn escape_count(mut z: Complex64, c: Complex64, max_iter: u32) -> u32 {
    let mut n = 0;
    while z.norm_sqr() < 4.0 && n < max_iter {
        z = z * z + c;
        n += 1;
    }
    n
}

/// Fills `out` with the counts of row `j`.
pub fn row(p: &JuliaParams, j: usize, out: &mut [u32]) {
    let c = Complex64::new(p.c_re, p.c_im);
    let y = p.y(j);
    for (i, count) in out.iter_mut().enumerate() {
        *count = escape_count(Complex64::new(p.x(i), y), c, p.max_iter);
    }
}
