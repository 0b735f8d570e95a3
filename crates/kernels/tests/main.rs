//! The kernels' integration tests, one binary: each file a module (the book's check values,
//! every optimised variant against the reference, validation, cancellation, the SIMD levels,
//! the request parser), sharing `common`. One binary links once instead of eight times. The
//! xtask runs the kernels' modules again with `PARALLAX_ISA` capping the SIMD level (a filter
//! per module: `cargo test --test kernels -- julia:: diffusion:: …`).

mod common;

mod descriptions;
mod diffusion;
mod julia;
mod pi;
mod primes;
mod python_limits;
mod request_fuzz;
mod shaders;
mod simd_levels;
