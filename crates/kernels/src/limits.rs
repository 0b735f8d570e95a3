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

/// Diffusion: largest width and height, in cells.
pub const DIFFUSION_MAX_SIDE: u32 = 8192;
/// Diffusion: largest cell count: 4096², the book's largest grid. A run holds two f64 grids
/// (256 MiB) and 1.5 MiB of scratch per thread, the page adds an RGBA image (64 MiB) and a copy
/// of the grid it receives (128 MiB): under half of the 1 GiB wasm memory.
pub const DIFFUSION_MAX_CELLS: u64 = 4096 * 4096;
/// Diffusion: largest step count (a small grid may run long; the work limit bounds big ones).
pub const DIFFUSION_MAX_STEPS: u32 = 1_000_000;
/// Diffusion: largest `width × height × steps` in cell updates: the book's 4096² × 500 (8.4·10⁹)
/// fits; seconds natively, tens of seconds in one browser thread, more once values turn
/// subnormal (docs/workloads.md's trap).
pub const DIFFUSION_MAX_WORK: u64 = 10_000_000_000;
/// Diffusion: the stability bound on `d × dt` of the explicit scheme (dx = 1). Beyond it the
/// grid overflows to ∞/NaN, whose bit patterns are not portable.
pub const DIFFUSION_MAX_D_DT: f64 = 0.25;

/// Primes: largest `n` for `check` and `miller_rabin`: every u64. Trial division stops at
/// ⌊√n⌋ < 2³², so the worst case is 2³¹ odd divisors: seconds with the simd test, ≈ 10 s on one
/// thread with the reference's divisions.
pub const PRIMES_MAX_N: u64 = u64::MAX;
/// Primes: widest `range`, `end − start`. Its list of primes is what costs memory: at most
/// π(10⁸) = 5,761,455 primes (46 MB of u64) when the range starts at 0, which the page copies
/// once more.
pub const PRIMES_MAX_SPAN: u64 = 100_000_000;
/// Primes: largest `limit` for `count` with the segmented sieve: the π(10¹⁰). Its
/// memory is small (sieving primes up to √limit, a cache-sized segment per worker); its time is
/// what binds: ≈ 5 s for 10¹⁰ natively on this 2-core machine (primesieve takes as long), so
/// 10¹¹ would be a minute natively and minutes in one browser thread.
pub const PRIMES_MAX_LIMIT: u64 = 10_000_000_000;
/// Primes: largest `limit` for `count` with the reference variant, a single-threaded plain
/// sieve (one byte per odd number, segment by segment): ≈ 4 s for 10⁹ natively here, so 10¹⁰
/// would be most of a minute.
pub const PRIMES_REFERENCE_MAX_LIMIT: u64 = 1_000_000_000;
/// Primes: largest `(end − start) × ⌊√(end − 1)⌋` for `range` with the reference variant, which
/// trial-divides every number (a prime costs √x / 2 divisions): 20× the book's range
/// (10⁶ × 10,049), tens of seconds on one thread at worst.
pub const PRIMES_REFERENCE_MAX_RANGE_WORK: u64 = 200_000_000_000;

/// Largest `samples` of Monte Carlo π: 10¹⁰ darts, tens of seconds on one browser thread.
pub const PI_MAX_SAMPLES: u64 = 10_000_000_000;
