//! The memory-bandwidth reference of diffusion: one copy of the grid (read every cell once,
//! write it once, as one explicit step must at least). A diffusion step faster than this copy
//! is one that keeps the grid in cache between steps (the kernels' blocked schedule).

use std::time::Instant;

/// The largest grid copied: the diffusion limit's cell count, 4096².
pub(crate) const MAX_CELLS: usize = 4096 * 4096;

/// Milliseconds of one copy of a `cells`-cell f64 grid into another, split into `threads`
/// contiguous parts copied at once. Both grids are written once first, so no page is faulted in
/// during the timed copy.
pub(crate) fn time_one_copy(cells: usize, threads: usize) -> f64 {
    let from: Vec<f64> = (0..cells).map(|i| i as f64).collect();
    let mut to = vec![0.0f64; cells];
    let part = cells.div_ceil(threads.max(1));
    let started = Instant::now();
    rayon::scope(|s| {
        for (dst, src) in to.chunks_mut(part).zip(from.chunks(part)) {
            s.spawn(move |_| dst.copy_from_slice(src));
        }
    });
    let ms = started.elapsed().as_secs_f64() * 1e3;
    // The copy must happen: read it back.
    assert_eq!(std::hint::black_box(&to)[cells - 1], (cells - 1) as f64);
    ms
}
