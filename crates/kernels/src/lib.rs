//! # Parallax kernels
//!
//! The compute kernels of Parallax, shared by the browser's wasm module (`crates/web`) and the
//! native server (`crates/server`), so the page compares one set of code compiled two ways.
//! The workloads are the case studies of *High Performance Python*, defined exactly in
//! `docs/workloads.md`:
//!
//! - [`julia`]: the Julia set (ch. 2 and 7).
//! - [`diffusion`]: the 2D heat equation (ch. 6).
//! - [`primes`]: trial division, Miller–Rabin, primes in a range, π(N) by a segmented sieve (ch. 1, 8, 9).
//! - [`pi`]: Monte Carlo π with a counter-based generator (ch. 9).
//!
//! Every workload has the same shape, and is described once ([`workload::Workload`]): a params
//! struct whose `Default` is the book's case and whose validation is the only place that knows
//! its limits; a `run(params, exec, control)` where [`Exec`] picks the variant (`reference` or
//! `simd`), the vector width and the thread count; a result with the data, a u64 checksum and
//! the summary fields; cancellation and progress through a [`Control`]. [`registry`] lists them
//! by name for the fronts.
//!
//! No I/O, no clock, no DOM, no HTTP. No fused multiply-add and no fast-math: results are the
//! same bits on every platform, which is what lets the page prove both sides agree.
#![feature(portable_simd)]
#![deny(missing_docs)]

pub mod colormap;
pub mod control;
pub mod decimal;
pub mod diffusion;
pub mod error;
pub mod exec;
pub mod julia;
pub mod limits;
pub mod parallel;
pub mod pi;
pub mod primes;
pub mod python;
pub mod registry;
pub mod request;
pub mod shaders;
pub mod simd;
pub mod workload;

pub use control::Control;
pub use error::Error;
pub use exec::{Exec, Variant};
