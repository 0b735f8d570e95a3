//! How the steps of a chunk are run: which rows a worker computes when, and how often the grid
//! travels through memory. The variant picks the row kernel; this picks the order.
//!
//! **Plain** (the reference always; simd on grids that fit in cache): one sweep over the grid
//! per step, rows handed out in blocks from one counter, a barrier per step
//! ([`parallel::sweep_dynamic`]). A step reads the grid once and writes it once, so on a grid
//! larger than the caches it cannot beat a plain copy of the grid (how close it came:
//! docs/bench.md, "The figures behind the kernels' constants").
//!
//! **Blocked** (simd, from 512²): temporal blocking as a wavefront. One pass over memory
//! advances the grid `depth` steps: a worker takes a band of rows and walks down it (and
//! `depth` halo rows on each side, wrapping around) row by row; as each grid row comes into
//! reach, every step computes the one row it now can, step `j` a row behind step `j − 1`. A
//! step's rows are read only by the next step, three at a time, so steps `1 .. depth` keep
//! three rows each in a ring sized for the L2 cache; only the grid's rows and the band's
//! rows of the last step cross memory. Halo rows are computed by two neighbouring bands —
//! `(depth − 1) / band` extra work — while memory traffic falls `depth`-fold. Every cell is
//! still computed from the same old values by the same operations, so the bits are those of
//! the plain schedule; the unit tests below force many small bands to check it. (Until
//! 2026-12-08 a band was copied into a scratch pair and stepped there whole, with a shallower
//! depth: docs/bench.md has what the wavefront gained.)

use super::{DiffusionParams, reference, simd};
use crate::parallel::{self, Phases};
use crate::{Control, Exec, Variant};

/// Plain schedule: blocks a worker claims per step, per thread, so that a thread slowed by a
/// neighbour on its core hands rows to the others.
const BLOCKS_PER_THREAD: usize = 4;
/// Plain schedule: fewest cells in a block (128 KiB of output): claiming one costs a contended
/// atomic (≈ 0.1 µs), a block several microseconds of work.
const MIN_BLOCK_CELLS: usize = 16 * 1024;
/// Blocked schedule: cells a worker's ring may hold (`3 · (depth − 1)` rows): 576 KiB, inside
/// the smallest L2 of our machines (1 MiB a core) with room for the grid rows streaming past.
const RING_CELLS: usize = 72 * 1024;
/// Blocked schedule: the smallest grid it is used for. Below 512² both grids (≤ 4 MiB) stay in
/// the caches between steps and a plain step is as fast.
const BLOCKED_MIN_CELLS: usize = 512 * 512;
/// Blocked schedule: depths tried, deepest first; the first whose ring fits and whose band is
/// at least twice the depth is taken. Deeper passes cross memory less often; past the ring's
/// budget the ring leaves the L2 cache.
const DEPTHS: [usize; 7] = [32, 24, 16, 12, 8, 4, 2];
/// Blocked schedule: bands per thread, handed out dynamically. A band of `b` rows costs
/// `(depth − 1) / b` extra work (its halo), so one band a thread, the fewest (docs/bench.md).
const BANDS_PER_THREAD: usize = 1;

/// A blocked schedule: steps per pass over memory, and rows per band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Plan {
    depth: usize,
    band: usize,
}

impl Plan {
    /// The blocked plan for this run, or `None` for the plain schedule.
    pub(super) fn choose(p: &DiffusionParams, exec: &Exec) -> Option<Plan> {
        if exec.variant != Variant::Simd || p.cells() < BLOCKED_MIN_CELLS {
            return None;
        }
        Self::fitting(p.width as usize, p.height as usize, exec.threads, RING_CELLS)
    }

    /// The deepest plan whose ring of `3 · (depth − 1)` rows holds at most `cells` cells and
    /// whose band is at least twice as deep.
    fn fitting(width: usize, height: usize, threads: usize, cells: usize) -> Option<Plan> {
        let band = height.div_ceil(threads.max(1) * BANDS_PER_THREAD);
        DEPTHS
            .iter()
            .map(|&depth| Plan { depth, band: band.max(2 * depth).min(height) })
            .find(|p| 3 * (p.depth - 1) * width <= cells && p.band >= 2 * p.depth)
    }
}

/// What every pass of one chunk shares.
#[derive(Clone, Copy)]
struct Run<'a> {
    width: usize,
    height: usize,
    d: f64,
    dt: f64,
    exec: &'a Exec,
    control: &'a Control,
}

/// Advances `bufs[0]` (the grid; `bufs[1]` is its scratch twin) by `steps` steps and returns how
/// many it took: `steps`, or fewer if cancelled, and then `bufs[0]` holds the last whole step.
/// Progress advances per step (per pass of `depth` steps when blocked).
pub(super) fn advance(
    bufs: [&mut Vec<f64>; 2],
    p: &DiffusionParams,
    steps: u32,
    exec: &Exec,
    control: &Control,
    plan: Option<Plan>,
) -> u32 {
    let run = Run { width: p.width as usize, height: p.height as usize, d: p.d, dt: p.dt, exec, control };
    let [grid, next] = bufs;
    let mut done = 0;
    while done < steps && !control.is_cancelled() {
        let left = (steps - done) as usize;
        // Whole passes of the plan's depth, then one shallower pass for the rest.
        let (depth, passes) = match plan {
            Some(plan) if left >= 2 => {
                let depth = plan.depth.min(left);
                (depth, left / depth)
            }
            _ => (1, left),
        };
        let bufs = [grid.as_mut_slice(), next.as_mut_slice()];
        let completed = match plan {
            Some(plan) if depth > 1 => run.blocked(bufs, Plan { depth, ..plan }, passes as u64),
            _ => run.plain(bufs, passes as u64),
        };
        // After k passes the newest state is in bufs[k % 2].
        if completed % 2 == 1 {
            std::mem::swap(grid, next);
        }
        done += (completed as usize * depth) as u32;
        if completed < passes as u64 {
            break;
        }
    }
    done
}

impl Run<'_> {
    fn plain(&self, bufs: [&mut [f64]; 2], steps: u64) -> u64 {
        let Run { width, d, dt, exec, control, .. } = *self;
        let block_len = block_rows(width, self.height, exec.threads) * width;
        let phases = Phases { count: steps, progress_each: 1 };
        match exec.variant {
            Variant::Reference => parallel::sweep_dynamic(
                exec.threads,
                bufs,
                phases,
                block_len,
                control,
                || (),
                |_, src, start, out| reference::rows(src, width, start / width, out, d, dt),
            ),
            Variant::Simd => {
                let lanes = exec.effective_lanes();
                parallel::sweep_dynamic(
                    exec.threads,
                    bufs,
                    phases,
                    block_len,
                    control,
                    || (),
                    |_, src, start, out| simd::rows(lanes, src, width, start / width, out, d, dt),
                )
            }
        }
    }

    fn blocked(&self, bufs: [&mut [f64]; 2], plan: Plan, passes: u64) -> u64 {
        let Run { width, d, dt, exec, control, .. } = *self;
        let lanes = exec.effective_lanes();
        let phases = Phases { count: passes, progress_each: plan.depth as u64 };
        let ring_len = 3 * (plan.depth - 1) * width;
        parallel::sweep_dynamic(
            exec.threads,
            bufs,
            phases,
            plan.band * width,
            control,
            // 64 bytes of slack, so that the ring can start on a cache line: a vector load or
            // store that straddles two lines costs two (8 bytes off: 1.09× the time, docs/bench.md).
            || vec![0.0; ring_len + 8],
            |ring, src, start, out| {
                let skip = ring.as_ptr().align_offset(64).min(8);
                let ring = &mut ring[skip..][..ring_len];
                simd::wavefront(lanes, src, width, start / width, out, plan.depth, ring, d, dt)
            },
        )
    }
}

/// Rows per block handed to a worker by the plain schedule: the whole grid for one thread (one
/// claim per step).
fn block_rows(width: usize, height: usize, threads: usize) -> usize {
    if threads <= 1 {
        return height;
    }
    let for_balance = height.div_ceil(threads * BLOCKS_PER_THREAD);
    let for_overhead = MIN_BLOCK_CELLS.div_ceil(width);
    for_balance.max(for_overhead).min(height)
}

/// One step of one row: `out` from the rows `up`, `mid` and `down` of the step before.
pub(super) trait Row {
    fn row(&self, up: &[f64], mid: &[f64], down: &[f64], out: &mut [f64]);
}

/// Writes into `out` its rows (grid rows `first_row ..`) as they are `depth` steps after the grid
/// `src`, as a wavefront: each time one more row of `src` comes into reach, every step takes
/// the one row it can now compute, step `j` lagging a row behind step `j − 1`. A step's rows
/// are read only by the next step and only three at a time, so each of steps `1 .. depth` keeps
/// three rows in `ring` (`3 · (depth − 1)` rows, in the L2 cache) and the last step writes
/// straight into `out`. `step` computes one row.
///
/// Local row `k` is grid row `first_row − depth + k` (mod height); step `j` computes local rows
/// `j .. rows − j` (`rows` = the band's plus `depth` above and below), the rows the plain
/// schedule's steps would give them, from the same old values.
#[inline(always)]
pub(super) fn wavefront(
    src: &[f64],
    width: usize,
    first_row: usize,
    out: &mut [f64],
    depth: usize,
    ring: &mut [f64],
    step: &impl Row,
) {
    let height = src.len() / width;
    let rows = out.len() / width + 2 * depth;
    debug_assert!(depth >= 1 && depth < height && ring.len() >= 3 * (depth - 1) * width);
    let grid_row = |k: usize| {
        let i = (first_row + k + height - depth) % height;
        &src[i * width..][..width]
    };
    // Step j's row k lives in ring rows 3 (j − 1) + k mod 3: written when step j + 1 has read
    // the row three below it for the last time.
    let slot = |j: usize, k: usize| (3 * (j - 1) + k % 3) * width;
    for t in 0..rows {
        // Row t of the grid came into reach: step j takes row k = t − j while k ≥ j.
        for j in 1..=depth.min(t / 2) {
            let k = t - j;
            let (below, above) = ring.split_at_mut(if j < depth { slot(j, 0) } else { ring.len() });
            let input = |r: usize| if j == 1 { grid_row(r) } else { &below[slot(j - 1, r)..][..width] };
            let (up, mid, down) = (input(k - 1), input(k), input(k + 1));
            let dest = if j == depth {
                &mut out[(k - depth) * width..][..width]
            } else {
                &mut above[(k % 3) * width..][..width]
            };
            step.row(up, mid, down, dest);
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn plans_fit_the_ring_and_leave_small_grids_plain() {
        let simd = |threads| Exec::new(Variant::Simd).threads(threads);
        let square = |n| DiffusionParams { width: n, height: n, ..DiffusionParams::default() };
        assert_eq!(Plan::choose(&square(256), &simd(2)), None);
        assert_eq!(Plan::choose(&square(1024), &Exec::new(Variant::Reference).threads(2)), None);
        // One band a thread; the ring (3 · (depth − 1) rows) within 72 Ki cells.
        assert_eq!(Plan::choose(&square(1024), &simd(1)), Some(Plan { depth: 24, band: 1024 }));
        assert_eq!(Plan::choose(&square(1024), &simd(2)), Some(Plan { depth: 24, band: 512 }));
        assert_eq!(Plan::choose(&square(2048), &simd(2)), Some(Plan { depth: 12, band: 1024 }));
        assert_eq!(Plan::choose(&square(4096), &simd(2)), Some(Plan { depth: 4, band: 2048 }));
        // Many threads on a short grid: the band stays twice the depth.
        let short = DiffusionParams { width: 1024, height: 600, ..DiffusionParams::default() };
        assert_eq!(Plan::choose(&short, &simd(64)), Some(Plan { depth: 24, band: 48 }));
        let wide = DiffusionParams { width: 16384, height: 64, ..DiffusionParams::default() };
        assert_eq!(Plan::choose(&wide, &simd(2)), Some(Plan { depth: 2, band: 32 }));
        // Too wide for even a ring of depth 2: the plain schedule.
        let wider = DiffusionParams { width: 32768, height: 16, ..DiffusionParams::default() };
        assert_eq!(Plan::choose(&wider, &simd(2)), None);
    }

    #[test]
    fn plain_blocks_are_whole_rows_and_cover_the_grid() {
        assert_eq!(block_rows(1024, 1024, 1), 1024);
        assert_eq!(block_rows(1024, 1024, 2), 128);
        assert_eq!(block_rows(256, 256, 2), 64);
        assert_eq!(block_rows(1, 3, 8), 3);
        assert_eq!(block_rows(100_000, 5, 3), 1);
    }

    fn arb_case() -> impl Strategy<Value = (DiffusionParams, Plan, u32, u32)> {
        (2usize..=4, 1u32..30, 0u32..26, 1u32..=3, prop_oneof![Just(2u32), Just(4), Just(8)]).prop_flat_map(
            |(depth, width, steps, threads, lanes)| {
                ((2 * depth as u32 + 1)..40).prop_flat_map(move |height| {
                    (2 * depth..=height as usize).prop_map(move |band| {
                        let p = DiffusionParams { width, height, steps, ..DiffusionParams::default() };
                        (p, Plan { depth, band }, threads, lanes)
                    })
                })
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Bands of every size that fit, partial last bands, remainders of every length.
        #[test]
        fn blocked_passes_equal_plain_steps((p, plan, threads, lanes) in arb_case()) {
            let run = |exec: Exec, plan| {
                let (mut grid, mut next) = (p.initial_grid(), p.initial_grid());
                let control = Control::new();
                let done = advance([&mut grid, &mut next], &p, p.steps, &exec, &control, plan);
                assert_eq!((done, control.progress().0), (p.steps, p.steps as u64));
                grid.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            };
            let expected = run(Exec::new(Variant::Reference), None);
            let exec = Exec::new(Variant::Simd).lanes(lanes).threads(threads as usize);
            prop_assert_eq!(run(exec, Some(plan)), expected, "{:?}, {:?}", plan, exec);
        }
    }
}
