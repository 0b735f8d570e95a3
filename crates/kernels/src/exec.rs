//! How a run executes, independently of what it computes: the variant (`reference` or `simd`),
//! an optional forced vector width, and the thread count (docs/architecture.md, "Kernels").

use serde::{Deserialize, Serialize};

use crate::{Error, limits, simd};

/// The widths a `simd` run may be forced to, in f64 (64-bit) lanes: 2 is one 128-bit vector,
/// the width wasm has; 4 is AVX2's, 8 AVX-512's.
pub const LANE_CHOICES: [u32; 3] = [2, 4, 8];

/// The most repetitions one timed call may ask for (`repeat`): enough to lift a 20 µs kernel
/// over 20 ms, the shortest sample the comparison takes (docs/compare.md, "Short kernels").
pub const MAX_REPEAT: u32 = 1000;

/// Which implementation of a workload runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// The plain implementation, written for clarity; every other variant is checked against it.
    Reference,
    /// The optimised implementation: portable SIMD for Julia and diffusion (simd128 in wasm,
    /// the widest vectors the CPU has natively), the fastest known method for primes.
    #[default]
    Simd,
}

impl Variant {
    /// The name used in JSON and on the page.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::Reference => "reference",
            Variant::Simd => "simd",
        }
    }
}

/// Variant, vector width and thread count of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exec {
    /// Which implementation runs.
    pub variant: Variant,
    /// Forced vector width in f64 lanes (2, 4 or 8), `simd` only; `None` = the widest this
    /// machine runs natively ([`simd::widest_lanes`]).
    pub lanes: Option<u32>,
    /// Workers pulling work from one shared counter; 1 = the calling thread alone.
    pub threads: usize,
    /// How many times the kernel runs inside one timed call (1..=[`MAX_REPEAT`]); the fronts
    /// report `kernel_ms` per repetition, so a kernel shorter than the timer's resolution is
    /// timed fairly on both sides.
    pub repeat: u32,
}

impl Default for Exec {
    fn default() -> Self {
        Exec { variant: Variant::Simd, lanes: None, threads: 1, repeat: 1 }
    }
}

impl Exec {
    /// A single-threaded run of `variant` at its default width.
    pub fn new(variant: Variant) -> Self {
        Exec { variant, ..Exec::default() }
    }

    /// The same run with `threads` workers.
    pub fn threads(self, threads: usize) -> Self {
        Exec { threads, ..self }
    }

    /// The same run forced to `lanes` lanes.
    pub fn lanes(self, lanes: u32) -> Self {
        Exec { lanes: Some(lanes), ..self }
    }

    /// The same run repeated `repeat` times in one timed call.
    pub fn repeat(self, repeat: u32) -> Self {
        Exec { repeat, ..self }
    }

    /// Refuses thread counts outside `1..=MAX_THREADS`, repeats outside `1..=MAX_REPEAT`,
    /// widths other than 2/4/8, and a width given to the reference variant.
    pub fn validate(&self) -> Result<(), Error> {
        crate::error::check_int("threads", self.threads, 1, limits::MAX_THREADS)?;
        crate::error::check_int("repeat", self.repeat, 1, MAX_REPEAT)?;
        if let Some(lanes) = self.lanes {
            if self.variant == Variant::Reference {
                return Err(Error::Invalid {
                    field: "lanes",
                    message: format!("lanes = {lanes} applies to the simd variant only; omit it for reference"),
                });
            }
            if !LANE_CHOICES.contains(&lanes) {
                return Err(Error::invalid("lanes", lanes, "2, 4 or 8"));
            }
        }
        Ok(())
    }

    /// The vector width this run uses: the forced one, else the widest native one.
    pub fn effective_lanes(&self) -> u32 {
        self.lanes.unwrap_or_else(simd::widest_lanes)
    }
}
