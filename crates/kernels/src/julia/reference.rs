//! The plain Julia kernel: num-complex arithmetic, one pixel at a time, as the book writes it
//! (with its own "strength reduction": `|z|² < 4` instead of `|z| < 2`: docs/toolchain.md,
//! "No hardware hypot in wasm"). Every other variant must give exactly these counts.
//!
//! The f32 form ([`Precision::F32`]) is the same loop on `Complex32`: coordinates and `c`
//! computed in f64 and rounded once, then every operation in f32 (docs/workloads.md §1b).

use num_complex::{Complex32, Complex64};

use super::{JuliaParams, Precision};

/// One loop for both precisions: `escape_count` on `Complex64`, `escape_count_f32` on `Complex32`.
macro_rules! escape_count {
    ($name:ident, $complex:ty) => {
        /// Steps taken from `z` before `|z|² ≥ 4`, at most `max_iter`.
        pub fn $name(mut z: $complex, c: $complex, max_iter: u32) -> u32 {
            let mut n = 0;
            while z.norm_sqr() < 4.0 && n < max_iter {
                z = z * z + c;
                n += 1;
            }
            n
        }
    };
}
escape_count!(escape_count, Complex64);
escape_count!(escape_count_f32, Complex32);

/// Fills `out` with the counts of row `j`.
pub fn row(p: &JuliaParams, j: usize, out: &mut [u32]) {
    let y = p.y(j);
    match p.precision {
        Precision::F64 => {
            let c = Complex64::new(p.c_re, p.c_im);
            for (i, count) in out.iter_mut().enumerate() {
                *count = escape_count(Complex64::new(p.x(i), y), c, p.max_iter);
            }
        }
        Precision::F32 => {
            let c = Complex32::new(p.c_re as f32, p.c_im as f32);
            for (i, count) in out.iter_mut().enumerate() {
                *count = escape_count_f32(Complex32::new(p.x(i) as f32, y as f32), c, p.max_iter);
            }
        }
    }
}
