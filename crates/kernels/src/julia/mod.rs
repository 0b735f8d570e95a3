//! The Julia set of *High Performance Python*, ch. 2 and 7 (docs/workloads.md, section 1).
//!
//! For each pixel, `z` starts at the pixel's coordinate and iterates `z = z² + c` while
//! `|z|² < 4` and fewer than `max_iter` steps were taken; the pixel's value is the step count.
//! Coordinates are built by multiplication (`x_min + i * step`, the step computed first) and row 0
//! is the top (`y_max`), so every variant, thread count and platform computes the same bits.
//!
//! - [`reference`]: num-complex, one pixel at a time, written to be read.
//! - [`simd`]: lanes of pixels at once with a sticky escape mask, several vectors in flight.
//!
//! Rows (or bands of rows) go to workers dynamically ([`crate::parallel`]): the rows through the set cost far more
//! than the rows near the edge.

pub mod check_values;
mod description;
pub mod reference;
pub mod simd;

pub use description::Julia;

use serde::{Deserialize, Serialize};

use crate::error::{check_f64, check_int};
use crate::{Control, Error, Exec, Variant, decimal, limits, parallel};

/// Parameters of a Julia run; `Default` is the book's case (1000², 300 iterations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JuliaParams {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Iteration cap per pixel.
    pub max_iter: u32,
    /// Real part of `c`.
    pub c_re: f64,
    /// Imaginary part of `c`.
    pub c_im: f64,
    /// Left edge of the region (column 0).
    pub x_min: f64,
    /// Right edge of the region (excluded).
    pub x_max: f64,
    /// Bottom edge of the region (excluded).
    pub y_min: f64,
    /// Top edge of the region (row 0).
    pub y_max: f64,
    /// The arithmetic of the iteration: f64 (the book's) or f32 (what a GPU computes in).
    pub precision: Precision,
}

/// The floating-point format a Julia run iterates in (docs/workloads.md §1b).
///
/// WebGPU has no f64, so the GPU side computes in f32; the f32 form of the CPU kernels is its
/// oracle. Coordinates are computed in f64 as always and rounded once to f32, so every CPU
/// variant of either precision is bit-identical to its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// The book's doubles: the default.
    #[default]
    F64,
    /// Single precision, every operation rounded to f32, as the GPU's shader computes.
    F32,
}

impl Precision {
    /// The name in the JSON (`"f64"`, `"f32"`).
    pub fn name(self) -> &'static str {
        match self {
            Precision::F64 => "f64",
            Precision::F32 => "f32",
        }
    }
}

impl Default for JuliaParams {
    fn default() -> Self {
        JuliaParams {
            width: 1000,
            height: 1000,
            max_iter: 300,
            c_re: -0.62772,
            c_im: -0.42193,
            x_min: -1.8,
            x_max: 1.8,
            y_min: -1.8,
            y_max: 1.8,
            precision: Precision::F64,
        }
    }
}

impl JuliaParams {
    /// Refuses anything outside [`limits`]: sizes, the iteration cap, the total work, non-finite
    /// or huge coordinates, and inverted regions.
    pub fn validate(&self) -> Result<(), Error> {
        check_int("width", self.width, 1, limits::JULIA_MAX_SIDE)?;
        check_int("height", self.height, 1, limits::JULIA_MAX_SIDE)?;
        let pixels = self.width as u64 * self.height as u64;
        if pixels > limits::JULIA_MAX_PIXELS {
            return Err(Error::Invalid {
                field: "height",
                message: format!(
                    "width × height = {} × {} = {pixels} pixels is over the limit: allowed at most {} pixels",
                    self.width,
                    self.height,
                    limits::JULIA_MAX_PIXELS
                ),
            });
        }
        check_int("max_iter", self.max_iter, 1, limits::JULIA_MAX_ITER)?;
        let work = pixels * self.max_iter as u64;
        if work > limits::JULIA_MAX_WORK {
            return Err(Error::Invalid {
                field: "max_iter",
                message: format!(
                    "width × height × max_iter = {work} is over the limit: allowed at most {} (lower max_iter \
                    or the size)",
                    limits::JULIA_MAX_WORK
                ),
            });
        }
        let m = limits::JULIA_MAX_COORD;
        for (field, v) in [
            ("c_re", self.c_re),
            ("c_im", self.c_im),
            ("x_min", self.x_min),
            ("x_max", self.x_max),
            ("y_min", self.y_min),
            ("y_max", self.y_max),
        ] {
            check_f64(field, v, -m, m)?;
        }
        if self.x_min >= self.x_max {
            return Err(Error::Invalid {
                field: "x_max",
                message: format!("x_max = {} must be greater than x_min = {}", self.x_max, self.x_min),
            });
        }
        if self.y_min >= self.y_max {
            return Err(Error::Invalid {
                field: "y_max",
                message: format!("y_max = {} must be greater than y_min = {}", self.y_max, self.y_min),
            });
        }
        Ok(())
    }

    /// Distance between two columns: computed once, as the book does, then multiplied.
    pub fn step_x(&self) -> f64 {
        (self.x_max - self.x_min) / self.width as f64
    }

    /// Distance between two rows.
    pub fn step_y(&self) -> f64 {
        (self.y_max - self.y_min) / self.height as f64
    }

    /// Real coordinate of column `i`.
    pub fn x(&self, i: usize) -> f64 {
        self.x_min + i as f64 * self.step_x()
    }

    /// Imaginary coordinate of row `j` (row 0 is the top).
    pub fn y(&self, j: usize) -> f64 {
        self.y_max - j as f64 * self.step_y()
    }
}

/// The summary fields of a Julia result (docs/workloads.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JuliaSummary {
    /// Sum of all iteration counts: the total number of inner-loop iterations.
    #[serde(with = "decimal")]
    pub iterations: u64,
    /// Largest count of any pixel.
    pub max: u32,
}

/// What a Julia run returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JuliaOutput {
    /// Iteration counts, row-major, row 0 at the top.
    pub counts: Vec<u32>,
    /// Sum of all counts (docs/workloads.md's checksum).
    pub checksum: u64,
    /// Summary fields.
    pub summary: JuliaSummary,
}

/// Computes the image. Validates `params` and `exec` first; progress counts rows (reference) or
/// bands of [`simd::BAND_ROWS`] rows (simd).
pub fn run(params: &JuliaParams, exec: &Exec, control: &Control) -> Result<JuliaOutput, Error> {
    params.validate()?;
    exec.validate()?;
    let width = params.width as usize;
    let height = params.height as usize;
    let mut counts = vec![0u32; width * height];
    match exec.variant {
        Variant::Reference => {
            control.start(height as u64);
            parallel::for_each_row_dynamic(exec.threads, &mut counts, width, control, |j, row| {
                reference::row(params, j, row)
            })
        }
        Variant::Simd => {
            let lanes = exec.effective_lanes();
            control.start(height.div_ceil(simd::BAND_ROWS) as u64);
            parallel::for_each_row_dynamic(exec.threads, &mut counts, width * simd::BAND_ROWS, control, |b, band| {
                simd::band(lanes, params, b * simd::BAND_ROWS, band)
            })
        }
    }?;
    let iterations = counts.iter().map(|&c| c as u64).sum();
    let max = counts.iter().copied().max().unwrap_or(0);
    Ok(JuliaOutput { counts, checksum: iterations, summary: JuliaSummary { iterations, max } })
}
