//! Monte Carlo π, *High Performance Python* ch. 9 (docs/workloads.md, section 4): throw `samples`
//! darts into the unit square and count those inside the quarter circle, `x² + y² ≤ 1`; the
//! estimate is `4 · inside / samples`.
//!
//! The book seeds each worker process anew ("Random Numbers in Parallel Systems"), so its counts
//! change with the run and the number of workers. Here dart `i` is drawn from a counter-based
//! generator, Philox4x32-10 ([`philox`]), keyed by the seed and counted by `i`: any worker can
//! draw any dart, so the count is the same for every thread count, variant and platform.
//!
//! - [`reference`]: one dart at a time.
//! - [`simd`]: a vector of darts per Philox evaluation, several vectors in flight.
//!
//! Threads pull chunks of [`CHUNK`] darts from one shared counter ([`crate::parallel`]).

pub mod board;
pub mod check_values;
mod description;
pub mod philox;
pub mod reference;
pub mod simd;

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

pub use description::Pi;

use crate::error::check_int;
use crate::{Control, Error, Exec, Variant, decimal, parallel};

/// Largest `samples` (kept with the other workloads' limits in `limits.rs`).
pub use crate::limits::PI_MAX_SAMPLES as MAX_SAMPLES;

/// Darts per unit of work: a few milliseconds, so cancel answers quickly and progress moves.
pub const CHUNK: u64 = 1 << 20;

/// Parameters of a π run; `Default` is the book's case (10⁸ darts, Example 9-2), seed 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PiParams {
    /// Darts thrown.
    #[serde(with = "decimal")]
    pub samples: u64,
    /// The generator's key: another seed, other darts.
    #[serde(with = "decimal")]
    pub seed: u64,
}

impl Default for PiParams {
    fn default() -> Self {
        PiParams { samples: 100_000_000, seed: 0 }
    }
}

impl PiParams {
    /// Refuses `samples` outside `1..=MAX_SAMPLES` (any seed is fine).
    pub fn validate(&self) -> Result<(), Error> {
        check_int("samples", self.samples, 1, MAX_SAMPLES)
    }
}

/// The summary fields of a π result (docs/workloads.md). Not `error`: that key is the error
/// envelope's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PiSummary {
    /// Darts inside the quarter circle.
    #[serde(with = "decimal")]
    pub inside: u64,
    /// `4 · inside / samples`.
    pub estimate: f64,
    /// `estimate − π`.
    pub deviation: f64,
}

/// What a π run returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PiOutput {
    /// The count inside: the checksum.
    pub inside: u64,
    /// Summary fields.
    pub summary: PiSummary,
}

/// Throws the darts. Validates first; progress counts chunks of [`CHUNK`] darts.
pub fn run(params: &PiParams, exec: &Exec, control: &Control) -> Result<PiOutput, Error> {
    params.validate()?;
    exec.validate()?;
    let (samples, seed) = (params.samples, params.seed);
    let chunks = samples.div_ceil(CHUNK);
    control.start(chunks);
    let lanes = exec.effective_lanes();
    let inside = AtomicU64::new(0);
    parallel::for_each_dynamic(exec.threads, chunks as usize, control, |k| {
        let start = k as u64 * CHUNK;
        let end = (start + CHUNK).min(samples);
        let n = match exec.variant {
            Variant::Reference => reference::count(seed, start, end),
            Variant::Simd => simd::count(lanes, seed, start, end),
        };
        inside.fetch_add(n, Ordering::Relaxed);
    })?;
    let inside = inside.into_inner();
    let estimate = (4 * inside) as f64 / samples as f64;
    Ok(PiOutput { inside, summary: PiSummary { inside, estimate, deviation: estimate - std::f64::consts::PI } })
}
