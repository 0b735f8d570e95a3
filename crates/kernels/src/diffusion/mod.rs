//! The 2D heat equation of *High Performance Python*, ch. 6 (docs/workloads.md, section 2):
//! explicit Euler steps of `∂u/∂t = D·∇²u` on a periodic grid (dx = 1), starting from a block of
//! heat (0.005) at rows `[⌊0.4·height⌋, ⌊0.5·height⌋)` × columns `[⌊0.4·width⌋, ⌊0.5·width⌋)`.
//!
//! - [`reference`]: one cell at a time, the book's Example 6-6 in its operation order, one
//!   sweep over the grid per step.
//! - [`simd`]: the same arithmetic on vectors along a row, the wrapping edge columns apart; on
//!   grids larger than the caches, several steps per pass over memory (temporal blocking).
//!
//! Two buffers alternate as old and new state, allocated once per run. Threads share out blocks
//! of rows through one counter for the whole run, with a barrier per step or per pass
//! ([`crate::parallel::sweep_dynamic`]): a step needs every row of the previous one. A cell's
//! new value depends only on old values, so neither the blocks, the passes nor the thread count
//! change a bit. The schedule is private to this module (`schedule.rs` explains it).
//!
//! [`DiffusionRun`] holds the state between calls, so a front can run the steps in chunks (the
//! page animates that way) and end with the same bits as one [`run`].

pub mod check_values;
mod description;
pub mod reference;
mod schedule;
pub mod simd;

pub use description::Diffusion;

use serde::{Deserialize, Serialize};

use crate::error::check_int;
use crate::{Control, Error, Exec, limits};

/// Parameters of a diffusion run; `Default` is the book's case (1024², 500 steps, dt 0.1, D 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiffusionParams {
    /// Cells per row (columns).
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// Time steps to take; 0 returns the initial state.
    pub steps: u32,
    /// Time step.
    pub dt: f64,
    /// Diffusion coefficient `D`.
    pub d: f64,
}

impl Default for DiffusionParams {
    fn default() -> Self {
        DiffusionParams { width: 1024, height: 1024, steps: 500, dt: 0.1, d: 1.0 }
    }
}

impl DiffusionParams {
    /// Refuses anything outside [`limits`]: sizes, cells, steps, total work, `dt` or `d` not
    /// finite and positive, and `d·dt` past the stability bound.
    ///
    /// Widths and heights of 1 and 2 are allowed: the wrapped neighbour `j ± 1 mod width` is
    /// well defined (the cell itself when the side is 1, the other cell on both sides when 2).
    pub fn validate(&self) -> Result<(), Error> {
        check_int("width", self.width, 1, limits::DIFFUSION_MAX_SIDE)?;
        check_int("height", self.height, 1, limits::DIFFUSION_MAX_SIDE)?;
        let cells = self.cells() as u64;
        if cells > limits::DIFFUSION_MAX_CELLS {
            return Err(Error::Invalid {
                field: "height",
                message: format!(
                    "width × height = {} × {} = {cells} cells is over the limit: allowed at most {} cells",
                    self.width,
                    self.height,
                    limits::DIFFUSION_MAX_CELLS
                ),
            });
        }
        check_int("steps", self.steps, 0, limits::DIFFUSION_MAX_STEPS)?;
        let work = cells * self.steps as u64;
        if work > limits::DIFFUSION_MAX_WORK {
            return Err(Error::Invalid {
                field: "steps",
                message: format!(
                    "width × height × steps = {work} cell updates is over the limit: allowed at most {} \
                    (lower steps or the size)",
                    limits::DIFFUSION_MAX_WORK
                ),
            });
        }
        for (field, v) in [("dt", self.dt), ("d", self.d)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::invalid(field, v, "a finite number > 0 (with d × dt ≤ 0.25)"));
            }
        }
        let r = self.d * self.dt;
        if r > limits::DIFFUSION_MAX_D_DT {
            return Err(Error::Invalid {
                field: "dt",
                message: format!(
                    "d × dt = {} × {} = {r} is over the stability limit: allowed d × dt ≤ {} (lower dt)",
                    self.d,
                    self.dt,
                    limits::DIFFUSION_MAX_D_DT
                ),
            });
        }
        Ok(())
    }

    /// Cells of the grid (`width × height`).
    pub fn cells(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The initial state: 0 everywhere, 0.005 in the block rows `[⌊0.4·height⌋, ⌊0.5·height⌋)` ×
    /// columns `[⌊0.4·width⌋, ⌊0.5·width⌋)`, computed in integers (`⌊0.4·n⌋ = ⌊2n/5⌋`) so that no
    /// float rounding can move an edge.
    pub fn initial_grid(&self) -> Vec<f64> {
        let mut grid = vec![0.0; self.cells()];
        self.fill_initial(&mut grid);
        grid
    }

    fn fill_initial(&self, grid: &mut [f64]) {
        let (w, h) = (self.width as usize, self.height as usize);
        let block = |n: usize| 2 * n / 5..n / 2;
        grid.fill(0.0);
        for row in grid.chunks_exact_mut(w).take(block(h).end).skip(block(h).start) {
            row[block(w)].fill(INITIAL_HEAT);
        }
    }
}

/// The value of the initial block (docs/workloads.md).
pub const INITIAL_HEAT: f64 = 0.005;

/// The summary fields of a diffusion result (docs/workloads.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DiffusionSummary {
    /// Σ over rows of (the row summed left to right), sequentially: see [`sum`].
    pub sum: f64,
    /// Largest value of any cell.
    pub max: f64,
}

/// What a diffusion run returns: the final grid. Its checksum and summary are computed when
/// asked for, after the run, so that no side's `kernel_ms` holds passes over the grid that the
/// peers' timings (numpy, the book's Python) leave out (docs/bench.md, "What kernel_ms holds").
#[derive(Debug, Clone, PartialEq)]
pub struct DiffusionOutput {
    /// The final grid, row-major, `width` cells a row.
    pub grid: Vec<f64>,
    /// Cells a row.
    pub width: usize,
}

impl DiffusionOutput {
    /// FNV-1a 64 of the grid's little-endian bytes ([`fnv1a64`]).
    pub fn checksum(&self) -> u64 {
        fnv1a64(&self.grid)
    }

    /// Summary fields.
    pub fn summary(&self) -> DiffusionSummary {
        DiffusionSummary {
            sum: sum(&self.grid, self.width),
            max: self.grid.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3) over the little-endian bytes of
/// `values`, in order: the diffusion checksum. Byte-wise, so it pins every bit of every value.
pub fn fnv1a64(values: &[f64]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for v in values {
        for byte in v.to_le_bytes() {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The defined sum: each row summed left to right from 0, then the row sums added top to bottom
/// from 0. The order is fixed (not pairwise, not numpy's) so both fronts report the same bits.
pub fn sum(grid: &[f64], width: usize) -> f64 {
    grid.chunks_exact(width).map(|row| row.iter().fold(0.0, |acc, &v| acc + v)).fold(0.0, |acc, r| acc + r)
}

/// The state of a run between chunks of steps: the grid, its scratch twin and the steps taken.
#[derive(Debug, Clone)]
pub struct DiffusionRun {
    params: DiffusionParams,
    grid: Vec<f64>,
    next: Vec<f64>,
    steps_done: u32,
}

impl DiffusionRun {
    /// Validates `params` and sets up the initial state. Both buffers are written here, so that
    /// the first step does not pay for the first touch of fresh pages.
    pub fn new(params: &DiffusionParams) -> Result<Self, Error> {
        params.validate()?;
        let grid = params.initial_grid();
        let next = grid.clone();
        Ok(DiffusionRun { params: params.clone(), grid, next, steps_done: 0 })
    }

    /// The parameters of this run.
    pub fn params(&self) -> &DiffusionParams {
        &self.params
    }

    /// Steps taken so far.
    pub fn steps_done(&self) -> u32 {
        self.steps_done
    }

    /// Steps still to take (`params.steps − steps_done`).
    pub fn steps_left(&self) -> u32 {
        self.params.steps - self.steps_done
    }

    /// The current grid, row-major (what the page draws between chunks).
    pub fn grid(&self) -> &[f64] {
        &self.grid
    }

    /// Back to the initial state, without reallocating.
    pub fn restart(&mut self) {
        self.params.fill_initial(&mut self.grid);
        self.steps_done = 0;
    }

    /// Takes `steps` more steps (at most [`steps_left`](Self::steps_left)) and returns how many
    /// it took. Progress counts this call's steps. Any split into chunks, with any variant and
    /// thread count per chunk, ends with the same bits as one run.
    ///
    /// Cancel is checked before every block of rows of every step or pass; a cancelled call
    /// returns [`Error::Cancelled`] and leaves the state at the last whole step (of a pass, when
    /// blocked), which [`steps_done`](Self::steps_done) reports: a later call resumes from there.
    pub fn step_chunk(&mut self, steps: u32, exec: &Exec, control: &Control) -> Result<u32, Error> {
        exec.validate()?;
        let steps = steps.min(self.steps_left());
        control.start(steps as u64);
        let plan = schedule::Plan::choose(&self.params, exec);
        let done = schedule::advance([&mut self.grid, &mut self.next], &self.params, steps, exec, control, plan);
        self.steps_done += done;
        control.check()?;
        Ok(steps)
    }

    /// The result for the current grid (the scratch buffer is freed).
    pub fn into_output(self) -> DiffusionOutput {
        DiffusionOutput { width: self.params.width as usize, grid: self.grid }
    }
}

/// Computes the final grid in one call. Validates `params` and `exec` before allocating;
/// progress counts steps.
pub fn run(params: &DiffusionParams, exec: &Exec, control: &Control) -> Result<DiffusionOutput, Error> {
    params.validate()?;
    exec.validate()?;
    let mut state = DiffusionRun::new(params)?;
    state.step_chunk(params.steps, exec, control)?;
    Ok(state.into_output())
}

/// Periodic neighbours of an index, the book's `(i ± 1) % n` without a division.
mod wrap {
    /// `(i − 1) mod n`.
    #[inline(always)]
    pub(super) fn prev(i: usize, n: usize) -> usize {
        if i == 0 { n - 1 } else { i - 1 }
    }

    /// `(i + 1) mod n`.
    #[inline(always)]
    pub(super) fn next(i: usize, n: usize) -> usize {
        if i + 1 == n { 0 } else { i + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_block_is_where_workloads_md_puts_it() {
        for (n, lo, hi) in [(512, 204, 256), (1024, 409, 512), (256, 102, 128)] {
            let p = DiffusionParams { width: n, height: n, ..DiffusionParams::default() };
            let g = p.initial_grid();
            let at = |i: u32, j: u32| g[(i * n + j) as usize];
            assert_eq!((at(lo, lo), at(hi - 1, hi - 1)), (INITIAL_HEAT, INITIAL_HEAT));
            assert_eq!((at(lo - 1, lo), at(lo, hi), at(hi, lo)), (0.0, 0.0, 0.0));
        }
        // 300 wide × 200 high: columns [120, 150) × rows [80, 100), 600 cells.
        let p = DiffusionParams { width: 300, height: 200, ..DiffusionParams::default() };
        let g = p.initial_grid();
        assert_eq!(g.iter().filter(|&&v| v == INITIAL_HEAT).count(), 600);
        assert_eq!((g[80 * 300 + 120], g[99 * 300 + 149], g[80 * 300 + 150]), (INITIAL_HEAT, INITIAL_HEAT, 0.0));
    }

    #[test]
    fn fnv_of_nothing_is_the_offset_and_of_one_zero_is_known() {
        assert_eq!(fnv1a64(&[]), 0xcbf2_9ce4_8422_2325);
        // Eight zero bytes: the offset multiplied by the prime eight times.
        let expected = (0..8).fold(0xcbf2_9ce4_8422_2325u64, |h, _| h.wrapping_mul(0x0100_0000_01b3));
        assert_eq!(fnv1a64(&[0.0]), expected);
        assert_ne!(fnv1a64(&[0.0]), fnv1a64(&[-0.0]));
    }

    #[test]
    fn wrap_is_mod() {
        for n in 1..6 {
            for i in 0..n {
                assert_eq!(wrap::prev(i, n), (i + n - 1) % n);
                assert_eq!(wrap::next(i, n), (i + 1) % n);
            }
        }
    }
}
