//! What the server knows of each workload: how to run it and how to answer with its result
//! (JSON summary, PNG picture, raw buffer). The kernels do the work; this is only the glue
//! between a kernel's output and HTTP, one impl per workload.

use parallax_kernels::colormap::{self, ColorMap};
use parallax_kernels::diffusion::{self, DiffusionParams};
use parallax_kernels::julia::{self, JuliaParams};
use parallax_kernels::primes::{self, PrimesParams, Task};
use parallax_kernels::{Control, Error, Exec};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A workload served by `POST /api/<NAME>`.
pub trait Workload: 'static {
    /// The route's last segment and the `workload` field of answers.
    const NAME: &'static str;
    /// The params the body carries.
    type Params: DeserializeOwned + Send + Sync + 'static;
    /// What a run produces.
    type Output: Send + 'static;

    /// The kernels' validation (the one place that knows the limits); some limits depend on
    /// the variant.
    fn validate(params: &Self::Params, exec: &Exec) -> Result<(), Error>;
    /// Runs the kernel.
    fn run(params: &Self::Params, exec: &Exec, control: &Control) -> Result<Self::Output, Error>;
    /// The checksum of workloads.md.
    fn checksum(out: &Self::Output) -> u64;
    /// The summary fields of workloads.md, u64s as decimal strings.
    fn summary(out: &Self::Output) -> Map<String, Value>;
    /// Whether `?format=png` applies to these params.
    fn has_picture(_params: &Self::Params) -> bool {
        true
    }
    /// Whether `?format=raw` applies to these params.
    fn has_raw(_params: &Self::Params) -> bool {
        true
    }
    /// The picture as (width, height, RGBA bytes), if the workload has one.
    fn picture(params: &Self::Params, out: &Self::Output, map: ColorMap) -> Option<(u32, u32, Vec<u8>)>;
    /// The result buffer, little-endian, row-major, if the workload has one.
    fn raw(out: &Self::Output) -> Option<Vec<u8>>;
}

/// The Julia set.
#[derive(Debug)]
pub struct Julia;

impl Workload for Julia {
    const NAME: &'static str = "julia";
    type Params = JuliaParams;
    type Output = julia::JuliaOutput;

    fn validate(params: &JuliaParams, _exec: &Exec) -> Result<(), Error> {
        params.validate()
    }

    fn run(params: &JuliaParams, exec: &Exec, control: &Control) -> Result<Self::Output, Error> {
        julia::run(params, exec, control)
    }

    fn checksum(out: &Self::Output) -> u64 {
        out.checksum
    }

    fn summary(out: &Self::Output) -> Map<String, Value> {
        to_map(&out.summary)
    }

    fn picture(params: &JuliaParams, out: &Self::Output, map: ColorMap) -> Option<(u32, u32, Vec<u8>)> {
        Some((params.width, params.height, colormap::julia_rgba(&out.counts, params.max_iter, map)))
    }

    fn raw(out: &Self::Output) -> Option<Vec<u8>> {
        Some(out.counts.iter().flat_map(|c| c.to_le_bytes()).collect())
    }
}

/// The 2D heat equation.
#[derive(Debug)]
pub struct Diffusion;

impl Workload for Diffusion {
    const NAME: &'static str = "diffusion";
    type Params = DiffusionParams;
    type Output = diffusion::DiffusionOutput;

    fn validate(params: &DiffusionParams, _exec: &Exec) -> Result<(), Error> {
        params.validate()
    }

    fn run(params: &DiffusionParams, exec: &Exec, control: &Control) -> Result<Self::Output, Error> {
        diffusion::run(params, exec, control)
    }

    fn checksum(out: &Self::Output) -> u64 {
        out.checksum
    }

    fn summary(out: &Self::Output) -> Map<String, Value> {
        to_map(&out.summary)
    }

    fn picture(params: &DiffusionParams, out: &Self::Output, map: ColorMap) -> Option<(u32, u32, Vec<u8>)> {
        let rgba = colormap::diffusion_rgba(&out.grid, diffusion::INITIAL_HEAT, map);
        Some((params.width, params.height, rgba))
    }

    fn raw(out: &Self::Output) -> Option<Vec<u8>> {
        Some(out.grid.iter().flat_map(|v| v.to_le_bytes()).collect())
    }
}

/// Trial division, Miller–Rabin, primes in a range, π(limit).
#[derive(Debug)]
pub struct Primes;

impl Workload for Primes {
    const NAME: &'static str = "primes";
    type Params = PrimesParams;
    type Output = primes::PrimesOutput;

    fn validate(params: &PrimesParams, exec: &Exec) -> Result<(), Error> {
        params.validate_for(exec.variant)
    }

    fn run(params: &PrimesParams, exec: &Exec, control: &Control) -> Result<Self::Output, Error> {
        primes::run(params, exec, control)
    }

    fn checksum(out: &Self::Output) -> u64 {
        out.checksum
    }

    fn summary(out: &Self::Output) -> Map<String, Value> {
        to_map(&out.summary)
    }

    fn has_picture(_params: &PrimesParams) -> bool {
        false
    }

    /// The primes of a range, as u64s; the other tasks have no buffer.
    fn has_raw(params: &PrimesParams) -> bool {
        params.task == Task::Range
    }

    fn picture(_: &PrimesParams, _: &Self::Output, _: ColorMap) -> Option<(u32, u32, Vec<u8>)> {
        None
    }

    fn raw(out: &Self::Output) -> Option<Vec<u8>> {
        Some(out.primes.iter().flat_map(|p| p.to_le_bytes()).collect())
    }
}

/// A summary struct as a JSON object (its `Serialize` already writes u64s as strings).
fn to_map(summary: &impl serde::Serialize) -> Map<String, Value> {
    match serde_json::to_value(summary) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}
