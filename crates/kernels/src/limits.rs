//! Every limit on user input, in one place. Both fronts read these (the server lists them in
//! `/api/info`), and `validate()` is the only code that enforces them.
//!
//! They are sized for a browser tab: wasm32 memory is capped at 1 GiB by the link args
//! (`.cargo/config.toml`), and one run must leave room for the result buffer, its RGBA image and
//! the copies the page makes. A limit also bounds the time of a run to something a user waits for.

/// Largest thread count a run may ask for (the fronts also cap it at their pool size).
pub const MAX_THREADS: usize = 256;

/// Julia: largest width and height, in pixels.
pub const JULIA_MAX_SIDE: u32 = 8192;
/// Julia: largest pixel count (4096² = 16 Mi pixels: 64 MiB of counts + 64 MiB of RGBA).
pub const JULIA_MAX_PIXELS: u64 = 4096 * 4096;
/// Julia: largest iteration cap per pixel.
pub const JULIA_MAX_ITER: u32 = 100_000;
/// Julia: largest `width × height × max_iter`, the worst-case work of one run (≈ 2·10¹⁰
/// iterations, tens of seconds in the browser at worst).
pub const JULIA_MAX_WORK: u64 = 20_000_000_000;
/// Julia: bound on |coordinate| and |c|: far outside anything that does not escape at once.
pub const JULIA_MAX_COORD: f64 = 1.0e6;
