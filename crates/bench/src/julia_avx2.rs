//! The Julia limit reference: the kernel's arithmetic written with explicit 4-lane AVX2
//! vectors (`core::arch`), 4 vectors (16 pixels of a row) in flight, the escape test at every
//! step, no fused multiply-add — the plain way a C programmer with intrinsics would write it.
//! It computes the same counts as `julia::reference` (its checksum is compared), so the native
//! kernel at its widest has a hand-written bar to clear on the same machine and in the same run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use parallax_kernels::julia::JuliaParams;
use parallax_kernels::{Control, parallel};

/// Pixels of a row per group: 4 vectors of 4 lanes.
const GROUP: usize = 16;

/// (sum of the counts, milliseconds) of the probe on `threads` threads, rows handed out
/// dynamically as the kernels hand them; a refusal where the CPU has no AVX2 or the params
/// are out of the kernels' range.
pub(crate) fn run(p: &JuliaParams, threads: usize) -> Result<(u64, f64), String> {
    p.validate().map_err(|e| e.to_string())?;
    if !avx2_present() {
        return Err("julia_avx2: this CPU has no AVX2".into());
    }
    let total = AtomicU64::new(0);
    let started = Instant::now();
    parallel::for_each_dynamic(threads, p.height as usize, &Control::new(), |j| {
        // SAFETY: AVX2 is present (checked above).
        let sum = unsafe { row_sum(p, j) };
        total.fetch_add(sum, Ordering::Relaxed);
    })
    .map_err(|e| e.to_string())?;
    Ok((total.load(Ordering::Relaxed), started.elapsed().as_secs_f64() * 1e3))
}

fn avx2_present() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn row_sum(_: &JuliaParams, _: usize) -> u64 {
    unreachable!("avx2_present() is false off x86-64")
}

/// The sum of row `j`'s counts.
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn row_sum(p: &JuliaParams, j: usize) -> u64 {
    use std::arch::x86_64::*;
    let width = p.width as usize;
    let y = _mm256_set1_pd(p.y(j));
    let (cr, ci) = (_mm256_set1_pd(p.c_re), _mm256_set1_pd(p.c_im));
    let four = _mm256_set1_pd(4.0);
    let mut sum = 0u64;
    for first in (0..width).step_by(GROUP) {
        let mut zr = [_mm256_setzero_pd(); 4];
        let mut zi = [y; 4];
        let mut active = [_mm256_setzero_pd(); 4];
        let mut count = [_mm256_setzero_si256(); 4];
        for k in 0..4 {
            let i = first + 4 * k;
            let x = |l: usize| p.x(i + l);
            zr[k] = _mm256_setr_pd(x(0), x(1), x(2), x(3));
            // Lanes past the row's end start escaped and count nothing.
            let live = |l: usize| if i + l < width { -1i64 } else { 0 };
            active[k] = _mm256_castsi256_pd(_mm256_setr_epi64x(live(0), live(1), live(2), live(3)));
        }
        for _ in 0..p.max_iter {
            let mut any = _mm256_setzero_pd();
            for k in 0..4 {
                let re2 = _mm256_mul_pd(zr[k], zr[k]);
                let im2 = _mm256_mul_pd(zi[k], zi[k]);
                let inside = _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_add_pd(re2, im2), four);
                active[k] = _mm256_and_pd(active[k], inside);
                // An active lane's mask is −1: subtracting it counts the step.
                count[k] = _mm256_sub_epi64(count[k], _mm256_castpd_si256(active[k]));
                let reim = _mm256_mul_pd(zr[k], zi[k]);
                zr[k] = _mm256_add_pd(_mm256_sub_pd(re2, im2), cr);
                zi[k] = _mm256_add_pd(_mm256_add_pd(reim, reim), ci);
                any = _mm256_or_pd(any, active[k]);
            }
            if _mm256_movemask_pd(any) == 0 {
                break;
            }
        }
        for c in count {
            let mut lanes = [0i64; 4];
            // SAFETY: `lanes` is 32 bytes; the unaligned store has no alignment requirement.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), c) };
            sum += lanes.iter().sum::<i64>() as u64;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use parallax_kernels::julia::{JuliaParams, reference};

    use super::*;

    fn reference_sum(p: &JuliaParams) -> u64 {
        let mut row = vec![0u32; p.width as usize];
        (0..p.height as usize)
            .map(|j| {
                reference::row(p, j, &mut row);
                row.iter().map(|&c| u64::from(c)).sum::<u64>()
            })
            .sum()
    }

    /// The probe counts what the reference counts: widths that are not multiples of 16, other
    /// regions and constants, one and two threads.
    #[test]
    fn the_probe_gives_the_references_sum() {
        if !avx2_present() {
            eprintln!("no AVX2 here: the probe refuses, as tested below");
            assert!(run(&JuliaParams::default(), 1).is_err());
            return;
        }
        let cases = [
            JuliaParams { width: 37, height: 23, ..JuliaParams::default() },
            JuliaParams { width: 64, height: 48, max_iter: 500, ..JuliaParams::default() },
            JuliaParams { width: 101, height: 7, c_re: 0.0, c_im: 1.0, max_iter: 200, ..JuliaParams::default() },
            JuliaParams {
                width: 19,
                height: 31,
                x_min: -0.5,
                x_max: 0.25,
                y_min: -0.1,
                y_max: 0.6,
                ..JuliaParams::default()
            },
        ];
        for p in cases {
            for threads in [1, 2] {
                let (sum, _) = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .unwrap()
                    .install(|| run(&p, threads))
                    .unwrap();
                assert_eq!(sum, reference_sum(&p), "{p:?} on {threads} threads");
            }
        }
    }

    /// The book's case: its own assert.
    #[test]
    fn the_book_case_sums_to_the_books_value() {
        if avx2_present() {
            assert_eq!(run(&JuliaParams::default(), 1).unwrap().0, 33_219_980);
        }
    }
}
